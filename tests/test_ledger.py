"""The discovery ledger store: bounded memory, changes kept across eviction, order, aliases."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.ledger import MIN_MEMORY_ENTRIES, Ledger, LedgerEntry, Provenance


def _entry(n: int) -> LedgerEntry:
    return LedgerEntry(
        f"https://news.example/a/{n}", [Provenance("https://news.example/feed", "feed")]
    )


@pytest.mark.parametrize("spill", [True, False])
def test_changes_survive_eviction_and_order_is_kept(tmp_path: Path, spill: bool) -> None:
    ledger = Ledger(tmp_path / "ledger" if spill else None, memory_entries=MIN_MEMORY_ENTRIES)
    urls = [f"https://news.example/a/{n}" for n in range(200)]
    for n, url in enumerate(urls):
        ledger.add(url, _entry(n))
    assert list(tmp_path.rglob("*")) == ([tmp_path / "ledger"] if spill else []), "no file left"
    for n, url in enumerate(urls):  # early entries come back from the database
        entry = ledger[url]
        entry.fate, entry.status = "fetched", 200 + n % 3
        if n % 2:
            entry.provenance.append(Provenance("https://news.example/sitemap.xml", "sitemap"))
    assert ledger.alias("https://news.example/moved", urls[5]) is ledger[urls[5]]
    assert ledger.alias(urls[7], urls[5]) is ledger[urls[7]], "a known URL keeps its entry"
    with pytest.raises(ValueError, match="already"):
        ledger.add(urls[3], _entry(3))
    assert "https://news.example/moved" in ledger and "https://news.example/none" not in ledger
    assert ledger.get("https://news.example/none") is None
    rows = [e.as_dict() for e in ledger.entries()]
    assert [r["url"] for r in rows] == urls and len(ledger) == 200
    assert {r["fate"] for r in rows} == {"fetched"}
    assert [r["status"] for r in rows] == [200 + n % 3 for n in range(200)]
    assert [len(r["provenance"]) for r in rows] == [1 + n % 2 for n in range(200)]
    assert (ledger.stored > 200) if spill else (ledger.stored == 0)
    ledger.close()


def test_memory_stays_bounded(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path, memory_entries=100)
    for n in range(5000):
        ledger.add(f"https://news.example/a/{n}", _entry(n))
    assert ledger.in_memory == 100
    assert sum(1 for _ in ledger.entries()) == 5000
