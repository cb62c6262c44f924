"""Explains derived titles inside an explanation tree: the criterion, its checks, quotas, overrides, recursively."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from thidua.evaluator.engine.derive import (
    Decision,
    Derivation,
    QuotaResult,
    earliest_day,
    months_served,
    quotas_applying,
)
from thidua.evaluator.explain.worksheet import WorksheetBuilder
from thidua.evaluator.facts.reader import Entity
from thidua.evaluator.facts.table import MISSING
from thidua.evaluator.judgement import Frozen
from thidua.rules.criteria import PMembers, PMonths, ResolvedCriterion, negated_leaves
from thidua.rules.errors import Location
from thidua.rules.ruleset import RuleSet

OUTCOME_WORD: dict[bool | None, Literal["true", "false", "unknown"]] = {True: "true", False: "false", None: "unknown"}


class CriterionPlace(Frozen):
    file: str
    line: int = 0
    column: int = 0


class CriterionCheck(Frozen):
    """One condition of a criterion as it was applied to a group of entities."""

    subject: str  # attribute | title
    name: str
    label: str
    label_code: str | None = None  # criteria.check.members_share | members_count | months
    op: str
    sign: str
    expected: Any = None
    actual: Any = None
    outcome: Literal["true", "false", "unknown"]
    note: str | None = None  # missing, awaiting, derived_unknown, council_override, proposal_pending, ...
    by: str | None = None
    numerator: int | None = None  # members matching (shares and counts over members)
    denominator: int | None = None  # members considered
    unknown: int | None = None  # members whose outcome is unknown
    negated: bool = False  # the criterion requires this test to be false (written under `not`)
    derivation: Any = None  # DerivationNode: how the title this check reads was itself derived


class EntityBrief(Frozen):
    id: str
    name: str
    file: str | None = None
    line: int = 0


class DerivedGroup(Frozen):
    """Entities the criterion decided alike: same outcome, same recorded holding, same checks."""

    derived: Literal["true", "false", "unknown"]  # what the criteria say
    effective: str  # the state targets saw: decided, proposed, none, unknown (undecided or a quota candidate), refused
    source: Literal["recorded", "derived", "none"]  # recorded by a decision, added by the criteria, or neither
    recorded: dict[str, Any] | None = None  # state, decision, note, awaiting of the recorded holding
    finding: str | None = None  # unrecorded, unsupported, unconfirmed, refused, override
    override_note: str | None = None  # the council's note when it decided against the criteria
    count: int = 0
    entities: tuple[EntityBrief, ...] = ()
    hidden: int = 0
    checks: tuple[CriterionCheck, ...] = ()
    quotas: tuple[dict[str, Any], ...] = ()  # quota status where a quota limits the title


class DerivationNode(Frozen):
    """How a title was earned (or refused) by the criterion of the period, for some entities."""

    title: str
    title_label: str
    criterion: str
    criterion_title: str
    reference: str | None = None
    place: CriterionPlace | None = None
    groups: tuple[DerivedGroup, ...] = ()


class DerivationExplainer:
    """Builds derivation nodes from the run's own Derivation (never a second evaluation)."""

    def __init__(
        self, rules: RuleSet, derivation: Derivation, facts_index: Mapping[str, Entity], limit: int | None
    ) -> None:
        self.rules = rules
        self.derivation = derivation
        self.index = facts_index
        self.limit = limit
        self.sheet = WorksheetBuilder(rules, derivation)
        self.titles = derivation.titles
        self._check_cache: dict[tuple[int, str], tuple[CriterionCheck, ...]] = {}
        self._check_keys: dict[int, tuple[str, ...]] = {}
        self._served: dict[int, int] = {}  # months served to the period's end, per start date (ordinal)

    def node(self, title: str, entity_ids: Iterable[str], depth: int = 0) -> DerivationNode | None:
        """The derivation of `title` for the given entities, or None when no criterion decided it for them."""
        if title not in self.titles or depth > 10:
            return None
        decisions = [d for i in entity_ids if (d := self.derivation.lookup(i, title)) is not None]
        if not decisions:
            return None
        criterion = decisions[0].criterion
        buckets: dict[tuple[Any, ...], list[Decision]] = {}
        checks_of: dict[tuple[Any, ...], tuple[CriterionCheck, ...]] = {}
        for d in decisions:
            checks = self.checks(d, exact_months=False)
            key = (
                d.criterion.id,
                d.derived,
                self.effective(d),
                self._source(d),
                _recorded(d),
                d.finding,
                self._check_keys[id(checks)],
                self._quota_keys(d),
            )
            buckets.setdefault(key, []).append(d)
            checks_of[key] = checks
        groups = []
        order = {True: 0, None: 1, False: 2}
        for key in sorted(buckets, key=lambda k: order[k[1]]):
            members = buckets[key]
            first = members[0]
            ids = [d.entity.id for d in members]
            # Months are grouped as the derivation saw them (capped just above the threshold); what is
            # shown is the real number served: a group of one its own, a larger group the range of its people.
            own = (
                self.checks(first, exact_months=True)
                if len(members) == 1
                else self._months_range(checks_of[key], members)
            )
            checks = tuple(
                c.model_copy(update={"derivation": self.node(c.name, ids, depth + 1)}) if c.subject == "title" else c
                for c in own
            )
            shown = members if self.limit is None else members[: self.limit]
            rec = first.recorded
            groups.append(
                DerivedGroup(
                    derived=OUTCOME_WORD[first.derived],
                    effective=self.effective(first),
                    source=self._source(first),
                    recorded=_recorded_dict(first),
                    finding=first.finding,
                    override_note=rec.note if (first.finding == "override" and rec is not None) else None,
                    count=len(members),
                    entities=tuple(self.brief(d.entity) for d in shown),
                    hidden=len(members) - len(shown),
                    checks=checks,
                    quotas=tuple(self.quota_row(q) for q in self.quotas_for(first)),
                )
            )
        return DerivationNode(
            title=title,
            title_label=self.rules.titles[title].title,
            criterion=criterion.id,
            criterion_title=criterion.spec.title,
            reference=criterion.spec.reference,
            place=_place(criterion),
            groups=tuple(groups),
        )

    def quota_row(self, q: QuotaResult) -> dict[str, Any]:
        """The worksheet's quota row, its candidates capped like every list of the tree."""
        row = self.sheet.quota_row(q)
        if self.limit is not None and len(row["candidates"]) > self.limit:
            row["candidates_hidden"] = len(row["candidates"]) - self.limit
            row["candidates"] = row["candidates"][: self.limit]
        return row

    def effective(self, d: Decision) -> str:
        """The state targets saw: a derived holder over a quota, or a title the criteria left undecided, is unknown."""
        e = self.index.get(d.entity.id)
        h = e.holdings.get(d.criterion.title) if e is not None else None
        if h is not None:
            return h.state
        return d.effective

    def _source(self, d: Decision) -> Literal["recorded", "derived", "none"]:
        if d.recorded is not None:
            return "recorded"
        e = self.index.get(d.entity.id)
        h = e.holdings.get(d.criterion.title) if e is not None else None
        return "derived" if h is not None and h.source == "derived" else "none"

    def brief(self, e: Entity) -> EntityBrief:
        shown = self.index.get(e.id, e)
        loc = shown.loc
        return EntityBrief(id=e.id, name=e.name, file=loc.file if loc else None, line=loc.line if loc else 0)

    def checks(self, d: Decision, exact_months: bool) -> tuple[CriterionCheck, ...]:
        """The criterion's checks for one entity, with member counts (and the exact months served)."""
        cache_key = (id(d.checks), d.entity.id if (exact_months or d.counts) else "")
        cached = self._check_cache.get(cache_key)
        if cached is not None:
            return cached
        out = []
        negated = negated_leaves(d.criterion.pred)
        for c in d.checks:
            row = self.sheet.check(d.entity.kind, c, d.shown, (c.name, c.op) in negated)
            extra: dict[str, Any] = {}
            leaf = self.sheet.computed.get(c.name)
            if isinstance(leaf, PMonths) and exact_months:
                real = self._months(d.entity, leaf)
                if real is not None:
                    row["actual"] = real
            elif isinstance(leaf, PMembers) and c.name in d.counts:
                k, u, n = d.counts[c.name]
                extra = {"numerator": k, "denominator": n, "unknown": u}
            out.append(
                CriterionCheck(
                    subject=row["subject"],
                    name=row["name"],
                    label=row["label"],
                    label_code=row.get("label_code"),
                    op=row["op"],
                    sign=row["sign"],
                    expected=row["expected"],
                    actual=row["actual"],
                    outcome=row["outcome"],
                    note=row["note"],
                    by=row["by"],
                    negated=row["negated"],
                    **extra,
                )
            )
        result = tuple(out)
        self._check_cache[cache_key] = result
        self._check_keys[id(result)] = tuple(c.model_dump_json() for c in result)  # compared, once per distinct tuple
        return result

    def _months(self, e: Entity, leaf: PMonths) -> int | None:
        start = earliest_day([e.values.get(attr, MISSING) for attr in leaf.attrs])
        if start is None or self.derivation.period is None:
            return None
        months = self._served.get(start)
        if months is None:
            months = self._served[start] = months_served(dt.date.fromordinal(start), self.derivation.period)
        return months

    def _months_range(self, checks: tuple[CriterionCheck, ...], members: list[Decision]) -> tuple[CriterionCheck, ...]:
        """A group's checks with months served shown as the group's real range ("14–156"), not the cap."""
        out = []
        for c in checks:
            leaf = self.sheet.computed.get(c.name)
            if isinstance(leaf, PMonths):
                served = [m for d in members if (m := self._months(d.entity, leaf)) is not None]
                if served:
                    low, high = min(served), max(served)
                    c = c.model_copy(update={"actual": low if low == high else f"{low}–{high}"})
            out.append(c)
        return tuple(out)

    def quotas_for(self, d: Decision) -> list[QuotaResult]:
        """Quotas on the title that apply to this entity, when it holds or qualifies for the title."""
        quotas = self.derivation.quotas
        applying = quotas_applying(
            quotas, d.criterion.title, d.entity.kind, d.derived, d.effective, d.entity.values.get
        )
        return [quotas[i] for i in applying]

    def _quota_keys(self, d: Decision) -> tuple[tuple[str, str | None], ...]:
        return tuple((q.quota.spec.id, q.group) for q in self.quotas_for(d))


def _recorded(d: Decision) -> tuple[Any, ...] | None:
    r = d.recorded
    return None if r is None else (r.state, r.decision, r.note, r.awaiting)


def _recorded_dict(d: Decision) -> dict[str, Any] | None:
    r = d.recorded
    if r is None:
        return None
    return {
        k: v
        for k, v in {"state": r.state, "decision": r.decision, "note": r.note, "awaiting": r.awaiting}.items()
        if v is not None
    }


def _place(c: ResolvedCriterion) -> CriterionPlace | None:
    loc: Location = c.spec.location
    if loc.file == "?":
        return None
    return CriterionPlace(file=loc.file, line=loc.line, column=loc.column)


__all__ = ["CriterionCheck", "DerivationExplainer", "DerivationNode", "DerivedGroup"]
