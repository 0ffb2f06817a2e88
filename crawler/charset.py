"""A page's text decoded as the crawl decodes it, without importing Scrapy.

The crawl reads a response's text through Scrapy's ``TextResponse``: the encoding a BOM,
the ``Content-Type`` header or the body's own declaration names, else the one the bytes
decode in (ASCII, UTF-8, then charset detection), and then
:mod:`crawler.middlewares.charset`'s correction of a page served under the wrong charset.
``newsarchive extract`` must read archived responses the same way (a re-extraction gives
the crawl's records), but importing Scrapy costs a process 0.17 s, more than a third of
the command's start-up: this module does the same steps with w3lib, which Scrapy's own
code calls for them (``tests/extract/test_mojibake.py`` checks both give the same text).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable

from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

#: Codec names (as :func:`codecs.lookup` gives them) of the charsets a UTF-8 page is
#: wrongly served under.
WESTERN = frozenset({"cp1252", "iso8859-1", "iso8859-15", "latin-1"})
#: What Scrapy's ``TextResponse`` tries first on a body that declares no encoding.
_DEFAULT_ENCODING = "ascii"
#: A valid UTF-8 sequence of two to four bytes.
_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def misdeclared_utf8(encoding: str, body: bytes) -> bool:
    """Whether a body read in ``encoding``, a Western single-byte charset, is UTF-8
    (valid, and not plain ASCII)."""
    try:
        declared = codecs.lookup(encoding).name
    except LookupError:
        return False
    if declared not in WESTERN or body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def misdeclared_single_byte(encoding: str, body: bytes, text: Callable[[], str]) -> bool:
    """Whether a body read as UTF-8 (``encoding``) is written in a single-byte charset: not
    valid UTF-8 and without one UTF-8 sequence of several bytes. ``text`` gives the body
    as it was decoded (U+FFFD where it is not UTF-8), read only when the cheaper tests
    leave the question open: most pages are answered without decoding a second time."""
    try:
        declared = codecs.lookup(encoding).name
    except LookupError:
        return False
    if declared != "utf-8" or body.isascii() or "\ufffd" not in text():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return _MULTIBYTE.search(body) is None
    return False


def written_encoding(encoding: str, body: bytes, text: Callable[[], str]) -> str | None:
    """The charset a body read in ``encoding`` is really written in, when it was served
    under the wrong one (see :mod:`crawler.middlewares.charset`); None when it was not."""
    if misdeclared_utf8(encoding, body):
        return "utf-8"
    if misdeclared_single_byte(encoding, body, text):
        return "cp1252"
    return None


def _auto_detect(body: bytes) -> str | None:
    """The encoding of a body that declares none, as ``TextResponse`` finds it."""
    for name in (_DEFAULT_ENCODING, "utf-8"):
        try:
            body.decode(name)
        except UnicodeError:
            continue
        return resolve_encoding(name)
    from charset_normalizer import from_bytes  # rarely needed: imported then

    match = from_bytes(body).best()
    return resolve_encoding(match.encoding) if match else None


def _content_type(headers: Iterable[tuple[str, str]]) -> str:
    """The last ``Content-Type`` header's value, as ``TextResponse`` reads it (the header
    stored as UTF-8 bytes, read back as Latin-1)."""
    value = ""
    for name, found in headers:
        if name.lower() == "content-type":
            value = found
    return value.encode("utf-8").decode("latin-1")


def decoded(headers: Iterable[tuple[str, str]], body: bytes) -> tuple[str, str]:
    """``(encoding, text)`` of an HTML response's ``body`` under its HTTP ``headers``, as
    the crawl reads it: Scrapy's decoding, then the charset the body is written in where
    it was served under another. Raises UnicodeDecodeError or LookupError where Scrapy's
    response would."""
    content_type = _content_type(headers)
    encoding = (
        read_bom(body)[0]
        or http_content_type_encoding(content_type)
        or html_body_declared_encoding(body)
    )
    if encoding:
        text = html_to_unicode(f"charset={encoding}", body)[1]
    else:
        inferred, text = html_to_unicode(
            content_type, body, auto_detect_fun=_auto_detect, default_encoding=_DEFAULT_ENCODING
        )
        encoding = inferred
    written = written_encoding(encoding, body, lambda: text)
    if written is not None:
        return written, html_to_unicode(f"charset={written}", body)[1]
    return encoding, text
