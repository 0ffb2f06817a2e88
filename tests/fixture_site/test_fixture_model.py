"""Model construction: determinism, dates, comment trees, edge bookkeeping."""

from __future__ import annotations

import re
from datetime import UTC, timedelta
from urllib.parse import urlsplit

import pytest

from crawler.fixture_site import (
    COMMENTS_PER_PAGE,
    SECTION_PAGES_LISTED,
    FixtureSite,
    build_model,
)
from tests.fixture_site.conftest import NOW
from tests.fixture_site.http_util import fetch

ARTICLE_PATH = re.compile(r"^/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/$")


def _netloc(site: FixtureSite) -> bytes:
    """``127.0.0.1:PORT`` of a running site."""
    return urlsplit(site.base_url).netloc.encode()


def test_same_seed_same_model_different_seed_different() -> None:
    first = build_model("wordpress", 24, 7, NOW)
    again = build_model("wordpress", 24, 7, NOW)
    other = build_model("wordpress", 24, 8, NOW)
    assert first == again
    assert [a.title for a in first.articles] == [a.title for a in again.articles]
    assert [a.title for a in first.articles] != [a.title for a in other.articles]
    assert first.articles[0].paragraphs != other.articles[0].paragraphs


def test_same_seed_identical_page_bytes() -> None:
    with (
        FixtureSite(articles=24, seed=7, now=NOW) as one,
        FixtureSite(articles=24, seed=7, now=NOW) as two,
    ):
        for path in (one.model.articles[1].path, "/category/world/", "/feed/", "/"):
            body_one = fetch(one, path).body.replace(_netloc(one), b"HOST")
            body_two = fetch(two, path).body.replace(_netloc(two), b"HOST")
            assert body_one == body_two, path
            assert b"http://HOST/" in body_one


def test_default_now_is_aware_and_truncated_to_hour() -> None:
    site = FixtureSite(articles=3)
    assert site.now.tzinfo is not None
    assert (site.now.minute, site.now.second, site.now.microsecond) == (0, 0, 0)
    assert all(a.published <= site.now for a in site.model.articles)


def test_naive_now_and_bad_kind_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        FixtureSite(now=NOW.replace(tzinfo=None))
    with pytest.raises(ValueError, match="kind"):
        FixtureSite(kind="drupal")  # type: ignore[arg-type]


def test_article_dates_spread_recent_middle_old() -> None:
    model = build_model("wordpress", 24, 7, NOW)
    recent = [a for a in model.articles if NOW - a.published < timedelta(hours=48)]
    old = [a for a in model.articles if a.old]
    assert len(recent) == 6
    assert len(old) == 3
    assert all(NOW - a.published > timedelta(days=730) for a in old)
    published = [a.published for a in model.articles]
    assert published == sorted(published, reverse=True)
    offsets = {a.published.utcoffset() for a in model.articles}
    assert {timedelta(hours=2), timedelta(hours=-5)} <= offsets
    assert all(a.published <= a.modified <= NOW for a in model.articles)


def test_article_fields_shape() -> None:
    model = build_model("wordpress", 24, 7, NOW)
    ids = [a.id for a in model.articles]
    assert len(set(ids)) == len(ids)
    for article in model.articles:
        assert ARTICLE_PATH.match(article.path)
        assert article.path == f"/{article.published:%Y/%m/%d}/{article.slug}/"
        assert 1 <= len(article.authors) <= 2
        assert 4 <= len(article.paragraphs) <= 9
        assert 0 <= len(article.comments) <= 12
        assert article.section in model.sections
        assert model.article_by_path[article.path] is article


def test_comment_trees_consistent() -> None:
    model = build_model("wordpress", 24, 7, NOW)
    for article in model.articles:
        by_id = {c.id: c for c in article.comments}
        for comment in article.comments:
            if comment.parent_id == 0:
                assert comment.depth == 1
            else:
                parent = by_id[comment.parent_id]
                assert comment.depth == parent.depth + 1
                assert parent.published <= comment.published
            assert article.published <= comment.published <= NOW
    depths = [max((c.depth for c in a.comments), default=0) for a in model.articles]
    assert max(depths) >= 4
    assert any(len(a.threads()) > COMMENTS_PER_PAGE for a in model.articles)
    markups = [a.comment_markup for a in model.articles]
    assert markups.count("legacy") == 4
    assert all(len(a.comments) >= 3 for a in model.articles if a.comment_markup == "legacy")


def test_edge_bookkeeping() -> None:
    model = build_model("wordpress", 24, 7, NOW)
    article_like = [
        "gzip",
        "brotli",
        "chunked",
        "charset_meta",
        "rate_limited",
        "flaky",
        "huge",
        "gzip_bomb",
        "truncated_gzip",
        "not_found",
        "gone",
    ]
    for name in article_like:
        assert ARTICLE_PATH.match(model.edge_paths[name]), name
        assert model.edge_paths[name] not in model.article_by_path
    for name in article_like[:9]:
        article = model.edge_articles[name]
        assert timedelta(days=2) <= NOW - article.published <= timedelta(days=30)
        assert not article.old
    assert model.edge_paths["redirect_chain"].startswith("/go/")
    assert model.edge_paths["private"].startswith("/private/")
    assert "redirect_chain" not in model.sitemap_edge_names
    assert "private" in model.sitemap_edge_names
    target = model.redirect_target()
    assert target is not None and target in model.articles


def test_tagdiv_has_no_edges() -> None:
    model = build_model("tagdiv", 24, 7, NOW)
    assert model.edge_urls == {}
    assert model.edge_articles == {}
    assert model.listings["news_sitemap"] == set()


def test_listings_before_and_after_start() -> None:
    site = FixtureSite(articles=24, seed=7, now=NOW)
    assert all(url.startswith("/") for url in site.model.listings["sitemap"])
    with pytest.raises(RuntimeError):
        _ = site.base_url
    with site:
        base = site.base_url
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)
        for kind in ("feed", "sitemap", "news_sitemap", "section"):
            urls = site.model.listings[kind]
            assert urls, kind
            assert all(u.startswith(base + "/") for u in urls), kind
        assert site.model.listings["section"] == site.model.section_listing(SECTION_PAGES_LISTED)
        assert site.model.articles[0].url == base + site.model.articles[0].path


def test_large_site_builds_and_serves() -> None:
    with FixtureSite(articles=2000, seed=3, now=NOW.astimezone(UTC)) as site:
        assert len(site.model.articles) == 2000
        assert len({a.path for a in site.model.articles}) == 2000
        page = fetch(site, "/category/world/")
        assert page.status == 200
        assert 'class="next page-numbers" href="/category/world/page/2/"' in page.text
        assert len(site.model.listings["section"]) == 4 * 5 * SECTION_PAGES_LISTED
