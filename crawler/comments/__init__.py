"""Reader comment threads as trees, from article pages and the WordPress REST API.

Public API::

    extract_comments(html, url)         -> thread dict of one page
    wordpress_post_id(html)             -> WordPress post id or None
    comment_pages(html, url)            -> the other comment pages (absolute URLs, in order)
    rest_api_url(html, url, post_id, page=1) -> REST comments URL or None
    merge_pages(threads)                -> one thread from comment pages 1..N
    from_rest(pages, total)             -> thread from REST comment JSON pages
    reconcile(html_thread, rest_thread) -> HTML and REST combined (REST parents win)

A thread dict has ``platform``, ``source`` (``html``/``jsonld``/``microdata``/
``rest``/None), ``declared_count``, ``found_count``, ``complete``, ``status`` and
``items`` (``id``, ``parent_id``, ``depth`` (1 = top level), ``author``,
``author_url``, ``published``, ``text``), items in thread (pre-)order.

Forum engines (phpBB, FluxBB, vBulletin, SMF, MyBB, XenForo, Invision, Vanilla) give
flat threads of the replies on a thread page (see
:data:`crawler.comments.platforms.FORUM_NEXT`); Reddit's server-rendered pages
(old.reddit.com) nested trees, its script-loaded pages ``not_rendered``; Stack Exchange
pages the answers with their comments; a Substack post page the top comments it renders
(``partial`` where more load by script).

Statuses: ``ok``; ``partial`` (further comment pages linked and not had, a forum
thread's later page, or fewer found than declared; see :mod:`.pagination`);
``none`` (no comments, no platform); ``empty``/``closed``
(platform present, zero comments: form present / comments closed);
``not_rendered`` (JS-only platform: Disqus, Viafoura, Coral, OpenWeb,
Facebook, the one-script embeds (giscus, utterances, Hyvor Talk, Remark42, Commento,
Isso, Cusdis, Gitalk, Vuukle, GraphComment, IntenseDebate), a Discourse topic
served without its crawler view; never complete);
``unrecognised`` (a comment-like section with text on a platform no adapter reads;
never complete); ``error:<slug>`` (``empty_document``,
``unparseable``, ``bad_input``, ``extraction_failed``).

Missing or cyclic parents never raise: the item becomes top level (depth 1),
the status is unchanged and a warning is logged (see :mod:`.thread`).
Platform patterns live in one table, :mod:`crawler.comments.platforms`.
"""

from __future__ import annotations

from crawler.comments.extract import extract_comments, merge_pages, reconcile
from crawler.comments.wordpress import (
    add_rest_page,
    comment_pages,
    from_rest,
    rest_api_url,
    rest_state,
    wordpress_post_id,
)

__all__ = [
    "add_rest_page",
    "comment_pages",
    "extract_comments",
    "from_rest",
    "merge_pages",
    "reconcile",
    "rest_api_url",
    "rest_state",
    "wordpress_post_id",
]
