"""Reading one capture out of the store with ranged reads.

A capture's response record is one gzip member at a known offset and length (CDXJ); the
writer puts the exchange's ``request`` record right after it. One ranged read of the
response plus :data:`REQUEST_WINDOW` bytes therefore brings both: the response, and the
request when it follows and names the response in ``WARC-Concurrent-To``.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

from warcio.archiveiterator import ArchiveIterator

import crawler.warcio_compat  # noqa: F401 - br payloads decodable
from crawler.access.catalog import Capture
from crawler.errors import NewsarchiveError
from crawler.store.backends import Store

#: Bytes read past the response for its request record. Request records of this crawler
#: are 0.5-2 KB gzipped (a GET and its headers); 16 KiB leaves room for long cookies and
#: costs nothing noticeable on a ranged read. A request that does not fit is left out.
REQUEST_WINDOW = 16 * 1024
#: Decompressed bytes inspected for a record's WARC headers.
HEADER_PEEK = 64 * 1024


class CaptureReadError(NewsarchiveError):
    """The bytes at a capture's WARC location are not its record (names key and offset)."""


@dataclass(frozen=True)
class WarcRecords:
    """A capture's records as stored: gzip members, response first."""

    response: bytes
    request: bytes | None

    @property
    def data(self) -> bytes:
        """The records as a small WARC file (gzip members concatenated)."""
        return self.response + (self.request or b"")


def warc_headers(member: bytes) -> dict[str, str]:
    """The WARC header fields of one gzipped record (names lower-cased)."""
    try:
        head = zlib.decompressobj(wbits=31).decompress(member, HEADER_PEEK)
    except zlib.error:
        return {}
    block = head.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
    fields = {}
    for line in block.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    return fields


def _next_member(data: bytes) -> bytes | None:
    """The complete gzip member at the start of ``data``, or None when it is cut off.
    (``data`` is at most :data:`REQUEST_WINDOW` bytes, so decompressing it whole is cheap.)"""
    decompressor = zlib.decompressobj(wbits=31)
    try:
        decompressor.decompress(data)
    except zlib.error:
        return None
    if not decompressor.eof:
        return None
    return data[: len(data) - len(decompressor.unused_data)]


def read_records(store: Store, capture: Capture) -> WarcRecords:
    """The capture's response record and its request record: one ranged read."""
    if capture.warc_key is None or capture.warc_offset is None or not capture.warc_length:
        raise CaptureReadError(f"capture of {capture.url} at {capture.fetched_at} has no"
                               " WARC location in the catalog")  # fmt: skip
    length = capture.warc_length
    data = store.read_range(capture.warc_key, capture.warc_offset, length + REQUEST_WINDOW)
    response = data[:length]
    fields = warc_headers(response)
    if len(response) < length or fields.get("warc-target-uri") != capture.url:
        raise CaptureReadError(
            f"{store.description}: {capture.warc_key} at offset {capture.warc_offset}"
            f" (length {length}) is not the capture of {capture.url}"
        )
    request = _next_member(data[length:]) if len(data) > length else None
    if request is not None:
        following = warc_headers(request)
        if following.get("warc-type") != "request" or following.get(
            "warc-concurrent-to"
        ) != fields.get("warc-record-id"):
            request = None
    return WarcRecords(response, request)


def payload(response: bytes) -> bytes:
    """The HTTP body of a response record, de-chunked and content-decoded (gzip, br)."""
    for record in ArchiveIterator(io.BytesIO(response)):
        return bytes(record.content_stream().read())
    raise CaptureReadError("no WARC record in the bytes read")
