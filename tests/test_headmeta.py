"""Head-only reading of canonical URL and title."""

from __future__ import annotations

from crawler.comments.dom import parse
from crawler.fixture_site import FixtureSite
from crawler.headmeta import HEAD_SCAN_LIMIT, head_of_document, read_head


def test_reads_canonical_and_og_title() -> None:
    html = (
        '<html><head><title>Plain</title><meta property="og:title" content=" Open  Graph ">'
        '<link rel="canonical" href=" https://news.example.org/a/ "></head>'
        '<body><link rel="canonical" href="https://wrong.example.org/"></body></html>'
    )
    head = read_head(html)
    assert head.canonical == "https://news.example.org/a/"
    assert head.title == "Open Graph"


def test_title_fallback_and_missing_canonical() -> None:
    head = read_head("<html><head><title>Only\n title</title></head><body>x</body></html>")
    assert head == type(head)(canonical=None, title="Only title")


def test_whole_document_when_head_end_is_far_or_absent() -> None:
    filler = "<script>" + "x" * HEAD_SCAN_LIMIT + "</script>"
    html = f"<html><head>{filler}<title>Late</title></head><body></body></html>"
    assert read_head(html).title == "Late"
    assert read_head("<title>No head element</title><p>body").title == "No head element"


def test_a_page_parsed_whole_gives_the_same_facts() -> None:
    pages = [
        '<html><head><title>Plain</title><meta property="og:title" content=" Open  Graph ">'
        '<link rel="canonical" href=" https://news.example.org/a/ "></head>'
        '<body><link rel="canonical" href="https://wrong.example.org/"></body></html>',
        "<html><head><title>Only\n title</title></head><body>x</body></html>",
        '<html><head><meta property="og:title" content=""><title>Empty og</title>'
        '<link rel="canonical" href=""></head><body><p>text</p></body></html>',
        "<title>No head element</title><p>body",
        "<html><head></head><body><svg><title>icon</title></svg></body></html>",
    ]
    site = FixtureSite(kind="wordpress", articles=4, seed=3)
    pages += [site.router.route(a.path).body.decode() for a in site.model.articles]
    for html in pages:
        assert head_of_document(parse(html)) == read_head(html), html[:80]


def test_a_page_parsed_whole_survives_a_stray_head_end_in_a_script() -> None:
    html = (
        '<html><head><script>var s = "</head>";</script><title>Real title</title>'
        '<link rel="canonical" href="https://news.example.org/real/"></head><body>'
        '<link rel="canonical" href="https://embed.example.org/"><p>text</p></body></html>'
    )
    assert read_head(html).title is None  # cut at the script's "</head>"
    head = head_of_document(parse(html))
    assert head == type(head)(canonical="https://news.example.org/real/", title="Real title")
