"""CDXJ capture indexes written with cdxj-indexer (the pywb/webrecorder format).

An index is built in bounded memory whatever the WARC's size: cdxj-indexer writes its lines
to a scratch file in the temporary directory, sorted in runs of :data:`SORT_RUN_LINES` lines
merged from disk. (Building and sorting them as one string took 45 MB at the end of a
10,000-article crawl, growing with the WARC.)

cdxj-indexer copies the decoded content of every record aside while it pairs requests with
responses, though it reads only request bodies (the POST/PUT key suffix); a response of
highly compressed markup inflated 40 MB in one step there. Only request records are copied
now: the index lines are unchanged (checked on a crawl's WARC) and the memory is flat.
"""

from __future__ import annotations

import heapq
import io
import logging
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import cdxj_indexer.bufferiter
from cdxj_indexer import CDXJIndexer

import crawler.warcio_compat  # noqa: F401 - br records readable
from crawler.archive import write_lines_atomically

logger = logging.getLogger(__name__)

_buffer_content = cdxj_indexer.bufferiter.buffer_record_content


def _buffer_request_content(record: Any) -> None:
    """cdxj-indexer's content copy, for request records only (the others' is never read)."""
    if record.rec_type == "request":
        _buffer_content(record)
    else:
        record.buffered_stream = io.BytesIO()


cdxj_indexer.bufferiter.buffer_record_content = _buffer_request_content

#: Lines sorted in memory at once (about 400 bytes each: some 4 MB of lines, about 8 MB
#: at the peak). 50,000 had put a 44 MB transient at the end of a 26,000-article crawl.
SORT_RUN_LINES = 10_000


def write_index(warc: Path, out: Path, filename: str) -> None:
    """Index ``warc`` into ``out``, sorted; ``filename`` is what each line names. The index
    is written as ``out.open`` and renamed when complete."""
    with tempfile.TemporaryDirectory(prefix="newsarchive-cdxj-") as scratch:
        unsorted = Path(scratch) / "unsorted.cdxj"
        with unsorted.open("w", encoding="utf-8") as handle:
            indexer = CDXJIndexer(output=handle, inputs=[str(warc)], post_append=True,
                                  filename=filename)  # fmt: skip
            indexer.process_all()
        write_lines_atomically(out, sorted_lines(unsorted, Path(scratch)))
    logger.info("Indexed %s -> %s", warc.name, out)


def sorted_lines(source: Path, scratch: Path, run_lines: int = SORT_RUN_LINES) -> Iterator[bytes]:
    """The non-empty lines of ``source`` in byte order (each ending in a newline); runs of
    ``run_lines`` are sorted in memory and, when there is more than one, merged from
    files in ``scratch``."""
    runs: list[Path] = []
    with source.open("rb") as handle:
        while True:
            run = sorted(_lines(handle, run_lines))
            if not run:
                break
            if not runs and len(run) < run_lines:  # the whole index fits in one run
                yield from run
                return
            path = scratch / f"run-{len(runs)}"
            with path.open("wb") as run_file:
                run_file.writelines(run)  # not joined: that would copy the run once more
            runs.append(path)
    files = [path.open("rb") for path in runs]
    try:
        yield from heapq.merge(*files)
    finally:
        for file in files:
            file.close()


def _lines(handle: Iterable[bytes], limit: int) -> list[bytes]:
    """Up to ``limit`` non-empty lines from ``handle``, each with a trailing newline."""
    lines: list[bytes] = []
    for line in handle:
        if line.strip():
            lines.append(line if line.endswith(b"\n") else line + b"\n")
            if len(lines) >= limit:
                break
    return lines
