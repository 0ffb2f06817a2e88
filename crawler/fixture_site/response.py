"""The server-independent response value that routes produce."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

HTML_TYPE = "text/html; charset=UTF-8"


@dataclass
class Response:
    """One HTTP response.

    ``body`` is sent with a ``Content-Length``. When ``stream`` is set it is
    called to produce the body chunks instead: with ``length`` given the
    response carries that ``Content-Length``, otherwise it is sent with
    ``Transfer-Encoding: chunked`` (one HTTP chunk per produced chunk).
    """

    status: int
    body: bytes = b""
    content_type: str | None = HTML_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)
    stream: Callable[[], Iterable[bytes]] | None = None
    length: int | None = None


def html(text: str, status: int = 200) -> Response:
    """A UTF-8 HTML response."""
    return Response(status, text.encode("utf-8"))


def redirect(location: str, status: int = 301) -> Response:
    """A redirect with a short HTML body; ``location`` is sent verbatim."""
    body = f'<html><body><a href="{location}">Moved</a></body></html>'.encode()
    return Response(status, body, headers=[("Location", location)])


def text(body: str, content_type: str, status: int = 200) -> Response:
    """A UTF-8 text response of ``content_type`` (charset appended)."""
    return Response(status, body.encode("utf-8"), f"{content_type}; charset=UTF-8")
