"""Reconcile trafilatura's paragraphs with the page's own JSON-LD ``articleBody``.

Many publishers put the full article text in the ``articleBody`` of their JSON-LD node. It is
not always usable on its own (some sites truncate it to a teaser, repeat it, or leave out
the lead and the subheadings), so it only steers the result:

* when ``articleBody`` is much longer than what trafilatura found, holds what trafilatura
  found, and is not repetitive, trafilatura missed part of the article: the ``articleBody``
  paragraphs are used instead;
* when both are of comparable size, paragraphs that ``articleBody`` does not contain (teaser
  lists, promotion boxes, fact boxes, captions) are dropped, except the lead (what comes
  before the first shared paragraph) and short headings followed by shared text;
* when trafilatura found no text at all, a non-repetitive ``articleBody`` is the text.

Without a JSON-LD ``articleBody``, the text of the page's single microdata
``itemprop="articleBody"`` element filters the same way (it never replaces: it often holds
tables of contents and widgets that trafilatura rightly leaves out). Without either, the
article HTML in a Next.js page's flight data (the ``self.__next_f`` scripts) acts as an
``articleBody``: such pages may render their article in the browser only.

Texts are compared as multisets of word 4-shingles (casefolded ``\\w+`` tokens).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from copy import deepcopy

from lxml import etree
from lxml import html as lxml_html

from crawler.extract.body import clean_lines
from crawler.extract.document import xpath
from crawler.extract.shingles import Shingles, repeated_share, share_in, shingles, tokens

#: ``articleBody`` at least this many times longer than trafilatura's text replaces it.
#: Chosen on the dev sets (1.3 and 2.0 tried: each lost about 0.001 wcxb text F1).
REPLACE_RATIO = 1.5
#: Share of repeated shingles above which an ``articleBody`` is taken for duplicated text.
MAX_REPEATED_SHARE = 0.2
#: Share of trafilatura's shingles that ``articleBody`` must hold before it is trusted (set by
#: hand: bodies of other articles or teasers hold under 0.2, real ones over 0.7 on the dev sets).
MIN_REPLACE_OVERLAP = 0.4
MIN_FILTER_OVERLAP = 0.5
#: Size range (``articleBody`` / trafilatura, in shingles) in which paragraphs are filtered.
#: The dev figures do not move for lower bounds 0.3-0.7 and upper bounds 1.3-2.0.
FILTER_RATIO = (0.5, 1.5)
#: A paragraph is shared when this share of its shingles occurs in ``articleBody``. Chosen
#: on the dev sets (0.1, 0.2 and 0.5 tried; 0.1 best, as edits between the two are common).
SHARED_SHARE = 0.1
#: Paragraphs of at most this many words count as headings. Chosen on the dev sets (0, 8,
#: 12 and 20 tried; 8 best by a small margin).
HEADING_WORDS = 8

_FLIGHT_MARK = "self.__next_f.push("
_FLIGHT_SCRIPTS = etree.XPath(f"//script[starts-with(normalize-space(.), '{_FLIGHT_MARK}')]/text()")
#: A text record of a flight payload: its id, ``T``, its length in UTF-8 bytes (hex).
_TEXT_RECORD = re.compile(rb"[0-9a-f]{1,8}:T([0-9a-f]{1,8}),")
#: A JSON string literal long enough to hold an article's HTML.
_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.){200,})"')
_MARKUP = re.compile(r"<(?:p|br|div|a|strong|em|b|i|span|h[1-6]|li|ul|ol)\b", re.IGNORECASE)
_BLOCKS = ("p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li")


def clean_body(raw: str) -> list[str]:
    """Paragraph lines of an ``articleBody`` (entities decoded, markup turned into text)."""
    text = raw
    for _ in range(2):  # some sites escape entities twice
        text = html.unescape(text)
    if _MARKUP.search(text):
        text = _markup_text(text)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _markup_text(text: str) -> str:
    """Text of an HTML fragment, one line per block element."""
    try:
        root = lxml_html.fragment_fromstring(text, create_parent="div")
    except (etree.ParserError, ValueError):
        return text
    return element_text(root)


def steer(
    paragraphs: list[str], ld_body: str | None, tree: lxml_html.HtmlElement, source: str = ""
) -> list[str]:
    """``paragraphs`` reconciled with the JSON-LD body, else with the microdata body, else
    with the article HTML the page's Next.js flight data carries (``source``: the page's
    HTML, searched for that data first)."""
    if ld_body:
        return reconcile(paragraphs, ld_body)
    marked = xpath("//@itemprop[.='articleBody']/..")(tree)
    if len(marked) == 1:
        return reconcile(paragraphs, element_text(marked[0]), replace=False)
    if _FLIGHT_MARK in source:
        return reconcile(paragraphs, flight_html(tree))
    return paragraphs


def flight_html(tree: lxml_html.HtmlElement) -> str | None:
    """The longest HTML fragment of two paragraphs or more in the page's Next.js flight
    data (``self.__next_f.push([1, "..."])`` scripts of App Router pages, which may send
    the article only there and render it in the browser), else None."""
    chunks = []
    for script in _FLIGHT_SCRIPTS(tree):
        try:
            item = json.loads(script[script.find("[") : script.rfind("]") + 1])
        except ValueError:
            continue
        if isinstance(item, list) and len(item) > 1 and isinstance(item[1], str):
            chunks.append(item[1])
    fragments = [f for f in _flight_texts("".join(chunks)) if f.count("<p") >= 2]
    return max(fragments, key=len, default=None)


def _flight_texts(payload: str) -> Iterator[str]:
    """The text records (``<id>:T<hex UTF-8 length>,<text>``) and long JSON strings of a
    flight payload."""
    data = payload.encode("utf-8")
    for record in _TEXT_RECORD.finditer(data):
        size = int(record.group(1), 16)
        yield data[record.end() : record.end() + size].decode("utf-8", "replace")
    for match in _JSON_STRING.finditer(payload):
        try:
            yield json.loads(f'"{match.group(1)}"')
        except ValueError:
            continue


def element_text(element: lxml_html.HtmlElement) -> str:
    """Text of ``element`` without scripts and styles, one line per block element."""
    copy = deepcopy(element)
    for unwanted in xpath(".//script|.//style")(copy):
        unwanted.drop_tree()
    for block in copy.iter(*_BLOCKS):
        block.tail = "\n" + (block.tail or "")
    return str(copy.text_content())


def reconcile(paragraphs: list[str], article_body: str | None, replace: bool = True) -> list[str]:
    """``paragraphs`` replaced (if ``replace``) or filtered by ``article_body``.

    See the module docstring.
    """
    if not article_body:
        return paragraphs
    body_lines = clean_body(article_body)
    ours, theirs = shingles("\n".join(paragraphs)), shingles("\n".join(body_lines))
    if not ours and theirs and replace and repeated_share(theirs) < MAX_REPEATED_SHARE:
        return clean_lines("\n".join(body_lines))  # the extractor found no text at all
    if not ours or not theirs:
        return paragraphs
    ratio = sum(theirs.values()) / sum(ours.values())
    overlap = share_in(ours, theirs)
    if replace and _replaces(ratio, repeated_share(theirs), overlap):
        return clean_lines("\n".join(body_lines))
    if FILTER_RATIO[0] <= ratio < FILTER_RATIO[1] and overlap >= MIN_FILTER_OVERLAP:
        return keep_shared(paragraphs, body_lines, theirs)
    return paragraphs


def _replaces(ratio: float, repeated: float, overlap: float) -> bool:
    """Whether an ``articleBody`` of these measures replaces trafilatura's text."""
    return (
        ratio >= REPLACE_RATIO and repeated < MAX_REPEATED_SHARE and overlap >= MIN_REPLACE_OVERLAP
    )


