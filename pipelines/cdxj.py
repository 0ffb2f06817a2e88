"""CDXJ capture indexes written with cdxj-indexer (the pywb/webrecorder format)."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from cdxj_indexer import CDXJIndexer

import crawler.warcio_compat  # noqa: F401 - br records readable
from crawler.archive import write_atomically

logger = logging.getLogger(__name__)


def cdxj_lines(warc: Path, filename: str) -> bytes:
    """The sorted CDXJ index of one WARC; ``filename`` is what each line names."""
    buffer = io.StringIO()
    indexer = CDXJIndexer(output=buffer, inputs=[str(warc)], post_append=True, filename=filename)
    indexer.process_all()
    lines = sorted(line for line in buffer.getvalue().splitlines() if line)
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def write_index(warc: Path, out: Path, filename: str) -> None:
    """Index ``warc`` into ``out`` (written as .open, renamed when complete)."""
    write_atomically(out, cdxj_lines(warc, filename))
    logger.info("Indexed %s -> %s", warc.name, out)
