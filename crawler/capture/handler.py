"""Download handler: Scrapy's HTTP/1.1 handler with wire capture.

Each Scrapy request that goes over HTTP(S) leaves its :class:`RawExchange` in
``request.meta["warc_exchange"]`` once the response arrives; the WARC middleware takes
it from there. Everything else (TLS, proxies, size caps, timeouts) is Scrapy's code.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler, _ScrapyAgent
from scrapy.exceptions import ResponseDataLossError
from scrapy.utils._download_handlers import get_dataloss_msg, wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future

from crawler.capture.protocol import CAPTURE_ATTRIBUTE, CapturingHTTP11ClientFactory

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.web.client import Agent
    from twisted.web.iweb import IResponse

logger = logging.getLogger(__name__)

EXCHANGE_META = "warc_exchange"


class _CapturingAgent(_ScrapyAgent):
    """Scrapy's agent, linking the Twisted response's capture to the Scrapy request."""

    def _get_agent(self, request: Request, timeout: float) -> Agent:
        agent = super()._get_agent(request, timeout)
        original = agent.request

        def tagged(*args: Any, **kwargs: Any) -> Any:
            deferred = original(*args, **kwargs)

            def link(response: IResponse) -> IResponse:
                exchange = getattr(response, CAPTURE_ATTRIBUTE, None)
                if exchange is not None:
                    request.meta[EXCHANGE_META] = exchange
                return response

            return deferred.addCallback(link)

        agent.request = tagged  # type: ignore[method-assign]
        return agent


class CapturingDownloadHandler(HTTP11DownloadHandler):
    """HTTP(S) download handler whose connections record raw exchanges."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._pool._factory = CapturingHTTP11ClientFactory

    async def download_request(self, request: Request) -> Response:
        # Mirrors HTTP11DownloadHandler.download_request (Scrapy 2.19) with our agent.
        request.meta.pop(EXCHANGE_META, None)  # never carry a previous hop's capture
        agent = _CapturingAgent(
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=self._default_maxsize,
            warnsize=self._default_warnsize,
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        try:
            with wrap_twisted_exceptions():
                return await maybe_deferred_to_future(agent.download_request(request))
        except ResponseDataLossError:
            if not self._fail_on_dataloss_warned:
                self._log_dataloss(request)
            raise

    def _log_dataloss(self, request: Request) -> None:
        logger.warning("%s", get_dataloss_msg(request.url))
        self._fail_on_dataloss_warned = True
