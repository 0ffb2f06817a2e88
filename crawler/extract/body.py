"""Article body text through trafilatura, then a residue filter.

trafilatura finds the main content (on the tree :mod:`crawler.extract.prune` prepared; a
second ``favor_recall`` pass runs when the text is short for the page); we keep its paragraph
structure (one output line per block element) and join paragraphs with a blank line. Lines
that are comment-form, sharing or widget residue
(:data:`~crawler.extract.patterns.RESIDUE_LINES`) or long repeats of an earlier line are
dropped, and a trailing comment section
(:data:`~crawler.extract.patterns.COMMENT_SECTION_START`) or author box
(:data:`~crawler.extract.patterns.AUTHOR_BOX_START`) is cut.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import trafilatura
from lxml import etree, html
from trafilatura.settings import Extractor

from crawler.extract import readability_gate, wild_text, xpath_pretest
from crawler.extract.patterns import (
    AUTHOR_BOX_START,
    COMMENT_SECTION_START,
    CUED_RESIDUE_LINES,
    PAYWALL_START,
    READ_NEXT_START,
    RESIDUE_LINES,
)
from crawler.extract.prune import article_container
from crawler.extract.shingles import repeated_share, shingles

logger = logging.getLogger(__name__)

#: trafilatura options: comments excluded (they belong to the comment thread), tables kept
#: (news tables are content), default precision/recall balance (best F1 on the dev sets).
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "deduplicate": False,
    "with_metadata": False,
}
#: A second pass with ``favor_recall`` runs when the first text is shorter than this share of
#: the page's block text (``p``, ``li``, ``h2``, ``h3``, ``td``), and is kept when it is at
#: least :data:`RECALL_GAIN` times longer. Chosen on the dev sets: the trigger fires on about
#: a quarter of the pages and catches 14 of the 15 where the recall pass finds much more; a
#: gain of 1.5 beat 2, 3 and 5 (wcxb text +0.006, scrapinghub -0.001, fundus unchanged).
RECALL_TRIGGER = 0.5
RECALL_GAIN = 1.5
#: ... and when at most this share of its shingles repeats (galleries repeat their captions).
MAX_RECALL_REPEATS = 0.2
#: Lines of at least this many words are dropped when they repeat an earlier line (pages
#: that render the article twice, captions repeated in galleries). Chosen on the dev sets:
#: 12-20 score alike (fundus +0.0007, scrapinghub +0.001, wcxb +0.001); shorter lines repeat
#: legitimately (table cells, list labels), 30 catches fewer repeats.
MIN_REPEAT_WORDS = 15
readability_gate.install()
wild_text.install()
#: The paragraph-like blocks whose text :func:`short_for_page` measures.
BLOCK_TAGS = ("p", "li", "h2", "h3", "td")
_LENGTH = etree.XPath("string-length(normalize-space(.))")
#: The same blocks inside reader-comment sections do not count (a long thread would make
#: any article look short for its page and trigger the recall pass for nothing). The
#: sections: an element with id ``comments`` or ``respond``, an ``ol``/``ul`` with
#: "comment" in its class, a ``div`` with one of :data:`_COMMENT_DIV_CLASSES` in its class.
#: Found from the attribute nodes that can qualify (a test on every element cost 0.4 ms;
#: the one XPath for sections and their blocks took twice the time of this).
_COMMENT_IDS = etree.XPath("//@id[.='comments' or .='respond']/..")
_COMMENT_CLASSES = etree.XPath("//@class[contains(., 'comment') or contains(., 'wpd-thread')]/..")
_COMMENT_DIV_CLASSES = ("comments-area", "td-comments", "wpd-thread", "comment-respond")
#: Every comment section has one of these in an id or class.
_COMMENT_WORDS = ("comment", "respond", "wpd-thread")


@dataclass
class Body:
    """Body paragraphs plus trafilatura's own metadata guesses (fallbacks)."""

    paragraphs: list[str] = field(default_factory=list)
    metadata: Mapping[str, Any] = field(default_factory=dict)
    failed: bool = False


