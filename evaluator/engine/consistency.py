"""Consistency findings beyond titles: stated results that contradict the facts, mixed denominators."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from thidua.evaluator.judgement import Evaluation, Judgement
from thidua.rules.model import ReportedFigures
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


def percent(value: Fraction | float) -> str:
    """A share as a report writes it, with up to two decimals and a decimal comma: 59,65%."""
    text = f"{float(value) * 100:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


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
                    computed = f"{value}/{population} ({percent(share)})"
                    out.append(ConsistencyFinding("consistency.reported_share", {**base, "computed": computed}))
        elif t.measure.kind == "share":
            share = Fraction(str(value))
            if t.reported_share is not None and abs(share - t.reported_share) > SHARE_TOLERANCE:
                out.append(ConsistencyFinding("consistency.reported_share", {**base, "computed": percent(share)}))
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


def reported_text(raw: Any) -> Any:
    """`reported` as the report wrote it: the figure itself, or '18 (31,58%)' for `{count, share}`."""
    if isinstance(raw, ReportedFigures):
        count, share = raw.count, raw.share
        if count is not None and share is not None:
            return f"{count} ({share})"
        return count if count is not None else share
    return raw


def implied_totals(count: Fraction, share: Fraction) -> tuple[int, int | None] | None:
    """The whole numbers N with count/N rounding to `share` as written (to its own last decimal, half
    a unit either way): (lowest, highest or None when unbounded); None when the figures fit any total
    (0 of anything) -- an empty range (lowest > highest) when they fit none."""
    if count == 0:
        return None
    decimals = next((d for d in range(7) if (share * 100 * 10**d).denominator == 1), 6)
    half = Fraction(1, 2 * 10**decimals) / 100
    low = max(math.ceil(count / (share + half)), math.ceil(count))
    high = math.floor(count / (share - half)) if share > half else None
    return (low, high)


def _total_text(count: Fraction, share: Fraction, totals: tuple[int, int | None]) -> str:
    low, high = totals
    if high is None:
        return f"≥ {low}"
    if low > high:  # no whole number: the quotient itself shows why
        return f"{float(count / share):.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(low) if low == high else f"{low}–{high}"


def _overlap(a: tuple[int, int | None], b: tuple[int, int | None]) -> bool:
    low = max(a[0], b[0])
    highs = [h for h in (a[1], b[1]) if h is not None]
    return not highs or low <= min(highs)


def reported_totals(rules: RuleSet) -> list[ConsistencyFinding]:
    """Pairs of targets over one population (a count's whole kind, a share's `where`) whose reported
    count and share imply totals that cannot be equal: "18 (31,58%)" is 18 of 57, "34 (54,6%)" of no
    whole number near 62, so both cannot be counted over the same people. Needs no facts."""
    stated: dict[tuple[str, str], list[tuple[Any, tuple[int, int | None], str]]] = {}
    for t in rules.targets:
        kind = t.measure.kind
        if kind not in ("count", "share") or t.reported_count is None or t.reported_share is None:
            continue
        totals = implied_totals(t.reported_count, t.reported_share)
        if totals is None:
            continue
        key = (t.measure.of, canonical(t.measure.where) if kind == "share" else "*")
        shown = _total_text(t.reported_count, t.reported_share, totals)
        stated.setdefault(key, []).append((t, totals, shown))
    out = []
    for (of, _), items in stated.items():
        for i, (a, a_totals, a_shown) in enumerate(items):
            for b, b_totals, b_shown in items[i + 1 :]:
                if _overlap(a_totals, b_totals):
                    continue
                params = {
                    "first": a.id,
                    "second": b.id,
                    "first_reported": reported_text(a.spec.reported),
                    "second_reported": reported_text(b.spec.reported),
                    "first_total": a_shown,
                    "second_total": b_shown,
                    "kind": of,
                }
                out.append(ConsistencyFinding("consistency.reported_totals", params))
    return out


__all__ = ["ConsistencyFinding", "consistency_findings", "implied_totals", "reported_text"]
