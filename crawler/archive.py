"""Where crawl output goes, and the crawl's identity.

Crawl output is written to a local directory in the DESIGN.md layout: the archive itself
for ``file://PATH`` or a plain path, a spool for ``s3://`` archives (see
:mod:`crawler.store`). Files are written with an ``.open`` suffix and renamed when
complete, so a reader never sees half a file; each finished file is announced with
:data:`archive_file_closed`.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

_CRAWL_ID_STAT = "newsarchive/crawl_id"

#: Signal sent (with ``path``) when a writer has finished a file of the archive layout; the
#: store extension uploads it and lists it in the crawl manifest.
archive_file_closed = object()


def archive_root(uri: str, spool_dir: str | Path = "./archive-spool") -> Path:
    """The local directory of an archive URI: the archive itself for a path or
    ``file://PATH``, the spool directory for ``s3://``."""
    from crawler.store.location import parse_archive_uri

    return parse_archive_uri(uri).local_root(spool_dir)


def settings_root(settings: Any) -> Path:
    """:func:`archive_root` from a crawler's settings (``ARCHIVE_URI``, ``ARCHIVE_SPOOL_DIR``)."""
    return archive_root(settings["ARCHIVE_URI"], settings["ARCHIVE_SPOOL_DIR"])


def new_crawl_id(outlet: str, now: datetime | None = None) -> str:
    """A crawl id unique across processes and machines: outlet, UTC time, random suffix."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{outlet}-{stamp}-{secrets.token_hex(3)}"


def crawl_id(crawler: Crawler) -> str:
    """This crawler's crawl id: CRAWL_ID if set, else generated once and kept in stats."""
    current = crawler.stats.get_value(_CRAWL_ID_STAT)
    if current:
        return str(current)
    spider_name = crawler.spider.name if crawler.spider else "crawl"
    value = crawler.settings.get("CRAWL_ID") or new_crawl_id(spider_name)
    crawler.stats.set_value(_CRAWL_ID_STAT, value)
    return str(value)


def dated_dir(root: Path, area: str, outlet: str, when: datetime) -> Path:
    """``<root>/<area>/<outlet>/<YYYY>/<MM>/<DD>`` (the DESIGN.md layout)."""
    return root / area / outlet / f"{when:%Y}" / f"{when:%m}" / f"{when:%d}"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path.open``, fsync, then rename to ``path``."""
    write_lines_atomically(path, [data])


def write_lines_atomically(path: Path, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` one by one to ``path.open``, fsync, then rename to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".open")
    with partial.open("wb") as handle:
        handle.writelines(chunks)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(path)


def hostname() -> str:
    """This machine's short host name, safe for file names."""
    return socket.gethostname().split(".")[0].replace("-", "_") or "host"
