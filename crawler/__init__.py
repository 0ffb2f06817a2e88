"""newsarchive: a Scrapy project that crawls news outlets and archives them faithfully."""

from __future__ import annotations

__version__ = "0.2.0"
