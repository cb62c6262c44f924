"""Property: whatever a mutation of a shipped rule or fact file does, a real process of thidua ends
in exit 0/1, or exit 2 with every problem naming its file and line (or sheet and row); never a
signal, an exit 3, a traceback or a hang.

`make test` runs FUZZ_CASES=100 cases (about 20 s of CPU); `make fuzz` runs 5,000 and
writes the outcomes table (FUZZ_REPORT) and new failing cases (FUZZ_SAVE=1) to tests/fuzz_regressions/.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from tests.e2e.fuzz import Case, build_corpus, cases, classify, env_int, run_cases, save_regression
from tests.e2e.process import Outcome, judge


def _draw(n: int) -> list[Case]:
    """n mutations drawn by hypothesis, the same on every run (derandomized, no example database)."""
    drawn: list[Case] = []

    @settings(
        max_examples=n + n // 20,  # a few draws repeat a case: draw some more, keep the first n distinct
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases())
    def collect(case: Case) -> None:
        drawn.append(case)

    collect()
    return list(dict.fromkeys(drawn))[:n]


def _write_report(path: str, results: list[tuple[Case, Outcome]], elapsed: float, planned: int) -> None:
    table: dict[str, Counter[str]] = {}
    for case, outcome in results:
        table.setdefault(classify(outcome), Counter())[case.command] += 1
    failures = [(c, o) for c, o in results if judge(o) is not None]
    data = {
        "cases": len(results),
        "planned": planned,
        "seconds": round(elapsed, 1),
        "outcomes": {k: dict(v) for k, v in table.items()},
        "rc": dict(Counter(str(o.rc) for _, o in results)),
        "failures": [{"id": c.id, "case": str(c)[:300], "why": judge(o)} for c, o in failures],
    }
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


@pytest.mark.slow
def test_mutated_inputs_never_crash(tmp_path: Path) -> None:
    n = env_int("FUZZ_CASES", 100)
    started = time.monotonic()
    drawn = _draw(n)
    assert len(drawn) == n, len(drawn)  # n distinct cases
    corpus = build_corpus(tmp_path / "corpus")
    report = os.environ.get("FUZZ_REPORT")
    results: list[tuple[Case, Outcome]] = []
    chunk = 250  # the report is rewritten after each chunk, so a long run stopped early keeps its figures
    for start in range(0, len(drawn), chunk):
        results += run_cases(drawn[start : start + chunk], corpus, tmp_path / "work", first=start)
        if report:
            _write_report(report, results, time.monotonic() - started, len(drawn))
    failures = [(c, o) for c, o in results if judge(o) is not None]
    if os.environ.get("FUZZ_SAVE"):
        for case, outcome in failures:
            save_regression(case, corpus, outcome)
    message = "\n\n".join(f"{c} -> {judge(o)}\n{o.describe()[:1500]}" for c, o in failures[:5])
    assert not failures, f"{len(failures)} of {len(results)} mutations broke the contract:\n{message}"
