"""UTF-8 pages served under a Western single-byte charset are read as UTF-8.

A server that declares ``charset=ISO-8859-1`` or ``windows-1252`` (a common default of
web servers and frameworks) for a page written in UTF-8 makes every non-ASCII letter two
or three ("cafÃ©", "isnâ€™t"), and bytes that windows-1252 leaves undefined come out as
U+FFFD, past any repair. A body in such a charset that is valid UTF-8 and not plain ASCII
is UTF-8: text really written in windows-1252 ("café" is ``63 61 66 E9``) is almost never
valid UTF-8. Such a response is passed on decoded as UTF-8 (the WARC keeps the exchange as
it came), counted in ``charset/utf8_misdeclared`` and logged. ``newsarchive extract``
applies the same rule to archived responses (:mod:`crawler.charset`, where the rules
live).

The other way round, a page declared UTF-8 (an old site's text under a new template's
``<meta charset="utf-8">``) whose body is not valid UTF-8 and holds not one UTF-8 sequence
of several bytes is written in a single-byte charset: read as UTF-8, every accented
letter would be U+FFFD. It is read as windows-1252 and counted in
``charset/single_byte_misdeclared``. A UTF-8 page with a few damaged bytes has many valid
sequences beside them and stays UTF-8.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Self

from scrapy.exceptions import NotConfigured
from scrapy.http import Response, TextResponse

from crawler import charset

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def misdeclared_utf8(response: TextResponse) -> bool:
    """Whether ``response`` is declared in a Western single-byte charset but its body is
    UTF-8 (valid, and not plain ASCII)."""
    return charset.misdeclared_utf8(response.encoding, response.body)


def misdeclared_single_byte(response: TextResponse) -> bool:
    """Whether ``response`` is declared UTF-8 but written in a single-byte charset (see
    the module docstring)."""
    return charset.misdeclared_single_byte(response.encoding, response.body, lambda: response.text)


def as_written(response: TextResponse) -> TextResponse:
    """``response``, decoded in the charset its body is written in where it was served
    under the wrong one (see the module docstring)."""
    written = charset.written_encoding(response.encoding, response.body, lambda: response.text)
    return response if written is None else response.replace(encoding=written)


class CharsetSniffMiddleware:
    """Reads pages served under the wrong charset in the one they are written in."""

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("CHARSET_SNIFF_ENABLED"):
            raise NotConfigured("CHARSET_SNIFF_ENABLED is off")
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        read = as_written(response)
        if read is not response:
            assert self.crawler.stats is not None
            kind = "utf8" if read.encoding == "utf-8" else "single_byte"
            self.crawler.stats.inc_value(f"charset/{kind}_misdeclared")
            logger.info("%s: served as %s but written in %s; read so", response.url,
                        response.encoding, read.encoding)  # fmt: skip
        return read
