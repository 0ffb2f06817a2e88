"""Body text: paragraphs kept, comments and comment-form residue dropped."""

from __future__ import annotations

import pytest

from crawler.extract import body, extract_article
from crawler.fixture_site import FixtureSite
from tests.extract.pages import COMMENT_TEXT, PARAGRAPHS, RESIDUE, URL, page


def test_body_is_the_paragraphs() -> None:
    record = extract_article(page(), URL)
    assert record["text"] == "\n\n".join(PARAGRAPHS)
    assert record["word_count"] == sum(len(p.split()) for p in PARAGRAPHS)
    assert record["extraction_status"] == "ok"


def test_no_comments_or_form_residue_in_body() -> None:
    text = str(extract_article(page(), URL)["text"])
    assert COMMENT_TEXT not in text
    for line in RESIDUE:
        assert line not in text


def test_residue_lines_inside_content_are_dropped() -> None:
    html = page(comments=False).replace(
        "</div></article>", "<p>Please enter your comment!</p><p>Share this:</p></div></article>"
    )
    text = str(extract_article(html, URL)["text"])
    assert text == "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize("heading", ["Join our commenting forum", "Join the conversation"])
def test_comment_invitation_ends_the_body(heading: str) -> None:
    invitation = f"<p>{heading}</p><p>Join thought-provoking conversations with other readers</p>"
    html = page(comments=False).replace("</div></article>", invitation + "</div></article>")
    assert str(extract_article(html, URL)["text"]) == "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize("kind", ["wordpress", "tagdiv"])
def test_fixture_site_articles(kind: str) -> None:
    site = FixtureSite(kind=kind, articles=10, seed=1)  # type: ignore[arg-type]
    for article in site.model.articles[:5]:
        body = site.router.route(article.path).body
        record = extract_article(body.decode("utf-8"), "http://127.0.0.1:8000" + article.path)
        assert record["title"] == article.title
        assert record["authors"] == article.authors
        assert record["published"] == article.published.isoformat()
        assert record["text"] == "\n\n".join(article.paragraphs)
        for comment in article.comments:
            assert comment.text not in str(record["text"])


def test_recall_pass_is_kept_only_when_much_longer_and_not_repetitive() -> None:
    short = "One paragraph about the harbour works and their cost to the town."
    longer = (
        f"{short} Dredging starts in March once the permits arrive. The ferry keeps running"
        " on a reduced timetable. Fishermen asked for a second slipway near the lighthouse,"
        " and the mayor promised an answer before summer."
    )
    gallery = short + " Photo caption of the quay at night." * 9
    assert body._better_recall(short, longer) == longer
    assert body._better_recall(short, gallery) == short
    assert body._better_recall(longer, short) == longer


@pytest.mark.parametrize(
    "line",
    [
        "Related: Ten quiet beaches for an autumn weekend",
        "You may also like...",
        "(Reporting by Jane Roe; Editing by John Doe)",
        "Associated Press writer Sam Poe in Lisbon contributed to this report.",
        "If you buy something through this post, we may earn a commission.",
        "Thanks for signing up!",
        "Follow the Gazette on Facebook, Twitter and Instagram.",
        "Tempo de leitura: 2 minutos",
    ],
)
def test_promotion_and_credit_lines_are_residue(line: str) -> None:
    assert body.is_residue(line)


@pytest.mark.parametrize(
    "line",
    [
        "Related research had pointed the other way for a decade.",
        "Reporting by local papers slowed after the strike began in March, he said.",
        "The museum will follow the plan on Facebook's advice, officials said on Monday.",
    ],
)
def test_article_sentences_are_not_residue(line: str) -> None:
    assert not body.is_residue(line)


def test_long_repeated_lines_are_dropped_once_seen() -> None:
    long_line = "The harbour master said the new quay would open in spring once the cranes left."
    text = "\n".join(["Intro", long_line, "Intro", long_line, "Outro"])
    assert body.clean_lines(text) == ["Intro", long_line, "Intro", "Outro"]


@pytest.mark.parametrize(
    "line",
    [
        "Write to Sam Roe at sam.roe@example.com",
        "Updated at 1:23 p.m.",
        "- Published 18 November 2019",
        "Order Reprints",
    ],
)
def test_contact_and_stamp_lines_are_residue(line: str) -> None:
    assert body.is_residue(line)


