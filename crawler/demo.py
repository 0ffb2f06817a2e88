"""The demo: serve the bundled fixture outlet on loopback and crawl it into the archive."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from crawler.archive import archive_root
from crawler.defaults import NEWSARCHIVE_SETTINGS

DEMO_OUTLET = "demo"
# Environment variable the demo outlet's YAML reads its home URL from.
DEMO_URL_ENV = "NEWSARCHIVE_DEMO_URL"
# Demo site size and pace: small enough to finish in seconds, large enough to paginate.
DEMO_ARTICLES = 24
DEMO_SEED = 7
# robots.txt Crawl-delay of the demo site, in seconds (also what the crawler obeys).
DEMO_CRAWL_DELAY = 0.1


def run_demo(
    *,
    archive: str | None = None,
    config_dir: str | None = None,
    articles: int = DEMO_ARTICLES,
    seed: int = DEMO_SEED,
    crawl_delay: float = DEMO_CRAWL_DELAY,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Start the fixture site, crawl the demo outlet, return stats plus server figures."""
    from crawler.fixture_site import FixtureSite
    from crawler.runner import project_settings, run_crawl

    with FixtureSite(
        kind="wordpress", articles=articles, seed=seed, crawl_delay=crawl_delay
    ) as site:
        os.environ[DEMO_URL_ENV] = site.base_url
        settings = project_settings(config_dir, archive, overrides)
        stats = run_crawl([DEMO_OUTLET], settings)[DEMO_OUTLET]
        served, base_url = len(site.request_log), site.base_url
    return {
        "stats": stats,
        "served": served,
        "base_url": base_url,
        # The add-on applies the default inside the crawler; these settings may predate it.
        "archive": settings["ARCHIVE_URI"] or NEWSARCHIVE_SETTINGS["ARCHIVE_URI"],
    }


def summary_lines(result: dict[str, Any]) -> list[str]:
    """A short human summary of a demo run."""
    stats = result["stats"]
    errors = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("discovery/errors/")}
    root = archive_root(result["archive"]).resolve()
    candidates = sum(v for k, v in stats.items() if k.startswith("discovery/candidates/"))
    handled = ", ".join(f"{k}={v}" for k, v in sorted(errors.items()))
    prefix = "crawl/articles/failed/"
    failed = ", ".join(f"{k[len(prefix):]}={v}" for k, v in sorted(stats.items())
                       if k.startswith(prefix))  # fmt: skip
    lines = [
        f"Demo outlet served at {result['base_url']} ({result['served']} requests answered)",
        f"Pages fetched:   {stats.get('downloader/response_count', 0)}",
        f"Articles:        {stats.get('item_scraped_count', 0)}",
        f"Parsed records:  {stats.get('extract/records', 0)}"
        f" (WARC records: {stats.get('warc/records_written', 0)})",
        f"Candidates:      {candidates}",
        f"Robots-refused:  {stats.get('robotstxt/forbidden', 0)}",
        f"Bad input handled: {handled or 'none'}",
        f"Articles failed: {failed or 'none'}",
        f"Output:          {result['archive'] if '://' in result['archive'] else root}",
    ]
    if stats.get("store/files_closed"):
        spooled = stats.get("store/files_spooled", 0) + stats.get("store/files_conflict", 0)
        waiting = f", {spooled} waiting in the spool {root}" if spooled else ""
        lines.append(f"Store:           {stats.get('store/files_stored', 0)} files stored"
                     f"{waiting}; manifest in crawls/")  # fmt: skip
    if stats.get("ledger/path"):
        lines.append(f"Discovery ledger: {Path(stats['ledger/path']).resolve()}")
    return lines
