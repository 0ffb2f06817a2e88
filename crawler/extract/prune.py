"""Boilerplate families that trafilatura keeps, dropped by it on its own copy of the page tree.

* **Teaser link lists**: ``<ul>``/``<ol>`` whose every item is (almost) all link text and
  whose items are headline-long ("related articles", "more on this topic" lists inside
  the article). Short-item link lists (menus, tag clouds) are left to trafilatura, which
  handles them, and removing them can make it pick the wrong block.
* **Fact and info boxes**: elements whose class or id names a fact box or info box
  (:data:`~crawler.extract.patterns.SIDE_BOX`); they summarise or supplement the article.
* **Hidden microdata**: ``itemscope`` blocks the page hides (``display:none``, ``hidden``),
  whose dates, URLs and keywords trafilatura took for text (scrapinghub text F1 of one
  such page 0.83 -> 1.00, no other page of the dev sets changed; the page source, when
  given, spares the query on pages without microdata).

Article containers are shielded from trafilatura's class-name discards. trafilatura drops
every block whose class or id contains a boilerplate word ("widget", "sidebar", "bar",
"banner", "footer", "embed", "slide" ...), as a substring: page builders and themes name
the article's own wrappers that way (Elementor's ``elementor-widget-container``, Genesis's
``content-sidebar-wrap``, ``has-sidebar`` layouts, a ``bard`` text class), and the article
goes with them. A block that matches and holds at least :data:`MAIN_SHARE` of the page's
paragraph text is the article's, as are the blocks of its kind (same class words, digits
and words of place such as "panel-first-child" aside: wcxb text 0.9422 -> 0.9424, two
pages better, none worse) that hold a paragraph of their own or sit beside it. Their
class and id lose the boilerplate words while trafilatura reads the page, and get them
back after (:func:`shield`; wcxb text 0.9356 -> 0.9402 on the dev sets, fundus and
scrapinghub unchanged; 0.2 ms a page on the bench pages).

An article body split into chunks of the same markup (``div.article__body`` after every
ad slot, one ``div.cooked`` per forum post) is read whole: trafilatura reads only the first
element its best body selector matches, so the later chunks' children join the first while
it reads the page, and go back after (:func:`merge_chunks`; on the dev sets scrapinghub text
0.9661 -> 0.9704, fundus 0.9597 -> 0.9611, wcxb 0.9402 -> 0.9406, wcxb forums 0.639 ->
0.661; about 0.5 ms a page on their pages, 0.02 ms on the bench pages).

Decoys are passed over: when the first element trafilatura's best body selector matches
holds almost none of the page's article text (a teaser card ``article.post``, a view
counter ``div.entry-content-views``, an empty placeholder), trafilatura keeps its few lines
or, finding too little, falls back to readings of the whole page that lose the headings.
Such a match before the first one holding :data:`DECOY_SHARE` of the paragraph text loses
its body words while trafilatura reads the page (:func:`skip_decoys`; wcxb text 0.9411 ->
0.9415, forums 0.661 -> 0.664, fundus and scrapinghub unchanged; 0.1 ms a bench page).

Where trafilatura finds no container at all and reads "wild" paragraphs (dropping every
subheading and list), :func:`article_container` names the block that holds most of the
article's paragraphs for a second reading (see :mod:`crawler.extract.wild_text`).

Collapsed accordions, FAQ answers and tab panes (:data:`~crawler.extract.patterns.COLLAPSIBLE`)
are part of the article but hidden until clicked; trafilatura discards hidden elements, so
the hiding markup inside them is removed, and their own class and id lose the words
trafilatura discards blocks for ("icon" in Kadence's ``kt-accodion-icon-style-arrow``; wcxb
text 0.9406 -> 0.9409, the others unchanged), on a copy of ours (:func:`prepared`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from functools import lru_cache
from typing import Any

from lxml import etree, html

from crawler.extract.document import xpath
from crawler.extract.loose import loose_containers, wrap_loose_text
from crawler.extract.patterns import COLLAPSIBLE, SIDE_BOX

try:  # trafilatura's own boilerplate selectors: the ones a shield must not match
    from trafilatura.xpaths import OVERALL_DISCARD_XPATH
except ImportError:  # pragma: no cover - a trafilatura without them: nothing to shield from
    OVERALL_DISCARD_XPATH = []
try:  # trafilatura's article-body selectors, best first: it reads the first match only
    from trafilatura.xpaths import BODY_XPATH
except ImportError:  # pragma: no cover
    BODY_XPATH = []
try:  # ... and the class words of the first of them (a regular expression's parts)
    from trafilatura.xpaths import _ARTICLE_CONTENT_CLASS_TOKENS

    _BODY_TOKENS: tuple[str, ...] = _ARTICLE_CONTENT_CLASS_TOKENS
except ImportError:  # pragma: no cover - a superset, only a gate before that selector
    _BODY_TOKENS = ("post", "entry", "article", "body", "content", "text")
try:  # ... and the id words of the first of them
    from trafilatura.xpaths import _ARTICLE_CONTENT_ID_TOKENS

    _BODY_ID_TOKENS: tuple[str, ...] = _ARTICLE_CONTENT_ID_TOKENS
except ImportError:  # pragma: no cover
    _BODY_ID_TOKENS = ()

#: Least average item length (characters) of a teaser link list. Chosen on the dev sets:
#: 15 and 25 score the same, 40 lets teaser lists through (wcxb text -0.0003).
MIN_TEASER_CHARS = 25
#: Share of an item's text that must be link text for the item to count as a link.
MIN_LINK_SHARE = 0.9
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HIDDEN_CLASS = re.compile(r"\S*(?:hidden|hide)\S*", re.IGNORECASE)
#: Teaser list candidates: two or more items, none of them text without a link. XPath
#: preselects in C what :func:`is_teaser_list` then measures in Python.
_LISTS = etree.XPath("(//ul|//ol)[li[2]][not(li[not(.//a[@href]) and normalize-space()])]")
#: Every class and id value in the body: one regex over them all tells whether a page has
#: any side box or collapsible (most have none) without a proxy per element.
_NAMES = etree.XPath("//body//@class|//body//@id", smart_strings=False)
_NAMED = etree.XPath("//body//*[@class or @id]|//details")
_DETAILS = etree.XPath("boolean(//details)")
#: schema.org microdata blocks the page hides (``display:none``, ``hidden``): values for
#: machines (dates, URLs, keywords, sometimes a second copy of the body), never shown.
_ITEMSCOPES = etree.XPath("//@itemscope/..")  # the attribute-node walk: the fastest
_MARK = "data-newsarchive-prune"
#: Least share of the page's paragraph text a block must hold to be the article's (a
#: container can split the article with a sibling). On the dev sets, wcxb text: 0.35 ->
#: 0.9402, 0.5 -> 0.9391, 0.65 -> 0.9380, 0.8 -> 0.9371 (0.9356 unshielded).
MAIN_SHARE = 0.35
#: Least length of a paragraph counted as article text (shorter ones are captions, teasers,
#: labels and widgets' one-liners).
MIN_PARAGRAPH_CHARS = 100
_PARAGRAPHS = etree.XPath(f"//body//p[string-length() >= {MIN_PARAGRAPH_CHARS}]")
_LENGTH = etree.XPath("string-length()")


def _self_tests(selectors: list[etree.XPath]) -> list[etree.XPath]:
    """``.//*[test]`` selectors as ``self::*[test]``: whether one element matches, without
    evaluating them over the whole page (about 10 ms a page)."""
    tests = []
    for selector in selectors:
        path = selector.path.strip()
        if path.startswith(".//*"):
            tests.append(xpath("self::*" + path[len(".//*") :]))
    return tests


_DISCARDS = _self_tests(OVERALL_DISCARD_XPATH)
_WORD_SPLIT = re.compile(r"([-_])")
#: What a boilerplate word in a shielded class becomes.
_NEUTRAL = "x"
#: The elements :func:`prepared` marked to be dropped.
DROP_XPATH = f"//*[@{_MARK}]"


@contextmanager
def prepared(
    tree: html.HtmlElement, source: str | None = None
) -> Iterator[tuple[html.HtmlElement, str | None]]:
    """``(page, drop)`` for an extractor that copies its input and can drop elements by
    XPath (trafilatura's ``prune_xpath``): ``page`` is ``tree`` (a copy with collapsibles
    revealed and loose text in paragraphs, :mod:`crawler.extract.loose`, when it has
    some), ``drop`` the XPath of its teaser link lists, side boxes
    and hidden microdata (None: nothing to drop). ``source``, the HTML ``tree`` was parsed
    from, if given, spares the microdata query on pages that have none.

    The elements to drop are marked with an attribute on ``tree`` until the block ends,
    so most pages need no copy of ours (every extractor copies its input anyway).
    """
    values = _NAMES(tree)
    names = " ".join(values).lower()
    doomed = _teaser_lists(tree)
    if source is None or "itemscope" in source or "ITEMSCOPE" in source:
        doomed += [e for e in _ITEMSCOPES(tree) if _is_hidden(e)]
    if SIDE_BOX.search(names):
        doomed += _named(tree, is_side_box)
    collapsibles = COLLAPSIBLE.search(names) is not None or bool(_DETAILS(tree))
    drop = DROP_XPATH if doomed else None
    for element in doomed:
        element.set(_MARK, "")
    paragraphs = _paragraph_lengths(tree)
    total = sum(size for _, size in paragraphs)
    shielded = shield(tree, paragraphs)
    merged = merge_chunks(tree, values, total)
    renamed = [v for e, *_ in shielded for v in (e.get("class"), e.get("id")) if v]
    shielded += skip_decoys(tree, values + renamed, total)
    loose = [tree.getroottree().getpath(c) for c in loose_containers(tree)]
    try:
        if collapsibles or loose:
            copy = deepcopy(tree)
            _unmark(doomed)
            if collapsibles:
                reveal_collapsed(copy)
            if loose:
                wrap_loose_text(copy, loose)
            yield copy, drop
        else:
            yield tree, drop
    finally:
        _unmark(doomed)
        _unmerge(merged)
        _restore(shielded)


Saved = list[tuple[html.HtmlElement, str, str | None, str | None]]  # tag, class, id


def _paragraph_lengths(tree: html.HtmlElement) -> list[tuple[html.HtmlElement, int]]:
    """The page's article-length paragraphs and their lengths."""
    return [(p, int(_LENGTH(p))) for p in _PARAGRAPHS(tree)]


