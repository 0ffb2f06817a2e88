"""HTML pages of the "wordpress" fixture outlet (a WordPress-style news site).

Selectors a crawler config can rely on:

* section pages ``/category/<slug>/`` and ``/category/<slug>/page/<n>/``: teasers
  ``article h2.entry-title a`` (hrefs deliberately written in mixed forms),
  next page ``a.next.page-numbers``;
* article pages: ``h1.entry-title``, ``div.entry-content``, ``link[rel=canonical]``,
  JSON-LD ``@graph`` NewsArticle, comments as in :mod:`render_wp_comments`.
"""

from __future__ import annotations

from crawler.fixture_site.html_common import (
    author_path,
    byline_names,
    esc,
    json_ld_graph,
    og_meta,
    section_label,
    wp_date,
)
from crawler.fixture_site.model import SECTION_PAGE_SIZE, TRAP_SECTION, Article, SiteModel
from crawler.fixture_site.render_wp_comments import comments_block

UTF8_META = '<meta charset="UTF-8">'
CP1252_META = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'


def _nav(model: SiteModel) -> str:
    """Primary navigation menu (includes the endless-pagination trap section)."""
    items = [f'<li class="menu-item"><a href="{model.base_url}/">Home</a></li>']
    for slug in [*model.sections, TRAP_SECTION]:
        href = f"{model.base_url}/category/{slug}/"
        items.append(f'<li class="menu-item"><a href="{href}">{section_label(slug)}</a></li>')
    return (
        '<header id="masthead" class="site-header"><div class="site-branding">'
        f'<p class="site-title"><a href="{model.base_url}/" rel="home">{esc(model.site_name)}'
        '</a></p></div><nav id="site-navigation" class="main-navigation">'
        f'<ul id="primary-menu" class="menu">{"".join(items)}</ul></nav></header>'
    )


def _footer(model: SiteModel) -> str:
    """Site footer boilerplate."""
    links = "".join(
        f'<li><a href="/category/{slug}/">{section_label(slug)}</a></li>' for slug in model.sections
    )
    return (
        '<footer id="colophon" class="site-footer"><nav class="footer-navigation">'
        f'<ul class="footer-menu">{links}<li><a href="/feed/">RSS</a></li></ul></nav>'
        f'<div class="site-info">&copy; {model.now.year} {esc(model.site_name)}. '
        "Proudly powered by an invented press.</div></footer>"
    )


def page_shell(
    model: SiteModel,
    title: str,
    body_class: str,
    main: str,
    head: str = "",
    charset_tag: str = UTF8_META,
) -> str:
    """Wrap ``main`` in the full WordPress theme page."""
    return (
        f'<!DOCTYPE html>\n<html lang="en-US">\n<head>\n{charset_tag}\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n{head}\n"
        f'<link rel="alternate" type="application/rss+xml" title="{esc(model.site_name)} '
        '&raquo; Feed" href="/feed/">\n'
        '<link rel="alternate" type="application/atom+xml" href="/feed/atom/">\n'
        '<link rel="alternate" type="application/feed+json" href="/feed.json">\n'
        f'<link rel="https://api.w.org/" href="{model.base_url}/wp-json/">\n</head>\n'
        f'<body class="{body_class}">\n<div id="page" class="site">{_nav(model)}\n'
        f'<div id="content" class="site-content"><main id="main" class="site-main">\n{main}\n'
        f"</main></div>\n{_footer(model)}</div>\n</body>\n</html>\n"
    )


def _byline(article: Article) -> str:
    """``By A and B`` with author archive links."""
    links = [
        f'<span class="author vcard"><a class="url fn n" href="{author_path(n)}">'
        f"{esc(n)}</a></span>"
        for n in article.authors
    ]
    joined = ", ".join(links[:-1]) + " and " + links[-1] if len(links) > 1 else links[0]
    return f'<span class="byline">By {joined}</span>'


