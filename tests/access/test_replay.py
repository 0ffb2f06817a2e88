"""``newsarchive replay``: pywb serves the archive's captures at their original URLs.

pywb lives in its own virtualenv (see crawler/access/replay.py). Without one these tests
skip with the install command, except in CI (``NEWSARCHIVE_REQUIRE_PYWB=1``), where they
fail.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from crawler.access.api import open_archive
from crawler.access.replay import INSTALL_HINT, ReplayError, find_wayback
from tests.access.conftest import Built


@pytest.fixture(autouse=True)
def _pywb() -> None:
    try:
        find_wayback()
    except ReplayError:
        if os.environ.get("NEWSARCHIVE_REQUIRE_PYWB") == "1":
            pytest.fail(INSTALL_HINT)
        pytest.skip(INSTALL_HINT)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def replayed(built: Built, url: str) -> bytes:
    """The body pywb serves for the latest capture of ``url`` (original bytes, ``id_``)."""
    port = free_port()
    command = [sys.executable, "-m", "crawler.cli", "replay", "--archive", built.uri,
               "--port", str(port)]  # fmt: skip
    env = {**os.environ, **built.env}
    server = subprocess.Popen(command, cwd=built.cwd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                target = f"http://127.0.0.1:{port}/archive/2100id_/{url}"
                with urllib.request.urlopen(target, timeout=5) as response:
                    assert response.status == 200
                    return bytes(response.read())
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=20)


def check(built: Built) -> None:
    archive = open_archive(built.uri)
    record = next(r for r in archive.records() if r.get("title"))
    body = replayed(built, str(record["url"]))
    assert str(record["title"]).encode() in body.replace(b"&#8217;", "\u2019".encode())


def test_replay_file_archive(file_archive: Built) -> None:
    check(file_archive)


def test_replay_s3_archive(s3_env: Built) -> None:
    check(s3_env)
