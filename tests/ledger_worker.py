"""Test helper process: evaluate a folder once, then record it N times in a ledger (concurrency test)."""

from __future__ import annotations

import sys
from pathlib import Path

from thidua.evaluator.audit.ledger import Ledger, snapshot_files
from thidua.evaluator.audit.rerun import run_files
from thidua.evaluator.run import run_path


def main(folder: str, ledger: str, runs: int) -> None:
    run = run_path(Path(folder))
    rules, given, facts = run_files(run)
    files = snapshot_files(rules, given, facts)
    for _ in range(runs):
        # One connection per run, as separate `thidua evaluate` processes would open.
        with Ledger.open(Path(ledger), create=True) as book:
            book.record(run.evaluation, files, folder)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
