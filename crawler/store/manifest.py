"""Crawl manifests (``crawls/<crawl-id>.json``), ``sync`` and ``verify``.

A manifest is written last: crawl id, outlets, start and end, a digest of the effective
settings (secrets left out), Scrapy's stats and every file of the crawl with size, sha256
and store status. A manifest whose files are all stored goes to the store; otherwise it
waits in the spool with them, and ``sync`` stores the files, then the updated manifest.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.store.backends import Store, StoreError, stored_digest
from crawler.store.transfer import UPLOADED_AREAS, FileResult, Uploader, pending_files

logger = logging.getLogger(__name__)

MANIFEST_AREA = "crawls"
MANIFEST_VERSION = "1.0"
#: Setting names whose values never enter a manifest or log (credentials and the like).
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|CREDENTIAL|ACCESS_KEY|SESSION|AUTH", re.I)


def settings_digest(settings: Mapping[str, Any]) -> str:
    """sha256 of the effective settings, secrets excluded, as canonical JSON."""
    safe = {k: repr(v) for k, v in sorted(settings.items()) if not SECRET_NAME.search(k)}
    return hashlib.sha256(json.dumps(safe, sort_keys=True).encode("utf-8")).hexdigest()


def manifest_key(crawl_id: str) -> str:
    return f"{MANIFEST_AREA}/{crawl_id}.json"


def build_manifest(
    crawl_id: str, outlets: list[str], started: datetime, settings: Mapping[str, Any],
    stats: Mapping[str, Any], files: Iterable[FileResult],
) -> dict[str, Any]:  # fmt: skip
    """The manifest document."""
    safe_stats = {k: (v.isoformat() if isinstance(v, datetime) else v)
                  for k, v in stats.items() if not SECRET_NAME.search(k)}  # fmt: skip
    return {
        "manifest": MANIFEST_VERSION,
        "crawl_id": crawl_id,
        "outlets": outlets,
        "start": started.isoformat(),
        "end": datetime.now(UTC).isoformat(),
        "settings_sha256": settings_digest(settings),
        "stats": json.loads(json.dumps(safe_stats, default=str)),
        "files": [f.as_dict() for f in sorted(files, key=lambda f: f.key)],
    }


def complete(manifest: Mapping[str, Any]) -> bool:
    return all(f["status"] == "stored" for f in manifest["files"])


def publish(manifest: dict[str, Any], store: Store, root: Path, keep_local: bool) -> bool:
    """Write the manifest locally; store it when all its files are stored. True if stored."""
    key = manifest_key(manifest["crawl_id"])
    data = (json.dumps(manifest, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    local = root / key
    local.parent.mkdir(parents=True, exist_ok=True)
    local.with_name(local.name + ".open").write_bytes(data)
    local.with_name(local.name + ".open").replace(local)
    if not complete(manifest):
        return False
    try:
        store.put_bytes(key, data)
    except StoreError:
        logger.warning("Manifest %s kept in the spool at %s", key, local, exc_info=True)
        return False
    if not keep_local:
        local.unlink()
    return True


@dataclass
class SyncReport:
    """Outcome of pushing the spool."""

    stored: list[str] = field(default_factory=list)
    failed: list[FileResult] = field(default_factory=list)
    manifests: list[str] = field(default_factory=list)


def sync(
    store: Store, root: Path, uploader: Uploader, keep_local: bool,
    paths: list[Path] | None = None,
) -> SyncReport:  # fmt: skip
    """Upload ``paths`` (default: every finished file waiting in ``root``), then store the
    manifests waiting in ``root`` with their files' new status."""
    report = SyncReport()
    if paths is None:
        recover_abandoned(root)
    for path in pending_files(root) if paths is None else paths:
        uploader.submit(path)
    done = {r.key: r for r in uploader.results()}
    if paths is None:
        adopt_orphans(store, root, done)
    report.stored = sorted(k for k, r in done.items() if r.status == "stored")
    report.failed = [r for r in done.values() if r.status != "stored"]
    for path in sorted((root / MANIFEST_AREA).glob("*.json")):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        for entry in manifest["files"]:
            result = done.get(entry["key"]) or _already_stored(store, root, entry)
            if result is not None:
                entry.pop("error", None)
                entry.update(result.as_dict())
        if publish(manifest, store, root, keep_local):
            report.manifests.append(manifest["crawl_id"])
    return report


