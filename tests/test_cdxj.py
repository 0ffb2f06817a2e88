"""CDXJ indexes are sorted in bounded memory: runs merged from disk give the same order."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipelines.cdxj import sorted_lines


def _write(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"".join(lines))


def test_runs_merged_from_disk_equal_one_sort(tmp_path: Path) -> None:
    rng = random.Random(5)
    lines = [f"org,example)/{rng.randrange(10**6)} 2026{rng.randrange(10**8):08d} {{}}\n".encode()
             for _ in range(1000)]  # fmt: skip
    source = tmp_path / "unsorted"
    _write(source, [*lines[:500], b"\n", *lines[500:]])  # a blank line is dropped
    merged = list(sorted_lines(source, tmp_path, run_lines=64))
    assert merged == sorted(lines)
    assert len(list(tmp_path.glob("run-*"))) == 16  # 1000 lines in runs of 64


def test_small_index_sorted_in_memory_and_last_line_terminated(tmp_path: Path) -> None:
    source = tmp_path / "unsorted"
    _write(source, [b"b 2 {}\n", b"a 1 {}\n", b"c 3 {}"])
    assert list(sorted_lines(source, tmp_path)) == [b"a 1 {}\n", b"b 2 {}\n", b"c 3 {}\n"]
    assert not list(tmp_path.glob("run-*"))


def test_empty_index(tmp_path: Path) -> None:
    source = tmp_path / "unsorted"
    _write(source, [])
    assert list(sorted_lines(source, tmp_path)) == []


# cdxj-indexer leaves a request's spooled copy for the garbage collector on this path.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_post_bodies_still_keyed_and_responses_not_decoded(tmp_path: Path) -> None:
    """Request bodies still reach the key (pywb's POST lookup); a response's content is
    not copied aside (its decoded size is never held)."""
    import gzip
    import io
    import json

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from pipelines.cdxj import write_index

    warc = tmp_path / "post.warc.gz"
    page = gzip.compress(b"<p>" * 5_000_000)
    with warc.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        url = "http://example.com/search"
        body = b"q=archives&page=2"
        req_headers = StatusAndHeaders("POST /search HTTP/1.1", [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Content-Length", str(len(body)))], protocol="POST")  # fmt: skip
        resp_headers = StatusAndHeaders("200 OK", [
            ("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(page)))], protocol="HTTP/1.1")  # fmt: skip
        response = writer.create_warc_record(url, "response", payload=io.BytesIO(page),
                                             http_headers=resp_headers)  # fmt: skip
        request = writer.create_warc_record(url, "request", payload=io.BytesIO(body),
                                            http_headers=req_headers)  # fmt: skip
        writer.write_request_response_pair(request, response)
    out = tmp_path / "post.cdxj"
    write_index(warc, out, "post.warc.gz")
    lines = out.read_text().splitlines()
    response_line = next(line for line in lines if '"status": "200"' in line)
    assert "__wb_method=post" in response_line and "q=archives" in response_line
    assert json.loads(response_line.split(" ", 2)[2])["method"] == "POST"
