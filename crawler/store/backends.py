"""The two store backends: a directory (``file://``) and an S3 bucket (boto3).

Both speak in keys relative to the archive root (``warc/...``, ``records/...``,
``crawls/<id>.json``) and offer the same small interface (:class:`Store`).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from crawler.errors import NewsarchiveError
from crawler.store.location import Location

logger = logging.getLogger(__name__)

#: Read size when hashing or streaming files (large enough to keep syscalls cheap).
CHUNK = 1024 * 1024


class StoreError(NewsarchiveError):
    """The store refused or failed an operation (message names the store and key)."""


class KeyExistsError(StoreError):
    """A different object already has this key: never overwritten."""


@dataclass(frozen=True)
class Digest:
    """Size and sha256 of a local file."""

    size: int
    sha256: str

    @property
    def sha256_b64(self) -> str:
        return base64.b64encode(bytes.fromhex(self.sha256)).decode("ascii")


def digest_file(path: Path) -> Digest:
    """Size and sha256 of ``path`` (streamed). The store verifies the upload itself with
    ``x-amz-checksum-sha256``, so no MD5 pass is needed (it cost 2x the sha256 here)."""
    sha, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return Digest(size, sha.hexdigest())


def stored_digest(store: Store, relative: str) -> Digest:
    """Size and sha256 of a stored object, computed from its bytes (streamed)."""
    sha, size = hashlib.sha256(), 0
    for chunk in store.read(relative):
        sha.update(chunk)
        size += len(chunk)
    return Digest(size, sha.hexdigest())


def download(store: Store, relative: str, path: Path) -> Path:
    """Copy a stored object to ``path`` (streamed, written as ``.open``, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".open")
    with partial.open("wb") as handle:
        for chunk in store.read(relative):
            handle.write(chunk)
    partial.replace(path)
    return path


@dataclass(frozen=True)
class ObjectInfo:
    """What the store says about one key (``sha256`` when it knows it)."""

    size: int
    sha256: str | None = None


class Store(Protocol):
    """Operations the archive needs from a store, on keys relative to the archive root."""

    description: str

    def put(self, path: Path, relative: str, digest: Digest) -> None: ...
    def stat(self, relative: str) -> ObjectInfo | None: ...
    def read(self, relative: str) -> Iterator[bytes]: ...
    def read_range(self, relative: str, offset: int, length: int) -> bytes: ...
    def keys(self, area: str) -> Iterator[str]: ...
    def put_bytes(self, relative: str, data: bytes) -> None: ...


