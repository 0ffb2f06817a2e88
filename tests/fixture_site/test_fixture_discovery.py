"""robots.txt, sitemaps and feeds of the fixture outlets."""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from crawler.fixture_site import FixtureSite
from tests.fixture_site.conftest import NOW
from tests.fixture_site.http_util import fetch, strip_url

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


def _locs(xml_bytes: bytes) -> list[str]:
    """All ``<loc>`` values of a urlset or sitemapindex."""
    return [el.text or "" for el in ET.fromstring(xml_bytes).iter(f"{SM}loc")]


def test_robots_txt(wp_site: FixtureSite) -> None:
    page = fetch(wp_site, "/robots.txt")
    assert page.status == 200
    assert page.headers["Content-Type"].startswith("text/plain")
    base = wp_site.base_url
    assert page.text == (
        "User-agent: *\nCrawl-delay: 0.2\nDisallow: /private/\nDisallow: /wp-admin/\n\n"
        "User-agent: BadBot\nDisallow: /\n\n"
        f"Sitemap: {base}/sitemap_index.xml\nSitemap: {base}/news-sitemap.xml\n"
    )


def test_robots_without_crawl_delay() -> None:
    with FixtureSite(articles=3, crawl_delay=0, now=NOW) as site:
        text = fetch(site, "/robots.txt").text
    assert "Crawl-delay" not in text
    assert "Disallow: /private/" in text


def test_sitemap_index_children(wp_site: FixtureSite) -> None:
    base = wp_site.base_url
    index = fetch(wp_site, "/sitemap_index.xml")
    root = ET.fromstring(index.body)
    assert root.tag == f"{SM}sitemapindex"
    assert _locs(index.body) == [
        f"{base}/post-sitemap1.xml",
        f"{base}/post-sitemap2.xml.gz",
        f"{base}/sitemap-archive.xml",
        f"{base}/sitemap-html.xml",
        f"{base}/sitemap-edge.xml",
    ]
    assert all(el.text for el in root.iter(f"{SM}lastmod"))


def test_gzip_child_is_a_gzip_file(wp_site: FixtureSite) -> None:
    page = fetch(wp_site, "/post-sitemap2.xml.gz", headers={"Accept-Encoding": "gzip"})
    assert page.status == 200
    assert page.headers["Content-Type"] == "application/x-gzip"
    assert page.headers["Content-Encoding"] is None
    root = ET.fromstring(gzip.decompress(page.body))
    assert root.tag == f"{SM}urlset"
    assert len(root.findall(f"{SM}url")) > 0


def test_sitemaps_cover_listing(wp_site: FixtureSite) -> None:
    model = wp_site.model
    first = _locs(fetch(wp_site, "/post-sitemap1.xml").body)
    second = _locs(gzip.decompress(fetch(wp_site, "/post-sitemap2.xml.gz").body))
    archive = _locs(fetch(wp_site, "/sitemap-archive.xml").body)
    assert set(first) | set(second) | set(archive) == model.listings["sitemap"]
    assert {a.url for a in model.articles if a.old} == set(archive)
    assert not set(first) & set(second)
    assert not (set(first) | set(second)) & set(archive)
    lastmods = ET.fromstring(fetch(wp_site, "/sitemap-archive.xml").body).iter(f"{SM}lastmod")
    assert all(NOW - datetime.fromisoformat(el.text or "") > timedelta(days=730) for el in lastmods)


def test_html_sitemap_and_edge_sitemap(wp_site: FixtureSite) -> None:
    html_page = fetch(wp_site, "/sitemap-html.xml")
    assert html_page.status == 200
    assert html_page.headers["Content-Type"].startswith("text/html")
    with pytest.raises(ET.ParseError):
        ET.fromstring(html_page.body)
    edge = _locs(fetch(wp_site, "/sitemap-edge.xml").body)
    assert set(edge) == wp_site.model.sitemap_edge_urls
    assert wp_site.model.edge_urls["redirect_chain"] not in edge
    assert wp_site.model.edge_urls["gzip"] in edge
    assert not set(edge) & wp_site.model.listings["sitemap"]


def test_news_sitemap_only_recent(wp_site: FixtureSite) -> None:
    page = fetch(wp_site, "/news-sitemap.xml")
    root = ET.fromstring(page.body)
    urls = root.findall(f"{SM}url")
    assert len(urls) == 6
    locs = set()
    for url in urls:
        locs.add(url.findtext(f"{SM}loc"))
        news = url.find(f"{NEWS}news")
        assert news is not None
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == wp_site.model.site_name
        assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
        assert news.findtext(f"{NEWS}title")
        published = datetime.fromisoformat(news.findtext(f"{NEWS}publication_date") or "")
        assert published.tzinfo is not None
        assert NOW - published <= timedelta(hours=48)
    assert locs == wp_site.model.listings["news_sitemap"]


def test_rss_feed(wp_site: FixtureSite) -> None:
    page = fetch(wp_site, "/feed/")
    assert page.headers["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(page.body).findall("channel/item")
    assert len(items) == 10
    dc = "{http://purl.org/dc/elements/1.1/}"
    for item in items:
        link = item.findtext("link") or ""
        assert "utm_source=rss" in link
        assert item.findtext(f"{dc}creator")
        assert parsedate_to_datetime(item.findtext("pubDate") or "").tzinfo is not None
        guid = item.find("guid")
        assert guid is not None and guid.get("isPermaLink") == "false"


def test_feed_union_matches_listing(wp_site: FixtureSite) -> None:
    rss = ET.fromstring(fetch(wp_site, "/feed/").body)
    atom = ET.fromstring(fetch(wp_site, "/feed/atom/").body)
    jfeed = json.loads(fetch(wp_site, "/feed.json").body)
    rss_urls = {strip_url(i.findtext("link") or "") for i in rss.iter("item")}
    atom_links = [e.find(f"{ATOM}link[@rel='alternate']") for e in atom.iter(f"{ATOM}entry")]
    atom_urls = {strip_url(link.get("href", "")) for link in atom_links if link is not None}
    assert all("#comments" in (link.get("href") or "") for link in atom_links if link is not None)
    for entry in atom.iter(f"{ATOM}entry"):
        assert entry.findtext(f"{ATOM}published") and entry.findtext(f"{ATOM}updated")
    assert jfeed["version"] == "https://jsonfeed.org/version/1.1"
    json_urls = {item["url"] for item in jfeed["items"]}
    assert all(item["date_published"] for item in jfeed["items"])
    assert rss_urls != json_urls and rss_urls & json_urls
    assert rss_urls | atom_urls | json_urls == wp_site.model.listings["feed"]


def test_broken_feed_does_not_parse(wp_site: FixtureSite) -> None:
    page = fetch(wp_site, "/feed/broken/")
    assert page.status == 200
    assert page.headers["Content-Type"].startswith("application/rss+xml")
    with pytest.raises(ET.ParseError):
        ET.fromstring(page.body)


def test_tagdiv_discovery(td_site: FixtureSite) -> None:
    robots = fetch(td_site, "/robots.txt").text
    assert "Crawl-delay: 0.2" in robots
    assert f"Sitemap: {td_site.base_url}/sitemap.xml" in robots
    assert set(_locs(fetch(td_site, "/sitemap.xml").body)) == td_site.model.listings["sitemap"]
    rss = ET.fromstring(fetch(td_site, "/feed/").body)
    links = {strip_url(i.findtext("link") or "") for i in rss.iter("item")}
    assert links == td_site.model.listings["feed"]
    assert fetch(td_site, "/feed/atom/").status == 404
