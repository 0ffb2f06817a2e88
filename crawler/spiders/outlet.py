"""The generic outlet spider: discovery from config, then article pages.

One class serves every configured outlet; :mod:`crawler.spiderloader` makes a subclass
per outlet (name, config, politeness ``custom_settings``). An outlet that needs code
names its own subclass in its YAML (``spider: package.module:Class``) and overrides the
hook methods, documented on each:

* :meth:`OutletSpider.start_discovery` - the initial discovery requests;
* :meth:`OutletSpider.is_article_url` - which candidate URLs are articles;
* :meth:`OutletSpider.article_item` - the item built from an article response.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urljoin

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.httpobj import urlparse_cached

from crawler.archive import settings_root
from crawler.discovery import DiscoveredLink, parse_feed, parse_sitemap
from crawler.errors import DiscoveryParseError
from crawler.failures import RefusedRequest, classify
from crawler.headmeta import HeadMeta, head_of_document, read_head
from crawler.ledger import Ledger, LedgerEntry, Provenance, utc_now_iso
from crawler.spiders.comment_sources import CommentSourcesMixin
from crawler.urls import canonicalize, host_in_domains
from pipelines.records import HTML_FIELD

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.robotstxt import RobotParser
    from twisted.python.failure import Failure

    from crawler.outlets import Outlet, Section

logger = logging.getLogger(__name__)


def reference_time(settings: Any) -> datetime:
    """ "Now" for max-age: DISCOVERY_NOW, else the replay source's recording time, else now."""
    if settings.get("DISCOVERY_NOW"):
        value = datetime.fromisoformat(str(settings["DISCOVERY_NOW"]))
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if settings.get("REPLAY_SOURCE"):
        from crawler.replay import replay_reference_time

        recorded = replay_reference_time(str(settings["REPLAY_SOURCE"]))
        if recorded is not None:
            return recorded.replace(tzinfo=UTC)
    return datetime.now(UTC)


Callback = Callable[[Response], Iterable[Any]]


class Dropped(IgnoreRequest):
    """The spider dropped an article request; its ledger entry already says why."""


class DuplicateRedirect(Dropped):
    """A redirect leads to an article already in the ledger under its own URL."""


