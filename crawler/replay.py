"""Replay: a download handler that answers requests from recorded WARCs.

With ``REPLAY_SOURCE`` set (a ``.warc.gz``, ``.wacz`` or directory) every HTTP(S)
request is served from the captures instead of the network, so a whole crawl runs
offline with the results it had when recorded. Captures of one URL are served in the
order they were recorded (a 429 then its 200, a 500 then its retry), the last one
repeating. Responses look as they did leaving Scrapy's HTTP/1.1 handler: chunked
transfer coding removed, content coding kept (HttpCompressionMiddleware decodes it).
A request with no capture fails with :class:`ReplayMissError` naming the URL and the
source, or gets a 404 when ``REPLAY_MISSING_404`` is on.
"""

from __future__ import annotations

import io
import ipaddress
import logging
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from warcio.bufferedreaders import ChunkedDataReader
from warcio.timeutils import iso_date_to_datetime

from crawler.errors import NewsarchiveError, ReplayMissError
from crawler.urls import canonicalize
from crawler.warc_reader import WarcFile, WarcReadError, iter_records, read_record_at, warc_files

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from warcio.recordloader import ArcWarcRecord

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Capture:
    """Where a response (or the original of a revisit) lives."""

    warc: WarcFile
    offset: int
    payload_from: tuple[WarcFile, int] | None = None  # a revisit's original


class ReplayIndex:
    """Every response/revisit capture of a source, by URL, in recorded order."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.by_url: dict[str, deque[Capture]] = defaultdict(deque)
        self.earliest: datetime | None = None
        self.errors: list[str] = []
        originals: dict[tuple[str, str], tuple[WarcFile, int]] = {}
        for warc in warc_files(source):
            self._scan(warc, originals)

    def _scan(self, warc: WarcFile, originals: dict[tuple[str, str], tuple[WarcFile, int]]) -> None:
        try:
            for offset, record, _ in iter_records(warc):
                self._add(warc, offset, record, originals)
        except WarcReadError as exc:
            logger.error("%s (captures before it are served)", exc)
            self.errors.append(str(exc))

    def _add(
        self,
        warc: WarcFile,
        offset: int,
        record: ArcWarcRecord,
        originals: dict[tuple[str, str], tuple[WarcFile, int]],
    ) -> None:
        headers = record.rec_headers
        date = headers.get_header("WARC-Date") or ""
        if date and (self.earliest is None or iso_date_to_datetime(date) < self.earliest):
            self.earliest = iso_date_to_datetime(date)
        uri = headers.get_header("WARC-Target-URI")
        if record.rec_type == "response":
            originals[(uri, date)] = (warc, offset)
            self.by_url[uri].append(Capture(warc, offset))
        elif record.rec_type == "revisit":
            refers = (
                headers.get_header("WARC-Refers-To-Target-URI"),
                headers.get_header("WARC-Refers-To-Date"),
            )
            self.by_url[uri].append(Capture(warc, offset, originals.get(refers)))

    def take(self, url: str) -> Capture | None:
        """The next capture of ``url`` (exact, else canonical match); the last repeats."""
        queue = self.by_url.get(url) or self._canonical(url)
        if not queue:
            return None
        return queue.popleft() if len(queue) > 1 else queue[0]

    def _canonical(self, url: str) -> deque[Capture] | None:
        key = canonicalize(url)
        for uri, queue in self.by_url.items():
            if canonicalize(uri) == key:
                return queue
        return None


def replay_reference_time(source: str) -> datetime | None:
    """When the source was recorded (its earliest WARC-Date), for time-relative rules."""
    for warc in warc_files(source):
        for _, record, _ in iter_records(warc):
            date = record.rec_headers.get_header("WARC-Date")
            if date:
                when: datetime = iso_date_to_datetime(date)
                return when
    return None


def build_response(url: str, capture: Capture) -> Response:
    """A Scrapy response from a capture, as Scrapy's HTTP/1.1 handler would build it."""
    record, raw = read_record_at(capture.warc, capture.offset)
    if capture.payload_from is not None:
        _, raw = read_record_at(*capture.payload_from)
    http = record.http_headers
    chunked = (http.get_header("Transfer-Encoding") or "").lower() == "chunked"
    body = ChunkedDataReader(io.BytesIO(raw)).read() if chunked else raw
    headers = Headers([(k, v) for k, v in http.headers if k.lower() != "transfer-encoding"])
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    status = int(http.get_statuscode() or 200)
    ip = record.rec_headers.get_header("WARC-IP-Address")
    return cls(url=url, status=status, headers=headers, body=body, flags=["replayed"],
               ip_address=_ip(ip), protocol=http.protocol or None)  # fmt: skip


def _ip(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value) if value else None
    except ValueError:
        return None


class ReplayDownloadHandler:
    """Scrapy download handler serving http(s) from ``REPLAY_SOURCE``."""

    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        source = crawler.settings.get("REPLAY_SOURCE")
        if not source:
            raise NewsarchiveError("ReplayDownloadHandler needs the REPLAY_SOURCE setting")
        self.index = ReplayIndex(str(source))
        self.missing_404 = crawler.settings.getbool("REPLAY_MISSING_404")
        self.stats = crawler.stats
        logger.info("Replaying %d URLs from %s", len(self.index.by_url), source)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def download_request(self, request: Request) -> Response:
        capture = self.index.take(request.url)
        if capture is None:
            self.stats.inc_value("replay/missing")
            if self.missing_404:
                return Response(request.url, status=404, flags=["replayed", "missing"])
            raise ReplayMissError(f"no capture of {request.url} in {self.index.source}")
        self.stats.inc_value("replay/served")
        return build_response(request.url, capture)

    async def close(self) -> None:
        return None
