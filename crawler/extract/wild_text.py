"""Notice when trafilatura found no article container and read "wild" paragraphs instead.

trafilatura looks for the article in the first element that one of its ``BODY_XPATH``
expressions selects (``itemprop=articleBody``, ``<article>``, classes such as
``entry-content``). Where none does (or it holds under ``min_extracted_size`` characters),
it falls back to ``recover_wild_text``, which outside recall mode collects only the page's
``<p>``, ``<pre>``, ``<blockquote>`` and tables: an article in an unnamed container
(Webflow's ``w-richtext``, a page builder's numbered ``div``) loses every subheading and
list. :func:`watching` tells whether that fallback ran, so the extraction can be repeated
with the container :func:`crawler.extract.prune.article_container` finds named
``itemprop=articleBody``: on the dev sets wcxb text 0.9424 -> 0.9475, scrapinghub
0.9711 -> 0.9724, fundus 0.9611 -> 0.9619, forums 0.664 -> 0.675 (61 pages better, 7 worse).

Like :mod:`crawler.extract.readability_gate`, it hooks a trafilatura internal, only for the
releases that were read, and it only observes: trafilatura's own result is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import trafilatura.main_extractor

from crawler.extract.readability_gate import verified

#: The signature of ``trafilatura.main_extractor.recover_wild_text`` in those releases.
_PARAMETERS = ("tree", "result_body", "options", "potential_tags", "consumed")


@dataclass
class Watch:
    """What a :func:`watching` block saw."""

    recovered: bool = False


_WATCH: ContextVar[Watch | None] = ContextVar("wild_text_watch", default=None)
_installed = False


@contextmanager
def watching() -> Iterator[Watch]:
    """Within this block, a call of trafilatura's wild-text recovery is noted in the
    :class:`Watch` yielded (never, where the hook is not installed)."""
    watch = Watch()
    token = _WATCH.set(watch)
    try:
        yield watch
    finally:
        _WATCH.reset(token)


def install() -> bool:
    """Hook trafilatura (once) if its release is verified; whether the hook is installed."""
    global _installed
    if _installed:
        return True
    module = trafilatura.main_extractor
    recover = getattr(module, "recover_wild_text", None)
    if not verified(recover, _PARAMETERS):
        return False

    def noted(*args: Any, **kwargs: Any) -> Any:
        watch = _WATCH.get()
        if watch is not None:
            watch.recovered = True
        return recover(*args, **kwargs)

    setattr(module, "recover_wild_text", noted)  # noqa: B010 (not re-exported: mypy)
    _installed = True
    return True
