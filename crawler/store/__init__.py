"""The archive store: one place for WARCs, indexes, record files and manifests.

``file://`` (default) or ``s3://``; see :mod:`crawler.store.location`. :func:`open_store`
builds the backend from settings; boto3 takes credentials from the standard AWS chain
(environment, profile, config file, instance role) and the endpoint from
``AWS_ENDPOINT_URL``/``AWS_ENDPOINT_URL_S3`` unless ``ARCHIVE_S3_ENDPOINT_URL`` is set.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crawler.store.backends import FileStore, S3Store, Store, StoreError
from crawler.store.location import Location, parse_archive_uri

__all__ = ["Location", "Store", "StoreError", "local_root", "open_store", "parse_archive_uri"]


def local_root(settings: Mapping[str, Any]) -> Path:
    """Where this machine writes the archive's files (the archive, or the s3 spool)."""
    location = parse_archive_uri(str(settings["ARCHIVE_URI"]))
    return location.local_root(str(settings["ARCHIVE_SPOOL_DIR"]))


def s3_client(settings: Mapping[str, Any]) -> Any:
    """A boto3 S3 client configured from the ``ARCHIVE_S3_*`` settings."""
    import boto3
    from botocore.config import Config

    config = Config(
        s3={"addressing_style": settings["ARCHIVE_S3_ADDRESSING_STYLE"]},
        retries={"max_attempts": int(settings["ARCHIVE_S3_MAX_ATTEMPTS"]), "mode": "standard"},
        connect_timeout=float(settings["ARCHIVE_S3_CONNECT_TIMEOUT"]),
        read_timeout=float(settings["ARCHIVE_S3_READ_TIMEOUT"]),
        max_pool_connections=max(10, int(settings["ARCHIVE_UPLOAD_CONCURRENCY"]) * 4),
    )
    session = boto3.session.Session(profile_name=settings.get("ARCHIVE_S3_PROFILE") or None)
    return session.client(
        "s3",
        endpoint_url=settings.get("ARCHIVE_S3_ENDPOINT_URL") or None,
        region_name=settings.get("ARCHIVE_S3_REGION") or None,
        config=config,
    )


def open_store(settings: Mapping[str, Any]) -> Store:
    """The store named by ``ARCHIVE_URI``."""
    location = parse_archive_uri(str(settings["ARCHIVE_URI"]))
    if location.path is not None:
        return FileStore(location.path)
    threshold = int(settings["ARCHIVE_MULTIPART_THRESHOLD"])
    return S3Store(location, s3_client(settings), threshold)
