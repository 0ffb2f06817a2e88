"""The bytes of one HTTP exchange exactly as they crossed the connection."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

_HEADER_END = b"\r\n\r\n"


@dataclass(slots=True)
class RawExchange:
    """Request bytes as sent and response bytes as received, with when and from where.

    ``response`` is everything the server sent for this request: status line, header
    block and body, still content-encoded and, where the server used it, still in
    chunked transfer coding.
    """

    request: bytearray = field(default_factory=bytearray)
    response: bytearray = field(default_factory=bytearray)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    peer_ip: str | None = None

    def split_response(self) -> tuple[bytes, bytes]:
        """(header block including the blank line, body) of the response."""
        return _split(bytes(self.response))

    def split_request(self) -> tuple[bytes, bytes]:
        """(header block including the blank line, body) of the request."""
        return _split(bytes(self.request))


def _split(data: bytes) -> tuple[bytes, bytes]:
    end = data.find(_HEADER_END)
    if end < 0:
        return data, b""
    cut = end + len(_HEADER_END)
    return data[:cut], data[cut:]
