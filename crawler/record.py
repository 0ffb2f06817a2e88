"""``newsarchive record``: crawl an outlet once and keep its WARC as a replay fixture.

For a fixture outlet (``fixture:`` in its config) the project's fixture site is started
on the port of the outlet's home URL, so the recorded URLs are the ones the config
names and replay needs no server at all. The WARC is self-contained: no revisits (they
would point into other files) and one file (no rotation).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.errors import ConfigError, writable_output
from crawler.outlet_loader import load_outlets
from crawler.runner import project_settings, run_crawl

# Settings that make a recording self-contained.
RECORD_SETTINGS: dict[str, Any] = {
    "WARC_DEDUP_ENABLED": False,
    "WARC_MAX_SIZE": 2**62,
    "WARC_MAX_AGE": 10**9,
}


def record(
    outlet_name: str, output: Path, config_dir: str | None, overrides: dict[str, Any]
) -> dict[str, Any]:
    """Crawl ``outlet_name`` into a temporary archive and write its WARC to ``output``."""
    outlet = load_outlets(config_dir).get(outlet_name)
    if outlet is None:
        raise ConfigError(f"unknown outlet {outlet_name!r}")
    if not output.name.endswith(".warc.gz"):
        raise ConfigError(f"option -o: bad value {str(output)!r}: must end in .warc.gz")
    writable_output(output)  # before the crawl, not after it
    with tempfile.TemporaryDirectory() as tmp, _fixture_site(outlet.fixture, outlet.home):
        settings = project_settings(config_dir, tmp, {**RECORD_SETTINGS, **overrides})
        stats = run_crawl([outlet_name], settings)[outlet_name]
        warcs = sorted((Path(tmp) / "warc").rglob("*.warc.gz"))
        with output.open("wb") as out:
            for warc in warcs:  # gzip members concatenate into one valid WARC
                with warc.open("rb") as handle:
                    shutil.copyfileobj(handle, out)
    return stats


def _fixture_site(kind: str | None, home: str) -> contextlib.AbstractContextManager[Any]:
    if kind is None:
        return contextlib.nullcontext()
    from crawler.demo import DEMO_ARTICLES, DEMO_SEED
    from crawler.fixture_site import FixtureSite

    port = urlsplit(home).port or 80
    return FixtureSite(kind=kind, articles=DEMO_ARTICLES, seed=DEMO_SEED, crawl_delay=0, port=port)  # type: ignore[arg-type]
