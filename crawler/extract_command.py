"""``newsarchive extract INPUT... -o OUT.jsonl``: parsed records from archived pages.

Reads ``.warc``, ``.warc.gz``, ``.wacz`` files or directories of them (or single HTML
files with ``--url``), with no network, streaming, on all cores. Each HTML 200
response becomes a record through :func:`crawler.records.build_record`, the code the
live crawl runs, so re-running this with a newer extractor upgrades an archive. In an
archive laid out by newsarchive (``warc/<outlet>/...``) only pages the outlet's
article patterns accept are extracted (``--all`` extracts every HTML page).

Where a WARC has its CDXJ index in the archive (``index/...cdxj``), the run reads the
index instead of the whole file: the index gives the captures that comment sources are
looked up in, and only the article responses are read, each at its offset, by the worker
that extracts it (the main process hands out a few bytes per page: where it is). A WARC
without a usable index (none, or one that does not match the file) is read record by
record; one whose index turns out not to match is read so after the others, for the
pages its index did not give.
"""

from __future__ import annotations

import io
import json
import logging
import os
import pickle
import re
import sys
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import cached_property, partial
from pathlib import Path
from typing import Any, TextIO

import brotli
from warcio.bufferedreaders import ChunkedDataReader
from warcio.timeutils import iso_date_to_datetime

from crawler.charset import decoded
from crawler.comments.dom import Element
from crawler.errors import NewsarchiveError, writable_output
from crawler.extract_pool import ExtractionPool, Result, Task
from crawler.startup import settle_gc
from crawler.urls import canonicalize
from crawler.warc_reader import (
    WarcEntry,
    WarcFile,
    WarcReadError,
    iter_records,
    read_entry_at,
    read_record_at,
    wacz_pages,
    warc_files,
)
from pipelines.warc_writer import index_path

logger = logging.getLogger(__name__)

#: Most further pages of one thread read back from an archive: the crawl already bounded
#: what it fetched (COMMENTS_MAX_PAGES); this only bounds the walk over what it kept.
ARCHIVED_PAGES_LIMIT = 1000


@dataclass
class ExtractStats:
    """What one run did."""

    records: int = 0
    skipped: int = 0
    errors: int = 0


def decode_body(payload: bytes, headers: list[tuple[str, str]], max_bytes: int) -> bytes | None:
    """The entity body of an archived response: de-chunked and content-decoded; None
    when it decodes to more than ``max_bytes`` (a crawl refuses such a page)."""
    lookup = {k.lower(): v.strip().lower() for k, v in headers}
    body = payload
    if lookup.get("transfer-encoding") == "chunked":
        body = ChunkedDataReader(io.BytesIO(body)).read()
    for coding in reversed([c.strip() for c in lookup.get("content-encoding", "").split(",")]):
        body = _decode(body, coding, max_bytes)
    return body if len(body) <= max_bytes else None


def _decode(body: bytes, coding: str, max_bytes: int) -> bytes:
    """``body`` decoded from ``coding``; as stored when it is not in that coding at all
    (archives that kept the header of a payload they stored decoded, such as ClueWeb09's:
    warcio reads such a body as it is too)."""
    decoded: bytes | None = body
    if coding in ("gzip", "x-gzip"):
        decoded = _inflate(body, 16 + zlib.MAX_WBITS, max_bytes)
    elif coding == "deflate":
        decoded = _inflate(body, zlib.MAX_WBITS, max_bytes)
        if decoded is None:
            decoded = _inflate(body, -zlib.MAX_WBITS, max_bytes)
    elif coding == "br":
        try:
            decoded = bytes(brotli.Decompressor().process(body, output_buffer_limit=max_bytes + 1))
        except brotli.error:
            decoded = None
    if decoded is None and body[:2] == _GZIP_MAGIC:
        return b""  # compressed, and damaged from its start
    if decoded is None:
        logger.info("a payload declared %s is not; read as stored", coding)
        return body
    return decoded


