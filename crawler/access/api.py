"""The researcher's Python API: open an archive by URI and find, read and export captures.

```python
from crawler.access import open_archive

archive = open_archive("s3://news/archive")          # or a path, or file://PATH
for capture in archive.snapshots("https://example.org/story/"):
    print(capture.fetched_at, capture.status, capture.title)
capture = archive.get("https://example.org/story/", at="2026-11-23")
html = archive.html(capture)                          # decoded body (bytes)
record = archive.record(capture)                      # the parsed record (dict)
frame = archive.to_pandas(outlet="demo", since="2026-11-01")
```

The commands ``snapshots``, ``get``, ``export`` and ``search`` are thin calls into this.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.access import ingest
from crawler.access.catalog import Capture, Catalog, Filters, Hit, catalog_path
from crawler.access.fetch import WarcRecords, payload, read_records
from crawler.errors import NewsarchiveError
from crawler.store import local_root, open_store

if TYPE_CHECKING:
    from crawler.access.records import RecordStream

logger = logging.getLogger(__name__)

When = str | datetime | date | float | int | None
_DIGITS = re.compile(r"\d{4,14}")


class UnknownURLError(NewsarchiveError):
    """No capture of a URL in the archive."""


def parse_when(value: When, *, end: bool = False) -> float | None:
    """Epoch seconds of a time given as ISO 8601 (date or date-time; UTC unless an offset
    is given), a wayback timestamp (``YYYY`` to ``YYYYmmddHHMMSS``), a ``datetime``/``date``
    or epoch seconds. With ``end``, a date or partial timestamp means the end of that
    period (``--to 2026-11-23`` includes the whole day)."""
    if value is None or isinstance(value, float | int):
        return None if value is None else float(value)
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    if isinstance(value, date):
        return _day(value, end)
    text = value.strip()
    if _DIGITS.fullmatch(text) and len(text) % 2 == 0:
        return _wayback(text, end)
    try:
        if len(text) == 10:
            return _day(date.fromisoformat(text), end)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise NewsarchiveError(
            f"time {value!r}: not understood; use 2026-11-23, 2026-11-23T16:30:00Z"
            " or a timestamp like 20261123163000"
        ) from None
    if end:  # inclusive: the whole second named, or the exact instant given
        parsed += timedelta(microseconds=1) if "." in text else timedelta(seconds=1)
    return parse_when(parsed)


def _day(day: date, end: bool) -> float:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return (start + timedelta(days=1) if end else start).timestamp()


def _wayback(text: str, end: bool) -> float:
    fields = [int(text[:4])] + [int(text[i : i + 2]) for i in range(4, len(text), 2)]
    fields += [1, 1, 0, 0, 0][len(fields) - 1 :]
    year, month, day, hour, minute, second = fields[:6]
    start = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    if not end:
        return start.timestamp()
    if len(text) == 4:
        return start.replace(year=start.year + 1).timestamp()
    if len(text) == 6:
        month = start.month % 12 + 1
        return start.replace(year=start.year + (month == 1), month=month).timestamp()
    step = {8: timedelta(days=1), 10: timedelta(hours=1), 12: timedelta(minutes=1)}
    return (start + step.get(len(text), timedelta(seconds=1))).timestamp()


def filters(outlet: str | None = None, since: When = None, until: When = None) -> Filters:
    """Catalog filters from user input (``until`` inclusive of a whole day or period)."""
    return Filters(outlet, parse_when(since), parse_when(until, end=True))


def _closeness(capture: Capture, target: float) -> tuple[int, bool, float, int]:
    """Sort key of captures around ``target``: whole seconds apart (the precision of a
    14-digit timestamp and of CDXJ times), then successful responses before errors (a
    500 retried into a 200 in the same second), then exact distance, then the latest."""
    distance = abs((capture.fetched_epoch or 0.0) - target)
    ok = capture.is_revisit or (capture.status is not None and 200 <= capture.status < 300)
    return int(distance), not ok, distance, -capture.id


class Archive:
    """An archive opened for reading: the store plus its local catalog."""

    def __init__(
        self, settings: Any, *, refresh: bool = True, notify: Callable[[str], None] | None = None
    ) -> None:
        self.settings = settings
        self.notify = notify or logger.info
        self.store = open_store(settings)
        self.root = local_root(settings)
        self.catalog_path = catalog_path(settings)
        self.built_on_open = False
        self.catalog = self._open_catalog(refresh)

    def _open_catalog(self, refresh: bool) -> Catalog:
        """The catalog, built when missing or of another version, else brought up to date
        with the store's manifests (``refresh``)."""
        path = self.catalog_path
        if path.exists():
            catalog = Catalog(path)
            if catalog.current:
                if refresh:
                    ingest.refresh(catalog, self.store, self.notify)
                return catalog
            catalog.close()
            self.notify(f"catalog {path} is of another version: rebuilding it")
        else:
            self.notify(f"catalog {path} missing: building it from {self.store.description}")
        self.rebuild()
        self.built_on_open = True
        return self.catalog

    def rebuild(self) -> ingest.UpdateReport:
        """Rebuild the catalog from the store alone."""
        if getattr(self, "catalog", None) is not None:
            self.catalog.close()
        report = ingest.rebuild(self.catalog_path, self.store)
        self.catalog = Catalog(self.catalog_path)
        return report

    def update(self) -> ingest.UpdateReport:
        """Read every index and record file of the store not in the catalog yet."""
        return ingest.update(self.catalog, self.store)

    def close(self) -> None:
        self.catalog.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- finding ------------------------------------------------------------------------

    def snapshots(self, url: str, since: When = None, until: When = None,
                  outlet: str | None = None) -> list[Capture]:  # fmt: skip
        """Captures of ``url`` (canonicalised; also found through the canonical URLs that
        pages declare), oldest first."""
        from crawler.urls import canonicalize

        return self.catalog.snapshots([canonicalize(url)], filters(outlet, since, until))

    def get(self, url: str, at: When = None, *, need: str = "warc",
            outlet: str | None = None) -> Capture:  # fmt: skip
        """The capture of ``url`` closest to ``at`` (default: the latest). ``need``:
        ``"warc"`` (a capture with WARC records) or ``"record"`` (one with a parsed
        record). Raises :class:`UnknownURLError` when there is none."""
        captures = self.snapshots(url, outlet=outlet)
        usable = [c for c in captures if (c.record_key if need == "record" else c.warc_key)]
        if not usable:
            what = "parsed record" if need == "record" and captures else "capture"
            raise UnknownURLError(f"no {what} of {url} in {self.store.description}")
        target = parse_when(at)
        if target is None:
            target = max(c.fetched_epoch or 0.0 for c in usable)
        return min(usable, key=lambda c: _closeness(c, target))

    def search(self, text: str, *, outlet: str | None = None, since: When = None,
               until: When = None, limit: int | None = 20) -> list[Hit]:  # fmt: skip
        """Ranked full-text search over titles and bodies, best first, with snippets."""
        return self.catalog.search(text, filters(outlet, since, until), limit)

    # --- reading one capture --------------------------------------------------------------

    def warc_records(self, capture: Capture) -> WarcRecords:
        """The capture's response and request records as stored (one ranged read; a
        revisit also brings the response it refers to: a second one)."""
        records = read_records(self.store, capture)
        original = self.catalog.original_of(capture) if capture.is_revisit else None
        if original is None:
            return records
        return WarcRecords(records.response + read_records(self.store, original).response,
                           records.request)  # fmt: skip

    def warc(self, capture: Capture) -> bytes:
        """The capture's records as a small, valid WARC file (gzip members)."""
        return self.warc_records(capture).data

    def html(self, capture: Capture) -> bytes:
        """The body of the capture, de-chunked and decompressed (bytes in the page's own
        charset). A revisit is resolved to the response holding the payload."""
        if capture.is_revisit:
            original = self.catalog.original_of(capture)
            if original is None:
                raise UnknownURLError(
                    f"revisit of {capture.url} at {capture.fetched_at}:"
                    f" no capture of payload {capture.payload_digest}"
                )
            capture = original
        return payload(read_records(self.store, capture).response)

    def record(self, capture: Capture) -> dict[str, Any]:
        """The capture's parsed record (from the catalog's copy; no store read)."""
        data = self.catalog.record_json(capture.id)
        if data is None:
            raise UnknownURLError(f"no parsed record of {capture.url} at {capture.fetched_at}")
        result: dict[str, Any] = json.loads(data)
        return result

    # --- many records ---------------------------------------------------------------------

    def records(self, *, outlet: str | None = None, since: When = None, until: When = None,
                query: str | None = None) -> RecordStream:  # fmt: skip
        """Parsed records passing the filters, streamed from the store's record files."""
        from crawler.access.records import RecordStream

        return RecordStream(self, filters(outlet, since, until), query)

    def to_arrow(self, **filter_args: Any) -> Any:
        """The records as a ``pyarrow.Table`` (schema :data:`crawler.access.export.SCHEMA`)."""
        import pyarrow as pa

        from crawler.access.export import SCHEMA, record_batches

        return pa.Table.from_batches(record_batches(self.records(**filter_args)), SCHEMA)

    def to_pandas(self, **filter_args: Any) -> Any:
        """The records as a ``pandas.DataFrame`` (comments as nested lists of dicts)."""
        return self.to_arrow(**filter_args).to_pandas()


def open_archive(uri: str | Path | None = None, *, config: str | None = None,
                 refresh: bool = True, **settings: Any) -> Archive:  # fmt: skip
    """Open the archive at ``uri`` (a path, ``file://PATH`` or ``s3://BUCKET/PREFIX``;
    default ``ARCHIVE_URI``) for reading. Keyword arguments override settings, e.g.
    ``ARCHIVE_S3_ENDPOINT_URL="http://127.0.0.1:8333"`` or ``CATALOG_PATH="cat.sqlite3"``."""
    from crawler.runner import effective_settings

    merged = effective_settings(config)
    if uri is not None:
        merged.set("ARCHIVE_URI", str(uri), priority="cmdline")
    for name, value in settings.items():
        merged.set(name, value, priority="cmdline")
    return Archive(merged, refresh=refresh)
