"""Resolves title criteria, quotas and settings at load time: every reference checked, cycles named."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from thidua.rules.errors import Location, Problems, suggest
from thidua.rules.model import (
    Criterion,
    Kind,
    MembersSpec,
    MembersTest,
    MonthsTest,
    Quota,
    Setting,
    SettingRef,
)
from thidua.rules.ruleset import PAll, PAny, PAttr, PNot, Pred, PTitle, Resolver

# The kind that stands for the agency as a whole: its members are every entity of a kind.
ORGANIZATION = "organization"


@dataclass(frozen=True)
class PMembers:
    """A share or count over the members of the entity, compared with `value`; `key` names it."""

    key: str
    of: str
    via: str
    where: Pred | None
    matching: Pred
    measure: str  # share or count
    op: str
    value: Fraction
    shown: Any
    loc: Location


@dataclass(frozen=True)
class PMonths:
    """Whole months from the earliest of date attributes `attrs` to the end of the period, compared with `value`."""

    key: str
    attrs: tuple[str, ...]
    op: str
    value: int
    shown: Any
    loc: Location


@dataclass
class ResolvedCriterion:
    spec: Criterion
    pred: Pred
    reads: tuple[str, ...]  # titles the condition reads (own and members')
    settings: tuple[str, ...] = ()  # settings its thresholds come from

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def kind(self) -> str:
        return self.spec.of

    @property
    def title(self) -> str:
        return self.spec.earns

    def covers(self, decided_on: dt.date | None) -> bool:
        """Whether it applies to a review decided on that date (docs/criteria.md, "Regimes")."""
        if self.spec.valid is None:
            return True
        return decided_on is not None and self.spec.valid.covers(decided_on)


@dataclass
class ResolvedQuota:
    spec: Quota
    share: Fraction
    shown: Any
    settings: tuple[str, ...] = ()

    def covers(self, decided_on: dt.date | None) -> bool:
        """Whether it applies to a review decided on that date (docs/criteria.md, "Regimes")."""
        if self.spec.valid is None:
            return True
        return decided_on is not None and self.spec.valid.covers(decided_on)


@dataclass
class CriteriaSet:
    criteria: list[ResolvedCriterion] = field(default_factory=list)
    quotas: list[ResolvedQuota] = field(default_factory=list)
    settings: dict[str, Setting] = field(default_factory=dict)

    def active(self, decided_on: dt.date | None) -> list[ResolvedCriterion]:
        """The criteria in force on the decision date, in dependency order (a criterion after those it reads)."""
        return [c for c in self.criteria if c.covers(decided_on)]

    def active_quotas(self, decided_on: dt.date | None) -> list[ResolvedQuota]:
        return [q for q in self.quotas if q.covers(decided_on)]


class _NoTarget:
    count_proposed = False


def walk_leaves(pred: Pred | PMembers | PMonths) -> list[Any]:
    """Every leaf of a condition, members' conditions included."""
    if isinstance(pred, (PAll, PAny)):
        return [leaf for item in pred.items for leaf in walk_leaves(item)]
    if isinstance(pred, PNot):
        return walk_leaves(pred.item)
    if isinstance(pred, PMembers):
        inner = walk_leaves(pred.matching) + (walk_leaves(pred.where) if pred.where is not None else [])
        return [pred, *inner]
    return [pred]


def parse_share(raw: Any) -> Fraction | None:
    """'15%' or 0.15 as a fraction of one; None when it is not a share."""
    if isinstance(raw, str) and raw.strip().endswith("%"):
        try:
            value = Fraction(raw.strip()[:-1].strip().replace(",", ".")) / 100
        except ValueError:
            return None
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        value = Fraction(str(raw))
    else:
        return None
    return value if 0 <= value <= 1 else None


