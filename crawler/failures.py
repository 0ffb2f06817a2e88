"""Name why a request failed: a short kind for stats keys, and a message for logs."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectError, DNSLookupError, TimeoutError

from crawler.errors import ReplayMissError
from crawler.safety import refusal_for_host


class RefusedRequest(IgnoreRequest):
    """A middleware refused a request by policy; ``kind`` names the rule (stats slug)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


_UNREACHABLE = (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DNSLookupError,
    ConnectError,
)


def failure_kind(exc: BaseException) -> str | None:
    """Stats slug for ``exc``; None for requests a middleware dropped and counted itself."""
    text = str(exc)
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}"
    if isinstance(exc, DownloadCancelledError) or "DOWNLOAD_MAXSIZE" in text:
        return "too_large"  # over the cap on the wire, or when decompressed
    if isinstance(exc, ReplayMissError):
        return "replay_missing"
    if isinstance(exc, RefusedRequest):
        return exc.kind
    if "robots.txt" in text and isinstance(exc, IgnoreRequest):
        return "robots_disallowed"
    if "network.allow_private" in text:
        return "refused_address"  # crawler.safety refused an IP-literal URL
    if isinstance(exc, IgnoreRequest):
        return None
    if isinstance(exc, DownloadTimeoutError | TimeoutError):
        return "timeout"
    if isinstance(exc, _UNREACHABLE):
        return "unreachable"
    if isinstance(exc, ResponseDataLossError):
        return "data_loss"
    return type(exc).__name__.lower()


def classify(exc: BaseException | None, host: str) -> tuple[str | None, str]:
    """(kind, message) for a failed request to ``host``.

    Scrapy reports a lookup the safety resolver refused as a plain DNS failure; the
    resolver's own message is looked up so the refusal is named as such.
    """
    if exc is None:
        return "unknown", "failure without an exception"
    kind = failure_kind(exc)
    refused = refusal_for_host(host) if kind == "unreachable" else None
    if refused:
        return "refused_address", refused
    if isinstance(exc, HttpError):
        return kind, f"HTTP status {exc.response.status}"
    return kind, f"{type(exc).__name__}: {exc}"
