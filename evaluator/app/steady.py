"""Preloaded by the worker pool's fork server (evaluator/app/pool.py): there, it ignores SIGTERM.

A stop sent to the whole process group (systemd's default, `timeout`) would otherwise end the fork
server with the workers while the serving process, stopping, still replaces workers through it. The
fork server ends when the serving process does; the workers it forks take SIGTERM back
(`pool.worker_started`), so the pool can stop them. Anywhere else (a process that imports every
module) importing this changes nothing: the pool sets STEADY_ENV only while it starts its fork server.
"""

from __future__ import annotations

import os
import signal

STEADY_ENV = "THIDUA_POOL_FORKSERVER"

if os.environ.get(STEADY_ENV) == "1":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
