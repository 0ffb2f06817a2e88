"""UTF-8 pages served under a Western single-byte charset are read as UTF-8.

A server that declares ``charset=ISO-8859-1`` or ``windows-1252`` (a common default of
web servers and frameworks) for a page written in UTF-8 makes every non-ASCII letter two
or three ("cafÃ©", "isnâ€™t"), and bytes that windows-1252 leaves undefined come out as
U+FFFD, past any repair. A body in such a charset that is valid UTF-8 and not plain ASCII
is UTF-8: text really written in windows-1252 ("café" is ``63 61 66 E9``) is almost never
valid UTF-8. Such a response is passed on decoded as UTF-8 (the WARC keeps the exchange as
it came), counted in ``charset/utf8_misdeclared`` and logged. ``newsarchive extract``
applies the same rule to archived responses.
"""

from __future__ import annotations

import codecs
import logging
from typing import TYPE_CHECKING, Self

from scrapy.exceptions import NotConfigured
from scrapy.http import Response, TextResponse

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

#: Codec names (as :func:`codecs.lookup` gives them) of the charsets a UTF-8 page is
#: wrongly served under.
WESTERN = frozenset({"cp1252", "iso8859-1", "iso8859-15", "latin-1"})


def misdeclared_utf8(response: TextResponse) -> bool:
    """Whether ``response`` is declared in a Western single-byte charset but its body is
    UTF-8 (valid, and not plain ASCII)."""
    try:
        declared = codecs.lookup(response.encoding).name
    except LookupError:
        return False
    body = response.body
    if declared not in WESTERN or body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def as_utf8(response: TextResponse) -> TextResponse:
    """``response``, decoded as UTF-8 when it is UTF-8 served under a Western charset."""
    return response.replace(encoding="utf-8") if misdeclared_utf8(response) else response


class CharsetSniffMiddleware:
    """Reads UTF-8 pages served under a Western single-byte charset as UTF-8."""

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
        read = as_utf8(response)
        if read is not response:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("charset/utf8_misdeclared")
            logger.info("%s: served as %s but written in UTF-8; read as UTF-8", response.url,
                        response.encoding)  # fmt: skip
        return read
