"""Explanation trees: from a judgement down to the rule text, the checks and the facts that decided it."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from typing import Any, Literal

from thidua.evaluator.engine.derive import Derivation
from thidua.evaluator.explain.derivation import DerivationExplainer, DerivationNode
from thidua.evaluator.facts.reader import Awaiting, Entity, FactBase, Holding
from thidua.evaluator.judgement import (
    CheckOut,
    EntityRef,
    Frozen,
    Judgement,
    Margin,
    Measured,
    Reason,
    RequirementOut,
    Source,
)
from thidua.rules.errors import Location, fail, suggest
from thidua.rules.ruleset import RuleSet

DEFAULT_LIMIT = 25  # entities shown per group unless --all or --entity

GROUP_OUTCOME: dict[str, str] = {
    "entities.counted": "true",
    "entities.matching": "true",
    "entities.holds": "true",
    "entities.not_counted": "false",
    "entities.not_matching": "false",
    "entities.does_not_hold": "false",
    "entities.outside": "false",
    "entities.unknown": "unknown",
    "entities.population_unknown": "unknown",
    "entities.excluded_unknown": "unknown",
    "entities.unknown_as_not_matching": "unknown",
}


class Place(Frozen):
    """Where a fact or a rule is written: file and line, or sheet and row for spreadsheets."""

    file: str
    line: int = 0
    column: int = 0
    sheet: str | None = None
    column_name: str | None = None

    @classmethod
    def of(cls, loc: Location | None) -> Place | None:
        if loc is None:
            return None
        return cls(file=loc.file, line=loc.line, column=loc.column, sheet=loc.sheet, column_name=loc.column_name)


class FactNode(Frozen):
    """The fact one check read on one entity, as written, and where it is written."""

    subject: Literal["attribute", "title"]
    name: str
    written: Any = None  # the value as written; for a title the holding's state (or "none")
    awaiting: str | None = None  # who a pending value or proposal waits for
    holding: dict[str, Any] | None = None  # every recorded detail of a held title (state, decision, note, ...)
    place: Place | None = None  # None when the fact is absent (nothing written)


class CheckNode(Frozen):
    """One condition that decided a group: attribute or title, operator, expected, actual, outcome.

    `derivation`, on a check of a title the criteria decided, says how that title was earned or
    refused (criterion, its checks, quotas, the council's override), recursively.
    """

    check: CheckOut
    derivation: DerivationNode | None = None


class EntityNode(Frozen):
    id: str
    name: str
    kind: str
    place: Place | None = None
    facts: tuple[FactNode, ...] = ()
    note: str | None = None


class GroupNode(Frozen):
    """A group of entities with the same outcome and the same checks (one reason of the judgement)."""

    code: str
    params: dict[str, Any] = {}
    role: str | None = None
    outcome: Literal["true", "false", "unknown"] | None = None
    count: int = 0
    checks: tuple[CheckNode, ...] = ()
    entities: tuple[EntityNode, ...] = ()
    hidden: int = 0  # entities left out of `entities` (see --all)


class NoteNode(Frozen):
    """A fact about the measurement: a proposal counted, missing data, a value awaited (for a level
    measure, `facts` holds the entity and where its value is written)."""

    code: str
    params: dict[str, Any] = {}
    entities: tuple[EntityRef, ...] = ()
    facts: tuple[EntityNode, ...] = ()
    hidden: int = 0  # entities left out (see --all): a note on thousands of derived titles stays short


class RuleText(Frozen):
    file: str
    first_line: int
    last_line: int
    text: str


class Explanation(Frozen):
    """Why a target got its verdict, all the way down; every part comes from the judgement itself."""

    target: str
    title: str
    reference: str | None
    group: str | None
    status: str
    source: Source
    rule_text: RuleText | None
    requirement: RequirementOut
    measured: Measured
    margin: Margin | None
    groups: tuple[GroupNode, ...]
    notes: tuple[NoteNode, ...]
    count_proposed: bool = False
    proposals_counted: tuple[EntityRef, ...] = ()
    entity_filter: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


@functools.lru_cache(maxsize=16)
def _lines(text: str) -> tuple[str, ...]:
    """A rule file's lines, split once for every target of it a document explains (a file of 3,000
    targets was split 3,000 times)."""
    return tuple(text.splitlines())


def rule_block(files: Mapping[str, str], source: Source) -> RuleText | None:
    """The YAML text of the node written at `source` (a target): its first line and everything
    indented under it, comments between targets and trailing blank lines left out."""
    text = files.get(source.file)
    if text is None or source.line <= 0:
        return None
    lines = _lines(text)
    if source.line > len(lines):
        return None
    start = source.line - 1
    indent = max(source.column - 1, 0)
    end = start + 1
    while end < len(lines):
        line = lines[end]
        stripped = line.strip()
        if stripped and (len(line) - len(line.lstrip(" "))) < indent:
            break
        end += 1
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return RuleText(file=source.file, first_line=start + 1, last_line=end, text="\n".join(lines[start:end]))


def _holding_details(h: Holding) -> dict[str, Any]:
    """Every non-empty field of a holding but its location, so new details (an override, a
    derivation) show up without this module knowing them."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(h):
        if f.name == "loc":
            continue
        value = getattr(h, f.name)
        if value is None or value == () or value == {}:
            continue
        out[f.name] = value if isinstance(value, (str, int, float, bool)) else str(value)
    return out


