"""Parse XML sitemaps, sitemap indexes, news sitemaps and text sitemaps (streaming, XXE-safe)."""

from __future__ import annotations

import io
import logging

from lxml import etree

from crawler.discovery.common import (
    Warnings,
    clean_url,
    decode_text,
    element_text,
    local_name,
    maybe_gunzip,
    strip_xml_lead,
)
from crawler.discovery.dates import parse_date
from crawler.discovery.feeds import parse_feed
from crawler.discovery.model import (
    DEFAULT_MAX_SIZE,
    KIND_NEWS_SITEMAP,
    KIND_SITEMAP,
    SITEMAP_MAX_URLS,
    DiscoveredLink,
    SitemapResult,
)
from crawler.discovery.sniff import FEED_FORMATS, looks_like_markup, sniff_format
from crawler.errors import DiscoveryParseError

logger = logging.getLogger(__name__)

_ENTRY_TAGS = ("{*}url", "{*}sitemap")
_FEED_ERROR_KINDS = {"feed_malformed": "sitemap_malformed", "feed_not_feed": "sitemap_malformed"}


def parse_sitemap(
    body: bytes, url: str, content_type: str | None = None, *, max_size: int = DEFAULT_MAX_SIZE
) -> SitemapResult:
    """Parse a sitemap document fetched from ``url`` into a :class:`SitemapResult`.

    Handles gzip (capped at ``max_size`` decompressed bytes), XML urlsets and indexes
    (any or no namespace), text sitemaps and RSS/Atom feeds used as sitemaps. Raises
    ``DiscoveryParseError`` with kind ``too_large``, ``gzip_truncated``, ``gzip_invalid``,
    ``sitemap_not_xml`` (HTML or unrecognisable bytes), ``sitemap_malformed`` (broken XML
    nothing was recovered from, empty body) or ``sitemap_not_sitemap`` (other XML).
    """
    warnings = Warnings()
    body = maybe_gunzip(body, max_size, url, warnings)
    if not body.strip():
        raise DiscoveryParseError("sitemap_malformed", f"{url}: empty document")
    sniffed = sniff_format(body, content_type)
    if sniffed == "html":
        raise DiscoveryParseError("sitemap_not_xml", f"{url}: HTML page, not a sitemap")
    if sniffed in FEED_FORMATS:
        result = _parse_feed_as_sitemap(body, url, content_type, max_size, warnings)
    elif sniffed == "text-sitemap" or not looks_like_markup(body):
        result = _parse_text(body, url, warnings, strict=sniffed != "text-sitemap")
    else:
        result = _parse_xml(body, url, warnings)
    logger.debug(
        "sitemap %s: %s, %s links, %s sitemaps",
        url, result.format, len(result.links), len(result.sitemaps),
    )  # fmt: skip
    return result


def _parse_feed_as_sitemap(
    body: bytes, url: str, content_type: str | None, max_size: int, warnings: Warnings
) -> SitemapResult:
    """Parse an RSS/Atom/JSON feed served as a sitemap (sitemaps.org allows RSS and Atom)."""
    try:
        feed = parse_feed(body, url, content_type, max_size=max_size)
    except DiscoveryParseError as exc:
        kind = _FEED_ERROR_KINDS.get(exc.kind, exc.kind)
        raise DiscoveryParseError(kind, str(exc)) from exc
    warnings.extend(feed.warnings)
    return SitemapResult("urlset", feed.links, [], warnings.as_list())


def _parse_text(body: bytes, url: str, warnings: Warnings, *, strict: bool) -> SitemapResult:
    """Parse a text sitemap (one absolute URL per line).

    With ``strict`` (the body did not look like a text sitemap), finding no URL raises
    ``sitemap_not_xml``.
    """
    links: list[DiscoveredLink] = []
    for raw_line in decode_text(body).splitlines():
        line = raw_line.strip()
        if not line or line.startswith("#"):
            continue
        if not line[:8].lower().startswith(("http://", "https://")):
            warnings.add(f"text sitemap line is not an http(s) URL: {line[:200]}")
            continue
        link = clean_url(line, url, warnings)
        if link is not None:
            links.append(DiscoveredLink(link, None, None, KIND_SITEMAP))
    if strict and not links:
        raise DiscoveryParseError("sitemap_not_xml", f"{url}: neither XML nor a text sitemap")
    _check_count(len(links), warnings)
    return SitemapResult("text", links, [], warnings.as_list())


