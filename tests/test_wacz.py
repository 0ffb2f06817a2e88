"""`newsarchive wacz` packs a crawl; the wacz package validates it; replay reads it."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from crawler.fixture_site import FixtureSite
from crawler.replay import ReplayIndex
from tests.helpers import gz_lines, run_cli
from tests.warc_util import members


def test_wacz_of_a_crawl_validates_and_replays(tmp_path: Path) -> None:
    archive, stats_file = tmp_path / "archive", tmp_path / "stats.json"
    with FixtureSite(kind="wordpress", articles=6, seed=3, crawl_delay=0) as site:
        result = run_cli(
            "crawl",
            "demo",
            "--archive",
            str(archive),
            "--stats-json",
            str(stats_file),
            env={"NEWSARCHIVE_DEMO_URL": site.base_url},
        )
    assert result.returncode == 0, result.stderr[-2000:]
    crawl_id = json.loads(stats_file.read_text())["demo"]["newsarchive/crawl_id"]
    refused = run_cli("--archive", str(archive), "wacz", crawl_id, "-o", str(tmp_path))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"cannot write {tmp_path}: it is a directory" in refused.stderr
    out = tmp_path / "packed" / "crawl.wacz"  # its directory is made
    packed = run_cli("--archive", str(archive), "wacz", crawl_id, "-o", str(out))
    assert packed.returncode == 0, packed.stderr[-2000:]
    wacz_cli = Path(sys.executable).parent / "wacz"
    check = subprocess.run(
        [str(wacz_cli), "validate", "-f", str(out)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    with zipfile.ZipFile(out) as wacz:
        names = wacz.namelist()
        pages = wacz.read("pages/pages.jsonl").decode().splitlines()
    assert "datapackage.json" in names and any(n.startswith("archive/") for n in names)
    assert len(pages) > 5 and json.loads(pages[0])["format"] == "json-pages-1.0"
    warcs = sorted((archive / "warc").rglob("*.warc.gz"))
    responses = sum(1 for w in warcs for m in members(w) if m.type in ("response", "revisit"))
    index = ReplayIndex(str(out))
    assert sum(len(q) for q in index.by_url.values()) == responses
    # re-extraction from the WACZ gives the crawl's records: its pages list names the
    # articles (its WARCs carry no outlet); a broken WACZ beside it is a damaged input
    broken = tmp_path / "broken.wacz"
    broken.write_bytes(out.read_bytes()[:5000])
    records = tmp_path / "again.jsonl"
    again = run_cli("extract", str(broken), str(out), "-o", str(records))
    assert again.returncode == 1, again.stderr[-2000:]
    assert f"{broken}: unreadable at offset 0: not a readable WACZ" in again.stderr
    assert "1 damaged inputs" in again.stdout
    crawled = {json.loads(line)["url"] for f in (archive / "records").rglob("*.jsonl.gz")
               for line in gz_lines(f)}  # fmt: skip
    listed = {json.loads(line)["url"] for line in pages[1:]}
    extracted = [json.loads(line)["url"] for line in records.read_text().splitlines()]
    assert sorted(extracted) == sorted(crawled) == sorted(listed)


def test_unknown_crawl_id_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "warc").mkdir()
    result = run_cli("--archive", str(tmp_path), "wacz", "nope-1", "-o", str(tmp_path / "x.wacz"))
    assert result.returncode == 1
    assert "no WARC files of crawl 'nope-1'" in result.stderr
