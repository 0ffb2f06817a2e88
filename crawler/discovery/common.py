"""Helpers shared by the discovery parsers: URLs, warnings, XML parser setup, gzip."""

from __future__ import annotations

import html
import re
import zlib
from collections.abc import Iterator
from typing import cast
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.errors import DiscoveryParseError

GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
MAX_WARNINGS = 50

_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HTTP_SCHEMES = frozenset({"http", "https"})


class Warnings:
    """Collects warnings: repeats are counted, distinct ones capped at :data:`MAX_WARNINGS`."""

    __slots__ = ("_counts", "_dropped")

    def __init__(self) -> None:
        """Start with no warnings."""
        self._counts: dict[str, int] = {}
        self._dropped = 0

    def add(self, message: str, count: int = 1) -> None:
        """Record a warning ``count`` times (repeats are counted; distinct ones past the cap
        are dropped but counted)."""
        if message in self._counts:
            self._counts[message] += count
        elif len(self._counts) < MAX_WARNINGS:
            self._counts[message] = count
        else:
            self._dropped += count

    def extend(self, messages: list[str]) -> None:
        """Record several warnings."""
        for message in messages:
            self.add(message)

    def merge(self, other: Warnings) -> None:
        """Add the warnings (and the drop count) of ``other``."""
        for message, count in other._counts.items():
            self.add(message, count)
        self._dropped += other._dropped

    def as_list(self) -> list[str]:
        """Return the warnings in first-seen order, ``(N times)`` appended to repeats."""
        items = [msg if n == 1 else f"{msg} ({n} times)" for msg, n in self._counts.items()]
        if self._dropped:
            items.append(f"{self._dropped} more warnings suppressed")
        return items


def decode_entities(text: str) -> str:
    """Decode ``&name;`` / ``&#n;`` HTML entities (only terminated ones, so ``&para=1`` stays)."""
    if "&" not in text:
        return text
    return _ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)


def clean_url(raw: str | None, base: str, warnings: Warnings) -> str | None:
    """Return ``raw`` stripped, entity-decoded and resolved against ``base``.

    Returns None (adding a warning for non-empty input) when the result is not an
    http(s) URL with a host.
    """
    if raw is None:
        return None
    url = decode_entities(raw.strip())
    if not url:
        return None
    if url[:8].lower().startswith(("http://", "https://")):
        host_start = url.find("//") + 2
        # Fast path: absolute URL with a plain host (no IPv6 literal to validate).
        if url[host_start : host_start + 1].isalnum() and "[" not in url:
            return url
    else:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
    except ValueError:
        warnings.add(f"invalid URL skipped: {url[:200]}")
        return None
    if parts.scheme.lower() not in _HTTP_SCHEMES:
        warnings.add(f"non-http(s) URL skipped: {url[:200]}")
        return None
    if not parts.netloc:
        warnings.add(f"URL without host skipped: {url[:200]}")
        return None
    return url


def local_name(tag: object) -> str:
    """Return the local part of an lxml tag (``""`` for comments and PIs)."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace(tag: str) -> str:
    """Return the namespace URI of a Clark-notation tag (``""`` when none)."""
    if tag.startswith("{"):
        return tag[1 : tag.index("}")]
    return ""


def element_text(elem: etree._Element) -> str:
    """Return all text inside ``elem`` (CDATA sections included, comments excluded)."""
    if len(elem) == 0:
        return elem.text or ""
    return "".join(cast("Iterator[str]", elem.itertext()))


def safe_xml_parser(*, recover: bool) -> etree.XMLParser:
    """Return an lxml XML parser that neither fetches nor expands entities (XXE-safe).

    ``huge_tree`` is on because callers cap the document size themselves.
    """
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, recover=recover
    )


def strip_xml_lead(body: bytes) -> bytes:
    """Drop a UTF-8 BOM and leading whitespace, which break an XML declaration."""
    if body.startswith(UTF16_BOMS):
        return body
    if body.startswith(UTF8_BOM):
        body = body[len(UTF8_BOM) :]
    return body.lstrip()


def decode_text(body: bytes) -> str:
    """Decode a text document honouring a UTF-8/UTF-16 BOM; UTF-8 with replacement otherwise."""
    if body.startswith(UTF8_BOM):
        return body[len(UTF8_BOM) :].decode("utf-8", errors="replace")
    if body.startswith(UTF16_BOMS):
        return body.decode("utf-16", errors="replace")
    return body.decode("utf-8", errors="replace")


def gunzip_capped(data: bytes, max_size: int, url: str) -> bytes:
    """Decompress gzip ``data`` (all members) producing at most ``max_size`` bytes.

    Raises ``DiscoveryParseError`` with kind ``too_large`` past the cap,
    ``gzip_truncated`` when the stream ends early (even if the prefix would parse) and
    ``gzip_invalid`` for corrupt data.
    """
    out = bytearray()
    pending = data
    while pending[:2] == GZIP_MAGIC:
        decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            pending = _inflate_member(decomp, pending, out, max_size, url)
        except zlib.error as exc:
            raise DiscoveryParseError("gzip_invalid", f"{url}: corrupt gzip data: {exc}") from exc
    return bytes(out)


def _inflate_member(
    decomp: zlib._Decompress, data: bytes, out: bytearray, max_size: int, url: str
) -> bytes:
    """Inflate one gzip member into ``out``; return the bytes after it."""
    buf = data
    while True:
        chunk = decomp.decompress(buf, max_size + 1 - len(out))
        out += chunk
        if len(out) > max_size:
            raise DiscoveryParseError(
                "too_large", f"{url}: decompressed size exceeds {max_size} bytes"
            )
        if decomp.eof:
            return decomp.unused_data
        buf = decomp.unconsumed_tail
        if not buf and not chunk:
            raise DiscoveryParseError(
                "gzip_truncated",
                f"{url}: gzip stream is truncated after {len(out)} decompressed bytes",
            )


def maybe_gunzip(body: bytes, max_size: int, url: str, warnings: Warnings) -> bytes:
    """Decompress ``body`` if it is gzip (up to two nested layers); enforce ``max_size``."""
    for _ in range(2):
        if body[:2] != GZIP_MAGIC:
            break
        body = gunzip_capped(body, max_size, url)
    else:
        if body[:2] == GZIP_MAGIC:
            raise DiscoveryParseError("gzip_invalid", f"{url}: more than two nested gzip layers")
        warnings.add("document was gzip-compressed twice")
    if len(body) > max_size:
        raise DiscoveryParseError("too_large", f"{url}: document exceeds {max_size} bytes")
    return body