class TrafilaturaMetadata(Mapping[str, Any]):
    """trafilatura's metadata of a tree (``extract_metadata``, as ``bare_extraction`` with
    ``with_metadata`` runs it), computed at the first lookup.

    Its values are the last fallbacks of every field, so most pages never need them:
    computing them (htmldate's date search above all) cost about 1.5 ms a page. The tree
    must not change before the first lookup; extract_metadata does not change it.

    ``categories`` and ``tags`` asked before anything else are read on their own
    (:data:`LINK_FIELDS`): on a quarter of the eval pages they were all that was needed.
    The ``date`` (htmldate's search, a third of the metadata's cost on real pages: 3.4 of
    10.8 ms on wcxb pages, once its parsers are warm) is found only when it is asked for,
    most pages needing trafilatura's title or author only (:func:`_metadata`).
    """

    def __init__(self, tree: html.HtmlElement, url: str) -> None:
        self._tree, self._url = tree, url
        self._values: dict[str, Any] | None = None
        self._links: dict[str, Any] = {}
        self._date_search: Callable[[], str | None] | None = None

    def _data(self) -> dict[str, Any]:
        """The metadata but its date (computed now if not yet; ``{}`` when trafilatura
        fails)."""
        if self._values is None:
            self._values, self._date_search = _metadata(self._tree, self._url)
        return self._values

    def __getitem__(self, key: str) -> Any:
        if self._values is None and key in LINK_FIELDS:
            if key not in self._links:
                found = _link_field(self._tree, key)
                self._links[key] = found if found is not None else self._data()[key]
            return self._links[key]
        values = self._data()
        if key == "date" and self._date_search is not None and values:
            values["date"], self._date_search = self._date_search(), None
        return values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


#: The metadata fields trafilatura reads from the page's category and tag links
#: (``trafilatura.metadata.extract_catstags``) when the page's meta tags and JSON-LD have
#: none (ours read those first: :mod:`crawler.extract.merge`), by field and link kind.
LINK_FIELDS = {"categories": "category", "tags": "tag"}


def _link_field(tree: html.HtmlElement, key: str) -> list[str] | None:
    """trafilatura's ``key`` from the page's links alone; None when that cannot be read
    (then the whole metadata is computed)."""
    try:
        from trafilatura.metadata import extract_catstags

        values: list[str] = extract_catstags(LINK_FIELDS[key], tree)
    except Exception:  # not in this trafilatura release, or failing on this page
        return None
    return values


def _metadata(
    tree: html.HtmlElement, url: str
) -> tuple[dict[str, Any], Callable[[], str | None] | None]:
    """trafilatura's metadata of ``tree`` as ``bare_extraction`` computes it, but its
    ``date`` (None in the values), and the search that gives the date as it would have
    been: ``extract_metadata`` runs with htmldate's ``find_date`` recording its arguments
    instead of searching (nothing after the search reads the date), and the search runs
    with them when asked, its result cleaned as ``extract_metadata`` cleans values."""
    import trafilatura.metadata
    from trafilatura.settings import Document

    traf_metadata: Any = trafilatura.metadata  # its find_date is swapped below

    options = Extractor(with_metadata=True, url=url or None)
    search = traf_metadata.find_date
    calls: list[tuple[Any, dict[str, Any]]] = []

    def recorded(page: Any, **kwargs: Any) -> None:
        calls.append((page, kwargs))

    traf_metadata.find_date = recorded
    try:
        document = trafilatura.extract_metadata(
            tree, options.url, options.date_params, options.fast, options.author_blacklist
        )
    except Exception:
        logger.warning("trafilatura's metadata failed on %s", url, exc_info=True)
        return {}, None
    finally:
        traf_metadata.find_date = search
    values: dict[str, Any] = document.as_dict()
    if not calls:  # a release that searches elsewhere: its date is in the values already
        return values, None

    def date() -> str | None:
        page, kwargs = calls[0]
        cleaned = Document()
        try:
            cleaned.date = search(page, **kwargs)
        except Exception:
            logger.warning("trafilatura's date search failed on %s", url, exc_info=True)
            return None
        cleaned.clean_and_trim()
        return cleaned.date

    return values, date


