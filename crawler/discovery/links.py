"""Find the feeds a home page advertises with ``<link rel="alternate" type="...">``."""

from __future__ import annotations

import logging

from lxml import etree, html

from crawler.discovery.common import Warnings, clean_url
from crawler.discovery.model import FeedCandidate

logger = logging.getLogger(__name__)

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/json",
        "application/xml",
        "text/xml",
    }
)


def find_feed_links(body: bytes, url: str) -> list[FeedCandidate]:
    """Return the feed URLs an HTML page declares, in document order, without duplicates.

    Relative ``href`` values are resolved against ``<base href>`` (else ``url``). A link
    counts when its ``rel`` contains ``alternate`` and its ``type`` is one of
    :data:`FEED_TYPES`. Unparseable input yields an empty list.
    """
    if not body.strip():
        return []
    try:
        doc = html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        logger.debug("no HTML document in %s", url)
        return []
    base = _base_url(doc, url)
    found: list[FeedCandidate] = []
    seen: set[str] = set()
    ignored = Warnings()
    for link in doc.iter("link"):
        if "alternate" not in (link.get("rel") or "").lower().split():
            continue
        link_type = (link.get("type") or "").split(";")[0].strip().lower()
        if link_type not in FEED_TYPES:
            continue
        href = clean_url(link.get("href"), base, ignored)
        if href is None or href in seen:
            continue
        seen.add(href)
        found.append(FeedCandidate(href, link_type, (link.get("title") or "").strip() or None))
    return found


def _base_url(doc: html.HtmlElement, url: str) -> str:
    """Return the page's ``<base href>`` resolved against ``url``, or ``url``."""
    for base in doc.iter("base"):
        href = base.get("href")
        if href and href.strip():
            resolved = clean_url(href, url, Warnings())
            if resolved is not None:
                return resolved
    return url
