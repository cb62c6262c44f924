"""Pydantic models of the rule language as written in YAML: scales, kinds, titles, targets."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from thidua.rules.errors import Location
from thidua.rules.periods import MAX_YEAR, MIN_YEAR, checked_period, parse_term

IDENT = r"^[a-z][a-z0-9_]*$"
TARGET_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"

Scalar = Union[bool, int, float, dt.date, str]


class Node(BaseModel):
    """Base of every rule-file node: rejects unknown keys and remembers where it was written."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
    _loc: Location | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _remember_location(cls, data: Any, handler: Any) -> Any:
        node = handler(data)
        loc = getattr(data, "loc", None)
        if isinstance(node, Node) and loc is not None:
            node._loc = loc
        return node

    @property
    def location(self) -> Location:
        return self._loc or Location("?")


# --- scales, kinds, titles -------------------------------------------------------------


class Level(Node):
    id: str = Field(pattern=IDENT, description="Stable id of the level, e.g. hoan_thanh_tot.")
    label: str = Field(description="Vietnamese label as written in decisions, e.g. 'Hoàn thành tốt nhiệm vụ'.")
    aliases: list[str] = Field(default_factory=list, description="Other spellings accepted in facts.")
    awaits: str | None = Field(
        default=None,
        description="Not an outcome but a review under way (e.g. 'Đang xem xét kỷ luật'): a fact at this level is "
        "awaited from this body, unknown until it decides.",
    )


class Scale(Node):
    """An ordinal scale; levels are listed from the lowest to the highest."""

    id: str = Field(pattern=IDENT)
    title: str
    levels: list[Level] = Field(min_length=2, description="Levels from the lowest to the highest.")
    reference: str | None = None
    description: str | None = None

    def lookup(self) -> dict[str, int]:
        """Normalised id, label and alias of every level -> its index (built once per scale)."""
        cached = _LEVEL_LOOKUPS.get(id(self))
        if cached is None or cached[0] is not self:
            from thidua.rules.names import normal, plain

            table: dict[str, int] = {}
            loose: dict[str, set[int]] = {}
            for i, level in enumerate(self.levels):
                for name in (level.id, level.label, *level.aliases):
                    table.setdefault(normal(name), i)
                    loose.setdefault(plain(name), set()).add(i)
            for key, found in loose.items():  # written without diacritics, where that names one level only
                if len(found) == 1 and key not in table:
                    table[key] = next(iter(found))
            cached = _LEVEL_LOOKUPS[id(self)] = (self, table)
        return cached[1]


# Scale -> level lookup, kept outside the model: pydantic private attributes are slow to read.
_LEVEL_LOOKUPS: dict[int, tuple[Scale, dict[str, int]]] = {}


class Attribute(Node):
    id: str = Field(pattern=IDENT)
    label: str = Field(description="Vietnamese label, also the spreadsheet column header.")
    type: Literal["integer", "number", "boolean", "text", "date"] | None = None
    scale: str | None = Field(default=None, description="Id of the ordinal scale the values come from.")
    ref: str | None = Field(default=None, description="Id of the entity kind the value points to.")
    aliases: list[str] = Field(default_factory=list)
    description: str | None = None

    @model_validator(mode="after")
    def _one_type(self) -> Attribute:
        given = [x for x in (self.type, self.scale, self.ref) if x is not None]
        if len(given) != 1:
            raise PydanticCustomError("rules.one_type", "attribute needs exactly one of 'type', 'scale' or 'ref'")
        return self


class Kind(Node):
    """A kind of entity facts speak of (organization, unit, person, union, party cell, ...)."""

    id: str = Field(pattern=IDENT)
    title: str
    attributes: list[Attribute] = Field(default_factory=list)
    aliases: list[str] = Field(
        default_factory=list, description="Other names of the kind, accepted as spreadsheet sheet names (e.g. Nhân sự)."
    )
    description: str | None = None


