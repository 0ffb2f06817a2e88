"""Score ``crawler.extract.extract_article`` against real article sets, next to trafilatura.

Usage: ``python tests/eval/eval_articles.py [--sets a,b] [--limit N] [--jobs N] [--worst N]``
(from anywhere). The corpus is ``<repo parent>/shared/eval`` unless ``NEWSARCHIVE_EVAL_DIR``
points at another ``eval`` directory; when it is absent the script prints
``skip: <path> not found`` and exits 0. Nothing from the corpus is ever written anywhere.

Sets (ground truth as described in each set's ``SOURCE.md``):

* ``scrapinghub`` -- ``article-extraction-scrapinghub``: body only (``articleBody``).
* ``fundus`` -- ``article-extraction-fundus/gold.jsonl``: title, authors, publishing_date,
  body (``body_text``: summary + sections).
* ``wcxb-articles`` / ``wcxb-forums`` -- ``wcxb-dev`` split by ``manifest.jsonl`` page type;
  title, author (one string), publish_date, main_content. Forums are reported, not gated.

Measures (computed per page, then averaged over the pages that have that ground truth):

* **text** precision / recall / F1 on token 4-shingles: text is casefolded, tokens are the
  runs of Unicode word characters (``re.findall(r"\\w+")``: whitespace and punctuation split
  and are dropped); a shingle is a tuple of 4 consecutive tokens (a text with 1-3 tokens is one
  shingle); shingles are a multiset; overlap is the multiset intersection. Both texts empty
  scores 1, one empty scores 0.
* **title**: exact match after casefolding, Unicode NFKC and collapsing whitespace.
* **date**: the same calendar day. When both gold and ours carry a UTC offset, ours is read in
  the gold's stated offset; otherwise the ``YYYY-MM-DD`` parts are compared as written.
* **authors**: set F1 over folded names (NFKD, accents stripped, casefolded, whitespace
  collapsed). wcxb gives one string; it is split on ``;``, ``,``, ``&``, `` and `` and
  credential pieces (``MS``, ``RD``, ``PhD``: short all-caps tokens) are dropped. Pages whose
  gold has no author are not scored.

The baseline column is trafilatura's defaults in the same run:
``bare_extraction(html, url=url, with_metadata=True)``, its ``author`` split on ``;`` and ``,``.
Exit status 1 when any gated figure of ours is below ``GATES``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402

from crawler.comments.dom import ParseError, parse  # noqa: E402
from crawler.extract import extract_article  # noqa: E402

DEFAULT_EVAL = REPO.parent / "shared" / "eval"
MEASURES = ("text", "title", "date", "authors")
#: Minimum figures of ours per set and measure (trafilatura 2.3.1 in comments).
GATES: dict[str, dict[str, float]] = {
    "scrapinghub": {"text": 0.965},  # 0.958
    "fundus": {"text": 0.955, "title": 0.85, "date": 0.97, "authors": 0.88},
    "wcxb-articles": {"text": 0.94, "title": 0.80, "date": 0.92, "authors": 0.80},
    "wcxb-forums": {},
}
_WORD = re.compile(r"\w+")
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|&|\band\b)\s*", re.IGNORECASE)
_CREDENTIAL = re.compile(r"^(?:[A-Z]{1,5}|Ph\.?D\.?|M\.?D\.?|Jr\.?|Sr\.?)$")


@dataclass
class Page:
    """One page with its ground truth (absent fields are ``None``)."""

    set_name: str
    page_id: str
    url: str
    path: Path
    text: str
    title: str | None = None
    date: str | None = None
    authors: list[str] | None = None


@dataclass
class Scores:
    """Per-page figures of one extractor (``None`` where gold is missing)."""

    values: dict[str, float | None] = field(default_factory=dict)


# --- measures ---------------------------------------------------------------------------


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of token ``size``-shingles (see module docstring)."""
    tokens = _WORD.findall(text.casefold())
    if 0 < len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def text_prf(ours: str, gold: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of ``ours`` against ``gold`` on 4-shingles."""
    got, want = shingles(ours), shingles(gold)
    if not got and not want:
        return 1.0, 1.0, 1.0
    if not got or not want:
        return 0.0, 0.0, 0.0
    overlap = sum((got & want).values())
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return precision, recall, f1


def fold_title(value: str) -> str:
    """Casefold, NFKC and collapse whitespace."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def fold_name(value: str) -> str:
    """Accent-stripped, casefolded, whitespace-collapsed name."""
    decomposed = unicodedata.normalize("NFKD", value)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def split_gold_authors(value: str) -> list[str]:
    """Split wcxb's one-string author into names, dropping credentials."""
    parts = [p.strip(" .") for p in _AUTHOR_SPLIT.split(value)]
    return [p for p in parts if p and not _CREDENTIAL.match(p)]


def authors_f1(ours: list[str], gold: list[str]) -> float:
    """Set F1 over folded names."""
    got, want = {fold_name(a) for a in ours if a}, {fold_name(a) for a in gold if a}
    if not got or not want:
        return 0.0
    hits = len(got & want)
    return 2 * hits / (len(got) + len(want))


def same_day(ours: str | None, gold: str) -> float:
    """1.0 when ``ours`` names the gold's calendar day (see module docstring)."""
    if not ours:
        return 0.0
    try:
        g, o = datetime.fromisoformat(gold.strip()), datetime.fromisoformat(ours.strip())
    except ValueError:
        return float(ours.strip()[:10] == gold.strip()[:10])
    if g.tzinfo is not None and o.tzinfo is not None and len(ours.strip()) > 10:
        return float(o.astimezone(g.tzinfo).date() == g.date())
    return float(ours.strip()[:10] == gold.strip()[:10])


def score(page: Page, text: str, title: str | None, day: str | None, names: list[str]) -> Scores:
    """All measures of one extractor's output for ``page``."""
    p, r, f = text_prf(text, page.text)
    values: dict[str, float | None] = {"text": f, "text_p": p, "text_r": r}
    values["title"] = (
        None if not page.title else float(fold_title(title or "") == fold_title(page.title))
    )
    values["date"] = None if not page.date else same_day(day, page.date)
    values["authors"] = None if not page.authors else authors_f1(names, page.authors)
    return Scores(values)


# --- loading -----------------------------------------------------------------------------


def load_scrapinghub(root: Path) -> Iterator[Page]:
    """Pages of the Zyte/Scrapinghub body benchmark."""
    base = root / "article-extraction-scrapinghub"
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    for key, item in sorted(truth.items()):
        path = base / "html" / f"{key}.html.gz"
        yield Page("scrapinghub", key[:12], item["url"], path, item["articleBody"])


def load_fundus(root: Path) -> Iterator[Page]:
    """Pages of the fundus parser fixtures (``gold.jsonl``)."""
    base = root / "article-extraction-fundus"
    for line in (base / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        path = base / row["file"]
        if path.exists():
            yield Page(
                "fundus", row["file"], row["url"], path, row["body_text"] or "",
                row["title"], row["publishing_date"], row["authors"] or None,
            )  # fmt: skip


def load_wcxb(root: Path) -> Iterator[Page]:
    """Article and forum pages of wcxb-dev."""
    base = root / "wcxb-dev"
    for line in (base / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        kind = {"article": "wcxb-articles", "forum": "wcxb-forums"}.get(row["page_type"])
        if kind is None:
            continue
        doc = json.loads((base / "ground-truth" / f"{row['file_id']}.json").read_text("utf-8"))
        gt = doc["ground_truth"]
        author = gt.get("author")
        yield Page(
            kind, row["file_id"], row["url"], base / "html" / f"{row['file_id']}.html.gz",
            gt.get("main_content") or "", gt.get("title"), gt.get("publish_date"),
            split_gold_authors(author) if isinstance(author, str) and author.strip() else None,
        )  # fmt: skip


LOADERS: dict[str, Callable[[Path], Iterator[Page]]] = {
    "scrapinghub": load_scrapinghub,
    "fundus": load_fundus,
    "wcxb": load_wcxb,
}


# --- running -----------------------------------------------------------------------------


def read_html(path: Path) -> str:
    """Decompressed HTML (UTF-8 with replacement, as the sets are UTF-8)."""
    return gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")


def baseline(html: str, url: str) -> tuple[str, str | None, str | None, list[str]]:
    """trafilatura 2.3.1 defaults with metadata."""
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is None:
        return "", None, None, []
    data: dict[str, Any] = doc if isinstance(doc, dict) else doc.as_dict()
    author = data.get("author") or ""
    names = [a.strip() for a in re.split(r"[;,]", author) if a.strip()]
    return data.get("text") or "", data.get("title"), data.get("date"), names


def shared_parse(html: str) -> Any:
    """The parse :func:`crawler.records.build_record` gives both readers (None: failed)."""
    try:
        return parse(html)
    except ParseError:
        return None


def run_page(page: Page) -> tuple[Page, Scores, Scores, float]:
    """Score ours and the baseline on one page (runs in a worker process)."""
    html = read_html(page.path)
    started = time.perf_counter()
    rec = extract_article(html, page.url, tree=shared_parse(html))
    elapsed = time.perf_counter() - started
    authors = rec["authors"]
    assert isinstance(authors, list)
    ours = score(
        page, str(rec["text"]), rec["title"] and str(rec["title"]),
        rec["published"] and str(rec["published"]), [str(a) for a in authors],
    )  # fmt: skip
    theirs = score(page, *baseline(html, page.url))
    return page, ours, theirs, elapsed


def mean(values: list[float | None]) -> tuple[float | None, int]:
    """Average of the non-``None`` values and how many there were."""
    kept = [v for v in values if v is not None]
    return (sum(kept) / len(kept) if kept else None), len(kept)


def report(set_name: str, rows: list[tuple[Page, Scores, Scores, float]], worst: int) -> bool:
    """Print one set's table; return ``True`` when its gates pass."""
    gates, ok = GATES.get(set_name, {}), True
    print(f"\n## {set_name} ({len(rows)} pages)")
    print(f"{'measure':<10} {'n':>4} {'ours':>7} {'trafil.':>8} {'gate':>6}  result")
    for measure in ("text", "text_p", "text_r", *MEASURES[1:]):
        ours, n = mean([r[1].values.get(measure) for r in rows])
        theirs, _ = mean([r[2].values.get(measure) for r in rows])
        if ours is None or theirs is None:
            continue
        gate = gates.get(measure)
        verdict = "" if gate is None else ("pass" if ours >= gate else "FAIL")
        ok = ok and verdict != "FAIL"
        gate_s = "" if gate is None else f"{gate:.3f}"
        print(f"{measure:<10} {n:>4} {ours:>7.3f} {theirs:>8.3f} {gate_s:>6}  {verdict}")
    if worst:
        for measure in MEASURES:
            scored = [r for r in rows if r[1].values.get(measure) is not None]
            scored.sort(key=lambda r: r[1].values[measure] or 0.0)
            for page, mine, base, _ in scored[:worst]:
                print(f"  worst {measure}: {page.page_id} ours={mine.values[measure]:.2f} "
                      f"trafilatura={base.values[measure]:.2f}")  # fmt: skip
    return ok


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(LOADERS), help="comma-separated sets")
    parser.add_argument("--limit", type=int, default=0, help="pages per set (0: all)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages")
    parser.add_argument(
        "--report-only", action="store_true",
        help="print the table and the gate verdicts but exit 0 (used by .ci/run while the"
        " article gates are not met yet)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    root = Path(os.environ.get("NEWSARCHIVE_EVAL_DIR") or DEFAULT_EVAL)
    if not root.is_dir():
        print(f"skip: {root} not found")
        return 0
    pages: list[Page] = []
    for name in args.sets.split(","):
        loaded = list(LOADERS[name](root))
        pages.extend(loaded[: args.limit] if args.limit else loaded)
    started = time.perf_counter()
    with multiprocessing.Pool(args.jobs) as pool:
        results = list(pool.imap_unordered(run_page, pages, chunksize=4))
    by_set: dict[str, list[tuple[Page, Scores, Scores, float]]] = {}
    for row in results:
        by_set.setdefault(row[0].set_name, []).append(row)
    verdicts = [report(name, sorted(rows, key=lambda r: r[0].page_id), args.worst)
                for name, rows in sorted(by_set.items())]  # fmt: skip
    ok = all(verdicts)
    slowest = max(results, key=lambda r: r[3], default=None)
    print(f"\n{len(results)} pages in {time.perf_counter() - started:.0f}s"
          + (f"; slowest extract_article {slowest[3]:.2f}s ({slowest[0].page_id})"
             if slowest else ""))  # fmt: skip
    print("gates: " + ("pass" if ok else "FAIL"))
    return 0 if ok or args.report_only else 1


if __name__ == "__main__":
    sys.exit(main())
