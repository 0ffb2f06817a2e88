"""``newsarchive export``: parsed records to JSON lines, CSV or Parquet, streamed.

Records come from :class:`crawler.access.records.RecordStream` and leave in batches of
:data:`BATCH`, so memory stays flat whatever the number of records.

Parquet schema (:data:`SCHEMA`; the record schema's fields, typed):

- ``schema``, ``url``, ``canonical_url``, ``outlet``, ``title``, ``language``,
  ``description``, ``section``, ``image``, ``text``, ``extraction_status``: string
- ``fetched_at``: timestamp (microseconds, UTC)
- ``published``, ``modified``: string, ISO 8601 as the page states it (with its offset, or
  a date alone: mixed precision does not fit one timestamp type)
- ``status``, ``word_count``: int32
- ``authors``, ``tags``: list<string>
- ``warc``: struct<filename, offset: int64, length: int64, record_id, payload_digest>
- ``comments``: struct<platform, source, declared_count: int32, found_count: int32,
  complete: bool, status, items: list<struct<id, parent_id, depth: int32, author,
  author_url, published, text>>>
- ``extractor``: map<string, string> (component: version)

CSV has one row per record with the scalar fields, lists joined by ``"; "``, the WARC
location flattened (``warc_filename``, ``warc_offset``, ...) and ``comment_count`` instead
of the thread (use JSON lines or Parquet for comments).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa

from crawler.errors import NewsarchiveError, writable_output

#: Records per Parquet row group / Arrow batch. 1,000 parsed records are ~5-10 MB in
#: memory (article text dominates): large enough for efficient column chunks, small
#: enough that peak memory stays flat.
BATCH = 1000
FORMATS = ("jsonl", "csv", "parquet")

_STR = pa.string()
COMMENT = pa.struct([("id", _STR), ("parent_id", _STR), ("depth", pa.int32()),
                     ("author", _STR), ("author_url", _STR), ("published", _STR),
                     ("text", _STR)])  # fmt: skip
SCHEMA = pa.schema([
    ("schema", _STR), ("url", _STR), ("canonical_url", _STR), ("outlet", _STR),
    ("fetched_at", pa.timestamp("us", tz="UTC")), ("status", pa.int32()),
    ("warc", pa.struct([("filename", _STR), ("offset", pa.int64()), ("length", pa.int64()),
                        ("record_id", _STR), ("payload_digest", _STR)])),
    ("title", _STR), ("authors", pa.list_(_STR)), ("published", _STR), ("modified", _STR),
    ("language", _STR), ("description", _STR), ("section", _STR), ("tags", pa.list_(_STR)),
    ("image", _STR), ("text", _STR), ("word_count", pa.int32()),
    ("comments", pa.struct([("platform", _STR), ("source", _STR),
                            ("declared_count", pa.int32()), ("found_count", pa.int32()),
                            ("complete", pa.bool_()), ("status", _STR),
                            ("items", pa.list_(COMMENT))])),
    ("extractor", pa.map_(_STR, _STR)), ("extraction_status", _STR),
])  # fmt: skip
CSV_COLUMNS = [
    "url", "canonical_url", "outlet", "fetched_at", "status", "title", "authors",
    "published", "modified", "language", "description", "section", "tags", "image",
    "word_count", "comment_count", "extraction_status", "warc_filename", "warc_offset",
    "warc_length", "warc_record_id", "warc_payload_digest", "text",
]  # fmt: skip


class ExportError(NewsarchiveError):
    """An export could not be written (names the output)."""


@dataclass
class ExportReport:
    """How many records were written, and the record files that were damaged."""

    records: int = 0
    damaged: list[str] = field(default_factory=list)


def arrow_row(record: dict[str, Any]) -> dict[str, Any]:
    """A record shaped for :data:`SCHEMA` (fetch time parsed; other fields as they are)."""
    row = {name: record.get(name) for name in SCHEMA.names}
    fetched = row["fetched_at"]
    if isinstance(fetched, str):
        row["fetched_at"] = datetime.fromisoformat(fetched.replace("Z", "+00:00"))
    if isinstance(row["extractor"], dict):
        row["extractor"] = [(k, str(v)) for k, v in row["extractor"].items()]
    for name in ("published", "modified"):
        if row[name] is not None:
            row[name] = str(row[name])
    return row


def record_batches(records: Iterable[dict[str, Any]]) -> Iterator[pa.RecordBatch]:
    """Arrow record batches of :data:`BATCH` records."""
    rows: list[dict[str, Any]] = []
    for record in records:
        rows.append(arrow_row(record))
        if len(rows) >= BATCH:
            yield pa.RecordBatch.from_pylist(rows, schema=SCHEMA)
            rows = []
    if rows:
        yield pa.RecordBatch.from_pylist(rows, schema=SCHEMA)


def csv_row(record: dict[str, Any]) -> dict[str, Any]:
    """The flat CSV columns of a record."""
    warc = record.get("warc") or {}
    comments = record.get("comments") or {}
    row = {name: record.get(name) for name in CSV_COLUMNS}
    for name in ("authors", "tags"):
        row[name] = "; ".join(str(v) for v in record.get(name) or [])
    for part in ("filename", "offset", "length", "record_id", "payload_digest"):
        row[f"warc_{part}"] = warc.get(part)
    row["comment_count"] = comments.get("found_count")
    return row


def _counted(records: Iterable[dict[str, Any]], progress: Any) -> Iterator[dict[str, Any]]:
    for record in records:
        progress.update(1)
        yield record


def export(records: Any, output: Path, fmt: str, *, progress: bool = True) -> ExportReport:
    """Write ``records`` (a :class:`RecordStream` or any iterable of dicts) to ``output``
    in ``fmt``, with a progress bar on stderr when it is a terminal."""
    from tqdm import tqdm

    if fmt not in FORMATS:
        raise ExportError(f"export format {fmt!r}: use one of {', '.join(FORMATS)}")
    writable_output(output)  # a bad path is found before the work, not when the file is moved
    total = getattr(records, "total", None)
    bar = tqdm(total=total, unit="rec", file=sys.stderr, disable=None if progress else True)
    stream = _counted(records, bar)
    partial = output.with_name(output.name + ".open")
    try:
        count = _write(stream, partial, fmt)
        partial.replace(output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ExportError(f"export to {output}: {exc.strerror or exc}") from exc
    finally:
        bar.close()
    return ExportReport(count, list(getattr(records, "damaged", [])))


def _write(records: Iterator[dict[str, Any]], path: Path, fmt: str) -> int:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        count = 0
        with pq.ParquetWriter(path, SCHEMA, compression="zstd") as writer:  # type: ignore[no-untyped-call]
            for batch in record_batches(records):
                writer.write_batch(batch)
                count += batch.num_rows
        return count
    with path.open("w", encoding="utf-8", newline="") as handle:
        return _write_jsonl(records, handle) if fmt == "jsonl" else _write_csv(records, handle)


def _write_jsonl(records: Iterator[dict[str, Any]], handle: TextIO) -> int:
    count = 0
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_csv(records: Iterator[dict[str, Any]], handle: TextIO) -> int:
    writer = csv.DictWriter(handle, CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow(csv_row(record))
        count += 1
    return count
