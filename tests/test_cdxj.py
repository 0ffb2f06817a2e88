"""CDXJ indexes are sorted in bounded memory: runs merged from disk give the same order."""

from __future__ import annotations

import random
from pathlib import Path

from pipelines.cdxj import sorted_lines


def _write(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"".join(lines))


def test_runs_merged_from_disk_equal_one_sort(tmp_path: Path) -> None:
    rng = random.Random(5)
    lines = [f"org,example)/{rng.randrange(10**6)} 2026{rng.randrange(10**8):08d} {{}}\n".encode()
             for _ in range(1000)]  # fmt: skip
    source = tmp_path / "unsorted"
    _write(source, [*lines[:500], b"\n", *lines[500:]])  # a blank line is dropped
    merged = list(sorted_lines(source, tmp_path, run_lines=64))
    assert merged == sorted(lines)
    assert len(list(tmp_path.glob("run-*"))) == 16  # 1000 lines in runs of 64


def test_small_index_sorted_in_memory_and_last_line_terminated(tmp_path: Path) -> None:
    source = tmp_path / "unsorted"
    _write(source, [b"b 2 {}\n", b"a 1 {}\n", b"c 3 {}"])
    assert list(sorted_lines(source, tmp_path)) == [b"a 1 {}\n", b"b 2 {}\n", b"c 3 {}\n"]
    assert not list(tmp_path.glob("run-*"))


def test_empty_index(tmp_path: Path) -> None:
    source = tmp_path / "unsorted"
    _write(source, [])
    assert list(sorted_lines(source, tmp_path)) == []
