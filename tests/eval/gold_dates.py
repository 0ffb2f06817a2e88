"""How far the publication-date gate can be reached: where the gold day is in the page.

For every page of the article sets with a gold publication date, looks for the gold's
calendar day in the page's HTML in the ways pages write days (ISO, ``2025/12/04``,
``2025.12.04``, US and European numeric forms, month names and abbreviations, ordinals,
``2025 Dec 4``). A gold day that
appears nowhere cannot be extracted from the page; the share of pages whose day does
appear is the ceiling of the date measure for any extractor that reads only the page.
Prints, per set: pages, gold days absent from the HTML, the ceiling, and how our
extractor's misses split between absent and present days; then, for pages whose metadata
names a published and a later modified day while their text shows only the modified one
("Updated March 3"), how often the gold takes each, apart for pages that state the
publication in a ``<meta>`` tag and pages that state it only as structured data: the
smaller count of each is lost by any rule that decides by which days the page shows and
where it states the publication, a second, lower ceiling. Reads ``../shared/eval``
(skips with a message where it is absent).

Run: ``python tests/eval/gold_dates.py [--sets wcxb,fundus]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.eval.eval_articles import (  # noqa: E402
    DEFAULT_EVAL,
    LOADERS,
    Page,
    read_html,
    same_day,
    shared_parse,
)


def day_patterns(day: date) -> list[re.Pattern[str]]:
    """The ways a page may write ``day``."""
    d, m, y = day.day, day.month, day.year
    suffix = "th" if 11 <= d <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    month = day.strftime("%B")[:3]  # "Dec" also starts "December", "Dec." and "Decembre"
    numeric = [f"{y}-{m:02d}-{d:02d}", f"{y}/{m:02d}/{d:02d}", f"{y}.{m:02d}.{d:02d}",
               f"{y}{m:02d}{d:02d}",
               f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{y}", f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y}",
               f"{d:02d}.{m:02d}.{y}", f"{d}.{m}.{y}", f"{m:02d}-{d:02d}-{y}",
               f"{d:02d}-{m:02d}-{y}"]  # fmt: skip
    named = [
        rf"{month}\w*\.?\s+0?{d}(?:{suffix})?,?\s+{y}",
        rf"\b0?{d}(?:{suffix})?\.?\s+(?:of\s+)?{month}\w*\.?,?\s+{y}",
        rf"{y}\s+{month}\w*\.?\s+0?{d}(?!\d)",  # "2024 Jun 30", as PubMed writes it
    ]
    return [re.compile(r"(?<!\d)" + re.escape(p) + r"(?!\d)") for p in numeric] + [
        re.compile(p, re.IGNORECASE) for p in named
    ]


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value).strip()[:10]) if value else None
    except ValueError:
        return None


def _visible_text(tree: Any) -> str:
    """The page's text as a reader sees it (no scripts, styles or templates)."""
    from crawler.comments.dom import shown_text

    body = tree.find(".//body")
    return "" if body is None else shown_text(body)


def shown_split(tree: Any, gold: date | None) -> str | None:
    """Which of the metadata's days the gold takes on a page (``tree``: its parse) whose
    metadata names a published and a later modified day and whose text shows the
    modified day only ("Updated March 3"): "published", "modified" or "other", then
    ":tag" where a ``<meta>`` tag (``article:published_time`` ...) states the publication
    and ":structured" where only JSON-LD or microdata do; None for other pages."""
    from crawler.extract import jsonld, markup

    if tree is None:
        return None
    ld, meta = jsonld.extract(tree), markup.extract(tree)
    published = _day(ld.get("published")) or _day(meta.get("published"))
    modified = _day(ld.get("modified")) or _day(meta.get("modified"))
    if not published or not modified or published == modified:
        return None
    text = _visible_text(tree)
    if any(p.search(text) for p in day_patterns(published)):
        return None
    if not any(p.search(text) for p in day_patterns(modified)):
        return None
    taken = "published" if gold == published else "modified" if gold == modified else "other"
    tagged = _day(meta.get("published_tag")) is not None
    return f"{taken}:{'tag' if tagged else 'structured'}"


def check(page: Page) -> tuple[str, bool, bool, str | None]:
    """``(set, gold day in the HTML, our date right, shown_split)`` of one page (parsed
    once for both)."""
    from crawler.extract import extract_article

    html = read_html(page.path)
    gold = str(page.date).strip()
    day = _day(gold)  # a gold of a month or year only names no day
    present = day is not None and any(p.search(html) for p in day_patterns(day))
    tree = shared_parse(html)
    ours = extract_article(html, page.url, tree=tree).get("published")
    right = bool(same_day(ours if isinstance(ours, str) else None, gold))
    return page.set_name, present, right, shown_split(tree, day)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="wcxb,fundus", help="comma-separated sets")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    root = Path(os.environ.get("NEWSARCHIVE_EVAL_DIR") or DEFAULT_EVAL)
    if not root.is_dir():
        print(f"skip: {root} not found")
        return 0
    pages = [p for name in args.sets.split(",") for p in LOADERS[name](root) if p.date]
    with multiprocessing.Pool(args.jobs) as pool:
        rows = pool.map(check, pages, chunksize=4)
    print(f"{'set':16} {'pages':>6} {'absent':>7} {'ceiling':>8} {'ours':>6}"
          f" {'missed: absent':>15} {'present':>8}")  # fmt: skip
    splits = []
    for name in sorted({r[0] for r in rows}):
        mine = [r for r in rows if r[0] == name]
        absent = sum(1 for r in mine if not r[1])
        right = sum(1 for r in mine if r[2])
        missed_absent = sum(1 for r in mine if not r[2] and not r[1])
        missed_present = sum(1 for r in mine if not r[2] and r[1])
        print(f"{name:16} {len(mine):6d} {absent:7d} {1 - absent / len(mine):8.3f}"
              f" {right / len(mine):6.3f} {missed_absent:15d} {missed_present:8d}")  # fmt: skip
        lost_total, lines = 0, []
        for source in ("tag", "structured"):
            taken = {
                k: sum(1 for r in mine if r[3] == f"{k}:{source}")
                for k in ("published", "modified", "other")
            }
            lost = min(taken["published"], taken["modified"])
            lost_total += lost
            where = "in a <meta> tag" if source == "tag" else "only as structured data"
            lines.append(
                f"  publication stated {where}: the gold takes the published day on"
                f" {taken['published']}, the modified day on {taken['modified']}"
                f" ({taken['other']} neither)"
            )
        if any(r[3] for r in mine):
            splits.append(
                f"{name}: pages whose metadata names a published and a later modified day"
                f" and whose text shows only the modified one:\n"
                + "\n".join(lines)
                + f"\n  a rule that decides by the days shown and where the publication is"
                f" stated loses at least {lost_total}: ceiling"
                f" {1 - (absent + lost_total) / len(mine):.3f}"
            )
    for line in splits:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
