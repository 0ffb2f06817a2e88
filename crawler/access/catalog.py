"""The capture catalog: one SQLite file listing every capture of an archive.

SQLite rather than DuckDB: it is in the standard library (nothing to install on a laptop),
FTS5 gives ranked full-text search with ``bm25()`` and ``snippet()`` in the same file, and
the catalog's work is point look-ups (one URL's captures, the closest one to a time) and
small incremental inserts after each crawl, which a row store with B-tree indexes serves in
microseconds; DuckDB is the better engine for scanning the exported Parquet instead.

The catalog is derived data: :mod:`crawler.access.ingest` fills it from the store's CDXJ
indexes (every capture), record files (title, dates, comments, text) and manifests (what is
new), and it can always be rebuilt from the store alone. A capture is keyed by its WARC
location (file key and offset), which both the CDXJ line and the parsed record name, so the
two sources meet in one row whatever order they arrive in.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from crawler.errors import NewsarchiveError

#: Bumped when the tables change; a catalog of another version is rebuilt.
SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS ingested(
    key TEXT PRIMARY KEY, size INTEGER, kind TEXT, status TEXT, error TEXT);
CREATE TABLE IF NOT EXISTS captures(
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL, urlkey TEXT NOT NULL, canonical_url TEXT, canonical_key TEXT,
    outlet TEXT, fetched_at TEXT, fetched_epoch REAL, status INTEGER, mime TEXT,
    payload_digest TEXT, warc_key TEXT, warc_offset INTEGER, warc_length INTEGER,
    record_id TEXT, record_key TEXT, record_line INTEGER,
    title TEXT, published TEXT, comment_count INTEGER,
    UNIQUE(warc_key, warc_offset));
CREATE INDEX IF NOT EXISTS captures_urlkey ON captures(urlkey, fetched_epoch);
CREATE INDEX IF NOT EXISTS captures_canonical ON captures(canonical_key);
CREATE INDEX IF NOT EXISTS captures_digest ON captures(payload_digest);
CREATE INDEX IF NOT EXISTS captures_record ON captures(record_key, record_line);
CREATE TABLE IF NOT EXISTS records(capture_id INTEGER PRIMARY KEY, body BLOB NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS fulltext USING fts5(
    title, text, tokenize='unicode61 remove_diacritics 2');
"""

#: Seconds a writer waits for another process's transaction (a crawl's end-of-crawl update
#: and a researcher's query may meet; each holds the lock for well under a second).
BUSY_TIMEOUT = 30.0
#: FTS5 column weights for bm25(): a word in the title counts as much as ten in the body.
TITLE_WEIGHT, TEXT_WEIGHT = 10.0, 1.0
#: Tokens around each match in a search snippet.
SNIPPET_TOKENS = 16


class CatalogError(NewsarchiveError):
    """The catalog file cannot be used (message names the file)."""


@dataclass(frozen=True)
class Capture:
    """One archived HTTP response, as the catalog lists it."""

    id: int
    url: str
    canonical_url: str | None
    outlet: str | None
    fetched_at: str | None
    status: int | None
    mime: str | None
    payload_digest: str | None
    warc_key: str | None
    warc_offset: int | None
    warc_length: int | None
    record_id: str | None
    record_key: str | None
    record_line: int | None
    title: str | None
    published: str | None
    comment_count: int | None
    fetched_epoch: float | None = None

    @property
    def timestamp(self) -> str:
        """The 14-digit wayback timestamp (``YYYYmmddHHMMSS``) of the fetch."""
        return "".join(c for c in (self.fetched_at or "") if c.isdigit())[:14]

    @property
    def is_revisit(self) -> bool:
        return self.mime == "warc/revisit"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["fetched_epoch"]
        return data


_COLUMNS = [
    "id", "url", "canonical_url", "outlet", "fetched_at", "status", "mime", "payload_digest",
    "warc_key", "warc_offset", "warc_length", "record_id", "record_key", "record_line",
    "title", "published", "comment_count", "fetched_epoch",
]  # fmt: skip
_SELECT = "SELECT " + ", ".join(f"c.{c}" for c in _COLUMNS) + " FROM captures c"


