"""The project's own exception hierarchy: one base, specific subclasses."""

from __future__ import annotations

from pathlib import Path


class NewsarchiveError(Exception):
    """Base class of every error newsarchive raises on purpose."""


class ConfigError(NewsarchiveError):
    """An outlet or settings file is invalid; the message names file, key and value."""


class ReplayMissError(NewsarchiveError):
    """No capture of the requested URL in the replay source."""


class DiscoveryParseError(NewsarchiveError):
    """A feed, sitemap or listing page could not be parsed.

    ``kind`` is a short slug used in stats keys (``discovery/errors/<kind>``).
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def writable_output(path: Path) -> Path:
    """``path``, ready to be written as a command's output file: its missing directories
    made. A :class:`NewsarchiveError` naming it when it is a directory or its directory
    cannot be made (checked before the command's work, not after)."""
    if path.is_dir():
        raise NewsarchiveError(f"cannot write {path}: it is a directory; give a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NewsarchiveError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path