#: Least share of the page's article-length paragraph text the block
#: :func:`article_container` names holds. On the dev sets, naming it on the pages no
#: trafilatura body selector matches: 0.6 and 0.75 gain alike on articles (wcxb text +2.5
#: page-F1 points over 37 pages), 0.75 loses less on forums (a block of most of a thread's
#: posts: -0.12 against -0.30 over 5 pages), 0.9 gains less (+2.1).
CONTAINER_SHARE = 0.75
#: The elements trafilatura's body selectors take as an article container.
_CONTAINER_TAGS = ("div", "section", "main", "article")


def article_container(tree: html.HtmlElement) -> html.HtmlElement | None:
    """The smallest ``div``, ``section``, ``main`` or ``article`` of ``tree`` that holds
    :data:`CONTAINER_SHARE` of its article-length paragraph text; None without one."""
    held, total = _held_text(_paragraph_lengths(tree))
    # each holds most of the text, so they nest: the deepest is the smallest
    chain = [e for e, size in held.items()
             if e.tag in _CONTAINER_TAGS and total and size >= CONTAINER_SHARE * total]  # fmt: skip
    return max(chain, key=lambda e: sum(1 for _ in e.iterancestors()), default=None)


def _held_text(paragraphs: list[tuple[html.HtmlElement, int]]) -> tuple[dict[Any, int], int]:
    """How much of the ``paragraphs``' text each of their ancestors holds, and their total
    (paragraphs share parents: each chain is walked once)."""
    by_parent: dict[Any, int] = {}
    for paragraph, length in paragraphs:
        parent = paragraph.getparent()
        if parent is not None:
            by_parent[parent] = by_parent.get(parent, 0) + length
    lengths: dict[Any, int] = {}
    for parent, size in by_parent.items():
        lengths[parent] = lengths.get(parent, 0) + size
        for ancestor in parent.iterancestors():
            lengths[ancestor] = lengths.get(ancestor, 0) + size
    return lengths, sum(by_parent.values())