@dataclass(frozen=True)
class Filters:
    """Restrictions shared by snapshots, export and search (times as epoch seconds)."""

    outlet: str | None = None
    since: float | None = None
    until: float | None = None

    def sql(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.outlet:
            clauses.append("c.outlet = ?")
            params.append(self.outlet)
        if self.since is not None:
            clauses.append("c.fetched_epoch >= ?")
            params.append(self.since)
        if self.until is not None:
            clauses.append("c.fetched_epoch < ?")
            params.append(self.until)
        return " AND ".join(clauses) or "1", params


@dataclass(frozen=True)
class Hit:
    """One search result: the capture, its bm25 score (lower is better) and a snippet."""

    capture: Capture
    score: float
    snippet: str


class Catalog:
    """The SQLite catalog at ``path`` (created when missing)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise CatalogError(f"catalog {path}: unusable: {exc}") from exc
        if self.meta("schema") is None:
            self.set_meta("schema", SCHEMA_VERSION)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- bookkeeping --------------------------------------------------------------------

    def meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    @property
    def current(self) -> bool:
        """Whether the tables are of this version (else the catalog must be rebuilt)."""
        return self.meta("schema") == SCHEMA_VERSION

    def ingested(self) -> dict[str, int | None]:
        """Store keys already read into the catalog, with their sizes."""
        return dict(self.db.execute("SELECT key, size FROM ingested").fetchall())

    def damaged(self) -> list[tuple[str, str]]:
        """Files that could not be read whole when ingested: (key, error)."""
        rows = self.db.execute("SELECT key, error FROM ingested WHERE status = 'damaged'")
        return [(str(k), str(e)) for k, e in rows.fetchall()]

    def mark(self, key: str, size: int | None, kind: str, error: str | None = None) -> None:
        status = "damaged" if error else "ok"
        self.db.execute("INSERT OR REPLACE INTO ingested VALUES (?, ?, ?, ?, ?)",
                        (key, size, kind, status, error))  # fmt: skip

    def count(self, articles_only: bool = False) -> int:
        where = " WHERE record_key IS NOT NULL" if articles_only else ""
        return int(self.db.execute("SELECT count(*) FROM captures" + where).fetchone()[0])

    # --- writing (used by crawler.access.ingest, inside one transaction per file) -------

    def add_index_line(self, row: dict[str, Any]) -> None:
        """A CDXJ line: fills the capture's HTTP facts; keeps a record's finer fetch time."""
        self.db.execute(
            """INSERT INTO captures(url, urlkey, outlet, fetched_at, fetched_epoch, status,
                   mime, payload_digest, warc_key, warc_offset, warc_length)
               VALUES (:url, :urlkey, :outlet, :fetched_at, :fetched_epoch, :status, :mime,
                   :payload_digest, :warc_key, :warc_offset, :warc_length)
               ON CONFLICT(warc_key, warc_offset) DO UPDATE SET
                   url = excluded.url, urlkey = excluded.urlkey, status = excluded.status,
                   mime = excluded.mime, payload_digest = excluded.payload_digest,
                   warc_length = excluded.warc_length,
                   outlet = coalesce(captures.outlet, excluded.outlet),
                   fetched_at = coalesce(captures.fetched_at, excluded.fetched_at),
                   fetched_epoch = coalesce(captures.fetched_epoch, excluded.fetched_epoch)""",
            row,
        )

    def add_record(self, row: dict[str, Any], record_json: bytes, text: str) -> None:
        """A parsed record: its metadata, a compressed copy and its full text."""
        (capture_id,) = self.db.execute(
            """INSERT INTO captures(url, urlkey, canonical_url, canonical_key, outlet,
                   fetched_at, fetched_epoch, status, payload_digest, warc_key, warc_offset,
                   warc_length, record_id, record_key, record_line, title, published,
                   comment_count)
               VALUES (:url, :urlkey, :canonical_url, :canonical_key, :outlet, :fetched_at,
                   :fetched_epoch, :status, :payload_digest, :warc_key, :warc_offset,
                   :warc_length, :record_id, :record_key, :record_line, :title, :published,
                   :comment_count)
               ON CONFLICT(warc_key, warc_offset) DO UPDATE SET
                   canonical_url = excluded.canonical_url,
                   canonical_key = excluded.canonical_key, outlet = excluded.outlet,
                   fetched_at = excluded.fetched_at, fetched_epoch = excluded.fetched_epoch,
                   record_id = excluded.record_id, record_key = excluded.record_key,
                   record_line = excluded.record_line, title = excluded.title,
                   published = excluded.published, comment_count = excluded.comment_count,
                   status = coalesce(captures.status, excluded.status),
                   payload_digest = coalesce(captures.payload_digest, excluded.payload_digest)
               RETURNING id""",
            row,
        ).fetchone()
        self.db.execute("INSERT OR REPLACE INTO records VALUES (?, ?)",
                        (capture_id, zlib.compress(record_json, 6)))  # fmt: skip
        self.db.execute("DELETE FROM fulltext WHERE rowid = ?", (capture_id,))
        self.db.execute("INSERT INTO fulltext(rowid, title, text) VALUES (?, ?, ?)",
                        (capture_id, row["title"] or "", text))  # fmt: skip

    # --- reading --------------------------------------------------------------------------

    def snapshots(self, keys: Sequence[str], filters: Filters = Filters()) -> list[Capture]:
        """Captures whose URL or canonical URL canonicalises to one of ``keys``, oldest
        first."""
        marks = ", ".join("?" for _ in keys)
        where, params = filters.sql()
        sql = (f"{_SELECT} WHERE (c.urlkey IN ({marks}) OR c.canonical_key IN ({marks}))"
               f" AND {where} ORDER BY c.fetched_epoch, c.id")  # fmt: skip
        return self._captures(sql, [*keys, *keys, *params])

    def original_of(self, revisit: Capture) -> Capture | None:
        """The response a revisit record stands for: same payload digest, not a revisit,
        the latest one fetched before it (else the nearest)."""
        sql = (f"{_SELECT} WHERE c.payload_digest = ? AND c.mime IS NOT 'warc/revisit'"
               " AND c.warc_key IS NOT NULL ORDER BY c.fetched_epoch > ?,"
               " abs(c.fetched_epoch - ?) LIMIT 1")  # fmt: skip
        epoch = revisit.fetched_epoch or 0.0
        found = self._captures(sql, [revisit.payload_digest, epoch, epoch])
        return found[0] if found else None

    def record_json(self, capture_id: int) -> bytes | None:
        row = self.db.execute("SELECT body FROM records WHERE capture_id = ?", (capture_id,))
        found = row.fetchone()
        return None if found is None else zlib.decompress(found[0])

    def record_files(self, filters: Filters, ids: set[int] | None = None) -> list[str]:
        """Record files holding records that pass ``filters``, in a stable order."""
        where, params = filters.sql()
        rows = self.db.execute(
            f"SELECT DISTINCT c.record_key, c.id FROM captures c WHERE c.record_key IS NOT NULL"
            f" AND {where} ORDER BY c.record_key",
            params,
        )
        keys: dict[str, None] = {}
        for key, capture_id in rows:
            if ids is None or capture_id in ids:
                keys.setdefault(str(key))
        return list(keys)

    def count_records(self, filters: Filters) -> int:
        where, params = filters.sql()
        sql = f"SELECT count(*) FROM captures c WHERE c.record_key IS NOT NULL AND {where}"
        return int(self.db.execute(sql, params).fetchone()[0])

    def search(self, query: str, filters: Filters, limit: int | None) -> list[Hit]:
        """Ranked full-text matches of ``query`` (every word must occur) in titles and
        bodies, best first, each with a snippet of the body around the matches."""
        where, params = filters.sql()
        sql = (
            f"SELECT {', '.join('c.' + c for c in _COLUMNS)},"
            f" bm25(fulltext, {TITLE_WEIGHT}, {TEXT_WEIGHT}) AS score,"
            f" snippet(fulltext, 1, '[', ']', '…', {SNIPPET_TOKENS})"
            f" FROM fulltext JOIN captures c ON c.id = fulltext.rowid"
            f" WHERE fulltext MATCH ? AND {where} ORDER BY score, c.id"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        try:
            rows = self.db.execute(sql, [fts_query(query), *params]).fetchall()
        except sqlite3.OperationalError as exc:
            raise CatalogError(f"search {query!r}: {exc}") from exc
        n = len(_COLUMNS)
        return [Hit(Capture(*row[:n]), float(row[n]), str(row[n + 1])) for row in rows]

    def matching_ids(self, query: str, filters: Filters) -> set[int]:
        return {hit.capture.id for hit in self.search(query, filters, None)}

    def _captures(self, sql: str, params: Sequence[Any]) -> list[Capture]:
        return [Capture(*row) for row in self.db.execute(sql, params).fetchall()]

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)


def fts_query(text: str) -> str:
    """An FTS5 query that matches records containing every word of ``text`` (each word
    quoted, so punctuation and FTS5 operators in user input are plain text)."""
    words = [w.replace('"', '""') for w in text.split()]
    if not words:
        raise CatalogError("search: empty query")
    return " ".join(f'"{w}"' for w in words)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (rolled back on error)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")


def iter_rows(catalog: Catalog, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
    """Rows of an arbitrary query (for tools and tests)."""
    yield from catalog.db.execute(sql, params)


def catalog_path(settings: Mapping[str, Any]) -> Path:
    """``CATALOG_PATH``, else ``<local root>/state/catalog.sqlite3`` (the archive directory,
    or for ``s3://`` archives the spool directory of that bucket and prefix)."""
    from crawler.store import local_root

    configured = settings.get("CATALOG_PATH")
    if configured:
        return Path(str(configured)).expanduser()
    return local_root(settings) / "state" / "catalog.sqlite3"
