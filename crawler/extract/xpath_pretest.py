"""trafilatura's XPath expressions with a literal pre-test before each regular expression.

trafilatura selects boilerplate, comment and body containers with XPath expressions full
of EXSLT ``re:test(@class, 'pattern')`` calls, and lxml evaluates each one by calling
Python's ``re`` for every element the step reaches, whatever its class: on real news
pages one such expression (the comment sections pruned from the raw tree) took 1.6 ms,
and all of them together about a fifth of an extraction. Almost every pattern there
requires one of a few literal strings ("omment" for ``^[Cc]omment(?!ary)|post-comments``),
which libxml2 tests without leaving C. :func:`with_pretests` puts that test first:
``re:test(ARG, 'P')`` becomes ``((contains(ARG, 'l1') or contains(ARG, 'l2')) and
re:test(ARG, 'P'))``, where every match of ``P`` contains ``l1`` or ``l2``
(:func:`required_literals`, read from the pattern's parse). A string the pre-test turns
away has no match, so the expression selects the same nodes in the same order: the
outputs are identical by construction (checked on generated pages and on the evaluation
sets), and the same pattern that took 1.6 ms takes 0.5.

Only arguments that are attributes (``@class``, ``@id|@class``: both functions read the
first attribute in document order) are rewritten; a case-insensitive pattern gets a
pre-test on the lower-cased value, from the literals' letters that match only their own
two cases under ``re.IGNORECASE`` (not i, k or s: U+017F, the long s, matches "s").

trafilatura's expressions for comment sections, appended articles and share buttons
(``.//*[self::div or self::list ...][re:test(@id, ...) or re:test(@class, ...)]``) cost
most in their ``self::`` tests, which libxml2 evaluates element by element: those run in
Python instead (:class:`TaggedTest`, built from the expression's own tags and patterns
where its text has that shape), five times faster.

Like :mod:`crawler.extract.readability_gate`, the faster expressions are in place only
inside :func:`active` blocks (the extractor's calls of trafilatura): other callers in
the same process (the evaluation's trafilatura baseline, the benchmarks' bare loop) run
trafilatura's own expressions.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from lxml import etree

REGEXP_NS = "http://exslt.org/regular-expressions"
#: Shortest literal worth a pre-test: shorter ones turn too few strings away.
MIN_LITERAL = 3
#: Most literals a pre-test tests: each ``contains`` costs, and a long list costs more
#: than the pattern it spares (on the fixture outlet's pages, 30 of them made the
#: expression three times slower).
MAX_LITERALS = 4
#: The argument forms rewritten: an attribute, or a union of attributes.
_ATTRIBUTES = re.compile(r"@[\w-]+(?:\s*\|\s*@[\w-]+)*")
_UPPER, _LOWER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
#: Characters a case-insensitive literal may keep: ASCII letters that match only their
#: own two cases under re.IGNORECASE (i, k and s also match U+0130/U+0131, the Kelvin
#: sign U+212A and the long s U+017F), ASCII
#: digits and punctuation.
_CASELESS_SAFE = frozenset(
    [c for c in _LOWER if c not in "iks"]
    + [chr(n) for n in range(0x20, 0x7F) if not chr(n).isalpha()]
)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def required_literals(pattern: str, ignore_case: bool = False) -> list[str] | None:
    """Strings one of which every match of ``pattern`` (``re.search``) contains, each at
    least :data:`MIN_LITERAL` long (lower-cased, when ``ignore_case``); None when no such
    set is found (the pattern then gets no pre-test)."""
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE if ignore_case else 0)
    except (re.error, RecursionError, OverflowError):
        return None
    found = _needed(list(parsed.data), bool(parsed.state.flags & re.IGNORECASE))
    if found is None:
        return None
    if any(len(literal) < MIN_LITERAL for literal in found):
        return None
    return sorted(set(found))


def _caseless_part(literal: str) -> str:
    """The longest run of ``literal`` made of :data:`_CASELESS_SAFE` characters, lower-cased
    (a part of a required literal is required too)."""
    runs, run = [], ""
    for char in literal.lower():
        if char in _CASELESS_SAFE:
            run += char
        else:
            runs.append(run)
            run = ""
    return max([*runs, run], key=len)


def _needed(items: list[tuple[Any, Any]], caseless: bool) -> list[str] | None:
    """Required literals (one of them in every match) of a parsed sequence: the best of
    its literal runs and of its mandatory parts' own sets (``caseless``: each run's part a
    case-insensitive test can take, :func:`_caseless_part`); None when it has none."""
    candidates: list[list[str]] = []
    run = ""
    for op, value in items:
        if op is sre.LITERAL:
            run += chr(value)
            continue
        if run:
            candidates.append([_caseless_part(run) if caseless else run])
            run = ""
        part: list[str] | None = None
        if op is sre.SUBPATTERN and not value[1] and not value[2]:  # no scoped flags
            part = _needed(list(value[3]), caseless)
        elif op is sre.ATOMIC_GROUP:
            part = _needed(list(value), caseless)
        elif op is sre.BRANCH:
            branches = [_needed(list(branch), caseless) for branch in value[1]]
            if all(branch is not None for branch in branches):
                part = [literal for branch in branches if branch for literal in branch]
        elif op in _REPEATS and value[0] >= 1:
            part = _needed(list(value[2]), caseless)
        if part:
            candidates.append(part)
    if run:
        candidates.append([_caseless_part(run) if caseless else run])
    if not candidates:
        return None
    return max(candidates, key=lambda c: (min(len(literal) for literal in c), -len(c)))


def _string(literal: str) -> str | None:
    """``literal`` as an XPath string literal; None when it holds both quote marks."""
    if "'" not in literal:
        return f"'{literal}'"
    if '"' not in literal:
        return f'"{literal}"'
    return None


def _pretest(argument: str, pattern: str, flags: str) -> str | None:
    """The XPath test that holds wherever ``re:test(argument, pattern, flags)`` does;
    None when the pattern has no literals to test or the argument is not attributes."""
    if not _ATTRIBUTES.fullmatch(argument) or set(flags) - {"i", "g"}:
        return None
    ignore_case = "i" in flags
    literals = required_literals(pattern, ignore_case)
    if not literals or len(literals) > MAX_LITERALS:
        return None
    value = f"translate({argument}, '{_UPPER}', '{_LOWER}')" if ignore_case else argument
    quoted = [_string(literal) for literal in literals]
    if any(q is None for q in quoted):
        return None
    return " or ".join(f"contains({value}, {q})" for q in quoted)


def _arguments(expression: str, start: int) -> tuple[list[str], int] | None:
    """The top-level arguments of the call whose ``(`` is at ``start``, and the index
    after its ``)``; None when the call does not close."""
    arguments, depth, quote, begin = [], 0, "", start + 1
    for at in range(start + 1, len(expression)):
        char = expression[at]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        elif char == "," and not depth:
            arguments.append(expression[begin:at].strip())
            begin = at + 1
        elif char == ")":
            arguments.append(expression[begin:at].strip())
            return arguments, at + 1
    return None


def _literal_value(text: str) -> str | None:
    """The value of an XPath string literal; None for anything else."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" and text[0] not in text[1:-1]:
        return text[1:-1]
    return None


