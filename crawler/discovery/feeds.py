"""Parse RSS 0.9x/2.0, RDF (RSS 1.0), Atom 1.0/0.3 and JSON Feed documents into links."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from crawler.discovery.common import (
    Warnings,
    clean_url,
    element_text,
    local_name,
    maybe_gunzip,
    namespace,
    safe_xml_parser,
    strip_xml_lead,
)
from crawler.discovery.dates import parse_date
from crawler.discovery.model import DEFAULT_MAX_SIZE, KIND_FEED, DiscoveredLink, FeedResult
from crawler.discovery.sniff import sniff_format
from crawler.errors import DiscoveryParseError

logger = logging.getLogger(__name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC_NS = "http://purl.org/dc/elements/1.1/"
# Namespaces an RSS/RDF <link>/<title> may legitimately carry.
_RSS_NAMESPACES = frozenset(
    {
        "",
        "http://purl.org/rss/1.0/",
        "http://my.netscape.com/rdf/simple/0.9/",
        "http://backend.userland.com/rss2",
    }
)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_XML_ROOTS = {"rss": "rss", "RDF": "rdf", "feed": "atom"}
NO_LINK = "item without link skipped"


def parse_feed(
    body: bytes, url: str, content_type: str | None = None, *, max_size: int = DEFAULT_MAX_SIZE
) -> FeedResult:
    """Parse a feed document fetched from ``url`` into a :class:`FeedResult`.

    Raises ``DiscoveryParseError`` with kind ``feed_not_feed`` (HTML or another XML
    document), ``feed_malformed`` (empty, invalid JSON, XML nothing could be recovered
    from) or a gzip kind (``too_large``, ``gzip_truncated``, ``gzip_invalid``).
    """
    warnings = Warnings()
    body = maybe_gunzip(body, max_size, url, warnings)
    if not body.strip():
        raise DiscoveryParseError("feed_malformed", f"{url}: empty document")
    sniffed = sniff_format(body, content_type)
    if sniffed == "html":
        raise DiscoveryParseError("feed_not_feed", f"{url}: HTML page, not a feed")
    if sniffed == "jsonfeed" or strip_xml_lead(body)[:1] in (b"{", b"["):
        result = _parse_json_feed(body, url, warnings)
    else:
        result = _parse_xml_feed(body, url, warnings)
    logger.debug("feed %s: %s, %s links", url, result.format, len(result.links))
    return result


def _parse_xml_feed(body: bytes, url: str, warnings: Warnings) -> FeedResult:
    """Parse an XML feed, falling back to lxml's recover mode for broken documents."""
    root, recovered = parse_xml_tree(body, url, "feed_malformed")
    if recovered is not None:
        warnings.add(f"recovered from malformed XML: {recovered}")
    name = local_name(root.tag)
    fmt = _XML_ROOTS.get(name)
    if fmt is None:
        kind = "feed_not_feed" if recovered is None or name.lower() == "html" else "feed_malformed"
        raise DiscoveryParseError(kind, f"{url}: root element <{name}> is not a feed")
    if fmt == "atom":
        links = _atom_links(root, url, warnings)
    else:
        links = _rss_links(root, url, warnings, rdf=fmt == "rdf")
    if recovered is not None and not links:
        raise DiscoveryParseError(
            "feed_malformed", f"{url}: malformed XML, no items recovered: {recovered}"
        )
    return FeedResult(fmt, links, warnings.as_list(), malformed=recovered)


def parse_xml_tree(body: bytes, url: str, error_kind: str) -> tuple[etree._Element, str | None]:
    """Parse ``body`` strictly, else in recover mode; return (root, recovery message or None)."""
    data = strip_xml_lead(body)
    try:
        return etree.fromstring(data, safe_xml_parser(recover=False), base_url=url), None
    except etree.XMLSyntaxError as exc:
        message = str(exc)
    try:
        root = etree.fromstring(data, safe_xml_parser(recover=True), base_url=url)
    except etree.XMLSyntaxError as exc:
        raise DiscoveryParseError(error_kind, f"{url}: malformed XML: {exc}") from exc
    if root is None:
        raise DiscoveryParseError(error_kind, f"{url}: malformed XML, no root element: {message}")
    return root, message


def _rss_links(
    root: etree._Element, url: str, warnings: Warnings, *, rdf: bool
) -> list[DiscoveredLink]:
    """Extract links from the ``item`` elements of an RSS or RDF document."""
    links: list[DiscoveredLink] = []
    for item in root.iter("{*}item"):
        link = _rss_item(item, url, warnings, rdf=rdf)
        if link is not None:
            links.append(link)
    return links