def fact_node(entity: Entity | None, check: CheckOut) -> FactNode:
    subject: Literal["attribute", "title"] = "title" if check.subject == "title" else "attribute"
    if entity is None:
        return FactNode(subject=subject, name=check.name, written=check.actual)
    if subject == "title":
        h = entity.holdings.get(check.name)
        if h is None:
            return FactNode(subject=subject, name=check.name, written="none")
        return FactNode(
            subject=subject,
            name=check.name,
            written=h.state,
            awaiting=h.awaiting,
            holding=_holding_details(h),
            place=Place.of(h.loc or entity.loc),
        )
    value = entity.values.get(check.name)
    # A reader that keeps no per-value position (e.g. a spreadsheet row) still locates the entity.
    written_loc = entity.value_locs.get(check.name) or (entity.loc if check.name in entity.values else None)
    place = Place.of(written_loc)
    if isinstance(value, Awaiting):
        return FactNode(subject=subject, name=check.name, written=value.shown, awaiting=value.by, place=place)
    written = entity.shown.get(check.name)
    if isinstance(written, (str, int, float, bool)) or written is None:
        shown: Any = written
    else:
        shown = str(written)
    return FactNode(subject=subject, name=check.name, written=shown, place=place)


def _entity_node(
    ref: EntityRef, checks: tuple[CheckOut, ...], facts: FactBase | None, index: Mapping[str, Entity]
) -> EntityNode:
    entity = index.get(ref.id) if facts is not None else None
    place = (
        Place.of(entity.loc)
        if entity is not None and entity.loc is not None
        else (Place(file=ref.file, line=ref.line) if ref.file else None)
    )
    seen: set[tuple[str, str]] = set()
    nodes = []
    for c in checks:
        if (c.subject, c.name) in seen:
            continue
        seen.add((c.subject, c.name))
        nodes.append(fact_node(entity, c))
    return EntityNode(
        id=ref.id, name=ref.name, kind=ref.kind, place=place, facts=tuple(nodes), note=entity.note if entity else None
    )


def entity_index(facts: FactBase | None) -> dict[str, Entity]:
    """The facts' entities by id, as `explain` looks them up."""
    index: dict[str, Entity] = {}
    if facts is not None:
        for items in facts.entities.values():
            for e in items:
                index[e.id] = e
    return index


_TARGETS: dict[int, tuple[RuleSet, dict[str, Any]]] = {}


def _targets(rules: RuleSet) -> dict[str, Any]:
    """The rule set's target specs by id, built once per rule set (a lookup per target explained)."""
    cached = _TARGETS.get(id(rules))
    if cached is None or cached[0] is not rules:
        if len(_TARGETS) >= 8:  # a long-running process meets many rule sets: keep the last few
            _TARGETS.clear()
        cached = _TARGETS[id(rules)] = (rules, {t.id: t.spec for t in rules.targets})
    return cached[1]


