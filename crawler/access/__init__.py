"""Researcher access: the capture catalog and the API behind ``snapshots``, ``get``,
``export`` and ``search`` (see :mod:`crawler.access.api`)."""

from __future__ import annotations

from crawler.access.api import Archive, UnknownURLError, open_archive

__all__ = ["Archive", "UnknownURLError", "open_archive"]
