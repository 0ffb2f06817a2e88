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

Collapsed accordions, FAQ answers and tab panes (:data:`~crawler.extract.patterns.COLLAPSIBLE`)
are part of the article but hidden until clicked; trafilatura discards hidden elements, so
the hiding markup inside them is removed (on a copy of ours: :func:`prepared`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from typing import Any

from lxml import etree, html

from crawler.extract.document import xpath
from crawler.extract.patterns import COLLAPSIBLE, SIDE_BOX

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
#: The elements :func:`prepared` marked to be dropped.
DROP_XPATH = f"//*[@{_MARK}]"


@contextmanager
def prepared(
    tree: html.HtmlElement, source: str | None = None
) -> Iterator[tuple[html.HtmlElement, str | None]]:
    """``(page, drop)`` for an extractor that copies its input and can drop elements by
    XPath (trafilatura's ``prune_xpath``): ``page`` is ``tree`` (a copy with collapsibles
    revealed when it has some), ``drop`` the XPath of its teaser link lists, side boxes
    and hidden microdata (None: nothing to drop). ``source``, the HTML ``tree`` was parsed
    from, if given, spares the microdata query on pages that have none.

    The elements to drop are marked with an attribute on ``tree`` until the block ends,
    so most pages need no copy of ours (every extractor copies its input anyway).
    """
    names = " ".join(_NAMES(tree)).lower()
    doomed = _teaser_lists(tree)
    if source is None or "itemscope" in source or "ITEMSCOPE" in source:
        doomed += [e for e in _ITEMSCOPES(tree) if _is_hidden(e)]
    if SIDE_BOX.search(names):
        doomed += _named(tree, is_side_box)
    collapsibles = COLLAPSIBLE.search(names) is not None or bool(_DETAILS(tree))
    drop = DROP_XPATH if doomed else None
    for element in doomed:
        element.set(_MARK, "")
    try:
        if collapsibles:
            copy = deepcopy(tree)
            _unmark(doomed)
            reveal_collapsed(copy)
            yield copy, drop
        else:
            yield tree, drop
    finally:
        _unmark(doomed)


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
        for element in container.iter():
            if not isinstance(element.tag, str):
                continue
            if _HIDDEN_STYLE.search(element.get("style") or ""):
                del element.attrib["style"]
            for attribute in ("hidden", "aria-hidden"):
                element.attrib.pop(attribute, None)
            if element.get("class"):
                element.set("class", _HIDDEN_CLASS.sub("", element.get("class") or ""))
