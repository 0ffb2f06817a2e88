"""The newsarchive add-on: applies crawler/defaults.py at add-on priority.

Scrapy loads add-ons after ``settings.py`` but applies their values at the ``addon``
priority, which is below ``project``, ``spider`` and ``cmdline``: so every default here is
overridable the usual ways, and a user can switch a component off by mapping it to None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.utils.misc import load_object

from crawler import defaults
from crawler.queues import assign_jobdir

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings, Settings

_PRIORITY = "addon"


class NewsarchiveAddon:
    """Scrapy add-on enabling newsarchive's defaults and components."""

    @classmethod
    def update_pre_crawler_settings(cls, settings: BaseSettings) -> None:
        """Set the classes Scrapy builds before any crawler (spider loader, resolver)."""
        for name, value in defaults.PRE_CRAWLER_SETTINGS.items():
            settings.set(name, value, priority=_PRIORITY)

    def update_settings(self, settings: Settings) -> None:
        """Apply the project's defaults and register its components."""
        apply_defaults(settings)
        for setting, components in (
            ("DOWNLOADER_MIDDLEWARES", defaults.DOWNLOADER_MIDDLEWARES),
            ("EXTENSIONS", defaults.EXTENSIONS),
            ("ITEM_PIPELINES", defaults.ITEM_PIPELINES),
        ):
            for path, order in components.items():
                settings.set_in_component_priority_dict(setting, load_object(path), order)


def apply_defaults(settings: Settings) -> None:
    """The project's setting values at add-on priority, without loading its components
    (commands that only read settings start without importing the crawl's pipelines)."""
    for name, value in {**defaults.NEWSARCHIVE_SETTINGS, **defaults.SCRAPY_SETTINGS}.items():
        settings.set(name, value, priority=_PRIORITY)
    assign_jobdir(settings, _PRIORITY)
    contact = settings.get("POLITENESS_CONTACT_URL")
    settings.set("USER_AGENT", defaults.user_agent(contact), priority=_PRIORITY)
    handlers = settings["DOWNLOAD_HANDLERS"]
    replay = settings.get("REPLAY_SOURCE")
    for scheme, handler in defaults.DOWNLOAD_HANDLERS.items():
        handlers.set(scheme, defaults.REPLAY_HANDLER if replay else handler, priority=_PRIORITY)
