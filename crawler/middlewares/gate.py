"""Ask the spider, just before an article is downloaded, whether it still wants it.

Discovery keeps learning about a URL after its request was scheduled (a sitemap read
later may date it beyond the outlet's max age); the spider's ``admit(request)`` hook
decides with everything known at download time, and raises IgnoreRequest to drop it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler


class AdmissionGateMiddleware:
    """Downloader middleware calling ``spider.admit(request)`` when the spider has one."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        admit = getattr(self.crawler.spider, "admit", None)
        if admit is not None:
            admit(request)
