"""Runs `thidua` command lines as real processes forked from one that has already imported thidua.

A fuzz case must run in its own process (a crash of the engine's C code kills only that case and
shows as a signal), but starting Python and importing thidua costs 0.4 s of CPU per process. This
server pays that once: it reads one JSON job per line on stdin, forks a child that runs the CLI's
`main()` exactly as the console script does, and writes one JSON result per line on stdout:
exit code, signal, whether it timed out (then the child is killed), and the child's stdout/stderr.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import time
from typing import Any


def _child(job: dict[str, Any], out_path: str, err_path: str) -> None:
    code = 3
    try:
        os.chdir(job.get("cwd") or ".")
        for fd, path in ((1, out_path), (2, err_path)):
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(handle, fd)
            os.close(handle)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.environ.update(job.get("env") or {})
        sys.argv = ["thidua", *job["args"]]
        from thidua.cli.main import main

        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - a traceback here is what the test looks for
        import traceback

        traceback.print_exc()
        code = 99
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def run(job: dict[str, Any]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="thidua-fork-") as tmp:
        out_path, err_path = os.path.join(tmp, "out"), os.path.join(tmp, "err")
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(job, out_path, err_path)
        deadline = time.monotonic() + float(job.get("timeout", 20))
        timed_out, status = False, 0
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
                timed_out = True
                break
            time.sleep(0.002)
        result: dict[str, Any] = {"timeout": timed_out, "signal": None, "rc": None}
        if os.WIFSIGNALED(status):
            result["signal"] = os.WTERMSIG(status)
        else:
            result["rc"] = os.WEXITSTATUS(status)
        for key, path in (("stdout", out_path), ("stderr", err_path)):
            try:
                with open(path, "rb") as handle:
                    result[key] = handle.read(200_000).decode("utf-8", "replace")
            except OSError:
                result[key] = ""
        return result


def serve() -> None:
    # Import what a command imports lazily, so children do not pay for it either; nothing here
    # creates an engine ruleset or session, so each child starts from a clean engine.
    import openpyxl  # noqa: F401

    import thidua.cli.main  # noqa: F401
    import thidua.evaluator.facts.spreadsheet  # noqa: F401
    import thidua.evaluator.facts.workbook  # noqa: F401
    import thidua.evaluator.run  # noqa: F401

    for line in sys.stdin:
        if not line.strip():
            continue
        result = run(json.loads(line))
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