def test_comment_sections_do_not_count_as_page_text() -> None:
    from lxml import html

    article = "<p>" + "Article words here. " * 10 + "</p>"
    thread = '<ol class="comment-list">' + "<li><p>" + "Reader words. " * 20 + "</p></li>" * 5
    with_thread = f"<html><body><article>{article}</article>{thread}</ol></body></html>"
    without = f"<html><body><article>{article}</article><aside>{article * 3}</aside></body></html>"
    length = len(" ".join(("Article words here. " * 10).split()))
    for source, short in ((with_thread, False), (without, True)):
        tree = html.document_fromstring(source)
        # the page's HTML (which lets a page without comment markup skip the thread query)
        # changes nothing in the answer
        assert body.short_for_page(length, tree) is short
        assert body.short_for_page(length, tree, source) is short


def test_an_author_box_in_the_second_half_ends_the_body() -> None:
    story = [f"Paragraph {n} of the story about the harbour works." for n in range(4)]
    box = ["About the Author", "Sam Roe writes about harbours for the Coast Gazette."]
    assert body.clean_lines("\n".join([*story, *box])) == story
    # near the top it heads the article's own text (a profile of the author): kept
    profile = ["About the author", *story]
    assert body.clean_lines("\n".join(profile)) == profile


def test_comment_sections_are_the_named_containers() -> None:
    from lxml import html

    tree = html.document_fromstring(
        "<html><body><div id='comments'><p>a</p></div><section id='respond'><p>b</p></section>"
        "<ul class='x comment-list'><li>c</li></ul><ol class='commentlist'><li>d</li></ol>"
        "<div class='comments-area'><div class='wpd-thread'><p>e</p></div></div>"
        "<div class='td-comments'>f</div><div class='comment-respond'>g</div>"
        "<div class='comment'>not a section</div><span class='comments-area'>nor this</span>"
        "<p class='comment-body'>nor this</p></body></html>"
    )
    found = body.comment_sections(tree)
    assert sorted(e.text_content() for e in found) == ["a", "b", "c", "d", "e", "e", "f", "g"]
    assert len(found) == len(set(found)) == 8


def test_cued_residue_lines_are_dropped_in_a_body() -> None:
    """Lines matched by the cued patterns (their words may be anywhere in the line) go, in
    a body as on their own; lines of the same body without the cue words stay."""
    residue = [
        "This post contains affiliate links and we may earn a commission on purchases.",
        "Reuters contributed reporting from Lisbon.",
        "Get the Gazette's morning briefing delivered to your inbox.",
        "Externe Inhalte: Sie können Ihre Privatsphäre-Einstellungen jederzeit ändern.",
    ]
    story = [
        "The council may earn more from parking than it planned, the report said.",
        "Residents could get a say on the plan next spring.",
    ]
    for line in residue:
        assert body.is_residue(line)
        assert body.is_residue(line, body.cued_patterns(line))
    assert not any(body.is_residue(line) for line in story)
    text = "\n".join([story[0], residue[0], story[1], *residue[1:]])
    assert body.clean_lines(text) == story
    assert body.cued_patterns("Nothing to see here.") == []


def test_a_section_named_twice_is_one_section() -> None:
    from lxml import html

    tree = html.document_fromstring(
        "<html><body><ol id='comments' class='comment-list'><li>a</li></ol></body></html>"
    )
    assert [e.tag for e in body.comment_sections(tree)] == ["ol"]


def _unnamed_container_page() -> str:
    """An article in a container no trafilatura body selector names (a site builder's
    ``w-richtext``), with a subheading and a list between its paragraphs."""
    article = (
        f"<h1>Harbour bridge reopens</h1><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>"
        "<h2>What the repairs cost</h2><ul><li>Cables: four million over eight months</li>"
        "<li>Deck surface: one and a half million</li></ul>"
        f"<p>{PARAGRAPHS[2]}</p><p>{PARAGRAPHS[3]}</p>"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><title>Harbour bridge reopens</title></head>'
        '<body><div class="nav"><a href="/">Home</a></div><div class="grid-25">'
        f'<div class="blog-richtext w-richtext">{article}</div></div>'
        '<div class="footer-block"><p>Copyright Example News</p></div></body></html>'
    )


