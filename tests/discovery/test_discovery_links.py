"""Tests of :func:`crawler.discovery.find_feed_links` and warning bookkeeping."""

from __future__ import annotations

from crawler.discovery import FeedCandidate, find_feed_links
from crawler.discovery.common import MAX_WARNINGS, Warnings, clean_url, decode_entities

HOME = b"""<!DOCTYPE html>
<html><head>
<base href="https://cdn.example.com/site/">
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title=" Top stories " href="rss/top.xml">
<link rel="Alternate" type="application/atom+xml; charset=utf-8" href="https://example.com/atom">
<link rel="alternate" hreflang="de" href="https://example.com/de/">
<link rel="alternate" type="application/feed+json" href="/feed.json">
<link rel="alternate" type="application/rss+xml" href="rss/top.xml">
<link rel="alternate" type="application/rss+xml" href="javascript:void(0)">
</head><body><a href="/rss">RSS</a></body></html>"""


def test_find_feed_links() -> None:
    assert find_feed_links(HOME, "https://example.com/") == [
        FeedCandidate(
            "https://cdn.example.com/site/rss/top.xml", "application/rss+xml", "Top stories"
        ),
        FeedCandidate("https://example.com/atom", "application/atom+xml", None),
        FeedCandidate("https://cdn.example.com/feed.json", "application/feed+json", None),
    ]


def test_find_feed_links_without_base_and_empty() -> None:
    body = b'<html><head><link rel="alternate" type="application/rss+xml" href="/f"></head></html>'
    assert [c.url for c in find_feed_links(body, "https://example.com/x/")] == [
        "https://example.com/f"
    ]
    assert find_feed_links(b"", "https://example.com/") == []
    assert find_feed_links(b"   ", "https://example.com/") == []


def test_clean_url() -> None:
    warnings = Warnings()
    base = "https://example.com/dir/page.html"
    assert (
        clean_url("  rel?a=1&amp;b=2 \n", base, warnings) == "https://example.com/dir/rel?a=1&b=2"
    )
    assert clean_url("//cdn.example.com/x", base, warnings) == "https://cdn.example.com/x"
    assert clean_url("HTTPS://EXAMPLE.com/Up", base, warnings) == "HTTPS://EXAMPLE.com/Up"
    assert clean_url("", base, warnings) is None
    assert clean_url(None, base, warnings) is None
    assert clean_url("javascript:alert(1)", base, warnings) is None
    assert clean_url("http://", base, warnings) is None
    assert clean_url("http://[::1", base, warnings) is None
    assert clean_url("http:///x", base, warnings) is None
    assert clean_url("https://?q", base, warnings) is None
    assert clean_url("http://[::1]:8080/a", base, warnings) == "http://[::1]:8080/a"
    assert len(warnings.as_list()) == 5


def test_decode_entities_leaves_bare_ampersands() -> None:
    assert decode_entities("?a=1&para=2&amp;b=&#51;&#x34;") == "?a=1&para=2&b=34"


def test_warnings_counts_and_cap() -> None:
    warnings = Warnings()
    for _ in range(3):
        warnings.add("same")
    for i in range(MAX_WARNINGS + 5):
        warnings.add(f"w{i}")
    items = warnings.as_list()
    assert items[0] == "same (3 times)"
    assert len(items) == MAX_WARNINGS + 1
    assert items[-1] == "6 more warnings suppressed"
    other = Warnings()
    other.merge(warnings)
    assert other.as_list() == items
