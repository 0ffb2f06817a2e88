"""Read schema.org JSON-LD blocks into per-field raw values.

Handles ``@graph``, top-level lists, ``@id`` references (for authors and publishers),
types given as lists, and the usual breakage (trailing commas, control characters, HTML
comments or CDATA around the JSON, several objects in one block). A block that still does
not parse is skipped with a debug log; it never fails the extraction.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree, html

from crawler.extract.patterns import ARTICLE_TYPES, JSONLD_KEYS, PAGE_TYPES, PERSON_TYPES

logger = logging.getLogger(__name__)

Node = dict[str, Any]
#: Largest JSON-LD block we parse (characters); larger ones are data dumps, not metadata.
MAX_BLOCK_CHARS = 2_000_000
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_WRAPPER = re.compile(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$")
_CONTROL = re.compile(r"[\x00-\x1f]")
_LD_SCRIPTS = etree.XPath("//script[contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json')]")


def blocks(tree: html.HtmlElement) -> list[Any]:
    """Parsed JSON of every ``application/ld+json`` script (unparseable ones dropped)."""
    found: list[Any] = []
    for script in _LD_SCRIPTS(tree):
        raw = script.text or ""
        if not raw.strip() or len(raw) > MAX_BLOCK_CHARS:
            continue
        data = _loads(raw)
        if data is not None:
            found.append(data)
    return found


def _loads(raw: str) -> Any:
    """``json.loads`` with the common repairs; ``None`` when nothing works."""
    text = _WRAPPER.sub("", raw.strip())
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", text))):
        try:
            return json.loads(attempt)
        except (ValueError, RecursionError):
            continue
    try:  # several objects back to back: keep the first
        return json.JSONDecoder().raw_decode(text)[0]
    except (ValueError, RecursionError) as exc:
        logger.debug("unparseable JSON-LD block: %s", exc)
        return None


def nodes(data: Any, depth: int = 0) -> Iterator[Node]:
    """Every dict node in lists and ``@graph`` containers (not nested properties)."""
    if depth > 20:
        return
    if isinstance(data, list):
        for item in data:
            yield from nodes(item, depth + 1)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from nodes(data["@graph"], depth + 1)
        if "@type" in data or "headline" in data:
            yield data


def types_of(node: Node) -> set[str]:
    """Lowercased schema.org type names of ``node`` (prefixes such as ``schema:`` dropped)."""
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for v in values if v}


def pick_article(all_nodes: list[Node]) -> Node | None:
    """The node describing the article: an article type with most fields, else a page."""
    articles = [n for n in all_nodes if types_of(n) & ARTICLE_TYPES]
    if not articles:
        articles = [n for n in all_nodes if types_of(n) & PAGE_TYPES]
    if not articles:
        return None
    return max(articles, key=lambda n: ("headline" in n, "datePublished" in n, len(n)))


def person_names(value: Any, index: dict[str, Node], depth: int = 0) -> list[tuple[str, bool]]:
    """``(name, is_person)`` for each name in an ``author`` value (orgs: ``False``)."""
    if depth > 5 or value is None:
        return []
    if isinstance(value, str):
        return [(value, True)]
    if isinstance(value, list):
        return [pair for item in value for pair in person_names(item, index, depth + 1)]
    if not isinstance(value, dict):
        return []
    node = index.get(str(value.get("@id")), value) if len(value) <= 2 else value
    name = node.get("name") or " ".join(
        str(node.get(k, "")) for k in ("givenName", "familyName") if node.get(k)
    )
    if isinstance(name, list):
        name = name[0] if name else ""
    kinds = types_of(node)
    return [(str(name), not kinds or bool(kinds & PERSON_TYPES))] if name else []


def first_string(value: Any, keys: tuple[str, ...] = ("@id", "url", "contentUrl")) -> str | None:
    """A plain string from a string, list or object value (URL-ish objects use ``keys``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        for item in value:
            got = first_string(item, keys)
            if got:
                return got
        return None
    if isinstance(value, dict):
        for key in keys:
            if isinstance(value.get(key), str):
                return str(value[key])
    return None


def extract(tree: html.HtmlElement) -> dict[str, Any]:
    """Raw per-field values from the page's JSON-LD article node (strings or lists)."""
    all_nodes = [n for data in blocks(tree) for n in nodes(data)]
    index = {str(n["@id"]): n for n in all_nodes if isinstance(n.get("@id"), str)}
    article = pick_article(all_nodes)
    if article is None:
        return {}
    out: dict[str, Any] = {}
    for field, keys in JSONLD_KEYS.items():
        for key in keys:
            value = article.get(key)
            if value in (None, "", []):
                continue
            if field == "authors":
                pairs = person_names(value, index)
                people = [name for name, is_person in pairs if is_person]
                out["authors"] = people or [name for name, _ in pairs]
                out["authors_organisations"] = bool(pairs) and not people
            elif field == "tags":
                out[field] = value if isinstance(value, list) else str(value).split(",")
            elif field in ("image", "canonical"):
                out[field] = first_string(value)
            else:
                out[field] = first_string(value, ("name", "@value"))
            break
    out["body"] = first_string(article.get("articleBody"))
    out["discussion"] = "discussionforumposting" in types_of(article)
    headline, alternative = article.get("headline"), article.get("alternativeHeadline")
    if isinstance(headline, str) and isinstance(alternative, str) and headline.strip():
        # stated twice: the CMS's declared headline (see merge.choose_title)
        out["headline_restated"] = " ".join(headline.split()) == " ".join(alternative.split())
    return {k: v for k, v in out.items() if v not in (None, "", [], False)}