class KindExtension(Node):
    """Adds the agency's own attributes (and names) to a kind declared elsewhere: `{extend: organization, ...}`."""

    extend: str = Field(description="Id (or name) of the kind to extend, e.g. organization from the core pack.")
    attributes: list[Attribute] = Field(default_factory=list, description="Attributes added to the kind.")
    aliases: list[str] = Field(default_factory=list, description="Other names added to the kind.")
    description: str | None = None


def _kind_tag(value: Any) -> str:
    if isinstance(value, BaseModel):
        return type(value).__name__
    return "KindExtension" if isinstance(value, dict) and "extend" in value else "Kind"


KindEntry = Annotated[
    Annotated[Kind, Tag("Kind")] | Annotated[KindExtension, Tag("KindExtension")], Discriminator(_kind_tag)
]


class Title(Node):
    """An emulation title (danh hiệu) or a commendation (hình thức khen thưởng)."""

    id: str = Field(pattern=IDENT)
    title: str
    category: Literal["title", "award"] = "title"
    holders: list[str] = Field(min_length=1, description="Kinds of entity that can hold it.")
    aliases: list[str] = Field(
        default_factory=list, description="Other names accepted wherever the title is named, e.g. LĐTT."
    )
    reference: str | None = None
    description: str | None = None


# --- conditions ------------------------------------------------------------------------

COMPARATORS = ("eq", "neq", "gt", "gte", "lt", "lte", "at_least", "at_most", "in")


class AttrTest(Node):
    """Compares one attribute of the entity with a value: `{attr: rating, at_least: hoan_thanh_tot}`."""

    attr: str
    eq: Scalar | None = None
    neq: Scalar | None = None
    gt: Scalar | None = None
    gte: Scalar | None = None
    lt: Scalar | None = None
    lte: Scalar | None = None
    at_least: Scalar | None = None
    at_most: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")

    @model_validator(mode="after")
    def _one_operator(self) -> AttrTest:
        ops = self.operators()
        if len(ops) != 1:
            raise PydanticCustomError(
                "rules.one_operator",
                "a comparison needs exactly one operator of: {choices}",
                {"choices": ", ".join(COMPARATORS)},
            )
        return self

    def operators(self) -> list[tuple[str, Any]]:
        out = []
        for op in COMPARATORS:
            value = getattr(self, "in_" if op == "in" else op)
            if value is not None:
                out.append((op, value))
        return out

    @property
    def op(self) -> str:
        return self.operators()[0][0]

    @property
    def value(self) -> Any:
        return self.operators()[0][1]


class HasTitle(Node):
    """Holds a title or award: `{has_title: lao_dong_tien_tien}`; `state` overrides the target's policy."""

    has_title: str
    state: Literal["decided", "proposed", "any"] | None = None


# --- title criteria: settings, member aggregates, months served (see docs/criteria.md) ---


class SettingRef(Node):
    """A value taken from a named setting: `{setting: cstdcs_cap}`; an agency may override it."""

    setting: str


Amount = Union[bool, int, float, str, SettingRef]

AMOUNT_OPS = ("gt", "gte", "lt", "lte", "eq")


class _Compared(Node):
    """One comparison of a computed number: exactly one of gt, gte, lt, lte, eq."""

    gt: Amount | None = None
    gte: Amount | None = None
    lt: Amount | None = None
    lte: Amount | None = None
    eq: Amount | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> _Compared:
        if len(self.operators()) != 1:
            raise ValueError("a comparison needs exactly one of: " + ", ".join(AMOUNT_OPS))
        return self

    def operators(self) -> list[tuple[str, Any]]:
        return [(op, getattr(self, op)) for op in AMOUNT_OPS if getattr(self, op) is not None]