def _parse_xml(body: bytes, url: str, warnings: Warnings) -> SitemapResult:
    """Stream-parse an XML sitemap; on a syntax error re-parse in recover mode."""
    collector = _Collector(url)
    try:
        root_name = _stream(body, collector, recover=False)
    except etree.XMLSyntaxError as exc:
        collector = _Collector(url)
        collector.warnings.add(f"recovered from malformed XML: {exc}")
        try:
            root_name = _stream(body, collector, recover=True)
        except etree.XMLSyntaxError as exc2:
            raise DiscoveryParseError("sitemap_malformed", f"{url}: malformed XML: {exc2}") from exc
        if not collector.links and not collector.sitemaps:
            raise DiscoveryParseError(
                "sitemap_malformed", f"{url}: malformed XML, no entries recovered: {exc}"
            ) from exc
    return _finish(collector, root_name, url, warnings)


def _finish(collector: _Collector, root_name: str, url: str, warnings: Warnings) -> SitemapResult:
    """Check the root element and the entry count; assemble the result."""
    if root_name.lower() == "html":
        raise DiscoveryParseError("sitemap_not_xml", f"{url}: (X)HTML page, not a sitemap")
    entries = len(collector.links) + len(collector.sitemaps)
    if root_name not in ("urlset", "sitemapindex"):
        if not entries:
            raise DiscoveryParseError(
                "sitemap_not_sitemap", f"{url}: root element <{root_name}> is not a sitemap"
            )
        warnings.add(f"unexpected root element <{root_name}>")
    if root_name == "urlset" and collector.sitemaps:
        warnings.add(f"{len(collector.sitemaps)} <sitemap> entries inside a <urlset>")
    if root_name == "sitemapindex" and collector.links:
        warnings.add(f"{len(collector.links)} <url> entries inside a <sitemapindex>")
    warnings.merge(collector.warnings)
    _check_count(entries, warnings)
    fmt = "sitemapindex" if root_name == "sitemapindex" else "urlset"
    return SitemapResult(fmt, collector.links, collector.sitemaps, warnings.as_list())


def _check_count(count: int, warnings: Warnings) -> None:
    """Warn when a sitemap holds more URLs than the protocol allows."""
    if count > SITEMAP_MAX_URLS:
        warnings.add(f"sitemap has {count} URLs, more than the {SITEMAP_MAX_URLS} allowed")


def _stream(body: bytes, collector: _Collector, *, recover: bool) -> str:
    """Feed each ``url``/``sitemap`` element to ``collector``, freeing memory as it goes.

    Returns the local name of the root element (``""`` if there is none).
    """
    context = etree.iterparse(
        io.BytesIO(strip_xml_lead(body)),
        events=("end",),
        tag=_ENTRY_TAGS,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        recover=recover,
    )
    for _event, elem in context:
        collector.entry(elem)
        elem.clear(keep_tail=False)
        parent = elem.getparent()
        if parent is not None:
            while elem.getprevious() is not None:
                del parent[0]
    root = context.root
    return local_name(root.tag) if root is not None else ""


class _Collector:
    """Accumulates links and child sitemaps from ``url`` / ``sitemap`` elements."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.links: list[DiscoveredLink] = []
        self.sitemaps: list[str] = []
        self.warnings = Warnings()

    def entry(self, elem: etree._Element) -> None:
        """Handle one ``<url>`` or ``<sitemap>`` element."""
        loc: str | None = None
        lastmod: str | None = None
        news: etree._Element | None = None
        for child in elem:
            name = local_name(child.tag)
            if name == "loc" and loc is None:
                loc = element_text(child)
            elif name == "lastmod" and lastmod is None:
                lastmod = child.text
            elif name == "news" and news is None:
                news = child
        if loc is None or not loc.strip():
            loc = self._loc_fallback(elem)
        clean = clean_url(loc, self.url, self.warnings)
        if clean is None:
            return
        if local_name(elem.tag) == "sitemap":
            self.sitemaps.append(clean)
        elif news is not None:
            self.links.append(self._news_link(clean, news, lastmod))
        else:
            self.links.append(DiscoveredLink(clean, parse_date(lastmod), None, KIND_SITEMAP))

    def _loc_fallback(self, elem: etree._Element) -> str | None:
        """Use the element's own text as URL when it has no ``<loc>`` (seen in the wild)."""
        text = (elem.text or "").strip()
        if text:
            self.warnings.add(f"<{local_name(elem.tag)}> without <loc>; used its text")
            return text
        self.warnings.add(f"<{local_name(elem.tag)}> without <loc> skipped")
        return None

    @staticmethod
    def _news_link(url: str, news: etree._Element, lastmod: str | None) -> DiscoveredLink:
        """Build a news-sitemap link: publication date (else lastmod) and news title."""
        published: str | None = None
        title: str | None = None
        for child in news:
            name = local_name(child.tag)
            if name == "publication_date" and published is None:
                published = child.text
            elif name == "title" and title is None:
                title = " ".join(element_text(child).split()) or None
        date = parse_date(published) or parse_date(lastmod)
        return DiscoveredLink(url, date, title, KIND_NEWS_SITEMAP)
