"""URL discovery: pure parsers for feeds, sitemaps and home-page feed links (no Scrapy)."""

from __future__ import annotations

from crawler.discovery.dates import parse_date
from crawler.discovery.feeds import parse_feed
from crawler.discovery.links import find_feed_links
from crawler.discovery.model import (
    DiscoveredLink,
    FeedCandidate,
    FeedResult,
    SitemapResult,
)
from crawler.discovery.sitemaps import parse_sitemap
from crawler.discovery.sniff import sniff_format

__all__ = [
    "DiscoveredLink",
    "FeedCandidate",
    "FeedResult",
    "SitemapResult",
    "find_feed_links",
    "parse_date",
    "parse_feed",
    "parse_sitemap",
    "sniff_format",
]
