"""Derives who earns which title from raw facts by forward chaining the criteria of the period."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, NamedTuple, cast

import numpy as np
import numpy.typing as npt

from thidua.evaluator.engine.conditions import MISSING, Check, Explainer, Outcome, compare
from thidua.evaluator.engine.durable import DERIVED_STATE, ChainEngine, ChainSession, EngineError
from thidua.evaluator.facts.reader import Awaiting, Entity, FactBase, Holding
from thidua.evaluator.facts.table import DERIVED, NO_TITLE, Codes, Column, Table, group_columns
from thidua.rules.criteria import PMembers, PMonths, ResolvedCriterion, ResolvedQuota
from thidua.rules.periods import Period
from thidua.rules.regime import decision_date
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


def months_served(start: dt.date, period: Period) -> int:
    """Whole months from `start` to the end of the period (31 December of a year, 31 May of a school
    year): 1 March 2022 -> 10 in 2022, 1 December 2023 -> 6 in 2023-2024."""
    end = period.after_end
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if start.day > end.day:
        months -= 1
    return months


def earliest_day(raws: Sequence[Any]) -> int | None:
    """The earliest of some date values (ordinals) the facts give, the start of continuous service;
    None when none is given or one is awaited (it could be earlier)."""
    if any(isinstance(raw, Awaiting) for raw in raws):
        return None
    days = [raw for raw in raws if raw != MISSING and isinstance(raw, int)]
    return min(days) if days else None


def apply_rounding(value: Fraction, rounding: str) -> int:
    if rounding == "floor":
        return math.floor(value)
    if rounding == "ceil":
        return math.ceil(value)
    return math.floor(value + Fraction(1, 2))  # half up, as people count


# --- results ------------------------------------------------------------------------------

STATES = ("none", "decided", "proposed", "refused", "unknown")  # a title's state, as a code in a state column
STATE_CODE = {s: i for i, s in enumerate(STATES)}
NONE, DECIDED, PROPOSED, REFUSED, UNKNOWN = range(len(STATES))
OUTCOME_CODE: dict[Outcome, int] = {True: DECIDED, False: NONE, None: UNKNOWN}  # DERIVED_STATE, as codes
NO_ROWS: Codes = np.zeros(0, dtype=np.int32)


@dataclass
class Decision:
    """One criterion applied to one entity: the derived outcome, the recorded holding, the checks.

    Built on demand from the group the entity was decided in (`Derivation.decisions_of`, `lookup`)."""

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
        return effective_state(self.recorded, self.derived)


def effective_state(recorded: Holding | None, derived: Outcome) -> str:
    """The state of a title the targets see for one decision: the council's record, else the
    criteria's outcome (decided, none, or unknown)."""
    if recorded is not None:
        return recorded.state
    return DERIVED_STATE[{True: "T", False: "F", None: "U"}[derived]]


def quotas_applying(
    quotas: Sequence[QuotaResult],
    title: str,
    kind: str,
    derived: Outcome,
    effective: str,
    value: Callable[[str], Any],
) -> list[int]:
    """Positions of the quotas that apply to one decision on `title` for an entity of `kind`: only
    when it holds or qualifies for the title, and for a quota counted `per` an attribute only the
    quota of its own group (`value(attr)` its value, None when missing). The one rule for the
    explanation and for the outcome table."""
    if derived is not True and effective not in ("decided", "proposed"):
        return []
    out = []
    for i, q in enumerate(quotas):
        spec = q.quota.spec
        if spec.limits != title or spec.of != kind:
            continue
        if spec.per is not None and str(value(spec.per)) != q.group:
            continue
        out.append(i)
    return out


@dataclass
class DecisionGroup:
    """One criterion applied to the entities of one signature: one outcome, one set of checks, one finding.

    The entities are rows of the kind's table, in file order; everything a decision depends on (the
    values read, the recorded state and note of the title) is part of the signature, so it is the
    same for every row."""

    criterion: ResolvedCriterion
    kind: str
    rows: Codes
    derived: Outcome
    checks: list[Check]
    shown: dict[str, str]  # computed key -> display (e.g. "3/4")
    finding: str | None = None


