"""Request routing: map a request target to a :class:`Response`.

Routing only looks at the path (the Host header and any scheme/host in an
absolute-form request target are ignored); the query string matters only for
the REST API. Unknown paths get the outlet's 404 page.
"""

from __future__ import annotations

import base64
import gzip
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from crawler.fixture_site import render_discovery as disc
from crawler.fixture_site import render_tagdiv as td
from crawler.fixture_site import render_wordpress as wp
from crawler.fixture_site.edge import EdgeCases
from crawler.fixture_site.model import SiteModel
from crawler.fixture_site.response import Response, html, redirect, text
from crawler.fixture_site.wp_api import JSON_TYPE, api_index, comments_endpoint

SECTION_RE = re.compile(r"^/category/([a-z0-9-]+)/(?:page/(\d+)/)?$")
COMMENT_PAGE_RE = re.compile(r"^(/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/)comment-page-(\d+)/$")
SLUG_ROUTE_RE = re.compile(r"^/(go|hop|out|private|loop)/([a-z0-9-]+)/$")
XML_TYPE = "application/xml"
GZIP_TYPE = "application/x-gzip"
#: 1x1 transparent GIF served for every ``/wp-content/`` path (images, avatars).
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")

StaticRoute = Callable[[], Response]


def split_target(target: str) -> tuple[str, str]:
    """Return ``(path, query)`` of an origin-form or absolute-form request target."""
    parts = urlsplit(target)
    path = parts.path or "/"
    if not path.startswith("/"):
        path = "/" + path
    return path, parts.query


class Router:
    """Routes shared by both outlet kinds; subclasses add their own."""

    def __init__(self, model: SiteModel, crawl_delay: float) -> None:
        """Prepare the static route table."""
        self.model = model
        self.crawl_delay = crawl_delay
        self.static: dict[str, StaticRoute] = {
            "/": self.home,
            "/robots.txt": self.robots,
            "/feed/": lambda: text(
                disc.rss_feed(model, model.feed_articles("rss")), "application/rss+xml"
            ),
        }

    def route(self, target: str) -> Response:
        """Produce the response for request target ``target``."""
        path, query = split_target(target)
        static = self.static.get(path)
        if static is not None:
            return static()
        if path.startswith("/wp-content/"):
            return Response(200, PIXEL, "image/gif")
        response = self.dynamic(path, query)
        return response if response is not None else self.not_found()

    def robots(self) -> Response:
        """``/robots.txt``."""
        body = disc.robots_txt(self.model.kind, self.model.base_url, self.crawl_delay)
        return text(body, "text/plain")

    def home(self) -> Response:
        """Front page (overridden)."""
        raise NotImplementedError

    def not_found(self) -> Response:
        """The 404 page (overridden)."""
        raise NotImplementedError

    def dynamic(self, path: str, query: str) -> Response | None:
        """Pattern routes (overridden); ``None`` means 404."""
        raise NotImplementedError


