"""Streaming parsed records out of the store's record files, in constant memory.

The catalog says which record files hold records passing the filters; each file is read
as a stream (one GET on ``s3://``) and decompressed line by line, so memory does not grow
with the number of records. A damaged file (bad gzip, torn tail, a line that is not JSON)
is reported with its key and skipped from the point of damage; the stream goes on with the
next file and lists the file in :attr:`RecordStream.damaged`.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from crawler.access.catalog import Filters
from crawler.access.ingest import iter_gzip_lines, parse_time

if TYPE_CHECKING:
    from crawler.access.api import Archive

logger = logging.getLogger(__name__)


class RecordStream:
    """An iterator of parsed records (dicts); ``damaged`` lists the files that could not
    be read whole, ``total`` is the catalog's count of matching records."""

    def __init__(self, archive: Archive, filters: Filters, query: str | None) -> None:
        self.archive, self.filters, self.query = archive, filters, query
        catalog = archive.catalog
        self.lines: dict[str, set[int]] | None = None
        ids: set[int] | None = None
        if query:
            hits = catalog.search(query, filters, None)
            ids = {hit.capture.id for hit in hits}
            self.lines = {}
            for hit in hits:
                key, line = hit.capture.record_key, hit.capture.record_line
                if key is not None and line is not None:
                    self.lines.setdefault(key, set()).add(line)
            self.total = len(ids)
        else:
            self.total = catalog.count_records(filters)
        self.files = catalog.record_files(filters, ids)
        if not query:  # files unreadable at ingest have few or no rows: try them again
            outlet = filters.outlet
            self.files += [key for key, _ in catalog.damaged()
                           if key.startswith("records/") and key not in self.files
                           and (outlet is None or key.split("/")[1] == outlet)]  # fmt: skip
        self.damaged: list[str] = []
        self.count = 0
        self._iter = self._generate()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self

    def __next__(self) -> dict[str, Any]:
        return next(self._iter)

    def _generate(self) -> Iterator[dict[str, Any]]:
        for key in self.files:
            yield from self._file(key)

    def _file(self, key: str) -> Iterator[dict[str, Any]]:
        wanted = self.lines.get(key, set()) if self.lines is not None else None
        line_no = 0
        try:
            for line_no, raw in enumerate(iter_gzip_lines(self.archive.store.read(key)), 1):
                if not raw.strip() or (wanted is not None and line_no not in wanted):
                    continue
                record = json.loads(raw)
                if self._passes(record):
                    self.count += 1
                    yield record
        except (OSError, EOFError, zlib.error, ValueError) as exc:  # OSError: file gone
            self.damaged.append(key)
            logger.warning("Damaged record file %s skipped from line %d: %s",
                           key, line_no + 1, exc)  # fmt: skip

    def _passes(self, record: dict[str, Any]) -> bool:
        filters = self.filters
        if filters.outlet and record.get("outlet") != filters.outlet:
            return False
        if filters.since is None and filters.until is None:
            return True
        fetched = parse_time(record.get("fetched_at"))
        if fetched is None:
            return False
        return (filters.since is None or fetched >= filters.since) and (
            filters.until is None or fetched < filters.until
        )
