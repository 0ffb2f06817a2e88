"""Exact comment trees from the fixture outlet (html5, legacy, tagDiv, pages, REST)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from crawler.comments import (
    comment_pages,
    extract_comments,
    from_rest,
    merge_pages,
    reconcile,
    rest_api_url,
    wordpress_post_id,
)
from crawler.fixture_site import Article, FixtureSite

BASE = "http://127.0.0.1:8765"


def _site(kind: str) -> FixtureSite:
    site = FixtureSite(kind=kind, articles=24, seed=7)  # type: ignore[arg-type]
    site.model.set_base_url(BASE)
    return site


@pytest.fixture(scope="module")
def wordpress() -> FixtureSite:
    return _site("wordpress")


@pytest.fixture(scope="module")
def tagdiv() -> FixtureSite:
    return _site("tagdiv")


def _page(site: FixtureSite, path: str) -> str:
    return site.router.route(path).body.decode("utf-8")


def _expected(article: Article, markup: str) -> list[dict[str, Any]]:
    """The model's tree in thread order, as the extractor should report it."""
    by_parent: dict[int, list[Any]] = {}
    for comment in article.comments:
        by_parent.setdefault(comment.parent_id, []).append(comment)
    ordered: list[Any] = []
    stack = list(reversed(by_parent.get(0, [])))
    while stack:
        comment = stack.pop()
        ordered.append(comment)
        stack.extend(reversed(by_parent.get(comment.id, [])))
    return [
        {
            "id": str(c.id),
            "parent_id": str(c.parent_id) if c.parent_id else None,
            "depth": c.depth,
            "author": c.author,
            "author_url": c.author_url,
            "published": f"{c.published:%Y-%m-%dT%H:%M}"
            if markup == "legacy"
            else c.published.isoformat(),
            "text": c.text,
        }
        for c in ordered
    ]


def _single_page(site: FixtureSite, markup: str) -> list[Article]:
    return [
        a
        for a in site.model.articles
        if a.comments and a.comment_page_count == 1 and a.comment_markup == markup
    ]


@pytest.mark.parametrize("markup", ["html5", "legacy"])
def test_wordpress_trees_exact(wordpress: FixtureSite, markup: str) -> None:
    articles = _single_page(wordpress, markup)
    assert articles
    for article in articles:
        thread = extract_comments(_page(wordpress, article.path), article.url)
        assert thread["items"] == _expected(article, markup), article.path
        assert thread["status"] == "ok"
        assert thread["complete"] is True
        assert thread["platform"] == "wordpress"
        assert thread["source"] == "html"
        assert thread["declared_count"] == thread["found_count"] == len(article.comments)


def test_deep_chain_depths(wordpress: FixtureSite) -> None:
    deepest = max(
        wordpress.model.articles, key=lambda a: max((c.depth for c in a.comments), default=0)
    )
    thread = extract_comments(_page(wordpress, deepest.path), deepest.url)
    items = thread["items"]
    assert isinstance(items, list)
    assert max(i["depth"] for i in items) == max(c.depth for c in deepest.comments) >= 5


def test_tagdiv_trees_exact(tagdiv: FixtureSite) -> None:
    articles = [a for a in tagdiv.model.articles if a.comments]
    assert articles
    for article in articles:
        thread = extract_comments(_page(tagdiv, article.path), article.url)
        assert thread["platform"] == "tagdiv"
        assert thread["items"] == _expected(article, "html5"), article.path
        assert thread["status"] == "ok"


def test_tagdiv_without_comments_is_empty_not_a_comment(tagdiv: FixtureSite) -> None:
    article = next(a for a in tagdiv.model.articles if not a.comments)
    thread = extract_comments(_page(tagdiv, article.path), article.url)
    assert (thread["platform"], thread["status"], thread["found_count"]) == ("tagdiv", "empty", 0)
    assert thread["complete"] is True


def test_wordpress_without_comments_is_empty(wordpress: FixtureSite) -> None:
    article = next(a for a in wordpress.model.articles if not a.comments)
    thread = extract_comments(_page(wordpress, article.path), article.url)
    assert thread["status"] == "empty"
    assert thread["items"] == []


def _paginated(site: FixtureSite) -> Article:
    return next(a for a in site.model.articles if a.comment_page_count > 1)