def shield(
    tree: html.HtmlElement, paragraphs: list[tuple[html.HtmlElement, int]] | None = None
) -> Saved:
    """Take trafilatura's boilerplate words out of the class and id of the article's
    containers (see the module docstring); returns what :func:`_restore` puts back."""
    lengths, total = _held_text(_paragraph_lengths(tree) if paragraphs is None else paragraphs)
    mains = [e for e, size in lengths.items() if size >= MAIN_SHARE * total and _discarded_block(e)]
    if not mains:
        return []
    kinds = {_kind(e) for e in mains}
    places = {p for e in mains for p in _parents(e)}
    # blocks of the same kind that hold article text, or sit beside an article container
    near = [grand for place in places for child in place for grand in (child, *child)]
    kin = [e for e in dict.fromkeys([*lengths, *near])
           if e not in mains and _kind(e) in kinds and _discarded_block(e)]  # fmt: skip
    saved: Saved = []
    for element in mains + kin:
        saved.append((element, element.tag, element.get("class"), element.get("id")))
        _neutralize(element)
    return saved


def _neutralize(element: html.HtmlElement) -> None:
    """Take trafilatura's boilerplate words out of ``element``'s class and id."""
    for name in ("class", "id"):
        value = element.get(name)
        if value is not None:
            element.set(name, " ".join(_clean_word(w, name) for w in value.split()))


