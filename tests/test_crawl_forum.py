"""A crawl of a forum thread over three pages (invented phpBB pages on a loopback
server): the crawl follows the thread's next pages, archives them, and the record holds
the whole thread; ``extract`` gathers the same pages from the WARCs again."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.comments.test_forums import thread_page
from tests.comments.test_pagination import posts
from tests.helpers import gz_lines, run_cli
from tests.warc_util import members

TOPIC = "/viewtopic.php?t=7"


def forum_site(base: str) -> dict[str, tuple[str, str]]:
    """path -> (content type, body): a feed naming one thread of three pages."""
    urls = [f"{base}{TOPIC}", f"{base}{TOPIC}&start=3", f"{base}{TOPIC}&start=6"]
    site = {
        "/feed/": (
            "application/rss+xml",
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Shed forum</title>'
            f"<link>{base}/</link><description>Threads</description><item><title>Shed floor"
            f"</title><link>{urls[0]}</link><pubDate>Mon, 01 Dec 2025 10:00:00 +0000</pubDate>"
            "</item></channel></rss>",
        )
    }
    for n, url in enumerate(urls):
        head = f'<link rel="prev" href="{urls[n - 1]}">' if n else ""
        head += f'<link rel="next" href="{urls[n + 1]}">' if n < 2 else ""
        path = url[len(base) :]
        site[path] = ("text/html; charset=utf-8", thread_page("phpbb", posts(3 * n + 1, 3), head))
    return site


class _Handler(BaseHTTPRequestHandler):
    site: ClassVar[dict[str, tuple[str, str]]] = {}

    def do_GET(self) -> None:
        found = self.site.get(self.path)
        body = (found[1] if found else "not found").encode()
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", found[0] if found else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture()
def forum() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    _Handler.site = forum_site(base)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


OUTLET = """\
name: forum
display_name: Shed forum
home: "{base}/"
language: en
discovery: {{feeds: [/feed/], home: false, robots_sitemaps: false}}
articles: {{allow: ['/viewtopic\\.php\\?t=\\d+$']}}
max_age_days: 100000
politeness: {{delay: 0}}
network: {{allow_private: true}}
settings: {{RETRY_TIMES: 0}}
"""


def crawl(tmp_path: Path, base: str, *settings: str) -> tuple[list[dict[str, Any]], dict, Path]:
    outlets = tmp_path / "config" / "outlets"
    outlets.mkdir(parents=True)
    (outlets / "forum.yaml").write_text(OUTLET.format(base=base), encoding="utf-8")
    archive, stats_file = tmp_path / "archive", tmp_path / "stats.json"
    extra = [arg for value in settings for arg in ("-s", value)]
    result = run_cli("--config", str(tmp_path / "config"), "crawl", "forum", "--archive",
                     str(archive), "--stats-json", str(stats_file), *extra)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    records = [json.loads(x) for f in sorted((archive / "records").rglob("*.jsonl.gz"))
               for x in gz_lines(f)]  # fmt: skip
    return records, json.loads(stats_file.read_text())["forum"], archive


def test_the_crawl_follows_a_forum_threads_pages(forum: str, tmp_path: Path) -> None:
    records, stats, archive = crawl(tmp_path, forum)
    assert [r["url"] for r in records] == [f"{forum}{TOPIC}"]
    thread = records[0]["comments"]
    assert [i["id"] for i in thread["items"]] == [str(n) for n in range(2, 10)]
    assert (thread["platform"], thread["status"], thread["complete"]) == ("phpbb", "ok", True)
    assert records[0]["authors"] == ["Member 1"]
    assert stats["comments/fetched/page"] == 2
    captured = {
        m.headers["WARC-Target-URI"]
        for w in sorted((archive / "warc").rglob("*.warc.gz"))
        for m in members(w)
        if m.type == "response"
    }
    assert {f"{forum}{TOPIC}&start=3", f"{forum}{TOPIC}&start=6"} <= captured
    # the same thread again from the archive alone
    assert reextracted(tmp_path, archive) == [thread]


def test_a_thread_cut_short_by_the_page_limit_is_partial(forum: str, tmp_path: Path) -> None:
    records, stats, archive = crawl(tmp_path, forum, "COMMENTS_MAX_PAGES=1")
    thread = records[0]["comments"]
    assert [i["id"] for i in thread["items"]] == [str(n) for n in range(2, 7)]
    assert (thread["status"], thread["complete"]) == ("partial", False)
    assert stats["comments/fetched/page"] == 1
    # the archive lacks the last page: the record made from it again is partial too
    assert reextracted(tmp_path, archive) == [thread]


def reextracted(tmp_path: Path, archive: Path) -> list[dict[str, Any]]:
    """The comment threads ``newsarchive extract`` makes from the archive's WARCs."""
    out = tmp_path / "again.jsonl"
    result = run_cli("--config", str(tmp_path / "config"), "extract", str(archive / "warc"),
                     "-o", str(out), "--workers", "1")  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(x)["comments"] for x in out.read_text().splitlines()]
