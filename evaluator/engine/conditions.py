"""Three-valued evaluation of resolved conditions over an entity's signature, with every check kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import product
from math import prod
from typing import Any

from thidua.evaluator.facts.reader import Awaiting, Entity
from thidua.evaluator.facts.table import DERIVED, MISSING, NO_TITLE, held_value
from thidua.rules.ruleset import PAll, PAny, PAttr, PNot, Pred, PTitle, RuleSet, compare, pred_features

Outcome = bool | None  # True, False, or None for unknown


@dataclass(frozen=True)
class Check:
    """One leaf test as it was applied to an entity: what was expected, what was seen, the outcome."""

    subject: str  # "attribute" or "title"
    name: str
    op: str
    expected: Any
    actual: Any
    outcome: Outcome
    note: str | None = None  # missing, awaiting, proposal_counted, proposal_pending, refused, derived
    # (eligible to be proposed by the criteria, counted), eligible_pending (eligible, not counted: nothing
    # decided), derived_pending (a quota candidate awaiting the council), derived_unknown (criteria undecided)
    by: str | None = None  # who a pending value or proposal is waiting for
    negated: bool = False  # under an odd number of `not`s: the condition needs this test false
    # False for a test that did not decide the outcome: an `any` item beside one that holds, an `all`
    # item beside one that fails (an unknown fact there is not why the title is granted or refused)
    deciding: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "name": self.name,
            "op": self.op,
            "expected": self.expected,
            "actual": self.actual,
            "outcome": _outcome_word(self.outcome),
            "note": self.note,
            "by": self.by,
            **({} if self.deciding else {"deciding": False}),
        }


def _outcome_word(outcome: Outcome) -> str:
    return {True: "true", False: "false", None: "unknown"}[outcome]


Signature = tuple[Any, ...]


def _reader(kind: str, name: str) -> Callable[[Entity], Any]:
    if kind == "a":
        return lambda e: e.values.get(name, MISSING)

    def held(e: Entity) -> tuple[str, ...]:
        h = e.holdings.get(name)
        return held_value(h) if h is not None else NO_TITLE

    return held


def group_by_signature(entities: list[Entity], features: list[tuple[str, str]]) -> dict[Signature, list[Entity]]:
    """Entities grouped by the values of `features`, in first-seen order (the hot loop at scale)."""
    readers = [_reader(k, n) for k, n in features]
    if len(readers) == 1:
        (read,) = readers

        def key(e: Entity) -> Signature:
            return (read(e),)

    else:

        def key(e: Entity) -> Signature:
            return tuple(r(e) for r in readers)

    groups: dict[Signature, list[Entity]] = {}
    for e in entities:
        k = key(e)
        group = groups.get(k)
        if group is None:
            groups[k] = [e]
        else:
            group.append(e)
    return groups


class Explainer:
    """Evaluates a condition on one signature the way the engine rules do, recording each check."""

    def __init__(self, rules: RuleSet, kind: str) -> None:
        self.rules = rules
        self.kind = kind

    def display(self, attr: str, encoded: Any) -> Any:
        decl = self.rules.attribute(self.kind, attr)
        if decl is None:
            return encoded
        if decl.scale is not None and isinstance(encoded, int):
            return self.rules.level_label(decl.scale, encoded)
        if decl.type == "date" and isinstance(encoded, int):
            return dt.date.fromordinal(encoded).isoformat()
        if decl.type == "boolean" and isinstance(encoded, int):
            return bool(encoded)
        return encoded

    def expected(self, p: PAttr) -> Any:
        if p.op == "in":
            return [self.display(p.attr, v) for v in p.value]
        return self.display(p.attr, p.value)

    def evaluate(self, pred: Pred, features: list[tuple[str, str]], sig: Signature) -> tuple[Outcome, list[Check]]:
        values = dict(zip(features, sig, strict=True))
        checks: list[Check] = []
        outcome = self._eval(pred, values, checks)
        return outcome, checks

    def _eval(self, p: Pred, values: dict[tuple[str, str], Any], checks: list[Check]) -> Outcome:
        if isinstance(p, PAttr):
            return self._attr(p, values[("a", p.attr)], checks)
        if isinstance(p, PTitle):
            return self._title(p, values[("t", p.title)], checks)
        if isinstance(p, PNot):
            start = len(checks)
            inner = self._eval(p.item, values, checks)
            checks[start:] = [replace(c, negated=not c.negated) for c in checks[start:]]
            return None if inner is None else not inner
        results: list[Outcome] = []
        spans: list[tuple[int, int]] = []
        for item in p.items:
            start = len(checks)
            results.append(self._eval(item, values, checks))
            spans.append((start, len(checks)))
        if isinstance(p, PAll):
            outcome: Outcome = False if False in results else (None if None in results else True)
        else:
            assert isinstance(p, PAny)
            outcome = True if True in results else (None if None in results else False)
        everyone = outcome is (isinstance(p, PAll))  # `all` holding, `any` failing: every item decided it
        if not everyone:
            # only the items that agree with the outcome decided it (False in `all`, True in `any`,
            # unknown when unknown): the others' checks are not why
            for r, (start, end) in zip(results, spans, strict=True):
                if r is not outcome:
                    for i in range(start, end):
                        checks[i] = replace(checks[i], deciding=False)
        return outcome

    def _attr(self, p: PAttr, value: Any, checks: list[Check]) -> Outcome:
        expected = self.expected(p)
        if value == MISSING:
            checks.append(Check("attribute", p.attr, p.op, expected, None, None, "missing"))
            return None
        if isinstance(value, Awaiting):
            shown = self.display(p.attr, value.provisional) if value.provisional is not None else None
            checks.append(Check("attribute", p.attr, p.op, expected, shown, None, "awaiting", value.by))
            return None
        outcome = compare(p.op, value, p.value)
        checks.append(Check("attribute", p.attr, p.op, expected, self.display(p.attr, value), outcome))
        return outcome

    def _title(self, p: PTitle, held: tuple[Any, ...], checks: list[Check]) -> Outcome:
        state, by = held[0], held[1]
        derived = len(held) > 2 and held[2] == DERIVED
        outcome = title_outcome(p.state, state)
        note = None
        if state == "proposed" and derived and by is None:
            # eligible to be proposed (đủ điều kiện đề nghị): the criteria grant it, nobody decided or
            # proposed it; it counts as a proposal where the target counts proposals, and is not a
            # proposal a target asks for (evaluator/engine/derive.py, facts_for_targets)
            if p.state == "proposed":
                outcome = None
            note = "derived" if outcome else ("eligible_pending" if outcome is None else None)
        elif state == "proposed":
            note = "proposal_counted" if outcome else ("proposal_pending" if outcome is None else None)
            if derived and note != "proposal_counted":
                note = "derived_pending"  # a candidate over a quota, awaiting the council
        elif state == "unknown":  # left undecided by the criteria (evaluator/engine/derive.py)
            note = "derived_pending" if by else "derived_unknown"
        elif state == "refused":
            note = "refused"
        elif derived and state == "decided":
            note = "derived"  # granted by the criteria, not recorded by a decision
        checks.append(
            Check(
                "title",
                p.title,
                "has_title" if p.state != "proposed" else "proposed",
                p.state,
                state,
                outcome,
                note,
                by,
            )
        )
        return outcome


COMPLETIONS_LIMIT = 4096  # value combinations tried for one signature before settling for a wider bound
_OTHER = "\x00other"  # a text value equal to none of the constants a condition compares with


def _leaves(pred: Pred) -> list[PAttr | PTitle]:
    if isinstance(pred, (PAll, PAny)):
        return [leaf for item in pred.items for leaf in _leaves(item)]
    if isinstance(pred, PNot):
        return _leaves(pred.item)
    return [pred]


class Completer(Explainer):
    """The most conditions that can hold at once for one entity whose unknown values are each given
    one value: the bound of what an entity with unknowns contributes to shares added together (an
    unknown rating is Tốt or Khá, not both)."""

    def __init__(self, rules: RuleSet, kind: str, preds: list[Pred]) -> None:
        super().__init__(rules, kind)
        self.preds = preds
        self.leaves = [leaf for p in preds for leaf in _leaves(p)]

    def candidates(self, feature: tuple[str, str], value: Any) -> list[Any] | None:
        """The values worth trying for an unknown feature (one per way the conditions can read it),
        [value] for a known one; None when the feature cannot be completed soundly here."""
        kind, name = feature
        if kind == "t":
            tests = [leaf for leaf in self.leaves if isinstance(leaf, PTitle) and leaf.title == name]
            if all(title_outcome(t.state, value[0]) is not None for t in tests):
                return [value]
            if any(t.state == "proposed" for t in tests):
                return None  # "is proposed" is known while "is decided" is not: no single completion
            return [("decided", None), NO_TITLE]
        if not (value == MISSING or isinstance(value, Awaiting)):
            return [value]
        decl = self.rules.attribute(self.kind, name)
        if decl is not None and decl.scale is not None:
            return list(range(len(self.rules.scales[decl.scale].levels)))
        if decl is not None and decl.type == "boolean":
            return [True, False]
        constants: list[Any] = []
        for leaf in self.leaves:
            if isinstance(leaf, PAttr) and leaf.attr == name:
                constants.extend(leaf.value if leaf.op == "in" else [leaf.value])
        if all(isinstance(c, (int, float, Fraction)) and not isinstance(c, bool) for c in constants):
            points = sorted(set(constants))
            if not points:
                return [0]
            between = [(a + b) / 2 for a, b in zip(points, points[1:], strict=False)]
            return [points[0] - 1, *points, *between, points[-1] + 1]
        if all(isinstance(c, str) for c in constants):
            return [*dict.fromkeys(constants), _OTHER]
        return None

    def most_true(self, features: list[tuple[str, str]], sig: Signature) -> int | None:
        """The most of the conditions true together over every completion of `sig`'s unknown values;
        None when that cannot be told (too many combinations, or a feature with no sound completion)."""
        options = []
        for feature, value in zip(features, sig, strict=True):
            found = self.candidates(feature, value)
            if found is None:
                return None
            options.append(found)
        if prod(len(o) for o in options) > COMPLETIONS_LIMIT:
            return None
        best = 0
        for values in product(*options):
            known = dict(zip(features, values, strict=True))
            held = sum(1 for p in self.preds if self._eval(p, known, []) is True)
            best = max(best, held)
        return best


def title_outcome(wanted: str, state: str) -> Outcome:
    """Whether a holding in `state` satisfies a has_title test asking for `wanted`."""
    if state == "unknown":  # a title the criteria could not decide: unknown whatever is asked
        return None
    if wanted == "proposed":
        return state == "proposed"
    if state == "decided":
        return True
    if state == "proposed":
        return True if wanted == "any" else None
    return False


__all__ = [
    "DERIVED",
    "MISSING",
    "Check",
    "Completer",
    "Explainer",
    "Outcome",
    "compare",
    "group_by_signature",
    "pred_features",
]
