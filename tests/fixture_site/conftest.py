"""Fixtures: running fixture outlets with a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from crawler.fixture_site import FixtureSite

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
HUGE = 200_000


@pytest.fixture(scope="module")
def wp_site() -> Iterator[FixtureSite]:
    """A started 24-article WordPress outlet (seed 7, fixed ``now``)."""
    with FixtureSite(kind="wordpress", articles=24, seed=7, now=NOW, huge_bytes=HUGE) as site:
        yield site


@pytest.fixture(scope="module")
def td_site() -> Iterator[FixtureSite]:
    """A started 24-article tagDiv outlet."""
    with FixtureSite(kind="tagdiv", articles=24, seed=7, now=NOW) as site:
        yield site
