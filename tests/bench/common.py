"""Shared by the benchmarks: run ``newsarchive crawl`` in a subprocess, read its stats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]

# Politeness delays off, for throughput measurements against the local fixture site.
FAST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "POLITENESS_CRAWL_DELAY_ENABLED": "False",
    "POLITENESS_RETRY_AFTER_ENABLED": "False",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
}


def crawl_demo(
    base_url: str, archive: Path, settings: dict[str, str], *extra: str
) -> dict[str, Any]:
    """Crawl the demo outlet served at ``base_url`` into ``archive``; return its stats."""
    stats_path = archive.parent / (archive.name + ".stats.json")
    args = [sys.executable, "-m", "crawler.cli", "crawl", "demo", "--archive", str(archive),
            "--stats-json", str(stats_path), "--log-level", "ERROR", *extra]  # fmt: skip
    for name, value in settings.items():
        args += ["-s", f"{name}={value}"]
    env = {**os.environ, "NEWSARCHIVE_DEMO_URL": base_url}
    subprocess.run(args, check=True, cwd=REPO, env=env, capture_output=True)
    stats: dict[str, Any] = json.loads(stats_path.read_text())["demo"]
    return stats


def pages_per_second(stats: dict[str, Any], key: str = "downloader/response_count") -> float:
    """Count under ``key`` per second of crawl time."""
    return float(stats.get(key, 0)) / float(stats["elapsed_time_seconds"])


def _bare_extraction(page: tuple[str, str]) -> None:
    import trafilatura

    trafilatura.bare_extraction(page[0], url=page[1], with_metadata=True)


def bare_rate(pages: list[tuple[str, str]], processes: int) -> float:
    """Pages/s of bare ``trafilatura.bare_extraction`` (with metadata) over ``pages``
    (HTML, URL) in ``processes`` processes, started outside the clock."""
    with ProcessPoolExecutor(processes) as pool:
        list(pool.map(_bare_extraction, pages[:processes]))
        started = time.perf_counter()
        list(pool.map(_bare_extraction, pages, chunksize=16))
        return len(pages) / (time.perf_counter() - started)
