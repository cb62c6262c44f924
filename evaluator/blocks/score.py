"""A member's points, item by item, from its own verdicts and from measures over its facts (exact fractions)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from thidua.evaluator.judgement import Judgement
from thidua.rules.errors import Problems, suggest
from thidua.rules.model import Measure, Requirement, Target
from thidua.rules.ruleset import ResolvedTarget, Resolver, RuleSet
from thidua.rules.scoring import Adjustment, BlockFile, ExceedBonus, ProposalCondition, ScoreItem, points

# An unknown that nothing bounds (a pending deduction without a cap) is infinite, never zero.
Bound = Fraction | float
INF = math.inf
ITEM_PREFIX = "block."


def synthetic_id(item_id: str) -> str:
    """The target id under which a scoring item's measure is evaluated inside the member's run."""
    return ITEM_PREFIX + item_id


@dataclass(frozen=True)
class ItemScore:
    """Points of one line of the table for one member: a range [low, high], equal when decided."""

    id: str
    title: str
    part: str  # a group id, or "bonus" / "deductions"
    max: Fraction | None
    low: Bound
    high: Bound
    status: str  # scored | pending | error
    source: str  # target id, or "measure"
    rule: str  # how the points were computed (a message code of the block.rule family)
    params: dict[str, Any] = field(default_factory=dict)
    judgement: Judgement | None = None

    @property
    def exact(self) -> bool:
        return self.low == self.high


@dataclass(frozen=True)
class MemberScore:
    items: tuple[ItemScore, ...]

    def part(self, name: str) -> tuple[Bound, Bound]:
        chosen = [i for i in self.items if i.part == name]
        return sum((i.low for i in chosen), Fraction(0)), sum((i.high for i in chosen), Fraction(0))

    @property
    def total(self) -> tuple[Bound, Bound]:
        low: Bound = Fraction(0)
        high: Bound = Fraction(0)
        for i in self.items:
            if i.part == "deductions":
                low, high = low - i.high, high - i.low
            else:
                low, high = low + i.low, high + i.high
        return low, high

    @property
    def pending(self) -> list[ItemScore]:
        return [i for i in self.items if not i.exact]


def synthetic_targets(block: BlockFile) -> list[tuple[str, Measure, Requirement | None, Any]]:
    """Every measure the block reads from a member's facts: (id, measure, requirement, node)."""
    out: list[tuple[str, Measure, Requirement | None, Any]] = []
    for group in block.scoring.groups:
        for item in group.items:
            if item.measure is not None:
                out.append((item.id, item.measure, item.require, item))
    for adj in (*block.scoring.bonus, *block.scoring.deductions):
        out.append((adj.id, adj.measure, None, adj))
    if block.proposals is not None:
        for cond in block.proposals.conditions:
            if cond.measure is not None:
                out.append((cond.id, cond.measure, cond.require, cond))
    return out


def _open_requirement(measure: Measure, rules: RuleSet) -> Requirement:
    """A requirement every value meets: a `per_unit` item or an adjustment reads the value, not a verdict."""
    if measure.holds is not None:
        return Requirement(eq=True)
    if measure.level is not None:
        kind = rules.kinds.get(measure.level.of)
        attr = next((a for a in kind.attributes if a.id == measure.level.attribute), None) if kind else None
        if attr is not None and attr.scale in rules.scales:
            return Requirement(gte=rules.scales[attr.scale].levels[0].id)
    return Requirement(gte=0)


def compile_items(block: BlockFile, rules: RuleSet, problems: Problems) -> list[ResolvedTarget]:
    """The block's measures resolved against one member's kinds, attributes and titles, as targets are.

    A measure naming a kind or attribute the member does not declare is a located problem of that member.
    """
    resolver = Resolver(rules.scales, rules.kinds, rules.titles, problems)
    out = []
    for ident, measure, require, node in synthetic_targets(block):
        spec = Target(
            id=synthetic_id(ident),
            title=node.title,
            measure=measure,
            require=require if require is not None else _open_requirement(measure, rules),
            exceed="above" if isinstance(node, ScoreItem) and node.exceeded is not None else "auto",
        )
        spec._loc = node.location
        resolved = resolver.target(spec)
        if resolved is not None:
            out.append(resolved)
    own = {t.id for t in rules.targets}
    for group in block.scoring.groups:
        for item in group.items:
            if item.target is not None and item.target not in own:
                problems.add("block.unknown_target", item.location, suggest(item.target, own), target=item.target)
    return out


def _exact(value: float | int | None) -> Fraction | None:
    """A measured value as a fraction: judgements keep floats, whose small denominators are recovered."""
    if value is None:
        return None
    return Fraction(value).limit_denominator(1_000_000)


def _measured_value(j: Judgement) -> tuple[Fraction | None, Fraction | None]:
    """(low, high) of the measured value on the scale points are counted in (shares in percentage points)."""
    m = j.measured
    scale = Fraction(100) if m.kind == "share" else Fraction(1)
    if m.numerator is not None and m.denominator:
        exact = Fraction(m.numerator, m.denominator) * scale
        return exact, exact
    if m.value is not None:
        v = Fraction(int(m.value)) if isinstance(m.value, bool) else Fraction(m.value).limit_denominator(10**6) * scale
        return v, v
    low, high = _exact(m.low), _exact(m.high)
    return (low * scale if low is not None else None), (high * scale if high is not None else None)