class Named(NamedTuple):
    """Who holds a title a quota limits: enough to list the council's candidates."""

    id: str
    name: str


@dataclass
class QuotaResult:
    quota: ResolvedQuota
    group: str | None  # the value of `per`, None for the whole organization
    base: int  # holders of the title the cap is a share of
    base_unknown: int
    cap: int | None  # None while the range of the base gives different caps
    holder_rows: Codes  # who holds or qualifies for the limited title (rows of the kind's table)
    status: str  # within, breach, pending
    cap_low: int = 0  # the cap over the range of the base (equal when the cap is known)
    cap_high: int = 0
    decided_rows: Codes = field(default_factory=lambda: NO_ROWS)  # holders whose decision the facts record
    table: Table | None = None

    def _named(self, rows: Codes) -> list[Named]:
        assert self.table is not None
        return [Named(self.table.ids[r], self.table.names[r]) for r in rows.tolist()]

    @property
    def holders(self) -> list[Named]:
        return self._named(self.holder_rows)

    @property
    def decided(self) -> list[Named]:
        return self._named(self.decided_rows)

    @property
    def candidates(self) -> list[Named]:
        """The holders the council still has to choose among: those without a recorded decision."""
        return self._named(np.setdiff1d(self.holder_rows, self.decided_rows, assume_unique=True))

    @property
    def over_decided(self) -> bool:
        """More recorded decisions than the cap can allow: a finding, whatever the criteria say."""
        return len(self.decided_rows) > self.cap_high


@dataclass
class Derivation:
    period: Period | None
    criteria: list[ResolvedCriterion] = field(default_factory=list)  # active, in the order applied
    groups: list[DecisionGroup] = field(default_factory=list)  # in the order decided
    quotas: list[QuotaResult] = field(default_factory=list)
    facts: FactBase | None = None  # the facts with derived titles added, for targets
    raw: FactBase | None = None  # the facts as read: recorded holdings, entities by row
    counts: dict[str, dict[str, tuple[Codes, Codes, Codes]]] = field(default_factory=dict)  # kind -> key -> k, u, n
    group_of: dict[str, Codes] = field(default_factory=dict)  # criterion id -> row -> index in groups, -1
    # decisions given one by one instead of groups: a derivation rebuilt for a few entities from a
    # recorded run's outcome table (evaluator/audit/recorded.py)
    listed: list[Decision] | None = None

    @property
    def titles(self) -> set[str]:
        """The titles this derivation decided."""
        if self.listed is not None:
            return {d.criterion.title for d in self.listed}
        return {g.criterion.title for g in self.groups}

    def decision(self, gi: int, row: int) -> Decision:
        """The decision of group `gi` for one of its rows, as a per-entity object."""
        g = self.groups[gi]
        assert self.raw is not None
        entity = self.raw.entity(g.kind, row)
        counts = {
            key: (int(k[row]), int(u[row]), int(n[row])) for key, (k, u, n) in self.counts.get(g.kind, {}).items()
        }
        return Decision(
            g.criterion, entity, g.derived, g.checks, g.shown, entity.holdings.get(g.criterion.title), g.finding, counts
        )

    def _expand(self, groups: Iterable[tuple[int, DecisionGroup]]) -> list[Decision]:
        return [self.decision(gi, row) for gi, g in groups for row in g.rows.tolist()]

    def decisions_of(self, criterion: str) -> list[Decision]:
        """Every entity's decision under one criterion, in the order decided (group by group)."""
        if self.listed is not None:
            return [d for d in self.listed if d.criterion.id == criterion]
        return self._expand((gi, g) for gi, g in enumerate(self.groups) if g.criterion.id == criterion)

    @property
    def decisions(self) -> list[Decision]:
        """Every decision, one per entity per criterion (built on demand: prefer `groups`)."""
        if self.listed is not None:
            return list(self.listed)
        return self._expand(enumerate(self.groups))

    def lookup(self, entity_id: str, title: str) -> Decision | None:
        """The decision that gave `title` to one entity (the last criterion of the title that decided it)."""
        if self.listed is not None:
            found = [d for d in self.listed if d.entity.id == entity_id and d.criterion.title == title]
            return found[-1] if found else None
        assert self.raw is not None
        for c in reversed(self.criteria):
            if c.title != title or c.id not in self.group_of:
                continue
            row = self.raw.table(c.kind).row(entity_id)
            if row is not None and (gi := int(self.group_of[c.id][row])) >= 0:
                return self.decision(gi, row)
        return None

    def finding_groups(self) -> list[DecisionGroup]:
        return [g for g in self.groups if g.finding is not None]

    def findings(self) -> list[Decision]:
        if self.listed is not None:
            return [d for d in self.listed if d.finding is not None]
        return self._expand((gi, g) for gi, g in enumerate(self.groups) if g.finding is not None)


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


