"""Filling the catalog from the store: CDXJ indexes, record files and crawl manifests.

Which files were read is remembered by store key and size (table ``ingested``), so an
update reads only what is new. Cheap freshness check (:func:`refresh`): one listing of
``crawls/``; every manifest not seen yet names the crawl's index and record files. A full
update (:func:`update` with ``full=True``, and :func:`rebuild`) lists ``index/`` and
``records/`` themselves, so files no manifest names (a crawl killed before its manifest)
are found too.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.access.catalog import Catalog
from crawler.store.backends import Store
from crawler.urls import canonicalize

logger = logging.getLogger(__name__)

INDEX_AREA, RECORDS_AREA, MANIFEST_AREA = "index", "records", "crawls"
Notify = Callable[[str], None]


@dataclass
class UpdateReport:
    """What an update read."""

    files: int = 0
    manifests: int = 0
    damaged: list[str] = field(default_factory=list)


def kind_of(key: str) -> str | None:
    """``index``, ``records`` or None (not a file the catalog reads)."""
    if key.startswith(INDEX_AREA + "/") and key.endswith(".cdxj"):
        return "index"
    if key.startswith(RECORDS_AREA + "/") and key.endswith(".jsonl.gz"):
        return "records"
    return None


def parse_time(value: str | None) -> float | None:
    """Epoch seconds of an ISO 8601 time (``Z`` or offset; naive means UTC)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def iter_gzip_lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Lines of a gzip file (one or more members) streamed from ``chunks``; raises
    ``EOFError`` when the last member is cut short and ``zlib.error`` on damage."""
    decompressor = zlib.decompressobj(wbits=31)
    pending, in_member = b"", False
    for chunk in chunks:
        data = chunk
        while data:
            if decompressor.eof:
                decompressor = zlib.decompressobj(wbits=31)
            pending += decompressor.decompress(data)
            in_member = not decompressor.eof
            data = decompressor.unused_data if decompressor.eof else b""
            *lines, pending = pending.split(b"\n")
            yield from lines
    if in_member:
        raise EOFError("compressed stream ends before its end marker")
    if pending:
        yield pending


def index_row(line: str, key: str) -> dict[str, Any] | None:
    """The catalog columns of one CDXJ line (``None`` for a line that names no response)."""
    _, timestamp, data = line.split(" ", 2)
    fields = json.loads(data)
    if str(fields.get("mime", "")).startswith("warc/request"):
        return None
    ts = timestamp.ljust(14, "0")
    fetched = f"{ts[:4]}-{ts[4:6]}-{ts[6:8]}T{ts[8:10]}:{ts[10:12]}:{ts[12:14]}Z"
    status = str(fields.get("status", ""))
    return {
        "url": fields["url"], "urlkey": canonicalize(fields["url"]),
        "outlet": key.split("/")[1], "fetched_at": fetched, "fetched_epoch": parse_time(fetched),
        "status": int(status) if status.isdigit() else None, "mime": fields.get("mime"),
        "payload_digest": fields.get("digest"), "warc_key": fields["filename"],
        "warc_offset": int(fields["offset"]), "warc_length": int(fields["length"]),
    }  # fmt: skip


def record_row(record: Mapping[str, Any], key: str, line: int) -> dict[str, Any]:
    """The catalog columns of one parsed record found at ``key``, line ``line``."""
    warc = record.get("warc") or {}
    comments = record.get("comments") or {}
    canonical = record.get("canonical_url")
    count = comments.get("found_count")
    if count is None and isinstance(comments.get("items"), list):
        count = len(comments["items"])
    return {
        "url": record["url"], "urlkey": canonicalize(record["url"]),
        "canonical_url": canonical, "canonical_key": canonicalize(canonical) if canonical else None,
        "outlet": record.get("outlet") or key.split("/")[1],
        "fetched_at": record.get("fetched_at"),
        "fetched_epoch": parse_time(record.get("fetched_at")),
        "status": record.get("status"), "payload_digest": warc.get("payload_digest"),
        "warc_key": warc.get("filename"), "warc_offset": warc.get("offset"),
        "warc_length": warc.get("length"), "record_id": warc.get("record_id"),
        "record_key": key, "record_line": line, "title": record.get("title"),
        "published": record.get("published"), "comment_count": count,
    }  # fmt: skip


class _Counted:
    """Chunks of a file, counting their bytes."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.chunks, self.size = chunks, 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.size += len(chunk)
            yield chunk


def ingest_file(catalog: Catalog, key: str, chunks: Iterable[bytes]) -> str | None:
    """Read one index or record file into the catalog, in one transaction. A damaged
    record file keeps the records before the damage and is marked with the error, which
    is returned (and logged with the key)."""
    kind = kind_of(key)
    if kind is None:
        return None
    counted, error, line_no = _Counted(chunks), None, 0
    with catalog.transaction():
        try:
            if kind == "index":
                text = b"".join(counted).decode("utf-8")
                for line in filter(None, text.splitlines()):
                    row = index_row(line, key)
                    if row is not None:
                        catalog.add_index_line(row)
            else:
                for line_no, raw in enumerate(iter_gzip_lines(counted), start=1):
                    if raw.strip():
                        record = json.loads(raw)
                        text = record.get("text") or ""
                        catalog.add_record(record_row(record, key, line_no), raw, text)
        except (EOFError, zlib.error, ValueError, KeyError, IndexError) as exc:
            error = f"line {line_no + 1}: {exc}" if kind == "records" else str(exc)
            logger.warning("Damaged %s file %s skipped from %s", kind, key, error)
        catalog.mark(key, counted.size, kind, error)
    return error


