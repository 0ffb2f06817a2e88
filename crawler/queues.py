"""Pending requests on disk: a per-crawl Scrapy ``JOBDIR`` under the local state directory.

Discovery can name tens of thousands of articles in its first seconds (a sitemap of a big
outlet); held as Request objects in memory they made a crawl's memory grow with the outlet
(96 -> 136 MB for a 10,000-article fixture outlet). With ``CRAWL_QUEUE_ON_DISK`` (the
default) the add-on points Scrapy's ``JOBDIR`` at ``<local root>/state/queues/<pid>-<token>``
so the scheduler keeps its queue in Scrapy's pickle disk queues; :class:`QueueDirCleanup`
removes the directory when the engine stops, and removes those a killed crawl left
(their process is gone) when the next crawl starts. A ``JOBDIR`` the user sets is theirs:
it is used as given and never removed.

:class:`PickleLifoDiskQueue` (the add-on's ``SCHEDULER_DISK_QUEUE``) is Scrapy's own, with
one cost taken out: Scrapy names a request's callback and errback for the disk by walking
every attribute of the spider (``inspect.getmembers``, twice a request: 4% of the crawl's
reactor time on the fixture outlet). It looks the names up in a table of the spider's
methods made once, with the same answer (Scrapy's first match in name order), and leaves
anything the table does not hold to Scrapy's own lookup.
"""

from __future__ import annotations

import inspect
import logging
import os
import secrets
import shutil
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.squeues import PickleLifoDiskQueue as ScrapyPickleLifoDiskQueue

from crawler.archive import settings_root

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
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


#: Per spider: its methods' functions -> the name Scrapy's lookup gives them.
_METHOD_NAMES: weakref.WeakKeyDictionary[Any, dict[Any, str]] = weakref.WeakKeyDictionary()


def method_names(spider: Spider) -> dict[Any, str]:
    """``{function: name}`` of the spider's methods; where several names hold one function,
    the first in name order (the one Scrapy's ``_find_method`` returns)."""
    names = _METHOD_NAMES.get(spider)
    if names is None:
        names = {}
        for name, method in inspect.getmembers(spider, predicate=inspect.ismethod):
            names.setdefault(method.__func__, name)
        _METHOD_NAMES[spider] = names
    return names


def request_to_dict(request: Request, spider: Spider) -> dict[str, Any]:
    """``request.to_dict(spider=spider)``, its callback and errback named from
    :func:`method_names` (Scrapy's own lookup for one the table lacks)."""
    names = method_names(spider)
    callback, errback = request.callback, request.errback
    named: dict[str, str] = {}
    for key, function in (("callback", callback), ("errback", errback)):
        if not callable(function):
            continue
        name = None
        if getattr(function, "__self__", None) is spider:
            name = names.get(getattr(function, "__func__", None))
        if name is None:
            return request.to_dict(spider=spider)
        named[key] = name
    request.callback = request.errback = None
    try:
        data = request.to_dict(spider=spider)
    finally:
        request.callback, request.errback = callback, errback
    data.update(named)
    return data


class PickleLifoDiskQueue(ScrapyPickleLifoDiskQueue):  # type: ignore[misc,valid-type]
    """Scrapy's ``PickleLifoDiskQueue``, callbacks named by :func:`request_to_dict`."""

    spider: Spider

    def push(self, request: Request) -> None:
        # skip Scrapy's push (its to_dict) for the serializing queue's own
        super(ScrapyPickleLifoDiskQueue, self).push(  # type: ignore[misc]
            request_to_dict(request, self.spider)
        )