class FileStore:
    """The archive directory itself; files written by the crawl are already in place."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.description = f"file://{root.resolve()}"

    def put(self, path: Path, relative: str, digest: Digest) -> None:
        target = self.root / relative
        if path.resolve() == target.resolve():
            return
        if target.exists():
            if digest_file(target).sha256 == digest.sha256:
                return
            raise KeyExistsError(f"{self.description}: {relative} exists with other content")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".open")
        shutil.copyfile(path, partial)
        partial.replace(target)

    def stat(self, relative: str) -> ObjectInfo | None:
        target = self.root / relative
        return ObjectInfo(target.stat().st_size) if target.is_file() else None

    def read(self, relative: str) -> Iterator[bytes]:
        with (self.root / relative).open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    def read_range(self, relative: str, offset: int, length: int) -> bytes:
        """``length`` bytes from ``offset`` (fewer at the end of the file)."""
        try:
            with (self.root / relative).open("rb") as handle:
                handle.seek(offset)
                return handle.read(length)
        except OSError as exc:
            raise StoreError(f"{self.description}: read {relative} failed: {exc}") from exc

    def keys(self, area: str) -> Iterator[str]:
        base = self.root / area
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and not path.name.endswith(".open"):
                    yield path.relative_to(self.root).as_posix()

    def put_bytes(self, relative: str, data: bytes) -> None:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".open")
        partial.write_bytes(data)
        partial.replace(target)


def _md5_b64(path: Path) -> str:
    md5 = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            md5.update(chunk)
    return base64.b64encode(md5.digest()).decode("ascii")


def _unsupported(exc: BaseException | None) -> bool:
    """Whether an S3 error says a header or feature is not implemented by the target."""
    if exc is None:
        return False
    code = _error_code(exc) if isinstance(exc, Exception) else ""
    return code in ("NotImplemented", "501") or (
        code in ("InvalidArgument", "InvalidRequest") and "header" in str(exc).lower()
    )


def _error_code(exc: Exception) -> str:
    response: Any = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def _stored_sha256(head: dict[str, Any]) -> str | None:
    """The object's sha256 as the store computed it (``x-amz-checksum-sha256`` of a
    single-part object), else the one we stored as metadata, else ``None``."""
    checksum = head.get("ChecksumSHA256")
    if isinstance(checksum, str) and "-" not in checksum:  # "-N": a checksum of part checksums
        return base64.b64decode(checksum).hex()
    sha = (head.get("Metadata") or {}).get("sha256")
    return str(sha) if sha else None


class S3Store:
    """A bucket and prefix on any S3-compatible service, through boto3.

    Never overwrites: ``If-None-Match: *`` on each write, and a HEAD first (targets that
    ignore the condition). A single-part upload carries ``x-amz-checksum-sha256`` (verified
    by the target where supported), a multipart one ``x-amz-checksum-crc32`` on every part
    (verified part by part; a sha256 of each part cost a tenth of the upload speed on the
    bench), and each the file's sha256 as object metadata, which :meth:`stat` returns so
    a confirmation compares size and checksum.
    """

    def __init__(self, location: Location, client: Any, multipart_threshold: int) -> None:
        self.location, self.client = location, client
        self.bucket = location.bucket
        self.multipart_threshold = multipart_threshold
        self.conditional = True  # If-None-Match: * (until the target says it cannot)
        self.sha256_checksums = True  # x-amz-checksum-sha256, else Content-MD5
        endpoint = getattr(getattr(client, "meta", None), "endpoint_url", "")
        self.description = f"{location.uri} at {endpoint}"

    def _key(self, relative: str) -> str:
        return self.location.key(relative)

    def put(self, path: Path, relative: str, digest: Digest) -> None:
        existing = self.stat(relative)
        if existing is not None:
            if existing.size == digest.size and existing.sha256 in (None, digest.sha256):
                return  # uploaded before (a sync after a crash between upload and cleanup)
            raise KeyExistsError(f"{self.description}: {relative} exists with other content")
        if digest.size >= self.multipart_threshold:
            try:
                self._put_multipart(path, relative, digest)
            except StoreError as exc:
                if not (self.sha256_checksums and _unsupported(exc.__cause__)):
                    raise
                self.sha256_checksums = False
                logger.warning("%s does not support x-amz-checksum-*; multipart parts go"
                               " without (size and sha256 still confirmed after)",
                               self.description)  # fmt: skip
                self._put_multipart(path, relative, digest)
            return
        while True:
            try:
                self._put_single(path, relative, digest)
                return
            except StoreError as exc:
                if not self._downgrade(exc):
                    raise

    def _put_single(self, path: Path, relative: str, digest: Digest) -> None:
        extra: dict[str, Any] = {"Metadata": {"sha256": digest.sha256}}
        if self.conditional:
            extra["IfNoneMatch"] = "*"
        if self.sha256_checksums:
            extra["ChecksumSHA256"] = digest.sha256_b64
        else:
            extra["ContentMD5"] = _md5_b64(path)
        with path.open("rb") as body:
            self._call("put", relative, self.client.put_object, Bucket=self.bucket,
                       Key=self._key(relative), Body=body, **extra)  # fmt: skip

    def _downgrade(self, exc: StoreError) -> bool:
        """Learn from a refusal what the target does not support: conditional writes
        (then the HEAD check alone guards against overwrites), then sha256 checksums (then
        ``Content-MD5``). True when there is something left to try."""
        if not _unsupported(exc.__cause__):
            return False
        if self.conditional:
            self.conditional = False
            logger.warning("%s does not support If-None-Match; using HEAD checks only",
                           self.description)  # fmt: skip
            return True
        if self.sha256_checksums:
            self.sha256_checksums = False
            logger.warning("%s does not support x-amz-checksum-sha256; using Content-MD5",
                           self.description)  # fmt: skip
            return True
        return False

    def _put_multipart(self, path: Path, relative: str, digest: Digest) -> None:
        from boto3.s3.transfer import TransferConfig

        config = TransferConfig(multipart_threshold=self.multipart_threshold, max_concurrency=4)
        extra: dict[str, Any] = {"Metadata": {"sha256": digest.sha256}}
        if self.sha256_checksums:  # the target takes x-amz-checksum-* headers
            extra["ChecksumAlgorithm"] = "CRC32"
        self._call("upload", relative, self.client.upload_file, str(path), self.bucket,
                   self._key(relative), ExtraArgs=extra, Config=config)  # fmt: skip

    def _call(self, what: str, relative: str, method: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except Exception as exc:
            if _error_code(exc) in ("PreconditionFailed", "412"):
                raise KeyExistsError(f"{self.description}: {relative} already exists") from exc
            raise StoreError(f"{self.description}: {what} {relative} failed: {exc}") from exc

    def stat(self, relative: str) -> ObjectInfo | None:
        try:
            head = self.client.head_object(
                Bucket=self.bucket, Key=self._key(relative), ChecksumMode="ENABLED"
            )
        except Exception as exc:
            if _error_code(exc) in ("404", "NoSuchKey", "NotFound"):
                return None
            raise StoreError(f"{self.description}: HEAD {relative} failed: {exc}") from exc
        return ObjectInfo(int(head["ContentLength"]), _stored_sha256(head))

    def read(self, relative: str) -> Iterator[bytes]:
        body = self._call("get", relative, self.client.get_object, Bucket=self.bucket,
                          Key=self._key(relative))["Body"]  # fmt: skip
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def read_range(self, relative: str, offset: int, length: int) -> bytes:
        """``length`` bytes from ``offset``: one ranged GET."""
        if length <= 0:
            return b""
        response = self._call("get", relative, self.client.get_object, Bucket=self.bucket,
                              Key=self._key(relative),
                              Range=f"bytes={offset}-{offset + length - 1}")  # fmt: skip
        body = response["Body"]
        try:
            return bytes(body.read())
        finally:
            body.close()

    def keys(self, area: str) -> Iterator[str]:
        prefix = self._key(area) + "/"
        strip = len(self.location.prefix) + 1 if self.location.prefix else 0
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix
            )
            for page in pages:
                for item in page.get("Contents", []):
                    yield str(item["Key"])[strip:]
        except Exception as exc:
            raise StoreError(f"{self.description}: listing {area}/ failed: {exc}") from exc

    def put_bytes(self, relative: str, data: bytes) -> None:
        sha = hashlib.sha256(data)
        self._call("put", relative, self.client.put_object, Bucket=self.bucket,
                   Key=self._key(relative), Body=data,
                   ChecksumSHA256=base64.b64encode(sha.digest()).decode("ascii"),
                   Metadata={"sha256": sha.hexdigest()})  # fmt: skip
