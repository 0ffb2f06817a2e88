"""trafilatura's expressions with literal pre-tests select exactly what the originals do."""

from __future__ import annotations

import re

import pytest
import trafilatura
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, html

from crawler.extract import extract_article, xpath_pretest
from crawler.extract.xpath_pretest import required_literals, with_pretests
from crawler.fixture_site import FixtureSite
from tests.extract.pages import URL, page

_RE_TEST = re.compile(r"re:test\(\s*@[\w|@\s-]+,\s*'([^']*)'\s*(?:,\s*'([^']*)')?\s*\)")
#: Every pattern trafilatura's expressions test attributes with, and its flags.
_FOUND = {
    (m.group(1), m.group(2) or "")
    for original in xpath_pretest.swaps().faster
    for m in _RE_TEST.finditer(original.path)
}
PATTERNS = sorted(
    _FOUND
    | {("x(?:abc|cde)+y", ""), ("(?i:abc)def", ""), ("cookie-?bar", "i"), ("(?:xyzw)?abc", "")}
)
#: Class and id words the pages below are made of: words the patterns look for, near
#: misses and noise.
WORDS = [
    "comment", "Comment", "commentary", "comments", "comment-list", "post-comments", "comol",
    "disqus_thread", "dsq-comments", "infinite-scroll", "mvp-post-add-box", "share-buttons",
    "sharing", "social", "cookie-banner", "COOKIE-notice", "hidden", "display", "footer",
    "Footer", "sidebar", "related", "elated", "nav", "navbar", "menu", "author", "byline",
    "entry-content", "article-body", "post-content", "story-body", "main", "content-main",
    "reply-", "akismet", "tags", "tag-list", "premium", "ad-slot", "bottom", "link", "x",
    "elementor-share-buttons", "elementor-share-buttons--view", "mvp-post-add-wrap",
]  # fmt: skip


def test_required_literals_are_read_from_the_pattern() -> None:
    assert required_literals(r"^(?:[Cc]omment(?!ary)|comol|disqus_thread)") == [
        "comol", "disqus_thread", "omment",
    ]  # fmt: skip
    assert required_literals("x(?:abc|cde)+yz") == ["abc", "cde"]  # a repeated group's own
    assert required_literals("x(?:ab|cd)+yz") is None  # no literal of three characters
    assert required_literals("a*") is None  # matches the empty string
    assert required_literals("(?:xyzw)?abc") == ["abc"]  # an optional part requires nothing
    assert required_literals("(?i:abc)def") == ["def"]  # the scoped case-insensitive part aside
    assert required_literals("a|bcd") is None  # one branch too short to pre-test
    # case-insensitive: lower-cased, without the letters other scripts' letters match
    assert required_literals("cookie[-_]?banner", ignore_case=True) == ["banner"]
    assert required_literals("cookie", ignore_case=True) == ["coo"]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_match_of_a_pattern_holds_one_of_its_literals(data: st.DataObject) -> None:
    pattern, flags = data.draw(st.sampled_from(PATTERNS))
    ignore_case = "i" in flags
    literals = required_literals(pattern, ignore_case)
    if literals is None:
        return
    compiled = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    text = data.draw(st.from_regex(compiled, fullmatch=False))
    assert compiled.search(text)
    value = text.translate(str.maketrans(xpath_pretest._UPPER, xpath_pretest._LOWER))
    assert any(literal in (value if ignore_case else text) for literal in literals)


def test_a_pretest_goes_before_each_re_test_of_an_attribute() -> None:
    expression = (
        ".//*[re:test(@id, '^comment-') or re:test(., 'comment') or @x='re:test(@id, \"y\")']"
    )
    rewritten = with_pretests(expression)
    assert rewritten.startswith(".//*[((contains(@id, 'comment-')) and re:test(@id, '^comment-'))")
    assert "re:test(., 'comment')" in rewritten  # a node's own text: left as it is
    assert with_pretests("//p[re:test(@class, 'a*')]") == "//p[re:test(@class, 'a*')]"
    assert "translate(@class" in with_pretests("//p[re:test(@class, 'banner', 'i')]")


def test_the_other_tagged_shapes_run_in_python() -> None:
    namespaces = {"re": xpath_pretest.REGEXP_NS}
    holding = etree.XPath(
        ".//*[self::div or self::aside][re:test(@id, 'scroll') or re:test(@class, 'scroll')]"
        "[not(.//h1) or re:test(@id, 'add') or re:test(@class, 'add')]",
        namespaces=namespaces,
    )
    containing = etree.XPath(".//*[self::div or self::aside][contains(@class, 'share-b')]")
    tree = html.fromstring(
        '<div><div class="scroll"><h1>Next story</h1></div><div class="scroll add">'
        '<h1>x</h1></div><aside id="scroll"><p>more</p></aside>'
        '<div class="a share-buttons"></div><p class="share-b"></p></div>'
    )
    for expression, expected in (
        (holding, ["scroll add", "scroll"]),
        (containing, ["a share-buttons"]),
    ):
        faster = xpath_pretest._faster(expression)
        assert isinstance(faster, xpath_pretest.TaggedTest)
        assert _selected(faster, tree) == _selected(expression, tree)
        assert [e.get("class") or e.get("id") for e in faster(tree)] == expected