def _rss_item(
    item: etree._Element, url: str, warnings: Warnings, *, rdf: bool
) -> DiscoveredLink | None:
    """Turn one RSS/RDF ``item`` into a link (None, with a warning, when it has none)."""
    fields: dict[str, str] = {}
    for child in item:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        ns, name = namespace(tag), local_name(tag)
        if ns in _RSS_NAMESPACES and name in ("link", "title", "pubDate", "guid"):
            fields.setdefault(name, element_text(child))
            if name == "guid":
                fields.setdefault("permalink", child.get("isPermaLink", "true").strip().lower())
        elif ns == DC_NS and name == "date":
            fields.setdefault("dcdate", element_text(child))
        elif ns == ATOM_NS and name == "link" and child.get("rel", "alternate") == "alternate":
            fields.setdefault("atomlink", child.get("href", ""))
    candidates = [fields.get("link"), fields.get("atomlink")]
    if rdf:
        candidates.insert(0, item.get(f"{{{RDF_NS}}}about"))
    if fields.get("permalink", "true") != "false":
        candidates.append(fields.get("guid"))
    return _make_link(
        candidates,
        url,
        fields.get("pubDate") or fields.get("dcdate"),
        fields.get("title"),
        warnings,
    )


def _make_link(
    candidates: list[str | None], base: str, date: str | None, title: str | None, warnings: Warnings
) -> DiscoveredLink | None:
    """Build a link from the first usable URL candidate; warn and return None if none."""
    for candidate in candidates:
        if candidate is None or not candidate.strip():
            continue
        link = clean_url(candidate, base, warnings)
        if link is not None:
            return DiscoveredLink(link, parse_date(date), _clean_title(title), KIND_FEED)
    warnings.add(NO_LINK)
    return None


def _clean_title(title: str | None) -> str | None:
    """Collapse whitespace in a title; None when empty."""
    if title is None:
        return None
    cleaned = " ".join(title.split())
    return cleaned or None


def _atom_links(root: etree._Element, url: str, warnings: Warnings) -> list[DiscoveredLink]:
    """Extract links from the ``entry`` elements of an Atom feed."""
    links: list[DiscoveredLink] = []
    for entry in root.iter("{*}entry"):
        link = _atom_entry(entry, url, warnings)
        if link is not None:
            links.append(link)
    return links


def _atom_entry(entry: etree._Element, url: str, warnings: Warnings) -> DiscoveredLink | None:
    """Turn one Atom ``entry`` into a link, resolving ``href`` against ``xml:base``."""
    alternates: list[etree._Element] = []
    dates: dict[str, str] = {}
    title: str | None = None
    for child in entry:
        name = local_name(child.tag)
        if (
            name == "link"
            and child.get("href")
            and child.get("rel", "alternate").strip() == "alternate"
        ):
            alternates.append(child)
        elif name in ("published", "updated", "issued", "modified"):
            dates.setdefault(name, element_text(child))
        elif name == "title" and title is None:
            title = element_text(child)
    alternates.sort(key=_atom_link_rank)
    candidates: list[str | None] = [_resolve_href(link, url) for link in alternates]
    date = (
        dates.get("published")
        or dates.get("issued")
        or dates.get("updated")
        or dates.get("modified")
    )
    return _make_link(candidates, url, date, title, warnings)


def _atom_link_rank(link: etree._Element) -> int:
    """Sort key: HTML alternates first, then untyped ones, then the rest."""
    link_type = (link.get("type") or "").split(";")[0].strip().lower()
    if link_type in _HTML_TYPES:
        return 0
    return 1 if not link_type else 2


def _resolve_href(link: etree._Element, url: str) -> str:
    """Return a link's ``href`` with its in-scope ``xml:base`` (or the feed URL) applied."""
    href = link.get("href", "").strip()
    base = link.base or url
    return href if href.lower().startswith(("http://", "https://")) else _join(base, href)


def _join(base: str, href: str) -> str:
    """``urljoin`` that keeps ``href`` unchanged when ``base`` is unusable."""
    try:
        return urljoin(base, href)
    except ValueError:
        return href


def _parse_json_feed(body: bytes, url: str, warnings: Warnings) -> FeedResult:
    """Parse a JSON Feed 1.0/1.1 document."""
    try:
        data: Any = json.loads(strip_xml_lead(body))
    except (ValueError, UnicodeDecodeError) as exc:
        raise DiscoveryParseError("feed_malformed", f"{url}: invalid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise DiscoveryParseError("feed_not_feed", f"{url}: JSON without an 'items' list")
    links: list[DiscoveredLink] = []
    for item in data["items"]:
        if not isinstance(item, dict):
            warnings.add("JSON Feed item is not an object, skipped")
            continue
        candidates = [_json_str(item.get("url")), _json_str(item.get("external_url"))]
        date = _json_str(item.get("date_published")) or _json_str(item.get("date_modified"))
        link = _make_link(candidates, url, date, _json_str(item.get("title")), warnings)
        if link is not None:
            links.append(link)
    return FeedResult("jsonfeed", links, warnings.as_list())


def _json_str(value: object) -> str | None:
    """Return ``value`` if it is a string, else None."""
    return value if isinstance(value, str) else None
