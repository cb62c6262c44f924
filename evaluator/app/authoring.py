"""The admins' operations: validate a folder, run its rule tests, replace a rule or fact file checked first.

A file an admin uploads (a roster from Excel, a fact file) or edits (a rule file) is checked with
the folder's other files before anything is written, exactly as `thidua validate` would check the
folder with the new file in place: on any error the located problems come back (sheet, row and
column for a workbook) and the folder is left as it was. A file that passes replaces the old one
atomically (a temporary file of the same folder, flushed, then renamed over it), and the folder is
evaluated and the run recorded, so the ledger keeps the new file's text with the verdicts it gave.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from thidua.evaluator.app.errors import AppError
from thidua.evaluator.app.evaluation import Evaluated, evaluate
from thidua.evaluator.app.ledgers import Ledgers
from thidua.evaluator.authoring.validate import Report, validate_inputs, validate_path
from thidua.evaluator.facts.inputs import BLOCK_FILE, FACT_SUFFIXES, RULE_SUFFIXES, discover
from thidua.evaluator.output import write_output
from thidua.rules.errors import Location, Problem, UserError
from thidua.rules.limits import MAX_TEXT_BYTES, MAX_WORKBOOK_BYTES


def validate(path: Path) -> Report:
    """Every error and warning of the folder's rule and fact files, without evaluating."""
    return validate_path(path)


def report_data(report: Report, lang: str) -> dict[str, Any]:
    """What `thidua validate --format json` writes: errors, warnings (each located) and the files read."""
    return {
        "errors": [p.to_dict(lang) for p in report.errors],
        "warnings": [p.to_dict(lang) for p in report.warnings],
        "files": report.files,
    }


def file_kind(name: str) -> str:
    """'rules' or 'facts' by the file's name, as the folder's discovery tells them apart."""
    lower = name.lower()
    if lower.endswith(RULE_SUFFIXES) and lower != BLOCK_FILE:
        return "rules"
    if lower.endswith(FACT_SUFFIXES):
        return "facts"
    raise AppError("serve.file_name", name=name)


def _checked_name(name: str) -> str:
    """A plain file name of the folder: no folder part, not hidden, a rule or fact file's suffix."""
    if not name or name != Path(name).name or name in (".", "..") or name.startswith((".", "~$")) or "\x00" in name:
        raise AppError("serve.file_name", name=name)
    file_kind(name)
    return name


def limit_for(name: str) -> int:
    """The most bytes a file of this name may hold: the limits files on disk have (rules/limits.py)."""
    return MAX_WORKBOOK_BYTES if name.lower().endswith(".xlsx") else MAX_TEXT_BYTES


@dataclass(frozen=True)
class Checked:
    """A candidate file checked with the folder's other files: the report, the candidate's name."""

    name: str
    report: Report


def check_candidate(folder: Path, name: str, data: bytes) -> Checked:
    """Check `data` as the folder's file `name` (new or replacing one) with the other files, writing
    nothing in the folder. Problems in the candidate are located under its own name."""
    name = _checked_name(name)
    if len(data) > limit_for(name):
        problem = Problem(
            "input.too_large", Location(name), {"path": name, "size": len(data), "limit": limit_for(name)}
        )
        return Checked(name, Report(errors=[problem]))
    kind = file_kind(name)
    inputs = discover(folder)
    with tempfile.TemporaryDirectory(prefix="thidua-upload-") as tmp:
        candidate = Path(tmp) / name
        candidate.write_bytes(data)
        keep = [p for p in (inputs.rules if kind == "rules" else inputs.facts) if p.name != name]
        files = tuple([*keep, candidate])
        swapped = replace(inputs, rules=files, facts=inputs.facts) if kind == "rules" else replace(inputs, facts=files)
        report = validate_inputs(swapped)
        shown = candidate.as_posix()
    # the candidate is shown by its temporary path (outside the folder): give it its own name back
    report.errors = [_renamed(p, shown, name) for p in report.errors]
    report.warnings = [_renamed(p, shown, name) for p in report.warnings]
    report.files = [name if f == shown else f for f in report.files]
    return Checked(name, report)


def _renamed(p: Problem, shown: str, name: str) -> Problem:
    loc = p.location
    if loc.file != shown:
        return p
    return Problem(p.code, replace(loc, file=name), p.params, p.suggestion)


@dataclass(frozen=True)
class Saved:
    """A file written after its check, and the folder's evaluation with it, recorded."""

    name: str
    report: Report
    evaluated: Evaluated


def save_file(folder: Path, name: str, data: bytes, ledgers: Ledgers) -> Saved:
    """Check the candidate file, then write it and record the folder's evaluation with it; a
    UserError with every located problem, and nothing written, when the check finds errors."""
    checked = check_candidate(folder, name, data)
    if checked.report.errors:
        raise UserError(checked.report.errors)
    write_output(folder / checked.name, data, ledgers=[ledgers.where(folder)], force=True)
    return Saved(checked.name, checked.report, evaluate(folder, ledgers=ledgers))


def rule_tests(path: Path, lang: str) -> dict[str, Any]:
    """The folder's rule tests (*.tests.yaml) run: each case with its expected and actual verdicts."""
    from thidua.evaluator.app.words import margin_text, measured_text, reason_text
    from thidua.evaluator.authoring.testing import run_tests
    from thidua.rules.labels import label

    files = []
    total = failed = 0
    for shown, cases in run_tests(path):
        items = []
        for result in cases:
            total += 1
            failed += not result.passed
            failures = [
                {
                    "target": f.judgement.target,
                    "expected": f.expected.status,
                    "expected_label": label(f"status.{f.expected.status}", lang),
                    "expected_margin": f.expected.margin,
                    "actual": f.judgement.status,
                    "actual_label": label(f"status.{f.judgement.status}", lang),
                    "actual_margin": margin_text(f.judgement, lang) if f.judgement.margin is not None else None,
                    "measured": measured_text(f.judgement, lang),
                    "reasons": [reason_text(r, lang) for r in f.judgement.reasons],
                }
                for f in result.failures
            ]
            items.append(
                {
                    "name": result.case.name,
                    "passed": result.passed,
                    "location": result.case.loc.describe(lang),
                    "failures": failures,
                }
            )
        files.append({"file": shown, "cases": items})
    return {"files": files, "total": total, "failed": failed, "passed": total - failed}


__all__ = ["Checked", "Saved", "check_candidate", "file_kind", "report_data", "rule_tests", "save_file", "validate"]
