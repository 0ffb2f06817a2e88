"""Moving finished local files into the store, off the reactor, without losing any.

:class:`Uploader` runs uploads in a thread pool. Each upload: digest the file, put it (no
overwrite), confirm size and checksum with the store, and only then delete the local copy
(for ``s3://``; a ``file://`` archive is its own store). A failure after the retries leaves
the file where it is (the spool) and is logged with its path; ``newsarchive sync`` retries.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from crawler.store.backends import Digest, KeyExistsError, Store, StoreError, digest_file

logger = logging.getLogger(__name__)

#: Archive areas whose finished files go to the store (``state/`` stays local).
UPLOADED_AREAS = ("warc", "index", "records", "discovery")
#: Suffix of files still being written.
OPEN_SUFFIX = ".open"


@dataclass
class FileResult:
    """One file's fate, as the manifest lists it."""

    key: str
    size: int
    sha256: str
    status: str  # "stored", "spooled" (waiting locally), "conflict" (name clash in store)
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        if data["error"] is None:
            del data["error"]
        return data


def pending_files(root: Path, areas: Iterable[str] = UPLOADED_AREAS) -> list[Path]:
    """Finished files under ``root`` waiting for the store, oldest first."""
    found: list[Path] = []
    for area in areas:
        base = root / area
        if base.is_dir():
            found.extend(
                p for p in base.rglob("*") if p.is_file() and not p.name.endswith(OPEN_SUFFIX)
            )
    return sorted(found, key=lambda p: p.stat().st_mtime)


def spool_bytes(root: Path) -> int:
    """Bytes of all files (finished or not) waiting in ``root``."""
    return sum(p.stat().st_size for area in UPLOADED_AREAS if (root / area).is_dir()
               for p in (root / area).rglob("*") if p.is_file())  # fmt: skip


class Uploader:
    """Thread pool uploading local files of ``root`` to ``store``."""

    def __init__(
        self, store: Store, root: Path, *, concurrency: int, retries: int, backoff: float,
        remove_local: bool,
    ) -> None:  # fmt: skip
        self.store, self.root = store, root
        self.retries, self.backoff, self.remove_local = retries, backoff, remove_local
        self._pool = ThreadPoolExecutor(max(1, concurrency), thread_name_prefix="store-upload")
        self._lock = threading.Lock()
        self._futures: list[Future[FileResult]] = []
        self._submitted: set[Path] = set()

    def submit(self, path: Path) -> Future[FileResult] | None:
        """Queue ``path`` (once); returns its future."""
        with self._lock:
            if path in self._submitted:
                return None
            self._submitted.add(path)
            future = self._pool.submit(self.upload, path)
            self._futures.append(future)
            return future

    def results(self) -> list[FileResult]:
        """Wait for everything submitted so far and return the outcomes."""
        with self._lock:
            futures = list(self._futures)
        return [f.result() for f in futures]

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)

    def upload(self, path: Path) -> FileResult:
        """Upload one file with retries; never raises, never deletes unconfirmed data."""
        relative = path.relative_to(self.root).as_posix()
        digest = digest_file(path)
        error = ""
        for attempt in range(self.retries + 1):
            try:
                self.store.put(path, relative, digest)
                self._confirm(relative, digest)
            except KeyExistsError as exc:
                logger.error("Not overwriting %s: %s; local copy kept at %s", relative, exc, path)
                return FileResult(relative, digest.size, digest.sha256, "conflict", str(exc))
            except StoreError as exc:
                error = str(exc)
                if attempt < self.retries:
                    time.sleep(self.backoff * 2**attempt)
                continue
            if self.remove_local:
                path.unlink()
            return FileResult(relative, digest.size, digest.sha256, "stored")
        logger.warning("Upload of %s failed (%s); kept in the spool at %s", relative, error, path)
        return FileResult(relative, digest.size, digest.sha256, "spooled", error)

    def _confirm(self, relative: str, digest: Digest) -> None:
        """The store must report the size and sha256 we sent."""
        info = self.store.stat(relative)
        if info is None:
            raise StoreError(f"{self.store.description}: {relative} missing right after upload")
        if info.size != digest.size or info.sha256 not in (None, digest.sha256):
            raise StoreError(
                f"{self.store.description}: {relative} stored as {info.size} bytes"
                f" sha256 {info.sha256}, sent {digest.size} bytes sha256 {digest.sha256}"
            )
