"""Derives who earns which title from raw facts by forward chaining the criteria of the period."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, cast

from thidua.evaluator.engine.conditions import DERIVED, MISSING, Check, Explainer, Outcome, compare
from thidua.evaluator.engine.durable import DERIVED_STATE, ChainEngine, ChainSession, EngineError
from thidua.evaluator.facts.reader import Awaiting, Entity, FactBase, Holding
from thidua.rules.criteria import PMembers, PMonths, ResolvedCriterion, ResolvedQuota
from thidua.rules.ruleset import PAll, PAny, PAttr, PNot, Pred, PTitle, RuleSet, pred_features

COUNCIL = "Hội đồng Thi đua, Khen thưởng"
OVERRIDE = "override:"
MONTHS_CAP_EXTRA = 1


# --- lowering: member aggregates and months become comparisons on computed attributes -----


def lower(pred: Any) -> Pred:
    """The condition with every PMembers/PMonths leaf replaced by a PAttr on its computed key."""
    if isinstance(pred, (PMembers, PMonths)):
        value: Any = float(pred.value) if isinstance(pred, PMembers) else pred.value
        return PAttr(pred.key, pred.op, value, pred.shown, pred.loc)
    if isinstance(pred, PAll):
        return PAll(tuple(lower(i) for i in pred.items))
    if isinstance(pred, PAny):
        return PAny(tuple(lower(i) for i in pred.items))
    if isinstance(pred, PNot):
        return PNot(lower(pred.item))
    return cast(Pred, pred)


def computed_leaves(pred: Any) -> list[PMembers | PMonths]:
    if isinstance(pred, (PMembers, PMonths)):
        return [pred]
    if isinstance(pred, (PAll, PAny)):
        return [leaf for i in pred.items for leaf in computed_leaves(i)]
    if isinstance(pred, PNot):
        return computed_leaves(pred.item)
    return []


def months_served(start: dt.date, period: int) -> int:
    """Whole months from `start` to the end of the period (31 December): 1 March -> 10."""
    end = dt.date(period + 1, 1, 1)
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if start.day > end.day:
        months -= 1
    return months


def apply_rounding(value: Fraction, rounding: str) -> int:
    if rounding == "floor":
        return math.floor(value)
    if rounding == "ceil":
        return math.ceil(value)
    return math.floor(value + Fraction(1, 2))  # half up, as people count


# --- results ------------------------------------------------------------------------------


@dataclass
class Decision:
    """One criterion applied to one entity: the derived outcome, the recorded holding, the checks."""

    criterion: ResolvedCriterion
    entity: Entity
    derived: Outcome
    checks: list[Check]
    shown: dict[str, str]  # computed key -> display (e.g. "3/4")
    recorded: Holding | None
    finding: str | None = None  # unrecorded, unsupported, unconfirmed, override
    counts: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # member key -> (matching, unknown, of)

    @property
    def effective(self) -> str:
        if self.recorded is not None:
            return self.recorded.state
        return DERIVED_STATE[{True: "T", False: "F", None: "U"}[self.derived]]


@dataclass
class QuotaResult:
    quota: ResolvedQuota
    group: str | None  # the value of `per`, None for the whole organization
    base: int  # holders of the title the cap is a share of
    base_unknown: int
    cap: int | None  # None while the range of the base gives different caps
    holders: list[Entity]  # who holds or qualifies for the limited title
    status: str  # within, breach, pending
    cap_low: int = 0  # the cap over the range of the base (equal when the cap is known)
    cap_high: int = 0
    decided: list[Entity] = field(default_factory=list)  # holders whose decision the facts record

    @property
    def candidates(self) -> list[Entity]:
        """The holders the council still has to choose among: those without a recorded decision."""
        recorded = {e.id for e in self.decided}
        return [e for e in self.holders if e.id not in recorded]

    @property
    def over_decided(self) -> bool:
        """More recorded decisions than the cap can allow: a finding, whatever the criteria say."""
        return len(self.decided) > self.cap_high


@dataclass
class Derivation:
    period: int | None
    criteria: list[ResolvedCriterion] = field(default_factory=list)  # active, in the order applied
    decisions: list[Decision] = field(default_factory=list)
    quotas: list[QuotaResult] = field(default_factory=list)
    facts: FactBase | None = None  # the facts with derived titles added, for targets

    def findings(self) -> list[Decision]:
        return [d for d in self.decisions if d.finding is not None]


# --- the explainer of criteria -------------------------------------------------------------


class CriteriaExplainer(Explainer):
    """The condition explainer, aware of derived-unknown title states and of computed values."""

    def __init__(self, rules: RuleSet, kind: str, labels: dict[str, str]) -> None:
        super().__init__(rules, kind)
        self.labels = labels

    def display(self, attr: str, encoded: Any) -> Any:
        if attr.startswith("_"):
            return encoded
        return super().display(attr, encoded)

    def _title(self, p: PTitle, held: tuple[Any, ...], checks: list[Check]) -> Outcome:
        state, by = held[0], held[1]
        if state == "unknown":
            checks.append(Check("title", p.title, "has_title", p.state, state, None, "derived_unknown"))
            return None
        if by is not None and by.startswith(OVERRIDE):
            outcome = super()._title(p, (state, None), checks)
            checks[-1] = replace(checks[-1], note="council_override", by=by[len(OVERRIDE) :])
            return outcome
        return super()._title(p, held, checks)


# --- derivation -----------------------------------------------------------------------------


def order_segments(
    criteria: list[ResolvedCriterion], cut_after: frozenset[str] | set[str] = frozenset()
) -> list[list[ResolvedCriterion]]:
    """Dependency order that keeps criteria of one kind together, cut into runs of one kind.

    A run also ends after a criterion whose title a quota limits: the quota is checked there, before
    the criteria that read that title, so they see a breach (candidates, not holders).
    """
    earners: dict[str, set[str]] = {}
    for c in criteria:
        earners.setdefault(c.title, set()).add(c.id)
    deps = {c.id: {e for t in c.reads for e in earners.get(t, set()) if e != c.id} for c in criteria}
    done: set[str] = set()
    order: list[ResolvedCriterion] = []
    current: str | None = None
    while len(order) < len(criteria):
        ready = [c for c in criteria if c.id not in done and deps[c.id] <= done]
        if not ready:  # pragma: no cover - cycles are load-time errors
            break
        pick = next((c for c in ready if c.kind == current), ready[0])
        order.append(pick)
        done.add(pick.id)
        current = pick.kind
    segments: list[list[ResolvedCriterion]] = []
    closed = False
    for c in order:
        if segments and segments[-1][0].kind == c.kind and not closed:
            segments[-1].append(c)
        else:
            segments.append([c])
        closed = c.title in cut_after
    return segments


_CHAINS: dict[str, ChainEngine] = {}


class Deriver:
    def __init__(self, rules: RuleSet, facts: FactBase) -> None:
        self.rules = rules
        self.facts = facts
        self.period = facts.period if facts.period is not None else rules.period
        crit = rules.criteria
        self.criteria = crit.active(self.period) if crit is not None else []
        self.quotas = crit.active_quotas(self.period) if crit is not None else []
        self.segments = order_segments(self.criteria, {q.spec.limits for q in self.quotas})
        self.lowered = {c.id: lower(c.pred) for c in self.criteria}
        # entity id -> title -> effective state ("decided", "none", "unknown", "proposed", "refused")
        self.state: dict[str, dict[str, str]] = {}
        for kind in rules.kinds:
            for e in facts.of(kind):
                self.state[e.id] = {t: h.state for t, h in e.holdings.items()}
        self.overrides: dict[tuple[str, str], str] = {}  # (entity, title) -> the council's note
        self._members: dict[tuple[str, str], dict[str, list[Entity]]] = {}
        self._member_cache: dict[str, dict[tuple[Any, ...], Outcome]] = {}
        self._features: dict[str, list[tuple[str, str]]] = {}  # member-condition key -> the features it reads
        self.counts: dict[
            str, dict[str, tuple[int, int, int]]
        ] = {}  # entity -> member key -> (k, u, n), for explanations

    def engine(self) -> ChainEngine:
        segments = [[(c.title, self.lowered[c.id]) for c in seg] for seg in self.segments]
        locations = [[c.spec.location for c in seg] for seg in self.segments]
        chain = ChainEngine(segments, locations)
        return _CHAINS.setdefault(chain.key, chain)

    def run(self) -> Derivation:
        out = Derivation(self.period, [c for seg in self.segments for c in seg])
        if self.criteria:
            with self.engine().session() as session:
                for si, segment in enumerate(self.segments):
                    decisions = self.segment(session, si, segment)
                    out.decisions.extend(decisions)
                    derived = {c.title for c in segment}
                    for quota in self.quotas:
                        if quota.spec.limits in derived:
                            out.quotas.extend(self.apply_quota(quota, decisions))
        done = {q.quota.spec.id for q in out.quotas}
        out.quotas.extend(q for quota in self.quotas if quota.spec.id not in done for q in self.quota(quota))
        out.facts = self.facts_for_targets(out)
        return out

    # --- one segment ------------------------------------------------------------------------

    def title_state(self, e: Entity, title: str) -> str:
        return self.state.get(e.id, {}).get(title, "none")

    def computed(self, e: Entity, leaf: PMembers | PMonths) -> tuple[Any, str]:
        """The value of a computed leaf for one entity (MISSING when unknown) and how to show it."""
        if isinstance(leaf, PMonths):
            raw = e.values.get(leaf.attr, MISSING)
            if raw == MISSING or isinstance(raw, Awaiting) or self.period is None:
                return MISSING, "?"
            months = months_served(dt.date.fromordinal(raw), self.period)
            cap = leaf.value + MONTHS_CAP_EXTRA
            return (min(months, cap), f"≥{cap}" if months >= cap else str(months))
        if leaf.via:
            members = self.members_of(leaf.of, leaf.via).get(e.id, [])
        else:  # the organization as a whole: every entity of the kind is a member
            members = self.facts.of(leaf.of)
        k = u = n = 0
        for m in members:
            if leaf.where is not None:
                w = self.member_outcome(leaf.key + ".where", leaf.of, leaf.where, m)
                if w is False:
                    continue
                if w is None:
                    u += 1
                    n += 1
                    continue
            n += 1
            o = self.member_outcome(leaf.key, leaf.of, leaf.matching, m)
            k += o is True
            u += o is None
        self.counts.setdefault(e.id, {})[leaf.key] = (k, u, n)
        if leaf.measure == "count":
            low, high = Fraction(k), Fraction(k + u)
            text = str(k) if u == 0 else f"{k}–{k + u}"
        else:
            if n == 0:
                return MISSING, "0/0"
            low, high = Fraction(k, n), Fraction(k + u, n)
            text = f"{k}/{n} ({float(low) * 100:.0f}%)" if u == 0 else f"{k}–{k + u}/{n}"
        if compare(leaf.op, low, leaf.value) != compare(leaf.op, high, leaf.value):
            return MISSING, text
        return float(low), text

    def members_of(self, kind: str, via: str) -> dict[str, list[Entity]]:
        """Members of each entity, by the value of their attribute `via` (indexed once)."""
        key = (kind, via)
        if key not in self._members:
            index: dict[str, list[Entity]] = {}
            for m in self.facts.of(kind):
                value = m.values.get(via)
                if isinstance(value, str):
                    index.setdefault(value, []).append(m)
            self._members[key] = index
        return self._members[key]

    def member_outcome(self, key: str, kind: str, pred: Pred, m: Entity) -> Outcome:
        """A member condition's outcome; members with the same signature share it (computed once)."""
        features = self._features.get(key)
        if features is None:
            features = self._features[key] = pred_features(pred)
        sig = tuple(self.feature_value(m, f) for f in features)
        cache = self._member_cache.setdefault(key, {})
        if sig not in cache:
            cache[sig] = CriteriaExplainer(self.rules, kind, {}).evaluate(pred, features, sig)[0]
        return cache[sig]

    def explain(self, explainer: Explainer, pred: Pred, e: Entity) -> tuple[Outcome, list[Check]]:
        features = pred_features(pred)
        sig = tuple(self.feature_value(e, f) for f in features)
        return explainer.evaluate(pred, features, sig)

    def feature_value(self, e: Entity, feature: tuple[str, str]) -> Any:
        kind, name = feature
        if kind == "a":
            return e.values.get(name, MISSING)
        h = e.holdings.get(name)
        override = self.overrides.get((e.id, name))
        if override is not None:
            return (self.title_state(e, name), OVERRIDE + override)
        state = self.title_state(e, name)
        if h is None and state == "proposed":
            return (state, COUNCIL, DERIVED)  # a candidate over a quota: the council has to choose
        if h is None and state == "decided":
            return (state, None, DERIVED)  # granted by the criteria, not recorded: reasons say so
        return (state, h.awaiting if h is not None else None)

    def segment(self, session: ChainSession, si: int, segment: list[ResolvedCriterion]) -> list[Decision]:
        kind = segment[0].kind
        entities = self.facts.of(kind)
        own_titles = [c.title for c in segment]
        features: list[tuple[str, str]] = []
        leaves: list[PMembers | PMonths] = []
        for c in segment:
            for f in pred_features(self.lowered[c.id]):
                if f not in features and not (f[0] == "t" and f[1] in own_titles):
                    features.append(f)
            leaves.extend(computed_leaves(c.pred))
        computed_keys = {leaf.key for leaf in leaves}
        groups: dict[tuple[Any, ...], list[Entity]] = {}
        shown: dict[str, dict[str, str]] = {}
        values: dict[str, dict[tuple[str, str], Any]] = {}
        for e in entities:
            vals: dict[tuple[str, str], Any] = {}
            shown[e.id] = {}
            for leaf in leaves:
                vals[("a", leaf.key)], shown[e.id][leaf.key] = self.computed(e, leaf)
            for f in features:
                if not (f[0] == "a" and f[1] in computed_keys):
                    vals[f] = self.feature_value(e, f)
            recorded = tuple(self.title_state(e, t) for t in own_titles)
            values[e.id] = vals
            notes = tuple(e.holdings[t].note if t in e.holdings else None for t in own_titles)  # an override's note
            sig = tuple(vals[f] for f in features) + recorded + notes + tuple(shown[e.id][k.key] for k in leaves)
            groups.setdefault(sig, []).append(e)
        profiles = []
        reps = []
        for members in groups.values():
            rep = members[0]
            prof: dict[str, Any] = {}
            for (fk, name), value in values[rep.id].items():
                if fk == "a":
                    if value != MISSING and not isinstance(value, Awaiting):
                        prof["a_" + name] = value
                else:
                    prof["t_" + name] = value[0]
            for t in own_titles:
                prof["r_" + t] = self.title_state(rep, t)
            profiles.append(prof)
            reps.append(rep)
        outcomes = session.run_segment(si, len(segment), profiles)
        decisions: list[Decision] = []
        for gi, (rep, members) in enumerate(zip(reps, groups.values(), strict=True)):
            vals = dict(values[rep.id])
            for stage, c in enumerate(segment):
                explainer = CriteriaExplainer(self.rules, kind, {})
                pred = self.lowered[c.id]
                feats = pred_features(pred)
                sig = tuple(vals[f] if f in vals else (self.title_state(rep, f[1]), None) for f in feats)
                explained, checks = explainer.evaluate(pred, feats, sig)
                engine_said = outcomes[gi][stage]
                if explained is not engine_said:
                    raise EngineError(f"criterion {c.id}: engine said {engine_said}, explanation says {explained}")
                for e in members:
                    d = Decision(
                        c,
                        e,
                        engine_said,
                        checks,
                        shown[e.id],
                        e.holdings.get(c.title),
                        counts=self.counts.get(e.id, {}),
                    )
                    d.finding = finding(d)
                    decisions.append(d)
                    self.state.setdefault(e.id, {})[c.title] = d.effective
                    if d.finding == "override" and d.recorded is not None and d.recorded.note:
                        self.overrides[(e.id, c.title)] = d.recorded.note
                vals[("t", c.title)] = self.feature_value(rep, ("t", c.title))
        return decisions

    # --- quotas and the facts targets see ------------------------------------------------------

    def quota(self, q: ResolvedQuota) -> list[QuotaResult]:
        spec = q.spec
        entities = self.facts.of(spec.of)
        groups: dict[str | None, list[Entity]] = {}
        for e in entities:
            key = str(e.values.get(spec.per)) if spec.per is not None else None
            groups.setdefault(key, []).append(e)
        out = []
        for key, members in groups.items():
            base = sum(1 for e in members if self.title_state(e, spec.at_most.of_title) == "decided")
            unknown = sum(1 for e in members if self.title_state(e, spec.at_most.of_title) in ("unknown", "proposed"))
            holders = [e for e in members if self.title_state(e, spec.limits) == "decided"]
            decided = [e for e in holders if (h := e.holdings.get(spec.limits)) is not None and h.source != DERIVED]
            # the cap over the range of the base: 15% of 15 and of 16 both give 2, a known cap
            cap_low = apply_rounding(q.share * base, spec.rounding)
            cap_high = apply_rounding(q.share * (base + unknown), spec.rounding)
            if len(holders) > cap_high:
                status = "breach"
            elif len(holders) <= cap_low:
                status = "within"
            else:
                status = "pending"
            cap = cap_low if cap_low == cap_high else None
            out.append(QuotaResult(q, key, base, unknown, cap, holders, status, cap_low, cap_high, decided))
        return out

    def apply_quota(self, quota: ResolvedQuota, decisions: list[Decision]) -> list[QuotaResult]:
        """Check a quota as soon as its title is derived; on a breach, derived holders become candidates."""
        results = self.quota(quota)
        breached = {e.id for r in results if r.status == "breach" for e in r.holders}
        for d in decisions:
            if d.criterion.title == quota.spec.limits and d.entity.id in breached and d.recorded is None:
                self.state[d.entity.id][d.criterion.title] = "proposed"
        return results

    def facts_for_targets(self, d: Derivation) -> FactBase:
        """Recorded titles stay as the council recorded them; derived ones are added, marked derived.

        A title the criteria leave undecided reaches the targets as `unknown` (docs/criteria.md's
        three-valued rule), never as "not held": a value the criteria need is missing, or, when a quota
        is breached, the derived holder is only a candidate awaiting the council's choice. Targets
        reading it give ranges and pending verdicts.
        """
        breached = {(q.quota.spec.limits, e.id) for q in d.quotas if q.status == "breach" for e in q.holders}
        added: dict[str, dict[str, Holding]] = {}
        for dec in d.decisions:
            if dec.recorded is not None or dec.derived is False:
                continue
            candidate = (dec.criterion.title, dec.entity.id) in breached
            state = "decided" if dec.derived is True and not candidate else "unknown"
            added.setdefault(dec.entity.id, {})[dec.criterion.title] = Holding(
                dec.criterion.title,
                state,
                awaiting=COUNCIL if candidate else None,
                note=f"derived: {dec.criterion.id}",
                source="derived",
            )
        if not added:
            return self.facts
        entities = {
            kind: [replace(e, holdings={**e.holdings, **added.get(e.id, {})}) if e.id in added else e for e in items]
            for kind, items in self.facts.entities.items()
        }
        return FactBase(self.facts.period, entities, files=self.facts.files, digest=self.facts.digest)


def finding(d: Decision) -> str | None:
    """Where the recorded title and the derivation disagree (never resolved silently)."""
    rec = d.recorded
    if rec is None:
        return "unrecorded" if d.derived is True else None
    if rec.state == "decided" and d.derived is False:
        return "override" if rec.note else "unsupported"
    if rec.state == "refused" and d.derived is True:
        return "override" if rec.note else "refused"
    if rec.state == "decided" and d.derived is None:
        return "unconfirmed"
    return None


def derive(rules: RuleSet, facts: FactBase) -> Derivation:
    """Apply the criteria and quotas of the facts' period; returns decisions, quotas and the facts for targets."""
    return Deriver(rules, facts).run()


__all__ = ["Decision", "Derivation", "QuotaResult", "derive", "months_served", "apply_rounding"]
