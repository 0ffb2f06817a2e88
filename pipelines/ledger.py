"""Write the crawl's discovery ledger into the archive when the spider closes.

``<archive>/discovery/<outlet>/<YYYY>/<MM>/<DD>/<crawl-id>.jsonl``: one JSON object per
candidate URL with every source that named it and its fate (fetched with status,
failed, robots_disallowed, filtered:too_old, ...). Items pass through unchanged.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

from crawler.archive import (
    archive_file_closed,
    crawl_id,
    dated_dir,
    settings_root,
    write_lines_atomically,
)

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class DiscoveryLedgerPipeline:
    """Item pipeline writing the spider's discovery ledger at close."""

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("DISCOVERY_LEDGER_ENABLED"):
            raise NotConfigured("DISCOVERY_LEDGER_ENABLED is off")
        self.crawler = crawler
        self.root = settings_root(crawler.settings)
        self.started = datetime.now(UTC)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        return item

    def close_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        ledger = getattr(spider, "ledger", None)
        if ledger is None or spider is None:
            return
        path = self.path(spider.name)
        lines = ((json.dumps(entry.as_dict(), ensure_ascii=False) + "\n").encode("utf-8")
                 for entry in ledger.entries())  # fmt: skip
        try:
            write_lines_atomically(path, lines)
        except OSError:
            self.crawler.stats.inc_value("ledger/write_errors")
            logger.exception("Cannot write discovery ledger %s", path)
            return
        self.crawler.stats.set_value("ledger/path", str(path))
        self.crawler.stats.set_value("ledger/entries", len(ledger))
        # entries that waited on disk at some point (LEDGER_MEMORY_ENTRIES), and the flush
        self.crawler.stats.set_value("ledger/entries_stored", getattr(ledger, "stored", 0))
        self.crawler.signals.send_catch_log(signal=archive_file_closed, path=path)
        logger.info("Discovery ledger: %d candidate URLs in %s", len(ledger), path)

    def path(self, outlet: str) -> Path:
        directory = dated_dir(self.root, "discovery", outlet, self.started)
        return directory / f"{crawl_id(self.crawler)}.jsonl"
