"""Remove boilerplate families that trafilatura keeps, on a copy of the page tree.

* **Teaser link lists**: ``<ul>``/``<ol>`` whose every item is (almost) all link text and
  whose items are headline-long ("related articles", "more on this topic" lists inside
  the article). Short-item link lists (menus, tag clouds) are left to trafilatura, which
  handles them, and removing them can make it pick the wrong block.
* **Fact and info boxes**: elements whose class or id names a fact box or info box
  (:data:`~crawler.extract.patterns.SIDE_BOX`); they summarise or supplement the article.

Collapsed accordions, FAQ answers and tab panes (:data:`~crawler.extract.patterns.COLLAPSIBLE`)
are part of the article but hidden until clicked; trafilatura discards hidden elements, so
the hiding markup inside them is removed.
"""

from __future__ import annotations

import re
from copy import deepcopy

from lxml import html

from crawler.extract.patterns import COLLAPSIBLE, SIDE_BOX

#: Least average item length (characters) of a teaser link list. Chosen on the dev sets:
#: 15 and 25 score the same, 40 lets teaser lists through (wcxb text -0.0003).
MIN_TEASER_CHARS = 25
#: Share of an item's text that must be link text for the item to count as a link.
MIN_LINK_SHARE = 0.9
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HIDDEN_CLASS = re.compile(r"\S*(?:hidden|hide)\S*", re.IGNORECASE)


def pruned(tree: html.HtmlElement) -> html.HtmlElement:
    """A copy of ``tree`` without teaser link lists and side boxes, collapsibles revealed."""
    copy = deepcopy(tree)
    doomed = [e for e in copy.iter("ul", "ol") if is_teaser_list(e)]
    doomed += [e for e in copy.iter() if is_side_box(e)]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()
    reveal_collapsed(copy)
    return copy


def _text(element: html.HtmlElement) -> str:
    """Whitespace-collapsed text content."""
    return " ".join(str(element.text_content()).split())


def is_link_item(item: html.HtmlElement) -> bool:
    """Whether a list item is (almost) all link text."""
    text = _text(item)
    links = item.xpath(".//a[@href]")
    if not text or not links:
        return not text
    return len(" ".join(_text(a) for a in links)) >= MIN_LINK_SHARE * len(text)


def is_teaser_list(element: html.HtmlElement) -> bool:
    """A list of two or more headline-long items that are all links."""
    items = element.xpath("./li")
    if len(items) < 2 or not all(is_link_item(li) for li in items):
        return False
    return sum(len(_text(li)) for li in items) / len(items) >= MIN_TEASER_CHARS


def is_side_box(element: html.HtmlElement) -> bool:
    """An element below ``<body>`` whose class or id names a fact or info box."""
    if not isinstance(element.tag, str) or element.tag in ("html", "body"):
        return False
    return SIDE_BOX.search(_names(element)) is not None


def _names(element: html.HtmlElement) -> str:
    """The class and id of ``element``, space-separated."""
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def is_collapsible(element: html.HtmlElement) -> bool:
    """An accordion, FAQ, tab pane, drawer or ``<details>`` element."""
    if not isinstance(element.tag, str):
        return False
    return element.tag == "details" or COLLAPSIBLE.search(_names(element)) is not None


def reveal_collapsed(tree: html.HtmlElement) -> None:
    """Drop the hiding markup (style, ``hidden``, ``aria-hidden``, hide classes) in collapsibles."""
    for container in [e for e in tree.iter() if is_collapsible(e)]:
        for element in container.iter():
            if not isinstance(element.tag, str):
                continue
            if _HIDDEN_STYLE.search(element.get("style") or ""):
                del element.attrib["style"]
            for attribute in ("hidden", "aria-hidden"):
                element.attrib.pop(attribute, None)
            if element.get("class"):
                element.set("class", _HIDDEN_CLASS.sub("", element.get("class") or ""))
