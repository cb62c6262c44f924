"""Imported by the worker pool's fork server only (evaluator/app/pool.py): it ignores SIGTERM.

A stop sent to the whole process group (systemd's default, `timeout`) would otherwise end the fork
server with the workers while the serving process, stopping, still replaces workers through it. The
fork server ends when the serving process does; the workers it forks take SIGTERM back
(`pool.worker_started`), so the pool can stop them.
"""

from __future__ import annotations

import signal

signal.signal(signal.SIGTERM, signal.SIG_IGN)
