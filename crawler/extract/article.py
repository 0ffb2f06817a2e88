"""Assemble one article record from the loaders, the metadata sources and the body."""

from __future__ import annotations

import logging
import re
from typing import Any

from lxml import etree, html

from crawler.extract import body, document, jsonld, ldbody, markup, prune
from crawler.extract.markup import MAX_BYLINE_CHARS
from crawler.extract.merge import fold, merge, without_label_tail
from crawler.extract.normalize import normalize_authors
from crawler.extract.patterns import SHOWN_DATE

logger = logging.getLogger(__name__)

#: Record keys in output order, with the value used when nothing was found.
EMPTY_RECORD: dict[str, Any] = {
    "title": None,
    "authors": [],
    "published": None,
    "modified": None,
    "language": None,
    "description": None,
    "section": None,
    "tags": [],
    "canonical_url": None,
    "image": None,
    "text": "",
    "word_count": 0,
    "extraction_status": "ok",
}


#: Longest paragraph compared with the title (a title repeated in the body is short).
MAX_ECHO_CHARS = 400


def _compact(text: str) -> str:
    """``text`` folded, without its whitespace ("AlternativesTop" is "Alternatives Top")."""
    return "".join(fold(text).split())


def empty_record(status: str) -> dict[str, object]:
    """A record with no content and ``status``."""
    record: dict[str, object] = {k: (list(v) if isinstance(v, list) else v)
                                 for k, v in EMPTY_RECORD.items()}  # fmt: skip
    record["extraction_status"] = status
    return record


def _repeats_title(para: str, title: str | None) -> bool:
    """Whether ``para`` is the title (``title``: its :func:`_compact` form) again."""
    if not title or len(para) >= MAX_ECHO_CHARS:
        return False
    compact = _compact(para)  # a tail the title lost follows it: the rest start with it
    return compact == title or (
        compact.startswith(title) and _compact(without_label_tail(para) or "") == title
    )


def drop_echoes(paragraphs: list[str], record: dict[str, object]) -> list[str]:
    """Paragraphs without repeats of the title (spacing aside, or with the tail the title
    lost: "Headline (example.com) 87") or a bare byline of the record's authors."""
    title = record.get("title")
    authors = record.get("authors")
    echo = _compact(str(title)) if title else None
    names = {fold(str(a)) for a in authors} if isinstance(authors, list) else set()
    kept = []
    for para in paragraphs:
        if fold(para) in names or _repeats_title(para, echo):
            continue
        pieces = normalize_authors([para]) if len(para) < MAX_BYLINE_CHARS else []
        if names and pieces and {fold(p) for p in pieces} <= names:
            continue
        kept.append(para)
    return kept


def forum_paragraphs(posts: list[Any]) -> list[str]:
    """The body of a forum thread page: its posts in page order, each its author's name
    and then its text (signatures left out), as a reader of the page sees the thread.
    trafilatura takes a few posts of such a page, or a block beside them (a forum's
    terms of service), for its main text."""
    paragraphs: list[str] = []
    for post in posts:
        author, text = str(post.get("author") or "").strip(), str(post.get("text") or "")
        body = [part for part in text.split("\n\n") if part.strip()]
        if body:
            paragraphs += ([author] if author else []) + body
    return paragraphs


#: A republished article's note of where it began: "This article was originally published
#: on 26 Sep 2019 ...", "Originally posted: March 3, 2021".
_ORIGINALLY = re.compile(
    r"^(?:this (?:article|story|post|piece|report) (?:was|is) )?originally"
    r" (?:published|posted)(?: here)?(?: on)?:?\s+",
    re.IGNORECASE,
)
_ORIGINALLY_NODES = etree.XPath("//text()[contains(translate(., 'OP', 'op'), 'riginally p')]/..")


def originally_published(tree: html.HtmlElement, source: str) -> str | None:
    """The day a republished article's note says it first appeared (an element whose text
    starts "This article was originally published on 26 Sep 2019"), as an ISO day;
    ``None`` without one. ``source``: the page's HTML (without the word, nothing is
    searched: a search of the page's text costs a millisecond)."""
    if "riginally" not in source and "RIGINALLY" not in source:
        return None
    for element in _ORIGINALLY_NODES(tree):
        # the words' own element, else its parent ("<b>Originally posted:</b> March 3")
        for scope in (element, element.getparent()):
            text = " ".join(scope.text_content().split()) if scope is not None else ""
            found = _ORIGINALLY.match(text)
            date_match = SHOWN_DATE.match(text, found.end()) if found else None
            if date_match is not None:
                return markup.shown_day(date_match)
    return None


def build(source: str, url: str, tree: html.HtmlElement | None = None) -> dict[str, object]:
    """Extract a record from ``source`` (may raise; :func:`extract_article` guards it);
    ``tree``: ``source`` already parsed, read and not changed."""
    loaded = document.load(source, tree)
    if loaded.tree is None:
        return empty_record(loaded.status)
    ld = jsonld.extract(loaded.tree)
    marks = markup.extract(loaded.tree, source)
    status = loaded.status
    found = body.Body()
    if status == "ok":
        with prune.prepared(loaded.tree, source) as (page, drop):
            found = body.run_trafilatura(page, url, loaded.tree, drop, source)
        status = "extractor_error" if found.failed else status
    record = empty_record(status)
    record.update(merge(ld, marks, found.metadata, url))
    paragraphs = ldbody.steer(found.paragraphs, ld.get("body"), loaded.tree, source)
    if status == "ok" and (posts := marks.get("forum_posts")):
        kept = forum_paragraphs(posts[0])  # the posters' names stay: they are the thread's
    else:
        kept = drop_echoes(paragraphs, record)
    text = "\n\n".join(kept)
    record["text"], record["word_count"] = text, len(text.split())
    first = originally_published(loaded.tree, source)
    if first is not None:
        record["published"] = first
    if status == "ok" and not text:
        record["extraction_status"] = "no_text"
    return record
