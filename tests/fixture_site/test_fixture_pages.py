"""Section pages, article pages, comments, REST API and server behaviour."""

from __future__ import annotations

import http.client
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin, urlsplit

from crawler.fixture_site import COMMENTS_PER_PAGE, SECTION_PAGES_LISTED, FixtureSite
from tests.fixture_site.conftest import NOW
from tests.fixture_site.http_util import fetch, port_of, raw_request, strip_url

TEASER_RE = re.compile(r'<h2 class="entry-title"><a href="([^"]+)"')
NEXT_RE = re.compile(r'<a class="next page-numbers" href="([^"]+)"')
JSON_LD_RE = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.S)


def _normalize(page_url: str, href: str) -> str:
    """Absolute, lowercase-scheme URL without query and fragment."""
    absolute = urljoin(page_url, href)
    return strip_url(absolute[:5].lower() + absolute[5:])


def _crawl_section(site: FixtureSite, section: str, max_pages: int) -> set[str]:
    """Article URLs found by following ``a.next`` from page 1 up to ``max_pages``."""
    url, found = f"{site.base_url}/category/{section}/", set()
    for _ in range(max_pages):
        html = fetch(site, url).text
        for href in TEASER_RE.findall(html):
            found.add(_normalize(url, href))
        match = NEXT_RE.search(html)
        if match is None:
            break
        url = urljoin(url, match[1])
    return found


def test_section_listing_matches_pages() -> None:
    with FixtureSite(articles=80, seed=11, now=NOW) as site:
        found: set[str] = set()
        for section in site.model.sections:
            found |= _crawl_section(site, section, SECTION_PAGES_LISTED)
        special = {u for u in found if "/go/" in u or "/private/" in u}
        assert len(special) == 2
        assert found - special == site.model.listings["section"]
        assert len(site.model.listings["section"]) == 4 * 5 * SECTION_PAGES_LISTED
        assert site.model.section_listing(1) < site.model.listings["section"]
        last = site.model.section_page_count("world")
        assert last == 4
        assert NEXT_RE.search(fetch(site, f"/category/world/page/{last}/").text) is None
        assert fetch(site, f"/category/world/page/{last + 1}/").status == 404


def test_section_links_use_mixed_forms(wp_site: FixtureSite) -> None:
    html = fetch(wp_site, f"/category/{wp_site.model.sections[0]}/").text
    hrefs = TEASER_RE.findall(html)
    base = wp_site.base_url
    assert any(h.startswith(base + "/") and "#" not in h for h in hrefs)
    assert any(h.startswith("/2") for h in hrefs)
    assert any(h.endswith("#respond") for h in hrefs)
    assert any("?utm_campaign=x" in h for h in hrefs)
    assert any(h.startswith("//127.0.0.1:") for h in hrefs)
    assert any(h.startswith("/go/") for h in hrefs)


def test_pagination_trap_is_endless(wp_site: FixtureSite) -> None:
    for page in (1, 2, 57, 123456):
        path = "/category/trap/" if page == 1 else f"/category/trap/page/{page}/"
        html = fetch(wp_site, path).text
        match = NEXT_RE.search(html)
        assert match is not None
        assert match[1] == f"/category/trap/page/{page + 1}/"
        assert TEASER_RE.search(html) is None


def _json_ld_article(html: str) -> dict[str, object]:
    """The NewsArticle/Article node of a page's JSON-LD graph."""
    match = JSON_LD_RE.search(html)
    assert match is not None
    graph = json.loads(match[1])["@graph"]
    node: dict[str, object] = graph[0]
    return node


