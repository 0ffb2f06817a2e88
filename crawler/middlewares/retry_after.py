"""Honour ``Retry-After`` on 429/503: wait (bounded), then retry; hold the host meanwhile.

Scrapy's RetryMiddleware retries 429/503 at once, which hammers a server that asked us
to wait. This middleware sits before it on the response path: when the response names
a Retry-After within POLITENESS_RETRY_AFTER_MAX, every request to that host waits until
the time has passed, and the failed request is retried (counted like any other retry).
A longer or missing Retry-After falls through to RetryMiddleware's usual handling.
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import sleep
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


def parse_retry_after(value: bytes | str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP-date), or None."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


class RetryAfterMiddleware:
    """Downloader middleware: wait for Retry-After, then retry."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("POLITENESS_RETRY_AFTER_ENABLED") or not settings.getbool(
            "RETRY_ENABLED"
        ):
            raise NotConfigured("POLITENESS_RETRY_AFTER_ENABLED or RETRY_ENABLED is off")
        self.crawler = crawler
        self.max_wait = settings.getfloat("POLITENESS_RETRY_AFTER_MAX")
        self.codes = {int(c) for c in settings.getlist("POLITENESS_RETRY_AFTER_CODES")}
        self.hold_until: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        """Requests to a host that asked us to wait are held until the time has passed."""
        host = urlparse_cached(request).hostname or ""
        remaining = self.hold_until.get(host, 0.0) - time.time()
        if remaining > 0:
            await sleep(remaining)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in self.codes or request.meta.get("dont_retry"):
            return response
        wait = parse_retry_after(response.headers.get("Retry-After"), time.time())
        if wait is None or wait > self.max_wait:
            if wait is not None:
                logger.warning(
                    "%s asks Retry-After %.0fs, above POLITENESS_RETRY_AFTER_MAX %.0fs",
                    request.url,
                    wait,
                    self.max_wait,
                )
            return response
        assert self.crawler.spider is not None
        retry = get_retry_request(
            request, spider=self.crawler.spider, reason=f"{response.status} Retry-After"
        )
        if retry is None:
            return response
        host = urlparse_cached(request).hostname or ""
        self.hold_until[host] = max(self.hold_until.get(host, 0.0), time.time() + wait)
        self.crawler.stats.inc_value("politeness/retry_after_waits")
        logger.info("%s: %d with Retry-After %.1fs; waiting", request.url, response.status, wait)
        await sleep(wait)
        return retry
