"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import CONFIG


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite golden files from this run"
    )


@pytest.fixture
def config_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the bundled config directory."""
    target = tmp_path / "config" / "outlets"
    target.mkdir(parents=True)
    for path in (CONFIG / "outlets").glob("*.yaml"):
        (target / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    yield target.parent
