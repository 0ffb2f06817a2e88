"""Teaser link lists and fact boxes are removed before extraction; menus and prose lists stay."""

from __future__ import annotations

from lxml import html

from crawler.extract import extract_article
from crawler.extract.prune import merge_chunks, prepared, shield, skip_decoys

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


FERRY = [
    "The harbour authority opened the new ferry terminal on Saturday morning, two years after"
    " the old building was closed for repairs.",
    "Passengers can now buy tickets at six counters instead of two, and the waiting hall has"
    " room for four hundred people at once.",
    "The terminal also has a covered bicycle park, which the cycling club had asked for since"
    " the first plans were shown in public.",
    "Work on the second pier begins in the spring and should be finished before the summer"
    " timetable starts at the end of June.",
]
MASTHEAD = (
    "<div class='masthead'>"
    + " ".join(f"<a href='/s{i}'>Section {i}</a>" for i in range(12))
    + "</div>"
)
#: A footer whose own text, once the article is gone, is long enough to be taken for it.
IMPRINT = (
    "<div class='site-info'>"
    + "".join(
        f"<p>Imprint line {i}: Example Harbour News, 1 Quay Street, Newtown, editorial office"
        " and advertising department.</p>"
        for i in range(3)
    )
    + "</div>"
)
#: The same in short lines (paragraphs under the length that counts as article text).
SHORT_IMPRINT = (
    "<div class='site-info'>"
    + "".join(
        f"<p>Imprint line {i}: Example Harbour News, 1 Quay Street, Newtown.</p>" for i in range(8)
    )
    + "</div>"
)
SIDEBAR = "<p>Most read: council budget, river walks, school repairs, the weekend weather.</p>"


def _page(article: str, imprint: str = IMPRINT) -> str:
    return (
        "<html><head><title>New ferry terminal opens</title></head><body>"
        f"{MASTHEAD}{article}{imprint}</body></html>"
    )


def test_an_article_container_named_like_a_sidebar_keeps_its_text() -> None:
    # "has-sidebar" contains "sidebar": trafilatura drops the whole layout, article and all,
    # and returns the imprint instead
    page = _page(
        "<div class='layout has-sidebar'><div class='col'><h1>New ferry terminal opens</h1>"
        + "".join(f"<p>{p}</p>" for p in FERRY)
        + f"</div><div class='sidebar'>{SIDEBAR}</div></div>"
    )
    text = str(extract_article(page, "https://news.example.com/2026/ferry")["text"])
    assert all(p in text for p in FERRY)
    assert "Most read" not in text, "the real sidebar still goes"


def test_the_article_split_over_page_builder_widgets_is_kept_whole() -> None:
    def widget(element: str, body: str) -> str:
        return (
            f"<div class='builder-element builder-element-{element} builder-widget"
            f" builder-widget-text-editor'><div class='builder-widget-container'>{body}</div></div>"
        )

    # the first widget holds most of the text; the others are of its kind, in other columns
    page = _page(
        "<div class='builder-section'><h1>New ferry terminal opens</h1>"
        + widget("a1", "".join(f"<p>{p}</p>" for p in FERRY[:2]))
        + "</div><div class='builder-section'><div class='builder-column'>"
        + widget("b2", f"<p>{FERRY[2]}</p>")
        + "</div></div><div class='builder-section'><div class='builder-column'>"
        + widget("c3", f"<p>{FERRY[3]}</p>")
        + f"</div><div class='builder-widget widget_recent_posts'>{SIDEBAR}</div></div>",
        SHORT_IMPRINT,
    )
    text = str(extract_article(page, "https://news.example.com/2026/ferry")["text"])
    assert all(p in text for p in FERRY)
    assert "Most read" not in text


