"""HTML pages of the "tagdiv" fixture outlet (tagDiv Newspaper theme markup).

Selectors a crawler config can rely on:

* section pages ``/category/<slug>/`` and ``/category/<slug>/page/<n>/``: teasers
  ``h3.entry-title.td-module-title a``; the next-page link lives in
  ``div.page-nav`` as ``<a class="next" aria-label="next-page"><i class="td-icon-menu-right">``
  (CSS: ``div.page-nav a[aria-label="next-page"]`` or ``div.page-nav a.next``);
* article pages: ``div.td-post-header h1.entry-title``, ``div.td-post-author-name a``,
  ``time.entry-date``, body ``div.td-post-content`` (contains an "Also read" box
  ``div.td-also-read`` and share buttons ``div.td-post-sharing`` to strip),
  tags ``div.td-post-source-tags``, related ``div.td-related-row``;
* comments: ``div#comments ol.comment-list li.comment`` with ``cite a.url`` (or
  plain ``cite``), ``time.td-comment-date[datetime]``, ``div.comment-content p``;
  replies nest in ``ol.children``. No comment pagination on this outlet.
"""

from __future__ import annotations

from crawler.fixture_site.html_common import (
    author_path,
    avatar_src,
    esc,
    json_ld_graph,
    og_meta,
    section_label,
    wp_comment_date,
    wp_date,
)
from crawler.fixture_site.model import Article, Comment, SiteModel


def _shell(model: SiteModel, title: str, body_class: str, main: str, head: str = "") -> str:
    """Wrap ``main`` in the Newspaper theme page chrome."""
    menu = "".join(
        f'<li class="menu-item"><a href="{model.base_url}/category/{s}/">'
        f"{section_label(s)}</a></li>"
        for s in model.sections
    )
    return (
        '<!doctype html>\n<html lang="en-US">\n<head>\n<meta charset="UTF-8">\n'
        f"<title>{esc(title)}</title>\n{head}\n"
        '<link rel="alternate" type="application/rss+xml" href="/feed/">\n</head>\n'
        f'<body class="{body_class} td-standard-pack global-block-template-1">\n'
        '<div class="td-theme-wrap"><div class="td-header-wrap"><div class="td-header-menu-wrap">'
        f'<a class="td-logo" href="{model.base_url}/">{esc(model.site_name)}</a>'
        f'<ul id="menu-main" class="sf-menu">{menu}</ul></div></div>\n'
        f'<div class="td-main-content-wrap td-container-wrap">{main}</div>\n'
        '<div class="td-footer-wrapper"><div class="td-footer-bottom-full">'
        f"&copy; {model.now.year} {esc(model.site_name)}. All rights invented.</div></div>"
        "</div>\n</body>\n</html>\n"
    )


def _also_read(model: SiteModel, article: Article) -> str:
    """Inline "Also read" box inserted after the second paragraph."""
    other = next((a for a in model.articles[:3] if a is not article), None)
    if other is None:
        return ""
    return (
        '<div class="td-also-read"><span class="td-also-read-title">Also read:</span> '
        f'<a href="{esc(other.url)}">{esc(other.title)}</a></div>'
    )


def _sharing() -> str:
    """tagDiv social share buttons."""
    buttons = "".join(
        f'<a class="td-social-sharing-button td-social-sharing-button-js td-social-network '
        f'td-social-{n}" href="#"><div class="td-social-but-icon"><i class="td-icon-{n}"></i>'
        f'</div><div class="td-social-but-text">{n.title()}</div></a>'
        for n in ("facebook", "twitter", "pinterest", "whatsapp")
    )
    return f'<div class="td-post-sharing td-post-sharing-bottom">{buttons}</div>'


def _header(article: Article) -> str:
    """``td-post-header`` with title, author and date."""
    authors = ", ".join(f'<a href="{author_path(n)}">{esc(n)}</a>' for n in article.authors)
    return (
        f'<div class="td-post-header"><ul class="td-category"><li class="entry-category">'
        f'<a href="/category/{article.section}/">{section_label(article.section)}</a></li></ul>'
        f'<header class="td-post-title"><h1 class="entry-title">{esc(article.title)}</h1>'
        f'<div class="td-module-meta-info"><div class="td-post-author-name">'
        f'<div class="td-author-by">By</div> {authors}<div class="td-author-line"> - </div></div>'
        f'<span class="td-post-date"><time class="entry-date updated td-module-date" '
        f'datetime="{article.published.isoformat()}">{wp_date(article.published)}</time></span>'
        f'<div class="td-post-comments"><a href="{esc(article.url)}#comments">'
        f"{len(article.comments)}</a></div></div></header></div>"
    )


