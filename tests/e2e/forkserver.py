"""Runs `thidua` command lines as real processes forked from one that has already imported thidua.

Each command must run in its own process (a crash of the engine's C code kills only that command and
shows as a signal; nothing of one run is left in the next), but starting Python and importing thidua
costs 0.3-0.9 s of CPU per process, most of the cost of a typical command. This server pays that
once: it reads one JSON job per line on stdin, forks a child that runs the console script's own
entry point (`thidua.cli.entry:main`) with the job's arguments, folder, whole environment and
standard input, its three streams pipes as under subprocess.run, and writes one JSON result per
line on stdout: exit code, signal, whether it timed out (then the child is killed), and the child's
stdout/stderr.

What only a fresh interpreter reads (PYTHON* variables, the locale) is the server's own: tests/e2e/
process.py starts a real console script instead when a job's differ.
"""

from __future__ import annotations

import atexit
import json
import os
import selectors
import signal
import sys
import time
from pathlib import Path
from typing import Any

# The console script's path: `sys.argv[0]` of the children, as the installed script has it.
THIDUA = str(Path(sys.executable).with_name("thidua"))


def _child(job: dict[str, Any], stdin: int, stdout: int, stderr: int) -> None:
    code = 3
    try:
        for fd, end in ((0, stdin), (1, stdout), (2, stderr)):
            os.dup2(end, fd)
            os.close(end)
        os.chdir(job["cwd"])
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
            atexit._run_exitfuncs()  # what the interpreter runs at exit
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def run(job: dict[str, Any]) -> dict[str, Any]:
    """Fork a child for the job, feed its stdin, read its stdout and stderr to the end (as
    subprocess.run does) and reap it; kill it once the job's timeout has passed."""
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        for fd in (in_w, out_r, err_r):
            os.close(fd)
        _child(job, in_r, out_w, err_w)
    for fd in (in_r, out_w, err_w):
        os.close(fd)
    deadline = time.monotonic() + float(job.get("timeout", 60))
    limit = job.get("limit") or None  # the fuzzer keeps only the start of a huge output
    stdin = job.get("stdin", "").encode("utf-8")
    output: dict[int, bytearray] = {out_r: bytearray(), err_r: bytearray()}
    timed_out = False
    with selectors.DefaultSelector() as selector:
        selector.register(out_r, selectors.EVENT_READ)
        selector.register(err_r, selectors.EVENT_READ)
        if stdin:
            os.set_blocking(in_w, False)
            selector.register(in_w, selectors.EVENT_WRITE)
        else:
            os.close(in_w)
        while len(selector.get_map()):
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            for key, _ in selector.select(left):
                fd = int(key.fd)
                if fd == in_w:
                    try:
                        stdin = stdin[os.write(in_w, stdin[:65536]) :]
                    except BrokenPipeError:  # the command stopped reading
                        stdin = b""
                    if not stdin:
                        selector.unregister(in_w)
                        os.close(in_w)
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    selector.unregister(fd)
                    os.close(fd)
                elif limit is None or len(output[fd]) < limit:
                    output[fd] += chunk
        for key in list(selector.get_map().values()):  # left open by a timeout
            os.close(int(key.fd))
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    status = os.waitpid(pid, 0)[1]
    result: dict[str, Any] = {"timeout": timed_out, "signal": None, "rc": None}
    if os.WIFSIGNALED(status) and not timed_out:
        result["signal"] = os.WTERMSIG(status)
    elif os.WIFEXITED(status):
        result["rc"] = os.WEXITSTATUS(status)
    result["stdout"] = bytes(output[out_r][:limit]).decode("utf-8", "replace")
    result["stderr"] = bytes(output[err_r][:limit]).decode("utf-8", "replace")
    return result


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