def test_builder_widgets_marked_first_and_last_are_of_one_kind() -> None:
    # "panel-first-child" / "panel-last-child" only say where each panel sits: the intro
    # panel is of the main panel's kind and stays with it
    def panel(place: str, body: str) -> str:
        return f"<div class='so-panel widget widget_editor panel-{place}-child'>{body}</div>"

    page = _page(
        "<main><h1>New ferry terminal opens</h1><div class='panel-grid-cell'>"
        + panel("first", f"<p>{FERRY[0]}</p>")
        + panel("last", "".join(f"<p>{p}</p>" for p in FERRY[1:]))
        + f"</div></main><div class='widget widget_recent_posts'>{SIDEBAR}</div>",
        SHORT_IMPRINT,
    )
    text = str(extract_article(page, "https://news.example.com/2026/ferry")["text"])
    assert all(p in text for p in FERRY)
    assert "Most read" not in text


def test_shielded_classes_lose_only_the_boilerplate_words_and_come_back() -> None:
    page = _page(
        "<div class='layout has-sidebar' id='content-sidebar-wrap'><div class='entry'>"
        + "".join(f"<p>{p}</p>" for p in FERRY)
        + f"</div></div><div class='sidebar'>{SIDEBAR}</div>"
    )
    tree = html.document_fromstring(page)
    before = html.tostring(tree)
    with prepared(tree) as (out, _drop):
        layout = out.xpath("//div[h1 or div[@class='entry']]")[0]
        assert layout.get("class") == "layout has-x"
        assert layout.get("id") == "content-x-wrap"
        assert out.xpath("//div[@class='sidebar']"), "a block without the article is left alone"
    assert html.tostring(tree) == before


def test_pages_without_article_paragraphs_are_not_shielded() -> None:
    tree = html.document_fromstring(_page("<div class='has-sidebar'><p>Short.</p></div>"))
    assert shield(tree) == []


def _chunked(chunks: list[str], tail: str = "") -> str:
    """An article whose body is split into ``article__body`` chunks around ad slots."""
    ad = "<div class='ad-slot'><p>Advertisement</p></div>"
    body = ad.join(f"<div class='grid'><div class='article__body'>{c}</div></div>" for c in chunks)
    return _page(
        f"<article class='story'><h1>New ferry terminal opens</h1><div class='chunks'>{body}"
        f"</div></article>{tail}",
        SHORT_IMPRINT,
    )


def test_an_article_body_split_into_chunks_is_read_whole_and_in_order() -> None:
    # trafilatura reads the first element its body selector matches: the first chunk only
    # (long enough here not to look short for the page)
    first = "".join(f"<p>{p} {p}</p>" for p in FERRY[:2])
    page = _chunked([first, f"<p>{FERRY[2]}</p>", f"<p>{FERRY[3]}</p>"])
    text = str(extract_article(page, "https://news.example.com/2026/ferry")["text"])
    positions = [text.find(p) for p in FERRY]
    assert -1 not in positions, text
    assert positions == sorted(positions)
    assert "Advertisement" not in text


def test_chunk_merging_leaves_the_tree_as_it_was() -> None:
    tree = html.document_fromstring(_chunked([f"<p>{FERRY[0]}</p>", f"<p>{FERRY[1]}</p>"]))
    before = html.tostring(tree)
    with prepared(tree) as (out, _drop):
        first, second = out.xpath("//div[@class='article__body']")
        assert len(first) == 2 and len(second) == 0, "the second chunk's paragraph moved"
    assert html.tostring(tree) == before


def test_the_next_story_of_an_endless_page_is_not_merged() -> None:
    # the same markup in another <article>: another story, not a chunk of this one
    other = (
        "<article class='story'><h2>Council approves the budget</h2><div class='chunks'>"
        "<div class='grid'><div class='article__body'><p>The town council approved the budget"
        " for next year on Thursday evening after a debate that lasted almost four hours in"
        " the old town hall.</p></div></div></div></article>"
    )
    page = _chunked([f"<p>{p}</p>" for p in FERRY], other)
    tree = html.document_fromstring(page)
    moved = merge_chunks(tree)
    assert len(moved) == 3, "this story's own chunks are merged"
    assert all("council" not in chunk.getparent().getparent().text_content() for chunk, _ in moved)
    text = str(extract_article(page, "https://news.example.com/2026/ferry")["text"])
    assert all(p in text for p in FERRY)
    assert "council approved" not in text


