"""Loose text between a container's headings and lists is read as paragraphs."""

from __future__ import annotations

from lxml import html

from crawler.extract import extract_article
from crawler.extract.loose import loose_containers, wrap_loose_text
from crawler.extract.prune import prepared

#: A hand-written page: its prose sits straight in <body>, between headings and a list.
OLD_PAGE = """<html><head><title>The Lighthouse Keepers' Almanac</title></head><body>
<h1>The Lighthouse Keepers' Almanac</h1>
<h2>Question</h2>
Which lamps can a keeper light with the <b>three-wick</b> method described below?
<ol><li>Trim the wicks.</li><li>Fill the reservoir.</li><li>Light the centre wick.</li></ol>
Is every lamp suitable? Looking back at the logbooks of the old stations, which lamps
took the method without changes to their burners?
<p>The answer turns out to be <i>every lamp with a brass burner</i>, as the logbooks of
the northern stations show from the first winter onwards. Keepers there noted the hours
each lamp burned, the oil it took and the state of its glass every morning, and the
three-wick lamps burned longer on less oil through every winter the books record.</p>
<h2>History</h2>
The first written account of the method that we know of is a keeper's letter from the
harbour of Westmouth, sent to the lighthouse board in the spring of its second year.
It describes the wicks, the oil and the glass in a detail no later account matches.
<p>Later accounts repeat the letter almost word for word, which suggests it was copied
from station to station along the coast for many years. Some copies add a drawing of
the burner, others a table of the oil used in each month, but none of them names the
keeper who first tried the method, and the board's own records of that year are lost.</p>
<p>The method spread further once the board printed it in its yearly instructions to
keepers, with the letter's wording shortened and the drawing redrawn by its engineer,
and by the end of the decade every station on the coast used it in the winter months.</p>
</body></html>"""

LOOSE = [
    "Which lamps can a keeper light with the three-wick method described below?",
    "Is every lamp suitable? Looking back at the logbooks of the old stations",
    "The first written account of the method that we know of is a keeper's letter",
]


def test_prose_written_straight_into_the_body_is_extracted_in_order() -> None:
    text = str(extract_article(OLD_PAGE, "https://almanac.example.org/three-wick")["text"])
    flat = " ".join(text.split())
    positions = [flat.find(run) for run in LOOSE]
    assert -1 not in positions, text
    assert positions == sorted(positions)
    assert "every lamp with a brass burner" in flat
    assert flat.find("Fill the reservoir") < flat.find("Is every lamp suitable")


def test_a_run_is_wrapped_with_its_inline_markup_and_the_tails_kept() -> None:
    tree = html.document_fromstring(OLD_PAGE)
    body = tree.find("body")
    assert loose_containers(tree) == [body]
    assert wrap_loose_text(tree) == 3
    first = body.xpath("./p")[0]
    assert first.find("b").text == "three-wick"
    assert " ".join(first.text_content().split()) == LOOSE[0]
    assert not (body.text or "").strip()
    assert all(not (child.tail or "").strip() for child in body)
    # nothing lost, nothing doubled
    before = " ".join(html.document_fromstring(OLD_PAGE).find("body").text_content().split())
    assert " ".join(body.text_content().split()) == before


def test_runs_with_breaks_short_runs_and_quote_only_containers_are_left() -> None:
    page = (
        "<html><body><div class='post'>A reply that quotes the question before it answers it."
        "<blockquote><p>Which lamps can a keeper light?</p></blockquote>"
        "Every lamp with a brass burner, as far as the logbooks go.</div>"
        "<div class='doc'><h2>Notes</h2>First line of a note that goes on for a while<br>"
        "second line of the same note, also long enough<p>A paragraph.</p>Short tail."
        "</div></body></html>"
    )
    tree = html.document_fromstring(page)
    before = html.tostring(tree)
    assert [c.get("class") for c in loose_containers(tree)] == ["doc"]
    assert wrap_loose_text(tree) == 0
    assert html.tostring(tree) == before


def test_prepared_wraps_on_a_copy_and_leaves_the_tree_as_it_was() -> None:
    tree = html.document_fromstring(OLD_PAGE)
    before = html.tostring(tree)
    with prepared(tree) as (page, _drop):
        assert page is not tree
        assert len(page.xpath("//body/p")) == 6
    assert html.tostring(tree) == before