def local_first(store: Store, root: Path | None) -> Callable[[str], Iterable[bytes]]:
    """A reader of store keys that prefers a local copy under ``root`` (the archive, or
    the spool of a crawl whose files are not uploaded yet)."""

    def read(key: str) -> Iterable[bytes]:
        path = root / key if root is not None else None
        if path is not None and path.is_file():
            return _file_chunks(path)
        return store.read(key)

    return read


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            yield chunk


def ingest_keys(
    catalog: Catalog, keys: Iterable[str], read: Callable[[str], Iterable[bytes]]
) -> UpdateReport:
    """Ingest ``keys`` not read before (index files first, so records meet their rows)."""
    report, known = UpdateReport(), catalog.ingested()
    todo = sorted({k for k in keys if kind_of(k) and k not in known}, key=_index_first)
    for key in todo:
        error = ingest_file(catalog, key, read(key))
        report.files += 1
        if error:
            report.damaged.append(f"{key}: {error}")
    return report


def _index_first(key: str) -> tuple[bool, str]:
    return (not key.startswith(INDEX_AREA + "/"), key)


def new_manifests(catalog: Catalog, store: Store) -> list[str]:
    """Manifest keys in the store the catalog has not read (one listing of ``crawls/``)."""
    known = catalog.ingested()
    return [k for k in store.keys(MANIFEST_AREA) if k.endswith(".json") and k not in known]


def manifest_files(manifest: Mapping[str, Any]) -> list[str]:
    return [str(f["key"]) for f in manifest.get("files", []) if kind_of(str(f["key"]))]


def refresh(catalog: Catalog, store: Store, notify: Notify | None = None) -> UpdateReport:
    """Bring the catalog up to date with the manifests in the store."""
    manifests = new_manifests(catalog, store)
    report = UpdateReport()
    if not manifests:
        return report
    if notify:
        notify(f"catalog {catalog.path}: reading {len(manifests)} new crawl manifests"
               f" from {store.description}")  # fmt: skip
    keys: list[str] = []
    for key in manifests:
        keys += manifest_files(json.loads(b"".join(store.read(key))))
    return _ingest(catalog, store, keys, manifests)


def update(catalog: Catalog, store: Store) -> UpdateReport:
    """Ingest every index and record file in the store not read yet (full listing)."""
    manifests = new_manifests(catalog, store)
    keys = [*store.keys(INDEX_AREA), *store.keys(RECORDS_AREA)]
    return _ingest(catalog, store, keys, manifests)


def _ingest(catalog: Catalog, store: Store, keys: list[str], manifests: list[str]) -> UpdateReport:
    """Read ``keys`` into the catalog, then mark ``manifests`` as read."""
    report = ingest_keys(catalog, keys, store.read)
    for key in manifests:
        catalog.mark(key, None, "manifest")
    report.manifests = len(manifests)
    return report


def rebuild(path: Path, store: Store) -> UpdateReport:
    """A new catalog at ``path`` from the store alone (built beside it, then swapped in,
    so a failed rebuild leaves the old catalog as it was)."""
    scratch = path.with_name(path.name + ".rebuild")
    for stale in _sqlite_files(scratch):
        stale.unlink(missing_ok=True)
    with Catalog(scratch) as fresh:
        report = update(fresh, store)
    for stale in _sqlite_files(path)[1:]:
        stale.unlink(missing_ok=True)
    scratch.replace(path)
    return report


def _sqlite_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def after_crawl(catalog: Catalog, store: Store, root: Path, manifest: Mapping[str, Any],
                stored: bool) -> UpdateReport:  # fmt: skip
    """Add a finished crawl's files (read locally where they still are); the manifest
    counts as read only once it is in the store."""
    report = ingest_keys(catalog, manifest_files(manifest), local_first(store, root))
    if stored:
        catalog.mark(f"{MANIFEST_AREA}/{manifest['crawl_id']}.json", None, "manifest")
        report.manifests = 1
    return report


def update_after_crawl(settings: Mapping[str, Any], store: Store, root: Path,
                       manifest: Mapping[str, Any], stored: bool) -> None:  # fmt: skip
    """The end-of-crawl hook: add the crawl to an existing catalog. A missing catalog is
    left to be built from the whole store on first use (one crawl alone would make it look
    complete). Never raises: the crawl's files are safe whatever happens here."""
    from crawler.access.catalog import catalog_path

    path = catalog_path(settings)
    if not path.exists():
        logger.info("No catalog at %s yet; it is built from the store on first use", path)
        return
    try:
        with Catalog(path) as catalog:
            if not catalog.current:
                logger.info("Catalog %s is of another version; rebuilt on first use", path)
                return
            report = after_crawl(catalog, store, root, manifest, stored)
    except Exception:
        logger.warning("Catalog %s not updated after crawl %s; `newsarchive catalog update`"
                       " will catch up", path, manifest.get("crawl_id"), exc_info=True)  # fmt: skip
        return
    logger.info("Catalog %s: added %d files of crawl %s", path, report.files,
                manifest.get("crawl_id"))  # fmt: skip
