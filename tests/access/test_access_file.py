"""Researcher access on a file:// archive: catalog, snapshots, get, export, search."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from warcio.archiveiterator import ArchiveIterator

import crawler.warcio_compat  # noqa: F401
from crawler.access.api import open_archive
from crawler.access.catalog import Catalog
from tests.access.conftest import Built
from tests.helpers import run_cli


def cli(built: Built, *args: str, archive: str | None = None) -> tuple[int, str, str]:
    result = run_cli(*args, "--archive", archive or built.uri, env=built.env, cwd=built.cwd)
    return result.returncode, result.stdout, result.stderr


def article_urls(built: Built) -> list[str]:
    with open_archive(built.uri, refresh=False) as archive:
        rows = archive.catalog.db.execute(
            "SELECT DISTINCT url FROM captures WHERE record_key IS NOT NULL ORDER BY url"
        )
        return [str(r[0]) for r in rows]  # fmt: skip


def fetched_by_both(built: Built) -> list[str]:
    """Articles both crawls fetched, by their discovery ledgers (an old article found on an
    undated page first may be fetched by one crawl and filtered as too old by the other)."""
    ledgers = sorted(Path(built.uri).glob("discovery/demo/*/*/*/*.jsonl"))
    assert len(ledgers) == 2
    fetched = [{json.loads(line)["url"] for line in ledger.read_text().splitlines()
                if json.loads(line)["fate"] == "fetched"} for ledger in ledgers]  # fmt: skip
    return [u for u in article_urls(built) if all(u in f for f in fetched)]


def steady_url(built: Built) -> str:
    """An article captured exactly once per crawl (no retried error response)."""
    with open_archive(built.uri, refresh=False) as archive:
        return next(u for u in article_urls(built) if len(archive.snapshots(u)) == 2)


def test_second_crawl_reached_the_catalog_at_its_end(file_archive: Built) -> None:
    """The catalog was built between the crawls; the second crawl's hook added its
    captures (opened without refreshing, so nothing else could have)."""
    with open_archive(file_archive.uri, refresh=False) as archive:
        urls = fetched_by_both(file_archive)
        assert len(urls) >= 10
        for url in urls:  # (an article retried after a 500 has that capture too)
            captures = [c for c in archive.snapshots(url) if c.record_key]
            assert len(captures) == 2, url
            assert captures[0].fetched_at < captures[1].fetched_at  # type: ignore[operator]
        assert len(archive.catalog.ingested()) == 2 * 2 + 2  # index + records, 2 manifests


def test_snapshots_canonicalised_json_and_dates(file_archive: Built) -> None:
    url = steady_url(file_archive)
    messy = url.replace("http://127.0.0.1", "HTTP://127.0.0.1") + "?utm_source=feed#top"
    code, out, err = cli(file_archive, "snapshots", messy, "--json")
    assert code == 0, err
    captures = json.loads(out)
    assert [c["url"] for c in captures] == [url, url]
    assert {"canonical_url", "payload_digest", "warc_key", "warc_offset", "warc_length",
            "record_key", "title", "published", "comment_count",
            "status"} <= set(captures[0])  # fmt: skip
    first = captures[0]["fetched_at"]
    code, out, _ = cli(file_archive, "snapshots", url, "--to", first)
    assert code == 0 and len(out.splitlines()) == 1
    code, out, _ = cli(file_archive, "snapshots", url, "--from", captures[1]["fetched_at"])
    assert code == 0 and len(out.splitlines()) == 1
    code, out, _ = cli(file_archive, "snapshots", url, "--outlet", "demo", "--from", "2000")
    assert code == 0 and len(out.splitlines()) == 2 and "demo" in out


def test_unknown_url_exit_1_with_message(file_archive: Built) -> None:
    for command in (["snapshots"], ["get", "--html"]):
        code, _, err = cli(file_archive, *command, "http://nowhere.example/x")
        assert code == 1
        assert "no capture of http://nowhere.example/x" in err
        assert "Traceback" not in err


def test_get_closest_capture_as_warc_record_and_html(file_archive: Built, tmp_path: Path) -> None:
    url = steady_url(file_archive)
    with open_archive(file_archive.uri, refresh=False) as archive:
        first, second = [c for c in archive.snapshots(url) if c.record_key]
    out = tmp_path / "first.warc.gz"
    code, _, err = cli(file_archive, "get", url, "--at", first.timestamp, "--warc", "-o", str(out))
    assert code == 0, err
    with out.open("rb") as handle:
        records = list(ArchiveIterator(handle, check_digests="raise"))
    assert [r.rec_type for r in records] == ["response", "request"]
    assert records[0].rec_headers.get_header("WARC-Target-URI") == url
    assert records[0].rec_headers.get_header("WARC-Record-ID") == first.record_id

    code, html_first, _ = cli(file_archive, "get", url, "--at", first.fetched_at or "", "--html")
    assert code == 0 and html_first.lstrip().startswith("<!DOCTYPE html>")
    # The second crawl found the same payload: a revisit, resolved to the first response.
    assert second.is_revisit
    code, html_latest, _ = cli(file_archive, "get", url, "--html")
    assert code == 0 and html_latest == html_first
    code, _, _ = cli(file_archive, "get", url, "--warc", "-o", str(tmp_path / "l.gz"))
    assert code == 0
    with (tmp_path / "l.gz").open("rb") as handle:
        kinds = [r.rec_type for r in ArchiveIterator(handle, check_digests="raise")]
    assert kinds[0] == "revisit" and "response" in kinds

    code, record_json, _ = cli(file_archive, "get", url, "--record")
    record = json.loads(record_json)
    assert record["url"] == url and record["title"] == second.title
    assert record["warc"]["offset"] == second.warc_offset


def test_export_formats_read_by_duckdb_and_pandas(file_archive: Built, tmp_path: Path) -> None:
    with open_archive(file_archive.uri, refresh=False) as archive:
        expected = archive.catalog.count(articles_only=True)
    paths = {}
    for fmt in ("parquet", "jsonl", "csv"):
        paths[fmt] = tmp_path / f"out.{fmt}"
        code, out, err = cli(file_archive, "export", "--format", fmt, "-o", str(paths[fmt]))
        assert code == 0, err
        assert f"{expected} records written" in out
    frame = pd.read_parquet(paths["parquet"])
    assert len(frame) == expected
    assert str(frame["fetched_at"].dtype).startswith("datetime64")
    counts = duckdb.sql(
        f"SELECT url, comments.found_count AS found, len(comments.items) AS items,"
        f" comments.items[1].author AS author FROM read_parquet('{paths['parquet']}')"
    ).fetchall()
    assert len(counts) == expected
    assert any(found and found == items for _, found, items, _ in counts)
    assert all(found is None or found == items for _, found, items, _ in counts)
    jsonl = [json.loads(line) for line in paths["jsonl"].read_text().splitlines()]
    assert {r["url"] for r in jsonl} == set(frame["url"])
    with paths["csv"].open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == expected and "comment_count" in rows[0]


def test_export_filters(file_archive: Built, tmp_path: Path) -> None:
    with open_archive(file_archive.uri, refresh=False) as archive:
        url = steady_url(file_archive)
        first, second = [c for c in archive.snapshots(url) if c.record_key]
        title_word = (first.title or "").split()[0]
        later = archive.to_pandas(since=second.fetched_at)
        assert 0 < len(later) < archive.catalog.count(articles_only=True)
        assert set(archive.to_pandas(outlet="nope")["url"]) == set()
        hits = archive.to_pandas(query=title_word)
        assert url in set(hits["url"])
        assert len(list(archive.records(query=title_word))) == len(hits)
    out = tmp_path / "q.jsonl"
    code, _, err = cli(file_archive, "export", "--query", title_word, "--outlet", "demo",
                       "--format", "jsonl", "-o", str(out))  # fmt: skip
    assert code == 0, err
    assert len(out.read_text().splitlines()) == len(hits)


def test_output_into_a_directory_is_refused_up_front(file_archive: Built, tmp_path: Path) -> None:
    code, _, err = cli(file_archive, "export", "--format", "csv", "-o", str(tmp_path))
    assert code == 1
    assert f"cannot write {tmp_path}: it is a directory" in err and "Traceback" not in err
    code, _, err = cli(file_archive, "get", steady_url(file_archive), "--html", "-o", str(tmp_path))
    assert code == 1
    assert f"cannot write {tmp_path}: it is a directory" in err and "Traceback" not in err
    page = tmp_path / "pages" / "one.html"
    code, _, err = cli(file_archive, "get", steady_url(file_archive), "--html", "-o", str(page))
    assert code == 0, err
    assert b"<html" in page.read_bytes().lower()
    assert not tmp_path.with_name(tmp_path.name + ".open").exists()
    nested = tmp_path / "new" / "dirs" / "all.csv"
    code, _, err = cli(file_archive, "export", "--format", "csv", "-o", str(nested))
    assert code == 0, err
    assert nested.read_text().startswith("url,canonical_url,")


def test_search_ranked_with_snippets(file_archive: Built) -> None:
    url = steady_url(file_archive)
    with open_archive(file_archive.uri, refresh=False) as archive:
        latest = archive.snapshots(url)[-1]
        title = latest.title or ""
        body_word = max(archive.record(latest)["text"].split(), key=len).strip(".,;:?!")
    code, out, err = cli(file_archive, "search", title, "--json", "--limit", "5")
    assert code == 0, err
    hits = json.loads(out)
    assert hits[0]["url"] == url and hits[0]["title"] == title
    assert [h["score"] for h in hits] == sorted(h["score"] for h in hits)
    code, out, _ = cli(file_archive, "search", body_word, "--json")
    assert any(f"[{body_word}]".lower() in h["snippet"].lower() for h in json.loads(out))
    code, out, _ = cli(file_archive, "search", "zzzqqqnothing")
    assert code == 0 and "no match" in out


def copy_archive(built: Built, tmp_path: Path) -> Built:
    root = tmp_path / "archive"
    shutil.copytree(built.uri, root)
    return Built(str(root), built.base_url, built.env, tmp_path)


def test_corrupt_record_file_skipped_export_partial(file_archive: Built, tmp_path: Path) -> None:
    copy = copy_archive(file_archive, tmp_path)
    (Path(copy.uri) / "state" / "catalog.sqlite3").unlink()
    good = sorted((Path(copy.uri) / "records").rglob("*.jsonl.gz"))
    bad = good[0].with_name("broken-00001.jsonl.gz")
    bad.write_bytes(gzip.compress(b'{"url": "http://x/"}\n')[:-12] + b"garbage")
    out = tmp_path / "out.parquet"
    code, stdout, err = cli(copy, "export", "--format", "parquet", "-o", str(out))
    assert code == 1
    assert "missing: building it" in err
    assert bad.relative_to(copy.uri).as_posix() in err and "export incomplete" in err
    exported = pd.read_parquet(out)
    expected = sum(len(gzip.decompress(p.read_bytes()).splitlines()) for p in good)
    assert len(exported) == expected
    code, stdout, _ = cli(copy, "catalog", "status")
    assert "DAMAGED: records/" in stdout


def test_catalog_rebuild_and_stale_update(file_archive: Built, tmp_path: Path) -> None:
    """A catalog that misses a crawl whose manifest is in the store catches up on demand,
    with a message; `catalog rebuild` gives the same catalog from the store alone."""
    copy = copy_archive(file_archive, tmp_path)
    root = Path(copy.uri)
    manifests = sorted((root / "crawls").glob("*.json"))
    later = json.loads(manifests[-1].read_text())
    aside = tmp_path / "aside"
    for key in [f["key"] for f in later["files"]] + [f"crawls/{later['crawl_id']}.json"]:
        (aside / key).parent.mkdir(parents=True, exist_ok=True)
        (root / key).rename(aside / key)
    (root / "state" / "catalog.sqlite3").unlink()
    url = steady_url(file_archive)
    code, out, err = cli(copy, "snapshots", url)
    assert code == 0 and len(out.splitlines()) == 1 and "missing: building" in err
    shutil.copytree(aside, root, dirs_exist_ok=True)
    code, out, err = cli(copy, "snapshots", url)
    assert code == 0 and len(out.splitlines()) == 2
    assert "reading 1 new crawl manifests" in err

    with Catalog(root / "state" / "catalog.sqlite3") as catalog:
        before = catalog.count(), catalog.count(articles_only=True)
    code, out, err = cli(copy, "catalog", "rebuild")
    assert code == 0, err
    assert f"{before[0]} captures, {before[1]} parsed records" in out


def test_python_api_records_and_arrow(file_archive: Built) -> None:
    with open_archive(file_archive.uri) as archive:
        stream = archive.records(outlet="demo")
        first = next(stream)
        assert {"url", "title", "text", "comments", "warc"} <= set(first)
        rest = list(stream)
        assert len(rest) + 1 == stream.total and stream.damaged == []
        table = archive.to_arrow(outlet="demo")
        assert table.num_rows == stream.total
        assert table.schema.field("comments").type.field("items").type.value_type.num_fields == 7
        assert table.slice(0, 1).to_pylist()[0]["title"] == first["title"]
        assert len(archive.to_pandas(outlet="demo")) == stream.total


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-45"])
def test_bad_date_is_a_clean_error(file_archive: Built, bad: str) -> None:
    code, _, err = cli(file_archive, "snapshots", "http://x/", "--from", bad)
    assert code == 1 and repr(bad) in err and "Traceback" not in err
