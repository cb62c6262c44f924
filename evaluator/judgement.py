"""Immutable judgements: the verdict on one target with the measured value, margin and reasons."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

from thidua.rules.ruleset import MeasureKind, RequirementOp

OutcomeWord = Literal["true", "false", "unknown"]
Status = Literal["met", "exceeded", "not_met", "pending", "error"]
STATUSES: tuple[str, ...] = ("exceeded", "met", "not_met", "pending", "error")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EntityRef(Frozen):
    """An entity as reasons name it: id, name, kind and where its facts were written."""

    id: str
    name: str
    kind: str
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


class Reason(Frozen):
    """Why the measured value is what it is: a group of entities and the checks that decided them,
    or a fact about the measurement (missing data, a value awaited, a proposal counted)."""

    code: str
    params: dict[str, Any] = {}
    entities: tuple[EntityRef, ...] = ()
    checks: tuple[CheckOut, ...] = ()
    role: str | None = None  # population | matching | part index, for shares and sums


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
        return self.model_dump(mode="json")


class Evaluation(Frozen):
    """All judgements of one run, in the order the targets are declared, with a summary."""

    period: int | None
    judgements: tuple[Judgement, ...]
    rules_digest: str
    facts_digest: str
    engine: str

    def summary(self) -> dict[str, int]:
        counts = {s: 0 for s in STATUSES}
        for j in self.judgements:
            counts[j.status] += 1
        counts["total"] = len(self.judgements)
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "thidua.evaluation/1",
            "period": self.period,
            "engine": self.engine,
            "rules_digest": self.rules_digest,
            "facts_digest": self.facts_digest,
            "summary": self.summary(),
            "judgements": [j.to_dict() for j in self.judgements],
        }
