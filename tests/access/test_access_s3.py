"""Researcher access on an s3:// archive (SeaweedFS): the same commands, ranged reads
counted on the wire, and a store that cannot be reached."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path
from typing import Any

import duckdb
from warcio.archiveiterator import ArchiveIterator

import crawler.warcio_compat  # noqa: F401
from crawler.access.api import open_archive
from tests.access.conftest import Built
from tests.helpers import run_cli


def cli(built: Built, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = run_cli(*args, "--archive", built.uri, env={**built.env, **(env or {})},
                     cwd=built.cwd)  # fmt: skip
    return result.returncode, result.stdout, result.stderr


class Requests:
    """S3 requests as botocore sends them: (operation, Range header)."""

    def __init__(self, client: Any) -> None:
        self.seen: list[tuple[str, str | None]] = []
        client.meta.events.register("before-send.s3.*", self.record)

    def record(self, request: Any, **kwargs: Any) -> None:
        operation = kwargs["event_name"].rsplit(".", 1)[-1]
        value = request.headers.get("Range")
        self.seen.append((operation, value.decode() if isinstance(value, bytes) else value))

    def clear(self) -> None:
        self.seen.clear()


def test_get_is_one_ranged_request_per_record_read(s3_env: Built) -> None:
    with open_archive(s3_env.uri) as archive:
        requests = Requests(archive.store.client)
        url = next(str(u) for (u,) in archive.catalog.db.execute(
            "SELECT url FROM captures WHERE record_key IS NOT NULL AND status = 200"))  # fmt: skip
        capture = archive.get(url)
        assert requests.seen == []  # the catalog answers
        warc = archive.warc(capture)
        assert len(requests.seen) == 1
        ((operation, byte_range),) = requests.seen
        start = capture.warc_offset
        assert operation == "GetObject" and byte_range is not None
        assert byte_range.startswith(f"bytes={start}-")
        records = list(ArchiveIterator(io.BytesIO(warc), check_digests="raise"))
        assert [r.rec_type for r in records] == ["response", "request"]
        requests.clear()
        html = archive.html(capture)
        assert html.lstrip().startswith(b"<!DOCTYPE html>") and len(requests.seen) == 1
        requests.clear()
        assert archive.record(capture)["url"] == url and requests.seen == []


def test_commands_on_s3(s3_archive: Built, tmp_path: Path) -> None:
    code, out, err = cli(s3_archive, "catalog", "rebuild")
    assert code == 0, err
    assert "captures" in out
    with open_archive(s3_archive.uri, refresh=False,
                      CATALOG_PATH=str(_catalog(s3_archive))) as archive:  # fmt: skip
        url = next(str(u) for (u,) in archive.catalog.db.execute(
            "SELECT url FROM captures WHERE record_key IS NOT NULL"))  # fmt: skip
        expected = archive.catalog.count(articles_only=True)
    code, out, err = cli(s3_archive, "snapshots", url, "--json")
    assert code == 0, err
    assert json.loads(out)[0]["url"] == url
    code, out, err = cli(s3_archive, "get", url, "--record")
    assert code == 0 and json.loads(out)["url"] == url
    parquet = tmp_path / "out.parquet"
    code, out, err = cli(s3_archive, "export", "--format", "parquet", "-o", str(parquet))
    assert code == 0, err
    (count,) = duckdb.sql(f"SELECT count(*) FROM read_parquet('{parquet}')").fetchone()  # type: ignore[misc]
    assert count == expected
    code, out, err = cli(s3_archive, "search", "the", "--json", "--limit", "3")
    assert code == 0 and len(json.loads(out)) == 3


def _catalog(built: Built) -> Path:
    bucket, _, prefix = built.uri.removeprefix("s3://").partition("/")
    return built.cwd / "archive-spool" / bucket / prefix / "state" / "catalog.sqlite3"


def test_unreachable_store_names_the_endpoint(s3_archive: Built, tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}"
    env = {**s3_archive.env, "AWS_ENDPOINT_URL": endpoint}
    result = run_cli("snapshots", "http://x/", "--archive", s3_archive.uri, env=env,
                     cwd=tmp_path)  # fmt: skip
    assert result.returncode == 1
    assert endpoint in result.stderr and "Traceback" not in result.stderr