def with_pretests(expression: str) -> str:
    """``expression`` with a literal pre-test before each ``re:test`` that can have one
    (see the module docstring); unchanged when none can."""
    out, at, quote = [], 0, ""
    position = 0
    while position < len(expression):
        char = expression[position]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif expression.startswith("re:test(", position) and (
            position == 0
            or not (expression[position - 1].isalnum() or expression[position - 1] in "_-:")
        ):
            call = _arguments(expression, position + len("re:test"))
            if call is not None:
                arguments, end = call
                values = [_literal_value(a) for a in arguments[1:]]
                if len(arguments) in (2, 3) and all(v is not None for v in values):
                    pattern, flags = str(values[0]), str(values[1]) if len(values) > 1 else ""
                    test = _pretest(arguments[0], pattern, flags)
                    if test is not None:
                        out.append(expression[at:position])
                        out.append(f"(({test}) and {expression[position:end]})")
                        at = position = end
                        continue
        position += 1
    out.append(expression[at:])
    return "".join(out)


#: The shape of trafilatura's expressions for comment sections (``REMOVE_COMMENTS_XPATH``,
#: ``..._AND_LISTS_XPATH``) and for appended articles and share buttons
#: (``RAW_TREE_PRUNE_XPATH``), whitespace collapsed: elements of some tags whose id or
#: class matches (or whose class contains a string), and, where a second test follows,
#: only those that are not of some tags (or hold no element of a tag) or whose id or
#: class matches further patterns.
_TAGGED_SHAPE = re.compile(
    r"\.//\*\[(?P<tags>self::\w+(?: or self::\w+)*)\]"
    r"\[ ?(?:re:test\(@id, '(?P<id>[^']*)'\) or re:test\(@class, '(?P<cls>[^']*)'\)"
    r"|contains\(@class, '(?P<has>[^']*)'\)) ?\]"
    r"(?:\[ ?not\((?:(?P<lists>self::\w+(?: or self::\w+)*)|\.//(?P<holds>\w+))\)"
    r" or re:test\(@id, '(?P<list_id>[^']*)'\) or re:test\(@class, '(?P<list_cls>[^']*)'\) ?\])?"
)


