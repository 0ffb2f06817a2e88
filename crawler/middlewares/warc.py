"""WARC capture: write each exchange's request and response records as received.

Sits on the response path right after the download handler (before decompression,
redirects, retries and robots handling), takes the raw exchange the capturing download
handler left in ``request.meta`` and writes it through the rotating writer. Which
exchanges are kept is configurable (WARC_ARCHIVE_* settings); a payload already
archived (this crawl or an earlier one, per the digest index) becomes a ``revisit``.
A write failure (disk full) stops the crawl cleanly: closed files stay intact and the
``.open`` file is recovered on the next start.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import DownloadCancelledError, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from crawler.archive import archive_file_closed, crawl_id, settings_root
from crawler.capture.handler import EXCHANGE_META
from pipelines.cdxj import write_index
from pipelines.dedup import DigestIndex, SqliteDigestIndex
from pipelines.warc_records import RecordFactory, sha1_digest
from pipelines.warc_recovery import recover_open_files
from pipelines.warc_writer import RecordLocation, RotatingWarcWriter, index_path

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from crawler.capture.raw import RawExchange

logger = logging.getLogger(__name__)

# request.meta key holding where the response record of this request was written.
RECORD_META = "warc_record"


class WarcCaptureMiddleware:
    """Downloader middleware writing WARC records for every captured exchange."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED"):
            raise NotConfigured("WARC_ENABLED is off")
        self.crawler = crawler
        self.root = settings_root(settings)
        self.factory = RecordFactory(
            settings["WARC_VERSION"], settings.getlist("WARC_REDACT_HEADERS")
        )
        self.skip_status = {int(s) for s in settings.getlist("WARC_SKIP_STATUS")}
        self.archive_robots = settings.getbool("WARC_ARCHIVE_ROBOTS")
        self.dedup_enabled = settings.getbool("WARC_DEDUP_ENABLED")
        self.writer: RotatingWarcWriter | None = None
        self.dedup: DigestIndex | None = None
        self.failed = False
        self._index_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cdxj")
        self._indexing: list[Future[None]] = []
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        settings = self.crawler.settings
        recover_open_files(self.root, self._index)
        self.writer = RotatingWarcWriter(
            self.root, spider.name, self.factory,
            prefix=settings["WARC_PREFIX"], max_size=settings.getint("WARC_MAX_SIZE"),
            max_age=settings.getfloat("WARC_MAX_AGE"), info=self._info(spider),
            gzip_level=settings.getint("WARC_GZIP_LEVEL"),
            on_close=self._index_later,
        )  # fmt: skip
        if self.dedup_enabled:
            path = settings.get("WARC_DEDUP_PATH") or self.root / "state" / "dedup.sqlite3"
            self.dedup = SqliteDigestIndex(Path(path))

    async def spider_closed(self, spider: Spider) -> None:
        if self.writer is not None and self.failed:
            logger.error("WARC file left as .open after a write error; recovered on next start")
        elif self.writer is not None:
            self.writer.close()
        if self.dedup is not None:
            self.dedup.close()
        pending, self._indexing = self._indexing, []
        for job in pending:
            await asyncio.wrap_future(job)
        self._index_pool.shutdown(wait=False)

    def _index_later(self, warc: Path) -> None:
        """Index a closed WARC in a worker thread: it re-reads the whole file (seconds per
        GB), which must not stall the reactor at each rotation."""
        self._indexing.append(self._index_pool.submit(self._index, warc))

    def process_response(self, request: Request, response: Response) -> Response:
        exchange: RawExchange | None = request.meta.pop(EXCHANGE_META, None)
        if exchange is None or self.failed or not self._wanted(request, response):
            return response
        try:
            location = self._write(response.url, exchange)
        except OSError:
            logger.exception(
                "Cannot write WARC record for %s under %s; stopping the crawl",
                request.url, self.root,
            )  # fmt: skip
            self._fail()
            return response
        request.meta[RECORD_META] = location
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        """A response cut off at DOWNLOAD_MAXSIZE is not archived: say so."""
        if isinstance(exception, DownloadCancelledError):
            self.crawler.stats.inc_value("warc/skipped/too_large")
            logger.warning("Not archived (over DOWNLOAD_MAXSIZE): %s", request.url)

    def write_metadata(self, uri: str, refers_to: str, fields: dict[str, str]) -> None:
        """A ``metadata`` record about an archived response (e.g. its parsed record)."""
        if self.writer is None or self.failed:
            return
        try:
            self.writer.write([self.factory.metadata(uri, refers_to, fields)])
        except OSError:
            logger.exception("Cannot write WARC metadata record for %s", uri)
            self._fail()
            return
        self.crawler.stats.inc_value("warc/metadata_records")

    def _wanted(self, request: Request, response: Response) -> bool:
        if response.status in self.skip_status:
            return False
        return self.archive_robots or not request.url.endswith("/robots.txt")

    def _write(self, uri: str, exchange: RawExchange) -> dict[str, Any]:
        assert self.writer is not None
        _, body = exchange.split_response()
        digest = sha1_digest(body)
        first = self.dedup.lookup(digest) if self.dedup and body else None
        if first is not None:
            main = self.factory.revisit(uri, exchange, digest, first)
            self.crawler.stats.inc_value("warc/revisits")
        else:
            main = self.factory.response(uri, exchange, digest)
        record_id = main.rec_headers.get_header("WARC-Record-ID")
        request_record = self.factory.request(uri, exchange, record_id)
        locations = self.writer.write([main, request_record])
        if first is None and self.dedup is not None and body:
            self.dedup.add(digest, uri, main.rec_headers.get_header("WARC-Date"))
        self._count(locations)
        return _location_dict(locations[0], digest)

    def _count(self, locations: list[RecordLocation]) -> None:
        stats = self.crawler.stats
        stats.inc_value("warc/records_written", len(locations))
        stats.inc_value("warc/bytes_written", sum(loc.length for loc in locations))

    def _fail(self) -> None:
        """Stop capturing and close the spider; the .open file is recovered next start."""
        self.failed = True
        self.crawler.stats.inc_value("warc/write_errors")
        assert self.crawler.engine is not None
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="warc_write_error"))

    def _index(self, warc: Path) -> None:
        relative = str(warc.relative_to(self.root))
        try:
            write_index(warc, index_path(self.root, warc), relative)
        except Exception:
            self.crawler.stats.inc_value("warc/index_errors")
            logger.exception("Cannot index %s; the WARC is intact, index it later", warc)
            self._announce(warc)
            return
        self.crawler.stats.inc_value("warc/files_closed")
        self._announce(warc)
        self._announce(index_path(self.root, warc))

    def _announce(self, path: Path) -> None:
        self.crawler.signals.send_catch_log(signal=archive_file_closed, path=path)

    def _info(self, spider: Spider) -> dict[str, str]:
        settings = self.crawler.settings
        robots = "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore"
        return {
            "operator": settings.get("WARC_OPERATOR") or "",
            "robots": robots,
            "isPartOf": crawl_id(self.crawler),
            "http-header-user-agent": settings.get("USER_AGENT") or "",
            "description": f"newsarchive crawl of outlet {spider.name}",
        }


def _location_dict(location: RecordLocation, digest: str) -> dict[str, Any]:
    return {
        "filename": location.filename,
        "offset": location.offset,
        "length": location.length,
        "record_id": location.record_id,
        "payload_digest": digest,
    }