def test_an_unnamed_container_keeps_its_subheadings_and_lists() -> None:
    from crawler.comments.dom import parse

    html = _unnamed_container_page()
    tree = parse(html)
    text = str(extract_article(html, URL, tree=tree)["text"])
    lines = text.split("\n\n")
    assert lines[2:5] == [
        "What the repairs cost",
        "- Cables: four million over eight months",
        "- Deck surface: one and a half million",
    ]
    assert [line for line in lines if line in PARAGRAPHS] == PARAGRAPHS
    # the container was named for the second reading only: the caller's tree is unchanged
    assert tree.xpath("//@itemprop") == []


def test_article_container_is_the_smallest_block_with_most_of_the_text() -> None:
    from lxml import html as lxml_html

    from crawler.extract.prune import article_container

    tree = lxml_html.fromstring(_unnamed_container_page())
    container = article_container(tree)
    assert container is not None and container.get("class") == "blog-richtext w-richtext"
    # paragraphs split evenly between two blocks: no block holds three quarters
    split = lxml_html.fromstring(
        f"<html><body><div><div><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></div>"
        f"<section><p>{PARAGRAPHS[2]}</p><p>{PARAGRAPHS[3]}</p></section></div></body></html>"
    )
    assert article_container(split) is split.find("body/div")
    assert (
        article_container(lxml_html.fromstring("<html><body><p>Short.</p></body></html>")) is None
    )


@pytest.mark.parametrize("heading", ["Read This Next", "More stories", "Up next"])
def test_what_to_read_next_after_the_text_ends_the_body(heading: str) -> None:
    box = (
        f"<h3>{heading}</h3><p>Ferry timetable changes for the winter season explained</p>"
        "<p>New cycle lanes open along the promenade in time for spring</p>"
    )
    html = page(comments=False).replace("</div></article>", box + "</div></article>")
    assert str(extract_article(html, URL)["text"]) == "\n\n".join(PARAGRAPHS)


def test_what_to_read_next_early_in_the_text_is_not_its_end() -> None:
    box = "<h3>Read this next</h3><p>Ferry timetable changes for the winter season</p>"
    html = page(comments=False).replace(
        '<div class="entry-content">', '<div class="entry-content">' + box
    )
    text = str(extract_article(html, URL)["text"])
    assert text.endswith(PARAGRAPHS[-1]) and PARAGRAPHS[0] in text


@pytest.mark.parametrize(
    "notice",
    ["この記事は会員限定です。", "Unlock this article — plus analysis and news alerts.",
     "Dieser Artikel ist nur für Abonnenten verfügbar."],
)  # fmt: skip
def test_a_paywall_notice_after_the_text_ends_the_body(notice: str) -> None:
    pitch = f"<p>{notice}</p><p>Subscribers read every article and the daily newsletter</p>"
    html = page(comments=False).replace("</div></article>", pitch + "</div></article>")
    assert str(extract_article(html, URL)["text"]) == "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize(
    "echo",
    [
        "Harbour bridge reopens after repairs (example.com) 87",
        "Harbour bridgereopens after repairs",
    ],
)
def test_the_title_repeated_in_the_body_goes_spacing_and_lost_tail_aside(echo: str) -> None:
    html = page(comments=False).replace(
        '<div class="entry-content">', f'<div class="entry-content"><p>{echo}</p>'
    )
    assert str(extract_article(html, URL)["text"]) == "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize("recall", [False, True])
def test_trafilatura_runs_with_the_options_it_would_build_itself(
    recall: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the options are built once and copied per page: every field must be what
    # bare_extraction builds from TRAFILATURA_OPTIONS and the page's URL
    import trafilatura
    import trafilatura.core

    seen = []
    sequence = trafilatura.core.trafilatura_sequence

    def capture(tree, options, url=None):  # type: ignore[no-untyped-def]
        seen.append({name: getattr(options, name) for name in type(options).__slots__})
        return sequence(tree, options, url)

    monkeypatch.setattr(trafilatura.core, "trafilatura_sequence", capture)
    recall_option = {"favor_recall": True} if recall else {}
    trafilatura.bare_extraction(page(), url=URL, **body.TRAFILATURA_OPTIONS, **recall_option)
    body._bare(body.html.fromstring(page()), URL, favor_recall=recall)
    body._bare(body.html.fromstring(page()), "https://other.example/x", favor_recall=recall)
    assert len(seen) == 3 and seen[0] == seen[1]
    assert seen[2]["url"] == seen[2]["source"] == "https://other.example/x"
    assert seen[1]["url"] == URL  # the shared options kept no page's URL
