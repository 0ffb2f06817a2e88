"""Article body text and metadata extraction for parsed records.

``extract_article(html, url)`` returns one record dict (keys in
:data:`crawler.extract.article.EMPTY_RECORD`) and never raises: input that cannot be
extracted gives a record whose ``extraction_status`` says why (``empty_body``,
``not_html``, ``too_large``, ``too_deep``, ``parse_error``, ``no_text``,
``extractor_error``, ``error``). Field precedence is documented in
:mod:`crawler.extract.merge`; date rules in :mod:`crawler.extract.normalize`.
"""

from __future__ import annotations

import logging
from typing import Any

import lxml.etree
import trafilatura

import crawler
from crawler.extract.article import build, empty_record

logger = logging.getLogger(__name__)

EXTRACTOR_NAME = "newsarchive-extract"

__all__ = ["EXTRACTOR_NAME", "extract_article", "extractor_versions"]


def extractor_versions() -> dict[str, str]:
    """Versions of this extractor and of the libraries that shape its output."""
    return {
        EXTRACTOR_NAME: crawler.__version__,
        "trafilatura": trafilatura.__version__,
        "lxml": ".".join(str(part) for part in lxml.etree.LXML_VERSION),
    }


def extract_article(html: str, url: str, tree: Any = None) -> dict[str, object]:
    """Extract body text and metadata from one page; never raises (see module docstring).
    ``tree``: the page already parsed (``crawler.comments.dom.parse``), if it was."""
    try:
        return build(html, url if isinstance(url, str) else "", tree)
    except Exception:
        logger.warning("extraction failed for %s", url, exc_info=True)
        return empty_record("error")
