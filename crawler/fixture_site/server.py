"""HTTP server of the fixture outlet: threading, keep-alive, request log."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from crawler.fixture_site.builder import build_model, default_now
from crawler.fixture_site.edge import EdgeCases
from crawler.fixture_site.model import SiteKind, SiteModel
from crawler.fixture_site.response import Response
from crawler.fixture_site.routes import Router, TagDivRouter, WordPressRouter

logger = logging.getLogger(__name__)

_KINDS: tuple[SiteKind, ...] = ("wordpress", "tagdiv")


@dataclass(frozen=True)
class RequestLogEntry:
    """One served request; ``time`` is ``time.monotonic()`` when the request arrived."""

    time: float
    method: str
    path: str
    status: int
    user_agent: str
    headers: dict[str, str]
    # With ``record_wire``: the bytes received for the request and sent for the response.
    received: bytes = b""
    sent: bytearray = field(default_factory=bytearray)


class _TeeReader:
    """rfile wrapper keeping what the handler reads (request line, headers, body)."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self.buffer = bytearray()

    def readline(self, *args: Any) -> bytes:
        line: bytes = self._raw.readline(*args)
        self.buffer.extend(line)
        return line

    def read(self, *args: Any) -> bytes:
        data: bytes = self._raw.read(*args)
        self.buffer.extend(data)
        return data

    def take(self) -> bytes:
        data = bytes(self.buffer)
        self.buffer.clear()
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class _TeeWriter:
    """wfile wrapper copying what is written to the current log entry."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self.target: bytearray | None = None

    def write(self, data: bytes) -> int:
        if self.target is not None:
            self.target.extend(data)
        return int(self._raw.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class _Server(ThreadingHTTPServer):
    """Threading server that can force its open keep-alive connections closed."""

    daemon_threads = True

    def __init__(self, site: FixtureSite) -> None:
        """Bind 127.0.0.1 on the site's port (0: a free one)."""
        self.site = site
        self._connections: set[socket.socket] = set()
        self._cond = threading.Condition()
        super().__init__(("127.0.0.1", site.port), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Track the connection, then hand it to a worker thread."""
        with self._cond:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Close the connection and stop tracking it."""
        super().shutdown_request(request)
        with self._cond:
            self._connections.discard(request)
            self._cond.notify_all()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up (a crawler refusing an oversized page) is not an error."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionResetError, BrokenPipeError)):
            logger.debug("client %s went away: %s", client_address, exc)
            return
        super().handle_error(request, client_address)

    def close_connections(self, timeout: float) -> None:
        """Shut down every open connection and wait for its worker to finish."""
        with self._cond:
            for conn in list(self._connections):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
            self._cond.wait_for(lambda: not self._connections, timeout)


class _Handler(BaseHTTPRequestHandler):
    """Serve every request from the site's router over HTTP/1.1 keep-alive."""

    protocol_version = "HTTP/1.1"
    server_version = "FixtureOutlet/1.0"
    timeout = 30
    server: _Server

    def setup(self) -> None:
        """Wrap the connection's files when the site records wire bytes."""
        super().setup()
        if self.server.site.record_wire:
            self.rfile = _TeeReader(self.rfile)  # type: ignore[assignment]
            self.wfile = _TeeWriter(self.wfile)  # type: ignore[assignment]

    def do_GET(self) -> None:
        """Serve GET."""
        self._serve(head=False)

    def do_HEAD(self) -> None:
        """Serve HEAD (headers only)."""
        self._serve(head=True)

    def do_POST(self) -> None:
        """Refuse POST after draining its body."""
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._send(
            Response(405, b"Method Not Allowed", "text/plain", [("Allow", "GET, HEAD")]), head=False
        )

    def log_message(self, format: str, *args: Any) -> None:
        """Route the stdlib access log to ``logging`` at DEBUG."""
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s %s", self.address_string(), format % args)

    def _serve(self, head: bool) -> None:
        """Route the request and send the response."""
        # Stamp arrival before routing: slow pages (the gzip bomb, huge pages) must not
        # shift the time the request log gives for when the crawler asked.
        self.arrived = time.monotonic()
        try:
            response = self.server.site.router.route(self.path)
        except Exception:
            logger.exception("fixture outlet failed on %s", self.path)
            response = Response(500, b"Internal Server Error", "text/plain")
        self._send(response, head)

    def _send(self, response: Response, head: bool) -> None:
        """Log, then write status, headers and (unless HEAD) the body."""
        self.server.site.record(self, response.status)
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        chunked = response.stream is not None and response.length is None
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            length = response.length if response.stream else len(response.body)
            self.send_header("Content-Length", str(length))
        self.end_headers()
        if head:
            return
        try:
            self._write_body(response, chunked)
        except (BrokenPipeError, ConnectionResetError):
            logger.debug("client went away during %s", self.path)
            self.close_connection = True

    def _write_body(self, response: Response, chunked: bool) -> None:
        """Write the body, framing each chunk when ``chunked``."""
        if response.stream is None:
            self.wfile.write(response.body)
            return
        for chunk in response.stream():
            if not chunk:
                continue
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            else:
                self.wfile.write(chunk)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")


class FixtureSite:
    """A deterministic local news outlet served on 127.0.0.1 (see package docs)."""

    def __init__(
        self,
        kind: SiteKind = "wordpress",
        articles: int = 24,
        seed: int = 7,
        crawl_delay: float = 0.2,
        now: datetime | None = None,
        huge_bytes: int = 3_000_000,
        record_wire: bool = False,
        port: int = 0,
    ) -> None:
        """Build the model now; nothing listens until :meth:`start`."""
        if kind not in _KINDS:
            raise ValueError(f"kind must be one of {_KINDS}, got {kind!r}")
        self.kind: SiteKind = kind
        self.crawl_delay = crawl_delay
        self.huge_bytes = huge_bytes
        self.record_wire = record_wire
        self.port = port  # 0: any free port (tests); fixed only for recording fixtures
        self.now = now if now is not None else default_now()
        self.model: SiteModel = build_model(kind, articles, seed, self.now)
        self.edges = EdgeCases(self.model, huge_bytes)
        self.router: Router = (
            WordPressRouter(self.model, crawl_delay, self.edges)
            if kind == "wordpress"
            else TagDivRouter(self.model, crawl_delay)
        )
        self._log: list[RequestLogEntry] = []
        self._log_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash); only valid once started."""
        if self._server is None:
            raise RuntimeError("FixtureSite is not started")
        return self.model.base_url

    @property
    def request_log(self) -> list[RequestLogEntry]:
        """The live request log (appended to by server threads)."""
        return self._log

    def reset_log(self) -> None:
        """Empty the request log in place."""
        with self._log_lock:
            self._log.clear()

    def reset_state(self) -> None:
        """Make ``rate_limited`` and ``flaky`` fail on their next request again."""
        self.edges.reset()

    def record(self, handler: BaseHTTPRequestHandler, status: int) -> None:
        """Append a :class:`RequestLogEntry` for the request ``handler`` is serving."""
        entry = RequestLogEntry(
            time=getattr(handler, "arrived", None) or time.monotonic(),
            method=handler.command,
            path=handler.path,
            status=status,
            user_agent=handler.headers.get("User-Agent", ""),
            headers=dict(handler.headers.items()),
        )
        if isinstance(handler.rfile, _TeeReader) and isinstance(handler.wfile, _TeeWriter):
            entry = dataclasses.replace(entry, received=handler.rfile.take())
            handler.wfile.target = entry.sent
        with self._log_lock:
            self._log.append(entry)

    def start(self) -> FixtureSite:
        """Bind a free port on 127.0.0.1 and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("FixtureSite is already started")
        server = _Server(self)
        port = server.server_address[1]
        self.model.set_base_url(f"http://127.0.0.1:{port}")
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fixture-site-{port}",
            daemon=True,
        )
        self._thread.start()
        logger.info("fixture %s outlet serving at %s", self.kind, self.model.base_url)
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and release the port."""
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.close_connections(timeout=5.0)
        server.server_close()
        if thread is not None:
            thread.join(timeout=5.0)
        self._server = self._thread = None
        logger.info("fixture %s outlet stopped", self.kind)

    def __enter__(self) -> FixtureSite:
        """Start and return the site."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the site."""
        self.stop()
