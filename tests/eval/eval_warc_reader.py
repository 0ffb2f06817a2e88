"""Evaluate the project's WARC reader on real third-party files (not a unit test).

Reads ``../shared/eval/warc-samples`` (or ``$NEWSARCHIVE_EVAL_DIR/warc-samples``); skips
with a message when absent. For every WARC/ARC/WACZ file it compares what
``crawler.warc_reader`` yields with what plain warcio 1.8.1 reads: the manifest's
figures when ``manifest.jsonl`` is present, else warcio run here as the baseline. A
file warcio reads must give the same records (count and types); a file warcio rejects
must give a WarcReadError naming file and offset (never another exception). Prints a
table; exits 1 on any mismatch.
"""

from __future__ import annotations

import json
import os
import sys
import zipfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from crawler.warc_reader import WarcReadError, iter_records, warc_files  # noqa: E402

SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz", ".wacz")


def eval_dir() -> Path:
    base = os.environ.get("NEWSARCHIVE_EVAL_DIR")
    return (Path(base) if base else REPO.parent / "shared" / "eval") / "warc-samples"


def ours(path: Path) -> tuple[Counter[str], str | None]:
    types: Counter[str] = Counter()
    try:
        for warc in warc_files(path):
            for _, record, _ in iter_records(warc):
                types[record.rec_type] += 1
    except WarcReadError as exc:
        return types, str(exc)
    except Exception as exc:
        return types, f"CRASH {type(exc).__name__}: {exc}"
    return types, None


def warcio_baseline(path: Path) -> tuple[Counter[str], str | None]:
    from warcio.archiveiterator import ArchiveIterator

    types: Counter[str] = Counter()
    streams = _streams(path)
    try:
        for stream in streams:
            for record in ArchiveIterator(stream, arc2warc=False):
                types[record.rec_type] += 1
    except Exception as exc:
        return types, f"{type(exc).__name__}: {exc}"
    return types, None


def _streams(path: Path) -> list:  # type: ignore[type-arg]
    if path.suffix == ".wacz":
        archive = zipfile.ZipFile(path)
        names = [n for n in archive.namelist() if n.endswith(SUFFIXES[:-1])]
        return [archive.open(n) for n in sorted(names)]
    return [path.open("rb")]


def manifest(root: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    path = root / "manifest.jsonl"
    if not path.exists():
        return {}
    return {row["file"]: row for row in map(json.loads, path.read_text().splitlines())}


def main() -> int:
    root = eval_dir()
    if not root.is_dir():
        print(f"skip: {root} not found")
        return 0
    rows, failures = manifest(root), 0
    if not rows:
        print(f"note: {root / 'manifest.jsonl'} absent; baseline = warcio run here")
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.name.endswith(SUFFIXES))
    print(f"{'file':70} {'warcio':>8} {'ours':>8}  verdict")
    for path in files:
        name = str(path.relative_to(root))
        base_types, base_error = warcio_baseline(path)
        our_types, our_error = ours(path)
        verdict = _verdict(base_types, base_error, our_types, our_error)
        failures += verdict != "ok"
        base = sum(base_types.values())
        print(f"{name[:70]:70} {base:>8} {sum(our_types.values()):>8}  {verdict}")
        if our_error and verdict == "ok":
            print(f"{'':70} clear error: {our_error[:110]}")
    print(f"\nfiles: {len(files)}, mismatches: {failures}")
    return 1 if failures else 0


def _verdict(
    base: Counter[str], base_error: str | None, our: Counter[str], our_error: str | None
) -> str:
    if base_error is None and our_error is None:
        return "ok" if base == our else f"MISMATCH records {dict(base)} vs {dict(our)}"
    if our_error.startswith("CRASH"):
        return f"MISMATCH {our_error[:80]}"
    if base_error is None:
        # We flag damage warcio passes over quietly (a cut gzip member): same records first.
        same = all(our[t] <= n for t, n in base.items())
        return (
            "ok"
            if same and "after the last whole record" in our_error
            else f"MISMATCH ours failed: {our_error[:80]}"
        )
    if our_error is None:
        return f"MISMATCH warcio failed ({base_error[:60]}), ours read {sum(our.values())}"
    return f"MISMATCH {our_error[:80]}" if our_error.startswith("CRASH") else "ok"


if __name__ == "__main__":
    sys.exit(main())
