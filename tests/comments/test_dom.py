"""The selector matching that reads a comment's author, date and text."""

from __future__ import annotations

from crawler.comments.dom import Candidates, own_elements, parse, selector


def _candidates(body: str) -> tuple[Candidates, object]:
    doc = parse(f"<html><body><div id='c'>{body}</div></body></html>")
    scope = doc.get_element_by_id("c")
    return Candidates(list(own_elements(scope, lambda e: False))), scope


def _brute_force(candidates: Candidates, selectors: tuple[str, ...], scope: object) -> object:
    """The answer by testing every element against every selector in order."""
    for text in selectors:
        for el in candidates.elements:
            if selector(text).matches(el, scope):
                return el
    return None


def test_earliest_selector_wins_then_document_order() -> None:
    found, scope = _candidates(
        "<span class='fn'>first fn</span><p class='meta'><cite class='fn x'>cite fn</cite></p>"
        "<p itemprop='text'>body</p><b class='fn'>bold</b>"
    )
    cases = [
        ("cite.fn", ".fn"),
        (".fn",),
        (".meta .fn",),
        ("b.fn", "cite"),
        ("[itemprop=text]",),
        (".x.fn",),
        ("cite strong", ".missing"),
        ("#c",),
    ]
    for selectors in cases:
        assert found.first_match(selectors, scope) is _brute_force(found, selectors, scope)
    assert found.first_match(("cite.fn", ".fn"), scope).text == "cite fn"
    assert found.first_match((".fn",), scope).text == "first fn"
    assert found.first_match(("[itemprop=text]",), scope).text == "body"
    assert found.first_match(("cite strong", ".missing"), scope) is None


def test_ancestor_outside_the_scope_does_not_count() -> None:
    doc = parse(
        "<html><body><div class='meta'><div id='c'><a class='fn'>x</a></div></div></body></html>"
    )
    scope = doc.get_element_by_id("c")
    found = Candidates(list(own_elements(scope, lambda e: False)))
    assert found.first_match((".meta .fn",), scope) is None
    assert found.first_match((".fn",), scope).text == "x"


def test_attribute_prefix_test() -> None:
    found, scope = _candidates(
        "<div id='post_menu_7'>menu</div><div id='Post_Message_7'>body</div>"
        "<div data-x='post_message'>no id</div>"
    )
    assert found.first_match(("div[id^=post_message_]",), scope).text == "body"
    assert found.first_match(("div[id^=post_message_x]",), scope) is None
    assert found.first_match(("div[id=post_message_]",), scope) is None
    assert found.first_match(("div[id^=post_]",), scope).text == "menu"
    for selectors in (("div[id^=post_message_]",), ("[data-x^=post]",), ("div[id^=nope]",)):
        assert found.first_match(selectors, scope) is _brute_force(found, selectors, scope)
