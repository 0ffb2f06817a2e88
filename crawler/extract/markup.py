"""Read metadata from HTML markup: ``<meta>`` tags, links, ``<html lang>``, visible headline,
bylines and ``<time>`` elements. Which names feed which field is data in
:mod:`crawler.extract.patterns`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, ClassVar

from lxml import html

from crawler.extract.document import xpath as compiled
from crawler.extract.patterns import (
    BYLINE_XPATHS,
    HEADLINE_XPATHS,
    MAX_BYLINES,
    META_MULTI,
    META_NAMES,
    SHOWN_DATE,
    SHOWN_DATE_AFTER,
    SHOWN_DATE_BEFORE,
    SHOWN_DATE_MAX_NODE,
    SHOWN_DATE_REACH,
    SHOWN_UPDATE_LABEL,
    TIME_XPATHS,
    TWITTER_AUTHOR_LABEL,
)

#: Longest byline text we consider (characters); longer hits are whole blocks, not bylines.
MAX_BYLINE_CHARS = 120
#: How many ``<h1>`` elements we consider as headline candidates.
MAX_H1 = 5
_TITLES = "//head/title|//meta[@property='og:title']/@content"
_LINKS_HOME = "boolean(descendant-or-self::a[@href='/' or @href='./'] or ancestor::a[@href='/'])"
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}


def meta_index(tree: html.HtmlElement) -> dict[str, list[str]]:
    """``{lowercased name/property/itemprop/http-equiv: [content, ...]}`` in page order."""
    index: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = (meta.get("content") or meta.get("value") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (meta.get(attr) or "").strip().lower()
            if key:
                index.setdefault(key, []).append(content)
    return index


def from_meta(index: dict[str, list[str]]) -> dict[str, Any]:
    """Per-field values from the meta index (lists for :data:`META_MULTI` fields)."""
    out: dict[str, Any] = {}
    for field, names in META_NAMES.items():
        if field in META_MULTI:
            values = [v for name in names for v in index.get(name, [])]
            if values:
                out[field] = values
            continue
        for name in names:
            if index.get(name):
                out[field] = index[name][0]
                break
    return out


def node_text(element: Any) -> str:
    """Whitespace-collapsed text of an element or attribute value."""
    if isinstance(element, str):
        return " ".join(element.split())
    if isinstance(element, html.HtmlElement):
        if element.tag == "meta":
            return " ".join((element.get("content") or "").split())
        return " ".join(element.text_content().split())
    return ""


def headlines(tree: html.HtmlElement) -> list[str]:
    """Visible headline candidates in :data:`HEADLINE_XPATHS` order, deduplicated."""
    seen: list[str] = []
    for expression in HEADLINE_XPATHS:
        for element in compiled(expression)(tree)[:3]:
            text = node_text(element)
            if text and text not in seen:
                seen.append(text)
    return seen


def byline_text(element: Any) -> str:
    """Text of a byline element; where two elements' texts touch with no space between
    them ("Jane Roe" + "Co-founder" rendered as two blocks), a ``·`` separates them."""
    if not isinstance(element, html.HtmlElement):
        return node_text(element)
    text = ""
    for piece in element.itertext():
        if text and piece and text[-1].isalnum() and piece[0].isalnum():
            text += " · "
        text += piece
    return " ".join(text.split())


def bylines(tree: html.HtmlElement) -> list[str]:
    """Raw byline strings from the first :data:`BYLINE_XPATHS` query that finds any."""
    for expression in BYLINE_XPATHS:
        found = [byline_text(e) for e in compiled(expression)(tree)[:10]]
        found = [t for t in found if t and len(t) <= MAX_BYLINE_CHARS]
        if found:
            return found[:MAX_BYLINES]
    return []


def time_values(tree: html.HtmlElement) -> list[str]:
    """Machine-readable publication dates from ``<time>``/microdata, best first."""
    for expression in TIME_XPATHS:
        found = [node_text(v) for v in compiled(expression)(tree)[:3]]
        found = [v for v in found if v]
        if found:
            return found
    return []


def _shown_day(match: re.Match[str]) -> str | None:
    """ISO day of a :data:`SHOWN_DATE` match, ``None`` when it is no calendar day."""
    year = match.group("year") or match.group("year2") or match.group("year3")
    name = (match.group("mon") or match.group("mon2") or "").lower()
    month = _MONTHS.get(name[:3]) if name else int(match.group("month3"))
    day = match.group("day") or match.group("day2") or match.group("day3")
    try:
        return date(int(year), month or 0, int(day)).isoformat()
    except ValueError:
        return None


def _headline_h1(tree: html.HtmlElement) -> html.HtmlElement | None:
    """The ``<h1>`` that is the article's headline: of those of two words or more that are
    no link home (a masthead's site name, often beside the day's date), the first whose
    text the page's ``<title>`` or ``og:title`` contains, else the first."""
    h1s = [h for h in compiled("//h1")(tree)[:MAX_H1] if len(node_text(h).split()) > 1]
    h1s = [h for h in h1s if not compiled(_LINKS_HOME)(h)]
    titles = " ".join(node_text(t) for t in compiled(_TITLES)(tree)).casefold()
    for h1 in h1s:
        if node_text(h1).casefold() in titles:
            return h1
    return h1s[0] if h1s else None


