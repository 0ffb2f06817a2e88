"""The project's WARC reader: ``.warc``, ``.warc.gz``, ``.wacz`` and directories of them.

Used by replay (and later re-extraction). Records are read with warcio. A truncated or
corrupt file raises :class:`WarcReadError` naming the file and the offset where reading
failed, after every record before that point has been yielded.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

import crawler.warcio_compat  # noqa: F401 - br records readable
from crawler.errors import NewsarchiveError

logger = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
# Bytes of trailing data inspected after the last record (separators are a few bytes).
_TAIL_PEEK = 64


class WarcReadError(NewsarchiveError):
    """A WARC could not be read past ``offset``."""

    def __init__(self, source: str, offset: int, reason: str) -> None:
        offset = max(offset, 0)  # warcio reports negative offsets for whole-file gzip
        super().__init__(f"{source}: unreadable at offset {offset}: {reason}")
        self.source, self.offset = source, offset


@dataclass(frozen=True, slots=True)
class WarcFile:
    """One WARC: a file on disk, or a member of a WACZ (zip) file."""

    path: Path
    member: str | None = None

    @property
    def name(self) -> str:
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """A seekable binary stream of the WARC."""
        if self.member is None:
            with self.path.open("rb") as handle:
                yield handle
            return
        with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as handle:
            yield handle


def warc_files(
    source: str | Path, on_error: Callable[[WarcReadError], None] | None = None
) -> list[WarcFile]:
    """The WARCs in a file, a WACZ or a directory (recursively), sorted by name. An input
    that cannot be listed (missing, not an archive, a WACZ that is no zip) raises
    WarcReadError, or with ``on_error`` is passed to it and left out (the other files of
    a directory are still listed)."""
    path = Path(source)
    try:
        if not path.exists():
            raise WarcReadError(str(path), 0, "no such file or directory")
        if path.is_dir():
            found = [p for p in path.rglob("*") if p.is_file() and _is_archive(p)]
            return [f for p in sorted(found) for f in warc_files(p, on_error)]
        if path.suffix == ".wacz":
            try:
                with zipfile.ZipFile(path) as archive:
                    names = [n for n in archive.namelist() if n.endswith(WARC_SUFFIXES)]
            except (zipfile.BadZipFile, OSError) as exc:
                raise WarcReadError(str(path), 0, f"not a readable WACZ (zip): {exc}") from exc
            return [WarcFile(path, name) for name in sorted(names)]
        if path.name.endswith(WARC_SUFFIXES):
            return [WarcFile(path)]
        raise WarcReadError(str(path), 0, "not a .warc, .warc.gz, .wacz file or a directory")
    except WarcReadError as exc:
        if on_error is None:
            raise
        on_error(exc)
        return []


@lru_cache(maxsize=64)
def wacz_pages(path: Path) -> frozenset[str] | None:
    """The page URLs a WACZ lists in ``pages/pages.jsonl`` (its entry points: for a
    crawl's WACZ, the articles), or None when it lists none or cannot be read."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open("pages/pages.jsonl") as handle:
            lines = handle.read().decode("utf-8", errors="replace").splitlines()
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    urls = set()
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("url"), str):
            urls.add(entry["url"])
    return frozenset(urls) or None


def _is_archive(path: Path) -> bool:
    return path.name.endswith((*WARC_SUFFIXES, ".wacz"))


@dataclass(frozen=True, slots=True)
class WarcEntry:
    """One record read from a WARC: where it is, the parsed record, its raw payload."""

    offset: int
    length: int
    record: ArcWarcRecord
    payload: bytes
    #: The file ends before the record's Content-Length does (a cut-off last record).
    truncated: bool = False

    def __iter__(self) -> Iterator[Any]:  # (offset, record, payload), for unpacking
        return iter((self.offset, self.record, self.payload))


def iter_records(
    warc: WarcFile, *, quiet: bool = False, arc2warc: bool = False
) -> Iterator[WarcEntry]:
    """Each record, in file order: offset, length, record, raw payload.

    ``arc2warc``: an ARC file's records as warcio converts them to WARC ones (a
    ``warcinfo`` for the file header, ``response`` records with WARC-Target-URI and
    WARC-Date), for readers that look only at WARC headers; records as warcio reads them
    by default otherwise.

    The payload is the block after any HTTP header block, as stored (content- and
    transfer-encoded). A record shorter than its Content-Length is yielded with a
    warning (as warcio does); an unreadable record, or bytes left after the last
    record (a cut-off gzip member, which warcio skips quietly), raise WarcReadError
    after every record before them has been yielded.
    """
    with warc.open() as stream:
        iterator = ArchiveIterator(stream, arc2warc=arc2warc)
        offset = 0
        try:
            for record in iterator:
                payload, short = _whole_payload(record, quiet)  # before the offset: it reads on
                offset = iterator.get_record_offset()
                length = iterator.get_record_length()
                yield WarcEntry(offset, length, record, payload, short)
                offset += length
        except WarcReadError:
            raise
        except Exception as exc:  # warcio raises assorted errors on broken input
            raise WarcReadError(warc.name, offset, f"{type(exc).__name__}: {exc}") from exc
        _check_tail(warc, stream, offset)


def _check_tail(warc: WarcFile, stream: IO[bytes], end: int) -> None:
    """warcio ends quietly at a cut-off gzip member: data left over means damage.

    Record separators (CR/LF) after the last record of an uncompressed file are fine.
    """
    size = stream.seek(0, io.SEEK_END)
    if end >= size:
        return
    stream.seek(end)
    tail = stream.read(min(size - end, _TAIL_PEEK))
    if tail.strip(b"\r\n") or size - end > _TAIL_PEEK:
        reason = f"{size - end} bytes after the last whole record (truncated or corrupt)"
        raise WarcReadError(warc.name, end, reason)


def _whole_payload(record: ArcWarcRecord, quiet: bool = False) -> tuple[bytes, bool]:
    """The record's payload, and whether the file ends before its Content-Length does
    (warcio yields such records too: said in a warning unless ``quiet``, kept)."""
    payload: bytes = record.raw_stream.read()
    if record.rec_type not in ("response", "request", "revisit") or not record.http_headers:
        return payload, False  # warcio parses warc-fields blocks itself; nothing to check
    expected = (record.length or 0) - record.http_headers.total_len
    if len(payload) >= expected:
        return payload, False
    if not quiet:
        uri = record.rec_headers.get_header("WARC-Target-URI")
        logger.warning("%s: record truncated: %d of %d payload bytes", uri, len(payload), expected)
    return payload, True


def read_entry_at(warc: WarcFile, stream: IO[bytes], offset: int, length: int) -> WarcEntry:
    """The record of ``length`` bytes at ``offset`` of ``stream`` (``warc`` opened), as
    :func:`iter_records` would yield it with ``arc2warc``; WarcReadError when there is
    no whole record."""
    try:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream, arc2warc=True)))
        return WarcEntry(offset, length, record, *_whole_payload(record))
    except Exception as exc:  # warcio raises assorted errors on broken input
        raise WarcReadError(warc.name, offset, f"{type(exc).__name__}: {exc}") from exc


def read_record_at(warc: WarcFile, offset: int) -> tuple[ArcWarcRecord, bytes]:
    """The record at ``offset`` and its raw block payload (after the HTTP headers)."""
    with warc.open() as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        return record, record.raw_stream.read()
