"""Redirect policy, applied before Scrapy's RedirectMiddleware follows a Location:

* a loop (a target already in this chain) is cut, logged and counted;
* a chain longer than REDIRECT_MAX_TIMES is cut, logged and counted (Scrapy only
  logs this at DEBUG level);
* an off-domain target is followed only if the outlet's
  ``network.follow_offsite_redirects`` allows it, and is logged either way.

Stats: ``discovery/errors/redirect_loop``, ``discovery/errors/redirect_limit``,
``discovery/errors/offsite_redirect``, ``redirect/offsite_followed``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from w3lib.url import safe_url_string

from crawler.failures import RefusedRequest
from crawler.urls import canonicalize, host_in_domains

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})


class RedirectPolicyMiddleware:
    """Downloader middleware enforcing loop, length and off-domain redirect rules."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_times = crawler.settings.getint("REDIRECT_MAX_TIMES")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if (
            response.status not in _REDIRECT_CODES
            or not location
            or request.meta.get("dont_redirect")
        ):
            return response
        target = urljoin(request.url, safe_url_string(location))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if canonicalize(target) in {canonicalize(u) for u in chain}:
            self._refuse(
                request, "redirect_loop", f"redirect loop {' -> '.join(chain)} -> {target}"
            )
        if len(chain) > self.max_times:
            self._refuse(request, "redirect_limit", f"more than {self.max_times} redirects")
        self._check_offsite(request, target)
        hook = getattr(self.crawler.spider, "redirect_seen", None)
        if hook is not None:
            hook(request, target)
        return response

    def _check_offsite(self, request: Request, target: str) -> None:
        spider = self.crawler.spider
        domains = getattr(spider, "allowed_domains", None)
        if not domains or host_in_domains(target, domains):
            return
        outlet = getattr(spider, "outlet", None)
        if outlet is not None and outlet.network.follow_offsite_redirects:
            logger.info("Following off-domain redirect %s -> %s", request.url, target)
            self.crawler.stats.inc_value("redirect/offsite_followed")
            request.meta["allow_offsite"] = True
            return
        self._refuse(
            request,
            "offsite_redirect",
            f"off-domain redirect to {target} not followed"
            " (network.follow_offsite_redirects is false)",
        )

    def _refuse(self, request: Request, kind: str, message: str) -> None:
        self.crawler.stats.inc_value(f"discovery/errors/{kind}")
        logger.warning("%s: %s", request.url, message, extra={"spider": self.crawler.spider})
        raise RefusedRequest(kind, message)
