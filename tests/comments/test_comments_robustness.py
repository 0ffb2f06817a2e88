"""Bad input never raises: cycles, missing parents, broken, deep and huge pages."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.comments import extract_comments, from_rest, merge_pages, reconcile

URL = "https://blog.example/post/"
KEYS = {
    "platform",
    "source",
    "declared_count",
    "found_count",
    "complete",
    "status",
    "items",
}
ITEM_KEYS = {"id", "parent_id", "depth", "author", "author_url", "published", "text"}


def assert_valid(thread: dict[str, object]) -> None:
    """Keys, types and depth/parent consistency of a thread."""
    assert set(thread) == KEYS
    assert thread["platform"] is None or isinstance(thread["platform"], str)
    assert thread["source"] in (None, "html", "jsonld", "microdata", "rest")
    assert thread["declared_count"] is None or isinstance(thread["declared_count"], int)
    assert isinstance(thread["complete"], bool)
    status = thread["status"]
    assert isinstance(status, str)
    assert status in (
        "ok",
        "none",
        "closed",
        "empty",
        "not_rendered",
        "partial",
        "unrecognised",
    ) or (status.startswith("error:"))
    items = thread["items"]
    assert isinstance(items, list)
    assert thread["found_count"] == len(items)
    by_id = {i["id"]: i for i in items}
    assert len(by_id) == len(items)
    for item in items:
        assert set(item) == ITEM_KEYS
        assert isinstance(item["id"], str) and isinstance(item["text"], str)
        for key in ("author", "author_url", "published"):
            assert item[key] is None or isinstance(item[key], str)
        parent = item["parent_id"]
        if parent is None:
            assert item["depth"] == 1
        else:
            assert item["depth"] == by_id[parent]["depth"] + 1


def test_wpdiscuz_cycle_and_missing_parent_are_repaired(caplog: object) -> None:
    page = (
        '<div id="wpdcom"><div id="wc-comm-1_2"><div class="wc-comment-text">a</div></div>'
        '<div id="wc-comm-2_1"><div class="wc-comment-text">b</div></div>'
        '<div id="wc-comm-3_99"><div class="wc-comment-text">c</div></div>'
        '<div id="wc-comm-4_4"><div class="wc-comment-text">d</div></div>'
        '<div id="wc-comm-5_3"><div class="wc-comment-text">e</div></div></div>'
    )
    thread = extract_comments(page, URL)
    assert_valid(thread)
    tree = [(i["id"], i["parent_id"], i["depth"]) for i in thread["items"]]  # type: ignore[attr-defined]
    assert tree == [("1", None, 1), ("2", "1", 2), ("3", None, 1), ("4", None, 1), ("5", "3", 2)]
    assert thread["status"] == "ok"


def test_rest_cycles_and_garbage() -> None:
    pages: list[list[dict[str, object]]] = [
        [
            {"id": 1, "parent": 2},
            {"id": 2, "parent": 3},
            {"id": 3, "parent": 1},
            {"id": 4, "parent": 77},
            {"id": None},
            {"id": 5, "parent": 4, "content": "bad"},
        ],
        [{"id": 1, "parent": 0}],
    ]
    thread = from_rest(pages, 10)
    assert_valid(thread)
    assert thread["status"] == "partial"
    assert thread["found_count"] == 5
    assert_valid(from_rest([], None))
    assert_valid(merge_pages([]))
    assert_valid(reconcile(thread, from_rest([[{"id": 3, "parent": 4}]], 1)))


def test_broken_inputs_never_raise() -> None:
    for text in [
        "",
        "   ",
        "<",
        "<<<>>>",
        "\x00\x01",
        "<?xml version='1.0' encoding='latin-1'?><a/>",
        "<html><body><ol class='comment-list'><li id='comment-1'><p>unclosed",
        "\ud800 lone surrogate",
        "<script type='application/ld+json'>{bad json</script>",
    ]:
        assert_valid(extract_comments(text, URL))
    assert extract_comments("", URL)["status"] == "error:empty_document"
    assert extract_comments(None, URL)["status"] == "error:bad_input"  # type: ignore[arg-type]


def test_ten_thousand_deep_nesting() -> None:
    depth = 10_000
    page = (
        '<ol class="comment-list">'
        + "".join(
            f'<li id="comment-{n}"><div class="comment-content">c{n}</div><ol class="children">'
            for n in range(1, depth + 1)
        )
        + "</ol></li>" * depth
        + "</ol>"
    )
    started = time.monotonic()
    thread = extract_comments(page, URL)
    assert time.monotonic() - started < 30
    assert_valid(thread)
    assert thread["found_count"] >= 1
    # The parser caps nesting, so some comments are lost: never reported as complete.
    assert thread["found_count"] < depth
    assert thread["status"] == "partial" and thread["complete"] is False


def test_deep_json_ld_chain() -> None:
    node = '{"@type":"Comment","text":"leaf"}'
    for n in range(3000):
        node = f'{{"@type":"Comment","@id":"#comment-{n}","text":"t","comment":[{node}]}}'
    page = f'<script type="application/ld+json">{node}</script>'
    assert_valid(extract_comments(page, URL))


def test_huge_page() -> None:
    items = "".join(
        f'<li id="comment-{n}" class="comment"><article id="div-comment-{n}">'
        f'<b class="fn">U{n}</b><div class="comment-content"><p>{"word " * 40}</p></div></article>'
        + (
            f'<ol class="children"><li id="comment-{n}0000">'
            '<div class="comment-content">r</div></li></ol>'
            if n % 3 == 0
            else ""
        )
        + "</li>"
        for n in range(1, 5001)
    )
    page = (
        f'<html><body>{"<p>filler</p>" * 20000}<ol class="comment-list">{items}</ol></body></html>'
    )
    started = time.monotonic()
    thread = extract_comments(page, URL)
    assert time.monotonic() - started < 30
    assert_valid(thread)
    assert thread["found_count"] == 5000 + 5000 // 3


_TAGS = st.sampled_from(["li", "div", "ol", "article", "p", "span", "cite", "time"])
_IDS = st.one_of(
    st.integers(0, 30).map(lambda n: f"comment-{n}"),
    st.integers(0, 30).map(lambda n: f"li-comment-{n}"),
    st.tuples(st.integers(0, 30), st.integers(0, 30)).map(lambda t: f"wc-comm-{t[0]}_{t[1]}"),
    st.tuples(st.integers(0, 30), st.integers(0, 30)).map(lambda t: f"wpd-comm-{t[0]}_{t[1]}"),
    st.just("respond"),
    # forum engines: post ids and the markers their detection reads
    st.integers(0, 30).map(lambda n: f"p{n}"),
    st.integers(0, 30).map(lambda n: f"post_{n}"),
    st.integers(0, 30).map(lambda n: f"post_message_{n}"),
    st.integers(0, 30).map(lambda n: f"js-post-{n}"),
    st.integers(0, 30).map(lambda n: f"msg{n}"),
    st.integers(0, 30).map(lambda n: f"pid_{n}"),
    st.integers(0, 30).map(lambda n: f"elComment_{n}"),
    st.integers(0, 30).map(lambda n: f"Comment_{n}"),
    st.integers(0, 30).map(lambda n: f"Discussion_{n}"),
    st.sampled_from(["phpbb", "forumposts", "punviewtopic"]),
    st.text(max_size=5),
)
_CLASSES = st.sampled_from(
    [
        "",
        "comment-list",
        "children",
        "comment-content",
        "fn",
        "reply",
        "says",
        "wc-comment-text",
        "commentlist",
        "fb-comments",
        "postprofile",
        "content",
        "message--post",
        "bbWrapper",
        "blockpost",
        "postmsg",
        "post_body",
        "inner",
        "cPost",
        "ipsEntry--post",
        "ItemComment",
        "Message",
        "comment",
        "comment-anchor",
        "comment-body",
        "more-comments",
    ]
)


@st.composite
def _markup(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        tag = draw(_TAGS)
        ident = draw(_IDS)
        cls = draw(_CLASSES)
        text = draw(st.text(max_size=12))
        role = ' data-role="commentContent"' if draw(st.booleans()) else ""
        parts.append(f'<{tag} id="{ident}" class="{cls}"{role}>{text}')
        if draw(st.booleans()):
            parts.append(f"</{tag}>")
    return "".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_markup(), st.text(max_size=200)), st.booleans())
def test_property_never_raises_and_is_consistent(page: str, substack: bool) -> None:
    if substack:  # the Substack row reads only pages its script serves
        page = '<script src="https://substackcdn.com/x.js"></script>' + page
    assert_valid(extract_comments(page, URL))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=20))
def test_property_rest_parents(pairs: list[tuple[int, int]]) -> None:
    thread = from_rest([[{"id": i, "parent": p} for i, p in pairs]], None)
    assert_valid(thread)
