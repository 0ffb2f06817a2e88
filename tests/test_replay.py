"""Offline crawls from recorded WARCs, diffed against golden files.

``tests/fixtures/demo.warc.gz`` was recorded with ``newsarchive record demo -o
tests/fixtures/demo.warc.gz`` from the project's fixture site. ``pytest --update-golden``
rewrites ``tests/golden/``; nothing else does.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from crawler.errors import ReplayMissError
from crawler.replay import ReplayIndex
from tests.helpers import REPO, gz_lines, run_cli
from tests.warc_util import members

FIXTURE = REPO / "tests" / "fixtures" / "demo.warc.gz"
# As given on the command line (relative to the repo, where the CLI runs): error messages
# name the source this way, so golden files do not depend on the checkout's location.
FIXTURE_ARG = "tests/fixtures/demo.warc.gz"
GOLDEN = REPO / "tests" / "golden"
# Differ run to run (times, the crawl id in record-file names) or with library versions.
VOLATILE = {"fetched_at", "seen_at", "admitted_at", "record", "extractor"}


def normalise(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in sorted(value.items()) if k not in VOLATILE}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def replay(
    tmp_path: Path, *extra: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    items, stats = tmp_path / "items.jsonl", tmp_path / "stats.json"
    result = run_cli(
        "crawl", "demo", "--replay", FIXTURE_ARG, "--archive", str(tmp_path / "archive"),
        "-o", str(items), "--stats-json", str(stats), *extra,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    crawl_stats = json.loads(stats.read_text())["demo"]
    crawl_stats["records"] = sorted(
        (normalise(json.loads(line)) for f in sorted((tmp_path / "archive").rglob("*.jsonl.gz"))
         for line in gz_lines(f)),
        key=lambda r: r["url"],
    )  # fmt: skip
    ledger_path = Path(crawl_stats["ledger/path"])
    rows = [normalise(json.loads(x)) for x in items.read_text().splitlines()]
    ledger = [normalise(json.loads(x)) for x in ledger_path.read_text().splitlines()]
    return (
        sorted(rows, key=lambda r: r["requested_url"]),
        sorted(ledger, key=lambda r: r["url"]),
        crawl_stats,
    )


def compare_or_update(name: str, rows: list[dict[str, Any]], update: bool) -> None:
    path = GOLDEN / name
    text = "".join(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n" for r in rows)
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} missing: run pytest --update-golden"
    expected = path.read_text(encoding="utf-8").splitlines()
    assert text.splitlines() == expected


def test_replayed_crawl_matches_golden(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    update = bool(request.config.getoption("--update-golden"))
    items, ledger, stats = replay(tmp_path)
    assert stats["replay/served"] > 50 and not list((tmp_path / "archive").rglob("*.warc.gz"))
    compare_or_update("demo.items.jsonl", items, update)
    compare_or_update("demo.ledger.jsonl", ledger, update)
    compare_or_update("demo.records.jsonl", stats["records"], update)
    assert len(stats["records"]) == len(items)
    assert stats.get("replay/missing", 0) == 1  # only the page over the size cap


def test_replay_is_repeatable(tmp_path: Path) -> None:
    first = replay(tmp_path / "a")
    second = replay(tmp_path / "b")
    assert first[0] == second[0] and first[1] == second[1]


def test_captures_served_in_recorded_order() -> None:
    index = ReplayIndex(str(FIXTURE))
    statuses: dict[str, list[bytes]] = {}
    for member in members(FIXTURE):
        if member.type == "response":
            statuses.setdefault(member.headers["WARC-Target-URI"], []).append(member.block[9:12])
    retried = {u: s for u, s in statuses.items() if len(s) > 1}
    assert sorted(retried.values()) == [[b"429", b"200"], [b"500", b"200"]]
    for url in retried:
        assert len(index.by_url[url]) == 2
        first, second, third = index.take(url), index.take(url), index.take(url)
        assert first != second and second == third  # the last capture repeats


def test_missing_capture_fails_clearly_or_404(tmp_path: Path) -> None:
    index = ReplayIndex(str(FIXTURE))
    assert index.take("http://127.0.0.1:8765/never-recorded/") is None
    _, ledger, stats = replay(tmp_path, "-s", "REPLAY_MISSING_404=True")
    assert stats["replay/missing"] >= 1
    assert any(e["fate"] == "failed:http_404" and "skiostiomio" in e["url"] for e in ledger)
    assert ReplayMissError.__doc__


def test_truncated_source_serves_records_before_the_damage(tmp_path: Path) -> None:
    data = FIXTURE.read_bytes()
    damaged = tmp_path / "damaged.warc.gz"
    cut = members(FIXTURE)[40]
    damaged.write_bytes(data[: cut.offset + cut.length // 2])
    index = ReplayIndex(str(damaged))
    assert len(index.errors) == 1
    assert str(damaged) in index.errors[0] and f"offset {cut.offset}" in index.errors[0]
    served = sum(len(q) for q in index.by_url.values())
    before = [m for m in members(FIXTURE)[:40] if m.type in ("response", "revisit")]
    assert served == len(before)


def test_directory_source(tmp_path: Path) -> None:
    shutil.copy(FIXTURE, tmp_path / "one.warc.gz")
    index = ReplayIndex(str(tmp_path))
    assert sum(len(q) for q in index.by_url.values()) == sum(
        1 for m in members(FIXTURE) if m.type == "response"
    )


def test_a_record_cut_off_inside_its_payload_is_flagged(tmp_path: Path) -> None:
    """A WARC cut in the middle of a response's body: warcio yields the record short and
    says nothing; the reader keeps it, flagged, so re-extraction counts the file damaged."""
    from crawler.warc_reader import WarcFile, iter_records

    index, cut = next((i, m) for i, m in enumerate(members(FIXTURE))
                      if m.type == "response" and m.length > 3000)  # fmt: skip
    damaged = tmp_path / "damaged.warc.gz"
    damaged.write_bytes(FIXTURE.read_bytes()[: cut.offset + cut.length * 9 // 10])
    entries = list(iter_records(WarcFile(damaged)))
    assert len(entries) == index + 1
    assert entries[-1].offset == cut.offset and entries[-1].truncated
    assert not any(e.truncated for e in entries[:-1])


def test_an_unreadable_or_empty_source_is_refused_before_the_crawl(tmp_path: Path) -> None:
    broken = tmp_path / "broken.wacz"
    broken.write_bytes(FIXTURE.read_bytes()[:4000])  # gzip bytes, not a zip
    empty = tmp_path / "empty"
    empty.mkdir()
    for source, message in ((broken, "not a readable WACZ (zip)"), (empty, "no WARC files")):
        result = run_cli("crawl", "demo", "--replay", str(source), "--archive",
                         str(tmp_path / "out"))  # fmt: skip
        assert result.returncode == 1
        assert result.stderr.strip().splitlines()[-1].startswith(f"newsarchive: {source}: ")
        assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists(), "nothing started"


def test_record_writes_one_warc_and_refuses_a_directory_first(tmp_path: Path) -> None:
    taken = tmp_path / "taken.warc.gz"
    taken.mkdir()
    refused = run_cli("record", "demo", "-o", str(taken))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"cannot write {taken}: it is a directory" in refused.stderr
    assert "Recorded" not in refused.stdout  # refused before the crawl
    out = tmp_path / "new" / "demo.warc.gz"  # its directory is made
    result = run_cli("record", "demo", "-o", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    kinds = [m.type for m in members(out)]
    assert kinds[0] == "warcinfo" and kinds.count("response") > 5
    assert f"into {out}" in result.stdout
