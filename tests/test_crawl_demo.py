"""Crawl the demo outlet against the local fixture site and check discovery and politeness.

One crawl (module-scoped) in a subprocess, like a user runs it; assertions read the
fixture server's request log, the discovery ledger, the items and the stats.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.fixture_site import FixtureSite
from crawler.urls import canonicalize
from tests.helpers import run_cli

CRAWL_DELAY = 0.2
# 80 articles: 20 per section, so pages 1-3 (max_pages) leave some articles unlisted.
ARTICLES = 80
MAX_AGE_DAYS = 700  # config/outlets/demo.yaml
# Tolerance for the gap between two requests as the server logs them: the server stamps
# a request when its handler thread starts answering, which can lag by a few ms.
CLOCK_SLACK = 0.03
WINDOW = 8
LATE_STAMP = 0.25


@dataclass
class CrawlRun:
    site: FixtureSite
    base_url: str
    ledger: list[dict[str, Any]]
    items: list[dict[str, Any]]
    stats: dict[str, Any]
    stderr: str

    def entry(self, url: str) -> dict[str, Any]:
        key = canonicalize(url)
        return next(e for e in self.ledger if e["url"] == key)

    def paths(self) -> list[str]:
        return [e.path for e in self.site.request_log]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlRun:
    out = tmp_path_factory.mktemp("demo")
    with FixtureSite(kind="wordpress", articles=ARTICLES, seed=11, crawl_delay=CRAWL_DELAY) as site:
        result = run_cli(
            "crawl",
            "demo",
            "--archive",
            str(out / "archive"),
            "--stats-json",
            str(out / "stats.json"),
            "-o",
            str(out / "items.jsonl"),
            # a ledger memory smaller than the outlet: every ledger assertion below also
            # holds for entries that waited in the ledger's database
            "-s",
            "LEDGER_MEMORY_ENTRIES=16",
            env={"NEWSARCHIVE_DEMO_URL": site.base_url},
        )
        assert result.returncode == 0, result.stderr[-3000:]
        base_url = site.base_url
    stats = json.loads((out / "stats.json").read_text())["demo"]
    ledger_path = Path(stats["ledger/path"])
    ledger = [json.loads(line) for line in ledger_path.read_text().splitlines()]
    items = [json.loads(line) for line in (out / "items.jsonl").read_text().splitlines()]
    return CrawlRun(site, base_url, ledger, items, stats, result.stderr)


def test_ledger_entries_waited_on_disk(crawl: CrawlRun) -> None:
    assert crawl.stats["ledger/entries"] == len(crawl.ledger) > 16
    assert crawl.stats["ledger/entries_stored"] > len(crawl.ledger)
    assert len({e["url"] for e in crawl.ledger}) == len(crawl.ledger)


def discovered(run: CrawlRun, kind: str) -> set[str]:
    return {e["url"] for e in run.ledger if any(p["kind"] == kind for p in e["provenance"])}


def expected(run: CrawlRun, kind: str) -> set[str]:
    """Listed articles of a kind; the ledger also holds the too-old ones, marked."""
    return {canonicalize(u) for u in run.site.model.listings[kind]}


@pytest.mark.parametrize("kind", ["feed", "sitemap", "news_sitemap", "section"])
def test_every_article_found_through_each_kind(crawl: CrawlRun, kind: str) -> None:
    edges = crawl.site.model.edge_urls
    edge = {canonicalize(u) for name, u in edges.items() if name != "redirect_target"}
    found = discovered(crawl, kind) - edge
    assert expected(crawl, kind), f"fixture lists nothing through {kind}"
    assert found == expected(crawl, kind)


def test_edge_cases_come_from_edge_sitemap(crawl: CrawlRun) -> None:
    listed = {canonicalize(u) for u in crawl.site.model.sitemap_edge_urls}
    assert listed <= discovered(crawl, "sitemap")


def test_too_old_articles_are_not_fetched(crawl: CrawlRun) -> None:
    old = [a for a in crawl.site.model.articles if a.old]
    assert old, "fixture has old articles"
    filtered = 0
    for article in old:
        entry = crawl.entry(article.url)
        dated = [p["seen_at"] for p in entry["provenance"] if p["date"]]
        assert dated, "the archive sitemap dates every old article"
        if entry["fate"] == "filtered:too_old":
            filtered += 1
            assert urlsplit(article.url).path not in crawl.paths()
        else:
            # Fetched only because no source had dated it when it went to the downloader.
            assert entry["fate"] == "fetched" and min(dated) > entry["admitted_at"], entry
    # Old articles beyond the section pages crawled are only ever seen with a date.
    undated_sources = {canonicalize(u) for u in crawl.site.model.section_listing(3)}
    only_dated = [a for a in old if canonicalize(a.url) not in undated_sources]
    assert only_dated, "fixture has old articles reachable only through dated sources"
    assert filtered >= len(only_dated)
    cutoff = datetime.now(UTC) - timedelta(days=MAX_AGE_DAYS)
    assert all(a.published < cutoff for a in old)


def test_no_url_fetched_twice(crawl: CrawlRun) -> None:
    retried = {urlsplit(crawl.site.model.edge_urls[n]).path for n in ("rate_limited", "flaky")}
    counts = Counter(crawl.paths())
    twice = {p: n for p, n in counts.items() if n > 1 and p not in retried}
    assert twice == {}
    for path in retried:
        assert counts[path] == 2, f"{path} retried exactly once"


def test_robots_disallowed_never_requested(crawl: CrawlRun) -> None:
    assert not [p for p in crawl.paths() if p.startswith(("/private/", "/wp-admin/"))]
    entry = crawl.entry(crawl.site.model.edge_urls["private"])
    assert entry["fate"] == "robots_disallowed"
    assert crawl.stats["robotstxt/forbidden"] >= 1


def test_crawl_delay_respected(crawl: CrawlRun) -> None:
    log = sorted(crawl.site.request_log, key=lambda e: e.time)
    gaps = [(b.time - a.time, a.path, b.path) for a, b in itertools.pairwise(log)]
    assert len(gaps) > 40
    # The server stamps a request when its thread runs; on a busy 2-core machine that can
    # be late by a scheduler slice, which shortens one gap and lengthens the next. So the
    # rule is checked where such jitter cancels out: the median gap, and every run of
    # WINDOW consecutive gaps (allowing one late stamp of up to LATE_STAMP). A crawler
    # that ignored Crawl-delay (4 requests in flight) fails all of these by far.
    values = sorted(g[0] for g in gaps)
    assert values[len(values) // 2] >= CRAWL_DELAY - CLOCK_SLACK, sorted(gaps)[:3]
    spans = [sum(g[0] for g in gaps[i : i + WINDOW]) for i in range(len(gaps) - WINDOW + 1)]
    assert min(spans) >= WINDOW * CRAWL_DELAY - LATE_STAMP, sorted(gaps)[:3]
    assert log[-1].time - log[0].time >= len(gaps) * CRAWL_DELAY - LATE_STAMP
    assert crawl.stats["politeness/crawl_delay/127.0.0.1"] == CRAWL_DELAY


def test_429_retried_after_retry_after(crawl: CrawlRun) -> None:
    path = urlsplit(crawl.site.model.edge_urls["rate_limited"]).path
    hits = [e for e in crawl.site.request_log if e.path == path]
    assert [h.status for h in hits] == [429, 200]
    assert hits[1].time - hits[0].time >= 1.0 - CLOCK_SLACK  # the fixture's Retry-After: 1
    assert crawl.entry(crawl.site.model.edge_urls["rate_limited"])["fate"] == "fetched"


def test_500_retried_then_fetched(crawl: CrawlRun) -> None:
    path = urlsplit(crawl.site.model.edge_urls["flaky"]).path
    assert [e.status for e in crawl.site.request_log if e.path == path] == [500, 200]


def test_user_agent_names_project_and_contact(crawl: CrawlRun) -> None:
    agents = {e.user_agent for e in crawl.site.request_log}
    assert len(agents) == 1
    agent = agents.pop()
    assert agent.startswith("newsarchive/") and "+http" in agent


@pytest.mark.parametrize(
    ("edge", "fate", "stat"),
    [
        ("not_found", "failed:http_404", "crawl/articles/failed/http_404"),
        ("gone", "failed:http_410", "crawl/articles/failed/http_410"),
        ("huge", "failed:too_large", "crawl/articles/failed/too_large"),
        ("gzip_bomb", "failed:too_large", "crawl/articles/failed/too_large"),
        ("redirect_loop", "failed:redirect_loop", "discovery/errors/redirect_loop"),
        ("offsite_redirect", "failed:offsite_redirect", "discovery/errors/offsite_redirect"),
        ("truncated_gzip", "fetched", "crawl/errors/truncated_body"),
    ],
)
def test_bad_input_is_logged_counted_and_survived(
    crawl: CrawlRun, edge: str, fate: str, stat: str
) -> None:
    url = crawl.site.model.edge_urls[edge]
    assert crawl.entry(url)["fate"] == fate
    assert crawl.stats.get(stat, 0) >= 1
    assert urlsplit(url).path in crawl.stderr or url in crawl.stderr


def test_truncated_body_flagged_on_item(crawl: CrawlRun) -> None:
    url = canonicalize(crawl.site.model.edge_urls["truncated_gzip"])
    item = next(i for i in crawl.items if i["requested_url"] == url)
    assert item["truncated"] is True
    assert crawl.entry(url)["detail"].startswith("compressed body truncated")


def test_offsite_target_never_requested(crawl: CrawlRun) -> None:
    # The off-domain redirect points at "localhost": the server would log the path.
    target = urlsplit(crawl.site.model.edge_urls["offsite_target"])
    hits = [e for e in crawl.site.request_log if e.headers.get("Host", "").startswith("localhost")]
    assert hits == [], target


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("feed_malformed", "/feed/broken/"),
        ("sitemap_not_xml", "/sitemap-html.xml"),
        ("pagination_limit", "/category/trap/"),
    ],
)
def test_bad_sources_logged_with_outlet_and_url(crawl: CrawlRun, kind: str, message: str) -> None:
    assert crawl.stats[f"discovery/errors/{kind}"] >= 1
    lines = [ln for ln in crawl.stderr.splitlines() if f"[{kind}]" in ln and message in ln]
    assert lines and all("outlet demo" in ln for ln in lines)


def test_trap_pagination_bounded(crawl: CrawlRun) -> None:
    trap_pages = [p for p in crawl.paths() if p.startswith("/category/trap/")]
    assert len(trap_pages) == 3  # max_pages in demo.yaml


def test_redirect_chain_followed_once(crawl: CrawlRun) -> None:
    model = crawl.site.model
    chain = urlsplit(model.edge_urls["redirect_chain"]).path
    target = urlsplit(model.edge_urls["redirect_target"]).path
    counts = Counter(crawl.paths())
    assert counts[chain] == 1 and counts[target] == 1
    hops = [p for p in counts if p.startswith("/hop/")]
    assert len(hops) == 1
    entry = crawl.entry(model.edge_urls["redirect_target"])
    assert entry["fate"] == "fetched"
    assert "section" in {p["kind"] for p in entry["provenance"]}


@pytest.mark.parametrize("edge", ["gzip", "brotli", "chunked", "charset_meta"])
def test_encoded_articles_decoded(crawl: CrawlRun, edge: str) -> None:
    url = canonicalize(crawl.site.model.edge_urls[edge])
    item = next(i for i in crawl.items if i["requested_url"] == url)
    article = crawl.site.model.edge_articles[edge]
    assert item["status"] == 200
    assert item["title"] == article.title
    assert item["canonical_url"] == canonicalize(url)


def test_items_carry_provenance(crawl: CrawlRun) -> None:
    normal = {canonicalize(a.url) for a in crawl.site.model.articles if not a.old}
    fetched = {i["requested_url"] for i in crawl.items}
    assert normal <= fetched
    for item in crawl.items:
        assert item["discovery"], item["url"]
        first = item["discovery"][0]
        assert first["source"].startswith(crawl.base_url)
        assert first["kind"] in {"feed", "sitemap", "news_sitemap", "section", "home"}
    dated = [p for i in crawl.items for p in i["discovery"] if p["kind"] == "news_sitemap"]
    assert dated and all(p["date"] and p["title"] for p in dated)


def test_settle_gc_freezes_start_up_objects_and_raises_the_threshold() -> None:
    import gc

    from crawler.startup import GC_THRESHOLD, settle_gc

    before = gc.get_threshold()
    try:
        settle_gc()
        assert gc.get_freeze_count() > 10_000  # the imported modules' objects at least
        assert gc.get_threshold() == GC_THRESHOLD
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_memory_peaks_are_the_crawl_and_worker_processes_own(crawl: CrawlRun) -> None:
    # crawler.memusage: VmHWM of the crawl process, not ru_maxrss (which would include the
    # peak of this test process, which started it)
    startup, peak = crawl.stats["memusage/startup"], crawl.stats["memusage/max"]
    assert 0 < startup <= peak < 1024 * 2**20
    assert 0 < crawl.stats["extract/worker_memusage_max"] < 1024 * 2**20
