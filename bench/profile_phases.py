"""Where the time of `thidua evaluate --format json` goes: CPU per phase, and a sampling profile.

Usage: .venv/bin/python bench/profile_phases.py FOLDER [--profile OUT.html|OUT.txt]
Runs the same steps as the command (read facts, derive titles, judge targets, collect findings,
write JSON) in one process and prints the CPU seconds of each. With --profile, pyinstrument (a bench
extra) samples the whole run and writes its call tree. Results are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from thidua.evaluator.app.evaluation import evaluation_json_bytes
from thidua.evaluator.app.words import FIRST, grouped_findings_json
from thidua.evaluator.engine.derive import derive
from thidua.evaluator.engine.findings import other_findings, title_finding_groups
from thidua.evaluator.engine.targets import evaluate
from thidua.evaluator.facts.inputs import discover
from thidua.evaluator.facts.reader import load_facts
from thidua.evaluator.run import Run, collector_paused
from thidua.rules.loader import load_rules


def phases(folder: Path, pretty: bool = False) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    clock = time.process_time()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.process_time()
        out.append((name, now - clock))
        clock = now

    inputs = discover(folder, (), ())
    rules = load_rules(inputs.rules, inputs.base)
    lap("load rules")
    facts = load_facts(inputs.facts, rules, inputs.base)
    lap("read facts")
    derivation = derive(rules, facts)
    lap("derive titles")
    assert derivation.facts is not None
    evaluation = evaluate(rules, derivation.facts)
    lap("judge targets")
    run = Run(inputs, rules, facts, evaluation, derivation)
    groups = title_finding_groups(run.rules, run.derivation, FIRST)
    others = other_findings(run.rules, run.derivation, evaluation)
    lap("findings")
    text = evaluation_json_bytes(evaluation, "vi", grouped_findings_json(groups, others, "vi"), pretty=pretty)
    lap("JSON text (orjson)")
    out.append((f"JSON size {len(text) / 1e6:.2f} MB", 0.0))
    with open("/dev/null", "wb") as sink:
        sink.write(text)
    lap("write")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    ap.add_argument("--profile", type=Path, help="write a pyinstrument call tree (.html or .txt)")
    ap.add_argument(
        "--pretty", action="store_true", help="indented JSON, as on a terminal (default: compact, as in a pipe)"
    )
    args = ap.parse_args()
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
        profiler.start()
    with collector_paused():  # as `evaluate` runs (evaluator/run.py run_path)
        result = phases(args.folder, args.pretty)
    if profiler is not None:
        profiler.stop()
        if args.profile.suffix == ".html":
            args.profile.write_text(profiler.output_html(), encoding="utf-8")
        else:
            args.profile.write_text(profiler.output_text(unicode=True, show_all=False), encoding="utf-8")
    total = sum(s for _, s in result)
    for name, s in result:
        print(f"{name:20} {s:7.2f} s  {s / total * 100:5.1f}%")
    print(f"{'total':20} {total:7.2f} s")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
