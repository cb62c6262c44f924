"""thidua against its pandas twin on the same rosters: verdicts compared field by field, CPU and memory.

Usage: .venv/bin/python bench/compare.py [--sizes 50000 200000] [--checks 20000] [--markdown]

For each size, writes a roster with bench/province.py (raw facts: the criteria derive every title),
then runs, each as its own process, `thidua evaluate FOLDER --format json --no-record` and
`bench/pandas_twin.py` (the same 14 verdicts of the seed's 2022 rules, in pandas), compares status,
measured bounds (value, low, high, numerator, denominator, unknown) and margin of every target, and
prints CPU seconds (user + system) and peak memory (max RSS) of each process, read from the kernel
with os.wait4 for that child alone; the twin runs a second time with --ids (listing every entity id
by outcome, as thidua's reasons do) for a fairer second ratio. Then the agreement checks at `--checks` people: rosters with
titles recorded by the council, with missing and awaited values, and with a breached CSTĐCS quota;
a disagreement there is printed target by target. Also times `thidua --help` and the seed example.

Exit code 1 when a verdict differs on the main rosters; the check rosters only report.
Results are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from province import RULES, roster  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).with_name("thidua")
TWIN = ROOT / "bench" / "pandas_twin.py"
SEED = ROOT / "examples" / "ban-dan-toc-binh-phuoc" / "2022"
FIELDS = ("value", "low", "high", "numerator", "denominator", "unknown")
VARIANTS: dict[str, dict[str, Any]] = {
    "raw": {"recorded": False},
    "recorded": {"recorded": True},
    "missing": {"recorded": False, "missing": 0.02},
    "breach": {"recorded": False, "initiative": 0.3},
}
VARIANT_TEXT = {
    "raw": "raw facts, every title derived",
    "recorded": "titles recorded by the council (as bench/province.py writes them)",
    "missing": "raw facts, 2% of each value missing, 2% of ratings awaited",
    "breach": "raw facts, 30% initiatives: the CSTĐCS quota is breached",
}


@dataclass
class Measured:
    cpu: float  # user + system seconds of the child
    rss_mib: float  # its peak resident set
    wall: float
    stdout: bytes
    code: int


def run(cmd: list[str]) -> Measured:
    """Run one child and read its own rusage (RUSAGE_CHILDREN would mix all children)."""
    import time

    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        stdout = out.read()
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err.decode(errors='replace')[-2000:]}")
    return Measured(usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, wall, stdout, proc.returncode)


def verdicts_thidua(stdout: bytes) -> dict[str, dict[str, Any]]:
    data = json.loads(stdout)
    out = {}
    for j in data["judgements"]:
        m = j["measured"]
        out[j["target"]] = {
            "status": j["status"],
            **{f: m.get(f) for f in FIELDS},
            "margin": j["margin"]["value"] if j["margin"] else None,
        }
    return out


def verdicts_twin(stdout: bytes) -> dict[str, dict[str, Any]]:
    data = json.loads(stdout)
    return {
        j["target"]: {"status": j["status"], **{f: j["measured"].get(f) for f in FIELDS}, "margin": j["margin"]}
        for j in data["judgements"]
    }


def same(a: Any, b: Any) -> bool:
    """Equal values of the same kind (a bool is not the number 1 here)."""
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def differences(ours: dict[str, dict[str, Any]], twin: dict[str, dict[str, Any]]) -> list[str]:
    out = []
    for target in sorted(set(ours) | set(twin)):
        a, b = ours.get(target), twin.get(target)
        if a is None or b is None:
            out.append(f"{target}: only in {'the twin' if a is None else 'thidua'}")
            continue
        for key in ("status", *FIELDS, "margin"):
            if not same(a[key], b[key]):
                out.append(f"{target}.{key}: thidua {a[key]!r}, pandas {b[key]!r}")
    return out


def write_roster(folder: Path, people: int, variant: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    facts = folder / "roster.facts.json"
    facts.write_text(json.dumps(roster(people, 0, **VARIANTS[variant]), ensure_ascii=False), encoding="utf-8")
    shutil.copy(RULES, folder / "targets.rules.yaml")
    return facts


def compare(
    folder: Path, people: int, variant: str, with_ids: bool = False
) -> tuple[Measured, Measured, Measured | None, list[str], dict[str, int]]:
    """thidua and the twin on one roster (and the twin listing ids by outcome, when asked)."""
    facts = write_roster(folder, people, variant)
    ours = run([str(BIN), "evaluate", str(folder), "--format", "json", "--no-record"])
    twin = run([sys.executable, str(TWIN), str(facts)])
    a, b = verdicts_thidua(ours.stdout), verdicts_twin(twin.stdout)
    diff = differences(a, b)
    twin_ids = None
    if with_ids:
        twin_ids = run([sys.executable, str(TWIN), str(facts), "--ids"])
        diff += [f"(twin --ids) {line}" for line in differences(a, verdicts_twin(twin_ids.stdout))]
    statuses: dict[str, int] = {}
    for v in a.values():
        statuses[v["status"]] = statuses.get(v["status"], 0) + 1
    facts.unlink()
    return ours, twin, twin_ids, diff, statuses


def startup() -> tuple[float, float, float, float]:
    """Best of five: `thidua --help` and the seed example end to end (wall and CPU seconds)."""
    helps = [run([str(BIN), "--help"]) for _ in range(5)]
    seeds = [run([str(BIN), "evaluate", str(SEED), "--format", "json", "--no-record"]) for _ in range(5)]
    return (
        min(m.wall for m in helps),
        min(m.cpu for m in helps),
        min(m.wall for m in seeds),
        min(m.cpu for m in seeds),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[50_000, 200_000])
    ap.add_argument("--variant", choices=sorted(VARIANTS), default="raw", help="roster of the timed runs")
    ap.add_argument("--checks", type=int, default=20_000, help="people in the agreement-check rosters (0: skip)")
    args = ap.parse_args()
    print(f"rosters: {VARIANT_TEXT[args.variant]}; python {sys.version.split()[0]}; {os.cpu_count()} cores")
    print()
    print(
        "| people | thidua CPU | pandas CPU | ratio | pandas + ids CPU | ratio "
        "| thidua peak RSS | pandas peak RSS | ratio | verdicts |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for people in args.sizes:
            ours, twin, ids, diff, statuses = compare(Path(tmp) / f"n{people}", people, args.variant, True)
            assert ids is not None
            failed |= bool(diff)
            verdicts = "all 14 equal" if not diff else f"{len(diff)} fields differ"
            print(
                f"| {people:,} | {ours.cpu:.2f} s | {twin.cpu:.2f} s | {ours.cpu / twin.cpu:.1f}× "
                f"| {ids.cpu:.2f} s | {ours.cpu / ids.cpu:.1f}× "
                f"| {ours.rss_mib:,.0f} MiB | {twin.rss_mib:,.0f} MiB | {ours.rss_mib / twin.rss_mib:.1f}× "
                f"| {verdicts} |",
                flush=True,
            )
            for line in diff:
                print(f"    {line}")
        if args.checks:
            print()
            print(f"Agreement at {args.checks:,} people:")
            print()
            print("| roster | verdicts | thidua statuses |")
            print("|---|---|---|")
            notes = []
            for variant in VARIANTS:
                _, _, _, diff, statuses = compare(Path(tmp) / f"c-{variant}", args.checks, variant)
                shown = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
                verdicts = "all 14 equal" if not diff else f"**{len(diff)} fields differ**"
                print(f"| {VARIANT_TEXT[variant]} | {verdicts} | {shown} |", flush=True)
                notes.extend(f"    {variant}: {line}" for line in diff)
            for line in notes:
                print(line)
    help_wall, help_cpu, seed_wall, seed_cpu = startup()
    print()
    print(f"`thidua --help`: {help_wall:.2f} s wall, {help_cpu:.2f} s CPU (best of 5)")
    print(f"seed example (2022) end to end, --format json: {seed_wall:.2f} s wall, {seed_cpu:.2f} s CPU (best of 5)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
