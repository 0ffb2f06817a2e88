"""Skip trafilatura's readability second opinion where it provably cannot be chosen.

trafilatura (outside ``fast`` mode) runs readability on every page after its own
extractor and keeps readability's text only under the rules of
``trafilatura.external._prefer_readability``. In its default ("balanced") and "precision"
modes those rules choose readability only when the own text is empty, when readability's
text is more than twice as long, or when the own body is structurally deficient (no
paragraph text, or more tables than paragraphs). Readability's text is part of the text of
the tree it is given (it moves and drops elements and never writes text; ``<script>`` and
``<style>`` it drops first), so when the own text is at least half of that tree's text
outside ``<script>``/``<style>``, and the own body is sound, readability cannot win and its
run (about 2 ms a page, an eighth of an extraction) is wasted. :func:`skipping` then hands
trafilatura an empty readability result, which its rules discard, and everything after
(the jusText rescue, the recall escalation) runs exactly as before: the output is the same
by construction, and was the same on every page of the evaluation sets and the fixture
outlet (``tests/extract/test_readability_gate.py`` checks it on generated pages).

The shortcut hooks two trafilatura internals, so it is installed only for the releases
whose rules were read (:data:`VERIFIED_RELEASES`), and only acts inside
:func:`skipping` blocks: other callers of trafilatura in the same process (the
evaluation baseline, the benchmarks' bare loop) run it untouched.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeGuard

import trafilatura
import trafilatura.core
import trafilatura.external
from lxml import etree, html

logger = logging.getLogger(__name__)

#: trafilatura releases whose ``compare_extraction`` / ``_prefer_readability`` were read.
VERIFIED_RELEASES = frozenset({"2.3.1"})
#: The signature of ``trafilatura.external.compare_extraction`` in those releases.
_COMPARE_PARAMETERS = ("cleaned_tree", "raw_tree", "body", "text", "options")
_ACTIVE: ContextVar[bool] = ContextVar("readability_gate_active", default=False)
_SKIP: ContextVar[bool] = ContextVar("readability_gate_skip", default=False)
_DROPPED_FIRST = ("script", "style")  # readability drops these (and their text) first
_PARAGRAPH_TEXT = etree.XPath(".//p//text()")
_installed = False
#: Pages on which readability was skipped / run, in this process (for tests and profiling).
counts = {"skipped": 0, "run": 0}


@contextmanager
def skipping() -> Iterator[None]:
    """Within this block, trafilatura skips readability where it cannot be chosen."""
    token = _ACTIVE.set(_installed)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def readability_cannot_win(raw_tree: Any, body: Any, text: str, options: Any) -> bool:
    """Whether ``_prefer_readability`` must reject any readability result for ``raw_tree``
    (see the module docstring): own text at least half the tree's readable text, a body
    with paragraph text and no more tables than paragraphs, not in recall mode."""
    if options.focus == "recall" or not text or not _PARAGRAPH_TEXT(body):
        return False
    if len(body.findall(".//table")) > len(body.findall(".//p")):
        return False
    return 2 * len(text) >= readable_length(raw_tree)


def readable_length(tree: Any) -> int:
    """Characters of ``tree``'s text outside ``<script>``/``<style>``: no readability
    result for ``tree`` is longer."""
    length = len(etree.tostring(tree, method="text", encoding=str))
    return length - sum(len(e.text or "") for e in tree.iter(*_DROPPED_FIRST))


def verified(function: Any, parameters: tuple[str, ...]) -> TypeGuard[Callable[..., Any]]:
    """Whether ``function`` (a trafilatura internal, or None where the release lacks it)
    is the one that was read: a verified release, the same parameters."""
    return (
        trafilatura.__version__ in VERIFIED_RELEASES
        and function is not None
        and tuple(inspect.signature(function).parameters) == parameters
    )


def install() -> bool:
    """Hook trafilatura (once) if its release is verified; whether the gate is installed."""
    global _installed
    if _installed:
        return True
    core, external = trafilatura.core, trafilatura.external
    compare = getattr(core, "compare_extraction", None)
    try_readability = getattr(external, "try_readability", None)
    if not verified(compare, _COMPARE_PARAMETERS) or try_readability is None:
        logger.debug("trafilatura %s: readability runs on every page", trafilatura.__version__)
        return False

    def gated_compare(cleaned_tree: Any, raw_tree: Any, body: Any, text: str, options: Any) -> Any:
        if not _ACTIVE.get() or not readability_cannot_win(raw_tree, body, text, options):
            counts["run"] += _ACTIVE.get()
            return compare(cleaned_tree, raw_tree, body, text, options)
        counts["skipped"] += 1
        token = _SKIP.set(True)
        try:
            return compare(cleaned_tree, raw_tree, body, text, options)
        finally:
            _SKIP.reset(token)

    def gated_readability(htmlinput: Any) -> Any:
        return html.HtmlElement() if _SKIP.get() else try_readability(htmlinput)

    setattr(core, "compare_extraction", gated_compare)  # noqa: B010 (not re-exported: mypy)
    external.try_readability = gated_readability
    _installed = True
    return True
