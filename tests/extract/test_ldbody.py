"""JSON-LD ``articleBody``: replaces a partial body, filters extra paragraphs, or is ignored."""

from __future__ import annotations

import json

from lxml import html

from crawler.extract import extract_article
from crawler.extract.ldbody import clean_body, reconcile, steer

ARTICLE = [
    "The river rose by two metres overnight and the old bridge was closed at dawn.",
    "Engineers from the county inspected the pillars and found no structural damage.",
    "Traffic was sent through the northern ring road, adding half an hour to commutes.",
    "The council expects to reopen the bridge on Friday if the water level keeps falling.",
]
TEASERS = ["- Ten gardens worth visiting this spring in the valley and beyond"]


def test_longer_body_replaces_a_partial_extraction() -> None:
    assert reconcile(ARTICLE[:1], "\n".join(ARTICLE)) == ARTICLE


def test_extra_paragraphs_missing_from_the_body_are_dropped() -> None:
    found = [ARTICLE[0], ARTICLE[1], *TEASERS, ARTICLE[2], ARTICLE[3]]
    assert reconcile(found, " ".join(ARTICLE)) == ARTICLE


def test_lead_and_headings_are_kept() -> None:
    lead = "Floods: what commuters need to know this week about the closures and detours."
    found = [lead, ARTICLE[0], ARTICLE[1], "Detours", ARTICLE[2], ARTICLE[3]]
    assert reconcile(found, " ".join(ARTICLE)) == found


def test_teaser_body_and_repeated_body_are_ignored() -> None:
    assert reconcile(ARTICLE, ARTICLE[0][:40]) == ARTICLE
    assert reconcile(ARTICLE[:2], " ".join(ARTICLE[:2] * 3)) == ARTICLE[:2]
    assert reconcile(ARTICLE, None) == ARTICLE


def test_body_markup_and_double_escaped_entities() -> None:
    raw = "<p>Caf&amp;eacute; owners &amp;amp; staff</p><p>met on <b>Monday</b>.</p>"
    assert clean_body(raw) == ["Café owners & staff", "met on Monday."]


def test_microdata_body_filters_but_never_replaces() -> None:
    marked = "".join(f"<p>{p}</p>" for p in ARTICLE)
    tree = html.document_fromstring(
        f"<html><body><div itemprop='articleBody'>{marked}<script>x()</script></div></body></html>"
    )
    found = [ARTICLE[0], ARTICLE[1], *TEASERS, ARTICLE[2], ARTICLE[3]]
    assert steer(found, None, tree) == ARTICLE
    assert steer(ARTICLE[:1], None, tree) == ARTICLE[:1]


def test_a_body_is_the_text_where_the_extractor_found_none() -> None:
    assert reconcile([], "\n".join(ARTICLE)) == ARTICLE
    assert reconcile([], "\n".join(ARTICLE[:2] * 3)) == [], "a repetitive body is not taken"
    assert reconcile([], "\n".join(ARTICLE), replace=False) == [], "microdata never replaces"


def _next_page(*records: str) -> str:
    """A Next.js App Router page that sends its article only in its flight data."""
    scripts = "".join(
        f"<script>self.__next_f.push({json.dumps([1, record])})</script>" for record in records
    )
    return (
        "<!DOCTYPE html><html><head><title>Bridge closed | Example News</title></head><body>"
        '<main><div class="spinner"></div></main>'
        "<script>(self.__next_f=self.__next_f||[]).push([0])</script>"
        f"{scripts}</body></html>"
    )


def test_article_html_in_next_js_flight_text_record() -> None:
    fragment = "".join(f"<p>{p}</p>" for p in ARTICLE)
    size = len(fragment.encode("utf-8"))
    page = _next_page('1:"$Sreact.fragment"\n', f"2a:T{size:x},{fragment}", "3:null\n")
    record = extract_article(page, "https://news.example.com/bridge")
    assert record["extraction_status"] == "ok"
    assert record["text"] == "\n\n".join(ARTICLE)


def test_article_html_in_next_js_flight_json_string() -> None:
    props = {"dangerouslySetInnerHTML": {"__html": "".join(f"<p>{p}</p>" for p in ARTICLE)}}
    page = _next_page(f"4:{json.dumps(['$', 'div', None, props])}\n")
    record = extract_article(page, "https://news.example.com/bridge")
    assert record["text"] == "\n\n".join(ARTICLE)


def test_flight_data_without_article_html_changes_nothing() -> None:
    page = _next_page('1:"$Sreact.fragment"\n', "5:T10,<p>short</p>hello")
    assert extract_article(page, "https://news.example.com/bridge")["text"] == ""
