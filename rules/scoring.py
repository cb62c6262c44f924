"""The block file (block.rules.yaml): an emulation block's members, scoring table, ranking and proposals."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, Union

from pydantic import Field, ModelWrapValidatorHandler, PrivateAttr, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from thidua.rules.errors import Location, Problems, UserError, suggest
from thidua.rules.loader import read_rule_data, validation_problems
from thidua.rules.model import IDENT, TARGET_ID, Agency, Measure, Node, Requirement
from thidua.rules.periods import checked_period

BLOCK_FILE = "block.rules.yaml"

Number = Union[int, float]  # noqa: UP007 - a runtime alias pydantic reads


def points(value: Number) -> Fraction:
    """A point value as written (0.5, 2, 12.25) as an exact fraction: scores are never rounded inside."""
    return Fraction(str(value))


class _Points(Node):
    """Checks that every point value is a plain, non-negative number (true/false is not a number)."""

    @model_validator(mode="before")
    @classmethod
    def _no_bool(cls, data: object) -> object:
        if isinstance(data, dict):
            for key in ("max", "points", "cap", "per", "per_unit", "min_score", "total"):
                value = data.get(key)
                if isinstance(value, bool) or (isinstance(value, (int, float)) and value < 0):
                    raise PydanticCustomError("block.bad_points", "'{key}' must be a number ≥ 0", {"key": key})
        return data


class ExceedBonus(_Points):
    """Points added when a target is exceeded: `points` per `per` units of the margin, at most `cap`."""

    points: Number = Field(description="Points per step of the margin.")
    per: Number = Field(default=1, gt=0, description="Size of one step: 1 count, 1 level, 1 percentage point...")
    cap: Number = Field(description="At most this many bonus points for the item.")


class ScoreItem(_Points):
    """One line of the scoring table: points from a member's own target, or from a measure of its facts."""

    id: str = Field(pattern=IDENT)
    title: str
    max: Number = Field(description="Full points of the item (điểm chuẩn).")
    reference: str | None = None
    target: str | None = Field(default=None, pattern=TARGET_ID, description="Id of the member's own target.")
    measure: Measure | None = Field(default=None, description="A measure over the member's facts, as targets use.")
    require: Requirement | None = Field(default=None, description="With `measure`: full points when met.")
    per_unit: Number | None = Field(
        default=None, description="With `measure` and no `require`: points per unit measured, up to `max`."
    )
    exceeded: ExceedBonus | None = Field(default=None, description="Bonus when the target is exceeded.")
    not_met: Literal["zero", "proportional"] = Field(
        default="zero", description="Points when not met: none, or `max` times the measured share of the requirement."
    )

    @model_validator(mode="after")
    def _one_source(self) -> ScoreItem:
        if (self.target is None) == (self.measure is None):
            raise PydanticCustomError("block.item_source", "an item takes its points from 'target' or 'measure'")
        if self.measure is not None and (self.require is None) == (self.per_unit is None):
            raise PydanticCustomError("block.item_points", "an item with 'measure' needs 'require' or 'per_unit'")
        if self.target is not None and (self.require is not None or self.per_unit is not None):
            raise PydanticCustomError(
                "block.item_target_only", "an item with 'target' takes no 'require' or 'per_unit'"
            )
        return self


class Group(_Points):
    """A group of the scoring table (nhóm tiêu chí) with its maximum, the sum of its items' maxima."""

    id: str = Field(pattern=IDENT)
    title: str
    max: Number
    items: list[ScoreItem] = Field(min_length=1)


class Adjustment(_Points):
    """Bonus points (điểm thưởng) or a deduction (điểm trừ): `points` per unit of `measure`, at most `cap`."""

    id: str = Field(pattern=IDENT)
    title: str
    points: Number
    measure: Measure
    cap: Number | None = None
    reference: str | None = None


class Scoring(_Points):
    """The scoring table (bảng tiêu chí chấm điểm)."""

    decimals: int = Field(default=2, ge=0, le=4, description="Decimals shown; scores are exact inside.")
    total: Number | None = Field(default=None, description="Sum of the groups' maxima, checked (often 100).")
    groups: list[Group] = Field(min_length=1)
    bonus: list[Adjustment] = Field(default_factory=list)
    deductions: list[Adjustment] = Field(default_factory=list)


class TieBreaker(Node):
    """Decides between equal totals: a higher score in a group, fewer points deducted, more bonus."""

    group: str | None = None
    deductions: Literal["fewer"] | None = None
    bonus: Literal["more"] | None = None

    @model_validator(mode="after")
    def _one(self) -> TieBreaker:
        if sum(x is not None for x in (self.group, self.deductions, self.bonus)) != 1:
            raise PydanticCustomError("block.tie_breaker", "a tie-breaker is one of: group, deductions, bonus")
        return self


