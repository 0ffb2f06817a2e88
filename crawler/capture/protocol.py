"""A Twisted HTTP/1.1 client protocol that keeps the raw bytes of each exchange.

Scrapy's HTTP/1.1 handler parses responses with Twisted, which decodes chunked transfer
coding and keeps headers in a dict; the wire form is gone before any middleware runs.
This protocol tees the connection instead: bytes written by the request and bytes
received for the response are appended to a :class:`RawExchange` per request (HTTP/1.1
without pipelining: one exchange at a time per connection). Over TLS the tee sits above
the TLS layer, so it sees the HTTP bytes, not the ciphertext.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers.http11 import (
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
)

from crawler.capture.raw import RawExchange

if TYPE_CHECKING:
    from twisted.internet.defer import Deferred
    from twisted.internet.interfaces import IAddress, ITransport
    from twisted.web._newclient import Request as TxRequest
    from twisted.web.iweb import IResponse

# Attribute set on Twisted responses carrying their RawExchange.
CAPTURE_ATTRIBUTE = "_newsarchive_capture"


class _TeeTransport:
    """Transport proxy copying every outgoing byte to the protocol's current exchange."""

    def __init__(self, transport: Any, protocol: CapturingHTTP11ClientProtocol) -> None:
        self._transport = transport
        self._protocol = protocol

    def write(self, data: bytes) -> None:
        self._protocol.sent(data)
        self._transport.write(data)

    def writeSequence(self, data: Iterable[bytes]) -> None:
        chunks = list(data)
        self._protocol.sent(b"".join(chunks))
        self._transport.writeSequence(chunks)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class CapturingHTTP11ClientProtocol(_LenientHTTP11ClientProtocol):
    """Scrapy's lenient HTTP/1.1 protocol, recording each exchange's raw bytes."""

    _exchange: RawExchange | None = None

    def makeConnection(self, transport: ITransport) -> None:
        super().makeConnection(_TeeTransport(transport, self))  # type: ignore[no-untyped-call]

    def request(self, request: TxRequest) -> Deferred[IResponse]:
        exchange = self._exchange = RawExchange()
        peer = getattr(self.transport, "getPeer", None)
        exchange.peer_ip = getattr(peer(), "host", None) if peer else None
        deferred = super().request(request)

        def attach(response: IResponse) -> IResponse:
            setattr(response, CAPTURE_ATTRIBUTE, exchange)
            return response

        deferred.addCallback(attach)
        return deferred

    def sent(self, data: bytes) -> None:
        """Record outgoing bytes of the current exchange."""
        if self._exchange is not None:
            self._exchange.request.extend(data)

    def dataReceived(self, data: bytes) -> None:
        if self._exchange is not None:
            self._exchange.response.extend(data)
        super().dataReceived(data)  # type: ignore[no-untyped-call]


class CapturingHTTP11ClientFactory(_LenientHTTP11ClientFactory):
    """Builds :class:`CapturingHTTP11ClientProtocol` connections for the pool."""

    def buildProtocol(self, addr: IAddress | None) -> CapturingHTTP11ClientProtocol:
        return CapturingHTTP11ClientProtocol(self._quiescentCallback)  # type: ignore[no-untyped-call]
