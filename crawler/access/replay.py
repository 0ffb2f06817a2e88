"""``newsarchive replay``: pywb over the archive, on loopback.

pywb is the maintained replay system of the web-archiving community (Webrecorder, IIPC
members); it reads our WARCs and CDXJ as they are. It pins ``brotlipy``, which conflicts
with the ``brotli`` package Scrapy needs, so it runs from its own virtualenv:
``NEWSARCHIVE_PYWB_VENV``, else ``.venv-pywb`` beside the project (``.ci/run`` creates it),
else ``wayback`` on ``PATH``.

The replay directory (``<local root>/state/replay``) holds a pywb ``config.yaml`` with one
collection, ``archive``: one merged, sorted CDXJ of every index in the store, and the WARCs
under their archive keys. For ``file://`` archives the WARCs are read in place; for ``s3://``
the index and WARC files are cached there (fetched once, streamed). Captures are browsable
at ``http://127.0.0.1:PORT/archive/<timestamp>/<original URL>``.
"""

from __future__ import annotations

import heapq
import logging
import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from crawler.errors import NewsarchiveError
from crawler.store import local_root, open_store, parse_archive_uri
from crawler.store.backends import Store, download

logger = logging.getLogger(__name__)

COLLECTION = "archive"
PYWB_ENV = "NEWSARCHIVE_PYWB_VENV"
PROJECT = Path(__file__).resolve().parents[2]
INSTALL_HINT = (
    "pywb not found: python3 -m venv .venv-pywb && .venv-pywb/bin/pip install 'pywb>=2.8,<3'"
    f" (or set {PYWB_ENV} to a virtualenv with pywb)"
)


class ReplayError(NewsarchiveError):
    """pywb is missing or the archive has nothing to replay."""


def find_wayback() -> Path:
    """The ``wayback`` executable of pywb (see module docstring for the search order)."""
    venvs = [Path(os.environ[PYWB_ENV])] if os.environ.get(PYWB_ENV) else []
    venvs += [Path.cwd() / ".venv-pywb", PROJECT / ".venv-pywb"]
    for venv in venvs:
        if (venv / "bin" / "wayback").exists():
            return venv / "bin" / "wayback"
    on_path = shutil.which("wayback")
    if on_path:
        return Path(on_path)
    raise ReplayError(INSTALL_HINT)


def _materialise(store: Store, key: str, target: Path) -> Path:
    """``key`` as a local file under ``target`` (fetched once for remote stores)."""
    path = target / key
    return path if path.exists() else download(store, key, path)


def _merged_lines(paths: list[Path]) -> Iterator[str]:
    """Lines of sorted CDXJ files, merged in sort order (files stay open while merging)."""
    with ExitStack() as stack:
        handles = [stack.enter_context(p.open(encoding="utf-8")) for p in paths]
        for line in heapq.merge(*handles):
            if line.strip():
                yield line if line.endswith("\n") else line + "\n"


def prepare(settings: Mapping[str, Any]) -> Path:
    """Write the replay directory (config, merged index, cached files); return it."""
    location = parse_archive_uri(str(settings["ARCHIVE_URI"]))
    store = open_store(settings)
    root = local_root(settings).resolve()  # pywb runs in the replay directory
    replay = root / "state" / "replay"
    cache = replay / "cache" if location.is_s3 else root
    indexes = [_materialise(store, key, cache) if location.is_s3 else cache / key
               for key in store.keys("index") if key.endswith(".cdxj")]  # fmt: skip
    if not indexes:
        raise ReplayError(f"nothing to replay: no CDXJ index in {store.description}")
    if location.is_s3:
        for key in store.keys("warc"):
            _materialise(store, key, cache)
    (replay / "index").mkdir(parents=True, exist_ok=True)
    merged = replay / "index" / "all.cdxj"
    with merged.with_name("all.cdxj.open").open("w", encoding="utf-8") as out:
        out.writelines(_merged_lines(indexes))
    merged.with_name("all.cdxj.open").replace(merged)
    config = (
        "collections:\n"
        f"  {COLLECTION}:\n"
        f"    index_paths: {merged}\n"
        f"    archive_paths: {cache.resolve()}/\n"
        "framed_replay: false\n"
    )
    (replay / "config.yaml").write_text(config, encoding="utf-8")
    logger.info("Replay index of %d CDXJ files: %s", len(indexes), merged)
    return replay


def serve(settings: Mapping[str, Any], port: int) -> subprocess.Popen[bytes]:
    """Start pywb on 127.0.0.1:``port`` over the archive; the caller waits or stops it."""
    wayback = find_wayback()
    replay = prepare(settings)
    return subprocess.Popen([str(wayback), "-b", "127.0.0.1", "-p", str(port)], cwd=replay)
