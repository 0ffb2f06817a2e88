"""Crawls that meet the network's bad side: an unreachable outlet, and a redirect that
tries to reach a private address through a host name the outlet does not allow."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from crawler.fixture_site import FixtureSite
from tests.helpers import run_cli


def write_outlet(tmp_path: Path, text: str) -> Path:
    outlets = tmp_path / "config" / "outlets"
    outlets.mkdir(parents=True)
    (outlets / "net.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "config"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def crawl(tmp_path: Path, config: Path, env: dict[str, str]) -> tuple[dict, str]:
    stats_file = tmp_path / "stats.json"
    result = run_cli(
        "--config",
        str(config),
        "crawl",
        "net",
        "--archive",
        str(tmp_path / "a"),
        "--stats-json",
        str(stats_file),
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(stats_file.read_text())["net"], result.stderr


def test_unreachable_outlet_is_logged_and_counted(tmp_path: Path) -> None:
    config = write_outlet(
        tmp_path,
        f"""\
name: net
display_name: Gone
home: http://127.0.0.1:{closed_port()}/
language: en
discovery: {{feeds: [/feed/], sitemaps: [/sitemap.xml]}}
network: {{allow_private: true}}
settings: {{RETRY_TIMES: 0}}
""",
    )
    stats, log = crawl(tmp_path, config, {})
    assert stats["discovery/errors/unreachable"] == 3  # home, feed, sitemap
    lines = [ln for ln in log.splitlines() if "[unreachable]" in ln]
    assert len(lines) == 3 and all("outlet net" in ln and "127.0.0.1" in ln for ln in lines)
    assert stats["finish_reason"] == "finished"


def test_redirect_to_private_host_name_is_refused(tmp_path: Path) -> None:
    # 127.0.0.1 is allowed private (the fixture); "localhost" is not, even though it
    # resolves to the same address and off-domain redirects are followed.
    config = write_outlet(
        tmp_path,
        """\
name: net
display_name: Redirecting
home: "${NET_URL}/"
language: en
discovery: {sitemaps: [/sitemap-edge.xml], home: false, robots_sitemaps: false}
articles: {allow: ['/out/']}
network: {allow_private: true, follow_offsite_redirects: true}
settings: {RETRY_TIMES: 0}
""",
    )
    with FixtureSite(kind="wordpress", articles=8, seed=2, crawl_delay=0) as site:
        stats, log = crawl(tmp_path, config, {"NET_URL": site.base_url})
        hosts = {e.headers.get("Host", "") for e in site.request_log}
    assert all(h.startswith("127.0.0.1") for h in hosts), hosts
    assert stats["redirect/offsite_followed"] == 1
    assert stats["crawl/articles/failed/refused_address"] == 1
    assert "refused localhost -> 127.0.0.1: a loopback address" in log
