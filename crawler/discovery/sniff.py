"""Guess what kind of discovery document a body is, from its bytes (content type is a hint)."""

from __future__ import annotations

import re

from crawler.discovery.common import GZIP_MAGIC, UTF8_BOM, UTF16_BOMS

_HEAD_SIZE = 65_536
# Things that may precede the root element: XML declaration, PIs, comments, DOCTYPE.
_PROLOG_RE = re.compile(
    rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^<>\[]|\[.*?\])*>)", re.DOTALL | re.IGNORECASE
)
_ROOT_RE = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_HTML_DOCTYPE_RE = re.compile(rb"\s*<!DOCTYPE\s+html", re.IGNORECASE)
_JSONFEED_RE = re.compile(rb'"version"\s*:\s*"https?:(?:\\?/){2}jsonfeed\.org', re.IGNORECASE)
_JSON_ITEMS_RE = re.compile(rb'"items"\s*:\s*\[')
_TEXT_URL_RE = re.compile(rb"\s*https?://", re.IGNORECASE)

_ROOTS = {
    "rss": "rss",
    "rdf": "rdf",
    "feed": "atom",
    "urlset": "sitemap",
    "sitemapindex": "sitemapindex",
    "html": "html",
}
_HTML_TAGS = frozenset(
    {"head", "body", "meta", "title", "script", "style", "div", "p", "link", "span", "table"}
)

FEED_FORMATS = frozenset({"rss", "rdf", "atom", "jsonfeed"})


def sniff_format(body: bytes, content_type: str | None) -> str:
    """Return the document kind of ``body``.

    One of ``rss``, ``rdf``, ``atom``, ``jsonfeed``, ``sitemap``, ``sitemapindex``,
    ``text-sitemap``, ``html``, ``gzip`` or ``unknown``. Decided by magic bytes, the root
    element or the JSON shape; ``content_type`` only breaks ties for otherwise unknown bodies.
    """
    if body[:2] == GZIP_MAGIC:
        return "gzip"
    head = _head_bytes(body)
    stripped = head.lstrip()
    if stripped.startswith((b"{", b"[")):
        return _sniff_json(stripped, content_type)
    if stripped.startswith(b"<"):
        return _sniff_markup(stripped, content_type)
    if _TEXT_URL_RE.match(stripped):
        return "text-sitemap"
    return "unknown"


def looks_like_markup(body: bytes) -> bool:
    """Tell whether ``body`` (BOM and leading whitespace aside) starts with ``<``."""
    return _head_bytes(body[:4096]).lstrip().startswith(b"<")


def _head_bytes(body: bytes) -> bytes:
    """Return the first bytes of ``body`` without BOM, transcoded to UTF-8 if UTF-16."""
    head = body[:_HEAD_SIZE]
    if head.startswith(UTF8_BOM):
        return head[len(UTF8_BOM) :]
    if head.startswith(UTF16_BOMS):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="replace").encode("utf-8")
    return head


def _sniff_json(head: bytes, content_type: str | None) -> str:
    """Classify a JSON-looking body."""
    if _JSONFEED_RE.search(head) or _JSON_ITEMS_RE.search(head):
        return "jsonfeed"
    if content_type and "feed+json" in content_type.lower():
        return "jsonfeed"
    return "unknown"


def _sniff_markup(head: bytes, content_type: str | None) -> str:
    """Classify an XML/HTML body by its DOCTYPE or root element."""
    if _HTML_DOCTYPE_RE.match(head):
        return "html"
    pos = 0
    while (prolog := _PROLOG_RE.match(head, pos)) is not None and prolog.end() > pos:
        if _HTML_DOCTYPE_RE.match(head, pos):
            return "html"
        pos = prolog.end()
    root = _ROOT_RE.match(head, len(head) - len(head[pos:].lstrip()))
    if root is None:
        return "unknown"
    return _classify_root(root.group(2).decode("ascii", errors="replace").lower(), content_type)


def _classify_root(name: str, content_type: str | None) -> str:
    """Map a lower-cased root element name to a document kind."""
    if name in _ROOTS:
        return _ROOTS[name]
    if name in _HTML_TAGS:
        return "html"
    ctype = (content_type or "").lower()
    if "html" in ctype and "xhtml" not in ctype:
        return "html"
    return "unknown"
