"""The discovery ledger: every candidate URL of a crawl, where it was found, what became of it.

Archivists use it to answer "why was X (not) archived?"; tests use it to check that each
discovery kind found every article it should.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any


def utc_now_iso() -> str:
    """Current UTC time, ISO 8601 with microseconds and a Z suffix."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(slots=True)
class Provenance:
    """One sighting of a URL: the source document, its kind and the date it gave."""

    source: str  # URL of the feed, sitemap or listing page
    kind: str  # feed | sitemap | news_sitemap | section | home | robots
    date: str | None = None  # publication/modification date the source states, ISO 8601
    title: str | None = None  # title the source states (feeds, news sitemaps)
    seen_at: str = field(default_factory=utc_now_iso)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class LedgerEntry:
    """A candidate URL and its fate: scheduled, fetched, failed or filtered."""

    url: str  # canonical URL requested
    provenance: list[Provenance]
    fate: str = "scheduled"
    status: int | None = None
    final_url: str | None = None
    detail: str | None = None
    admitted_at: str | None = None  # when the request was handed to the downloader

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["provenance"] = [p.as_dict() for p in self.provenance]
        return data

    @property
    def kinds(self) -> set[str]:
        """The discovery kinds that named this URL."""
        return {p.kind for p in self.provenance}
