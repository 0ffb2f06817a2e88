"""extract_article never raises and always returns the full record."""

from __future__ import annotations

import os
import time
from html import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.extract import EXTRACTOR_NAME, extract_article, extractor_versions
from tests.comments.test_forums import ENGINES, thread_page
from tests.extract.pages import URL, page

TYPES: dict[str, tuple[type, ...]] = {
    "title": (str, type(None)),
    "authors": (list,),
    "published": (str, type(None)),
    "modified": (str, type(None)),
    "language": (str, type(None)),
    "description": (str, type(None)),
    "section": (str, type(None)),
    "tags": (list,),
    "canonical_url": (str, type(None)),
    "image": (str, type(None)),
    "text": (str,),
    "word_count": (int,),
    "extraction_status": (str,),
}


def check(record: dict[str, object]) -> None:
    """The record has exactly the API keys with the API types."""
    assert set(record) == set(TYPES)
    for key, types in TYPES.items():
        assert isinstance(record[key], types), key
    for key in ("authors", "tags"):
        value = record[key]
        assert isinstance(value, list)
        assert all(isinstance(item, str) for item in value)


def test_versions() -> None:
    versions = extractor_versions()
    assert EXTRACTOR_NAME in versions
    assert "trafilatura" in versions


def test_empty_input() -> None:
    for html in ("", "   ", "\n"):
        record = extract_article(html, URL)
        check(record)
        assert record["extraction_status"] == "empty_body"


def test_binary_junk_decoded_as_latin1() -> None:
    junk = bytes(range(256)).decode("latin-1") * 200 + os.urandom(4000).decode("latin-1")
    record = extract_article(junk, URL)
    check(record)
    assert record["extraction_status"] == "not_html"


def test_plain_text_is_not_html() -> None:
    record = extract_article("just some words, no markup at all", URL)
    check(record)
    assert record["extraction_status"] == "not_html"


def test_broken_html_and_jsonld() -> None:
    html = page(jsonld='{"@graph": [{"@type": "NewsArticle", "author": {"@id": 5}},,]}')
    for broken in (html[: len(html) // 2], html.replace(">", ""), "<html><body><p>hi"):
        check(extract_article(broken, URL))


def test_deep_nesting() -> None:
    html = "<html><body>" + "<div>" * 10_000 + "deep" + "</div>" * 10_000 + "</body></html>"
    started = time.perf_counter()
    record = extract_article(html, URL)
    check(record)
    assert time.perf_counter() - started < 30


def test_huge_page_is_capped() -> None:
    html = page() + "<p>" + "x " * 25_000_000 + "</p>"
    started = time.perf_counter()
    record = extract_article(html, URL)
    check(record)
    assert record["extraction_status"] == "too_large"
    assert time.perf_counter() - started < 5


def test_mojibake_and_odd_url() -> None:
    html = page().encode("utf-8").decode("latin-1")
    check(extract_article(html, "not a url"))
    check(extract_article(page(), ""))


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.text(alphabet=st.sampled_from(list("<>/=\"' abcdiphtmlscrp{}[]:,")), max_size=300),
        st.builds(lambda a, b: page(head=a, byline=b), st.text(max_size=80), st.text(max_size=80)),
    ),
    st.text(max_size=40),
)
def test_never_raises(html: str, url: str) -> None:
    check(extract_article(html, url))


def test_too_deep_counts_levels_from_the_root() -> None:
    from lxml import html

    from crawler.extract.document import MAX_DEPTH, too_deep

    parser = html.HTMLParser(huge_tree=True)  # our own parser caps nesting below MAX_DEPTH
    for divs, expected in ((MAX_DEPTH - 2, False), (MAX_DEPTH - 1, True)):  # + html, body
        source = "<html><body>" + "<div>" * divs + "x" + "</div>" * divs + "</body></html>"
        assert too_deep(html.document_fromstring(source, parser=parser)) is expected


def test_content_after_the_closing_html_tag_is_extracted() -> None:
    """A second <html> after the first (pasted templates) parses as a sibling root; the
    article in it is still found, and its comment thread too."""
    from crawler.comments import extract_comments

    paragraphs = "".join(
        f"<p>Paragraph {n} of the harbour report says the ferry timetable changes in spring"
        f" and the quay is rebuilt with stone from the old lighthouse, number {n}.</p>"
        for n in range(8)
    )
    comments = "".join(
        f'<li id="comment-{n}" class="comment"><article id="div-comment-{n}" class="comment-body">'
        f'<footer><b class="fn">Reader {n}</b></footer><div class="comment-content">'
        f"<p>Comment {n} on the quay.</p></div></article></li>"
        for n in (1, 2)
    )
    source = (
        "<html><head><title>Harbour news</title></head><body><nav>Home</nav></body></html>"
        f"<html><body><article><h1>Quay rebuilt</h1>{paragraphs}</article>"
        f'<div id="comments"><ol class="comment-list">{comments}</ol></div></body></html>'
    )
    record = extract_article(source, URL)
    assert "Paragraph 0 of the harbour report" in str(record["text"])
    assert "Paragraph 7 of the harbour report" in str(record["text"])
    thread = extract_comments(source, URL)
    assert thread["found_count"] == 2


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_control_characters_are_counted_as_the_pattern_finds_them(text: str) -> None:
    from crawler.extract.document import _CONTROL, control_count

    assert control_count(text) == len(_CONTROL.findall(text))


def test_control_count_on_mixed_text() -> None:
    from crawler.extract.document import control_count

    assert control_count("a\x00b\tc\x1f\x7f\u00e9\ud800\U0001f600\n\x0e") == 4


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(sorted(ENGINES)),
    st.lists(st.tuples(st.text(max_size=12), st.text(max_size=60)), max_size=5),
    st.booleans(),
)
def test_forum_pages_with_any_posts_never_raise(
    engine: str, posts: list[tuple[str, str]], later: bool
) -> None:
    rows = [(str(100 + n), escape(name), "2024-03-01T10:00:00+00:00", escape(text))
            for n, (name, text) in enumerate(posts)]  # fmt: skip
    head = '<link rel="prev" href="/t/1">' if later else ""
    record = extract_article(thread_page(engine, rows, head), "https://forum.example/t/1/")
    check(record)
    assert isinstance(record["text"], str)
