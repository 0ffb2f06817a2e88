"""A no-op Scrapy fetch of a list of URLs: the floor under any Scrapy crawl of them.

Fetches every URL of a file (one a line) with a plain Scrapy spider (Scrapy's default
middlewares, no robots.txt, no pipelines, no WARC, a ``parse`` that does nothing) at
``CONCURRENCY`` concurrent requests and prints ``{"responses": N, "seconds": S, "cpu":
C}`` as JSON. ``bench_pipeline.py`` runs it against the same fixture server as its crawl,
at the crawl's concurrency and at twice it (a no-op fetch waits on the network at 16 and
is fastest near 32 on this host; the crawl, bound by CPU, is not faster at 32): no crawl
that fetches those responses with Scrapy on this host can be faster than the faster of
the two.

Run: ``python tests/bench/bare_fetch.py URLS_FILE [CONCURRENCY]``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any


def fetch(urls: list[str], concurrency: int = 16) -> dict[str, float]:
    """Fetch ``urls`` with a plain spider; the count of responses and the seconds taken."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    counted = {"responses": 0}

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self) -> AsyncIterator[Any]:
            for url in urls:
                yield scrapy.Request(url, dont_filter=True)

        def parse(self, response: Any, **kwargs: Any) -> None:
            counted["responses"] += 1

    process = CrawlerProcess(
        {
            "LOG_LEVEL": "ERROR",
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "ROBOTSTXT_OBEY": False,
            "TELNETCONSOLE_ENABLED": False,
            "HTTPERROR_ALLOW_ALL": True,
            "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        }
    )
    process.crawl(BareSpider)
    started, cpu = time.perf_counter(), time.process_time()
    process.start()
    return {
        "responses": float(counted["responses"]),
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
    }


def main() -> None:
    urls = [line for line in Path(sys.argv[1]).read_text().splitlines() if line]
    concurrency = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    print(json.dumps(fetch(urls, concurrency)))


if __name__ == "__main__":
    main()
