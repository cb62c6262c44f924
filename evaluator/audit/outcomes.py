"""A recorded run's outcome table: which reason and criterion group each entity fell in, kept compact in the ledger.

`explain --entity` and `candidates --entity/--title` answer from it (docs/audit.md) instead of
evaluating again: the row of an entity by its id, the reason of each target it fell in, the criterion
group (checks, outcome, quotas) of each title it was derived for. Everything per person is a numpy
column (zlib-compressed); everything per group (checks, outcomes, recorded holdings) is JSON, once.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from thidua.evaluator.engine.conditions import Check
from thidua.evaluator.engine.derive import DecisionGroup, Derivation, QuotaResult
from thidua.evaluator.engine.durable import DERIVED_STATE
from thidua.evaluator.explain.tree import GROUP_OUTCOME
from thidua.evaluator.explain.worksheet import WorksheetBuilder
from thidua.evaluator.facts.reader import FactBase, Holding
from thidua.evaluator.facts.table import MISSING, Table
from thidua.evaluator.judgement import NOBODY, Evaluation, Judgement, RowSet
from thidua.rules.errors import Location

OUTCOMES_FORMAT = 1
SEP = "\x00"  # between ids (and names): the fact readers turn control characters into visible escapes
OUTCOME_OF: dict[str, bool | None] = {"true": True, "false": False, "unknown": None}
NO_COUNT = (-1, -1, -1)
WORD_OF: dict[bool | None, str] = {True: "true", False: "false", None: "unknown"}

Ints = npt.NDArray[np.int32]


# --- what each row fell in: the one place that reads it from an evaluation ---------------------


@dataclass
class KindRows:
    """One kind's entities in fact order: ids, names and where each is written (file index, line)."""

    ids: list[str]
    names: list[str]
    files: Ints
    lines: Ints


@dataclass
class CriterionRows:
    """One applied criterion: its decisions' rows in decision order, each decision's group, the
    groups (what is alike within one: outcome, checks, recorded and derived holding, quotas), and
    the member counts (matching, unknown, of) of each decision for each member aggregate."""

    criterion: str
    title: str
    kind: str
    rows: list[int] = field(default_factory=list)
    group: list[int] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)


@dataclass
class RowGroups:
    """Which reason and which criterion group every row of every kind fell in, for one run."""

    kinds: dict[str, KindRows]
    files: list[str]
    columns: list[tuple[int, str | None, str]]  # (judgement position, reason role, kind) of each column
    reason_of: list[Ints]  # per column: row -> index of its reason in the judgement (-1: none)
    criteria: list[CriterionRows]
    quotas: list[QuotaResult]
    decisions: list[int]  # the criterion (position in `criteria`) of each decision, in derivation order
    period: int | None


