"""Detect truncated compressed bodies before Scrapy decompresses them.

Scrapy's HttpCompressionMiddleware returns whatever prefix of a cut-off gzip/deflate/br
stream it could decompress, without saying so. This middleware, on the response path
just before it, runs the stream through a decompressor (discarding the output, bounded by
DOWNLOAD_MAXSIZE) and flags a stream that ends early: it is logged with the URL, counted
(``crawl/errors/truncated_body``), and marked ``body_truncated`` in the request meta so
the item says so. The response is kept: a partial page is still evidence, and the raw
bytes are what the archive preserves.
"""

from __future__ import annotations

import logging
import zlib
from typing import TYPE_CHECKING, Protocol

import brotli

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

_CHUNK = 64 * 1024
#: Most output one decompression step may produce: a small, highly compressed body (a
#: "bomb", or a huge page of repeated markup) would otherwise be inflated in one piece
#: (30 MB at once for a 32 MB page).
_MAX_OUTPUT = 1024 * 1024


class _Stream(Protocol):
    def feed(self, data: bytes, budget: int) -> int: ...
    def finished(self) -> bool: ...


class _Zlib:
    def __init__(self, wbits: int) -> None:
        self._d = zlib.decompressobj(wbits)

    def feed(self, data: bytes, budget: int) -> int:
        """Output bytes ``data`` decompresses to, counted until past ``budget``."""
        produced = len(self._d.decompress(data, _MAX_OUTPUT))
        while self._d.unconsumed_tail and not self._d.eof and produced <= budget:
            produced += len(self._d.decompress(self._d.unconsumed_tail, _MAX_OUTPUT))
        return produced

    def finished(self) -> bool:
        return self._d.eof


class _Brotli:
    def __init__(self) -> None:
        self._d = brotli.Decompressor()

    def feed(self, data: bytes, budget: int) -> int:
        """Output bytes ``data`` decompresses to, counted until past ``budget``."""
        step = len(self._d.process(data, output_buffer_limit=_MAX_OUTPUT))
        produced = step
        while step and not self._d.is_finished() and produced <= budget:  # drain the input
            step = len(self._d.process(b"", output_buffer_limit=_MAX_OUTPUT))
            produced += step
        return produced

    def finished(self) -> bool:
        return bool(self._d.is_finished())


def _decoder(encoding: str) -> _Stream | None:
    if encoding in ("gzip", "x-gzip"):
        return _Zlib(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return _Zlib(zlib.MAX_WBITS)
    if encoding == "br":
        return _Brotli()
    return None


def stream_complete(body: bytes, encoding: str, limit: int) -> bool | None:
    """True if ``body`` is a complete stream of ``encoding``; None if undecided.

    Undecided: unknown encoding, corrupt data (Scrapy reports that itself), or more than
    ``limit`` bytes of output (Scrapy's size cap refuses such a body anyway).
    """
    decoder = _decoder(encoding)
    if decoder is None:
        return None
    produced = 0
    try:
        for start in range(0, len(body), _CHUNK):
            produced += decoder.feed(body[start : start + _CHUNK], limit - produced)
            if produced > limit:
                return None
    except (zlib.error, brotli.error):
        return None
    return decoder.finished()


class ContentEncodingCheckMiddleware:
    """Downloader middleware flagging truncated gzip/deflate/br bodies."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.limit = crawler.settings.getint("DOWNLOAD_MAXSIZE") or 2**62

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        value = response.headers.get("Content-Encoding")
        if not value or request.method == "HEAD" or not response.body:
            return response
        encodings = [e.strip().lower() for e in value.decode("latin-1").split(",")]
        # The last coding applied is the outermost layer: check that one.
        if stream_complete(response.body, encodings[-1], self.limit) is False:
            request.meta["body_truncated"] = True
            self.crawler.stats.inc_value("crawl/errors/truncated_body")
            logger.warning(
                "%s: %s body is truncated (%d bytes received); keeping the partial page",
                response.url,
                encodings[-1],
                len(response.body),
            )
        return response
