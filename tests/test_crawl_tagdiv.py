"""Crawl the tagDiv-style fixture outlet: each discovery kind finds its articles."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from crawler.fixture_site import FixtureSite
from crawler.urls import canonicalize
from tests.helpers import run_cli


@pytest.fixture(scope="module")
def tagdiv_crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, list[dict], list[str]]:
    out = tmp_path_factory.mktemp("tagdiv")
    with FixtureSite(kind="tagdiv", articles=80, seed=5, crawl_delay=0.05) as site:
        result = run_cli(
            "crawl",
            "fixture-tagdiv",
            "--archive",
            str(out),
            "--stats-json",
            str(out / "s.json"),
            env={"NEWSARCHIVE_TAGDIV_URL": site.base_url},
        )
        assert result.returncode == 0, result.stderr[-3000:]
        listings = {k: {canonicalize(u) for u in v} for k, v in site.model.listings.items()}
        paths = [e.path for e in site.request_log]
    stats = json.loads((out / "s.json").read_text())["fixture-tagdiv"]
    ledger = [json.loads(x) for x in Path(stats["ledger/path"]).read_text().splitlines()]
    return listings, ledger, paths


@pytest.mark.parametrize("kind", ["feed", "sitemap"])
def test_tagdiv_kinds(tagdiv_crawl: tuple[dict, list[dict], list[str]], kind: str) -> None:
    listings, ledger, _ = tagdiv_crawl
    found = {e["url"] for e in ledger if any(p["kind"] == kind for p in e["provenance"])}
    assert listings[kind] and found == listings[kind]


def test_tagdiv_sections_within_page_limit(
    tagdiv_crawl: tuple[dict, list[dict], list[str]],
) -> None:
    listings, ledger, paths = tagdiv_crawl
    found = {e["url"] for e in ledger if any(p["kind"] == "section" for p in e["provenance"])}
    assert found and found <= listings["sitemap"]
    # Two sections configured, max_pages 3 each (80 articles give them 4 pages each),
    # the next link found by its aria-label.
    section_pages = [p for p in paths if p.startswith("/category/")]
    assert len(section_pages) == len(set(section_pages)) == 6


def test_tagdiv_no_refetch(tagdiv_crawl: tuple[dict, list[dict], list[str]]) -> None:
    _, ledger, paths = tagdiv_crawl
    assert max(Counter(paths).values()) == 1
    fetched = [e for e in ledger if e["fate"] == "fetched"]
    assert len(fetched) == len([e for e in ledger if not e["fate"].startswith("filtered")])