def run_trafilatura(
    tree: html.HtmlElement, url: str, page: html.HtmlElement, drop: str | None = None,
    source: str | None = None,
) -> Body:  # fmt: skip
    """Call trafilatura on ``tree`` (without the elements the XPath ``drop`` selects), with
    a recall pass when the text is short for the page (``page``: the whole page's tree,
    see :func:`short_for_page`).

    Any exception trafilatura raises becomes ``Body(failed=True)``. The metadata is
    :class:`TrafilaturaMetadata` of ``tree`` (computed when first read).
    """
    try:
        with wild_text.watching() as watch:
            data = _bare(tree, url, prune_xpath=drop) or {}
        # no container found: read again with the article's named (see wild_text)
        container = article_container(tree) if watch.recovered else None
        with _named_article(container) as named:
            if named:
                data = _bare(tree, url, prune_xpath=drop) or {}
            text = str(data.get("text") or "")
            if short_for_page(len(text), page, source):
                again = _bare(tree, url, favor_recall=True, prune_xpath=drop) or {}
                text = _better_recall(text, str(again.get("text") or ""))
    except Exception:
        logger.warning("trafilatura failed on %s", url, exc_info=True)
        return Body(failed=True)
    return Body(clean_lines(text), TrafilaturaMetadata(tree, url))


@contextmanager
def _named_article(container: html.HtmlElement | None) -> Iterator[bool]:
    """Within this block ``container`` (if any, and if it has no ``itemprop`` of its own)
    is ``itemprop="articleBody"``, the first thing trafilatura's body selectors look for;
    whether it is."""
    if container is None or container.get("itemprop") is not None:
        yield False
        return
    container.set("itemprop", "articleBody")
    try:
        yield True
    finally:
        del container.attrib["itemprop"]


def _better_recall(text: str, more: str) -> str:
    """``more`` when it is much longer than ``text`` and not repetitive, else ``text``."""
    if len(more) < RECALL_GAIN * len(text):
        return text
    return more if repeated_share(shingles(more)) <= MAX_RECALL_REPEATS else text


def _bare(
    tree: html.HtmlElement, url: str, favor_recall: bool = False, prune_xpath: str | None = None
) -> dict[str, Any] | None:
    """trafilatura's ``bare_extraction`` (on its own copy of ``tree``) as a dict."""
    options = copy(_extractor(favor_recall))
    options.url = url or None
    options.source = options.url and options.url.encode("utf-8", "replace").decode("utf-8")
    with readability_gate.skipping(), xpath_pretest.active():
        doc = trafilatura.bare_extraction(tree, prune_xpath=prune_xpath, options=options)
    if doc is None:
        return None
    return doc if isinstance(doc, dict) else doc.as_dict()


@cache
def _extractor(favor_recall: bool) -> Extractor:
    """The options ``bare_extraction`` makes of :data:`TRAFILATURA_OPTIONS` (and
    ``favor_recall``) for a page without a URL: :func:`_bare` copies them and sets the
    page's URL, as ``bare_extraction`` does, instead of building them again for every page
    (reading them from the configuration was 0.09 ms a page, 1.6% of an extraction)."""
    options = TRAFILATURA_OPTIONS
    return Extractor(
        output_format="python", recall=favor_recall, comments=options["include_comments"],
        tables=options["include_tables"], images=options["include_images"],
        links=options["include_links"], dedup=options["deduplicate"],
        with_metadata=options["with_metadata"],
    )  # fmt: skip