class CriteriaResolver(Resolver):
    """The target resolver, taught the conditions criteria need (members, months served, settings)."""

    def __init__(self, base: Resolver, settings: dict[str, Setting]) -> None:
        super().__init__(base.scales, base.kinds, base.titles, base.problems)
        self.settings = settings
        self.used_settings: set[str] = set()
        self._keys = 0

    def _key(self, prefix: str) -> str:
        self._keys += 1
        return f"_{prefix}{self._keys}"

    def amount(self, raw: Any, loc: Location, share: bool) -> tuple[Fraction | None, Any]:
        """A threshold as a fraction: a share ('50%') or a whole number; settings looked up."""
        shown = raw
        if isinstance(raw, SettingRef):
            setting = self.settings.get(raw.setting)
            if setting is None:
                self.problems.add(
                    "criteria.unknown_setting", raw.location, suggest(raw.setting, self.settings), setting=raw.setting
                )
                return None, None
            self.used_settings.add(setting.id)
            raw, shown, loc = setting.value, setting.value, setting.location  # a bad value is the setting's fault
        if share:
            value = parse_share(raw)
            if value is None:
                self.problems.add("rules.require_share", loc, value=raw)
            return value, shown
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            self.problems.add("rules.require_count", loc, value=raw)
            return None, None
        return Fraction(raw), shown

    def condition(self, cond: Any, kind: Any, target: Any) -> Any:
        if isinstance(cond, MembersTest):
            return self.members(cond, kind)
        if isinstance(cond, MonthsTest):
            return self.months(cond, kind)
        return super().condition(cond, kind, target)

    def members(self, cond: MembersTest, kind: Any) -> PMembers | None:
        spec = cond.members
        member_kind = self._kind(spec.of, spec.location)
        if member_kind is None:
            return None
        via_id = self._via(spec, member_kind, kind)
        if via_id is None:
            return None
        matching = self.condition(spec.matching, member_kind, _NoTarget())
        where = self.condition(spec.where, member_kind, _NoTarget()) if spec.where is not None else None
        if matching is None or (spec.where is not None and where is None):
            return None
        for leaf in walk_leaves(matching) + (walk_leaves(where) if where is not None else []):
            if isinstance(leaf, PMembers):
                self.problems.add("criteria.members_nested", spec.location)
                return None
        op, raw = spec.operators()[0]
        value, shown = self.amount(raw, spec.location, share=spec.measure == "share")
        if value is None:
            return None
        return PMembers(
            self._key("m"), member_kind.id, via_id, where, matching, spec.measure, op, value, shown, spec.location
        )

    def _via(self, spec: MembersSpec, member_kind: Kind, kind: Kind) -> str | None:
        """The member attribute naming the entity; "" for the organization as a whole (no `via`)."""
        choices = [a.id for a in member_kind.attributes if a.ref == kind.id]
        if spec.via is None:
            if kind.id == ORGANIZATION:
                return ""
            shown = ", ".join(choices) or "unit"
            self.problems.add("criteria.via_required", spec.location, of=spec.of, kind=kind.id, choices=shown)
            return None
        via = next((a for a in member_kind.attributes if a.id == spec.via), None)
        if via is None or via.ref != kind.id:
            self.problems.add(
                "criteria.bad_via", spec.location, suggest(spec.via, choices), via=spec.via, of=spec.of, kind=kind.id
            )
            return None
        return via.id

    def months(self, cond: MonthsTest, kind: Any) -> PMonths | None:
        spec = cond.months_served
        names = spec.attributes
        for name in names:
            attr = next((a for a in kind.attributes if a.id == name), None)
            if attr is None or attr.type != "date":
                choices = [a.id for a in kind.attributes if a.type == "date"]
                self.problems.add(
                    "criteria.bad_date_attribute", spec.location, suggest(name, choices), attr=name, kind=kind.id
                )
                return None
        if not names or len(set(names)) != len(names):
            self.problems.add("criteria.bad_date_list", spec.location, attrs=", ".join(names))
            return None
        op, raw = spec.operators()[0]
        value, shown = self.amount(raw, spec.location, share=False)
        if value is None:
            return None
        return PMonths(self._key("mo"), tuple(names), op, int(value), shown, spec.location)

    def criterion(self, spec: Criterion) -> ResolvedCriterion | None:
        kind = self._kind(spec.of, spec.location)
        if kind is None:
            if spec.earns not in self.titles:
                self.problems.add(
                    "rules.unknown_title", spec.location, suggest(spec.earns, self.titles), title=spec.earns
                )
            return None
        title = self.title_for(spec.earns, kind, spec.location)
        if title is None:
            return None
        before = set(self.used_settings)
        self.used_settings = set()
        pred = self.condition(spec.when, kind, _NoTarget())
        used, self.used_settings = tuple(sorted(self.used_settings)), before | self.used_settings
        if pred is None:
            return None
        reads: list[str] = []
        for leaf in walk_leaves(pred):
            if isinstance(leaf, PTitle) and leaf.title not in reads:
                reads.append(leaf.title)
        return ResolvedCriterion(spec, pred, tuple(reads), used)

    def quota(self, spec: Quota) -> ResolvedQuota | None:
        ok = True
        kind = self._kind(spec.of, spec.location)
        for title_id in (spec.limits, spec.at_most.of_title):
            title = self.titles.get(title_id)
            if title is None:
                self.problems.add("rules.unknown_title", spec.location, suggest(title_id, self.titles), title=title_id)
                ok = False
            elif kind is not None and kind.id not in title.holders:
                self.problems.add(
                    "rules.title_not_for_kind",
                    spec.location,
                    title=title.id,
                    kind=kind.id,
                    holders=", ".join(title.holders),
                )
                ok = False
        if kind is not None and spec.per is not None:
            attr = next((a for a in kind.attributes if a.id == spec.per), None)
            if attr is None or attr.ref is None:
                choices = [a.id for a in kind.attributes if a.ref is not None]
                self.problems.add(
                    "criteria.bad_per", spec.location, suggest(spec.per, choices), per=spec.per, kind=kind.id
                )
                ok = False
        share, shown = self.amount(spec.at_most.share, spec.at_most.location, share=True)
        if share is None or kind is None or not ok:
            return None
        used = (spec.at_most.share.setting,) if isinstance(spec.at_most.share, SettingRef) else ()
        return ResolvedQuota(spec, share, shown, used)


