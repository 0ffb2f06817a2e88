"""A plain Scrapy spider fetching a list of URLs: the baseline under any Scrapy crawl of them.

Fetches every URL of a file (one a line) with Scrapy's default middlewares, no robots.txt,
no politeness delay, no pipelines and no WARC, a ``parse`` that does nothing, and prints
the crawl's Scrapy stats as JSON, with ``cpu_seconds`` (the process's CPU time while it
crawled) added. ``bench_discovery.py`` compares the discovery crawl with it;
``bench_pipeline.py`` runs it against the same fixture server as its crawl, at the crawl's
concurrency and at twice it (a no-op fetch waits on the network at 16 and is fastest near
32 on this host; the crawl, bound by CPU, is not faster at 32): no crawl that fetches those
responses with Scrapy on this host can be faster than the faster of the two.

Run: ``python tests/bench/bare_fetch.py URLS_FILE [--concurrency N] [--maxsize BYTES]``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any


def fetch(urls: list[str], concurrency: int, maxsize: int = 0) -> dict[str, Any]:
    """Fetch ``urls`` with a plain spider; its Scrapy stats and ``cpu_seconds``."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    class PlainSpider(scrapy.Spider):
        name = "plain"

        async def start(self) -> AsyncIterator[Any]:
            for url in urls:
                yield scrapy.Request(url, callback=self.parse, errback=self.failed,
                                     dont_filter=True)  # fmt: skip

        def parse(self, response: Any, **kwargs: Any) -> None:
            return None

        def failed(self, failure: Any) -> None:
            return None

    process = CrawlerProcess(
        {
            "LOG_LEVEL": "WARNING",
            "ROBOTSTXT_OBEY": False,
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "DOWNLOAD_DELAY": 0,
            "DOWNLOAD_MAXSIZE": maxsize,
            "TELNETCONSOLE_ENABLED": False,
            "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        }
    )
    crawler = process.create_crawler(PlainSpider)
    process.crawl(crawler)
    cpu = time.process_time()
    process.start()
    stats: dict[str, Any] = dict(crawler.stats.get_stats() if crawler.stats else {})
    return {**stats, "cpu_seconds": time.process_time() - cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", type=Path, help="a file of URLs, one a line")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--maxsize", type=int, default=0, help="DOWNLOAD_MAXSIZE (0: none)")
    args = parser.parse_args()
    urls = [line for line in args.urls.read_text().split() if line]
    print(json.dumps(fetch(urls, args.concurrency, args.maxsize), default=str))


if __name__ == "__main__":
    main()
