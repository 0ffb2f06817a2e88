"""WARC capture of a whole demo crawl, checked against the bytes the server really sent."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.fixture_site import FixtureSite
from crawler.fixture_site.server import RequestLogEntry
from tests.helpers import run_cli
from tests.warc_util import Member, iterate, members, warcio_check

# Small rotation size so one demo crawl spans several files.
ROTATE_BYTES = 150_000


@dataclass
class Capture:
    archive: Path
    log: list[RequestLogEntry]
    stats: dict[str, Any]
    stderr: str
    huge_path: str

    @property
    def warcs(self) -> list[Path]:
        return sorted((self.archive / "warc").rglob("*.warc.gz"))

    def records(self) -> list[Member]:
        return [m for w in self.warcs for m in members(w)]


def crawl(archive: Path, site: FixtureSite, *extra: str) -> tuple[dict[str, Any], str]:
    stats_path = archive.parent / f"{archive.name}-stats.json"
    result = run_cli(
        "crawl", "demo", "--archive", str(archive), "--stats-json", str(stats_path),
        "-s", f"WARC_MAX_SIZE={ROTATE_BYTES}", *extra,
        env={"NEWSARCHIVE_DEMO_URL": site.base_url},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(stats_path.read_text())["demo"], result.stderr


@pytest.fixture(scope="module")
def capture(tmp_path_factory: pytest.TempPathFactory) -> Capture:
    archive = tmp_path_factory.mktemp("warc") / "archive"
    site = FixtureSite(kind="wordpress", articles=24, seed=4, crawl_delay=0, record_wire=True)
    with site:
        stats, stderr = crawl(archive, site)
        log = list(site.request_log)
        huge = _path(site.model.edge_urls["huge"])
    return Capture(archive, log, stats, stderr, huge)


def by_path(entries: list[Any], key: Any) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for entry in entries:
        grouped[key(entry)].append(entry)
    return grouped


def test_every_response_block_is_the_bytes_sent(capture: Capture) -> None:
    responses = [m for m in capture.records() if m.type in ("response", "revisit")]
    archived = by_path(responses, lambda m: _path(m.headers["WARC-Target-URI"]))
    served = by_path([e for e in capture.log if e.sent], lambda e: e.path)
    assert served.pop(capture.huge_path), "the fixture's oversized page was requested"
    assert capture.huge_path not in archived, "over DOWNLOAD_MAXSIZE: not archived"
    assert archived.keys() == served.keys()
    for path, records in archived.items():
        assert len(records) == len(served[path]), path
        for record, entry in zip(records, served[path], strict=True):
            if record.type == "response":
                assert record.block == bytes(entry.sent), path
            else:  # a revisit keeps the header block only
                assert bytes(entry.sent).startswith(record.block), path
    assert capture.stats["warc/skipped/too_large"] == 1


def test_kinds_of_exchange_all_archived(capture: Capture) -> None:
    statuses = {m.block.split(b" ", 2)[1] for m in capture.records() if m.type == "response"}
    assert {b"200", b"301", b"302", b"404", b"410", b"429", b"500"} <= statuses
    uris = {_path(m.headers["WARC-Target-URI"]) for m in capture.records() if m.type == "response"}
    assert {"/robots.txt", "/feed/", "/sitemap_index.xml", "/post-sitemap2.xml.gz"} <= uris


def test_wire_details_survive(capture: Capture) -> None:
    responses = [m for m in capture.records() if m.type == "response"]
    chunked = [m for m in responses if b"Transfer-Encoding: chunked" in m.block]
    assert chunked and all(m.block.endswith(b"0\r\n\r\n") for m in chunked)
    assert any(b"Content-Encoding: br" in m.block for m in responses)
    gzipped = [m for m in responses if b"Content-Encoding: gzip" in m.block]
    assert gzipped and all(b"\r\n\r\n\x1f\x8b" in m.block for m in gzipped)
    # Status line as the server wrote it, reason phrase included.
    assert any(
        m.block.startswith(b"HTTP/1.0 429 Too Many Requests")
        or m.block.startswith(b"HTTP/1.1 429 Too Many Requests")
        for m in responses
    )


def test_request_records_are_the_bytes_received(capture: Capture) -> None:
    requests = [m for m in capture.records() if m.type == "request"]
    received = by_path([e for e in capture.log if e.received], lambda e: e.path)
    archived = by_path(requests, lambda m: _path(m.headers["WARC-Target-URI"]))
    for path, records in archived.items():
        for record, entry in zip(records, received[path], strict=False):
            assert record.block == entry.received, path


def test_records_linked_dated_and_addressed(capture: Capture) -> None:
    records = capture.records()
    ids = {m.headers["WARC-Record-ID"]: m for m in records}
    for record in records:
        if record.type == "request":
            partner = ids[record.headers["WARC-Concurrent-To"]]
            assert partner.type in ("response", "revisit")
            assert partner.headers["WARC-Target-URI"] == record.headers["WARC-Target-URI"]
        if record.type in ("request", "response", "revisit"):
            assert record.headers["WARC-IP-Address"] == "127.0.0.1"
            assert re.fullmatch(
                r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", record.headers["WARC-Date"]
            )
            assert record.headers["WARC-Block-Digest"].startswith("sha1:")


def test_files_rotate_each_with_warcinfo_first(capture: Capture) -> None:
    assert len(capture.warcs) >= 2
    assert not list(capture.archive.rglob("*.open"))
    pattern = re.compile(r"newsarchive-\d{14}-\d{5}-[\w]+-\d+\.warc\.gz")
    for warc in capture.warcs:
        assert pattern.fullmatch(warc.name)
        first = members(warc)[0]
        assert first.type == "warcinfo"
        assert b"isPartOf: demo-" in first.block and b"robots: obey" in first.block
        assert first.headers["WARC-Filename"] == warc.name


def test_warcio_check_and_reading(capture: Capture) -> None:
    status, output = warcio_check(*capture.warcs)
    assert status == 0, output
    records = [m for w in capture.warcs for m in members(w)]
    revisits = sum(m.type == "revisit" for m in records)  # warcio does not check those
    assert output.count("digest pass") == len(records) - revisits
    assert output.count("digest present but not checked (revisit)") == revisits
    assert "fail" not in output
    contents = [rec for w in capture.warcs for rec in iterate(w)]
    brotli_page = [c for t, u, c in contents if t == "response" and b"<html" in c[:200].lower()]
    assert brotli_page


def test_cdxj_offsets_are_one_ranged_read(capture: Capture) -> None:
    for warc in capture.warcs:
        relative = warc.relative_to(capture.archive / "warc")
        index = capture.archive / "index" / relative.parent / (relative.name + ".cdxj")
        lines = index.read_text().splitlines()
        assert lines
        data = warc.read_bytes()
        for line in lines:
            fields = json.loads(line.split(" ", 2)[2])
            offset, length = int(fields["offset"]), int(fields["length"])
            member = _one_member(data[offset : offset + length])
            assert member.headers["WARC-Target-URI"] == fields["url"]
            assert fields["filename"] == str(warc.relative_to(capture.archive))


def test_second_crawl_writes_revisits(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    with FixtureSite(kind="wordpress", articles=8, seed=4, crawl_delay=0) as site:
        crawl(archive, site)
        first = set(_all_warcs(archive))
        site.reset_state()
        stats, _ = crawl(archive, site)
    second = [w for w in _all_warcs(archive) if w not in first]
    revisits = [m for w in second for m in members(w) if m.type == "revisit"]
    assert stats["warc/revisits"] == len(revisits) > 10
    for record in revisits:
        assert record.headers["WARC-Profile"].endswith("/revisit/identical-payload-digest")
        assert record.headers["WARC-Refers-To-Target-URI"] == record.headers["WARC-Target-URI"]
        assert record.headers["WARC-Refers-To-Date"] < record.headers["WARC-Date"]
    status, output = warcio_check(*second)
    assert status == 0, output


def test_secrets_redacted_in_request_records(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    secret = "Bearer s3cr3t-token-value"
    headers = json.dumps({"Authorization": secret, "Accept": "text/html"})
    with FixtureSite(kind="wordpress", articles=4, seed=4, crawl_delay=0, record_wire=True) as site:
        crawl(archive, site, "-s", f"DEFAULT_REQUEST_HEADERS={headers}")
        sent_secret = any(e.headers.get("Authorization") == secret for e in site.request_log)
    assert sent_secret, "the header did reach the server"
    requests = [m for w in _all_warcs(archive) for m in members(w) if m.type == "request"]
    assert requests
    for record in requests:
        assert secret.encode() not in record.block
        assert b"Authorization: REDACTED" in record.block
        assert record.headers["WARC-Redacted-Headers"] == "Authorization"
    assert all(secret.encode() not in w.read_bytes() for w in _all_warcs(archive))


def _all_warcs(archive: Path) -> list[Path]:
    return sorted((archive / "warc").rglob("*.warc.gz"))


def _one_member(data: bytes) -> Member:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".warc.gz") as handle:
        handle.write(data)
        handle.flush()
        found = members(Path(handle.name))
    assert len(found) == 1
    return found[0]


def _path(uri: str) -> str:
    parts = urlsplit(uri)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_warc_1_0_selectable(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    with FixtureSite(kind="wordpress", articles=3, seed=4, crawl_delay=0) as site:
        crawl(archive, site, "-s", "WARC_VERSION=1.0")
    warcs = _all_warcs(archive)
    records = [m for w in warcs for m in members(w)]
    assert records and all(m.headers["WARC-Date"].endswith("Z") for m in records)
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", m.headers["WARC-Date"]) for m in records
    )
    assert all(w.read_bytes()[:2] == b"\x1f\x8b" for w in warcs)
    assert all(_one_member_raw(w).startswith(b"WARC/1.0\r\n") for w in warcs)
    assert warcio_check(*warcs)[0] == 0


def _one_member_raw(warc: Path) -> bytes:
    import zlib

    return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(warc.read_bytes())[:20]


def test_items_point_at_their_response_records(tmp_path: Path) -> None:
    archive, items = tmp_path / "archive", tmp_path / "items.jsonl"
    with FixtureSite(kind="wordpress", articles=4, seed=4, crawl_delay=0) as site:
        crawl(archive, site, "-o", str(items))
    rows = [json.loads(line) for line in items.read_text().splitlines()]
    assert rows
    for row in rows:
        ref = row["warc"]
        data = (archive / ref["filename"]).read_bytes()[
            ref["offset"] : ref["offset"] + ref["length"]
        ]
        member = _one_member(data)
        assert member.headers["WARC-Record-ID"] == ref["record_id"]
        assert member.headers["WARC-Target-URI"] == row["url"]
