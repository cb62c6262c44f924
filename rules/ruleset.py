"""A checked, resolved rule set: every reference looked up and every value typed before facts are read."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, Union, cast

from thidua.rules.errors import Location, Problems, suggest
from thidua.rules.limits import MAX_INT_DIGITS
from thidua.rules.model import (
    Agency,
    AllOf,
    AnyOf,
    Attribute,
    AttrTest,
    HasTitle,
    Kind,
    Measure,
    NotOf,
    Regime,
    ReportedFigures,
    Review,
    Scale,
    ShareMeasure,
    SumMeasure,
    Target,
    Title,
    ValueMeasure,
)
from thidua.rules.names import NameTable, bare, identifier, normal, plain
from thidua.rules.periods import Period, Term

ORDERED_TYPES = ("integer", "number", "date")


# --- resolved conditions (what the evaluator and the engine adapter both read) ----------


@dataclass(frozen=True)
class PAttr:
    """Compare attribute `attr` with `value` (already encoded: scale ordinal, date ordinal, ...)."""

    attr: str
    op: str  # eq neq gt gte lt lte in
    value: Any  # encoded; a tuple for `in`
    shown: Any  # as written in the rule file
    loc: Location


@dataclass(frozen=True)
class PTitle:
    """Holds title `title`; `state` is decided (a proposal is unknown), any (a proposal counts) or proposed."""

    title: str
    state: str
    loc: Location


@dataclass(frozen=True)
class PAll:
    items: tuple[Pred, ...]


@dataclass(frozen=True)
class PAny:
    items: tuple[Pred, ...]


@dataclass(frozen=True)
class PNot:
    item: Pred


Pred = Union[PAttr, PTitle, PAll, PAny, PNot]

MeasureKind = Literal["count", "share", "level", "value", "holds", "sum"]
RequirementOp = Literal["gt", "gte", "lt", "lte", "eq", "between"]


def _number(raw: Any) -> Fraction | None:
    """A requirement of a value measure: a number, also written with a decimal comma ("8,5")."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return Fraction(str(raw)) if math.isfinite(raw) else None
    if isinstance(raw, str):
        try:
            return Fraction(raw.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def compare(op: str, value: Any, expected: Any) -> bool:
    """Whether an encoded attribute value passes a PAttr test (op: eq neq in gt gte lt lte)."""
    if op == "eq":
        return bool(value == expected)
    if op == "neq":
        return bool(value != expected)
    if op == "in":
        return value in expected
    if op == "gt":
        return bool(value > expected)
    if op == "gte":
        return bool(value >= expected)
    if op == "lt":
        return bool(value < expected)
    if op == "lte":
        return bool(value <= expected)
    raise ValueError(op)


def pred_features(pred: Pred) -> list[tuple[str, str]]:
    """The (kind of feature, name) pairs a condition reads: ('a', attribute) or ('t', title)."""
    out: list[tuple[str, str]] = []

    def walk(p: Pred) -> None:
        if isinstance(p, PAttr):
            key = ("a", p.attr)
        elif isinstance(p, PTitle):
            key = ("t", p.title)
        elif isinstance(p, PNot):
            walk(p.item)
            return
        else:
            for item in p.items:
                walk(item)
            return
        if key not in out:
            out.append(key)

    walk(pred)
    return out


# --- resolved measures and requirements -------------------------------------------------


@dataclass(frozen=True)
class ResolvedMeasure:
    kind: MeasureKind
    of: str = ""
    where: Pred | None = None
    matching: Pred | None = None
    attribute: str | None = None
    scale: str | None = None
    entity: str | None = None
    unknown: str = "pending"
    parts: tuple[ResolvedMeasure, ...] = ()
    better: str = "higher"  # value measures: which way is better
    unit: str | None = None  # value measures: the word shown after the value


@dataclass(frozen=True)
class Threshold:
    """The requirement on the measure's own scale (count, share as a fraction, level ordinal, 0/1)."""

    op: RequirementOp
    values: tuple[Fraction, ...]
    shown: tuple[Any, ...]  # as written

    @property
    def direction(self) -> str:
        """'up' when more is better, 'down' when fewer is better, 'none' for eq and ranges."""
        return {"gt": "up", "gte": "up", "lt": "down", "lte": "down"}.get(self.op, "none")


@dataclass
class ResolvedTarget:
    spec: Target
    measure: ResolvedMeasure
    threshold: Threshold
    exceed: bool
    reported_count: Fraction | None = None  # the report's figure, read from `reported` ("34 (54,6%)")
    reported_share: Fraction | None = None

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True)
class PackRegime:
    """The legal regime a rule file (a criteria pack, or the agency's own) declares, named by its file."""

    pack: str  # the pack's name (criteria_nd98) or the file as shown
    name: str  # the file's `name:`
    regime: Regime


