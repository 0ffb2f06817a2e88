"""Hand-written (invented) pages for each platform adapter and JS-only embed."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.comments import comment_pages, extract_comments, wordpress_post_id
from crawler.comments.html_adapter import _finder
from crawler.comments.platforms import PLATFORMS

URL = "https://news.example/2024/05/story/"


def _page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


def _tree(thread: dict[str, object]) -> list[tuple[str, str | None, int]]:
    items = thread["items"]
    assert isinstance(items, list)
    return [(i["id"], i["parent_id"], i["depth"]) for i in items]


WPDISCUZ = _page(
    '<div id="wpdcom" class="wpdiscuz_unauth">'
    '<div id="wc-comm-11_0" class="wc-comment wc_comment_level-1"><div id="comment-11">'
    '<div class="wc-comment-header"><div class="wc-comment-author">Ava Lind</div></div>'
    '<div class="wc-comment-text"><p>First point.</p><p>Second point.</p></div>'
    '<div class="wc-comment-footer"><div class="wc-comment-date">2 days ago</div>'
    '<span class="wc-reply-button">Reply</span></div></div>'
    '<div id="wc-comm-12_11" class="wc-comment wc-reply wc_comment_level-2"><div id="comment-12">'
    '<div class="wc-comment-header"><div class="wc-comment-author"><a href="/u/bo">Bo Ek</a>'
    '</div></div><div class="wc-comment-text">Agreed.</div></div>'
    '<div id="wc-comm-13_12" class="wc-comment wc-reply wc_comment_level-3"><div id="comment-13">'
    '<div class="wc-comment-author">Cy</div><div class="wc-comment-text">Me too</div>'
    "</div></div></div></div>"
    '<div id="wc-comm-14_0" class="wc-comment"><div class="wc-comment-author">Di</div>'
    '<div class="wc-comment-text">Flat reply-less.</div></div></div>'
)


def test_wpdiscuz_parents_from_ids() -> None:
    thread = extract_comments(WPDISCUZ, URL)
    assert thread["platform"] == "wpdiscuz"
    assert _tree(thread) == [("11", None, 1), ("12", "11", 2), ("13", "12", 3), ("14", None, 1)]
    items = thread["items"]
    assert isinstance(items, list)
    assert items[0]["text"] == "First point.\n\nSecond point."
    assert items[0]["published"] is None  # relative dates are not ISO dates
    assert (items[1]["author"], items[1]["author_url"]) == ("Bo Ek", "https://news.example/u/bo")


def _wpdiscuz7(cid: str, parent: str, author: str, text: str, replies: str = "") -> str:
    """A comment as wpDiscuz 7 renders it (wpd-comm-N_P around the theme's comment-N)."""
    return (
        f'<div id="wpd-comm-{cid}_{parent}" class="comment wpd-comment"><div'
        f' class="wpd-comment-wrap"><div id="comment-{cid}" class="wpd-comment-right"><div'
        f' class="wpd-comment-header"><div class="wpd-comment-author">{author}</div><div'
        ' class="wpd-comment-date" title="November 1, 2024 5:04 am"><i class="far fa-clock">'
        '</i> 1 year ago</div></div><div class="wpd-comment-text"><p>'
        f'{text}</p></div><div class="wpd-comment-footer"><div class="wpd-reply-button"><span>'
        f'Reply</span></div></div></div></div><div class="wpd-reply-thread">{replies}</div></div>'
    )


def test_wpdiscuz_7_trees_and_hover_dates() -> None:
    reply = _wpdiscuz7("22", "21", "Bo Ek", "Agreed.", _wpdiscuz7("23", "22", "Cy", "Me too"))
    page = _page(
        '<div id="wpdcom"><div class="wpd-thread-list">'
        + _wpdiscuz7("21", "0", "Ava Lind", "First point.", reply)
        + _wpdiscuz7("24", "0", "Di", "Flat.")
        + "</div></div>"
    )
    thread = extract_comments(page, URL)
    assert (thread["platform"], thread["status"]) == ("wpdiscuz", "ok")
    assert _tree(thread) == [("21", None, 1), ("22", "21", 2), ("23", "22", 3), ("24", None, 1)]
    items = thread["items"]
    assert isinstance(items, list)
    assert [(i["author"], i["text"], i["published"]) for i in items[:2]] == [
        ("Ava Lind", "First point.", "2024-11-01T05:04"),
        ("Bo Ek", "Agreed.", "2024-11-01T05:04"),
    ]


def test_underscored_theme_classes_give_author_and_date() -> None:
    page = _page(
        '<ol class="commentlist"><li id="comment-31" class="comment"><div'
        ' class="comment-date-container"><span class="comment_date">July 25, 2019</span></div>'
        '<div class="comment-author-container"><span class="comment_author"><a class="url"'
        ' href="https://reader.example/">Rob Reader</a></span></div><div class="comments-inner">'
        '<div class="comment_text"><p>Lovely trip.</p></div></div></li>'
        '<li id="comment-32" class="comment"><span class="comments__info"><a class="author"'
        ' href="/u/ann">Ann</a> | <time class="comments__date">Feb 24, 2006 02:35am</time></span>'
        '<div class="comment_text"><p>Thanks.</p></div></li></ol>'
    )
    items = extract_comments(page, URL)["items"]
    assert isinstance(items, list)
    assert [(i["author"], i["published"], i["text"]) for i in items] == [
        ("Rob Reader", "2019-07-25", "Lovely trip."),
        ("Ann", "2006-02-24T02:35", "Thanks."),
    ]


def test_block_theme_comments_and_a_date_after_the_authors_link() -> None:
    # WordPress's comment blocks (block themes), and a theme whose ".comment-meta a"
    # is first the author's link, then the date
    page = _page(
        '<ol class="wp-block-comment-template"><li id="comment-41" class="comment"><div'
        ' class="wp-block-group"><div class="wp-block-comment-author-name">reader_41</div>'
        '<div class="wp-block-comment-date"><time datetime="2025-06-19T01:45:33+00:00">June'
        ' 19, 2025</time></div></div><div class="wp-block-comment-content"><p>Nice build.</p>'
        '</div><div class="wp-block-comment-reply-link"><a class="comment-reply-link">Reply</a>'
        '</div></li><li id="comment-42" class="comment"><article class="comment-body"><div'
        ' class="comment-meta"><cite class="fn"><a class="url" href="/u/si">Si</a></cite> <a'
        ' href="#comment-42">April 20, 2024</a></div><div class="comment-text"><p>Agreed.</p>'
        "</div></article></li></ol>"
    )
    items = extract_comments(page, URL)["items"]
    assert isinstance(items, list)
    assert [(i["author"], i["published"], i["text"]) for i in items] == [
        ("reader_41", "2025-06-19T01:45:33+00:00", "Nice build."),
        ("Si", "2024-04-20", "Agreed."),
    ]


JSON_LD = _page(
    "<p>Article</p>",
    '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
    '"headline":"x","commentCount":"3","comment":[{"@type":"Comment","@id":"'
    + URL
    + '#comment-1","author":{"@type":"Person","name":"Ann","url":"https://ann.example/"},'
    '"dateCreated":"2024-05-01T10:00:00+02:00","text":"Top","comment":[{"@type":"Comment",'
    '"@id":"' + URL + '#comment-2","author":"Ben","text":"Reply"}]},{"@type":"Comment",'
    '"@id":"' + URL + '#comment-3","author":"Cat","text":"Other",'
    '"parentItem":{"@id":"' + URL + '#comment-1"}}]}</script>',
)


def test_json_ld_comments_and_count() -> None:
    thread = extract_comments(JSON_LD, URL)
    assert thread["source"] == "jsonld"
    assert thread["declared_count"] == 3
    assert _tree(thread) == [("1", None, 1), ("2", "1", 2), ("3", "1", 2)]
    items = thread["items"]
    assert isinstance(items, list)
    assert items[0]["author_url"] == "https://ann.example/"
    assert items[0]["published"] == "2024-05-01T10:00:00+02:00"
    assert thread["status"] == "ok"


MICRODATA = _page(
    '<article itemscope itemtype="https://schema.org/NewsArticle">'
    '<meta itemprop="commentCount" content="2">'
    '<div itemprop="comment" itemscope itemtype="http://schema.org/comment" itemid="#comment-7">'
    '<span itemprop="author" itemscope itemtype="https://schema.org/Person">Herr '
    '<span itemprop="name">Ed Wu</span></span>'
    '<time itemprop="datePublished" content="2020-04-28T10:27:29+0200">28.04.2020</time>'
    '<p itemprop="text">Microdata comment.</p>'
    '<div itemprop="comment" itemscope itemtype="https://schema.org/Comment">'
    '<span itemprop="author">Flo</span><div itemprop="text">Nested.</div></div></div></article>'
)


def test_microdata_comments_and_count() -> None:
    thread = extract_comments(MICRODATA, URL)
    assert thread["source"] == "microdata"
    assert thread["declared_count"] == 2
    assert _tree(thread) == [("7", None, 1), ("microdata-2", "7", 2)]
    items = thread["items"]
    assert isinstance(items, list)
    assert items[0]["author"] == "Ed Wu"
    assert items[0]["text"] == "Microdata comment."
    assert items[0]["published"] == "2020-04-28T10:27:29+0200"


def test_interaction_statistic_count() -> None:
    page = _page(
        "<p>x</p>",
        '<script type="application/ld+json">{"@type":"Article","interactionStatistic":'
        '{"@type":"InteractionCounter","interactionType":"https://schema.org/CommentAction",'
        '"userInteractionCount":4}}</script>',
    )
    thread = extract_comments(page, URL)
    assert thread["declared_count"] == 4
    assert thread["status"] == "partial"  # declared comments, none found
    assert thread["complete"] is False


JS_ONLY = {
    "disqus": '<div id="disqus_thread"></div><script>var disqus_shortname="news";</script>'
    '<script src="https://news.disqus.com/embed.js"></script>',
    "viafoura": '<div class="viafoura"><vf-conversations></vf-conversations></div>'
    '<script src="https://cdn.viafoura.net/entry/index.js"></script>',
    "coral": '<div id="coral_thread"></div><script>Coral.createStreamEmbed({id:"coral_thread"})'
    "</script>",
    "openweb": '<div data-spotim-module="spotim-launcher" data-post-id="5"></div>'
    '<script src="https://launcher.spot.im/spot/sp_abc"></script>',
    "facebook": '<div class="fb-comments" data-href="https://news.example/x" data-width=""></div>',
    "giscus": '<script src="https://giscus.app/client.js" data-repo="news/site"'
    ' data-mapping="pathname" crossorigin="anonymous" async></script>',
    "utterances": '<script src="https://utteranc.es/client.js" repo="news/site"'
    ' issue-term="pathname" async></script>',
    "hyvor": '<hyvor-talk-comments website-id="123" page-id="x"></hyvor-talk-comments>'
    '<script async src="https://talk.hyvor.com/embed/embed.js" type="module"></script>',
    "remark42": '<div id="remark42"></div><script>var remark_config = {host:'
    ' "https://comments.news.example", site_id: "news"};</script>',
    "commento": '<div id="commento"></div>'
    '<script defer src="https://cdn.commento.io/js/commento.js"></script>',
    "isso": '<script data-isso="//comments.news.example/" src="//comments.news.example/js/'
    'embed.min.js"></script><section id="isso-thread"></section>',
    "cusdis": '<div id="cusdis_thread" data-host="https://cusdis.com" data-app-id="a1"></div>',
    "gitalk": '<div id="gitalk-container"></div><script>new Gitalk({repo: "site"})'
    '.render("gitalk-container")</script>',
    "vuukle": '<div id="vuukle-comments"></div>'
    '<script src="https://cdn.vuukle.com/platform.js" async></script>',
    "graphcomment": '<div id="graphcomment"></div><script>var __semio__params = {'
    'graphcommentId: "news"};</script>',
    "reddit": '<a id="shreddit-skip-link" href="#main-content">Skip to main content</a>'
    '<shreddit-app><shreddit-post post-title="x"></shreddit-post></shreddit-app>',
    "intensedebate": '<script>var idcomments_acct = "abc";</script><span id="IDCommentsPostTitle">'
    '</span><script src="https://www.intensedebate.com/js/genericCommentWrapperV2.js"></script>',
}


@pytest.mark.parametrize("name", sorted(JS_ONLY))
def test_js_only_platforms_are_not_rendered(name: str) -> None:
    head = '<script type="application/ld+json">{"@type":"NewsArticle","commentCount":0}</script>'
    thread = extract_comments(_page(JS_ONLY[name] + "<div id='respond'></div>", head), URL)
    assert thread["platform"] == name
    assert thread["status"] == "not_rendered"
    assert thread["complete"] is False
    assert thread["declared_count"] is None
    assert thread["items"] == []


@pytest.mark.parametrize("name", ["giscus", "utterances", "hyvor", "remark42", "isso"])
def test_an_embed_snippet_quoted_in_the_text_is_no_platform(name: str) -> None:
    # a post about the platform shows its snippet as text; its thread is the page's own
    quoted = JS_ONLY[name].replace("<", "&lt;").replace(">", "&gt;")
    thread = extract_comments(_page(f"<pre><code>{quoted}</code></pre>"), URL)
    assert thread["platform"] is None
    assert thread["status"] == "none"


DISCOURSE_HEAD = (
    '<meta name="generator" content="Discourse 3.4.0 - https://github.com/discourse/discourse">'
)


def test_discourse_app_without_its_crawler_view_is_not_rendered() -> None:
    shell = '<noscript>This site needs JavaScript.</noscript><div id="main-outlet"></div>'
    thread = extract_comments(_page(shell, DISCOURSE_HEAD), URL)
    assert (thread["platform"], thread["status"], thread["complete"]) == (
        "discourse",
        "not_rendered",
        False,
    )


@pytest.mark.parametrize("replies", [0, 2])
def test_discourse_crawler_view_is_read(replies: int) -> None:
    posts = "".join(
        f'<div id="post_{n + 2}" class="topic-body crawler-post" itemprop="comment" itemscope'
        ' itemtype="http://schema.org/Comment"><span itemprop="author" itemscope'
        f' itemtype="http://schema.org/Person"><span itemprop="name">reader{n}</span></span>'
        f'<div class="post" itemprop="text"><p>Reply number {n}.</p></div></div>'
        for n in range(replies)
    )
    topic = (
        '<div itemscope itemtype="http://schema.org/DiscussionForumPosting">'
        '<div id="post_1" class="topic-body crawler-post"><div class="post" itemprop="text">'
        f"<p>The opening post.</p></div></div>{posts}</div>"
    )
    thread = extract_comments(_page(topic, DISCOURSE_HEAD), URL)
    assert thread["status"] != "not_rendered"
    assert thread["found_count"] == replies
    assert [i["text"] for i in thread["items"]] == [f"Reply number {n}." for n in range(replies)]


def test_rendered_comments_win_over_js_embed() -> None:
    page = _page(
        JS_ONLY["disqus"] + '<ol class="commentlist"><li id="comment-5"><cite>X</cite>'
        "<p>Server-rendered.</p></li></ol>"
    )
    thread = extract_comments(page, URL)
    assert (thread["platform"], thread["status"], thread["found_count"]) == ("wordpress", "ok", 1)


FORM_ONLY = _page(
    '<div id="comments" class="comments-area"><div id="respond" class="comment-respond">'
    '<h3 id="reply-title">Leave a Reply</h3><form id="commentform" class="comment-form">'
    '<textarea id="comment"></textarea><div class="td-warning-comment">Please enter your comment!'
    "</div></form></div></div>"
)


def test_comment_form_is_never_a_comment() -> None:
    thread = extract_comments(FORM_ONLY, URL)
    assert (thread["status"], thread["found_count"], thread["complete"]) == ("empty", 0, True)


def test_closed_and_none() -> None:
    closed = _page(
        '<div id="comments"><p class="nocomments">Comments are closed.</p></div>'
        '<ol class="comment-list"></ol>'
    )
    assert extract_comments(closed, URL)["status"] == "closed"
    none = extract_comments(_page("<p>Just an article.</p>"), URL)
    assert (none["status"], none["platform"], none["complete"]) == ("none", None, True)


def test_a_comment_section_no_adapter_reads_is_unrecognised() -> None:
    # a discussion platform none of the adapters knows: its thread is not known to be empty
    posts = "".join(
        f'<li class="comment-row"><div class="byline">reader{n} 2 hours ago</div>'
        f"<div class='comment_text'><p>Reply number {n} about the harbour bridge works, with"
        f" enough words to read as a reader's comment.</p></div></li>"
        for n in range(4)
    )
    thread = extract_comments(_page(f'<ol class="comments comments1">{posts}</ol>'), URL)
    assert (thread["status"], thread["complete"], thread["found_count"]) == (
        "unrecognised", False, 0,
    )  # fmt: skip
    # a script in a comment box is no shown text
    script = "<script>" + "var x = 1;" * 40 + "</script>"
    thread = extract_comments(_page(f'<div id="comments">{script}</div>'), URL)
    assert (thread["status"], thread["complete"]) == ("none", True)


LEGACY_CORE = _page(
    '<ol class="commentlist"><li class="comment depth-1" id="comment-3">'
    '<div id="div-comment-3" class="comment-body"><div class="comment-author vcard">'
    '<img class="avatar" src="a.png"><cite class="fn"><a href="https://jo.example/">Jo</a></cite>'
    ' <span class="says">says:</span></div><em class="comment-awaiting-moderation">Your comment'
    ' is awaiting moderation.</em><div class="comment-meta commentmetadata"><a href="#c">'
    'March 3, 2024 at 9:05 pm</a> <a class="comment-edit-link" href="#">(Edit)</a></div>'
    '<p>One.</p>\n<p>Two<br>lines.</p><div class="reply"><a class="comment-reply-link">Reply'
    "</a></div></div></li></ol>"
)


def test_legacy_core_text_excludes_chrome() -> None:
    thread = extract_comments(LEGACY_CORE, URL)
    items = thread["items"]
    assert isinstance(items, list)
    assert items == [
        {
            "id": "3",
            "parent_id": None,
            "depth": 1,
            "author": "Jo",
            "author_url": "https://jo.example/",
            "published": "2024-03-03T21:05",
            "text": "One.\n\nTwo\nlines.",
        }
    ]


def test_wordpress_post_id_sources() -> None:
    assert (
        wordpress_post_id(_page("", '<link rel="shortlink" href="https://x.example/?p=42">')) == 42
    )
    assert wordpress_post_id('<html><body class="single postid-7 x">y</body></html>') == 7
    assert wordpress_post_id(_page('<article id="post-9">x</article>')) == 9
    assert wordpress_post_id(_page("<p>nothing</p>")) is None
    assert wordpress_post_id("") is None


def test_comment_pages_order_and_cpage() -> None:
    body = (
        '<div class="nav-links"><a class="page-numbers" href="/s/comment-page-3/#comments">3</a>'
        '<a href="/s/comment-page-2/#comments">2</a><a href="/s/comment-page-2/">2</a></div>'
    )
    assert comment_pages(_page(body), "https://x.example/s/") == [
        "https://x.example/s/comment-page-2/",
        "https://x.example/s/comment-page-3/",
    ]
    plain = _page('<a href="/?p=5&cpage=2#comments">Newer</a>')
    assert comment_pages(plain, "https://x.example/?p=5") == ["https://x.example/?p=5&cpage=2"]


def test_comment_pages_source_hint_agrees_with_the_query() -> None:
    """With the page's HTML at hand, pages whose HTML names no comment page skip the query;
    the answer is the query's, also on a comment page linking the article back."""
    from crawler.comments.dom import parse
    from crawler.comments.wordpress import comment_pages_in

    back = _page('<div class="nav-links"><a href="/s/#comments">Older comments</a></div>')
    here = "https://x.example/s/comment-page-2/"
    assert comment_pages_in(parse(back), here, back) == ["https://x.example/s/"]
    assert comment_pages_in(parse(back), here) == ["https://x.example/s/"]
    article = _page('<div class="nav-links"><a href="/t/">Next post</a></div>')
    assert comment_pages_in(parse(article), "https://x.example/s/", article) == []
    linked = _page('<a href="/s/comment-page-2/">2</a>')
    expected = ["https://x.example/s/comment-page-2/"]
    assert comment_pages_in(parse(linked), "https://x.example/s/", linked) == expected


def _reddit_comment(cid: str, author: str, text: str, children: str = "") -> str:
    return (
        f'<div class=" thing id-t1_{cid} noncollapsed comment" id="thing_t1_{cid}"'
        f' data-fullname="t1_{cid}" data-type="comment" data-author="{author}">'
        '<p class="parent"><a name="x"></a></p><div class="midcol"><div class="arrow up">'
        '</div></div><div class="entry"><p class="tagline"><a class="expand">[\u2013]</a>'
        f'<a href="https://old.reddit.example/user/{author}" class="author">{author}</a>'
        '<span class="score unvoted">12 points</span><time datetime="2026-03-04T19:34:47+00:00"'
        ' class="live-timestamp">17 hours ago</time></p><form class="usertext">'
        f'<div class="usertext-body"><div class="md"><p>{text}</p></div></div></form>'
        '<ul class="flat-list buttons"><li><a class="bylink">permalink</a></li><li>'
        '<a>reply</a></li></ul></div><div class="child"><div class="sitetable listing">'
        f"{children}</div></div></div>"
    )


def old_reddit_page(count: int = 3, more: bool = False) -> str:
    """A thread as old.reddit.com serves it: two top-level comments, one reply."""
    loader = '<div class="morechildren"><a>load more comments (2 replies)</a></div>'
    comments = _reddit_comment(
        "a1", "first_user", "Top level.", _reddit_comment("b2", "second_user", "A reply.")
    ) + _reddit_comment("c3", "third_user", "Another top level.")
    return _page(
        f'<div class="thing link" id="thing_t3_z9" data-type="link" data-comments-count="{count}">'
        f'<a class="title">Story</a></div><div class="commentarea"><div class="sitetable">'
        f"{comments}{loader if more else ''}</div></div>"
    )


@pytest.mark.parametrize(("count", "more", "status"), [(3, False, "ok"), (5, False, "partial"),
                                                       (3, True, "partial")])  # fmt: skip
def test_old_reddit_threads_nest(count: int, more: bool, status: str) -> None:
    page = old_reddit_page(count, more)
    thread = extract_comments(page, URL)
    assert (thread["platform"], thread["source"], thread["status"]) == ("reddit", "html", status)
    assert thread["declared_count"] == count
    assert _tree(thread) == [("a1", None, 1), ("b2", "a1", 2), ("c3", None, 1)]
    items = thread["items"]
    assert isinstance(items, list)
    assert [(i["author"], i["text"]) for i in items] == [
        ("first_user", "Top level."),
        ("second_user", "A reply."),
        ("third_user", "Another top level."),
    ]
    assert items[0]["published"] == "2026-03-04T19:34:47+00:00"
    assert items[0]["author_url"] == "https://old.reddit.example/user/first_user"


_DETECTION_REGEXES = sorted({r for p in PLATFORMS for r in (*p.detect_regex, *p.requires_regex)})


@pytest.mark.parametrize("pattern", _DETECTION_REGEXES)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_detection_pretest_answers_as_the_regex(pattern: str, data: st.DataObject) -> None:
    # a page with a match somewhere, and one of random text: the literal pre-test never
    # turns away a page the pattern matches, nor passes one it does not
    around = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
    inside = data.draw(st.from_regex(pattern, fullmatch=True))
    for page in (data.draw(around) + inside + data.draw(around), data.draw(around)):
        assert _finder(pattern)(page) is (re.search(pattern, page) is not None)


def _se_answer(aid: str, author: str, text: str, comments: str = "") -> str:
    return (
        f'<div id="answer-{aid}" class="answer js-answer" data-answerid="{aid}"'
        ' itemprop="suggestedAnswer"><div class="votecell">12</div><div class="answercell">'
        f'<div class="s-prose js-post-body" itemprop="text"><p>{text}</p></div>'
        f'<time itemprop="dateCreated" datetime="2024-02-0{aid[-1]}T10:00:00Z"></time>'
        '<div class="post-signature"><div class="user-details"><a href="/users/9/editor">'
        'An Editor</a></div></div><div class="post-signature"><div class="user-details"'
        f' itemprop="author"><a href="/users/1/{author}">{author}</a></div></div></div>'
        f'<div class="comments"><ul class="comments-list">{comments}</ul></div></div>'
    )


def _se_comment(cid: str, author: str, text: str) -> str:
    return (
        f'<li id="comment-{cid}" class="comment js-comment" itemprop="comment"><div'
        f' class="comment-body"><span class="comment-copy">{text}</span> &ndash; <a'
        f' class="comment-user" href="/users/3/{author}">{author}</a> <span'
        ' class="comment-date"><span title="2024-02-03 09:00:00Z">Feb 3</span></span>'
        "</div></li>"
    )


def _se_follow_up(cid: str, author: str, text: str, replies: str = "") -> str:
    return (
        f'<div id="follow-up-{cid}" itemprop="comment"><div class="s-user-card--info"'
        f' itemprop="author"><a class="s-user-card--link" href="/users/4/{author}">{author}'
        f'</a></div><div itemprop="text" class="fw-normal">{text}</div><time class="d-none"'
        f' itemprop="datePublished">2024-02-04T08:00:00Z</time>{replies}</div>'
    )


def stack_exchange_page() -> str:
    """A question with a comment, an answer with a comment, an answer with a threaded
    follow-up and its reply."""
    return _page(
        '<div id="question" class="question"><div class="postcell"><div class="s-prose'
        ' js-post-body" itemprop="text">How do I level a shed floor?</div></div><div'
        ' class="comments"><ul>'
        + _se_comment("11", "asker_friend", "What is the floor made of?")
        + '</ul></div></div><div id="answers">'
        + _se_answer("21", "first_answerer", "Use shims.", _se_comment("12", "fan", "Thanks!"))
        + _se_answer(
            "22",
            "second_answerer",
            "Pour a screed.",
            _se_follow_up("13", "doubter", "Too costly?", _se_follow_up("14", "second", "No.")),
        )
        + "</div>"
    )


def test_stack_exchange_answers_and_their_comments() -> None:
    thread = extract_comments(stack_exchange_page(), URL)
    assert (thread["platform"], thread["source"], thread["status"]) == (
        "stackexchange",
        "html",
        "ok",
    )
    assert _tree(thread) == [
        ("11", None, 1),
        ("answer-21", None, 1),
        ("12", "answer-21", 2),
        ("answer-22", None, 1),
        ("13", "answer-22", 2),
        ("14", "13", 3),
    ]
    items = {i["id"]: i for i in thread["items"]}  # type: ignore[union-attr]
    assert items["answer-21"]["author"] == "first_answerer"  # not the editor
    assert items["answer-21"]["text"] == "Use shims."
    assert str(items["answer-21"]["published"]).startswith("2024-02-01T10:00")
    assert (items["12"]["author"], items["12"]["text"]) == ("fan", "Thanks!")
    assert (items["13"]["author"], items["13"]["text"]) == ("doubter", "Too costly?")
    assert items["14"]["text"] == "No."


def _substack_comment(cid: str, name: str, text: str, replies: str = "") -> str:
    profile = f"https://substack.com/profile/{cid}-reader?utm_source=comment"
    return (
        f'<div class="comment"><div id="comment-{cid}" class="comment-anchor"></div>'
        f'<div id="comment-{cid}-reply" class="comment-anchor"></div><div role="article"'
        f' aria-label="Comment by {name}" class="pencraft comment-content"><a href="{profile}">'
        f'<img alt="" src="/avatar.png"></a><div class="pencraft"><a href="{profile}">{name}'
        f'</a><a href="/p/harbour/comment/{cid}" title="Dec 14, 2025, 7:40 PM"><span>6d</span>'
        f'</a></div><div class="comment-body"><p><span>{text}</span></p><div'
        ' class="show-all-toggle"><div class="show-all-toggle-label">Expand full comment</div>'
        '</div></div><a href="#"><div>Reply</div></a><a href="#"><div>Share</div></a></div>'
        f"{replies}</div>"
    )


def substack_page(more: str = "") -> str:
    """A Substack post page with its top comments, one of them with a reply."""
    reply = _substack_comment("12", "Second Reader", "Agreed.")
    return _page(
        '<article class="post"><h1>Harbour</h1><p>Post text.</p></article>'
        '<div class="comment-list"><div class="comment-list-items">'
        + _substack_comment("11", "First Reader", "Good post.", reply)
        + _substack_comment("13", "Third Reader", "Thanks.")
        + f"</div></div>{more}",
        head='<script src="https://substackcdn.com/bundle/main.js"></script>',
    )


@pytest.mark.parametrize("more", ["", '<a class="more-comments" href="/p/x/comments">6 more</a>'])
def test_substack_renders_its_top_comments(more: str) -> None:
    page = substack_page(more)
    thread = extract_comments(page, URL)
    assert (thread["platform"], thread["source"]) == ("substack", "html")
    assert thread["status"] == ("partial" if more else "ok")
    assert _tree(thread) == [("11", None, 1), ("12", "11", 2), ("13", None, 1)]
    items = thread["items"]
    assert isinstance(items, list)
    assert [(i["author"], i["text"]) for i in items] == [
        ("First Reader", "Good post."),
        ("Second Reader", "Agreed."),
        ("Third Reader", "Thanks."),
    ]
    assert items[0]["published"] == "2025-12-14T19:40"
    assert items[0]["author_url"] == "https://substack.com/profile/11-reader?utm_source=comment"
    # the same markup on a page no Substack script serves: not Substack's
    other = page.replace("substackcdn.com", "cdn.example")
    assert extract_comments(other, URL)["platform"] != "substack"
