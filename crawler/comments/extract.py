"""The comment thread of one page, merged pages and HTML/REST reconciliation.

Order of evaluation for one page (see :data:`~crawler.comments.platforms.PLATFORMS`):

1. every detected server-rendered platform, in table order: the first that yields
   items wins (source ``html``);
2. schema.org microdata ``Comment`` items, then JSON-LD ``Comment`` items;
3. nothing found: a detected JS-only platform gives ``not_rendered`` (never
   complete), another detected platform ``empty`` (comment form present) or
   ``closed``; a page with no platform at all is ``none``, unless it has a
   comment-like section with text that no adapter reads: ``unrecognised`` (never
   complete).

``declared_count`` is the page's JSON-LD/microdata ``commentCount`` (dropped
for JS-only platforms, whose count the page does not know). Items found with
further comment pages linked, or fewer than declared, make the thread
``partial``.
"""

from __future__ import annotations

import logging
import re
from typing import cast

from crawler.comments.dom import Element, ParseError, parse, shown_text
from crawler.comments.html_adapter import detected, extract_items
from crawler.comments.marks import PageMarks, page_marks
from crawler.comments.platforms import (
    CLOSED_XPATH,
    FORM_XPATH,
    FORUM_NEXT,
    FORUM_PREVIOUS,
    PLATFORMS,
    Platform,
)
from crawler.comments.structured import from_json_ld, from_microdata
from crawler.comments.thread import (
    CommentItem,
    dedupe,
    make_thread,
    resolve_tree,
    threaded_order,
)
from crawler.comments.wordpress import comment_pages_in
from crawler.extract.document import xpath

logger = logging.getLogger(__name__)

#: The platforms whose threads are in the page's HTML, in table order.
_SERVED = tuple(p for p in PLATFORMS if not p.js_only)


def _error(slug: str) -> dict[str, object]:
    """Thread value for input that could not be read."""
    return make_thread(None, None, None, [], f"error:{slug}")


#: Least text (characters) a comment-like section must hold for a thread no adapter could
#: read to be ``unrecognised`` rather than ``none``.
UNREAD_SECTION_CHARS = 200


def _empty_status(
    marks: PageMarks, platforms: list[Platform], declared: int | None, doc: Element
) -> str:
    """Status of a page whose thread has no items."""
    if any(p.js_only for p in platforms):
        return "not_rendered"
    if not platforms:
        if declared:
            return "partial"
        return "unrecognised" if _unread_sections(doc) else "none"
    if marks.matches(CLOSED_XPATH) or not marks.matches(FORM_XPATH):
        return "closed"
    return "empty"


def _from_doc(doc: Element, raw: str, url: str) -> dict[str, object]:
    """Thread of a parsed page (see the module docs). JS-only platforms are looked for
    only when no items are found: they can only name the platform of an empty thread."""
    marks = page_marks(doc, raw)
    md_items, md_count = from_microdata(doc, url)
    ld_items, ld_count = from_json_ld(doc, url)
    declared = ld_count if ld_count is not None else md_count
    served: list[Platform] = []  # the server-rendered platforms detected, in table order
    for platform in _SERVED:
        if not detected(platform, marks, raw):
            continue
        served.append(platform)
        if platform.forum and (md_items or ld_items):
            break  # the posts as the engine declares them (read below), no later adapter
        items = extract_items(platform, doc, url)
        if platform.forum and items:
            return _forum_thread(platform, declared, items, doc, url, raw)
        if items:
            if declared is None and platform.declared_xpath is not None:
                declared = _stated_count(xpath(platform.declared_xpath)(doc))
            missing = len(_raw_comment_ids(raw)) > len(items)
            more = platform.partial_xpath is not None and bool(xpath(platform.partial_xpath)(doc))
            return _finish(platform.name, "html", declared, items, doc, url, raw, missing, more)
    name = served[0].name if served else None
    forum = any(p.forum for p in served)
    for source, items in (("microdata", md_items), ("jsonld", ld_items)):
        if items:
            more = forum and _other_forum_pages(doc)
            return _finish(name or "schema.org", source, declared, items, doc, url, raw, more=more)
    if any(p.forum for p in served):  # a forum page none of whose posts could be read
        return make_thread(name, None, declared, [], "unrecognised")
    platforms = [p for p in PLATFORMS if p in served or (p.js_only and detected(p, marks, raw))]
    status = _empty_status(marks, platforms, declared, doc)
    if status == "not_rendered":
        js = next(p.name for p in platforms if p.js_only)
        return make_thread(js, None, None, [], status)
    return make_thread(platforms[0].name if platforms else None, None, declared, [], status)


