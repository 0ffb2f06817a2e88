"""Fetching an article's other comment sources: further comment pages and the REST API.

Mixed into :class:`crawler.spiders.outlet.OutletSpider`. After an article page, its
further comment pages (WordPress ``comment-page-N``, a forum thread's next pages: see
:mod:`crawler.comments.pagination`; each page fetched adds the pages it links) and, for
WordPress, the REST comments (``/wp-json/wp/v2/comments?post=ID``, every page) are
requested one after another; each exchange is archived like any other. The item leaves
once all are in (or have failed), carrying them for the records pipeline, which merges
them into the page's thread. Settings: COMMENTS_FOLLOW_PAGES, COMMENTS_REST_ENABLED,
COMMENTS_MAX_PAGES.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.httpobj import urlparse_cached

from crawler.failures import classify
from pipelines.records import HTML_FIELD, PAGES_FIELD, REST_META

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

    from crawler.comments.dom import Element
    from crawler.outlets import Outlet

logger = logging.getLogger(__name__)

Queue = list[tuple[str, str]]  # (kind: "page" | "rest", url)


class CommentSourcesMixin:
    """Spider methods that gather an article's comment pages and REST comments."""

    crawler: Crawler
    outlet: ClassVar[Outlet]
    article_priority: int
    comments_follow_pages: bool
    comments_rest: bool
    comments_max_pages: int

    @staticmethod
    def parsed(response: TextResponse) -> Element | None:
        """The page parsed whole (:func:`crawler.comments.dom.parse`), None if it cannot be;
        read for links and head fields only, so text decoded the wrong way is left to the
        extraction workers to repair (the reactor's time is the crawl's bound)."""
        from crawler.comments.dom import ParseError, parse

        try:
            return parse(response.text, repair_text=False)
        except ParseError:
            return None

    def comment_sources(
        self, response: TextResponse, item: dict[str, Any], doc: Element | None
    ) -> Iterator[Any]:
        """Fetch the article's further comment pages and WordPress REST comments (each
        archived like any exchange), then yield the item carrying them; ``doc``: the page
        as :meth:`parsed` gives it (read for the three look-ups)."""
        queue = self._first_sources(doc, response, item) if doc is not None else []
        item[PAGES_FIELD] = []
        yield from self._next_comment_source(item, queue)

    def _first_sources(self, doc: Element, response: TextResponse, item: dict[str, Any]) -> Queue:
        """The comment pages and first REST page the article links (REST state set up)."""
        from crawler.comments import rest_state
        from crawler.comments.pagination import further_pages
        from crawler.comments.wordpress import post_id_in, rest_api_url_in

        url = response.url
        queue: Queue = []
        if self.comments_follow_pages:
            pages = further_pages(doc, url, response.text)
            queue += [("page", u) for u in pages[: self.comments_max_pages]]
        post_id = post_id_in(doc) if self.comments_rest else None
        rest = rest_api_url_in(doc, url, post_id) if post_id is not None else None
        if rest and post_id is not None:
            queue.append(("rest", rest))
            item[REST_META] = rest_state(post_id)
        return queue

    def _next_comment_source(self, item: dict[str, Any], queue: Queue) -> Iterator[Any]:
        if not queue:
            yield item
            return
        kind, url = queue[0]
        yield scrapy.Request(
            url, callback=self.parse_comment_source, errback=self.comment_source_failed,
            cb_kwargs={"item": item, "queue": queue}, priority=self.article_priority + 1,
            dont_filter=True, meta={"comment_source": kind},
        )  # fmt: skip

    def parse_comment_source(
        self, response: Response, item: dict[str, Any], queue: Queue
    ) -> Iterator[Any]:
        """Callback of a comment page or REST page: keep it, go on with the queue."""
        kind, _ = queue[0]
        rest = queue[1:]
        if kind == "page" and isinstance(response, TextResponse):
            item[PAGES_FIELD].append((response.url, response.text))
            rest = self._pages_linked(response, item, rest)
        elif kind == "rest":
            rest = self._rest_page(response, item, rest)
        self.crawler.stats.inc_value(f"comments/fetched/{kind}")
        yield from self._next_comment_source(item, rest)

    def _pages_linked(self, response: TextResponse, item: dict[str, Any], queue: Queue) -> Queue:
        """``queue`` with the thread's pages that the comment page ``response`` links and
        that are neither fetched nor queued yet (a forum thread's next page, a comment
        page the article did not link), up to COMMENTS_MAX_PAGES pages in all."""
        from crawler.comments.pagination import further_pages, unseen
        from crawler.comments.wordpress import same_page

        pages = [u for kind, u in queue if kind == "page"]
        room = self.comments_max_pages - len(item[PAGES_FIELD]) - len(pages)
        doc = self.parsed(response) if room > 0 else None
        if doc is None:
            return queue
        seen = {same_page(u) for u in (item["url"], *pages, *(u for u, _ in item[PAGES_FIELD]))}
        new = unseen(further_pages(doc, response.url, response.text), seen)
        return [*queue, *(("page", u) for u in new[:room])]

    def _rest_page(self, response: Response, item: dict[str, Any], queue: Queue) -> Queue:
        from crawler.comments import add_rest_page, rest_api_url

        state = item[REST_META]
        try:
            if not add_rest_page(state, response.body, response.headers.get("X-WP-Total")):
                return queue
        except ValueError:
            self.crawler.stats.inc_value("comments/errors/rest_not_json")
            return queue
        pages = response.headers.get("X-WP-TotalPages")
        done = len(state["pages"])
        if pages and pages.isdigit() and done < min(int(pages), self.comments_max_pages):
            html = item[HTML_FIELD]
            following = rest_api_url(html, item["url"], state["post_id"], page=done + 1)
            if following:
                queue = [*queue, ("rest", following)]
        return queue

    def comment_source_failed(self, failure: Failure) -> Iterator[Any]:
        """A comment source that fails leaves the thread as the article page shows it."""
        request = failure.request  # type: ignore[attr-defined]
        kind, detail = classify(failure.value, urlparse_cached(request).hostname or "")
        self.crawler.stats.inc_value(f"comments/errors/{kind}")
        logger.info("outlet %s: comment source %s failed: %s", self.outlet.name, request.url,
                    detail)  # fmt: skip
        yield from self._next_comment_source(
            request.cb_kwargs["item"], request.cb_kwargs["queue"][1:]
        )
