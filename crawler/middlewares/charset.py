"""UTF-8 pages served under a Western single-byte charset are read as UTF-8.

A server that declares ``charset=ISO-8859-1`` or ``windows-1252`` (a common default of
web servers and frameworks) for a page written in UTF-8 makes every non-ASCII letter two
or three ("cafÃ©", "isnâ€™t"), and bytes that windows-1252 leaves undefined come out as
U+FFFD, past any repair. A body in such a charset that is valid UTF-8 and not plain ASCII
is UTF-8: text really written in windows-1252 ("café" is ``63 61 66 E9``) is almost never
valid UTF-8. Such a response is passed on decoded as UTF-8 (the WARC keeps the exchange as
it came), counted in ``charset/utf8_misdeclared`` and logged. ``newsarchive extract``
applies the same rule to archived responses.

The other way round, a page declared UTF-8 (an old site's text under a new template's
``<meta charset="utf-8">``) whose body is not valid UTF-8 and holds not one UTF-8 sequence
of several bytes is written in a single-byte charset: read as UTF-8, every accented
letter would be U+FFFD. It is read as windows-1252 and counted in
``charset/single_byte_misdeclared``. A UTF-8 page with a few damaged bytes has many valid
sequences beside them and stays UTF-8.
"""

from __future__ import annotations

import codecs
import logging
import re
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


#: A valid UTF-8 sequence of two to four bytes.
_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def misdeclared_single_byte(response: TextResponse) -> bool:
    """Whether ``response`` is declared UTF-8 but written in a single-byte charset (see
    the module docstring)."""
    try:
        declared = codecs.lookup(response.encoding).name
    except LookupError:
        return False
    body = response.body
    # the decoded text (kept by the response for its reader) has U+FFFD where the body is
    # not UTF-8: most pages are answered without decoding the body a second time
    if declared != "utf-8" or body.isascii() or "\ufffd" not in response.text:
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return _MULTIBYTE.search(body) is None
    return False


def as_written(response: TextResponse) -> TextResponse:
    """``response``, decoded in the charset its body is written in where it was served
    under the wrong one (see the module docstring)."""
    if misdeclared_utf8(response):
        return response.replace(encoding="utf-8")
    if misdeclared_single_byte(response):
        return response.replace(encoding="cp1252")
    return response


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