class Ranking(Node):
    tie_breakers: list[TieBreaker] = Field(default_factory=list)


class ProposalCondition(_Points):
    """A condition a member must meet to be proposed: no target not met, a minimum score, or a measure."""

    id: str = Field(pattern=IDENT)
    title: str
    no_target_not_met: Literal[True] | None = None
    min_score: Number | None = None
    measure: Measure | None = None
    require: Requirement | None = None
    reference: str | None = None

    @model_validator(mode="after")
    def _one(self) -> ProposalCondition:
        given = [x for x in (self.no_target_not_met, self.min_score, self.measure) if x is not None]
        if len(given) != 1 or (self.measure is None) != (self.require is None):
            raise PydanticCustomError(
                "block.condition_kind", "a condition is one of: no_target_not_met, min_score, measure with require"
            )
        return self


class ProposalTitle(Node):
    """A title the block proposes down its ranking, `quota` members at most, each meeting `conditions`."""

    id: str = Field(pattern=IDENT)
    title: str
    quota: int = Field(ge=0)
    award: str | None = Field(
        default=None, description="The title's id in the members' rules, for targets awaiting the block."
    )
    decided_by: str = Field(default="UBND tỉnh", description="Who decides after the block proposes.")
    conditions: list[str] = Field(default_factory=list)
    reference: str | None = None


class Proposals(Node):
    conditions: list[ProposalCondition] = Field(default_factory=list)
    titles: list[ProposalTitle] = Field(min_length=1)


class Block(Node):
    name: str = Field(description="As members' facts name it in `awaiting:`, e.g. Khối thi đua số 6.")
    period: int | str | None = Field(
        default=None, description="The period ranked: a year (2022) or a school year ('2023-2024')."
    )
    members: list[str] | None = Field(
        default=None, description="Member agency folders, relative to this file; every sub-folder by default."
    )
    note: str | None = None
    _member_locs: list[Location] = PrivateAttr(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _member_places(cls, data: object, handler: ModelWrapValidatorHandler[Block]) -> Block:
        """Where each member is listed (file, line, column), for the problems about one member."""
        node = handler(data)
        listed = data.get("members") if isinstance(data, dict) else None
        node._member_locs = list(getattr(listed, "item_locs", []))
        return node

    def member_location(self, index: int) -> Location:
        """Where the `index`-th member is listed; the `block:` key when unknown."""
        return self._member_locs[index] if index < len(self._member_locs) else self.location

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, value: Any) -> Any:
        return checked_period(value)


TIME = r"^([01]?[0-9]|2[0-3])[:h]([0-5][0-9])$"  # 08:00, 8:00, 14h30


class Participant(Node):
    """Someone the minutes name: the chair or the secretary of the meeting."""

    name: str | None = Field(default=None, description="Full name, e.g. 'Nguyễn Văn Bình'.")
    position: str | None = Field(
        default=None, description="Position and body, e.g. 'Giám đốc Sở Nội vụ, Khối trưởng Khối thi đua số 6'."
    )


class Vote(Node):
    """The members' vote on the ranking and the proposals (biểu quyết): how many voted and how."""

    voters: int = Field(ge=0, description="Members (or delegates) entitled to vote and present.")
    agreed: int = Field(ge=0, description="Votes for (tán thành).")
    against: int = Field(default=0, ge=0, description="Votes against (không tán thành).")
    abstained: int = Field(default=0, ge=0, description="Who did not vote either way (không biểu quyết).")

    @model_validator(mode="after")
    def _adds_up(self) -> Vote:
        cast = self.agreed + self.against + self.abstained
        if cast > self.voters:
            raise PydanticCustomError(
                "block.vote_sum",
                "agreed + against + abstained ({cast}) is more than voters ({voters})",
                {"cast": cast, "voters": self.voters},
            )
        return self


class Meeting(Node):
    """The block's ranking meeting, as its minutes (biên bản) record it; every field is optional and
    a missing one prints as '…' for the secretary to fill in."""

    date: dt.date | None = Field(default=None, description="The day of the meeting, e.g. 2022-12-20.")
    start: str | None = Field(default=None, description="When it began, e.g. '08:00'.")
    end: str | None = Field(default=None, description="When it ended, e.g. '11:30'.")
    place: str | None = Field(default=None, description="Where it was held, e.g. 'Hội trường Sở Nội vụ'.")
    chair: Participant | None = Field(default=None, description="Who chaired it (chủ trì): signs on the right.")
    secretary: Participant | None = Field(
        default=None, description="Who wrote the minutes (thư ký): signs on the left."
    )
    attendees: list[str] = Field(default_factory=list, description="Who attended (thành phần tham dự), one line each.")
    absent: list[str] = Field(default_factory=list, description="Members or delegates absent, with the reason.")
    vote: Vote | None = Field(default=None, description="The vote on the ranking and the proposals.")

    @field_validator("start", "end", mode="before")
    @classmethod
    def _time(cls, value: object) -> object:
        if value is not None and (not isinstance(value, str) or re.match(TIME, value.strip()) is None):
            raise PydanticCustomError("block.bad_time", "not a time of day", {"value": value})
        return value.strip() if isinstance(value, str) else value

    def clock(self, which: str) -> tuple[int, int] | None:
        """The hour and minute of `start` or `end`, if written."""
        text = self.start if which == "start" else self.end
        m = re.match(TIME, text) if text else None
        return (int(m.group(1)), int(m.group(2))) if m else None


