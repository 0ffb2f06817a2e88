"""Evaluate :mod:`crawler.comments` against the shared comment datasets (not a unit test).

Run: ``PYTHONPATH=. python tests/eval/eval_comments.py`` (``NEWSARCHIVE_EVAL_DIR``
overrides the data directory ``../shared/eval``). Prints "skip: ..." and exits 0
when the data is absent. Nothing is copied into the repository: the theme-unit-test
thread is rendered in memory.

Datasets and gates (exit 1 when a gate fails):

* ``comments-real``: 25 positive pages with heuristic counts (comments, replies,
  max depth). Gate: exact comment AND reply counts on >= 90% of them. Negatives:
  every JS-only page (Disqus/Viafoura/Coral) must be ``not_rendered`` and the
  empty-form page must report no comments. The microdata page (family
  ``schema-microdata``, heuristic count 0 because its items carry no ids) is
  shown but not gated.
* ``comments-wordpress-theme-unit-test``: exact WXR comment data. Every post with
  comments is rendered with the WordPress core html5 walker and the core legacy
  walker (thread depth 10, no comment paging). Pingbacks and trackbacks are
  rendered as WordPress does with ``wp_list_comments()`` (type ``all``: in the
  same list, WordPress ``ping()`` markup) and therefore count as thread items.
  Unapproved comments are rendered as their author sees them (with "Your comment
  is awaiting moderation."), so all 33 comments take part. Gate: exact parent and
  depth of every comment.
"""

from __future__ import annotations

import html
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.comments import extract_comments

POSITIVE_GATE = 0.90
JS_FAMILIES = ("negative:disqus-js", "negative:viafoura-js", "negative:coral-js")
EMPTY_FORM_FAMILY = "negative:tagdiv-no-comments"


