"""Running thidua as real processes and judging their outcomes (shared by the end-to-end tests)."""

from __future__ import annotations

import atexit
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thidua.rules.messages import MESSAGES

ROOT = Path(__file__).resolve().parents[2]
THIDUA = Path(sys.executable).with_name("thidua")  # the installed console script
FORKSERVER = Path(__file__).with_name("forkserver.py")

# Problems about a file as a whole, where no line or cell could be named.
FILE_LEVEL = frozenset(
    {
        "file.missing",
        "file.is_directory",
        "file.unreadable",
        "input.not_regular",
        "input.too_large",
        "input.zip_too_many",
        "input.zip_too_large",
        "input.zip_doctype",
        "draft.bad_docx",
        "draft.too_long",
        "draft.not_text",
        "draft.no_file",
        # a pledge with no target sentence, or not for the year asked: about the document as a whole
        "draft.no_targets",
        "draft.period_missing",
        "draft.period_choice",
        "block.unknown_member",
        "documents.template.unreadable",
        "documents.template.broken",
        "xlsx.unreadable",
        "csv.unknown_kind",
        "path.no_rules",
        "path.unknown_file_type",
        "rules.none_given",
        "path.not_folder",
        "path.block_folder",
        "block.no_file",
        "output.symlink",
        "output.directory",
        "output.is_input",
        "output.is_ledger",
        "output.not_regular",
        "output.exists",
        "output.no_folder",
        "output.failed",
        # about a name given on the command line, not about a line of a file
        "explain.unknown_target",
        "tests.none_found",
        "ledger.missing",
        "ledger.not_database",
        "ledger.foreign",
        "ledger.newer_schema",
        "ledger.unwritable",
        "ledger.busy",
        "ledger.no_run",
        # about a whole document to draft, or the period or vocabulary given on the command line
        "draft.period_outside_term",
        "draft.term_needs_period",
        "draft.bad_period",
        "draft.use_missing",
        "draft.use_no_rules",
        "draft.use_outside",
    }
)


@dataclass
class Outcome:
    rc: int | None
    signal: int | None
    timeout: bool
    stdout: str
    stderr: str

    def describe(self) -> str:
        return f"rc={self.rc} signal={self.signal} timeout={self.timeout}\n--- stdout\n{self.stdout[-3000:]}\n--- stderr\n{self.stderr[-3000:]}"


# What only a fresh interpreter reads, at its start: a job whose values differ from the fork server's
# runs as the console script itself.
_INTERPRETER_ENV = re.compile(r"^(PYTHON.*|LANG|LANGUAGE|LC_.*)$")


def run_script(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    stdin: str | None = None,
) -> Outcome:
    """Run `thidua ARGS` as a real process with this environment updated by `env`: forked from a fork
    server that has imported thidua, calling the installed console script's entry point (0.3-0.9 s of
    CPU less per command than starting the script, tests/e2e/forkserver.py), or the console script
    itself when `env` changes what only a fresh interpreter reads (PYTHONIOENCODING, the locale)."""
    return _run(args, cwd, {**os.environ, **(env or {})}, timeout, stdin)


def _run(
    args: tuple[str | Path, ...], cwd: Path | None, env: dict[str, str], timeout: float, stdin: str | None
) -> Outcome:
    """One command with exactly this environment: forked when the fork server's interpreter would
    have started as the script's does, else (or where there is no fork: Windows) the console script."""
    if not hasattr(os, "fork"):
        return run_console_script(*args, cwd=cwd, env=env, timeout=timeout, stdin=stdin)
    with _shared_runner() as runner:
        if runner.interpreter_env == _interpreter_env(env):
            return runner.run(*args, cwd=cwd, env=env, timeout=timeout, stdin=stdin)
    return run_console_script(*args, cwd=cwd, env=env, timeout=timeout, stdin=stdin)


def run_console_script(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    stdin: str | None = None,
) -> Outcome:
    """Start the installed `thidua` console script as a subprocess (`env`: its whole environment)."""
    try:
        done = subprocess.run(
            [str(THIDUA), *map(str, args)],
            cwd=cwd,
            env=env,
            input=None if stdin is None else stdin.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode("utf-8", "replace")
        err = (exc.stderr or b"").decode("utf-8", "replace")
        return Outcome(None, None, True, out, err)
    sig = -done.returncode if done.returncode < 0 else None
    rc = done.returncode if done.returncode >= 0 else None
    return Outcome(rc, sig, False, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))


