"""Outlet config validation: every mistake named by file, key and value; exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.errors import ConfigError
from crawler.outlet_loader import load_outlets, resolve_config_dir
from tests.helpers import CONFIG, REPO, run_cli

MINIMAL = "name: {name}\ndisplay_name: X\nhome: https://news.example.org/\nlanguage: en\n"


def write(config: Path, filename: str, text: str) -> Path:
    path = config / "outlets" / filename
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_config_is_valid() -> None:
    outlets = load_outlets(CONFIG)
    assert {"demo", "fixture-tagdiv"} <= set(outlets)
    real = [o for o in outlets.values() if not o.network.allow_private]
    assert len(real) >= 5
    assert {o.language for o in real} - {"en"}, "a non-English outlet is bundled"


def test_cli_check_passes_on_bundled_config() -> None:
    result = run_cli("outlets", "--check")
    assert result.returncode == 0, result.stderr
    assert "all valid" in result.stdout


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        (MINIMAL + "discovry: {}\n", "discovry", "unknown key"),
        (MINIMAL + "politeness: {delay: fast}\n", "politeness.delay", "'fast'"),
        (MINIMAL + "articles: {allow: ['(open']}\n", "articles.allow[0]", "regular expression"),
        (MINIMAL.replace("https://news.example.org/", "htp://x.org"), "home", "scheme"),
        (MINIMAL.replace("news.example.org", "newsroom"), "home", "fully qualified"),
        (MINIMAL.replace("example.org", "example.invalid"), "home", "reserved"),
        (MINIMAL + "discovery: {feeds: ['feed.xml']}\n", "discovery.feeds[0]", "start with '/'"),
        (MINIMAL + "comments: {platform: myspace}\n", "comments.platform", "wordpress"),
        (MINIMAL.replace("https://news.example.org/", "http://127.0.0.1:9/"), "", "allow_private"),
        (MINIMAL + "tags: nope\n" + "language: 12\n", "language", "12"),
    ],
)
def test_bad_values_are_named(config_copy: Path, text: str, key: str, fragment: str) -> None:
    path = write(config_copy, "broken.yaml", text.replace("{name}", "broken"))
    result = run_cli("--config", str(config_copy), "outlets", "--check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    line = next(ln for ln in result.stderr.splitlines() if str(path) in ln)
    assert f"'{key}'" in line or not key
    assert fragment in line


def test_unknown_key_lists_allowed_keys(config_copy: Path) -> None:
    write(config_copy, "x.yaml", MINIMAL.replace("{name}", "x") + "politeness: {delai: 1}\n")
    with pytest.raises(ConfigError) as info:
        load_outlets(config_copy)
    assert "unknown key 'politeness.delai' (allowed keys here: delay, concurrency)" in str(
        info.value
    )


def test_duplicate_names_are_reported(config_copy: Path) -> None:
    write(config_copy, "a.yaml", MINIMAL.replace("{name}", "same"))
    second = write(config_copy, "b.yaml", MINIMAL.replace("{name}", "same"))
    with pytest.raises(ConfigError) as info:
        load_outlets(config_copy)
    assert f"{second}: key 'name': bad value 'same': duplicate outlet name" in str(info.value)


def test_malformed_yaml_names_line(config_copy: Path) -> None:
    path = write(config_copy, "m.yaml", "name: [x\n")
    with pytest.raises(ConfigError) as info:
        load_outlets(config_copy)
    assert f"{path}: malformed YAML" in str(info.value)
    assert "line 2" in str(info.value)


def test_environment_interpolation(config_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        config_copy,
        "e.yaml",
        MINIMAL.replace("{name}", "e").replace(
            "https://news.example.org/", "${E_HOME:-https://fallback.example.org/}"
        ),
    )
    assert load_outlets(config_copy)["e"].home == "https://fallback.example.org/"
    monkeypatch.setenv("E_HOME", "https://set.example.org/")
    assert load_outlets(config_copy)["e"].home == "https://set.example.org/"


def test_config_dir_from_environment(config_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSARCHIVE_CONFIG", str(config_copy))
    assert resolve_config_dir() == config_copy / "outlets"


def scrapy_list(config: Path) -> subprocess.CompletedProcess[str]:
    """``scrapy list`` from the project directory with NEWSARCHIVE_CONFIG=config."""
    env = {**os.environ, "NEWSARCHIVE_CONFIG": str(config)}
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        capture_output=True, text=True, cwd=REPO, env=env, check=False,
    )  # fmt: skip


def test_scrapy_list_prints_every_outlet(config_copy: Path) -> None:
    write(config_copy, "extra.yaml", MINIMAL.replace("{name}", "extra"))
    result = scrapy_list(config_copy)
    assert result.returncode == 0, result.stderr
    expected = {p.stem for p in (config_copy / "outlets").glob("*.yaml")}
    names = set(load_outlets(config_copy))
    assert set(result.stdout.split()) == names
    assert "extra" in names and len(names) == len(expected)


def test_scrapy_list_with_misspelled_key_exits_2(config_copy: Path) -> None:
    path = write(config_copy, "typo.yaml", MINIMAL.replace("{name}", "typo") + "max_age_dayz: 3\n")
    result = scrapy_list(config_copy)
    assert result.returncode == 2
    assert str(path) in result.stderr and "max_age_dayz" in result.stderr
    assert "Traceback" not in result.stderr


def test_scrapy_setting_names_read_from_source_are_the_modules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # commands that load outlets without crawling read Scrapy's setting names from its
    # source instead of importing Scrapy: the same names as the module's
    import sys

    from scrapy.settings import default_settings

    from crawler.outlets import _scrapy_setting_names

    monkeypatch.delitem(sys.modules, "scrapy.settings.default_settings")
    names = _scrapy_setting_names()
    assert "DOWNLOAD_DELAY" in names and "CONCURRENT_REQUESTS" in names
    assert names == {n for n in dir(default_settings) if n.isupper()}