def _bonus(rule: ExceedBonus | None, margin: Fraction) -> Fraction:
    if rule is None or margin <= 0:
        return Fraction(0)
    steps = math.floor(margin / points(rule.per))
    return min(points(rule.cap), points(rule.points) * steps)


def _required(target: ResolvedTarget | None) -> Fraction | None:
    if target is None or target.threshold.direction != "up":
        return None
    value = target.threshold.values[0]
    return value * 100 if target.measure.kind == "share" else value


def verdict_points(item: ScoreItem, j: Judgement | None, target: ResolvedTarget | None) -> ItemScore:
    """Points from a verdict: met → max; exceeded → max plus the bonus per step of margin up to its cap;
    not met → 0 or proportional to the share of the requirement reached; pending → the range of both."""
    full = points(item.max)
    top = full + (points(item.exceeded.cap) if item.exceeded is not None else 0)
    source = item.target or "measure"
    base = ItemScore(item.id, item.title, "", full, Fraction(0), top, "error", source, "block.rule.missing", {}, j)
    if j is None:
        return base
    required = _required(target)

    def shortfall(value: Fraction | None) -> tuple[Fraction, str]:
        if item.not_met == "proportional" and value is not None and required:
            return min(full, full * value / required), "block.rule.proportional"
        return Fraction(0), "block.rule.not_met"

    if j.status == "met":
        return replace(base, low=full, high=full, status="scored", rule="block.rule.met")
    if j.status == "exceeded":
        margin = _exact(j.margin.value) if j.margin is not None else None
        if margin is not None and j.margin is not None and j.margin.unit == "percentage_points":
            margin = Fraction(j.margin.value).limit_denominator(100)
        extra = _bonus(item.exceeded, margin or Fraction(0))
        return replace(
            base,
            low=full + extra,
            high=full + extra,
            status="scored",
            rule="block.rule.exceeded",
            params={"bonus": extra, "margin": j.margin.value if j.margin else None},
        )
    low_value, _ = _measured_value(j)
    if j.status == "not_met":
        got, rule = shortfall(low_value)
        return replace(base, low=got, high=got, status="scored", rule=rule, params={"required": required})
    low, _rule = shortfall(low_value)
    high = top if target is None or target.exceed or item.exceeded is None else full
    status = "pending" if j.status == "pending" else "error"
    return replace(base, low=low, high=high, status=status, rule=f"block.rule.{status}")


def unit_points(
    node: ScoreItem | Adjustment, j: Judgement | None, part: str, per: Fraction, cap: Fraction | None
) -> ItemScore:
    """Points per unit measured, up to a cap: `per_unit` items, bonus points and deductions."""
    full = points(node.max) if isinstance(node, ScoreItem) else None
    bound: Bound = cap if cap is not None else INF
    base = ItemScore(node.id, node.title, part, full, Fraction(0), bound, "error", "measure", "block.rule.error", {}, j)
    if j is None or j.status == "error":
        return base
    low, high = _measured_value(j)
    lo = min(bound, per * low) if low is not None else Fraction(0)
    hi = min(bound, per * high) if high is not None else bound
    status = "scored" if lo == hi else "pending"
    value = low if low == high else None
    rule = "block.rule.per_unit" if status == "scored" else "block.rule.pending"
    return replace(base, low=lo, high=hi, status=status, rule=rule, params={"value": value, "per": per, "cap": cap})


def score_member(
    block: BlockFile, judgements: dict[str, Judgement], own_targets: dict[str, ResolvedTarget]
) -> MemberScore:
    """Every line of the table for one member, in the table's order, then bonus and deductions."""
    items: list[ItemScore] = []
    for group in block.scoring.groups:
        for item in group.items:
            if item.target is not None:
                s = verdict_points(item, judgements.get(item.target), own_targets.get(item.target))
            elif item.per_unit is not None:
                s = unit_points(item, judgements.get(synthetic_id(item.id)), group.id, points(item.per_unit), None)
                s = replace(s, low=min(s.low, points(item.max)), high=min(s.high, points(item.max)))
            else:
                jid = synthetic_id(item.id)
                s = verdict_points(item, judgements.get(jid), own_targets.get(jid))
            items.append(replace(s, part=group.id))
    for part, adjustments in (("bonus", block.scoring.bonus), ("deductions", block.scoring.deductions)):
        for adj in adjustments:
            cap = points(adj.cap) if adj.cap is not None else None
            items.append(unit_points(adj, judgements.get(synthetic_id(adj.id)), part, points(adj.points), cap))
    return MemberScore(tuple(items))


def condition_outcome(
    cond: ProposalCondition, score: MemberScore, judgements: dict[str, Judgement], own: list[Judgement]
) -> tuple[bool | None, dict[str, Any]]:
    """Whether a member meets a proposal condition: True, False, or None when it is not known yet."""
    if cond.no_target_not_met:
        missed = [j.target for j in own if j.status == "not_met"]
        return (not missed), {"targets": missed}
    if cond.min_score is not None:
        low, high = score.total
        need = points(cond.min_score)
        outcome = True if low >= need else (False if high < need else None)
        return outcome, {"min": need}
    j = judgements.get(synthetic_id(cond.id))
    if j is None or j.status in ("pending", "error"):
        return None, {"status": j.status if j else "error"}
    return j.status in ("met", "exceeded"), {"status": j.status}
