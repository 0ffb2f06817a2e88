"""`newsarchive demo`, the README's main command, end to end."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run_cli


def test_demo_crawls_into_the_archive(tmp_path: Path) -> None:
    """As the README runs it: no --archive, so the embedded default ./archive."""
    archive = tmp_path / "archive"
    result = run_cli(
        "demo", "--crawl-delay", "0", "--stats-json", str(tmp_path / "stats.json"), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = dict(line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)
    assert int(lines["Articles"]) > 20
    assert int(lines["Pages fetched"]) > int(lines["Articles"])
    assert str(archive.resolve()) in result.stdout
    ledgers = list((archive / "discovery" / "demo").rglob("*.jsonl"))
    assert len(ledgers) == 1 and not list(archive.rglob("*.open"))
    entries = [json.loads(x) for x in ledgers[0].read_text().splitlines()]
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert sum(e["fate"] == "fetched" for e in entries) == stats["item_scraped_count"]
    warcs = list((archive / "warc" / "demo").rglob("*.warc.gz"))
    indexes = list((archive / "index" / "demo").rglob("*.warc.gz.cdxj"))
    assert warcs and len(indexes) == len(warcs)
    assert stats["warc/records_written"] >= 2 * stats["downloader/response_count"] - 2
    assert len(list((archive / "crawls").glob("*.json"))) == 1
    assert "files stored" in lines["Store"]
    # Pending requests waited on disk (CRAWL_QUEUE_ON_DISK), and the queue is gone.
    assert stats["scheduler/enqueued/disk"] == stats["scheduler/enqueued"] > 0
    assert not (archive / "state" / "queues").exists()


def test_queues_of_dead_crawls_removed_live_ones_kept(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from crawler.queues import remove_stale

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    dead, live = tmp_path / f"{gone}-aa", tmp_path / f"{os.getpid()}-bb"
    for path in (dead, live):
        (path / "requests.queue").mkdir(parents=True)
    assert remove_stale(tmp_path) == [dead]
    assert live.is_dir() and not dead.exists()
