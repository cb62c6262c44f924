"""Findings of a run that never change a verdict: recorded titles versus the criteria, inconsistent figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from thidua.evaluator.engine.consistency import consistency_findings
from thidua.evaluator.engine.derive import DecisionGroup, Derivation
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


def run_findings(rules: RuleSet, derivation: Derivation | None, evaluation: Evaluation) -> list[Finding]:
    """Title findings in the order the criteria apply, each in fact-file order; then consistency findings."""
    out: list[Finding] = []
    if derivation is not None and derivation.raw is not None:
        order = {c.id: i for i, c in enumerate(derivation.criteria)}
        found: list[
            tuple[int, int, str, DecisionGroup]
        ] = []  # per entity, computed per group: (criterion order, row in the table, id, group)
        for g in derivation.finding_groups():
            table = derivation.raw.table(g.kind)
            found.extend((order.get(g.criterion.id, 0), row, table.ids[row], g) for row in g.rows.tolist())
        found.sort(key=lambda item: item[:3])
        for _, row, entity, g in found:
            table = derivation.raw.table(g.kind)
            title = g.criterion.title
            recorded = table.holdings.get(title, {}).get(row)
            loc = table.location(row)
            out.append(
                Finding(
                    kind="title",
                    code=f"criteria.finding.{g.finding}",
                    params={
                        "name": table.names[row],
                        "title": rules.titles[title].title,
                        "note": (recorded.note if recorded is not None else None) or "",
                    },
                    entity=entity,
                    criterion=g.criterion.id,
                    title=title,
                    place={"file": loc.file, "line": loc.line} if loc is not None else None,
                )
            )
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


__all__ = ["Finding", "run_findings"]
