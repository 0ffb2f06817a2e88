"""Where crawl output goes, and the crawl's identity.

For now the archive is a local directory (``file://PATH`` or a plain path); the layout
follows DESIGN.md. Files are written with an ``.open`` suffix and renamed when complete,
so a reader never sees half a file.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from crawler.errors import ConfigError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

_CRAWL_ID_STAT = "newsarchive/crawl_id"


def archive_root(uri: str) -> Path:
    """The local directory of an archive URI (a plain path or file://PATH)."""
    parts = urlsplit(uri)
    if parts.scheme in ("", "file"):
        path = unquote(parts.path) if parts.scheme == "file" else uri
        if parts.scheme == "file" and parts.netloc not in ("", "localhost"):
            raise ConfigError(f"ARCHIVE_URI {uri!r}: file:// URIs must name a local path")
        return Path(path).expanduser()
    raise ConfigError(
        f"ARCHIVE_URI {uri!r}: scheme {parts.scheme!r} is not supported by this version;"
        " use a local path or file://PATH"
    )


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
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".open")
    with partial.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(path)


def hostname() -> str:
    """This machine's short host name, safe for file names."""
    return socket.gethostname().split(".")[0].replace("-", "_") or "host"
