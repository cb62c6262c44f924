"""thidua against its pandas twin on the same rosters: verdicts compared field by field, CPU and memory.

Usage: .venv/bin/python bench/compare.py [--sizes 50000 200000] [--checks 20000] [--province AGENCIES PEOPLE]

For each size, writes a roster with bench/province.py (raw facts: the criteria derive every title),
then runs, each as its own process, `thidua evaluate FOLDER --format json --no-record` and
`bench/pandas_twin.py` (the same 14 verdicts of the seed's 2022 rules, in pandas), compares status,
measured bounds (value, low, high, numerator, denominator, unknown) and margin of every target, and
prints CPU seconds (user + system) and peak memory (max RSS) of each process, read from the kernel
with os.wait4 for that child alone; the twin runs a second time with --ids (listing every entity id
by outcome, as thidua's reasons do) for a fairer second ratio. Then the agreement checks at `--checks` people: rosters with
titles recorded by the council, with missing and awaited values, and with a breached CSTĐCS quota;
a disagreement there is printed target by target. Also times `thidua --help` and the seed example.

With --province AGENCIES PEOPLE (`make bench`: 100 agencies of 2,000), also writes a province of
agency folders (each with the seed's 2022 targets and its own roster) and runs, as one process each,
`thidua evaluate ROOT --each --jobs 1 --format json` and `bench/pandas_twin.py --each ROOT` (the
same script, one agency after another): every agency's verdicts are compared, field by field.

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


PER_FILE = 80_000  # people per fact file: thidua reads at most 32 MiB from one file (rules/limits.py)


def write_roster(folder: Path, people: int, variant: str) -> list[Path]:
    """The roster as one fact base in files of at most PER_FILE people (units and the organization in
    the first), as a province would keep a large roster; thidua and the twin read all of them."""
    folder.mkdir(parents=True, exist_ok=True)
    data = roster(people, 0, **VARIANTS[variant])
    persons = data["entities"]["person"]
    files = []
    for i in range(0, max(len(persons), 1), PER_FILE):
        entities = {**(data["entities"] if i == 0 else {}), "person": persons[i : i + PER_FILE]}
        facts = folder / f"roster{i // PER_FILE:03}.facts.json"
        facts.write_text(json.dumps({**data, "entities": entities}, ensure_ascii=False), encoding="utf-8")
        files.append(facts)
    shutil.copy(RULES, folder / "targets.rules.yaml")
    return files


def compare(
    folder: Path, people: int, variant: str, with_ids: bool = False
) -> tuple[Measured, Measured, Measured | None, list[str], dict[str, int]]:
    """thidua and the twin on one roster (and the twin listing ids by outcome, when asked)."""
    facts = write_roster(folder, people, variant)
    ours = run([str(BIN), "evaluate", str(folder), "--format", "json", "--no-record"])
    twin = run([sys.executable, str(TWIN), *map(str, facts)])
    a, b = verdicts_thidua(ours.stdout), verdicts_twin(twin.stdout)
    diff = differences(a, b)
    twin_ids = None
    if with_ids:
        twin_ids = run([sys.executable, str(TWIN), *map(str, facts), "--ids"])
        diff += [f"(twin --ids) {line}" for line in differences(a, verdicts_twin(twin_ids.stdout))]
    statuses: dict[str, int] = {}
    for v in a.values():
        statuses[v["status"]] = statuses.get(v["status"], 0) + 1
    for part in facts:
        part.unlink()
    return ours, twin, twin_ids, diff, statuses


# --- a province of agencies ---------------------------------------------------------------------


def write_province(root: Path, agencies: int, people: int, variant: str) -> list[Path]:
    """AGENCIES folders under root, each with the seed's 2022 targets and a roster of its own."""
    folders = []
    for a in range(agencies):
        folder = root / f"co-quan-{a:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        data = roster(people, a, **VARIANTS[variant])
        (folder / "roster.facts.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        shutil.copy(RULES, folder / "targets.rules.yaml")
        folders.append(folder)
    return folders


def _relative(path: str, root: Path) -> str:
    """An agency's folder as `evaluate --each` shows it, relative to the province's root."""
    shown, prefix = Path(path).as_posix(), root.as_posix()
    return "." if shown == prefix else shown.removeprefix(prefix + "/")


def province_thidua(stdout: bytes, root: Path) -> dict[str, dict[str, dict[str, Any]] | str]:
    """Each agency's verdicts from the JSON lines of `evaluate --each`; a text when it had none."""
    out: dict[str, dict[str, dict[str, Any]] | str] = {}
    for line in stdout.splitlines():
        agency = json.loads(line)
        rel = _relative(agency["path"], root)
        if agency["evaluation"] is None:
            out[rel] = f"no evaluation: {agency['problems'] or agency['internal']}"
        else:
            out[rel] = verdicts_thidua(json.dumps(agency["evaluation"]).encode())
    return out


def province_twin(stdout: bytes) -> dict[str, dict[str, dict[str, Any]]]:
    """Each agency's verdicts from the JSON lines of `pandas_twin.py --each`."""
    out = {}
    for line in stdout.splitlines():
        agency = json.loads(line)
        out[agency["path"]] = verdicts_twin(json.dumps(agency).encode())
    return out


def province_differences(
    ours: dict[str, dict[str, dict[str, Any]] | str], twin: dict[str, dict[str, dict[str, Any]]]
) -> list[str]:
    """Every field that differs, agency by agency; an agency on one side only is a difference too."""
    out = []
    for agency in sorted(set(ours) | set(twin)):
        a, b = ours.get(agency), twin.get(agency)
        if a is None or b is None:
            out.append(f"{agency}: only in {'the twin' if a is None else 'thidua'}")
        elif isinstance(a, str):
            out.append(f"{agency}: thidua {a}")
        else:
            out.extend(f"{agency}: {line}" for line in differences(a, b))
    return out


def compare_province(
    root: Path, agencies: int, people: int, variant: str
) -> tuple[Measured, Measured, list[str], dict[str, int]]:
    """thidua `evaluate --each` and the twin `--each` over one province, each as one process."""
    write_province(root, agencies, people, variant)
    ours = run([str(BIN), "evaluate", str(root), "--each", "--jobs", "1", "--format", "json", "--no-record"])
    twin = run([sys.executable, str(TWIN), "--each", str(root)])
    a = province_thidua(ours.stdout, root)
    diff = province_differences(a, province_twin(twin.stdout))
    statuses: dict[str, int] = {}
    for verdicts in a.values():
        for v in verdicts.values() if isinstance(verdicts, dict) else ():
            statuses[v["status"]] = statuses.get(v["status"], 0) + 1
    shutil.rmtree(root)
    return ours, twin, diff, statuses


def print_province(tmp: Path, agencies: int, people: int, variant: str) -> bool:
    """One table row for the province; True when a verdict differs."""
    print()
    print(
        f"A province: {agencies:,} agencies × {people:,} people, `evaluate --each --jobs 1` against the twin `--each`:"
    )
    print()
    print(
        "| agencies × people | thidua CPU | pandas CPU | ratio | thidua wall | thidua peak RSS | pandas peak RSS | ratio | verdicts |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    ours, twin, diff, _ = compare_province(tmp / "province", agencies, people, variant)
    verdicts = f"all {agencies:,} × 14 equal" if not diff else f"**{len(diff)} fields differ**"
    print(
        f"| {agencies:,} × {people:,} | {ours.cpu:.2f} s | {twin.cpu:.2f} s | {ours.cpu / twin.cpu:.1f}× "
        f"| {ours.wall:.1f} s | {ours.rss_mib:,.0f} MiB | {twin.rss_mib:,.0f} MiB | {ours.rss_mib / twin.rss_mib:.1f}× "
        f"| {verdicts} |",
        flush=True,
    )
    for line in diff[:50]:
        print(f"    {line}")
    return bool(diff)


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
    ap.add_argument("--sizes", type=int, nargs="*", default=[50_000, 200_000], help="people in one fact base")
    ap.add_argument("--variant", choices=sorted(VARIANTS), default="raw", help="roster of the timed runs")
    ap.add_argument("--checks", type=int, default=20_000, help="people in the agreement-check rosters (0: skip)")
    ap.add_argument(
        "--province",
        type=int,
        nargs=2,
        metavar=("AGENCIES", "PEOPLE"),
        help="also a province of AGENCIES folders of PEOPLE each, evaluated with --each (e.g. 100 2000, 500 2000)",
    )
    args = ap.parse_args()
    print(f"rosters: {VARIANT_TEXT[args.variant]}; python {sys.version.split()[0]}; {os.cpu_count()} cores")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        if args.province:
            failed |= print_province(Path(tmp), *args.province, args.variant)
        if args.sizes:
            print()
            print(
                "| people | thidua CPU | pandas CPU | ratio | pandas + ids CPU | ratio "
                "| thidua peak RSS | pandas peak RSS | ratio | verdicts |"
            )
            print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
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
