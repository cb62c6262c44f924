"""Immutable judgements: the verdict on one target with the measured value, margin and reasons."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer, model_validator

from thidua.rules.periods import Period, Term
from thidua.rules.ruleset import MeasureKind, RequirementOp

if TYPE_CHECKING:
    from thidua.evaluator.facts.table import Table

FORMAT = "thidua.evaluation/3"  # the JSON of `evaluate --format json` (docs/rule-language.md)
LISTED = 25  # entities named per reason in the JSON, as `explain` shows per group; the rest are counted

OutcomeWord = Literal["true", "false", "unknown"]
Status = Literal["met", "exceeded", "not_met", "pending", "error"]
STATUSES: tuple[str, ...] = ("exceeded", "met", "not_met", "pending", "error")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EntityRef(Frozen):
    """An entity as reasons name it: id, name, kind and where its facts were written."""

    id: str
    name: str
    kind: str = ""  # not in a `/2` body's entities (a reason's entities are all of one kind)
    file: str | None = None
    line: int = 0

    @classmethod
    def trusted(cls, id: str, name: str, kind: str, file: str | None, line: int) -> EntityRef:
        """Build from values the fact loader already checked, without validation: a province has
        a million of them and `model_construct` alone costs seconds (tests compare both ways)."""
        ref = cls.__new__(cls)
        object.__setattr__(ref, "__dict__", {"id": id, "name": name, "kind": kind, "file": file, "line": line})
        object.__setattr__(ref, "__pydantic_fields_set__", _REF_FIELDS)
        object.__setattr__(ref, "__pydantic_extra__", None)
        object.__setattr__(ref, "__pydantic_private__", None)
        return ref


_REF_FIELDS = {"id", "name", "kind", "file", "line"}


class Members:
    """The entities a reason names, as a compact set: `count` without building anything, the
    `EntityRef`s only when something reads them (a million people are a million rows, not objects)."""

    __slots__ = ("_refs",)

    def __init__(self, refs: tuple[EntityRef, ...] | None = None) -> None:
        self._refs = refs

    def __len__(self) -> int:
        return len(self.refs())

    def refs(self) -> tuple[EntityRef, ...]:
        """Every entity, in file order (built once, then kept)."""
        if self._refs is None:
            self._refs = tuple(self._build(0, len(self)))
        return self._refs

    def head(self, n: int) -> tuple[EntityRef, ...]:
        """The first `n` entities, without building the others."""
        if self._refs is not None:
            return self._refs[:n]
        return tuple(self._build(0, min(n, len(self))))

    def ids(self) -> list[str]:
        return [r.id for r in self.refs()]

    def _build(self, start: int, stop: int) -> Iterator[EntityRef]:
        return iter(())

    def __iter__(self) -> Iterator[EntityRef]:
        return iter(self.refs())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Members):
            return NotImplemented
        return len(self) == len(other) and self.refs() == other.refs()

    def __hash__(self) -> int:
        return hash(self.refs())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} entities)"


class RowSet(Members):
    """Rows of one kind's table (evaluator/facts/table.py), in file order: a signature group's slice of
    the group order, or the union of such slices for a note."""

    __slots__ = ("table", "rows")

    def __init__(self, table: Table, rows: npt.NDArray[np.int32]) -> None:
        super().__init__()
        self.table = table
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def ids(self) -> list[str]:
        ids = self.table.ids
        return [ids[r] for r in self.rows.tolist()]

    def _build(self, start: int, stop: int) -> Iterator[EntityRef]:
        t = self.table
        kind, ids, names = t.kind, t.ids, t.names
        for r in self.rows[start:stop].tolist():
            loc = t.location(r)
            yield EntityRef.trusted(
                id=ids[r], name=names[r], kind=kind, file=loc.file if loc else None, line=loc.line if loc else 0
            )


class Joined(Members):
    """Several member sets one after the other (the entities counted by several reasons, as one)."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[Members]) -> None:
        super().__init__()
        self.parts = parts

    def __len__(self) -> int:
        return sum(len(p) for p in self.parts)

    def ids(self) -> list[str]:
        return [i for p in self.parts for i in p.ids()]

    def _build(self, start: int, stop: int) -> Iterator[EntityRef]:
        for p in self.parts:
            if stop <= 0:
                return
            n = len(p)
            if start < n:
                yield from p.head(stop)[start:]
            start, stop = max(0, start - n), stop - n


class Listed(Members):
    """A reason read back from a recorded `/2` body: its first entities and how many it names in all
    (who else is in it is in the run's outcome table, or evaluated again from the run's snapshot)."""

    __slots__ = ("total",)

    def __init__(self, refs: tuple[EntityRef, ...], total: int) -> None:
        super().__init__(refs)
        self.total = total

    def __len__(self) -> int:
        return self.total


NOBODY = Members(())