Moved = list[tuple[html.HtmlElement, list[html.HtmlElement]]]
#: Least share of the page's paragraph text the chunks must hold together: a body split
#: into chunks holds nearly all of it (0.88-1.00 on the dev sets' split pages), a class
#: that only recurs on a teaser or an intro beside the article far less (0.01-0.13).
CHUNKS_SHARE = 0.5
#: A class trafilatura's first body selector reads as an article body's (a gate before
#: that selector, which costs about 3 ms a page: EXSLT regular expressions call Python).
_BODY_CLASS = re.compile("|".join(("^(?:post|entry)$", *_BODY_TOKENS)))
#: Most levels between an article body chunk and the ancestor it shares with the first.
#: On the dev sets 2 and 3 miss chunks in deeper grids (fundus text 0.9601 at 3, 0.9611
#: from 5), 6 and more also find forum answers and one more split article (wcxb forums
#: 0.653 -> 0.661, articles 0.9404 -> 0.9406); 10 finds nothing more.
CHUNK_REACH = 6


def merge_chunks(
    tree: html.HtmlElement, names: list[str] | None = None, total: int | None = None
) -> Moved:
    """Move the children of the article body's later chunks into its first chunk.

    trafilatura reads the first element its best body selector matches; pages that split
    the body into chunks of the same markup around ads and promos (``article__body``
    after every ad slot) lose all but the first. A chunk is an element of the first's
    tag and class, outside it, holding a paragraph of article length, within
    :data:`CHUNK_REACH` levels of an ancestor it shares with the first, in the same
    ``<article>`` (another story on an endless-scroll page has its own); together they
    hold :data:`CHUNKS_SHARE` of the page's paragraph text. Returns what
    :func:`_unmerge` puts back. ``names``: the page's class and id values, ``total``: its
    article-length paragraph text, if known.

    Only classes that recur and that trafilatura's selector reads as a body's are looked
    at, and the selector itself (about 3 ms a page: its EXSLT regular expressions call
    Python) runs only to confirm a split body found that way."""
    if not BODY_XPATH:
        return []
    counts = Counter(_NAMES(tree) if names is None else names)
    repeated = {value for value, n in counts.items() if n > 1 and _body_class(value)}
    if not repeated:
        return []
    groups: dict[tuple[Any, str], list[html.HtmlElement]] = {}
    elements: list[html.HtmlElement] = _with_classes(tuple(sorted(repeated)))(tree)
    for element in elements:
        groups.setdefault((element.tag, element.get("class")), []).append(element)
    for first, *others in groups.values():
        reach = dict.fromkeys(list(first.iterancestors())[:CHUNK_REACH])
        story = _story(first)
        chunks = [e for e in others if _is_chunk(e, first, reach, story)]
        if not chunks:
            continue
        if total is None:
            total = sum(size for _, size in _paragraph_lengths(tree))
        if sum(_paragraph_text(e) for e in (first, *chunks)) < CHUNKS_SHARE * total:
            continue
        read = next(iter(BODY_XPATH[0](tree)), None)
        return _merge(first, chunks) if read is first else []  # else trafilatura reads another
    return []


