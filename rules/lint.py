"""Warnings for likely mistakes in a rule set that loads: thresholds, duplicates, impossible conditions.

Pure: takes a RuleSet (and, when facts were read, how many entities of each kind there are) and
returns Problems; `validate` shows them as warnings (cảnh báo), apart from errors.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from thidua.rules.errors import Location, Problem
from thidua.rules.model import ReportedFigures
from thidua.rules.ruleset import (
    PAll,
    PAny,
    PAttr,
    PNot,
    Pred,
    PTitle,
    ResolvedMeasure,
    ResolvedTarget,
    RuleSet,
    compare,
)


def lint(rules: RuleSet, population: dict[str, int] | None = None) -> list[Problem]:
    """Likely mistakes: a share written far too small, a target that can never be met, two targets
    with the same measure and requirement, a condition that can never hold."""
    out: list[Problem] = []
    seen: dict[Any, ResolvedTarget] = {}
    for target in rules.targets:
        out.extend(_threshold(rules, target, population))
        if target.measure.kind in ("count", "sum") and target.threshold.op == "eq":
            value = target.threshold.shown[0]
            out.append(Problem("lint.eq_on_count", _req_loc(target), {"target": target.id, "value": value}))
        key = (measure_key(target.measure), target.threshold.op, target.threshold.values)
        if key in seen:
            first = seen[key]
            out.append(
                Problem(
                    "lint.duplicate_target",
                    target.spec.location,
                    {"target": target.id, "first": first.id, "at": first.spec.location},
                )
            )
        else:
            seen[key] = target
        for pred in _conditions(target.measure):
            out.extend(_never_holds(rules, target.measure.of or "", pred))
    at = {t.id: t.spec.location for t in rules.targets}
    out.extend(Problem("lint.reported_totals", at[params["second"]], params) for params in total_clashes(rules))
    return out


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


def _total_text(count: Fraction, share: Fraction, totals: tuple[int, int | None]) -> str | float:
    low, high = totals
    if high is None:
        return f"≥ {low}"
    if low > high:  # no whole number: the quotient itself shows why (a float: written in the reader's notation)
        return round(float(count / share), 2)
    return str(low) if low == high else f"{low}–{high}"


def _overlap(a: tuple[int, int | None], b: tuple[int, int | None]) -> bool:
    low = max(a[0], b[0])
    highs = [h for h in (a[1], b[1]) if h is not None]
    return not highs or low <= min(highs)


def _common_noun(title: str) -> str:
    """A kind's title as a noun inside a sentence: "Cá nhân (công chức, …)" -> "cá nhân"."""
    short = title.split("(")[0].strip()
    return short[:1].lower() + short[1:]


def total_clashes(rules: RuleSet) -> list[dict[str, Any]]:
    """Pairs of targets over one population (a count's whole kind, a share's `where`) whose reported
    count and share imply totals that cannot be equal: "18 (31,58%)" is 18 of 57, "34 (54,6%)" of no
    whole number near 62, so both cannot be counted over the same people. The parameters of the
    message, with `target` and `at`: the second target, where the clash shows."""
    stated: dict[tuple[str, Any], list[tuple[ResolvedTarget, tuple[int, int | None], str | float]]] = {}
    for t in rules.targets:
        kind = t.measure.kind
        if kind not in ("count", "share") or t.reported_count is None or t.reported_share is None:
            continue
        totals = implied_totals(t.reported_count, t.reported_share)
        if totals is None:
            continue
        key = (t.measure.of, _pred_key(t.measure.where) if kind == "share" else None)  # a count: the whole kind
        shown = _total_text(t.reported_count, t.reported_share, totals)
        stated.setdefault(key, []).append((t, totals, shown))
    out = []
    for (of, _), items in stated.items():
        for i, (a, a_totals, a_shown) in enumerate(items):
            for b, b_totals, b_shown in items[i + 1 :]:
                if _overlap(a_totals, b_totals):
                    continue
                out.append(
                    {
                        "first": a.id,
                        "second": b.id,
                        "first_title": a.spec.title,
                        "second_title": b.spec.title,
                        "first_reported": reported_text(a.spec.reported),
                        "second_reported": reported_text(b.spec.reported),
                        "first_total": a_shown,
                        "second_total": b_shown,
                        "kind": of,
                        "kind_title": _common_noun(rules.kinds[of].title),
                    }
                )
    return out


# --- thresholds -------------------------------------------------------------------------


def _req_loc(target: ResolvedTarget) -> Location:
    return target.spec.require.location if target.spec.require is not None else target.spec.location


