"""Rotating WARC files in the archive layout, written as ``.open`` and renamed when closed.

``<root>/warc/<outlet>/<YYYY>/<MM>/<DD>/<prefix>-<YYYYmmddHHMMSS>-<serial>-<host>-<pid>.warc.gz``
One gzip member per record; a ``warcinfo`` record first; rotated by size and age. When a
file is closed its CDXJ index is written to ``<root>/index/<same path>.cdxj``.
"""

from __future__ import annotations

import io
import logging
import os
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter

from crawler.archive import dated_dir, hostname
from pipelines.warc_records import RecordFactory

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"


@dataclass(frozen=True, slots=True)
class RecordLocation:
    """Where one record was written: one ranged read fetches it."""

    filename: str  # path relative to the archive root
    offset: int
    length: int
    record_id: str


def index_path(root: Path, warc: Path) -> Path:
    """The CDXJ path of a WARC: same relative path under ``index/``, ``.cdxj`` appended."""
    relative = warc.relative_to(root / "warc")
    return root / "index" / relative.parent / (relative.name + ".cdxj")


class RotatingWarcWriter:
    """Appends records to the current WARC of one outlet, rotating by size and age."""

    def __init__(
        self,
        root: Path,
        outlet: str,
        factory: RecordFactory,
        *,
        prefix: str,
        max_size: int,
        max_age: float,
        info: dict[str, str],
        gzip_level: int,
        on_close: Callable[[Path], None] | None = None,
    ) -> None:
        self.root, self.outlet, self.factory = root, outlet, factory
        self.prefix, self.max_size, self.max_age, self.info = prefix, max_size, max_age, info
        self.on_close = on_close
        self.gzip_level = gzip_level
        self.serial = 0
        self.closed_files: list[Path] = []
        self._fh: BinaryIO | None = None
        self._path: Path | None = None
        self._opened_at = 0.0

    def write(self, records: Iterable[ArcWarcRecord]) -> list[RecordLocation]:
        """Write records (one exchange) to the current file; rotate first if due."""
        self._rotate_if_due()
        assert self._fh is not None and self._path is not None
        name = str(self._final(self._path).relative_to(self.root))
        locations = []
        for record in records:
            offset = self._fh.tell()
            self._write_member(record)
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            locations.append(RecordLocation(name, offset, self._fh.tell() - offset, record_id))
        self._fh.flush()
        return locations

    def close(self) -> Path | None:
        """Close the current file: fsync, rename from ``.open``, index. Returns its path."""
        if self._fh is None or self._path is None:
            return None
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        final = self._final(self._path)
        self._path.replace(final)
        self._fh = self._path = None
        self.closed_files.append(final)
        logger.info("Closed WARC %s (%d bytes)", final, final.stat().st_size)
        if self.on_close is not None:
            self.on_close(final)
        return final

    @property
    def current_size(self) -> int:
        return self._fh.tell() if self._fh is not None else 0

    def _rotate_if_due(self) -> None:
        if self._fh is not None:
            too_big = self._fh.tell() >= self.max_size
            too_old = time.monotonic() - self._opened_at >= self.max_age
            if not (too_big or too_old):
                return
            self.close()
        self._open()

    def _open(self) -> None:
        now = datetime.now(UTC)
        self.serial += 1
        name = (
            f"{self.prefix}-{now:%Y%m%d%H%M%S}-{self.serial:05d}-{hostname()}-{os.getpid()}.warc.gz"
        )
        directory = dated_dir(self.root, "warc", self.outlet, now)
        directory.mkdir(parents=True, exist_ok=True)
        self._path = directory / (name + OPEN_SUFFIX)
        self._fh = self._path.open("xb")
        self._opened_at = time.monotonic()
        self._write_member(self.factory.warcinfo(name, self.info))
        logger.info("Opened WARC %s", self._path)

    def _write_member(self, record: ArcWarcRecord) -> None:
        """Serialise with warcio, then write as one gzip member at ``gzip_level``.

        (warcio's own gzip wrapper always compresses at level 9.)
        """
        assert self._fh is not None
        buffer = io.BytesIO()
        WARCWriter(buffer, gzip=False, warc_version=f"WARC/{self.factory.version}").write_record(
            record
        )
        compressor = zlib.compressobj(self.gzip_level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self._fh.write(compressor.compress(buffer.getvalue()) + compressor.flush())

    @staticmethod
    def _final(path: Path) -> Path:
        return path.with_name(path.name.removesuffix(OPEN_SUFFIX))
