"""WordPress REST API emulation: ``/wp-json/`` and ``/wp-json/wp/v2/comments``.

``GET /wp-json/wp/v2/comments?post=<id>&per_page=<n>&page=<p>[&order=asc|desc]``
returns comments newest first by default (WordPress's default ``order=desc``),
``per_page`` 1..100 (default 10). ``X-WP-Total``/``X-WP-TotalPages`` headers and a
``Link`` header (``rel="next"``/``rel="prev"``) are set. A page beyond the last
gives 400 ``rest_post_invalid_page_number``; an unknown post gives ``[]``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC
from typing import Any
from urllib.parse import parse_qs, urlencode

from crawler.fixture_site.html_common import avatar_src, esc
from crawler.fixture_site.model import Article, Comment, SiteModel

JSON_TYPE = "application/json; charset=UTF-8"


@dataclass
class ApiResult:
    """Status, JSON body and extra headers of one REST API response."""

    status: int
    body: bytes
    headers: list[tuple[str, str]]


def _json(data: Any) -> bytes:
    """Serialize ``data`` as compact UTF-8 JSON."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _error(code: str, message: str, extra: dict[str, Any] | None = None) -> ApiResult:
    """A WordPress-style 400 error body."""
    data: dict[str, Any] = {"status": 400, **(extra or {})}
    return ApiResult(400, _json({"code": code, "message": message, "data": data}), [])


def api_index(model: SiteModel) -> bytes:
    """Minimal ``/wp-json/`` discovery document."""
    doc = {
        "name": model.site_name,
        "url": model.base_url,
        "home": model.base_url,
        "namespaces": ["wp/v2"],
        "routes": {"/wp/v2/comments": {"namespace": "wp/v2", "methods": ["GET"]}},
    }
    return _json(doc)


def _comment_json(article: Article, comment: Comment) -> dict[str, Any]:
    """One comment in the REST API's ``view`` context shape."""
    local = comment.published.replace(tzinfo=None)
    gmt = comment.published.astimezone(UTC).replace(tzinfo=None)
    return {
        "id": comment.id,
        "post": article.id,
        "parent": comment.parent_id,
        "author": 0,
        "author_name": comment.author,
        "author_url": comment.author_url or "",
        "date": local.isoformat(),
        "date_gmt": gmt.isoformat(),
        "content": {"rendered": f"<p>{esc(comment.text)}</p>\n"},
        "link": article.comment_link(comment),
        "status": "approved",
        "type": "comment",
        "author_avatar_urls": {"48": article.base_url + avatar_src(comment.author)},
        "meta": [],
    }


def _int_param(params: dict[str, list[str]], name: str, default: int) -> int | None:
    """Integer query parameter, ``None`` when it is not an integer."""
    raw = params.get(name, [str(default)])[0]
    try:
        return int(raw)
    except ValueError:
        return None


def _invalid(name: str, why: str) -> ApiResult:
    """``rest_invalid_param`` error for parameter ``name``."""
    return _error("rest_invalid_param", f"Invalid parameter(s): {name}", {"params": {name: why}})


def _selected(model: SiteModel, params: dict[str, list[str]]) -> list[tuple[Article, Comment]]:
    """All comments of the requested post(s) (every post when ``post`` is absent)."""
    if "post" in params:
        ids = [int(p) for raw in params["post"] for p in raw.split(",") if p.strip().isdigit()]
        posts = [model.post_by_id[i] for i in ids if i in model.post_by_id]
    else:
        posts = list(model.post_by_id.values())
    pairs = [(a, c) for a in posts for c in a.comments]
    descending = params.get("order", ["desc"])[0] != "asc"
    pairs.sort(key=lambda pair: (pair[1].published, pair[1].id), reverse=descending)
    return pairs


def _link_header(model: SiteModel, params: dict[str, list[str]], page: int, pages: int) -> str:
    """RFC 8288 ``Link`` header with prev/next pages."""
    links = []
    for rel, target in (("prev", page - 1), ("next", page + 1)):
        if 1 <= target <= pages:
            query = {k: v[0] for k, v in params.items()} | {"page": str(target)}
            url = f"{model.base_url}/wp-json/wp/v2/comments?{urlencode(query)}"
            links.append(f'<{url}>; rel="{rel}"')
    return ", ".join(links)


def comments_endpoint(model: SiteModel, query: str) -> ApiResult:
    """Serve ``/wp-json/wp/v2/comments`` for the raw ``query`` string."""
    params = parse_qs(query)
    per_page = _int_param(params, "per_page", 10)
    page = _int_param(params, "page", 1)
    if per_page is None or not 1 <= per_page <= 100:
        return _invalid("per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)")
    if page is None or page < 1:
        return _invalid("page", "page must be greater than or equal to 1")
    pairs = _selected(model, params)
    total = len(pairs)
    pages = math.ceil(total / per_page)
    if page > pages and total > 0:
        return _error(
            "rest_post_invalid_page_number",
            "The page number requested is larger than the number of pages available.",
        )
    chunk = pairs[(page - 1) * per_page : page * per_page]
    headers = [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(pages))]
    link = _link_header(model, params, page, pages)
    if link:
        headers.append(("Link", link))
    return ApiResult(200, _json([_comment_json(a, c) for a, c in chunk]), headers)
