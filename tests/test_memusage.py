"""memusage/* stats measure the crawl process itself, not the process that started it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

REPO_ROOT = str(Path(__file__).resolve().parents[1])

# A parent holding 300 MB starts a child that reads its peak both ways.
PARENT = textwrap.dedent(
    """
    import subprocess, sys
    held = bytearray(300 * 2**20)
    for i in range(0, len(held), 4096):
        held[i] = 1
    child = '''
    import json, resource
    from scrapy.utils.test import get_crawler
    from crawler.memusage import ProcessMemoryUsage, peak_rss
    extension = ProcessMemoryUsage(get_crawler(settings_dict={"MEMUSAGE_ENABLED": True}))
    print(json.dumps({"inherited": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                      "own": peak_rss(), "extension": extension.get_virtual_size()}))
    '''
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                          check=True, cwd=sys.argv[1])
    print(done.stdout)
    """
)


def test_memory_peak_is_the_process_own() -> None:
    done = subprocess.run([sys.executable, "-c", PARENT, REPO_ROOT], capture_output=True,
                          text=True, check=True, cwd=REPO_ROOT)  # fmt: skip
    figures = json.loads(done.stdout)
    mib = 2**20
    # On Linux ru_maxrss (what Scrapy reads) carries the parent's 300 MB over exec; the
    # extension reports the child's own peak.
    assert figures["own"] is not None and figures["own"] < 200 * mib
    assert abs(figures["extension"] - figures["own"]) < 8 * mib


def test_crawl_uses_the_process_own_memory_usage() -> None:
    from scrapy.extensions.memusage import MemoryUsage
    from scrapy.settings import Settings
    from scrapy.utils.misc import build_from_crawler
    from scrapy.utils.test import get_crawler

    from crawler.addon import NewsarchiveAddon
    from crawler.memusage import ProcessMemoryUsage

    settings = Settings()
    NewsarchiveAddon().update_settings(settings)
    extensions = settings.getwithbase("EXTENSIONS")
    assert extensions[MemoryUsage] is None
    assert extensions[ProcessMemoryUsage] is not None
    crawler = get_crawler(settings_dict={"MEMUSAGE_ENABLED": True})
    assert build_from_crawler(ProcessMemoryUsage, crawler).get_virtual_size() > 0