#: Input bytes fed to a decompressor at a time, so a stream corrupt part-way keeps the
#: part before the damage.
_INFLATE_STEP = 4096
_GZIP_MAGIC = b"\x1f\x8b"


def _inflate(body: bytes, wbits: int, max_bytes: int) -> bytes | None:
    """Decompress at most max_bytes + 1 (so an oversized body shows); a cut or corrupt
    stream gives the prefix that decodes, as Scrapy does in a crawl; None when not even
    its start decodes (the body is not in that coding)."""
    decompressor = zlib.decompressobj(wbits)
    out = bytearray()
    for start in range(0, max(len(body), 1), _INFLATE_STEP):
        try:
            out += decompressor.decompress(
                body[start : start + _INFLATE_STEP], max_bytes + 1 - len(out)
            )
        except zlib.error:
            return bytes(out) if out else None
        if len(out) > max_bytes or decompressor.eof:
            break
    return bytes(out)


def html_text(headers: list[tuple[str, str]], body: bytes) -> str | None:
    """Page text decoded as the crawl decodes it (header, BOM, meta charset; a page served
    under the wrong charset read in its own: :mod:`crawler.middlewares.charset`)."""
    try:
        return decoded(headers, body)[1]
    except (UnicodeDecodeError, LookupError):
        return None


def tasks_from_warc(
    warc: WarcFile, root: Path | None, rules: Any, stats: ExtractStats,
    captures: list[Capture] | None = None, done: set[int] | None = None,
) -> Iterator[Task]:  # fmt: skip
    """Extraction tasks for the HTML 200 responses of one WARC (the page's other comment
    sources are looked up by the worker: :func:`extract_archived`), from its ``captures``
    (:func:`indexed_captures`) when given, else from a pass over the file, leaving out
    the records at the offsets in ``done``."""
    outlet = _outlet_of(warc.path, root)
    done = set(done or ())
    skipped = stats.skipped
    if captures is not None:
        try:
            for _, page_url, context in page_refs(warc, captures, root, rules, stats):
                ref: PageRef = context[REF]
                task = load_page(ref, page_url, rules)
                done.add(ref.offset)
                yield from _counted(task, stats)
            return
        except WarcReadError as exc:  # the index and the file disagree: read the file
            logger.warning("%s; reading the whole file instead", exc)
            stats.skipped = skipped  # the pass counts them again
    try:
        for entry in iter_records(warc, arc2warc=True):
            if entry.truncated:  # the file's last record is cut off: a damaged input
                stats.errors += 1
                logger.error("%s: cut off in the record at offset %d (records before it,"
                             " and what remains of it, were extracted)",
                             warc.name, entry.offset)  # fmt: skip
            if entry.record.rec_type == "response" and entry.offset not in done:
                try:
                    task = _task(entry, warc, root, outlet, rules)
                except Exception as exc:  # one bad record must not end the run
                    stats.errors += 1
                    logger.error("%s: the record at offset %d could not be read: %s: %s",
                                 warc.name, entry.offset, type(exc).__name__, exc)  # fmt: skip
                    continue
                yield from _counted(task, stats)
    except WarcReadError as exc:
        stats.errors += 1
        logger.error("%s (records before it were extracted)", exc)


def _counted(task: Task | None, stats: ExtractStats) -> Iterator[Task]:
    if task is None:
        stats.skipped += 1
    else:
        yield task


@dataclass(frozen=True)
class Capture:
    """One response of a WARC as its CDXJ index lists it."""

    offset: int
    length: int
    url: str
    status: str
    mime: str
    timestamp: str = ""  # the index's 14-digit capture time


