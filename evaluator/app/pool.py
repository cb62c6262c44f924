"""A bounded pool of worker processes for the operations that evaluate, so a server stays responsive and small.

An evaluation pauses the cyclic garbage collector for its process (evaluator/run.py), registers
rule sets on the process's one durable-rules host, which never frees them, and may take seconds. In
a server answering many requests at once, none of that may happen in the serving process: every
operation that may evaluate runs here instead, in one of a fixed number of worker processes (the
pause is then the worker's own). A worker keeps the rule sets it loaded and compiled, by the bytes
of their files, up to a cap (evaluator/run.py `RULE_SETS_KEPT`), so the same agency's next request
compiles nothing; it is replaced after `tasks_per_worker` operations, which bounds what durable
keeps. Results are plain data (evaluator/app/tasks.py), so nothing but bytes and dicts crosses over.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from thidua.evaluator.app.steady import STEADY_ENV

T = TypeVar("T")

# multiprocessing.Pool rather than ProcessPoolExecutor: with `max_tasks_per_child` the executor of
# Python 3.11 hung once its first worker retired (evaluator/blocks/province.py); Pool's
# `maxtasksperchild` replaces workers reliably.
TASKS_PER_WORKER = 64
PRELOAD = ["thidua.evaluator.app.steady", "thidua.evaluator.app.tasks"]
STOP_WAIT = 2.0  # seconds the pool may take to stop before its workers are killed


def worker_started() -> None:
    """In each new worker: Ctrl+C is for the serving process, which stops the pool; SIGTERM ends the
    worker again (its fork server ignores it, evaluator/app/steady.py)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


class Workers:
    """`processes` worker processes, each replaced after `tasks_per_worker` operations."""

    def __init__(self, processes: int = 2, tasks_per_worker: int = TASKS_PER_WORKER) -> None:
        self.processes = processes
        context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
        if os.name == "posix":  # a replacement forks from a server that imported the evaluator already
            context.set_forkserver_preload(PRELOAD)
        os.environ[STEADY_ENV] = "1"  # read by evaluator/app/steady.py in the fork server this starts
        try:
            self._pool = context.Pool(
                processes=processes, initializer=worker_started, maxtasksperchild=tasks_per_worker
            )
        finally:
            os.environ.pop(STEADY_ENV, None)
        self._lock = threading.Lock()
        self._pending = 0
        self._closed = False

    @property
    def pending(self) -> int:
        """Operations submitted and not finished (queued or running)."""
        return self._pending

    def submit(self, func: Callable[..., T], *args: Any) -> concurrent.futures.Future[T]:
        """Run `func(*args)` in a worker; the future holds its result or the exception it raised."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the worker pool is closed")
            self._pending += 1

        def done(result: T) -> None:
            self._finished()
            future.set_result(result)

        def failed(exc: BaseException) -> None:
            self._finished()
            future.set_exception(exc)

        self._pool.apply_async(func, args, callback=done, error_callback=failed)
        return future

    def _finished(self) -> None:
        with self._lock:
            self._pending -= 1

    def close(self) -> None:
        """Stop the workers (what is running is abandoned). Pool.terminate waits for a lock a worker
        holds while it waits for work: where something else ended that worker (a stop sent to the
        whole process group, as systemd and `timeout` send it) it would wait for ever, so it gets
        STOP_WAIT seconds, then every child process still alive is killed."""
        with self._lock:
            self._closed = True
        stopper = threading.Thread(target=self._pool.terminate, daemon=True)
        stopper.start()
        stopper.join(STOP_WAIT)
        if stopper.is_alive():
            for child in multiprocessing.active_children():
                child.kill()
        else:
            self._pool.join()


__all__ = ["Workers"]
