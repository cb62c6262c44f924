"""Progress of long steps (reading a big roster, deriving titles), reported to whoever listens.

The evaluator prints nothing: a step calls `report(stage, done, total)`, which reaches the
callback the command line installed with `reporting(...)`, or nothing at all. A context variable
rather than a parameter keeps the readers' signatures unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol


class ProgressCallback(Protocol):
    """Receives `stage` (a code such as "read" or "derive"), the units done and the total if known."""

    def __call__(self, stage: str, done: int, total: int | None) -> None: ...


_CALLBACK: ContextVar[ProgressCallback | None] = ContextVar("thidua_progress", default=None)

# Report at most every this many units, so a listener costs nothing noticeable per row.
STEP = 500


@contextmanager
def reporting(callback: ProgressCallback) -> Iterator[None]:
    """Send progress reports to `callback` while the block runs."""
    token = _CALLBACK.set(callback)
    try:
        yield
    finally:
        _CALLBACK.reset(token)


def report(stage: str, done: int, total: int | None = None, *, force: bool = False) -> None:
    """Tell the listener, if any, that `done` units of `stage` are finished (every STEP units)."""
    callback = _CALLBACK.get()
    if callback is not None and (force or done % STEP == 0 or done == total):
        callback(stage, done, total)


@contextmanager
def stage(name: str, total: int | None = None) -> Iterator[None]:
    """Report a step's start (0 of `total`, or of an unknown total) and its end."""
    report(name, 0, total, force=True)
    yield
    report(name, total or 1, total or 1, force=True)


def listening() -> bool:
    """True when someone listens: lets a step skip counting work nobody will see."""
    return _CALLBACK.get() is not None