def run_thidua(
    *args: str | Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    input: str | None = None,  # noqa: A002 - as subprocess.run names it
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """`subprocess.run([thidua, *args], capture_output=True, text=True, ...)` through run_script: `env`
    is the whole environment when given; a timeout raises subprocess.TimeoutExpired."""
    argv = [str(THIDUA), *map(str, args)]
    outcome = _run(args, cwd, dict(os.environ if env is None else env), timeout, input)
    if outcome.timeout:
        raise subprocess.TimeoutExpired(argv, timeout, outcome.stdout, outcome.stderr)
    code = -outcome.signal if outcome.signal is not None else outcome.rc
    assert code is not None
    return subprocess.CompletedProcess(argv, code, outcome.stdout, outcome.stderr)


def _interpreter_env(env: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if _INTERPRETER_ENV.match(k)}


class ForkRunner:
    """A client of tests/e2e/forkserver.py: each command line runs in its own forked process."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(FORKSERVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
        )
        self.interpreter_env = _interpreter_env(os.environ)
        self.lock = threading.Lock()

    def run(
        self,
        *args: str | Path,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 20,
        stdin: str | None = None,
        limit: int | None = None,
    ) -> Outcome:
        """`env`: the whole environment (this process's when None); `limit`: keep that many bytes of each output."""
        job = {
            "args": [str(a) for a in args],
            "cwd": str(cwd or os.getcwd()),
            "env": dict(os.environ) if env is None else env,
            "timeout": timeout,
            "stdin": stdin or "",
            "limit": limit,
        }
        with self.lock:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            self.proc.stdin.write(json.dumps(job) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the fork server stopped")
        r = json.loads(line)
        return Outcome(r["rc"], r["signal"], r["timeout"], r["stdout"], r["stderr"])

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


_idle: list[ForkRunner] = []
_started: list[ForkRunner] = []
_pool_lock = threading.Lock()


@contextmanager
def _shared_runner() -> Iterator[ForkRunner]:
    """A fork server of this test process, started on first use and kept for the next command (one
    per thread running commands at the same time); all end when the tests do."""
    with _pool_lock:
        while _idle and _idle[-1].proc.poll() is not None:  # a server that stopped is not reused
            _idle.pop()
        if _idle:
            runner = _idle.pop()
        else:
            if not _started:
                atexit.register(_close_all)
            runner = ForkRunner()
            _started.append(runner)
    try:
        yield runner
    finally:
        with _pool_lock:
            _idle.append(runner)


def _close_all() -> None:
    for runner in _started:
        runner.close()


def _template(code: str) -> re.Pattern[str]:
    vi = MESSAGES[code][0]
    parts = re.split(r"\{[^}]*\}", vi)
    return re.compile(".*".join(re.escape(p) for p in parts), re.S)


FILE_LEVEL_TEXTS = [_template(c) for c in sorted(FILE_LEVEL) if c in MESSAGES]
LOCATED_LINE = re.compile(
    r"^(?P<loc>.+?):\d+:\d+: lỗi: |^(?P<cell>.+?), dòng \d+(?:, cột '.*?')?: lỗi: |^.+?, sheet '.*?'.*?: lỗi: "
)
PROBLEM_LINE = re.compile(r"^(?P<loc>.+?): lỗi: (?P<msg>.*)$")
# A Word template's problem names its paragraph (numbered from 1) and quotes it: that is its place.
PARAGRAPH = re.compile(r"^Mẫu Word, đoạn [1-9][0-9]* \(«")


def _located_dict(problem: dict[str, Any]) -> bool:
    loc = problem.get("location") or {}
    return (
        bool(loc.get("line"))
        or loc.get("sheet") is not None
        or problem.get("code") in FILE_LEVEL
        or str(loc.get("file", "")).startswith("--")  # a command-line option: the place to change
    )


def unlocated(outcome: Outcome) -> list[str]:
    """The problems of an exit-2 outcome that name neither a line nor a sheet (nor are about a whole file)."""
    bad: list[str] = []
    try:
        data = json.loads(outcome.stdout) if outcome.stdout.strip().startswith("{") else None
    except json.JSONDecodeError:
        data = None
    if isinstance(data, dict) and ("problems" in data or "errors" in data):
        for p in data.get("problems", []) + data.get("errors", []):
            if not _located_dict(p):
                bad.append(f"{p.get('code')}: {p.get('message')}")
        return bad
    for line in outcome.stderr.splitlines():
        m = PROBLEM_LINE.match(line)
        if m is None or LOCATED_LINE.match(line) or m.group("loc").startswith("--") or PARAGRAPH.match(m["msg"]):
            continue
        if not any(t.fullmatch(m.group("msg")) for t in FILE_LEVEL_TEXTS):
            bad.append(line)
    return bad


def judge(outcome: Outcome) -> str | None:
    """Why an outcome breaks the contract (exit 0/1, or a located exit 2; never a crash), or None."""
    if outcome.timeout:
        return "hang (timeout)"
    if outcome.signal is not None:
        return f"killed by signal {outcome.signal}"
    if "Traceback" in outcome.stdout or "Traceback" in outcome.stderr:
        return "traceback"
    if outcome.rc not in (0, 1, 2):
        return f"exit {outcome.rc}"
    if outcome.rc == 2:
        bad = unlocated(outcome)
        if bad:
            return "exit 2 without a line or cell: " + " | ".join(bad[:3])
    return None
