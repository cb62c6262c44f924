"""The reading phase alone: facts into columns (the good path) against the positioned reader.

Usage: .venv/bin/python bench/read_phase.py FOLDER [--positioned] [--entities] [--locate]
Prints the CPU seconds of reading the folder's facts and the process's peak memory (max RSS), so
run it once per reader, each in its own process. --entities also builds every `Entity` (as the
commands that walk entities do); --locate also asks every entity's location (as a reason listing
every person does). Results are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from thidua.evaluator.facts.inputs import discover
from thidua.evaluator.facts.reader import load_columns, load_positioned
from thidua.rules.loader import load_rules


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    ap.add_argument("--positioned", action="store_true", help="the positioned reader (the error path)")
    ap.add_argument("--entities", action="store_true", help="also build every Entity")
    ap.add_argument("--locate", action="store_true", help="also ask every entity's location")
    args = ap.parse_args()
    inputs = discover(args.folder)
    rules = load_rules(inputs.rules, inputs.base)
    start = time.process_time()
    facts = load_positioned(inputs.facts, rules, inputs.base) if args.positioned else None
    if facts is None:
        facts = load_columns(inputs.facts, rules, inputs.base)
        assert facts is not None, "the columnar pass fell back"
    read = time.process_time() - start
    people = facts.size("person")
    print(f"{'positioned' if args.positioned else 'columns'}: read {read:.2f} s CPU ({people:,} people)")
    if args.entities:
        start = time.process_time()
        for kind in facts.kinds:
            facts.of(kind)
        print(f"entities: {time.process_time() - start:.2f} s CPU")
    if args.locate:
        start = time.process_time()
        table = facts.table("person")
        lines = sum(1 for r in range(len(table)) if table.location(r) is not None)
        print(f"locations of {lines:,} people: {time.process_time() - start:.2f} s CPU")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