@dataclass
class RuleSet:
    """Everything the evaluator needs, checked: scales, kinds, titles and targets by id."""

    period: Period | None
    scales: dict[str, Scale]
    kinds: dict[str, Kind]
    titles: dict[str, Title]
    targets: list[ResolvedTarget]
    files: dict[str, str] = field(default_factory=dict)  # shown path -> text, for provenance
    sources: dict[str, Path] = field(default_factory=dict)  # shown path -> the file read (no output may replace it)
    digest: str = ""
    criteria: Any = None  # thidua.rules.criteria.CriteriaSet: title criteria, quotas, settings
    agency: Agency | None = None  # the issuing body of the report (documents), from a rule file's `agency:`
    term: Term | None = None  # the term (nhiệm kỳ) the targets belong to, from a rule file's `term:`
    review: Review | None = None  # the council's review (decided_on), from a rule file's `review:`
    regimes: list[PackRegime] = field(default_factory=list)  # the regimes the files declare, in load order

    def attribute(self, kind: str, attr: str) -> Attribute | None:
        for a in self.kinds[kind].attributes:
            if a.id == attr:
                return a
        return None

    def level_label(self, scale: str, index: int) -> str:
        return self.scales[scale].levels[index].label

    def title_code(self, name: str) -> str | None:
        """The title or award `name` stands for: its id, its title or an alias (LĐTT), as the packs declare."""
        return _tables(self)[0].resolve(name)

    def title_suggestion(self, name: str) -> str | None:
        return _tables(self)[0].suggestion(name)

    def kind_code(self, name: str) -> str | None:
        """The kind `name` stands for: its id, its title or an alias (Cá nhân, Phòng)."""
        return _tables(self)[1].resolve(name)


_TABLES: dict[int, tuple[RuleSet, tuple[NameTable, NameTable]]] = {}


def _tables(rules: RuleSet) -> tuple[NameTable, NameTable]:
    """The rule set's title and kind names, built once (kept outside the dataclass, which compares by fields)."""
    cached = _TABLES.get(id(rules))
    if cached is None or cached[0] is not rules:
        cached = _TABLES[id(rules)] = (rules, (title_names(rules.titles), kind_names(rules.kinds)))
    return cached[1]


# --- value parsing shared by rules and facts --------------------------------------------


def match_level(scale: Scale, value: Any) -> int | None:
    """The index of the level `value` names, by id, label or alias (abbreviation), with or without diacritics."""
    if not isinstance(value, str):
        return None
    table = scale.lookup()
    found = table.get(normal(value))
    return found if found is not None or not bare(value) else table.get(plain(value))


def level_suggestion(scale: Scale, value: Any) -> str | None:
    names = [lv.id for lv in scale.levels] + [lv.label for lv in scale.levels]
    return suggest(str(value), names) or suggest(plain(str(value)), [plain(n) for n in names])


