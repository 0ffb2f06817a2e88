"""Archives for the researcher-access tests: the demo outlet crawled twice (same URLs, so
every article has two captures and the second crawl's unchanged pages are revisits) into a
file:// archive, and once into an s3:// archive on the real SeaweedFS server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.fixture_site import FixtureSite
from tests.helpers import run_cli
from tests.s3server import SeaweedS3, s3_bucket, s3server  # noqa: F401

ARTICLES = "12"


@dataclass
class Built:
    """An archive built for the tests: its URI, the fixture site's base URL, the
    environment the CLI needs (S3 credentials) and the working directory (spool)."""

    uri: str
    base_url: str
    env: dict[str, str]
    cwd: Path


def crawl(uri: str, site: FixtureSite, env: dict[str, str], cwd: Path) -> None:
    result = run_cli("crawl", "demo", "--archive", uri, "--log-level", "WARNING",
                     env={**env, "NEWSARCHIVE_DEMO_URL": site.base_url}, cwd=cwd)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="session")
def site() -> Iterator[FixtureSite]:
    with FixtureSite(kind="wordpress", articles=int(ARTICLES), seed=7, crawl_delay=0.0) as s:
        yield s


@pytest.fixture(scope="session")
def file_archive(tmp_path_factory: pytest.TempPathFactory, site: FixtureSite) -> Built:
    """Two crawls; the catalog is created between them, so the second crawl's end-of-crawl
    hook updates it."""
    cwd = tmp_path_factory.mktemp("access-file")
    uri = str(cwd / "archive")
    crawl(uri, site, {}, cwd)
    status = run_cli("catalog", "status", "--archive", uri, cwd=cwd)
    assert status.returncode == 0, status.stderr
    crawl(uri, site, {}, cwd)
    return Built(uri, site.base_url, {}, cwd)


@pytest.fixture(scope="session")
def s3_archive(
    tmp_path_factory: pytest.TempPathFactory,
    site: FixtureSite,
    s3server: SeaweedS3,  # noqa: F811
) -> Built:
    cwd = tmp_path_factory.mktemp("access-s3")
    s3server.ensure_running()
    bucket = s3server.create_bucket(f"access-{uuid.uuid4().hex[:12]}")
    uri = f"s3://{bucket}/arch"
    crawl(uri, site, s3server.env(), cwd)
    return Built(uri, site.base_url, s3server.env(), cwd)


@pytest.fixture
def s3_env(s3_archive: Built, monkeypatch: pytest.MonkeyPatch) -> Built:
    """The s3 archive with the server's credentials in this process's environment (for
    the Python API) and the working directory set to where its spool is."""
    for name, value in s3_archive.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(s3_archive.cwd)
    assert os.environ.get("AWS_ACCESS_KEY_ID")
    return s3_archive