def row_groups(evaluation: Evaluation, derivation: Derivation | None, facts: FactBase) -> RowGroups:
    """Read from one run which reason (per target and reason role) and which criterion decision group
    each row fell in: THE one function that walks an evaluation's per-entity structures.

    It reads a reason's row set (`RowSet.rows`) when it has one, its `entities` (EntityRef ids)
    otherwise, and `derivation.decisions` (one Decision per entity and criterion). When decisions
    become one per (criterion, signature group) with rows (issue 12), only this function changes:
    the stored columns mean the same.
    `facts` are the facts as read (before derived titles were added); rows are their order.
    """
    files: dict[str, int] = {}
    kinds: dict[str, KindRows] = {}
    row_of: dict[str, dict[str, int]] = {}
    for kind in facts.kinds:
        ids, names, fi, ln = [], [], [], []
        if kind in facts.tables:
            table = facts.tables[kind]
            ids, names = list(table.ids), list(table.names)
            locs: Iterable[Location | None] = (table.location(r) for r in range(len(table)))
        else:
            items = facts.of(kind)
            ids, names = [e.id for e in items], [e.name for e in items]
            locs = (e.loc for e in items)
        for loc in locs:
            fi.append(files.setdefault(loc.file, len(files)) if loc is not None else -1)
            ln.append(loc.line if loc is not None else 0)
        kinds[kind] = KindRows(ids, names, np.array(fi, dtype=np.int32), np.array(ln, dtype=np.int32))
        row_of[kind] = {eid: i for i, eid in enumerate(ids)}
    columns: dict[tuple[int, str | None, str], Ints] = {}
    for ti, j in enumerate(evaluation.judgements):
        for ri, reason in enumerate(j.reasons):
            if reason.code not in GROUP_OUTCOME:
                continue  # notes keep their entities in the stored judgement (they are few)
            members = reason.members
            if isinstance(members, RowSet) and _same_rows(members.table, kinds.get(members.table.kind)):
                key = (ti, reason.role, members.table.kind)  # a row set: its rows are the rows here
                col = columns.get(key)
                if col is None:
                    col = columns[key] = np.full(len(members.table.ids), -1, dtype=np.int32)
                col[members.rows] = ri
                continue
            for ref in reason.entities:
                key = (ti, reason.role, ref.kind)
                col = columns.get(key)
                if col is None:
                    col = columns[key] = np.full(len(kinds[ref.kind].ids), -1, dtype=np.int32)
                col[row_of[ref.kind][ref.id]] = ri
    criteria: list[CriterionRows] = []
    decisions: list[int] = []
    quotas = list(derivation.quotas) if derivation is not None else []
    if derivation is not None:
        seen = derivation.facts if derivation.facts is not None else facts
        by_id = {c.id: i for i, c in enumerate(derivation.criteria)}
        criteria = [CriterionRows(c.id, c.title, c.kind) for c in derivation.criteria]
        keys: list[dict[tuple[Any, ...], int]] = [{} for _ in criteria]
        quota_index = _quota_index(quotas)
        raw = derivation.raw if derivation.raw is not None else facts
        for gi, dg in enumerate(derivation.groups):  # groups in the order decided, rows in file order
            ci = by_id[dg.criterion.id]
            out = criteria[ci]
            title = dg.criterion.title
            raw_table, seen_table = raw.table(dg.kind), seen.table(dg.kind)
            counts = derivation.counts.get(dg.kind, {})
            for row in dg.rows.tolist():
                decisions.append(ci)
                rec = raw_table.holding(title, row)
                h = seen_table.holding(title, row)
                if h is not None and h.source != "derived":
                    h = None
                qs = tuple(quota_index(dg, rec, raw_table, row))
                alike = (
                    gi,
                    None if rec is None else (rec.state, rec.decision, rec.note, rec.awaiting),
                    None if h is None else (h.state, h.awaiting, h.note),
                    qs,
                )
                g = keys[ci].get(alike)
                if g is None:
                    g = keys[ci][alike] = len(out.groups)
                    out.groups.append(
                        {
                            "derived": WORD_OF[dg.derived],
                            "checks": [c.to_dict() for c in dg.checks],
                            "shown": dg.shown,
                            "finding": dg.finding,
                            "recorded": None if rec is None else _holding_dict(rec),
                            "holding": None if h is None else _holding_dict(h),
                            "quotas": list(qs),
                        }
                    )
                for member, (k, u, n) in counts.items():  # a decision without a count keeps (-1, -1, -1)
                    column = out.counts.setdefault(member, [])
                    column.extend([NO_COUNT] * (len(out.rows) - len(column)))
                    column.append((int(k[row]), int(u[row]), int(n[row])))
                out.rows.append(row)
                out.group.append(g)
        for crit in criteria:
            for column in crit.counts.values():
                column.extend([NO_COUNT] * (len(crit.rows) - len(column)))
    listed = sorted(columns)
    return RowGroups(
        kinds=kinds,
        files=list(files),
        columns=listed,
        reason_of=[columns[k] for k in listed],
        criteria=criteria,
        quotas=quotas,
        decisions=decisions,
        period=derivation.period if derivation is not None else facts.period,
    )


def _same_rows(table: Table, rows: KindRows | None) -> bool:
    """Whether a reason's table has the rows of the facts read, in the same order (the facts the
    targets saw are those facts with derived titles added: same entities, same order)."""
    return rows is not None and (table.ids is rows.ids or table.ids == rows.ids)


def _quota_index(quotas: Sequence[QuotaResult]) -> Any:
    """Which quotas (by position) apply to a decision: the rule of `DerivationExplainer.quotas_for`."""
    by_title: dict[tuple[str, str], list[tuple[int, QuotaResult]]] = {}
    for i, q in enumerate(quotas):
        by_title.setdefault((q.quota.spec.limits, q.quota.spec.of), []).append((i, q))

    def applies(g: DecisionGroup, recorded: Holding | None, table: Table, row: int) -> list[int]:
        effective = (
            recorded.state if recorded is not None else DERIVED_STATE[{True: "T", False: "F", None: "U"}[g.derived]]
        )
        if g.derived is not True and effective not in ("decided", "proposed"):
            return []
        out = []
        for i, q in by_title.get((g.criterion.title, g.kind), []):
            per = q.quota.spec.per
            if per is not None and str(_value(table, per, row)) != q.group:
                continue
            out.append(i)
        return out

    return applies


