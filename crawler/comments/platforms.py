"""The comment platforms as data: one table, read by the adapters.

Every entry of :data:`PLATFORMS` says how to *detect* a platform on a page
(XPath expressions over the parsed page, regular expressions over the raw HTML)
and, for server-rendered platforms, how to find its items:

* ``id_patterns``: regexes matched against every element's ``id``; group ``id``
  is the comment id, an optional group ``parent`` the parent id;
* ``parent_rule``: ``"dom"`` (parent = nearest enclosing item) or ``"id"``
  (parent taken from the ``parent`` group; ``0`` means top level);
* ``container_tags``/``container_hops``: the item node is the closest ancestor
  (or self) with one of these tags at most ``hops`` levels up from the element
  carrying the id (themes that put the id on a ``div`` inside an id-less ``li``);
  ``container_class`` instead: the closest with that class token (an empty anchor
  carrying the id inside its comment);
* ``author``/``published``/``content``: field selectors in the tiny selector
  language of :mod:`crawler.comments.dom` (``tag.class[attr=value]`` and one
  descendant step ``A B``), tried in order within the item's own subtree (the
  author: the first match with a name in it; a date: its ``datetime`` or
  ``content``, else its text, else its ``title``);
* ``strip``: elements never part of a comment's text (reply and edit links,
  "says:", dates, avatars, moderation notes, forms).

Entries are tried in table order; JS-only entries (``js_only``) never yield
items, they name the platform of a page whose thread was not rendered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

ParentRule = Literal["dom", "id"]

#: Elements whose text is never comment text (any platform).
COMMON_STRIP: tuple[str, ...] = (
    "script",
    "style",
    "noscript",
    "template",
    "form",
    "textarea",
    "button",
    "select",
    "svg",
    "img",
    "time",
    ".reply",
    ".comment-reply",
    ".comment-reply-link",
    ".says",
    ".comment-edit-link",
    ".edit-link",
    ".comment-awaiting-moderation",
    ".avatar",
    ".comment-author",
    ".comment-meta",
    ".commentmetadata",
    ".comment-metadata",
    ".comment-respond",
    "#respond",
    ".comment-form",
    ".wc-comment-footer",
    ".wc-comment-header",
    ".wpdiscuz-readmore",
    ".wpdiscuz-hellip",
    "footer",
)

#: Whole paragraphs dropped from comment text (case-insensitive, full match).
TEXT_NOISE: tuple[str, ...] = (
    r"your comment is awaiting moderation\.?",
    r"(reply|antworten|responder|répondre|rispondi|log in to reply)",
    r"(edit|bearbeiten)",
)

#: Trailing words stripped from author names ("Jane says:", "Ramón dijo:").
AUTHOR_NOISE = re.compile(r"\s*(says|sagt|dijo|schreibt|écrit|scrive|disse)\s*:?\s*$", re.I)

#: Raw-HTML hints that a page is served by WordPress.
WORDPRESS_HINT = r"wp-content/|wp-includes/|api\.w\.org"

_ID_WP = r"^(?:li-comment-|div-comment-|comment-)(?P<id>\d+)$"
_AUTHOR_WP = (
    ".comment-author .fn",
    "cite.fn",
    "b.fn",
    ".fn",
    ".comment-author cite",
    ".comment-author strong",
    ".comment-author",
    ".comment_author",
    ".wp-block-comment-author-name",
    "cite strong",
    "cite",
    ".author",
)
_DATE_WP = (
    ".comment-metadata time",
    "time[datetime]",
    ".comment-meta a",
    ".commentmetadata a",
    ".comment-metadata a",
    ".comment-date",
    ".comment_date",
    ".commentmetadata",
    ".comment-meta",
    "time",
    "span.date",
)
_CONTENT_WP = (
    ".comment-content",
    ".wp-block-comment-content",
    ".comment-text",
    ".commenttext",
    ".comment-entry",
    "[itemprop=text]",
    ".comment-body",
    ".comment_text",
    ".text",
)


@dataclass(frozen=True)
class Platform:
    """One comment platform or markup family (see the module docs)."""

    key: str
    name: str
    detect_xpath: tuple[str, ...] = ()
    detect_regex: tuple[str, ...] = ()
    requires_regex: tuple[str, ...] = ()
    js_only: bool = False
    id_patterns: tuple[str, ...] = ()
    parent_rule: ParentRule = "dom"
    container_tags: tuple[str, ...] = ("li",)
    container_hops: int = 2
    container_class: str | None = None
    author: tuple[str, ...] = _AUTHOR_WP
    published: tuple[str, ...] = _DATE_WP
    content: tuple[str, ...] = _CONTENT_WP
    strip: tuple[str, ...] = COMMON_STRIP
    #: A forum engine: the page is a flat list of posts, see :data:`FORUM_NEXT`.
    forum: bool = False
    #: XPath whose match says some of the thread is left out of the page ("load more
    #: comments"): the thread is then ``partial``.
    partial_xpath: str | None = None
    #: XPath to the number of comments the page states (read where neither JSON-LD nor
    #: microdata declare one).
    declared_xpath: str | None = None


def _has_class(name: str) -> str:
    """XPath predicate body: the element has class ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _embed(
    name: str, script: str | None = None, ids: tuple[str, ...] = (), classes: tuple[str, ...] = ()
) -> Platform:
    """A JS-only embed found by its script's address (``script``: a piece of it) or by
    its container's ``ids`` or ``classes``, never by its name in the text: a post that
    quotes the embed's snippet in a ``<pre>`` has no such element. These tests are
    answered from the page's ids, classes and script addresses, read once
    (:mod:`crawler.comments.marks`)."""
    tests = [f"@id='{i}'" for i in ids] + [_has_class(c) for c in classes]
    found = ((f"//script[contains(@src, '{script}')]",) if script else ()) + (
        ("//*[" + " or ".join(tests) + "]",) if tests else ()
    )
    return Platform(key=name, name=name, js_only=True, detect_xpath=found)


