"""Benchmark: a whole province in emulation blocks, through the installed `thidua` command.

Usage: .venv/bin/python bench/blocks.py [--agencies 500] [--people 2000] [--blocks 20] [--jobs 2] [--out DIR]

Writes a province (BLOCKS folders of agency folders, each with the seed's 2022 targets and a synthetic
roster from bench/province.py, and the example block's scoring table), then times
`thidua evaluate DIR --each --jobs N` and `thidua block` on every block (N at a time), sampling the
resident memory of the whole process tree (workers included) from /proc. Results go to
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from province import roster  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED_RULES = ROOT / "examples" / "ban-dan-toc-binh-phuoc" / "2022" / "targets.rules.yaml"
BLOCK_TABLE = ROOT / "examples" / "khoi-thi-dua-so-6" / "block.rules.yaml"
THIDUA = Path(sys.executable).with_name("thidua")


def write_province(out: Path, agencies: int, people: int, blocks: int) -> list[Path]:
    """The province's folders: one pledge file, BLOCKS block folders, agencies spread evenly."""
    (out / "pledge.yaml").write_text(SEED_RULES.read_text(encoding="utf-8"), encoding="utf-8")
    table = yaml.safe_load(BLOCK_TABLE.read_text(encoding="utf-8"))
    folders = []
    for b in range(blocks):
        folder = out / f"khoi-{b + 1:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"Khối thi đua số {b + 1}"
        block = {**table, "block": {"name": name, "period": 2022}}  # members: every sub-folder
        (folder / "block.rules.yaml").write_text(yaml.safe_dump(block, allow_unicode=True), encoding="utf-8")
        folders.append(folder)
    for a in range(agencies):
        block_no = a % blocks
        agency = folders[block_no] / f"co-quan-{a:03d}"
        agency.mkdir(exist_ok=True)
        (agency / "targets.rules.yaml").write_text(
            "version: 1\nperiod: 2022\nuse: [../../pledge.yaml]\n", encoding="utf-8"
        )
        data = roster(people, a)
        org = data["entities"]["organization"][0]
        org["name"] = f"Cơ quan số {a}"
        org["titles"].append(
            {"title": "bang_khen_ubnd_tinh", "state": "proposed", "awaiting": f"Khối thi đua số {block_no + 1}"}
        )
        (agency / "roster.facts.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folders


TICKS = os.sysconf("SC_CLK_TCK")


def tree_rss_kib(root_pid: int, cpu: dict[int, float]) -> tuple[int, int, int]:
    """(sum of resident memory over the process tree, the largest process, number of processes);
    `cpu` is updated with each process's CPU seconds so far (user + system), so that the CPU used by
    workers that exit between two samples is kept: on a shared machine CPU seconds say more than
    wall time."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="utf-8") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:
            continue
        pid = int(entry)
        parents[pid] = int(fields.get("PPid", "0").strip())
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    tree = {root_pid}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    for pid in tree:
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            cpu[pid] = (int(fields[11]) + int(fields[12])) / TICKS
        except (OSError, IndexError, ValueError):
            pass
    sizes = [rss.get(p, 0) for p in tree]
    return sum(sizes), max(sizes, default=0), len(tree)


def measure(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall time and peak memory (sum over the process tree, and the largest process) of one command."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    peak_sum = peak_one = 0
    procs = 0
    cpu: dict[int, float] = {}
    load = os.getloadavg()[0]
    while proc.poll() is None:
        total, largest, n = tree_rss_kib(proc.pid, cpu)
        peak_sum, peak_one, procs = max(peak_sum, total), max(peak_one, largest), max(procs, n)
        time.sleep(0.2)
    err = proc.stderr.read() if proc.stderr else ""
    if "Traceback" in err or proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    return {
        "seconds": time.perf_counter() - started,
        "peak_sum_mib": peak_sum / 1024,
        "peak_one_mib": peak_one / 1024,
        "processes": procs,
        "cpu_seconds": sum(cpu.values()),
        "load_before": load,
        "load_after": os.getloadavg()[0],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--agencies", type=int, default=500)
    ap.add_argument("--people", type=int, default=2000)
    ap.add_argument("--blocks", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--skip-all-blocks", action="store_true", help="time one block only, not all of them")
    ap.add_argument("--out", type=Path, default=None, help="keep the province here (default: a temporary folder)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "province"
        out.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        blocks = write_province(out, args.agencies, args.people, args.blocks)
        print(flush=True)
        print(
            f"wrote {args.agencies} agencies × {args.people} people in {args.blocks} blocks: {time.perf_counter() - t0:.1f} s"
        )
        env = {**os.environ, "THIDUA_LEDGER": str(Path(tmp) / "ledger.sqlite")}
        each = measure([str(THIDUA), "evaluate", str(out), "--each", "--jobs", str(args.jobs)], env)
        print(
            f"evaluate --each --jobs {args.jobs}: {each['seconds']:.1f} s, peak memory {each['peak_sum_mib']:.0f} MiB "
            f"summed over {each['processes']:.0f} processes, largest {each['peak_one_mib']:.0f} MiB; "
            f"CPU {each['cpu_seconds']:.0f} s; load average {each['load_before']:.1f} → {each['load_after']:.1f}"
        )
        one = measure([str(THIDUA), "block", str(blocks[0]), "--no-record"], env)
        print(
            f"block (one block, {args.agencies // args.blocks} agencies): {one['seconds']:.1f} s, "
            f"peak {one['peak_one_mib']:.0f} MiB; CPU {one['cpu_seconds']:.1f} s; load average {one['load_before']:.1f}"
        )
        if args.skip_all_blocks:
            return
        started = time.perf_counter()
        with ThreadPoolExecutor(args.jobs) as pool:
            runs = list(pool.map(lambda b: measure([str(THIDUA), "block", str(b), "--no-record"], env), blocks))
        print(
            f"block, all {args.blocks} blocks, {args.jobs} at a time: {time.perf_counter() - started:.1f} s, "
            f"largest process {max(r['peak_one_mib'] for r in runs):.0f} MiB; "
            f"CPU {sum(r['cpu_seconds'] for r in runs):.0f} s"
        )
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
