"""The s3:// store against a real S3-compatible server (SeaweedFS on loopback)."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.fixture_site import FixtureSite
from crawler.store.backends import FileStore, S3Store, digest_file
from crawler.store.location import parse_archive_uri
from crawler.store.transfer import Uploader
from tests.helpers import REPO, run_cli
from tests.s3server import SeaweedS3

PREFIX = "arch/v1"


def objects(server: SeaweedS3, bucket: str) -> dict[str, bytes]:
    """Every object of ``bucket`` (key relative to PREFIX) with its body."""
    client = server.client()
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            body = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            found[item["Key"].removeprefix(PREFIX + "/")] = body
    return found


def spool_files(spool: Path) -> list[Path]:
    return [p for p in spool.rglob("*") if p.is_file() and "/state/" not in p.as_posix()]


def test_demo_into_s3_ends_with_everything_stored(
    s3_bucket: tuple[SeaweedS3, str],
    tmp_path: Path,
) -> None:
    server, bucket = s3_bucket
    uri = f"s3://{bucket}/{PREFIX}"
    log = tmp_path / "crawl.log"
    result = run_cli("demo", "--archive", uri, "--articles", "12", env=server.env(),
                     cwd=tmp_path)  # fmt: skip
    log.write_text(result.stdout + result.stderr, encoding="utf-8")
    assert result.returncode == 0, result.stderr[-3000:]
    spool = tmp_path / "archive-spool" / bucket / PREFIX
    assert spool_files(spool) == [], "every finished file left the spool"
    stored = objects(server, bucket)
    areas = {key.split("/")[0] for key in stored}
    assert areas == {"warc", "index", "records", "discovery", "crawls"}
    (manifest_key,) = [k for k in stored if k.startswith("crawls/")]
    manifest = json.loads(stored[manifest_key])
    listed = {f["key"] for f in manifest["files"]}
    assert listed == set(stored) - {manifest_key}
    assert all(f["status"] == "stored" for f in manifest["files"])
    verify = run_cli("verify", "--archive", uri, env=server.env(), cwd=tmp_path)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "OK" in verify.stdout

    # Credentials never appear in logs, the manifest or any stored object (WARCs unpacked).
    texts = [log.read_bytes(), *stored.values()]
    texts += [gzip.decompress(body) for key, body in stored.items() if key.endswith(".gz")]
    for secret in (server.secret_key, server.access_key):
        assert not any(secret.encode() in text for text in texts), "credential leaked"

    # A WACZ of the crawl straight from the bucket.
    wacz = tmp_path / "crawl.wacz"
    packed = run_cli("wacz", manifest["crawl_id"], "-o", str(wacz), "--archive", uri,
                     env=server.env(), cwd=tmp_path)  # fmt: skip
    assert packed.returncode == 0, packed.stderr[-2000:]
    with zipfile.ZipFile(wacz) as archive:
        assert any(n.startswith("archive/") and n.endswith(".warc.gz") for n in archive.namelist())

    # Corrupt one stored object: verify names it.
    client = server.client()
    victim = next(k for k in listed if k.startswith("records/"))
    client.put_object(Bucket=bucket, Key=f"{PREFIX}/{victim}", Body=b"not the records")
    verify = run_cli("verify", "--archive", uri, env=server.env(), cwd=tmp_path)
    assert verify.returncode == 1
    assert f"CORRUPT: {victim}" in verify.stdout


@pytest.fixture(params=["s3", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """The same store interface on SeaweedFS and on a directory."""
    if request.param == "file":
        return FileStore(tmp_path / "archive")
    server, bucket = request.getfixturevalue("s3_bucket")
    return S3Store(parse_archive_uri(f"s3://{bucket}/{PREFIX}"), server.client(), 5 * 2**20)


def test_upload_never_overwrites(store: Any, tmp_path: Path) -> None:
    root = tmp_path / "spool"
    target = root / "warc" / "x" / "a.warc.gz"
    target.parent.mkdir(parents=True)
    uploader = Uploader(store, root, concurrency=2, retries=0, backoff=0, remove_local=True)
    target.write_bytes(b"first")
    first = uploader.upload(target)
    assert first.status == "stored" and not target.exists()
    target.write_bytes(b"first")  # the same content again: already stored, not an error
    assert uploader.upload(target).status == "stored"
    target.write_bytes(b"second")  # other content under the same name: a conflict
    clash = uploader.upload(target)
    assert clash.status == "conflict" and target.exists()
    assert b"".join(store.read("warc/x/a.warc.gz")) == b"first"
    big = root / "warc" / "x" / "big.warc.gz"
    big.write_bytes(os.urandom(6 * 2**20))  # over the multipart threshold
    sha = digest_file(big).sha256
    assert uploader.upload(big).status == "stored"
    info = store.stat("warc/x/big.warc.gz")
    assert info is not None and info.size == 6 * 2**20 and info.sha256 in (None, sha)
    assert hashlib.sha256(b"".join(store.read("warc/x/big.warc.gz"))).hexdigest() == sha
    if isinstance(store, S3Store):  # every part went with a checksum the target verified
        head = store.client.head_object(Bucket=store.bucket, Key=store.location.key(
            "warc/x/big.warc.gz"), ChecksumMode="ENABLED")  # fmt: skip
        assert head.get("ChecksumCRC32")
    assert list(store.keys("warc")) == ["warc/x/a.warc.gz", "warc/x/big.warc.gz"]
    uploader.shutdown()


def test_unreachable_store_is_named(tmp_path: Path) -> None:
    env = {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y",
           "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_DEFAULT_REGION": "us-east-1"}  # fmt: skip
    result = run_cli("verify", "--archive", "s3://nowhere/p", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "127.0.0.1:9" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def crawl_args(uri: str, spool: Path, stats: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "crawler.cli", "crawl", "demo", "--archive", uri,
            "--stats-json", str(stats), "-s", f"ARCHIVE_SPOOL_DIR={spool}",
            "-s", "WARC_MAX_SIZE=60000", "-s", "RECORDS_MAX_COUNT=4",
            "-s", "ARCHIVE_UPLOAD_RETRIES=0", "-s", "ARCHIVE_S3_MAX_ATTEMPTS=1",
            "-s", "ARCHIVE_S3_CONNECT_TIMEOUT=1", *extra]  # fmt: skip


def count_responses(stored: dict[str, bytes]) -> int:
    """``response`` and ``revisit`` records (a revisit stands for an identical response)."""
    kinds = ("response", "revisit")
    return sum(sum(1 for r in ArchiveIterator(BytesIO(body)) if r.rec_type in kinds)
               for key, body in stored.items() if key.startswith("warc/"))  # fmt: skip


def crawl_until_stored(
    server: SeaweedS3, bucket: str, site: FixtureSite, spool: Path, stats: Path
) -> subprocess.Popen[bytes]:
    """Start a crawl of ``site`` into the bucket; return once its first WARC is stored."""
    env = {**os.environ, **server.env(), "NEWSARCHIVE_DEMO_URL": site.base_url}
    args = crawl_args(f"s3://{bucket}/{PREFIX}", spool, stats)
    crawl = subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)  # fmt: skip
    client = server.client()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and crawl.poll() is None:
        if client.list_objects_v2(Bucket=bucket, Prefix=f"{PREFIX}/warc/").get("KeyCount", 0):
            break
        time.sleep(0.1)
    return crawl


@pytest.mark.slow
def test_outage_mid_crawl_spools_then_sync(
    s3_bucket: tuple[SeaweedS3, str],
    tmp_path: Path,
) -> None:
    server, bucket = s3_bucket
    uri = f"s3://{bucket}/{PREFIX}"
    spool = tmp_path / "spool"
    with FixtureSite(kind="wordpress", articles=30, seed=4, crawl_delay=0.1) as site:
        crawl = crawl_until_stored(server, bucket, site, spool, tmp_path / "stats.json")
        assert crawl.poll() is None, "crawl still running when the store goes down"
        server.stop()
        output, _ = crawl.communicate(timeout=240)
        served = len(site.request_log)
    assert crawl.returncode == 0, output.decode()[-3000:]
    stats: dict[str, Any] = json.loads((tmp_path / "stats.json").read_text())["demo"]
    assert stats["store/files_spooled"] >= 1
    local = spool / bucket / PREFIX
    assert (local / "crawls").is_dir(), "the manifest waits in the spool"
    server.restart()
    synced = run_cli("sync", "--archive", uri, "--spool", str(spool),
                     env=server.env(), cwd=tmp_path)  # fmt: skip
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert spool_files(local) == []
    verify = run_cli("verify", "--archive", uri, env=server.env(), cwd=tmp_path)
    assert verify.returncode == 0, verify.stdout
    stored = objects(server, bucket)
    # Every response the fixture server sent is in the store, except the over-size ones
    # the WARC middleware refuses by design (DOWNLOAD_MAXSIZE; logged and counted).
    assert count_responses(stored) + stats["warc/skipped/too_large"] == served


def test_spool_bound_stops_the_crawl_and_keeps_files(
    s3_bucket: tuple[SeaweedS3, str],
    tmp_path: Path,
) -> None:
    server, bucket = s3_bucket
    uri = f"s3://{bucket}/{PREFIX}"
    spool = tmp_path / "spool"
    env = {**server.env(), "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}  # store unreachable
    with FixtureSite(kind="wordpress", articles=20, seed=4, crawl_delay=0) as site:
        full_env = {**os.environ, **env, "NEWSARCHIVE_DEMO_URL": site.base_url}
        result = subprocess.run(
            crawl_args(uri, spool, tmp_path / "stats.json", "-s", "ARCHIVE_SPOOL_MAX_BYTES=50000"),
            cwd=REPO, env=full_env, capture_output=True, text=True, timeout=240,
        )  # fmt: skip
    stats = json.loads((tmp_path / "stats.json").read_text())["demo"]
    assert stats["finish_reason"] == "spool_full"
    assert "ARCHIVE_SPOOL_MAX_BYTES" in result.stderr
    local = spool / bucket / PREFIX
    assert stats["store/files_spooled"] == len(
        [p for p in spool_files(local) if not p.as_posix().startswith(str(local / "crawls"))]
    )


@pytest.mark.slow
def test_second_ctrl_c_leaves_everything_recoverable(
    s3_bucket: tuple[SeaweedS3, str], tmp_path: Path
) -> None:
    server, bucket = s3_bucket
    uri = f"s3://{bucket}/{PREFIX}"
    spool = tmp_path / "spool"
    with FixtureSite(kind="wordpress", articles=40, seed=4, crawl_delay=0.05) as site:
        crawl = crawl_until_stored(server, bucket, site, spool, tmp_path / "stats.json")
        crawl.send_signal(signal.SIGINT)
        time.sleep(0.3)
        crawl.send_signal(signal.SIGINT)  # forced shutdown: no orderly close
        crawl.communicate(timeout=120)
    synced = run_cli("sync", "--archive", uri, "--spool", str(spool), env=server.env(),
                     cwd=tmp_path)  # fmt: skip
    assert synced.returncode == 0, synced.stdout + synced.stderr
    assert spool_files(spool / bucket / PREFIX) == []
    verify = run_cli("verify", "--archive", uri, "--json", env=server.env(), cwd=tmp_path)
    report = json.loads(verify.stdout)
    assert verify.returncode == 0, report
    assert report["checked"] >= 2


class OldTarget:
    """A real client in front of which If-None-Match and sha256 checksums are 'not
    implemented', as older S3-compatible services answer (forces the fallback path)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.refused: list[str] = []

    def put_object(self, **kwargs: Any) -> Any:
        from botocore.exceptions import ClientError

        for header in ("IfNoneMatch", "ChecksumSHA256"):
            if header in kwargs:
                self.refused.append(header)
                error = {"Error": {"Code": "NotImplemented", "Message": f"{header} header"}}
                raise ClientError(error, "PutObject")  # type: ignore[arg-type]
        return self.client.put_object(**kwargs)

    def upload_file(self, *args: Any, ExtraArgs: dict[str, Any], **kwargs: Any) -> Any:
        from botocore.exceptions import ClientError

        if "ChecksumAlgorithm" in ExtraArgs:
            self.refused.append("ChecksumAlgorithm")
            error = {"Error": {"Code": "NotImplemented", "Message": "x-amz-checksum header"}}
            raise ClientError(error, "CreateMultipartUpload")  # type: ignore[arg-type]
        return self.client.upload_file(*args, ExtraArgs=ExtraArgs, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


def _behind_old_target(
    s3_bucket: tuple[SeaweedS3, str], prefix: str, root: Path
) -> tuple[OldTarget, S3Store, Uploader]:
    """A store (multipart from 5 MiB) on the real server behind :class:`OldTarget`, and an
    uploader of the files under ``root``."""
    server, bucket = s3_bucket
    client = OldTarget(server.client())
    store = S3Store(parse_archive_uri(f"s3://{bucket}/{prefix}"), client, 5 * 2**20)
    uploader = Uploader(store, root, concurrency=1, retries=0, backoff=0, remove_local=True)
    return client, store, uploader


def test_falls_back_on_targets_without_conditional_writes_or_sha256(
    s3_bucket: tuple[SeaweedS3, str], tmp_path: Path
) -> None:
    client, store, uploader = _behind_old_target(s3_bucket, PREFIX, tmp_path)
    path = tmp_path / "records" / "r.jsonl.gz"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"records")
    assert uploader.upload(path).status == "stored"
    assert client.refused == ["IfNoneMatch", "ChecksumSHA256"]
    assert not (store.conditional or store.sha256_checksums)
    path.write_bytes(b"other")  # the HEAD check still refuses to overwrite
    assert uploader.upload(path).status == "conflict"
    uploader.shutdown()