def explain(
    judgement: Judgement,
    files: Mapping[str, str],
    facts: FactBase | None,
    rules: RuleSet | None = None,
    entity: str | None = None,
    limit: int | None = DEFAULT_LIMIT,
    derivation: Derivation | None = None,
    titles: DerivationExplainer | None = None,
    index: Mapping[str, Entity] | None = None,
) -> Explanation:
    """Build the tree of one judgement. `files` are the rule texts (shown path -> text) the target
    was read from; `facts` locates each fact (None: only what the judgement recorded is shown): pass
    the facts the targets saw (derived titles added). `entity` keeps only that entity; `limit` caps
    the entities listed per group (None: all). `derivation`, from the same run, explains each title
    a check reads that the criteria decided (docs/criteria.md); `titles` is the explainer of those
    titles when the caller built it (a recorded run answers from its outcome table); `index`, the
    facts' entities by id when the caller built it (`entity_index`: a document explains every target)."""
    if index is None:
        index = entity_index(facts)
    if titles is None:
        titles = (
            DerivationExplainer(rules, derivation, index, limit)
            if (derivation is not None and rules is not None and derivation.titles)
            else None
        )
    if entity is not None:
        present = {ref.id for r in judgement.reasons for ref in r.entities}
        if entity not in present:
            raise fail(
                "explain.unknown_entity",
                Location(judgement.source.file, judgement.source.line, judgement.source.column),
                suggest(entity, present),
                entity=entity,
                target=judgement.target,
            )
    groups: list[GroupNode] = []
    notes: list[NoteNode] = []
    proposals: list[EntityRef] = []
    for reason in judgement.reasons:
        if reason.code in GROUP_OUTCOME:
            groups.append(_group(reason, facts, index, entity, limit, titles))
        else:
            if entity is not None:  # only the entity asked about; the note counts the others
                refs = tuple(e for e in reason.entities if e.id == entity)
                if not refs and reason.entities:
                    continue
            else:
                refs = reason.entities if limit is None else reason.members.head(limit)
            if reason.code == "note.proposal_counted":
                proposals.extend(refs if entity is not None else reason.entities)
            attr = reason.params.get("attribute")
            read: tuple[EntityNode, ...] = ()
            if isinstance(attr, str):
                probe = (
                    CheckOut(
                        subject="attribute",
                        name=attr,
                        label=str(reason.params.get("attribute_label", attr)),
                        op="eq",
                        expected=None,
                        actual=None,
                        outcome="unknown",
                    ),
                )
                read = tuple(_entity_node(e, probe, facts, index) for e in refs)
            notes.append(
                NoteNode(
                    code=reason.code,
                    params=reason.params,
                    entities=refs,
                    facts=read,
                    hidden=reason.count - len(refs),
                )
            )
    if entity is not None:
        groups = [g for g in groups if g.entities]
    spec = _targets(rules).get(judgement.target) if rules is not None else None
    return Explanation(
        target=judgement.target,
        title=judgement.title,
        reference=judgement.reference,
        group=judgement.group,
        status=judgement.status,
        source=judgement.source,
        rule_text=rule_block(files, judgement.source),
        requirement=judgement.requirement,
        measured=judgement.measured,
        margin=judgement.margin,
        groups=tuple(groups),
        notes=tuple(notes),
        count_proposed=bool(spec.count_proposed)
        if spec is not None
        else any(n.code == "note.proposal_counted" for n in notes),
        proposals_counted=tuple(proposals),
        entity_filter=entity,
    )


def _group(
    reason: Reason,
    facts: FactBase | None,
    index: Mapping[str, Entity],
    entity: str | None,
    limit: int | None,
    titles: DerivationExplainer | None = None,
) -> GroupNode:
    refs = [e for e in reason.entities if entity is None or e.id == entity]
    shown = refs if (limit is None or entity is not None) else refs[:limit]
    ids = [r.id for r in refs]
    return GroupNode(
        code=reason.code,
        params=reason.params,
        role=reason.role,
        outcome=GROUP_OUTCOME[reason.code],  # type: ignore[arg-type]
        count=reason.count,  # the run's count: a reason read from a /2 body lists only its first entities
        checks=tuple(
            CheckNode(
                check=c, derivation=titles.node(c.name, ids) if (titles is not None and c.subject == "title") else None
            )
            for c in reason.checks
        ),
        entities=tuple(_entity_node(r, reason.checks, facts, index) for r in shown),
        hidden=(reason.count if entity is None else len(refs)) - len(shown),
    )


def find_judgement(judgements: tuple[Judgement, ...] | list[Judgement], target: str, where: Location) -> Judgement:
    """The judgement of `target`, or a located error with the closest target id."""
    for j in judgements:
        if j.target == target:
            return j
    ids = [j.target for j in judgements]
    raise fail("explain.unknown_target", where, suggest(target, ids), target=target, targets=", ".join(ids))


__all__ = ["Explanation", "entity_index", "explain", "find_judgement", "rule_block", "DEFAULT_LIMIT"]