#: Most text (characters, against the page's article-length paragraph text) of a decoy:
#: a block trafilatura's first body selector matches before the article (a teaser card
#: ``article.post``, a view counter ``div.entry-content-views``, an empty placeholder).
#: On the dev sets, wcxb: 0.05 as 0.1 but forums -0.003; 0.2 articles +0.0001.
DECOY_SHARE = 0.1
_BODY_ID = re.compile("|".join(_BODY_ID_TOKENS)) if _BODY_ID_TOKENS else None


def skip_decoys(
    tree: html.HtmlElement, names: list[str] | None = None, total: int | None = None
) -> Saved:
    """Take the body words out of the class and id of the decoys before the article body.

    trafilatura reads the first element its best body selector matches; when that is a
    small block (a teaser card, a counter, a placeholder) it keeps that block's few lines,
    or, finding too little, falls back to readings of the whole page that lose the
    headings. A match holding less than :data:`DECOY_SHARE` of the page's article-length
    paragraph text, before the first match that holds more, is a decoy: while trafilatura
    reads, its class and id lose the words the selector looks for (and an ``<article>``
    is a ``<div>``, for trafilatura's next selector, the first ``<article>``), so the
    selector goes on to the article (or trafilatura to its next selector). A body split
    into chunks of one markup (a small first chunk, a larger one of its class later) has
    none. Returns what :func:`_restore` puts back. ``names`` and ``total`` as for
    :func:`merge_chunks`."""
    if not BODY_XPATH:
        return []
    values = _NAMES(tree) if names is None else names
    wanted = {v for v in values if _body_name(v)}
    body = tree.find("body") if wanted else None
    if body is None:
        return []
    # in document order; lxml filters the tags in C
    matches = (
        e for e in body.iter(_BODY_TAGS) if e.get("class") in wanted or e.get("id") in wanted
    )
    decoys: list[html.HtmlElement] = []
    for element in matches:
        if not _matches_body(element):
            continue
        if element.get("itemprop") == "articleBody":
            break  # the page says so
        length = _LENGTH(element)
        if total is None:
            total = sum(size for _, size in _paragraph_lengths(tree))
        if total == 0 or length >= DECOY_SHARE * total:
            kinds = {(e.tag, e.get("class")) for e in decoys}
            if decoys and any((e.tag, e.get("class")) in kinds for e in (element, *matches)):
                return []  # a split body
            break
        decoys.append(element)
    saved: Saved = [(e, e.tag, e.get("class"), e.get("id")) for e in decoys]
    for element in decoys:
        if element.tag == "article":  # trafilatura's next selector: the first <article>
            element.tag = "div"
        for name, pattern in (("class", _BODY_CLASS), ("id", _BODY_ID)):
            value = element.get(name)
            if value is not None and pattern is not None:
                element.set(name, pattern.sub(_NEUTRAL, value))
    return saved


def _matches_body(element: html.HtmlElement) -> bool:
    """Whether trafilatura's first body selector matches ``element`` by class or id."""
    cls, ident = element.get("class"), element.get("id")
    return (cls is not None and _body_class(cls)) or (ident is not None and _body_id(ident))


@lru_cache(maxsize=16384)
def _body_name(value: str) -> bool:
    """Whether trafilatura's first body selector reads ``value`` as a body's class or id."""
    return _body_class(value) or _body_id(value)


@lru_cache(maxsize=16384)
def _body_id(value: str) -> bool:
    """Whether trafilatura's first body selector reads ``value`` as a body's id."""
    return value == "articleContent" or (
        _BODY_ID is not None and _BODY_ID.search(value) is not None
    )


_BODY_TAGS = ("article", "div", "main", "section")  # the ones the selector reads


def _merge(first: html.HtmlElement, chunks: list[html.HtmlElement]) -> Moved:
    moved: Moved = []
    for chunk in chunks:
        children = list(chunk)
        first.extend(children)
        moved.append((chunk, children))
    return moved