def parse_number(value: Any) -> int | float | None:
    """A number from YAML, or from text as spreadsheets and CSV give it ('12', '8,5', ' 7 ')."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value if _computable(value) else None
    if isinstance(value, str):
        text = value.strip()
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # Vietnamese decimal comma
        number: int | float
        try:
            number = int(text, 10)  # "08", "010": the decimal numbers eight and ten
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return None
        return number if _computable(number) else None
    return None


def _computable(number: int | float) -> bool:
    """Finite, and an integer of at most MAX_INT_DIGITS digits: ".nan", "1e400" and 5,000-digit
    numbers are refused where they are written rather than failing the run later."""
    if isinstance(number, float):
        return math.isfinite(number) and abs(number) < 10.0**MAX_INT_DIGITS
    return bool(abs(number) < 10**MAX_INT_DIGITS)


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            try:
                return dt.date.fromisoformat(text)  # the common case, without strptime's cost
            except ValueError:
                return None
        for fmt in ("%d/%m/%Y", "%d-%m-%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    return None


_FIGURE = r"(\d+(?:[.,]\d+)?)"
_REPORTED = re.compile(rf"^{_FIGURE}\s*(?:\(\s*{_FIGURE}\s*%\s*\))?$")
_REPORTED_SHARE = re.compile(rf"^{_FIGURE}\s*%$")


def _fraction(text: str) -> Fraction:
    return Fraction(text.replace(",", "."))


def parse_reported(raw: Any, share_target: bool) -> tuple[Fraction | None, Fraction | None] | None:
    """(count, share) a report states: 17, "17", "54,6%", "34 (54,6%)"; None when it is none of these.

    A bare number is a count on a count target and a share (at most 1) on a share target.
    """
    if isinstance(raw, ReportedFigures):
        return _reported_figures(raw)
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        if not math.isfinite(raw) or raw < 0:
            return None
        value = Fraction(str(raw))
        if share_target:
            return (None, value) if value <= 1 else None
        return (value, None)
    if not isinstance(raw, str):
        return None
    text = " ".join(raw.split())
    if m := _REPORTED_SHARE.match(text):
        alone = _fraction(m.group(1)) / 100
        return (None, alone) if alone <= 1 else None
    if m := _REPORTED.match(text):
        stated = _fraction(m.group(2)) / 100 if m.group(2) else None
        if stated is not None and stated > 1:
            return None
        count = _fraction(m.group(1))
        if share_target and stated is None:
            return (None, count) if count <= 1 else None
        return (count, stated)
    return None


def _reported_figures(raw: ReportedFigures) -> tuple[Fraction | None, Fraction | None] | None:
    """`{count: 18, share: "31,58%"}`: a count (a number) and a share ('31,58%' or a fraction at most 1)."""
    count = share = None
    if raw.count is not None:
        parsed = parse_reported(raw.count, share_target=False)
        if parsed is None or parsed[0] is None or parsed[1] is not None:
            return None
        count = parsed[0]
    if raw.share is not None:
        text = raw.share if isinstance(raw.share, str) else None
        if text is not None and not text.strip().endswith("%"):
            return None  # "31,58" could be a count or a share: the report's sign says which
        parsed = parse_reported(raw.share, share_target=True)
        if parsed is None or parsed[1] is None:
            return None
        share = parsed[1]
    if count is None and share is None:
        return None
    return (count, share)


def _population_key(share: ShareMeasure) -> Any:
    """What a share's denominator is made of: the kind, who is in it, how unknowns count."""
    return (share.of, share.where.model_dump() if share.where is not None else None, share.unknown)


def _population_text(share: ShareMeasure) -> str:
    """A share's population as written, for a message: 'person', 'person, where: {...}'."""
    text = share.of
    if share.where is not None:
        text += f", where: {share.where.model_dump(exclude_none=True, by_alias=True)}"
    if share.unknown != "pending":
        text += f", unknown: {share.unknown}"
    return text


def encode_value(rules_scales: dict[str, Scale], attr: Attribute, value: Any) -> tuple[bool, Any]:
    """(ok, encoded) for one attribute value: scale -> level index, date -> ordinal, bool -> 0/1."""
    if attr.scale is not None:
        idx = match_level(rules_scales[attr.scale], value)
        return (idx is not None, idx)
    if attr.ref is not None or attr.type == "text":
        return (isinstance(value, (str, int)) and not isinstance(value, bool), str(value))
    if attr.type == "boolean":
        if isinstance(value, bool):
            return (True, int(value))
        if isinstance(value, str) and value.strip().casefold() in BOOL_WORDS:
            return (True, BOOL_WORDS[value.strip().casefold()])
        return (False, None)
    if attr.type in ("integer", "number"):
        number = parse_number(value)
        if number is None or (attr.type == "integer" and int(number) != number):
            return (False, None)
        return (True, int(number) if attr.type == "integer" else number)
    if attr.type == "date":
        d = parse_date(value)
        return (d is not None, d.toordinal() if d else None)
    return (False, None)


