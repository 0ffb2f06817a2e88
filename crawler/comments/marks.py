"""Platform detection XPaths answered from one walk over the page.

Each detection expression of :data:`~crawler.comments.platforms.PLATFORMS` is an
``//TAG[test or test ...]`` query whose tests look at one attribute of one element:
``@id='x'``, ``starts-with(@id, 'x')``, the class-token idiom
``contains(concat(' ', normalize-space(@class), ' '), ' x ')``, ``local-name()='x'``
and attribute presence ``@name``. Run as XPath, each query walks the whole page
(about 0.1 ms each, 1.3 ms a page for the table). :class:`PageMarks` collects the
ids, class tokens and attribute names of every element once, per tag, and answers
every such query with set lookups; an expression outside this grammar is run as
XPath, so the answer is always the XPath one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from crawler.comments.dom import Element

#: ``//TAG[BODY]`` with BODY a disjunction of the tests below.
_QUERY = re.compile(r"//(?P<tag>\*|[\w-]+)\[(?P<body>.*)\]", re.S)
_TESTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("id", re.compile(r"@id='(?P<v>[^']*)'")),
    ("id-prefix", re.compile(r"starts-with\(@id, '(?P<v>[^']*)'\)")),
    ("class", re.compile(
        r"contains\(concat\(' ', normalize-space\(@class\), ' '\), ' (?P<v>[^' ]+) '\)"
    )),
    ("tag", re.compile(r"local-name\(\)='(?P<v>[^']*)'")),
    ("attr", re.compile(r"@(?P<v>[\w-]+)")),
)  # fmt: skip
#: Whitespace as XPath's normalize-space() knows it.
_XML_SPACE = str.maketrans("\t\n\r", "   ")

Test = tuple[str, str]  # (kind, value)


@dataclass
class _Marks:
    """Ids, class tokens and attribute names seen on elements of one tag."""

    ids: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    attrs: set[str] = field(default_factory=set)

    def update(self, other: _Marks) -> None:
        """Add ``other``'s marks to these."""
        self.ids |= other.ids
        self.classes |= other.classes
        self.attrs |= other.attrs


class PageMarks:
    """The detection-relevant marks of one parsed page (see the module docs)."""

    def __init__(self, doc: Element, elements: list[Element] | None = None) -> None:
        """Walk ``doc`` (its ``elements``, when the caller has them) once."""
        self.doc = doc
        self.by_tag: dict[str, _Marks] = {}
        for el in doc.iter("*") if elements is None else elements:
            marks = self.by_tag.get(el.tag)
            if marks is None:
                marks = self.by_tag[el.tag] = _Marks()
            names = el.keys()
            if not names:
                continue
            marks.attrs.update(names)
            ident, classes = el.get("id"), el.get("class")
            if ident is not None:
                marks.ids.add(ident)
            if classes:
                marks.classes.update(classes.translate(_XML_SPACE).split(" "))
        self.any = _Marks()
        for marks in self.by_tag.values():
            self.any.update(marks)

    def matches(self, expression: str) -> bool:
        """``boolean(expression)`` on the page."""
        parsed = parse_query(expression)
        if parsed is None:
            return bool(_xpath_test(expression)(self.doc))
        tag, tests = parsed
        marks = self.any if tag == "*" else self.by_tag.get(tag)
        if marks is None:
            return False
        return any(_holds(kind, value, tag, marks, self.by_tag) for kind, value in tests)


def _holds(kind: str, value: str, tag: str, marks: _Marks, by_tag: dict[str, _Marks]) -> bool:
    """Whether an element of ``tag`` (``*``: any) passes the test ``kind``/``value``."""
    if kind == "id":
        return value in marks.ids
    if kind == "id-prefix":
        return any(ident.startswith(value) for ident in marks.ids)
    if kind == "class":
        return value in marks.classes
    if kind == "tag":
        return value in by_tag if tag == "*" else value == tag
    return value in marks.attrs


@lru_cache(maxsize=256)
def parse_query(expression: str) -> tuple[str, tuple[Test, ...]] | None:
    """(tag, tests) of an ``//TAG[test or ...]`` expression; None outside the grammar."""
    match = _QUERY.fullmatch(expression.strip())
    if match is None:
        return None
    tests: list[Test] = []
    for part in match.group("body").split(" or "):
        test = next(
            ((kind, m.group("v")) for kind, p in _TESTS if (m := p.fullmatch(part.strip()))),
            None,
        )
        if test is None:
            return None
        tests.append(test)
    return match.group("tag"), tuple(tests)


@lru_cache(maxsize=256)
def _xpath_test(expression: str) -> etree.XPath:
    """Compiled (cached) ``boolean(expression)``."""
    return etree.XPath(f"boolean({expression})")