def _content(model: SiteModel, article: Article) -> str:
    """``td-post-content`` with paragraphs, the also-read box, tags and related row."""
    paragraphs = [f"<p>{esc(p)}</p>" for p in article.paragraphs]
    paragraphs.insert(min(2, len(paragraphs)), _also_read(model, article))
    tags = "".join(f'<li><a href="/tag/{esc(t)}/">{esc(t)}</a></li>' for t in article.tags)
    related = "".join(
        f'<div class="td-related-span4"><h3 class="entry-title td-module-title">'
        f'<a href="{esc(a.url)}" rel="bookmark">{esc(a.title)}</a></h3></div>'
        for a in model.section_articles(article.section)[:4]
        if a is not article
    )
    return (
        f'<div class="td-post-content tagdiv-type">\n{"".join(paragraphs)}\n</div>{_sharing()}'
        f'<footer><div class="td-post-source-tags"><ul class="td-tags td-post-small-box">'
        f"<li><span>TAGS</span></li>{tags}</ul></div></footer>"
        f'<div class="td_block_wrap td_block_related_posts"><h4 class="td-related-title">'
        f'RELATED ARTICLES</h4><div class="td-related-row">{related}</div></div>'
    )


def _comment(article: Article, comment: Comment) -> str:
    """One tagDiv comment ``li`` with nested replies."""
    name = esc(comment.author)
    if comment.author_url:
        href = esc(comment.author_url)
        name = f'<a href="{href}" rel="external nofollow ugc" class="url">{name}</a>'
    replies = "".join(_comment(article, c) for c in article.children(comment.id))
    nested = f'<ol class="children">{replies}</ol>' if replies else ""
    return (
        f'<li class="comment" id="comment-{comment.id}"><article><footer>'
        f'<img alt="" src="{avatar_src(comment.author)}" class="avatar avatar-50 photo" '
        f'height="50" width="50"><cite>{name}</cite>'
        f'<a class="comment-link" href="{esc(article.url)}#comment-{comment.id}">'
        f'<time class="td-comment-date" datetime="{comment.published.isoformat()}">'
        f"{wp_comment_date(comment.published)}</time></a>"
        f'<div class="comment-reply"><a rel="nofollow" class="comment-reply-link" '
        f'href="{esc(article.url)}?replytocom={comment.id}#respond">Reply</a></div></footer>'
        f'<div class="comment-content"><p>{esc(comment.text)}</p></div></article>{nested}</li>\n'
    )


def _form(article: Article) -> str:
    """tagDiv comment form."""
    return (
        '<div id="respond" class="comment-respond">'
        '<h3 id="reply-title" class="comment-reply-title">'
        'LEAVE A REPLY</h3><form action="/wp-comments-post.php" method="post" '
        'id="commentform" class="comment-form" novalidate><div class="clearfix"></div>'
        '<div class="comment-form-input-wrap td-form-comment"><textarea placeholder="Comment:" '
        'id="comment" name="comment" cols="45" rows="8"></textarea>'
        '<div class="td-warning-comment">Please enter your comment!</div></div>'
        '<div class="comment-form-input-wrap td-form-author"><input class="" id="author" '
        'name="author" placeholder="Name:*" type="text" value="" size="30">'
        '<div class="td-warning-author">Please enter your name here</div></div>'
        '<div class="comment-form-input-wrap td-form-email"><input class="" id="email" '
        'name="email" placeholder="Email:*" type="text" value="" size="30">'
        '<div class="td-warning-email-error">You have entered an incorrect email address!</div>'
        '<div class="td-warning-email">Please enter your email address here</div></div>'
        '<div class="comment-form-input-wrap td-form-url"><input class="" id="url" name="url" '
        'placeholder="Website:" type="text" value="" size="30"></div>'
        '<p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" '
        'name="wp-comment-cookies-consent" type="checkbox" value="yes"><label '
        'for="wp-comment-cookies-consent">Save my name, email, and website in this browser for '
        'the next time I comment.</label></p><p class="form-submit"><input name="submit" '
        'type="submit" id="submit" class="submit" value="Post Comment">'
        f'<input type="hidden" name="comment_post_ID" value="{article.id}" id="comment_post_ID">'
        "</p></form></div>"
    )