def _value(table: Table, attr: str, row: int) -> Any:
    """An attribute's value of one row as `entity.values.get(attr)` gives it (None when missing)."""
    col = table.attrs.get(attr)
    if col is None:
        return None
    v = col.value(row)
    return None if v == MISSING else v


def _holding_dict(h: Holding) -> dict[str, Any]:
    return {"state": h.state, "awaiting": h.awaiting, "decision": h.decision, "note": h.note, "source": h.source}


# --- storing ---------------------------------------------------------------------------------


def _pack(array: npt.NDArray[Any]) -> tuple[str, bytes]:
    return array.dtype.str, zlib.compress(np.ascontiguousarray(array).tobytes(), 6)


def _text(items: Sequence[str]) -> tuple[str, bytes]:
    return "text", zlib.compress(SEP.join(items).encode("utf-8"), 6)


def _json(obj: Any) -> tuple[str, bytes]:
    return "json", zlib.compress(json.dumps(obj, ensure_ascii=False, default=str).encode("utf-8"), 6)


def light_judgement(j: Judgement) -> dict[str, Any]:
    """A judgement as stored with the outcome table: each group reason's entities left out (the
    columns say who is in it) and counted; notes keep theirs (they name few entities)."""
    reasons = []
    counts = []
    for r in j.reasons:
        if r.code in GROUP_OUTCOME:
            counts.append(r.count)
            reasons.append(r.model_copy(update={"members": NOBODY}))
        else:
            counts.append(-1)
            reasons.append(r)
    data = j.model_copy(update={"reasons": tuple(reasons)}).to_dict()
    data["counts"] = counts
    return data


def encode(
    groups: RowGroups, evaluation: Evaluation, quota_rows: Sequence[dict[str, Any]]
) -> list[tuple[str, str, bytes]]:
    """The outcome table as (name, dtype, zlib bytes) rows for the ledger."""
    header = {
        "format": OUTCOMES_FORMAT,
        "period": groups.period,
        "kinds": list(groups.kinds),
        "files": groups.files,
        "targets": [j.target for j in evaluation.judgements],
        "columns": [list(c) for c in groups.columns],
        "criteria": [
            {
                "criterion": c.criterion,
                "title": c.title,
                "kind": c.kind,
                "groups": c.groups,
                "members": list(c.counts),
            }
            for c in groups.criteria
        ],
        "quotas": len(groups.quotas),
    }
    out: list[tuple[str, str, bytes]] = [("header", *_json(header))]
    for ti, j in enumerate(evaluation.judgements):  # one part each: `explain` reads only its target
        out.append((f"judgement:{ti}", *_json(light_judgement(j))))
    quotas = [
        {"quota": q.quota.spec.id, "group": q.group, "row": row}
        for q, row in zip(groups.quotas, quota_rows, strict=True)
    ]
    out.append(("quotas", *_json(quotas)))
    for kind, rows in groups.kinds.items():
        out.append((f"ids:{kind}", *_text(rows.ids)))
        out.append((f"names:{kind}", *_text(rows.names)))
        out.append((f"files:{kind}", *_pack(rows.files)))
        out.append((f"lines:{kind}", *_pack(rows.lines)))
    for i, col in enumerate(groups.reason_of):
        out.append((f"reason:{i}", *_pack(col)))
    out.append(("decisions", *_pack(np.array(groups.decisions, dtype=np.int32))))
    for i, c in enumerate(groups.criteria):
        out.append((f"criterion:{i}:rows", *_pack(np.array(c.rows, dtype=np.int32))))
        out.append((f"criterion:{i}:group", *_pack(np.array(c.group, dtype=np.int32))))
        for member, values in c.counts.items():
            out.append((f"criterion:{i}:counts:{member}", *_pack(np.array(values, dtype=np.int32).reshape(-1, 3))))
    return out


def outcome_table(
    evaluation: Evaluation, derivation: Derivation | None, facts: FactBase, rules: Any
) -> list[tuple[str, str, bytes]]:
    """The rows to store with a run: `row_groups` of the run, encoded."""
    groups = row_groups(evaluation, derivation, facts)
    sheet = WorksheetBuilder(rules, derivation) if derivation is not None else None
    rows = [sheet.quota_row(q) for q in groups.quotas] if sheet is not None else []
    return encode(groups, evaluation, rows)


# --- reading ---------------------------------------------------------------------------------


