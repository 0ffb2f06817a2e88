"""Spider loader: one spider per outlet YAML file, plus any code spiders in SPIDER_MODULES.

This is what makes ``scrapy list`` print every configured outlet and ``scrapy crawl
<outlet>`` crawl it. A broken config stops Scrapy with the validation message and exit
status 2, not a traceback.
"""

from __future__ import annotations

import builtins
import sys
from typing import TYPE_CHECKING, Any

from scrapy.spiderloader import SpiderLoader
from scrapy.utils.misc import load_object

from crawler.errors import ConfigError
from crawler.outlet_loader import load_outlets
from crawler.spiders.outlet import OutletSpider
from crawler.urls import host_in_domains

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.settings import BaseSettings

    from crawler.outlets import Outlet


def spider_class_for(outlet: Outlet) -> type[OutletSpider]:
    """A spider class for ``outlet``: its hook class (or OutletSpider) with its config."""
    base: type[OutletSpider] = OutletSpider
    if outlet.spider:
        base = load_object(outlet.spider.replace(":", "."))
        if not (isinstance(base, type) and issubclass(base, OutletSpider)):
            raise ConfigError(
                f"{outlet.source_file}: key 'spider': bad value {outlet.spider!r}:"
                " must name a subclass of crawler.spiders.outlet.OutletSpider"
            )
    custom: dict[str, Any] = {**(base.custom_settings or {}), **outlet.settings}
    if outlet.politeness.delay is not None:
        custom["DOWNLOAD_DELAY"] = outlet.politeness.delay
    if outlet.politeness.concurrency is not None:
        custom["CONCURRENT_REQUESTS_PER_DOMAIN"] = outlet.politeness.concurrency
    class_name = "".join(p.capitalize() for p in outlet.name.replace("_", "-").split("-"))
    attrs = {
        "name": outlet.name,
        "outlet": outlet,
        "custom_settings": custom,
        "__module__": base.__module__,
    }
    return type(f"{class_name}Spider", (base,), attrs)


class OutletSpiderLoader:
    """A spider loader (Scrapy's SpiderLoaderProtocol) over outlet files and SPIDER_MODULES."""

    def __init__(self, settings: BaseSettings) -> None:
        self._code = SpiderLoader(settings)
        try:
            self._outlets = load_outlets(settings.get("OUTLETS_DIR"))
        except ConfigError as exc:
            print(f"newsarchive: invalid outlet configuration:\n{exc}", file=sys.stderr)
            raise SystemExit(2) from None
        self._classes: dict[str, type[OutletSpider]] = {}

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        return cls(settings)

    def load(self, spider_name: str) -> type[Spider]:
        if spider_name in self._outlets:
            if spider_name not in self._classes:
                self._classes[spider_name] = spider_class_for(self._outlets[spider_name])
            return self._classes[spider_name]
        return self._code.load(spider_name)

    def list(self) -> builtins.list[str]:
        return sorted({*self._outlets, *self._code.list()})

    def find_by_request(self, request: Request) -> builtins.list[str]:
        names = [n for n, o in self._outlets.items() if host_in_domains(request.url, o.domains)]
        return sorted({*names, *self._code.find_by_request(request)})
