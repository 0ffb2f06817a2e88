"""Parsed records: schema, content from fixture pages, the live crawl and `extract`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from crawler.extract_command import (
    ExtractStats,
    OutletRules,
    archive_root_of,
    indexed_captures,
    tasks_from_warc,
)
from crawler.fixture_site import FixtureSite
from crawler.records import build_record, failed_record, record_schema
from crawler.warc_reader import iter_records, warc_files
from tests.helpers import REPO, gz_lines, run_cli
from tests.warc_util import members

CONTEXT = {"outlet": "demo", "fetched_at": "2026-01-01T00:00:00.000000Z", "status": 200,
           "warc": None}  # fmt: skip
VALIDATOR = Draft202012Validator(record_schema())


def test_schema_is_valid_json_schema() -> None:
    Draft202012Validator.check_schema(record_schema())
    VALIDATOR.validate(failed_record("https://news.example.org/a/", CONTEXT, "timeout"))


@pytest.mark.parametrize("kind", ["wordpress", "tagdiv"])
def test_fixture_articles_become_valid_faithful_records(kind: str) -> None:
    site = FixtureSite(kind=kind, articles=12, seed=5)  # type: ignore[arg-type]
    with site:
        for article in site.model.articles[:6]:
            html = site.router.route(article.path).body.decode("utf-8")
            record = build_record(html, article.url, CONTEXT)
            VALIDATOR.validate(record)
            assert record["title"] == article.title
            assert record["authors"] == article.authors
            assert record["published"][:10] == article.published.date().isoformat()
            assert record["extraction_status"] == "ok"
            for paragraph in article.paragraphs:
                assert paragraph in record["text"]
            assert all(c.text[:40] not in record["text"] for c in article.comments)
            assert "Please enter your comment" not in record["text"]
            comments = record["comments"]
            assert (
                comments["found_count"] == len(article.comments) or article.comment_page_count > 1
            )


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("records")
    archive, stats_path, items = out / "archive", out / "stats.json", out / "items.jsonl"
    with FixtureSite(kind="wordpress", articles=10, seed=6, crawl_delay=0) as site:
        result = run_cli("crawl", "demo", "--archive", str(archive), "--stats-json",
                         str(stats_path), "-o", str(items),
                         env={"NEWSARCHIVE_DEMO_URL": site.base_url})  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    files = sorted((archive / "records").rglob("*.jsonl.gz"))
    records = [json.loads(x) for f in files for x in gz_lines(f)]
    return {"archive": archive, "records": records, "files": files,
            "items": [json.loads(x) for x in items.read_text().splitlines()],
            "stats": json.loads(stats_path.read_text())["demo"]}  # fmt: skip


def test_crawl_writes_one_valid_record_per_article(crawled: dict[str, Any]) -> None:
    records, items = crawled["records"], crawled["items"]
    assert len(records) == len(items) == crawled["stats"]["extract/records"]
    for record in records:
        VALIDATOR.validate(record)
    assert {r["url"] for r in records} == {i["url"] for i in items}
    assert not list(crawled["archive"].rglob("*.open"))
    assert all("_html" not in item for item in items)


def test_records_and_warc_point_at_each_other(crawled: dict[str, Any]) -> None:
    archive = crawled["archive"]
    by_id = {m.headers["WARC-Record-ID"]: m for w in sorted((archive / "warc").rglob("*.warc.gz"))
             for m in members(w)}  # fmt: skip
    metadata = [m for m in by_id.values() if m.type == "metadata"]
    assert len(metadata) == len(crawled["records"])
    for record in crawled["records"]:
        response = by_id[record["warc"]["record_id"]]
        assert response.type == "response" and response.headers["WARC-Target-URI"] == record["url"]
    lines = {f: gz_lines(f) for f in crawled["files"]}
    for meta in metadata:
        fields = dict(line.split(": ", 1) for line in meta.block.decode().splitlines())
        filename, _, line = fields["parsed-record"].partition("#line=")
        target = json.loads(lines[archive / filename][int(line) - 1])
        assert target["warc"]["record_id"] == meta.headers["WARC-Refers-To"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_extract_command_reproduces_crawl_records(
    crawled: dict[str, Any], tmp_path: Path, workers: str
) -> None:
    # with fewer workers than cores the main process reads the pages, else each worker
    # reads its own: the same records either way
    out = tmp_path / "again.jsonl"
    result = run_cli("extract", str(crawled["archive"] / "warc"), "-o", str(out), "--workers",
                     workers)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    again = {r["url"]: r for r in map(json.loads, out.read_text().splitlines())}
    live = {r["url"]: r for r in crawled["records"]}
    assert again.keys() == live.keys()
    for url, record in live.items():
        VALIDATOR.validate(again[url])
        for key in ("title", "authors", "published", "text", "comments", "warc", "outlet"):
            assert again[url][key] == record[key], (url, key)


NO_SCRAPY_RUN = """
import sys
from crawler.cli import main
code = main(["extract", sys.argv[1], "-o", sys.argv[2], "--workers", "1"])
print("scrapy imported:", any(name.split(".")[0] == "scrapy" for name in sys.modules))
sys.exit(code)
"""


def test_extract_command_starts_without_importing_scrapy(
    crawled: dict[str, Any], tmp_path: Path
) -> None:
    # Scrapy's import is a third of the command's start-up: the command decodes pages and
    # reads its settings without it (crawler.charset, crawler.startup.project_value)
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-c", NO_SCRAPY_RUN, str(crawled["archive"] / "warc"), str(out)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "scrapy imported: False" in result.stdout
    assert len(out.read_text().splitlines()) == len(crawled["records"])


def test_extract_settings_are_read_as_the_crawl_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crawler.runner import effective_settings
    from crawler.startup import project_value

    names = {"EXTRACT_WORKERS": int, "EXTRACT_TIMEOUT": float, "EXTRACT_MEMORY_MB": int,
             "DOWNLOAD_MAXSIZE": int}  # fmt: skip

    def both() -> list[tuple[Any, Any]]:
        settings = effective_settings()
        return [(kind(project_value(n)), kind(settings[n])) for n, kind in names.items()]

    assert all(light == real for light, real in both())
    (tmp_path / "my_project_settings.py").write_text(
        'from crawler.settings import *\nEXTRACT_TIMEOUT = "7.5"\nDOWNLOAD_MAXSIZE = 2048\n'
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "my_project_settings")
    pairs = both()
    assert all(light == real for light, real in pairs)
    assert pairs[1] == (7.5, 7.5) and pairs[3] == (2048, 2048)
    with pytest.raises(KeyError, match="NO_SUCH_SETTING"):
        project_value("NO_SUCH_SETTING")


def test_extract_output_path_is_made_or_named(crawled: dict[str, Any], tmp_path: Path) -> None:
    warcs = str(crawled["archive"] / "warc")
    nested = tmp_path / "new" / "dirs" / "out.jsonl"
    result = run_cli("extract", warcs, "-o", str(nested), "--workers", "1")
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(nested.read_text().splitlines()) == len(crawled["records"])
    # a directory given as the output: a clear error naming it, and no work done
    result = run_cli("extract", warcs, "-o", str(tmp_path), "--workers", "1")
    assert result.returncode == 1
    assert f"newsarchive: cannot write {tmp_path}: it is a directory" in result.stderr
    assert "Traceback" not in result.stderr


CRASHING_WRITER = """
import os, sys
from pathlib import Path
from pipelines.record_files import RecordFileWriter
writer = RecordFileWriter(Path(sys.argv[1]), "demo", "crash-1", max_count=100,
                          max_bytes=10**9, max_age=3600)