def mapped(codes: Codes, values: Sequence[Any]) -> Column:
    """A column from codes into values that may repeat: one code per distinct value, in order."""
    index: dict[Any, int] = {}
    remap = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int32, count=len(values))
    return Column(remap[codes] if len(values) else codes.astype(np.int32), list(index))


def _outcome_codes(outcome: Outcome) -> int:
    return 1 if outcome is True else (0 if outcome is False else -1)


class Deriver:
    """Forward chaining over the columns of the facts: a state column per title, group by group.

    Every value a criterion reads (attributes, title states, months served, member aggregates) is a
    column; rows sharing all of them form a signature group; the engine decides each group once and
    the explainer checks it; the title's state column takes the outcome by a masked assignment."""

    def __init__(self, rules: RuleSet, facts: FactBase) -> None:
        self.rules = rules
        self.facts = facts
        self.period = facts.period if facts.period is not None else rules.period
        self.decided_on = decision_date(rules, self.period)[0]  # chooses the criteria in force (rules/regime.py)
        crit = rules.criteria
        self.criteria = crit.active(self.decided_on) if crit is not None else []
        self.quotas = crit.active_quotas(self.decided_on) if crit is not None else []
        self.segments = order_segments(self.criteria, {q.spec.limits for q in self.quotas})
        self.lowered = {c.id: lower(c.pred) for c in self.criteria}
        self.tables = {kind: facts.table(kind) for kind in rules.kinds}
        # (kind, title) -> effective state per row (a code of STATES): recorded, then as derived
        self._states: dict[tuple[str, str], npt.NDArray[np.int8]] = {}
        self._recorded: dict[tuple[str, str], npt.NDArray[np.int8]] = {}  # the recorded holding's state, -1: none
        self._notes: dict[tuple[str, str], Column] = {}  # the recorded holding's note
        self._held: dict[tuple[str, str], Column] = {}
        self.overridden: dict[tuple[str, str], npt.NDArray[np.bool_]] = {}  # the council decided against
        self._member_cache: dict[str, dict[tuple[Any, ...], Outcome]] = {}
        self._features: dict[str, list[tuple[str, str]]] = {}  # member-condition key -> the features it reads
        self.counts: dict[str, dict[str, tuple[Codes, Codes, Codes]]] = {}  # kind -> member key -> k, u, n per row
        self.groups: list[DecisionGroup] = []
        self.group_of: dict[str, Codes] = {}

    def engine(self) -> ChainEngine:
        segments = [[(c.title, self.lowered[c.id]) for c in seg] for seg in self.segments]
        locations = [[c.spec.location for c in seg] for seg in self.segments]
        chain = ChainEngine(segments, locations)
        return _CHAINS.setdefault(chain.key, chain)

    def run(self) -> Derivation:
        out = Derivation(self.period, [c for seg in self.segments for c in seg], raw=self.facts)
        if self.criteria:
            with self.engine().session() as session:
                for si, segment in enumerate(self.segments):
                    first = len(self.groups)
                    self.segment(session, si, segment)
                    derived = {c.title for c in segment}
                    for quota in self.quotas:
                        if quota.spec.limits in derived:
                            out.quotas.extend(self.apply_quota(quota, self.groups[first:]))
        done = {q.quota.spec.id for q in out.quotas}
        out.quotas.extend(q for quota in self.quotas if quota.spec.id not in done for q in self.quota(quota))
        out.groups, out.counts, out.group_of = self.groups, self.counts, self.group_of
        out.facts = self.facts_for_targets(out)
        return out

    # --- columns: what a condition reads, as it stands now -----------------------------------

    def table(self, kind: str) -> Table:
        table = self.tables.get(kind)
        if table is None:
            table = self.tables[kind] = self.facts.table(kind)
        return table

    def held(self, kind: str, title: str) -> Column:
        """The recorded holdings of `title` (held tuples, NO_TITLE where not held)."""
        key = (kind, title)
        if key not in self._held:
            self._held[key] = self.table(kind).column(("t", title))
        return self._held[key]

    def recorded(self, kind: str, title: str) -> npt.NDArray[np.int8]:
        key = (kind, title)
        if key not in self._recorded:
            col = self.held(kind, title)
            lut = np.array([-1 if v == NO_TITLE else STATE_CODE[v[0]] for v in col.values], dtype=np.int8)
            self._recorded[key] = lut[col.codes] if len(lut) else np.full(len(col.codes), -1, dtype=np.int8)
        return self._recorded[key]

    def state(self, kind: str, title: str) -> npt.NDArray[np.int8]:
        key = (kind, title)
        if key not in self._states:
            rec = self.recorded(kind, title)
            self._states[key] = np.where(rec < 0, np.int8(NONE), rec).astype(np.int8)
        return self._states[key]

    def notes(self, kind: str, title: str) -> Column:
        """The note of each recorded holding of `title` (None without one): the council's reason."""
        key = (kind, title)
        if key not in self._notes:
            codes = np.zeros(len(self.table(kind)), dtype=np.int32)
            index: dict[Any, int] = {None: 0}
            for row, h in self.table(kind).holdings.get(title, {}).items():
                if h.note:
                    codes[row] = index.setdefault(h.note, len(index))
            self._notes[key] = Column(codes, list(index))
        return self._notes[key]

    @staticmethod
    def title_value(state: str, held: tuple[Any, ...]) -> tuple[Any, ...]:
        """What a condition reads of a title: its current state, and whether the criteria gave it."""
        if held == NO_TITLE:
            if state == "proposed":
                return (state, COUNCIL, DERIVED)  # a candidate over a quota: the council has to choose
            if state == "decided":
                return (state, None, DERIVED)  # granted by the criteria, not recorded: reasons say so
            return (state, None)
        return (state, held[1])

    def title_column(self, kind: str, title: str) -> Column:
        st = self.state(kind, title)
        col = self.held(kind, title)
        size = max(len(col.values), 1)
        uniq, inverse = np.unique(st.astype(np.int64) * size + col.codes, return_inverse=True)
        values = [self.title_value(STATES[int(u) // size], col.values[int(u) % size]) for u in uniq]
        codes = inverse.reshape(-1).astype(np.int32)
        ov = self.overridden.get((kind, title))
        if ov is not None and ov.any():
            notes = self.notes(kind, title)
            values = list(values)
            for row in np.flatnonzero(ov).tolist():
                codes[row] = len(values)
                values.append((STATES[st[row]], OVERRIDE + notes.value(row)))
        return mapped(codes, values)

    def title_at(self, kind: str, title: str, row: int) -> tuple[Any, ...]:
        """`title_column(kind, title).value(row)` for one row."""
        state = STATES[self.state(kind, title)[row]]
        ov = self.overridden.get((kind, title))
        if ov is not None and ov[row]:
            return (state, OVERRIDE + self.notes(kind, title).value(row))
        return self.title_value(state, self.held(kind, title).value(row))

    def column(self, kind: str, feature: tuple[str, str]) -> Column:
        if feature[0] == "a":
            return self.table(kind).column(feature)
        return self.title_column(kind, feature[1])

    # --- computed values: months served and member aggregates -----------------------------------

    def months(self, leaf: PMonths, raws: Sequence[Any]) -> tuple[Any, str]:
        start = earliest_day(raws)
        if start is None or self.period is None:
            return MISSING, "?"
        months = months_served(dt.date.fromordinal(start), self.period)
        cap = leaf.value + MONTHS_CAP_EXTRA
        return (min(months, cap), f"≥{cap}" if months >= cap else str(months))

    def measure(self, leaf: PMembers, k: int, u: int, n: int) -> tuple[Any, str]:
        """A member aggregate's value (MISSING when the unknown members could change the outcome) and text."""
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

    def computed(self, kind: str, leaf: PMembers | PMonths) -> Column:
        """A computed leaf over every row of `kind`: values (value or MISSING, how to show it)."""
        table = self.table(kind)
        if isinstance(leaf, PMonths):
            cols = [table.column(("a", attr)) for attr in leaf.attrs]
            # a date nobody wrote changes no earliest day: left out, most rosters group on one column
            cols = [c for c in cols if c.values != [MISSING]] or cols[:1]
            if len(cols) == 1:
                return mapped(cols[0].codes, [self.months(leaf, (v,)) for v in cols[0].values])
            groups = group_columns(cols, np.arange(len(table), dtype=np.int32))
            values = [self.months(leaf, key) for key in groups.keys]
            return mapped(groups.inverse.astype(np.int32), values)
        k, u, n = self.member_counts(kind, leaf)
        self.counts.setdefault(kind, {})[leaf.key] = (k, u, n)
        m = int(n.max()) + 1 if len(n) else 1
        uniq, inverse = np.unique((k * m + u) * m + n, return_inverse=True)
        values = [self.measure(leaf, int(x) // (m * m), int(x) // m % m, int(x) % m) for x in uniq]
        return mapped(inverse.reshape(-1).astype(np.int32), values)

    def member_counts(self, kind: str, leaf: PMembers) -> tuple[Codes, Codes, Codes]:
        """Per row of `kind`: members matching, members unknown, members considered (k, u, n)."""
        size = len(self.table(kind))
        members = self.table(leaf.of)
        if leaf.via:
            unit = self.unit_rows(kind, leaf.of, leaf.via)
            rows = np.flatnonzero(unit >= 0).astype(np.int32)
        else:  # the organization as a whole: every entity of the kind is a member
            rows = np.arange(len(members), dtype=np.int32)
        o = self.member_outcomes(leaf.key, leaf.of, leaf.matching, rows)
        if leaf.where is not None:
            w = self.member_outcomes(leaf.key + ".where", leaf.of, leaf.where, rows)
            kk, uu, nn = (w == 1) & (o == 1), (w == -1) | ((w == 1) & (o == -1)), w != 0
        else:
            kk, uu, nn = o == 1, o == -1, np.ones(len(rows), dtype=np.bool_)
        if leaf.via:
            bins = unit[rows]
            return tuple(  # type: ignore[return-value]
                np.bincount(bins, weights=x, minlength=size).astype(np.int64) for x in (kk, uu, nn)
            )
        return tuple(np.full(size, int(x.sum()), dtype=np.int64) for x in (kk, uu, nn))  # type: ignore[return-value]

    def unit_rows(self, kind: str, of: str, via: str) -> npt.NDArray[np.int64]:
        """For each member (a row of `of`), the row of `kind` its attribute `via` names, -1 when none."""
        col = self.table(of).column(("a", via))
        table = self.table(kind)
        lut = np.array(
            [r if isinstance(v, str) and v != MISSING and (r := table.row(v)) is not None else -1 for v in col.values],
            dtype=np.int64,
        )
        return lut[col.codes] if len(lut) else np.full(len(col.codes), -1, dtype=np.int64)

    def member_outcomes(self, key: str, kind: str, pred: Pred, rows: Codes) -> npt.NDArray[np.int8]:
        """A member condition's outcome for `rows` (1, 0, -1 for unknown); each signature evaluated once."""
        features = self._features.get(key)
        if features is None:
            features = self._features[key] = pred_features(pred)
        groups = group_columns([self.column(kind, f) for f in features], rows)
        cache = self._member_cache.setdefault(key, {})
        out = np.empty(len(groups), dtype=np.int8)
        for g, sig in enumerate(groups.keys):
            if sig not in cache:
                cache[sig] = CriteriaExplainer(self.rules, kind, {}).evaluate(pred, features, sig)[0]
            out[g] = _outcome_codes(cache[sig])
        result: npt.NDArray[np.int8] = out[groups.inverse] if len(rows) else np.zeros(0, dtype=np.int8)
        return result

    # --- one segment ------------------------------------------------------------------------

    def segment(self, session: ChainSession, si: int, segment: list[ResolvedCriterion]) -> None:
        kind = segment[0].kind
        table = self.table(kind)
        own_titles = [c.title for c in segment]
        features: list[tuple[str, str]] = []
        leaves: list[PMembers | PMonths] = []
        for c in segment:
            for f in pred_features(self.lowered[c.id]):
                if f not in features and not (f[0] == "t" and f[1] in own_titles):
                    features.append(f)
            leaves.extend(computed_leaves(c.pred))
        leaf_cols: dict[str, Column] = {}
        for leaf in leaves:
            leaf_cols[leaf.key] = self.computed(kind, leaf)
        plain = [f for f in features if not (f[0] == "a" and f[1] in leaf_cols)]
        cols = [self.column(kind, f) for f in plain] + [leaf_cols[leaf.key] for leaf in leaves]
        for t in own_titles:  # the state now, the recorded holding's state and note
            cols.append(Column(self.state(kind, t).astype(np.int32), list(STATES)))
            cols.append(Column((self.recorded(kind, t) + 1).astype(np.int32), [None, *STATES]))
            cols.append(self.notes(kind, t))
        groups = group_columns(cols, np.arange(len(table), dtype=np.int32))
        profiles = []
        reps: list[tuple[int, dict[tuple[str, str], Any], dict[str, str]]] = []
        for g, key in enumerate(groups.keys):
            rep = int(groups.order[groups.starts[g]])
            vals: dict[tuple[str, str], Any] = {}
            shown: dict[str, str] = {}
            for i, leaf in enumerate(leaves):
                vals[("a", leaf.key)], shown[leaf.key] = key[len(plain) + i]
            for f, value in zip(plain, key, strict=False):
                vals[f] = value
            prof: dict[str, Any] = {}
            for (fk, name), value in vals.items():
                if fk == "a":
                    if value != MISSING and not isinstance(value, Awaiting):
                        prof["a_" + name] = value
                else:
                    prof["t_" + name] = value[0]
            for t in own_titles:
                prof["r_" + t] = STATES[self.state(kind, t)[rep]]
            profiles.append(prof)
            reps.append((rep, vals, shown))
        outcomes = session.run_segment(si, len(segment), profiles)
        for g, (rep, vals, shown) in enumerate(reps):
            rows = groups.rows(g)
            for stage, c in enumerate(segment):
                explainer = CriteriaExplainer(self.rules, kind, {})
                pred = self.lowered[c.id]
                feats = pred_features(pred)
                sig = tuple(vals[f] if f in vals else (STATES[self.state(kind, f[1])[rep]], None) for f in feats)
                explained, checks = explainer.evaluate(pred, feats, sig)
                engine_said = outcomes[g][stage]
                if explained is not engine_said:
                    raise EngineError(f"criterion {c.id}: engine said {engine_said}, explanation says {explained}")
                recorded = int(self.recorded(kind, c.title)[rep])  # the same for every row: in the signature
                note = self.notes(kind, c.title).value(rep)
                found = finding_of(STATES[recorded] if recorded >= 0 else None, note, engine_said)
                if c.id not in self.group_of:
                    self.group_of[c.id] = np.full(len(table), -1, dtype=np.int32)
                self.group_of[c.id][rows] = len(self.groups)
                self.groups.append(DecisionGroup(c, kind, rows, engine_said, checks, shown, found))
                self.state(kind, c.title)[rows] = recorded if recorded >= 0 else OUTCOME_CODE[engine_said]
                if found == "override" and recorded >= 0 and note:
                    if (kind, c.title) not in self.overridden:
                        self.overridden[(kind, c.title)] = np.zeros(len(table), dtype=np.bool_)
                    self.overridden[(kind, c.title)][rows] = True
                vals[("t", c.title)] = self.title_at(kind, c.title, rep)

    # --- quotas and the facts targets see ------------------------------------------------------

    def quota(self, q: ResolvedQuota) -> list[QuotaResult]:
        spec = q.spec
        table = self.table(spec.of)
        size = len(table)
        if spec.per is not None:
            col = table.column(("a", spec.per))
            per = mapped(col.codes, ["None" if v == MISSING else str(v) for v in col.values])
        else:
            per = Column.constant(None, size)
        groups = group_columns([per], np.arange(size, dtype=np.int32))
        count = len(groups)
        of_state = self.state(spec.of, spec.at_most.of_title)
        base = np.bincount(groups.inverse, weights=of_state == DECIDED, minlength=count)
        unknown = np.bincount(groups.inverse, weights=(of_state == UNKNOWN) | (of_state == PROPOSED), minlength=count)
        holding = self.state(spec.of, spec.limits) == DECIDED
        held = self.held(spec.of, spec.limits)
        recorded = np.array([v != NO_TITLE and len(v) == 2 for v in held.values], dtype=np.bool_)[held.codes]
        holders = self.by_group(np.flatnonzero(holding), groups.inverse, count)
        decided = self.by_group(np.flatnonzero(holding & recorded), groups.inverse, count)
        out = []
        for g, (key,) in enumerate(groups.keys):
            b, u, h = int(base[g]), int(unknown[g]), len(holders[g])
            # the cap over the range of the base: 15% of 15 and of 16 both give 2, a known cap
            cap_low = apply_rounding(q.share * b, spec.rounding)
            cap_high = apply_rounding(q.share * (b + u), spec.rounding)
            if h > cap_high:
                status = "breach"
            elif h <= cap_low:
                status = "within"
            else:
                status = "pending"
            cap = cap_low if cap_low == cap_high else None
            out.append(QuotaResult(q, key, b, u, cap, holders[g], status, cap_low, cap_high, decided[g], table))
        return out

    @staticmethod
    def by_group(rows: npt.NDArray[np.intp], inverse: Codes, count: int) -> list[Codes]:
        """`rows` split by their group, each part in file order."""
        rows = rows.astype(np.int32)
        of = inverse[rows]
        ordered = rows[np.argsort(of, kind="stable")]
        return np.split(ordered, np.cumsum(np.bincount(of, minlength=count))[:-1]) if count else []

    def apply_quota(self, quota: ResolvedQuota, decided: list[DecisionGroup]) -> list[QuotaResult]:
        """Check a quota as soon as its title is derived; on a breach, derived holders become candidates."""
        spec = quota.spec
        results = self.quota(quota)
        breached = np.zeros(len(self.table(spec.of)), dtype=np.bool_)
        for r in results:
            if r.status == "breach":
                breached[r.holder_rows] = True
        unrecorded = self.recorded(spec.of, spec.limits) < 0
        state = self.state(spec.of, spec.limits)
        for g in decided:
            if g.criterion.title == spec.limits and g.kind == spec.of:
                rows = g.rows[breached[g.rows] & unrecorded[g.rows]]
                state[rows] = PROPOSED
        return results

    def facts_for_targets(self, d: Derivation) -> FactBase:
        """Recorded titles stay as the council recorded them; derived ones are added, marked derived:
        a title the criteria grant is added as eligible to be proposed (state `proposed`, no one awaited).

        A title the criteria leave undecided reaches the targets as `unknown` (docs/criteria.md's
        three-valued rule), never as "not held": a value the criteria need is missing, or, when a quota
        is breached, the derived holder is only a candidate awaiting the council's choice. Targets
        reading it give ranges and pending verdicts. The title columns take the derived holdings
        (`(state, awaiting, "derived")`); nothing else of the facts is copied.
        """
        breached: dict[tuple[str, str], npt.NDArray[np.bool_]] = {}
        for q in d.quotas:
            if q.status == "breach":
                key = (q.quota.spec.of, q.quota.spec.limits)
                if key not in breached:
                    breached[key] = np.zeros(len(self.table(key[0])), dtype=np.bool_)
                breached[key][q.holder_rows] = True
        columns: dict[tuple[str, str], tuple[Codes, dict[Any, int]]] = {}
        details: dict[tuple[str, str], dict[int, Holding]] = {}  # what a derived holding says: its criterion
        shared: dict[tuple[str, tuple[Any, ...]], Holding] = {}  # one Holding per criterion and value
        changed: dict[str, npt.NDArray[np.bool_]] = {}
        for g in d.groups:
            if g.derived is False:
                continue
            key = (g.kind, g.criterion.title)
            rows = g.rows[self.recorded(*key)[g.rows] < 0]
            if not len(rows):
                continue
            if key not in columns:
                col = self.held(*key)
                columns[key] = (col.codes.copy(), {v: i for i, v in enumerate(col.values)})
            codes, index = columns[key]
            candidate = breached[key][rows] if key in breached else np.zeros(len(rows), dtype=np.bool_)
            # a title the criteria grant and nobody decided is eligible to be proposed (đủ điều kiện đề
            # nghị): targets count it as a proposal, never as earned (docs/criteria.md, "What a machine may decide")
            state = "proposed" if g.derived is True else "unknown"
            for part, value in (
                (rows[candidate], ("unknown", COUNCIL, DERIVED)),
                (rows[~candidate], (state, None, DERIVED)),
            ):
                if len(part):
                    codes[part] = index.setdefault(value, len(index))
                    holding = shared.get((g.criterion.id, value))
                    if holding is None:
                        holding = shared[(g.criterion.id, value)] = Holding(
                            g.criterion.title,
                            value[0],
                            awaiting=value[1],
                            note=f"derived: {g.criterion.id}",
                            source=DERIVED,
                        )
                    details.setdefault(key, {}).update(dict.fromkeys(part.tolist(), holding))
            if g.kind not in changed:
                changed[g.kind] = np.zeros(len(self.table(g.kind)), dtype=np.bool_)
            changed[g.kind][rows] = True
        if not columns:
            return self.facts
        tables: dict[str, Table] = {}
        for (kind, title), (codes, index) in columns.items():
            base = tables.get(kind, self.table(kind))
            tables[kind] = replace(
                base,
                titles={**base.titles, title: Column(codes, list(index))},
                holdings={**base.holdings, title: {**base.holdings.get(title, {}), **details.get((kind, title), {})}},
            )
        return self.facts.with_tables(
            tables, {kind: np.flatnonzero(mask).astype(np.int32) for kind, mask in changed.items()}
        )


def finding_of(recorded: str | None, note: str | None, derived: Outcome) -> str | None:
    """Where the recorded title and the derivation disagree (never resolved silently)."""
    if recorded is None:
        return "unrecorded" if derived is True else None
    if recorded == "decided" and derived is False:
        return "override" if note else "unsupported"
    if recorded == "refused" and derived is True:
        return "override" if note else "refused"
    if recorded == "decided" and derived is None:
        return "unconfirmed"
    return None


def finding(d: Decision) -> str | None:
    """`finding_of` one entity's decision."""
    rec = d.recorded
    return finding_of(rec.state if rec is not None else None, rec.note if rec is not None else None, d.derived)


def derive(rules: RuleSet, facts: FactBase) -> Derivation:
    """Apply the criteria and quotas of the facts' period; returns decisions, quotas and the facts for targets."""
    return Deriver(rules, facts).run()


__all__ = [
    "Decision",
    "DecisionGroup",
    "Derivation",
    "Named",
    "QuotaResult",
    "derive",
    "months_served",
    "apply_rounding",
    "earliest_day",
]