class CheckOut(Frozen):
    """One leaf test applied to the entities of a reason group."""

    subject: str  # attribute | title
    name: str
    label: str  # Vietnamese label of the attribute or title
    op: str
    expected: Any
    actual: Any
    outcome: OutcomeWord
    note: str | None = None
    by: str | None = None
    negated: bool = False  # written under `not`: the condition needs this test false (outcome is the test's own)

    @model_serializer(mode="wrap")
    def _without_plain_negation(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Checks outside a `not` keep the serialised form they always had (no `negated: false`)."""
        data: dict[str, Any] = handler(self)
        if not data.get("negated"):
            data.pop("negated", None)
        return data


class Reason(Frozen):
    """Why the measured value is what it is: a group of entities and the checks that decided them,
    or a fact about the measurement (missing data, a value awaited, a proposal counted)."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    code: str
    params: dict[str, Any] = {}
    members: Members = Field(default=NOBODY, exclude=True)  # `entities=` (a tuple of refs) also builds it
    checks: tuple[CheckOut, ...] = ()
    role: str | None = None  # population | matching | part index, for shares and sums

    @model_validator(mode="before")
    @classmethod
    def _listed(cls, data: Any) -> Any:
        """`entities` as written (a recorded body, or refs given by hand) become a listed member set."""
        if isinstance(data, dict) and "entities" in data:
            data = dict(data)
            refs = tuple(r if isinstance(r, EntityRef) else EntityRef.model_validate(r) for r in data.pop("entities"))
            if "count" in data:  # a `/2` body (what the ledger records): the first entities and the count
                data.pop("more", None)
                data["members"] = Listed(refs, int(data.pop("count")))
            else:
                data["members"] = Members(refs)
        return data

    @property
    def entities(self) -> tuple[EntityRef, ...]:
        """Every entity of the reason, in file order (built on first use from the row set)."""
        return self.members.refs()

    @property
    def count(self) -> int:
        """How many entities the reason names, without building them."""
        return len(self.members)

    @model_serializer(mode="wrap")
    def _with_entities(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The full body (every entity): what the ledger records and `audit replay` compares."""
        data: dict[str, Any] = handler(self)
        data["entities"] = [dict(r.__dict__) for r in self.members.refs()]
        return data

    def to_json(self, every_id: bool = False) -> dict[str, Any]:
        """The reason in `thidua.evaluation/3`: its count, its first entities, how many more, and with
        `every_id` the id of every entity."""
        head = self.members.head(LISTED)
        data: dict[str, Any] = {
            "code": self.code,
            "params": self.params,
            "checks": [c.model_dump(mode="json") for c in self.checks],
            "role": self.role,
            "count": self.count,
            "entities": [{"id": r.id, "name": r.name, "file": r.file, "line": r.line} for r in head],
            "more": self.count - len(head),
        }
        if every_id:
            data["ids"] = self.members.ids()
        return data


class Measured(Frozen):
    kind: MeasureKind
    value: float | int | bool | None = None  # the point value when known (share as a fraction)
    low: float | int | None = None
    high: float | int | None = None
    numerator: int | None = None
    denominator: int | None = None
    label: str | None = None  # level label, for level measures
    unknown: int = 0  # entities whose values are unknown or awaited


class RequirementOut(Frozen):
    op: RequirementOp
    value: Any  # as written in the rule file; a [low, high] pair for between
    kind: str  # count | share | level | holds | sum
    label: str | None = None  # level label(s) for level requirements


class Margin(Frozen):
    value: float | int
    unit: Literal["count", "percentage_points", "levels", "value"]
    label: str | None = None  # value measures: the word after the number (hạng, điểm), as the rule file says

    @model_serializer(mode="wrap")
    def _without_empty_label(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Margins of other measures keep the serialised form they always had (no `label: null`)."""
        data: dict[str, Any] = handler(self)
        if data.get("label") is None:
            data.pop("label", None)
        return data


class Source(Frozen):
    file: str
    line: int
    column: int


class Judgement(Frozen):
    target: str
    title: str
    reference: str | None
    group: str | None
    status: Status
    requirement: RequirementOut
    measured: Measured
    margin: Margin | None
    reasons: tuple[Reason, ...]
    source: Source

    def to_dict(self) -> dict[str, Any]:
        """The full body, every entity of every reason listed: what the ledger records."""
        return self.model_dump(mode="json")

    def to_json(self, every_id: bool = False) -> dict[str, Any]:
        """The judgement in `thidua.evaluation/3`: reasons with counts and their first entities."""
        data = self.model_dump(mode="json", exclude={"reasons"})
        data["reasons"] = [r.to_json(every_id) for r in self.reasons]
        return data


class Evaluation(Frozen):
    """All judgements of one run, in the order the targets are declared, with a summary."""

    period: Period | None
    judgements: tuple[Judgement, ...]
    rules_digest: str
    facts_digest: str
    engine: str
    term: Term | None = None  # the term (nhiệm kỳ) the targets belong to, from the rule file
    criteria: dict[str, Any] | None = None  # the regimes applied (rules/regime.py Applied.to_dict)

    def summary(self) -> dict[str, int]:
        counts = {s: 0 for s in STATUSES}
        for j in self.judgements:
            counts[j.status] += 1
        counts["total"] = len(self.judgements)
        return counts

    def to_dict(self, every_id: bool = False) -> dict[str, Any]:
        """`thidua.evaluation/3`: each reason with its count, first entities and `more` (`every_id`: all ids)."""
        return {
            "format": FORMAT,
            "period": self.period.value if self.period is not None else None,
            "period_detail": self.period.to_dict() if self.period is not None else None,
            "term": self.term.to_dict() if self.term is not None else None,
            "criteria": self.criteria,
            "engine": self.engine,
            "rules_digest": self.rules_digest,
            "facts_digest": self.facts_digest,
            "summary": self.summary(),
            "judgements": [j.to_json(every_id) for j in self.judgements],
        }
