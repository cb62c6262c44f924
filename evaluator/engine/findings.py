"""Findings of a run that never change a verdict: recorded titles versus the criteria, inconsistent figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from thidua.evaluator.engine.consistency import consistency_findings
from thidua.evaluator.engine.derive import DecisionGroup, Derivation
from thidua.evaluator.facts.table import Table
from thidua.evaluator.judgement import Evaluation
from thidua.rules.ruleset import RuleSet

# What the user should do about each finding (message codes `finding.action.<code>` in rules.messages).
ACTIONS = {
    "criteria.finding.unrecorded": "finding.action.unrecorded",
    "criteria.finding.unsupported": "finding.action.unsupported",
    "criteria.finding.unconfirmed": "finding.action.unconfirmed",
    "criteria.finding.refused": "finding.action.refused",
    "criteria.finding.override": "finding.action.override",
    "consistency.reported_count": "finding.action.reported",
    "consistency.reported_share": "finding.action.reported",
    "consistency.denominators": "finding.action.denominators",
    "consistency.reported_totals": "finding.action.reported_totals",
    "criteria.finding.over_quota": "finding.action.over_quota",
}


@dataclass(frozen=True)
class Finding:
    """One finding: its kind (title or consistency), message code and parameters, whom it is about."""

    kind: str  # title | consistency
    code: str
    params: dict[str, Any]
    entity: str | None = None
    target: str | None = None
    criterion: str | None = None
    title: str | None = None
    place: dict[str, Any] | None = field(default=None)

    @property
    def action(self) -> str:
        return ACTIONS.get(self.code, "finding.action.review")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "code": self.code,
            "params": self.params,
            "entity": self.entity,
            "target": self.target,
            "criterion": self.criterion,
            "title": self.title,
            "place": self.place,
            "action": self.action,
        }


@dataclass(frozen=True)
class FindingGroup:
    """The title findings of one code under one criterion: their rows (fact-file order), the first few
    in full (name, place, note), without a Finding object per person (a province has a million)."""

    code: str
    criterion: str
    title: str
    table: Table
    rows: npt.NDArray[np.int64]
    first: list[Finding]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def more(self) -> int:
        return self.count - len(self.first)

    @property
    def ids(self) -> list[str]:
        return [self.table.ids[r] for r in self.rows.tolist()]

    @property
    def action(self) -> str:
        return ACTIONS.get(self.code, "finding.action.review")


def title_finding_groups(rules: RuleSet, derivation: Derivation | None, first: int | None) -> list[FindingGroup]:
    """Title findings grouped by criterion (in the order applied) and code, rows in fact-file order;
    the first `first` of each (all when None) as Findings."""
    if derivation is None or derivation.raw is None:
        return []
    order = {c.id: i for i, c in enumerate(derivation.criteria)}
    rows_of: dict[tuple[int, str, str], list[DecisionGroup]] = {}
    for g in derivation.finding_groups():
        rows_of.setdefault((order.get(g.criterion.id, 0), g.criterion.id, str(g.finding)), []).append(g)
    out: list[tuple[int, int, FindingGroup]] = []
    for (position, criterion, finding), groups in rows_of.items():
        kind, title = groups[0].kind, groups[0].criterion.title
        table = derivation.raw.table(kind)
        rows = np.sort(np.concatenate([g.rows for g in groups])).astype(np.int64)
        listed = rows if first is None else rows[:first]
        code = f"criteria.finding.{finding}"
        findings = [_title_finding(rules, table, int(row), code, criterion, title) for row in listed.tolist()]
        out.append((position, int(rows[0]), FindingGroup(code, criterion, title, table, rows, findings)))
    out.sort(key=lambda item: item[:2])
    return [g for _, _, g in out]


def _title_finding(rules: RuleSet, table: Table, row: int, code: str, criterion: str, title: str) -> Finding:
    recorded = table.holdings.get(title, {}).get(row)
    loc = table.location(row)
    return Finding(
        kind="title",
        code=code,
        params={
            "name": table.names[row],
            "title": rules.titles[title].title,
            "note": (recorded.note if recorded is not None else None) or "",
        },
        entity=table.ids[row],
        criterion=criterion,
        title=title,
        place={"file": loc.file, "line": loc.line} if loc is not None else None,
    )


def run_findings(rules: RuleSet, derivation: Derivation | None, evaluation: Evaluation) -> list[Finding]:
    """Title findings in the order the criteria apply, each in fact-file order; then consistency findings."""
    out: list[Finding] = []
    if derivation is not None and derivation.raw is not None:
        # one criterion's codes interleave in fact-file order, as one list per criterion reads
        by_criterion: dict[str, list[tuple[int, Finding]]] = {}
        for g in title_finding_groups(rules, derivation, None):
            by_criterion.setdefault(g.criterion, []).extend(zip(g.rows.tolist(), g.first, strict=True))
        for items in by_criterion.values():
            out.extend(f for _, f in sorted(items, key=lambda item: item[0]))
    out.extend(other_findings(rules, derivation, evaluation))
    return out


def other_findings(rules: RuleSet, derivation: Derivation | None, evaluation: Evaluation) -> list[Finding]:
    """The findings that are not one per entity: quotas over-decided, inconsistent figures."""
    out: list[Finding] = []
    if derivation is not None:
        for q in derivation.quotas:
            if not q.over_decided:
                continue
            spec = q.quota.spec
            cap = q.cap if q.cap is not None else f"{q.cap_low}–{q.cap_high}"
            base = q.base if not q.base_unknown else f"{q.base}–{q.base + q.base_unknown}"
            out.append(
                Finding(
                    kind="title",
                    code="criteria.finding.over_quota",
                    params={
                        "title": rules.titles[spec.limits].title,
                        "decided": len(q.decided),
                        "cap": cap,
                        "share": q.quota.shown,
                        "base": base,
                        "of_title": rules.titles[spec.at_most.of_title].title,
                        "group": f" [{q.group}]" if q.group else "",
                    },
                    title=spec.limits,
                )
            )
    for f in consistency_findings(rules, evaluation):
        target = f.params.get("target") or f.params.get("first")
        out.append(Finding(kind="consistency", code=f.code, params=f.params, target=str(target) if target else None))
    return out


__all__ = ["Finding", "FindingGroup", "other_findings", "run_findings", "title_finding_groups"]
