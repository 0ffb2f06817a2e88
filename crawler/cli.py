"""The ``newsarchive`` console script: argparse subcommands, each a thin call into a
tested library function. Exit status: 0 success, 1 runtime failure, 2 bad usage or
configuration (the message names the file, key and value; no traceback)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from crawler import __version__
from crawler.errors import ConfigError, NewsarchiveError
from crawler.outlet_loader import ENV_CONFIG, load_outlets, resolve_config_dir

EXIT_OK, EXIT_FAILURE, EXIT_CONFIG = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.config = getattr(args, "config", None)
    args.archive = getattr(args, "archive", None)
    if args.config:
        os.environ[ENV_CONFIG] = args.config  # the same directory for Scrapy's spider loader
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except ConfigError as exc:
        print(f"newsarchive: invalid configuration:\n{exc}", file=sys.stderr)
        return EXIT_CONFIG
    except NewsarchiveError as exc:
        print(f"newsarchive: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except OSError as exc:  # a file the command reads or writes (its path is in the message)
        print(f"newsarchive: {exc}", file=sys.stderr)
        return EXIT_FAILURE


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: an option given before the subcommand is not reset by the subparser.
    common.add_argument(
        "--config",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=f"config directory (default: ${ENV_CONFIG}, ./config)",
    )
    common.add_argument(
        "--archive",
        metavar="URI",
        default=argparse.SUPPRESS,
        help="archive location: a path, file://PATH or s3://BUCKET/PREFIX (ARCHIVE_URI)",
    )
    parser = argparse.ArgumentParser(
        prog="newsarchive",
        description="Crawl news outlets politely and archive them: WARC files, parsed"
        " records, a discovery ledger. Exit status: 0 success, 1 runtime failure,"
        " 2 bad usage or configuration.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"newsarchive {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_outlets(sub, common)
    _add_crawl(sub, common)
    _add_demo(sub, common)
    _add_record(sub, common)
    _add_wacz(sub, common)
    _add_extract(sub, common)
    _add_fixture_site(sub, common)
    _add_sync(sub, common)
    _add_verify(sub, common)
    from crawler.access.commands import add_access_commands

    add_access_commands(sub, common)
    return parser


def _add_sync(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "sync", parents=[common], help="push files waiting in the spool to the store"
    )
    p.add_argument("--spool", metavar="DIR", help="spool directory (ARCHIVE_SPOOL_DIR)")
    p.set_defaults(handler=cmd_sync)


def _add_verify(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "verify", parents=[common], help="re-check stored files against the crawl manifests"
    )
    p.add_argument("--crawl", metavar="ID", help="only this crawl (default: every manifest)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(handler=cmd_verify)


def _add_outlets(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("outlets", parents=[common], help="list configured outlets")
    p.add_argument("--check", action="store_true", help="validate every outlet file")
    p.add_argument("--json", action="store_true", help="print the outlets as JSON")
    p.set_defaults(handler=cmd_outlets)


def _add_crawl(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("crawl", parents=[common], help="crawl one or more outlets")
    p.add_argument("outlets", nargs="+", metavar="OUTLET")
    _add_crawl_options(p)
    p.set_defaults(handler=cmd_crawl)


def _add_demo(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common], help="crawl the bundled demo outlet offline")
    from crawler.demo import DEMO_ARTICLES, DEMO_CRAWL_DELAY, DEMO_SEED

    p.add_argument("--articles", type=int, default=DEMO_ARTICLES, help="articles on the site")
    p.add_argument("--seed", type=int, default=DEMO_SEED, help="seed of the site's text")
    p.add_argument(
        "--crawl-delay",
        type=float,
        default=DEMO_CRAWL_DELAY,
        help="robots.txt Crawl-delay of the site, seconds",
    )
    # The demo prints its own summary; warnings show the bad input it meets.
    _add_crawl_options(p, log_level="WARNING")
    p.set_defaults(handler=cmd_demo)


def _add_record(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("record", parents=[common], help="record an outlet crawl as a WARC fixture")
    p.add_argument("outlet", metavar="OUTLET")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.warc.gz")
    p.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--log-level", default="WARNING")
    p.set_defaults(handler=cmd_record)


def _add_wacz(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("wacz", parents=[common], help="pack a crawl's WARCs into a WACZ")
    p.add_argument("crawl_id", metavar="CRAWL_ID")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="OUT.wacz")
    p.set_defaults(handler=cmd_wacz)


def _add_extract(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("extract", parents=[common], help="parsed records from WARC/WACZ/HTML")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="a .warc(.gz)/.arc(.gz)/.wacz file, a directory of them (an archive"
                   " root or any folder below), or an HTML file with --url; exit 1 when an"
                   " input or a record is damaged (the others are still extracted)")  # fmt: skip
    p.add_argument("-o", "--output", required=True, type=Path, metavar="OUT.jsonl",
                   help="records as JSON lines, in input order")  # fmt: skip
    p.add_argument("--all", action="store_true",
                   help="every HTML page, not only articles (by the outlet's patterns, or a"
                   " WACZ's pages list)")  # fmt: skip
    p.add_argument("--url", help="address of a single HTML file input")
    p.add_argument("--workers", type=int, help="worker processes (default EXTRACT_WORKERS)")
    p.set_defaults(handler=cmd_extract)


def _add_fixture_site(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("fixture-site", parents=[common], help="serve a fixture outlet")
    p.add_argument("--kind", choices=["wordpress", "tagdiv"], default="wordpress")
    from crawler.demo import DEMO_ARTICLES, DEMO_CRAWL_DELAY, DEMO_SEED

    p.add_argument("--articles", type=int, default=DEMO_ARTICLES)
    p.add_argument("--seed", type=int, default=DEMO_SEED)
    p.add_argument("--crawl-delay", type=float, default=DEMO_CRAWL_DELAY)
    p.set_defaults(handler=cmd_fixture_site)


def _add_crawl_options(p: argparse.ArgumentParser, log_level: str = "INFO") -> None:
    p.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy/newsarchive setting (repeatable)",
    )
    p.add_argument("--crawl-id", help="crawl id (default: generated)")
    p.add_argument("--log-level", default=log_level, help=f"Scrapy log level (default {log_level})")
    p.add_argument("--stats-json", metavar="FILE", help="write the crawl stats as JSON")
    p.add_argument("-o", "--output", metavar="FILE", help="also write items as JSON lines")
    p.add_argument(
        "--replay", metavar="SOURCE", help="serve requests from a recorded .warc.gz/.wacz/dir"
    )


def _settings_pairs(items: list[str]) -> dict[str, str]:
    pairs = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ConfigError(f"option -s: bad value {item!r}: expected NAME=VALUE")
        pairs[name] = value
    return pairs


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    overrides: dict[str, Any] = {"LOG_LEVEL": args.log_level, **_settings_pairs(args.set)}
    if getattr(args, "replay", None):
        overrides.update(replay_overrides(args.replay))
    if args.crawl_id:
        overrides["CRAWL_ID"] = args.crawl_id
    if args.output:
        overrides["FEEDS"] = {args.output: {"format": "jsonlines", "overwrite": True}}
    return overrides


def replay_overrides(source: str) -> dict[str, Any]:
    """Settings for a replayed crawl: the source, no WARC writing, no politeness waits
    (no server is contacted), one request at a time so every run takes the same path
    (all discovery sources, which outrank articles, are read before any article). A
    source that cannot be listed, or holds no WARC, is refused before the crawl starts."""
    from crawler.warc_reader import warc_files

    if not warc_files(source):  # raises naming the source when it cannot be listed
        raise NewsarchiveError(f"{source}: no WARC files in it to replay")
    return {
        "REPLAY_SOURCE": source,
        "CONCURRENT_REQUESTS": 1,
        "WARC_ENABLED": False,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "POLITENESS_CRAWL_DELAY_ENABLED": False,
        "POLITENESS_RETRY_AFTER_ENABLED": False,
    }


def _write_stats(path: str | None, stats: dict[str, Any]) -> None:
    if path:
        with Path(path).open("w", encoding="utf-8") as handle:
            json.dump(stats, handle, indent=2, default=str, sort_keys=True)


def cmd_outlets(args: argparse.Namespace) -> int:
    """List (and with --check, validate) the configured outlets."""
    directory = resolve_config_dir(args.config)
    outlets = load_outlets(directory)
    if args.json:
        print(json.dumps([o.model_dump(mode="json") for o in outlets.values()], indent=2))
    elif args.check:
        print(f"{len(outlets)} outlets in {directory}: all valid")
    else:
        for outlet in outlets.values():
            print(f"{outlet.name:24} {outlet.language:5} {outlet.home}  {outlet.display_name}")
    return EXIT_OK


def cmd_crawl(args: argparse.Namespace) -> int:
    """Crawl outlets with the project's settings."""
    from crawler.runner import project_settings, run_crawl

    settings = project_settings(args.config, args.archive, _overrides(args))
    stats = run_crawl(args.outlets, settings)
    _write_stats(args.stats_json, stats)
    failed = [n for n, s in stats.items() if s.get("finish_reason") != "finished"]
    return EXIT_FAILURE if failed else EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Crawl the bundled demo outlet against the local fixture site."""
    from crawler.demo import run_demo, summary_lines

    result = run_demo(
        archive=args.archive,
        config_dir=args.config,
        articles=args.articles,
        seed=args.seed,
        crawl_delay=args.crawl_delay,
        overrides=_overrides(args),
    )
    _write_stats(args.stats_json, result["stats"])
    print("\n".join(summary_lines(result)))
    return EXIT_OK if result["stats"].get("finish_reason") == "finished" else EXIT_FAILURE


def cmd_record(args: argparse.Namespace) -> int:
    """Record an outlet crawl into one self-contained WARC."""
    from crawler.record import record

    overrides = {"LOG_LEVEL": args.log_level, **_settings_pairs(args.set)}
    stats = record(args.outlet, args.output, args.config, overrides)
    print(
        f"Recorded {stats.get('warc/records_written', 0)} records of "
        f"{stats.get('downloader/response_count', 0)} responses into {args.output}"
    )
    return EXIT_OK if stats.get("finish_reason") == "finished" else EXIT_FAILURE


def cmd_wacz(args: argparse.Namespace) -> int:
    """Pack one crawl into a WACZ."""
    from crawler.wacz_export import export_wacz

    settings = _store_settings(args)
    archive = settings["ARCHIVE_URI"]
    print(f"Wrote {export_wacz(archive, args.crawl_id, args.output, settings)}")
    return EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    """Re-extract parsed records from archived pages."""
    from crawler.extract_command import run_extract
    from crawler.startup import project_value  # the settings without importing Scrapy

    workers = args.workers if args.workers is not None else int(project_value("EXTRACT_WORKERS"))
    stats = run_extract(
        args.inputs, args.output, url=args.url, workers=workers,
        timeout=float(project_value("EXTRACT_TIMEOUT")),
        memory_mb=int(project_value("EXTRACT_MEMORY_MB")),
        rules=_rules(args, int(project_value("DOWNLOAD_MAXSIZE"))),
    )  # fmt: skip
    print(
        f"{stats.records} records written to {args.output} ({stats.skipped} responses skipped,"
        f" {stats.errors} damaged inputs)"
    )
    return EXIT_FAILURE if stats.errors else EXIT_OK


def _rules(args: argparse.Namespace, default_max: int) -> Any:
    from crawler.extract_command import OutletRules

    rules = OutletRules(args.config, default_max)
    rules.all_pages = args.all
    return rules


def cmd_fixture_site(args: argparse.Namespace) -> int:
    """Serve a fixture outlet until interrupted (for exploring and manual crawls)."""
    import time

    from crawler.fixture_site import FixtureSite

    site = FixtureSite(
        kind=args.kind, articles=args.articles, seed=args.seed, crawl_delay=args.crawl_delay
    )
    with site:
        print(f"Serving {args.kind} fixture outlet at {site.base_url}/ (Ctrl-C to stop)")
        print(f"For the demo outlet: export NEWSARCHIVE_DEMO_URL={site.base_url}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return EXIT_OK


def _store_settings(args: argparse.Namespace) -> Any:
    from crawler.runner import effective_settings

    settings = effective_settings(getattr(args, "config", None))
    if getattr(args, "archive", None):
        settings.set("ARCHIVE_URI", args.archive, priority="cmdline")
    if getattr(args, "spool", None):
        settings.set("ARCHIVE_SPOOL_DIR", args.spool, priority="cmdline")
    return settings


def cmd_sync(args: argparse.Namespace) -> int:
    """Upload every finished file left in the spool, then the manifests they complete."""
    from crawler.store import local_root, open_store, parse_archive_uri
    from crawler.store.manifest import sync
    from pipelines.store import uploader_for

    settings = _store_settings(args)
    location = parse_archive_uri(settings["ARCHIVE_URI"])
    root, store = local_root(settings), open_store(settings)
    uploader = uploader_for(settings, store, root, remove_local=location.is_s3)
    try:
        report = sync(store, root, uploader, keep_local=not location.is_s3)
    finally:
        uploader.shutdown()
    print(f"Stored {len(report.stored)} files and {len(report.manifests)} manifests in"
          f" {store.description}")  # fmt: skip
    for failed in report.failed:
        print(f"NOT STORED ({failed.status}): {failed.key}: {failed.error}", file=sys.stderr)
    return EXIT_FAILURE if report.failed else EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    """Check every manifest's files in the store; non-zero exit on any problem."""
    from crawler.store import open_store
    from crawler.store.manifest import verify

    store = open_store(_store_settings(args))
    report = verify(store, args.crawl)
    if args.json:
        print(json.dumps(dataclasses.asdict(report) | {"ok": report.ok}, indent=1))
    else:
        print(f"{store.description}: {len(report.manifests)} manifests, {report.checked} files")
        for label, keys in (("MISSING", report.missing), ("CORRUPT", report.corrupt),
                            ("UNEXPECTED", report.unexpected)):  # fmt: skip
            for key in keys:
                print(f"{label}: {key}")
        if not report.manifests:
            print("no crawl manifest found")
        print("OK" if report.ok else "PROBLEMS FOUND")
    return EXIT_OK if report.ok else EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
