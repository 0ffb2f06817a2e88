"""The embedded file:// store: manifests, verify, sync, URI parsing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from crawler.errors import ConfigError
from crawler.store.location import parse_archive_uri
from tests.helpers import run_cli


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("store") / "archive"
    result = run_cli("demo", "--archive", str(root), "--articles", "12")
    assert result.returncode == 0, result.stderr
    return root


def manifest_of(root: Path) -> dict[str, object]:
    (path,) = (root / "crawls").glob("*.json")
    return json.loads(path.read_text(encoding="utf-8"))


def test_manifest_lists_every_file_with_sha256(archive: Path) -> None:
    manifest = manifest_of(archive)
    files = manifest["files"]
    assert isinstance(files, list)
    on_disk = {p.relative_to(archive).as_posix() for area in ("warc", "index", "records",
               "discovery") for p in (archive / area).rglob("*") if p.is_file()}  # fmt: skip
    assert {f["key"] for f in files} == on_disk
    for entry in files:
        data = (archive / entry["key"]).read_bytes()
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["status"] == "stored"
    assert manifest["stats"]["store/files_stored"] == len(files)  # type: ignore[index]
    assert len(str(manifest["settings_sha256"])) == 64


def test_verify_ok_then_names_corrupt_missing_and_unexpected(archive: Path, tmp_path: Path) -> None:
    assert run_cli("verify", "--archive", str(archive)).returncode == 0
    copy = tmp_path / "copy"
    import shutil

    shutil.copytree(archive, copy)
    files = manifest_of(copy)["files"]
    assert isinstance(files, list)
    corrupt, missing = files[0]["key"], files[1]["key"]
    with (copy / corrupt).open("ab") as handle:
        handle.write(b"x")
    (copy / missing).unlink()
    (copy / "warc" / "stray.warc.gz").write_bytes(b"")
    result = run_cli("verify", "--archive", str(copy), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["corrupt"] == [corrupt]
    assert report["missing"] == [missing]
    assert report["unexpected"] == ["warc/stray.warc.gz"]


def test_verify_without_manifest_fails(tmp_path: Path) -> None:
    result = run_cli("verify", "--archive", str(tmp_path))
    assert result.returncode == 1
    assert "no crawl manifest" in result.stdout


@pytest.mark.parametrize(
    ("uri", "message"),
    [("s3://", "need a bucket"), ("ftp://host/x", "not supported"), ("file://host/x", "local")],
)
def test_bad_archive_uri(uri: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_archive_uri(uri)


def test_archive_path_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not an archive")
    result = run_cli("verify", "--archive", str(tmp_path / "notes.txt"))
    assert result.returncode == 2
    assert "notes.txt is a file, not an archive directory" in result.stderr


def test_s3_uri_spools_locally() -> None:
    location = parse_archive_uri("s3://bucket/some/prefix/")
    assert (location.bucket, location.prefix) == ("bucket", "some/prefix")
    assert location.key("warc/a.warc.gz") == "some/prefix/warc/a.warc.gz"
    assert location.local_root("/spool") == Path("/spool/bucket/some/prefix")
