"""A deterministic local news outlet for tests, benchmarks and the demo command.

All text is invented from ``random.Random(seed)``. Usage::

    with FixtureSite(kind="wordpress", articles=24, seed=7, now=NOW) as site:
        site.base_url                 # "http://127.0.0.1:PORT"
        site.model.listings["feed"]   # absolute canonical article URLs
        site.request_log              # list[RequestLogEntry]

Kinds: ``"wordpress"`` (the demo outlet, with every edge case) and ``"tagdiv"``
(tagDiv Newspaper markup: ``/feed/``, ``/sitemap.xml``, sections, articles).

Expected URL sets (``site.model``):

* ``listings["feed"]``: union of RSS ``/feed/`` + Atom ``/feed/atom/`` +
  ``/feed.json`` items (wordpress) or RSS only (tagdiv);
* ``listings["sitemap"]``: every normal article (wordpress: via
  ``/sitemap_index.xml`` -> post-sitemap1, post-sitemap2.xml.gz, archive);
* ``listings["news_sitemap"]``: ``/news-sitemap.xml`` (empty for tagdiv);
* ``listings["section"]``: pages 1..:data:`SECTION_PAGES_LISTED` of every real
  section (``section_listing(n)`` for other limits);
* ``edge_urls``: edge-case name -> URL, plus ``redirect_target``,
  ``offsite_target`` and ``pagination_trap``; ``sitemap_edge_urls`` is exactly
  what ``/sitemap-edge.xml`` lists.
"""

from __future__ import annotations

from crawler.fixture_site.builder import ARTICLE_EDGES, SECTIONS, build_model
from crawler.fixture_site.model import (
    COMMENTS_PER_PAGE,
    SECTION_PAGE_SIZE,
    SECTION_PAGES_LISTED,
    TRAP_SECTION,
    Article,
    Comment,
    SiteModel,
)
from crawler.fixture_site.server import FixtureSite, RequestLogEntry

__all__ = [
    "ARTICLE_EDGES",
    "COMMENTS_PER_PAGE",
    "SECTIONS",
    "SECTION_PAGES_LISTED",
    "SECTION_PAGE_SIZE",
    "TRAP_SECTION",
    "Article",
    "Comment",
    "FixtureSite",
    "RequestLogEntry",
    "SiteModel",
    "build_model",
]
