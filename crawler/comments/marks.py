"""Platform detection XPaths answered from a few cheap reads of the page.

Each detection expression of :data:`~crawler.comments.platforms.PLATFORMS` is an
``//TAG[test or test ...]`` query whose tests look at one attribute of one element:
``@id='x'``, ``starts-with(@id, 'x')``, the class-token idiom
``contains(concat(' ', normalize-space(@class), ' '), ' x ')``, ``local-name()='x'``,
attribute presence ``@name`` and, on ``//script`` only, ``contains(@src, 'x')`` (the
page's script addresses, read once). Run as XPath, each query walks the whole page
(about 0.1 ms each, 1.3 ms a page for the table). :class:`PageMarks` reads the ids and
class tokens of the page once (two attribute-node queries, in C) and answers every such
query with set lookups; element and attribute names are looked up when a query needs
them, and not at all when the raw HTML does not contain them (names are never
entity-encoded, so a name missing from the source is missing from the page). An
expression outside this grammar is run as XPath, so the answer is always the XPath one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from weakref import WeakKeyDictionary

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
    ("tag", re.compile(r"local-name\(\)='(?P<v>[\w-]*)'")),
    ("attr", re.compile(r"@(?P<v>[\w-]+)")),
    ("src", re.compile(r"contains\(@src, '(?P<v>[^']+)'\)")),  # //script only
)  # fmt: skip
#: Whitespace as XPath's normalize-space() knows it.
_XML_SPACE = str.maketrans("\t\n\r", "   ")
_IDS = etree.XPath("//@id", smart_strings=False)
_CLASSES = etree.XPath("//@class", smart_strings=False)

Test = tuple[str, str]  # (kind, value)


@dataclass
class _Marks:
    """Ids and class tokens seen on elements of one tag (``*``: any), and a test for
    attribute names."""

    ids: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    has_attr: Callable[[str], bool] = lambda name: False

    @cached_property
    def id_lines(self) -> str:
        """The ids, each after a NUL: an id prefix test is one substring search in C
        (a loop over a page's hundreds of ids cost 20-50 µs a test)."""
        return "".join("\0" + ident for ident in self.ids)


class PageMarks:
    """The detection-relevant marks of one parsed page (see the module docs)."""

    def __init__(self, doc: Element, raw: str | None = None) -> None:
        """``raw``: the HTML ``doc`` was parsed from, if known (it lets names that are not
        in it be ruled out without a query)."""
        self.doc, self._raw = doc, raw
        self._tags: dict[str, _Marks] = {}
        self._names: dict[str, bool] = {}

    @cached_property
    def _source(self) -> bytes | None:
        """The HTML as UTF-8 with ASCII letters lower-cased, as the HTML parser folds
        element and attribute names (``str.lower()`` of a page of non-ASCII text cost
        0.9 ms, 4 times the encoding and the ASCII fold)."""
        if self._raw is None:
            return None
        return self._raw.encode("utf-8", "surrogatepass").lower()

    def _in_source(self, name: str) -> bool:
        """Whether ``name`` may be on the page: False only when the source lacks it."""
        return self._source is None or name.lower().encode("utf-8") in self._source

    def _query(self, xpath: str, name: str) -> bool:
        """``boolean(xpath)`` on the page, skipped when the source lacks ``name``."""
        key = f"{xpath}\0{name}"
        if key not in self._names:
            self._names[key] = self._in_source(name) and bool(_xpath_test(xpath)(self.doc))
        return self._names[key]

    def _marks(self, tag: str) -> _Marks:
        """The marks of elements of ``tag`` (read at first use)."""
        marks = self._tags.get(tag)
        if marks is None:
            if tag == "*":
                ids, classes = _IDS(self.doc), _CLASSES(self.doc)
            elif self._in_source(tag):
                ids = _xpath_values(f"//{tag}/@id")(self.doc)
                classes = _xpath_values(f"//{tag}/@class")(self.doc)
            else:
                ids, classes = [], []
            tokens = " ".join(classes).translate(_XML_SPACE).split(" ")
            marks = self._tags[tag] = _Marks(
                set(ids), set(tokens), lambda name: self._query(f"//{tag}[@{name}]", name)
            )
        return marks

    @cached_property
    def script_sources(self) -> list[str]:
        """The ``src`` of every ``<script>`` of the page (a walk of the tree in C)."""
        return [src for src in (s.get("src") for s in self.doc.iter("script")) if src]

    def has_tag(self, tag: str) -> bool:
        """Whether the page has an element named ``tag``."""
        return self._query(f"//{tag}", tag)

    def matches(self, expression: str) -> bool:
        """``boolean(expression)`` on the page."""
        parsed = parse_query(expression)
        if parsed is None:
            return bool(_xpath_test(expression)(self.doc))
        tag, tests = parsed
        if tag == "script" and all(kind == "src" for kind, _ in tests):
            return any(value in src for _, value in tests for src in self.script_sources)
        if tag != "*" and not self.has_tag(tag):
            return False
        marks = self._marks(tag)
        return any(_holds(kind, value, tag, marks, self) for kind, value in tests)


#: The marks of the pages being read, by parsed page: the article's reader (its forum
#: check) and the comment thread's read the same marks of the same parse once.
_SHARED: WeakKeyDictionary[Element, PageMarks] = WeakKeyDictionary()


def page_marks(doc: Element, raw: str | None = None) -> PageMarks:
    """The :class:`PageMarks` of ``doc``, shared by every reader of that parse while it
    lives (the answers are XPath's either way; ``raw``, where given, only saves queries)."""
    marks = _SHARED.get(doc)
    if marks is None:
        marks = _SHARED[doc] = PageMarks(doc, raw)
    elif marks._raw is None and raw is not None:
        marks._raw = raw
        marks.__dict__.pop("_source", None)  # computed without the source: again with it
    return marks


def _holds(kind: str, value: str, tag: str, marks: _Marks, page: PageMarks) -> bool:
    """Whether an element of ``tag`` (``*``: any) passes the test ``kind``/``value``."""
    if kind == "id":
        return value in marks.ids
    if kind == "id-prefix":  # no id holds a NUL: libxml2 keeps C strings
        return "\0" + value in marks.id_lines
    if kind == "class":
        return value in marks.classes
    if kind == "tag":
        return page.has_tag(value) if tag == "*" else value == tag
    return marks.has_attr(value)


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
        if test is None or (test[0] == "src") != (match.group("tag") == "script"):
            return None
        tests.append(test)
    return match.group("tag"), tuple(tests)


@lru_cache(maxsize=256)
def _xpath_test(expression: str) -> etree.XPath:
    """Compiled (cached) ``boolean(expression)``."""
    return etree.XPath(f"boolean({expression})")


@lru_cache(maxsize=64)
def _xpath_values(expression: str) -> etree.XPath:
    """Compiled (cached) ``expression`` returning plain strings."""
    return etree.XPath(expression, smart_strings=False)