class BlockFile(Node):
    version: Literal[1] = 1
    block: Block
    scoring: Scoring
    ranking: Ranking = Field(default_factory=Ranking)
    proposals: Proposals | None = None
    agency: Agency | None = Field(
        default=None,
        description="Who issues the block's minutes (thidua block --format docx): header and signer; "
        "a missing field prints as '…'.",
    )
    meeting: Meeting | None = Field(
        default=None,
        description="The ranking meeting its minutes record: time, place, attendees, chair, secretary, vote.",
    )


def _check(model: BlockFile, problems: Problems) -> None:
    """Cross-references inside the block file: unique ids, sums of maxima, names that point somewhere."""
    seen: dict[str, Location] = {}

    def unique(what: str, ident: str, loc: Location) -> None:
        key = f"{what}:{ident}"
        if key in seen:
            problems.add("rules.duplicate_id", loc, what=what, id=ident, first=str(seen[key]))
        else:
            seen[key] = loc

    sc = model.scoring
    for group in sc.groups:
        unique("group", group.id, group.location)
        total = sum((points(i.max) for i in group.items), Fraction(0))
        if total != points(group.max):
            problems.add("block.group_sum", group.location, group=group.id, max=group.max, sum=_shown(total))
        for item in group.items:
            unique("item", item.id, item.location)
    for adj in (*sc.bonus, *sc.deductions):
        unique("item", adj.id, adj.location)
    if sc.total is not None:
        total = sum((points(g.max) for g in sc.groups), Fraction(0))
        if total != points(sc.total):
            problems.add("block.total_sum", sc.location, total=sc.total, sum=_shown(total))
    groups = [g.id for g in sc.groups]
    for tb in model.ranking.tie_breakers:
        if tb.group is not None and tb.group not in groups:
            problems.add("block.unknown_group", tb.location, suggest(tb.group, groups), group=tb.group)
    if model.proposals is not None:
        conds = [c.id for c in model.proposals.conditions]
        for cond in model.proposals.conditions:
            unique("condition", cond.id, cond.location)
        for title in model.proposals.titles:
            unique("proposal", title.id, title.location)
            for name in title.conditions:
                if name not in conds:
                    problems.add("block.unknown_condition", title.location, suggest(name, conds), condition=name)


@dataclass(frozen=True)
class MemberFolder:
    """A member agency of the block: as the block file names it, its folder, and where it is listed."""

    key: str
    folder: Path
    location: Location


def member_folders(model: BlockFile, folder: Path) -> list[MemberFolder]:
    """The members listed (relative to the block folder), or every sub-folder holding rule files.

    Members are folders, each resolved to the folder it is (a trailing '/', './', '..', a symbolic
    link): one listed twice under two spellings would be scored, ranked and proposed twice, tie
    with itself and push every other member down, so each later listing is a located problem, all
    reported together. A listed folder that does not exist is the member's own problem (run.py)."""
    if model.block.members is None:
        found = sorted(p for p in folder.iterdir() if p.is_dir() and any(p.glob("*.rules.y*ml")))
        listed = [MemberFolder(p.name, p, model.block.location) for p in found]
    else:
        listed = [
            MemberFolder(name, folder / name, model.block.member_location(i))
            for i, name in enumerate(model.block.members)
        ]
    problems = Problems()
    seen: dict[str, MemberFolder] = {}
    out = []
    for member in listed:
        real = os.path.normcase(os.path.realpath(member.folder))
        first = seen.get(real)
        if first is not None:
            problems.add(
                "block.duplicate_member",
                member.location,
                member=member.key,
                first=first.key,
                at=str(first.location),
                path=real,
            )
            continue
        seen[real] = member
        out.append(member)
    problems.raise_if_any()
    return out


def _shown(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def load_block_file(path: Path, shown: str) -> BlockFile:
    """Read and check a block file whole; every problem located, all reported at once."""
    data = read_rule_data(path, shown)
    try:
        model = BlockFile.model_validate(data)
    except ValidationError as exc:
        raise UserError(validation_problems(exc, data, shown)) from None
    problems = Problems()
    _check(model, problems)
    problems.raise_if_any()
    return model
