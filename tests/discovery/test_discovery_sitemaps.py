"""Tests of :func:`crawler.discovery.parse_sitemap`."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.discovery import DiscoveredLink, parse_sitemap
from crawler.errors import DiscoveryParseError

SM_URL = "https://example.com/sitemaps/sitemap.xml"
SM_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"

URLSET = f"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="https://example.com/sitemap.xsl"?>
<!-- generated -->
<urlset xmlns="{SM_NS}" xmlns:xhtml="http://www.w3.org/1999/xhtml"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://example.com/a</loc>
    <lastmod>2024-05-01T10:00:00+02:00</lastmod>
    <changefreq>daily</changefreq>
    <image:image><image:loc>https://example.com/img.jpg</image:loc></image:image>
    <xhtml:link rel="alternate" hreflang="de" href="https://example.com/de/a"/>
  </url>
  <!-- a comment between entries -->
  <url>
    <loc>
      https://example.com/b?x=1&amp;y=2
    </loc>
  </url>
  <url><loc><![CDATA[https://example.com/c?x=1&y=2]]></loc><lastmod>2024-05-03</lastmod></url>
  <url><loc>/relative/d</loc></url>
  <url><loc>ftp://example.com/e</loc></url>
  <url><lastmod>2024-05-03</lastmod></url>
</urlset>
""".encode()


def _urls(links: list[DiscoveredLink]) -> list[str]:
    return [link.url for link in links]


def test_urlset() -> None:
    result = parse_sitemap(URLSET, SM_URL)
    assert result.format == "urlset"
    assert result.sitemaps == []
    assert _urls(result.links) == [
        "https://example.com/a",
        "https://example.com/b?x=1&y=2",
        "https://example.com/c?x=1&y=2",
        "https://example.com/relative/d",
    ]
    assert result.links[0] == DiscoveredLink(
        "https://example.com/a",
        datetime(2024, 5, 1, 10, tzinfo=timezone(timedelta(hours=2))),
        None,
        "sitemap",
    )
    assert result.links[2].published == datetime(2024, 5, 3, tzinfo=UTC)
    assert any("non-http(s) URL skipped: ftp://" in w for w in result.warnings)
    assert "<url> without <loc> skipped" in result.warnings


def test_prefixed_namespace() -> None:
    body = f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<sit:urlset xmlns:sit="{SM_NS}"><sit:url><sit:loc>http://www.example.com/1</sit:loc></sit:url>
<sit:url><sit:loc>http://www.example.com/2</sit:loc></sit:url></sit:urlset>""".encode()
    result = parse_sitemap(body, SM_URL)
    assert _urls(result.links) == ["http://www.example.com/1", "http://www.example.com/2"]


@pytest.mark.parametrize(
    "ns_decl",
    ['xmlns="http://www.google.com/schemas/sitemap/0.9"', "", 'xmlns="urn:bogus"'],
)
def test_bad_or_missing_namespace(ns_decl: str) -> None:
    body = f"""<urlset {ns_decl}><url><loc>http://www.example.com/1</loc></url>
    <url><loc>\n\t\thttp://www.example.com/2\n\t</loc></url></urlset>""".encode()
    result = parse_sitemap(body, SM_URL)
    assert result.format == "urlset"
    assert _urls(result.links) == ["http://www.example.com/1", "http://www.example.com/2"]


def test_news_sitemap() -> None:
    body = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="{SM_NS}" xmlns:news="{NEWS_NS}">
  <url>
    <loc>https://example.com/news/1</loc>
    <lastmod>2024-06-01</lastmod>
    <news:news>
      <news:publication><news:name>The Example Times</news:name>
        <news:language>en</news:language></news:publication>
      <news:publication_date>2024-05-01T10:00:00Z</news:publication_date>
      <news:title>Companies A, B
        in merger talks</news:title>
    </news:news>
  </url>
  <url>
    <loc>https://example.com/news/2</loc>
    <lastmod>2024-06-02</lastmod>
    <news:news><news:publication_date>not a date</news:publication_date></news:news>
  </url>
  <url><loc>https://example.com/plain</loc></url>
</urlset>""".encode()
    result = parse_sitemap(body, SM_URL)
    assert result.links == [
        DiscoveredLink(
            "https://example.com/news/1",
            datetime(2024, 5, 1, 10, tzinfo=UTC),
            "Companies A, B in merger talks",
            "news_sitemap",
        ),
        DiscoveredLink(
            "https://example.com/news/2", datetime(2024, 6, 2, tzinfo=UTC), None, "news_sitemap"
        ),
        DiscoveredLink("https://example.com/plain", None, None, "sitemap"),
    ]


def test_news_wrong_namespace_matched_by_local_name() -> None:
    body = f"""<urlset xmlns="{SM_NS}" xmlns:n="http://www.google.com/schemas/sitemap-news/0.84">
