"""The readability shortcut: skipped only where trafilatura could not choose it, same output."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import trafilatura
import trafilatura.external
from lxml import etree, html

from crawler.extract import body, extract_article, readability_gate
from crawler.fixture_site import FixtureSite
from tests.extract.pages import URL, page

pytestmark = pytest.mark.skipif(
    not readability_gate.install(),
    reason=f"trafilatura {trafilatura.__version__} is not a release the gate was verified on",
)


@pytest.fixture
def gate_off() -> Iterator[None]:
    """Extraction with the shortcut disabled (readability runs on every page)."""
    readability_gate._installed = False
    try:
        yield
    finally:
        readability_gate._installed = True


def _extract_both(source: str, url: str) -> tuple[dict[str, object], dict[str, object]]:
    before = dict(readability_gate.counts)
    gated = extract_article(source, url)
    assert readability_gate.counts["skipped"] > before["skipped"]
    readability_gate._installed = False
    try:
        plain = extract_article(source, url)
    finally:
        readability_gate._installed = True
    return gated, plain


@pytest.mark.parametrize("kind", ["wordpress", "tagdiv"])
def test_fixture_articles_skip_readability_with_the_same_records(kind: str) -> None:
    site = FixtureSite(kind=kind, articles=12, seed=3)  # type: ignore[arg-type]
    for article in site.model.articles[:8]:
        source = site.router.route(article.path).body.decode("utf-8")
        gated, plain = _extract_both(source, "http://127.0.0.1:8000" + article.path)
        assert gated == plain
        assert gated["text"] == "\n\n".join(article.paragraphs)


def _bodies(paragraphs: int, tables: int = 0) -> Any:
    """A trafilatura-style output body."""
    element = etree.Element("body")
    for n in range(paragraphs):
        etree.SubElement(element, "p").text = f"Paragraph {n} of the article about the harbour."
    for _ in range(tables):
        etree.SubElement(element, "table")
    return element


class _Options:
    def __init__(self, focus: str = "balanced") -> None:
        self.focus = focus


def _tree(text: str, script: str = "") -> Any:
    return html.fromstring(f"<html><body><div>{text}</div><script>{script}</script></body></html>")


def test_skips_only_when_the_own_text_is_half_the_readable_text() -> None:
    own = "x" * 100
    sound = _bodies(2)
    assert readability_gate.readability_cannot_win(_tree("y" * 200), sound, own, _Options())
    assert not readability_gate.readability_cannot_win(_tree("y" * 201), sound, own, _Options())
    # script text is dropped by readability before it reads the page: it does not count
    tree = _tree("y" * 150, script="var z = 1;" * 100)
    assert readability_gate.readability_cannot_win(tree, sound, own, _Options())


@pytest.mark.parametrize(
    ("own_body", "text", "focus"),
    [
        (_bodies(0), "x" * 100, "balanced"),  # no paragraph text: readability may win
        (_bodies(1, tables=2), "x" * 100, "balanced"),  # table-dominated
        (_bodies(2), "", "balanced"),  # nothing extracted
        (_bodies(2), "x" * 100, "recall"),  # recall mode has rules of its own
    ],
)
def test_never_skips_where_the_rules_may_prefer_readability(
    own_body: Any, text: str, focus: str
) -> None:
    tree = _tree("y" * 10)
    assert not readability_gate.readability_cannot_win(tree, own_body, text, _Options(focus))


def test_readability_text_is_within_the_bound_on_fixture_pages() -> None:
    """The premise: readability's text is no longer than the tree's non-script text."""
    site = FixtureSite(kind="wordpress", articles=6, seed=5)
    for article in site.model.articles:
        tree = html.fromstring(site.router.route(article.path).body)
        readable = readability_gate.readable_length(tree)
        result = trafilatura.external.try_readability(tree)
        text = " ".join(etree.tostring(result, method="text", encoding=str).split())
        assert 0 < len(text) <= readable


def test_outside_the_extractor_trafilatura_runs_readability() -> None:
    """The hook acts only inside ``skipping()``: other callers get trafilatura as it is."""
    before = dict(readability_gate.counts)
    trafilatura.bare_extraction(page(), url=URL, **body.TRAFILATURA_OPTIONS)
    assert readability_gate.counts == before
    with readability_gate.skipping():
        trafilatura.bare_extraction(page(), url=URL, **body.TRAFILATURA_OPTIONS)
    assert readability_gate.counts["skipped"] == before["skipped"] + 1


def test_a_page_readability_wins_is_extracted_as_without_the_gate(gate_off: None) -> None:
    """A table-laid-out page: the gate must leave readability to decide."""
    cells = "".join(
        f"<tr><td>Row {n} of a report on the harbour works, its cost and its delays.</td></tr>"
        for n in range(30)
    )
    source = f"<html><head><title>Report</title></head><body><table>{cells}</table></body></html>"
    plain = extract_article(source, URL)
    readability_gate._installed = True
    before = dict(readability_gate.counts)
    assert extract_article(source, URL) == plain
    assert readability_gate.counts["skipped"] == before["skipped"]
    assert readability_gate.counts["run"] > before["run"]
