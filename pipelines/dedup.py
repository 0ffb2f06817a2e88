"""Payload digest index for revisit records: which payloads are already archived.

:class:`DigestIndex` is the interface (a shared Redis store can implement it for a fleet
of crawlers); :class:`SqliteDigestIndex` is the local, persistent implementation.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Protocol

# Commit after this many additions: a crash loses at most these (the payloads are
# then archived again in full, never lost).
_COMMIT_EVERY = 100


class DigestIndex(Protocol):
    """Maps a payload digest to the first capture of that payload."""

    def lookup(self, digest: str) -> tuple[str, str] | None:
        """(target URI, WARC-Date) of the first capture with ``digest``, or None."""

    def add(self, digest: str, uri: str, date: str) -> None:
        """Record a capture (ignored when the digest is already known)."""

    def close(self) -> None:
        """Persist and release resources."""


class SqliteDigestIndex:
    """A DigestIndex in a local SQLite file (WAL mode; safe for several processes)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS digests (digest TEXT PRIMARY KEY, uri TEXT, date TEXT)"
        )
        self._pending = 0

    def lookup(self, digest: str) -> tuple[str, str] | None:
        row = self._db.execute("SELECT uri, date FROM digests WHERE digest = ?", (digest,))
        found = row.fetchone()
        return (found[0], found[1]) if found else None

    def add(self, digest: str, uri: str, date: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO digests VALUES (?, ?, ?)", (digest, uri, date))
        self._pending += 1
        if self._pending >= _COMMIT_EVERY:
            self._db.commit()
            self._pending = 0

    def close(self) -> None:
        self._db.commit()
        self._db.close()