class OutletSpider(CommentSourcesMixin, scrapy.Spider):
    """Crawl one configured outlet: feeds, sitemaps, sections and home page, then articles."""

    outlet: ClassVar[Outlet]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outlet = self.outlet
        self.allowed_domains = list(outlet.domains)
        self.ledger = Ledger()  # in memory until _configure gives it its database
        self._sources: set[str] = set()
        self._allow = [re.compile(p) for p in outlet.articles.allow]
        self._deny = [re.compile(p) for p in outlet.articles.deny]
        self._oldest: datetime | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        return spider

    def _configure(self) -> None:
        """Read settings; Scrapy applies add-on settings after the spider is created."""
        settings = self.crawler.settings
        self.ledger = Ledger(
            settings_root(settings) / "state" / "ledger", settings.getint("LEDGER_MEMORY_ENTRIES")
        )
        self.source_priority = settings.getint("DISCOVERY_SOURCE_PRIORITY")
        self.article_priority = settings.getint("DISCOVERY_ARTICLE_PRIORITY")
        self.sitemap_max_depth = settings.getint("DISCOVERY_SITEMAP_MAX_DEPTH")
        self.max_size = settings.getint("DOWNLOAD_MAXSIZE")
        self.extract_enabled = settings.getbool("EXTRACT_ENABLED")
        self.comments_follow_pages = settings.getbool("COMMENTS_FOLLOW_PAGES")
        self.comments_rest = settings.getbool("COMMENTS_REST_ENABLED")
        self.comments_max_pages = settings.getint("COMMENTS_MAX_PAGES")
        days = self.outlet.max_age_days
        self._oldest = reference_time(settings) - timedelta(days=days) if days else None

    def closed(self, reason: str) -> None:
        """Scrapy calls this after the pipelines closed (the ledger is written by then)."""
        self.ledger.close()

    # --- hooks -------------------------------------------------------------------------

    def start_discovery(self) -> Iterator[scrapy.Request]:
        """Hook: the first requests of a crawl (configured feeds, sitemaps, sections, home)."""
        discovery, outlet = self.outlet.discovery, self.outlet
        for url in discovery.feeds:
            yield from self.source_request(outlet.absolute(url), "feed", self.parse_feed)
        for url in discovery.sitemaps:
            yield from self.source_request(outlet.absolute(url), "sitemap", self.parse_sitemap)
        for section in discovery.sections:
            meta = {"section": section, "page": 1}
            url = outlet.absolute(section.url)
            yield from self.source_request(url, "section", self.parse_section, meta)
        if discovery.home:
            yield from self.source_request(outlet.home, "home", self.parse_section)

    def is_article_url(self, url: str) -> bool:
        """Hook: whether a candidate URL is an article (config allow/deny regexes)."""
        if any(p.search(url) for p in self._deny):
            return False
        return not self._allow or any(p.search(url) for p in self._allow)

    def article_item(self, response: Response, item: dict[str, Any]) -> dict[str, Any]:
        """Hook: adjust the item built from an article response (returned item is used)."""
        return item

    # --- discovery ---------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        self._configure()
        for request in self.start_discovery():
            yield request

    def source_request(
        self, url: str, kind: str, callback: Callback, meta: dict[str, Any] | None = None
    ) -> Iterator[scrapy.Request]:
        """A request for a discovery source, once per canonical URL."""
        key = canonicalize(url)
        if key in self._sources:
            return
        self._sources.add(key)
        yield scrapy.Request(
            url,
            callback=callback,
            errback=self.source_failed,
            priority=self.source_priority,
            meta={**(meta or {}), "source_kind": kind},
        )

    def robots_parsed(self, robotparser: RobotParser, request: scrapy.Request) -> None:
        """Signal handler: schedule the sitemaps a robots.txt of ours names."""
        if not self.outlet.discovery.robots_sitemaps or not self._own(request.url):
            return
        protego = getattr(robotparser, "rp", None)
        for url in list(getattr(protego, "sitemaps", ()) or ()):
            absolute = urljoin(request.url, url.strip())
            for sitemap_request in self.source_request(absolute, "sitemap", self.parse_sitemap):
                assert self.crawler.engine is not None
                self.crawler.engine.crawl(sitemap_request)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        """Callback for RSS, Atom and JSON feeds."""
        try:
            result = parse_feed(response.body, response.url, self._content_type(response))
        except DiscoveryParseError as exc:
            self.discovery_error(exc.kind, response.url, str(exc))
            return
        if result.malformed:
            self.discovery_error(
                "feed_malformed",
                response.url,
                f"malformed XML ({result.malformed}); {len(result.links)} links salvaged",
            )
        self._warn(response.url, result.warnings)
        for link in result.links:
            yield from self.candidate(link.url, self._provenance(response, link))

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        """Callback for sitemaps and sitemap indexes (plain, gzipped, text, news)."""
        try:
            result = parse_sitemap(
                response.body, response.url, self._content_type(response), max_size=self.max_size
            )
        except DiscoveryParseError as exc:
            self.discovery_error(exc.kind, response.url, str(exc))
            return
        self._warn(response.url, result.warnings)
        depth = response.meta.get("sitemap_depth", 0) + 1
        for child in result.sitemaps:
            if depth > self.sitemap_max_depth:
                self.discovery_error("sitemap_depth", child, "sitemap index nested too deep")
                break
            meta = {"sitemap_depth": depth}
            yield from self.source_request(child, "sitemap", self.parse_sitemap, meta)
        for link in result.links:
            yield from self.candidate(link.url, self._provenance(response, link))

    def parse_section(self, response: Response) -> Iterator[Any]:
        """Callback for section (listing) pages and the home page, with pagination."""
        if not isinstance(response, TextResponse):
            self.discovery_error("not_html", response.url, "listing page is not text")
            return
        section: Section | None = response.meta.get("section")
        kind = response.meta["source_kind"]
        pattern = re.compile(section.link_pattern) if section and section.link_pattern else None
        for href in response.css("a::attr(href)").getall():
            url = canonicalize(response.urljoin(href.strip()))
            if pattern is not None and not pattern.search(url):
                continue
            provenance = Provenance(source=response.url, kind=kind)
            yield from self.candidate(url, provenance, checked=pattern is not None)
        if section is not None:
            yield from self._next_page(response, section)

    def _next_page(self, response: Response, section: Section) -> Iterator[scrapy.Request]:
        href = response.css(section.next_page).get()
        if not href:
            return
        page = response.meta["page"]
        if page >= section.max_pages:
            self.discovery_error(
                "pagination_limit",
                response.url,
                f"pagination stopped at max_pages={section.max_pages} (next: {href.strip()})",
            )
            return
        meta = {"section": section, "page": page + 1}
        yield from self.source_request(
            response.urljoin(href.strip()), "section", self.parse_section, meta
        )

    def candidate(
        self, url: str, provenance: Provenance, *, checked: bool = False
    ) -> Iterator[scrapy.Request]:
        """Record a sighting of ``url``; the first sighting of an article schedules it."""
        if not url.startswith(("http://", "https://")):
            return
        key = canonicalize(url)
        entry = self.ledger.get(key)
        if entry is not None:
            entry.provenance.append(provenance)
            return
        if not host_in_domains(key, self.allowed_domains):
            self.crawler.stats.inc_value("discovery/filtered/offsite")
            return
        if not checked and not self.is_article_url(key):
            self.crawler.stats.inc_value("discovery/filtered/not_article")
            return
        entry = self.ledger.add(key, LedgerEntry(url=key, provenance=[provenance]))
        self.crawler.stats.inc_value(f"discovery/candidates/{provenance.kind}")
        if self._too_old(entry):
            return
        yield scrapy.Request(
            key,
            callback=self.parse_article,
            errback=self.article_failed,
            priority=self.article_priority,
            meta={"ledger_key": key},
        )

    # --- articles ----------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        """Callback for article pages: one item per article."""
        entry = self.ledger[response.meta["ledger_key"]]
        entry.status, entry.final_url = response.status, response.url
        if not isinstance(response, TextResponse):
            entry.fate = "not_html"
            self.crawler.stats.inc_value("crawl/articles/not_html")
            logger.warning(
                "%s: article is not a text document (%s)",
                response.url,
                self._content_type(response),
            )
            return
        entry.fate = "fetched"
        if response.meta.get("body_truncated"):
            entry.detail = "compressed body truncated; partial page kept"
        if not self.extract_enabled:
            yield self.article_item(response, self._base_item(response, entry))
            return
        doc = self.parsed(response)  # one parse for the head and the comment sources
        head = head_of_document(doc) if doc is not None else None
        item = self._base_item(response, entry, head)
        item[HTML_FIELD] = response.text  # taken (and dropped) by the records pipeline
        yield from self.comment_sources(response, self.article_item(response, item), doc)

    def _base_item(
        self, response: TextResponse, entry: LedgerEntry, head: HeadMeta | None = None
    ) -> dict[str, Any]:
        head = head or read_head(response.text)
        return {
            "outlet": self.outlet.name,
            "url": response.url,
            "requested_url": entry.url,
            "redirect_urls": list(response.meta.get("redirect_urls", [])),
            "canonical_url": response.urljoin(head.canonical) if head.canonical else None,
            "status": response.status,
            "fetched_at": utc_now_iso(),
            "content_type": self._content_type(response),
            "encoding": response.encoding,
            "title": head.title,
            "length": len(response.body),
            "truncated": bool(response.meta.get("body_truncated")),
            # Where the WARC middleware wrote the response record (None when not captured).
            "warc": response.meta.get("warc_record"),
            "discovery": [p.as_dict() for p in entry.provenance],
        }

    def admit(self, request: scrapy.Request) -> None:
        """Called just before an article is downloaded: drop it if now known too old."""
        key = request.meta.get("ledger_key")
        if key is None:
            return
        entry = self.ledger[key]
        if self._too_old(entry):
            raise Dropped("older than max_age_days by a date discovery found later")
        entry.admitted_at = entry.admitted_at or utc_now_iso()

    def redirect_seen(self, request: scrapy.Request, target: str) -> None:
        """Called by the redirect policy before a redirect is followed.

        The target joins the article's ledger entry, so discovering it later does not
        fetch it again; a target already known on its own ends this chain here.
        """
        key = request.meta.get("ledger_key")
        if key is None:
            return
        entry, target_key = self.ledger[key], canonicalize(target)
        known = self.ledger.alias(target_key, key)
        if known is entry:
            return
        known.provenance.extend(entry.provenance)
        entry.fate, entry.final_url = "redirect_duplicate", target_key
        entry.detail = f"redirects to {target_key}, archived under that URL"
        self.crawler.stats.inc_value("discovery/redirect_duplicates")
        raise DuplicateRedirect(entry.detail)

    # --- failures ----------------------------------------------------------------------

    def source_failed(self, failure: Failure) -> None:
        """Errback of discovery requests: log naming outlet and URL, count, carry on."""
        request = failure.request  # type: ignore[attr-defined]
        kind, detail = classify(failure.value, urlparse_cached(request).hostname or "")
        if kind is None or isinstance(failure.value, RefusedRequest):
            return  # dropped by a middleware that logged and counted it already
        self.discovery_error(kind, request.url, detail)

    def article_failed(self, failure: Failure) -> None:
        """Errback of article requests: record the fate in the ledger, count, carry on."""
        exc = failure.value
        if isinstance(exc, Dropped):
            return
        request = failure.request  # type: ignore[attr-defined]
        entry = self.ledger[request.meta["ledger_key"]]
        kind, entry.detail = classify(exc, urlparse_cached(request).hostname or "")
        kind = kind or "ignored"
        entry.fate = "robots_disallowed" if kind == "robots_disallowed" else f"failed:{kind}"
        if isinstance(exc, HttpError):
            entry.status = exc.response.status
        self.crawler.stats.inc_value(f"crawl/articles/failed/{kind}")
        logger.warning(
            "outlet %s: article %s failed: %s", self.outlet.name, request.url, entry.detail
        )

    def discovery_error(self, kind: str, url: str, message: str) -> None:
        """Log a discovery problem naming the outlet and URL, and count it."""
        self.crawler.stats.inc_value(f"discovery/errors/{kind}")
        logger.warning("outlet %s: %s: %s [%s]", self.outlet.name, url, message, kind)

    # --- helpers -----------------------------------------------------------------------

    def _own(self, url: str) -> bool:
        return host_in_domains(url, self.allowed_domains)

    def _too_old(self, entry: LedgerEntry) -> bool:
        """Whether every date the sources give is before max_age_days; marks the entry.

        The newest stated date counts (a lastmod may be later than the publication);
        an undated article is never too old.
        """
        dates = [datetime.fromisoformat(p.date) for p in entry.provenance if p.date]
        if self._oldest is None or not dates or max(dates) >= self._oldest:
            return False
        entry.fate = "filtered:too_old"
        self.crawler.stats.inc_value("discovery/filtered/too_old")
        return True

    def _warn(self, url: str, warnings: list[str]) -> None:
        for warning in warnings:
            self.crawler.stats.inc_value("discovery/warnings")
            logger.info("outlet %s: %s: %s", self.outlet.name, url, warning)

    @staticmethod
    def _content_type(response: Response) -> str | None:
        value = response.headers.get("Content-Type")
        return value.decode("latin-1") if value else None

    @staticmethod
    def _provenance(response: Response, link: DiscoveredLink) -> Provenance:
        date = link.published.isoformat() if link.published else None
        return Provenance(source=response.url, kind=link.kind, date=date, title=link.title)
