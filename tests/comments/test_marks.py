"""PageMarks answers every detection query exactly as XPath would, with or without the raw HTML."""

from __future__ import annotations

import pytest
from lxml import etree

from crawler.comments.dom import parse
from crawler.comments.marks import PageMarks
from crawler.comments.platforms import CLOSED_XPATH, FORM_XPATH, PLATFORMS
from tests.comments.test_comments_platforms import (
    JS_ONLY,
    WPDISCUZ,
    _page,
    old_reddit_page,
    stack_exchange_page,
    substack_page,
)
from tests.comments.test_forums import ENGINES, POSTS, thread_page

EXPRESSIONS = [x for p in PLATFORMS for x in p.detect_xpath] + [FORM_XPATH, CLOSED_XPATH] + [
    "//ol[@data-x or starts-with(@id, 'c-')]",
    "//section[local-name()='section']",
    "//*[local-name()='vf-conversations']",
    "//li[contains(@class, 'comment')]",  # outside the grammar: run as XPath
    "//div[contains(@src, 'giscus.app/')]",  # a script address test on another tag: XPath
    "//script[@async or contains(@src, 'giscus.app/')]",  # mixed with another test: XPath
]  # fmt: skip
PAGES = [
    *(_page(body) for body in JS_ONLY.values()),
    WPDISCUZ,
    _page('<ol class="comment-list x"><li id="li-comment-3"><div id="div-comment-3">A</div>'
          "</li></ol><p class='nocomments'>Closed</p>"),
    _page('<ol data-x="1" id="c-1"><li class="comment\tbyuser">B</li></ol>'
          '<div class="td-comments"><FORM ID="commentform"></FORM></div>'),
    _page('<OL CLASS="commentlist"><LI ID="comment-9">C</LI></OL>'
          "<p>id=&quot;disqus_thread&quot; data-viafoura</p>"),
    _page("<section><p class='comments-closed'>No</p><Vf-Conversations/></section>"),
    _page('<div class="topic-body crawler-post">D</div>'),
    # embeds as a browser leaves them (what an archive of a rendered page holds)
    _page('<div class="giscus"><iframe class="giscus-frame"></iframe></div><div class='
          '"utterances"><iframe></iframe></div><div id="idc-container"></div>'
          '<div id="hyvor-talk-view" src="https://giscus.app/x"></div>'
          '<SCRIPT SRC="/js/app.js"></SCRIPT><script>var src = "vuukle.com/";</script>'),
    *(thread_page(engine, POSTS) for engine in ENGINES),
    old_reddit_page(),
    stack_exchange_page(),
    substack_page(),
    # names in capitals beside text whose Unicode lower-casing differs from ASCII's
    _page('<DIV DATA-VIAFOURA="1">İstanbul \u212aelvin Straße</DIV><Fb:Comments/>'),
]  # fmt: skip


@pytest.mark.parametrize("source", PAGES)
def test_marks_answer_as_xpath_does(source: str) -> None:
    doc = parse(source)
    with_raw, without_raw = PageMarks(doc, source), PageMarks(doc)
    for expression in EXPRESSIONS:
        expected = bool(etree.XPath(f"boolean({expression})")(doc))
        assert with_raw.matches(expression) is expected, expression
        assert without_raw.matches(expression) is expected, expression


def test_every_answer_differs_on_some_page() -> None:
    answers = {x: {PageMarks(parse(p), p).matches(x) for p in PAGES} for x in EXPRESSIONS}
    assert [x for x, seen in answers.items() if seen != {True, False}] == []
