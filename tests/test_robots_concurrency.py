"""Every request that waits for robots.txt is checked against it (concurrent starts)."""

from __future__ import annotations

from pathlib import Path

from crawler.fixture_site import FixtureSite
from tests.helpers import run_cli

OUTLET = """\
name: robots-race
display_name: Robots race
home: "${{ROBOTS_RACE_URL}}/"
language: en
discovery:
  feeds: [/feed/, /wp-admin/feed-1/, /wp-admin/feed-2/, /private/feed/, /feed/atom/]
  sitemaps: [/wp-admin/sitemap.xml, /private/sitemap.xml]
  robots_sitemaps: false
  sections:
    - {{url: /private/listing/, max_pages: 1}}
    - {{url: /wp-admin/listing/, max_pages: 1}}
articles:
  allow: ['/{{4}}/']
politeness: {{delay: 0, concurrency: 16}}
network: {{allow_private: true}}
settings: {{CONCURRENT_REQUESTS: 32, AUTOTHROTTLE_ENABLED: false}}
"""


def test_concurrent_start_requests_all_obey_robots(tmp_path: Path) -> None:
    outlets = tmp_path / "config" / "outlets"
    outlets.mkdir(parents=True)
    (outlets / "robots-race.yaml").write_text(OUTLET.format(), encoding="utf-8")
    with FixtureSite(kind="wordpress", articles=8, seed=3, crawl_delay=0) as site:
        result = run_cli(
            "--config",
            str(tmp_path / "config"),
            "crawl",
            "robots-race",
            "--archive",
            str(tmp_path / "archive"),
            env={"ROBOTS_RACE_URL": site.base_url},
        )
        paths = [e.path for e in site.request_log]
    assert result.returncode == 0, result.stderr[-2000:]
    assert "/robots.txt" in paths
    assert [p for p in paths if p.startswith(("/private/", "/wp-admin/"))] == []
    assert "/feed/" in paths and "/feed/atom/" in paths