class TaggedTest:
    """An expression of :data:`_TAGGED_SHAPE` evaluated in Python: lxml walks the
    elements of those tags in C and Python's ``re`` tests their two attributes, once each
    (libxml2 spent 0.8 µs an element on the ``self::`` tests alone: 0.29 ms against 0.06
    on a fixture page). The same elements in the same (document) order as the XPath:
    ``re:test`` and ``contains`` read a missing attribute as "", as ``get(name, "")``
    does here."""

    def __init__(self, path: str, match: re.Match[str]) -> None:
        self.path = path
        self.tags = tuple(match["tags"].replace("self::", "").split(" or "))
        self.contains = match["has"]
        self.id_test = re.compile(match["id"] or "")
        self.class_test = re.compile(match["cls"] or "")
        lists = match["lists"]
        self.lists = frozenset(lists.replace("self::", "").split(" or ")) if lists else frozenset()
        self.holds = match["holds"]
        self.second = bool(match["list_id"] is not None)
        self.list_id = re.compile(match["list_id"] or "")
        self.list_class = re.compile(match["list_cls"] or "")

    def __call__(self, tree: Any) -> list[Any]:
        found = []
        for element in tree.iterdescendants(*self.tags):
            ident, names = element.get("id", ""), element.get("class", "")
            if self.contains is not None:
                if self.contains not in names:
                    continue
            elif not (self.id_test.search(ident) or self.class_test.search(names)):
                continue
            if (
                self.second
                and self._excepted(element)
                and not (self.list_id.search(ident) or self.list_class.search(names))
            ):
                continue
            found.append(element)
        return found

    def _excepted(self, element: Any) -> bool:
        """Whether the second test's ``not(...)`` part fails for ``element``."""
        if self.holds is not None:
            return next(element.iterdescendants(self.holds), None) is not None
        return element.tag in self.lists


def _in_python(xpath: etree.XPath) -> TaggedTest | None:
    """The Python form of an expression of :data:`_TAGGED_SHAPE`; None for any other."""
    path = " ".join(xpath.path.split())
    match = _TAGGED_SHAPE.fullmatch(path)
    return TaggedTest(xpath.path, match) if match else None


def _faster(xpath: etree.XPath) -> Any:
    """``xpath`` in Python (:class:`TaggedTest`) or with pre-tests (see
    :func:`with_pretests`); None when it gains neither or the rewritten expression does
    not compile."""
    in_python = _in_python(xpath)
    if in_python is not None:
        return in_python
    rewritten = with_pretests(xpath.path)
    if rewritten == xpath.path:
        return None
    try:
        return etree.XPath(rewritten, namespaces={"re": REGEXP_NS})
    except etree.XPathError:
        return None


class _Swaps:
    """Where trafilatura's modules hold XPath objects that have faster equivalents: list
    slots and module attributes, each with its original and its replacement."""

    def __init__(self) -> None:
        self.slots: list[tuple[list[Any], int, Any, Any]] = []
        self.attributes: list[tuple[Any, str, Any, Any]] = []
        self.faster: dict[etree.XPath, Any] = {}  # each original's replacement, or None
        for name, module in sorted(sys.modules.items()):
            if name == "trafilatura" or name.startswith("trafilatura."):
                self._scan(module)

    def _replacement(self, original: etree.XPath) -> Any:
        if original not in self.faster:
            self.faster[original] = _faster(original)
        return self.faster[original]

    def _scan(self, module: Any) -> None:
        for attribute, value in list(vars(module).items()):
            if isinstance(value, etree.XPath):
                faster = self._replacement(value)
                if faster is not None:
                    self.attributes.append((module, attribute, value, faster))
            elif isinstance(value, list) and not any(value is s[0] for s in self.slots):
                for index, item in enumerate(value):
                    if isinstance(item, etree.XPath):
                        faster = self._replacement(item)
                        if faster is not None:
                            self.slots.append((value, index, item, faster))

    def apply(self, use_faster: bool) -> None:
        for values, index, original, faster in self.slots:
            values[index] = faster if use_faster else original
        for module, attribute, original, faster in self.attributes:
            setattr(module, attribute, faster if use_faster else original)


_lock = threading.Lock()
_depth = 0
_swaps: _Swaps | None = None


def swaps() -> _Swaps:
    """The replacements, found at first use (trafilatura's modules imported by then)."""
    global _swaps
    with _lock:
        if _swaps is None:
            _swaps = _Swaps()
        return _swaps


@contextmanager
def active() -> Iterator[None]:
    """Within this block trafilatura evaluates its expressions in their faster forms."""
    global _depth
    found = swaps()
    with _lock:
        _depth += 1
        if _depth == 1:
            found.apply(True)
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                found.apply(False)