def _share_box(article: Article) -> str:
    """Jetpack-style share buttons (boilerplate)."""
    services = ("twitter", "facebook", "email", "print")
    items = "".join(
        f'<li class="share-{s}"><a rel="nofollow noopener noreferrer" class="share-{s} sd-button" '
        f'href="{esc(article.url)}?share={s}" target="_blank"><span>{s.title()}</span></a></li>'
        for s in services
    )
    return (
        '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block '
        f'sd-social"><h3 class="sd-title">Share this:</h3><ul>{items}</ul></div></div>'
    )


def _related(model: SiteModel, article: Article) -> str:
    """Related-posts box: up to three other articles of the same section."""
    pool = [a for a in model.section_articles(article.section)[:40] if a is not article][:3]
    items = "".join(f'<li><a href="{esc(a.url)}">{esc(a.title)}</a></li>' for a in pool)
    return (
        '<aside class="jp-relatedposts" id="jp-relatedposts"><h3 class="jp-relatedposts-headline">'
        f"<em>Related</em></h3><ul>{items}</ul></aside>"
    )


def _entry(article: Article) -> str:
    """The ``<article>`` element: header, content, share box and tags."""
    paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in article.paragraphs)
    tags = ", ".join(f'<a href="/tag/{esc(t)}/" rel="tag">{esc(t)}</a>' for t in article.tags)
    published = article.published
    return (
        f'<article id="post-{article.id}" class="post-{article.id} post type-post status-publish '
        f'format-standard hentry category-{article.section}">\n<header class="entry-header">'
        f'<div class="cat-links"><a href="/category/{article.section}/" rel="category tag">'
        f"{section_label(article.section)}</a></div>"
        f'<h1 class="entry-title">{esc(article.title)}</h1>\n<div class="entry-meta">'
        f'{_byline(article)} <span class="posted-on"><a href="{esc(article.url)}" rel="bookmark">'
        f'<time class="entry-date published" datetime="{published.isoformat()}">'
        f'{wp_date(published)}</time><time class="updated" datetime="'
        f'{article.modified.isoformat()}">{wp_date(article.modified)}</time></a></span></div>'
        f'</header>\n<figure class="post-thumbnail"><img src="{article.image_path}" alt="" '
        f'width="1200" height="675"></figure>\n<div class="entry-content">\n{paragraphs}\n'
        f'{_share_box(article)}\n</div>\n<footer class="entry-footer">'
        f'<span class="tags-links">Tagged {tags}</span></footer>\n</article>'
    )


def article_page(
    model: SiteModel, article: Article, comment_page: int = 1, charset_tag: str = UTF8_META
) -> str:
    """Full article page; ``comment_page`` > 1 renders ``.../comment-page-N/``."""
    canonical = article.base_url + article.comment_page_path(comment_page)
    head = (
        f'<link rel="canonical" href="{esc(canonical)}">\n{og_meta(model, article)}\n'
        f'<link rel="shortlink" href="{model.base_url}/?p={article.id}">\n'
        f"{json_ld_graph(model, article)}"
    )
    main = f"{_entry(article)}\n{_related(model, article)}\n{comments_block(article, comment_page)}"
    body_class = (
        f"post-template-default single single-post postid-{article.id} single-format-standard"
    )
    title = f"{article.title} - {model.site_name}"
    return page_shell(model, title, body_class, main, head, charset_tag)


def _teaser(article: Article, href: str, extra_class: str = "") -> str:
    """One teaser on a listing page."""
    return (
        f'<article class="post-{article.id} post type-post {extra_class}">'
        f'<header class="entry-header"><h2 class="entry-title"><a href="{esc(href)}" '
        f'rel="bookmark">{esc(article.title)}</a></h2><div class="entry-meta">'
        f'<span class="posted-on"><time class="entry-date published" '
        f'datetime="{article.published.isoformat()}">{wp_date(article.published)}</time>'
        f'</span> <span class="byline">by {esc(byline_names(article.authors))}</span></div>'
        f'</header><div class="entry-summary"><p>{esc(article.description)}</p></div></article>\n'
    )


