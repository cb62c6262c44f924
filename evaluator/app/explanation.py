"""A target's explanation as data: from a recorded run when the ledger can answer, else from an evaluation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thidua.evaluator.app.ledgers import Ledgers
from thidua.evaluator.app.words import (
    derived_check_text,
    derived_group_words,
    judgement_view,
    margin_text,
    measured_line,
    quota_line,
    requirement_text,
)
from thidua.evaluator.explain.derivation import DerivationNode
from thidua.evaluator.explain.tree import DEFAULT_LIMIT, Explanation, explain, find_judgement
from thidua.rules.errors import Location, UserError
from thidua.rules.labels import label
from thidua.rules.messages import render as message

EXPLANATION_FORMAT = "thidua.explanation/2"


def _derivation_texts(d: dict[str, Any], node: DerivationNode, lang: str) -> None:
    """Add the rendered text next to each part of a derivation node."""
    for gd, g in zip(d["groups"], node.groups, strict=True):
        gd["text"] = "".join(derived_group_words(g, lang))
        gd["finding_text"] = label(f"x.d.finding.{g.finding}", lang, note=g.override_note or "") if g.finding else None
        for qd, q in zip(gd["quotas"], g.quotas, strict=True):
            qd["text"] = quota_line(q, lang)
        for cd, c in zip(gd["checks"], g.checks, strict=True):
            cd["text"] = derived_check_text(c, lang)
            if c.derivation is not None:
                _derivation_texts(cd["derivation"], c.derivation, lang)


def explanation_json(x: Explanation, lang: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The explanation as JSON data (`thidua.explanation/2`), each part with its text in `lang`."""
    data = x.to_dict()
    j = judgement_view(x)
    data["format"] = EXPLANATION_FORMAT
    data["lang"] = lang
    data["status_label"] = label(f"status.{x.status}", lang)
    data["requirement"]["text"] = requirement_text(j, lang)
    data["measured"]["text"] = measured_line(x, lang)
    if data["margin"] is not None:
        data["margin"]["text"] = margin_text(j, lang)
    for gd, g in zip(data["groups"], x.groups, strict=True):
        gd["text"] = message(g.code, lang, **g.params)
        for cd, c in zip(gd["checks"], g.checks, strict=True):
            if c.derivation is not None:
                _derivation_texts(cd["derivation"], c.derivation, lang)
    for nd, n in zip(data["notes"], x.notes, strict=True):
        nd["text"] = message(n.code, lang, **n.params)
    if extra:
        data.update(extra)
    return data


@dataclass(frozen=True)
class Explained:
    """A target's explanation, and the recorded run it was read from (None: a new evaluation)."""

    explanation: Explanation
    from_run: int | None = None


def explain_target(
    path: Path,
    target: str,
    entity: str | None = None,
    limit: int | None = DEFAULT_LIMIT,
    rule_files: Sequence[Path] = (),
    fact_files: Sequence[Path] = (),
) -> Explained:
    """Explain one target of PATH: one entity's facts from the ledger when a recorded run on the very
    same files can answer, else from an evaluation (the tree down to every entity and fact)."""
    if entity is not None:
        from thidua.evaluator.audit.recorded import explain_recorded, find_recorded

        recorded = find_recorded(path, rule_files, fact_files)
        answer = explain_recorded(recorded, target, entity, limit) if recorded else None
        if recorded is not None and answer is not None:
            return Explained(answer, recorded.seq)
    from thidua.evaluator.run import run_path  # the engine: only when the ledger cannot answer

    run = run_path(path, rule_files, fact_files)
    j = find_judgement(run.evaluation.judgements, target, Location(path.as_posix()))
    # The facts the targets saw (derived titles added) and the derivation of the same run.
    seen = run.derivation.facts if run.derivation is not None and run.derivation.facts is not None else run.facts
    x = explain(j, run.rules.files, seen, run.rules, entity=entity, limit=limit, derivation=run.derivation)
    return Explained(x)


@dataclass(frozen=True)
class ExplainedRun:
    """A target as a past run judged it, rebuilt from that run's snapshot, and how the replay went:
    `rerun` is "same", "differs" (with the targets that differ) or "failed" (with the problem)."""

    explanation: Explanation
    run: dict[str, Any]
    rerun: str
    differing: list[str]
    problem: UserError | None
    engine_now: str | None
    created_at: str
    os_user: str

    @property
    def matches(self) -> bool:
        return self.rerun == "same"


def explain_run(
    ledgers: Ledgers, folder: Path | None, ref: str, target: str, entity: str | None, limit: int | None
) -> ExplainedRun:
    """Explain a target of the recorded run `ref` (number, 'last' or id prefix) of the ledger of `folder`."""
    from thidua.evaluator.audit.rerun import recorded_judgements, replay

    with ledgers.open(folder) as book:
        rec = book.get(ref)
        where = Location(book.path.as_posix())
    j = find_judgement(recorded_judgements(rec), target, where)
    again = replay(rec)
    if again.matches:  # the same verdict and reasons: explain it with every entity, not the first ones recorded
        j = again.judgement(target) or j
    x = explain(j, rec.file_texts(), again.facts, again.rules, entity=entity, limit=limit, derivation=again.derivation)
    info: dict[str, Any] = {
        "seq": rec.seq,
        "run_id": rec.run_id,
        "created_at": rec.created_at,
        "os_user": rec.os_user,
        "engine": rec.engine,
    }
    rerun, differing = "same", []
    if again.problem is not None:
        rerun = "failed"
    elif again.differing:
        rerun, differing = "differs", list(again.differing)
        info["differing"] = differing
    info["rerun"] = rerun
    engine_now = None
    if again.engine_differs and again.evaluation is not None:
        engine_now = again.evaluation.engine
        info["engine_now"] = engine_now
    return ExplainedRun(x, info, rerun, differing, again.problem, engine_now, rec.created_at, rec.os_user)


def with_line_texts(x: Explanation, data: dict[str, Any], lang: str) -> dict[str, Any]:
    """The explanation's JSON with the words the tree shows on each line: every check (with its
    outcome and note) and every fact of every entity listed (with its file and line), for a front
    end that draws the tree from the data."""
    from thidua.evaluator.app.words import check_words, fact_text, place_text

    for gd, g in zip(data["groups"], x.groups, strict=True):
        labels = {c.check.name: c.check.label for c in g.checks}
        for cd, c in zip(gd["checks"], g.checks, strict=True):
            text, outcome, note = check_words(c.check, lang)
            cd["text"], cd["outcome"], cd["note_text"] = text, outcome, note
        for ed, e in zip(gd["entities"], g.entities, strict=True):
            ed["where"] = place_text(e.place, lang)
            for fd, f in zip(ed["facts"], e.facts, strict=True):
                fd["text"] = fact_text(f, labels, lang)
    return data