def test_wordpress_article_markup(wp_site: FixtureSite) -> None:
    article = wp_site.model.articles[2]
    html = fetch(wp_site, article.path).text
    assert f'<link rel="canonical" href="{article.url}">' in html
    assert f'<link rel="https://api.w.org/" href="{wp_site.base_url}/wp-json/">' in html
    assert f'<body class="post-template-default single single-post postid-{article.id}' in html
    assert '<meta property="og:type" content="article">' in html
    assert (
        f'<meta property="article:published_time" content="{article.published.isoformat()}">'
        in html
    )
    assert f'<h1 class="entry-title">{article.title}</h1>' in html
    node = _json_ld_article(html)
    assert node["@type"] == "NewsArticle"
    assert node["headline"] == article.title
    assert node["commentCount"] == len(article.comments)
    assert node["author"] == [{"@type": "Person", "name": n} for n in article.authors]
    assert '<ol class="comment-list">' in html
    assert 'class="comment even thread-even depth-1 parent"' in html
    assert "depth-5" in html and '<ol class="children">' in html
    assert html.count('<li id="comment-') == len(article.comments)
    assert "Leave a Reply" in html


def test_legacy_comment_markup(wp_site: FixtureSite) -> None:
    article = wp_site.model.articles[5]
    assert article.comment_markup == "legacy"
    html = fetch(wp_site, article.path).text
    assert '<ol class="commentlist">' in html
    for comment in article.comments:
        assert f'id="li-comment-{comment.id}"><div id="comment-{comment.id}">' in html
    assert '<cite class="fn">' in html
    assert 'class="comment-list"' not in html


def test_comment_pagination(wp_site: FixtureSite) -> None:
    article = wp_site.model.articles[1]
    threads = article.threads()
    assert len(threads) > COMMENTS_PER_PAGE
    first = fetch(wp_site, article.path).text
    page2_url = f"{article.url}comment-page-2/#comments"
    assert f'<a class="next" href="{page2_url}">Newer Comments</a>' in first
    second = fetch(wp_site, urlsplit(page2_url).path).text
    for index, thread in enumerate(threads):
        on_first = f'id="comment-{thread.id}"' in first
        on_second = f'id="comment-{thread.id}"' in second
        assert (on_first, on_second) == (index < COMMENTS_PER_PAGE, index >= COMMENTS_PER_PAGE)
    assert 'class="prev"' in second and 'class="next"' not in second
    assert fetch(wp_site, f"{article.path}comment-page-3/").status == 404


def test_rest_api_pagination_and_tree(wp_site: FixtureSite) -> None:
    article = wp_site.model.articles[1]
    seen: dict[int, int] = {}
    for page in (1, 2, 3):
        resp = fetch(wp_site, f"/wp-json/wp/v2/comments?post={article.id}&per_page=5&page={page}")
        assert resp.status == 200
        assert resp.headers["Content-Type"] == "application/json; charset=UTF-8"
        assert (resp.headers["X-WP-Total"], resp.headers["X-WP-TotalPages"]) == ("12", "3")
        items = json.loads(resp.body)
        assert len(items) == (2 if page == 3 else 5)
        for item in items:
            seen[item["id"]] = item["parent"]
            assert item["post"] == article.id
            assert item["content"]["rendered"].startswith("<p>")
            assert "+" not in item["date"] and item["date_gmt"]
    assert seen == {c.id: c.parent_id for c in article.comments}
    beyond = fetch(wp_site, f"/wp-json/wp/v2/comments?post={article.id}&per_page=5&page=4")
    assert beyond.status == 400
    assert json.loads(beyond.body)["code"] == "rest_post_invalid_page_number"


def test_rest_api_unknown_post_and_bad_params(wp_site: FixtureSite) -> None:
    empty = fetch(wp_site, "/wp-json/wp/v2/comments?post=999999")
    assert (empty.status, json.loads(empty.body), empty.headers["X-WP-Total"]) == (200, [], "0")
    assert fetch(wp_site, "/wp-json/wp/v2/comments?post=1&per_page=101").status == 400
    default = fetch(wp_site, f"/wp-json/wp/v2/comments?post={wp_site.model.articles[1].id}")
    assert len(json.loads(default.body)) == 10


def test_request_log(wp_site: FixtureSite) -> None:
    wp_site.reset_log()
    before = time.monotonic()
    fetch(wp_site, "/robots.txt", headers={"User-Agent": "TestBot/1.0"})
    fetch(wp_site, "/missing/", headers={"User-Agent": "TestBot/1.0"})
    fetch(wp_site, "/feed/?a=1", method="HEAD")
    after = time.monotonic()
    log = list(wp_site.request_log)
    assert [(e.method, e.path, e.status) for e in log] == [
        ("GET", "/robots.txt", 200),
        ("GET", "/missing/", 404),
        ("HEAD", "/feed/?a=1", 200),
    ]
    assert log[0].user_agent == "TestBot/1.0"
    assert log[0].headers["User-Agent"] == "TestBot/1.0"
    assert before <= log[0].time <= log[1].time <= log[2].time <= after
    wp_site.reset_log()
    assert wp_site.request_log == []


