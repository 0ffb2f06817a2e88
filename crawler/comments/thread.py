"""Thread values: items, tree repair, depths, ordering and the final status.

Repair policy (documented choice): a parent id that is unknown, the item
itself, or part of a cycle is set to ``None`` (the item becomes top level,
depth 1). The thread's status is *not* changed for that; a warning naming the
page and the repaired ids is logged. Depths are always recomputed from the
final parents, so ``depth == parent's depth + 1`` holds for every item.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypedDict

logger = logging.getLogger(__name__)

#: Statuses of a thread with zero items that still count as complete.
COMPLETE_EMPTY = frozenset({"none", "empty", "closed"})


class CommentItem(TypedDict):
    """One comment of a thread (see the package docs for the fields)."""

    id: str
    parent_id: str | None
    depth: int
    author: str | None
    author_url: str | None
    published: str | None
    text: str


def dedupe(items: list[CommentItem]) -> list[CommentItem]:
    """Items with distinct ids, first occurrence wins."""
    seen: set[str] = set()
    kept: list[CommentItem] = []
    for item in items:
        if item["id"] not in seen:
            seen.add(item["id"])
            kept.append(item)
    return kept


def _depth_chain(start: str, by_id: dict[str, CommentItem], depth: dict[str, int]) -> list[str]:
    """Follow parents from ``start``; cut a cycle where it closes. Returns the chain."""
    chain: list[str] = []
    on_chain: set[str] = set()
    current: str | None = start
    while current is not None and current not in depth:
        if current in on_chain:
            by_id[current]["parent_id"] = None
            depth[current] = 1
            break
        on_chain.add(current)
        chain.append(current)
        current = by_id[current]["parent_id"]
    return chain


def resolve_tree(items: list[CommentItem], where: str) -> list[str]:
    """Repair parents and set every depth in place; return the repaired ids."""
    by_id = {item["id"]: item for item in items}
    repaired: list[str] = []
    for item in items:
        parent = item["parent_id"]
        if parent is not None and (parent not in by_id or parent == item["id"]):
            item["parent_id"] = None
            repaired.append(item["id"])
    depth: dict[str, int] = {}
    for item in items:
        for node in reversed(_depth_chain(item["id"], by_id, depth)):
            if node in depth:
                repaired.append(node)
                continue
            parent = by_id[node]["parent_id"]
            depth[node] = 1 if parent is None else depth[parent] + 1
    for item in items:
        item["depth"] = depth[item["id"]]
    if repaired:
        logger.warning(
            "comments: repaired %s missing or cyclic parent(s) on %s: %s",
            len(repaired),
            where,
            ", ".join(repaired[:10]),
        )
    return repaired


def threaded_order(
    items: list[CommentItem], key: Callable[[CommentItem], tuple[object, ...]]
) -> list[CommentItem]:
    """Pre-order (thread) ordering; siblings sorted by ``key``. Parents must be resolved."""
    children: dict[str | None, list[CommentItem]] = {}
    for item in sorted(items, key=key):
        children.setdefault(item["parent_id"], []).append(item)
    ordered: list[CommentItem] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        item = stack.pop()
        ordered.append(item)
        stack.extend(reversed(children.get(item["id"], [])))
    return ordered


def make_thread(
    platform: str | None,
    source: str | None,
    declared: int | None,
    items: list[CommentItem],
    empty_status: str,
    pending_pages: bool = False,
) -> dict[str, object]:
    """Assemble the thread dict; status from items, declared count and pagination."""
    found = len(items)
    if found:
        short = declared is not None and declared > found
        status = "partial" if pending_pages or short else "ok"
    elif empty_status in COMPLETE_EMPTY and (declared or pending_pages):
        status = "partial"
    else:
        status = empty_status
    complete = status == "ok" or (not found and status in COMPLETE_EMPTY)
    return {
        "platform": platform,
        "source": source,
        "declared_count": declared,
        "found_count": found,
        "complete": complete,
        "status": status,
        "items": [dict(item) for item in items],
    }