def level_awaits(rules_scales: dict[str, Scale], attr: Attribute, encoded: Any) -> str | None:
    """Who a value is awaited from when its level is a review under way (`awaits:`), else None."""
    if attr.scale is None or not isinstance(encoded, int):
        return None
    return rules_scales[attr.scale].levels[encoded].awaits


# yes/no/on/off are read as text by the YAML reader (rules/source.py); a boolean attribute takes them
BOOL_WORDS = {"true": 1, "false": 0, "có": 1, "không": 0, "yes": 1, "no": 0, "on": 1, "off": 0, "x": 1}


# What a value of each type looks like: a type is never named without its values or an example.
TYPE_EXAMPLES = {
    "boolean": "boolean: true/false, có/không",
    "date": "date: 2022-01-14, 14/01/2022",
    "integer": "integer: 0, 12",
    "number": "number: 8,5; 12",
    "text": "text",
}


def describe_type(attr: Attribute) -> str:
    if attr.scale is not None:
        return f"scale:{attr.scale}"
    if attr.ref is not None:
        return f"ref:{attr.ref} (id)"
    return TYPE_EXAMPLES.get(str(attr.type), str(attr.type))


# --- names (labels, aliases, abbreviations) -> codes ------------------------------------


def title_names(titles: dict[str, Title]) -> NameTable:
    """Every title and award by id, title and aliases (LĐTT, CSTĐCS, ...)."""
    table = NameTable()
    for title in titles.values():
        table.add(title.id, [title.title, *title.aliases], title.location)
    return table


def kind_names(kinds: dict[str, Kind]) -> NameTable:
    """Every kind by id, title and aliases (Cá nhân, Phòng, ...)."""
    table = NameTable()
    for kind in kinds.values():
        table.add(kind.id, [kind.title, *kind.aliases], kind.location)
    return table


def level_names(scale: Scale) -> NameTable:
    """The levels of one scale by id, label and aliases (HTTNV, ...); built to find clashing aliases."""
    table = NameTable()
    for level in scale.levels:
        table.add(level.id, [level.label, *level.aliases], level.location)
    return table


def attribute_suggestion(kind: Kind, name: str) -> str | None:
    """The attribute `name` most likely means, by id, label or alias ('xep_loai' -> 'rating')."""
    table = NameTable()
    for attr in kind.attributes:
        table.add(attr.id, [attr.label, *attr.aliases, *(identifier(n) for n in (attr.label, *attr.aliases))])
    found = table.resolve(name) or table.resolve(name.replace("_", " "))
    return found or table.suggestion(name)


# --- resolution -------------------------------------------------------------------------


