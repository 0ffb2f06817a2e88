"""Crash leftovers: a torn .open WARC is recovered (whole records kept), never deleted;
a write failure (file size limit, like a full disk) stops the crawl cleanly."""

from __future__ import annotations

import json
import resource
import shutil
import signal
from pathlib import Path

from crawler.fixture_site import FixtureSite
from pipelines.warc_recovery import recover_open_files
from tests.helpers import run_cli
from tests.warc_util import members, warcio_check

DEAD_PID = 4_000_000  # above Linux's pid_max: no such process


def demo_warc(tmp_path: Path) -> Path:
    archive = tmp_path / "src"
    with FixtureSite(kind="wordpress", articles=4, seed=9, crawl_delay=0) as site:
        result = run_cli(
            "crawl", "demo", "--archive", str(archive), env={"NEWSARCHIVE_DEMO_URL": site.base_url}
        )
    assert result.returncode == 0, result.stderr[-2000:]
    return next((archive / "warc").rglob("*.warc.gz"))


def test_torn_tail_cut_whole_records_kept(tmp_path: Path) -> None:
    source = demo_warc(tmp_path)
    records = members(source)
    last = records[-1]
    root = tmp_path / "archive"
    directory = root / "warc" / "demo" / "2026" / "01" / "01"
    directory.mkdir(parents=True)
    torn = directory / f"newsarchive-20260101000000-00001-otherhost-{DEAD_PID}.warc.gz.open"
    data = source.read_bytes()
    torn.write_bytes(data[: last.offset + last.length // 2])  # crash mid-record
    recovered = recover_open_files(root)
    assert recovered == [torn.with_name(torn.name.removesuffix(".open"))]
    assert not torn.exists()
    kept = members(recovered[0])
    assert len(kept) == len(records) - 1
    assert recovered[0].read_bytes() == data[: last.offset]
    assert warcio_check(recovered[0])[0] == 0


def test_file_of_a_live_writer_left_alone(tmp_path: Path) -> None:
    import os
    import socket

    source = demo_warc(tmp_path)
    directory = tmp_path / "archive" / "warc" / "demo"
    directory.mkdir(parents=True)
    host = socket.gethostname().split(".")[0].replace("-", "_")
    live = directory / f"newsarchive-20260101000000-00001-{host}-{os.getpid()}.warc.gz.open"
    shutil.copy(source, live)
    assert recover_open_files(tmp_path / "archive") == []
    assert live.exists()


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))


def test_write_failure_stops_crawl_cleanly(tmp_path: Path) -> None:
    archive, stats_path = tmp_path / "archive", tmp_path / "stats.json"
    with FixtureSite(kind="wordpress", articles=24, seed=9, crawl_delay=0) as site:
        result = run_cli(
            "crawl", "demo", "--archive", str(archive), "--stats-json", str(stats_path),
            "-s", "WARC_DEDUP_ENABLED=False",
            env={"NEWSARCHIVE_DEMO_URL": site.base_url}, preexec_fn=_limit_file_size,
        )  # fmt: skip
    stats = json.loads(stats_path.read_text())["demo"]
    assert stats["finish_reason"] == "warc_write_error", result.stderr[-2000:]
    assert stats["warc/write_errors"] == 1
    assert "Cannot write WARC record" in result.stderr
    leftovers = list((archive / "warc").rglob("*.open"))
    assert len(leftovers) == 1
    size_before = leftovers[0].stat().st_size
    recovered = recover_open_files(archive)
    assert len(recovered) == 1 and recovered[0].stat().st_size <= size_before
    assert len(members(recovered[0])) >= 2
    assert warcio_check(recovered[0])[0] == 0