def _near_headline(tree: html.HtmlElement) -> Iterator[tuple[str, str]]:
    """``(text node, the node before it)`` next to the headline ``<h1>``: those after it
    within reach first, then those before it, nearest first (before it: only inside the
    headline's grandparent, the article's header, not the site's masthead)."""
    h1 = _headline_h1(tree)
    if h1 is None:
        return
    after, before = SHOWN_DATE_REACH
    nodes = [" ".join(str(t).split()) for t in SHOWN_DATE_AFTER(h1)]
    offset = 0
    for n, text in enumerate(nodes):
        if offset > after:
            break
        yield text, nodes[n - 1] if n else ""
        offset += len(text) + 1
    scope = h1.getparent()
    if scope is not None and scope.getparent() is not None:
        scope = scope.getparent()
    nodes = [" ".join(str(t).split()) for t in SHOWN_DATE_BEFORE(h1) if _inside(t, scope)][::-1]
    offset = 0
    for n, text in enumerate(nodes):
        offset += len(text) + 1
        if offset > before:
            break
        yield text, nodes[n + 1] if n + 1 < len(nodes) else ""


def _inside(text: Any, scope: html.HtmlElement | None) -> bool:
    """Whether a text node (an lxml smart string) lies inside ``scope``."""
    holder = text.getparent()
    return scope is None or holder is scope or any(up is scope for up in holder.iterancestors())


def shown_dates(tree: html.HtmlElement) -> list[tuple[str, str]]:
    """Dates shown next to the headline, ``(ISO day, "published" | "modified")`` in the
    order of :func:`_near_headline`; "modified" where an update label precedes the date."""
    found = []
    for text, previous in _near_headline(tree):
        if len(text) > SHOWN_DATE_MAX_NODE:
            continue
        for match in SHOWN_DATE.finditer(text):
            day = _shown_day(match)
            if day is not None:
                label = f"{previous} {text[: match.start()]}"
                kind = "modified" if SHOWN_UPDATE_LABEL.search(label) else "published"
                found.append((day, kind))
    return found


def labelled_authors(index: dict[str, list[str]]) -> list[str]:
    """Names from ``twitter:labelN``/``twitter:dataN`` pairs labelled "Written by" (the
    reading-time card many WordPress SEO plugins emit)."""
    names = []
    for n in range(1, 5):
        labels = index.get(f"twitter:label{n}", [])
        if labels and TWITTER_AUTHOR_LABEL.fullmatch(labels[0].strip()):
            names.extend(index.get(f"twitter:data{n}", [])[:1])
    return names


def extract(tree: html.HtmlElement) -> dict[str, Any]:
    """Everything this module reads, keyed by field (``headlines``/``bylines`` are lists;
    ``bylines`` and ``times`` are read when first asked for)."""
    index = meta_index(tree)
    out = from_meta(index)
    if not out.get("authors") and (labelled := labelled_authors(index)):
        out["authors"] = labelled
    canonical = compiled("//link[translate(@rel, 'CANONICAL', 'canonical')='canonical']/@href")(
        tree
    )
    if canonical and str(canonical[0]).strip():
        out["canonical_link"] = str(canonical[0]).strip()
    lang = tree.get("lang") or tree.get("xml:lang")
    if lang and lang.strip():
        out["html_lang"] = lang.strip()
    out["headlines"] = headlines(tree)
    out["h1s"] = [t for t in (node_text(h) for h in compiled("//h1")(tree)[:MAX_H1]) if t]
    titles = compiled("//head/title")(tree)
    if titles:
        out["html_title"] = node_text(titles[0])
    return Marks(tree, out)


class Marks(dict[str, Any]):
    """The values :func:`extract` read, plus ``bylines``, ``times`` and ``shown_dates`` read
    from the tree on first use: they are the last sources of their fields, and their
    queries test every block's text (about 1 ms a page where no earlier query finds a
    byline)."""

    _LAZY: ClassVar[dict[str, Callable[[html.HtmlElement], list[Any]]]] = {
        "bylines": bylines,
        "times": time_values,
        "shown_dates": shown_dates,
    }

    def __init__(self, tree: html.HtmlElement, values: dict[str, Any]) -> None:
        super().__init__(values)
        self._tree = tree

    def _load(self, key: str) -> None:
        if key in self._LAZY and not super().__contains__(key):
            self[key] = self._LAZY[key](self._tree)

    def get(self, key: str, default: Any = None) -> Any:
        self._load(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self._load(key)
        return super().__getitem__(key)
