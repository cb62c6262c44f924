"""`python -m thidua.cli ...`: the `thidua` program without its console script (e.g. where PATH lacks it)."""

from __future__ import annotations

from thidua.cli.entry import main

main()