def _pages() -> list[html.HtmlElement]:
    trees = [html.fromstring(page())]
    for kind in ("wordpress", "tagdiv"):
        site = FixtureSite(kind=kind, articles=6, seed=3)  # type: ignore[arg-type]
        trees += [html.fromstring(site.router.route(a.path).body) for a in site.model.articles]
    return trees


def _selected(xpath: etree.XPath, tree: html.HtmlElement) -> list[str]:
    root = tree.getroottree()
    return [root.getpath(e) if isinstance(e, etree._Element) else str(e) for e in xpath(tree)]


def _rewritten() -> list[tuple[etree.XPath, etree.XPath]]:
    swaps = xpath_pretest.swaps()
    pairs = [(original, faster) for _, _, original, faster in swaps.slots]
    pairs += [(original, faster) for _, _, original, faster in swaps.attributes]
    return pairs


def test_trafilatura_expressions_are_rewritten() -> None:
    assert len(_rewritten()) >= 10
    assert trafilatura.__version__  # the rewrite reads the expressions, not the release
    # the comment-section expressions run in Python
    in_python = [f for _, f in _rewritten() if isinstance(f, xpath_pretest.TaggedTest)]
    assert {f.lists for f in in_python} == {frozenset(), frozenset({"ol", "ul"})}
    assert {f.holds for f in in_python} == {None, "h1"}  # appended articles without an <h1>
    assert "elementor-share-buttons" in {f.contains for f in in_python}


def test_an_expression_of_the_tagged_shape_runs_in_python() -> None:
    expression = etree.XPath(
        ".//*[self::div or self::ul][re:test(@id, '^c') or re:test(@class, 'x$')]"
        "[not(self::ul) or re:test(@id, 'cl') or re:test(@class, 'xl')]",
        namespaces={"re": xpath_pretest.REGEXP_NS},
    )
    faster = xpath_pretest._faster(expression)
    assert isinstance(faster, xpath_pretest.TaggedTest)
    tree = html.fromstring(
        '<div><div id="c1"><ul id="c2"><li>a</li></ul><ul class="box xl"></ul></div>'
        '<p id="c3"></p><div class="a x"></div><section id="c4"></section></div>'
    )
    assert _selected(faster, tree) == _selected(expression, tree)
    assert [e.get("id") or e.get("class") for e in faster(tree)] == ["c1", "a x"]


def test_rewritten_expressions_select_the_same_on_fixture_pages() -> None:
    trees = _pages()
    for original, faster in _rewritten():
        for tree in trees:
            assert _selected(faster, tree) == _selected(original, tree), original.path


@st.composite
def _tree(draw: st.DrawFn) -> html.HtmlElement:
    # "list": the tag trafilatura's converted tree gives lists, which its expressions name
    tags = ["div", "section", "aside", "ul", "ol", "li", "p", "span", "article", "main"]
    tags += ["a", "details", "list", "h1"]
    parts = []
    for _ in range(draw(st.integers(1, 12))):
        tag = draw(st.sampled_from(tags))
        attrs = ""
        for name in draw(
            st.lists(st.sampled_from(["id", "class", "style"]), max_size=2, unique=True)
        ):
            words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
            attrs += f' {name}="{" ".join(words)}"'
        parts.append(f"<{tag}{attrs}><p>text</p>")
        parts.append(f"</{tag}>" * draw(st.integers(0, 1)))
    return html.fromstring(f"<html><body><div>{''.join(parts)}</div></body></html>")


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(tree=_tree())
def test_rewritten_expressions_select_the_same_on_generated_pages(tree: html.HtmlElement) -> None:
    for original, faster in _rewritten():
        assert _selected(faster, tree) == _selected(original, tree), original.path


def test_the_faster_expressions_are_in_place_only_inside_active_blocks() -> None:
    slots = xpath_pretest.swaps().slots
    assert all(values[index] is original for values, index, original, _ in slots)
    with xpath_pretest.active():
        assert all(values[index] is faster for values, index, _, faster in slots)
        with xpath_pretest.active():
            assert all(values[index] is faster for values, index, _, faster in slots)
        # an inner block leaves the outer one's in place
        assert all(values[index] is faster for values, index, _, faster in slots)
    assert all(values[index] is original for values, index, original, _ in slots)


def test_records_are_the_same_with_the_original_expressions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site = FixtureSite(kind="wordpress", articles=6, seed=5)  # type: ignore[arg-type]
    pages = [(site.router.route(a.path).body.decode(), "http://127.0.0.1:8000" + a.path)
             for a in site.model.articles]  # fmt: skip
    pages.append((page(), URL))
    fast = [extract_article(source, url) for source, url in pages]
    monkeypatch.setattr(xpath_pretest._Swaps, "apply", lambda self, use_faster: None)
    plain = [extract_article(source, url) for source, url in pages]
    assert fast == plain
