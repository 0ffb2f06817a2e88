"""The discovery ledger: every candidate URL of a crawl, where it was found, what became of it.

Archivists use it to answer "why was X (not) archived?"; tests use it to check that each
discovery kind found every article it should.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def utc_now_iso() -> str:
    """Current UTC time, ISO 8601 with microseconds and a Z suffix."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(slots=True)
class Provenance:
    """One sighting of a URL: the source document, its kind and the date it gave."""

    source: str  # URL of the feed, sitemap or listing page
    kind: str  # feed | sitemap | news_sitemap | section | home | robots
    date: str | None = None  # publication/modification date the source states, ISO 8601
    title: str | None = None  # title the source states (feeds, news sitemaps)
    seen_at: str = field(default_factory=utc_now_iso)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class LedgerEntry:
    """A candidate URL and its fate: scheduled, fetched, failed or filtered."""

    url: str  # canonical URL requested
    provenance: list[Provenance]
    fate: str = "scheduled"
    status: int | None = None
    final_url: str | None = None
    detail: str | None = None
    admitted_at: str | None = None  # when the request was handed to the downloader

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["provenance"] = [p.as_dict() for p in self.provenance]
        return data

    @property
    def kinds(self) -> set[str]:
        """The discovery kinds that named this URL."""
        return {p.kind for p in self.provenance}


def entry_from_dict(data: dict[str, Any]) -> LedgerEntry:
    """The :class:`LedgerEntry` of :meth:`LedgerEntry.as_dict`'s output."""
    fields = dict(data)
    provenance = [Provenance(**p) for p in fields.pop("provenance", [])]
    return LedgerEntry(provenance=provenance, **fields)


#: Entries a :class:`Ledger` keeps in memory by default (the rest wait in its database).
MEMORY_ENTRIES = 2000
MIN_MEMORY_ENTRIES = 16


def _private_database(directory: Path) -> sqlite3.Connection:
    """A new SQLite database in ``directory`` whose file is already unlinked (no journal:
    it lives and dies with this process)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"ledger-{os.getpid()}-{secrets.token_hex(4)}.sqlite"
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -4096")  # KiB of pages cached
        db.execute(
            "CREATE TABLE entries (seq INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL,"
            " data TEXT NOT NULL)"
        )
    finally:
        path.unlink(missing_ok=True)
    return db


class Ledger:
    """The crawl's candidate URLs and their :class:`LedgerEntry`, with bounded memory.

    The most recently used entries (``memory_entries`` of them) live in memory as objects
    the spider changes in place; older ones are written to a private SQLite database in
    ``directory`` and read back (as new objects) when the crawl meets their URL again, so
    a crawl's memory does not grow with the number of URLs its sources name (about 1.5 KB
    an entry). The database file is unlinked as soon as it is open: it never outlives the
    process, whatever way the crawl ends. Without a ``directory`` everything stays in
    memory.

    A redirect can make two URLs share one entry (:meth:`alias`); :meth:`entries` yields
    each entry once, in the order the URLs were first added.
    """

    def __init__(self, directory: Path | None = None, memory_entries: int = MEMORY_ENTRIES) -> None:
        # (at least two: a redirect holds its entry while it reads the target's)
        self.memory_entries = max(MIN_MEMORY_ENTRIES, memory_entries)
        self._cache: OrderedDict[str, LedgerEntry] = OrderedDict()
        self._aliases: dict[str, str] = {}  # URL -> URL its entry is stored under
        self._db: sqlite3.Connection | None = None
        self._count = 0
        self.stored = 0  # entries written to the database (evictions and the final flush)
        if directory is not None:
            self._db = _private_database(directory)

    def __len__(self) -> int:
        """Number of distinct entries."""
        return self._count

    @property
    def in_memory(self) -> int:
        """Entries held in memory now."""
        return len(self._cache)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __getitem__(self, key: str) -> LedgerEntry:
        entry = self.get(key)
        if entry is None:
            raise KeyError(key)
        return entry

    def get(self, key: str) -> LedgerEntry | None:
        """The entry of ``key`` (or of the URL it is an alias of), None if unknown."""
        key = self._aliases.get(key, key)
        entry = self._cache.get(key)
        if entry is not None or self._db is None:
            if entry is not None and self._db is not None:
                self._cache.move_to_end(key)
            return entry
        row = self._db.execute("SELECT data FROM entries WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        entry = entry_from_dict(json.loads(row[0]))
        self._remember(key, entry)
        return entry

    def add(self, key: str, entry: LedgerEntry) -> LedgerEntry:
        """Add the entry of a URL not yet known (ValueError if it is)."""
        if self.get(key) is not None:
            raise ValueError(f"{key} is in the ledger already")
        if self._db is not None:
            self._db.execute("INSERT INTO entries (key, data) VALUES (?, ?)", (key, "null"))
        self._count += 1
        self._remember(key, entry)
        return entry

    def alias(self, key: str, entry_key: str) -> LedgerEntry:
        """``key``'s entry if it has one, else make ``key`` share ``entry_key``'s entry."""
        known = self.get(key)
        if known is not None:
            return known
        self._aliases[key] = self._aliases.get(entry_key, entry_key)
        return self[key]

    def entries(self) -> Iterator[LedgerEntry]:
        """Every distinct entry, in the order their URLs were added (streamed)."""
        if self._db is None:  # the cache is everything, in insertion order
            yield from list(self._cache.values())
            return
        self._flush()
        for (data,) in self._db.execute("SELECT data FROM entries ORDER BY seq"):
            yield entry_from_dict(json.loads(data))

    def close(self) -> None:
        """Drop everything (the database goes with its connection)."""
        self._cache.clear()
        if self._db is not None:
            self._db.close()
            self._db = None

    def _remember(self, key: str, entry: LedgerEntry) -> None:
        self._cache[key] = entry
        if self._db is None:
            return
        self._cache.move_to_end(key)
        while len(self._cache) > self.memory_entries:
            old_key, old = self._cache.popitem(last=False)
            self._store(old_key, old)

    def _store(self, key: str, entry: LedgerEntry) -> None:
        assert self._db is not None
        data = json.dumps(entry.as_dict(), ensure_ascii=False)
        self._db.execute("UPDATE entries SET data = ? WHERE key = ?", (data, key))
        self.stored += 1

    def _flush(self) -> None:
        for key, entry in self._cache.items():
            self._store(key, entry)