def _forum_thread(
    platform: Platform,
    declared: int | None,
    posts: list[CommentItem],
    doc: Element,
    url: str,
    raw: str,
) -> dict[str, object]:
    """Thread of a forum page from its ``posts`` (see :data:`FORUM_NEXT`): the replies,
    without the topic's opening post on the thread's first page; partial where a next
    page follows, and on a later page (the replies before it are elsewhere)."""
    if not xpath(FORUM_PREVIOUS)(doc):
        posts = posts[1:]
    more = _other_forum_pages(doc)
    if not posts:
        return make_thread(platform.name, "html", declared, [], "empty", more)
    return _finish(platform.name, "html", declared, posts, doc, url, raw, more=more)


def _other_forum_pages(doc: Element) -> bool:
    """Whether a forum thread page has pages before or after it: its replies are then
    only part of the thread."""
    return bool(xpath(FORUM_PREVIOUS)(doc)) or bool(xpath(FORUM_NEXT)(doc))


def forum_posts(doc: Element) -> tuple[list[CommentItem], bool] | None:
    """All posts of a forum thread page (``doc``: the page parsed) on an engine of the
    platform table, opening post included, in page order, and whether the page is the
    thread's first (no previous page); ``None`` on other pages and where no post can be
    read."""
    marks = page_marks(doc)
    for platform in _SERVED:
        if platform.forum and detected(platform, marks, ""):
            posts = extract_items(platform, doc, "")
            return (posts, not xpath(FORUM_PREVIOUS)(doc)) if posts else None
    return None


def _stated_count(values: object) -> int | None:
    """The count a platform's ``declared_xpath`` read (a list of attribute values), if it
    is a whole number."""
    first = values[0] if isinstance(values, list) and values else None
    text = str(first).strip() if first is not None else ""
    return int(text) if text.isascii() and text.isdigit() else None


def _unread_sections(doc: Element) -> bool:
    """Whether the page has a reader-comment section (``ol.comments``, ``#comments`` ...:
    :func:`crawler.extract.body.comment_sections`) holding text, on a platform none of
    the adapters reads (a Lobsters thread): its thread is not known to be empty."""
    from crawler.extract.body import comment_sections

    return any(len(shown_text(s)) >= UNREAD_SECTION_CHARS for s in comment_sections(doc))


def _finish(
    platform: str,
    source: str,
    declared: int | None,
    items: list[CommentItem],
    doc: Element,
    url: str,
    raw: str,
    missing: bool = False,
    more: bool = False,
) -> dict[str, object]:
    """Repair the tree and build the thread, noting further comment pages and comments
    the markup has but the parse lost (``missing``: the thread is then partial), and a
    forum thread's next page or replies the page leaves out (``more``: partial too);
    ``raw``: the page's HTML."""
    items = dedupe(items)
    resolve_tree(items, url)
    if missing:
        logger.warning("comments: %s has comment ids the parsed tree lacks", url)
    pending = missing or more or bool(comment_pages_in(doc, url, raw))
    return make_thread(platform, source, declared, items, "empty", pending)


# Element ids WordPress-family walkers give each comment (li-comment-N, div-comment-N,
# comment-N). libxml2 stops nesting past ~2,000 levels, so a pathologically deep thread
# loses comments in the parse; counting these ids in the raw HTML notices it. The
# pattern starts with a literal so re scans for it fast (a leading \b cost 0.35 ms a
# page); the word boundary before "id" is checked on each hit instead.
_COMMENT_ID = re.compile(r"""id=["'](?:li-|div-)?comment-(\d+)["']""")