class Stored:
    """An outcome table read back lazily from its rows: only the columns a question needs are unpacked.

    One entity's question reads single items: its row is found by searching the kind's stored ids as
    bytes (no list of a million strings), its name by the separators around that row."""

    def __init__(self, seq: int, load: Any) -> None:
        self.seq = seq
        self._load = load  # name -> (dtype, zlib bytes) | None
        self._parts: dict[str, Any] = {}
        self._bytes: dict[str, bytes] = {}
        self._seps: dict[str, npt.NDArray[np.intp]] = {}
        self.header: dict[str, Any] = self.json("header")
        self._arrays: dict[str, npt.NDArray[Any]] = {}
        self._texts: dict[str, list[str]] = {}

    def raw(self, name: str) -> tuple[str, bytes]:
        found = self._load(name)
        if found is None:
            raise KeyError(name)
        return found  # type: ignore[no-any-return]

    def json(self, name: str) -> Any:
        """A stored JSON part, read once: by orjson (a note naming a hundred thousand people parses
        in a fraction of the time), by the json module when orjson refuses the text (NaN, an
        integer beyond 64 bits), which is what wrote it."""
        if name not in self._parts:
            data = self.data(name)
            try:
                self._parts[name] = orjson.loads(data)
            except orjson.JSONDecodeError:
                self._parts[name] = json.loads(data.decode("utf-8"))
        return self._parts[name]

    def data(self, name: str) -> bytes:
        """A stored part's bytes, decompressed once."""
        found = self._bytes.get(name)
        if found is None:
            found = self._bytes[name] = zlib.decompress(self.raw(name)[1])
        return found

    def text(self, name: str) -> list[str]:
        """A stored list of strings (ids, names), unpacked once."""
        found = self._texts.get(name)
        if found is None:
            text = self.data(name).decode("utf-8")
            found = self._texts[name] = text.split(SEP) if text else []
        return found

    def item(self, name: str, row: int) -> str:
        """One string of a stored list (the name of one row) without splitting the whole list."""
        if name in self._texts:
            return self._texts[name][row]
        data = self.data(name)
        seps = self._seps.get(name)
        if seps is None:
            seps = self._seps[name] = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0)
        start = int(seps[row - 1]) + 1 if row else 0
        end = int(seps[row]) if row < len(seps) else len(data)
        return data[start:end].decode("utf-8")

    def array(self, name: str) -> npt.NDArray[Any]:
        """A stored column, unpacked once."""
        found = self._arrays.get(name)
        if found is None:
            dtype, data = self.raw(name)
            found = self._arrays[name] = np.frombuffer(zlib.decompress(data), dtype=np.dtype(dtype))
        return found

    def ids(self, kind: str) -> list[str]:
        return self.text(f"ids:{kind}")

    def find(self, entity: str) -> tuple[str, int] | None:
        """(kind, row) of an entity id, or None when the run had no such entity: the id is searched
        in the stored bytes between separators, its row is the number of separators before it."""
        needle = entity.encode("utf-8")
        if not needle or SEP.encode("utf-8") in needle:
            return None
        sep = SEP.encode("utf-8")
        for kind in self.header["kinds"]:
            data = self.data(f"ids:{kind}")
            if data == needle or data.startswith(needle + sep):
                return kind, 0
            pos = data.find(sep + needle + sep)
            if pos < 0 and data.endswith(sep + needle):
                pos = len(data) - len(needle) - 1
            if pos >= 0:
                return kind, data.count(sep, 0, pos) + 1
        return None

    def location(self, kind: str, rows: Sequence[int]) -> list[Location | None]:
        files = self.array(f"files:{kind}")
        lines = self.array(f"lines:{kind}")
        names = self.header["files"]
        return [Location(names[int(files[r])], int(lines[r])) if files[r] >= 0 else None for r in rows]


def make_check(data: Mapping[str, Any]) -> Check:
    return Check(
        subject=data["subject"],
        name=data["name"],
        op=data["op"],
        expected=_tuples(data["expected"]),
        actual=_tuples(data["actual"]),
        outcome=OUTCOME_OF[data["outcome"]],
        note=data["note"],
        by=data["by"],
    )


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def make_holding(title: str, data: Mapping[str, Any] | None, loc: Location | None = None) -> Holding | None:
    if data is None:
        return None
    return Holding(
        title,
        data["state"],
        awaiting=data["awaiting"],
        decision=data["decision"],
        note=data["note"],
        loc=loc,
        source=data["source"],
    )


__all__ = ["RowGroups", "Stored", "outcome_table", "row_groups"]
