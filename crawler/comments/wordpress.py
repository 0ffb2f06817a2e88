"""WordPress specifics: post id, comment pages, the REST API and its comment JSON."""

from __future__ import annotations

import json
import re
from datetime import datetime
from urllib.parse import parse_qs, urldefrag, urljoin, urlsplit
from weakref import WeakKeyDictionary

from lxml import etree, html

from crawler.comments.dom import Element, ParseError, element_text, parse
from crawler.comments.thread import CommentItem, make_thread, resolve_tree, threaded_order
from crawler.extract.document import xpath

#: Where a page states its post id: (XPath returning strings, regex with one group).
POST_ID_SOURCES: tuple[tuple[str, str], ...] = (
    ("//body/@class", r"(?:^|\s)(?:postid|page-id)-(\d+)(?:\s|$)"),
    ("//link[@rel='shortlink']/@href", r"[?&]p=(\d+)"),
    ("//input[@name='comment_post_ID']/@value", r"^\s*(\d+)\s*$"),
    ("//article/@id", r"^post-(\d+)$"),
    ("//*[@data-postid]/@data-postid", r"^(\d+)$"),
)
#: Links to comment pages: XPath for candidate hrefs, regex giving the page number. (The
#: tests on attribute nodes, ``//@class[contains(., ...)]``, take half the time of the same
#: tests on every element, ``//*[contains(@class, ...)]``.)
COMMENT_PAGE_LINKS = (
    "//a/@href[contains(., 'comment-page-') or contains(., 'cpage=')]"
    " | //@class[contains(., 'comment-navigation') or contains(., 'comments-pagination')"
    " or contains(., 'nav-links')]/..//a/@href"
)
_COMMENT_PAGE_LINKS = etree.XPath(COMMENT_PAGE_LINKS, smart_strings=False)
#: Candidate hrefs per parsed page: the extract command asks for a page's comment pages
#: (to join them) and the thread asks again (to say it is partial without them).
_HREFS: WeakKeyDictionary[Element, list[str]] = WeakKeyDictionary()
_PAGE_NUMBER = re.compile(r"/comment-page-(\d+)/?|[?&]cpage=(\d+)")
#: Words in the HTML of every page that links a comment page (:data:`_PAGE_NUMBER`), as
#: long as the page is not a comment page itself (then a link to the bare article counts).
_PAGE_HINTS = ("comment-page-", "cpage")
_API_REL = "https://api.w.org/"
_REST_ROUTE = "wp/v2/comments"


def _safe_parse(text: str) -> Element | None:
    """Parsed document, ``None`` for input that cannot be parsed."""
    try:
        return parse(text)
    except ParseError:
        return None


def wordpress_post_id(text: str) -> int | None:
    """The WordPress post id the page states (body class, shortlink, form, article id)."""
    doc = _safe_parse(text)
    return None if doc is None else post_id_in(doc)


def post_id_in(doc: Element) -> int | None:
    """:func:`wordpress_post_id` for an already parsed document."""
    for query, pattern in POST_ID_SOURCES:
        for value in xpath(query)(doc):
            match = re.search(pattern, str(value))
            if match:
                return int(match.group(1))
    return None


def _page_number(url: str) -> int | None:
    """Comment page number of ``url`` (1 for the bare article), ``None`` if unrelated."""
    match = _PAGE_NUMBER.search(urldefrag(url).url)
    if match:
        return int(match.group(1) or match.group(2))
    return None


def _article_url(url: str) -> str:
    """The article URL behind a comment-page URL."""
    bare = urldefrag(url).url
    return _PAGE_NUMBER.sub(lambda m: "/" if m.group(1) else "", bare)


def same_page(url: str) -> str:
    """``url`` without its fragment, and a post's first comment page
    (``.../comment-page-1/``) as the post's own address: the same page."""
    bare: str = urldefrag(url).url
    return _article_url(bare) if _page_number(bare) == 1 else bare


def comment_pages(text: str, url: str) -> list[str]:
    """Absolute URLs of the *other* comment pages the page links, by page number."""
    doc = _safe_parse(text)
    return [] if doc is None else comment_pages_in(doc, url, text)


def comment_pages_in(doc: Element, url: str, source: str | None = None) -> list[str]:
    """:func:`comment_pages` for an already parsed document; ``source``: the HTML it was
    parsed from, if at hand (a page whose HTML names no comment page links none, which
    saves the query: it walks every attribute of the page)."""
    here = urldefrag(url).url
    unhinted = source is not None and not any(hint in source for hint in _PAGE_HINTS)
    if unhinted and _page_number(here) is None:
        return []
    article = _article_url(here)
    pages: dict[int, str] = {}
    hrefs = _HREFS.get(doc)
    if hrefs is None:
        hrefs = _HREFS[doc] = [str(h) for h in _COMMENT_PAGE_LINKS(doc)]
    for href in hrefs:
        target = urldefrag(urljoin(url, str(href).strip())).url
        number = _page_number(target)
        if number is None and target == article and _page_number(here) is not None:
            number = 1
        if number is not None and target != here and number not in pages:
            pages[number] = target
    return [pages[n] for n in sorted(pages)]


