"""Runs every target of a RuleSet over a FactBase: classify on the engine, measure, decide, explain."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from thidua.evaluator.engine.conditions import Check, Completer, Explainer, pred_features
from thidua.evaluator.engine.durable import (
    Engine,
    EngineError,
    Session,
    encode_signature,
    engine_version,
    target_conditions,
)
from thidua.evaluator.facts.reader import Awaiting, FactBase
from thidua.evaluator.facts.table import DERIVED, MISSING, Groups, Table
from thidua.evaluator.judgement import (
    CheckOut,
    Evaluation,
    Judgement,
    Margin,
    Measured,
    OutcomeWord,
    Reason,
    RequirementOut,
    RowSet,
    Source,
)
from thidua.rules.regime import applied_regime
from thidua.rules.ruleset import MeasureKind, Pred, ResolvedMeasure, ResolvedTarget, RuleSet

_ENGINES: dict[str, Engine] = {}


def _plain(x: Fraction) -> int | float:
    """A whole number as int, any other as float (for margins and values shown)."""
    return int(x) if x.denominator == 1 else float(x)


def engine_for(rules: RuleSet) -> Engine:
    """The compiled engine of a RuleSet, compiled once per process per rule content."""
    engine = Engine(rules)
    return _ENGINES.setdefault(engine.key, engine)


class TargetError(Exception):
    """A target that cannot be evaluated with these facts (it becomes an `error` judgement)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


OUTCOME_CODE: dict[bool | None, int] = {True: 1, False: 0, None: -1}  # a row's outcome in an int8 column


@dataclass
class Classified:
    """The outcome of one condition over some rows of a kind's table, grouped by signature: the engine
    decided each group once, the explainer's checks say why."""

    table: Table
    features: list[tuple[str, str]]
    groups: Groups
    decided: list[bool | None]  # per group
    checks: list[list[Check]]  # per group
    outcome: npt.NDArray[np.int8]  # per row of the table: 1, 0, -1 (unknown); -2 for rows not classified

    def sizes(self) -> npt.NDArray[np.int64]:
        sizes: npt.NDArray[np.int64] = np.diff(self.groups.starts)
        return sizes

    def rows(self, g: int) -> npt.NDArray[np.int32]:
        rows: npt.NDArray[np.int32] = self.groups.rows(g)
        return rows


@dataclass
class ShareRows:
    """A share's rows before counting: the population's outcome per row of the kind, the rows that
    may be in it (file order) and the matching condition's classification of those rows."""

    reasons: list[Reason]
    den: npt.NDArray[np.int8]
    candidates: npt.NDArray[np.int32]
    num: Classified
    pred: Pred
    role: str


def _ratio_extreme(num: int, den: int, optional: npt.NDArray[np.int64], lowest: bool) -> Fraction | None:
    """The lowest (or highest) (num + Σ chosen) / (den + #chosen) over every choice of the optional
    entities (each with its own count): an entity is taken while it moves the ratio that way, the
    most telling first, which is optimal for a ratio with unit weights. None when no entity counts."""
    values = sorted(optional.tolist(), reverse=not lowest)
    for v in values:
        if den == 0 or (v < Fraction(num, den) if lowest else v > Fraction(num, den)):
            num, den = num + int(v), den + 1
        else:
            break
    return Fraction(num, den) if den else None


def _share_param(low: Fraction | None, high: Fraction | None) -> dict[str, Any]:
    """A share or a range of shares as a message parameter, written in the reader's language."""
    if low is None or high is None or low == high:
        return {"percent": float(low if low is not None else high or 0)}
    return {"percent": [float(low), float(high)]}


@dataclass
class Measurement:
    low: Fraction | None
    high: Fraction | None
    measured: Measured
    reasons: list[Reason]


