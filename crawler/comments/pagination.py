"""The pages a comment thread goes on to: WordPress comment pages and a forum thread's
next page.

A WordPress article links its comment pages (``comment-page-N``, though a theme may link
only the pages next to the one shown); a forum thread page links only its next page
(``rel="next"``, the engines' "next" buttons). :func:`further_pages` names both, so the
crawl and ``newsarchive extract`` gather a thread page by page the same way
(:func:`gather`), and :func:`missing_pages` says whether the pages gathered are the
whole thread: a thread that is not is ``partial``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urldefrag, urljoin, urlsplit

from crawler.comments.dom import Element
from crawler.comments.html_adapter import detected
from crawler.comments.marks import page_marks
from crawler.comments.platforms import FORUM_NEXT, FORUM_PREVIOUS, PLATFORMS
from crawler.comments.wordpress import comment_pages_in, same_page
from crawler.extract.document import xpath

_FORUMS = tuple(p for p in PLATFORMS if p.forum)


def forum_page(doc: Element) -> bool:
    """Whether ``doc`` (a parsed page) is a thread page of a forum engine of the table."""
    marks = page_marks(doc)
    return any(detected(platform, marks, "") for platform in _FORUMS)


def forum_next(doc: Element, url: str) -> str | None:
    """The absolute address of a forum thread page's next page, on the page's own host;
    ``None`` on the last page and on pages of no forum engine (a paginated article's
    ``rel="next"`` is not its thread's)."""
    if not forum_page(doc):
        return None
    here = urlsplit(url)
    for element in xpath(FORUM_NEXT)(doc):
        href = (element.get("href") or "").strip()
        if not href:
            continue
        target: str = urldefrag(urljoin(url, href)).url
        parts = urlsplit(target)
        if parts.scheme in ("http", "https") and parts.netloc == here.netloc and target != url:
            return target
    return None


def starts_later(doc: Element) -> bool:
    """Whether ``doc`` is a forum thread page after the thread's first (it links a
    previous page): the replies before it are not on it."""
    return forum_page(doc) and bool(xpath(FORUM_PREVIOUS)(doc))


def further_pages(doc: Element, url: str, source: str | None = None) -> list[str]:
    """The other pages of the thread that the page ``url`` (parsed as ``doc`` from
    ``source``) links: its WordPress comment pages in page order (its own first comment
    page, ``comment-page-1``, is the page itself), then a forum thread's next page."""
    here = same_page(url)
    pages = [p for p in comment_pages_in(doc, url, source) if same_page(p) != here]
    following = forum_next(doc, url)
    if following is not None and following not in pages:
        pages.append(following)
    return pages


def gather(
    doc: Element,
    url: str,
    source: str | None,
    fetch: Callable[[str], tuple[str, Element | None] | None],
    limit: int,
) -> list[tuple[str, str, Element | None]]:
    """``(url, html, parse)`` of the thread's further pages, at most ``limit``, following
    the links of each page gathered (:func:`further_pages`) from the page ``url`` (parsed
    as ``doc`` from ``source``). ``fetch(url)`` gives a page's HTML and parse (``None``
    for the parse where it cannot be parsed), or ``None`` where the page cannot be had."""
    seen = {same_page(url)}
    queue = unseen(further_pages(doc, url, source), seen)
    pages: list[tuple[str, str, Element | None]] = []
    while queue and len(pages) < limit:
        page_url = queue.pop(0)
        found = fetch(page_url)
        if found is None:
            continue
        html, page_doc = found
        pages.append((page_url, html, page_doc))
        if page_doc is not None:
            queue += unseen(further_pages(page_doc, page_url, html), seen)
    return pages


def unseen(links: Iterable[str], seen: set[str]) -> list[str]:
    """Those of ``links`` whose page (:func:`same_page`) is not in ``seen``, each once;
    their pages are added to ``seen``."""
    new = []
    for link in links:
        key = same_page(link)
        if key not in seen:
            seen.add(key)
            new.append(link)
    return new


def missing_pages(pages: Iterable[tuple[str, Element | None, str]]) -> bool:
    """Whether the thread read from ``pages`` (``(url, parse, html)``, the article's page
    first) lacks pages: one of them links a page not among them, or the first is a forum
    thread page after the thread's first."""
    pages = list(pages)
    have = {same_page(url) for url, _, _ in pages}
    if pages and pages[0][1] is not None and starts_later(pages[0][1]):
        return True
    return any(
        same_page(link) not in have
        for url, doc, html in pages
        if doc is not None
        for link in further_pages(doc, url, html)
    )
