"""What the ledger's outcome table costs and buys: record time, ledger size, and explain/candidates answered from it.

Usage: .venv/bin/python bench/outcomes.py [--people N] [--yaml]

Writes a roster of N people (bench/province.py) next to the seed's 2022 rules, then, each as a real
process of the installed `thidua`: `evaluate --no-record`, `evaluate` (recording the run and its
outcome table), `explain --entity` and `candidates --entity` / `--title` answered from the ledger
(best of three: other work on the machine only adds to a figure; every answer reads the fact files and
compares their content by XXH3, evaluator/audit/freshness.py), `explain --entity` again after every
fact file was touched (same bytes, new times: the run still answers), and the
same `explain --entity`, `candidates --entity` and `candidates --title` with no ledger (one evaluation
each), whose output must equal the ledger's; and `candidates --title --all` as text and JSON. Prints
wall and CPU seconds of each (CPU of the child process, from its resource usage) and the ledger's
size with and without the table. Children run with bytecode caching
on (PYTHONDONTWRITEBYTECODE removed), as an installed thidua runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.province import roster  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "examples" / "ban-dan-toc-binh-phuoc" / "2022" / "targets.rules.yaml"
THIDUA = Path(sys.executable).with_name("thidua")
PER_FILE = 50_000  # people per fact file


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """(wall s, CPU s of the child, result) of one real process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([str(THIDUA), *args], capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        raise SystemExit(f"thidua {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return wall, cpu, done


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=200_000)
    ap.add_argument("--yaml", action="store_true", help="YAML facts (as admins keep them) instead of JSON")
    ap.add_argument("--skip-fallback", action="store_true", help="skip the questions that evaluate (no ledger)")
    ap.add_argument("--skip-title", action="store_true", help="skip candidates --title (minutes at 1,000,000)")
    ap.add_argument(
        "--record-only",
        action="store_true",
        help="only evaluate with and without recording (no answers from the ledger)",
    )
    args = ap.parse_args()
    # times an installed thidua, whose modules pip byte-compiled: not one compiling them on every start
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *(str(ROOT / d) for d in ("cli", "evaluator", "rules"))], check=True
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "agency"
        folder.mkdir()
        shutil.copy(RULES, folder)
        data = roster(args.people, 1)
        people = data["entities"]["person"]
        for i in range(0, max(len(people), 1), PER_FILE):  # a fact file is at most 32 MiB: split the people
            part = {**data, "entities": {**(data["entities"] if i == 0 else {}), "person": people[i : i + PER_FILE]}}
            if args.yaml:
                import yaml

                with open(folder / f"roster{i // PER_FILE:03}.facts.yaml", "w", encoding="utf-8") as fh:
                    yaml.safe_dump(part, fh, allow_unicode=True, sort_keys=False)
            else:
                text = json.dumps(part, ensure_ascii=False)
                (folder / f"roster{i // PER_FILE:03}.facts.json").write_text(text, encoding="utf-8")
        probe = people[len(people) // 2]["id"]
        ledger = Path(tmp) / "ledger.sqlite"
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["THIDUA_LEDGER"] = str(ledger)
        rows: list[tuple[str, float, float]] = []
        w, c, _ = timed(["evaluate", str(folder), "--format", "json", "--no-record"], env)
        rows.append(("evaluate --no-record", w, c))
        w, c, _ = timed(["evaluate", str(folder), "--format", "json"], env)
        rows.append(("evaluate (records run + outcome table)", w, c))
        with sqlite3.connect(ledger) as conn:
            table = conn.execute("SELECT sum(length(data)) FROM run_outcomes").fetchone()[0] or 0
            bodies = conn.execute("SELECT sum(length(body)) FROM judgements").fetchone()[0] or 0
            blobs = conn.execute("SELECT sum(length(text)) FROM blobs").fetchone()[0] or 0
        size = ledger.stat().st_size
        target = "staff.emulation_soldiers"
        asks = {
            f"explain {target} --entity {probe}": [
                "explain",
                str(folder),
                target,
                "--entity",
                probe,
                "--format",
                "json",
            ],
            f"candidates --entity {probe}": ["candidates", str(folder), "--entity", probe, "--format", "json"],
            "candidates --title lao_dong_tien_tien": [
                "candidates",
                str(folder),
                "--title",
                "lao_dong_tien_tien",
                "--format",
                "json",
            ],
            "candidates --title lao_dong_tien_tien --all (text, a pipe)": [
                "candidates",
                str(folder),
                "--title",
                "lao_dong_tien_tien",
                "--all",
            ],
            "candidates --title lao_dong_tien_tien --all --format json": [
                "candidates",
                str(folder),
                "--title",
                "lao_dong_tien_tien",
                "--all",
                "--format",
                "json",
            ],
        }
        if args.skip_title:
            del asks["candidates --title lao_dong_tien_tien"]
        answers = {}
        if not args.record_only:  # recording alone: no answers from the ledger
            for name, ask in asks.items():
                best: tuple[float, float] | None = None
                for _ in range(3 if "--entity" in name else 1):
                    w, c, done = timed(ask, env)
                    if "#" not in done.stderr:
                        raise SystemExit(f"{name}: not answered from the ledger:\n{done.stderr[-2000:]}")
                    best = (w, c) if best is None or w < best[0] else best
                assert best is not None
                rows.append((f"{name} (from the ledger)", *best))
                answers[name] = done.stdout
            explain_ask = f"explain {target} --entity {probe}"
            for p in folder.iterdir():  # saved again unchanged: the times differ, the content does not
                if p.is_file():
                    os.utime(p)
            w, c, done = timed(asks[explain_ask], env)
            if "#" not in done.stderr or done.stdout != answers[explain_ask]:
                raise SystemExit("touched files: not answered from the ledger by their content")
            rows.append((f"{explain_ask} (files touched)", w, c))
            if not args.skip_fallback:
                alone = {**env, "THIDUA_LEDGER": str(Path(tmp) / "none.sqlite")}
                title_ask = [] if args.skip_title else ["candidates --title lao_dong_tien_tien"]
                for name in (explain_ask, f"candidates --entity {probe}", *title_ask):
                    w, c, done = timed(asks[name], alone)
                    rows.append((f"{name} (no ledger: one evaluation)", w, c))
                    if done.stdout != answers[name]:
                        raise SystemExit(f"{name}: the ledger's answer differs from the evaluation's")
        print(f"{args.people:,} people, {'YAML' if args.yaml else 'JSON'} facts")
        print(f"{'command':<62} {'wall s':>8} {'CPU s':>8}")
        for name, w, c in rows:
            print(f"{name:<62} {w:>8.2f} {c:>8.2f}")
        mib = 1024 * 1024
        print(
            f"ledger {size / mib:.1f} MiB: outcome table {table / mib:.1f} MiB, judgement bodies {bodies / mib:.1f} MiB,"
            f" file snapshots {blobs / mib:.1f} MiB"
        )


if __name__ == "__main__":
    main()