class Evaluator:
    def __init__(self, rules: RuleSet, facts: FactBase) -> None:
        self.rules = rules
        self.facts = facts
        self.engine = engine_for(rules)

    def run(self) -> Evaluation:
        judgements = []
        with self.engine.session() as session:
            for index, target in enumerate(self.rules.targets):
                judgements.append(self.judge(session, index, target))
        period = self.facts.period if self.facts.period is not None else self.rules.period
        return Evaluation(
            period=period,
            term=self.rules.term,
            criteria=applied_regime(self.rules, period).to_dict(),
            judgements=tuple(judgements),
            rules_digest=self.rules.digest,
            facts_digest=self.facts.digest,
            engine=f"durable-rules {engine_version()}",
        )

    # --- one target ---------------------------------------------------------------------

    def judge(self, session: Session, index: int, target: ResolvedTarget) -> Judgement:
        try:
            m = self.measure(session, index, target.measure)
            if m.low is None or m.high is None:
                status = "pending"
            else:
                status = session.decide(index, m.low, m.high)
        except TargetError as exc:
            m = Measurement(None, None, Measured(kind=target.measure.kind), [Reason(code=exc.code, params=exc.params)])
            status = "error"
        except EngineError as exc:
            m = Measurement(
                None,
                None,
                Measured(kind=target.measure.kind),
                [Reason(code="engine.error", params={"detail": str(exc)})],
            )
            status = "error"
        return Judgement(
            target=target.id,
            title=target.spec.title,
            reference=target.spec.reference,
            group=target.spec.group,
            status=status,  # type: ignore[arg-type]
            requirement=self.requirement(target),
            measured=m.measured,
            margin=self.margin(target, m) if status in ("met", "exceeded", "not_met") else None,
            reasons=tuple(m.reasons),
            source=Source(
                file=target.spec.location.file, line=target.spec.location.line, column=target.spec.location.column
            ),
        )

    def requirement(self, target: ResolvedTarget) -> RequirementOut:
        th = target.threshold
        value: Any = list(th.shown) if th.op == "between" else th.shown[0]
        label = None
        if target.measure.kind == "level":
            assert target.measure.scale is not None
            label = " – ".join(self.rules.level_label(target.measure.scale, int(v)) for v in th.values)
        return RequirementOut(op=th.op, value=value, kind=target.measure.kind, label=label)

    def margin(self, target: ResolvedTarget, m: Measurement) -> Margin | None:
        th = target.threshold
        if m.low is None or m.low != m.high or th.direction == "none" or target.measure.kind == "holds":
            return None
        diff = (m.low - th.values[0]) * (1 if th.direction == "up" else -1)
        kind = target.measure.kind
        if kind == "share":
            return Margin(value=round(float(diff * 100), 2), unit="percentage_points")
        if kind == "level":
            return Margin(value=int(diff), unit="levels")
        if kind == "value":
            return Margin(value=_plain(diff), unit="value", label=target.measure.unit)
        return Margin(value=_plain(diff), unit="count")

    # --- measures -----------------------------------------------------------------------

    def measure(self, session: Session, index: int, measure: ResolvedMeasure) -> Measurement:
        roles = dict(target_conditions(measure))
        kind = measure.kind
        if kind == "count":
            return self.count(session, index, measure, roles.get("where"), "where")
        if kind == "sum":
            return self.sum(session, index, measure, roles)
        if kind == "share" and measure.parts:
            return self.share_sum(session, index, measure, roles)
        if kind == "share":
            return self.share(session, index, measure, roles)
        if kind == "level":
            return self.level(measure)
        if kind == "value":
            return self.value(measure)
        return self.holds(session, index, measure, roles["matching"])

    def classify(
        self, session: Session, key: str, pred: Pred, kind: str, rows: npt.NDArray[np.int32] | None = None
    ) -> Classified:
        """Ask the engine about each distinct signature of `rows` (all rows of the kind by default);
        check it against the explainer's reading. Per row, only integer work on the columns."""
        table = self.facts.table(kind)
        features = pred_features(pred)
        groups = table.group(features, rows)
        engine_outcomes = session.classify(key, [encode_signature(features, s) for s in groups.keys])
        explainer = Explainer(self.rules, kind)
        decided: list[bool | None] = []
        all_checks: list[list[Check]] = []
        for sig, outcome in zip(groups.keys, engine_outcomes, strict=True):
            explained, checks = explainer.evaluate(pred, features, sig)
            if explained is not outcome:
                raise EngineError(f"condition {key}: engine said {outcome}, explanation says {explained} for {sig}")
            decided.append(outcome)
            all_checks.append(checks)
        outcome_of_group = np.array([OUTCOME_CODE[o] for o in decided], dtype=np.int8)
        per_row = np.full(len(table), -2, dtype=np.int8)
        per_row[groups.order] = np.repeat(outcome_of_group, np.diff(groups.starts))
        return Classified(table, list(features), groups, decided, all_checks, per_row)

    def _no_entities(self, kind: str, mkind: MeasureKind) -> Measurement:
        return Measurement(
            None,
            None,
            Measured(kind=mkind),
            [Reason(code="measure.no_entities", params={"kind": kind, "kind_title": self.rules.kinds[kind].title})],
        )

    def count(self, session: Session, index: int, m: ResolvedMeasure, where: Pred | None, role: str) -> Measurement:
        table = self.facts.table(m.of)
        if not len(table):
            return self._no_entities(m.of, "count")
        reasons: list[Reason] = []
        if where is None:
            n = len(table)
            everyone = RowSet(table, np.arange(n, dtype=np.int32))
            reasons.append(Reason(code="entities.counted", params={"count": n}, members=everyone, role=role))
            return Measurement(Fraction(n), Fraction(n), Measured(kind="count", value=n, low=n, high=n), reasons)
        c = self.classify(session, f"{index}.{role}", where, m.of)
        yes, unknown = self._tally(c, True), self._tally(c, None)
        reasons.extend(
            self.reasons_for(
                c, {True: "entities.counted", None: "entities.unknown", False: "entities.not_counted"}, role
            )
        )
        reasons.extend(self.proposal_notes(c))
        value = yes if unknown == 0 else None
        return Measurement(
            Fraction(yes),
            Fraction(yes + unknown),
            Measured(kind="count", value=value, low=yes, high=yes + unknown, unknown=unknown),
            reasons,
        )

    @staticmethod
    def _tally(c: Classified, wanted: bool | None) -> int:
        """Rows whose outcome is `wanted`: the sizes of the groups the engine decided so."""
        sizes = c.sizes()
        return int(sum(int(sizes[g]) for g, o in enumerate(c.decided) if o is wanted))

    def sum(self, session: Session, index: int, m: ResolvedMeasure, roles: dict[str, Pred]) -> Measurement:
        low = high = Fraction(0)
        reasons: list[Reason] = []
        unknown = 0
        for i, part in enumerate(m.parts):
            sub = self.count(session, index, part, roles.get(f"p{i}"), f"p{i}")
            reasons.extend(r.model_copy(update={"role": f"p{i}"}) for r in sub.reasons)
            if sub.low is None or sub.high is None:
                return Measurement(None, None, Measured(kind="sum"), reasons)
            low, high = low + sub.low, high + sub.high
            unknown += sub.measured.unknown
        value = int(low) if low == high else None
        return Measurement(
            low, high, Measured(kind="sum", value=value, low=int(low), high=int(high), unknown=unknown), reasons
        )

    def share_sum(self, session: Session, index: int, m: ResolvedMeasure, roles: dict[str, Pred]) -> Measurement:
        """Shares of one population added: the numerators over the one denominator; the population's
        reasons once, each part's under its own role. With unknowns the sum is a range in which each
        entity counts once for each part it matches or could match together with the others (an
        unknown rating is Tốt or Khá, not both), so a sum of exclusive parts never passes 100%."""
        reasons: list[Reason] = []
        parts: list[ShareRows] = []
        measured_parts: list[Measurement] = []
        for i, part in enumerate(m.parts):
            rows = self._share_rows(session, index, part, {**roles, "matching": roles[f"p{i}"]}, f"p{i}")
            if isinstance(rows, Measurement):
                reasons.extend(r for r in rows.reasons if i == 0 or r.role != "population")
                return Measurement(None, None, Measured(kind="share"), reasons)
            sub = self._share_measurement(rows, part.unknown)
            reasons.extend(r for r in sub.reasons if i == 0 or r.role != "population")
            if sub.low is None or sub.high is None:
                return Measurement(None, None, Measured(kind="share"), reasons)
            parts.append(rows)
            measured_parts.append(sub)
        if m.unknown == "pending":
            bounds = self._sum_bounds(m, parts)
            if bounds is None:
                return Measurement(None, None, Measured(kind="share"), reasons)
            low, high = bounds
        else:  # each part exact: unknowns left out of, or counted in, its denominator as the part says
            low = sum((p.low for p in measured_parts if p.low is not None), Fraction(0))
            high = sum((p.high for p in measured_parts if p.high is not None), Fraction(0))
        exact = [p.measured for p in measured_parts if p.measured.numerator is not None]
        one = len(exact) == len(m.parts) and len({s.denominator for s in exact}) == 1
        numerator = sum(s.numerator or 0 for s in exact) if one else None
        denominator = exact[0].denominator if one else None
        terms: list[Any] = [
            p.measured.numerator if p.measured.numerator is not None else _share_param(p.low, p.high)
            for p in measured_parts
        ]
        params = {
            "terms": " + ".join(map(str, terms)) if one else {"sum": terms},
            "total": f"{numerator}/{denominator}" if one else _share_param(low, high),
            "kind": m.of,
            "kind_title": self.rules.kinds[m.of].title.split("(")[0].strip(),
        }
        reasons.insert(0, Reason(code="measure.share_sum", params=params))
        measured = Measured(
            kind="share",
            value=float(low) if one else None,
            low=float(low),
            high=float(high),
            numerator=numerator,
            denominator=denominator,
            unknown=max(p.measured.unknown for p in measured_parts),
        )
        return Measurement(low, high, measured, reasons)

    def _sum_bounds(self, m: ResolvedMeasure, parts: list[ShareRows]) -> tuple[Fraction, Fraction] | None:
        """The lowest and highest sum of the parts' shares over every way the unknowns can turn out,
        each entity taken in or out of the population once, and counted once per part it matches."""
        den = parts[0].den
        candidates = parts[0].candidates
        outcomes = np.stack([p.num.outcome[candidates] for p in parts])
        certain = (outcomes == 1).sum(axis=0).astype(np.int64)
        open_parts = (outcomes == -1).sum(axis=0).astype(np.int64)
        best = certain + open_parts  # at most one per part; fewer when the open parts cannot hold together
        several = np.flatnonzero(open_parts >= 2)
        if len(several):
            table = parts[0].num.table
            preds = [p.pred for p in parts]
            features = list(dict.fromkeys(f for pred in preds for f in pred_features(pred)))
            completer = Completer(self.rules, m.of, preds)
            groups = table.group(features, candidates[several])
            for g, sig in enumerate(groups.keys):
                most = completer.most_true(features, sig)
                if most is None:
                    continue  # counted once per open part: wider, never wrong
                rows = groups.rows(g)
                at = np.searchsorted(candidates, rows)
                best[at] = np.maximum(certain[at], np.minimum(best[at], most))
        inside = den[candidates] == 1
        n = int(np.count_nonzero(inside))
        num_low, num_high = int(certain[inside].sum()), int(best[inside].sum())
        maybe = ~inside  # population membership unknown: taken in when that moves the sum its way
        low = _ratio_extreme(num_low, n, certain[maybe], lowest=True)
        high = _ratio_extreme(num_high, n, best[maybe], lowest=False)
        if low is None or high is None:
            return None
        return low, high

    def share(
        self, session: Session, index: int, m: ResolvedMeasure, roles: dict[str, Pred], role: str = "matching"
    ) -> Measurement:
        rows = self._share_rows(session, index, m, roles, role)
        return rows if isinstance(rows, Measurement) else self._share_measurement(rows, m.unknown)

    def _share_rows(
        self, session: Session, index: int, m: ResolvedMeasure, roles: dict[str, Pred], role: str
    ) -> ShareRows | Measurement:
        """The population's and the matching condition's outcome per row (or why there is no share)."""
        table = self.facts.table(m.of)
        if not len(table):
            return self._no_entities(m.of, "share")
        reasons: list[Reason] = []
        if m.where is not None:
            pop = self.classify(session, f"{index}.where", roles["where"], m.of)
            reasons.extend(
                self.reasons_for(pop, {False: "entities.outside", None: "entities.population_unknown"}, "population")
            )
            den: npt.NDArray[np.int8] = pop.outcome
        else:
            den = np.ones(len(table), dtype=np.int8)
        candidates = np.flatnonzero(den != 0).astype(np.int32)  # file order
        if not len(candidates):
            return Measurement(
                None,
                None,
                Measured(kind="share"),
                reasons + [Reason(code="measure.empty_population", params={"kind": m.of})],
            )
        num = self.classify(session, f"{index}.{role}", roles["matching"], m.of, candidates)
        return ShareRows(reasons, den, candidates, num, roles["matching"], role)

    def _share_measurement(self, rows: ShareRows, policy: str) -> Measurement:
        """One share from its rows' outcomes, unknowns counted as the target's `unknown` says."""
        num, den, candidates = rows.num, rows.den, rows.candidates
        reasons = list(rows.reasons)
        codes: dict[bool | None, str] = {
            True: "entities.matching",
            False: "entities.not_matching",
            None: "entities.unknown",
        }
        if policy == "exclude":
            codes[None] = "entities.excluded_unknown"
        elif policy == "not_matching":
            codes[None] = "entities.unknown_as_not_matching"
        reasons.extend(self.reasons_for(num, codes, rows.role))
        reasons.extend(self.proposal_notes(num))
        inside = den[candidates] == 1  # certainly in the population
        o = num.outcome[candidates]
        n = int(np.count_nonzero(inside))
        k = int(np.count_nonzero(inside & (o == 1)))  # certainly in the population and matching
        u_in = int(np.count_nonzero(inside & (o == -1)))  # in the population, matching unknown
        outside = ~inside  # population membership unknown, by matching outcome
        du = {w: int(np.count_nonzero(outside & (o == code))) for w, code in OUTCOME_CODE.items()}
        unknown = u_in + sum(du.values())
        if policy == "exclude":
            n -= u_in
            lo_num, lo_den, hi_num, hi_den = k, n, k, n
        elif policy == "not_matching":
            n += du[False] + du[None] + du[True]
            k += du[True]
            lo_num, lo_den, hi_num, hi_den = k, n, k, n
        else:
            lo_num, lo_den = k, n + du[False] + du[None]
            hi_num, hi_den = k + u_in + du[True] + du[None], n + du[True] + du[None]
        if lo_den == 0 or hi_den == 0:
            return Measurement(
                None,
                None,
                Measured(kind="share", unknown=unknown),
                reasons + [Reason(code="measure.empty_population", params={"kind": num.table.kind})],
            )
        low, high = Fraction(lo_num, lo_den), Fraction(hi_num, hi_den)
        exact = low == high and (policy != "pending" or unknown == 0)
        measured = Measured(
            kind="share",
            value=float(low) if exact else None,
            low=float(low),
            high=float(high),
            numerator=lo_num if exact else None,
            denominator=lo_den if exact else None,
            unknown=unknown,
        )
        return Measurement(low, high, measured, reasons)

    def _single(self, m: ResolvedMeasure) -> tuple[int | None, Reason | None]:
        """The row of the one entity a level, value or holds measure reads (or why there is none)."""
        table = self.facts.table(m.of)
        if m.entity is not None:
            found = table.row(m.entity)
            if found is None:
                return None, Reason(code="measure.no_entity", params={"kind": m.of, "entity": m.entity})
            return found, None
        if not len(table):
            return None, Reason(
                code="measure.no_entities", params={"kind": m.of, "kind_title": self.rules.kinds[m.of].title}
            )
        if len(table) > 1:
            raise TargetError("measure.several_entities", kind=m.of, count=len(table), ids=", ".join(table.ids[:5]))
        return 0, None

    def _one(self, kind: str, row: int) -> RowSet:
        return RowSet(self.facts.table(kind), np.array([row], dtype=np.int32))

    def _attribute(self, kind: str, row: int, attribute: str) -> Any:
        """The row's value of `attribute`: None when not written, an `Awaiting` when awaited."""
        value = self.facts.table(kind).column(("a", attribute)).value(row)
        return None if isinstance(value, str) and value == MISSING else value

    def level(self, m: ResolvedMeasure) -> Measurement:
        row, missing = self._single(m)
        if row is None:
            assert missing is not None
            return Measurement(None, None, Measured(kind="level"), [missing])
        assert m.scale is not None and m.attribute is not None
        top = len(self.rules.scales[m.scale].levels) - 1
        value = self._attribute(m.of, row, m.attribute)
        ref = self._one(m.of, row)
        label = self.rules.kinds[m.of].attributes
        attr_label = next(a.label for a in label if a.id == m.attribute)
        if value is None or isinstance(value, Awaiting):
            params: dict[str, Any] = {"attribute": m.attribute, "attribute_label": attr_label}
            code = "measure.value_missing"
            if isinstance(value, Awaiting):
                code = "measure.value_awaiting"
                params["by"] = value.by
                params["provisional"] = (
                    self.rules.level_label(m.scale, value.provisional) if value.provisional is not None else None
                )
            measured = Measured(kind="level", low=0, high=top, unknown=1)
            return Measurement(Fraction(0), Fraction(top), measured, [Reason(code=code, params=params, members=ref)])
        label_text = self.rules.level_label(m.scale, value)
        reason = Reason(
            code="measure.value",
            params={"attribute": m.attribute, "attribute_label": attr_label, "value": label_text},
            members=ref,
        )
        return Measurement(
            Fraction(value),
            Fraction(value),
            Measured(kind="level", value=value, low=value, high=value, label=label_text),
            [reason],
        )

    def value(self, m: ResolvedMeasure) -> Measurement:
        """A number attribute of one entity: unknown or awaited has no bounds, so the verdict is pending."""
        row, missing = self._single(m)
        if row is None:
            assert missing is not None
            return Measurement(None, None, Measured(kind="value"), [missing])
        assert m.attribute is not None
        value = self._attribute(m.of, row, m.attribute)
        ref = self._one(m.of, row)
        attr_label = next(a.label for a in self.rules.kinds[m.of].attributes if a.id == m.attribute)
        params: dict[str, Any] = {"attribute": m.attribute, "attribute_label": attr_label}
        if value is None or isinstance(value, Awaiting):
            code = "measure.value_missing"
            if isinstance(value, Awaiting):
                code = "measure.value_awaiting"
                params["by"] = value.by
                params["provisional"] = value.provisional
            return Measurement(
                None, None, Measured(kind="value", unknown=1), [Reason(code=code, params=params, members=ref)]
            )
        number = Fraction(str(value))
        shown = _plain(number)
        params["value"], params["unit"] = shown, m.unit or ""
        measured = Measured(kind="value", value=shown, low=shown, high=shown, label=m.unit)
        reason = Reason(code="measure.number", params=params, members=ref)
        return Measurement(number, number, measured, [reason])

    def holds(self, session: Session, index: int, m: ResolvedMeasure, cond: Pred) -> Measurement:
        row, missing = self._single(m)
        if row is None:
            assert missing is not None
            return Measurement(None, None, Measured(kind="holds"), [missing])
        c = self.classify(session, f"{index}.matching", cond, m.of, np.array([row], dtype=np.int32))
        outcome = c.decided[0]
        reasons = self.reasons_for(
            c, {True: "entities.holds", False: "entities.does_not_hold", None: "entities.unknown"}, None
        )
        reasons.extend(self.proposal_notes(c))
        low, high = {True: (1, 1), False: (0, 0), None: (0, 1)}[outcome]
        value = None if outcome is None else outcome
        return Measurement(
            Fraction(low),
            Fraction(high),
            Measured(kind="holds", value=value, low=low, high=high, unknown=int(outcome is None)),
            reasons,
        )

    # --- reasons ------------------------------------------------------------------------

    def check_out(self, kind: str, c: Check) -> CheckOut:
        if c.subject == "title":
            label = self.rules.titles[c.name].title
        else:
            decl = self.rules.attribute(kind, c.name)
            label = decl.label if decl else c.name
        outcome: OutcomeWord = {True: "true", False: "false", None: "unknown"}[c.outcome]  # type: ignore[assignment]
        return CheckOut(
            subject=c.subject,
            name=c.name,
            label=label,
            op=c.op,
            expected=c.expected,
            actual=c.actual,
            outcome=outcome,
            note=c.note,
            by=c.by,
            negated=c.negated,
        )

    def reasons_for(self, c: Classified, codes: dict[Any, str], role: str | None) -> list[Reason]:
        """One reason per signature group, ordered counted, unknown, not counted; file order inside.
        A reason holds its group's rows (a slice of the group order), not an object per entity."""
        out: list[Reason] = []
        kind = c.table.kind
        for wanted in (True, None, False):
            if wanted not in codes:
                continue
            for g, outcome in enumerate(c.decided):
                if outcome is wanted:
                    out.append(
                        Reason(
                            code=codes[wanted],
                            params={"count": c.groups.size(g)},
                            members=RowSet(c.table, c.rows(g)),
                            checks=tuple(self.check_out(kind, ch) for ch in c.checks[g]),
                            role=role,
                        )
                    )
        return out

    @staticmethod
    def _union(c: Classified, groups: list[int]) -> RowSet:
        """The rows of some groups, group after group (each in file order), as the notes list them."""
        if not groups:
            return RowSet(c.table, np.zeros(0, dtype=np.int32))
        return RowSet(c.table, np.concatenate([c.rows(g) for g in groups]))

    def proposal_notes(self, c: Classified) -> list[Reason]:
        """Say plainly when a proposal, not a decision, was counted (auditors must see it)."""
        counted: list[int] = []
        titles: list[str] = []
        for g, (outcome, checks) in enumerate(zip(c.decided, c.checks, strict=True)):
            hits = [ch for ch in checks if ch.note == "proposal_counted" and ch.outcome is True]
            if outcome is True and hits:
                counted.append(g)
                titles.extend(h.name for h in hits if h.name not in titles)
        derived = self.derived_note(c)
        if not counted:
            return derived
        rows = self._union(c, counted)
        return derived + [
            Reason(
                code="note.proposal_counted",
                params={"count": len(rows), "titles": [self.rules.titles[t].title for t in titles]},
                members=rows,
            )
        ]

    def derived_note(self, c: Classified) -> list[Reason]:
        """Say when a title derived by the criteria, not one the facts record, was counted: the groups
        whose signature holds that title with the DERIVED marker (the title column's held tuple)."""
        position = {f: i for i, f in enumerate(c.features)}
        counted: list[int] = []
        titles: list[str] = []
        for g, (outcome, checks) in enumerate(zip(c.decided, c.checks, strict=True)):
            if outcome is not True:
                continue
            sig = c.groups.keys[g]
            for ch in checks:
                if ch.subject != "title" or ch.outcome is not True:
                    continue
                at = position.get(("t", ch.name))
                held = sig[at] if at is not None else None
                if not (isinstance(held, tuple) and len(held) > 2 and held[2] == DERIVED):
                    continue
                if g not in counted:
                    counted.append(g)
                if ch.name not in titles:
                    titles.append(ch.name)
        if not counted:
            return []
        rows = self._union(c, counted)
        n = len(rows)
        names = [c.table.names[r] for r in rows.rows[:5].tolist()] + ([f"+{n - 5}"] if n > 5 else [])
        return [
            Reason(
                code="note.derived_counted",
                params={"count": n, "titles": [self.rules.titles[t].title for t in titles], "names": names},
                members=rows,
            )
        ]


def evaluate(rules: RuleSet, facts: FactBase) -> Evaluation:
    """Evaluate every target; one target that fails becomes an `error` judgement, not an abort."""
    return Evaluator(rules, facts).run()