def _raw_comment_ids(raw: str) -> set[str]:
    return {m.group(1) for m in _COMMENT_ID.finditer(raw) if _word_start(raw, m.start())}


def _word_start(raw: str, at: int) -> bool:
    """Whether a word starts at ``at`` (what ``\\b`` before a word character tests)."""
    return at == 0 or not (raw[at - 1].isalnum() or raw[at - 1] == "_")


def extract_comments(html: str, url: str, doc: Element | None = None) -> dict[str, object]:
    """The reader comment thread of one page as a dict (never raises); ``doc``: the page
    already parsed by :func:`crawler.comments.dom.parse` (read, not changed)."""
    if not isinstance(html, str) or not isinstance(url, str):
        return _error("bad_input")
    try:
        doc = parse(html) if doc is None else doc
    except ParseError as exc:
        return _error(str(exc))
    try:
        return _from_doc(doc, html, url)
    except (RecursionError, MemoryError, ValueError) as exc:
        logger.warning("comments: extraction failed on %s: %s", url, exc, exc_info=True)
        return _error("extraction_failed")


def _items(thread: dict[str, object]) -> list[CommentItem]:
    """Typed copies of a thread's items (malformed entries skipped)."""
    raw = thread.get("items")
    out: list[CommentItem] = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            out.append(cast(CommentItem, dict(item)))
    return out


def _declared(threads: list[dict[str, object]]) -> int | None:
    """Largest declared count among ``threads``."""
    counts = [t["declared_count"] for t in threads if isinstance(t.get("declared_count"), int)]
    return max(cast(list[int], counts)) if counts else None


def _first(threads: list[dict[str, object]], key: str) -> str | None:
    """First non-empty string value of ``key``."""
    return next((str(t[key]) for t in threads if isinstance(t.get(key), str)), None)


def merge_pages(threads: list[dict[str, object]], pending: bool = False) -> dict[str, object]:
    """One thread from the threads of comment pages 1..N (deduped by id); ``pending``:
    pages of the thread are missing (it is then partial, see
    :func:`crawler.comments.pagination.missing_pages`)."""
    items = dedupe([item for thread in threads for item in _items(thread)])
    resolve_tree(items, "merged comment pages")
    declared = _declared(threads)
    statuses = [str(t.get("status")) for t in threads]
    empty = next((s for s in statuses if s == "not_rendered"), statuses[0] if statuses else "none")
    if empty == "ok":
        empty = "empty"
    return make_thread(
        _first(threads, "platform"), _first(threads, "source"), declared, items, empty, pending
    )


def _combine(html_item: CommentItem | None, rest_item: CommentItem | None) -> CommentItem:
    """REST parent and fields, html values where REST lacks them; html date first."""
    if rest_item is None or html_item is None:
        return cast(CommentItem, dict(rest_item or html_item or {}))
    merged = cast(CommentItem, dict(rest_item))
    for key in ("author", "author_url", "text"):
        if not rest_item[key]:
            merged[key] = html_item[key]
    merged["published"] = html_item["published"] or rest_item["published"]
    return merged


def reconcile(
    html_thread: dict[str, object], rest_thread: dict[str, object] | None
) -> dict[str, object]:
    """Merge an HTML thread with the REST thread of the same post."""
    html_items = {i["id"]: i for i in _items(html_thread)}
    rest_items = {i["id"]: i for i in _items(rest_thread or {})}
    order = {ident: n for n, ident in enumerate([*html_items, *rest_items])}
    items = [_combine(html_items.get(i), rest_items.get(i)) for i in order]
    resolve_tree(items, "reconciled thread")
    items = threaded_order(items, lambda item: (order[item["id"]],))
    threads = [t for t in (html_thread, rest_thread) if t is not None]
    source = "rest" if rest_items else _first([html_thread], "source")
    empty = str(html_thread.get("status") or "none") if not items else "empty"
    return make_thread(_first(threads, "platform"), source, _declared(threads), items, empty)