def teaser_href(model: SiteModel, article: Article, position: int) -> str:
    """Article link in one of six equivalent spellings, chosen by ``position``."""
    base, path = model.base_url, article.path
    variants = (
        base + path,
        path,
        f"{base}{path}#respond",
        f"{path}?utm_campaign=x",
        base.split(":", 1)[-1] + path if base else path,
        "HTTP:" + base.split(":", 1)[-1] + path if base else path,
    )
    return variants[position % len(variants)]


def _promo_teasers(model: SiteModel) -> str:
    """Teasers for ``/go/`` (redirect chain) and ``/private/`` on section 1, page 1."""
    out = []
    target = model.redirect_target()
    if target is not None:
        out.append(_teaser(target, model.edge_paths["redirect_chain"], "promo"))
    private = model.edge_paths.get("private")
    if private is not None and model.articles:
        title = "Members only: " + model.articles[0].title
        out.append(
            '<article class="post promo"><header class="entry-header"><h2 class="entry-title">'
            f'<a href="{private}" rel="bookmark">{esc(title)}</a></h2></header></article>\n'
        )
    return "".join(out)


def _pagination(base_path: str, page: int, has_next: bool) -> str:
    """WordPress ``the_posts_pagination`` markup."""

    def href(n: int) -> str:
        return base_path if n == 1 else f"{base_path}page/{n}/"

    links = []
    if page > 1:
        links.append(f'<a class="prev page-numbers" href="{href(page - 1)}">Previous</a>')
    links.append(f'<span aria-current="page" class="page-numbers current">{page}</span>')
    if has_next:
        links.append(f'<a class="page-numbers" href="{href(page + 1)}">{page + 1}</a>')
        links.append(f'<a class="next page-numbers" href="{href(page + 1)}">Next</a>')
    return (
        '<nav class="navigation pagination" aria-label="Posts"><h2 class="screen-reader-text">'
        f'Posts navigation</h2><div class="nav-links">{"".join(links)}</div></nav>'
    )


def section_page(model: SiteModel, section: str, page: int) -> str | None:
    """Section listing page, or ``None`` when it does not exist (404)."""
    base_path = f"/category/{section}/"
    if section == TRAP_SECTION:
        teasers, has_next = "<p>Nothing more to see here, keep clicking.</p>", True
    elif section in model.sections and 1 <= page <= model.section_page_count(section):
        items = model.section_page(section, page)
        offset = (page - 1) * SECTION_PAGE_SIZE
        teasers = "".join(
            _teaser(a, teaser_href(model, a, offset + i)) for i, a in enumerate(items)
        )
        if page == 1 and section == model.sections[0]:
            teasers += _promo_teasers(model)
        has_next = page < model.section_page_count(section)
    else:
        return None
    main = (
        '<header class="page-header"><h1 class="page-title">Category: '
        f"<span>{section_label(section)}</span></h1></header>\n{teasers}"
        f"{_pagination(base_path, page, has_next)}"
    )
    title = f"{section_label(section)} - Page {page} - {model.site_name}"
    return page_shell(model, title, f"archive category category-{section} paged-{page}", main)


def home_page(model: SiteModel) -> str:
    """Front page: latest ten articles and links to the sections."""
    teasers = "".join(_teaser(a, a.url) for a in model.articles[:10])
    sections = "".join(
        f'<li><a href="/category/{s}/">{section_label(s)}</a></li>' for s in model.sections
    )
    main = (
        f'<section class="latest"><h2>Latest</h2>\n{teasers}</section>'
        f'<section class="sections"><h2>Sections</h2><ul>{sections}</ul></section>'
    )
    return page_shell(model, model.site_name, "home blog", main)


def simple_page(model: SiteModel, title: str, text: str, body_class: str) -> str:
    """A plain page (404, private draft, HTML served at a sitemap URL)."""
    main = (
        f'<h1 class="page-title">{esc(title)}</h1>'
        f'<div class="page-content"><p>{esc(text)}</p></div>'
    )
    return page_shell(model, f"{title} - {model.site_name}", body_class, main)
