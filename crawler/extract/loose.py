"""Loose text: prose written straight into a container between its headings and lists.

Hand-written and older pages put their paragraphs as bare text in ``<body>`` or a ``<div>``
between ``<h2>``, ``<ol>`` and ``<p>`` elements ("What shapes can result from the
<b>fold-and-cut</b> process?<ol>..."). trafilatura reads elements, not text between them,
and drops those runs. Each such run (the text and inline elements between two blocks,
:data:`MIN_CHARS` or more) is wrapped in a ``<p>`` on the copy trafilatura reads
(:func:`crawler.extract.prune.prepared`).

Only containers with a heading, paragraph, list, table or rule among their children are
touched: a forum post's text beside its quote or embed blocks is read by trafilatura
as it is (wrapping it there took posts out of the text on the dev sets), and so is a run
broken by ``<br>`` (already lines to trafilatura). On the dev sets: scrapinghub text
0.9704 -> 0.9709, wcxb 0.9415 -> 0.9418, fundus and forums unchanged; 7 pages change, none
for the worse.
"""

from __future__ import annotations

from typing import Any

from lxml import etree, html

#: Least length (whitespace collapsed) of a run that is wrapped; shorter ones are labels,
#: separators and bylines. On the dev sets 15 scores as 25; 50 loses a page's runs.
MIN_CHARS = 25
_CONTAINERS = (
    "body", "div", "td", "th", "section", "article", "main", "center", "blockquote", "form", "dd",
)  # fmt: skip
#: Text nodes of the containers long enough to be a run (or a run's start); in C.
_LOOSE = etree.XPath(
    "(" + "|".join(f"//{tag}" for tag in _CONTAINERS) + ")/text()"
    f"[string-length() >= {MIN_CHARS}][string-length(normalize-space()) >= {MIN_CHARS}]"
)
#: Elements that flow within a line of text.
INLINE = frozenset(
    ("a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "del", "dfn", "em",
     "font", "i", "img", "ins", "kbd", "label", "mark", "nobr", "q", "s", "samp", "small",
     "span", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr")
)  # fmt: skip
#: Children that make a container a document whose loose runs are paragraphs.
STRUCTURE = frozenset(
    ("h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "table", "pre", "dl", "hr")
)


def loose_containers(tree: html.HtmlElement) -> list[html.HtmlElement]:
    """The containers of ``tree`` with loose runs to wrap, in document order."""
    found: dict[html.HtmlElement, None] = {}
    for text in _LOOSE(tree):
        parent = text.getparent()
        container = parent.getparent() if text.is_tail else parent
        if container is not None and container not in found and _structured(container):
            found[container] = None
    return list(found)


def _structured(container: html.HtmlElement) -> bool:
    return any(isinstance(child.tag, str) and child.tag in STRUCTURE for child in container)


def _inline(element: html.HtmlElement) -> bool:
    """Inline markup, or a comment or processing instruction (they sit in a run)."""
    return not isinstance(element.tag, str) or element.tag in INLINE


def wrap_loose_text(tree: html.HtmlElement, paths: list[str] | None = None) -> int:
    """Wrap the loose runs of ``tree`` in ``<p>`` elements (in place); how many.
    ``paths``: where :func:`loose_containers` found them in the tree ``tree`` is a copy
    of (``getpath``), so the copy is not searched again."""
    if paths is None:
        containers = loose_containers(tree)
    else:
        root = tree.getroottree()
        containers = [found for path in paths for found in root.xpath(path)]
    return sum(_wrap(container) for container in containers)


def _wrap(container: html.HtmlElement) -> int:
    """Wrap ``container``'s runs: its leading text, or the tail of a block child, with
    the inline children that follow, up to the next block child."""
    wrapped = 0
    owner: html.HtmlElement = container  # whose text (container) or tail (a block) leads
    run: list[html.HtmlElement] = []
    for child in [*container, None]:
        if child is not None and _inline(child):
            run.append(child)
            continue
        wrapped += _wrap_run(container, owner, run)
        if child is not None:
            owner, run = child, []
    return wrapped


def _wrap_run(container: html.HtmlElement, owner: html.HtmlElement, run: list[Any]) -> int:
    lead = owner.text if owner is container else owner.tail
    text = (lead or "") + "".join(_run_text(element) for element in run)
    if len(" ".join(text.split())) < MIN_CHARS or any(_has_break(e) for e in run):
        return 0
    paragraph = etree.Element("p")
    paragraph.text = lead
    if owner is container:
        container.text = None
        container.insert(0, paragraph)
    else:
        owner.tail = None
        owner.addnext(paragraph)
    paragraph.extend(run)  # moves them, tails and all
    return 1


def _run_text(element: html.HtmlElement) -> str:
    own = element.text_content() if isinstance(element.tag, str) else ""
    return f"{own}{element.tail or ''}"


def _has_break(element: html.HtmlElement) -> bool:
    if not isinstance(element.tag, str):
        return False
    return element.tag == "br" or element.find(".//br") is not None
