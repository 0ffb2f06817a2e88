"""Edge-case URLs of the WordPress fixture outlet."""

from __future__ import annotations

import gzip
import zlib
from urllib.parse import urljoin, urlsplit

import brotli
import pytest

from crawler.fixture_site import FixtureSite
from tests.fixture_site.conftest import HUGE
from tests.fixture_site.http_util import decode_chunked, fetch, raw_request


def _path(site: FixtureSite, name: str) -> str:
    """Root-relative path of edge case ``name``."""
    return urlsplit(site.model.edge_urls[name]).path


def _is_article_of(site: FixtureSite, name: str, html: str) -> None:
    """Assert ``html`` is the full article page of edge article ``name``."""
    article = site.model.edge_articles[name]
    assert f'<link rel="canonical" href="{article.url}">' in html
    assert '"@type": "NewsArticle"' in html
    assert article.paragraphs[0][:40] in html


def test_gzip_always_encoded(wp_site: FixtureSite) -> None:
    page = fetch(wp_site, _path(wp_site, "gzip"))
    assert page.status == 200
    assert page.headers["Content-Encoding"] == "gzip"
    assert int(page.headers["Content-Length"]) == len(page.body)
    _is_article_of(wp_site, "gzip", gzip.decompress(page.body).decode("utf-8"))


def test_brotli_encoded(wp_site: FixtureSite) -> None:
    page = fetch(wp_site, _path(wp_site, "brotli"))
    assert page.headers["Content-Encoding"] == "br"
    _is_article_of(wp_site, "brotli", brotli.decompress(page.body).decode("utf-8"))


def test_chunked_framing_on_raw_socket(wp_site: FixtureSite) -> None:
    request = f"GET {_path(wp_site, 'chunked')} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    raw = raw_request(wp_site, request.encode())
    head, _, body = raw.partition(b"\r\n\r\n")
    header_lines = head.decode("latin-1").lower().split("\r\n")
    assert header_lines[0].startswith("http/1.1 200")
    assert "transfer-encoding: chunked" in header_lines
    assert not any(line.startswith("content-length") for line in header_lines)
    chunks = decode_chunked(body)
    assert len(chunks) >= 3
    _is_article_of(wp_site, "chunked", b"".join(chunks).decode("utf-8"))


def test_charset_only_in_meta(wp_site: FixtureSite) -> None:
    page = fetch(wp_site, _path(wp_site, "charset_meta"))
    assert page.headers["Content-Type"] == "text/html"
    assert (
        b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">' in page.body
    )
    assert b"\x93" in page.body and b"\x94" in page.body
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("utf-8")
    html = page.body.decode("cp1252")
    article = wp_site.model.edge_articles["charset_meta"]
    assert article.paragraphs[0] in html
    assert any(ch in article.title for ch in "éï")


def test_not_found_and_gone(wp_site: FixtureSite) -> None:
    assert fetch(wp_site, _path(wp_site, "not_found")).status == 404
    assert fetch(wp_site, _path(wp_site, "gone")).status == 410
    assert fetch(wp_site, "/no/such/page/").status == 404


def test_rate_limited_then_ok(wp_site: FixtureSite) -> None:
    wp_site.reset_state()
    path = _path(wp_site, "rate_limited")
    first = fetch(wp_site, path)
    assert first.status == 429
    assert first.headers["Retry-After"] == "1"
    second = fetch(wp_site, path)
    assert second.status == 200
    _is_article_of(wp_site, "rate_limited", second.text)


def test_flaky_then_ok(wp_site: FixtureSite) -> None:
    wp_site.reset_state()
    path = _path(wp_site, "flaky")
    assert fetch(wp_site, path).status == 500
    assert fetch(wp_site, path).status == 200
    assert fetch(wp_site, path).status == 200


def test_huge_page(wp_site: FixtureSite) -> None:
    page = fetch(wp_site, _path(wp_site, "huge"))
    assert page.status == 200
    assert len(page.body) > HUGE
    assert int(page.headers["Content-Length"]) == len(page.body)
    assert page.text.rstrip().endswith("</html>")
    _is_article_of(wp_site, "huge", page.text)


def test_gzip_bomb(wp_site: FixtureSite) -> None:
    page = fetch(wp_site, _path(wp_site, "gzip_bomb"))
    assert page.headers["Content-Encoding"] == "gzip"
    assert len(page.body) < HUGE
    inflated = gzip.decompress(page.body)
    assert len(inflated) > 10 * HUGE
    assert inflated.startswith(b"<!DOCTYPE html>")


def test_truncated_gzip(wp_site: FixtureSite) -> None:
    page = fetch(wp_site, _path(wp_site, "truncated_gzip"))
    assert page.headers["Content-Encoding"] == "gzip"
    assert int(page.headers["Content-Length"]) == len(page.body)
    with pytest.raises(EOFError):
        gzip.decompress(page.body)
    partial = zlib.decompressobj(31).decompress(page.body)
    assert partial.startswith(b"<!DOCTYPE html>")


def test_redirect_chain(wp_site: FixtureSite) -> None:
    start = wp_site.model.edge_urls["redirect_chain"]
    first = fetch(wp_site, start)
    assert first.status == 301
    location = first.headers["Location"]
    assert location.startswith("../../hop/")
    hop = urljoin(start, location)
    assert urlsplit(hop).path.startswith("/hop/")
    second = fetch(wp_site, hop)
    assert second.status == 302
    final = urljoin(hop, second.headers["Location"])
    assert final == wp_site.model.edge_urls["redirect_target"]
    assert fetch(wp_site, final).status == 200


def test_redirect_loop(wp_site: FixtureSite) -> None:
    first = fetch(wp_site, "/loop/a/")
    assert (first.status, first.headers["Location"]) == (302, "/loop/b/")
    second = fetch(wp_site, "/loop/b/")
    assert (second.status, second.headers["Location"]) == (302, "/loop/a/")


def test_offsite_redirect(wp_site: FixtureSite) -> None:
    page = fetch(wp_site, wp_site.model.edge_urls["offsite_redirect"])
    assert page.status == 301
    location = urlsplit(page.headers["Location"])
    assert location.hostname == "localhost"
    assert location.port == urlsplit(wp_site.base_url).port
    assert location.path in wp_site.model.article_by_path
    assert page.headers["Location"] == wp_site.model.edge_urls["offsite_target"]


def test_private_is_served_and_logged(wp_site: FixtureSite) -> None:
    path = _path(wp_site, "private")
    section = fetch(wp_site, f"/category/{wp_site.model.sections[0]}/").text
    assert f'href="{path}"' in section
    wp_site.reset_log()
    assert fetch(wp_site, path).status == 200
    assert [e.path for e in wp_site.request_log] == [path]
