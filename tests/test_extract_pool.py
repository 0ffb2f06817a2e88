"""The extraction pool survives pathological pages: timeouts, dead workers, memory."""

from __future__ import annotations

import asyncio
import json
import os
import time
from typing import Any

from crawler.extract_pool import ExtractionPool

CONTEXT = {"outlet": "t", "fetched_at": "2026-01-01T00:00:00Z", "status": 200, "warc": None}


def echo(task: tuple[str, str, dict[str, Any]]) -> dict[str, Any]:
    html, url, _ = task
    if html == "hang":
        time.sleep(60)
    if html == "die":
        os._exit(3)
    if html == "raise":
        raise ValueError("a bug")
    if html == "hog":
        bytearray(512 * 1024 * 1024)  # over the worker's address-space cap
    return {"url": url, "extraction_status": "ok", "pid": os.getpid()}


def test_timeout_kills_and_restarts_without_losing_others() -> None:
    pool = ExtractionPool(2, timeout=2.0, memory_mb=0, function=echo)
    try:
        tasks = [("ok", f"u{i}", CONTEXT) for i in range(3)]
        tasks.insert(1, ("hang", "slow", CONTEXT))
        started = time.monotonic()
        results = list(pool.map_ordered(tasks, window=4))
        assert time.monotonic() - started < 20
        assert [r["url"] for r in results] == ["u0", "slow", "u1", "u2"]
        assert results[1]["extraction_status"] == "timeout"
        assert all(r["extraction_status"] == "ok" for i, r in enumerate(results) if i != 1)
        assert pool.generation >= 1
    finally:
        pool.close()


def test_dead_worker_is_a_record_not_a_crash() -> None:
    pool = ExtractionPool(1, timeout=20.0, memory_mb=0, function=echo)
    try:
        dead = asyncio.run(pool.extract(("die", "gone", CONTEXT)))
        assert dead["extraction_status"] == "worker_crashed" and dead["url"] == "gone"
        assert asyncio.run(pool.extract(("ok", "after", CONTEXT)))["extraction_status"] == "ok"
    finally:
        pool.close()


def test_memory_cap_applies_in_workers() -> None:
    pool = ExtractionPool(1, timeout=20.0, memory_mb=256, function=echo)
    try:
        result = asyncio.run(pool.extract(("hog", "big", CONTEXT)))
        assert result["extraction_status"] == "memory_limit" and result["url"] == "big"
        assert asyncio.run(pool.extract(("ok", "after", CONTEXT)))["extraction_status"] == "ok"
    finally:
        pool.close()


def test_batched_map_keeps_order_and_fails_only_the_page_at_fault() -> None:
    pool = ExtractionPool(2, timeout=20.0, memory_mb=0, function=echo)
    try:
        tasks = [("ok", f"u{i}", CONTEXT) for i in range(20)]
        tasks[3], tasks[12] = ("die", "gone", CONTEXT), ("raise", "bug", CONTEXT)
        results = list(pool.map_ordered(tasks))
        assert [r["url"] for r in results] == [t[1] for t in tasks]
        status = {r["url"]: r["extraction_status"] for r in results}
        assert status.pop("gone") == "worker_crashed"
        assert status.pop("bug") == "worker_error:ValueError"
        assert set(status.values()) == {"ok"}
    finally:
        pool.close()


def test_only_the_pages_at_fault_fail_when_workers_die_under_load() -> None:
    # a dead worker breaks the pool under every page in flight: the pool cannot tell which
    # page killed it, so the lost pages run again alone and only a crash there counts
    pool = ExtractionPool(2, timeout=20.0, memory_mb=0, function=echo)

    async def crawl(tasks: list[tuple[str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
        return list(await asyncio.gather(*(pool.extract(t) for t in tasks)))

    try:
        for _ in range(5):  # the pages in flight at a crash differ from run to run
            tasks = [("ok", f"u{i}", CONTEXT) for i in range(40)]
            tasks[5], tasks[25] = ("die", "gone", CONTEXT), ("die", "gone too", CONTEXT)
            records = asyncio.run(crawl(tasks))
            failed = {r["url"]: r["extraction_status"] for r in records}
            failed = {url: status for url, status in failed.items() if status != "ok"}
            assert failed == {"gone": "worker_crashed", "gone too": "worker_crashed"}
        after = asyncio.run(pool.extract(("ok", "after", CONTEXT)))
        assert after["extraction_status"] == "ok", "the pool keeps working"
    finally:
        pool.close()


def test_a_page_that_hangs_times_out_alone_and_the_others_are_kept() -> None:
    pool = ExtractionPool(2, timeout=2.0, memory_mb=0, function=echo)

    async def crawl(tasks: list[tuple[str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
        return list(await asyncio.gather(*(pool.extract(t) for t in tasks)))

    try:
        tasks = [("ok", f"u{i}", CONTEXT) for i in range(10)]
        tasks[2] = ("hang", "slow", CONTEXT)
        started = time.monotonic()
        status = {r["url"]: r["extraction_status"] for r in asyncio.run(crawl(tasks))}
        assert time.monotonic() - started < 20, "one timeout in the pool, one alone"
        assert status.pop("slow") == "timeout"
        assert set(status.values()) == {"ok"} and len(status) == 9
    finally:
        pool.close()


def echo_line(task: tuple[str, str, dict[str, Any]]) -> str:
    """:func:`echo`, the record serialised in the worker."""
    return json.dumps(echo(task))


def test_records_serialised_in_workers() -> None:
    pool = ExtractionPool(1, timeout=20.0, memory_mb=0, function=echo_line)
    try:
        results = list(pool.map_ordered([("ok", "u0", CONTEXT), ("raise", "bug", CONTEXT)]))
        assert isinstance(results[0], str) and json.loads(results[0])["url"] == "u0"
        assert isinstance(results[1], dict)  # a failure record is made in this process
        assert results[1]["extraction_status"] == "worker_error:ValueError"
        record = asyncio.run(pool.extract(("ok", "one", CONTEXT)))
        assert record["url"] == "one" and record["extraction_status"] == "ok"
    finally:
        pool.close()
