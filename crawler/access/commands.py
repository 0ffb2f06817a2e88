"""The researcher commands: ``catalog``, ``snapshots``, ``get``, ``export``, ``search``,
``replay``. Each is a thin call into :mod:`crawler.access.api`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from crawler.errors import writable_output

EXIT_OK, EXIT_FAILURE = 0, 1


def add_access_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Register the researcher subcommands on ``sub``."""
    p = sub.add_parser("catalog", parents=[common], help="build or update the capture catalog")
    p.add_argument("action", choices=["rebuild", "update", "status"],
                   help="rebuild: from the store alone; update: read files not in it yet;"
                   " status: counts and damaged files")  # fmt: skip
    p.set_defaults(handler=cmd_catalog)

    p = sub.add_parser("snapshots", parents=[common], help="list the captures of a URL")
    p.add_argument("url", metavar="URL")
    _add_filters(p, since="--from", until="--to")
    p.add_argument("--json", action="store_true", help="print the captures as JSON")
    p.set_defaults(handler=cmd_snapshots)

    p = sub.add_parser("get", parents=[common], help="one capture: WARC, record or HTML")
    p.add_argument("url", metavar="URL")
    p.add_argument("--at", metavar="TIMESTAMP", help="closest to this time (default: latest)")
    kind = p.add_mutually_exclusive_group(required=True)
    kind.add_argument("--warc", dest="kind", action="store_const", const="warc",
                      help="the capture's WARC records as a small WARC file")  # fmt: skip
    kind.add_argument("--record", dest="kind", action="store_const", const="record",
                      help="its parsed record (JSON)")  # fmt: skip
    kind.add_argument("--html", dest="kind", action="store_const", const="html",
                      help="the decoded page body")  # fmt: skip
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")
    p.set_defaults(handler=cmd_get)

    p = sub.add_parser("export", parents=[common], help="export parsed records")
    _add_filters(p, since="--since", until="--until")
    p.add_argument("--query", metavar="TEXT", help="only records matching this text search")
    p.add_argument("--format", required=True, choices=["jsonl", "parquet", "csv"])
    p.add_argument("-o", "--output", required=True, type=Path, metavar="PATH")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("search", parents=[common], help="full-text search of titles and text")
    p.add_argument("text", metavar="TEXT")
    _add_filters(p, since="--since", until="--until")
    p.add_argument("--limit", type=int, default=20, help="results shown (default 20)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("replay", parents=[common], help="browse the archive with pywb")
    p.add_argument("--port", type=int, default=8080, help="loopback port (default 8080)")
    p.set_defaults(handler=cmd_replay)


def _add_filters(p: argparse.ArgumentParser, *, since: str, until: str) -> None:
    p.add_argument("--outlet", metavar="NAME", help="only this outlet")
    p.add_argument(since, dest="since", metavar="DATE",
                   help="fetched at or after (2026-11-23, ISO time, timestamp)")  # fmt: skip
    p.add_argument(until, dest="until", metavar="DATE",
                   help="fetched up to (a date includes the whole day)")  # fmt: skip


def _notify(message: str) -> None:
    print(f"newsarchive: {message}", file=sys.stderr)


def _open(args: argparse.Namespace, refresh: bool = True) -> Any:
    from crawler.access.api import Archive
    from crawler.cli import _store_settings

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("newsarchive: %(message)s"))
    access_logger = logging.getLogger("crawler.access")
    access_logger.addHandler(handler)
    access_logger.setLevel(logging.WARNING)
    return Archive(_store_settings(args), refresh=refresh, notify=_notify)


def cmd_catalog(args: argparse.Namespace) -> int:
    """Rebuild, update or describe the catalog."""
    with _open(args, refresh=args.action == "update") as archive:
        if args.action == "rebuild":
            if not archive.built_on_open:
                archive.rebuild()
        elif args.action == "update":
            archive.update()
        catalog = archive.catalog
        print(f"catalog {catalog.path}: {catalog.count()} captures,"
              f" {catalog.count(articles_only=True)} parsed records,"
              f" {len(catalog.ingested())} store files read")  # fmt: skip
        for key, error in catalog.damaged():
            print(f"DAMAGED: {key}: {error}")
    return EXIT_OK


def cmd_snapshots(args: argparse.Namespace) -> int:
    """List the captures of a URL."""
    from crawler.access.api import UnknownURLError

    with _open(args) as archive:
        captures = archive.snapshots(args.url, since=args.since, until=args.until,
                                     outlet=args.outlet)  # fmt: skip
        if not captures:
            raise UnknownURLError(f"no capture of {args.url} in {archive.store.description}")
    if args.json:
        print(json.dumps([c.as_dict() for c in captures], indent=1, ensure_ascii=False))
        return EXIT_OK
    for c in captures:
        print(f"{c.timestamp} {c.status if c.status is not None else '-':>3} {c.outlet or '-'}"
              f" {c.url}" + (f"  {c.title}" if c.title else ""))  # fmt: skip
    return EXIT_OK


def cmd_get(args: argparse.Namespace) -> int:
    """Write one capture (closest to --at) as WARC, record JSON or HTML."""
    if args.output:
        writable_output(args.output)
    with _open(args) as archive:
        capture = archive.get(args.url, at=args.at, need=args.kind)
        if args.kind == "warc":
            data = archive.warc(capture)
        elif args.kind == "html":
            data = archive.html(capture)
        else:
            record = archive.record(capture)
            data = (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if args.output:
        args.output.write_bytes(data)
        _notify(f"capture of {capture.url} at {capture.fetched_at} written to {args.output}")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Export parsed records; exit 1 when a damaged record file made it partial."""
    from crawler.access.export import export

    with _open(args) as archive:
        stream = archive.records(outlet=args.outlet, since=args.since, until=args.until,
                                 query=args.query)  # fmt: skip
        report = export(stream, args.output, args.format, progress=not args.no_progress)
    print(f"{report.records} records written to {args.output}")
    if report.damaged:
        _notify(f"export incomplete: {len(report.damaged)} damaged record files"
                f" ({', '.join(report.damaged)})")  # fmt: skip
        return EXIT_FAILURE
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    """Ranked full-text search."""
    with _open(args) as archive:
        hits = archive.search(args.text, outlet=args.outlet, since=args.since,
                              until=args.until, limit=args.limit)  # fmt: skip
    if args.json:
        print(json.dumps([h.capture.as_dict() | {"score": h.score, "snippet": h.snippet}
                          for h in hits], indent=1, ensure_ascii=False))  # fmt: skip
        return EXIT_OK
    for h in hits:
        print(f"{h.capture.timestamp} {h.capture.outlet} {h.capture.url}\n"
              f"  {h.capture.title or ''}\n  {h.snippet}")  # fmt: skip
    if not hits:
        print(f"no match for {args.text!r}")
    return EXIT_OK


def cmd_replay(args: argparse.Namespace) -> int:
    """Serve the archive with pywb on loopback until interrupted."""
    from crawler.access.replay import COLLECTION, serve
    from crawler.cli import _store_settings

    process = serve(_store_settings(args), args.port)
    print(f"Replaying at http://127.0.0.1:{args.port}/{COLLECTION}/<timestamp>/<URL>"
          f" (all captures of a URL: http://127.0.0.1:{args.port}/{COLLECTION}/*/<URL>);"
          " Ctrl-C stops", flush=True)  # fmt: skip
    try:
        return EXIT_OK if process.wait() == 0 else EXIT_FAILURE
    except KeyboardInterrupt:
        process.terminate()
        process.wait(timeout=10)
        return EXIT_OK
