"""Tests of :func:`crawler.discovery.parse_feed` (RSS, RDF, Atom, JSON Feed, errors)."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.discovery import DiscoveredLink, parse_feed
from crawler.errors import DiscoveryParseError

FEED_URL = "https://example.com/news/feed.xml"

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Example News</title>
  <link>https://example.com/</link>
  <atom:link rel="self" href="https://example.com/news/feed.xml"/>
  <item>
    <title> First   story </title>
    <link>
      https://example.com/2024/05/01/first
    </link>
    <pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate>
  </item>
  <item>
    <title><![CDATA[Second & <b>bold</b>]]></title>
    <link>/2024/05/02/second?a=1&amp;b=2</link>
    <dc:date>2024-05-02T08:00:00+02:00</dc:date>
  </item>
  <item>
    <title>Guid permalink</title>
    <guid>https://example.com/2024/05/03/third</guid>
  </item>
  <item>
    <title>Guid not a permalink</title>
    <guid isPermaLink="false">https://example.com/?p=4</guid>
  </item>
  <item>
    <title>Guid that is not a URL</title>
    <guid>tag:example.com,2024:5</guid>
  </item>
  <item><title>mailto</title><link>mailto:editor@example.com</link></item>
  <item>
    <link>https://example.com/foo<![CDATA[?q=a&l=fr]]></link>
  </item>
  <item><link>https://example.com/x?a=1&amp;amp;b=2</link></item>
</channel>
</rss>
"""


def _urls(links: list[DiscoveredLink]) -> list[str]:
    return [link.url for link in links]


def test_rss2() -> None:
    result = parse_feed(RSS, FEED_URL)
    assert result.format == "rss"
    assert _urls(result.links) == [
        "https://example.com/2024/05/01/first",
        "https://example.com/2024/05/02/second?a=1&b=2",
        "https://example.com/2024/05/03/third",
        "https://example.com/foo?q=a&l=fr",
        "https://example.com/x?a=1&b=2",
    ]
    first, second, third = result.links[:3]
    assert first == DiscoveredLink(
        "https://example.com/2024/05/01/first",
        datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
        "First story",
        "feed",
    )
    assert second.published == datetime(2024, 5, 2, 8, 0, tzinfo=timezone(timedelta(hours=2)))
    assert second.title == "Second & <b>bold</b>"
    assert third.published is None
    assert any("item without link skipped" in w for w in result.warnings)
    assert any("non-http(s) URL skipped: mailto:" in w for w in result.warnings)


def test_rss_091_without_namespace_or_declaration() -> None:
    body = b"""<rss version="0.91"><channel><title>x</title>
    <item><title>A</title><link>http://example.com/a</link></item></channel></rss>"""
    result = parse_feed(body, FEED_URL)
    assert _urls(result.links) == ["http://example.com/a"]
    assert result.warnings == []


def test_rss_atom_link_fallback() -> None:
    body = b"""<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
    <item><atom:link href="https://example.com/atom-link"/></item></channel></rss>"""
    assert _urls(parse_feed(body, FEED_URL).links) == ["https://example.com/atom-link"]


def test_rss_leading_whitespace_and_bom() -> None:
    body = b"\xef\xbb\xbf\n\n  " + RSS
    assert len(parse_feed(body, FEED_URL).links) == 5


def test_rss_latin1() -> None:
    body = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><item>'
        "<title>Caf\xe9</title><link>https://example.com/caf%C3%A9</link>"
        "</item></channel></rss>"
    ).encode("latin-1")
    link = parse_feed(body, FEED_URL).links[0]
    assert link.title == "Caf\xe9"


RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.com/"><title>Ex</title></channel>
  <item rdf:about="https://example.com/rdf/1">
    <title>One</title><link>https://example.com/rdf/1-link</link>
    <dc:date>2024-05-01T10:00:00Z</dc:date>
  </item>
  <item><title>Two</title><link>rdf/2</link></item>
</rdf:RDF>
"""


def test_rdf() -> None:
    result = parse_feed(RDF, FEED_URL)
    assert result.format == "rdf"
    assert _urls(result.links) == [
        "https://example.com/rdf/1",
        "https://example.com/news/rdf/2",
    ]
    assert result.links[0].published == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert result.links[0].title == "One"


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.org/blog/">
  <title>Atom</title>
  <link href="https://example.org/" />
  <entry>
    <title type="html">Entry &amp; one</title>
    <link rel="edit" href="https://example.org/edit/1"/>
    <link href="1.atom" type="application/atom+xml"/>
    <link rel="alternate" type="text/html" href="2024/one.html"/>
    <published>2024-05-01T10:00:00+02:00</published>
    <updated>2024-05-03T10:00:00Z</updated>
  </entry>
  <entry xml:base="https://other.example.org/section/">
    <title>Two</title>
    <link href="two"/>
    <updated>2024-05-02</updated>
  </entry>
  <entry>
    <title>Self only</title>
    <link rel="self" href="https://example.org/self"/>
  </entry>
  <entry><title>no base</title><link href="/abs/path"/></entry>
</feed>
"""


