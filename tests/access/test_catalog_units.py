"""Catalog pieces without an archive: gzip line streams, times, FTS queries, and the
meeting of a CDXJ line and a parsed record in one capture row."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.access.api import parse_when
from crawler.access.catalog import Catalog, CatalogError, Filters, fts_query
from crawler.access.ingest import index_row, iter_gzip_lines, record_row
from crawler.errors import NewsarchiveError


def chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def test_gzip_lines_across_members_and_chunk_boundaries() -> None:
    data = gzip.compress(b"a\nbb\n") + gzip.compress(b"ccc\nd")
    for size in (1, 3, 7, len(data)):
        assert list(iter_gzip_lines(chunks(data, size))) == [b"a", b"bb", b"ccc", b"d"]


def test_gzip_lines_torn_tail_raises_after_whole_lines() -> None:
    data = gzip.compress(b"".join(b"line %d\n" % i for i in range(2000)))
    got: list[bytes] = []
    with pytest.raises(EOFError):
        for line in iter_gzip_lines([data[: len(data) // 2]]):
            got.append(line)
    assert got and got[0] == b"line 0"


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2026-11-23", False, datetime(2026, 11, 23, tzinfo=UTC)),
        ("2026-11-23", True, datetime(2026, 11, 24, tzinfo=UTC)),
        ("2026-11-23T16:30:00Z", False, datetime(2026, 11, 23, 16, 30, tzinfo=UTC)),
        ("2026-11-23T17:30:00+01:00", False, datetime(2026, 11, 23, 16, 30, tzinfo=UTC)),
        ("20261123163000", False, datetime(2026, 11, 23, 16, 30, tzinfo=UTC)),
        ("202611", True, datetime(2026, 12, 1, tzinfo=UTC)),
        ("202612", True, datetime(2027, 1, 1, tzinfo=UTC)),
        ("2026", False, datetime(2026, 1, 1, tzinfo=UTC)),
    ],
)
def test_times(text: str, end: bool, expected: datetime) -> None:
    assert parse_when(text, end=end) == expected.timestamp()


def test_bad_time_names_the_value() -> None:
    with pytest.raises(NewsarchiveError, match="'yesterday'"):
        parse_when("yesterday")


def test_fts_query_quotes_user_words() -> None:
    assert fts_query('budget "OR" NEAR(x') == '"budget" """OR""" "NEAR(x"'
    with pytest.raises(CatalogError):
        fts_query("   ")


RECORD = {
    "url": "http://Example.org:80/a/?utm_source=x", "canonical_url": "http://example.org/a/",
    "outlet": "demo", "fetched_at": "2026-11-23T16:30:00.5Z", "status": 200,
    "warc": {"filename": "warc/demo/x.warc.gz", "offset": 100, "length": 50,
             "record_id": "<urn:uuid:1>", "payload_digest": "sha1:AAA"},
    "title": "Budget vote", "published": "2026-11-22", "text": "The council voted.",
    "comments": {"found_count": 2, "items": [{}, {}]},
}  # fmt: skip
CDXJ = ('org,example)/a 20261123163000 {"url": "http://example.org/a/", "mime": "text/html",'
        ' "status": "200", "digest": "sha1:AAA", "length": "50", "offset": "100",'
        ' "filename": "warc/demo/x.warc.gz"}')  # fmt: skip


@pytest.mark.parametrize("record_first", [True, False])
def test_index_line_and_record_meet_in_one_row(tmp_path: Path, record_first: bool) -> None:
    with Catalog(tmp_path / "c.sqlite3") as catalog:
        raw = json.dumps(RECORD).encode()
        row = index_row(CDXJ, "index/demo/x.warc.gz.cdxj")
        assert row is not None
        steps = [lambda: catalog.add_index_line(row),
                 lambda: catalog.add_record(record_row(RECORD, "records/demo/r.jsonl.gz", 3),
                                            raw, RECORD["text"])]  # fmt: skip
        for step in steps[::-1] if record_first else steps:
            step()
        assert catalog.count() == 1
        (capture,) = catalog.snapshots(["http://example.org/a/"])
        assert capture.fetched_at == "2026-11-23T16:30:00.5Z"  # the record's finer time
        assert (capture.status, capture.mime, capture.comment_count) == (200, "text/html", 2)
        assert (capture.record_key, capture.record_line) == ("records/demo/r.jsonl.gz", 3)
        assert catalog.record_json(capture.id) == raw
        (hit,) = catalog.search("council", Filters(), None)
        assert "[council]" in hit.snippet
