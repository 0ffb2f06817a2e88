"""Discovery documents: robots.txt, RSS/Atom/JSON feeds and XML sitemaps.

Feed links carry tracking noise on purpose: RSS ``<link>`` has
``?utm_source=rss&utm_medium=feed``, Atom ``rel="alternate"`` has ``#comments``,
JSON Feed ``url`` is plain. ``/feed/broken/`` is malformed XML.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from email.utils import format_datetime

from crawler.fixture_site.html_common import esc, section_label
from crawler.fixture_site.model import Article, SiteKind, SiteModel

XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
RSS_TRACKING = "?utm_source=rss&utm_medium=feed"
#: Children of ``/sitemap_index.xml`` (wordpress), in order.
SITEMAP_CHILDREN = (
    "/post-sitemap1.xml",
    "/post-sitemap2.xml.gz",
    "/sitemap-archive.xml",
    "/sitemap-html.xml",
    "/sitemap-edge.xml",
)


def _crawl_delay_text(crawl_delay: float) -> str:
    """Format a crawl delay without trailing zeros (``0.2``, ``1``)."""
    return f"{crawl_delay:g}"


def robots_txt(kind: SiteKind, base_url: str, crawl_delay: float) -> str:
    """The site's robots.txt."""
    lines = ["User-agent: *"]
    if crawl_delay:
        lines.append(f"Crawl-delay: {_crawl_delay_text(crawl_delay)}")
    if kind == "wordpress":
        lines += [
            "Disallow: /private/",
            "Disallow: /wp-admin/",
            "",
            "User-agent: BadBot",
            "Disallow: /",
            "",
            f"Sitemap: {base_url}/sitemap_index.xml",
            f"Sitemap: {base_url}/news-sitemap.xml",
        ]
    else:
        lines += [
            "Disallow: /wp-admin/",
            "Allow: /wp-admin/admin-ajax.php",
            "",
            f"Sitemap: {base_url}/sitemap.xml",
        ]
    return "\n".join(lines) + "\n"


def _paragraphs_html(article: Article) -> str:
    """Article body as HTML paragraphs."""
    return "".join(f"<p>{esc(p)}</p>" for p in article.paragraphs)


def _rss_item(model: SiteModel, article: Article) -> str:
    """One RSS ``<item>``."""
    creators = "".join(f"<dc:creator>{esc(a)}</dc:creator>" for a in article.authors)
    categories = "".join(f"<category>{esc(t)}</category>" for t in article.tags)
    return (
        f"<item><title>{esc(article.title)}</title>"
        f"<link>{esc(article.url + RSS_TRACKING)}</link>"
        f"<comments>{esc(article.url)}#comments</comments>{creators}"
        f"<pubDate>{format_datetime(article.published)}</pubDate>"
        f"<category>{section_label(article.section)}</category>{categories}"
        f'<guid isPermaLink="false">{model.base_url}/?p={article.id}</guid>'
        f"<description>{esc(article.description)}</description>"
        f"<content:encoded>{esc(_paragraphs_html(article))}</content:encoded>"
        f"<slash:comments>{len(article.comments)}</slash:comments></item>\n"
    )


def rss_feed(model: SiteModel, articles: list[Article]) -> str:
    """An RSS 2.0 feed of ``articles``."""
    items = "".join(_rss_item(model, a) for a in articles)
    built = format_datetime(max((a.modified for a in articles), default=model.now))
    return (
        f'{XML_DECL}<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:slash="http://purl.org/rss/1.0/modules/slash/">\n<channel>'
        f"<title>{esc(model.site_name)}</title>"
        f'<atom:link href="{model.base_url}/feed/" rel="self" type="application/rss+xml"/>'
        f"<link>{model.base_url}/</link><description>Invented news for tests</description>"
        f"<lastBuildDate>{built}</lastBuildDate><language>en-US</language>\n"
        f"{items}</channel>\n</rss>\n"
    )


def _atom_entry(model: SiteModel, article: Article) -> str:
    """One Atom ``<entry>``."""
    authors = "".join(f"<author><name>{esc(a)}</name></author>" for a in article.authors)
    return (
        f'<entry>{authors}<title type="html">{esc(article.title)}</title>'
        f'<link rel="alternate" type="text/html" href="{esc(article.url)}#comments"/>'
        f"<id>{model.base_url}/?p={article.id}</id>"
        f"<updated>{article.modified.isoformat()}</updated>"
        f"<published>{article.published.isoformat()}</published>"
        f'<category scheme="{model.base_url}" term="{section_label(article.section)}"/>'
        f'<summary type="html">{esc(article.description)}</summary>'
        f'<content type="html">{esc(_paragraphs_html(article))}</content></entry>\n'
    )


