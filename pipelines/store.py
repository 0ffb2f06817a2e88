"""Scrapy extension sending the crawl's finished files to the archive store.

Writers announce each finished file with the :data:`crawler.archive.archive_file_closed`
signal; for ``s3://`` archives the file is queued for upload at once (threads; the reactor
never waits). A spool left by an earlier crawl is pushed first. When the engine stops,
every pending upload is finished or left in the spool, and the crawl manifest is written
last. The spool is bounded by ``ARCHIVE_SPOOL_MAX_BYTES``: past it the crawl stops with a
clear error, keeping every file.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

from crawler.archive import archive_file_closed, crawl_id
from crawler.store import local_root, open_store, parse_archive_uri
from crawler.store.manifest import MANIFEST_AREA, build_manifest, publish, sync
from crawler.store.transfer import FileResult, Uploader, pending_files, spool_bytes

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def uploader_for(settings: Any, store: Any, root: Path, remove_local: bool) -> Uploader:
    """An :class:`Uploader` configured from the ``ARCHIVE_UPLOAD_*`` settings."""
    return Uploader(
        store, root,
        concurrency=int(settings["ARCHIVE_UPLOAD_CONCURRENCY"]),
        retries=int(settings["ARCHIVE_UPLOAD_RETRIES"]),
        backoff=float(settings["ARCHIVE_UPLOAD_BACKOFF"]),
        remove_local=remove_local,
    )  # fmt: skip


class ArchiveStoreExtension:
    """Uploads finished files, bounds the spool and writes the crawl manifest."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("ARCHIVE_STORE_ENABLED"):
            raise NotConfigured("ARCHIVE_STORE_ENABLED is off")
        self.crawler = crawler
        self.location = parse_archive_uri(settings["ARCHIVE_URI"])
        self.root = local_root(settings)
        self.store = open_store(settings)
        self.spool_max = settings.getint("ARCHIVE_SPOOL_MAX_BYTES")
        self.uploader = uploader_for(settings, self.store, self.root, self.location.is_s3)
        self.files: list[Path] = []
        self.started = datetime.now(UTC)
        self._full = False
        self._startup: threading.Thread | None = None
        self._lock = threading.Lock()
        self._spooled = 0  # bytes of finished files in the spool not yet confirmed stored
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.file_closed, signal=archive_file_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        """Push what an earlier crawl left in the spool (files, then their manifests)."""
        if not self.location.is_s3:
            return
        self._spooled = spool_bytes(self.root)
        waiting = pending_files(self.root)  # listed now: files of this crawl come later
        manifests = list((self.root / MANIFEST_AREA).glob("*.json"))
        if waiting or manifests:
            logger.info("Pushing %d files and %d manifests left in the spool %s to %s first",
                        len(waiting), len(manifests), self.root,
                        self.store.description)  # fmt: skip
            self._startup = threading.Thread(
                target=self._push_spool, args=(waiting,), name="store-spool", daemon=True
            )
            self._startup.start()

    def _push_spool(self, paths: list[Path]) -> None:
        uploader = uploader_for(self.crawler.settings, self.store, self.root, True)
        sizes = {p.relative_to(self.root).as_posix(): p.stat().st_size for p in paths}
        try:
            report = sync(self.store, self.root, uploader, keep_local=False, paths=paths)
        finally:
            uploader.shutdown()
        with self._lock:
            self._spooled -= sum(sizes.get(key, 0) for key in report.stored)
        self.crawler.stats.set_value("store/spool_pushed", len(report.stored))

    def file_closed(self, path: Path) -> None:
        """A writer finished ``path``: remember it, upload it, check the spool bound."""
        self.files.append(Path(path))
        self.crawler.stats.inc_value("store/files_closed")
        if not self.location.is_s3:
            return
        future = self.uploader.submit(Path(path))
        if future is not None:
            self._track(future, Path(path).stat().st_size)
        if not self._full and self._spooled > self.spool_max:
            self._full = True
            logger.error(
                "Spool %s holds more than ARCHIVE_SPOOL_MAX_BYTES=%d bytes: the store %s is"
                " not taking files; stopping the crawl (every file is kept; run"
                " `newsarchive sync` when the store is back)",
                self.root, self.spool_max, self.store.description,
            )  # fmt: skip
            self.crawler.stats.set_value("store/spool_full", True)
            from twisted.internet import reactor

            # Writers may announce files from worker threads: stop from the reactor thread.
            reactor.callFromThread(self._stop_crawl)

    def _track(self, future: Future[FileResult], size: int) -> None:
        """Count ``size`` bytes as spooled until the upload is confirmed (the bound is
        checked against this running total, not a walk of the spool per file)."""
        with self._lock:
            self._spooled += size

        def done(finished: Future[FileResult]) -> None:
            if finished.exception() is None and finished.result().status == "stored":
                with self._lock:
                    self._spooled -= size

        future.add_done_callback(done)

    def _stop_crawl(self) -> None:
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason="spool_full"))

    async def engine_stopped(self) -> None:
        """Finish uploads (or leave them spooled), then write the manifest."""
        await asyncio.get_running_loop().run_in_executor(None, self._finish)

    def _finish(self) -> None:
        if self._startup is not None:
            self._startup.join()
        results: dict[str, FileResult] = {}
        if self.location.is_s3:
            results = {r.key: r for r in self.uploader.results()}
        self.uploader.shutdown()
        own = [self._result(p, results) for p in self.files]
        stats = self.crawler.stats
        for status in ("stored", "spooled", "conflict"):
            stats.set_value(f"store/files_{status}", sum(1 for r in own if r.status == status))
        spider = self.crawler.spider
        manifest = build_manifest(
            crawl_id(self.crawler), [spider.name] if spider else [], self.started,
            self.crawler.settings.copy_to_dict(), stats.get_stats(), own,
        )  # fmt: skip
        stored = publish(manifest, self.store, self.root, keep_local=not self.location.is_s3)
        logger.info(
            "Crawl manifest %s: %d files, %s", manifest["crawl_id"], len(own),
            f"in {self.store.description}" if stored else f"waiting in the spool {self.root}",
        )  # fmt: skip
        if self.crawler.settings.getbool("CATALOG_UPDATE_AFTER_CRAWL"):
            from crawler.access.ingest import update_after_crawl

            update_after_crawl(self.crawler.settings, self.store, self.root, manifest, stored)

    def _result(self, path: Path, results: dict[str, FileResult]) -> FileResult:
        relative = path.relative_to(self.root).as_posix()
        if relative in results:
            return results[relative]
        from crawler.store.backends import digest_file

        digest = digest_file(path)
        return FileResult(relative, digest.size, digest.sha256, "stored")