def test_multipart_uploads_fall_back_on_targets_without_checksum_headers(
    s3_bucket: tuple[SeaweedS3, str], tmp_path: Path
) -> None:
    client, store, uploader = _behind_old_target(s3_bucket, f"{PREFIX}-mp", tmp_path)
    path = tmp_path / "warc" / "big.warc.gz"
    path.parent.mkdir(parents=True)
    path.write_bytes(os.urandom(6 * 2**20))
    sha = digest_file(path).sha256
    assert uploader.upload(path).status == "stored"
    assert client.refused == ["ChecksumAlgorithm"] and not store.sha256_checksums
    assert hashlib.sha256(b"".join(store.read("warc/big.warc.gz"))).hexdigest() == sha
    uploader.shutdown()


@pytest.mark.slow
def test_crawl_pushes_a_pending_spool_first(
    s3_bucket: tuple[SeaweedS3, str], tmp_path: Path
) -> None:
    server, bucket = s3_bucket
    uri = f"s3://{bucket}/{PREFIX}"
    spool = tmp_path / "spool"
    with FixtureSite(kind="wordpress", articles=10, seed=4, crawl_delay=0) as site:
        for n, endpoint in enumerate(("http://127.0.0.1:9", server.endpoint)):
            env = {**os.environ, **server.env(), "AWS_ENDPOINT_URL": endpoint,
                   "NEWSARCHIVE_DEMO_URL": site.base_url}  # fmt: skip
            stats_path = tmp_path / f"stats{n}.json"
            subprocess.run(crawl_args(uri, spool, stats_path), cwd=REPO, env=env, check=True,
                           capture_output=True, timeout=240)  # fmt: skip
    first, second = (json.loads((tmp_path / f"stats{n}.json").read_text())["demo"] for n in (0, 1))
    assert first["store/files_spooled"] >= 1 and first["store/files_stored"] == 0
    assert second["store/spool_pushed"] == first["store/files_spooled"]
    assert spool_files(spool / bucket / PREFIX) == []
    verify = run_cli("verify", "--archive", uri, "--json", env=server.env(), cwd=tmp_path)
    report = json.loads(verify.stdout)
    assert verify.returncode == 0, report
    assert sorted(report["manifests"]) == sorted(s["newsarchive/crawl_id"] for s in (first, second))
