"""Parsed-record files: ``<root>/records/<outlet>/YYYY/MM/DD/<crawl-id>-<serial>.jsonl.gz``.

Records are appended to a gzip stream written as ``.open``; the file is closed and
renamed when it reaches the configured count, size or age, and at the end of the crawl.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from crawler.archive import dated_dir

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RecordPlace:
    """Where a record was written: file (relative to the archive root) and line (1-based)."""

    filename: str
    line: int


class RecordFileWriter:
    """Appends records as JSON lines to rotating gzip files."""

    def __init__(
        self, root: Path, outlet: str, crawl_id: str, *, max_count: int, max_bytes: int,
        max_age: float, on_close: Callable[[Path], None] | None = None,
    ) -> None:  # fmt: skip
        self.root, self.outlet, self.crawl_id = root, outlet, crawl_id
        self.on_close = on_close
        self.max_count, self.max_bytes, self.max_age = max_count, max_bytes, max_age
        self.serial = 0
        self.closed_files: list[Path] = []
        self._fh: IO[str] | None = None
        self._raw: IO[bytes] | None = None
        self._path: Path | None = None
        self._count = 0
        self._opened_at = 0.0

    def write(self, record: dict[str, Any]) -> RecordPlace:
        """Append one record; rotate first when the current file is full or old."""
        if self._due():
            self.close()
        if self._fh is None:
            self._open()
        assert self._fh is not None and self._path is not None
        self._fh.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._count += 1
        name = str(self._path.relative_to(self.root)).removesuffix(".open")
        return RecordPlace(name, self._count)

    def close(self) -> Path | None:
        """Finish the gzip stream, fsync, rename from ``.open``."""
        if self._fh is None or self._raw is None or self._path is None:
            return None
        self._fh.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        final = self._path.with_name(self._path.name.removesuffix(".open"))
        self._path.replace(final)
        logger.info("Closed record file %s (%d records)", final, self._count)
        self.closed_files.append(final)
        self._fh = self._raw = self._path = None
        if self.on_close is not None:
            self.on_close(final)
        return final

    def _due(self) -> bool:
        if self._fh is None or self._raw is None:
            return False
        too_old = time.monotonic() - self._opened_at >= self.max_age
        return self._count >= self.max_count or self._raw.tell() >= self.max_bytes or too_old

    def _open(self) -> None:
        self.serial += 1
        directory = dated_dir(self.root, "records", self.outlet, datetime.now(UTC))
        directory.mkdir(parents=True, exist_ok=True)
        self._path = directory / f"{self.crawl_id}-{self.serial:05d}.jsonl.gz.open"
        self._raw = self._path.open("xb")
        # level 6 as for WARCs: gzip's default 9 costs twice the CPU for ~1% smaller files
        self._fh = gzip.open(self._raw, "wt", compresslevel=6, encoding="utf-8")  # noqa: SIM115 - closed in close()
        self._count = 0
        self._opened_at = time.monotonic()


def recover_record_files(root: Path) -> list[Path]:
    """Recover ``records/**/*.jsonl.gz.open`` files a crashed crawl left behind.

    Every complete JSON line that decompresses is kept (a torn gzip tail and a cut last
    line are dropped, logged); the file is rewritten as a whole gzip stream and renamed.
    The original bytes are kept beside it as ``.torn`` until the rewrite is complete,
    so nothing is ever deleted before its replacement exists.
    """
    recovered = []
    for path in sorted((root / "records").rglob("*.jsonl.gz.open")):
        if _writer_alive(path):
            continue
        recovered.append(_recover(path))
    return recovered


def _recover(path: Path) -> Path:
    lines, torn = _readable_lines(path)
    final = path.with_name(path.name.removesuffix(".open"))
    backup = path.with_name(path.name + ".torn")
    path.replace(backup)
    partial = final.with_name(final.name + ".rewrite")
    with gzip.open(partial, "wt", encoding="utf-8") as out:
        out.writelines(line + "\n" for line in lines)
    partial.replace(final)
    backup.unlink()
    logger.warning("Recovered %s: %d records kept%s", final, len(lines),
                   ", a torn tail cut" if torn else "")  # fmt: skip
    return final


def _readable_lines(path: Path) -> tuple[list[str], bool]:
    """Complete, parseable JSON lines of a possibly torn gzip file; and whether torn."""
    data, torn = bytearray(), False
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data += decompressor.decompress(path.read_bytes())
    except zlib.error:
        torn = True
    torn = torn or not decompressor.eof
    lines = []
    for raw in bytes(data).decode("utf-8", "replace").split("\n"):
        try:
            json.loads(raw)
        except ValueError:
            torn = torn or bool(raw)
            continue
        lines.append(raw)
    return lines, torn


def _writer_alive(path: Path) -> bool:
    """Record files carry no pid: one modified in the last minute may be in use."""
    return time.time() - path.stat().st_mtime < 60