for i in range(50):
    writer.write({"n": i, "text": "invented words " * 50})
writer._fh.flush()
os._exit(1)  # a crash: the gzip stream is never finished
"""


def test_torn_record_file_recovered(tmp_path: Path) -> None:
    import os

    from pipelines.record_files import recover_record_files

    subprocess.run([sys.executable, "-c", CRASHING_WRITER, str(tmp_path)], cwd=REPO,
                   env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)  # fmt: skip
    open_file = next((tmp_path / "records").rglob("*.open"))
    data = open_file.read_bytes()
    open_file.write_bytes(data[: len(data) - 7])  # and the last block is torn
    old = open_file.stat().st_mtime - 120
    os.utime(open_file, (old, old))
    recovered = recover_record_files(tmp_path)
    assert len(recovered) == 1 and not open_file.exists()
    kept = [json.loads(x) for x in gz_lines(recovered[0])]
    assert kept and [r["n"] for r in kept] == list(range(len(kept)))
    assert not list((tmp_path / "records").rglob("*.torn"))


def _tasks(warc_dir: Path, captures: bool) -> tuple[list[Any], Any]:
    root, stats = archive_root_of(warc_dir), ExtractStats()
    rules = OutletRules(None, 32 * 1024 * 1024)
    tasks = []
    for warc in warc_files(warc_dir):
        found = indexed_captures(warc, root) if captures else None
        assert (found is not None) == captures
        tasks += list(tasks_from_warc(warc, root, rules, stats, found))
    return tasks, stats


def test_extract_lists_pages_from_the_cdxj_index_as_from_the_warc(
    crawled: dict[str, Any],
) -> None:
    warc_dir = crawled["archive"] / "warc"
    assert archive_root_of(crawled["archive"]) == archive_root_of(warc_dir) == crawled["archive"]
    (warc,) = warc_files(warc_dir)
    responses = [e.offset for e in iter_records(warc) if e.record.rec_type == "response"]
    captures = indexed_captures(warc, crawled["archive"])
    assert captures is not None and [c.offset for c in captures] == responses
    by_index, index_stats = _tasks(warc_dir, captures=True)
    by_scan, scan_stats = _tasks(warc_dir, captures=False)
    assert len(by_index) == len(crawled["records"]) and by_index == by_scan
    assert index_stats == scan_stats and index_stats.skipped > 0


def test_extract_reads_the_warc_when_its_index_does_not_match(
    crawled: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    archive = tmp_path / "archive"
    shutil.copytree(crawled["archive"] / "warc", archive / "warc")
    shutil.copytree(crawled["archive"] / "index", archive / "index")
    (warc,) = warc_files(archive / "warc")
    (index,) = (archive / "index").rglob("*.cdxj")
    expected, expected_stats = _tasks(crawled["archive"] / "warc", captures=False)
    lines = index.read_text().splitlines()

    # an index of another file, or one reaching past the file's end: not used at all
    index.write_text(lines[0].replace(".warc.gz", "-other.warc.gz") + "\n")
    assert indexed_captures(warc, archive) is None
    index.write_text(lines[0].replace('"offset": "', '"offset": "9') + "\n")
    assert indexed_captures(warc, archive) is None
    index.write_text("not a cdxj line\n")
    assert indexed_captures(warc, archive) is None

    # an index whose offsets point at other records: noticed, the file is read instead
    _swap_offsets(index, lines)
    with caplog.at_level("WARNING"):
        tasks, stats = _tasks(archive / "warc", captures=True)
    assert tasks == expected and stats == expected_stats
    assert "the CDXJ index does not match; reading the whole file instead" in caplog.text


def _swap_offsets(index: Path, lines: list[str]) -> None:
    """Rewrite ``index`` (its ``lines``) with the offsets of neighbouring captures swapped."""
    swapped = [json.loads(line.split(" ", 2)[2]) for line in lines]
    for first, second in zip(swapped[::2], swapped[1::2], strict=False):
        first["offset"], second["offset"] = second["offset"], first["offset"]
        first["length"], second["length"] = second["length"], first["length"]
    index.write_text("".join(f"k 20260101000000 {json.dumps(f)}\n" for f in swapped))


def test_extract_command_with_an_index_that_does_not_match(
    crawled: dict[str, Any], tmp_path: Path
) -> None:
    """The workers read the pages the index names; when the index turns out wrong, the
    run still gives every record once, with the skips counted once."""
    archive = tmp_path / "archive"
    shutil.copytree(crawled["archive"] / "warc", archive / "warc")
    shutil.copytree(crawled["archive"] / "index", archive / "index")
    (index,) = (archive / "index").rglob("*.cdxj")
    right = tmp_path / "right.jsonl"
    result = run_cli("extract", str(archive / "warc"), "-o", str(right), "--workers", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    summary = result.stdout.strip().splitlines()[-1].replace(str(right), "OUT")
    _swap_offsets(index, index.read_text().splitlines())
    wrong = tmp_path / "wrong.jsonl"
    result = run_cli("extract", str(archive / "warc"), "-o", str(wrong), "--workers", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "the CDXJ index does not match; reading the whole file instead" in result.stderr
    assert result.stdout.strip().splitlines()[-1].replace(str(wrong), "OUT") == summary
    expected = [json.loads(line) for line in right.read_text().splitlines()]
    got = [json.loads(line) for line in wrong.read_text().splitlines()]
    assert len(got) == len(expected) == len(crawled["records"])
    by_url = {r["url"]: r for r in expected}
    assert {r["url"] for r in got} == by_url.keys()
    for record in got:
        assert record == by_url[record["url"]]


def test_extract_command_from_a_relative_path_and_a_cut_off_warc(
    crawled: dict[str, Any], tmp_path: Path
) -> None:
    """An archive named relative to the working directory is read like any other; a WARC
    cut off in a record is a damaged input (exit 1) whose records before the cut are still
    extracted."""
    archive = tmp_path / "archive"
    shutil.copytree(crawled["archive"] / "warc", archive / "warc")
    shutil.copytree(crawled["archive"] / "index", archive / "index")
    config = str(Path(__file__).resolve().parents[1] / "config")
    result = run_cli("extract", "archive", "-o", "whole.jsonl", "--config", config, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = (tmp_path / "whole.jsonl").read_text().splitlines()
    whole = {r["url"]: r for r in map(json.loads, lines)}
    assert len(whole) == len(crawled["records"])
    (warc,) = (archive / "warc").rglob("*.warc.gz")
    # cut inside a response's body, past the first third of the file: warcio yields that
    # record short without a word
    third = warc.stat().st_size // 3
    cut = next(m for m in members(warc) if m.type == "response" and m.offset > third)
    warc.write_bytes(warc.read_bytes()[: cut.offset + cut.length * 9 // 10])
    result = run_cli("extract", "archive", "-o", "cut.jsonl", "--config", config, cwd=tmp_path)
    assert result.returncode == 1, result.stderr[-3000:]
    assert "1 damaged inputs" in result.stdout
    assert f"cut off in the record at offset {cut.offset}" in result.stderr
    cut = [json.loads(line) for line in (tmp_path / "cut.jsonl").read_text().splitlines()]
    assert 0 < len(cut) < len(whole)
    for record in cut[:-1]:  # the last may be the page the cut went through
        # (a page whose REST comments were cut off has its thread from the page itself)
        for key in ("title", "authors", "published", "text", "warc"):
            assert record[key] == whole[record["url"]][key], (record["url"], key)


def test_worker_warm_up_skips_the_jusText_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm-up page is long enough for trafilatura's own extraction: a shorter one
    loads jusText's stoplists of every language (0.7 s in each worker) for nothing."""
    import trafilatura.external

    import crawler.extract_command as command

    rescued: list[object] = []
    monkeypatch.setattr(trafilatura.external, "justext_rescue", lambda *a: rescued.append(a))
    record = build_record(command._WARM_UP_PAGE, "https://warm-up.invalid/", dict(CONTEXT))
    assert record["extraction_status"] == "ok" and record["word_count"] > 40
    assert rescued == []
    command._use_archive(tmp_path / "captures.pickle", OutletRules(None, 1024))
    assert rescued == [] and command._ARCHIVE is not None