class MembersSpec(_Compared):
    """Members of the entity (entities of kind `of` whose attribute `via` points to it)."""

    of: str = Field(description="Kind of the members, e.g. person.")
    via: str | None = Field(
        default=None,
        description="Attribute of the member that names the entity, e.g. unit; omitted for the organization "
        "as a whole, whose members are every entity of kind `of`.",
    )
    where: Condition | None = Field(default=None, description="Which members count at all (all by default).")
    matching: Condition = Field(description="What is counted among the members.")
    measure: Literal["share", "count"] = Field(default="share", description="Compare the share (default) or the count.")


class MembersTest(Node):
    """A share or count over the members of a unit: `{members: {of: person, via: unit, matching: ..., gt: 50%}}`."""

    members: MembersSpec


class MonthsSpec(_Compared):
    """Whole months from the date in attribute `from` to the end of the period (31 December of a year,
    31 May of a school year); with a list, from the earliest of those dates the facts give."""

    from_: str | list[str] = Field(
        alias="from",
        description="A date attribute (recruited_on), or a list of them ([service_since, recruited_on]): "
        "months count from the earliest date given.",
    )

    @property
    def attributes(self) -> list[str]:
        return [self.from_] if isinstance(self.from_, str) else list(self.from_)


class MonthsTest(Node):
    """Months served up to the end of the period: `{months_served: {from: recruited_on, gte: 10}}`."""

    months_served: MonthsSpec


class AllOf(Node):
    all: list[Condition] = Field(min_length=1)


class AnyOf(Node):
    any: list[Condition] = Field(min_length=1)


class NotOf(Node):
    not_: Condition = Field(alias="not")


