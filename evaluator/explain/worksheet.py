"""The council's worksheet: per title, who qualifies, who does not and why, and the quota status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from thidua.evaluator.engine.conditions import Check
from thidua.evaluator.engine.derive import Decision, Derivation, QuotaResult
from thidua.rules.criteria import PMembers, PMonths, ResolvedCriterion, ResolvedQuota, negated_leaves, walk_leaves
from thidua.rules.ruleset import PAttr, Pred, PTitle, RuleSet

OUTCOME = {True: "qualifies", False: "does_not_qualify", None: "pending"}


def describe_pred(rules: RuleSet, kind: str, pred: Pred) -> str:
    """A short Vietnamese description of a member condition (rule data is written in Vietnamese)."""
    leaves = [leaf for leaf in walk_leaves(pred) if isinstance(leaf, (PAttr, PTitle))]
    parts = []
    for leaf in leaves:
        if isinstance(leaf, PTitle):
            parts.append(rules.titles[leaf.title].title)
        else:
            decl = rules.attribute(kind, leaf.attr)
            shown = leaf.shown
            if decl is not None and decl.scale is not None and isinstance(leaf.value, int):
                shown = rules.level_label(decl.scale, leaf.value)
            parts.append(f"{decl.label if decl else leaf.attr} {OP_SIGN.get(leaf.op, leaf.op)} {shown}")
    return "; ".join(parts)


OP_SIGN = {
    "gte": "≥",
    "gt": ">",
    "lte": "≤",
    "lt": "<",
    "eq": "=",
    "neq": "≠",
    "in": "∈",
    "has_title": "",
    "proposed": "",
}


class WorksheetBuilder:
    def __init__(self, rules: RuleSet, derivation: Derivation) -> None:
        self.rules = rules
        self.derivation = derivation
        self.computed: dict[str, PMembers | PMonths] = {}
        self._negated: dict[str, set[tuple[str, str]]] = {}
        for c in derivation_criteria(derivation):
            for leaf in walk_leaves(c.pred):
                if isinstance(leaf, (PMembers, PMonths)):
                    self.computed[leaf.key] = leaf

    def check(self, kind: str, c: Check, shown: dict[str, str], negated: bool = False) -> dict[str, Any]:
        out = c.to_dict()
        if c.subject == "title":
            out["label"] = self.rules.titles[c.name].title
            out["label_code"] = None
        elif c.name in self.computed:
            leaf = self.computed[c.name]
            if isinstance(leaf, PMembers):
                out["label_code"] = "criteria.check.members_" + leaf.measure
                out["label"] = describe_pred(self.rules, leaf.of, leaf.matching)
                out["expected"] = leaf.shown
            else:
                decls = [self.rules.attribute(kind, attr) for attr in leaf.attrs]
                out["label_code"] = "criteria.check.months"
                out["label"] = " / ".join(d.label if d else a for d, a in zip(decls, leaf.attrs, strict=True))
                out["expected"] = leaf.shown
            out["actual"] = shown.get(c.name)
        else:
            decl = self.rules.attribute(kind, c.name)
            out["label"] = decl.label if decl else c.name
            out["label_code"] = None
        out["sign"] = OP_SIGN.get(c.op, c.op)
        out["negated"] = negated
        return out

    def entity_row(self, d: Decision) -> dict[str, Any]:
        kind = d.entity.kind
        negs = self._negated.get(d.criterion.id)
        if negs is None:  # once per criterion, not per row: a title's worksheet has a row per person
            negs = self._negated[d.criterion.id] = negated_leaves(d.criterion.pred)
        checks = [self.check(kind, c, d.shown, (c.name, c.op) in negs) for c in d.checks]
        wanted = {True: "true", False: "false", None: "unknown"}[d.derived]
        # a test under `not` decides against the title when it holds: compare its flipped outcome
        flipped = {"true": "false", "false": "true", "unknown": "unknown"}
        deciding = [
            c
            for c, raw in zip(checks, d.checks, strict=True)
            if raw.deciding and (flipped[c["outcome"]] if c["negated"] else c["outcome"]) == wanted
        ]
        if d.derived is True:
            deciding = [c for c, raw in zip(checks, d.checks, strict=True) if raw.deciding]
        recorded = None
        if d.recorded is not None:
            recorded = {
                "state": d.recorded.state,
                "note": d.recorded.note,
                "decision": d.recorded.decision,
                "awaiting": d.recorded.awaiting,
            }
        return {
            "id": d.entity.id,
            "name": d.entity.name,
            "kind": kind,
            "outcome": OUTCOME[d.derived],
            "recorded": recorded,
            "finding": d.finding,
            "deciding": deciding,
            "checks": checks,
            "source": {"file": d.entity.loc.file, "line": d.entity.loc.line} if d.entity.loc else None,
        }

    def quota_row(self, q: QuotaResult) -> dict[str, Any]:
        # the council chooses only among those it has not decided yet
        return self.quota_fields(q, [{"id": e.id, "name": e.name} for e in q.candidates])

    def quota_fields(self, q: QuotaResult, candidates: list[dict[str, str]]) -> dict[str, Any]:
        """A quota's row naming `candidates` (all of them, or the first few of a long list)."""
        spec = q.quota.spec
        return {
            "id": spec.id,
            "title": spec.title,
            "reference": spec.reference,
            "limits": spec.limits,
            "limits_label": self.rules.titles[spec.limits].title,
            "of_title": spec.at_most.of_title,
            "of_title_label": self.rules.titles[spec.at_most.of_title].title,
            "share": q.quota.shown,
            "rounding": spec.rounding,
            "group": q.group,
            "base": q.base,
            "base_unknown": q.base_unknown,
            "cap": q.cap,
            "cap_low": q.cap_low,
            "cap_high": q.cap_high,
            "count": len(q.holder_rows),
            "decided": len(q.decided_rows),
            "over_decided": q.over_decided,
            "status": q.status,
            "candidates": candidates,
            "source": {"file": spec.location.file, "line": spec.location.line},
        }

    def build(self, title: str | None = None) -> dict[str, Any]:
        sections = []
        for c in derivation_criteria(self.derivation):
            if title is not None and c.title != title:
                continue
            decisions = self.derivation.decisions_of(c.id)
            decisions.sort(key=lambda d: (d.entity.loc.file, d.entity.loc.line) if d.entity.loc else ("", 0))
            rows = [self.entity_row(d) for d in decisions]
            counts = {k: sum(1 for r in rows if r["outcome"] == k) for k in OUTCOME.values()}
            sections.append(
                {
                    "criterion": c.id,
                    "title": c.title,
                    "title_label": self.rules.titles[c.title].title,
                    "criterion_title": c.spec.title,
                    "reference": c.spec.reference,
                    "note": c.spec.note,
                    "kind": c.kind,
                    "counts": counts,
                    "entities": rows,
                    "quotas": [self.quota_row(q) for q in self.derivation.quotas if q.quota.spec.limits == c.title],
                }
            )
        findings = [
            {
                "criterion": d.criterion.id,
                "title": d.criterion.title,
                "title_label": self.rules.titles[d.criterion.title].title,
                "id": d.entity.id,
                "name": d.entity.name,
                "finding": d.finding,
                "note": d.recorded.note if d.recorded is not None else None,
            }
            for d in self.derivation.findings()
            if title is None or d.criterion.title == title
        ]
        period = self.derivation.period
        return {
            "period": period.value if period is not None else None,
            "titles": sections,
            "findings": findings,
            "settings": self.settings(),
        }

    def settings(self) -> list[dict[str, Any]]:
        """The settings the applied criteria and quotas read, with their values and whether verified."""
        return settings_of(self.rules, [*self.derivation.criteria, *(q.quota for q in self.derivation.quotas)])


def settings_of(rules: RuleSet, applied: Sequence[ResolvedCriterion | ResolvedQuota]) -> list[dict[str, Any]]:
    """The settings `applied` criteria and quotas read, in the order first read."""
    crit = rules.criteria
    ids: list[str] = []
    for item in applied:
        ids.extend(i for i in item.settings if i not in ids)
    out = []
    for i in ids:
        s = crit.settings[i]
        out.append(
            {
                "id": s.id,
                "title": s.title,
                "value": s.value,
                "reference": s.reference,
                "verified": s.verified,
                "source": {"file": s.location.file, "line": s.location.line},
            }
        )
    return out


def derivation_criteria(derivation: Derivation) -> list[ResolvedCriterion]:
    return derivation.criteria


def worksheet(rules: RuleSet, derivation: Derivation, title: str | None = None) -> dict[str, Any]:
    """The worksheet as plain data (codes and values); the CLI renders it as a table or JSON."""
    return WorksheetBuilder(rules, derivation).build(title)


__all__ = ["OUTCOME", "WorksheetBuilder", "settings_of", "worksheet"]
