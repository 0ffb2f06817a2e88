"""DOM helpers: parsing, a tiny selector language and comment-text extraction.

Selectors are deliberately small so they can be matched in Python while
walking a comment's *own* subtree once (nested replies skipped): that keeps
extraction linear in page size even for very deep threads. Grammar::

    selector := simple | simple " " simple      (second is a descendant of first)
    simple   := [tag] ("." class)* ("[" attr [("=" | "^=") value] "]")* | "#" id
                                            ("^=": the value starts with it)

Every walk here is iterative (``lxml.etree.iterwalk``), never recursive.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree, html
from lxml.html import HtmlElement as Element

from crawler.comments.platforms import TEXT_NOISE
from crawler.extract.document import ELEMENT_LOOKUP, merge_root_siblings
from crawler.extract.mojibake import repair

_PARSER = html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True)
_PARSER.set_element_class_lookup(ELEMENT_LOOKUP)  # C-level: no Python call per element
_SIMPLE = re.compile(r"^(?P<tag>[\w-]+)?(?P<rest>(?:[.#][\w-]+|\[[\w-]+(?:\^?=[^\]]*)?\])*)$")
_PART = re.compile(r"\.([\w-]+)|#([\w-]+)|\[([\w-]+)(?:(\^?)=([^\]]*))?\]")
_BLOCK_TAGS = frozenset(
    {"p", "div", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer"}
    | {"figure", "figcaption", "hr", "address"}
)
_NOISE = re.compile("|".join(f"(?:{p})" for p in TEXT_NOISE), re.I)
_SPACE = re.compile(r"\s+")
PARAGRAPH = 0
LINE = 1


class ParseError(ValueError):
    """The input could not be parsed into an HTML document."""


def parse(text: str, repair_text: bool = True) -> Element:
    """Parse ``text`` (any encoding declaration ignored) into a document root, text decoded
    the wrong way repaired (:mod:`crawler.extract.mojibake`) unless ``repair_text`` is off
    (a reader of links and head fields only, such as the crawl's spider)."""
    if not text.strip():
        raise ParseError("empty_document")
    data = text.encode("utf-8", "replace")
    try:
        root: Element | None = html.document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError("unparseable") from exc
    if root is None:
        raise ParseError("unparseable")
    merge_root_siblings(root)
    if repair_text:  # text decoded the wrong way ("isnâ€™t"), as every reader sees it
        repair(root, text)
    return root


@dataclass(frozen=True)
class Simple:
    """One compound selector: tag, classes, id and attribute tests."""

    tag: str | None
    classes: frozenset[str]
    ident: str | None
    attrs: tuple[tuple[str, str | None, bool], ...]  # (name, value, value is a prefix)

    def matches(self, el: Element) -> bool:
        """Whether element ``el`` satisfies every test."""
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.ident is not None and el.get("id") != self.ident:
            return False
        if self.classes and not self.classes <= set((el.get("class") or "").split()):
            return False
        for name, value, prefix in self.attrs:
            got = el.get(name)
            if got is None:
                return False
            if value is not None:
                got = got.strip().lower()
                if not (got.startswith(value) if prefix else got == value):
                    return False
        return True


@dataclass(frozen=True)
class Selector:
    """A simple selector with an optional ancestor requirement (``A B``)."""

    target: Simple
    ancestor: Simple | None

    def matches(self, el: Element, scope: Element) -> bool:
        """Whether ``el`` matches, its ancestor (if any) lying inside ``scope``."""
        if not self.target.matches(el):
            return False
        if self.ancestor is None:
            return True
        for up in el.iterancestors():
            if self.ancestor.matches(up):
                return True
            if up is scope:
                return False
        return False


@dataclass(frozen=True)
class SelectorSet:
    """Several selectors tested at once (``any`` of them): the one-test selectors (a tag,
    a class or an id alone) as set lookups, the others one by one."""

    tags: frozenset[str]
    classes: frozenset[str]
    ids: frozenset[str]
    others: tuple[Selector, ...]

    def matches(self, el: Element, scope: Element) -> bool:
        """Whether ``el`` matches any of the selectors (see :meth:`Selector.matches`)."""
        if el.tag in self.tags:
            return True
        if self.ids and el.get("id") in self.ids:
            return True
        if self.classes:
            names = el.get("class")
            if names and not self.classes.isdisjoint(names.split()):
                return True
        return any(s.matches(el, scope) for s in self.others)


@lru_cache(maxsize=64)
def selector_set(texts: tuple[str, ...]) -> SelectorSet:
    """Compile ``texts`` into one :class:`SelectorSet` (cached)."""
    tags: set[str] = set()
    classes: set[str] = set()
    ids: set[str] = set()
    others: list[Selector] = []
    for text in texts:
        compiled = selector(text)
        target = compiled.target
        alone = compiled.ancestor is None and not target.attrs
        if alone and target.tag and not target.classes and target.ident is None:
            tags.add(target.tag)
        elif alone and target.tag is None and len(target.classes) == 1 and target.ident is None:
            classes |= target.classes
        elif alone and target.tag is None and not target.classes and target.ident is not None:
            ids.add(target.ident)
        else:
            others.append(compiled)
    return SelectorSet(frozenset(tags), frozenset(classes), frozenset(ids), tuple(others))


def _simple(text: str) -> Simple:
    """Parse one compound selector (see the module grammar)."""
    match = _SIMPLE.match(text)
    if match is None:
        raise ValueError(f"bad selector {text!r}")
    classes: set[str] = set()
    ident: str | None = None
    attrs: list[tuple[str, str | None, bool]] = []
    for cls, id_, attr, caret, value in _PART.findall(match.group("rest")):
        if cls:
            classes.add(cls)
        elif id_:
            ident = id_
        else:
            attrs.append((attr, value.strip("'\"").lower() if value else None, bool(caret)))
    return Simple(match.group("tag"), frozenset(classes), ident, tuple(attrs))


@lru_cache(maxsize=512)
def selector(text: str) -> Selector:
    """Compile ``text`` (cached); raises ``ValueError`` on bad syntax."""
    parts = text.split()
    if not 1 <= len(parts) <= 2:
        raise ValueError(f"bad selector {text!r}")
    ancestor = _simple(parts[0]) if len(parts) == 2 else None
    return Selector(_simple(parts[-1]), ancestor)


def is_element(node: object) -> bool:
    """True for real elements (not comments or processing instructions)."""
    return isinstance(node, etree.ElementBase) and isinstance(node.tag, str)


def own_elements(node: Element, is_other: Callable[[Element], bool]) -> Iterator[Element]:
    """Elements of ``node``'s subtree in document order, skipping ``is_other`` subtrees."""
    walker = etree.iterwalk(node, events=("start",))
    for _event, el in walker:
        if el is not node and (not is_element(el) or is_other(el)):
            walker.skip_subtree()
            continue
        yield el


class Candidates:
    """Elements in document order, indexed by tag and class token: a selector is tested
    only on the elements that have its tag or its classes."""

    def __init__(self, elements: list[Element]) -> None:
        self.elements = elements
        self.by_tag: dict[str, list[Element]] = {}
        self.by_class: dict[str, list[Element]] = {}
        for el in elements:
            self.by_tag.setdefault(el.tag, []).append(el)
            names = el.get("class")
            for name in set(names.split()) if names else ():
                self.by_class.setdefault(name, []).append(el)

    def first_match(self, selectors: Iterable[str], scope: Element) -> Element | None:
        """The first element (in document order) matching the earliest selector in
        ``selectors``; see :meth:`Selector.matches` for ``scope``."""
        return next(self.matches(selectors, scope), None)

    def matches(self, selectors: Iterable[str], scope: Element) -> Iterator[Element]:
        """The elements matching each selector of ``selectors`` in turn, each selector's
        in document order (an element matching two comes twice)."""
        for text in selectors:
            compiled = selector(text)
            for el in self._pool(compiled.target):
                if compiled.matches(el, scope):
                    yield el

    def _pool(self, target: Simple) -> list[Element]:
        """The elements that may match ``target``, in document order."""
        if target.classes:
            return min((self.by_class.get(name, []) for name in target.classes), key=len)
        if target.tag is not None:
            return self.by_tag.get(target.tag, [])
        return self.elements


def _collect(root: Element, skip: Callable[[Element], bool]) -> list[str | int]:
    """Text pieces of ``root`` with PARAGRAPH / LINE markers, skipping ``skip`` subtrees."""
    parts: list[str | int] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    skipped: set[Element] = set()
    for event, el in walker:
        if event == "start":
            if el is not root and (not is_element(el) or skip(el)):
                skipped.add(el)
                walker.skip_subtree()
                continue
            if el.tag in _BLOCK_TAGS:
                parts.append(PARAGRAPH)
            elif el.tag == "br":
                parts.append(LINE)
            if el.text:
                parts.append(el.text)
            continue
        if el.tag in _BLOCK_TAGS and el not in skipped:
            parts.append(PARAGRAPH)
        if el is not root and el.tail:
            parts.append(el.tail)
    return parts


def _paragraphs(parts: list[str | int]) -> list[str]:
    """Join pieces into whitespace-normalized paragraphs (lines kept by ``LINE``)."""
    paragraphs: list[str] = []
    lines: list[str] = []
    current: list[str] = []

    def end_line() -> None:
        line = _SPACE.sub(" ", "".join(current)).strip()
        current.clear()
        if line:
            lines.append(line)

    for part in [*parts, PARAGRAPH]:
        if isinstance(part, str):
            current.append(part)
            continue
        end_line()
        if part == PARAGRAPH and lines:
            paragraphs.append("\n".join(lines))
            lines.clear()
    return paragraphs


def element_text(root: Element, skip: Callable[[Element], bool]) -> str:
    """Readable text of ``root``: paragraphs joined by a blank line, noise removed."""
    kept = [p for p in _paragraphs(_collect(root, skip)) if not _NOISE.fullmatch(p)]
    return "\n\n".join(kept)


def inline_text(root: Element, skip: Callable[[Element], bool]) -> str:
    """Text of ``root`` on one line (names, dates)."""
    return " ".join(element_text(root, skip).split())


#: Elements whose text a reader never sees.
HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template"})


def shown_text(root: Element) -> str:
    """:func:`inline_text` of ``root`` as a reader sees it (scripts, styles and templates
    aside)."""
    return inline_text(root, lambda el: el.tag in HIDDEN_TAGS)


__all__ = [
    "Candidates",
    "Element",
    "ParseError",
    "Selector",
    "SelectorSet",
    "element_text",
    "inline_text",
    "is_element",
    "own_elements",
    "parse",
    "selector",
    "selector_set",
    "shown_text",
]