<url><loc>https://example.com/n</loc><n:news><n:publication_date>2024-05-01</n:publication_date>
<n:title>T</n:title></n:news></url></urlset>""".encode()
    link = parse_sitemap(body, SM_URL).links[0]
    assert link.kind == "news_sitemap"
    assert link.title == "T"
    assert link.published == datetime(2024, 5, 1, tzinfo=UTC)


SITEMAP_INDEX = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="{SM_NS}">
  <sitemap><loc>https://example.com/sitemap-1.xml.gz</loc><lastmod>2024-05-01</lastmod></sitemap>
  <sitemap><loc><![CDATA[https://example.com/sitemap-2.xml.gz]]></loc></sitemap>
  <sitemap><loc>sitemap-3.xml</loc></sitemap>
  <sitemap>
https://example.com/sitemap.jss?portal=1&amp;lang=en
  </sitemap>
</sitemapindex>""".encode()


def test_sitemap_index() -> None:
    result = parse_sitemap(SITEMAP_INDEX, SM_URL)
    assert result.format == "sitemapindex"
    assert result.links == []
    assert result.sitemaps == [
        "https://example.com/sitemap-1.xml.gz",
        "https://example.com/sitemap-2.xml.gz",
        "https://example.com/sitemaps/sitemap-3.xml",
        "https://example.com/sitemap.jss?portal=1&lang=en",
    ]
    assert "<sitemap> without <loc>; used its text" in result.warnings


def test_sitemap_entry_inside_urlset() -> None:
    body = f"""<urlset xmlns="{SM_NS}"><url><loc>https://example.com/p</loc></url>
    <sitemap><loc>https://example.com/child.xml</loc></sitemap></urlset>""".encode()
    result = parse_sitemap(body, SM_URL)
    assert result.format == "urlset"
    assert _urls(result.links) == ["https://example.com/p"]
    assert result.sitemaps == ["https://example.com/child.xml"]
    assert "1 <sitemap> entries inside a <urlset>" in result.warnings


def test_utf8_bom_xml() -> None:
    assert len(parse_sitemap(b"\xef\xbb\xbf" + URLSET, SM_URL).links) == 4


def test_utf16_xml() -> None:
    body = URLSET.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert len(parse_sitemap(body, SM_URL).links) == 4


def test_text_sitemap() -> None:
    body = b"\xef\xbb\xbfhttps://example.com/1\r\n\r\n  https://example.com/2  \nnot a url\n"
    result = parse_sitemap(body, "https://example.com/sitemap.txt", "text/plain")
    assert result.format == "text"
    assert _urls(result.links) == ["https://example.com/1", "https://example.com/2"]
    assert all(link.kind == "sitemap" and link.published is None for link in result.links)
    assert result.warnings == ["text sitemap line is not an http(s) URL: not a url"]


def test_gzipped_text_sitemap() -> None:
    body = gzip.compress(b"https://example.com/1\nhttps://example.com/2\n")
    result = parse_sitemap(body, "https://example.com/sitemap.txt.gz", "application/x-gzip")
    assert result.format == "text"
    assert len(result.links) == 2


def test_gzipped_xml_sitemap() -> None:
    body = gzip.compress(URLSET)
    result = parse_sitemap(body, "https://example.com/s.xml.gz", "application/octet-stream")
    assert len(result.links) == 4


def test_gzip_content_type_with_plain_body() -> None:
    # Content-Type is only a hint: an already-decompressed body still parses.
    result = parse_sitemap(URLSET, "https://example.com/s.xml.gz", "application/x-gzip")
    assert len(result.links) == 4


def test_double_gzip() -> None:
    result = parse_sitemap(gzip.compress(gzip.compress(URLSET)), SM_URL)
    assert len(result.links) == 4
    assert "document was gzip-compressed twice" in result.warnings


def test_multi_member_gzip() -> None:
    half = len(URLSET) // 2
    body = gzip.compress(URLSET[:half]) + gzip.compress(URLSET[half:])
    assert len(parse_sitemap(body, SM_URL).links) == 4


