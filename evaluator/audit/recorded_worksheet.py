"""The candidates worksheet (`candidates --title/--entity`) answered from a recorded run's outcome table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from thidua.evaluator.audit.outcomes import OUTCOME_OF, Stored, make_check, make_holding
from thidua.evaluator.audit.recorded import Recorded, _judgements
from thidua.evaluator.engine.consistency import consistency_findings
from thidua.evaluator.engine.derive import Decision, Derivation
from thidua.evaluator.explain.worksheet import OUTCOME, WorksheetBuilder, settings_of
from thidua.evaluator.explain.worksheet_groups import (
    FORMAT,
    FindingPart,
    Part,
    Ranks,
    cut_quota,
    merge_findings,
    merge_rows,
    section_head,
)
from thidua.evaluator.facts.reader import Entity
from thidua.evaluator.judgement import Evaluation
from thidua.rules.periods import parse_period
from thidua.rules.regime import applied_regime

SPLIT_ABOVE = 20_000  # rows asked at once above which a stored list of strings is split whole


class _Sheet:
    """The stored run's rows, read by kind: fact order, and the people a group shows."""

    def __init__(self, rec: Recorded) -> None:
        self.stored = rec.stored
        self._ranks: dict[str, Ranks] = {}

    def texts(self, name: str, rows: Sequence[int]) -> list[str]:
        """The stored strings (ids, names) of `rows`: one by one for the few a worksheet shows (a
        million ids split cost 0.15 s), the list split once for a long listing (`--all`)."""
        if len(rows) > SPLIT_ABOVE:
            every = self.stored.text(name)
            return [every[r] for r in rows]
        return [self.stored.item(name, r) for r in rows]

    def rank(self, kind: str) -> Ranks:
        """Each row's place in fact order (file name, then line), from the stored files and lines."""
        if kind not in self._ranks:
            files = self.stored.array(f"files:{kind}").astype(np.int64)
            lines = self.stored.array(f"lines:{kind}")
            names = self.stored.header["files"]
            by_name = np.empty(len(names) + 1, dtype=np.int64)  # the last: no file, first in order
            by_name[len(names)] = -1
            for rank, i in enumerate(sorted(range(len(names)), key=lambda i: names[i])):
                by_name[i] = rank
            order = np.lexsort((lines, by_name[files]))
            ranks = np.empty(len(order), dtype=np.int64)
            ranks[order] = np.arange(len(order), dtype=np.int64)
            self._ranks[kind] = ranks
        return self._ranks[kind]

    def people(self, kind: str, rows: Sequence[int]) -> list[dict[str, Any]]:
        """Each row's id, name and where it is written: columns read once, a dict per person shown."""
        ids, names = self.texts(f"ids:{kind}", rows), self.texts(f"names:{kind}", rows)
        at = np.asarray(rows, dtype=np.int64)
        files = self.stored.array(f"files:{kind}")[at].tolist()
        lines = self.stored.array(f"lines:{kind}")[at].tolist()
        shown = self.stored.header["files"]
        return [
            {"id": i, "name": n, "source": {"file": shown[f], "line": ln} if f >= 0 else None}
            for i, n, f, ln in zip(ids, names, files, lines, strict=True)
        ]