def _condition_tag(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return type(value).__name__
    if not isinstance(value, dict):
        return None
    for key, tag in (
        ("all", "AllOf"),
        ("any", "AnyOf"),
        ("not", "NotOf"),
        ("has_title", "HasTitle"),
        ("attr", "AttrTest"),
        ("members", "MembersTest"),
        ("months_served", "MonthsTest"),
    ):
        if key in value:
            return tag
    return None


Condition = Annotated[
    Annotated[AllOf, Tag("AllOf")]
    | Annotated[AnyOf, Tag("AnyOf")]
    | Annotated[NotOf, Tag("NotOf")]
    | Annotated[HasTitle, Tag("HasTitle")]
    | Annotated[AttrTest, Tag("AttrTest")]
    | Annotated[MembersTest, Tag("MembersTest")]
    | Annotated[MonthsTest, Tag("MonthsTest")],
    Discriminator(
        _condition_tag,
        custom_error_type="rules.condition_kind",
        custom_error_message="a condition is one of: all, any, not, has_title, attr, members, months_served",
    ),
]


# --- measures and requirements ---------------------------------------------------------


class CountMeasure(Node):
    """How many entities of a kind match `where`."""

    of: str
    where: Condition | None = None


class ShareMeasure(Node):
    """The share of the population (`of` entities matching `where`) that also matches `matching`."""

    of: str
    where: Condition | None = Field(default=None, description="Who is in the denominator (all by default).")
    matching: Condition
    unknown: Literal["pending", "exclude", "not_matching"] = Field(
        default="pending",
        description="Entities whose values are unknown: keep the verdict pending until they are known "
        "(default), leave them out of the denominator, or count them as not matching.",
    )


class LevelMeasure(Node):
    """The level of an ordinal attribute of one entity (e.g. the union's rating)."""

    of: str
    attribute: str
    entity: str | None = Field(default=None, description="Id of the entity; optional if there is one.")


class ValueMeasure(Node):
    """The value of a number attribute of one entity (a rank, an average mark, a total), with a margin."""

    of: str
    attribute: str = Field(description="An integer or number attribute, e.g. rank.")
    entity: str | None = Field(default=None, description="Id of the entity; optional if there is one.")
    better: Literal["higher", "lower"] = Field(
        default="higher", description="Which way is better: lower for a rank (xếp thứ 15 trở lên = lte: 15)."
    )
    unit: str | None = Field(default=None, description="Word shown after the value and margin, e.g. hạng, điểm.")


class HoldsMeasure(Node):
    """Whether one entity meets a condition (holds a title, has a flag)."""

    of: str
    condition: Condition
    entity: str | None = None


class SumMeasure(Node):
    """One part of a sum: a count (counts over several categories), or a share of one population
    ("tỷ lệ Tốt và Khá": shares over one denominator)."""

    count: CountMeasure | None = None
    share: ShareMeasure | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> SumMeasure:
        if (self.count is None) == (self.share is None):
            raise PydanticCustomError("rules.sum_part", "a part of a sum is exactly one of: count, share")
        return self


class Measure(Node):
    count: CountMeasure | None = None
    share: ShareMeasure | None = None
    level: LevelMeasure | None = None
    value: ValueMeasure | None = None
    holds: HoldsMeasure | None = None
    sum: list[SumMeasure] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_kind(self) -> Measure:
        if len(self.kinds()) != 1:
            raise PydanticCustomError(
                "rules.one_measure", "a measure is exactly one of: count, share, level, value, holds, sum"
            )
        return self

    def kinds(self) -> list[str]:
        return [k for k in ("count", "share", "level", "value", "holds", "sum") if getattr(self, k) is not None]

    @property
    def kind(self) -> str:
        return self.kinds()[0]


REQUIREMENT_OPS = ("gt", "gte", "lt", "lte", "eq", "between")


class Requirement(Node):
    """What the measure must reach: one of gt, gte, lt, lte, eq, between: [low, high]."""

    gt: Scalar | None = None
    gte: Scalar | None = None
    lt: Scalar | None = None
    lte: Scalar | None = None
    eq: Scalar | None = None
    between: list[Scalar] | None = Field(default=None, min_length=2, max_length=2)

    @model_validator(mode="after")
    def _one_operator(self) -> Requirement:
        if len(self.operators()) != 1:
            raise PydanticCustomError(
                "rules.one_requirement",
                "a requirement needs exactly one of: {choices}",
                {"choices": ", ".join(REQUIREMENT_OPS)},
            )
        return self

    def operators(self) -> list[tuple[str, Any]]:
        return [(op, getattr(self, op)) for op in REQUIREMENT_OPS if getattr(self, op) is not None]


class Target(Node):
    """A registered emulation target (chỉ tiêu thi đua)."""

    id: str = Field(pattern=TARGET_ID, description="Stable id, e.g. staff.advanced_workers.")
    title: str = Field(description="The target as registered, in Vietnamese.")
    reference: str | None = Field(default=None, description="The pledge or legal basis.")
    group: Literal["collective", "individual"] | None = Field(
        default=None, description="Đối với tập thể (collective) or Đối với cá nhân (individual)."
    )
    measure: Measure
    require: Requirement | None = Field(default=None, description="Optional only for `holds` (default: true).")
    exceed: Literal["auto", "never", "above"] = Field(
        default="auto",
        description="When a result counts as exceeded (vượt): 'above' when beyond the stated number, "
        "'never' for plain met; 'auto' is 'above' for counts, sums and levels, 'never' for shares.",
    )
    count_proposed: bool = Field(
        default=False, description="Count a proposed award (đề nghị) as held, as some reports do."
    )
    reported: int | float | str | ReportedFigures | None = Field(
        default=None,
        description="The result as the report states it (e.g. 2, '100%', '34 (54,6%)', {count: 18, share: '31,58%'}), "
        "cross-checked with the facts.",
    )
    note: str | None = None


class ReportedFigures(Node):
    """A report's result written as its two figures: `{count: 18, share: "31,58%"}`."""

    count: int | float | str | None = Field(default=None, description="How many, as the report writes it.")
    share: int | float | str | None = Field(
        default=None, description="The share, as the report writes it ('31,58%', or 0.3158)."
    )


YearOrDate = Union[int, dt.date]


def _first_day(bound: YearOrDate) -> dt.date:
    return bound if isinstance(bound, dt.date) else dt.date(bound, 1, 1)


def _last_day(bound: YearOrDate) -> dt.date:
    return bound if isinstance(bound, dt.date) else dt.date(bound, 12, 31)


class Validity(Node):
    """When a criterion, quota or regime applies, by the date the review decides (both ends included):
    a year stands for its first day (`from`) or its last day (`until`), a date for itself."""

    from_: YearOrDate | None = Field(default=None, alias="from", description="A year (2024) or a date (2025-07-01).")
    until: YearOrDate | None = Field(default=None, description="A year (2023) or a date (2025-06-30).")

    @model_validator(mode="after")
    def _ordered(self) -> Validity:
        for bound in (self.from_, self.until):
            if isinstance(bound, int) and not isinstance(bound, bool) and not MIN_YEAR <= bound <= MAX_YEAR:
                raise PydanticCustomError("rules.bad_validity_year", "year out of range", {"value": bound})
        if self.first is not None and self.last is not None and self.first > self.last:
            raise ValueError(f"'from' ({self.from_}) is after 'until' ({self.until})")
        return self

    @property
    def first(self) -> dt.date | None:
        return _first_day(self.from_) if self.from_ is not None else None

    @property
    def last(self) -> dt.date | None:
        return _last_day(self.until) if self.until is not None else None

    def covers(self, day: dt.date | None) -> bool:
        """Whether a review decided on `day` falls under it (no day: every validity covers it)."""
        if day is None:
            return True
        return (self.first is None or day >= self.first) and (self.last is None or day <= self.last)


class Setting(Node):
    """A named value with a default (e.g. the CSTĐCS cap); a later file may override it."""

    id: str = Field(pattern=IDENT)
    title: str
    value: bool | int | float | str
    reference: str | None = None
    verified: bool = Field(
        default=True, description="False when the legal basis is not confirmed (a default to check)."
    )
    description: str | None = None


class Criterion(Node):
    """An entity of kind `of` earns title `earns` when `when` holds (tiêu chuẩn danh hiệu)."""

    id: str = Field(pattern=IDENT)
    title: str
    reference: str | None = None
    earns: str
    of: str
    when: Condition
    valid: Validity | None = None
    note: str | None = None


class QuotaShare(Node):
    """A share of the holders of another title: `{share: 15%, of_title: lao_dong_tien_tien}`."""

    share: Amount
    of_title: str


class Quota(Node):
    """At most so many holders of `title`, counted per `per` (the whole organization or each unit)."""

    id: str = Field(pattern=IDENT)
    title: str = Field(description="The quota as written, in Vietnamese.")
    limits: str = Field(description="Id of the title the cap applies to.")
    of: str = Field(description="Kind of the holders.")
    at_most: QuotaShare
    rounding: Literal["floor", "ceil", "round"] = "floor"
    per: str | None = Field(
        default=None, description="Attribute grouping the holders (e.g. unit); whole organization by default."
    )
    reference: str | None = None
    valid: Validity | None = None


class Review(Node):
    """The council's review of the period (bình xét): when it decides, which chooses the criteria in force."""

    decided_on: dt.date | None = Field(
        default=None,
        description="The date the results are decided (e.g. 2024-01-15); the period's last day by default. "
        "The criteria in force on that date apply (Law 06/2022, Art. 94-95: results decided from 1/1/2024 fall "
        "under it).",
    )
    note: str | None = None


class LegalText(Node):
    """One legal text a pack encodes, with the dates it is in force (both ends included)."""

    text: str = Field(description="The text as cited, e.g. 'Luật Thi đua, khen thưởng số 06/2022/QH15'.")
    from_: dt.date | None = Field(default=None, alias="from", description="In force from (when confirmed).")
    until: dt.date | None = Field(default=None, description="In force until (last day, when confirmed).")
    note: str | None = None


class Regime(Node):
    """The legal regime a criteria pack encodes: its basis, when it applies, up to when it was checked."""

    title: str = Field(description="The regime as a person names it, e.g. 'Luật Thi đua, khen thưởng 2022'.")
    valid: Validity = Field(description="Decision dates it applies to, e.g. {from: 2024-01-01}.")
    basis: list[LegalText] = Field(default_factory=list, description="The legal texts encoded, with their dates.")
    checked_on: dt.date | None = Field(
        default=None,
        description="The day its texts were last checked: a decision or period after it warns that the criteria "
        "may have changed.",
    )


class Agency(Node):
    """Who issues the year-end report: the header and signer block of the Word document (Decree 30/2020).

    Every field is optional: a missing one prints as "…" for the secretary to fill in by hand.
    `format` names the layout the document follows (the state's or the Party's).
    """

    name: str | None = Field(
        default=None, description="Issuing body as printed in the header, e.g. 'CĐCS Ban Dân tộc'."
    )
    parent: str | None = Field(
        default=None, description="Parent body above it in the header, e.g. 'CĐVC tỉnh Bình Phước'."
    )
    place: str | None = Field(default=None, description="Place name before the date, e.g. 'Bình Phước'.")
    number_symbol: str | None = Field(
        default=None, description="Document symbol after 'Số: …/', e.g. 'BC-CĐCS' (the issuing body's abbreviation)."
    )
    signer_capacity: str | None = Field(default=None, description="Signing on behalf of, e.g. 'TM. BCH CÔNG ĐOÀN'.")
    signer_position: str | None = Field(default=None, description="Position of the signer, e.g. 'CHỦ TỊCH'.")
    signer_name: str | None = Field(default=None, description="Full name of the signer.")
    recipients: list[str] = Field(
        default_factory=list, description="'Nơi nhận:' lines, e.g. 'CĐVC tỉnh', 'Lưu: CĐ, TĐKT'."
    )
    format: Literal["nha_nuoc", "dang"] = Field(
        default="nha_nuoc",
        description="Document layout: 'nha_nuoc' (the state's, Decree 30/2020; the default) or 'dang' "
        "(the Party's, Hướng dẫn 36-HD/VPTW: for a chi bộ or đảng ủy).",
    )


class RuleFile(Node):
    """One rule file: what it uses, and the scales, kinds, titles and targets it declares."""

    version: Literal[1] = 1
    period: int | str | None = Field(
        default=None, description="The period the targets are for: a year (2022) or a school year ('2023-2024')."
    )
    term: int | str | None = Field(
        default=None, description="The term (nhiệm kỳ) the yearly targets belong to, e.g. '2025-2030'."
    )
    review: Review | None = Field(default=None, description="The council's review: when it decides (decided_on).")
    regime: Regime | None = Field(default=None, description="The legal regime a criteria pack encodes.")
    name: str | None = None
    agency: Agency | None = Field(default=None, description="Who issues the report: header and signer of the document.")
    use: list[str] = Field(default_factory=list, description="Rule packs this file builds on, e.g. core.")
    scales: list[Scale] = Field(default_factory=list)
    kinds: list[KindEntry] = Field(
        default_factory=list, description="Kinds declared here, or `extend:` entries adding to a declared kind."
    )
    titles: list[Title] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    settings: list[Setting] = Field(default_factory=list)
    criteria: list[Criterion] = Field(default_factory=list)
    quotas: list[Quota] = Field(default_factory=list)

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, value: Any) -> Any:
        return checked_period(value)

    @field_validator("term", mode="before")
    @classmethod
    def _term(cls, value: Any) -> Any:
        if value is not None and parse_term(value) is None:
            raise PydanticCustomError("rules.bad_term", "not a term", {"value": value})
        return value