def recover_abandoned(root: Path) -> list[Path]:
    """Finish ``.open`` files a killed crawl left in ``root`` (WARCs with their index,
    record files), as the next crawl would; files of running writers are left alone."""
    from pipelines.cdxj import write_index
    from pipelines.record_files import recover_record_files
    from pipelines.warc_recovery import recover_open_files
    from pipelines.warc_writer import index_path

    def index(warc: Path) -> None:
        write_index(warc, index_path(root, warc), warc.relative_to(root).as_posix())

    return [*recover_open_files(root, index), *recover_record_files(root)]


def adopt_orphans(store: Store, root: Path, done: dict[str, FileResult]) -> str | None:
    """List stored files no manifest names (a crawl killed before it wrote its manifest)
    in a manifest of their own, ``crawls/orphans-<UTC time>.json``, so ``verify`` accounts
    for them. Returns its crawl id, or ``None`` when there were none."""
    listed: set[str] = set()
    for path in (root / MANIFEST_AREA).glob("*.json"):
        listed.update(f["key"] for f in json.loads(path.read_text(encoding="utf-8"))["files"])
    for manifest in load_manifests(store, None):
        listed.update(f["key"] for f in manifest["files"])
    orphans = [r for key, r in done.items() if key not in listed]
    for area in UPLOADED_AREAS:
        for key in store.keys(area):
            info = store.stat(key) if key not in listed and key not in done else None
            if info is not None:
                sha = info.sha256 or stored_digest(store, key).sha256
                orphans.append(FileResult(key, info.size, sha, "stored"))
    if not orphans:
        return None
    crawl_id = f"orphans-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    manifest = build_manifest(crawl_id, [], datetime.now(UTC), {}, {}, orphans)
    manifest["note"] = "files found in the spool that no crawl manifest listed"
    path = root / manifest_key(crawl_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    logger.warning("%d spooled files had no crawl manifest; listed in %s", len(orphans), path)
    return crawl_id


def _already_stored(store: Store, root: Path, entry: dict[str, Any]) -> FileResult | None:
    """A manifest entry not stored at the time, whose file has reached the store since."""
    if entry["status"] == "stored" or (root / entry["key"]).exists():
        return None
    info = store.stat(entry["key"])
    if info is None or info.size != entry["size"] or info.sha256 not in (None, entry["sha256"]):
        return None
    return FileResult(entry["key"], entry["size"], entry["sha256"], "stored")


@dataclass
class VerifyReport:
    """Problems ``verify`` found (empty lists: all good)."""

    checked: int = 0
    missing: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    manifests: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.manifests) and not (self.missing or self.corrupt or self.unexpected)


def load_manifests(store: Store, crawl: str | None) -> list[dict[str, Any]]:
    """The stored manifests (one, with ``crawl``)."""
    keys = [manifest_key(crawl)] if crawl else list(store.keys(MANIFEST_AREA))
    manifests = []
    for key in keys:
        if store.stat(key) is None:
            raise StoreError(f"{store.description}: no manifest {key}")
        manifests.append(json.loads(b"".join(store.read(key))))
    return manifests


def verify(store: Store, crawl: str | None = None) -> VerifyReport:
    """Re-check every file of the manifests against the store (size and streamed sha256)."""
    report = VerifyReport()
    listed: set[str] = set()
    for manifest in load_manifests(store, crawl):
        report.manifests.append(str(manifest["crawl_id"]))
        for entry in manifest["files"]:
            key = str(entry["key"])
            listed.add(key)
            report.checked += 1
            info = store.stat(key)
            if info is None:
                report.missing.append(key)
                continue
            digest = stored_digest(store, key)
            if digest.size != entry["size"] or digest.sha256 != entry["sha256"]:
                report.corrupt.append(key)
    if crawl is None:
        for area in UPLOADED_AREAS:
            report.unexpected.extend(k for k in store.keys(area) if k not in listed)
    return report
