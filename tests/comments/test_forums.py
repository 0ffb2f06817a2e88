"""Forum engines (invented thread pages): the replies of a thread page as a flat thread."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from crawler.comments import extract_comments
from crawler.comments.dom import parse
from crawler.comments.extract import forum_posts
from crawler.extract import extract_article, markup

URL = "https://forum.example/thread/42/"

POSTS = [
    ("101", "Topic Starter", "2024-03-01T10:00:00+00:00", "How do I level a shed floor?"),
    ("102", "Helpful Hana", "2024-03-01T11:30:00+00:00", "Use a long spirit level first."),
    ("103", "Ole Bakke", "2024-03-02T08:15:00+00:00", "Shims under the joists worked for me."),
]
SIGNATURE = "Sent from my workbench"


def phpbb(pid: str, name: str, when: str, text: str) -> str:
    return (
        f'<div id="p{pid}" class="post has-profile bg1"><div class="inner">'
        f'<dl class="postprofile" id="profile{pid}"><dt><a href="./memberlist.php?u=1"'
        f' class="username">{name}</a></dt><dd>Posts: 12</dd></dl><div class="postbody">'
        f'<div id="post_content{pid}"><h3><a href="#p{pid}">Re: Shed floor</a></h3>'
        f'<p class="author"><span>by</span> <time datetime="{when}">1 Mar 2024</time></p>'
        f'<div class="content">{text}</div><div class="signature">{SIGNATURE}</div>'
        "</div></div></div></div>"
    )


def fluxbb(pid: str, name: str, when: str, text: str) -> str:
    return (
        f'<div id="p{pid}" class="blockpost roweven"><h2><span><a href="viewtopic.php?pid={pid}">'
        f'{when[:10]} {when[11:19]}</a></span></h2><div class="box"><div class="inbox">'
        f'<div class="postbody"><div class="postleft"><dl><dt><strong><a href="/u">{name}</a>'
        '</strong></dt><dd class="usertitle">Member</dd></dl></div><div class="postright">'
        f'<h3>Re: Shed floor</h3><div class="postmsg"><p>{text}</p></div>'
        f'<div class="postsignature"><hr>{SIGNATURE}</div></div></div></div></div></div>'
    )


def vbulletin3(pid: str, name: str, when: str, text: str) -> str:
    return (
        f'<table id="post{pid}" class="tborder"><tr><td class="thead">{when[:10]}</td></tr>'
        f'<tr><td class="alt2"><div id="postmenu_{pid}"><a class="bigusername" href="/m">{name}'
        f'</a></div><div class="smallfont">Join Date: 2020</div></td><td class="alt1"'
        f' id="td_post_{pid}"><div class="smallfont"><strong>Re: Shed floor</strong></div>'
        f'<div id="post_message_{pid}">{text}</div><div>__________________<br>{SIGNATURE}'
        "</div></td></tr></table>"
    )


def vbulletin4(pid: str, name: str, when: str, text: str) -> str:
    return (
        f'<li class="postbitlegacy postcontainer" id="post_{pid}"><div class="posthead">'
        f'<span class="postdate"><span class="date">{when[:10]}</span></span></div>'
        f'<div class="userinfo"><a class="username" href="/m"><strong>{name}</strong></a></div>'
        f'<div class="postbody"><div class="content"><div id="post_message_{pid}">'
        f'<blockquote class="postcontent restore">{text}</blockquote></div></div>'
        f'<blockquote class="signature restore">{SIGNATURE}</blockquote></div></li>'
    )


def smf(pid: str, name: str, when: str, text: str) -> str:
    return (
        f'<div class="windowbg" id="msg{pid}"><div class="post_wrapper"><div class="poster">'
        f'<h4><a href="/profile">{name}</a></h4><ul class="user_info"><li>Posts: 9</li></ul>'
        '</div><div class="postarea"><div class="keyinfo"><div class="postinfo">'
        f'<a class="smalltext" href="/msg">{when[:10]}</a></div></div><div class="post">'
        f'<div class="inner" id="msg_{pid}">{text}</div></div></div><div class="moderatorbar">'
        f'<div class="signature">{SIGNATURE}</div></div></div></div>'
    )


def mybb(pid: str, name: str, when: str, text: str) -> str:
    return (
        f'<div class="post " id="post_{pid}"><div class="post_author"><div'
        ' class="author_information"><strong><span class="largetext"><a href="/u">'
        f'{name}</a></span></strong></div></div><div class="post_content"><div'
        f' class="post_head"><span class="post_date">{when[:10]}</span></div>'
        f'<div class="post_body scaleimages" id="pid_{pid}">{text}</div>'
        f'<div class="signature scaleimages">{SIGNATURE}</div></div>'
        '<div class="post_controls"><a class="postbit_quote">Reply</a></div></div>'
    )


def xenforo2(pid: str, name: str, when: str, text: str) -> str:
    return (
        f'<article class="message message--post js-post" data-author="{name}"'
        f' data-content="post-{pid}" id="js-post-{pid}"><span class="u-anchorTarget"'
        f' id="post-{pid}"></span><div class="message-inner"><div class="message-cell'
        ' message-cell--user"><section class="message-user"><h4 class="message-name">'
        f'<a href="/members/x.1/" class="username">{name}</a></h4></section></div>'
        '<div class="message-cell message-cell--main"><header class="message-attribution">'
        f'<ul class="message-attribution-main"><li><a href="/p"><time class="u-dt"'
        f' datetime="{when}">Mar 1, 2024</time></a></li></ul></header><div'
        ' class="message-content"><article class="message-body"><div class="bbWrapper">'
        f'{text}</div></article><aside class="message-signature"><div class="bbWrapper">'
        f"{SIGNATURE}</div></aside></div></div></div></article>"
    )


def xenforo1(pid: str, name: str, when: str, text: str) -> str:
    return (
        f'<li id="post-{pid}" class="message" data-author="{name}"><div'
        ' class="messageUserInfo"><h3 class="userText"><a href="/members/x.1/"'
        f' class="username">{name}</a></h3></div><div class="messageInfo"><div'
        f' class="messageContent"><article><blockquote class="messageText">{text}'
        '</blockquote></article></div><div class="messageDetails"><a class="datePermalink">'
        f'<span class="DateTime" title="{when[:10]}">{when[:10]}</span></a></div></div></li>'
    )


def invision4(pid: str, name: str, when: str, text: str) -> str:
    return (
        f'<a id="comment-{pid}"></a><article id="elComment_{pid}" class="cPost ipsBox'
        ' ipsComment ipsComment_parent"><aside class="ipsComment_author cAuthorPane"><h3'
        ' class="ipsType_sectionHead cAuthorPane_author"><strong><a href="/profile/1-x/">'
        f'{name}</a></strong></h3><ul class="cAuthorPane_info"><li>Members</li><li>12 posts'
        f'</li></ul></aside><div id="comment-{pid}_wrap" data-commentapp="forums"'
        ' class="ipsComment_content"><div class="ipsComment_meta"><a href="?do=findComment">'
        f'Posted <time datetime="{when}">March 1, 2024</time></a></div><div'
        ' class="cPost_contentWrap"><div data-role="commentContent" class="ipsType_richText">'
        f'{text}</div><div data-role="memberSignature">{SIGNATURE}</div></div></div></article>'
    )


def invision5(pid: str, name: str, when: str, text: str) -> str:
    return (
        f'<article id="elComment_{pid}" class="ipsEntry js-ipsEntry ipsEntry--post"><aside'
        ' class="ipsEntry__author-column"><h3 class="ipsEntry__username"><a class="ipsUsername"'
        f' href="/profile/2-y/">{name}</a></h3><div class="ipsEntry__group">Members</div>'
        f'</aside><div id="comment-{pid}_wrap" class="ipsEntry__content"><div'
        ' class="ipsEntry__post"><div class="ipsEntry__meta"><span class="ipsEntry__date">'
        f'<time datetime="{when}"><span>March 1, 2024</span></time></span></div><div'
        f' class="ipsRichText" data-role="commentContent">{text}</div><div'
        f' data-role="memberSignature">{SIGNATURE}</div></div></div></article>'
    )


def vanilla(pid: str, name: str, when: str, text: str, kind: str = "Comment") -> str:
    return (
        f'<li id="{kind}_{pid}" class="Item Item{kind}"><div class="{kind}"><div'
        ' class="Options"><a href="#">Flag</a></div><div class="Item-Header"><div'
        ' class="AuthorWrap"><span class="Author"><a class="Username js-userCard" href="/u">'
        f'{name}</a></span><span class="AuthorInfo"><span class="Rank MItem">Member</span>'
        '</span></div><div class="Meta"><span class="MItem DateCreated"><a class="Permalink">'
        f'<time datetime="{when}">March 2024</time></a></span></div></div><div'
        f' class="Item-BodyWrap"><div class="Item-Body"><div class="Message userContent">{text}'
        f'</div><div class="Reactions"><span>0</span></div><div class="Signature UserSignature">'
        f"{SIGNATURE}</div></div></div></div></li>"
    )


ENGINES: dict[str, tuple[Callable[[str, str, str, str], str], str, str]] = {
    # name: (post template, list wrapper opening, wrapper closing)
    "phpbb": (phpbb, '<div id="page-body">', "</div>"),
    "fluxbb": (fluxbb, '<div id="punviewtopic" class="pun">', "</div>"),
    "vbulletin3": (vbulletin3, '<div id="posts">', "</div>"),
    "vbulletin4": (vbulletin4, '<ol id="posts">', "</ol>"),
    "smf": (smf, '<div id="forumposts">', "</div>"),
    "mybb": (mybb, '<div id="posts">', "</div>"),
    "xenforo2": (xenforo2, '<div class="block-body js-replyNewMessageContainer">', "</div>"),
    "xenforo1": (xenforo1, '<ol class="messageList" id="messageList">', "</ol>"),
    "invision4": (invision4, '<div data-role="commentFeed">', "</div>"),
    "invision5": (invision5, '<div data-role="commentFeed">', "</div>"),
    "vanilla": (vanilla, '<ul class="MessageList DataList Comments">', "</ul>"),
}
PLATFORM = {"vbulletin3": "vbulletin", "vbulletin4": "vbulletin", "xenforo1": "xenforo"}
PLATFORM |= {"xenforo2": "xenforo", "invision4": "invision", "invision5": "invision"}


def thread_page(engine: str, posts: list[tuple[str, str, str, str]], head: str = "") -> str:
    template, start, end = ENGINES[engine]
    body = start + "".join(template(*post) for post in posts) + end
    return (
        f"<!doctype html><html><head><title>Shed floor</title>{head}</head><body>"
        f"<h1>Shed floor</h1>{body}</body></html>"
    )


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_first_page_replies_without_the_opening_post(engine: str) -> None:
    thread = extract_comments(thread_page(engine, POSTS), URL)
    assert thread["platform"] == PLATFORM.get(engine, engine)
    assert (thread["source"], thread["status"], thread["complete"]) == ("html", "ok", True)
    items = thread["items"]
    assert isinstance(items, list)
    assert [(i["id"], i["parent_id"], i["depth"]) for i in items] == [
        ("102", None, 1),
        ("103", None, 1),
    ]
    assert [i["author"] for i in items] == ["Helpful Hana", "Ole Bakke"]
    assert [i["text"] for i in items] == [POSTS[1][3], POSTS[2][3]]
    assert [str(i["published"] or "")[:10] for i in items] == [p[2][:10] for p in POSTS[1:]]
    if engine in ("phpbb", "xenforo2", "invision4", "invision5"):  # they state the time
        assert [i["published"] for i in items] == ["2024-03-01T11:30:00+00:00", POSTS[2][2]]


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_later_page_keeps_its_first_post_and_a_next_page_makes_it_partial(engine: str) -> None:
    head = '<link rel="prev" href="/thread/42/page-1"><link rel="next" href="/thread/42/page-3">'
    thread = extract_comments(thread_page(engine, POSTS, head), URL)
    assert [i["id"] for i in thread["items"]] == ["101", "102", "103"]  # type: ignore[union-attr]
    assert (thread["status"], thread["complete"]) == ("partial", False)


@pytest.mark.parametrize("engine", ["phpbb", "xenforo2", "smf"])
def test_a_topic_without_replies_is_an_empty_complete_thread(engine: str) -> None:
    thread = extract_comments(thread_page(engine, POSTS[:1]), URL)
    assert (thread["platform"], thread["status"], thread["found_count"]) == (
        PLATFORM.get(engine, engine),
        "empty",
        0,
    )
    assert thread["complete"] is True


def test_post_ids_on_anchors_without_post_text_are_no_posts() -> None:
    # a theme that marks each post with an empty anchor and lays the post out elsewhere
    anchors = "".join(
        f'<i id="p{pid}"></i><div class="post-x">{text}</div>' for pid, *_, text in POSTS
    )
    page = (
        '<html><body id="phpbb"><div class="post-list">'
        f'{anchors}<dl class="postprofile"><dt>Someone</dt></dl></div></body></html>'
    )
    thread = extract_comments(page, URL)
    assert (thread["platform"], thread["status"], thread["complete"]) == (
        "phpbb",
        "unrecognised",
        False,
    )


def test_engine_microdata_is_read_as_before() -> None:
    posts = "".join(
        f'<div itemprop="comment" itemscope itemtype="https://schema.org/Comment">'
        f'<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
        f'<span itemprop="name">{name}</span></span><div itemprop="text">{text}</div></div>'
        for _pid, name, _when, text in POSTS[1:]
    )
    page = thread_page("xenforo2", POSTS).replace(
        "<h1>Shed floor</h1>",
        '<div itemscope itemtype="https://schema.org/DiscussionForumPosting"><h1>Shed floor'
        f"</h1>{posts}</div>",
    )
    thread = extract_comments(page, URL)
    assert (thread["platform"], thread["source"], thread["found_count"]) == (
        "xenforo",
        "microdata",
        2,
    )


@pytest.mark.parametrize("pages", ["", '<link rel="next" href="/topic/42/page/2/">'])
def test_engine_json_ld_is_read_under_the_engines_name_and_a_next_page_makes_it_partial(
    pages: str,
) -> None:
    # Invision Community states the replies in JSON-LD; its comment anchors (comment-N,
    # which the WordPress-like catch-all reads) do not make the thread theirs
    replies = [
        {"@type": "Comment", "url": f"{URL}#comment-{pid}", "text": text, "dateCreated": when,
         "author": {"@type": "Person", "name": name}}
        for pid, name, when, text in POSTS[1:]
    ]  # fmt: skip
    ld = {"@context": "https://schema.org", "@type": "DiscussionForumPosting",
          "headline": "Shed floor", "text": POSTS[0][3], "comment": replies}  # fmt: skip
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>{pages}'
    thread = extract_comments(thread_page("invision4", POSTS, head), URL)
    assert (thread["platform"], thread["source"], thread["found_count"]) == (
        "invision",
        "jsonld",
        2,
    )
    assert [i["author"] for i in thread["items"]] == ["Helpful Hana", "Ole Bakke"]  # type: ignore[union-attr]
    assert thread["status"] == ("partial" if pages else "ok")


def test_vanillas_discussion_is_the_opening_post_and_its_comments_the_replies() -> None:
    opener = (
        vanilla(*POSTS[0], kind="Discussion").replace("<li ", "<div ").replace("</li>", "</div>")
    )
    replies = "".join(vanilla(*post) for post in POSTS[1:])
    page = (
        "<html><head><title>Shed floor</title></head><body><h1>Shed floor</h1>"
        f'<div class="MessageList Discussion">{opener}</div>'
        f'<ul class="MessageList DataList Comments">{replies}</ul></body></html>'
    )
    thread = extract_comments(page, URL)
    assert (thread["platform"], thread["status"]) == ("vanilla", "ok")
    assert [(i["id"], i["author"]) for i in thread["items"]] == [  # type: ignore[union-attr]
        ("102", "Helpful Hana"),
        ("103", "Ole Bakke"),
    ]
    assert extract_article(page, URL)["authors"] == ["Topic Starter"]


def test_a_page_whose_template_says_post_body_is_no_forum() -> None:
    # an article page of a CMS whose content block is "post_body" (no MyBB post ids)
    page = (
        '<html><body><div id="content" class="post_body"><p>Article text.</p></div>'
        '<div id="post_7">Related: another story</div></body></html>'
    )
    thread = extract_comments(page, URL)
    assert (thread["platform"], thread["status"]) == (None, "none")


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_the_opening_posts_author_is_the_pages_author(engine: str) -> None:
    posts = [("101", "shed_builder42", *POSTS[0][2:]), *POSTS[1:]]
    record = extract_article(thread_page(engine, posts), URL)
    assert record["authors"] == ["shed_builder42"]  # an account name, kept as it is


def test_a_later_pages_first_poster_is_not_the_threads_author() -> None:
    first = parse(thread_page("xenforo2", POSTS))
    later = parse(thread_page("xenforo2", POSTS, '<link rel="prev" href="/thread/42/page-1">'))
    assert markup.extract(first).get("forum_author") == "Topic Starter"
    assert markup.extract(later).get("forum_author") is None
    found = forum_posts(later)
    assert found is not None and found[1] is False  # the posts are read, on a later page
    assert [post["id"] for post in found[0]] == ["101", "102", "103"]


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_the_body_is_the_pages_posts_with_their_authors(engine: str) -> None:
    record = extract_article(thread_page(engine, POSTS), URL)
    assert record["text"] == "\n\n".join(f"{name}\n\n{text}" for _pid, name, _when, text in POSTS)
    assert SIGNATURE not in str(record["text"])


def test_the_article_and_the_thread_read_one_set_of_marks(monkeypatch: pytest.MonkeyPatch) -> None:
    from crawler.comments import marks
    from crawler.records import build_record

    made: list[object] = []
    real = marks.PageMarks.__init__

    def counting(self: marks.PageMarks, *args: object, **kwargs: object) -> None:
        made.append(self)
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(marks.PageMarks, "__init__", counting)
    context = {"outlet": "forum", "fetched_at": "2026-01-01T00:00:00Z", "status": 200}
    record = build_record(thread_page("phpbb", POSTS), URL, {**context, "warc": None})
    assert record["comments"]["found_count"] == 2
    assert record["authors"] == ["Topic Starter"]
    assert len(made) == 1
