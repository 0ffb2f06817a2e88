"""Helpers shared by tests: repo paths and the CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "config"


def gz_lines(path: Path) -> list[str]:
    """The lines of a gzipped text file."""
    import gzip

    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return handle.read().splitlines()


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 240,
    preexec_fn: Any = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``newsarchive ARGS`` in a subprocess (a crawl owns its reactor)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or REPO,
        timeout=timeout,
        check=False,
        preexec_fn=preexec_fn,
    )
