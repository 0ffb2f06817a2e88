"""Run crawls from Python: the library behind ``newsarchive crawl`` and ``newsarchive demo``."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler.errors import ConfigError
from crawler.outlet_loader import load_outlets, resolve_config_dir
from crawler.startup import settle_gc


def project_settings(
    config_dir: str | os.PathLike[str] | None = None,
    archive: str | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """The project's Scrapy settings, wherever the command runs from, plus overrides."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    if config_dir is not None:
        settings.set("OUTLETS_DIR", str(resolve_config_dir(config_dir)), priority="cmdline")
    if archive is not None:
        settings.set("ARCHIVE_URI", archive, priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def effective_settings(config_dir: str | os.PathLike[str] | None = None) -> Settings:
    """Project settings with the add-on's defaults applied, for commands that read
    settings without running a crawler (extract, wacz)."""
    from crawler.addon import apply_defaults

    settings = project_settings(config_dir)
    apply_defaults(settings)
    return settings


def check_outlet_names(names: Iterable[str], config_dir: str | Path | None) -> None:
    """Raise ConfigError naming any outlet that is not configured."""
    outlets = load_outlets(config_dir)
    unknown = [n for n in names if n not in outlets]
    if unknown:
        raise ConfigError(
            f"unknown outlet(s): {', '.join(unknown)}; configured: {', '.join(sorted(outlets))}"
        )


def run_crawl(names: list[str], settings: Settings) -> dict[str, dict[str, Any]]:
    """Crawl the named outlets in one process (concurrently); return stats per outlet."""
    check_outlet_names(names, settings.get("OUTLETS_DIR"))
    process = CrawlerProcess(settings)
    crawlers = [process.create_crawler(name) for name in names]
    for crawler in crawlers:
        process.crawl(crawler)
    settle_gc()
    process.start()
    return {
        name: dict(crawler.stats.get_stats()) for name, crawler in zip(names, crawlers, strict=True)
    }
