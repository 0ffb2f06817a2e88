"""Recover ``.open`` WARC files a crashed crawl left behind.

Whole records are kept, a torn last record is cut off (the file is truncated at the end
of the last record that reads back completely), and the file is renamed to its final
name and indexed. A file whose writer process is still alive on this host is left alone.
Nothing is ever deleted.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections.abc import Callable
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

import crawler.warcio_compat  # noqa: F401 - br records readable
from crawler.archive import hostname
from pipelines.warc_writer import OPEN_SUFFIX

logger = logging.getLogger(__name__)


def last_good_offset(path: Path) -> tuple[int, int]:
    """(end offset of the last complete record, number of complete records)."""
    good, count, last = 0, 0, 0
    with path.open("rb") as fh:
        iterator = ArchiveIterator(fh, check_digests=False)
        try:
            for record in iterator:
                record.content_stream().read()
                iterator.read_to_end(record)
                last, good = good, iterator.get_record_offset() + iterator.get_record_length()
                count += 1
        except Exception as exc:  # any parse failure marks the torn tail
            logger.debug("%s: stops reading at offset %d: %s", path, good, exc)
    # warcio reads a cut-off final gzip member without complaint: check it ends properly.
    if count and not _member_complete(path, last, good):
        return last, count - 1
    return good, count


def _member_complete(path: Path, start: int, end: int) -> bool:
    with path.open("rb") as fh:
        fh.seek(start)
        data = fh.read(end - start)
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        decompressor.decompress(data)
    except zlib.error:
        return False
    return decompressor.eof


def writer_alive(path: Path) -> bool:
    """Whether the process named in the file name is running on this host."""
    parts = path.name.removesuffix(OPEN_SUFFIX).removesuffix(".warc.gz").rsplit("-", 2)
    if len(parts) != 3 or parts[1] != hostname() or not parts[2].isdigit():
        return False
    try:
        os.kill(int(parts[2]), 0)  # signal 0: existence check only
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by another user
    return True


def recover_open_files(
    root: Path, on_recovered: Callable[[Path], None] | None = None
) -> list[Path]:
    """Recover every abandoned ``.open`` WARC under ``root/warc``; return the final paths."""
    recovered = []
    for path in sorted((root / "warc").rglob("*.warc.gz" + OPEN_SUFFIX)):
        if writer_alive(path):
            logger.info("%s: still being written by a running process; left alone", path)
            continue
        recovered.append(recover_file(path))
        if on_recovered is not None:
            on_recovered(recovered[-1])
    return recovered


def recover_file(path: Path) -> Path:
    """Cut a torn tail off one ``.open`` WARC and rename it; return the final path."""
    size = path.stat().st_size
    good, count = last_good_offset(path)
    if good < size:
        with path.open("r+b") as fh:
            fh.truncate(good)
            fh.flush()
            os.fsync(fh.fileno())
    final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
    path.replace(final)
    logger.warning(
        "Recovered %s: %d whole records kept, %d bytes of torn tail cut", final, count, size - good
    )
    return final
