"""Run the discovery parsers over the shared feeds/sitemaps/robots.txt corpus and check them.

Usage: ``python tests/eval/eval_discovery.py`` (from anywhere). The corpus is
``<repo parent>/shared/eval/feeds-sitemaps`` unless ``NEWSARCHIVE_EVAL_DIR`` points at
another ``eval`` directory. Prints one table row per file and exits non-zero when a
well-formed feed/sitemap yields fewer links than a naive independent count, or when a
parser crashes with anything but ``DiscoveryParseError``.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import xml.etree.ElementTree as ET  # independent well-formedness check (trusted files)
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from crawler.discovery import (  # noqa: E402
    find_feed_links,
    parse_feed,
    parse_sitemap,
    sniff_format,
)
from crawler.errors import DiscoveryParseError  # noqa: E402

FEED_KINDS = frozenset({"rss", "rdf", "atom", "jsonfeed"})
SKIP_SUFFIXES = (".md", ".csv", ".toml")
DOC_URL = "https://eval.example.com/"

_ENTRY_RE = re.compile(rb"<(?:[\w.-]+:)?(?:url|sitemap)[\s>/]")
_ITEM_RE = re.compile(rb"<(?:[\w.-]+:)?item[\s>].*?</(?:[\w.-]+:)?item>", re.DOTALL)
_ENTRY_BLOCK_RE = re.compile(rb"<(?:[\w.-]+:)?entry[\s>].*?</(?:[\w.-]+:)?entry>", re.DOTALL)
_RSS_LINK_RE = re.compile(rb"<link>\s*\S|<link\s[^>]*href=|rdf:about=\"[^\"]")
_PERMA_GUID_RE = re.compile(rb"<guid(?![^>]*isPermaLink=\"false\")[^>]*>\s*https?://")
_ATOM_LINK_RE = re.compile(
    rb"<(?:[\w.-]+:)?link\s(?:(?!rel=)[^>])*/?>|<link\s[^>]*rel=\"alternate\""
)
_HTTP_LINE_RE = re.compile(rb"^\s*(?:\xef\xbb\xbf)?https?://", re.MULTILINE)


@dataclass
class Row:
    """One line of the report."""

    file: str
    detected: str = ""
    parsed: str = ""
    links: int | str = ""
    dated: int | str = ""
    naive: str = ""
    status: str = "ok"
    notes: list[str] = field(default_factory=list)


def eval_dir() -> Path:
    """Return the shared eval directory (env ``NEWSARCHIVE_EVAL_DIR`` overrides)."""
    env = os.environ.get("NEWSARCHIVE_EVAL_DIR")
    return Path(env) if env else REPO.parent / "shared" / "eval"


def maybe_gunzip(body: bytes) -> bytes:
    """Decompress gzip bodies with the stdlib (independent of the parser under test)."""
    return gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body


def well_formed(body: bytes) -> bool:
    """Whether ``body`` is well-formed XML, JSON or a plain text list (stdlib check)."""
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"{", b"[")):
        try:
            json.loads(stripped)
        except ValueError:
            return False
        return True
    if not stripped.startswith(b"<"):
        return True
    try:
        ET.fromstring(stripped)
    except ET.ParseError:
        return False
    return True


def naive_feed_count(body: bytes, kind: str) -> tuple[int, int]:
    """Return (raw item count, items that carry a usable link) by regex / json."""
    if kind == "jsonfeed":
        items = json.loads(body.lstrip(b"\xef\xbb\xbf")).get("items", [])
        with_url = [
            i for i in items if isinstance(i, dict) and (i.get("url") or i.get("external_url"))
        ]
        return len(items), len(with_url)
    if kind == "atom":
        blocks = _ENTRY_BLOCK_RE.findall(body)
        return len(blocks), sum(1 for b in blocks if _ATOM_LINK_RE.search(b))
    blocks = _ITEM_RE.findall(body)
    usable = sum(1 for b in blocks if _RSS_LINK_RE.search(b) or _PERMA_GUID_RE.search(b))
    return len(blocks), usable


def naive_sitemap_count(body: bytes, kind: str) -> int:
    """Count ``<url>``/``<sitemap>`` elements, or http lines of a text sitemap."""
    if kind == "text-sitemap":
        return len(_HTTP_LINE_RE.findall(body))
    return len(_ENTRY_RE.findall(body))


def check_document(path: Path, rel: str) -> Row:
    """Parse one feed or sitemap file and compare with the naive count."""
    raw = path.read_bytes()
    body = maybe_gunzip(raw)
    row = Row(rel, detected=sniff_format(raw, None))
    inner = sniff_format(body, None)
    if row.detected == "gzip":
        row.detected = f"gzip/{inner}"
    try:
        found, dated = _run_parser(raw, inner, row)
    except DiscoveryParseError as exc:
        row.status, found = f"error:{exc.kind}", 0
        row.notes.append(str(exc)[:120])
    except Exception as exc:
        row.status = "CRASH"
        row.notes.append(f"{type(exc).__name__}: {exc}"[:160])
        return row
    if row.status == "ok":
        row.links, row.dated = found, dated
    _compare(body, inner, found, row)
    return row


def _run_parser(raw: bytes, inner: str, row: Row) -> tuple[int, int]:
    """Run the right parser; fill ``row.parsed``/notes; return (entries found, dated)."""
    url = DOC_URL + row.file
    if inner in FEED_KINDS:
        feed = parse_feed(raw, url)
        row.parsed, links, extra = feed.format, feed.links, 0
        row.notes.extend(feed.warnings)
    else:
        sitemap = parse_sitemap(raw, url)
        row.parsed, links, extra = sitemap.format, sitemap.links, len(sitemap.sitemaps)
        row.notes.extend(sitemap.warnings)
        if extra:
            row.notes.insert(0, f"{extra} child sitemaps")
    return len(links) + extra, sum(1 for link in links if link.published is not None)


def _compare(body: bytes, inner: str, found: int, row: Row) -> None:
    """Fill ``row.naive`` and flag a well-formed file that yields fewer links."""
    if inner in FEED_KINDS:
        raw_count, expected = naive_feed_count(body, inner)
        row.naive = f"{expected}/{raw_count}" if raw_count != expected else str(expected)
    else:
        expected = naive_sitemap_count(body, inner)
        row.naive = str(expected)
    if found < expected:
        if well_formed(body):
            row.status = "FAIL"
            row.notes.insert(0, f"found {found} < naive {expected}")
        else:
            row.notes.insert(0, f"malformed file: found {found} of naive {expected}")


def check_robots(path: Path, rel: str) -> Row:
    """Parse a robots.txt with protego: report Sitemap: lines and the * crawl delay."""
    from protego import Protego  # installed with scrapy

    raw = path.read_bytes()
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if raw.startswith(bom):
            text = raw.decode(codec)
            break
    else:
        text = raw.decode("utf-8", errors="replace")
    row = Row(rel, detected="robots", parsed="robots")
    try:
        robots = Protego.parse(text)
        sitemaps = list(robots.sitemaps)
        row.links = len(sitemaps)
        row.notes.append(f"crawl_delay(*)={robots.crawl_delay('*')}")
        row.notes.extend(sitemaps[:3])
    except Exception as exc:
        row.status = "CRASH"
        row.notes.append(f"{type(exc).__name__}: {exc}"[:160])
    return row


def check_homepages(root: Path) -> list[Row]:
    """If saved news homepages exist, check ``<link rel=alternate>`` feed discovery."""
    expected = {
        "cnn_main_site.html": "http://rss.cnn.com/rss/edition.rss",
        "wired_main_site.html": "https://www.wired.com/feed/rss",
    }
    rows: list[Row] = []
    html_dir = root / "article-extraction-newspaper4k" / "html"
    for name, feed in expected.items():
        path = html_dir / name
        if not path.is_file():
            continue
        found = [c.url for c in find_feed_links(path.read_bytes(), "https://example.com/")]
        row = Row(f"../{name}", detected="html", parsed="feed-links", links=len(found))
        row.status = "ok" if feed in found else "FAIL"
        row.notes.append(f"expects {feed}")
        rows.append(row)
    return rows


def source_listing(corpus: Path) -> list[str]:
    """Read SOURCE.md; return notes on files it lists that are not present."""
    source = corpus / "SOURCE.md"
    if not source.is_file():
        return ["SOURCE.md missing"]
    text = source.read_text(encoding="utf-8")
    print(text.splitlines()[0] if text else "(empty SOURCE.md)")
    listed = set(re.findall(r"`([\w./-]+\.(?:rss|xml|json|gz|txt|atom))`", text))
    missing = sorted(
        p
        for p in listed
        if "/" in p and (corpus / p.split("/")[0]).is_dir() and not (corpus / p).exists()
    )
    return [f"listed in SOURCE.md but absent: {p}" for p in missing]


def collect_rows(corpus: Path) -> list[Row]:
    """Check every file of the corpus."""
    rows: list[Row] = []
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        rel = path.relative_to(corpus).as_posix()
        if path.name.startswith("LICENSE") or path.suffix in SKIP_SUFFIXES:
            continue
        if "/robots/" in f"/{rel}" or path.name.endswith("robots.txt"):
            rows.append(check_robots(path, rel))
        else:
            rows.append(check_document(path, rel))
    return rows


def mutations(raw: bytes) -> dict[str, bytes]:
    """Broken variants of a document: every parser must raise DiscoveryParseError or cope."""
    body = maybe_gunzip(raw)
    variants = {
        "truncated-half": body[: len(body) // 2],
        "truncated-10": body[:10],
        "html-wrapped": b"<html><body>" + body + b"</body></html>",
        "binary-prefix": b"\x00\x01\xff" + body,
        "bad-entity": body.replace(b"&amp;", b"&bogus;").replace(b"<title>", b"<title>&nbsp;", 1),
    }
    if raw[:2] == b"\x1f\x8b":
        variants["gzip-truncated"] = raw[: len(raw) // 2]
    return variants


def check_mutations(corpus: Path, rows: list[Row]) -> list[Row]:
    """Run both parsers over broken variants of each document; report crashes only."""
    crashes: list[Row] = []
    total = 0
    for row in rows:
        if row.detected == "robots":
            continue
        for name, body in mutations((corpus / row.file).read_bytes()).items():
            for parser in (parse_feed, parse_sitemap):
                total += 1
                try:
                    parser(body, DOC_URL + row.file)
                except DiscoveryParseError:
                    pass
                except Exception as exc:
                    crash = Row(f"{row.file} [{name}, {parser.__name__}]", status="CRASH")
                    crash.notes.append(f"{type(exc).__name__}: {exc}"[:160])
                    crashes.append(crash)
    print(f"mutations: {total} parser runs on broken variants, {len(crashes)} crashes")
    return crashes


def print_table(rows: list[Row]) -> None:
    """Print the report table."""
    header = ("file", "detected", "parsed", "links", "dated", "naive", "status", "warnings/errors")
    widths = [max(len(header[0]), *(len(r.file) for r in rows)), 16, 12, 5, 5, 6, 22]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths) + "  {}"
    print(fmt.format(*header))
    for r in rows:
        notes = "; ".join(r.notes)
        cells = (r.file, r.detected, r.parsed, r.links, r.dated, r.naive, r.status)
        print(fmt.format(*(str(c) for c in cells), notes[:200]))


def main() -> int:
    """Run the eval; return the process exit code."""
    corpus = eval_dir() / "feeds-sitemaps"
    if not corpus.is_dir():
        print(f"skip: {corpus} not found")
        return 0
    notes = source_listing(corpus)
    rows = collect_rows(corpus) + check_homepages(eval_dir())
    print_table(rows)
    crashes = check_mutations(corpus, [r for r in rows if (corpus / r.file).is_file()])
    if crashes:
        print_table(crashes)
    rows += crashes
    for note in notes:
        print(f"note: {note}")
    bad = [r for r in rows if r.status in ("FAIL", "CRASH")]
    errors = sum(1 for r in rows if r.status.startswith("error:"))
    print(f"files: {len(rows)}, parse errors (DiscoveryParseError): {errors}")
    print(f"eval: {len(rows) - len(bad)} passed, {len(bad)} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
