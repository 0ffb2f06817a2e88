"""Refuse IP-literal URLs and responses from private addresses (see crawler.safety)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.httpobj import urlparse_cached

from crawler.safety import allow_private_hosts, refusal

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class AddressSafetyMiddleware:
    """Downloader middleware enforcing the private-address policy."""

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("SAFETY_ENABLED"):
            raise NotConfigured("SAFETY_ENABLED is off")
        self.stats = crawler.stats
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        """Register the outlet's hosts as private-capable when its config allows it."""
        outlet = getattr(spider, "outlet", None)
        if outlet is not None and outlet.network.allow_private:
            allow_private_hosts(outlet.domains)

    def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        self._enforce(request, host, host)

    def process_response(self, request: Request, response: Response) -> Response:
        address = response.ip_address
        if address is not None:
            self._enforce(request, urlparse_cached(request).hostname or "", str(address))
        return response

    def _enforce(self, request: Request, host: str, address: str) -> None:
        message = refusal(host, address)
        if message is None:
            return
        self.stats.inc_value("safety/refused")
        logger.warning("%s (%s)", message, request.url)
        raise IgnoreRequest(message)
