"""Benchmark: `newsarchive extract` records/s over a WARC of fixture pages (prints figures).

Records a crawl of a 2,000-article fixture outlet into a WARC (capture on, extraction
off), then extracts it with ``newsarchive extract`` using 1 and 2 workers, beside a
bare loop of ``trafilatura.bare_extraction(html, url=..., with_metadata=True)`` over
the same pages in one process. Targets: per worker >= 0.8 of the loop; 2 workers >=
1.6x the loop. The measurements run in turn ``--rounds`` times; the headline ratios are
the median of each round's own (against the loop of the same round: the machine is
shared and noisy, and its speed drifts by 30% within minutes), the best round of each
measurement is printed too. The project's modules are compiled to bytecode first, as an
installed package's are (see :func:`compile_package`).
Run: ``python tests/bench/bench_extract.py [--rounds 3]``.

``--memory-passes N`` instead extracts the pages N times over in this one process (each
pass with its own URLs and a line of its own above the headline, so no cache sees a page
twice) and prints the process's RSS after each pass: whether a long-lived extraction
worker's memory stays flat.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.common import FAST_SETTINGS, bare_rate, crawl_demo  # noqa: E402


def pages_of(warc_dir: Path) -> list[tuple[str, str]]:
    """(html, url) of every article page the extract command would take."""
    from crawler.extract_command import ExtractStats, OutletRules, _all_tasks

    rules = OutletRules(None, 32 * 1024 * 1024)
    return [(html, url) for html, url, _ in
            _all_tasks([str(warc_dir)], None, rules, ExtractStats())]  # fmt: skip


def bare_loop(pages: list[tuple[str, str]]) -> tuple[float, float]:
    """(pages/s, CPU ms per page) of the bare trafilatura loop in this process."""
    import trafilatura

    started, cpu = time.perf_counter(), time.process_time()
    for html, url in pages:
        trafilatura.bare_extraction(html, url=url, with_metadata=True)
    cpu_ms = (time.process_time() - cpu) * 1000 / len(pages)
    return len(pages) / (time.perf_counter() - started), cpu_ms


def compile_package() -> None:
    """Write the bytecode of the project's modules, as installing a package does (pip
    compiles what it installs; the bare loop's trafilatura is compiled so): in a checkout
    run with ``PYTHONDONTWRITEBYTECODE`` set, every ``newsarchive extract`` would compile
    its 120 modules again at its start (0.05 s of each run's start-up here)."""
    command = [sys.executable, "-m", "compileall", "-q", "crawler", "pipelines"]
    subprocess.run(command, check=True, cwd=REPO, capture_output=True)


def children_cpu() -> float:
    """CPU seconds of this process's finished children and their descendants."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def extract_rate(warc_dir: Path, out: Path, workers: int) -> tuple[int, float, float]:
    """(records, records/s, CPU ms per record of all the command's processes)."""
    started, cpu = time.perf_counter(), children_cpu()
    command = [sys.executable, "-m", "crawler.cli", "extract", str(warc_dir), "-o", str(out),
               "--workers", str(workers)]  # fmt: skip
    subprocess.run(command, check=True, cwd=REPO, capture_output=True)
    elapsed = time.perf_counter() - started
    count = sum(1 for _ in out.open())
    return count, count / elapsed, (children_cpu() - cpu) * 1000 / max(1, count)


def memory_passes(pages: list[tuple[str, str]], passes: int) -> None:
    from crawler.memusage import peak_rss, status_bytes
    from crawler.records import build_record

    def rss_mb() -> int:
        return (status_bytes("VmRSS") or 0) // 2**20

    print(f"one process, {len(pages)} pages a pass; start: RSS {rss_mb()} MB")
    context = {"outlet": "bench", "fetched_at": "2026-01-01T00:00:00Z", "status": 200}
    for n in range(1, passes + 1):
        started = time.perf_counter()
        for html, url in pages:
            build_record(html.replace("<h1", f"<p>pass {n}</p><h1", 1), f"{url}?pass={n}",
                         {**context, "warc": None})  # fmt: skip
        peak = (peak_rss() or 0) // 2**20
        print(f"  pass {n}: {n * len(pages)} records, RSS {rss_mb()} MB, peak {peak} MB,"
              f" {time.perf_counter() - started:.0f} s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument(
        "--rounds", type=int, default=3, help="interleaved rounds of the measurements"
    )
    parser.add_argument(
        "--memory-passes",
        type=int,
        default=0,
        help="instead: RSS of one process extracting the pages N times",
    )
    args = parser.parse_args()
    from crawler.fixture_site import FixtureSite

    compile_package()

    with (
        tempfile.TemporaryDirectory() as tmp,
        FixtureSite(kind="wordpress", articles=args.articles, seed=7, crawl_delay=0) as site,
    ):
        work = Path(tmp)
        crawl_demo(site.base_url, work / "archive", {**FAST_SETTINGS, "EXTRACT_ENABLED": "False"})
        warc_dir = work / "archive" / "warc"
        pages = pages_of(warc_dir)
        if args.memory_passes:
            memory_passes(pages, args.memory_passes)
            return
        rounds = [
            (bare_loop(pages), extract_rate(warc_dir, work / "one.jsonl", 1),
             extract_rate(warc_dir, work / "two.jsonl", 2), bare_rate(pages, 2))
            for _ in range(max(1, args.rounds))
        ]  # fmt: skip
    loop = max(r[0][0] for r in rounds)
    one = max((r[1] for r in rounds), key=lambda rate: rate[1])
    two = max((r[2] for r in rounds), key=lambda rate: rate[1])
    print(f"extract benchmark: {len(pages)} article pages from a {args.articles}-article outlet,"
          f" {len(rounds)} rounds")  # fmt: skip
    for n, (bare, first, second, bare_two) in enumerate(rounds, start=1):
        print(f"  round {n}: loop {bare[0]:.1f} pages/s (2 processes {bare_two:.1f}),"
              f" 1 worker {first[1]:.1f}, 2 workers {second[1]:.1f} records/s;"
              f" ratios {first[1] / bare[0]:.2f} / {second[1] / bare[0]:.2f}; CPU ms a page:"
              f" loop {bare[1]:.1f}, extract {first[2]:.1f} / {second[2]:.1f}")  # fmt: skip
    own_one = statistics.median(r[1][1] / r[0][0] for r in rounds)
    own_two = statistics.median(r[2][1] / r[0][0] for r in rounds)
    print(f"ratios, the median of the rounds' own (each against the loop of its round):"
          f" 1 worker {own_one:.2f} (target >= 0.80),"
          f" 2 workers {own_two:.2f} (target >= 1.60)")  # fmt: skip
    print(f"bare trafilatura loop (1 process):   {loop:8.1f} pages/s (best round)")
    print(
        f"newsarchive extract, 1 worker:       {one[1]:8.1f} records/s ({one[0]} records)"
        f"  best round against best loop round {one[1] / loop:.2f}"
    )
    print(
        f"newsarchive extract, 2 workers:      {two[1]:8.1f} records/s ({two[0]} records)"
        f"  best round against best loop round {two[1] / loop:.2f}"
    )
    print(
        "(extract figures include process start, WARC reading and decoding, comments, JSON writing)"
    )
    scaling = statistics.median(r[3] / r[0][0] for r in rounds)
    per_core = statistics.median(r[2][1] / r[3] for r in rounds)
    print(f"the bare loop in 2 processes runs {scaling:.2f}x the loop in one (median of the"
          f" rounds): 2 workers / 2-process loop {per_core:.2f} (the per-worker ratio with"
          " both cores busy)")  # fmt: skip
    loop_cpu = min(r[0][1] for r in rounds)
    one_cpu, two_cpu = min(r[1][2] for r in rounds), min(r[2][2] for r in rounds)
    print(f"CPU per page, least of the rounds: loop {loop_cpu:.1f} ms; extract {one_cpu:.1f} ms"
          f" (1 worker), {two_cpu:.1f} ms (2 workers), all its processes and start-up included;"
          f" loop/extract {loop_cpu / one_cpu:.2f} / {loop_cpu / two_cpu:.2f} (what the ratios"
          " would be per worker on cores of their own: less sensitive to a busy host)")  # fmt: skip


if __name__ == "__main__":
    main()
