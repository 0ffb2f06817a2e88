"""WordPress comment markup: the core html5 walker and the legacy (pre-html5) walker.

html5 (``Article.comment_markup == "html5"``)::

    div#comments.comments-area > h2.comments-title, ol.comment-list >
      li#comment-ID.comment.depth-N > article#div-comment-ID.comment-body >
        footer.comment-meta (div.comment-author.vcard b.fn [a.url],
        div.comment-metadata a time[datetime]), div.comment-content p, div.reply
      ol.children > li ...

legacy (``"legacy"``)::

    div#comments > h3#comments-title, ol.commentlist >
      li#li-comment-ID.comment > div#comment-ID (div.comment-author.vcard cite.fn,
      div.comment-meta.commentmetadata a (date text only, no <time>), div.comment-body p)
      ul.children > li ...

Comment pages: page N > 1 lives at ``<article path>comment-page-N/``; pages
link each other through ``div.nav-links a.prev`` / ``a.next``.
"""

from __future__ import annotations

from crawler.fixture_site.html_common import (
    avatar_src,
    comment_form_fields,
    esc,
    wp_comment_date,
)
from crawler.fixture_site.model import Article, Comment

MAX_THREAD_DEPTH = 5


class _Alternation:
    """WordPress ``comment_class`` even/odd and thread-even/odd counters."""

    def __init__(self) -> None:
        """Start both counters at zero (first comment is ``even``)."""
        self.comment_alt = 0
        self.thread_alt = 0

    def classes(self, comment: Comment, has_children: bool) -> str:
        """Return the class attribute value of a comment ``li``."""
        parts = ["comment"]
        parts += ["odd", "alt"] if self.comment_alt % 2 else ["even"]
        self.comment_alt += 1
        if comment.depth == 1:
            parts += ["thread-odd", "thread-alt"] if self.thread_alt % 2 else ["thread-even"]
            self.thread_alt += 1
        parts.append(f"depth-{comment.depth}")
        if has_children:
            parts.append("parent")
        return " ".join(parts)


def _author_html(comment: Comment, tag: str) -> str:
    """Author name wrapped in ``tag`` with class ``fn`` (linked if it has a URL)."""
    name = esc(comment.author)
    if comment.author_url:
        href = esc(comment.author_url)
        name = f'<a href="{href}" class="url" rel="ugc external nofollow">{name}</a>'
    avatar = (
        f'<img alt="" src="{avatar_src(comment.author)}" class="avatar avatar-32 photo" '
        'height="32" width="32" loading="lazy" decoding="async">'
    )
    return f'{avatar}<{tag} class="fn">{name}</{tag}> <span class="says">says:</span>'


def _reply_link(article: Article, comment: Comment) -> str:
    """The ``div.reply`` block (absent at the maximum thread depth)."""
    if comment.depth >= MAX_THREAD_DEPTH:
        return ""
    return (
        f'<div class="reply"><a rel="nofollow" class="comment-reply-link" '
        f'href="{esc(article.url)}?replytocom={comment.id}#respond" '
        f'data-commentid="{comment.id}" data-postid="{article.id}" '
        f'data-belowelement="div-comment-{comment.id}" data-respondelement="respond" '
        f'aria-label="Reply to {esc(comment.author)}">Reply</a></div>'
    )


def _html5_item(article: Article, comment: Comment, alt: _Alternation) -> str:
    """One html5-walker ``li`` with its nested replies."""
    replies = article.children(comment.id)
    classes = alt.classes(comment, bool(replies))
    children = "".join(_html5_item(article, c, alt) for c in replies)
    nested = f'<ol class="children">{children}</ol>' if replies else ""
    return (
        f'<li id="comment-{comment.id}" class="{classes}">'
        f'<article id="div-comment-{comment.id}" class="comment-body">'
        f'<footer class="comment-meta"><div class="comment-author vcard">'
        f"{_author_html(comment, 'b')}</div>"
        f'<div class="comment-metadata"><a href="{esc(article.comment_link(comment))}">'
        f'<time datetime="{comment.published.isoformat()}">'
        f"{wp_comment_date(comment.published)}</time></a></div></footer>"
        f'<div class="comment-content"><p>{esc(comment.text)}</p></div>'
        f"{_reply_link(article, comment)}</article>{nested}</li>\n"
    )


