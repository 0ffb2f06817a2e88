"""``newsarchive wacz CRAWL_ID -o out.wacz``: pack one crawl into a WACZ with the ``wacz``
package: its WARCs (found by the crawl id in their warcinfo records), a CDXJ index the
package builds, and a pages list of the crawl's fetched article pages."""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import crawler.warcio_compat  # noqa: F401 - wacz indexes br records with warcio
from crawler.archive import archive_root
from crawler.errors import NewsarchiveError, writable_output
from crawler.store.location import parse_archive_uri
from crawler.warc_reader import WarcFile, iter_records

logger = logging.getLogger(__name__)


def crawl_warcs(root: Path, crawl_id: str) -> list[Path]:
    """The closed WARCs whose warcinfo names ``crawl_id`` (isPartOf)."""
    found = []
    for path in sorted((root / "warc").rglob("*.warc.gz")):
        for _, record, payload in iter_records(WarcFile(path)):
            if record.rec_type == "warcinfo" and _part_of(record, payload) == crawl_id:
                found.append(path)
            break
    return found


def _part_of(record: object, payload: bytes) -> str | None:
    fields = getattr(record, "http_headers", None)
    value = fields.get_header("isPartOf") if fields is not None else None
    if value:
        return str(value)
    for line in payload.decode("utf-8", "replace").splitlines():
        if line.startswith("isPartOf:"):
            return line.split(":", 1)[1].strip()
    return None


def pages(root: Path, crawl_id: str) -> list[dict[str, str]]:
    """WACZ pages: each article the crawl fetched, from its discovery ledger."""
    out = []
    for ledger in sorted((root / "discovery").rglob(f"{crawl_id}.jsonl")):
        for line in ledger.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if entry["fate"] == "fetched":
                out.append({"url": entry["final_url"] or entry["url"]})
    return out


def fetch_crawl(settings: Mapping[str, Any], crawl_id: str, target: Path) -> Path:
    """Download the WARCs and ledgers that crawl ``crawl_id``'s manifest lists from the
    store into ``target`` (same layout); returns ``target``."""
    from crawler.store import open_store
    from crawler.store.backends import download
    from crawler.store.manifest import load_manifests

    store = open_store(settings)
    (manifest,) = load_manifests(store, crawl_id)
    for entry in manifest["files"]:
        key = str(entry["key"])
        if key.startswith(("warc/", "discovery/")):
            download(store, key, target / key)
    return target


def export_wacz(
    archive_uri: str, crawl_id: str, output: Path, settings: Mapping[str, Any] | None = None
) -> Path:
    """Write the WACZ of ``crawl_id``; raise NewsarchiveError if the crawl has no WARCs.
    For an ``s3://`` archive the crawl's files are fetched from the store (``settings``
    configure the client) into a temporary directory first."""
    writable_output(output)
    if parse_archive_uri(archive_uri).is_s3:
        with tempfile.TemporaryDirectory() as tmp:
            root = fetch_crawl({**(settings or {}), "ARCHIVE_URI": archive_uri}, crawl_id,
                               Path(tmp))  # fmt: skip
            return _export(root, crawl_id, output)
    return _export(archive_root(archive_uri), crawl_id, output)


def _export(root: Path, crawl_id: str, output: Path) -> Path:
    from wacz.main import main as wacz_main

    warcs = crawl_warcs(root, crawl_id)
    if not warcs:
        raise NewsarchiveError(f"no WARC files of crawl {crawl_id!r} under {root / 'warc'}")
    with tempfile.TemporaryDirectory() as tmp:
        pages_file = Path(tmp) / "pages.jsonl"
        header = {"format": "json-pages-1.0", "id": "pages", "title": f"Pages of {crawl_id}"}
        rows = [header, *pages(root, crawl_id)]
        pages_file.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        args = ["create", "-o", str(output), "-p", str(pages_file), "--title", crawl_id]
        status = wacz_main([*args, *map(str, warcs)])
    if status not in (0, None):
        raise NewsarchiveError(f"wacz create failed for crawl {crawl_id!r} (status {status})")
    logger.info("Wrote %s: %d WARCs, %d pages", output, len(warcs), len(rows) - 1)
    return output
