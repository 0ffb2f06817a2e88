"""pywb, a third-party replay system, serves an archived fixture article unchanged.

pywb pins brotlipy, which conflicts with the brotli Scrapy needs, so it lives in its own
virtualenv: ``.venv-pywb`` in the repo (``.ci/run`` creates it) or the directory named
by ``NEWSARCHIVE_PYWB_VENV``. Without one this test is skipped with that reason, except
when ``NEWSARCHIVE_REQUIRE_PYWB=1`` (CI), where a missing pywb fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import REPO
from tests.warc_util import members

FIXTURE = REPO / "tests" / "fixtures" / "demo.warc.gz"


def pywb_bin() -> Path | None:
    venv = Path(os.environ.get("NEWSARCHIVE_PYWB_VENV", REPO / ".venv-pywb"))
    wayback = venv / "bin" / "wayback"
    return wayback.parent if wayback.exists() else None


@pytest.fixture(scope="module")
def wayback(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    bindir = pywb_bin()
    if bindir is None:
        if os.environ.get("NEWSARCHIVE_REQUIRE_PYWB") == "1":
            pytest.fail("pywb virtualenv not found (.venv-pywb or NEWSARCHIVE_PYWB_VENV)")
        pytest.skip(
            "pywb not installed: python3 -m venv .venv-pywb && .venv-pywb/bin/pip install pywb"
        )
    root = tmp_path_factory.mktemp("pywb")
    subprocess.run(
        [str(bindir / "wb-manager"), "init", "demo"], cwd=root, check=True, capture_output=True
    )
    subprocess.run(
        [str(bindir / "wb-manager"), "add", "demo", str(FIXTURE)],
        cwd=root,
        check=True,
        capture_output=True,
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [str(bindir / "wayback"), "-b", "127.0.0.1", "-p", str(port)],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait(base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"pywb did not start on {base}")


def _plain_article() -> tuple[str, bytes]:
    for member in members(FIXTURE):
        head, _, body = member.block.partition(b"\r\n\r\n")
        uri = member.headers.get("WARC-Target-URI", "")
        plain = b"Content-Encoding" not in head and b"Transfer-Encoding" not in head
        if (
            member.type == "response"
            and head.startswith(b"HTTP/1.0 200") | head.startswith(b"HTTP/1.1 200")
            and plain
            and b"text/html" in head
            and "/2026/" in uri
        ):
            return uri, body
    raise AssertionError("no plain article in the fixture")


def test_pywb_replays_article_with_original_body(wayback: str) -> None:
    uri, body = _plain_article()
    with urllib.request.urlopen(f"{wayback}/demo/2026id_/{uri}", timeout=10) as response:
        assert response.status == 200
        assert response.read() == body