def indexed_captures(warc: WarcFile, root: Path | None) -> list[Capture] | None:
    """The responses of ``warc`` from its CDXJ index in the archive, in file order; None
    when there is no index or it does not describe this file (then read the file)."""
    if root is None or warc.member is not None:
        return None
    try:
        resolved = warc.path.resolve()
        relative = str(resolved.relative_to(root))
        path = index_path(root, resolved)
        size = warc.path.stat().st_size
        lines = path.read_bytes().splitlines() if path.is_file() else None
    except (OSError, ValueError):
        return None
    if lines is None:
        return None
    captures = []
    try:
        for line in lines:
            _, stamp, data = line.split(b" ", 2)
            fields = json.loads(data)
            if "status" not in fields or fields.get("mime") == "warc/revisit":
                continue  # metadata, resource and revisit records: not responses
            capture = Capture(
                int(fields["offset"]), int(fields["length"]), fields["url"],
                fields["status"], fields.get("mime", ""), stamp.decode("ascii"),
            )  # fmt: skip
            if fields.get("filename") != relative or capture.offset + capture.length > size:
                return None
            captures.append(capture)
    except (IndexError, KeyError, TypeError, ValueError):
        logger.warning("%s: unreadable CDXJ index; reading the WARC instead", path)
        return None
    return sorted(captures, key=lambda c: c.offset)


#: Context key of a task that names its page (a :class:`PageRef`) instead of carrying it.
REF = "page_ref"
#: Key of what a worker returns instead of a record for a :data:`REF` task that gives none:
#: ``"skipped"`` (not a page the crawl would extract) or ``"unreadable"`` (``reason``: the
#: index does not match the file there, or the record cannot be read).
OUTCOME = "__outcome__"


@dataclass(frozen=True, slots=True)
class PageRef:
    """Where an indexed capture is: the worker that extracts the page reads it."""

    path: str
    offset: int
    length: int
    root: str | None
    outlet: str | None


def page_refs(
    warc: WarcFile, captures: list[Capture], root: Path | None, rules: Any,
    stats: ExtractStats, skips: Counter[str] | None = None,
) -> Iterator[Task]:  # fmt: skip
    """A task naming each capture that may be an article page (see :func:`load_page`);
    the other captures are counted as skipped (in ``skips`` too, by WARC path) unread."""
    outlet = _outlet_of(warc.path, root)
    for capture in captures:
        wanted = capture.status == "200" and "html" in capture.mime.lower()
        if not wanted or not _wanted(rules, warc, outlet, capture.url):
            stats.skipped += 1
            if skips is not None:
                skips[str(warc.path)] += 1
            continue
        ref = PageRef(str(warc.path), capture.offset, capture.length,
                      str(root) if root else None, outlet)  # fmt: skip
        context = {"outlet": outlet, "fetched_at": _cdx_time(capture.timestamp), "status": 200,
                   "warc": None, REF: ref}  # fmt: skip
        yield "", capture.url, context