def short_for_page(length: int, tree: html.HtmlElement, source: str | None = None) -> bool:
    """Whether ``length`` characters of text are under :data:`RECALL_TRIGGER` of the text in
    the page's paragraph-like blocks outside comment sections (whitespace collapsed).
    Comment sections are measured only when the whole page's blocks leave the question
    open, and only when ``source`` (the page's HTML, if given) has the words sections are
    named with (finding them costs about 1 ms on a real news page, and 40% of such pages
    name neither)."""
    lengths = {e: int(_LENGTH(e)) for e in tree.getroottree().getroot().iter(*BLOCK_TAGS)}
    total = sum(lengths.values())
    if length >= RECALL_TRIGGER * total:
        return False
    if source is not None and not any(word in source for word in _COMMENT_WORDS):
        return True
    in_comments = {
        e for section in comment_sections(tree) for e in section.iterdescendants(*BLOCK_TAGS)
    }
    return length < RECALL_TRIGGER * (total - sum(lengths[e] for e in in_comments))


def comment_sections(tree: html.HtmlElement) -> list[html.HtmlElement]:
    """The page's reader-comment sections (see :data:`_COMMENT_IDS`), nested ones too,
    each once."""
    found: list[html.HtmlElement] = list(_COMMENT_IDS(tree))
    for el in _COMMENT_CLASSES(tree):
        names = el.get("class")
        listed = el.tag in ("ol", "ul") and "comment" in names
        boxed = el.tag == "div" and any(name in names for name in _COMMENT_DIV_CLASSES)
        if listed or boxed:
            found.append(el)
    return list(dict.fromkeys(found))


#: :data:`RESIDUE_LINES` as one alternation: one ``fullmatch`` call a line instead of one a
#: pattern (the same lines match; half the time on the bench pages' lines).
_RESIDUE = re.compile("|".join(f"(?:{p.pattern})" for p in RESIDUE_LINES), re.IGNORECASE)


def cued_patterns(text: str) -> list[re.Pattern[str]]:
    """The :data:`~crawler.extract.patterns.CUED_RESIDUE_LINES` patterns with a cue in
    ``text`` (a line, or all the lines of a body: most bodies have none)."""
    folded = text.casefold()
    return [pattern for pattern, cues in CUED_RESIDUE_LINES if any(c in folded for c in cues)]


def is_residue(line: str, cued: list[re.Pattern[str]] | None = None) -> bool:
    """Whether a whole line is form, sharing or widget text; ``cued``: the cued patterns to
    try (:func:`cued_patterns` of text that holds the line; by default, of the line)."""
    if _RESIDUE.fullmatch(line) is not None:
        return True
    patterns = cued_patterns(line) if cued is None else cued
    return any(pattern.fullmatch(line) is not None for pattern in patterns)


def clean_lines(text: str) -> list[str]:
    """Paragraph lines without residue or repeats, stopping at a comment-section heading."""
    lines = [line for line in (" ".join(raw.split()) for raw in text.splitlines()) if line]
    cued = cued_patterns("\n".join(lines))
    kept: list[str] = []
    seen: set[str] = set()
    for line in lines:
        if COMMENT_SECTION_START.match(line) and kept:
            break
        if is_residue(line, cued) or is_repeat(line, seen):
            continue
        kept.append(line)
    return _before_trailing_boxes(kept)


def _before_trailing_boxes(lines: list[str]) -> list[str]:
    """``lines`` up to an author-box heading in their second half
    (:data:`~crawler.extract.patterns.AUTHOR_BOX_START`), or up to the heading of what to
    read next or a paywall notice after the first third of their text
    (:data:`~crawler.extract.patterns.READ_NEXT_START`,
    :data:`~crawler.extract.patterns.PAYWALL_START`)."""
    for at in range(max(1, len(lines) // 2), len(lines)):
        if AUTHOR_BOX_START.fullmatch(lines[at]):
            return lines[:at]
    total, before = sum(len(line) for line in lines), 0
    for at, line in enumerate(lines):
        if (
            at
            and 3 * before >= total
            and (READ_NEXT_START.fullmatch(line) or PAYWALL_START.fullmatch(line))
        ):
            return lines[:at]
        before += len(line)
    return lines


def is_repeat(line: str, seen: set[str]) -> bool:
    """Whether a long ``line`` was already kept (``seen`` collects the long lines)."""
    if len(line.split()) < MIN_REPEAT_WORDS:
        return False
    key = line.casefold()
    if key in seen:
        return True
    seen.add(key)
    return False
