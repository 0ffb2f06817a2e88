"""Politeness extensions: robots.txt Crawl-delay as a per-host delay floor, and an
AutoThrottle that never lowers a delay below that floor.

The floor is stored where Scrapy itself keeps per-slot settings (the downloader's
``DOWNLOAD_SLOTS`` table), so a slot re-created after idling keeps it, and a delay an
operator sets in ``DOWNLOAD_SLOTS`` is honoured by AutoThrottle too.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.extensions.throttle import AutoThrottle
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.core.downloader import Downloader, Slot
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)


def _downloader(crawler: Crawler) -> Downloader:
    assert crawler.engine is not None
    return crawler.engine.downloader


def slot_floor(crawler: Crawler, key: str) -> float:
    """The least delay allowed for download slot ``key`` (0 when none is set)."""
    per_slot: dict[str, dict[str, Any]] = _downloader(crawler).per_slot_settings
    return float(per_slot.get(key, {}).get("delay", 0.0))


def set_slot_floor(crawler: Crawler, key: str, delay: float) -> None:
    """Make ``delay`` the least delay of slot ``key``, now and for a re-created slot.

    Jitter is switched off for the slot: Scrapy's jitter would otherwise send requests
    up to 50% sooner than a Crawl-delay allows.
    """
    downloader = _downloader(crawler)
    entry = downloader.per_slot_settings.setdefault(key, {})
    entry["delay"] = max(delay, float(entry.get("delay", 0.0)))
    entry["jitter"] = 0.0
    slot = downloader.slots.get(key)
    if slot is not None:
        slot.delay = max(slot.delay, entry["delay"])
        slot.jitter = 0.0


class CrawlDelay:
    """Turn each robots.txt ``Crawl-delay`` for our user agent into a slot delay floor."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("POLITENESS_CRAWL_DELAY_ENABLED"):
            raise NotConfigured("POLITENESS_CRAWL_DELAY_ENABLED is off")
        self.crawler = crawler
        self.max_delay = settings.getfloat("POLITENESS_CRAWL_DELAY_MAX")
        self.user_agent: str = settings.get("ROBOTSTXT_USER_AGENT") or settings["USER_AGENT"]
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        """Signal handler: read Crawl-delay and apply it to the request's slot."""
        delay = robotparser.crawl_delay(self.user_agent)
        if delay is None or delay <= 0:
            return
        host = urlparse_cached(request).hostname or ""
        if delay > self.max_delay:
            logger.warning(
                "robots.txt of %s asks Crawl-delay %.1fs; capped at POLITENESS_CRAWL_DELAY_MAX"
                " = %.1fs",
                host,
                delay,
                self.max_delay,
            )
            delay = self.max_delay
        key = _downloader(self.crawler).get_slot_key(request)
        set_slot_floor(self.crawler, key, delay)
        self.crawler.stats.set_value(f"politeness/crawl_delay/{host}", delay)
        logger.info("Crawl-delay %.2fs applied to %s (from robots.txt)", delay, host)


class PoliteAutoThrottle(AutoThrottle):
    """AutoThrottle whose adjusted delay never drops below the slot's floor."""

    def _response_downloaded(self, response: Response, request: Request, spider: Any) -> None:
        super()._response_downloaded(response, request, spider)
        key, slot = self._get_slot(request, spider)
        if key is not None and slot is not None:
            self._clamp(key, slot)

    def _clamp(self, key: str, slot: Slot) -> None:
        floor = slot_floor(self.crawler, key)
        if slot.delay < floor:
            slot.delay = floor
