"""Benchmark: the whole job at once (prints figures).

A crawl of a fixture outlet (politeness delays off) with discovery, faithful WARC capture,
extraction with comment trees and the archive store (``s3://`` on a local SeaweedFS, or
``file://`` with ``--store file``) all on, beside the extraction-only bound: the same
article pages' HTML through ``trafilatura.bare_extraction(..., with_metadata=True)`` in as
many processes as the crawl's extraction pool, measured in the same run. Target: crawl
articles/s >= 0.8 of the bound. Prints pages/s, articles/s, CPU ms per page (crawl process
and its workers) and the peak RSS of the crawl process and of its largest extraction
worker (each process's own ``VmHWM``: ``ru_maxrss`` would also count the peak of this
benchmark process, which serves the fixture outlet and starts the crawl), per outlet size;
the sizes show whether memory stays flat.

Run: ``python tests/bench/bench_pipeline.py [--articles 2000 10000] [--store s3|file]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.common import FAST_SETTINGS, bare_rate, crawl_demo  # noqa: E402


def download_warcs(server: Any, bucket: str, target: Path) -> Path:
    """The crawl's stored WARCs, fetched into ``target`` (for the bound's pages)."""
    client = server.client()
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="p/warc/"):
        for item in page.get("Contents", []):
            path = target / item["Key"]
            path.parent.mkdir(parents=True, exist_ok=True)
            client.download_file(bucket, item["Key"], str(path))
    return target / "p" / "warc"


def run_size(articles: int, store: str, work: Path, server: Any) -> dict[str, float]:
    """Crawl an ``articles``-article outlet; return its figures and the bound."""
    from crawler.fixture_site import FixtureSite
    from tests.bench.bench_extract import pages_of

    # the crawl's peak RSS sampled twice a second (Scrapy's default, once a minute, misses
    # short peaks and samples a short crawl only at its start)
    settings = {**FAST_SETTINGS, "MEMUSAGE_CHECK_INTERVAL_SECONDS": "0.5"}
    extra: list[str] = []
    archive = work / f"archive-{articles}"
    bucket = ""
    if store == "s3":
        bucket = server.create_bucket(f"pipeline-{articles}")
        settings["ARCHIVE_SPOOL_DIR"] = str(work / f"spool-{articles}")
        extra = ["--archive", f"s3://{bucket}/p"]
    with FixtureSite(kind="wordpress", articles=articles, seed=7, crawl_delay=0) as site:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        stats = crawl_demo(site.base_url, archive, settings, *extra)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        warcs = (
            download_warcs(server, bucket, work / f"dl-{articles}") if bucket else archive / "warc"
        )
        concurrency = int(settings["CONCURRENT_REQUESTS"])
        floor = min((bare_fetch(warcs, work / f"urls-{articles}.txt", concurrency * factor)
                     for factor in (1, 2)), key=lambda fetched: fetched["seconds"])  # fmt: skip
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    pages = pages_of(warcs)
    workers = int(stats.get("extract/workers", os.cpu_count() or 1))
    elapsed = float(stats["elapsed_time_seconds"])
    responses = float(stats.get("downloader/response_count", 0))
    return {
        "pages_s": responses / elapsed,
        "articles_s": float(stats.get("extract/records", 0)) / elapsed,
        "cpu_ms_page": 1000 * cpu / max(responses, 1),
        "crawl_rss_mb": float(stats.get("memusage/max", 0)) / 2**20,
        "worker_rss_mb": float(stats.get("extract/worker_memusage_max", 0)) / 2**20,
        "bound_s": bare_rate(pages, workers),
        "workers": workers,
        "spooled": float(stats.get("store/files_spooled", 0)),
        "floor_articles_s": float(stats.get("extract/records", 0)) / floor["seconds"],
        "floor_pages_s": floor["responses"] / floor["seconds"],
        "floor_cpu_ms_page": 1000 * floor["cpu"] / max(floor["responses"], 1),
        "floor_concurrency": floor["concurrency"],
    }


def response_urls(warcs: Path) -> list[str]:
    """The target URL of every response (and revisit) record of the WARCs under ``warcs``."""
    from warcio.archiveiterator import ArchiveIterator

    urls = []
    for path in sorted(warcs.rglob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type in ("response", "revisit"):
                    urls.append(record.rec_headers.get_header("WARC-Target-URI"))
    return urls


def bare_fetch(warcs: Path, url_file: Path, concurrency: int) -> dict[str, float]:
    """A no-op Scrapy fetch of the responses the crawl archived, from the same server
    (``bare_fetch.py``, in its own process as the crawl is): the floor under the crawl."""
    url_file.write_text("\n".join(response_urls(warcs)) + "\n")
    script = Path(__file__).with_name("bare_fetch.py")
    done = subprocess.run(
        [sys.executable, str(script), str(url_file), "--concurrency", str(concurrency)],
        check=True, capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    stats = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "responses": float(stats.get("downloader/response_count", 0)),
        "seconds": float(stats["elapsed_time_seconds"]),
        "cpu": float(stats["cpu_seconds"]),
        "concurrency": float(concurrency),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--store", choices=["s3", "file"], default="s3")
    args = parser.parse_args()
    from tests.s3server import SeaweedS3

    with SeaweedS3(volume_max=400) as server, tempfile.TemporaryDirectory() as tmp:
        os.environ.update(server.env())
        for articles in args.articles:
            fig = run_size(articles, args.store, Path(tmp), server)
            print(
                f"{articles:6d} articles, {args.store} store: {fig['pages_s']:6.1f} pages/s,"
                f" {fig['articles_s']:6.1f} articles/s; bound (bare trafilatura,"
                f" {fig['workers']:.0f} processes) {fig['bound_s']:6.1f} articles/s;"
                f" ratio {fig['articles_s'] / fig['bound_s']:.2f} (target >= 0.8);"
                f" CPU {fig['cpu_ms_page']:.1f} ms/page; peak RSS: crawl process"
                f" {fig['crawl_rss_mb']:.0f} MB, largest worker {fig['worker_rss_mb']:.0f} MB;"
                f" files left in spool {fig['spooled']:.0f}"
            )  # fmt: skip
            print(
                f"{'':6s} floor: a no-op Scrapy fetch of the same responses from the same"
                f" server ({fig['floor_concurrency']:.0f} concurrent requests, the faster"
                f" of {int(FAST_SETTINGS['CONCURRENT_REQUESTS'])} and twice it),"
                f" {fig['floor_pages_s']:.1f} pages/s ({fig['floor_cpu_ms_page']:.1f} ms"
                f" CPU/page): at most {fig['floor_articles_s']:.1f} articles/s, a ratio of"
                f" {fig['floor_articles_s'] / fig['bound_s']:.2f} for a crawler that does"
                f" nothing but fetch; the crawl reaches"
                f" {fig['articles_s'] / fig['floor_articles_s']:.2f} of that floor"
            )  # fmt: skip


if __name__ == "__main__":
    main()