@lru_cache(maxsize=16384)
def _body_class(value: str) -> bool:
    """Whether trafilatura's first body selector reads ``value`` as a body's class (kept
    per value: an outlet's pages repeat their classes)."""
    return _BODY_CLASS.search(value) is not None


def _is_chunk(
    element: html.HtmlElement, first: html.HtmlElement, reach: dict[Any, None], story: Any
) -> bool:
    """Whether ``element`` (after ``first`` in the page, of its tag and class) is a further
    chunk of the body ``first`` starts (see :func:`merge_chunks`); ``reach``: ``first``'s
    ancestors up to :data:`CHUNK_REACH` levels, ``story``: its ``<article>``."""
    if element in reach:
        return False
    for depth, ancestor in enumerate(element.iterancestors(), start=1):
        if ancestor is first:
            return False
        if ancestor in reach:
            break
        if depth >= CHUNK_REACH:
            return False
    else:
        return False
    return _story(element) is story and _paragraph_text(element) > 0


@lru_cache(maxsize=256)
def _with_classes(values: tuple[str, ...]) -> etree.XPath:
    """The elements whose class is one of ``values``, selected in C (a walk over every
    element with a class from Python cost about 0.4 ms a page)."""
    tests = " or ".join(f"@class={_literal(v)}" for v in values)
    return etree.XPath(f"//body//*[{tests}]")


def _literal(value: str) -> str:
    """``value`` as an XPath 1.0 string literal."""
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    return "concat(" + ', "\'", '.join(f"'{part}'" for part in value.split("'")) + ")"


_CHUNK_PARAGRAPHS = etree.XPath(f".//p[string-length() >= {MIN_PARAGRAPH_CHARS}]")


def _paragraph_text(element: html.HtmlElement) -> int:
    """Characters of article-length paragraphs in ``element``."""
    return sum(int(_LENGTH(p)) for p in _CHUNK_PARAGRAPHS(element))


def _story(element: html.HtmlElement) -> Any:
    return next(element.iterancestors("article"), None)


def _unmerge(moved: Moved) -> None:
    for chunk, children in moved:
        chunk.extend(children)


def _discarded_block(element: html.HtmlElement) -> bool:
    """Whether trafilatura discards ``element`` as boilerplate. Its selectors read only the
    element's tag and attributes, so the answer is kept per tag and attributes (page
    builders repeat the same wrappers on every page)."""
    attributes = element.attrib
    if not attributes:
        return False
    try:
        return _discarded_markup(element.tag, tuple(attributes.items()))
    except ValueError:  # a name a new element cannot take ("xmlns:og")
        return any(test(element) for test in _DISCARDS)


@lru_cache(maxsize=4096)
def _discarded_markup(tag: str, attributes: tuple[tuple[str, str], ...]) -> bool:
    probe = etree.Element(tag, dict(attributes))
    return any(test(probe) for test in _DISCARDS)


#: A class word that only says where a block sits among its siblings ("panel-first-child",
#: "last", "odd"): page builders put it on the first and last of blocks of one kind.
_POSITION_WORD = re.compile(
    r"(?:^|[-_])(?:first|last|odd|even|only)(?:[-_](?:child|of[-_]type|item))?$"
)


def _kind(element: html.HtmlElement) -> str:
    """The class words of ``element`` without those with digits (element ids) or that
    only give its place among its siblings."""
    return _class_kind(element.get("class") or "")


@lru_cache(maxsize=4096)
def _class_kind(value: str) -> str:
    kept = (w for w in value.split() if not _POSITION_WORD.search(w))
    return " ".join(w for w in kept if not any(c.isdigit() for c in w))


def _parents(element: html.HtmlElement) -> list[Any]:
    """The parent and grandparent of ``element`` (blocks beside it have one of them)."""
    parent = element.getparent()
    if parent is None:
        return []
    grandparent = parent.getparent()
    return [parent] if grandparent is None else [parent, grandparent]


def _discarded(word: str, name: str) -> bool:
    """Whether trafilatura discards a block with ``word`` as its whole ``name`` attribute."""
    return _discarded_markup("div", ((name, word),))


