"""`newsarchive extract` on archives other tools wrote: their quirks are read, not fatal.

The files are written here byte by byte, with the quirks of real archives: a payload
stored decoded under its ``Content-Encoding: gzip`` header and a WARC-Date that is no
date (both ClueWeb09's), a response record without a target URI, and an ARC file.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run_cli

PARAGRAPH = (
    "The ferry to the northern islands runs twice a day in summer and once a day in winter,"
    " weather permitting, and the harbour office sells tickets from an hour before sailing."
)


def page(title: str) -> bytes:
    body = "".join(f"<p>{title}: {PARAGRAPH}</p>" for _ in range(4))
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{body}</article></body></html>"
    ).encode()


def http_block(body: bytes, *headers: str) -> bytes:
    lines = ["HTTP/1.1 200 OK", "Content-Type: text/html; charset=utf-8", *headers,
             f"Content-Length: {len(body)}"]  # fmt: skip
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def warc_record(block: bytes, date: str, uri: str | None, n: int) -> bytes:
    headers = ["WARC/1.0", "WARC-Type: response", f"WARC-Record-ID: <urn:uuid:0000-{n}>",
               f"WARC-Date: {date}", "Content-Type: application/http; msgtype=response",
               f"Content-Length: {len(block)}"]  # fmt: skip
    if uri:
        headers.insert(3, f"WARC-Target-URI: {uri}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + block + b"\r\n\r\n"


def arc_file(uri: str, block: bytes) -> bytes:
    version = b"1 0 Example\nURL IP-address Archive-date Content-type Archive-length\n"
    head = f"filedesc://example.arc 0.0.0.0 20080430204825 text/plain {len(version)}\n"
    record = f"{uri} 127.0.0.1 20080430204826 text/html {len(block)}\n"
    return head.encode() + version + b"\n" + record.encode() + block + b"\n"


def test_quirks_of_other_tools_archives_are_read(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    decoded_under_gzip = http_block(page("Stored decoded"), "Content-Encoding: gzip")
    bad_date = http_block(page("Day of the year"), "Date: Wed, 28 Jan 2009 17:05:56 GMT")
    no_uri = http_block(page("No address"))
    (inputs / "quirks.warc").write_bytes(
        warc_record(decoded_under_gzip, "2009-01-28T17:05:56Z", "http://a.example/decoded", 1)
        + warc_record(bad_date, "2008-10-294T05:21:46-0700", "http://a.example/date", 2)
        + warc_record(no_uri, "2009-01-28T17:05:56Z", None, 3)
    )
    (inputs / "old.arc").write_bytes(arc_file("http://b.example/old", http_block(page("Old"))))
    result = run_cli("extract", str(inputs), "-o", str(tmp_path / "out.jsonl"), "--all")
    records = {
        r["url"]: r for r in map(json.loads, (tmp_path / "out.jsonl").read_text().splitlines())
    }
    assert set(records) == {"http://a.example/decoded", "http://a.example/date",
                            "http://b.example/old"}, result.stderr[-3000:]  # fmt: skip
    titles = {"http://a.example/decoded": "Stored decoded", "http://a.example/date":
              "Day of the year", "http://b.example/old": "Old"}  # fmt: skip
    for url, title in titles.items():
        assert records[url]["title"] == title
        assert PARAGRAPH in records[url]["text"]
    # the WARC-Date is no date: the server's HTTP Date stands in, said in a warning
    assert records["http://a.example/date"]["fetched_at"] == "2009-01-28T17:05:56.000000Z"
    assert "has no valid WARC-Date ('2008-10-294T05:21:46-0700')" in result.stderr
    assert records["http://b.example/old"]["fetched_at"] == "2008-04-30T20:48:26.000000Z"
    # the record without an address is a damaged input, named; the others are extracted
    assert result.returncode == 1
    assert "quirks.warc: the record at offset" in result.stderr
    assert "1 damaged inputs" in result.stdout
