"""Spiders. Configured outlets use :class:`crawler.spiders.outlet.OutletSpider` through the
spider loader; put a subclass here (or anywhere importable) for an outlet that needs code
and name it in the outlet's YAML as ``spider: module:Class``."""
