"""Archive URIs: where the archive lives and where files wait before they get there.

``ARCHIVE_URI`` is a plain path or ``file://PATH`` (the embedded default: the directory *is*
the store) or ``s3://bucket/prefix`` (any S3-compatible service). For ``s3://`` archives the
crawl writes into a local spool directory (``ARCHIVE_SPOOL_DIR/<bucket>/<prefix>``) with the
same layout, and files leave the spool only once the store has confirmed them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from crawler.errors import ConfigError


@dataclass(frozen=True)
class Location:
    """A parsed archive URI."""

    uri: str
    scheme: str  # "file" or "s3"
    path: Path | None = None  # file archives
    bucket: str = ""  # s3 archives
    prefix: str = ""  # s3 archives, no leading or trailing slash

    @property
    def is_s3(self) -> bool:
        return self.scheme == "s3"

    def key(self, relative: str) -> str:
        """The store key of a path relative to the archive root."""
        return f"{self.prefix}/{relative}" if self.prefix else relative

    def local_root(self, spool_dir: str | Path) -> Path:
        """Where crawl output is written on this machine before it is in the store."""
        if self.path is not None:
            return self.path
        return Path(spool_dir).expanduser() / self.bucket / (self.prefix or "_")


def parse_archive_uri(uri: str) -> Location:
    """Parse ``uri``; a :class:`ConfigError` names the URI and what is allowed."""
    parts = urlsplit(str(uri))
    if parts.scheme in ("", "file"):
        if parts.scheme == "file" and parts.netloc not in ("", "localhost"):
            raise ConfigError(f"ARCHIVE_URI {uri!r}: file:// URIs must name a local path")
        path = Path(unquote(parts.path) if parts.scheme == "file" else str(uri)).expanduser()
        if path.exists() and not path.is_dir():
            raise ConfigError(f"ARCHIVE_URI {uri!r}: {path} is a file, not an archive directory")
        return Location(str(uri), "file", path=path)
    if parts.scheme == "s3":
        bucket = parts.netloc
        if not bucket or "/" in bucket:
            raise ConfigError(f"ARCHIVE_URI {uri!r}: s3:// URIs need a bucket: s3://BUCKET/PREFIX")
        return Location(str(uri), "s3", bucket=bucket, prefix=parts.path.strip("/"))
    raise ConfigError(
        f"ARCHIVE_URI {uri!r}: scheme {parts.scheme!r} is not supported;"
        " use a path, file://PATH or s3://BUCKET/PREFIX"
    )
