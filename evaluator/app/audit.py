"""The auditors' operations on a ledger: its runs, one run, the diff of two runs, the chain verified.

Each returns data (what `thidua audit ... --format json` writes); the front ends render it. A ledger
is reached through `Ledgers` (evaluator/app/ledgers.py): the agency folder's own, or another.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thidua.evaluator.app.ledgers import Ledgers
from thidua.evaluator.audit.ledger import RunRecord, vietnam_time
from thidua.evaluator.audit.rerun import RunDiff, diff_runs
from thidua.rules.messages import render


def runs(ledgers: Ledgers, folder: Path | None) -> tuple[str, list[RunRecord]]:
    """The ledger's name as shown and its runs, oldest first."""
    with ledgers.open(folder) as book:
        return book.path.as_posix(), book.runs()


def runs_data(ledgers: Ledgers, folder: Path | None) -> dict[str, Any]:
    """`thidua audit list --format json`: the ledger and every run's record."""
    shown, found = runs(ledgers, folder)
    return {"ledger": shown, "runs": [r.to_dict() for r in found]}


def run_data(ledgers: Ledgers, folder: Path | None, ref: str) -> dict[str, Any]:
    """`thidua audit show RUN --format json`: the run's record, its verdicts and documents."""
    with ledgers.open(folder) as book:
        rec = book.get(ref)
        documents = book.documents(rec.seq)
    data = rec.to_dict()
    data["judgements"] = list(rec.judgements)
    data["documents"] = documents
    return data


def diff(ledgers: Ledgers, folder: Path | None, ref_a: str, ref_b: str) -> RunDiff:
    """Which verdicts changed between two runs of one ledger, and whether rules, facts or the engine did."""
    with ledgers.open(folder) as book:
        a, b = book.get(ref_a), book.get(ref_b)
        outcomes_a, outcomes_b = book.outcomes(a.seq), book.outcomes(b.seq)
    return diff_runs(a, b, outcomes_a, outcomes_b)


def diff_data(d: RunDiff) -> dict[str, Any]:
    """`thidua audit diff A B --format json`."""
    return {
        "a": d.a.seq,
        "b": d.b.seq,
        "engine_changed": d.engine_changed,
        "unchanged": d.unchanged,
        "files": [{"role": f.role, "path": f.path, "change": f.change, "lines": list(f.lines)} for f in d.files],
        "changes": [
            {
                "target": c.target,
                "title": c.title,
                "before": c.before,
                "after": c.after,
                "measured_before": c.measured_before,
                "measured_after": c.measured_after,
                "causes": list(c.causes),
                "causes_tested": c.tested,
                "rule_text_changed": c.rule_text_changed,
                "entities": [
                    {"id": e[0], "name": e[1], "before": e[2] or None, "after": e[3] or None} for e in c.entities
                ],
            }
            for c in d.changes
        ],
    }


def verify_data(ledgers: Ledgers, folder: Path | None, lang: str) -> dict[str, Any]:
    """`thidua audit verify --format json`: whether the hash chain is intact, each break named."""
    with ledgers.open(folder) as book:
        findings = book.verify()
        n = book.count()
        shown = book.path.as_posix()
    return {
        "ledger": shown,
        "runs": n,
        "ok": not findings,
        "findings": [{"code": f.code, "run": f.seq, "message": render(f.code, lang, **f.params)} for f in findings],
    }


__all__ = ["diff", "diff_data", "run_data", "runs", "runs_data", "verify_data", "vietnam_time"]
