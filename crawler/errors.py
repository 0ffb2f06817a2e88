"""The project's own exception hierarchy: one base, specific subclasses."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class NewsarchiveError(Exception):
    """Base class of every error newsarchive raises on purpose."""


class ConfigError(NewsarchiveError):
    """An outlet or settings file is invalid; the message names file, key and value."""


class RefusedRequest(IgnoreRequest):
    """A middleware refused a request by policy; ``kind`` names the rule (stats slug)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class ReplayMissError(NewsarchiveError):
    """No capture of the requested URL in the replay source."""


class DiscoveryParseError(NewsarchiveError):
    """A feed, sitemap or listing page could not be parsed.

    ``kind`` is a short slug used in stats keys (``discovery/errors/<kind>``).
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
