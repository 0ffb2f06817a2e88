"""Read the few facts discovery needs from a page's ``<head>``: canonical URL and title.

Parsing only the head (a few KB) instead of the whole page (comments included, often
50-500 KB) keeps the crawl's per-page cost small; full extraction happens later, off
the reactor. Falls back to the whole document when no ``</head>`` appears early.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsel import Selector

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