def order_criteria(criteria: list[ResolvedCriterion], problems: Problems) -> list[ResolvedCriterion]:
    """Dependency order (a criterion after the criteria earning the titles it reads); a cycle is an error."""
    earners: dict[str, list[ResolvedCriterion]] = {}
    for c in criteria:
        earners.setdefault(c.title, []).append(c)
    ordered: list[ResolvedCriterion] = []
    state: dict[str, str] = {}

    def visit(c: ResolvedCriterion, path: list[ResolvedCriterion]) -> bool:
        if state.get(c.id) == "done":
            return True
        if state.get(c.id) == "open":
            start = next(i for i, p in enumerate(path) if p.id == c.id)
            cycle = [f"{p.id} ({p.title})" for p in path[start:]] + [f"{c.id} ({c.title})"]
            problems.add("criteria.cycle", c.spec.location, cycle=" -> ".join(cycle))
            return False
        state[c.id] = "open"
        for title in c.reads:
            for dep in earners.get(title, []):
                if not visit(dep, path + [c]):
                    return False
        state[c.id] = "done"
        ordered.append(c)
        return True

    for c in criteria:
        if not visit(c, []):
            return []
    return ordered


def resolve_criteria(
    base: Resolver,
    settings_in: list[tuple[Setting, str]],
    criteria: list[Criterion],
    quotas: list[Quota],
) -> CriteriaSet:
    """Check settings (a later file overrides an earlier one), criteria and quotas; order the criteria."""
    problems = base.problems
    settings: dict[str, Setting] = {}
    declared_in: dict[str, str] = {}
    for setting, file in settings_in:
        if setting.id in settings and declared_in[setting.id] == file:
            problems.add(
                "rules.duplicate_id",
                setting.location,
                what="setting",
                id=setting.id,
                first=settings[setting.id].location,
            )
            continue
        settings[setting.id] = setting
        declared_in[setting.id] = file
    resolver = CriteriaResolver(base, settings)
    resolved = [r for r in (resolver.criterion(c) for c in criteria) if r is not None]
    seen: dict[str, ResolvedCriterion] = {}
    for c in resolved:
        if c.id in seen:
            problems.add(
                "rules.duplicate_id", c.spec.location, what="criterion", id=c.id, first=seen[c.id].spec.location
            )
        seen[c.id] = c
    for i, a in enumerate(resolved):
        for b in resolved[i + 1 :]:
            if a.title == b.title and a.kind == b.kind and _overlap(a, b):
                problems.add("criteria.overlap", b.spec.location, title=b.title, other=a.id, first=a.spec.location)
    resolved_quotas = [r for r in (resolver.quota(q) for q in quotas) if r is not None]
    for setting in settings.values():
        # a setting nothing reads is most likely a misspelt override: say so rather than ignore it
        if setting.id not in resolver.used_settings:
            problems.add(
                "criteria.unused_setting",
                setting.location,
                suggest(setting.id, sorted(resolver.used_settings)),
                setting=setting.id,
            )
    ordered = order_criteria(resolved, problems)
    return CriteriaSet(ordered, resolved_quotas, settings)


def _overlap(a: ResolvedCriterion, b: ResolvedCriterion) -> bool:
    never, always = dt.date.min, dt.date.max
    lo_a = (a.spec.valid.first if a.spec.valid else None) or never
    hi_a = (a.spec.valid.last if a.spec.valid else None) or always
    lo_b = (b.spec.valid.first if b.spec.valid else None) or never
    hi_b = (b.spec.valid.last if b.spec.valid else None) or always
    return lo_a <= hi_b and lo_b <= hi_a


__all__ = [
    "CriteriaSet",
    "PMembers",
    "PMonths",
    "ResolvedCriterion",
    "ResolvedQuota",
    "resolve_criteria",
    "walk_leaves",
]


def negated_leaves(pred: Any) -> set[tuple[str, str]]:
    """(name, operator) of the tests written under an odd number of `not`s: the criterion needs them
    false, so a true outcome is what refuses the title (shown as "must NOT hold")."""
    out: set[tuple[str, str]] = set()

    def walk(p: Any, neg: bool) -> None:
        if isinstance(p, PNot):
            walk(p.item, not neg)
        elif isinstance(p, (PAll, PAny)):
            for i in p.items:
                walk(i, neg)
        elif neg and isinstance(p, PAttr):
            out.add((p.attr, p.op))
        elif neg and isinstance(p, PTitle):
            out.add((p.title, "has_title" if p.state != "proposed" else "proposed"))
        elif neg and isinstance(p, (PMembers, PMonths)):
            out.add((p.key, p.op))

    walk(pred, False)
    return out
