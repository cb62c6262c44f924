"""Runs `thidua` command lines as real processes forked from one that has already imported thidua.

Each command must run in its own process (a crash of the engine's C code kills only that command and
shows as a signal; nothing of one run is left in the next), but starting Python and importing thidua
costs 0.3-0.9 s of CPU per process, most of the cost of a typical command. This server pays that
once: it reads one JSON job per line on stdin, forks a child that runs the console script's own
entry point (`thidua.cli.entry:main`) with the job's arguments, folder, whole environment and
standard input, and writes one JSON result per line on stdout: exit code, signal, whether it timed
out (then the child is killed), and the child's stdout/stderr.

What only a fresh interpreter reads (PYTHON* variables, the locale) is the server's own: tests/e2e/
process.py starts a real console script instead when a job's differ.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# The console script's path: `sys.argv[0]` of the children, as the installed script has it.
THIDUA = str(Path(sys.executable).with_name("thidua"))


def _child(job: dict[str, Any], tmp: str) -> None:
    code = 3
    try:
        os.chdir(job["cwd"])
        stdin_path = os.path.join(tmp, "in")
        with open(stdin_path, "wb") as handle:
            handle.write(job.get("stdin", "").encode("utf-8"))
        for fd, name, flags in ((0, "in", os.O_RDONLY), (1, "out", os.O_WRONLY), (2, "err", os.O_WRONLY)):
            handle = os.open(os.path.join(tmp, name), flags | (os.O_CREAT | os.O_TRUNC if fd else 0), 0o600)
            os.dup2(handle, fd)
            os.close(handle)
        os.environ.clear()
        os.environ.update(job["env"])
        sys.argv = [THIDUA, *job["args"]]
        from thidua.cli.entry import main

        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            if exc.code is not None and not isinstance(exc.code, int):
                print(exc.code, file=sys.stderr)  # as the interpreter does for sys.exit("text")
    except BaseException:  # noqa: BLE001 - a traceback here is what the test looks for
        import traceback

        traceback.print_exc()
        code = 1  # as an uncaught exception ends the console script
    finally:
        try:
            atexit._run_exitfuncs()  # what the interpreter runs at exit (the server's own state is not touched)
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _wait(pid: int, timeout: float) -> tuple[int, bool]:
    """The child's wait status, killing it after `timeout` seconds (then True)."""
    deadline = time.monotonic() + timeout
    try:
        pidfd = os.pidfd_open(pid)  # readable once the child ends: no polling
    except (AttributeError, OSError):
        pidfd = None
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status, False
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                return os.waitpid(pid, 0)[1], True
            if pidfd is not None:
                select.select([pidfd], [], [], left)
            else:
                time.sleep(min(left, 0.005))
    finally:
        if pidfd is not None:
            os.close(pidfd)


def run(job: dict[str, Any]) -> dict[str, Any]:
    # mkdtemp, not TemporaryDirectory: its finalizer would run in the child's atexit and take the files
    tmp = tempfile.mkdtemp(prefix="thidua-fork-")
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(job, tmp)
        status, timed_out = _wait(pid, float(job.get("timeout", 60)))
        result: dict[str, Any] = {"timeout": timed_out, "signal": None, "rc": None}
        if os.WIFSIGNALED(status):
            result["signal"] = os.WTERMSIG(status)
        else:
            result["rc"] = os.WEXITSTATUS(status)
        limit = job.get("limit")  # the fuzzer keeps only the start of a huge output
        for key in ("out", "err"):
            try:
                with open(os.path.join(tmp, key), "rb") as handle:
                    result["std" + key] = handle.read(limit if limit else -1).decode("utf-8", "replace")
            except OSError:
                result["std" + key] = ""
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def serve() -> None:
    # As the console script does before anything imports numpy (cli/entry.py).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # Import every module of thidua and the libraries its commands import lazily (documents, the
    # ledger, drafting), so children do not pay for them either. Importing defines; nothing here
    # creates an engine ruleset or session, so each child starts from a clean engine.
    import importlib
    import pkgutil

    import thidua.cli
    import thidua.evaluator
    import thidua.rules

    for package in (thidua.rules, thidua.evaluator, thidua.cli):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not module.name.endswith("__main__"):  # `python -m thidua.cli` runs the program
                importlib.import_module(module.name)
    for name in ("docx", "docxtpl", "jinja2", "lark", "openpyxl", "pygal", "sqlite3"):
        importlib.import_module(name)

    for line in sys.stdin:
        if not line.strip():
            continue
        result = run(json.loads(line))
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
