"""Item pipeline: each fetched article becomes a parsed record (crawler/records.py).

Extraction runs in worker processes (:class:`crawler.extract_pool.ExtractionPool`), so
the reactor keeps crawling; records go to rotating ``records/...jsonl.gz`` files, and
the article's WARC gets a ``metadata`` record pointing at its parsed record.
Stats: ``extract/status/<extraction_status>``, ``extract/records``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

from crawler.archive import archive_file_closed, crawl_id, settings_root
from crawler.extract_pool import ExtractionPool
from crawler.memusage import peak_rss
from crawler.records import SCHEMA_ID
from pipelines.record_files import RecordFileWriter, recover_record_files

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Item keys the spider fills for this pipeline (popped here, never exported): the page
# text, further comment pages [(url, text)], WordPress REST comment pages.
HTML_FIELD = "_html"
PAGES_FIELD = "_comment_pages"
REST_META = "_comment_rest"


class RecordsPipeline:
    """Extract, write records, link them from the WARC."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("EXTRACT_ENABLED"):
            raise NotConfigured("EXTRACT_ENABLED is off")
        self.crawler = crawler
        self.root = settings_root(settings)
        self.pool: ExtractionPool | None = None
        self.writer: RecordFileWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        settings = self.crawler.settings
        recover_record_files(self.root)
        self.pool = ExtractionPool(
            settings.getint("EXTRACT_WORKERS"), settings.getfloat("EXTRACT_TIMEOUT"),
            settings.getint("EXTRACT_MEMORY_MB"),
        )  # fmt: skip
        name = self.crawler.spider.name if self.crawler.spider else "crawl"
        self.writer = RecordFileWriter(
            self.root, name, crawl_id(self.crawler),
            max_count=settings.getint("RECORDS_MAX_COUNT"),
            max_bytes=settings.getint("RECORDS_MAX_BYTES"),
            max_age=settings.getfloat("RECORDS_MAX_AGE"),
            on_close=self._announce,
        )  # fmt: skip

    async def process_item(self, item: Any) -> Any:
        html = item.pop(HTML_FIELD, None)
        pages, rest = item.pop(PAGES_FIELD, []), item.pop(REST_META, None)
        if html is None or self.pool is None or self.writer is None:
            return item
        context = {
            "outlet": item.get("outlet"), "fetched_at": item["fetched_at"],
            "status": item.get("status"), "warc": item.get("warc"),
            "comment_pages": pages, "comment_rest": rest,
        }  # fmt: skip
        record = await self.pool.extract((html, item["url"], context))
        record["canonical_url"] = record.get("canonical_url") or item.get("canonical_url")
        place = self.writer.write(record)
        stats = self.crawler.stats
        stats.inc_value("extract/records")
        stats.inc_value(f"extract/status/{record['extraction_status']}")
        item["record"] = {"filename": place.filename, "line": place.line}
        self._link_from_warc(item, record, place.filename, place.line)
        return item

    def _link_from_warc(self, item: Any, record: dict[str, Any], filename: str, line: int) -> None:
        from crawler.middlewares.warc import WarcCaptureMiddleware

        warc = item.get("warc")
        middleware = self.crawler.get_downloader_middleware(WarcCaptureMiddleware)
        if not warc or middleware is None:
            return
        fields = {
            "parsed-record": f"{filename}#line={line}",
            "schema": SCHEMA_ID,
            "extraction-status": str(record["extraction_status"]),
        }
        middleware.write_metadata(item["url"], warc["record_id"], fields)

    def _announce(self, path: Path) -> None:
        self.crawler.signals.send_catch_log(signal=archive_file_closed, path=path)

    async def close_spider(self, spider: Spider | None = None) -> None:
        if self.writer is not None:
            self.writer.close()
        if self.pool is not None:
            peaks = [p for p in map(peak_rss, self.pool.worker_pids()) if p is not None]
            if peaks:  # next to memusage/max (the crawl process's own)
                self.crawler.stats.set_value("extract/worker_memusage_max", max(peaks))
            self.pool.close()