class Resolver:
    """Checks cross-references of parsed rule files and builds the resolved targets."""

    def __init__(self, scales: dict[str, Scale], kinds: dict[str, Kind], titles: dict[str, Title], problems: Problems):
        self.scales, self.kinds, self.titles, self.problems = scales, kinds, titles, problems
        self.title_names = title_names(titles)
        self.kind_names = kind_names(kinds)

    def check_declarations(self) -> None:
        tables = [self.title_names, self.kind_names, *(level_names(scale) for scale in self.scales.values())]
        for table in tables:
            for clash in table.clashes:
                self.problems.add(
                    "rules.alias_ambiguous", clash.location, name=clash.name, codes=", ".join(clash.codes)
                )
        for kind in self.kinds.values():
            seen: set[str] = set()
            for attr in kind.attributes:
                if attr.id in seen or attr.id in ("id", "name", "titles", "note"):
                    self.problems.add("rules.duplicate_attribute", attr.location, kind=kind.id, attr=attr.id)
                seen.add(attr.id)
                if attr.scale is not None and attr.scale not in self.scales:
                    self.problems.add(
                        "rules.unknown_scale", attr.location, suggest(attr.scale, self.scales), scale=attr.scale
                    )
                if attr.ref is not None and attr.ref not in self.kinds:
                    self.problems.add("rules.unknown_kind", attr.location, suggest(attr.ref, self.kinds), kind=attr.ref)
        for scale in self.scales.values():
            ids = [lv.id for lv in scale.levels]
            for lv in scale.levels:
                if ids.count(lv.id) > 1:
                    self.problems.add("rules.duplicate_level", lv.location, scale=scale.id, level=lv.id)
        for title in self.titles.values():
            for holder in title.holders:
                if holder not in self.kinds:
                    self.problems.add("rules.unknown_kind", title.location, suggest(holder, self.kinds), kind=holder)

    def title_for(self, title_id: str, kind: Kind, loc: Location) -> Title | None:
        """The declared title `title_id`, if entities of `kind` can hold it; otherwise a located problem."""
        code = self.title_names.resolve(title_id)
        title = self.titles.get(code) if code is not None else None
        if title is None:
            self.problems.add("rules.unknown_title", loc, self.title_names.suggestion(title_id), title=title_id)
            return None
        if kind.id not in title.holders:
            holders = ", ".join(title.holders)
            self.problems.add("rules.title_not_for_kind", loc, title=title.id, kind=kind.id, holders=holders)
            return None
        return title

    def _kind(self, kind: str, loc: Location) -> Kind | None:
        code = self.kind_names.resolve(kind)
        if code is None:
            self.problems.add("rules.unknown_kind", loc, self.kind_names.suggestion(kind), kind=kind)
            return None
        return self.kinds[code]

    def condition(self, cond: Any, kind: Kind, target: Target) -> Pred | None:
        if isinstance(cond, AllOf):
            items = [self.condition(c, kind, target) for c in cond.all]
            return PAll(tuple(i for i in items if i is not None)) if all(items) else None
        if isinstance(cond, AnyOf):
            items = [self.condition(c, kind, target) for c in cond.any]
            return PAny(tuple(i for i in items if i is not None)) if all(items) else None
        if isinstance(cond, NotOf):
            item = self.condition(cond.not_, kind, target)
            return PNot(item) if item is not None else None
        if isinstance(cond, HasTitle):
            title = self.title_for(cond.has_title, kind, cond.location)
            if title is None:
                return None
            state = cond.state or ("any" if target.count_proposed else "decided")
            return PTitle(title.id, state, cond.location)
        assert isinstance(cond, AttrTest)
        return self.attr_test(cond, kind)

    def attribute_of(self, kind: Kind, name: str, loc: Location) -> Attribute | None:
        """The attribute `name` of `kind`; a located problem with a suggestion when it has none."""
        attr = next((a for a in kind.attributes if a.id == name), None)
        if attr is None:
            self.problems.add("rules.unknown_attribute", loc, attribute_suggestion(kind, name), attr=name, kind=kind.id)
        return attr

    def attr_test(self, cond: AttrTest, kind: Kind) -> PAttr | None:
        attr = self.attribute_of(kind, cond.attr, cond.location)
        if attr is None:
            return None
        op = {"at_least": "gte", "at_most": "lte"}.get(cond.op, cond.op)
        ordered = attr.scale is not None or attr.type in ORDERED_TYPES
        if op in ("gt", "gte", "lt", "lte") and not ordered:
            self.problems.add(
                "rules.operator_needs_order", cond.location, op=cond.op, attr=attr.id, type=describe_type(attr)
            )
            return None
        raw_values = cond.value if op == "in" else [cond.value]
        encoded = []
        for raw in raw_values:
            ok, enc = encode_value(self.scales, attr, raw)
            if not ok:
                if attr.scale is not None:
                    self.problems.add(
                        "rules.unknown_level",
                        cond.location,
                        level_suggestion(self.scales[attr.scale], raw),
                        value=raw,
                        scale=attr.scale,
                    )
                else:
                    self.problems.add(
                        "rules.bad_value", cond.location, value=raw, attr=attr.id, type=describe_type(attr)
                    )
                return None
            encoded.append(enc)
        value = tuple(encoded) if op == "in" else encoded[0]
        return PAttr(attr.id, op, value, cond.value, cond.location)

    def measure(self, m: Measure, target: Target) -> ResolvedMeasure | None:
        if m.count is not None:
            kind = self._kind(m.count.of, m.count.location)
            if kind is None:
                return None
            where = self.condition(m.count.where, kind, target) if m.count.where is not None else None
            if m.count.where is not None and where is None:
                return None
            return ResolvedMeasure("count", kind.id, where=where)
        if m.share is not None:
            return self.share_measure(m.share, target)
        if m.level is not None:
            kind = self._kind(m.level.of, m.level.location)
            if kind is None:
                return None
            attr = next((a for a in kind.attributes if a.id == m.level.attribute), None)
            if attr is None:
                self.problems.add(
                    "rules.unknown_attribute",
                    m.level.location,
                    attribute_suggestion(kind, m.level.attribute),
                    attr=m.level.attribute,
                    kind=kind.id,
                )
                return None
            if attr.scale is None:
                self.problems.add("rules.level_needs_scale", m.level.location, attr=attr.id, type=describe_type(attr))
                return None
            return ResolvedMeasure("level", kind.id, attribute=attr.id, scale=attr.scale, entity=m.level.entity)
        if m.value is not None:
            return self.value_measure(m.value)
        if m.holds is not None:
            kind = self._kind(m.holds.of, m.holds.location)
            if kind is None:
                return None
            cond = self.condition(m.holds.condition, kind, target)
            if cond is None:
                return None
            return ResolvedMeasure("holds", kind.id, matching=cond, entity=m.holds.entity)
        assert m.sum is not None
        if any(part.share is not None for part in m.sum):
            return self.share_sum(m.sum, target)
        parts = []
        for part in m.sum:
            assert part.count is not None
            kind = self._kind(part.count.of, part.count.location)
            if kind is None:
                return None
            where = self.condition(part.count.where, kind, target) if part.count.where is not None else None
            if part.count.where is not None and where is None:
                return None
            parts.append(ResolvedMeasure("count", kind.id, where=where))
        return ResolvedMeasure("sum", parts=tuple(parts))

    def share_measure(self, share: ShareMeasure, target: Target) -> ResolvedMeasure | None:
        kind = self._kind(share.of, share.location)
        if kind is None:
            return None
        where = self.condition(share.where, kind, target) if share.where is not None else None
        matching = self.condition(share.matching, kind, target)
        if matching is None or (share.where is not None and where is None):
            return None
        return ResolvedMeasure("share", kind.id, where=where, matching=matching, unknown=share.unknown)

    def share_sum(self, sum_parts: list[SumMeasure], target: Target) -> ResolvedMeasure | None:
        """Shares added over one denominator ("tỷ lệ Tốt và Khá trên 95%"): every part a share of the
        same population (`of`, `where`, `unknown`); a count among them, or another population, is a
        located error saying why the shares cannot be added."""
        first = sum_parts[0].share
        for number, part in enumerate(sum_parts, start=1):
            if part.share is None:
                self.problems.add("rules.sum_mixed", part.location, part=number)
                return None
        assert first is not None
        shares = [part.share for part in sum_parts if part.share is not None]
        for number, share in enumerate(shares[1:], start=2):
            if _population_key(share) != _population_key(first):
                self.problems.add(
                    "rules.sum_share_denominators",
                    share.location,
                    part=number,
                    first=_population_text(first),
                    other=_population_text(share),
                )
                return None
        parts = []
        for share in shares:
            measure = self.share_measure(share, target)
            if measure is None:
                return None
            parts.append(measure)
        return ResolvedMeasure("share", parts[0].of, where=parts[0].where, unknown=first.unknown, parts=tuple(parts))

    def value_measure(self, v: ValueMeasure) -> ResolvedMeasure | None:
        """A number attribute of one entity; refused (located) for an attribute that is not a number."""
        kind = self._kind(v.of, v.location)
        if kind is None:
            return None
        attr = self.attribute_of(kind, v.attribute, v.location)
        if attr is None:
            return None
        if attr.type not in ("integer", "number"):
            self.problems.add("rules.value_needs_number", v.location, attr=attr.id, type=describe_type(attr))
            return None
        return ResolvedMeasure("value", kind.id, attribute=attr.id, entity=v.entity, better=v.better, unit=v.unit)

    def threshold(self, target: Target, measure: ResolvedMeasure) -> Threshold | None:
        req = target.require
        loc = req.location if req is not None else target.location
        if req is None:
            if measure.kind == "holds":
                return Threshold("eq", (Fraction(1),), (True,))
            self.problems.add("rules.require_missing", target.location, target=target.id)
            return None
        op, raw = req.operators()[0]
        raws = list(raw) if op == "between" else [raw]
        if measure.kind == "holds" and op != "eq":
            self.problems.add("rules.holds_needs_eq", loc, op=op)
            return None
        against = {"lower": ("gt", "gte"), "higher": ("lt", "lte")}.get(measure.better, ())
        if measure.kind == "value" and op in against:
            self.problems.add("rules.value_direction", loc, op=op, better=measure.better)
            return None
        values = []
        for r in raws:
            v = self.requirement_value(measure, r, loc)
            if v is None:
                return None
            values.append(v)
        if op == "between" and values[0] > values[1]:
            self.problems.add("rules.range_reversed", loc, low=raws[0], high=raws[1])
            return None
        return Threshold(cast(RequirementOp, op), tuple(values), tuple(raws))

    def requirement_value(self, measure: ResolvedMeasure, raw: Any, loc: Location) -> Fraction | None:
        kind = measure.kind
        if isinstance(raw, float) and not math.isfinite(raw):
            raw = str(raw)  # .inf, .nan: refused below as any other text, with the target's location
        if kind in ("count", "sum"):
            if isinstance(raw, str) and re.fullmatch(r"\s*[0-9]+\s*", raw):
                raw = int(raw, 10)  # "02", "05": pledges write counts with leading zeros
            if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw < 0 or parse_number(raw) is None:
                self.problems.add("rules.require_count", loc, value=raw)
                return None
            return Fraction(str(raw))
        if kind == "share":
            if isinstance(raw, str) and raw.strip().endswith("%"):
                try:
                    value = Fraction(raw.strip()[:-1].strip().replace(",", ".")) / 100
                except ValueError:
                    self.problems.add("rules.require_share", loc, value=raw)
                    return None
            elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
                value = Fraction(str(raw))
                if value > 1:
                    self.problems.add("rules.share_over_one", loc, f"{raw}%", value=raw)
                    return None
            else:
                self.problems.add("rules.require_share", loc, value=raw)
                return None
            if not 0 <= value <= 1:
                self.problems.add("rules.require_share", loc, value=raw)
                return None
            return value
        if kind == "value":
            number = _number(raw)
            if number is None:
                self.problems.add("rules.require_number", loc, value=raw)
            return number
        if kind == "level":
            assert measure.scale is not None
            scale = self.scales[measure.scale]
            idx = match_level(scale, raw)
            if idx is None:
                self.problems.add("rules.unknown_level", loc, level_suggestion(scale, raw), value=raw, scale=scale.id)
                return None
            return Fraction(idx)
        # holds
        if not isinstance(raw, bool):
            self.problems.add("rules.require_bool", loc, value=raw)
            return None
        return Fraction(int(raw))

    def target(self, target: Target) -> ResolvedTarget | None:
        measure = self.measure(target.measure, target)
        if measure is None:
            return None
        threshold = self.threshold(target, measure)
        if threshold is None:
            return None
        if target.exceed == "auto":
            exceed = measure.kind in ("count", "sum", "level", "value")
        else:
            exceed = target.exceed == "above"
        if threshold.direction == "none":
            exceed = False
        reported = self.reported(target, measure)
        if reported is None:
            return None
        return ResolvedTarget(target, measure, threshold, exceed, *reported)

    def reported(self, target: Target, measure: ResolvedMeasure) -> tuple[Fraction | None, Fraction | None] | None:
        """The report's count and share, read from `reported`; None (with a located problem) when unreadable."""
        raw = target.reported
        if raw is None or measure.kind not in ("count", "sum", "share"):
            return (None, None)
        parsed = parse_reported(raw, measure.kind == "share")
        if parsed is None:
            shown = raw
            if isinstance(raw, ReportedFigures):
                pairs = [f"{k}: {v}" for k, v in (("count", raw.count), ("share", raw.share)) if v is not None]
                shown = "{" + ", ".join(pairs) + "}"
            self.problems.add("rules.reported_unreadable", target.location, value=shown, target=target.id)
        return parsed
