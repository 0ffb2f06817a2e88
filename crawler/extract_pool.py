"""Run extraction in worker processes, off the reactor, with a timeout and memory cap.

One pathological page must never stall or kill a crawl: each task has a wall-clock
timeout (the stuck workers are killed and the pool restarted), each worker process has
an address-space limit (a huge page raises MemoryError inside the worker, reported in
the record), and a worker that dies takes only its own tasks down (retried once on a
fresh pool, then recorded as failed).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import resource
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

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers, initializer=_start_worker,
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
        future, generation = self.submit(task)
        while True:
            try:
                result = await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
                return result if isinstance(result, dict) else json.loads(result)
            except (Exception, CancelledError) as exc:
                record = self._failed(task, exc, generation)
                if record is not None:
                    return record
                future, generation = self.submit(task)

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
            again = [(task, *self.submit(task)) for task in batch]
            return [(item[0], self._result(*item)) for item in again]
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
        return record if record is not None else self._result(task, *self.submit(task))

    def _result(self, task: Task, future: Future[Result], generation: int) -> Result:
        while True:
            try:
                return future.result(timeout=self.timeout)
            except (Exception, CancelledError) as exc:
                record = self._failed(task, exc, generation)
                if record is not None:
                    return record
                future, generation = self.submit(task)

    def _failed(self, task: Task, exc: BaseException, generation: int) -> Record | None:
        """The record a failed task becomes, or None to run it again (it was lost when
        another task's failure restarted the pool)."""
        url, context = task[1], self._context_of(task)
        if isinstance(exc, TimeoutError | FutureTimeout):
            self._restart(f"extraction of {url} exceeded {self.timeout:.0f}s")
            return failed_record(url, context, "timeout")
        if isinstance(exc, BrokenProcessPool | CancelledError):
            if generation != self.generation:
                return None
            self._restart(f"a worker died while extracting {url}")
            return failed_record(url, context, "worker_crashed")
        return failed_record(url, context, _status_of(exc))  # raised inside the worker

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
        for process in self._processes():
            process.kill()
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._new_executor()

    def _processes(self) -> list[Any]:
        """The executor's worker processes now (its private table: it has no public one)."""
        return list((getattr(self._executor, "_processes", None) or {}).values())

    def worker_pids(self) -> list[int]:
        """Process ids of the workers running now."""
        return [int(process.pid) for process in self._processes()]

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
