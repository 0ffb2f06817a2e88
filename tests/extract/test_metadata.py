"""Metadata precedence, author splitting and date handling on invented pages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from crawler.extract import extract_article
from crawler.extract.merge import _seo_title, strip_site_name, without_label_tail
from crawler.extract.normalize import normalize_authors, normalize_date
from tests.extract.pages import PARAGRAPHS, URL, page

OG = (
    '<meta property="og:title" content="OG title loses">'
    '<meta property="article:published_time" content="2020-01-01T10:00:00+00:00">'
    '<meta name="author" content="Meta Author">'
    '<meta property="article:section" content="Meta section">'
)
GRAPH = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "WebSite", "@id": "https://news.example.com/#site", "name": "Example News"},
        {"@type": "Person", "@id": "https://news.example.com/#ada", "name": "Ada Example"},
        {
            "@type": ["NewsArticle"],
            "headline": "Harbour bridge reopens after repairs",
            "datePublished": "2024-05-03T23:30:00-05:00",
            "dateModified": "2024-05-04T08:00:00-05:00",
            "author": [
                {"@id": "https://news.example.com/#ada"},
                {"@type": "Person", "name": "Bo Sample"},
            ],
            "articleSection": "Local",
            "keywords": ["bridges", "traffic"],
            "image": {"@type": "ImageObject", "url": "/img/bridge.jpg"},
        },
    ],
}


def test_jsonld_graph_wins_over_opengraph() -> None:
    record = extract_article(page(head=OG, jsonld=GRAPH), URL)
    assert record["title"] == "Harbour bridge reopens after repairs"
    assert record["authors"] == ["Ada Example", "Bo Sample"]
    assert record["published"] == "2024-05-03T23:30:00-05:00"
    assert record["modified"] == "2024-05-04T08:00:00-05:00"
    assert record["section"] == "Local"
    assert record["tags"] == ["bridges", "traffic"]
    assert record["image"] == "https://news.example.com/img/bridge.jpg"
    assert record["language"] == "en"


def test_opengraph_used_without_jsonld() -> None:
    record = extract_article(page(head=OG), URL)
    assert record["published"] == "2020-01-01T10:00:00+00:00"
    assert record["authors"] == ["Meta Author"]
    assert record["section"] == "Meta section"


def test_broken_jsonld_falls_back_to_meta() -> None:
    record = extract_article(page(head=OG, jsonld='{"@type": "NewsArticle", "headline": '), URL)
    assert record["extraction_status"] == "ok"
    assert record["authors"] == ["Meta Author"]


def test_byline_by_a_and_b_is_split() -> None:
    byline = '<p class="byline">By Jane Roe and John Doe</p>'
    record = extract_article(page(byline=byline), URL)
    assert record["authors"] == ["Jane Roe", "John Doe"]


@pytest.mark.parametrize(
    "byline",
    [
        '<div><p>Written by</p><p class="x">Jane Roe</p></div>',
        "<div><h3>Author</h3><p>Jane Roe</p></div>",
        "<span>Written by <span>Jane Roe</span></span>",
        '<a href="/authors/jane-roe/">Jane Roe</a>',
        '<div class="author"><span>Jane Roe</span><span>Co-founder</span></div>',
        "<h3>Written by Jane Roe</h3>",
        # an author widget's link names nobody: the byline after it does
        '<a rel="author" href="/author/jr/">View more posts</a><span class="byline"><span'
        ' class="screen-reader-text">Posted by</span><a href="/author/jr/">Jane Roe</a></span>',
        # a label with the name as text after it; an author archive in another language
        "<ul><li><strong>Datum</strong> 03.05.2024</li>"
        "<li><strong>Autorin/Autor</strong> Jane Roe</li></ul>",
        '<p>von <a href="/autoren/name/jane-roe">Jane Roe</a></p>',
    ],
)
def test_visible_byline_markup_families(byline: str) -> None:
    assert extract_article(page(byline=byline), URL)["authors"] == ["Jane Roe"]


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        # a name beside the date under the headline, in no byline markup
        ("<div><span>Jane Roe</span><span>March 3, 2025</span></div>", ["Jane Roe"]),
        ("<div><span>March 3, 2025</span><span>·</span><span>Jane Roe</span></div>", ["Jane Roe"]),
        ("<div><p>Jane Roe | Senior Writer | March 3, 2025</p></div>", ["Jane Roe"]),
        ("<div><p>March 3, 2025</p><p>Written by:</p><p>Jane Roe</p></div>", ["Jane Roe"]),
        (
            "<div><span>Mar 3, 2025</span> • <span>Jane Roe in Harbour Notes</span></div>",
            ["Jane Roe"],
        ),
        # not names: a label, a section heading after the date, a title fragment
        ("<div><p>Last Modified: March 3, 2025</p><p>Harbour Works</p></div>", []),
        ("<div><p>March 3, 2025</p><p>In This Article</p></div>", []),
        ("<div><p>Bridge Works Update 2025-03-03</p></div>", []),
        ("<div><p>Popular Days</p><p>March 3, 2025</p></div>", []),
    ],
)
def test_name_beside_the_shown_date_is_a_byline(byline: str, expected: list[str]) -> None:
    assert extract_article(page(byline=byline), URL)["authors"] == expected


def test_category_above_the_headline_is_no_byline() -> None:
    html = page().replace('<h1 class="entry-title">', "<p>Living Well</p><p>March 3, 2025</p><h1>")
    assert extract_article(html, URL)["authors"] == []


@pytest.mark.parametrize(
    ("author", "byline", "expected"),
    [
        # the site's own name (og:site_name or host) gives way to a person's byline
        ("Example News", '<p class="byline">By Jane Roe</p>', ["Jane Roe"]),
        ("NEWS", '<p class="byline">By Jane Roe</p>', ["Jane Roe"]),
        # ... but not to something that is no person's name, and stays when alone
        ("Example News", '<p class="byline">By staff</p>', ["Example News"]),
        ("Example News", "", ["Example News"]),
        # an organisation that is not the site is a real credit
        ("Harbour Trust", '<p class="byline">By Jane Roe</p>', ["Harbour Trust"]),
        # the site's name listed beside people: the people are the credit
        ("Example News, Jane Roe", "", ["Jane Roe"]),
        ("Harbour Trust, Example News", "", ["Harbour Trust"]),
    ],
)
def test_author_naming_the_site_is_a_fallback(
    author: str, byline: str, expected: list[str]
) -> None:
    head = '<meta property="og:site_name" content="Example News">' + (
        f'<meta name="author" content="{author}">'
    )
    assert extract_article(page(head=head, byline=byline), URL)["authors"] == expected


@pytest.mark.parametrize(
    ("url", "author", "expected"),
    [
        # the host itself, and a name whose initials are the host's brand label
        ("https://www.tv.example/a/1", "tv.example", ["Jane Roe"]),
        ("https://www.dw.example/a/1", "Deutsche Welle", ["Jane Roe"]),
        # initials that are a second-level domain name nobody's site
        ("https://www.harbour.co.example/a/1", "Carl Owens", ["Carl Owens"]),
    ],
)
def test_author_naming_the_host_is_a_fallback(url: str, author: str, expected: list[str]) -> None:
    head = f'<meta name="author" content="{author}">'
    byline = '<p class="byline">By Jane Roe</p>'
    assert extract_article(page(head=head, byline=byline), url)["authors"] == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # a name in a script without capitals is a person's name too
        ('<meta name="cXenseParse:author" content="山田太郎">', ["山田太郎"]),
        ('<meta name="articleauthor" content="Jane Roe">', ["Jane Roe"]),
    ],
)
def test_site_organisation_gives_way_to_meta_author(head: str, expected: list[str]) -> None:
    jsonld = {"@type": "NewsArticle", "headline": "Harbour bridge reopens after repairs",
              "author": {"@type": "Organization", "name": "Example News"}}  # fmt: skip
    site = '<meta property="og:site_name" content="Example News">'
    assert extract_article(page(head=site + head, jsonld=jsonld), URL)["authors"] == expected


@pytest.mark.parametrize(
    ("head", "byline", "expected"),
    [
        ("", '<p class="byline">By Jane Roe</p>', ["Jane Roe"]),
        ("", "", ["Harbour Media Group"]),
        # the organisation named again in meta tags gives way too
        ('<meta name="author" content="Harbour Media Group">', '<p class="byline">By Jane Roe</p>',
         ["Jane Roe"]),
    ],
)  # fmt: skip
def test_organisation_in_json_ld_gives_way_to_a_person(
    head: str, byline: str, expected: list[str]
) -> None:
    jsonld = {"@type": "NewsArticle", "headline": "Harbour bridge reopens after repairs",
              "author": {"@type": "Organization", "name": "Harbour Media Group"}}  # fmt: skip
    record = extract_article(page(head=head, jsonld=jsonld, byline=byline), URL)
    assert record["authors"] == expected


def test_twitter_written_by_label() -> None:
    head = (
        '<meta name="twitter:label1" content="Written by">'
        '<meta name="twitter:data1" content="Jane Roe">'
    )
    assert extract_article(page(head=head), URL)["authors"] == ["Jane Roe"]


@pytest.mark.parametrize(
    ("h1", "head", "ld", "expected"),
    [
        # "Kicker: Headline" on the page, "Headline" in the metadata: the headline proper
        ("Harbour works: Bridge reopens after repairs",
         '<meta property="og:title" content="Bridge reopens after repairs">', True,
         "Bridge reopens after repairs"),
        # the site name leads the <title>: the <h1> equal to the rest is the headline
        ("Bridge reopens after repairs",
         '<meta property="og:title" content="A social headline">', False,
         "Bridge reopens after repairs"),
    ],
)  # fmt: skip
def test_title_rules(h1: str, head: str, ld: bool, expected: str) -> None:
    confirming = {"@type": "NewsArticle", "headline": h1} if ld else None  # agrees with <h1>
    source = page(head=head, title=h1, jsonld=confirming).replace(
        f"<title>{h1} | Example News</title>",
        "<title>Example News - Bridge reopens after repairs</title>",
    )
    assert extract_article(source, URL)["title"] == expected


@pytest.mark.parametrize(
    ("og_title", "expected"),
    [
        # the same headline after different kickers: the kickers are labels
        ("Traffic update: «The bridge is ready for lorries again»",
         "«The bridge is ready for lorries again»"),
        # the same kicker written a little differently: one title, kept whole
        ("Harbour bridge works: «The bridge is ready for lorries again»",
         "Harbour bridge works - «The bridge is ready for lorries again»"),
    ],
)  # fmt: skip
def test_a_headline_shared_after_different_kickers(og_title: str, expected: str) -> None:
    h1 = "Harbour bridge works - «The bridge is ready for lorries again»"
    head = f'<meta property="og:title" content="{og_title}">'
    html = page(head=head, title=h1).replace(f"<title>{h1} |", f"<title>{og_title} |")
    assert extract_article(html, URL)["title"] == expected


@pytest.mark.parametrize(
    ("og_title", "expected"),
    [
        # the <h1>'s kicker and headline are two elements: the metadata punctuates them
        ("Bridge works / The bridge is ready for lorries again",
         "Bridge works / The bridge is ready for lorries again"),
        ("Bridge works: The bridge is ready for lorries again",
         "Bridge works: The bridge is ready for lorries again"),
        # the metadata is the headline without the kicker: the headline
        ("The bridge is ready for lorries again", "The bridge is ready for lorries again"),
    ],
)  # fmt: skip
def test_a_kicker_the_metadata_punctuates_stays_in_the_title(og_title: str, expected: str) -> None:
    h1 = '<span class="kicker">Bridge works</span> <span>The bridge is ready for lorries'
    h1 += " again</span>"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle",
          "headline": "The bridge is ready for lorries again"}  # fmt: skip
    html = page(head=f'<meta property="og:title" content="{og_title}">', jsonld=ld)
    html = html.replace(
        '<h1 class="entry-title">Harbour bridge reopens after repairs</h1>', f"<h1>{h1}</h1>"
    )
    assert extract_article(html, URL)["title"] == expected


QUOTED = '"Not on my watch," says mayor as bridge reopens'
CURLY = "“Not on my watch,” says mayor as bridge reopens"
BARE = "Not on my watch, says mayor as bridge reopens"


@pytest.mark.parametrize(
    ("h1", "og_title", "ld_headline", "expected"),
    [
        (QUOTED, BARE, QUOTED, BARE),  # the og:title drops the marks headline and JSON-LD keep
        (CURLY, CURLY, BARE, BARE),  # the JSON-LD drops them
        (CURLY, CURLY, CURLY, CURLY),  # no source without them: kept
        # a title that differs in more than its quotation marks is no reason
        (QUOTED, "Not on my watch, says mayor", QUOTED, QUOTED),
    ],
)
def test_a_title_without_the_quotation_marks_another_source_adds(
    h1: str, og_title: str, ld_headline: str, expected: str
) -> None:
    head = f"<meta property='og:title' content='{og_title}'>"
    jsonld = {"@type": "NewsArticle", "headline": ld_headline}
    html = page(head=head, jsonld=jsonld, title=h1)
    assert extract_article(html, URL)["title"] == expected


def test_a_jsonld_headline_cut_short_by_an_seo_plugin_gives_way_to_the_whole_title() -> None:
    whole = (
        "Harbour bridge reopens after eight months of repairs: what commuters, lorry drivers"
        " and the shops on the bay need to know (and what comes next)"
    )
    cut = whole[:110].rstrip()
    head = f'<meta property="og:title" content="{whole} | Example News">'
    jsonld = {"@type": "NewsArticle", "headline": cut}
    html = page(head=head, jsonld=jsonld).replace("<h1", "<h2").replace("</h1>", "</h2>")
    assert extract_article(html, URL)["title"] == whole


def test_a_blog_whose_only_headline_is_its_name_takes_the_title_tag() -> None:
    html = (
        "<html><head><title>Notes on tidal power | Harbour Notes</title></head><body>"
        '<header><h1 class="site-title">Harbour Notes</h1></header><article>'
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</article></body></html>"
    )
    assert extract_article(html, "https://harbournotes.example.org/tidal/")["title"] == (
        "Notes on tidal power"
    )


def test_a_headline_in_a_script_without_spaces_is_a_headline() -> None:
    headline = "港湾大桥修复后重新开放交通"
    tag = f"<title>{headline} | Example News</title>"
    html = page(title=headline).replace(tag, f"<title>{headline}--社会--示例新闻网</title>")
    assert extract_article(html, URL)["title"] == headline


@pytest.mark.parametrize(
    ("alternative", "expected"),
    [
        # stated twice in JSON-LD: the CMS's declared headline, over <h1> and og:title
        ("Ferry service returns as bridge work ends", "Ferry service returns as bridge work ends"),
        # a different alternativeHeadline confirms nothing: the <h1> agreeing with og:title
        ("Ferries are back", "Harbour bridge reopens after repairs"),
    ],
)  # fmt: skip
def test_a_restated_jsonld_headline_is_the_title(alternative: str, expected: str) -> None:
    jsonld = {"@type": "NewsArticle", "headline": "Ferry service returns as bridge work ends",
              "alternativeHeadline": alternative}  # fmt: skip
    head = '<meta property="og:title" content="Harbour bridge reopens after repairs">'
    assert extract_article(page(head=head, jsonld=jsonld), URL)["title"] == expected


def test_a_jsonld_headline_that_is_the_seo_title_gives_way_to_the_h1() -> None:
    # the JSON-LD headline is the <title> as it stands, "Headline | Site": the <h1> says
    # what the article is called
    h1, seo = "Harbour bridge reopens after two years of repairs", "Bridge reopens: our guide"
    jsonld = {"@type": "NewsArticle", "headline": f"{seo} | Example News"}
    head = f'<meta property="og:title" content="{seo} | Example News">'
    source = page(head=head, jsonld=jsonld, title=h1).replace(
        f"<title>{h1} | Example News</title>", f"<title>{seo} | Example News</title>"
    )
    assert extract_article(source, URL)["title"] == h1


@pytest.mark.parametrize(
    ("h1", "html_title", "seo"),
    [
        ("Bridge reopens after repairs", "Bridge reopens: our guide | Example News", True),
        # not the <title> as it stands, or no site name after it
        ("Bridge reopens after repairs", "Bridge reopens: guide | Example", False),
        ("Bridge reopens after repairs", None, False),
        # an <h1> that only adds a kicker, or other quote marks, is the same headline
        ("Update: Bridge reopens: our guide", "Bridge reopens: our guide | Example News", False),
        ("Bridge\u2019s reopening", "Bridge's reopening | Example News", False),
    ],
)  # fmt: skip
def test_seo_title_guard(h1: str, html_title: str | None, seo: bool) -> None:
    ld_title = "Bridge reopens: our guide | Example News"
    if "reopening" in h1:
        ld_title = "Bridge's reopening | Example News"
    assert _seo_title(ld_title, html_title, h1, lambda: "Example News", URL) is seo


@pytest.mark.parametrize(
    ("h1", "og_title"),
    [
        ("Harbour bridge reopens \u2013 a guide for drivers",
         "Harbour bridge reopens - a guide for drivers"),
        ("A Treatise on Harbour Bridges (1792)", "*A Treatise on Harbour Bridges* (1792)"),
    ],
)  # fmt: skip
def test_an_h1_confirmed_by_a_title_typed_differently_is_the_title(h1: str, og_title: str) -> None:
    # the metadata types "-" for the page's dash, or keeps the CMS's Markdown emphasis
    head = f'<meta property="og:title" content="{og_title}">'
    jsonld = {"@type": "NewsArticle", "headline": og_title}
    source = page(head=head, jsonld=jsonld, title=h1).replace(
        f"<title>{h1} | Example News</title>", f"<title>{og_title} | Example News</title>"
    )
    assert extract_article(source, URL)["title"] == h1


def test_an_h1_linked_to_the_home_page_is_the_site_name() -> None:
    # a blog theme's logo: <a href="/"><h1>Site</h1></a>; the <title> names the post
    source = (
        page(title="Harbour bridge reopens after repairs")
        .replace("<header>", '<header><a href="/"><h1>Example Harbour Blog</h1></a>')
        .replace('<h1 class="entry-title">', '<div class="entry-title">')
        .replace("repairs</h1>", "repairs</div>")
    )
    source = source.replace("<title>Harbour bridge reopens after repairs | Example News</title>",
                            "<title>Harbour bridge reopens after repairs</title>")  # fmt: skip
    assert extract_article(source, URL)["title"] == "Harbour bridge reopens after repairs"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Harbour bridge reopens after two years of repairs | Opinion",
         "Harbour bridge reopens after two years of repairs"),
        ("Best harbour walks in the city 2026 | Top 19 Walks",
         "Best harbour walks in the city 2026"),
        # a last segment as long as a headline, a short head, or no bar: kept
        ("Ten harbour walks | The best routes along the old quays this spring",
         "Ten harbour walks | The best routes along the old quays this spring"),
        ("BUDGET 3.0 | Port gets funds", "BUDGET 3.0 | Port gets funds"),
        # after a spaced dash: two words of letters at most
        ("Harbour walks of the old town - Personally Tested", "Harbour walks of the old town"),
        ("Harbour walks - Personally Tested", "Harbour walks - Personally Tested"),
        ("Harbour squad of the season 2024 - 2025", "Harbour squad of the season 2024 - 2025"),
        ("Fire at the harbour warehouse \u2013 \u201eExtreme danger\u201c",
         "Fire at the harbour warehouse \u2013 \u201eExtreme danger\u201c"),
        ("Surprise from the manager at the harbour: \u2013 Quite absurd",
         "Surprise from the manager at the harbour: \u2013 Quite absurd"),
        # a link aggregator's source host and comment count
        ("Harbour bridge reopens after repairs (example.com) 87",
         "Harbour bridge reopens after repairs"),
        ("Harbour bridge reopens (news.example.co.uk)", "Harbour bridge reopens"),
        ("Harbour bridge reopens (and ferries stop)", "Harbour bridge reopens (and ferries stop)"),
        (None, None),
    ],
)  # fmt: skip
def test_a_short_label_after_a_bar_or_dash_leaves_the_title(
    title: str | None, expected: str | None
) -> None:
    assert without_label_tail(title) == expected


def test_invisible_formatting_characters_leave_the_title() -> None:
    # soft hyphens and zero-width spaces guide line breaks; a search needs the plain word
    source = page(title="Harbour bridge reopens after re&shy;pairs\u200b")
    assert extract_article(source, URL)["title"] == "Harbour bridge reopens after repairs"


def test_a_line_break_in_the_h1_separates_words() -> None:
    source = page(title="Harbour<br>bridge <span>reopens</span><br/>after repairs")
    assert extract_article(source, URL)["title"] == "Harbour bridge reopens after repairs"


@pytest.mark.parametrize(
    ("h1", "expected"),
    [
        # a subtitle styled as a block of its own, its text touching the headline's
        ('Harbour bridge reopens<span class="block">What commuters need to know</span>',
         "Harbour bridge reopens What commuters need to know"),
        # a word split across elements is not split further
        ("Harbour <b>bridge</b> re<i>opens</i> for iPhone users",
         "Harbour bridge reopens for iPhone users"),
    ],
)  # fmt: skip
def test_texts_of_two_elements_touching_small_to_capital_are_two_words(
    h1: str, expected: str
) -> None:
    assert extract_article(page(title=h1), URL)["title"] == expected


def test_title_left_marked_up_or_escaped_twice_is_cleaned() -> None:
    # a CMS that stores Markdown puts its heading mark in the metadata; the <h1> is clean
    marked = page(jsonld={"@type": "NewsArticle", "headline": "## Bridge reopens after repairs"},
                  title="Bridge reopens after repairs")  # fmt: skip
    assert extract_article(marked, URL)["title"] == "Bridge reopens after repairs"
    # "&amp;#x26;" in the source: the page shows "&#x26;", the title means "&"
    twice = page(title="Bridges &amp;#x26; tunnels reopen after repairs")
    assert extract_article(twice, URL)["title"] == "Bridges & tunnels reopen after repairs"


def test_a_meta_headline_beats_the_social_title() -> None:
    # no <h1>: the page's own "headline" meta, not og:title with its section suffix
    head = ('<meta property="og:title" content="Bridge reopens-Politics | Example News">'
            '<meta name="headline" content="Bridge reopens">')  # fmt: skip
    source = page(head=head).replace('<h1 class="entry-title">', '<div class="entry-title">')
    source = source.replace("repairs</h1>", "repairs</div>")
    assert extract_article(source, URL)["title"] == "Bridge reopens"


def test_an_h1_of_control_labels_is_no_headline() -> None:
    # the page's own one-word <h1> is too short to be taken for a headline by itself
    source = page(title="Webcams").replace(
        "<main>", "<main><h1><button>Open Menu</button> <button>Close Menu</button></h1>"
    )
    assert extract_article(source, URL)["title"] == "Webcams"


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        (["By Jane Roe and John Doe"], ["Jane Roe", "John Doe"]),
        (["Ann Lee, Bob Kay & Cy Moe"], ["Ann Lee", "Bob Kay", "Cy Moe"]),
        (["Von Anna Beispiel und Max Muster"], ["Anna Beispiel", "Max Muster"]),
        (["Jane Roe, Senior Reporter"], ["Jane Roe"]),
        (["Jane Roe (jane.roe@example.com)", "jane roe"], ["Jane Roe"]),
        (["Staff", "Redaktion"], []),
        (['"Quoted Name"'], ["Quoted Name"]),
        (["Luke Kim December 3, 2025"], ["Luke Kim"]),
        (["Ann Lee Last updated 3 May"], ["Ann Lee"]),
        (["NB", "Nicole Burke"], ["Nicole Burke"]),
        (["Dec", "Sat", "View all posts by Ray Ansi"], ["Ray Ansi"]),
        (["AP", "Adam Vidler"], ["AP", "Adam Vidler"]),
        (["CM Craig McCarthy"], ["Craig McCarthy"]),
        (["Our Editors", "SFist Contributor"], ["Our Editors", "SFist Contributor"]),
        (["Keith Barry, Staff Writer"], ["Keith Barry"]),
        (
            ["Ana Ruiz - Product marketer", "Tom Hale \u2013 Acme Editorial Team"],
            ["Ana Ruiz", "Tom Hale"],
        ),
        (["Lena Voss Former Acme Consultant", "Ivo Marr Senior Autos"], ["Lena Voss", "Ivo Marr"]),
        (["Acme Security Sponsored"], ["Acme Security"]),
        (["김민수 기자", "山田太郎 記者"], ["김민수", "山田太郎"]),
        # credentials after a name are no authors, nor part of the name
        (["Mara Quill, CFP", "Cara Dumas RN, BSN"], ["Mara Quill", "Cara Dumas"]),
        (["Jo Wren PhD", "Van Do", "Lin Van Do"], ["Jo Wren", "Van Do", "Lin Van Do"]),
        # a reviewer, a widget's link label, a kicker before "Von", a dot operator
        (["Sal Moor, DVM Reviewed by Ida Pell"], ["Sal Moor"]),
        (["Read more about The Acme Team", "See all of Ada Lint's reviews"], ["The Acme Team"]),
        (["Capital Von Jana Kell", "Ursula von der Lind"], ["Jana Kell", "Ursula von der Lind"]),
        (
            ["Ursula Von Der Lind", "Maria von Trapp Ellis"],
            ["Ursula Von Der Lind", "Maria von Trapp Ellis"],
        ),
        (["Ben Oake \u22c5 Review Editor", "Ida (Guha) Ray"], ["Ben Oake", "Ida Ray"]),
        # a profession after the name; a bullet between name and date; a sentence prefix
        (["Tia Parr, Dietitian", "Ann Lee, Registered Nurse"], ["Tia Parr", "Ann Lee"]),
        (["by Meg Wade \u25cf December 23, 2025 \u25cf 6 min read"], ["Meg Wade"]),
        (["This post was written by Dana Pell"], ["Dana Pell"]),
        # the time or day after "at", or a dangling "at" whose time is another element
        (
            ["Posted by Rob Kell at 11:02 AM", "Ivy at", "Liv Ames at March 3, 2025"],
            ["Rob Kell", "Ivy", "Liv Ames"],
        ),
        (["Jo Ames at Acme News", "Pat At"], ["Jo Ames at Acme News", "Pat At"]),
    ],
)
def test_normalize_authors(raw: list[str], names: list[str]) -> None:
    assert normalize_authors(raw) == names


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-05-03T23:30:00-05:00", "2024-05-03T23:30:00-05:00"),
        ("2024-05-03T23:30:00-0500", "2024-05-03T23:30:00-05:00"),
        ("2024-05-03T23:30:00Z", "2024-05-03T23:30:00+00:00"),
        ("2024-05-03", "2024-05-03"),
        ("2024-05-03 23:30", "2024-05-03T23:30:00"),
        ("May 3, 2024", "2024-05-03"),
        ("03.05.2024", "2024-05-03"),
        ("not a date", None),
        ("2024-02-30", None),
    ],
)
def test_normalize_date(raw: str, expected: str | None) -> None:
    assert normalize_date(raw) == expected


def test_date_offset_is_kept_not_shifted() -> None:
    head = '<meta property="article:published_time" content="2024-05-03T23:30:00-05:00">'
    assert extract_article(page(head=head), URL)["published"] == "2024-05-03T23:30:00-05:00"


def test_date_only_stays_date_only() -> None:
    head = '<meta name="date" content="2024-05-03">'
    assert extract_article(page(head=head), URL)["published"] == "2024-05-03"


SUMMARY = (
    "What the reopening of the harbour bridge means for commuters, lorries and the shops on"
    " the bay, and how long the speed limit on the new deck is going to stay in force there."
)
PUBLISHED = "2025-11-05T09:00:00+00:00"
PUBLISHED_META = (
    '<meta property="article:published_time" content="2025-11-05T09:00:00+00:00">'
    '<meta property="article:modified_time" content="2025-11-06T10:00:00+00:00">'
)


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        # the byline's date contradicts the metadata: the page's own word wins, as a day
        ('<p class="meta">Published: <span>January 31, 2024</span></p>', "2024-01-31"),
        ("<div>By Ada Example</div><div>31 Jan. 2024 · 4 min read</div>", "2024-01-31"),
        ("<p>2024-01-31</p>", "2024-01-31"),
        # a summary repeated for another screen size counts once towards the reach
        (f"<p>{SUMMARY}</p><p>{SUMMARY}</p><p>January 31, 2024</p>", "2024-01-31"),
        # a long standfirst counts for 100 characters: the byline's date under it is in
        # reach; a date in numbers there is not (only within the reach counted whole)
        (f"<p>{SUMMARY * 3}</p><p>By Ada Example</p><p>Jan 31, 2024</p>", "2024-01-31"),
        (f"<p>{SUMMARY * 3}</p><p>By Ada Example</p><p>31.01.2024</p>", PUBLISHED),
        (f"<p>{SUMMARY}</p><p>By Ada Example</p><p>31.01.2024</p>", "2024-01-31"),
        # a shown date that is the metadata's published or modified day: metadata kept
        ("<p>November 5, 2025</p>", "2025-11-05T09:00:00+00:00"),
        ("<p>Updated Nov 6, 2025</p><p>March 2, 2019</p>", "2025-11-05T09:00:00+00:00"),
        # labelled as an update (in the node or the one before): not the publication date
        ("<p>Last updated: Jan 31, 2024</p>", "2025-11-05T09:00:00+00:00"),
        ("<p><b>Updated on</b> <span>Jan 31, 2024</span></p>", "2025-11-05T09:00:00+00:00"),
        # a date inside prose or a photo caption is not a byline date
        (
            "<p>A file photograph shows the harbour bridge on January 31, 2024, before the"
            " repairs began.</p>",
            "2025-11-05T09:00:00+00:00",
        ),
        ("<p>Not a day: February 30, 2024</p>", "2025-11-05T09:00:00+00:00"),
        # in numbers: only where the day and the month cannot be swapped
        ("<p>By Ada Example</p><p>31.01.2024</p>", "2024-01-31"),
        ("<p>By Ada Example</p><p>01/31/2024</p>", "2024-01-31"),
        ("<p>By Ada Example</p><p>12.12.2024</p>", "2024-12-12"),
        ("<p>By Ada Example</p><p>03/04/2024</p>", "2025-11-05T09:00:00+00:00"),
        ("<p>By Ada Example</p><p>Ref. 1-2-2024-7</p>", "2025-11-05T09:00:00+00:00"),
        ("<p>By Ada Example</p><p>31.02.2024</p>", "2025-11-05T09:00:00+00:00"),
    ],
)
def test_date_shown_next_to_the_headline(byline: str, expected: str) -> None:
    record = extract_article(page(head=PUBLISHED_META, byline=byline), URL)
    assert record["published"] == expected
    assert record["modified"] == "2025-11-06T10:00:00+00:00"


@pytest.mark.parametrize(
    ("modified", "update", "expected"),
    [
        # datePublished rewritten to the update's day (stated as modified, or shown as
        # the update): the earlier day the page shows as published
        ("2025-11-06T12:30:00+00:00", "Nov 6", "2025-03-02"),
        ("2025-11-07T10:00:00+00:00", "Nov 6", "2025-03-02"),
        # a published day of its own beside the update: the metadata is kept
        ("2025-11-07T10:00:00+00:00", "Nov 7", "2025-11-06T10:00:00+00:00"),
    ],
)
def test_published_rewritten_on_update_gives_way_to_the_shown_day(
    modified: str, update: str, expected: str
) -> None:
    head = (
        '<meta property="article:published_time" content="2025-11-06T10:00:00+00:00">'
        f'<meta property="article:modified_time" content="{modified}">'
    )
    byline = f'<p class="meta"><time>March 2, 2025</time> <time>Updated {update}, 2025</time></p>'
    assert extract_article(page(head=head, byline=byline), URL)["published"] == expected


@pytest.mark.parametrize("html_title", ["Harbour bridge reopens after repairs", "Local news"])
def test_masthead_date_is_not_the_articles(html_title: str) -> None:
    html = (
        page(head=PUBLISHED_META)
        .replace(
            "<header>",
            '<header><h1 class="site-title"><a href="/">Example News</a></h1>'
            "<p>Thursday, December 3, 2026</p>",
        )
        .replace("<title>Harbour bridge reopens after repairs", f"<title>{html_title}")
    )
    assert extract_article(html, URL)["published"] == "2025-11-05T09:00:00+00:00"


def _ld(published: str, modified: str, kind: str = "NewsArticle") -> str:
    data = {"@context": "https://schema.org", "@type": kind, "headline": "Harbour",
            "datePublished": published, "dateModified": modified}  # fmt: skip
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


STRUCTURED = _ld("2024-02-27T09:00:00+00:00", "2025-12-04T10:00:00+00:00")
MICRODATA = (
    '<meta itemprop="datePublished" content="2024-02-27T09:00:00+00:00">'
    '<meta itemprop="dateModified" content="2025-12-04T10:00:00+00:00">'
)
TAGGED = '<meta property="article:published_time" content="2024-02-27T09:00:00+00:00">'


@pytest.mark.parametrize(
    ("head", "byline", "expected"),
    [
        # only structured data states the publication; the page shows its update alone
        (STRUCTURED, "<p>Updated Dec 4, 2025</p>", "2025-12-04"),
        (MICRODATA, "<p>Last updated: December 4, 2025</p>", "2025-12-04"),
        (STRUCTURED, "<p>March 3, 2025</p>", "2025-03-03"),
        # the page shows the publication day as well: kept
        (STRUCTURED, "<p>Feb 27, 2024</p><p>Updated Dec 4, 2025</p>", "2024-02-27T09:00:00+00:00"),
        # a <meta> tag states it too: the metadata's date
        (STRUCTURED + TAGGED, "<p>Updated Dec 4, 2025</p>", "2024-02-27T09:00:00+00:00"),
        # nothing shown by the headline: the metadata's date
        (STRUCTURED, "", "2024-02-27T09:00:00+00:00"),
        # a forum thread: its structured dates are its posts'
        (
            _ld("2024-02-27T09:00:00+00:00", "2025-12-04T10:00:00+00:00", "DiscussionForumPosting"),
            "<p>Last post Dec 4, 2025</p>",
            "2024-02-27T09:00:00+00:00",
        ),
        (
            MICRODATA,
            '<div itemscope itemtype="https://schema.org/DiscussionForumPosting"><p>Last post'
            " Dec 4, 2025</p></div>",
            "2024-02-27T09:00:00+00:00",
        ),
    ],
)
def test_a_publication_only_structured_data_states_gives_way_to_the_day_shown(
    head: str, byline: str, expected: str
) -> None:
    assert extract_article(page(head=head, byline=byline), URL)["published"] == expected


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("<p>Updated: Dec 19, 2025 1:06 PM EST</p>", "2025-12-19T18:06:00+00:00"),
        ("<p>April 3, 2018</p>", "2018-04-03T16:50:31+00:00"),
        ("", "2018-04-03T16:50:31+00:00"),
    ],
)
def test_json_ld_and_a_meta_tag_disagree_the_one_shown_wins(byline: str, expected: str) -> None:
    head = _ld("2018-04-03T16:50:31+00:00", "2025-12-19T18:06:00+00:00") + (
        '<meta name="sailthru.date" content="2025-12-19T18:06:00+00:00">'
    )
    assert extract_article(page(head=head, byline=byline), URL)["published"] == expected


@pytest.mark.parametrize(
    ("elsewhere", "expected"),
    [
        ("<footer><p>Related: December 02, 2024</p></footer>", "2024-12-02"),
        ('<footer><time datetime="2024-02-12">Archive</time></footer>', "2024-02-12"),
        ("", PUBLISHED),  # not settled: the metadata's date
        ("<footer>December 02, 2024 and February 12, 2024</footer>", PUBLISHED),
    ],
)
def test_a_date_whose_order_is_open_is_settled_by_the_page(elsewhere: str, expected: str) -> None:
    html = page(head=PUBLISHED_META, byline="<p>By Ada Example</p><p>02-12-2024</p>")
    html = html.replace("</body>", f"{elsewhere}</body>")
    assert extract_article(html, URL)["published"] == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "2024-03-04"), ("en-US", "2024-03-04"), ("en-GB", PUBLISHED), ("de", PUBLISHED)],
)
def test_an_open_order_unsettled_by_the_page_is_month_first_in_american_english(
    lang: str, expected: str
) -> None:
    html = page(head=PUBLISHED_META, byline="<p>By Ada Example</p><p>3/4/2024</p>")
    html = html.replace('lang="en-GB"', f'lang="{lang}"')
    assert extract_article(html, URL)["published"] == expected


@pytest.mark.parametrize(
    ("footer", "expected"),
    [
        ("<p>Published August 13, 2025</p>", "2025-08-13"),
        ("<p><b>Post time:</b> 01-14-2025</p>", "2025-01-14"),
        ("", "2025-11-29T12:28:31-05:00"),  # nothing labelled: the metadata's date
        ("<p>Published December 20, 2025</p>", "2025-11-29T12:28:31-05:00"),  # not earlier
        # a quoted story's byline inside a paragraph is not the page's label
        ("<p>As another site put it.<br>Published May 2, 2024</p>", "2025-11-29T12:28:31-05:00"),
    ],
)
def test_rewritten_metadata_gives_way_to_an_earlier_day_labelled_as_published(
    footer: str, expected: str
) -> None:
    # datePublished rewritten to the last save (its dateModified), no date by the
    # headline: the day the page labels as published under the article
    head = _ld("2025-11-29T12:28:31-05:00", "2025-11-29T12:28:31-05:00")
    html = page(head=head).replace("</article>", f"</article><aside>{footer}</aside>")
    assert extract_article(html, URL)["published"] == expected


@pytest.mark.parametrize(
    ("lang", "footer", "expected"),
    [
        ("en-GB", "<p>Published: 14 January 2024</p>", "2024-01-14"),
        ("en", "<p><b>Post time:</b> 01-04-2024</p>", "2024-01-04"),  # month first
        ("en-GB", "<p><b>Post time:</b> 01-04-2024</p>", "2024-05-03"),  # open: the URL's
    ],
)
def test_a_day_labelled_as_published_anywhere_when_nothing_else_dates_the_page(
    lang: str, footer: str, expected: str
) -> None:
    html = page().replace('lang="en-GB"', f'lang="{lang}"')
    html = html.replace("</article>", f"</article><aside>{footer}</aside>")
    assert str(extract_article(html, URL)["published"])[:10] == expected


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("<p>This article was originally published on 26 Sep 2019 at 4:12pm but has been"
         " updated.</p>", "2019-09-26"),
        ("<p><b>Originally posted:</b> March 3, 2021</p>", "2021-03-03"),
        # a sentence about something else that was published first is no such note
        ("<p>The study, originally published on May 3, 2021, found more.</p>", PUBLISHED),
        ("<p>This article was originally published in Harbour Weekly.</p>", PUBLISHED),
    ],
)  # fmt: skip
def test_a_republished_articles_note_gives_the_first_publication(note: str, expected: str) -> None:
    html = page(head=PUBLISHED_META).replace("</body>", f"<footer>{note}</footer></body>")
    assert extract_article(html, URL)["published"] == expected


def test_a_date_in_numbers_above_the_headline_is_no_publication_date() -> None:
    # a print edition's date above the headline: the online article is the evening before
    html = page(head=PUBLISHED_META).replace(
        '<h1 class="entry-title">', "<p>Print edition of 16.11.2025</p><h1>"
    )
    assert extract_article(html, URL)["published"] == "2025-11-05T09:00:00+00:00"


def test_date_shown_above_the_headline_and_without_metadata() -> None:
    html = page(byline="").replace(
        '<h1 class="entry-title">', '<p class="kicker">Nutrition · March 1, 2024</p><h1>'
    )
    assert extract_article(html, URL)["published"] == "2024-03-01"


@pytest.mark.parametrize("tag", ["h2", "legend"])
def test_a_post_title_under_a_site_name_h1_is_the_headline_its_date_follows(tag: str) -> None:
    # the theme's <h1> is the site's name; the post's title is a lower heading, and the
    # post's own <h1> section heads come after it
    sections = "".join(f"<h1>Part {n}</h1><p>{PARAGRAPHS[n]}</p>" for n in range(3))
    html = (
        '<html><head><meta property="og:title" content="Harbour bridge diary week 2">'
        "<title>Harbour bridge diary week 2</title></head><body>"
        '<h1><a href="/">Example Blog</a></h1><p>Archive: <a href="/archive/2014/01/">'
        "January 2014</a></p>"
        f"<{tag}>Harbour bridge diary week 2</{tag}><p>20 December 2025</p>"
        f'<div class="entry"><div class="body">{sections}</div></div></body></html>'
    )
    assert extract_article(html, URL)["published"] == "2025-12-20"


def test_a_titled_lower_heading_after_the_h1_leaves_the_h1_the_headline() -> None:
    html = (
        "<html><head><title>How bridges are inspected</title></head><body>"
        "<h1>How the harbour bridge was inspected</h1><p>2024-11-06</p>"
        f"<p>{PARAGRAPHS[0]}</p><h2>How bridges are inspected</h2><p>Posted 2023-10-11</p>"
        f"<p>{PARAGRAPHS[1]}</p></body></html>"
    )
    assert extract_article(html, URL)["published"] == "2024-11-06"


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        # nothing declares the publication: the shown day, even an update, is the page's
        # own date, not trafilatura's guess (here the URL's /2024/05/03/)
        ("<p>Last updated: Jan 31, 2025</p>", "2025-01-31"),
        ("<p>Posted June 2, 2025</p><p>Updated June 9, 2025</p>", "2025-06-02"),
        # a <time> declares it: the update shown beside it does not replace it
        (
            '<p><time itemprop="datePublished" datetime="2024-05-03T08:00:00+01:00">3 May'
            "</time> Updated Jan 31, 2025</p>",
            "2024-05-03T08:00:00+01:00",
        ),
    ],
)
def test_shown_date_where_nothing_declares_the_publication(byline: str, expected: str) -> None:
    assert extract_article(page(byline=byline), URL)["published"] == expected


def test_canonical_is_absolute() -> None:
    head = '<link rel="canonical" href="/2024/05/03/harbour-bridge-reopens/">'
    assert extract_article(page(head=head), URL)["canonical_url"] == URL


def _count_trafilatura_metadata(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """URLs trafilatura's metadata is computed for, from now on."""
    from crawler.extract import body

    calls: list[str] = []
    real = body._metadata

    def counting(tree: Any, url: str) -> Any:
        calls.append(url)
        return real(tree, url)

    monkeypatch.setattr(body, "_metadata", counting)
    return calls


