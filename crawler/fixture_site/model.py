"""Site model of the fixture outlet: articles, comments, sections and listings.

The model stores root-relative paths; absolute URLs depend on the port the
server binds, so :meth:`SiteModel.set_base_url` rebuilds them on ``start()``.
Before that, ``Article.url`` and every listing are root-relative paths.

Selection helpers (which articles each feed, sitemap and section page shows)
live here so the renderers and ``SiteModel.listings`` can never disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

#: Articles per section page.
SECTION_PAGE_SIZE = 5
#: Section pages (1..N) counted in ``listings["section"]``; the demo config paginates to 3.
SECTION_PAGES_LISTED = 3
#: Top-level comment threads shown per comment page.
COMMENTS_PER_PAGE = 8
#: Items in each feed.
FEED_SIZE = 10
#: Slug of the endless-pagination section (not in ``SiteModel.sections``).
TRAP_SECTION = "trap"
#: Window of the Google News sitemap.
NEWS_WINDOW = timedelta(hours=48)
#: Articles older than this are "old": only the archive sitemap lists them.
OLD_AGE = timedelta(days=730)

SiteKind = Literal["wordpress", "tagdiv"]
CommentMarkup = Literal["html5", "legacy"]


@dataclass
class Comment:
    """One reader comment; ``parent_id`` is 0 for top-level comments."""

    id: int
    parent_id: int
    depth: int
    author: str
    author_url: str | None
    published: datetime
    text: str


@dataclass
class Article:
    """One article page. ``url`` is absolute once the site has started."""

    id: int
    slug: str
    path: str
    title: str
    authors: list[str]
    published: datetime
    modified: datetime
    section: str
    tags: list[str]
    description: str
    paragraphs: list[str]
    comments: list[Comment]
    old: bool
    comment_markup: CommentMarkup = "html5"
    base_url: str = field(default="", compare=False, repr=False)

    @property
    def url(self) -> str:
        """Absolute canonical URL (root-relative path before ``start()``)."""
        return self.base_url + self.path

    @property
    def image_path(self) -> str:
        """Root-relative path of the article's lead image."""
        return f"/wp-content/uploads/{self.published:%Y/%m}/{self.slug}.jpg"

    def threads(self) -> list[Comment]:
        """Top-level comments, oldest first."""
        return [c for c in self.comments if c.parent_id == 0]

    def children(self, parent_id: int) -> list[Comment]:
        """Direct replies to ``parent_id``, oldest first."""
        return [c for c in self.comments if c.parent_id == parent_id]

    @property
    def comment_page_count(self) -> int:
        """Number of comment pages (at least 1)."""
        return max(1, math.ceil(len(self.threads()) / COMMENTS_PER_PAGE))

    def comment_page_threads(self, page: int) -> list[Comment]:
        """Top-level comments shown on comment page ``page`` (1-based)."""
        start = (page - 1) * COMMENTS_PER_PAGE
        return self.threads()[start : start + COMMENTS_PER_PAGE]

    def comment_page_path(self, page: int) -> str:
        """Path of comment page ``page``: the article itself for page 1."""
        return self.path if page <= 1 else f"{self.path}comment-page-{page}/"

    def comment_page_of(self, comment: Comment) -> int:
        """The comment page that shows ``comment`` (replies follow their thread)."""
        by_id = {c.id: c for c in self.comments}
        root = comment
        while root.parent_id:
            root = by_id[root.parent_id]
        return self.threads().index(root) // COMMENTS_PER_PAGE + 1

    def comment_link(self, comment: Comment) -> str:
        """Absolute permalink of ``comment`` (WordPress ``get_comment_link``)."""
        page = self.comment_page_of(comment)
        return f"{self.base_url}{self.comment_page_path(page)}#comment-{comment.id}"


