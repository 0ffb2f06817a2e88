"""Benchmark: the archive store against a local SeaweedFS S3 server (prints figures).

1. Upload throughput: ``--gigabytes`` of WARC-sized files (64 MiB each) through the
   store's :class:`~crawler.store.transfer.Uploader` (digest, conditional put with a
   sha256 checksum, HEAD confirmation, local delete) beside plain boto3 ``upload_file`` of
   the same files with the same concurrency and transfer configuration. Target >= 0.9.
2. Crawl throughput: pages/s of a crawl of a ``--articles`` fixture outlet (politeness
   delays off) into ``s3://`` beside the same crawl into ``file://``. Target >= 0.9.

Run: ``python tests/bench/bench_store.py [--gigabytes 1] [--articles 2000]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.common import FAST_SETTINGS, crawl_demo, pages_per_second  # noqa: E402
from tests.s3server import SeaweedS3  # noqa: E402

FILE_SIZE = 64 * 1024**2
CONCURRENCY = 4


def make_files(directory: Path, total: int) -> list[Path]:
    """WARC-sized files of incompressible bytes under ``directory/warc/bench/``."""
    base = directory / "warc" / "bench"
    base.mkdir(parents=True)
    files = []
    for n in range(max(1, total // FILE_SIZE)):
        path = base / f"bench-{n:05d}.warc.gz"
        path.write_bytes(os.urandom(FILE_SIZE))
        files.append(path)
    return files


def copy_files(files: list[Path], root: Path) -> list[Path]:
    """Copies of ``files`` under ``root`` (the store's uploader deletes what it stored)."""
    copies = []
    for path in files:
        target = root / "warc" / "bench" / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copies.append(target)
    return copies


def plain_boto3(
    server: SeaweedS3, bucket: str, files: list[Path], threshold: int, prefix: str
) -> float:
    """MB/s of ``upload_file`` over ``files`` with CONCURRENCY threads."""
    from boto3.s3.transfer import TransferConfig

    client = server.client(max_pool_connections=32)
    config = TransferConfig(multipart_threshold=threshold, max_concurrency=4)
    started = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        list(pool.map(lambda p: client.upload_file(str(p), bucket, f"{prefix}/{p.name}",
                                                   Config=config), files))  # fmt: skip
    return sum(p.stat().st_size for p in files) / 1e6 / (time.perf_counter() - started)


def through_store(server: SeaweedS3, bucket: str, root: Path, files: list[Path]) -> float:
    """MB/s of the store's uploader over ``files`` (deletes them once confirmed)."""
    from crawler.store.backends import S3Store
    from crawler.store.location import parse_archive_uri
    from crawler.store.transfer import Uploader

    size = sum(p.stat().st_size for p in files)
    client = server.client(max_pool_connections=32)
    store = S3Store(parse_archive_uri(f"s3://{bucket}/{root.name}"), client, FILE_SIZE)
    uploader = Uploader(store, root, concurrency=CONCURRENCY, retries=0, backoff=0,
                        remove_local=True)  # fmt: skip
    started = time.perf_counter()
    for path in files:
        uploader.submit(path)
    results = uploader.results()
    elapsed = time.perf_counter() - started
    uploader.shutdown()
    assert all(r.status == "stored" for r in results), results
    return size / 1e6 / elapsed


def crawl_rates(server: SeaweedS3, bucket: str, work: Path, articles: int) -> tuple[float, float]:
    """Pages/s crawling into file:// and into s3://."""
    from crawler.fixture_site import FixtureSite

    os.environ.update(server.env())
    with FixtureSite(kind="wordpress", articles=articles, seed=7, crawl_delay=0) as site:
        local = crawl_demo(site.base_url, work / "file-archive", FAST_SETTINGS)
        remote_settings = {**FAST_SETTINGS, "ARCHIVE_SPOOL_DIR": str(work / "spool")}
        remote = crawl_demo(site.base_url, work / "unused", remote_settings,
                            "--archive", f"s3://{bucket}/crawl")  # fmt: skip
    assert remote.get("store/files_stored", 0) >= 1 and not remote.get("store/files_spooled")
    return pages_per_second(local), pages_per_second(remote)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gigabytes", type=float, default=1.0)
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    total = int(args.gigabytes * 1024**3)
    with SeaweedS3(volume_max=400) as server, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bucket = server.create_bucket("bench")
        files = make_files(work / "spool", total)
        print(f"{len(files)} files of {FILE_SIZE // 2**20} MiB, concurrency {CONCURRENCY}")
        # Interleaved, best of two each: the server's volume growth and the machine's noise
        # hit both sides alike.
        plain_rates, our_rates = [], []
        for round_ in range(2):
            plain_rates.append(plain_boto3(server, bucket, files, FILE_SIZE, f"plain{round_}"))
            copies = copy_files(files, work / f"round{round_}")
            our_rates.append(through_store(server, bucket, work / f"round{round_}", copies))
        plain, ours = max(plain_rates), max(our_rates)
        print(f"upload  plain boto3 upload_file: {plain:8.1f} MB/s")
        print(f"upload  newsarchive store:       {ours:8.1f} MB/s   ratio {ours / plain:.2f}"
              " (target >= 0.9)")  # fmt: skip
        shutil.rmtree(work / "spool", ignore_errors=True)
        local, remote = crawl_rates(server, bucket, work, args.articles)
        print(f"crawl   file:// archive:         {local:8.1f} pages/s")
        print(f"crawl   s3:// archive:           {remote:8.1f} pages/s   ratio {remote / local:.2f}"
              " (target >= 0.9)")  # fmt: skip


if __name__ == "__main__":
    main()
