"""Parsed records: one JSON object per archived article (schema in crawler/schemas).

:func:`build_record` is the single code path from an HTML page to a record, used by the
live crawl (in extraction worker processes) and by ``newsarchive extract`` (from WARCs),
so re-running extraction with a newer extractor upgrades an archive.
"""

from __future__ import annotations

import json
import logging
from functools import cache, partial
from importlib import resources
from typing import Any

logger = logging.getLogger(__name__)

SCHEMA_ID = "newsarchive/record/1.0"
SCHEMA_FILE = "record-1.0.json"

# Comment summary for pages whose thread could not be read at all.
_NO_COMMENTS: dict[str, Any] = {
    "platform": None, "source": None, "declared_count": None, "found_count": 0,
    "complete": False, "status": "error:extraction", "items": [],
}  # fmt: skip


@cache
def record_schema() -> dict[str, Any]:
    """The record JSON Schema shipped with the package."""
    text = resources.files("crawler.schemas").joinpath(SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def build_record(
    html: str, url: str, context: dict[str, Any], comments_doc: Any = None
) -> dict[str, Any]:
    """The parsed record of one page. ``context`` carries what the crawl knows:
    ``outlet``, ``fetched_at`` (UTC ISO), ``status``, ``warc`` (record location or None);
    ``comments_doc``: the page as :func:`crawler.comments.dom.parse` parsed it, if done.

    Never raises: whatever fails is said in ``extraction_status`` / ``comments.status``.
    """
    from crawler.comments import extract_comments
    from crawler.comments.dom import parse
    from crawler.extract import extract_article

    if comments_doc is None and isinstance(html, str):
        try:  # one parse for both readers (neither changes the tree)
            comments_doc = parse(html)
        except Exception:  # ParseError, or worse: each reader then says why in its status
            comments_doc = None
    article = _safely(partial(extract_article, tree=comments_doc), html, url)
    comments = _safely(partial(extract_comments, doc=comments_doc), html, url)
    if comments is not None:
        comments = _with_other_sources(comments, (url, comments_doc, html), context) or comments
    return {
        **_envelope(url, context),
        **_article_fields(article),
        "comments": comments if comments is not None else dict(_NO_COMMENTS),
    }


def failed_record(url: str, context: dict[str, Any], status: str) -> dict[str, Any]:
    """The record of a page whose extraction could not run (timeout, crashed worker)."""
    return {
        **_envelope(url, context),
        **_article_fields(None),
        "extraction_status": status,
        "comments": {**_NO_COMMENTS, "status": f"error:{status}"},
    }


def _envelope(url: str, context: dict[str, Any]) -> dict[str, Any]:
    """The fields every record has from the crawl, whatever extraction found."""
    from crawler.extract import extractor_versions

    return {
        "schema": SCHEMA_ID,
        "url": url,
        "outlet": context.get("outlet"),
        "fetched_at": context["fetched_at"],
        "status": int(context.get("status") or 200),
        "warc": context.get("warc"),
        "extractor": extractor_versions(),
    }


def _with_other_sources(
    thread: dict[str, Any], page: tuple[str, Any, str], context: dict[str, Any]
) -> dict[str, Any] | None:
    """Merge further comment pages and the WordPress REST thread into the page's thread
    (``page``: the article's ``(url, parse, html)``); partial where pages of the thread
    are still missing (:func:`crawler.comments.pagination.missing_pages`)."""
    from crawler.comments import extract_comments, from_rest, merge_pages, reconcile
    from crawler.comments.dom import ParseError, parse
    from crawler.comments.pagination import missing_pages

    try:
        read = []
        # (url, html) as the crawl gathered them; (url, html, parse) from `extract`'s walk
        for url, text, *parsed in context.get("comment_pages") or []:
            try:
                doc = parsed[0] if parsed else parse(text)
            except ParseError:
                doc = None
            read.append((url, doc, text))
        merged: dict[str, Any] = thread
        if read:
            pages = [extract_comments(text, url, doc=doc) for url, doc, text in read]
            merged = merge_pages([thread, *pages], missing_pages([page, *read]))
        rest = context.get("comment_rest")
        if rest and rest.get("pages"):
            merged = reconcile(merged, from_rest(rest["pages"], rest.get("total")))
    except Exception:  # a merge bug must not lose the page's own thread
        logger.exception("Merging comment sources failed")
        return None
    return merged


def _article_fields(article: dict[str, Any] | None) -> dict[str, Any]:
    keys = ("canonical_url", "title", "authors", "published", "modified", "language",
            "description", "section", "tags", "image", "text", "word_count",
            "extraction_status")  # fmt: skip
    if article is None:
        empty: dict[str, Any] = dict.fromkeys(keys)
        empty.update(authors=[], tags=[], text="", word_count=0, extraction_status="error")
        return empty
    return {key: article.get(key) for key in keys}


def _safely(function: Any, html: str, url: str) -> dict[str, Any] | None:
    try:
        result: dict[str, Any] = function(html, url)
    except Exception:  # an extractor bug must not lose the page: status says it failed
        logger.exception("%s failed on %s", getattr(function, "__name__", function), url)
        return None
    return result
