"""Helpers for the first-hour tests: the installed `thidua` as a real process, piped or on a terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.process import run_thidua

THIDUA = Path(sys.executable).with_name("thidua")


def thidua(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """Run thidua as a real process (tests/e2e/process.py run_script) with its output piped; COLUMNS and
    THIDUA_LANG unset unless given."""
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "THIDUA_LANG", "LINES")}
    done = run_thidua(*args, env={**base, **(env or {})}, cwd=cwd, timeout=timeout)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def thidua_on_terminal(
    *args: str | Path, columns: int = 100, env: dict[str, str] | None = None, timeout: int = 120
) -> tuple[int, str]:
    """Run the console script with stdout and stderr on a pseudo-terminal; its exit code and all it drew."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "THIDUA_LANG", "LINES", "NO_COLOR")}
    proc = subprocess.Popen(
        [str(THIDUA), *map(str, args)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**base, "TERM": "xterm-256color", **(env or {})},
        close_fds=True,
    )
    os.close(slave)
    out = b""
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                out += chunk
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=timeout)
    finally:
        os.close(master)
    text = out.decode("utf-8", "replace")
    assert "Traceback" not in text, text[-2000:]
    return code, text
