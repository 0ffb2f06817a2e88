"""Turn arbitrary input into a parsed HTML tree, or say why it cannot be one.

Nothing here raises: every failure becomes a :class:`Loaded` with ``tree=None`` and a
status slug (``empty_body``, ``not_html``, ``too_large``, ``parse_error``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree, html

from crawler.extract import mojibake

logger = logging.getLogger(__name__)

#: Largest input (characters) we extract from. News pages with inline scripts reach a few
#: MB; 10 MB leaves ample margin while keeping one extraction well under a few seconds.
MAX_HTML_CHARS = 10_000_000
#: Deepest element nesting we hand to the extractors. Real pages stay below ~100 levels;
#: trafilatura and lxml recursion get slow or crash (RecursionError) on deeper trees.
MAX_DEPTH = 400
#: Share of control characters above which the input is taken for binary junk, not HTML.
#: Real HTML has almost none; 5 % tolerates mojibake and stray NULs.
MAX_CONTROL_SHARE = 0.05

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
#: The same characters as bytes: a UTF-8 encoding has them as these bytes alone.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_MARKUP = re.compile(r"<\s*[a-zA-Z!?/]")


@dataclass
class Loaded:
    """Outcome of loading: a tree and/or the status saying what went wrong.

    ``too_deep`` keeps the tree (metadata is still read from it) but the body is skipped.
    """

    tree: html.HtmlElement | None
    status: str
    text: str = ""


def load(source: str, tree: html.HtmlElement | None = None) -> Loaded:
    """Parse ``source`` into a tree after the size, binary and markup checks; ``tree``: the
    page already parsed (by the comment reader, which shares its parse), used as it is."""
    if not isinstance(source, str) or not source.strip():
        return Loaded(None, "empty_body")
    if len(source) > MAX_HTML_CHARS:
        return Loaded(None, "too_large")
    sample = source[:100_000]
    if control_count(sample) > MAX_CONTROL_SHARE * len(sample):
        return Loaded(None, "not_html")
    if not _MARKUP.search(sample):
        return Loaded(None, "not_html")
    cleaned = source
    if tree is None:  # a given tree is used as it is: no second pass over the source
        cleaned = _CONTROL.sub("", source)
        tree = _parse(cleaned)
    if tree is None:
        return Loaded(None, "parse_error")
    if too_deep(tree):
        return Loaded(tree, "too_deep", cleaned)
    return Loaded(tree, "ok", cleaned)


def control_count(text: str) -> int:
    """How many :data:`_CONTROL` characters ``text`` has: counted on its UTF-8 bytes
    (a third of the time of the pattern's ``findall`` on real pages' 100,000 characters;
    no byte of a multi-byte sequence is below 0x80)."""
    data = text.encode("utf-8", "surrogatepass")
    return len(data) - len(data.translate(None, _CONTROL_BYTES))


#: lxml.html's own lookup picks each element's class in Python (form elements get their own
#: classes), once per element object made: some 1,200 times a page between our readers and
#: trafilatura. This C-level lookup gives every element ``HtmlElement`` (no extractor here
#: uses the form classes' API).
ELEMENT_LOOKUP = etree.ElementDefaultClassLookup(
    element=html.HtmlElement,
    comment=html.HtmlComment,
    pi=html.HtmlProcessingInstruction,
    entity=html.HtmlEntity,
)


def _parse(source: str) -> html.HtmlElement | None:
    """lxml's forgiving HTML parser; ``None`` when it gives up."""
    try:
        parser = html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=False)
        parser.set_element_class_lookup(ELEMENT_LOOKUP)
        tree = html.document_fromstring(source, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        logger.debug("HTML parse failed: %s", exc)
        return None
    if not isinstance(tree, html.HtmlElement):
        return None
    merge_root_siblings(tree)
    mojibake.repair(tree, source)
    return tree


def merge_root_siblings(root: html.HtmlElement) -> None:
    """Move what libxml2 put beside the root ``<html>`` into it.

    A page with a second ``<html>`` (markup after ``</html>``, or two documents pasted
    together) parses into sibling root elements; XPath still sees them, but a copy of the
    root (every extractor copies its input) loses them, with the article sometimes in
    them. Their ``<head>`` children join the root's head, everything else its body.
    """
    siblings = [e for e in root.itersiblings() if isinstance(e.tag, str)]
    if not siblings:
        return
    head, body = _part(root, "head", 0), _part(root, "body", len(root))
    for sibling in siblings:
        parts = list(sibling) if sibling.tag == "html" else [sibling]
        for part in parts:
            if part.tag == "head":
                head.extend(list(part))
            elif part.tag == "body":
                body.extend(list(part))
            else:
                body.append(part)


def _part(root: html.HtmlElement, tag: str, index: int) -> html.HtmlElement:
    """The root's ``<head>`` or ``<body>``, made at ``index`` when missing."""
    found = root.find(tag)
    if found is None:
        found = html.Element(tag)
        root.insert(index, found)
    return found


#: True when an element sits MAX_DEPTH levels below the root (the root is level 1): libxml2
#: steps through the tree level by level in C, 0.05 ms a page where a Python walk over
#: every element took 0.15 ms.
_DEEPER_THAN_MAX = etree.XPath("boolean(" + "/".join(["*"] * MAX_DEPTH) + ")")


def too_deep(tree: html.HtmlElement) -> bool:
    """Whether any element is nested deeper than :data:`MAX_DEPTH` (no recursion)."""
    return bool(_DEEPER_THAN_MAX(tree))


_EXSLT = {"re": "http://exslt.org/regular-expressions"}


@lru_cache(maxsize=512)
def xpath(expression: str) -> etree.XPath:
    """``expression`` compiled once (``element.xpath(text)`` compiles it at every call,
    about 13 µs; EXSLT regular expressions available under ``re:``)."""
    return etree.XPath(expression, namespaces=_EXSLT)
