"""Head-only reading of canonical URL and title."""

from __future__ import annotations

from crawler.headmeta import HEAD_SCAN_LIMIT, read_head


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