def rest_api_url(text: str, url: str, post_id: int, page: int = 1) -> str | None:
    """REST comments URL for ``post_id`` from the page's ``api.w.org`` link, else ``None``."""
    doc = _safe_parse(text)
    return None if doc is None else rest_api_url_in(doc, url, post_id, page)


def rest_api_url_in(doc: Element, url: str, post_id: int, page: int = 1) -> str | None:
    """:func:`rest_api_url` for an already parsed document."""
    hrefs = xpath("//link[@rel=$rel]/@href")(doc, rel=_API_REL)
    if not hrefs:
        return None
    root = urljoin(url, str(hrefs[0]).strip())
    query = f"post={post_id}&per_page=100&page={page}"
    route = parse_qs(urlsplit(root).query).get("rest_route")
    if route is not None:
        base = root.split("?", 1)[0]
        return f"{base}?rest_route=/{_REST_ROUTE}&{query}"
    return f"{root.rstrip('/')}/{_REST_ROUTE}?{query}"


def _published(comment: dict[str, object]) -> str | None:
    """Local date with the offset implied by ``date`` minus ``date_gmt``."""
    local, gmt = comment.get("date"), comment.get("date_gmt")
    if not isinstance(local, str) or not local:
        return None
    try:
        offset = datetime.fromisoformat(local) - datetime.fromisoformat(str(gmt))
    except ValueError:
        return local
    minutes = round(offset.total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    return f"{local}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _rendered_text(content: object) -> str:
    """Plain text of ``content.rendered`` (paragraphs joined by a blank line)."""
    rendered = content.get("rendered") if isinstance(content, dict) else None
    if not isinstance(rendered, str) or not rendered.strip():
        return ""
    try:
        fragment = html.fragment_fromstring(rendered, create_parent="div")
    except (ValueError, TypeError):
        return " ".join(rendered.split())
    return element_text(fragment, lambda e: e.tag in ("script", "style"))


def _rest_item(comment: dict[str, object]) -> CommentItem | None:
    """One REST comment as an item (``None`` without a usable id)."""
    ident, parent = comment.get("id"), comment.get("parent")
    if not isinstance(ident, int | str) or not str(ident).strip():
        return None
    name, link = comment.get("author_name"), comment.get("author_url")
    return {
        "id": str(ident),
        "parent_id": str(parent) if parent not in (None, 0, "0", "") else None,
        "depth": 1,
        "author": name.strip() or None if isinstance(name, str) else None,
        "author_url": link or None if isinstance(link, str) else None,
        "published": _published(comment),
        "text": _rendered_text(comment.get("content")),
    }


def _sort_key(item: CommentItem) -> tuple[object, ...]:
    """Oldest first, then by numeric id."""
    ident = item["id"]
    return (item["published"] or "", int(ident) if ident.isdigit() else 0, ident)


def from_rest(pages: list[list[dict[str, object]]], total: int | None) -> dict[str, object]:
    """A thread from WordPress REST comment pages (``X-WP-Total`` as ``total``)."""
    items: list[CommentItem] = []
    seen: set[str] = set()
    for page in pages:
        for comment in page if isinstance(page, list) else []:
            item = _rest_item(comment) if isinstance(comment, dict) else None
            if item is not None and item["id"] not in seen:
                seen.add(item["id"])
                items.append(item)
    resolve_tree(items, "REST comments")
    items = threaded_order(items, _sort_key)
    return make_thread("wordpress", "rest", total, items, "empty")


def rest_state(post_id: int) -> dict[str, object]:
    """Collected REST comment pages of one post: ``from_rest(state["pages"], state["total"])``."""
    return {"post_id": post_id, "pages": [], "total": None}


def add_rest_page(state: dict[str, object], body: bytes, total: str | bytes | None) -> bool:
    """Add one REST comments response (JSON body, ``X-WP-Total`` header) to ``state``.

    Raises ValueError when the body is not JSON; returns False when it is JSON but not
    a list of comments (nothing added).
    """
    page = json.loads(body)
    if not isinstance(page, list):
        return False
    pages = state["pages"]
    assert isinstance(pages, list)
    pages.append(page)
    text = total.decode("latin-1") if isinstance(total, bytes) else (total or "")
    if text.isdigit():
        state["total"] = int(text)
    return True
