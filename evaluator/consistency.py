"""Consistency findings beyond titles: stated results that contradict the facts, mixed denominators."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from thidua.evaluator.judgement import Evaluation
from thidua.rules.criteria import parse_share
from thidua.rules.ruleset import PAll, PAny, PAttr, PNot, Pred, PTitle, RuleSet


@dataclass(frozen=True)
class ConsistencyFinding:
    code: str  # consistency.reported_count, consistency.reported_share, consistency.denominators
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


def consistency_findings(rules: RuleSet, evaluation: Evaluation) -> list[ConsistencyFinding]:
    out: list[ConsistencyFinding] = []
    judged = {j.target: j for j in evaluation.judgements}
    for t in rules.targets:
        stated = t.spec.reported
        j = judged.get(t.id)
        if stated is None or j is None or j.measured.value is None:
            continue
        value = j.measured.value
        if t.measure.kind in ("count", "sum"):
            if (
                isinstance(stated, (int, float))
                and not isinstance(stated, bool)
                and Fraction(str(stated)) != Fraction(str(value))
            ):
                out.append(
                    ConsistencyFinding(
                        "consistency.reported_count",
                        {"target": t.id, "title": t.spec.title, "reported": stated, "computed": value},
                    )
                )
        elif t.measure.kind == "share":
            share = parse_share(stated)
            if share is not None and abs(float(share) - float(value)) > 0.005:
                out.append(
                    ConsistencyFinding(
                        "consistency.reported_share",
                        {
                            "target": t.id,
                            "title": t.spec.title,
                            "reported": stated,
                            "computed": f"{float(value) * 100:.0f}%",
                        },
                    )
                )
    shares = [t for t in rules.targets if t.measure.kind == "share"]
    for i, a in enumerate(shares):
        for b in shares[i + 1 :]:
            same = a.measure.of == b.measure.of and canonical(a.measure.matching) == canonical(b.measure.matching)
            if same and canonical(a.measure.where) != canonical(b.measure.where):
                out.append(
                    ConsistencyFinding(
                        "consistency.denominators", {"first": a.id, "second": b.id, "kind": a.measure.of}
                    )
                )
    return out


__all__ = ["ConsistencyFinding", "consistency_findings"]