def eval_dir() -> Path:
    """The shared eval directory (``NEWSARCHIVE_EVAL_DIR`` overrides)."""
    override = os.environ.get("NEWSARCHIVE_EVAL_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2].parent / "shared" / "eval"


def _shape(thread: dict[str, Any]) -> tuple[int, int, int]:
    """Comments, replies and max depth of a thread."""
    items = thread["items"]
    replies = sum(1 for i in items if i["parent_id"] is not None)
    return len(items), replies, max((i["depth"] for i in items), default=0)


def eval_real(root: Path) -> tuple[list[str], bool]:
    """Table rows and gate result for ``comments-real``."""
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    rows, positives, exact, negatives_ok = [], 0, 0, True
    for entry in manifest:
        page = (root / entry["file"]).read_text(encoding="utf-8", errors="replace")
        thread = extract_comments(page, entry["original_url"])
        got = _shape(thread)
        want = (entry["auto_comment_count"], entry["auto_reply_count"], entry["auto_max_dom_depth"])
        family = entry["family"]
        if family.startswith("negative:"):
            ok = _negative_ok(family, thread)
            negatives_ok &= ok
        elif family == "schema-microdata":
            ok = None
        else:
            positives += 1
            ok = got[:2] == want[:2]
            exact += ok
        mark = {True: "ok", False: "FAIL", None: "info"}[ok]
        rows.append(
            f"{entry['file'][:48]:48} {family[:24]:24} {want[0]:3}/{want[1]:3}/{want[2]} "
            f"{got[0]:3}/{got[1]:3}/{got[2]} {thread['status']:12} {thread['platform']!s:10} "
            f"{thread['declared_count']!s:5} {mark}"
        )
    share = exact / positives if positives else 0.0
    rows.append(f"positives exact comment+reply counts: {exact}/{positives} = {share:.0%}")
    rows.append(f"negatives: {'all ok' if negatives_ok else 'FAILED'}")
    return rows, share >= POSITIVE_GATE and negatives_ok


def _negative_ok(family: str, thread: dict[str, Any]) -> bool:
    """Gate for one negative page."""
    if family in JS_FAMILIES:
        return thread["status"] == "not_rendered" and thread["complete"] is False
    if family == EMPTY_FORM_FAMILY:
        return thread["found_count"] == 0 and thread["status"] != "ok"
    return thread["found_count"] == 0


def _content(raw: str) -> str:
    """wpautop-like paragraphs for a WXR comment body."""
    blocks = [b.strip() for b in raw.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return "".join(
        b if b.startswith("<") and not b.startswith("<strong") else f"<p>{b}</p>" for b in blocks
    )


def _author_link(comment: dict[str, Any]) -> str:
    """Author name, linked when the comment has a URL."""
    name = comment["author"]  # WXR values are already HTML text
    url = comment["author_url"]
    return (
        f'<a href="{html.escape(url)}" class="url" rel="ugc external nofollow">{name}</a>'
        if url
        else name
    )


def _moderation(comment: dict[str, Any]) -> str:
    """WordPress's note on an unapproved comment."""
    if comment["approved"] == "1":
        return ""
    return '<em class="comment-awaiting-moderation">Your comment is awaiting moderation.</em>'


def _human_date(value: str) -> str:
    """``March 14, 2013 at 8:01 am`` (WordPress default formats)."""
    moment = datetime.fromisoformat(value)
    hour = moment.hour % 12 or 12
    noon = "am" if moment.hour < 12 else "pm"
    return f"{moment:%B} {moment.day}, {moment.year} at {hour}:{moment:%M} {noon}"


def _ping(comment: dict[str, Any], tag: str) -> str:
    """WordPress ``Walker_Comment::ping`` markup."""
    label = "Pingback" if comment["type"] == "pingback" else "Trackback"
    return (
        f'<{tag} id="comment-{comment["id"]}" class="{comment["type"]} depth-{comment["depth"]}">'
        f'<div class="comment-body">{label}: {_author_link(comment)} <span class="edit-link">'
        f'<a class="comment-edit-link" href="/wp-admin/comment.php?c={comment["id"]}">Edit</a>'
        "</span></div>"
    )


def _html5(comment: dict[str, Any]) -> str:
    """Opening of a WordPress core html5-walker comment (children follow)."""
    if comment["type"] != "comment":
        return _ping(comment, "li")
    cid = comment["id"]
    return (
        f'<li id="comment-{cid}" class="comment depth-{comment["depth"]}">'
        f'<article id="div-comment-{cid}" class="comment-body"><footer class="comment-meta">'
        '<div class="comment-author vcard"><img alt="" src="/a.png" class="avatar avatar-32">'
        f'<b class="fn">{_author_link(comment)}</b> <span class="says">says:</span></div>'
        f'<div class="comment-metadata"><a href="#comment-{cid}"><time datetime="'
        f'{comment["date"].replace(" ", "T")}">{_human_date(comment["date"])}</time></a>'
        '<span class="edit-link"><a class="comment-edit-link" href="#">Edit</a></span></div>'
        f'{_moderation(comment)}</footer><div class="comment-content">'
        f'{_content(comment["content_html"])}</div><div class="reply"><a rel="nofollow" '
        f'class="comment-reply-link" href="?replytocom={cid}#respond">Reply</a></div></article>'
    )


def _legacy(comment: dict[str, Any]) -> str:
    """Opening of a WordPress core legacy-walker comment (children follow)."""
    if comment["type"] != "comment":
        return _ping(comment, "li")
    cid = comment["id"]
    return (
        f'<li class="comment depth-{comment["depth"]}" id="comment-{cid}">'
        f'<div id="div-comment-{cid}" class="comment-body"><div class="comment-author vcard">'
        f'<img alt="" src="/a.png" class="avatar avatar-32"><cite class="fn">'
        f'{_author_link(comment)}</cite> <span class="says">says:</span></div>'
        f'{_moderation(comment)}<div class="comment-meta commentmetadata"><a href="#comment-{cid}">'
        f"{_human_date(comment['date'])}</a></div>{_content(comment['content_html'])}"
        '<div class="reply"><a class="comment-reply-link" href="#respond">Reply</a></div></div>'
    )


def render_thread(comments: list[dict[str, Any]], markup: str) -> str:
    """A full page with the comment list in ``markup`` (``html5`` or ``legacy``)."""
    children: dict[Any, list[dict[str, Any]]] = {}
    for comment in comments:
        children.setdefault(comment["parent"], []).append(comment)
    opener = _html5 if markup == "html5" else _legacy
    nested_tag = "ol" if markup == "html5" else "ul"

    def branch(parent: Any) -> str:
        parts = []
        for comment in children.get(parent, []):
            kids = branch(comment["id"])
            nested = f'<{nested_tag} class="children">{kids}</{nested_tag}>' if kids else ""
            parts.append(f"{opener(comment)}{nested}</li>")
        return "".join(parts)

    list_class = "comment-list" if markup == "html5" else "commentlist"
    return (
        '<html><head><link rel="https://api.w.org/" href="/wp-json/"></head><body>'
        f'<div id="comments" class="comments-area"><ol class="{list_class}">{branch(None)}</ol>'
        '<div id="respond" class="comment-respond"><h3 id="reply-title">Leave a Reply</h3>'
        '<form id="commentform"><textarea id="comment"></textarea></form></div></div></body></html>'
    )


def eval_theme_unit_test(root: Path) -> tuple[list[str], bool]:
    """Table rows and gate result for the theme-unit-test thread."""
    posts = json.loads((root / "comments-gold.json").read_text(encoding="utf-8"))
    rows, all_ok = [], True
    for post in posts:
        for markup in ("html5", "legacy"):
            page = render_thread(post["comments"], markup)
            thread = extract_comments(page, post["link"])
            got = {i["id"]: i for i in thread["items"]}
            right = authors = 0
            for comment in post["comments"]:
                item = got.get(str(comment["id"]))
                parent = None if comment["parent"] is None else str(comment["parent"])
                if item and item["parent_id"] == parent and item["depth"] == comment["depth"]:
                    right += 1
                if (
                    item
                    and comment["type"] == "comment"
                    and item["author"] == html.unescape(comment["author"])
                ):
                    authors += 1
            total = len(post["comments"])
            ok = right == total and len(got) == total
            all_ok &= ok
            rows.append(
                f"post {post['post_id']:5} {markup:7} comments {total:3} found {len(got):3} "
                f"parent+depth exact {right:3}/{total:<3} authors {authors:3} "
                f"{thread['status']:8} {'ok' if ok else 'FAIL'}"
            )
    return rows, all_ok


def main() -> int:
    """Run both evaluations, print the tables, return the exit status."""
    base = eval_dir()
    real, unit = base / "comments-real", base / "comments-wordpress-theme-unit-test"
    if not (real / "manifest.json").is_file() or not (unit / "comments-gold.json").is_file():
        print(f"skip: comment eval data not found under {base}")
        return 0
    for source in (real / "SOURCE.md", unit / "SOURCE.md"):
        print(f"# {source.parent.name}: {source.read_text(encoding='utf-8').splitlines()[0]}")
    real_rows, real_ok = eval_real(real)
    print("file / family / expected c/r/d / got c/r/d / status / platform / declared")
    print("\n".join(real_rows))
    unit_rows, unit_ok = eval_theme_unit_test(unit)
    print("\n".join(unit_rows))
    print(f"gate comments-real: {'PASS' if real_ok else 'FAIL'}")
    print(f"gate theme-unit-test parent+depth: {'PASS' if unit_ok else 'FAIL'}")
    return 0 if real_ok and unit_ok else 1


if __name__ == "__main__":
    sys.exit(main())
