"""Test helpers that read WARC files independently of the code under test."""

from __future__ import annotations

import gzip
import io
import zlib
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.cli import main as warcio_main

import crawler.warcio_compat  # noqa: F401 - warcio reads br records


@dataclass
class Member:
    """One gzip member of a WARC: its WARC headers and its block, as bytes."""

    offset: int
    length: int
    headers: dict[str, str]
    block: bytes

    @property
    def type(self) -> str:
        return self.headers["WARC-Type"]


def members(path: Path) -> list[Member]:
    """Every record of a gzipped WARC, split by hand (one gzip member per record)."""
    data, out, offset = path.read_bytes(), [], 0
    while offset < len(data):
        decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
        raw = decomp.decompress(data[offset:])
        length = len(data) - offset - len(decomp.unused_data)
        head, _, rest = raw.partition(b"\r\n\r\n")
        lines = head.decode("utf-8").split("\r\n")[1:]
        headers = dict(line.split(": ", 1) for line in lines)
        block = rest[: int(headers["Content-Length"])]
        out.append(Member(offset, length, headers, block))
        offset += length
    return out


def warcio_check(*paths: Path) -> tuple[int, str]:
    """Run ``warcio check -v`` in process; (exit status, output)."""
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        try:
            warcio_main(["check", "-v", *map(str, paths)])
            status = 0
        except SystemExit as exc:
            status = int(exc.code or 0)
    return status, buffer.getvalue()


def iterate(path: Path) -> list[tuple[str, str | None, bytes]]:
    """(type, target URI, decoded content) of each record, read with warcio."""
    out = []
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            uri = record.rec_headers.get_header("WARC-Target-URI")
            out.append((record.rec_type, uri, record.content_stream().read()))
    return out


def gunzip_all(path: Path) -> bytes:
    """The whole WARC decompressed (to search for strings)."""
    return gzip.decompress(path.read_bytes())