def test_a_recurring_class_that_holds_little_of_the_page_is_not_merged() -> None:
    # an intro and a closing note share a body class; the article between them does not
    page = _page(
        "<article><h1>New ferry terminal opens</h1>"
        f"<div class='entry-content'><p>{FERRY[0]}</p></div>"
        + "".join(f"<div class='brand'><p>{p} {p}</p></div>" for p in FERRY[1:])
        + f"<div class='entry-content'><p>{FERRY[3]}</p></div></article>",
        SHORT_IMPRINT,
    )
    assert merge_chunks(html.document_fromstring(page)) == []


def test_an_accordion_named_like_boilerplate_is_revealed_and_kept() -> None:
    # "accordion-icon-style-arrow" contains "icon", for which trafilatura drops a block
    # whole; this one holds too little of the article for the container shield to cover it
    pane = (
        "<div class='accordion-pane'><h3>What comes next</h3><div class='accordion-panel"
        f" accordion-panel-hidden' style='display:none'><p>{FERRY[3]}</p></div></div>"
    )
    page = _page(
        "<article><h1>New ferry terminal opens</h1>"
        + "".join(f"<p>{p} {p}</p>" for p in FERRY[:3])
        + f"<div class='accordion-wrap accordion-icon-style-arrow'>{pane}</div></article>",
        SHORT_IMPRINT,
    )
    text = str(extract_article(page, "https://news.example.com/2026/ferry")["text"])
    assert all(p in text for p in FERRY), text


def _with_cards(cards_first: bool) -> str:
    """An article of no body class, its subheadings in spans, beside teaser cards that
    trafilatura's first body selector matches (``article.post``)."""
    cards = "".join(
        f"<article class='post'><h3><a href='/more/{i}'>Harbour walk number {i}</a></h3>"
        f"<p>Along the quay in {i} short steps.</p></article>"
        for i in range(3)
    )
    story = (
        "<article id='story-42'><h1>New ferry terminal opens</h1><span class='rich-text'>"
        + "".join(
            f"<h2><span style='font-size: 24px'>Part {n} of the plan</span></h2><p>{p} {p}</p>"
            for n, p in enumerate(FERRY, start=1)
        )
        + "</span></article>"
    )
    return _page(cards + story if cards_first else story + cards, SHORT_IMPRINT)


def test_teaser_cards_the_body_selector_matches_do_not_hide_the_article() -> None:
    # trafilatura read the first card, found too little and fell back to a reading of the
    # whole page without the subheadings
    for cards_first in (True, False):
        text = str(extract_article(_with_cards(cards_first), "https://news.example.com/f")["text"])
        assert all(p in text for p in FERRY), text
        assert all(f"Part {n} of the plan" in text for n in range(1, 5)), text


def test_decoys_lose_their_body_words_while_read_and_get_them_back() -> None:
    tree = html.document_fromstring(_with_cards(True))
    before = html.tostring(tree)
    with prepared(tree) as (out, _drop):
        assert out.xpath("//article[@class='post']") == []
        assert len(out.xpath("//div[@class='x']")) == 3
    assert html.tostring(tree) == before
    assert skip_decoys(html.document_fromstring(_page(f"<p>{FERRY[0]}</p>"))) == []


def test_a_small_first_chunk_of_a_split_body_is_not_a_decoy() -> None:
    page = _chunked([f"<p>{FERRY[0][:40]}</p>", "".join(f"<p>{p}</p>" for p in FERRY)])
    assert skip_decoys(html.document_fromstring(page)) == []


def test_a_shielded_decoy_gets_its_own_class_back() -> None:
    # a view counter and the article share a builder's class words, "widget" among them:
    # both are shielded, then the counter is passed over as a decoy; both come undone
    page = _page(
        "<div class='builder'><div class='entry-content widget-1'>1,204 views</div>"
        "<div class='entry-content widget-2'>"
        + "".join(f"<p>{p} {p}</p>" for p in FERRY)
        + "</div></div>",
        SHORT_IMPRINT,
    )
    tree = html.document_fromstring(page)
    before = html.tostring(tree)
    with prepared(tree) as (out, _drop):
        assert out.xpath("//div[@class='entry-content widget-1']") == []
    assert html.tostring(tree) == before
