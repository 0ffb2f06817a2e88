"""URL canonicalization used for dedup."""

from __future__ import annotations

import pytest

from crawler.urls import canonicalize, is_tracking_param


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("HTTP://News.Example.COM/a/", "http://news.example.com/a/"),
        ("http://news.example.com:80/a/", "http://news.example.com/a/"),
        ("https://news.example.com:443/a/", "https://news.example.com/a/"),
        ("https://news.example.com/a/#comments", "https://news.example.com/a/"),
        (
            "https://news.example.com/a/?utm_source=rss&utm_medium=feed",
            "https://news.example.com/a/",
        ),
        ("https://news.example.com/a/?fbclid=XYZ&id=3", "https://news.example.com/a/?id=3"),
        ("https://news.example.com/a/?gclid=1&b=2&a=1", "https://news.example.com/a/?a=1&b=2"),
        ("https://news.example.com//a//b/", "https://news.example.com/a/b/"),
        ("https://news.example.com/caf%C3%A9/", "https://news.example.com/café/"),
    ],
)
def test_equivalent_urls_share_a_canonical_form(a: str, b: str) -> None:
    assert canonicalize(a) == canonicalize(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://news.example.com/a/", "https://news.example.com/a"),
        ("https://news.example.com/A/", "https://news.example.com/a/"),
        ("https://news.example.com/a/?id=1", "https://news.example.com/a/?id=2"),
        ("http://news.example.com/a/", "https://news.example.com/a/"),
        ("https://news.example.com:8443/a/", "https://news.example.com/a/"),
    ],
)
def test_distinct_urls_stay_distinct(a: str, b: str) -> None:
    assert canonicalize(a) != canonicalize(b)


def test_tracking_parameters() -> None:
    assert all(map(is_tracking_param, ["utm_campaign", "UTM_Source", "fbclid", "gclid", "mc_eid"]))
    assert not any(map(is_tracking_param, ["id", "page", "p", "q", "article"]))