def test_trafilatura_metadata_is_not_computed_when_the_page_states_everything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _count_trafilatura_metadata(monkeypatch)
    head = OG + ('<meta property="og:site_name" content="Example News">'
                 '<meta name="description" content="A bridge.">'
                 '<meta property="og:image" content="/a.jpg">')  # fmt: skip
    record = extract_article(page(head=head, jsonld=GRAPH), URL)
    assert record["title"] == "Harbour bridge reopens after repairs"
    assert record["published"] == "2024-05-03T23:30:00-05:00"
    assert calls == []


def test_trafilatura_metadata_fills_what_the_page_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_trafilatura_metadata(monkeypatch)
    dated = page().replace("<body>", "<body><p>Published 3 May 2024</p>", 1)
    record = extract_article(dated, URL)
    assert calls == [URL]
    assert record["published"] == "2024-05-03"


def test_section_and_tags_from_links_without_trafilatura_metadata(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from crawler.extract import body

    computed: list[str] = []
    real = body._metadata

    def counted(tree: Any, url: str) -> Any:
        computed.append(url)
        return real(tree, url)

    monkeypatch.setattr(body, "_metadata", counted)
    links = (
        '<div class="post-meta"><a href="/category/science/" rel="category tag">Science</a></div>'
        '<div class="tags"><a href="/tag/comets/" rel="tag">comets</a></div>'
    )
    html = (
        '<html lang="en"><head><title>Comet seen over the bay</title>'
        '<meta property="og:site_name" content="The Bay Courier">'
        '<meta name="description" content="A comet over the bay.">'
        '<meta property="og:image" content="https://bay.example.com/comet.jpg">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Comet seen'
        ' over the bay", "datePublished": "2026-03-04T10:00:00+01:00", "author":'
        ' {"@type": "Person", "name": "Ada Lind"}}</script></head><body><article>'
        f"<h1>Comet seen over the bay</h1>{links}"
        + "<p>Residents watched the comet from the pier for an hour after dusk.</p>" * 8
        + "</article></body></html>"
    )
    record = extract_article(html, "https://bay.example.com/2026/03/04/comet/")
    assert record["section"] == "Science" and record["tags"] == ["comets"]
    assert computed == []  # nothing else was missing: htmldate's search never ran


@pytest.mark.parametrize(
    ("title", "site", "url", "expected"),
    [
        ("Bridge reopens | Example News", "Example News", URL, "Bridge reopens"),
        ("Bridge reopens \u2022 Jane Roe", "Jane Roe", URL, "Bridge reopens"),
        # the site's name is part of its host name ("Harbourly" on getharbourly.com)
        ("Bridge reopens | Harbourly", None, "https://www.getharbourly.com/a", "Bridge reopens"),
        ("Example News | Bridge reopens", None, "https://examplenews.org/a", "Bridge reopens"),
        # CJK titles join the site's name with a full-width bar, without spaces
        (
            "\u6a4b\u304c\u518d\u958b\uff5c\u4f8b\u65b0\u805e",
            "\u4f8b\u65b0\u805e",
            URL,
            "\u6a4b\u304c\u518d\u958b",
        ),
        # ... or Korean ones with the vowel letter "\u3163" as a bar
        (
            "\ub2e4\ub9ac \uc7ac\uac1c\u3163\uc608\uc2dc\uc77c\ubcf4",
            "\uc608\uc2dc\uc77c\ubcf4",
            URL,
            "\ub2e4\ub9ac \uc7ac\uac1c",
        ),
        # a segment naming nothing of the site stays
        (
            "Bridge reopens | Travel",
            None,
            "https://www.getharbourly.com/a",
            "Bridge reopens | Travel",
        ),
        # the site's name, then its tagline: both go, the headline being the longest part
        (
            "Harbour bridge reopens after repairs - Harbourly | Walks near you",
            None,
            "https://www.harbourly.com/a",
            "Harbour bridge reopens after repairs",
        ),
        (
            "Walks Weekly | harbourly.com - The ten best harbour walks of the year",
            None,
            "https://www.harbourly.com/a",
            "Walks Weekly | harbourly.com - The ten best harbour walks of the year",
        ),
    ],
)
def test_strip_site_name(title: str, site: str | None, url: str, expected: str) -> None:
    assert strip_site_name(title, site, url) == expected


def test_headline_ending_with_the_site_name_loses_it() -> None:
    head = '<meta property="og:site_name" content="Example News">'
    source = page(head=head).replace("repairs</h1>", "repairs \u2013 Example News</h1>")
    assert "Example News</h1>" in source
    assert extract_article(source, URL)["title"] == "Harbour bridge reopens after repairs"


def test_trafilatura_metadata_searches_its_date_only_when_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the values, and the date when asked, are what extract_metadata gives in one go
    import trafilatura
    import trafilatura.metadata
    from lxml import html as lxml_html
    from trafilatura.settings import Extractor

    from crawler.extract import body
    from crawler.fixture_site import FixtureSite

    site = FixtureSite(kind="wordpress", articles=4, seed=9)
    sources = [site.router.route(a.path).body.decode() for a in site.model.articles]
    sources += [page().replace("<body>", "<body><p>Published 3 May 2024</p>", 1), page()]
    real_search = trafilatura.metadata.find_date
    searches: list[object] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        searches.append(args[0])
        return real_search(*args, **kwargs)

    for source in sources:
        tree = lxml_html.fromstring(source)
        options = Extractor(with_metadata=True, url=URL)
        whole = trafilatura.extract_metadata(
            tree, options.url, options.date_params, options.fast, options.author_blacklist
        ).as_dict()
        assert whole["date"]  # every page here has a date to find
        monkeypatch.setattr(trafilatura.metadata, "find_date", counted)
        searches.clear()
        lazy = body.TrafilaturaMetadata(tree, URL)
        assert lazy["title"] == whole["title"] and searches == []
        # every field but the date and the (empty) body elements a Document starts with
        others = [k for k in whole if k not in ("date", "body", "commentsbody")]
        assert {k: lazy[k] for k in others} == {k: whole[k] for k in others}
        assert lazy["date"] == whole["date"] and len(searches) == 1
        assert lazy["date"] == whole["date"] and len(searches) == 1  # searched once
        assert trafilatura.metadata.find_date is counted  # put back after the reading
        monkeypatch.undo()
