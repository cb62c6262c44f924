"""Consistency findings beyond titles: stated results that contradict the facts, mixed denominators."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from thidua.evaluator.judgement import Evaluation, Judgement
from thidua.rules.lint import reported_text, total_clashes
from thidua.rules.ruleset import PAll, PAny, PAttr, PNot, Pred, PTitle, RuleSet


@dataclass(frozen=True)
class ConsistencyFinding:
    code: str  # consistency.reported_count, .reported_share, .denominators, .reported_totals
    params: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}


def canonical(pred: Pred | None) -> str:
    """A condition written out without source locations, to compare two conditions."""
    if pred is None:
        return "*"
    if isinstance(pred, PAttr):
        return f"{pred.attr} {pred.op} {pred.value!r}"
    if isinstance(pred, PTitle):
        return f"title {pred.title} {pred.state}"
    if isinstance(pred, PNot):
        return f"not({canonical(pred.item)})"
    word = "all" if isinstance(pred, PAll) else "any"
    assert isinstance(pred, (PAll, PAny))
    return f"{word}(" + ", ".join(sorted(canonical(i) for i in pred.items)) + ")"


SHARE_TOLERANCE = Fraction(5, 1000)  # half a percentage point: reports round shares


def _population(j: Judgement) -> int | None:
    """How many entities a count target looked at, from its reasons (the denominator of a stated share)."""
    codes = ("entities.counted", "entities.unknown", "entities.not_counted")
    groups = [r for r in j.reasons if r.code in codes and r.role in (None, "where")]
    return sum(int(r.params.get("count", 0)) for r in groups) if groups else None


def consistency_findings(rules: RuleSet, evaluation: Evaluation) -> list[ConsistencyFinding]:
    out: list[ConsistencyFinding] = []
    judged = {j.target: j for j in evaluation.judgements}
    for t in rules.targets:
        j = judged.get(t.id)
        if t.spec.reported is None or j is None or j.measured.value is None:
            continue
        stated = t.spec.reported
        value = j.measured.value
        base = {"target": t.id, "title": t.spec.title, "reported": reported_text(stated)}
        if t.measure.kind in ("count", "sum"):
            if t.reported_count is not None and t.reported_count != Fraction(str(value)):
                out.append(ConsistencyFinding("consistency.reported_count", {**base, "computed": value}))
            population = _population(j) if t.measure.kind == "count" else None
            if t.reported_share is not None and population:
                share = Fraction(int(value), population)
                if abs(share - t.reported_share) > SHARE_TOLERANCE:
                    computed = {"ratio": [int(value), population]}  # written in the reader's language
                    out.append(ConsistencyFinding("consistency.reported_share", {**base, "computed": computed}))
        elif t.measure.kind == "share":
            share = Fraction(str(value))
            if t.reported_share is not None and abs(share - t.reported_share) > SHARE_TOLERANCE:
                out.append(
                    ConsistencyFinding("consistency.reported_share", {**base, "computed": {"percent": float(share)}})
                )
            numerator = j.measured.numerator
            if t.reported_count is not None and numerator is not None and t.reported_count != numerator:
                out.append(ConsistencyFinding("consistency.reported_count", {**base, "computed": numerator}))
    shares = [t for t in rules.targets if t.measure.kind == "share" and not t.measure.parts]
    for i, a in enumerate(shares):
        for b in shares[i + 1 :]:
            same = a.measure.of == b.measure.of and canonical(a.measure.matching) == canonical(b.measure.matching)
            if same and canonical(a.measure.where) != canonical(b.measure.where):
                out.append(
                    ConsistencyFinding(
                        "consistency.denominators", {"first": a.id, "second": b.id, "kind": a.measure.of}
                    )
                )
    return out + reported_totals(rules)


# --- reported figures that imply different totals ------------------------------------------


def reported_totals(rules: RuleSet) -> list[ConsistencyFinding]:
    """Targets over one population whose reported count and share imply totals that cannot be equal
    (rules/lint.py finds them; `validate` shows the same as a warning). Needs no facts."""
    return [ConsistencyFinding("consistency.reported_totals", params) for params in total_clashes(rules)]


__all__ = ["ConsistencyFinding", "consistency_findings", "reported_totals"]