def test_keep_alive_reuses_connection(wp_site: FixtureSite) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port_of(wp_site), timeout=10)
    try:
        conn.request("GET", "/robots.txt")
        first = conn.getresponse()
        first.read()
        sock = conn.sock
        conn.request("GET", "/feed/")
        second = conn.getresponse()
        body = second.read()
        assert (first.status, second.status) == (200, 200)
        assert conn.sock is sock
        assert int(second.headers["Content-Length"]) == len(body)
    finally:
        conn.close()


def test_concurrent_requests(wp_site: FixtureSite) -> None:
    paths = [a.path for a in wp_site.model.articles] * 2
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda p: fetch(wp_site, p).status, paths))
    assert statuses == [200] * len(paths)


def test_host_header_and_absolute_form_ignored(wp_site: FixtureSite) -> None:
    article = wp_site.model.articles[0]
    page = fetch(wp_site, article.path, headers={"Host": "www.example.com"})
    assert page.status == 200
    assert article.url in page.text
    target = f"http://other.example:81{article.path}"
    raw = raw_request(wp_site, f"GET {target} HTTP/1.1\r\nConnection: close\r\n\r\n".encode())
    assert raw.startswith(b"HTTP/1.1 200")


def test_head_has_length_but_no_body(wp_site: FixtureSite) -> None:
    page = fetch(wp_site, "/", method="HEAD")
    assert page.status == 200
    assert page.body == b""
    assert int(page.headers["Content-Length"]) > 0


def test_home_page_links(wp_site: FixtureSite) -> None:
    html = fetch(wp_site, "/").text
    assert '<link rel="alternate" type="application/rss+xml"' in html and 'href="/feed/"' in html
    for article in wp_site.model.articles[:10]:
        assert article.url in html
    for section in wp_site.model.sections:
        assert f'href="/category/{section}/"' in html


def test_tagdiv_article_and_sections(td_site: FixtureSite) -> None:
    article = max(td_site.model.articles[:6], key=lambda a: len(a.comments))
    html = fetch(td_site, article.path).text
    assert '<div class="td-post-header">' in html
    assert '<h1 class="entry-title">' in html
    assert '<div class="td-post-content tagdiv-type">' in html
    assert 'class="td-post-author-name"' in html
    assert 'class="entry-date updated td-module-date"' in html
    assert '<div class="td-post-source-tags">' in html and "td-related-row" in html
    assert f"<span>{len(article.comments)} COMMENTS</span>" in html
    assert html.count('<li class="comment" id="comment-') == len(article.comments)
    assert 'class="td-comment-date"' in html
    assert "LEAVE A REPLY" in html and "Please enter your name here" in html
    assert _json_ld_article(html)["@type"] == "Article"
    section = fetch(td_site, "/category/world/").text
    assert 'href="/category/world/page/2/" class="next" aria-label="next-page"' in section
    assert 'class="entry-title td-module-title"' in section
    assert 'aria-label="next-page"' not in fetch(td_site, "/category/world/page/2/").text
    assert fetch(td_site, "/category/trap/").status == 404


def test_stop_closes_idle_keep_alive_connections() -> None:
    site = FixtureSite(articles=3, now=NOW).start()
    conn = http.client.HTTPConnection("127.0.0.1", port_of(site), timeout=10)
    try:
        conn.request("GET", "/robots.txt")
        conn.getresponse().read()
        started = time.monotonic()
        site.stop()
        assert time.monotonic() - started < 3
        conn.request("GET", "/robots.txt")
        try:
            conn.getresponse()
            raise AssertionError("server still answering after stop()")
        except (http.client.RemoteDisconnected, ConnectionError):
            pass
    finally:
        conn.close()
        site.stop()