def _cdx_time(stamp: str) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` of a 14-digit CDX timestamp (the WARC-Date replaces it
    once the record is read)."""
    digits = stamp.ljust(14, "0")
    return (f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}T"
            f"{digits[8:10]}:{digits[10:12]}:{digits[12:14]}Z")  # fmt: skip


def load_page(ref: PageRef, url: str, rules: Any) -> Task | None:
    """The task of the capture ``ref`` names (``url``: its URL in the index), read at its
    offset; None when the crawl would not have extracted it. Raises WarcReadError when
    no whole record of ``url`` is there (the index does not match the file)."""
    warc = WarcFile(Path(ref.path))
    with warc.open() as stream:
        entry = read_entry_at(warc, stream, ref.offset, ref.length)
    if not _is_response_of(entry.record, url):
        raise WarcReadError(warc.name, ref.offset, "the CDXJ index does not match")
    root = Path(ref.root) if ref.root else None
    return _task(entry, warc, root, ref.outlet, rules, article_checked=True)


def _is_response_of(record: Any, url: str) -> bool:
    """Whether a record read at an index's offset is the response the index says."""
    target = record.rec_headers.get_header("WARC-Target-URI")
    return bool(record.rec_type == "response" and target == url)


def _resolved(task: Task, rules: Any) -> Task:
    """``task`` with its page read when it names one (as it is when the page gives no
    task)."""
    ref = task[2].get(REF)
    if not isinstance(ref, PageRef):
        return task
    return load_page(ref, task[1], rules) or task


def _task(entry: WarcEntry, warc: WarcFile, root: Path | None, outlet: str | None,
          rules: OutletRules, *, article_checked: bool = False) -> Task | None:  # fmt: skip
    """The task of a response record; None when the crawl would not extract it
    (``article_checked``: the outlet's article patterns were applied to its URL already)."""
    record = entry.record
    if record.rec_type != "response" or record.http_headers is None:
        return None
    http = record.http_headers
    content_type = (http.get_header("Content-Type") or "").lower()
    url = record.rec_headers.get_header("WARC-Target-URI")
    if http.get_statuscode() != "200" or "html" not in content_type:
        return None
    if not article_checked and not _wanted(rules, warc, outlet, url):
        return None
    body = decode_body(entry.payload, http.headers, rules.max_bytes(outlet))
    if body is None:
        logger.warning("%s: over the size cap once decoded; skipped as the crawl did", url)
        return None
    text = html_text(http.headers, body)
    if text is None:
        return None
    return text, url, _context(entry, warc, root, outlet)


def _wanted(rules: OutletRules, warc: WarcFile, outlet: str | None, url: str) -> bool:
    """Whether the crawl would have made a record of the page at ``url``: every page with
    ``--all``; else an article by its outlet's patterns, or, in a WACZ of no known
    outlet, a page its ``pages/pages.jsonl`` lists (when it lists any)."""
    if rules.all_pages:
        return True
    if outlet is None and warc.member is not None:
        pages = wacz_pages(warc.path)
        if pages is not None:
            return url in pages
    return rules.is_article(outlet, url)


def _context(
    entry: WarcEntry, warc: WarcFile, root: Path | None, outlet: str | None
) -> dict[str, Any]:
    headers = entry.record.rec_headers
    fetched = _fetched_at(entry, warc)
    filename = str(warc.path.relative_to(root)) if root else warc.name
    digest = headers.get_header("WARC-Payload-Digest")
    location = {
        "filename": filename, "offset": entry.offset, "length": entry.length,
        "record_id": headers.get_header("WARC-Record-ID"), "payload_digest": digest,
    }  # fmt: skip
    return {"outlet": outlet, "fetched_at": fetched, "status": 200,
            "warc": location if warc.member is None and digest else None}  # fmt: skip


def _fetched_at(entry: WarcEntry, warc: WarcFile) -> str:
    """The record's WARC-Date as the record's ``fetched_at``. A date that is missing or
    not a date (another tool's bug: ClueWeb09's "2008-10-294T05:21:46-0700") gives way to
    the response's HTTP ``Date`` (the server's clock at the exchange), else the file's
    modification time, said in a warning, instead of losing the page."""
    value = entry.record.rec_headers.get_header("WARC-Date")
    try:
        date = iso_date_to_datetime(value)
    except (ValueError, TypeError, AttributeError):
        date, source = _http_date(entry), "its HTTP Date"
        if date is None:
            date = datetime.fromtimestamp(warc.path.stat().st_mtime, UTC)
            source = "the file's modification time"
        logger.warning("%s: the record at offset %d has no valid WARC-Date (%r); its"
                       " fetched_at is %s", warc.name, entry.offset, value, source)  # fmt: skip
    return str(date.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))


def _http_date(entry: WarcEntry) -> datetime | None:
    http = entry.record.http_headers
    value = http.get_header("Date") if http is not None else None
    try:
        date = parsedate_to_datetime(value) if value else None
    except (ValueError, TypeError):
        return None
    if date is None:
        return None
    return date.astimezone(UTC) if date.tzinfo else date.replace(tzinfo=UTC)


def _outlet_of(path: Path, root: Path | None) -> str | None:
    if root is None:
        return None
    parts = path.relative_to(root).parts
    return parts[1] if len(parts) > 2 and parts[0] == "warc" else None


class CaptureIndex:
    """Where each URL's 200 response is in the inputs, so an article's further comment
    pages and WordPress REST comments (archived by the crawl) join its record exactly
    as they did in the crawl."""

    def __init__(self, warcs: list[tuple[WarcFile, list[Capture] | None]]) -> None:
        """From each WARC's CDXJ captures where it has them, else from a pass over it."""
        self.by_url: dict[str, tuple[WarcFile, int]] = {}
        self.scanned: set[WarcFile] = set()  # WARCs read record by record
        for warc, captures in warcs:
            if captures is not None:
                for capture in captures:
                    if capture.status == "200":
                        self.by_url[capture.url] = (warc, capture.offset)
                continue
            self._scan(warc)

    def _scan(self, warc: WarcFile) -> None:
        """Take ``warc``'s captures from a pass over the file (its index's are dropped)."""
        self.scanned.add(warc)
        self.by_url = {u: found for u, found in self.by_url.items() if found[0] != warc}
        try:
            for entry in iter_records(warc, quiet=True, arc2warc=True):
                self._add(warc, entry)
        except WarcReadError as exc:  # reported by the pass that extracts the file's pages
            logger.debug("%s (captures before it are used)", exc)

    def _add(self, warc: WarcFile, entry: WarcEntry) -> None:
        record, http = entry.record, entry.record.http_headers
        if record.rec_type == "response" and http is not None and http.get_statuscode() == "200":
            self.by_url[record.rec_headers.get_header("WARC-Target-URI")] = (warc, entry.offset)

    def body(self, url: str, max_bytes: int) -> tuple[list[tuple[str, str]], bytes] | None:
        """(HTTP headers, decoded body) of the capture of ``url``, or None."""
        found = self.by_url.get(url)
        if found is None:
            return None
        record, payload = read_record_at(*found)
        if not _is_response_of(record, url):  # the index is wrong
            if found[0] in self.scanned:
                return None
            logger.warning(
                "%s: its CDXJ index does not match; reading the whole file", found[0].name
            )
            self._scan(found[0])
            return self.body(url, max_bytes)
        headers = record.http_headers.headers
        body = decode_body(payload, headers, max_bytes)
        return (headers, body) if body is not None else None

    def comment_sources(
        self, doc: Element, url: str, max_bytes: int, source: str | None = None
    ) -> dict[str, Any]:
        """``comment_pages`` and ``comment_rest`` context, as the crawl gathered them, for
        the page parsed as ``doc`` (:func:`crawler.comments.dom.parse`) from ``source``."""
        from crawler.comments.dom import ParseError, parse
        from crawler.comments.pagination import gather
        from crawler.comments.wordpress import post_id_in

        def fetch(page_url: str) -> tuple[str, Element | None] | None:
            found = self.body(page_url, max_bytes)
            if found is None:
                return None
            text = html_text(*found) or ""
            try:
                return text, parse(text)
            except ParseError:
                return text, None

        pages = gather(doc, url, source, fetch, ARCHIVED_PAGES_LIMIT)
        post_id = post_id_in(doc)
        rest: dict[str, Any] | None = None
        if post_id is not None:
            rest = self._rest(doc, url, post_id, max_bytes)
        return {"comment_pages": pages, "comment_rest": rest}

    def _rest(self, doc: Element, url: str, post_id: int, max_bytes: int) -> dict[str, Any] | None:
        from crawler.comments import add_rest_page, rest_state
        from crawler.comments.wordpress import rest_api_url_in

        state: dict[str, Any] = rest_state(post_id)
        while page_url := rest_api_url_in(doc, url, post_id, page=len(state["pages"]) + 1):
            found = self.body(page_url, max_bytes)
            if found is None:
                break
            headers, body = found
            total = dict((k.lower(), v) for k, v in headers).get("x-wp-total")
            try:
                if not add_rest_page(state, body, total):
                    break
            except ValueError:
                break
        return state if state["pages"] else None


class OutletRules:
    """What the crawl would have done with a page: the outlet's article patterns and
    its size cap (an outlet unknown to the config: every page, the default cap)."""

    def __init__(self, config_dir: str | None, default_max: int) -> None:
        from crawler.outlet_loader import load_outlets

        try:
            outlets = load_outlets(config_dir)
        except NewsarchiveError:
            outlets = {}
        self.default_max = default_max
        self.all_pages = False  # --all: every HTML page, not only the outlet's articles
        self.patterns = {
            n: ([re.compile(p) for p in o.articles.allow], [re.compile(p) for p in o.articles.deny])
            for n, o in outlets.items()
        }
        self.caps = {
            n: int(o.settings.get("DOWNLOAD_MAXSIZE", default_max)) for n, o in outlets.items()
        }

    def is_article(self, outlet: str | None, url: str) -> bool:
        if outlet not in self.patterns:
            return True
        allow, deny = self.patterns[outlet]
        key = canonicalize(url)
        return not any(p.search(key) for p in deny) and (
            not allow or any(p.search(key) for p in allow)
        )

    def max_bytes(self, outlet: str | None) -> int:
        return self.caps.get(outlet or "", self.default_max)


def archive_root_of(path: Path) -> Path | None:
    """The archive root above ``path`` if it sits in a ``warc/`` tree, ``path`` itself
    when it is an archive root (a directory with ``warc/`` and ``index/``), else None."""
    for parent in [path, *path.parents]:
        if parent.name == "warc":
            return parent.parent
    if (path / "warc").is_dir() and (path / "index").is_dir():
        return path
    return None


def run_extract(inputs: list[str], output: Path, *, url: str | None, workers: int,
                timeout: float, memory_mb: int, rules: OutletRules) -> ExtractStats:  # fmt: skip
    """Extract every input into ``output`` (JSON lines, input order)."""
    stats = ExtractStats()
    out = _open_output(output)  # before any work: a bad -o fails at once
    # absolute: WARC paths are taken relative to their archive root, which is resolved
    archives = [
        Path(i).resolve() for i in inputs if Path(i).suffix.lower() not in (".html", ".htm")
    ]
    scratch = tempfile.TemporaryDirectory(prefix="newsarchive-extract-")
    index = Path(scratch.name) / "captures.pickle"
    pool = ExtractionPool(
        workers, timeout, memory_mb, extract_line, _use_archive, (index, rules),
        resolve=partial(_resolved, rules=rules),
    )  # fmt: skip
    progress = _Progress(sys.stderr)
    settle_gc()  # the workers fork with start-up's objects frozen, as a crawl's do
    try:
        pool.start()  # workers start up while the captures are indexed
        listed = _Listing()
        warcs = [(w, listed.captures(w, p)) for p in archives for w in listed.files(p, stats)]
        with index.open("wb") as handle:
            pickle.dump(CaptureIndex(warcs), handle)
        with out:
            run = _Run(stats, out, progress)
            # a core the workers leave free reads the pages; else each worker reads its own
            skips = run.skips if workers >= (os.cpu_count() or 1) else None
            run.write(pool.map_pairs(_all_tasks(inputs, url, rules, stats, listed, skips)))
            for warc, root in run.unmatched.values():  # their indexes did not match
                stats.skipped -= run.skips[str(warc.path)]  # the pass counts them again
                done = run.done.get(str(warc.path), set())
                run.write(pool.map_pairs(tasks_from_warc(warc, root, rules, stats, None, done)))
    finally:
        out.close()
        pool.close()
        scratch.cleanup()
        progress.done(stats.records)
    return stats


def _open_output(output: Path) -> TextIO:
    """``output`` opened for writing, its missing directories made; a clear error naming
    it when it cannot be (a directory, no permission, a read-only disk)."""
    try:
        return writable_output(output).open("w", encoding="utf-8")
    except OSError as exc:
        raise NewsarchiveError(f"cannot write {output}: {exc.strerror or exc}") from exc


class _Run:
    """The main process's side of a run: records written, outcomes of tasks that named
    their page counted, WARCs whose index did not match noted (their pages that the
    index did not give are extracted after the others, from a pass over the file)."""

    def __init__(self, stats: ExtractStats, out: TextIO, progress: _Progress) -> None:
        self.stats, self.out, self.progress = stats, out, progress
        self.skips: Counter[str] = Counter()  # pages skipped, by WARC path (index pass)
        self.done: dict[str, set[int]] = {}  # offsets extracted, by WARC path
        self.unmatched: dict[str, tuple[WarcFile, Path | None]] = {}

    def write(self, pairs: Iterator[tuple[Task, Result]]) -> None:
        for task, record in pairs:
            ref = task[2].get(REF)
            if isinstance(record, str) or OUTCOME not in record:
                self._record(record, ref)
                continue
            outcome = record[OUTCOME]
            if not isinstance(ref, PageRef):
                raise TypeError(f"{task[1]}: an outcome {outcome!r} for a task with its page")
            elif outcome == "skipped":
                self.stats.skipped += 1
                self.skips[ref.path] += 1
            elif ref.path not in self.unmatched:
                logger.warning("%s; reading the whole file instead", record.get("reason"))
                root = Path(ref.root) if ref.root else None
                self.unmatched[ref.path] = (WarcFile(Path(ref.path)), root)

    def _record(self, record: Result, ref: PageRef | None) -> None:
        """Write a record (or its JSON line, as a worker serialised it)."""
        line = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
        self.out.write(line + "\n")
        self.stats.records += 1
        self.progress.tick(self.stats.records)
        if isinstance(ref, PageRef):
            self.done.setdefault(ref.path, set()).add(ref.offset)


class _Listing:
    """Each input WARC's archive root and CDXJ captures, read once per run."""

    def __init__(self) -> None:
        self.found: dict[WarcFile, list[Capture] | None] = {}
        self.inputs: dict[Path, list[WarcFile]] = {}

    def files(self, source: Path, stats: ExtractStats) -> list[WarcFile]:
        """The WARCs of an input; one that cannot be listed (missing, not an archive, a
        broken WACZ) is a damaged input, reported and counted once, and the run goes on."""
        if source not in self.inputs:

            def damaged(exc: WarcReadError) -> None:
                stats.errors += 1
                logger.error("%s", exc)

            self.inputs[source] = warc_files(source, on_error=damaged)
        return self.inputs[source]

    def captures(self, warc: WarcFile, source: Path) -> list[Capture] | None:
        if warc not in self.found:
            self.found[warc] = indexed_captures(warc, archive_root_of(source.resolve()))
        return self.found[warc]


def _all_tasks(
    inputs: list[str], url: str | None, rules: Any, stats: ExtractStats,
    listed: _Listing | None = None, skips: Counter[str] | None = None,
) -> Iterator[Task]:  # fmt: skip
    """The tasks of every input; with ``skips`` (a run's count of pages skipped by WARC),
    an indexed WARC's pages are named (:func:`page_refs`), for the workers to read."""
    listed = listed or _Listing()
    for item in inputs:
        path = Path(item)
        if path.suffix.lower() in (".html", ".htm"):
            yield _html_file_task(path, url)
            continue
        path = path.resolve()  # as in run_extract: the listing is keyed by these paths
        root = archive_root_of(path)
        for warc in listed.files(path, stats):
            captures = listed.captures(warc, path)
            if captures is not None and skips is not None:
                yield from page_refs(warc, captures, root, rules, stats, skips)
            else:
                yield from tasks_from_warc(warc, root, rules, stats, captures)


def _html_file_task(path: Path, url: str | None) -> Task:
    if not url:
        raise NewsarchiveError(f"{path}: an HTML file needs --url (its address on the web)")
    text = html_text([], path.read_bytes()) or ""
    fetched = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(path.stat().st_mtime))
    context = {"outlet": None, "fetched_at": fetched, "status": 200, "warc": None}
    return text, url, {**context, "comment_pages": [], "comment_rest": None}


class _Archive:
    """What the workers of a run know of the archive: the outlet rules and the capture
    index, read at first use from the file the main process writes before the first
    task (so workers start up while it is built)."""

    def __init__(self, index: Path, rules: OutletRules) -> None:
        self.index, self.rules = index, rules

    @cached_property
    def captures(self) -> CaptureIndex:
        """The run's capture index (loaded once per worker)."""
        with self.index.open("rb") as handle:
            captures: CaptureIndex = pickle.load(handle)
        return captures


_ARCHIVE: _Archive | None = None  # in a worker process: see _use_archive

#: A page extracted once at worker start-up, so the libraries' lazy set-up (trafilatura,
#: htmldate, courlan's TLD list: 0.2 s) happens while the main process indexes captures.
#: Its text is longer than trafilatura's ``MIN_EXTRACTED_SIZE``: a shorter one sends it to
#: jusText, whose stoplists of every language take 0.7 s to load, which no page of a
#: typical run needs (none of the 1,757 pages of ``bench_extract``).
_WARM_UP_SENTENCE = "A worker reads this paragraph once, before the first archived page. "
_WARM_UP_PAGE = (
    "<html><head><title>Warm-up page</title></head><body><article><h1>Warm-up page</h1>"
    + f"<p>{_WARM_UP_SENTENCE * 4}</p>" * 3
    + "</article></body></html>"
)


def _use_archive(index: Path, rules: OutletRules) -> None:
    """Worker initializer: the run's archive for :func:`extract_archived`; a warm-up."""
    from crawler.records import build_record

    global _ARCHIVE
    _ARCHIVE = _Archive(index, rules)
    build_record(_WARM_UP_PAGE, "https://warm-up.invalid/", {"fetched_at": ""})


def extract_archived(task: Task) -> dict[str, Any]:
    """The record of an archived page (in a worker): its further comment pages and REST
    comments joined from the archive as the crawl joined them, unless the task carries
    them already; one comment-reader parse of the page serves both. A task that names
    its page (:data:`REF`) has it read here; see :data:`OUTCOME` for when it gives none."""
    from crawler.comments.dom import ParseError, parse
    from crawler.records import build_record

    html, url, context = task
    ref = context.get(REF)
    if isinstance(ref, PageRef):
        if _ARCHIVE is None:
            raise RuntimeError("extract_archived: the worker has no archive (see _use_archive)")
        try:
            loaded = load_page(ref, url, _ARCHIVE.rules)
        except WarcReadError as exc:
            return {OUTCOME: "unreadable", "reason": str(exc)}
        if loaded is None:
            return {OUTCOME: "skipped"}
        html, url, context = loaded
    try:
        doc: Element | None = parse(html)
    except ParseError:
        doc = None  # no sources; extract_comments says why
    if doc is not None and _ARCHIVE is not None and "comment_pages" not in context:
        context = {**context, **_sources(doc, html, url, context.get("outlet"), _ARCHIVE)}
    return build_record(html, url, context, comments_doc=doc)


def extract_line(task: Task) -> Result:
    """:func:`extract_archived`, a record as its JSON line: serialised in the worker, so
    the main process only writes it (an :data:`OUTCOME` stays a dict)."""
    record = extract_archived(task)
    return record if OUTCOME in record else json.dumps(record, ensure_ascii=False)


def _sources(
    doc: Element, html: str, url: str, outlet: str | None, archive: _Archive
) -> dict[str, Any]:
    """:meth:`CaptureIndex.comment_sources`; none when the archive cannot give them."""
    try:
        max_bytes = archive.rules.max_bytes(outlet)
        return archive.captures.comment_sources(doc, url, max_bytes, html)
    except Exception:  # an unreadable capture must not lose the page
        logger.exception("%s: its other comment sources could not be read", url)
        return {}


class _Progress:
    """A one-line counter on a terminal; silent otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.tty, self.started = stream, stream.isatty(), time.monotonic()

    def tick(self, count: int) -> None:
        if self.tty and count % 25 == 0:
            rate = count / max(time.monotonic() - self.started, 1e-9)
            self.stream.write(f"\rextracted {count} records ({rate:.0f}/s)")
            self.stream.flush()

    def done(self, count: int) -> None:
        if self.tty:
            self.stream.write(f"\rextracted {count} records\n")