def _forum(
    name: str,
    detect: str,
    *post_ids: str,
    author: tuple[str, ...],
    published: tuple[str, ...],
    content: tuple[str, ...],
    strip: tuple[str, ...],
) -> Platform:
    """A forum engine (see :data:`FORUM_NEXT`), found by ``detect``: each post is the
    element whose id one of ``post_ids`` matches (group ``id``: the post's number); its
    text the first ``content`` match, without the common strip list and ``strip`` (the
    engine's signatures and post controls)."""
    return Platform(
        key=name,
        name=name,
        detect_xpath=(detect,),
        id_patterns=post_ids,
        container_tags=(),
        container_hops=0,
        author=author,
        published=published,
        content=content,
        strip=(*COMMON_STRIP, *strip),
        forum=True,
    )


#: A forum thread's links to its next and previous pages (``rel`` on a ``<link>`` or an
#: ``<a>``, XenForo's and MyBB's page navigation). A forum thread page is read as posts
#: that each need the platform's ``content`` (an element with a post id but no post text
#: is no post); on its first page (no previous page) the first post is the topic, the
#: page's own content, and the replies are the thread, as schema.org's
#: ``DiscussionForumPosting`` has them; a next page makes the thread ``partial``; and a
#: forum page none of whose posts could be read is ``unrecognised``, never complete.
FORUM_NEXT = (
    "//link[@rel='next'] | //a[@rel='next' or "
    + _has_class("pageNav-jump--next")
    + " or "
    + _has_class("pagination_next")
    + "]"
)
FORUM_PREVIOUS = (
    "//link[@rel='prev' or @rel='previous'] | //a[@rel='prev' or @rel='previous' or "
    + _has_class("pageNav-jump--prev")
    + " or "
    + _has_class("pagination_previous")
    + "]"
)


