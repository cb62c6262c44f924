"""Benchmark: time to build and render the seed example's documents, and the chart library's cost.

Usage: .venv/bin/python bench/documents.py [--repeat N]
Prints the median wall time of each step over N runs (default 5) and the installed size of the
chart library beside the Vega-Lite alternative's wheel when it is in pip's cache. Results are
recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from thidua.evaluator.documents.page import render_html
from thidua.evaluator.documents.report import build_report, finding_text
from thidua.evaluator.documents.word import render_docx
from thidua.evaluator.documents.workbook import render_xlsx
from thidua.evaluator.engine.findings import run_findings
from thidua.evaluator.run import run_path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ban-dan-toc-binh-phuoc"


def median_seconds(step: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def installed_kib(distribution: str) -> float:
    """Bytes of the files a distribution installed, in KiB."""
    dist = metadata.distribution(distribution)
    total = 0
    for f in dist.files or []:
        path = Path(str(dist.locate_file(f)))
        if path.is_file():
            total += path.stat().st_size
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    run = run_path(EXAMPLE / "2022")
    next_run = run_path(EXAMPLE / "2023")
    findings = run_findings(run.rules, run.derivation, run.evaluation)
    report = build_report(run, findings, "vi", next_run)
    texts = [finding_text(f, "vi") for f in findings]
    footer = {"hashes": {k: "0" * 64 for k in run.rules.files}}
    steps: dict[str, Callable[[], object]] = {
        "evaluate 2022 + 2023": lambda: (run_path(EXAMPLE / "2022"), run_path(EXAMPLE / "2023")),
        "report model": lambda: build_report(run, findings, "vi", next_run),
        "docx (docxtpl)": lambda: render_docx(report),
        "xlsx (openpyxl)": lambda: render_xlsx(run, report.outcomes, findings, texts),
        "html (pygal, 11 charts)": lambda: render_html(run, report.header.__dict__, report.outcomes, texts, footer),
    }
    for name, step in steps.items():
        print(f"{name:28s} {median_seconds(step, args.repeat) * 1000:8.0f} ms")
    for dist in ("pygal", "docxtpl", "python-docx", "Babel", "lxml"):
        try:
            print(f"installed {dist:18s} {installed_kib(dist):10.0f} KiB")
        except metadata.PackageNotFoundError:
            print(f"installed {dist:18s}   (not installed)")


if __name__ == "__main__":
    main()
