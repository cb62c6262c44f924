"""The candidates worksheet by groups: people decided alike are one row with their count and first people."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from thidua.evaluator.engine.derive import Derivation, QuotaResult
from thidua.evaluator.explain.worksheet import OUTCOME, WorksheetBuilder
from thidua.evaluator.facts.table import NO_TITLE, Table
from thidua.rules.criteria import ResolvedCriterion
from thidua.rules.regime import applied_regime
from thidua.rules.ruleset import RuleSet

# The JSON of `thidua candidates --format json`: a title's rows are groups with a count, their first
# people and how many more (docs/criteria.md); the first shape listed one row per person.
FORMAT = "thidua.worksheet/3"

Rows = npt.NDArray[np.int32]
Ranks = npt.NDArray[np.int64]
People = Callable[[str, Sequence[int]], list[dict[str, Any]]]  # (kind, rows) -> the people's id, name, source


@dataclass
class Part:
    """Rows of one kind decided alike (a derivation's or a stored group, one recorded holding): the
    worksheet row of any one of them, and the rows."""

    row: dict[str, Any]
    rows: Rows


@dataclass
class FindingPart:
    """Rows of one criterion with the same finding and the same council note, in the order decided."""

    criterion: str
    title: str
    title_label: str
    finding: str
    note: str | None
    rows: Rows


def _key(row: dict[str, Any]) -> str:
    return json.dumps([row["outcome"], row["recorded"], row["finding"], row["deciding"]], sort_keys=True, default=str)


def _split(rows: Rows, codes: npt.NDArray[Any]) -> list[Rows]:
    """`rows` split by their codes (first-seen order), each part keeping the order of `rows`."""
    uniq, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    if len(uniq) == 1:
        return [rows]
    inverse = inverse.reshape(-1)
    order = np.argsort(inverse, kind="stable")
    parts = np.split(rows[order], np.cumsum(np.bincount(inverse, minlength=len(uniq)))[:-1])
    return [parts[g] for g in np.argsort(first, kind="stable").tolist()]


def merge_rows(
    parts: Sequence[Part], kind: str, rank: Ranks, limit: int | None, people: People
) -> list[dict[str, Any]]:
    """A title's groups: parts with the same outcome, deciding checks and recorded holding merged, in
    fact order of their first person, each with its count, its first `limit` people (all with None)
    and how many more."""
    merged: dict[str, list[Part]] = {}
    for p in parts:
        if len(p.rows):
            merged.setdefault(_key(p.row), []).append(p)
    found: list[tuple[int, dict[str, Any]]] = []
    for same in merged.values():
        rows = np.concatenate([p.rows for p in same]) if len(same) > 1 else same[0].rows
        rows = rows[np.argsort(rank[rows], kind="stable")]
        shown = rows if limit is None else rows[:limit]
        row = same[0].row
        group = {
            "outcome": row["outcome"],
            "recorded": row["recorded"],
            "finding": row["finding"],
            "deciding": row["deciding"],
            "count": len(rows),
            "entities": people(kind, shown.tolist()),
            "more": len(rows) - len(shown),
        }
        found.append((int(rank[rows[0]]), group))
    found.sort(key=lambda x: x[0])
    return [g for _, g in found]


def merge_findings(
    parts: Sequence[FindingPart],
    rank: Callable[[str], Ranks],
    kind_of: dict[str, str],
    limit: int | None,
    people: People,
) -> list[dict[str, Any]]:
    """The worksheet's findings: one per criterion, finding and note, in the order first decided, with
    the count, the first `limit` people in fact order and how many more."""
    merged: dict[tuple[str, str, str | None], list[FindingPart]] = {}
    for p in parts:
        if len(p.rows):
            merged.setdefault((p.criterion, p.finding, p.note), []).append(p)
    out = []
    for same in merged.values():
        first = same[0]
        kind = kind_of[first.criterion]
        rows = np.concatenate([p.rows for p in same]) if len(same) > 1 else first.rows
        rows = rows[np.argsort(rank(kind)[rows], kind="stable")]
        shown = rows if limit is None else rows[:limit]
        out.append(
            {
                "criterion": first.criterion,
                "title": first.title,
                "title_label": first.title_label,
                "finding": first.finding,
                "note": first.note,
                "count": len(rows),
                "entities": [{"id": e["id"], "name": e["name"]} for e in people(kind, shown.tolist())],
                "more": len(rows) - len(shown),
            }
        )
    return out


def section_head(rules: RuleSet, c: ResolvedCriterion) -> dict[str, Any]:
    """What a title's section says of its criterion (the per-person worksheet's keys)."""
    return {
        "criterion": c.id,
        "title": c.title,
        "title_label": rules.titles[c.title].title,
        "criterion_title": c.spec.title,
        "reference": c.spec.reference,
        "note": c.spec.note,
        "kind": c.kind,
        # a cap on this title exists in the rule set, for another regime: say that none applies now
        "capped_elsewhere": any(q.spec.limits == c.title for q in rules.criteria.quotas) if rules.criteria else False,
    }


def cut_quota(row: dict[str, Any], limit: int | None) -> dict[str, Any]:
    """A quota row with its first `limit` candidates and how many more (`candidates_more`)."""
    total = row.get("candidates_count", len(row["candidates"]))
    shown = row["candidates"] if limit is None else row["candidates"][:limit]
    return {**row, "candidates": shown, "candidates_count": total, "candidates_more": total - len(shown)}


def fact_rank(table: Table) -> Ranks:
    """Each row's place in fact order (file, then line), as the per-person worksheet sorts its rows:
    rows are in file order within a file, so only whole files move."""
    n = len(table)
    if table.segments and not table.locations:
        bounds = [start for start, _ in table.segments] + [n]
        files = []
        for s, (start, _) in enumerate(table.segments):
            loc = table.location(start) if start < n else None
            files.append((loc.file if loc is not None else "", s))
        order = np.concatenate(
            [np.arange(bounds[s], bounds[s + 1], dtype=np.int64) for _, s in sorted(files)]
            or [np.zeros(0, dtype=np.int64)]
        )
    else:
        keys = []
        for r in range(n):
            loc = table.location(r)
            keys.append((loc.file, loc.line) if loc is not None else ("", 0))
        order = np.array(sorted(range(n), key=lambda r: keys[r]), dtype=np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n, dtype=np.int64)
    return rank


def recorded_codes(table: Table, title: str) -> npt.NDArray[np.int64]:
    """A code per row for its recorded holding of `title` as the worksheet shows it (state, awaiting,
    decision, note): rows with equal codes show the same recorded holding."""
    col = table.titles.get(title)
    if col is None:
        return np.zeros(len(table), dtype=np.int64)
    codes = col.codes.astype(np.int64)  # a copy: rows with a decision or note get codes of their own
    extra: dict[tuple[int, str | None, str | None], int] = {}
    base = len(col.values)
    for row, h in table.holdings.get(title, {}).items():
        if (h.decision or h.note) and col.values[int(col.codes[row])] != NO_TITLE:
            codes[row] = extra.setdefault((int(col.codes[row]), h.decision, h.note), base + len(extra))
    return codes


class GroupedWorksheet:
    """The worksheet of a fresh evaluation built from the derivation's groups: one worksheet row per
    group and recorded holding, an entity row only for the people shown."""

    def __init__(self, rules: RuleSet, derivation: Derivation, limit: int | None) -> None:
        assert derivation.raw is not None
        self.rules = rules
        self.derivation = derivation
        self.raw = derivation.raw
        self.limit = limit
        self.sheet = WorksheetBuilder(rules, derivation)
        self._ranks: dict[str, Ranks] = {}

    def rank(self, kind: str) -> Ranks:
        if kind not in self._ranks:
            self._ranks[kind] = fact_rank(self.raw.table(kind))
        return self._ranks[kind]

    def people(self, kind: str, rows: Sequence[int]) -> list[dict[str, Any]]:
        table = self.raw.table(kind)
        out = []
        for r in rows:
            loc = table.location(r)
            out.append(
                {
                    "id": table.ids[r],
                    "name": table.names[r],
                    "source": {"file": loc.file, "line": loc.line} if loc is not None else None,
                }
            )
        return out

    def quota_row(self, q: QuotaResult) -> dict[str, Any]:
        """The quota's row with only its first candidates named (a breach may have hundreds of thousands)."""
        rows = np.setdiff1d(q.holder_rows, q.decided_rows, assume_unique=True)
        shown = rows if self.limit is None else rows[: self.limit]
        assert q.table is not None or not len(rows)
        named = [{"id": q.table.ids[r], "name": q.table.names[r]} for r in shown.tolist()] if q.table else []
        row = self.sheet.quota_fields(q, named)
        row["candidates_count"] = len(rows)
        return cut_quota(row, self.limit)

    def build(self, title: str | None = None, entity: tuple[str, int] | None = None) -> dict[str, Any]:
        """The grouped worksheet of one title (or all); with `entity` (kind, row), only that one's rows,
        the counts still the whole title's."""
        d = self.derivation
        sections = []
        findings: list[FindingPart] = []
        for c in d.criteria:
            if title is not None and c.title != title:
                continue
            mine = entity is None or entity[0] == c.kind  # findings are the title's, whoever is asked
            codes = recorded_codes(self.raw.table(c.kind), c.title)
            parts: list[Part] = []
            counts = dict.fromkeys(OUTCOME.values(), 0)
            for gi, g in enumerate(d.groups):
                if g.criterion.id != c.id or not len(g.rows):
                    continue
                if g.finding is not None:
                    rep = d.decision(gi, int(g.rows[0]))
                    note = rep.recorded.note if rep.recorded is not None else None
                    label = self.rules.titles[c.title].title
                    findings.append(FindingPart(c.id, c.title, label, g.finding, note, g.rows))
                if not mine:
                    continue
                counts[OUTCOME[g.derived]] += len(g.rows)
                for rows in _split(g.rows, codes[g.rows]):
                    if entity is not None:
                        rows = rows[rows == entity[1]]
                        if not len(rows):
                            continue
                    parts.append(Part(self.sheet.entity_row(d.decision(gi, int(rows[0]))), rows))
            if not mine:
                continue
            groups = merge_rows(parts, c.kind, self.rank(c.kind), self.limit, self.people)
            if entity is not None and not groups:
                continue
            sections.append(
                {
                    **section_head(self.rules, c),
                    "counts": counts,
                    "groups": groups,
                    "quotas": [self.quota_row(q) for q in d.quotas if q.quota.spec.limits == c.title],
                }
            )
        kinds = {c.id: c.kind for c in d.criteria}
        return {
            "format": FORMAT,
            "period": d.period.value if d.period is not None else None,
            "criteria": applied_regime(self.rules, d.period).to_dict(),
            "titles": sections,
            "findings": merge_findings(findings, self.rank, kinds, self.limit, self.people),
            "settings": self.sheet.settings(),
        }


def grouped_worksheet(
    rules: RuleSet,
    derivation: Derivation,
    title: str | None = None,
    limit: int | None = None,
    entity: tuple[str, int] | None = None,
) -> dict[str, Any]:
    """The worksheet as groups (`thidua.worksheet/3`): each group's first `limit` people (all with None)."""
    return GroupedWorksheet(rules, derivation, limit).build(title, entity)


def flat_rows(section: dict[str, Any]) -> list[dict[str, Any]]:
    """A grouped section's listed people as per-person rows (id, name, source and their group's data)."""
    out = []
    for g in section["groups"]:
        for e in g["entities"]:
            out.append(
                {
                    **e,
                    "kind": section["kind"],
                    "outcome": g["outcome"],
                    "recorded": g["recorded"],
                    "finding": g["finding"],
                    "deciding": g["deciding"],
                }
            )
    return out


__all__ = [
    "FORMAT",
    "FindingPart",
    "GroupedWorksheet",
    "Part",
    "cut_quota",
    "fact_rank",
    "flat_rows",
    "grouped_worksheet",
    "merge_findings",
    "merge_rows",
    "section_head",
]
