"""Scrapy's memory-usage extension, measuring this process's own memory.

Scrapy's ``MemoryUsage`` reads ``ru_maxrss``. On Linux that figure survives exec(): the
process starting a crawl hands over its own peak (the forked copy of its address space is
counted before exec replaces it). A crawl started by a large process (a scheduler, a
benchmark serving a 30,000-article fixture outlet from memory) then reports that peak as
its own in ``memusage/startup`` and ``memusage/max``, and with ``MEMUSAGE_LIMIT_MB`` set
would stop at once. (That benchmark's crawl reported 240 MB at start-up; the crawl's own
peak was 136 MB.)

:class:`ProcessMemoryUsage` reads the peak from ``VmHWM`` in ``/proc/self/status``, the
high-water mark of this process's own address space, where there is one; elsewhere
``ru_maxrss`` as before. The stats keys and settings are Scrapy's.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.extensions.memusage import MemoryUsage


def peak_rss(pid: int | None = None) -> int | None:
    """The peak resident set size in bytes (``VmHWM``) of process ``pid`` (None: this
    one); None where the kernel does not say (not Linux, no such process)."""
    return status_bytes("VmHWM", pid)


def status_bytes(field: str, pid: int | None = None) -> int | None:
    """A memory figure of ``/proc/<pid>/status`` (``VmHWM``, ``VmRSS`` ...) in bytes, of
    process ``pid`` (None: this one); None where the kernel does not say."""
    status = Path("/proc", str(pid) if pid is not None else "self", "status")
    key = f"{field}:".encode()
    try:
        with status.open("rb") as lines:
            for line in lines:
                if line.startswith(key):
                    return int(line.split()[1]) * 1024  # the kernel writes kB
    except (OSError, ValueError, IndexError):
        return None
    return None


class ProcessMemoryUsage(MemoryUsage):
    """:class:`scrapy.extensions.memusage.MemoryUsage` with the peak of this process only."""

    def get_virtual_size(self) -> int:
        peak = peak_rss()
        return peak if peak is not None else super().get_virtual_size()
