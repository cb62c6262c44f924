"""The candidates worksheet (`candidates --title/--entity`) answered from a recorded run's outcome table."""

from __future__ import annotations

from typing import Any

import numpy as np

from thidua.evaluator.audit.outcomes import OUTCOME_OF
from thidua.evaluator.audit.recorded import Recorded, _rebuild, _StoredSheet
from thidua.evaluator.explain.worksheet import OUTCOME
from thidua.evaluator.facts.reader import Entity


def candidates_recorded(rec: Recorded, title: str | None, entity_id: str | None) -> dict[str, Any] | None:
    """The worksheet data (`candidates`, before rendering) from the run's outcome table, for one
    title, one entity, or everything; None when the run cannot answer it alone."""
    stored = rec.stored
    header = stored.header
    if title is not None and title not in {c["title"] for c in header["criteria"]}:
        return None  # the evaluation reports the unknown title with its suggestion
    row, kind = -1, None
    if entity_id is not None:
        found = stored.find(entity_id)
        if found is None:
            return None
        kind, row = found
    wanted: dict[int, np.ndarray[Any, Any]] = {}
    any_row = False
    for ci, c in enumerate(header["criteria"]):
        rows = stored.array(f"criterion:{ci}:rows")
        if entity_id is not None:
            mine = (rows == row) if c["kind"] == kind else np.zeros(len(rows), dtype=bool)
            any_row = any_row or bool(mine.any())
            wanted[ci] = np.flatnonzero(mine)
        elif title is None or c["title"] == title:
            wanted[ci] = np.arange(len(rows))
    if entity_id is not None and not any_row:
        return None

    def stub(k: str, r: int) -> Entity:
        return Entity(stored.ids(k)[r], k, stored.text(f"names:{k}")[r], loc=stored.location(k, [r])[0])

    rebuilt = _rebuild(rec, wanted, stub)
    data = _StoredSheet(rec.rules, rebuilt.derivation, rebuilt.quota_rows).build(title)
    data["findings"] = _findings(rec, title)
    for section in data["titles"]:  # over every decision of the run, not only the rows rebuilt
        ci = next(i for i, c in enumerate(header["criteria"]) if c["criterion"] == section["criterion"])
        c = header["criteria"][ci]
        per_group = np.bincount(stored.array(f"criterion:{ci}:group"), minlength=len(c["groups"]))
        counts = {k: 0 for k in OUTCOME.values()}
        for g, n in zip(c["groups"], per_group, strict=True):
            counts[OUTCOME[OUTCOME_OF[g["derived"]]]] += int(n)
        section["counts"] = counts
    return data


def _findings(rec: Recorded, title: str | None) -> list[dict[str, Any]]:
    """Every decision of the run the council's record disagrees with, in the run's decision order:
    the worksheet's `findings` (evaluator/explain/worksheet.py), read from the stored groups."""
    stored, header = rec.stored, rec.stored.header
    order = stored.array("decisions")
    found: list[tuple[int, dict[str, Any]]] = []
    for ci, c in enumerate(header["criteria"]):
        if title is not None and c["title"] != title:
            continue
        flagged = np.array([g["finding"] is not None for g in c["groups"]], dtype=bool)
        groups = stored.array(f"criterion:{ci}:group")
        positions = np.flatnonzero(flagged[groups]) if len(groups) else np.zeros(0, dtype=np.int64)
        if not len(positions):
            continue
        at = np.flatnonzero(order == ci)
        rows = stored.array(f"criterion:{ci}:rows")
        ids, names = stored.ids(c["kind"]), stored.text(f"names:{c['kind']}")
        label = rec.rules.titles[c["title"]].title
        for p in positions.tolist():
            g = c["groups"][int(groups[p])]
            r = int(rows[p])
            recorded = g["recorded"]
            found.append(
                (
                    int(at[p]),
                    {
                        "criterion": c["criterion"],
                        "title": c["title"],
                        "title_label": label,
                        "id": ids[r],
                        "name": names[r],
                        "finding": g["finding"],
                        "note": recorded["note"] if recorded is not None else None,
                    },
                )
            )
    found.sort(key=lambda x: x[0])
    return [f for _, f in found]


__all__ = ["candidates_recorded"]
