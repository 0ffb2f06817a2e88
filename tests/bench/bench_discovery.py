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
    """The plain spider (``bare_fetch.py``) over the URLs our crawl fetched."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("bare_fetch.py")), str(urls_file),
         "--concurrency", str(CONCURRENCY), "--maxsize", str(MAXSIZE)],
        check=True, cwd=workdir, capture_output=True, text=True,
    )  # fmt: skip
    return _figures(json.loads(done.stdout.strip().splitlines()[-1]))


def _figures(stats: dict[str, float]) -> dict[str, float]:
    pages = float(stats.get("downloader/response_count", 0))
    seconds = float(stats["elapsed_time_seconds"])
    return {"pages": pages, "seconds": seconds, "pages_per_s": pages_per_second(stats)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
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
