"""Evaluate an agency folder and record the run: the operation behind `thidua evaluate` and the web's evaluation.

`evaluate` runs the rule and fact files of a folder (evaluator/run.py), records the run in the
folder's ledger unless asked not to, and returns the run with what the front ends show: the
verdicts, the findings and whether the run failed. `evaluation_data` is the JSON both serve
(`thidua.evaluation/3`), texts included, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thidua.evaluator.app.encoding import compact_json_bytes, json_bytes
from thidua.evaluator.app.ledgers import FolderLedgers, Ledgers
from thidua.evaluator.app.regime import with_texts
from thidua.evaluator.app.words import (
    FIRST,
    grouped_findings_json,
    margin_text,
    measured_text,
    reason_text,
    requirement_text,
)
from thidua.evaluator.judgement import Evaluation
from thidua.evaluator.run import Run, run_path
from thidua.rules.labels import label

if TYPE_CHECKING:
    from thidua.evaluator.engine.findings import Finding


@dataclass(frozen=True)
class Recording:
    """A run recorded in a ledger: its number there, and which ledger."""

    seq: int
    ledger: Path


@dataclass(frozen=True)
class Evaluated:
    """One evaluation of a folder, and where it was recorded (None with `record=False`)."""

    run: Run
    recording: Recording | None = None

    @property
    def evaluation(self) -> Evaluation:
        return self.run.evaluation

    def failed(self, fail_on_pending: bool = False) -> bool:
        """Whether the run fails (exit 1): a target not met or in error, or pending when asked.
        Findings never change a verdict or this."""
        summary = self.evaluation.summary()
        return bool(summary["not_met"] + summary["error"] + (summary["pending"] if fail_on_pending else 0))

    def findings(self) -> list[Finding]:
        """What the run found beside the verdicts (titles versus the criteria, inconsistent figures)."""
        from thidua.evaluator.engine.findings import run_findings

        return run_findings(self.run.rules, self.run.derivation, self.evaluation)


def record(run: Run, path: Path, ledgers: Ledgers) -> Recording:
    """Append a run to the ledger of its agency folder (evaluator/audit/record.py)."""
    from thidua.evaluator.audit import record as recorder  # the ledger: only when a run is recorded

    where = ledgers.where(run.inputs.base)
    with ledgers.open(run.inputs.base, create=True) as book:
        rec = recorder.record_run(book, run, path.as_posix())
    return Recording(rec.seq, where)


def evaluate(
    path: Path,
    rule_files: Sequence[Path] = (),
    fact_files: Sequence[Path] = (),
    *,
    record_run: bool = True,
    ledgers: Ledgers | None = None,
) -> Evaluated:
    """Evaluate PATH (a folder, or named files) and record the run unless `record_run` is False.
    Bad input raises UserError with every located problem."""
    run = run_path(path, rule_files, fact_files)
    recording = record(run, path, ledgers or FolderLedgers()) if record_run else None
    return Evaluated(run, recording)


def evaluation_data(
    ev: Evaluation, lang: str, findings: list[dict[str, Any]] | None = None, every_id: bool = False
) -> dict[str, Any]:
    """The evaluation as JSON data (`thidua.evaluation/3`): judgements in declared order, each reason
    with its text in `lang`, its count and first entities (`every_id`: the id of each);
    `findings` (titles versus the criteria, inconsistent figures) as a top-level list when given."""
    data = ev.to_dict(every_id)
    data["lang"] = lang
    data["criteria"] = with_texts(ev.criteria, lang)
    if findings is not None:
        data["findings"] = findings
    for jd, j in zip(data["judgements"], ev.judgements, strict=True):
        jd["status_label"] = label(f"status.{j.status}", lang)
        jd["requirement"]["text"] = requirement_text(j, lang)
        jd["measured"]["text"] = measured_text(j, lang)
        if jd["margin"] is not None:
            jd["margin"]["text"] = margin_text(j, lang)
        for rd, r in zip(jd["reasons"], j.reasons, strict=True):
            rd["text"] = reason_text(r, lang)
    return data


def run_findings_json(run: Run, lang: str, every_id: bool = False) -> list[dict[str, Any]]:
    """The run's findings as the evaluation JSON lists them: per criterion and code, then the others."""
    from thidua.evaluator.engine.findings import other_findings, title_finding_groups

    groups = title_finding_groups(run.rules, run.derivation, FIRST)
    others = other_findings(run.rules, run.derivation, run.evaluation)
    return grouped_findings_json(groups, others, lang, every_id=every_id)


def evaluation_body(evaluated: Evaluated | Run, lang: str, every_id: bool = False) -> dict[str, Any]:
    """What `thidua evaluate --format json` writes, as data: the verdicts with their texts and the findings."""
    run = evaluated.run if isinstance(evaluated, Evaluated) else evaluated
    return evaluation_data(run.evaluation, lang, run_findings_json(run, lang, every_id), every_id)


def evaluation_json_bytes(
    ev: Evaluation,
    lang: str,
    findings: list[dict[str, Any]] | None = None,
    every_id: bool = False,
    pretty: bool = True,
) -> bytes:
    """Stable JSON of an evaluation, as the bytes `thidua evaluate --format json` writes: keys sorted,
    indented when `pretty`, compact otherwise."""
    data = evaluation_data(ev, lang, findings, every_id)
    return json_bytes(data) if pretty else compact_json_bytes(data)


def recorded_data(folder: Path, lang: str) -> dict[str, Any] | None:
    """The folder's verdicts as its latest recorded run on the very same files gave them (the JSON
    of `evaluate`, without findings), with the run's number; None when no such run is recorded.
    A ledger read: no evaluation, no engine (evaluator/audit/recorded.py)."""
    from thidua.evaluator.audit.recorded import evaluation_recorded, find_recorded

    found = find_recorded(folder)
    if found is None:
        return None
    data = evaluation_data(evaluation_recorded(found), lang)  # the ledger closes with `found`
    data["run"] = found.seq
    return data


__all__ = [
    "Evaluated",
    "Recording",
    "evaluate",
    "evaluation_body",
    "evaluation_data",
    "recorded_data",
    "evaluation_json_bytes",
    "record",
    "run_findings_json",
]
