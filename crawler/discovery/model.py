"""Result types of the URL-discovery parsers (feeds, sitemaps, home-page feed links)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

KIND_FEED = "feed"
KIND_SITEMAP = "sitemap"
KIND_NEWS_SITEMAP = "news_sitemap"

#: The protocol limit of URLs in one sitemap file (sitemaps.org).
SITEMAP_MAX_URLS = 50_000
#: Default cap of decompressed bytes for one sitemap/feed document (sitemaps.org: 50 MiB).
DEFAULT_MAX_SIZE = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class DiscoveredLink:
    """One page URL found in a feed or sitemap.

    ``url`` is absolute (resolved against the document URL / ``xml:base``),
    whitespace-stripped and HTML-entity-decoded, but otherwise not canonicalized.
    ``published`` is timezone-aware (UTC when the source gave no zone).
    ``kind`` is ``"feed"``, ``"sitemap"`` or ``"news_sitemap"``.
    """

    url: str
    published: datetime | None
    title: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class FeedResult:
    """What :func:`parse_feed` found: ``format`` is rss, rdf, atom or jsonfeed."""

    format: str
    links: list[DiscoveredLink] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The XML error the parser recovered from (links are what could be salvaged), or None.
    malformed: str | None = None


@dataclass(frozen=True, slots=True)
class SitemapResult:
    """What :func:`parse_sitemap` found: ``format`` is urlset, sitemapindex or text.

    ``links`` are page URLs, ``sitemaps`` child sitemap URLs (from ``<sitemap><loc>``).
    """

    format: str
    links: list[DiscoveredLink] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FeedCandidate:
    """A feed advertised by an HTML page via ``<link rel="alternate" type="...">``."""

    url: str
    type: str
    title: str | None