def keep_shared(paragraphs: list[str], body_lines: list[str], theirs: Shingles) -> list[str]:
    """``paragraphs`` without those ``articleBody`` lacks (the lead and headings stay)."""
    joined = " ".join(tokens(" ".join(body_lines)))
    shared = [_is_shared(p, theirs, joined) for p in paragraphs]
    if not any(shared):
        return paragraphs
    lead_end = shared.index(True)
    kept = []
    for i, para in enumerate(paragraphs):
        if shared[i] or i < lead_end or _is_heading(paragraphs, shared, i):
            kept.append(para)
    return kept


def _is_shared(paragraph: str, theirs: Shingles, joined: str) -> bool:
    """Whether ``articleBody`` holds ``paragraph`` (short ones: as a token run)."""
    words = tokens(paragraph)
    if len(words) < 4:
        return " ".join(words) in joined
    return share_in(shingles(paragraph), theirs) >= SHARED_SHARE


def _is_heading(paragraphs: list[str], shared: list[bool], i: int) -> bool:
    """A short non-list line whose next long paragraph is shared."""
    if len(paragraphs[i].split()) > HEADING_WORDS or paragraphs[i].startswith("- "):
        return False
    later = (j for j in range(i + 1, len(paragraphs)) if len(paragraphs[j].split()) > HEADING_WORDS)
    return next((shared[j] for j in later), False)
