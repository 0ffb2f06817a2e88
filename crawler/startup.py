"""Process start-up tuning shared by the crawl and ``newsarchive extract`` (no Scrapy here:
the extract command starts without importing it)."""

from __future__ import annotations

import gc
import importlib
import os
from typing import Any

#: Allocations between young-generation collections in a crawl process. CPython's default
#: (700) had the collector take 6% of a 1,000-article crawl's CPU, re-scanning objects
#: that live as long as the process; with them frozen and this threshold, under 2%.
GC_THRESHOLD = (10_000, 10, 10)


def settle_gc() -> None:
    """Freeze what start-up built (modules, settings, components: never garbage) out of
    the collector's scans, and collect the young generation less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def project_value(name: str) -> Any:
    """A setting as a command that runs no crawl reads it: from the project's settings
    module (``SCRAPY_SETTINGS_MODULE``, else ``crawler.settings``), else newsarchive's
    default, as :func:`crawler.runner.effective_settings` resolves it (project priority
    above the add-on's) but without importing Scrapy, which costs a process 0.17 s of its
    start-up. Only for the project's own plain values (``EXTRACT_*``,
    ``DOWNLOAD_MAXSIZE``): a setting Scrapy derives or merges needs the real settings."""
    from crawler import defaults

    module = importlib.import_module(os.environ.get("SCRAPY_SETTINGS_MODULE", "crawler.settings"))
    if hasattr(module, name):
        return getattr(module, name)
    merged = {**defaults.NEWSARCHIVE_SETTINGS, **defaults.SCRAPY_SETTINGS}
    if name not in merged:
        raise KeyError(f"{name} is not a newsarchive default (read it from the real settings)")
    return merged[name]
