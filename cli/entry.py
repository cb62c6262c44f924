"""The `thidua` program's entry point: refuse an unsupported Python with thidua's own message first.

durable-rules (the rule engine, a C extension) builds and imports on Python 3.10 to 3.12 only; on
3.13 it fails deep in an import. This module checks the version before anything imports it.
"""

from __future__ import annotations

import os
import sys

SUPPORTED = ((3, 10), (3, 12))  # the oldest and newest Python minor versions thidua runs on


def python_problem(version: tuple[int, ...] | None = None) -> str | None:
    """The message for an unsupported Python (Vietnamese, then English), or None when it is supported."""
    v = tuple(version or sys.version_info[:2])[:2]
    (lo_major, lo_minor), (hi_major, hi_minor) = SUPPORTED
    if SUPPORTED[0] <= v <= SUPPORTED[1]:
        return None
    shown = ".".join(map(str, v))
    return (
        f"thidua cần Python {lo_major}.{lo_minor} đến {hi_major}.{hi_minor}; đây là Python {shown}. "
        f"Bộ máy luật durable-rules chưa chạy được trên Python mới hơn {hi_major}.{hi_minor}. "
        f"Cài Python {hi_major}.{hi_minor} rồi chạy lại bằng nó (Windows: py -{hi_major}.{hi_minor} ...; "
        "xem docs/install-windows.md).\n"
        f"thidua needs Python {lo_major}.{lo_minor} to {hi_major}.{hi_minor}; this is Python {shown}. "
        f"The durable-rules engine does not run on Python newer than {hi_major}.{hi_minor}. "
        f"Install Python {hi_major}.{hi_minor} and run it with that (Windows: py -{hi_major}.{hi_minor} ...; "
        "see docs/install-windows.md)."
    )


def main() -> None:
    problem = python_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        sys.exit(2)
    # numpy's OpenBLAS starts a thread per core at import, and thidua never multiplies matrices
    # (its columns are counted and grouped): one thread takes a tenth of a second off every command.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from thidua.cli.main import main as run

    run()
