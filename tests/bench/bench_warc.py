"""Benchmark: WARC capture cost and replay speed (prints figures; not a test).

Serves a 2,000-article fixture outlet on loopback and crawls it with ``newsarchive crawl
demo`` (politeness delays off) with WARC capture on and off, alternating, ``--rounds``
times: pages/s ratio on/off (target >= 0.9) and WARC bytes written per byte received.
Then replays the recorded WARCs (``--replay``) and prints replay pages/s.
Run: ``python tests/bench/bench_warc.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

FAST = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "POLITENESS_CRAWL_DELAY_ENABLED": "False",
    "POLITENESS_RETRY_AFTER_ENABLED": "False",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "WARC_DEDUP_ENABLED": "False",
}


def crawl(base_url: str, archive: Path, settings: dict[str, str], *extra: str) -> dict:  # type: ignore[type-arg]
    stats_path = archive.parent / (archive.name + ".stats.json")
    args = [
        sys.executable,
        "-m",
        "crawler.cli",
        "crawl",
        "demo",
        "--archive",
        str(archive),
        "--stats-json",
        str(stats_path),
        "--log-level",
        "ERROR",
        *extra,
    ]
    for name, value in settings.items():
        args += ["-s", f"{name}={value}"]
    env = {**os.environ, "NEWSARCHIVE_DEMO_URL": base_url}
    subprocess.run(args, check=True, cwd=REPO, env=env, capture_output=True)
    stats: dict = json.loads(stats_path.read_text())["demo"]  # type: ignore[type-arg]
    return stats


def rate(stats: dict, key: str = "downloader/response_count") -> float:  # type: ignore[type-arg]
    return float(stats.get(key, 0)) / float(stats["elapsed_time_seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from crawler.fixture_site import FixtureSite

    on, off, ratios = [], [], []
    with (
        tempfile.TemporaryDirectory() as tmp,
        FixtureSite(kind="wordpress", articles=args.articles, seed=7, crawl_delay=0) as site,
    ):
        work = Path(tmp)
        for i in range(args.rounds):
            site.reset_state()
            off.append(crawl(site.base_url, work / f"off{i}", {**FAST, "WARC_ENABLED": "False"}))
            site.reset_state()
            on.append(crawl(site.base_url, work / f"on{i}", FAST))
            ratios.append(rate(on[-1]) / rate(off[-1]))
        replay = crawl(site.base_url, work / "replay", {}, "--replay", str(work / "on0" / "warc"))
    print(
        f"WARC benchmark: {args.articles}-article fixture outlet, concurrency 16, "
        f"{args.rounds} rounds, politeness delays off"
    )
    print(
        f"{'run':14} {'pages':>7} {'seconds':>8} {'pages/s':>8} {'WARC bytes':>12} {'received':>12}"
    )
    for label, runs in (("capture off", off), ("capture on", on)):
        for r in runs:
            print(
                f"{label:14} {r['downloader/response_count']:7d} {r['elapsed_time_seconds']:8.2f} "
                f"{rate(r):8.1f} {r.get('warc/bytes_written', 0):12d} "
                f"{r.get('downloader/response_bytes', 0):12d}"
            )
    written = sum(r["warc/bytes_written"] for r in on)
    received = sum(r["downloader/response_bytes"] for r in on)
    print(f"median pages/s ratio capture on/off: {statistics.median(ratios):.2f} (target >= 0.90)")
    print(
        f"WARC bytes written per byte received: {written / received:.3f} "
        "(gzip per record; received = Scrapy's downloader/response_bytes)"
    )
    print(
        f"replay crawl: {replay.get('replay/served', 0)} responses in "
        f"{replay['elapsed_time_seconds']:.2f} s = {rate(replay, 'replay/served'):.1f} pages/s "
        "(one request at a time)"
    )


if __name__ == "__main__":
    main()
