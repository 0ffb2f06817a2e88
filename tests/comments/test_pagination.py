"""A thread over several pages: the pages each page links, gathering them, and whether
the pages gathered are the whole thread (invented forum and WordPress pages)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.comments import extract_comments
from crawler.comments.dom import Element, parse
from crawler.comments.pagination import forum_next, further_pages, gather, missing_pages
from crawler.records import build_record
from tests.comments.test_forums import ENGINES, thread_page

BASE = "https://forum.example/viewtopic.php?t=7"
CONTEXT = {"outlet": "forum", "fetched_at": "2026-01-01T00:00:00Z", "status": 200, "warc": None}


def posts(first: int, count: int) -> list[tuple[str, str, str, str]]:
    return [
        (str(n), f"Member {n}", f"2024-03-{n % 28 + 1:02d}T10:00:00+00:00", f"Reply number {n}.")
        for n in range(first, first + count)
    ]


def page_url(n: int) -> str:
    return BASE if n == 1 else f"{BASE}&start={3 * (n - 1)}"


def forum_thread(pages: int, engine: str = "phpbb") -> dict[str, str]:
    """``pages`` pages of one thread, three posts each, linked by rel=prev/next."""
    out = {}
    for n in range(1, pages + 1):
        head = f'<link rel="prev" href="{page_url(n - 1)}">' if n > 1 else ""
        if n < pages:
            head += f'<link rel="next" href="{page_url(n + 1)}">'
        out[page_url(n)] = thread_page(engine, posts(3 * (n - 1) + 1, 3), head)
    return out


def fetcher(site: dict[str, str], log: list[str]):  # type: ignore[no-untyped-def]
    def fetch(url: str) -> tuple[str, Element | None] | None:
        log.append(url)
        return (site[url], parse(site[url])) if url in site else None

    return fetch


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_a_forum_page_names_its_next_page(engine: str) -> None:
    site = forum_thread(3, engine)
    assert further_pages(parse(site[page_url(1)]), page_url(1)) == [page_url(2)]
    assert further_pages(parse(site[page_url(3)]), page_url(3)) == []


@pytest.mark.parametrize(
    "head",
    [
        '<link rel="next" href="https://elsewhere.example/viewtopic.php?t=7&start=3">',
        '<link rel="next" href="javascript:void(0)">',
        '<link rel="next" href="">',
    ],
)
def test_a_next_page_elsewhere_or_no_address_is_not_followed(head: str) -> None:
    html = thread_page("phpbb", posts(1, 3), head)
    assert forum_next(parse(html), BASE) is None


def test_an_articles_next_page_is_not_its_threads() -> None:
    # a paginated article (rel=next to its page 2) on no forum engine
    html = (
        '<html><head><link rel="next" href="/story/2/"></head><body><h1>Story</h1>'
        "<p>Part one of the story.</p></body></html>"
    )
    assert further_pages(parse(html), "https://news.example/story/") == []


def test_gather_follows_the_chain_once_each_and_up_to_the_limit() -> None:
    site = forum_thread(4)
    first = parse(site[BASE])
    log: list[str] = []
    pages = gather(first, BASE, site[BASE], fetcher(site, log), limit=10)
    assert [url for url, *_ in pages] == [page_url(2), page_url(3), page_url(4)]
    assert log == [page_url(2), page_url(3), page_url(4)]
    log.clear()
    assert [u for u, *_ in gather(first, BASE, None, fetcher(site, log), limit=2)] == [
        page_url(2),
        page_url(3),
    ]
    assert log == [page_url(2), page_url(3)]


def test_gather_stops_at_a_page_it_cannot_have_and_at_a_loop() -> None:
    site = forum_thread(3)
    del site[page_url(2)]
    log: list[str] = []
    assert gather(parse(site[BASE]), BASE, None, fetcher(site, log), limit=10) == []
    assert log == [page_url(2)]
    looping = forum_thread(2)
    looping[page_url(2)] = looping[page_url(2)].replace(
        "</head>", f'<link rel="next" href="{BASE}"></head>'
    )
    log.clear()
    found = gather(parse(looping[BASE]), BASE, None, fetcher(looping, log), limit=10)
    assert [u for u, *_ in found] == [page_url(2)] and log == [page_url(2)]


def wordpress_page(n: int, links: list[int]) -> str:
    """Comment page ``n`` of a WordPress post, linking comment pages ``links``."""
    url = "https://blog.example/2024/03/01/shed/"
    nav = "".join(f'<a href="{url}comment-page-{k}/#comments">{k}</a>' for k in links)
    return (
        f'<html><body><article class="post"><h1>Shed</h1><p>Post.</p></article>'
        f'<div id="comments"><ol class="comment-list"><li id="comment-{n}" class="comment">'
        f'<article id="div-comment-{n}" class="comment-body"><footer class="comment-meta">'
        f'<div class="comment-author vcard"><b class="fn">Reader {n}</b></div></footer>'
        f'<div class="comment-content"><p>Comment on page {n}.</p></div></article></li></ol>'
        f'<div class="nav-links">{nav}</div></div></body></html>'
    )


def test_gather_finds_comment_pages_the_article_does_not_link() -> None:
    # a theme linking only the comment pages near the one shown: each page is fetched once
    url = "https://blog.example/2024/03/01/shed/"
    links = {2: [1, 3, 4], 3: [2, 4], 4: [3]}
    site = {f"{url}comment-page-{n}/": wordpress_page(n, near) for n, near in links.items()}
    article = wordpress_page(1, [2])
    log: list[str] = []
    pages = gather(parse(article), url, article, fetcher(site, log), limit=10)
    assert [u for u, *_ in pages] == log == [f"{url}comment-page-{n}/" for n in (2, 3, 4)]


def test_missing_pages() -> None:
    site = forum_thread(3)
    read = [(u, parse(h), h) for u, h in site.items()]
    assert missing_pages(read) is False
    assert missing_pages(read[:2]) is True  # the last page was not had
    assert missing_pages(read[1:]) is True  # the thread's first page was not had


def test_the_record_holds_the_whole_thread_from_its_pages() -> None:
    site = forum_thread(3)
    pages = [(u, h) for u, h in site.items() if u != BASE]
    record = build_record(site[BASE], BASE, {**CONTEXT, "comment_pages": pages})
    thread = record["comments"]
    assert [i["id"] for i in thread["items"]] == [str(n) for n in range(2, 10)]
    assert all(i["parent_id"] is None and i["depth"] == 1 for i in thread["items"])
    assert (thread["status"], thread["complete"], thread["found_count"]) == ("ok", True, 8)
    assert record["authors"] == ["Member 1"]


def test_a_thread_missing_pages_is_partial() -> None:
    site = forum_thread(3)
    record = build_record(site[BASE], BASE, {**CONTEXT, "comment_pages": [(page_url(2),
                          site[page_url(2)])]})  # fmt: skip
    thread = record["comments"]
    assert thread["found_count"] == 5
    assert (thread["status"], thread["complete"]) == ("partial", False)
    alone = build_record(site[BASE], BASE, CONTEXT)["comments"]
    assert (alone["found_count"], alone["status"], alone["complete"]) == (2, "partial", False)


def test_a_later_page_alone_is_partial_even_without_a_next_page() -> None:
    site = forum_thread(3)
    thread = extract_comments(site[page_url(3)], page_url(3))
    assert [i["id"] for i in thread["items"]] == ["7", "8", "9"]  # type: ignore[union-attr]
    assert (thread["status"], thread["complete"]) == ("partial", False)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 7), min_size=1, max_size=8),  # page n links page links[n]
    st.integers(0, 10),
)
def test_gather_fetches_each_page_at_most_once_and_within_the_limit(
    links: list[int], limit: int
) -> None:
    site = {}
    for n, target in enumerate(links):
        head = f'<link rel="next" href="{page_url(target + 1)}">' if target != n else ""
        site[page_url(n + 1)] = thread_page("phpbb", posts(3 * n + 1, 3), head)
    log: list[str] = []
    pages = gather(parse(site[BASE]), BASE, site[BASE], fetcher(site, log), limit)
    assert len(log) == len(set(log)) and BASE not in log
    assert len(pages) <= limit and [u for u, *_ in pages] == [u for u in log if u in site]


def test_pages_gathered_with_their_parse_are_not_parsed_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from crawler.comments import dom

    site = forum_thread(3)
    pages = [(u, h, parse(h)) for u, h in site.items() if u != BASE]
    calls: list[int] = []
    real = dom.parse

    def counting(*args: object, **kwargs: object) -> dom.Element:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dom, "parse", counting)
    record = build_record(site[BASE], BASE, {**CONTEXT, "comment_pages": pages})
    assert record["comments"]["found_count"] == 8
    assert len(calls) == 1  # the article page itself
