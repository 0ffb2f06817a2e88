"""Run extraction in worker processes, off the reactor, with a timeout and memory cap.

One pathological page must never stall or kill a crawl: each task has a wall-clock
timeout (the stuck workers are killed and the pool restarted), each worker process has
an address-space limit (a huge page raises MemoryError inside the worker, reported in
the record), and a worker that dies takes only its own page down.

A dead worker breaks the whole process pool, and a timeout restarts it: every task in
flight then fails at once, and which of them was at fault cannot be told from there (a
page queued behind a stuck one times out too). So no task is blamed in the pool: each
one lost that way runs again alone, one at a time, in a separate one-worker quarantine
pool, and only a crash or timeout there makes its failure record.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import resource
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from crawler.records import build_record, failed_record

logger = logging.getLogger(__name__)

Task = tuple[str, str, dict[str, Any]]  # (html, url, context)
Record = dict[str, Any]
#: What a worker function returns: a record, or a record already serialised as JSON (so
#: the main process only writes it: :func:`crawler.extract_command.extract_line`).
Result = Record | str
Outcome = Result | BaseException  # a task's result, or what the worker function raised

#: Tasks :meth:`ExtractionPool.map_ordered` sends to a worker at once: one round trip
#: (future, pipe wake-ups, pickling calls) per batch instead of per page. In a micro-
#: benchmark 8 cut the main process's pool overhead from 0.09 to 0.03 ms a task; larger
#: batches gained nothing more.
BATCH = 8


def _limit_memory(megabytes: int) -> None:
    """Cap the address space (0: no cap)."""
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _start_worker(megabytes: int, setup: Callable[..., None] | None, args: tuple[Any, ...]) -> None:
    """Worker initializer: the memory cap, then the pool's own ``setup(*args)``."""
    _limit_memory(megabytes)
    if setup is not None:
        setup(*args)


def _run(task: Task) -> dict[str, Any]:
    html, url, context = task
    return build_record(html, url, context)


def _run_batch(function: Callable[[Task], Result], tasks: list[Task]) -> list[Outcome]:
    """Run ``tasks`` one after another in a worker; what a task raises is its outcome."""
    outcomes: list[Outcome] = []
    for task in tasks:
        try:
            outcomes.append(function(task))
        except Exception as exc:  # each task's failure is its own outcome
            outcomes.append(exc)
    return outcomes


def _batches(tasks: Iterable[Task], size: int) -> Iterator[list[Task]]:
    """``tasks`` in lists of ``size`` (the last may be shorter)."""
    batch: list[Task] = []
    for task in tasks:
        batch.append(task)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _start_signal() -> None:
    """A task that does nothing: submitting it starts the workers."""


def _status_of(exc: BaseException) -> str:
    """extraction_status for an exception a worker raised."""
    if isinstance(exc, MemoryError):
        return "memory_limit"
    logger.error("Extraction worker raised %s: %s", type(exc).__name__, exc)
    return f"worker_error:{type(exc).__name__}"