def test_atom() -> None:
    result = parse_feed(ATOM, FEED_URL)
    assert result.format == "atom"
    assert _urls(result.links) == [
        "https://example.org/blog/2024/one.html",
        "https://other.example.org/section/two",
        "https://example.org/abs/path",
    ]
    one, two = result.links[:2]
    assert one.published == datetime(2024, 5, 1, 10, tzinfo=timezone(timedelta(hours=2)))
    assert one.title == "Entry & one"
    assert two.published == datetime(2024, 5, 2, tzinfo=UTC)
    assert result.warnings == ["item without link skipped"]


def test_atom_relative_without_xml_base_uses_feed_url() -> None:
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom">
    <entry><link href="posts/1"/></entry></feed>"""
    assert _urls(parse_feed(body, FEED_URL).links) == ["https://example.com/news/posts/1"]


def test_atom_03() -> None:
    body = b"""<feed version="0.3" xmlns="http://purl.org/atom/ns#">
    <entry><link rel="alternate" type="text/html" href="https://example.com/a03"/>
    <issued>2004-01-01T00:00:00Z</issued></entry></feed>"""
    link = parse_feed(body, FEED_URL).links[0]
    assert link.url == "https://example.com/a03"
    assert link.published == datetime(2004, 1, 1, tzinfo=UTC)


def _json_feed(items: list[object]) -> bytes:
    return json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": items}
    ).encode()


def test_json_feed() -> None:
    body = _json_feed(
        [
            {"id": "1", "url": "https://example.com/j/1", "title": "One",
             "date_published": "2024-05-01T10:00:00Z", "date_modified": "2024-06-01"},
            {"id": "2", "external_url": "j/2", "date_modified": "2024-05-02"},
            {"id": "3", "content_text": "no url"},
            "not an object",
            {"id": "5", "url": "https://example.com/j/5?a=1&amp;b=2"},
        ]
    )  # fmt: skip
    result = parse_feed(body, "https://example.com/feed.json", "application/feed+json")
    assert result.format == "jsonfeed"
    assert _urls(result.links) == [
        "https://example.com/j/1",
        "https://example.com/j/2",
        "https://example.com/j/5?a=1&b=2",
    ]
    assert result.links[0].published == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert result.links[0].title == "One"
    assert result.links[1].published == datetime(2024, 5, 2, tzinfo=UTC)
    assert "item without link skipped" in result.warnings
    assert "JSON Feed item is not an object, skipped" in result.warnings


def test_gzipped_feed() -> None:
    assert len(parse_feed(gzip.compress(RSS), FEED_URL).links) == 5


def test_recovered_malformed_xml() -> None:
    body = b"""<rss version="2.0"><channel>
    <item><title>Fish &amp; chips &nbsp; </title><link>https://example.com/a</link></item>
    <item><title>unclosed <b></title><link>https://example.com/b</link></item>
    </channel>"""
    result = parse_feed(body, FEED_URL)
    assert result.format == "rss"
    assert "https://example.com/a" in _urls(result.links)
    assert any(w.startswith("recovered from malformed XML: ") for w in result.warnings)


def test_empty_well_formed_feed() -> None:
    result = parse_feed(b"<rss version='2.0'><channel><title>x</title></channel></rss>", FEED_URL)
    assert result.links == []


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"", "feed_malformed"),
        (b"   \n", "feed_malformed"),
        (b"<rss><channel><item><title>broken", "feed_malformed"),
        (b"<<<>>> not xml at all", "feed_malformed"),
        (b'{"items": [', "feed_malformed"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": [}', "feed_malformed"),
        (b"<!DOCTYPE html><html><body><a href='/x'>x</a></body></html>", "feed_not_feed"),
        (b"<html><head><title>Home</title></head><body/></html>", "feed_not_feed"),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "feed_not_feed"),
        (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>', "feed_not_feed"),
        (b'{"title": "no items"}', "feed_not_feed"),
        (b"[1, 2]", "feed_not_feed"),
        (gzip.compress(RSS)[:40], "gzip_truncated"),
    ],
)
def test_errors(body: bytes, kind: str) -> None:
    with pytest.raises(DiscoveryParseError) as info:
        parse_feed(body, FEED_URL)
    assert info.value.kind == kind
    assert FEED_URL in str(info.value)


def test_xxe_is_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>
<rss version="2.0"><channel><item><title>&xxe;</title>
<link>https://example.com/xxe</link></item></channel></rss>""".encode()
    result = parse_feed(body, FEED_URL)
    assert [link.title for link in result.links] != ["TOPSECRET"]
    assert _urls(result.links) == ["https://example.com/xxe"]


def test_many_items_is_fast() -> None:
    items = "".join(
        f"<item><title>T{i}</title><link>/a/{i}</link>"
        "<pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate></item>"
        for i in range(5000)
    )
    body = f"<rss version='2.0'><channel>{items}</channel></rss>".encode()
    result = parse_feed(body, FEED_URL)
    assert len(result.links) == 5000
    assert result.links[-1].url == "https://example.com/a/4999"