def test_first_comment_page_is_partial_and_links_the_rest(wordpress: FixtureSite) -> None:
    article = _paginated(wordpress)
    html = _page(wordpress, article.path)
    thread = extract_comments(html, article.url)
    assert thread["status"] == "partial"
    assert thread["complete"] is False
    pages = [BASE + article.comment_page_path(n) for n in range(2, article.comment_page_count + 1)]
    assert comment_pages(html, article.url) == pages
    second = pages[0]
    assert comment_pages(_page(wordpress, article.comment_page_path(2)), second)[0] == article.url


def test_merged_pages_exact(wordpress: FixtureSite) -> None:
    article = _paginated(wordpress)
    threads = [
        extract_comments(_page(wordpress, article.comment_page_path(n)), article.url)
        for n in range(1, article.comment_page_count + 1)
    ]
    merged = merge_pages(threads + threads[:1])  # a repeated page is deduplicated
    expected = _expected(article, article.comment_markup)
    assert sorted(merged["items"], key=lambda i: i["id"]) == sorted(expected, key=lambda i: i["id"])
    assert merged["status"] == "ok"
    assert merged["found_count"] == merged["declared_count"] == len(article.comments)


def _rest_pages(site: FixtureSite, url: str) -> tuple[list[list[dict[str, object]]], int]:
    response = site.router.route(url.removeprefix(BASE))
    total = int(dict(response.headers)["X-WP-Total"])
    return [json.loads(response.body)], total


def test_rest_thread_and_reconcile(wordpress: FixtureSite) -> None:
    article = _paginated(wordpress)
    html = _page(wordpress, article.path)
    post_id = wordpress_post_id(html)
    assert post_id == article.id
    api = rest_api_url(html, article.url, article.id)
    assert api == f"{BASE}/wp-json/wp/v2/comments?post={article.id}&per_page=100&page=1"
    pages, total = _rest_pages(wordpress, api)
    rest = from_rest(pages, total)
    assert rest["source"] == "rest"
    assert rest["status"] == "ok"
    expected = {i["id"]: i for i in _expected(article, "html5")}
    got = {i["id"]: i for i in rest["items"]}
    assert got == expected
    combined = reconcile(extract_comments(html, article.url), rest)
    assert combined["status"] == "ok"
    assert combined["complete"] is True
    assert {
        i["id"]: (i["parent_id"], i["depth"], i["author"], i["text"]) for i in combined["items"]
    } == {k: (v["parent_id"], v["depth"], v["author"], v["text"]) for k, v in expected.items()}


def test_reconcile_rest_parents_win_html_fields_kept() -> None:
    html_thread = {
        "platform": "wordpress",
        "source": "html",
        "declared_count": None,
        "found_count": 2,
        "complete": True,
        "status": "ok",
        "items": [
            {
                "id": "1",
                "parent_id": None,
                "depth": 1,
                "author": "Ann",
                "author_url": None,
                "published": "2024-01-01T10:00:00+01:00",
                "text": "Hello",
            },
            {
                "id": "2",
                "parent_id": None,
                "depth": 1,
                "author": "Bob",
                "author_url": None,
                "published": None,
                "text": "Reply text",
            },
        ],
    }
    rest_json: list[dict[str, object]] = [
        {
            "id": 2,
            "parent": 1,
            "author_name": "",
            "content": {"rendered": ""},
            "date": "2024-01-01T11:00:00",
            "date_gmt": "2024-01-01T10:00:00",
        },
        {
            "id": 1,
            "parent": 0,
            "author_name": "Ann",
            "content": {"rendered": "<p>Hello</p>"},
            "date": "2024-01-01T10:00:00",
            "date_gmt": "2024-01-01T09:00:00",
        },
    ]
    rest = from_rest([rest_json], 2)
    combined = reconcile(html_thread, rest)
    second = combined["items"][1]  # type: ignore[index]
    assert second == {
        "id": "2",
        "parent_id": "1",
        "depth": 2,
        "author": "Bob",
        "author_url": None,
        "published": "2024-01-01T11:00:00+01:00",
        "text": "Reply text",
    }
    assert reconcile(html_thread, None)["items"] == html_thread["items"]


def test_rest_api_url_absent_and_plain_permalinks() -> None:
    assert rest_api_url("<html><body>x</body></html>", "https://a.example/p/", 5) is None
    plain = '<link rel="https://api.w.org/" href="https://a.example/?rest_route=/">'
    assert rest_api_url(plain, "https://a.example/?p=5", 5, 2) == (
        "https://a.example/?rest_route=/wp/v2/comments&post=5&per_page=100&page=2"
    )
