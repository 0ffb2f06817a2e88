"""Pending requests on disk: a per-crawl Scrapy ``JOBDIR`` under the local state directory.

Discovery can name tens of thousands of articles in its first seconds (a sitemap of a big
outlet); held as Request objects in memory they made a crawl's memory grow with the outlet
(96 -> 136 MB for a 10,000-article fixture outlet). With ``CRAWL_QUEUE_ON_DISK`` (the
default) the add-on points Scrapy's ``JOBDIR`` at ``<local root>/state/queues/<pid>-<token>``
so the scheduler keeps its queue in Scrapy's pickle disk queues; :class:`QueueDirCleanup`
removes the directory when the engine stops, and removes those a killed crawl left
(their process is gone) when the next crawl starts. A ``JOBDIR`` the user sets is theirs:
it is used as given and never removed.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.archive import settings_root

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

#: Setting naming the JOBDIR this project made (so only that one is removed).
OWN_JOBDIR = "NEWSARCHIVE_OWN_JOBDIR"


def queue_area(settings: BaseSettings) -> Path:
    """``<local root>/state/queues``."""
    return settings_root(settings) / "state" / "queues"


def assign_jobdir(settings: BaseSettings, priority: str) -> None:
    """Point ``JOBDIR`` at a fresh per-crawl directory unless the user set one."""
    if not settings.getbool("CRAWL_QUEUE_ON_DISK") or settings.get("JOBDIR"):
        return
    jobdir = queue_area(settings) / f"{os.getpid()}-{secrets.token_hex(4)}"
    settings.set("JOBDIR", str(jobdir), priority=priority)
    settings.set(OWN_JOBDIR, str(jobdir), priority=priority)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(area: Path) -> list[Path]:
    """Remove queue directories whose crawl process is gone; return them."""
    removed = []
    for path in sorted(area.glob("*-*")) if area.is_dir() else []:
        pid = path.name.split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


class QueueDirCleanup:
    """Extension: remove this crawl's own queue directory when the engine stops."""

    def __init__(self, crawler: Crawler) -> None:
        own = crawler.settings.get(OWN_JOBDIR)
        if not own:
            raise NotConfigured("no queue directory of ours")
        self.jobdir = Path(own)
        for path in remove_stale(self.jobdir.parent):
            logger.info("Removed the request queue a stopped crawl left: %s", path)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def engine_stopped(self) -> None:
        shutil.rmtree(self.jobdir, ignore_errors=True)
        parent = self.jobdir.parent
        if parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
