"""Benchmark: researcher access on an archive of ``--captures`` fixture captures.

The archive is built from one demo crawl of the fixture site: each of its article
responses is written again under ``?n=<i>`` URLs (real fixture HTML, gzip members, CDXJ by
cdxj-indexer, one parsed record each), so the catalog, ranged reads and export see the
same files a crawl of that many articles would leave.

Figures (one run):
1. ``catalog rebuild`` seconds per 10,000 captures (file://).
2. ``get`` latency (catalog look-up + ranged read + WARC/HTML), median and p95, file://
   (target < 50 ms) and s3:// (local SeaweedFS), and S3 requests per get (target: 1 per
   record read).
3. ``export --format parquet`` records/s (target >= 5,000/s) and peak RSS of the export
   process at 1,000 and ``--captures`` records (target: flat).

Run: ``python tests/bench/bench_access.py [--captures 10000]``.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from warcio.warcwriter import WARCWriter  # noqa: E402

from crawler.access.api import open_archive  # noqa: E402
from pipelines.cdxj import write_index  # noqa: E402
from tests.helpers import run_cli  # noqa: E402

GETS = 300


def template(tmp: Path) -> list[tuple[dict[str, Any], bytes]]:
    """(record, HTTP response block) of each article of one demo crawl."""
    root = tmp / "template"
    result = run_cli("demo", "--archive", str(root), "--articles", "24", cwd=tmp)
    assert result.returncode == 0, result.stderr
    found = []
    for path in (root / "records").rglob("*.jsonl.gz"):
        for line in gzip.decompress(path.read_bytes()).splitlines():
            record = json.loads(line)
            warc = record["warc"]
            with (root / warc["filename"]).open("rb") as handle:
                handle.seek(warc["offset"])
                member = zlib.decompressobj(wbits=31).decompress(handle.read(warc["length"]))
            found.append((record, member.split(b"\r\n\r\n", 1)[1].rstrip(b"\r\n")))
    return found


def build(root: Path, count: int, templates: list[tuple[dict[str, Any], bytes]]) -> None:
    """An archive of ``count`` captures (one WARC, its CDXJ, one record file)."""
    day = "warc/bench/2026/11/23"
    warc_key = f"{day}/bench-00001.warc.gz"
    (root / day).mkdir(parents=True)
    records = []
    with (root / warc_key).open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for i in range(count):
            record, block = templates[i % len(templates)]
            url = f"{record['url']}?n={i}"
            when = f"2026-11-23T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z"
            warc_record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(block), length=len(block),
                warc_headers_dict={"WARC-Date": when},
            )  # fmt: skip
            offset = out.tell()
            writer.write_record(warc_record)
            record = dict(record, url=url, canonical_url=url, outlet="bench", fetched_at=when)
            record["warc"] = dict(record["warc"], filename=warc_key, offset=offset,
                                  length=out.tell() - offset)  # fmt: skip
            records.append(json.dumps(record, ensure_ascii=False))
    index = root / "index/bench/2026/11/23/bench-00001.warc.gz.cdxj"
    index.parent.mkdir(parents=True)
    write_index(root / warc_key, index, warc_key)
    out_records = root / "records/bench/2026/11/23/bench-crawl-00001.jsonl.gz"
    out_records.parent.mkdir(parents=True)
    out_records.write_bytes(gzip.compress(("\n".join(records) + "\n").encode(), 6))


def timed_gets(uri: str, urls: list[str], **settings: Any) -> tuple[list[float], float]:
    """Latencies of get + WARC + HTML per URL, and S3 requests per record read."""
    with open_archive(uri, **settings) as archive:
        sent: list[str] = []
        client = getattr(archive.store, "client", None)
        if client is not None:
            client.meta.events.register("before-send.s3.*", lambda **kw: sent.append("x"))
        times = []
        for url in urls:
            start = time.perf_counter()
            capture = archive.get(url)
            archive.warc(capture)
            archive.html(capture)
            times.append(time.perf_counter() - start)
    return times, len(sent) / (2 * len(urls))


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def export_run(uri: str, out: Path, cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of ``newsarchive export --format parquet`` in a process."""
    code = (
        "import resource, sys, time; from crawler.cli import main; t = time.perf_counter();"
        f" rc = main(['export', '--archive', {uri!r}, '--format', 'parquet', '-o', {str(out)!r},"
        " '--no-progress']); print(time.perf_counter() - t,"
        " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(rc)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=cwd, env={**env, "PYTHONPATH": str(REPO)}, check=True)  # fmt: skip
    seconds, rss = done.stdout.split()[-2:]
    return float(seconds), int(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=10_000)
    parser.add_argument("--no-s3", action="store_true", help="skip the s3:// figures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-access-") as tmp_name:
        tmp = Path(tmp_name)
        templates = template(tmp)
        sizes = sorted({1000, args.captures})
        for size in sizes:
            build(tmp / f"a{size}", size, templates)
        big = tmp / f"a{args.captures}"
        start = time.perf_counter()
        with open_archive(str(big), refresh=False) as archive:
            captures = archive.catalog.count()
        rebuild = time.perf_counter() - start
        print(f"catalog rebuild: {rebuild:.2f} s for {captures} captures"
              f" ({rebuild * 10_000 / captures:.2f} s per 10,000)")  # fmt: skip
        with open_archive(str(big), refresh=False) as archive:
            urls = [str(u) for (u,) in archive.catalog.db.execute("SELECT url FROM captures")]
        sample = random.Random(1).sample(urls, min(GETS, len(urls)))
        times, _ = timed_gets(str(big), sample)
        print(f"get (file://, WARC + HTML): {summary(times)} over {len(sample)} URLs")
        for size in sizes:
            seconds, rss = export_run(str(tmp / f"a{size}"), tmp / f"e{size}.parquet", tmp,
                                      dict(os.environ))  # fmt: skip
            print(f"export parquet {size} records: {size / seconds:,.0f} records/s,"
                  f" peak RSS {rss / 1024:.0f} MiB")  # fmt: skip
        if not args.no_s3:
            s3_figures(big, tmp, sample)


def s3_figures(root: Path, tmp: Path, sample: list[str]) -> None:
    from tests.s3server import SeaweedS3

    with SeaweedS3() as server:
        bucket = server.create_bucket("bench-access")
        client = server.client()
        for path in root.rglob("*"):
            if path.is_file() and "/state/" not in path.as_posix():
                key = f"arch/{path.relative_to(root).as_posix()}"
                client.upload_file(str(path), bucket, key)
        env = server.env()
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            uri = f"s3://{bucket}/arch"
            start = time.perf_counter()
            with open_archive(uri, CATALOG_PATH=str(tmp / "s3cat.sqlite3")):
                pass
            print(f"catalog rebuild from s3://: {time.perf_counter() - start:.2f} s")
            times, per_read = timed_gets(uri, sample, CATALOG_PATH=str(tmp / "s3cat.sqlite3"))
            print(f"get (s3://, WARC + HTML): {summary(times)};"
                  f" {per_read:.2f} S3 requests per record read")  # fmt: skip
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


if __name__ == "__main__":
    main()