def test_truncated_gzip_raises_even_if_prefix_parses() -> None:
    # Decided behaviour: a truncated gzip stream always raises, even when the
    # decompressed prefix would be enough to recover some <url> entries.
    body = gzip.compress(URLSET)
    for cut in (len(body) // 2, len(body) - 4, 12):
        with pytest.raises(DiscoveryParseError) as info:
            parse_sitemap(body[:cut], SM_URL)
        assert info.value.kind == "gzip_truncated"


def test_corrupt_gzip() -> None:
    body = bytearray(gzip.compress(URLSET))
    body[-8] ^= 0xFF  # break the CRC
    with pytest.raises(DiscoveryParseError) as info:
        parse_sitemap(bytes(body), SM_URL)
    assert info.value.kind == "gzip_invalid"


def test_gzip_bomb_is_capped() -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"\0" * (1024 * 1024)
    body = b"".join(compressor.compress(chunk) for _ in range(64)) + compressor.flush()
    assert len(body) < 200_000
    with pytest.raises(DiscoveryParseError) as info:
        parse_sitemap(body, SM_URL, max_size=4 * 1024 * 1024)
    assert info.value.kind == "too_large"


def test_plain_body_over_cap() -> None:
    with pytest.raises(DiscoveryParseError) as info:
        parse_sitemap(URLSET, SM_URL, max_size=100)
    assert info.value.kind == "too_large"


def test_rss_as_sitemap() -> None:
    body = f"""<rss version="2.0" xmlns:sitemap="{SM_NS}"><channel>
    <item><link>https://example.com/r/1</link><pubDate>Fri, 24 Jan 2025 15:32:41 -0500</pubDate>
    <sitemap:changefreq>daily</sitemap:changefreq></item></channel></rss>""".encode()
    result = parse_sitemap(body, SM_URL)
    assert result.format == "urlset"
    assert _urls(result.links) == ["https://example.com/r/1"]
    assert result.links[0].published == datetime(
        2025, 1, 24, 15, 32, 41, tzinfo=timezone(timedelta(hours=-5))
    )


def test_atom_as_sitemap() -> None:
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry>
    <link rel="alternate" href="https://example.com/atom/1"/></entry></feed>"""
    result = parse_sitemap(body, SM_URL)
    assert result.format == "urlset"
    assert _urls(result.links) == ["https://example.com/atom/1"]


def test_recovered_malformed_sitemap() -> None:
    body = f"""<urlset xmlns="{SM_NS}"><url><loc>https://example.com/ok</loc></url>
    <url><loc>https://example.com/ok2</loc></url><url><loc>https://exa""".encode()
    result = parse_sitemap(body, SM_URL)
    assert _urls(result.links)[:2] == ["https://example.com/ok", "https://example.com/ok2"]
    assert any(w.startswith("recovered from malformed XML: ") for w in result.warnings)


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"<!DOCTYPE html><html><body>404</body></html>", "sitemap_not_xml"),
        (b"<html><body>soft 404</body></html>", "sitemap_not_xml"),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "sitemap_not_xml"),
        (b"\x00\x01\x02 binary junk", "sitemap_not_xml"),
        (b"just some words", "sitemap_not_xml"),
        (b"", "sitemap_malformed"),
        (b"<urlset><url><loc>", "sitemap_malformed"),
        (b"<urlset", "sitemap_malformed"),
        (b"<rss><channel><item><title>x", "sitemap_malformed"),
        (b"<foo><bar/></foo>", "sitemap_not_sitemap"),
    ],
)
def test_errors(body: bytes, kind: str) -> None:
    with pytest.raises(DiscoveryParseError) as info:
        parse_sitemap(body, SM_URL)
    assert info.value.kind == kind
    assert SM_URL in str(info.value)


def test_xxe_is_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("https://evil.example.com/leak")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{secret}">]>
<urlset xmlns="{SM_NS}"><url><loc>&xxe;</loc></url>
<url><loc>https://example.com/fine</loc></url></urlset>""".encode()
    result = parse_sitemap(body, SM_URL)
    assert "https://evil.example.com/leak" not in _urls(result.links)
    assert "https://example.com/fine" in _urls(result.links)


def _big_urlset(count: int) -> bytes:
    entries = "".join(
        f"<url><loc>https://example.com/p/{i}</loc><lastmod>2024-05-01</lastmod></url>\n"
        for i in range(count)
    )
    return f'<urlset xmlns="{SM_NS}">{entries}</urlset>'.encode()


def test_over_50k_urls_kept_with_warning() -> None:
    result = parse_sitemap(_big_urlset(50_001), SM_URL)
    assert len(result.links) == 50_001
    assert result.links[-1].url == "https://example.com/p/50000"
    assert result.warnings == ["sitemap has 50001 URLs, more than the 50000 allowed"]


def test_exactly_50k_urls_no_warning() -> None:
    result = parse_sitemap(gzip.compress(_big_urlset(50_000)), SM_URL)
    assert len(result.links) == 50_000
    assert result.warnings == []


def test_many_warnings_are_capped() -> None:
    body = "".join(f"ftp://example.com/{i}\n" for i in range(500))
    result = parse_sitemap(
        f"<urlset>{''.join(f'<url><loc>{u}</loc></url>' for u in body.split())}</urlset>".encode(),
        SM_URL,
    )
    assert result.links == []
    assert len(result.warnings) == 51
    assert result.warnings[-1] == "450 more warnings suppressed"
