"""thidua against its pandas and polars twins on the same rosters: verdicts compared field by field, CPU and memory.

Usage: .venv/bin/python bench/compare.py [--sizes 50000 200000] [--checks 20000] [--province AGENCIES PEOPLE]
                                         [--excel PEOPLE] [--documents PEOPLE] [--repeat 3] [--ids]

For each size, writes a roster with bench/province.py (raw facts: the criteria derive every title),
then runs, each as its own process, `thidua evaluate FOLDER --format json --no-record`,
`bench/pandas_twin.py` and `bench/polars_twin.py` (the same 14 verdicts of the seed's 2022 rules, in
pandas and in polars) and a process that only parses the roster's JSON files with orjson. The four
run interleaved, `--repeat` rounds, so the load of a shared machine falls on all alike, and the best
CPU of each is kept: CPU seconds (user + system, every thread) and peak memory (max RSS) of that
child alone, read from the kernel with os.wait4. Every target's status, measured bounds (value, low,
high, numerator, denominator, unknown) and margin are compared between thidua and the pandas twin,
and the polars twin's output must equal the pandas twin's byte for byte. With --ids the twins run
once more listing every entity id by outcome (as thidua's reasons do). Then the agreement checks at
`--checks` people: rosters with titles recorded by the council, with missing and awaited values, and
with a breached CSTĐCS quota; a disagreement there is printed target by target. Also times `thidua
--help` and the seed example.

With --excel PEOPLE (`make bench`: 50,000), the same roster is also written as the workbook an agency
keeps (bench/excel_roster.py: as Excel saves it) and `evaluate` reads it and the JSON, interleaved,
verdicts compared. With --documents PEOPLE (`make bench`: 20,000), `thidua report` writes the Excel,
Word and HTML documents of one agency, each as a process of its own.

With --province AGENCIES PEOPLE (a separate run: 500 agencies of 2,000), also writes a province of
agency folders (each with the seed's 2022 targets and its own roster) and runs, as one process each,
`thidua evaluate ROOT --each --jobs 1 --format json` and both twins with `--each ROOT` (the same
scripts, one agency after another): every agency's verdicts are compared, field by field.

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
POLARS = ROOT / "bench" / "polars_twin.py"
PARSE = "import sys, orjson\nkept = [orjson.loads(open(f, 'rb').read()) for f in sys.argv[1:]]"
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


def best_of(commands: dict[str, list[str]], repeat: int) -> dict[str, Measured]:
    """Each command run `repeat` times, interleaved (a round runs each once, in turn), so a shared
    machine's load falls on all of them alike; the least CPU and the least peak memory of each kept,
    with the output of its first run."""
    best: dict[str, Measured] = {}
    for _ in range(max(1, repeat)):
        for name, cmd in commands.items():
            m = run(cmd)
            if name not in best:
                best[name] = m
            else:
                kept = best[name]
                kept.cpu, kept.rss_mib, kept.wall = (
                    min(kept.cpu, m.cpu),
                    min(kept.rss_mib, m.rss_mib),
                    min(kept.wall, m.wall),
                )
    return best


@dataclass
class Compared:
    """thidua, the twins and the parse alone on one roster, and what differed."""

    runs: dict[str, Measured]
    diff: list[str]
    statuses: dict[str, int]


def written_apart(folder: Path, people: int, variant: str, province: int = 0) -> list[Path]:
    """A roster (or a province of `province` agencies) written by a child process: a child forked from
    a parent that built a large roster inherits its resident pages in the peak memory the kernel
    reports for the child, so the parent must stay small."""
    cmd = [sys.executable, __file__, "--write", str(folder), str(people), variant, str(province)]
    subprocess.run(cmd, check=True)
    return sorted(folder.glob("*.facts.json"))


def compare(folder: Path, people: int, variant: str, repeat: int = 1, with_ids: bool = False) -> Compared:
    """thidua and the twins on one roster (and the twins listing ids by outcome, when asked)."""
    facts = written_apart(folder, people, variant)
    files = list(map(str, facts))
    commands = {
        "thidua": [str(BIN), "evaluate", str(folder), "--format", "json", "--no-record"],
        "pandas": [sys.executable, str(TWIN), *files],
        "polars": [sys.executable, str(POLARS), *files],
        "parse": [sys.executable, "-c", PARSE, *files],
    }
    if with_ids:
        commands["pandas_ids"] = [*commands["pandas"], "--ids"]
        commands["polars_ids"] = [*commands["polars"], "--ids"]
    runs = best_of(commands, repeat)
    a = verdicts_thidua(runs["thidua"].stdout)
    diff = differences(a, verdicts_twin(runs["pandas"].stdout))
    if runs["polars"].stdout != runs["pandas"].stdout:
        diff.append("the polars twin's output differs from the pandas twin's")
    if with_ids:
        diff += [f"(twin --ids) {line}" for line in differences(a, verdicts_twin(runs["pandas_ids"].stdout))]
        if runs["polars_ids"].stdout != runs["pandas_ids"].stdout:
            diff.append("the polars twin's ids differ from the pandas twin's")
    statuses: dict[str, int] = {}
    for v in a.values():
        statuses[v["status"]] = statuses.get(v["status"], 0) + 1
    for part in facts:
        part.unlink()
    return Compared(runs, diff, statuses)


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


def compare_province(root: Path, agencies: int, people: int, variant: str, repeat: int = 1) -> Compared:
    """thidua `evaluate --each` and the twins `--each` over one province, each as one process."""
    written_apart(root, people, variant, agencies)
    runs = best_of(
        {
            "thidua": [str(BIN), "evaluate", str(root), "--each", "--jobs", "1", "--format", "json", "--no-record"],
            "pandas": [sys.executable, str(TWIN), "--each", str(root)],
            "polars": [sys.executable, str(POLARS), "--each", str(root)],
        },
        repeat,
    )
    a = province_thidua(runs["thidua"].stdout, root)
    diff = province_differences(a, province_twin(runs["pandas"].stdout))
    if runs["polars"].stdout != runs["pandas"].stdout:
        diff.append("the polars twin's output differs from the pandas twin's")
    statuses: dict[str, int] = {}
    for verdicts in a.values():
        for v in verdicts.values() if isinstance(verdicts, dict) else ():
            statuses[v["status"]] = statuses.get(v["status"], 0) + 1
    shutil.rmtree(root)
    return Compared(runs, diff, statuses)


def print_province(tmp: Path, agencies: int, people: int, variant: str, repeat: int) -> bool:
    """One table row for the province; True when a verdict differs."""
    print()
    print(
        f"A province: {agencies:,} agencies × {people:,} people, `evaluate --each --jobs 1` against the twins "
        f"`--each` (best of {repeat}, interleaved):"
    )
    print()
    print(
        "| agencies × people | thidua CPU | pandas CPU | polars CPU | thidua / polars "
        "| thidua peak RSS | pandas peak RSS | polars peak RSS | verdicts |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    c = compare_province(tmp / "province", agencies, people, variant, repeat)
    ours, pandas, polars = c.runs["thidua"], c.runs["pandas"], c.runs["polars"]
    verdicts = f"all {agencies:,} × 14 equal" if not c.diff else f"**{len(c.diff)} fields differ**"
    print(
        f"| {agencies:,} × {people:,} | {ours.cpu:.2f} s | {pandas.cpu:.2f} s | {polars.cpu:.2f} s "
        f"| **{ours.cpu / polars.cpu:.2f}×** | {ours.rss_mib:,.0f} MiB | {pandas.rss_mib:,.0f} MiB "
        f"| {polars.rss_mib:,.0f} MiB | {verdicts} |",
        flush=True,
    )
    for line in c.diff[:50]:
        print(f"    {line}")
    return bool(c.diff)


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


def print_sizes(tmp: Path, sizes: list[int], variant: str, repeat: int, with_ids: bool) -> bool:
    """One table row per roster size; True when a verdict differs."""
    print()
    print(f"One agency, thidua and the twins interleaved, best of {repeat}:")
    print()
    ids = "| pandas + ids | polars + ids " if with_ids else ""
    print(
        f"| people | thidua CPU | pandas CPU | polars CPU {ids}| thidua / polars | orjson parse alone "
        "| thidua / parse | thidua peak RSS | pandas peak RSS | polars peak RSS | parse peak RSS | verdicts |"
    )
    print("|---:|---:|---:|---:|" + ("---:|---:|" if with_ids else "") + "---:|---:|---:|---:|---:|---:|---:|---|")
    failed = False
    for people in sizes:
        c = compare(tmp / f"n{people}", people, variant, repeat, with_ids)
        r = c.runs
        failed |= bool(c.diff)
        verdicts = "all 14 equal" if not c.diff else f"{len(c.diff)} fields differ"
        ids = f"| {r['pandas_ids'].cpu:.2f} s | {r['polars_ids'].cpu:.2f} s " if with_ids else ""
        print(
            f"| {people:,} | {r['thidua'].cpu:.2f} s | {r['pandas'].cpu:.2f} s | {r['polars'].cpu:.2f} s {ids}"
            f"| **{r['thidua'].cpu / r['polars'].cpu:.2f}×** | {r['parse'].cpu:.2f} s "
            f"| {r['thidua'].cpu / r['parse'].cpu:.2f}× | {r['thidua'].rss_mib:,.0f} MiB "
            f"| {r['pandas'].rss_mib:,.0f} MiB | {r['polars'].rss_mib:,.0f} MiB | {r['parse'].rss_mib:,.0f} MiB "
            f"| {verdicts} |",
            flush=True,
        )
        for line in c.diff:
            print(f"    {line}")
    return failed


def print_excel(tmp: Path, people: int, repeat: int) -> bool:
    """The same roster from JSON and from a workbook as Excel saves it (bench/excel_roster.py); True
    when a verdict differs."""
    json_folder, xlsx_folder = tmp / f"excel-json-{people}", tmp / f"excel-xlsx-{people}"
    written_apart(json_folder, people, "raw")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "excel_roster.py"), str(json_folder), str(xlsx_folder)], check=True
    )
    evaluate = [str(BIN), "evaluate", "--format", "json", "--no-record"]
    runs = best_of({"json": [*evaluate, str(json_folder)], "xlsx": [*evaluate, str(xlsx_folder)]}, repeat)
    a, b = verdicts_thidua(runs["json"].stdout), verdicts_thidua(runs["xlsx"].stdout)
    diff = [line.replace("pandas", "xlsx") for line in differences(a, b)]
    print()
    print(f"The same roster from JSON and from an .xlsx workbook (`evaluate`, best of {repeat}, interleaved):")
    print()
    print("| people | JSON CPU | .xlsx CPU | .xlsx / JSON | JSON peak RSS | .xlsx peak RSS | verdicts |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    j, x = runs["json"], runs["xlsx"]
    verdicts = "all 14 equal" if not diff else f"**{len(diff)} fields differ**"
    print(
        f"| {people:,} | {j.cpu:.2f} s | {x.cpu:.2f} s | **{x.cpu / j.cpu:.2f}×** | {j.rss_mib:,.0f} MiB "
        f"| {x.rss_mib:,.0f} MiB | {verdicts} |",
        flush=True,
    )
    for line in diff:
        print(f"    {line}")
    return bool(diff)


def print_documents(tmp: Path, people: int, repeat: int) -> None:
    """`thidua report` in the three formats for one agency of `people`, each a process of its own."""
    folder = tmp / f"documents-{people}"
    written_apart(folder, people, "raw")
    commands = {"evaluate (for reference)": [str(BIN), "evaluate", str(folder), "--format", "json", "--no-record"]}
    for form in ("xlsx", "docx", "html"):
        out = tmp / f"report.{form}"
        commands[form] = [str(BIN), "report", str(folder), "--format", form, "--out", str(out), "--no-record"]
    runs = best_of(commands, repeat)
    print()
    print(f"The three documents of an agency of {people:,} people (`thidua report`, best of {repeat}, interleaved):")
    print()
    print("| document | CPU | peak RSS | size |")
    print("|---|---:|---:|---:|")
    for name, m in runs.items():
        out = tmp / f"report.{name}"
        size = f"{out.stat().st_size / 1e6:.1f} MB" if out.exists() else ""
        print(f"| {name} | {m.cpu:.2f} s | {m.rss_mib:,.0f} MiB | {size} |", flush=True)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main() -> None:
    if sys.argv[1:2] == ["--write"]:  # a child writing a roster or a province (written_apart)
        folder, people, variant, province = Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
        if province:
            write_province(folder, province, people, variant)
        else:
            write_roster(folder, people, variant)
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[50_000, 200_000], help="people in one fact base")
    ap.add_argument("--variant", choices=sorted(VARIANTS), default="raw", help="roster of the timed runs")
    ap.add_argument("--checks", type=int, default=20_000, help="people in the agreement-check rosters (0: skip)")
    ap.add_argument("--repeat", type=int, default=3, help="interleaved rounds; the best CPU of each is kept")
    ap.add_argument("--ids", action="store_true", help="also the twins listing every entity id by outcome")
    ap.add_argument("--excel", type=int, metavar="PEOPLE", help="also the roster from JSON against a workbook")
    ap.add_argument("--documents", type=int, metavar="PEOPLE", help="also the three documents of one agency")
    ap.add_argument(
        "--province",
        type=int,
        nargs=2,
        metavar=("AGENCIES", "PEOPLE"),
        help="also a province of AGENCIES folders of PEOPLE each, evaluated with --each (e.g. 100 2000, 500 2000)",
    )
    args = ap.parse_args()
    print(
        f"rosters: {VARIANT_TEXT[args.variant]}; python {sys.version.split()[0]}; {os.cpu_count()} cores; "
        f"load average at start {load_average()}"
    )
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        if args.sizes:
            failed |= print_sizes(Path(tmp), args.sizes, args.variant, args.repeat, args.ids)
        if args.excel:
            failed |= print_excel(Path(tmp), args.excel, args.repeat)
        if args.documents:
            print_documents(Path(tmp), args.documents, args.repeat)
        if args.province:
            failed |= print_province(Path(tmp), *args.province, args.variant, args.repeat)
        if args.checks:
            print()
            print(f"Agreement at {args.checks:,} people:")
            print()
            print("| roster | verdicts | thidua statuses |")
            print("|---|---|---|")
            notes = []
            for variant in VARIANTS:
                c = compare(Path(tmp) / f"c-{variant}", args.checks, variant)
                shown = ", ".join(f"{k} {v}" for k, v in sorted(c.statuses.items()))
                verdicts = "all 14 equal" if not c.diff else f"**{len(c.diff)} fields differ**"
                print(f"| {VARIANT_TEXT[variant]} | {verdicts} | {shown} |", flush=True)
                notes.extend(f"    {variant}: {line}" for line in c.diff)
            for line in notes:
                print(line)
    help_wall, help_cpu, seed_wall, seed_cpu = startup()
    print()
    print(f"`thidua --help`: {help_wall:.2f} s wall, {help_cpu:.2f} s CPU (best of 5)")
    print(f"seed example (2022) end to end, --format json: {seed_wall:.2f} s wall, {seed_cpu:.2f} s CPU (best of 5)")
    print(f"load average at the end {load_average()}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
