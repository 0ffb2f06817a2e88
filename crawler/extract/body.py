"""Article body text through trafilatura, then a residue filter.

trafilatura finds the main content; we keep its paragraph structure (one output line per
block element) and join paragraphs with a blank line. Lines that are comment-form, sharing
or widget residue (:data:`~crawler.extract.patterns.RESIDUE_LINES`) are dropped, and a
trailing comment section (:data:`~crawler.extract.patterns.COMMENT_SECTION_START`) is cut.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import trafilatura
from lxml.html import HtmlElement

from crawler.extract.patterns import COMMENT_SECTION_START, RESIDUE_LINES

logger = logging.getLogger(__name__)

#: trafilatura options: comments excluded (they belong to the comment thread), tables kept
#: (news tables are content), default precision/recall balance (best F1 on the dev sets).
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "deduplicate": False,
    "with_metadata": True,
}


@dataclass
class Body:
    """Body paragraphs plus trafilatura's own metadata guesses (fallbacks)."""

    paragraphs: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    failed: bool = False


def run_trafilatura(source: str | HtmlElement, url: str) -> Body:
    """Call trafilatura; any exception it raises becomes ``Body(failed=True)``."""
    try:
        doc = trafilatura.bare_extraction(source, url=url or None, **TRAFILATURA_OPTIONS)
    except Exception:
        logger.warning("trafilatura failed on %s", url, exc_info=True)
        return Body(failed=True)
    if doc is None:
        return Body()
    data: dict[str, Any] = doc if isinstance(doc, dict) else doc.as_dict()
    return Body(clean_lines(str(data.get("text") or "")), data)


def is_residue(line: str) -> bool:
    """Whether a whole line is form, sharing or widget text."""
    return any(p.fullmatch(line) for p in RESIDUE_LINES)


def clean_lines(text: str) -> list[str]:
    """Paragraph lines without residue, stopping at a comment-section heading."""
    kept: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if COMMENT_SECTION_START.match(line) and kept:
            break
        if not is_residue(line):
            kept.append(line)
    return kept