def _clean_word(word: str, name: str) -> str:
    """``word`` with the parts (between ``-`` and ``_``) trafilatura discards blocks for
    replaced ("elementor-widget-container" -> "elementor-x-container"), keeping the shape
    trafilatura's article selectors read; "" if that still is discarded."""
    if not _discarded(word, name):
        return word
    kept = "".join(_NEUTRAL if p not in "-_" and _discarded(p, name) else p
                   for p in _WORD_SPLIT.split(word))  # fmt: skip
    return "" if _discarded(kept, name) else kept


def _restore(saved: Saved) -> None:
    """Put back what :func:`shield` and :func:`skip_decoys` changed, last change first (an
    element both changed holds the first's change in the second's record)."""
    for element, tag, cls, ident in reversed(saved):
        element.tag = tag
        for name, value in (("class", cls), ("id", ident)):
            if value is None:
                element.attrib.pop(name, None)
            else:
                element.set(name, value)


def _is_hidden(element: html.HtmlElement) -> bool:
    """Whether ``element`` is hidden by its own ``style`` or ``hidden`` attribute."""
    return element.get("hidden") is not None or bool(
        _HIDDEN_STYLE.search(element.get("style") or "")
    )


def _unmark(elements: list[html.HtmlElement]) -> None:
    for element in elements:
        element.attrib.pop(_MARK, None)


def _teaser_lists(tree: html.HtmlElement) -> list[html.HtmlElement]:
    """The teaser link lists of ``tree``."""
    return [e for e in _LISTS(tree) if is_teaser_list(e)]


def _named(tree: html.HtmlElement, test: Callable[[html.HtmlElement], bool]) -> list[Any]:
    """Elements with a class or id (or ``<details>``) that pass ``test``.

    An XPath preselects them in C: walking every element from Python cost about 1 ms a page.
    """
    return [e for e in _NAMED(tree) if test(e)]


def _text(element: html.HtmlElement) -> str:
    """Whitespace-collapsed text content."""
    return " ".join(str(element.text_content()).split())


def is_link_item(item: html.HtmlElement) -> bool:
    """Whether a list item is (almost) all link text."""
    text = _text(item)
    links = xpath(".//a[@href]")(item)
    if not text or not links:
        return not text
    return len(" ".join(_text(a) for a in links)) >= MIN_LINK_SHARE * len(text)


def is_teaser_list(element: html.HtmlElement) -> bool:
    """A list of two or more headline-long items that are all links (the length is
    measured first: it rules out the menus, the most common candidates, cheaply)."""
    items = xpath("./li")(element)
    if len(items) < 2:
        return False
    if sum(len(_text(li)) for li in items) / len(items) < MIN_TEASER_CHARS:
        return False
    return all(is_link_item(li) for li in items)


def is_side_box(element: html.HtmlElement) -> bool:
    """An element below ``<body>`` whose class or id names a fact or info box."""
    if not isinstance(element.tag, str) or element.tag in ("html", "body"):
        return False
    return SIDE_BOX.search(_names(element)) is not None


def _names(element: html.HtmlElement) -> str:
    """The class and id of ``element``, space-separated, lowercased."""
    return f"{element.get('class') or ''} {element.get('id') or ''}".lower()


def is_collapsible(element: html.HtmlElement) -> bool:
    """An accordion, FAQ, tab pane, drawer or ``<details>`` element."""
    if not isinstance(element.tag, str):
        return False
    return element.tag == "details" or COLLAPSIBLE.search(_names(element)) is not None


def reveal_collapsed(tree: html.HtmlElement) -> None:
    """Drop the hiding markup (style, ``hidden``, ``aria-hidden``, hide classes) in collapsibles."""
    for container in _named(tree, is_collapsible):
        if _discarded_block(container):  # "kt-...-icon-...": trafilatura drops it whole
            _neutralize(container)
        for element in container.iter():
            if not isinstance(element.tag, str):
                continue
            if _HIDDEN_STYLE.search(element.get("style") or ""):
                del element.attrib["style"]
            for attribute in ("hidden", "aria-hidden"):
                element.attrib.pop(attribute, None)
            if element.get("class"):
                element.set("class", _HIDDEN_CLASS.sub("", element.get("class") or ""))
