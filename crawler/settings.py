"""Project settings: only the project's own choices. Defaults live in crawler/defaults.py
and are applied by the add-on, so anything set here (or with -s) overrides them."""

from __future__ import annotations

BOT_NAME = "newsarchive"

# Code spiders (outlets that need more than config) live here; configured outlets come
# from the spider loader set by the add-on.
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# One spider per configured outlet (config/outlets/*.yaml); `scrapy list` reads this
# before add-ons are loaded, so it is set here rather than by the add-on.
SPIDER_LOADER_CLASS = "crawler.spiderloader.OutletSpiderLoader"
# Refuses DNS answers that point at private addresses (see crawler/safety.py).
TWISTED_DNS_RESOLVER = "crawler.safety.SafeResolver"

ADDONS = {"crawler.addon.NewsarchiveAddon": 0}