def _legacy_item(article: Article, comment: Comment, alt: _Alternation) -> str:
    """One legacy-walker ``li`` with its nested replies."""
    replies = article.children(comment.id)
    classes = alt.classes(comment, bool(replies))
    children = "".join(_legacy_item(article, c, alt) for c in replies)
    nested = f'<ul class="children">{children}</ul>' if replies else ""
    return (
        f'<li class="{classes}" id="li-comment-{comment.id}"><div id="comment-{comment.id}">'
        f'<div class="comment-author vcard">{_author_html(comment, "cite")}</div>'
        f'<div class="comment-meta commentmetadata"><a href="{esc(article.comment_link(comment))}">'
        f"{wp_comment_date(comment.published)}</a></div>"
        f'<div class="comment-body"><p>{esc(comment.text)}</p></div>'
        f"{_reply_link(article, comment)}</div>{nested}</li>\n"
    )


def comment_nav(article: Article, page: int) -> str:
    """Older/Newer comment links between comment pages (empty with one page)."""
    last = article.comment_page_count
    if last <= 1:
        return ""
    links = []
    if page > 1:
        href = esc(article.base_url + article.comment_page_path(page - 1)) + "#comments"
        links.append(f'<a class="prev" href="{href}">Older Comments</a>')
    if page < last:
        href = esc(article.base_url + article.comment_page_path(page + 1)) + "#comments"
        links.append(f'<a class="next" href="{href}">Newer Comments</a>')
    return (
        '<nav class="navigation comment-navigation" aria-label="Comments">'
        f'<div class="nav-links">{"".join(links)}</div></nav>'
    )


def _respond_form(article: Article, heading: str) -> str:
    """The WordPress ``#respond`` comment form."""
    return (
        '<div id="respond" class="comment-respond">'
        f'<h3 id="reply-title" class="comment-reply-title">{heading} <small>'
        f'<a rel="nofollow" id="cancel-comment-reply-link" href="{esc(article.url)}#respond" '
        'style="display:none;">Cancel reply</a></small></h3>'
        '<form action="/wp-comments-post.php" method="post" id="commentform" '
        'class="comment-form" novalidate><p class="comment-notes"><span id="email-notes">'
        "Your email address will not be published.</span> Required fields are marked "
        '<span class="required">*</span></p><p class="comment-form-comment">'
        '<label for="comment">Comment <span class="required">*</span></label>'
        '<textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" '
        f"required></textarea></p>{comment_form_fields()}"
        '<p class="form-submit"><input name="submit" type="submit" id="submit" '
        'class="submit" value="Post Comment"><input type="hidden" name="comment_post_ID" '
        f'value="{article.id}" id="comment_post_ID"><input type="hidden" '
        'name="comment_parent" id="comment_parent" value="0"></p></form></div>'
    )


def _thoughts_title(article: Article) -> str:
    """``N thoughts on “Title”`` (``One thought`` for a single comment)."""
    count = len(article.comments)
    lead = "One thought" if count == 1 else f"{count} thoughts"
    return f"{lead} on &ldquo;<span>{esc(article.title)}</span>&rdquo;"


def comments_html5(article: Article, page: int = 1) -> str:
    """The complete html5-walker comments area for comment page ``page``."""
    alt = _Alternation()
    threads = article.comment_page_threads(page)
    body = ""
    if article.comments:
        items = "".join(_html5_item(article, c, alt) for c in threads)
        nav = comment_nav(article, page)
        body = (
            f'<h2 class="comments-title">{_thoughts_title(article)}</h2>'
            f'{nav}<ol class="comment-list">\n{items}</ol>{nav}'
        )
    form = _respond_form(article, "Leave a Reply")
    return f'<div id="comments" class="comments-area">{body}{form}</div>'


def comments_legacy(article: Article, page: int = 1) -> str:
    """The complete legacy-walker comments block for comment page ``page``."""
    alt = _Alternation()
    threads = article.comment_page_threads(page)
    body = ""
    if article.comments:
        items = "".join(_legacy_item(article, c, alt) for c in threads)
        nav = comment_nav(article, page)
        count = len(article.comments)
        noun = "Response" if count == 1 else "Responses"
        body = (
            f'<h3 id="comments-title">{count} {noun} to <em>{esc(article.title)}</em></h3>'
            f'{nav}<ol class="commentlist">\n{items}</ol>{nav}'
        )
    return f'<div id="comments">{body}{_respond_form(article, "Leave a Reply")}</div>'


def comments_block(article: Article, page: int = 1) -> str:
    """Comments in the markup the article is configured for."""
    if article.comment_markup == "legacy":
        return comments_legacy(article, page)
    return comments_html5(article, page)
