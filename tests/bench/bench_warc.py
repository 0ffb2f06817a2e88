"""Benchmark: WARC capture cost and replay speed (prints figures; not a test).

Serves a 2,000-article fixture outlet on loopback and crawls it with ``newsarchive crawl
demo`` (politeness delays off) with WARC capture on and off, alternating, ``--rounds``
times: pages/s ratio on/off (target >= 0.9) and WARC bytes written per byte received.
Then replays the recorded WARCs (``--replay``) and prints replay pages/s.
Run: ``python tests/bench/bench_warc.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.common import FAST_SETTINGS, crawl_demo, pages_per_second  # noqa: E402

FAST = {**FAST_SETTINGS, "WARC_DEDUP_ENABLED": "False"}
crawl, rate = crawl_demo, pages_per_second


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
