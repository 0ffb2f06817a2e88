"""Teaser link lists and fact boxes are removed before extraction; menus and prose lists stay."""

from __future__ import annotations

from lxml import html

from crawler.extract import extract_article
from crawler.extract.prune import prepared

PAGE = """<html><body><article>
<p>The library reopens on Monday after two years of renovation work.</p>
<ul id="teasers">
  <li><a href="/a">Town council approves the new budget for school repairs</a></li>
  <li><a href="/b">Five walks along the river that are worth the early start</a></li>
</ul>
<ul id="menu"><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul>
<ul id="facts"><li>Opened in 1911 and extended twice since then</li>
  <li>Holds <a href="/c">about 80,000 books</a> and a small map room</li></ul>
<div class="article-factbox"><p>Opening hours: 9 to 18</p></div>
</article></body></html>"""


def test_teaser_lists_and_fact_boxes_are_removed() -> None:
    tree = html.document_fromstring(PAGE)
    with prepared(tree) as (page, drop):
        assert drop is not None
        dropped = page.xpath(drop)
        assert page.xpath("//*[@id='teasers']")[0] in dropped
        assert page.xpath("//*[contains(@class, 'factbox')]")[0] in dropped
        assert page.xpath("//*[@id='menu']")[0] not in dropped
        assert page.xpath("//*[@id='facts']")[0] not in dropped
    assert not tree.xpath(drop), "the input tree is left alone"


def test_hidden_microdata_blocks_are_removed_and_the_body_kept() -> None:
    paragraphs = [
        "The ferry to the island runs again from Monday after the winter break.",
        "Tickets are sold on board, and bicycles travel free until the end of May.",
        "The first crossing leaves the harbour at seven, the last returns at nine.",
    ]
    page = (
        "<html><body><article><h1>Island ferry runs again</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + '<div style="display: none" itemscope itemtype="http://schema.org/NewsArticle">'
        '<div itemprop="datePublished">2026-03-02T07:00:00+01:00</div>'
        '<div itemprop="keywords">ferry,island,harbour timetables</div>'
        '<div itemprop="url">https://news.example.com/2026/03/02/ferry/</div></div>'
        '<div hidden itemscope itemtype="http://schema.org/Organization">'
        '<span itemprop="name">Example News Media Group</span></div>'
        '<div style="display:none"><p>Not microdata: left to the extractor.</p></div>'
        "</article></body></html>"
    )
    tree = html.document_fromstring(page)
    with prepared(tree) as (out, drop):
        assert drop is not None
        assert [e.get("itemtype") for e in out.xpath(drop)] == [
            "http://schema.org/NewsArticle", "http://schema.org/Organization",
        ]  # fmt: skip
    text = str(extract_article(page, "https://news.example.com/2026/03/02/ferry/")["text"])
    assert all(p in text for p in paragraphs)
    for value in ("2026-03-02T07:00", "harbour timetables", "https://", "Media Group"):
        assert value not in text


def test_collapsed_faq_answers_are_revealed() -> None:
    tree = html.document_fromstring(
        "<html><body><article><p>Intro text.</p><div class='faq-list'>"
        "<h3>Is parking free?</h3><div class='answer is-hidden' style='display:none'"
        " aria-hidden='true'><p>Yes, after six in the evening.</p></div></div>"
        "<div style='display:none'><p>Outside any collapsible.</p></div></article></body></html>"
    )
    with prepared(tree) as (out, _drop):
        assert out is not tree, "revealed on a copy"
        answer = out.xpath("//div[contains(@class, 'answer')]")[0]
        assert answer.get("style") is None
        assert answer.get("aria-hidden") is None
        assert "hidden" not in (answer.get("class") or "")
        assert out.xpath("//div[@style='display:none']"), "hidden elements elsewhere stay hidden"
    assert tree.xpath("//div[@aria-hidden='true']"), "the input tree is left alone"


def test_prepared_marks_for_the_extractor_and_leaves_the_tree_as_it_was() -> None:
    tree = html.document_fromstring(PAGE)
    before = html.tostring(tree)
    with prepared(tree) as (page, drop):
        assert page is tree, "no copy without collapsibles"
        assert drop is not None
        assert [e.get("id") or e.get("class") for e in page.xpath(drop)] == [
            "teasers", "article-factbox",
        ]  # fmt: skip
    assert html.tostring(tree) == before


def test_the_extractor_drops_what_the_xpath_selects_on_its_own_copy() -> None:
    from crawler.extract.body import run_trafilatura

    paragraph = "The reading rooms were repainted and the roof was mended over two years. "
    tree = html.document_fromstring(
        "<html><body><article><h1>Library reopens</h1>"
        f"<p>{paragraph * 3}</p><p data-drop=''>{'The boxed aside goes. ' * 12}</p>"
        f"<p>{paragraph * 2}</p></article></body></html>"
    )
    before = html.tostring(tree)
    kept = run_trafilatura(tree, "https://news.example.com/library/", tree)
    dropped = run_trafilatura(tree, "https://news.example.com/library/", tree, "//*[@data-drop]")
    assert any("boxed aside" in line for line in kept.paragraphs)
    assert not any("boxed aside" in line for line in dropped.paragraphs)
    assert any("reading rooms" in line for line in dropped.paragraphs)
    assert html.tostring(tree) == before