PLATFORMS: tuple[Platform, ...] = (
    Platform(
        key="disqus",
        name="disqus",
        js_only=True,
        detect_xpath=("//*[@id='disqus_thread']",),
        # Patterns start with a literal (no leading \b or class): re finds candidates
        # with a fast substring scan; "[\w.-]+\.disqus" cost 1.2 ms per page.
        detect_regex=(r"\.disqus\.com/embed\.js", r"disqus_shortname\b"),
    ),
    Platform(
        key="viafoura",
        name="viafoura",
        js_only=True,
        detect_xpath=(
            "//*[local-name()='vf-conversations' or local-name()='reach-viafoura-comments'"
            " or @data-viafoura or " + _has_class("viafoura") + "]",
        ),
        detect_regex=(r"cdn\.viafoura\.(?:net|com)", r"<vf-conversations\b"),
    ),
    Platform(
        key="coral",
        name="coral",
        js_only=True,
        detect_xpath=("//*[@id='coral_thread' or @id='coral_talk_stream' or @id='coral-thread']",),
        detect_regex=(r"Coral\.createStreamEmbed", r"coral_talk_\w+", r"coralHostName\b"),
    ),
    Platform(
        key="openweb",
        name="openweb",
        js_only=True,
        detect_xpath=("//*[@data-spotim-module or @data-openweb-module or @data-spot-id]",),
        detect_regex=(r"launcher\.spot\.im", r"launcher\.openweb\.com"),
    ),
    Platform(
        key="facebook",
        name="facebook",
        js_only=True,
        detect_xpath=("//*[" + _has_class("fb-comments") + "]",),
        detect_regex=(r"<fb:comments\b",),
    ),
    # Embeds a site adds with one <script> and an empty container (see :func:`_embed`).
    _embed("giscus", script="giscus.app/", classes=("giscus",)),
    _embed("utterances", script="utteranc.es/", classes=("utterances",)),
    _embed("hyvor", script="talk.hyvor.com/", ids=("hyvor-talk-view",)),
    _embed("remark42", ids=("remark42",)),
    _embed("commento", script="commento.io/", ids=("commento",)),
    _embed("isso", ids=("isso-thread",)),
    _embed("cusdis", ids=("cusdis_thread",)),
    _embed("gitalk", ids=("gitalk-container",)),
    _embed("vuukle", script="vuukle.com/", ids=("vuukle-comments",), classes=("vuukle-comments",)),
    _embed("graphcomment", ids=("graphcomment",)),
    _embed("intensedebate", script="intensedebate.com/", ids=("idc-container",)),
    # Reddit's current pages load the thread with scripts (old.reddit.com serves it)
    _embed("reddit", ids=("shreddit-skip-link",)),
    Platform(
        # a Discourse topic served as its JavaScript app, without the crawler view
        # (posts with schema.org microdata, read by the microdata adapter when present)
        key="discourse",
        name="discourse",
        js_only=True,
        requires_regex=(r'name="generator" content="Discourse ',),
        detect_xpath=("/html[not(//*[" + _has_class("crawler-post") + "])]",),
    ),
    Platform(
        key="wpdiscuz",
        name="wpdiscuz",
        detect_xpath=(
            "//*[starts-with(@id, 'wc-comm-') or starts-with(@id, 'wpd-comm-') or @id='wpdcom'"
            " or @id='wpdiscuz']",
        ),
        # wc-comm-N_P up to wpDiscuz 5, wpd-comm-N_P from 7
        id_patterns=(
            r"^wc-comm-(?P<id>\d+)_(?P<parent>\d+)$",
            r"^wpd-comm-(?P<id>\d+)_(?P<parent>\d+)$",
        ),
        parent_rule="id",
        container_tags=(),
        container_hops=0,
        author=(".wc-comment-author a", ".wc-comment-author", ".wpd-comment-author"),
        published=(
            ".wc-comment-date time",
            "time[datetime]",
            ".wc-comment-date",
            ".wpd-comment-date",
        ),
        content=(".wc-comment-text", ".wpd-comment-text"),
    ),
    Platform(
        key="tagdiv",
        name="tagdiv",
        detect_xpath=(
            "//*["
            + _has_class("td-comments-title-wrap")
            + " or "
            + _has_class("td-comment-date")
            + " or "
            + _has_class("td-form-comment")
            + " or "
            + _has_class("td-comments")
            + "]",
        ),
        id_patterns=(r"^comment-(?P<id>\d+)$",),
        author=("cite a", "cite", ".comment-author .fn", ".fn"),
        published=("time.td-comment-date", "time[datetime]"),
    ),
    Platform(
        key="wordpress-html5",
        name="wordpress",
        detect_xpath=(
            "//ol[" + _has_class("comment-list") + "]",
            "//*[starts-with(@id, 'div-comment-')]",
            "//*[@id='respond' or @id='commentform' or " + _has_class("comment-respond") + "]",
        ),
        id_patterns=(_ID_WP,),
    ),
    Platform(
        key="wordpress-legacy",
        name="wordpress",
        detect_xpath=(
            "//*[" + _has_class("commentlist") + " or @id='commentlist']",
            "//*[starts-with(@id, 'li-comment-')]",
        ),
        id_patterns=(_ID_WP,),
    ),
    Platform(
        key="wordpress-theme",
        name="wordpress",
        detect_xpath=("//*[starts-with(@id, 'comment-')]",),
        requires_regex=(WORDPRESS_HINT,),
        id_patterns=(_ID_WP,),
    ),
    Platform(
        # Stack Exchange Q&A (stackoverflow.com, superuser.com ...): the answers, and the
        # comments under the question (top level) and under each answer (its replies)
        key="stackexchange",
        name="stackexchange",
        detect_xpath=("//*[" + _has_class("answercell") + "]",),
        # comments: li#comment-N (older pages), div#follow-up-N (threaded, newer pages)
        id_patterns=(
            r"^(?P<id>answer-\d+)$",
            r"^comment-(?P<id>\d+)$",
            r"^follow-up-(?P<id>\d+)$",
        ),
        container_tags=(),
        container_hops=0,
        author=(
            ".user-details[itemprop=author] a",
            "a.comment-user",
            "a.s-user-card--link",
            ".comment-user",
        ),
        published=(
            "time[itemprop=dateCreated]",
            "[itemprop=datePublished]",
            ".comment-date span[title]",
        ),
        content=(".js-post-body", ".comment-copy", "div[itemprop=text]"),
        partial_xpath="//a[@rel='next']",  # more answers on the next page
    ),
    Platform(
        # Reddit's server-rendered pages (old.reddit.com): nested div.thing comments
        key="reddit-old",
        name="reddit",
        detect_xpath=("//*[starts-with(@id, 'thing_t1_')]",),
        id_patterns=(r"^thing_t1_(?P<id>\w+)$",),
        container_tags=(),
        container_hops=0,
        author=(".tagline .author", "a.author"),
        published=(".tagline time", "time[datetime]"),
        content=(".usertext-body .md", ".usertext-body"),
        strip=(*COMMON_STRIP, ".tagline", ".flat-list", ".parent", ".midcol"),
        # "load more comments", "continue this thread": replies the page leaves out
        partial_xpath="//*[" + _has_class("morechildren") + " or " + _has_class("deepthread") + "]",
        declared_xpath="//*[@data-type='link'][@data-comments-count][1]/@data-comments-count",
    ),
    # Forum engines (see FORUM_NEXT and :func:`_forum`).
    _forum(
        "phpbb",
        "//*[@id='phpbb' or " + _has_class("postprofile") + "]",
        r"^p(?P<id>\d+)$",
        author=(".postprofile .username", ".postprofile .username-coloured", ".author strong"),
        published=("p.author time", "time[datetime]", "p.author"),
        content=(".content",),
        strip=(".signature", ".notice"),
    ),
    _forum(
        "fluxbb",
        "//*[@id='punviewtopic' or " + _has_class("blockpost") + "]",
        r"^p(?P<id>\d+)$",
        author=(".postleft strong", ".postleft dt"),
        published=("h2 a",),
        content=(".postmsg",),
        strip=(".postsignature", ".postedit"),
    ),
    _forum(
        "vbulletin",
        "//*[starts-with(@id, 'post_message_')]",
        r"^post_?(?P<id>\d+)$",
        author=("a.bigusername", ".username strong", "a.username", ".username"),
        published=(".postdate .date", "span.date", ".postdate", "td.thead"),
        content=("div[id^=post_message_]", ".postcontent"),
        strip=(".signature", ".vbseo_buttons", ".postfoot"),
    ),
    _forum(
        "smf",
        "//*[@id='forumposts']",
        r"^msg(?P<id>\d+)$",
        author=(".poster h4", ".poster a"),
        published=(".postinfo .smalltext", ".keyinfo .smalltext"),
        content=(".post .inner", ".inner"),
        strip=(".signature", ".under_message", ".moderatorbar"),
    ),
    _forum(
        "mybb",
        "//*[starts-with(@id, 'pid_')]",
        r"^post_(?P<id>\d+)$",
        author=(".author_information .largetext", ".author_information strong"),
        published=(".post_date",),
        content=(".post_body",),
        strip=(".signature", ".post_controls", ".post_meta", ".post_edit"),
    ),
    # XenForo 2 (article.message--post#js-post-N) and 1 (li.message#post-N)
    _forum(
        "xenforo",
        "//*[" + _has_class("message--post") + " or " + _has_class("messageList") + "]",
        r"^js-post-(?P<id>\d+)$",
        r"^post-(?P<id>\d+)$",
        author=(".message-name .username", ".message-name", ".userText .username", "a.username"),
        published=(
            ".message-attribution-main time",
            "time.u-dt",
            ".messageDetails .DateTime",
            ".DateTime",
        ),
        content=(".message-body .bbWrapper", ".bbWrapper", "blockquote.messageText"),
        strip=(".message-signature", ".signature", ".bbCodeBlock-expandLink"),
    ),
    # Substack: the top comments a post page renders (div.comment, its id on an empty
    # anchor inside it); the others and the replies load by script ("147 more comments")
    Platform(
        key="substack",
        name="substack",
        detect_xpath=("//*[" + _has_class("comment-anchor") + "]",),
        requires_regex=(r"substackcdn\.com",),
        id_patterns=(r"^comment-(?P<id>\d+)$",),
        container_tags=(),
        container_class="comment",
        container_hops=1,
        author=("a[href^=https://substack.com/profile/]",),
        published=("a[title]",),
        content=(".comment-body",),
        strip=(*COMMON_STRIP, ".show-all-toggle"),
        partial_xpath="//a["
        + _has_class("more-comments")
        + " or "
        + _has_class("more-replies")
        + "]",
    ),
    # Invision Community 4 (article.cPost#elComment_N) and 5 (article.ipsEntry--post)
    _forum(
        "invision",
        "//*[" + _has_class("cPost") + " or " + _has_class("ipsEntry--post") + "]",
        r"^elComment_(?P<id>\d+)$",
        author=(
            ".cAuthorPane_author a",
            ".cAuthorPane_author",
            ".ipsEntry__username a",
            ".ipsEntry__username",
        ),
        published=("time[datetime]",),
        content=("[data-role=commentContent]",),
        strip=("[data-role=memberSignature]", ".ipsItemControls"),
    ),
    # Vanilla Forums: div#Discussion_N (the opening post), li#Comment_N (the replies)
    _forum(
        "vanilla",
        "//*[" + _has_class("ItemComment") + " or " + _has_class("ItemDiscussion") + "]",
        r"^Discussion_(?P<id>\d+)$",
        r"^Comment_(?P<id>\d+)$",
        author=(".Author .Username", ".Username"),
        published=("time[datetime]",),
        content=(".Message",),
        strip=(".Signature", ".UserSignature", ".Reactions", ".Options"),
    ),
    Platform(
        key="generic",
        name="generic",
        detect_xpath=("//*[starts-with(@id, 'comment-') or starts-with(@id, 'li-comment-')]",),
        id_patterns=(_ID_WP,),
    ),
)

#: Form and "closed" markers deciding between ``empty`` and ``closed``.
FORM_XPATH = "//*[@id='respond' or @id='commentform' or " + _has_class("comment-respond") + "]"
CLOSED_XPATH = "//*[" + _has_class("nocomments") + " or " + _has_class("comments-closed") + "]"