@dataclass
class SiteModel:
    """Everything the fixture outlet serves, precomputed from the seed."""

    kind: SiteKind
    seed: int
    now: datetime
    site_name: str
    sections: list[str]
    articles: list[Article]
    edge_articles: dict[str, Article] = field(default_factory=dict)
    edge_paths: dict[str, str] = field(default_factory=dict)
    sitemap_edge_names: list[str] = field(default_factory=list)
    base_url: str = field(default="", compare=False)
    article_by_path: dict[str, Article] = field(init=False, repr=False)
    post_by_id: dict[int, Article] = field(init=False, repr=False, compare=False)
    listings: dict[str, set[str]] = field(init=False, repr=False, compare=False)
    edge_urls: dict[str, str] = field(init=False, repr=False, compare=False)
    _by_section: dict[str, list[Article]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Index articles and compute listings with an empty base URL."""
        self.article_by_path = {a.path: a for a in self.articles}
        everything = self.articles + list(self.edge_articles.values())
        self.post_by_id = {a.id: a for a in everything}
        self._by_section = {s: [a for a in self.articles if a.section == s] for s in self.sections}
        self.set_base_url(self.base_url)

    def set_base_url(self, base_url: str) -> None:
        """Rebase every absolute URL (articles, listings, edge URLs) on ``base_url``."""
        self.base_url = base_url.rstrip("/")
        for article in self.articles + list(self.edge_articles.values()):
            article.base_url = self.base_url
        self.listings = self._compute_listings()
        self.edge_urls = {name: self.base_url + path for name, path in self.edge_paths.items()}
        target = self.redirect_target()
        if target is not None:
            self.edge_urls["redirect_target"] = target.url
        offsite = self.edge_paths.get("offsite_redirect")
        if offsite is not None and self.base_url:
            host_port = self.base_url.rsplit(":", 1)[-1]
            self.edge_urls["offsite_target"] = f"http://localhost:{host_port}{self.offsite_path()}"

    @property
    def sitemap_edge_urls(self) -> set[str]:
        """Absolute URLs listed in ``/sitemap-edge.xml`` (wordpress only)."""
        return {self.base_url + self.edge_paths[name] for name in self.sitemap_edge_names}

    # -- selections shared by renderers and listings -------------------------

    def fresh_articles(self) -> list[Article]:
        """Non-old articles, newest first."""
        return [a for a in self.articles if not a.old]

    def old_articles(self) -> list[Article]:
        """Old articles (archive sitemap only), newest first."""
        return [a for a in self.articles if a.old]

    def feed_articles(self, feed: Literal["rss", "atom", "json"]) -> list[Article]:
        """Items of a feed: RSS and Atom the latest 10, JSON Feed ranks 5..14."""
        fresh = self.fresh_articles()
        if feed == "json":
            return fresh[5 : 5 + FEED_SIZE]
        return fresh[:FEED_SIZE]

    def sitemap_halves(self) -> tuple[list[Article], list[Article]]:
        """Non-old articles split for ``post-sitemap1.xml`` / ``post-sitemap2.xml.gz``."""
        fresh = self.fresh_articles()
        half = math.ceil(len(fresh) / 2)
        return fresh[:half], fresh[half:]

    def news_articles(self) -> list[Article]:
        """Non-old articles published within :data:`NEWS_WINDOW` of ``now``."""
        cutoff = self.now - NEWS_WINDOW
        return [a for a in self.fresh_articles() if a.published >= cutoff]

    def section_articles(self, section: str) -> list[Article]:
        """All articles of ``section``, newest first (empty for unknown sections)."""
        return self._by_section.get(section, [])

    def section_page_count(self, section: str) -> int:
        """Number of pages of ``section`` (at least 1)."""
        return max(1, math.ceil(len(self.section_articles(section)) / SECTION_PAGE_SIZE))

    def section_page(self, section: str, page: int) -> list[Article]:
        """Articles shown on page ``page`` (1-based) of ``section``."""
        start = (page - 1) * SECTION_PAGE_SIZE
        return self.section_articles(section)[start : start + SECTION_PAGE_SIZE]

    def section_listing(self, max_pages: int) -> set[str]:
        """Absolute URLs of articles on pages ``1..max_pages`` of every real section."""
        limit = max_pages * SECTION_PAGE_SIZE
        return {a.url for s in self.sections for a in self.section_articles(s)[:limit]}

    def redirect_target(self) -> Article | None:
        """The normal article that ``/go/<slug>/`` finally redirects to."""
        if "redirect_chain" not in self.edge_paths:
            return None
        slug = self.edge_paths["redirect_chain"].strip("/").split("/")[-1]
        return next((a for a in self.articles if a.slug == slug), None)

    def offsite_path(self) -> str:
        """Path (on host ``localhost``) that ``/out/<slug>/`` redirects to."""
        slug = self.edge_paths["offsite_redirect"].strip("/").split("/")[-1]
        article = next((a for a in self.articles if a.slug == slug), self.articles[0])
        return article.path

    def _compute_listings(self) -> dict[str, set[str]]:
        """Build ``listings`` from the selection helpers."""
        feeds: set[str] = set()
        feed_kinds: tuple[Literal["rss", "atom", "json"], ...] = ("rss",)
        if self.kind == "wordpress":
            feed_kinds = ("rss", "atom", "json")
        for feed in feed_kinds:
            feeds.update(a.url for a in self.feed_articles(feed))
        news = {a.url for a in self.news_articles()} if self.kind == "wordpress" else set()
        return {
            "feed": feeds,
            "sitemap": {a.url for a in self.articles},
            "news_sitemap": news,
            "section": self.section_listing(SECTION_PAGES_LISTED),
        }