def _comments(article: Article) -> str:
    """The ``div#comments`` block with all comments and the form."""
    items = "".join(_comment(article, c) for c in article.threads())
    listing = ""
    if article.comments:
        listing = (
            '<div class="td-comments-title-wrap td_block_template_1"><h4 class="block-title">'
            f"<span>{len(article.comments)} COMMENTS</span></h4></div>"
            f'<ol class="comment-list">\n{items}</ol>'
        )
    return f'<div class="comments" id="comments">{listing}{_form(article)}</div>'


def article_page(model: SiteModel, article: Article) -> str:
    """Full tagDiv article page."""
    head = (
        f'<link rel="canonical" href="{esc(article.url)}">\n{og_meta(model, article)}\n'
        f"{json_ld_graph(model, article, 'Article')}"
    )
    main = (
        '<div class="td-container td-post-template-default"><div class="td-pb-row">'
        '<div class="td-pb-span8 td-main-content" role="main"><div class="td-ss-main-content">'
        f'<article id="post-{article.id}" class="post-{article.id} post type-post">'
        f"{_header(article)}{_content(model, article)}</article>{_comments(article)}"
        '</div></div><div class="td-pb-span4 td-main-sidebar"></div></div></div>'
    )
    body = f"post-template-default single single-post postid-{article.id}"
    return _shell(model, f"{article.title} | {model.site_name}", body, main, head)


def _module(article: Article) -> str:
    """One ``td_module_10`` teaser on a listing page."""
    return (
        '<div class="td_module_10 td_module_wrap td-animation-stack"><div class="item-details">'
        f'<h3 class="entry-title td-module-title"><a href="{esc(article.url)}" rel="bookmark" '
        f'title="{esc(article.title)}">{esc(article.title)}</a></h3>'
        '<div class="td-module-meta-info"><span class="td-post-author-name">'
        f'<a href="{author_path(article.authors[0])}">{esc(article.authors[0])}</a></span> '
        f'<span class="td-post-date"><time class="entry-date updated td-module-date" '
        f'datetime="{article.published.isoformat()}">{wp_date(article.published)}</time>'
        f'</span></div><div class="td-excerpt">{esc(article.description)}</div></div></div>\n'
    )


def _page_nav(section: str, page: int, last: int) -> str:
    """tagDiv ``page-nav`` pagination block."""
    base = f"/category/{section}/"
    parts = []
    if page > 1:
        prev = base if page == 2 else f"{base}page/{page - 1}/"
        parts.append(
            f'<a href="{prev}" aria-label="prev-page"><i class="td-icon-menu-left"></i></a>'
        )
    parts.append(f'<span class="current">{page}</span>')
    if page < last:
        nxt = f"{base}page/{page + 1}/"
        parts.append(f'<a href="{nxt}" class="page" title="{page + 1}">{page + 1}</a>')
        parts.append(
            f'<a href="{nxt}" class="next" aria-label="next-page">'
            '<i class="td-icon-menu-right"></i></a>'
        )
    parts.append(f'<span class="pages">Page {page} of {last}</span>')
    return f'<div class="page-nav td-pb-padding-side">{"".join(parts)}</div>'


def section_page(model: SiteModel, section: str, page: int) -> str | None:
    """Section listing page, or ``None`` for a missing section/page."""
    last = model.section_page_count(section)
    if section not in model.sections or not 1 <= page <= last:
        return None
    modules = "".join(_module(a) for a in model.section_page(section, page))
    main = (
        '<div class="td-category-header"><h1 class="entry-title td-page-title">'
        f'{section_label(section)}</h1></div><div class="td-ss-main-content">{modules}</div>'
        f"{_page_nav(section, page, last)}"
    )
    title = f"{section_label(section)} Archives | {model.site_name}"
    return _shell(model, title, f"archive category category-{section}", main)


def home_page(model: SiteModel) -> str:
    """Front page: the latest ten articles."""
    modules = "".join(_module(a) for a in model.articles[:10])
    return _shell(
        model, model.site_name, "home", f'<div class="td-ss-main-content">{modules}</div>'
    )


def not_found_page(model: SiteModel) -> str:
    """The 404 page."""
    main = (
        '<div class="td-404-title">Ooops... Error 404</div>'
        "<p>Sorry, but the page does not exist.</p>"
    )
    return _shell(model, f"Page not found | {model.site_name}", "error404", main)
