"""Benchmark: discovery crawl throughput beside a plain Scrapy spider (prints figures).

Serves a 2,000-article fixture outlet on loopback, crawls it with ``newsarchive crawl
demo`` with politeness delays off (no DOWNLOAD_DELAY, Crawl-delay, AutoThrottle or
Retry-After waits; robots.txt still obeyed), then fetches exactly the URLs that crawl
fetched with a bare Scrapy spider using the same concurrency and size cap. Both run in
this one invocation, alternating, ``--rounds`` times; the ratio is ours / plain pages/s
(target >= 0.8). Not a test: run ``python tests/bench/bench_discovery.py``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.common import FAST_SETTINGS, crawl_demo, pages_per_second  # noqa: E402

CONCURRENCY = int(FAST_SETTINGS["CONCURRENT_REQUESTS"])
MAXSIZE = 2 * 1024 * 1024  # the demo outlet's DOWNLOAD_MAXSIZE


def run_ours(base_url: str, workdir: Path) -> dict[str, float]:
    stats = crawl_demo(base_url, workdir / "archive", {**FAST_SETTINGS, "WARC_ENABLED": "False"})
    return _figures(stats)


def run_plain(urls_file: Path, workdir: Path) -> dict[str, float]:
    stats_path = workdir / "plain.json"
    subprocess.run(
        [sys.executable, __file__, "--plain", str(urls_file), "--stats", str(stats_path)],
        check=True,
        cwd=workdir,
        capture_output=True,
    )
    return _figures(json.loads(stats_path.read_text()))


def _figures(stats: dict[str, float]) -> dict[str, float]:
    pages = float(stats.get("downloader/response_count", 0))
    seconds = float(stats["elapsed_time_seconds"])
    return {"pages": pages, "seconds": seconds, "pages_per_s": pages_per_second(stats)}


def plain_spider_main(urls_file: Path, stats_path: Path) -> None:
    """A bare Scrapy spider fetching a URL list: the baseline."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    urls = urls_file.read_text().split()

    class PlainSpider(scrapy.Spider):
        name = "plain"

        async def start(self):  # type: ignore[no-untyped-def]
            for url in urls:
                yield scrapy.Request(url, callback=self.parse, errback=self.failed)

        def parse(self, response):  # type: ignore[no-untyped-def]
            return None

        def failed(self, failure):  # type: ignore[no-untyped-def]
            return None

    process = CrawlerProcess(
        {
            "LOG_LEVEL": "WARNING",
            "ROBOTSTXT_OBEY": False,
            "CONCURRENT_REQUESTS": CONCURRENCY,
            "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY,
            "DOWNLOAD_DELAY": 0,
            "DOWNLOAD_MAXSIZE": MAXSIZE,
            "TELNETCONSOLE_ENABLED": False,
        }
    )
    crawler = process.create_crawler(PlainSpider)
    process.crawl(crawler)
    process.start()
    stats_path.write_text(json.dumps(crawler.stats.get_stats(), default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--plain", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stats", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain:
        plain_spider_main(args.plain, args.stats)
        return
    from crawler.fixture_site import FixtureSite

    ours, plain = [], []
    with (
        tempfile.TemporaryDirectory() as tmp,
        FixtureSite(kind="wordpress", articles=args.articles, seed=7, crawl_delay=0) as site,
    ):
        workdir = Path(tmp)
        for _ in range(args.rounds):
            site.reset_log()
            site.reset_state()
            ours.append(run_ours(site.base_url, workdir))
            paths = [e.path for e in site.request_log if e.path != "/robots.txt"]
            urls_file = workdir / "urls.txt"
            urls_file.write_text("\n".join(dict.fromkeys(site.base_url + p for p in paths)))
            site.reset_state()
            plain.append(run_plain(urls_file, workdir))
    print(
        f"discovery benchmark: {args.articles}-article fixture outlet, concurrency "
        f"{CONCURRENCY}, {args.rounds} rounds, politeness delays off"
    )
    print(f"{'crawler':10} {'pages':>7} {'seconds':>8} {'pages/s':>8}")
    for label, runs in (("newsarchive", ours), ("plain", plain)):
        for r in runs:
            print(f"{label:10} {r['pages']:7.0f} {r['seconds']:8.2f} {r['pages_per_s']:8.1f}")
    ratio = statistics.median(
        o["pages_per_s"] / p["pages_per_s"] for o, p in zip(ours, plain, strict=True)
    )
    print(f"median ratio newsarchive/plain pages/s: {ratio:.2f} (target >= 0.80)")


if __name__ == "__main__":
    main()
