"""Tests of :func:`crawler.discovery.sniff_format`."""

from __future__ import annotations

import gzip

import pytest

from crawler.discovery import sniff_format

SM_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', "rss"),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', "rdf"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"/>', "atom"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "jsonfeed"),
        (b'{"version":"https:\\/\\/jsonfeed.org\\/version\\/1"}', "jsonfeed"),
        (b'{"a": 1}', "unknown"),
        (f'<urlset xmlns="{SM_NS}"/>'.encode(), "sitemap"),
        (f'<sitemapindex xmlns="{SM_NS}"/>'.encode(), "sitemapindex"),
        (f'<sit:urlset xmlns:sit="{SM_NS}"/>'.encode(), "sitemap"),
        (b"\xef\xbb\xbf<?xml version='1.0'?><urlset/>", "sitemap"),
        (
            b"<?xml version='1.0'?>\n<?xml-stylesheet href='a.xsl'?>\n<!-- c -->\n<urlset/>",
            "sitemap",
        ),
        (b"<!DOCTYPE html><html><head></head></html>", "html"),
        (b"  <html><body>x</body></html>", "html"),
        (b"<head><title>x</title></head>", "html"),
        (b"\xef\xbb\xbfhttps://example.com/a\nhttps://example.com/b\n", "text-sitemap"),
        (b"http://example.com/a", "text-sitemap"),
        (gzip.compress(b"<urlset/>"), "gzip"),
        (b"", "unknown"),
        (b"\x00\x01binary", "unknown"),
        (b"<foo/>", "unknown"),
        ("<rss/>".encode("utf-16"), "rss"),
    ],
)
def test_sniff(body: bytes, expected: str) -> None:
    assert sniff_format(body, None) == expected


def test_rss_with_sitemap_namespace_is_rss() -> None:
    body = f'<rss xmlns:sitemap="{SM_NS}" version="2.0"><channel/></rss>'.encode()
    assert sniff_format(body, "application/xml") == "rss"


def test_content_type_is_only_a_hint() -> None:
    assert sniff_format(b"<rss/>", "text/html") == "rss"
    assert sniff_format(b"<whatever/>", "text/html") == "html"
    assert sniff_format(b'{"title": "x"}', "application/feed+json") == "jsonfeed"
    assert sniff_format(gzip.compress(b"x"), "text/xml") == "gzip"