class WordPressRouter(Router):
    """Routes of the WordPress-style demo outlet, including the edge cases."""

    def __init__(self, model: SiteModel, crawl_delay: float, edges: EdgeCases) -> None:
        """Add feeds, sitemaps and REST routes to the shared table."""
        super().__init__(model, crawl_delay)
        self.edges = edges
        self.static.update(self._feed_routes())
        self.static.update(self._sitemap_routes())
        self.static["/wp-json/"] = lambda: Response(200, api_index(model), JSON_TYPE)

    def _feed_routes(self) -> dict[str, StaticRoute]:
        """Atom, JSON Feed and the malformed feed (RSS is shared)."""
        model = self.model
        return {
            "/feed/atom/": lambda: text(
                disc.atom_feed(model, model.feed_articles("atom")), "application/atom+xml"
            ),
            "/feed.json": lambda: text(
                disc.json_feed(model, model.feed_articles("json")), "application/feed+json"
            ),
            "/feed/broken/": lambda: text(disc.broken_feed(model), "application/rss+xml"),
        }

    def _sitemap_routes(self) -> dict[str, StaticRoute]:
        """The sitemap index, its five children and the news sitemap."""
        model = self.model
        first, second = model.sitemap_halves()
        edge_paths = [model.edge_paths[name] for name in model.sitemap_edge_names]
        return {
            "/sitemap_index.xml": lambda: text(disc.sitemap_index(model), XML_TYPE),
            "/post-sitemap1.xml": lambda: text(disc.article_urlset(first), XML_TYPE),
            "/post-sitemap2.xml.gz": lambda: Response(
                200, gzip.compress(disc.article_urlset(second).encode(), mtime=0), GZIP_TYPE
            ),
            "/sitemap-archive.xml": lambda: text(
                disc.article_urlset(model.old_articles()), XML_TYPE
            ),
            "/sitemap-html.xml": lambda: html(
                wp.simple_page(model, "Sitemap", "This sitemap is an HTML page.", "page")
            ),
            "/sitemap-edge.xml": lambda: text(
                disc.urlset((model.base_url + path, None) for path in edge_paths), XML_TYPE
            ),
            "/news-sitemap.xml": lambda: text(disc.news_sitemap(model), XML_TYPE),
        }

    def home(self) -> Response:
        """Front page."""
        return html(wp.home_page(self.model))

    def not_found(self) -> Response:
        """WordPress 404 page."""
        page = wp.simple_page(self.model, "Page not found", "Nothing was found here.", "error404")
        return html(page, 404)

    def dynamic(self, path: str, query: str) -> Response | None:
        """Articles, comment pages, sections, REST API, edge cases and redirects."""
        article = self.model.article_by_path.get(path)
        if article is not None:
            return html(wp.article_page(self.model, article))
        if path == "/wp-json/wp/v2/comments":
            result = comments_endpoint(self.model, query)
            return Response(result.status, result.body, JSON_TYPE, result.headers)
        section = SECTION_RE.match(path)
        if section is not None:
            page = wp.section_page(self.model, section[1], int(section[2] or 1))
            return html(page) if page is not None else None
        comment_page = self._comment_page(path)
        if comment_page is not None:
            return comment_page
        edge = self.edges.respond(path)
        return edge if edge is not None else self._slug_route(path)

    def _comment_page(self, path: str) -> Response | None:
        """``<article>/comment-page-N/`` for 2 <= N <= the article's page count."""
        match = COMMENT_PAGE_RE.match(path)
        if match is None:
            return None
        article = self.model.article_by_path.get(match[1])
        number = int(match[2])
        if article is None or not 1 < number <= article.comment_page_count:
            return None
        return html(wp.article_page(self.model, article, comment_page=number))

    def _slug_route(self, path: str) -> Response | None:
        """``/go/``, ``/hop/``, ``/out/``, ``/loop/`` redirects and ``/private/`` pages."""
        match = SLUG_ROUTE_RE.match(path)
        if match is None:
            return None
        prefix, slug = match[1], match[2]
        if prefix == "loop":
            return {"a": redirect("/loop/b/", 302), "b": redirect("/loop/a/", 302)}.get(slug)
        if prefix == "private":
            return html(wp.simple_page(self.model, "Members only", "A private draft.", "private"))
        target = self.model.redirect_target()
        if prefix == "go" and target is not None and slug == target.slug:
            return redirect(f"../../hop/{slug}/", 301)
        if prefix == "hop" and target is not None and slug == target.slug:
            return redirect(target.path, 302)
        if prefix == "out" and path == self.model.edge_paths.get("offsite_redirect"):
            port = self.model.base_url.rsplit(":", 1)[-1]
            return redirect(f"http://localhost:{port}{self.model.offsite_path()}", 301)
        return None


class TagDivRouter(Router):
    """Routes of the tagDiv Newspaper outlet."""

    def __init__(self, model: SiteModel, crawl_delay: float) -> None:
        """Add the plain sitemap to the shared table."""
        super().__init__(model, crawl_delay)
        self.static["/sitemap.xml"] = lambda: text(disc.article_urlset(model.articles), XML_TYPE)

    def home(self) -> Response:
        """Front page."""
        return html(td.home_page(self.model))

    def not_found(self) -> Response:
        """tagDiv 404 page."""
        return html(td.not_found_page(self.model), 404)

    def dynamic(self, path: str, query: str) -> Response | None:
        """Articles and sections."""
        article = self.model.article_by_path.get(path)
        if article is not None:
            return html(td.article_page(self.model, article))
        section = SECTION_RE.match(path)
        if section is not None:
            page = td.section_page(self.model, section[1], int(section[2] or 1))
            return html(page) if page is not None else None
        return None