def atom_feed(model: SiteModel, articles: list[Article]) -> str:
    """An Atom 1.0 feed of ``articles``."""
    updated = max((a.modified for a in articles), default=model.now).isoformat()
    entries = "".join(_atom_entry(model, a) for a in articles)
    return (
        f'{XML_DECL}<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-US">\n'
        f'<title type="text">{esc(model.site_name)}</title><updated>{updated}</updated>'
        f'<link rel="alternate" type="text/html" href="{model.base_url}/"/>'
        f"<id>{model.base_url}/feed/atom/</id>"
        f'<link rel="self" type="application/atom+xml" href="{model.base_url}/feed/atom/"/>\n'
        f"{entries}</feed>\n"
    )


def json_feed(model: SiteModel, articles: list[Article]) -> str:
    """A JSON Feed 1.1 document of ``articles``."""
    items = [
        {
            "id": str(a.id),
            "url": a.url,
            "title": a.title,
            "summary": a.description,
            "content_html": _paragraphs_html(a),
            "date_published": a.published.isoformat(),
            "date_modified": a.modified.isoformat(),
            "authors": [{"name": n} for n in a.authors],
            "tags": a.tags,
        }
        for a in articles
    ]
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": model.site_name,
        "home_page_url": model.base_url + "/",
        "feed_url": model.base_url + "/feed.json",
        "language": "en-US",
        "items": items,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def broken_feed(model: SiteModel) -> str:
    """RSS that is not well-formed: an undeclared entity, then truncation mid-element."""
    first = model.articles[0]
    return (
        f'{XML_DECL}<rss version="2.0">\n<channel><title>{esc(model.site_name)}&nbsp;Feed</title>'
        f"<link>{model.base_url}/</link>\n<item><title>{esc(first.title)}</title>"
        f"<link>{esc(first.url)}</link><description>Truncated &hellip; feed</descr"
    )


def _lastmod(moment: datetime) -> str:
    """Sitemap ``lastmod`` (W3C datetime with offset)."""
    return moment.isoformat()


def urlset(urls: Iterable[tuple[str, datetime | None]]) -> str:
    """A plain ``<urlset>`` of ``(loc, lastmod)`` pairs."""
    entries = []
    for loc, lastmod in urls:
        mod = f"<lastmod>{_lastmod(lastmod)}</lastmod>" if lastmod else ""
        entries.append(f"<url><loc>{esc(loc)}</loc>{mod}</url>\n")
    return f'{XML_DECL}<urlset xmlns="{SITEMAP_NS}">\n{"".join(entries)}</urlset>\n'


def article_urlset(articles: list[Article]) -> str:
    """A ``<urlset>`` of articles with their modification times."""
    return urlset((a.url, a.modified) for a in articles)


def sitemap_index(model: SiteModel) -> str:
    """``/sitemap_index.xml`` listing :data:`SITEMAP_CHILDREN`."""
    first, second = model.sitemap_halves()
    mods: list[datetime | None] = [
        max((a.modified for a in group), default=None)
        for group in (first, second, model.old_articles())
    ]
    mods += [model.now, model.now]
    entries = []
    for path, mod in zip(SITEMAP_CHILDREN, mods, strict=True):
        lastmod = f"<lastmod>{_lastmod(mod)}</lastmod>" if mod else ""
        entries.append(f"<sitemap><loc>{model.base_url}{path}</loc>{lastmod}</sitemap>\n")
    return f'{XML_DECL}<sitemapindex xmlns="{SITEMAP_NS}">\n{"".join(entries)}</sitemapindex>\n'


def news_sitemap(model: SiteModel) -> str:
    """Google News sitemap of :meth:`SiteModel.news_articles`."""
    entries = []
    for a in model.news_articles():
        entries.append(
            f"<url><loc>{esc(a.url)}</loc><news:news><news:publication>"
            f"<news:name>{esc(model.site_name)}</news:name><news:language>en</news:language>"
            f"</news:publication><news:publication_date>{a.published.isoformat()}"
            f"</news:publication_date><news:title>{esc(a.title)}</news:title>"
            f"<news:keywords>{esc(', '.join(a.tags))}</news:keywords></news:news></url>\n"
        )
    return (
        f'{XML_DECL}<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n'
        f"{''.join(entries)}</urlset>\n"
    )