def _threshold(rules: RuleSet, target: ResolvedTarget, population: dict[str, int] | None) -> list[Problem]:
    th, m = target.threshold, target.measure
    loc = _req_loc(target)
    shown = th.shown[0]
    out: list[Problem] = []
    if m.kind == "share":
        for raw, value in zip(th.shown, th.values, strict=True):
            if isinstance(raw, str) and 0 < value < Fraction(1, 100):
                number = raw.strip()[:-1].strip()
                out.append(
                    Problem("lint.share_tiny", loc, {"value": raw}, f"{_pct(Fraction(number.replace(',', '.')))}%")
                )
        top = Fraction(1)
    elif m.kind == "level":
        assert m.scale is not None
        top = Fraction(len(rules.scales[m.scale].levels) - 1)
    elif m.kind in ("count", "sum") and population is not None:
        kinds = [m.of] if m.kind == "count" else [p.of for p in m.parts]
        if all(k in population for k in kinds):
            top = Fraction(sum(population[k] for k in kinds))
            if top > 0 and _impossible(th.op, th.values, top):  # no entities yet: pending, not impossible
                names = ", ".join(kinds)
                out.append(
                    Problem(
                        "lint.above_population",
                        loc,
                        {"target": target.id, "value": shown, "count": int(top), "kind": names},
                    )
                )
        return out
    else:
        return out
    if _impossible(th.op, th.values, top):
        out.append(Problem("lint.never_met", loc, {"target": target.id, "requirement": f"{th.op} {shown}"}))
    return out


def _impossible(op: str, values: tuple[Fraction, ...], top: Fraction) -> bool:
    """Whether no value in [0, top] can meet the requirement."""
    v = values[0]
    return {
        "gt": v >= top,
        "gte": v > top,
        "eq": v > top or v < 0,
        "lt": v <= 0,
        "lte": v < 0,
        "between": v > top,
    }.get(op, False)


def _pct(value: Fraction) -> str:
    text = f"{float(value * 100):.4f}".rstrip("0").rstrip(".")
    return text


# --- duplicate targets ------------------------------------------------------------------


def _pred_key(p: Pred | None) -> Any:
    if p is None:
        return None
    if isinstance(p, PAttr):
        return ("attr", p.attr, p.op, p.value)
    if isinstance(p, PTitle):
        return ("title", p.title, p.state)
    if isinstance(p, PNot):
        return ("not", _pred_key(p.item))
    return (type(p).__name__, tuple(sorted((_pred_key(i) for i in p.items), key=repr)))


def measure_key(m: ResolvedMeasure) -> Any:
    """What a measure means, comparable: kind, population, conditions, attribute (also `draft --check`)."""
    return (
        m.kind,
        m.of,
        _pred_key(m.where),
        _pred_key(m.matching),
        m.attribute,
        m.entity,
        m.unknown,
        m.better,
        tuple(measure_key(p) for p in m.parts),
    )


def _conditions(m: ResolvedMeasure) -> list[Pred]:
    out = [p for p in (m.where, m.matching) if p is not None]
    for part in m.parts:
        out.extend(_conditions(part))
    return out


# --- conditions that can never hold -----------------------------------------------------


def _never_holds(rules: RuleSet, kind: str, pred: Pred) -> list[Problem]:
    out: list[Problem] = []

    def walk(p: Pred) -> None:
        if isinstance(p, PAll):
            _check_all(rules, kind, list(p.items), out)
            for item in p.items:
                walk(item)
        elif isinstance(p, PAny):
            for item in p.items:
                walk(item)
        elif isinstance(p, PNot):
            walk(p.item)
        elif isinstance(p, PAttr):
            _check_all(rules, kind, [p], out)

    walk(pred)
    return out


def _check_all(rules: RuleSet, kind: str, items: list[Pred], out: list[Problem]) -> None:
    """Report the first attribute whose tests joined by `all` no value can pass, and a title both
    required and excluded."""
    by_attr: dict[str, list[PAttr]] = {}
    for item in items:
        if isinstance(item, PAttr):
            by_attr.setdefault(item.attr, []).append(item)
    for attr, tests in by_attr.items():
        if not any(all(_passes(t, v) for t in tests) for v in _candidates(rules, kind, attr, tests)):
            shown = " & ".join(f"{t.op} {t.shown}" for t in tests)
            out.append(Problem("lint.condition_never", tests[-1].loc, {"attr": attr, "tests": shown}))
    wanted = {(i.title, i.state): i for i in items if isinstance(i, PTitle)}
    for item in items:
        if isinstance(item, PNot) and isinstance(item.item, PTitle) and (item.item.title, item.item.state) in wanted:
            out.append(Problem("lint.title_and_not", item.item.loc, {"title": item.item.title}))


def _candidates(rules: RuleSet, kind: str, attr: str, tests: list[PAttr]) -> list[Any]:
    """Values enough to decide whether some value passes all tests (a finite domain, or the
    constants, their neighbours and the points between them)."""
    decl = rules.attribute(kind, attr) if kind in rules.kinds else None
    if decl is not None and decl.scale is not None:
        return list(range(len(rules.scales[decl.scale].levels)))
    if decl is not None and decl.type == "boolean":
        return [0, 1]
    consts: list[Any] = []
    for t in tests:
        consts.extend(t.value if t.op == "in" else [t.value])
    numbers = sorted({c for c in consts if isinstance(c, (int, float)) and not isinstance(c, bool)})
    if numbers and len(numbers) == len(set(consts)):
        points: list[Any] = list(numbers) + [numbers[0] - 1, numbers[-1] + 1]
        points += [n + 1 for n in numbers] + [n - 1 for n in numbers]
        if decl is None or decl.type == "number":
            points += [(a + b) / 2 for a, b in zip(numbers, numbers[1:], strict=False)]
        return points
    return list(consts) + [object()]


def _passes(test: PAttr, value: Any) -> bool:
    try:
        return compare(test.op, value, test.value)
    except (TypeError, ValueError):
        return True  # not comparable: not this lint's business