def candidates_recorded(
    rec: Recorded, title: str | None, entity_id: str | None, limit: int | None = None
) -> dict[str, Any] | None:
    """The grouped worksheet (`thidua.worksheet/3`, before rendering) from the run's outcome table, for
    one title, one entity, or everything, each group's first `limit` people (all with None); None when
    the run cannot answer it alone. One worksheet row per stored group, not per person."""
    stored = rec.stored
    header = stored.header
    if title is not None:
        title = rec.rules.title_code(title) or title  # by id, label or abbreviation (CSTĐCS)
    if title is not None and title not in {c["title"] for c in header["criteria"]}:
        return None  # the evaluation reports the unknown title with its suggestion
    kind, row = None, -1
    if entity_id is not None:
        found = stored.find(entity_id)
        if found is None:
            return None
        kind, row = found
    crit = {c.id: c for c in rec.rules.criteria.criteria}
    applied = [crit[c["criterion"]] for c in header["criteria"]]
    builder = WorksheetBuilder(rec.rules, Derivation(parse_period(header["period"]), applied))
    sheet = _Sheet(rec)
    quotas = stored.json("quotas") if header["quotas"] else []
    limits = {q.spec.id: q for q in rec.rules.criteria.quotas}
    sections = []
    findings: list[FindingPart] = []
    for ci, c in enumerate(header["criteria"]):
        if title is not None and c["title"] != title:
            continue
        mine = kind is None or c["kind"] == kind  # findings are the title's, whoever is asked
        criterion = crit[c["criterion"]]
        rows = stored.array(f"criterion:{ci}:rows")
        group = stored.array(f"criterion:{ci}:group")
        sizes = np.bincount(group, minlength=len(c["groups"]))
        by_group = np.split(rows[np.argsort(group, kind="stable")], np.cumsum(sizes)[:-1])
        parts = []
        counts = dict.fromkeys(OUTCOME.values(), 0)
        label = rec.rules.titles[c["title"]].title
        for gi, g in enumerate(c["groups"]):
            members = by_group[gi]
            if not len(members):
                continue
            if g["finding"] is not None:
                note = g["recorded"]["note"] if g["recorded"] is not None else None
                findings.append(FindingPart(c["criterion"], c["title"], label, g["finding"], note, members))
            if not mine:
                continue
            counts[OUTCOME[OUTCOME_OF[g["derived"]]]] += len(members)
            if kind is not None:
                members = members[members == row]
                if not len(members):
                    continue
            stub = Entity("", c["kind"], "")  # the group's row keeps no person's own fields
            d = Decision(
                criterion,
                stub,
                OUTCOME_OF[g["derived"]],
                [make_check(x) for x in g["checks"]],
                dict(g["shown"]),
                make_holding(c["title"], g["recorded"]),
                finding=g["finding"],
            )
            parts.append(Part(builder.entity_row(d), members))
        if not mine:
            continue
        groups = merge_rows(parts, c["kind"], sheet.rank(c["kind"]), limit, sheet.people)
        if kind is not None and not groups:
            continue
        section_quotas = [_quota(stored, q, limit) for q in quotas if limits[q["quota"]].spec.limits == c["title"]]
        sections.append(
            {**section_head(rec.rules, criterion), "counts": counts, "groups": groups, "quotas": section_quotas}
        )
    if entity_id is not None and not sections:
        return None
    kinds = {c["criterion"]: c["kind"] for c in header["criteria"]}
    return {
        "format": FORMAT,
        "period": header["period"],
        "criteria": applied_regime(rec.rules, parse_period(header["period"])).to_dict(),
        "titles": sections,
        "findings": merge_findings(findings, sheet.rank, kinds, limit, sheet.people),
        "settings": settings_of(rec.rules, [*applied, *(limits[q["quota"]] for q in quotas)]),
    }


def consistency_recorded(rec: Recorded) -> list[dict[str, Any]]:
    """The run's consistency findings (`consistency_findings`), reading only the judgements of the
    targets that state a reported figure: the others' notes list every entity they counted."""
    reported = [t.id for t in rec.rules.targets if t.spec.reported is not None]
    judgements = tuple(j for t in reported for j in _judgements(rec, target=t))
    evaluation = Evaluation.model_construct(
        period=parse_period(rec.stored.header["period"]),
        judgements=judgements,
        rules_digest=rec.rules.digest,
        facts_digest=rec.facts_digest,
        engine="",
    )
    return [f.to_dict() for f in consistency_findings(rec.rules, evaluation)]


def _quota(stored: Stored, entry: dict[str, Any], limit: int | None) -> dict[str, Any]:
    """A stored quota's row as the fresh worksheet gives it: its first `limit` candidates named."""
    row = dict(entry["row"])
    row["candidates"], row["candidates_count"] = stored.quota_candidates(entry, limit)
    return cut_quota(row, limit)


__all__ = ["candidates_recorded", "consistency_recorded"]
