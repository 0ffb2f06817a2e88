"""Build WARC records from raw exchanges with warcio's record builder.

The HTTP header block of a record is the block as it crossed the wire: warcio parses
it (for its own bookkeeping: status, headers for indexes) but :class:`WireHeaders`
hands warcio the original bytes to write, so the status line keeps the server's
reason phrase and every header keeps its order, repeats, case and spacing.

Chunked responses keep their chunked framing in the record (byte-faithful). Their
``WARC-Payload-Digest`` is computed over the body as stored, framing included: that
is what warcio writes and what ``warcio check`` verifies (warcio issues #74/#75 discuss
the spec's other reading, the de-chunked entity).
"""

from __future__ import annotations

import base64
import hashlib
import socket
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecord, ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.timeutils import datetime_to_iso_date

from crawler import __version__
from crawler.capture.raw import RawExchange

REDACTED = b"REDACTED"
# WARC named field listing the request headers whose values were replaced by REDACTED.
REDACTED_FIELD = "WARC-Redacted-Headers"


class WireHeaders(StatusAndHeaders):  # type: ignore[misc]
    """warcio headers whose serialised form is the original wire bytes."""

    def __init__(self, parsed: StatusAndHeaders, wire: bytes) -> None:
        super().__init__(parsed.statusline, parsed.headers, parsed.protocol, len(wire))
        self.wire = wire

    def compute_headers_buffer(self, header_filter: Any = None) -> None:
        self.headers_buff = self.wire


def sha1_digest(data: bytes) -> str:
    """``sha1:<base32>``, the WARC digest form."""
    return _digest_form(hashlib.sha1(data).digest())


def _digest_form(sha1: bytes) -> str:
    return "sha1:" + base64.b32encode(sha1).decode("ascii")


def warc_date(when: datetime, version: str) -> str:
    """WARC-Date: UTC, with microseconds in WARC/1.1."""
    naive_utc = when.astimezone(UTC).replace(tzinfo=None)
    return str(datetime_to_iso_date(naive_utc, use_micros=version >= "1.1"))


def parse_wire_headers(wire: bytes, *, request: bool) -> WireHeaders:
    """Parse an HTTP header block leniently, keeping its bytes for writing."""
    verbs = ArcWarcRecordLoader.HTTP_VERBS if request else ["HTTP/1.0", "HTTP/1.1"]
    parsed = StatusAndHeadersParser(verbs, verify=False).parse(BytesIO(wire))
    return WireHeaders(parsed, wire)


def redact(wire: bytes, names: frozenset[str]) -> tuple[bytes, list[str]]:
    """Replace the values of the named headers; return new bytes and what was redacted."""
    lines = wire.split(b"\r\n")
    done: list[str] = []
    for i, line in enumerate(lines[1:], start=1):
        name, sep, _ = line.partition(b":")
        key = name.decode("latin-1").strip()
        if sep and key.lower() in names:
            lines[i] = name + b": " + REDACTED
            done.append(key)
    return b"\r\n".join(lines), done


class RecordFactory:
    """Makes the records of one crawl (request, response, revisit, warcinfo)."""

    def __init__(self, version: str, redact_headers: list[str]) -> None:
        self.version = version
        self.builder = RecordBuilder(warc_version=f"WARC/{version}")
        self.redact_names = frozenset(h.lower() for h in redact_headers)

    def response(
        self, uri: str, exchange: RawExchange, payload_digest: str | None = None
    ) -> ArcWarcRecord:
        """The response record (``payload_digest``: the body's, when already computed)."""
        head, body = exchange.split_response()
        return self._http_record(uri, "response", head, body, self._common(exchange),
                                 payload_digest)  # fmt: skip

    def request(self, uri: str, exchange: RawExchange, concurrent_to: str) -> ArcWarcRecord:
        head, body = exchange.split_request()
        head, redacted = redact(head, self.redact_names)
        fields = {**self._common(exchange), "WARC-Concurrent-To": concurrent_to}
        if redacted:
            fields[REDACTED_FIELD] = ", ".join(redacted)
        return self._http_record(uri, "request", head, body, fields)

    def _http_record(
        self, uri: str, kind: str, head: bytes, body: bytes, fields: dict[str, str],
        payload_digest: str | None = None,
    ) -> ArcWarcRecord:  # fmt: skip
        """A request or response record with its named fields in warcio's order and both
        digests computed here in one pass each (warcio's builder and writer would read
        the body twice more, in Python-level chunks, for the same values)."""
        block = hashlib.sha1(head)
        block.update(body)
        headers = StatusAndHeaders("", list(fields.items()), protocol=self.builder.warc_version)
        headers.add_header("WARC-Type", kind)
        headers.add_header("WARC-Record-ID", StatusAndHeadersParser.make_warc_id())
        headers.add_header("WARC-Target-URI", uri)
        headers.add_header("WARC-Payload-Digest", payload_digest or sha1_digest(body))
        headers.add_header("WARC-Block-Digest", _digest_form(block.digest()))
        return self.builder.create_warc_record(
            uri, kind, payload=BytesIO(body), length=len(body),
            http_headers=parse_wire_headers(head, request=kind == "request"), warc_headers=headers,
        )  # fmt: skip

    def revisit(
        self, uri: str, exchange: RawExchange, digest: str, refers_to: tuple[str, str]
    ) -> ArcWarcRecord:
        head, _ = exchange.split_response()
        record = self.builder.create_revisit_record(
            uri, digest, refers_to[0], refers_to[1],
            http_headers=parse_wire_headers(head, request=False),
            warc_headers_dict=self._common(exchange),
        )  # fmt: skip
        return record

    def metadata(self, uri: str, refers_to: str, fields: dict[str, str]) -> ArcWarcRecord:
        """A ``metadata`` record (warc-fields) about the record ``refers_to``."""
        body = "".join(f"{k}: {v}\r\n" for k, v in fields.items()).encode("utf-8")
        headers = {"WARC-Refers-To": refers_to, "WARC-Concurrent-To": refers_to}
        return self.builder.create_warc_record(
            uri, "metadata", payload=BytesIO(body), length=len(body),
            warc_content_type="application/warc-fields", warc_headers_dict=headers,
        )  # fmt: skip

    def warcinfo(self, filename: str, info: dict[str, str]) -> ArcWarcRecord:
        fields = {
            "software": f"newsarchive/{__version__} (warcio)",
            "format": f"WARC File Format {self.version}",
            "conformsTo": _CONFORMS[self.version],
            "hostname": socket.gethostname(),
            **info,
        }
        return self.builder.create_warcinfo_record(filename, fields)

    def _common(self, exchange: RawExchange) -> dict[str, str]:
        fields = {"WARC-Date": warc_date(exchange.started, self.version)}
        if exchange.peer_ip:
            fields["WARC-IP-Address"] = exchange.peer_ip
        return fields


_CONFORMS = {
    "1.0": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf",
    "1.1": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
}
