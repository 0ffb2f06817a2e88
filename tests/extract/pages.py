"""Small invented pages for the extractor tests (example.com URLs, made-up text)."""

from __future__ import annotations

import json

URL = "https://news.example.com/2024/05/03/harbour-bridge-reopens/"
PARAGRAPHS = [
    "The harbour bridge in Exampletown reopened on Friday after eight months of repairs, "
    "the city council said in a statement issued late on Thursday evening.",
    "Engineers replaced the old steel cables and resurfaced the deck, which had been closed "
    "to lorries since a routine inspection found corrosion in the northern span last year.",
    "Commuters welcomed the news. Many had spent an extra forty minutes a day driving round "
    "the bay while the work went on, and local shops reported a fall in trade.",
    "The council expects traffic to return to normal levels within two weeks, although a "
    "speed limit of thirty miles an hour will stay in force until the end of the summer.",
]
COMMENT_TEXT = "I drove over it this morning and it was lovely and smooth, great job everyone."
RESIDUE = [
    "Please enter your comment!",
    "Please enter your name here",
    "You have entered an incorrect email address!",
    "Leave a Reply",
    "Save my name, email, and website in this browser for the next time I comment.",
]


def page(
    *,
    head: str = "",
    jsonld: object | None = None,
    byline: str = "",
    title: str = "Harbour bridge reopens after repairs",
    comments: bool = True,
) -> str:
    """An article page with optional extra head markup, JSON-LD, byline and comment area."""
    script = ""
    if jsonld is not None:
        raw = jsonld if isinstance(jsonld, str) else json.dumps(jsonld)
        script = f'<script type="application/ld+json">{raw}</script>'
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    comment_area = ""
    if comments:
        comment_area = (
            '<div id="comments" class="comments-area"><h2 class="comments-title">2 comments</h2>'
            '<ol class="comment-list"><li id="comment-1" class="comment"><article '
            'class="comment-body"><footer class="comment-meta"><b class="fn">Reader One</b>'
            f'</footer><div class="comment-content"><p>{COMMENT_TEXT}</p></div></article>'
            '</li></ol><div id="respond" class="comment-respond"><h3 class="comment-reply-title">'
            'Leave a Reply</h3><form id="commentform" class="comment-form">'
            + "".join(f"<p>{line}</p>" for line in RESIDUE)
            + '<textarea name="comment"></textarea><input type="submit" value="Post Comment">'
            "</form></div></div>"
        )
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{title} | Example News</title>{head}{script}</head><body>"
        '<header><nav><a href="/">Home</a> <a href="/world/">World</a></nav></header>'
        f'<main><article><h1 class="entry-title">{title}</h1>{byline}'
        f'<div class="entry-content">{body}</div></article>{comment_area}</main>'
        "<footer><p>Copyright Example News</p></footer></body></html>"
    )
