"""Small HTTP helpers for talking to a running FixtureSite."""

from __future__ import annotations

import http.client
import socket
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

from crawler.fixture_site import FixtureSite


@dataclass
class Fetched:
    """Status, headers and raw (undecoded) body of one response."""

    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        """Body decoded as UTF-8."""
        return self.body.decode("utf-8")


def port_of(site: FixtureSite) -> int:
    """The TCP port the site listens on."""
    port = urlsplit(site.base_url).port
    assert port is not None
    return port


def fetch(
    site: FixtureSite, target: str, method: str = "GET", headers: dict[str, str] | None = None
) -> Fetched:
    """One request on a fresh connection; the body is not content-decoded."""
    if target.startswith(site.base_url):
        target = target[len(site.base_url) :] or "/"
    conn = http.client.HTTPConnection("127.0.0.1", port_of(site), timeout=15)
    try:
        conn.request(method, target, headers=headers or {})
        resp = conn.getresponse()
        return Fetched(resp.status, resp.headers, resp.read())
    finally:
        conn.close()


def raw_request(site: FixtureSite, request: bytes) -> bytes:
    """Send raw request bytes and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port_of(site)), timeout=15) as sock:
        sock.sendall(request)
        parts: list[bytes] = []
        while chunk := sock.recv(65536):
            parts.append(chunk)
    return b"".join(parts)


def decode_chunked(body: bytes) -> list[bytes]:
    """Split an HTTP/1.1 chunked body into its chunks (terminating chunk excluded)."""
    chunks: list[bytes] = []
    while True:
        size_line, _, body = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return chunks
        chunks.append(body[:size])
        assert body[size : size + 2] == b"\r\n"
        body = body[size + 2 :]


def strip_url(url: str) -> str:
    """URL without query and fragment."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