class ExtractionPool:
    """A restartable process pool for :func:`crawler.records.build_record`."""

    def __init__(
        self, workers: int, timeout: float, memory_mb: int,
        function: Callable[[Task], Result] | None = None,
        setup: Callable[..., None] | None = None, setup_args: tuple[Any, ...] = (),
        resolve: Callable[[Task], Task] | None = None,
    ) -> None:  # fmt: skip
        """``function`` (picklable) replaces build_record (the extract command's reader of
        archived pages; tests of failure paths); each worker runs ``setup(*setup_args)``
        once at its start (state ``function`` reads); ``resolve`` completes the context
        of a task whose extraction failed before its failure record is made (tasks that
        name their page instead of carrying it)."""
        self.function = function or _run
        self.setup, self.setup_args = setup, setup_args
        self.resolve = resolve
        self.workers = workers or os.cpu_count() or 1
        self.timeout, self.memory_mb = timeout, memory_mb
        self.generation = 0  # incremented at each restart
        self._executor = self._new_executor()
        # one task at a time runs in the quarantine pool (started at its first task)
        self._quarantine: ProcessPoolExecutor | None = None
        self._alone_lock = threading.Lock()
        self._alone_turn: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    def _new_executor(self, workers: int = 0) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers or self.workers, initializer=_start_worker,
            initargs=(self.memory_mb, self.setup, self.setup_args),
        )  # fmt: skip

    def start(self) -> None:
        """Start the worker processes now (they start at the first task otherwise)."""
        self._executor.submit(_start_signal)

    def submit(self, task: Task) -> tuple[Future[Result], int]:
        """Start a task; returns its future and the pool generation it runs in."""
        return self._executor.submit(self.function, task), self.generation

    async def extract(self, task: Task) -> Record:
        """The record of one page; failures become a record that says what happened."""
        try:
            future, generation = self.submit(task)
        except BrokenProcessPool:  # a worker died and no task has noticed yet
            self._restart(f"a worker died before {task[1]} was sent")
            return _as_record(await self._alone_async(task))
        try:
            result = await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except asyncio.CancelledError:
            if generation == self.generation:
                raise  # the caller was cancelled, not the task by a restart of the pool
            result = await self._alone_async(task)
        except Exception as exc:
            record = self._failed(task, exc, generation)
            result = record if record is not None else await self._alone_async(task)
        return _as_record(result)

    async def _alone_async(self, task: Task) -> Result:
        """:meth:`_alone` for the event loop: waits for its turn without blocking it."""
        loop = asyncio.get_running_loop()
        if self._alone_turn is None or self._alone_turn[0] is not loop:
            self._alone_turn = (loop, asyncio.Lock())
        async with self._alone_turn[1]:
            future = self._quarantined().submit(self.function, task)
            try:
                return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
            except Exception as exc:
                return self._failed_alone(task, exc)

    def _alone(self, task: Task) -> Result:
        """Run ``task`` by itself in the quarantine pool (no other task runs there
        meanwhile): a crash or a timeout there is its own."""
        with self._alone_lock:
            future = self._quarantined().submit(self.function, task)
            try:
                return future.result(timeout=self.timeout)
            except (Exception, CancelledError) as exc:
                return self._failed_alone(task, exc)

    def _quarantined(self) -> ProcessPoolExecutor:
        if self._quarantine is None:
            self._quarantine = self._new_executor(workers=1)
        return self._quarantine

    def _failed_alone(self, task: Task, exc: BaseException) -> Record:
        """The failure record of a task that failed alone in the quarantine pool."""
        url, context = task[1], self._context_of(task)
        if isinstance(exc, TimeoutError | FutureTimeout):
            self._stop_quarantine()
            logger.warning("Extraction of %s exceeded %.0fs on its own", url, self.timeout)
            return failed_record(url, context, "timeout")
        if isinstance(exc, BrokenProcessPool | CancelledError):
            self._stop_quarantine()
            logger.warning("An extraction worker died on %s", url)
            return failed_record(url, context, "worker_crashed")
        return failed_record(url, context, _status_of(exc))  # raised inside the worker

    def _stop_quarantine(self) -> None:
        quarantine, self._quarantine = self._quarantine, None
        if quarantine is not None:
            _kill(quarantine)

    def map_ordered(self, tasks: Iterable[Task], window: int = 64) -> Iterator[Result]:
        """Results of ``tasks`` (records, or their JSON lines) in input order, at most
        ``window`` in flight (streaming), sent to the workers in batches of up to
        :data:`BATCH`."""
        for _, record in self.map_pairs(tasks, window):
            yield record

    def map_pairs(self, tasks: Iterable[Task], window: int = 64) -> Iterator[tuple[Task, Result]]:
        """:meth:`map_ordered`, each record with its task."""
        size = max(1, min(BATCH, window))
        pending: deque[tuple[list[Task], Future[list[Outcome]], int]] = deque()
        for batch in _batches(tasks, size):
            try:
                future = self._executor.submit(_run_batch, self.function, batch)
            except BrokenProcessPool:  # a worker died under a batch still pending
                self._restart(f"a worker died before the batch from {batch[0][1]} was sent")
                future = self._executor.submit(_run_batch, self.function, batch)
            pending.append((batch, future, self.generation))
            if len(pending) * size >= window:
                yield from self._batch_records(*pending.popleft())
        while pending:
            yield from self._batch_records(*pending.popleft())

    def _batch_records(
        self, batch: list[Task], future: Future[list[Outcome]], generation: int
    ) -> list[tuple[Task, Result]]:
        """(task, record) of a batch; a batch that timed out or was lost runs again task by
        task (so only a page at fault gets a failure record)."""
        try:
            outcomes = future.result(timeout=self.timeout)
        except (Exception, CancelledError) as exc:
            self._batch_lost(exc, generation, batch[0][1])
            return [(task, self._alone(task)) for task in batch]
        pairs = zip(batch, outcomes, strict=True)
        return [(task, self._outcome_record(task, outcome, generation)) for task, outcome in pairs]

    def _batch_lost(self, exc: BaseException, generation: int, url: str) -> None:
        """Restart the workers when a batch (from ``url`` on) timed out or one died."""
        if isinstance(exc, TimeoutError | FutureTimeout):
            self._restart(f"a batch of pages from {url} on exceeded {self.timeout:.0f}s")
        elif isinstance(exc, BrokenProcessPool | CancelledError) and generation == self.generation:
            self._restart(f"a worker died while extracting pages from {url} on")

    def _outcome_record(self, task: Task, outcome: Outcome, generation: int) -> Result:
        """The record of one outcome of a batch."""
        if not isinstance(outcome, BaseException):
            return outcome
        record = self._failed(task, outcome, generation)
        return record if record is not None else self._alone(task)

    def _failed(self, task: Task, exc: BaseException, generation: int) -> Record | None:
        """The record of a task whose function raised in a worker, or None when the task
        was lost (timed out, or its pool broke or was restarted): it runs again alone. A
        loss in the pool as it is now restarts the pool."""
        url = task[1]
        if isinstance(exc, TimeoutError | FutureTimeout):
            if generation == self.generation:
                self._restart(f"extraction of {url} (or of a page before it) exceeded "
                              f"{self.timeout:.0f}s")  # fmt: skip
            return None
        if isinstance(exc, BrokenProcessPool | CancelledError):
            if generation == self.generation:
                self._restart(f"a worker died while extracting {url} or a page beside it")
            return None
        return failed_record(url, self._context_of(task), _status_of(exc))

    def _context_of(self, task: Task) -> dict[str, Any]:
        """The context a failure record of ``task`` is made from (see ``resolve``)."""
        if self.resolve is None:
            return task[2]
        try:
            return self.resolve(task)[2]
        except Exception:  # the failure record is still made, from what the task says
            logger.exception("%s: its context could not be completed", task[1])
            return task[2]

    def _restart(self, reason: str) -> None:
        logger.warning("Restarting extraction workers: %s", reason)
        self.generation += 1
        _kill(self._executor)
        self._executor = self._new_executor()

    def worker_pids(self) -> list[int]:
        """Process ids of the workers running now (the quarantine's too)."""
        executors = [self._executor, *([self._quarantine] if self._quarantine else [])]
        return [int(p.pid) for executor in executors for p in _processes(executor)]

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        if self._quarantine is not None:
            self._quarantine.shutdown(wait=True, cancel_futures=True)


def _as_record(result: Result) -> Record:
    """A record from a worker's result (a record, or its JSON line)."""
    return result if isinstance(result, dict) else json.loads(result)


def _processes(executor: ProcessPoolExecutor) -> list[Any]:
    """The executor's worker processes now (its private table: it has no public one)."""
    return list((getattr(executor, "_processes", None) or {}).values())


def _kill(executor: ProcessPoolExecutor) -> None:
    """Kill the executor's workers and shut it down without waiting."""
    for process in _processes(executor):
        process.kill()
    executor.shutdown(wait=False, cancel_futures=True)
