"""Read the few facts discovery needs from a page's ``<head>``: canonical URL and title.

Parsing only the head (a few KB) instead of the whole page (comments included, often
50-500 KB) keeps the crawl's per-page cost small; full extraction happens later, off
the reactor. Falls back to the whole document when no ``</head>`` appears early. A page
the crawl parses whole anyway (to find its comment sources) is read with
:func:`head_of_document` instead of being parsed twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from parsel import Selector

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# How far into a page to look for </head>: real heads with inline scripts and styles
# reach ~200 KB on some news sites; beyond that the whole page is parsed.
HEAD_SCAN_LIMIT = 256 * 1024
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class HeadMeta:
    """Facts from the document head (None where the page does not state them)."""

    canonical: str | None
    title: str | None


def read_head(text: str) -> HeadMeta:
    """Canonical link and title (og:title, else <title>) of an HTML document."""
    end = _HEAD_END.search(text, 0, HEAD_SCAN_LIMIT)
    selector = Selector(text=text[: end.end()] if end else text)
    canonical = selector.css('link[rel="canonical"]::attr(href)').get()
    title = (
        selector.css('meta[property="og:title"]::attr(content)').get()
        or selector.css("title::text").get()
    )
    return HeadMeta(
        canonical=canonical.strip() if canonical else None,
        title=" ".join(title.split()) if title else None,
    )


def head_of_document(doc: HtmlElement) -> HeadMeta:
    """:func:`read_head`'s facts from a page already parsed whole, read in its ``<head>``
    element (:func:`read_head` reads only the text before ``</head>``); a title a
    malformed head pushed into the body is looked for there too, a canonical link never
    (a body's canonical links belong to embedded content). On well-formed pages the
    facts are :func:`read_head`'s; on pages with a stray ``</head>`` in a script before the
    real one, :func:`read_head` misses what this finds."""
    head = doc.find("head")
    scopes = [doc] if head is None else [head, doc]

    def first(query: str, where: list[HtmlElement]) -> str | None:
        return next((found for s in where if (found := _first(s.xpath(query)))), None)

    canonical = first('.//link[@rel="canonical"]/@href', scopes[:1])
    title = first('.//meta[@property="og:title"]/@content', scopes) or first(
        ".//title[not(ancestor::svg)]/text()", scopes
    )
    return HeadMeta(
        canonical=canonical.strip() if canonical else None,
        title=" ".join(title.split()) if title else None,
    )


def _first(found: object) -> str | None:
    return str(found[0]) if isinstance(found, list) and found else None
