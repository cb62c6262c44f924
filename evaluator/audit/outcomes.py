"""A recorded run's outcome table: which reason and criterion group each entity fell in, kept compact in the ledger.

`explain --entity` and `candidates --entity/--title` answer from it (docs/audit.md) instead of
evaluating again: the row of an entity by its id, the reason of each target it fell in, the criterion
group (checks, outcome, quotas) of each title it was derived for. Everything per person is a numpy
column (zlib-compressed); everything per group (checks, outcomes, recorded holdings) is JSON, once.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from thidua.evaluator.engine.conditions import Check
from thidua.evaluator.engine.derive import DecisionGroup, Derivation, QuotaResult, effective_state, quotas_applying
from thidua.evaluator.explain.tree import GROUP_OUTCOME
from thidua.evaluator.explain.worksheet import WorksheetBuilder
from thidua.evaluator.facts.reader import FactBase, Holding
from thidua.evaluator.facts.table import DERIVED, MISSING, NO_TITLE, Table
from thidua.evaluator.judgement import NOBODY, Evaluation, Judgement, RowSet
from thidua.rules.errors import Location
from thidua.rules.periods import Period

# 2: a note's rows (`note:TI:RI`) and a quota's candidates (`quota:I:candidates`) in parts of their own
OUTCOMES_FORMAT = 2
SEP = "\x00"  # between ids (and names): the fact readers turn control characters into visible escapes
OUTCOME_OF: dict[str, bool | None] = {"true": True, "false": False, "unknown": None}
NO_COUNT = (-1, -1, -1)
WORD_OF: dict[bool | None, str] = {True: "true", False: "false", None: "unknown"}
# zlib level of every part: level 1 compresses a 200,000-person table in a quarter of level 6's time
# for 11% more bytes (docs/benchmarks.md); a reader decompresses any level.
LEVEL = 1

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
    the member counts (matching, unknown, of) of each decision for each member aggregate. Rows,
    groups and counts are kept as one array per decision group, joined when encoded."""

    criterion: str
    title: str
    kind: str
    rows: list[Ints] = field(default_factory=list)
    group: list[Ints] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, list[tuple[int, npt.NDArray[Any]]]] = field(default_factory=dict)  # member -> (first row, n×3)
    size: int = 0  # rows so far
    keys: dict[tuple[Any, ...], int] = field(default_factory=dict)  # the current decision group's groups

    def joined(self) -> tuple[Ints, Ints, dict[str, Ints]]:
        """(rows, group of each row, member -> n×3 counts, (-1, -1, -1) where a decision has none)."""
        rows = np.concatenate(self.rows) if self.rows else np.zeros(0, dtype=np.int32)
        group = np.concatenate(self.group).astype(np.int32) if self.group else np.zeros(0, dtype=np.int32)
        counts = {}
        for member, chunks in self.counts.items():
            column = np.full((self.size, 3), NO_COUNT, dtype=np.int32)
            for start, values in chunks:
                column[start : start + len(values)] = values
            counts[member] = column
        return rows, group, counts


@dataclass
class RowGroups:
    """Which reason and which criterion group every row of every kind fell in, for one run."""

    kinds: dict[str, KindRows]
    files: list[str]
    columns: list[tuple[int, str | None, str]]  # (judgement position, reason role, kind) of each column
    reason_of: list[Ints]  # per column: row -> index of its reason in the judgement (-1: none)
    criteria: list[CriterionRows]
    quotas: list[QuotaResult]
    decisions: Ints  # the criterion (position in `criteria`) of each decision, in derivation order
    period: int | str | None  # the period as written (Period.value): stored in the JSON header


def _period_value(period: Period | None) -> int | str | None:
    return period.value if period is not None else None


def row_groups(evaluation: Evaluation, derivation: Derivation | None, facts: FactBase) -> RowGroups:
    """Read from one run which reason (per target and reason role) and which criterion decision group
    each row fell in: THE one function that walks an evaluation's per-entity structures.

    It reads a reason's row set (`RowSet.rows`) when it has one, its `entities` (EntityRef ids)
    otherwise, and the derivation's DecisionGroups. Everything per row is array work: a decision
    group's rows are split by what makes them differ (the recorded holding, the derived holding, the
    quota `per` values) with one factorization, and Python builds each distinct group once.
    `facts` are the facts as read (before derived titles were added); rows are their order.
    """
    files: dict[str, int] = {}
    kinds: dict[str, KindRows] = {}
    row_of: dict[str, dict[str, int]] = {}
    for kind in facts.kinds:
        if kind in facts.tables:
            table = facts.tables[kind]
            ids, names = list(table.ids), list(table.names)
            shown, index, lines = table.places()
            lut = np.array([files.setdefault(f, len(files)) for f in shown] + [-1], dtype=np.int32)
            kinds[kind] = KindRows(ids, names, lut[index], lines)  # index -1 picks the trailing -1
        else:
            items = facts.of(kind)
            ids, names = [e.id for e in items], [e.name for e in items]
            fi = [files.setdefault(e.loc.file, len(files)) if e.loc is not None else -1 for e in items]
            ln = [e.loc.line if e.loc is not None else 0 for e in items]
            kinds[kind] = KindRows(ids, names, np.array(fi, dtype=np.int32), np.array(ln, dtype=np.int32))
        row_of[kind] = {}  # filled on first use: only reasons without a row set need it
    columns: dict[tuple[int, str | None, str], Ints] = {}
    for ti, j in enumerate(evaluation.judgements):
        for ri, reason in enumerate(j.reasons):
            if reason.code not in GROUP_OUTCOME:
                continue  # a note's rows are stored by `light_judgement`, in a part of their own
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
                if not row_of[ref.kind]:
                    row_of[ref.kind] = {eid: i for i, eid in enumerate(kinds[ref.kind].ids)}
                col[row_of[ref.kind][ref.id]] = ri
    criteria: list[CriterionRows] = []
    decisions: list[Ints] = []
    quotas = list(derivation.quotas) if derivation is not None else []
    if derivation is not None:
        seen = derivation.facts if derivation.facts is not None else facts
        by_id = {c.id: i for i, c in enumerate(derivation.criteria)}
        criteria = [CriterionRows(c.id, c.title, c.kind) for c in derivation.criteria]
        quota_index = _quota_index(quotas)
        detailed: dict[tuple[int, str], npt.NDArray[np.int64]] = {}  # (table, title) -> detail code per row
        raw = derivation.raw if derivation.raw is not None else facts
        for dg in derivation.groups:  # groups in the order decided, rows in file order
            ci = by_id[dg.criterion.id]
            out = criteria[ci]
            title = dg.criterion.title
            raw_table, seen_table = raw.table(dg.kind), seen.table(dg.kind)
            rows = dg.rows.astype(np.int64)
            decisions.append(np.full(len(rows), ci, dtype=np.int32))
            # what can differ between the rows of one decision group: their recorded holding, their
            # derived holding, the `per` value of each quota on the title; one code per row for each
            features = [
                _holding_codes(raw_table, title, rows, detailed),
                _holding_codes(seen_table, title, rows, detailed),
            ]
            features += [_attr_codes(raw_table, per, rows) for per in _pers(quotas, title, dg.kind)]
            first, inverse = _factorize(features, len(rows))
            local = np.empty(len(first), dtype=np.int32)
            for u, at in enumerate(first.tolist()):  # each distinct combination once, by its first row
                row = int(rows[at])
                rec = raw_table.holding(title, row)
                h = seen_table.holding(title, row)
                if h is not None and h.source != "derived":
                    h = None
                qs = tuple(quota_index(dg, rec, raw_table, row))
                alike = (
                    None if rec is None else (rec.state, rec.decision, rec.note, rec.awaiting),
                    None if h is None else (h.state, h.awaiting, h.note),
                    qs,
                )
                g = out.keys.get(alike)
                if g is None:
                    g = out.keys[alike] = len(out.groups)
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
                local[u] = g
            out.keys = {}  # groups are never shared between two decision groups
            start = out.size
            out.rows.append(dg.rows.astype(np.int32))
            out.group.append(local[inverse])
            out.size += len(rows)
            for member, (k, unknown, n) in derivation.counts.get(dg.kind, {}).items():
                chunk = np.stack([k[rows], unknown[rows], n[rows]], axis=1)
                out.counts.setdefault(member, []).append((start, chunk))
    listed = sorted(columns)
    return RowGroups(
        kinds=kinds,
        files=list(files),
        columns=listed,
        reason_of=[columns[k] for k in listed],
        criteria=criteria,
        quotas=quotas,
        decisions=np.concatenate(decisions) if decisions else np.zeros(0, dtype=np.int32),
        period=_period_value(derivation.period if derivation is not None else facts.period),
    )


def _holding_codes(
    table: Table, title: str, rows: npt.NDArray[np.int64], detailed: dict[tuple[int, str], npt.NDArray[np.int64]]
) -> npt.NDArray[np.int64]:
    """One code per row for its holding of `title`, equal exactly when `Table.holding` gives equal
    holdings: the title column's code, or for a row with recorded details (a decision number, a
    note) one code per distinct detail, found once per table and title (`detailed`)."""
    col = table.titles.get(title)
    if col is None:
        return np.zeros(len(rows), dtype=np.int64)
    codes = col.codes[rows].astype(np.int64)
    if not table.holdings.get(title):
        return codes
    found = detailed.get((id(table), title))
    if found is None:
        found = detailed[(id(table), title)] = _detail_codes(table, title, len(col.values))
    mine = found[rows]
    return np.where(mine >= 0, mine, codes)


def _detail_codes(table: Table, title: str, base: int) -> npt.NDArray[np.int64]:
    """Each row's code for its detailed holding of `title` (`base` + one per distinct detail), -1
    for rows without details: read as `Table.holding` reads them, without building a Holding."""
    col = table.titles[title]
    details = table.holdings[title]
    out = np.full(len(table), -1, dtype=np.int64)
    rows = np.fromiter(details.keys(), dtype=np.int64, count=len(details))
    values = col.values
    held = col.codes[rows].tolist()
    seen: dict[tuple[Any, ...], int] = {}
    codes = []
    for detail, code in zip(details.values(), held, strict=True):
        h = values[code]
        if h == NO_TITLE:
            key: tuple[Any, ...] = (None,)
        elif (len(h) > 2) != (detail.source == DERIVED) or detail.state != h[0]:
            key = (h[0], h[1], None, None, DERIVED if len(h) > 2 else "recorded")  # `holding` ignores the detail
        else:
            key = (detail.state, detail.awaiting, detail.decision, detail.note, detail.source)
        codes.append(base + seen.setdefault(key, len(seen)))
    out[rows] = codes
    return out


def _attr_codes(table: Table, attr: str, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    col = table.attrs.get(attr)
    return np.zeros(len(rows), dtype=np.int64) if col is None else col.codes[rows].astype(np.int64)


def _pers(quotas: Sequence[QuotaResult], title: str, kind: str) -> list[str]:
    """The `per` attributes of the quotas that limit `title` among `kind`."""
    pers = {q.quota.spec.per for q in quotas if (q.quota.spec.limits, q.quota.spec.of) == (title, kind)}
    return sorted(p for p in pers if p is not None)


def _factorize(
    features: Sequence[npt.NDArray[np.int64]], n: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(first row of each distinct combination, in first-seen order; each row's combination)."""
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    key = np.zeros(n, dtype=np.int64)
    for f in features:  # mixed radix over each feature's dense codes, re-densified as it grows
        _, dense = np.unique(f, return_inverse=True)
        key = key * (int(dense.max()) + 1) + dense
        _, key = np.unique(key, return_inverse=True)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # first-seen order, as walking the rows would meet them
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return first[order], rank[inverse]


def _same_rows(table: Table, rows: KindRows | None) -> bool:
    """Whether a reason's table has the rows of the facts read, in the same order (the facts the
    targets saw are those facts with derived titles added: same entities, same order)."""
    return rows is not None and (table.ids is rows.ids or table.ids == rows.ids)


def _quota_index(quotas: Sequence[QuotaResult]) -> Any:
    """Which quotas (by position) apply to a decision: `quotas_applying`, the explanation's rule."""

    def applies(g: DecisionGroup, recorded: Holding | None, table: Table, row: int) -> list[int]:
        effective = effective_state(recorded, g.derived)
        return quotas_applying(quotas, g.criterion.title, g.kind, g.derived, effective, lambda a: _value(table, a, row))

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
    return array.dtype.str, zlib.compress(np.ascontiguousarray(array).tobytes(), LEVEL)


def _text(items: Sequence[str]) -> tuple[str, bytes]:
    return "text", zlib.compress(SEP.join(items).encode("utf-8"), LEVEL)


def _json(obj: Any) -> tuple[str, bytes]:
    return "json", zlib.compress(json.dumps(obj, ensure_ascii=False, default=str).encode("utf-8"), LEVEL)


def light_judgement(
    j: Judgement, groups: RowGroups | None = None, ti: int = 0
) -> tuple[dict[str, Any], list[tuple[str, str, bytes]]]:
    """A judgement as stored with the outcome table, and the parts it needs besides: each group
    reason's entities left out (the columns say who is in it) and counted; a note that is a row set
    of the kinds' rows keeps its rows as a column of its own (`note:TI:RI`, named in the reason as
    `rows_part` with `rows_kind`: a note on a province's derived titles names 90,000 people, which
    one entity's question should not parse), any other note its entities as `EntityRef` dicts."""
    reasons = []
    counts = []
    noted: dict[int, tuple[str, str]] = {}
    parts: list[tuple[str, str, bytes]] = []
    for i, r in enumerate(j.reasons):
        if r.code in GROUP_OUTCOME:
            counts.append(r.count)
            reasons.append(r.model_copy(update={"members": NOBODY}))
            continue
        counts.append(-1)
        members = r.members
        kind = members.table.kind if isinstance(members, RowSet) else None
        rows = groups.kinds.get(kind) if (groups is not None and kind is not None) else None
        if kind is not None and rows is not None and isinstance(members, RowSet) and _same_rows(members.table, rows):
            name = f"note:{ti}:{i}"
            parts.append((name, *_pack(np.asarray(members.rows, dtype=np.int32))))
            noted[i] = (name, kind)
            reasons.append(r.model_copy(update={"members": NOBODY}))
        else:
            reasons.append(r)
    data = j.model_copy(update={"reasons": tuple(reasons)}).to_dict()
    for i, (name, kind) in noted.items():
        data["reasons"][i].pop("entities", None)
        data["reasons"][i]["rows_part"] = name
        data["reasons"][i]["rows_kind"] = kind
    data["counts"] = counts
    return data, parts


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
        data, notes = light_judgement(j, groups, ti)
        out.append((f"judgement:{ti}", *_json(data)))
        out.extend(notes)
    quotas = []
    for i, (q, row) in enumerate(zip(groups.quotas, quota_rows, strict=True)):
        entry: dict[str, Any] = {"quota": q.quota.spec.id, "group": q.group, "row": row}
        candidates = np.setdiff1d(q.holder_rows, q.decided_rows, assume_unique=True)
        kind = q.table.kind if q.table is not None else None
        if kind is not None and q.table is not None and _same_rows(q.table, groups.kinds.get(kind)):
            # the rows in a column of their own: a breach at a province names 283,000 candidates,
            # which a question about one person (or the first 25) should not parse
            name = f"quota:{i}:candidates"
            out.append((name, *_pack(candidates.astype(np.int32))))
            entry["candidates"] = {"kind": kind, "part": name}
        else:
            entry["row"] = {**row, "candidates": [{"id": e.id, "name": e.name} for e in q.candidates]}
        quotas.append(entry)
    out.append(("quotas", *_json(quotas)))
    for kind, rows in groups.kinds.items():
        out.append((f"ids:{kind}", *_text(rows.ids)))
        out.append((f"names:{kind}", *_text(rows.names)))
        out.append((f"files:{kind}", *_pack(rows.files)))
        out.append((f"lines:{kind}", *_pack(rows.lines)))
    for i, col in enumerate(groups.reason_of):
        out.append((f"reason:{i}", *_pack(col)))
    out.append(("decisions", *_pack(groups.decisions.astype(np.int32))))
    for i, c in enumerate(groups.criteria):
        decided, group, counts = c.joined()
        out.append((f"criterion:{i}:rows", *_pack(decided)))
        out.append((f"criterion:{i}:group", *_pack(group)))
        for member, values in counts.items():
            out.append((f"criterion:{i}:counts:{member}", *_pack(values)))
    return out


def outcome_table(
    evaluation: Evaluation, derivation: Derivation | None, facts: FactBase, rules: Any
) -> list[tuple[str, str, bytes]]:
    """The rows to store with a run: `row_groups` of the run, encoded."""
    groups = row_groups(evaluation, derivation, facts)
    sheet = WorksheetBuilder(rules, derivation) if derivation is not None else None
    rows = [sheet.quota_fields(q, []) for q in groups.quotas] if sheet is not None else []  # names: `encode`
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

    def entity_dicts(self, kind: str, rows: npt.NDArray[Any]) -> list[dict[str, Any]]:
        """Rows as `EntityRef.to_dict()` gives them (a note's entities listed whole)."""
        ids, names, files = self.ids(kind), self.text(f"names:{kind}"), self.header["files"]
        fi, ln = self.array(f"files:{kind}")[rows].tolist(), self.array(f"lines:{kind}")[rows].tolist()
        return [
            {"id": ids[r], "name": names[r], "kind": kind, "file": files[f] if f >= 0 else None, "line": line}
            for r, f, line in zip(rows.tolist(), fi, ln, strict=True)
        ]

    def quota_candidates(self, entry: Mapping[str, Any], limit: int | None) -> tuple[list[dict[str, str]], int]:
        """A stored quota's candidates as the worksheet names them (id, name): the first `limit`
        (all with None), and how many it has."""
        ref = entry.get("candidates")
        if ref is None:  # listed in the row: their table was not the facts' rows
            listed: list[dict[str, str]] = entry["row"]["candidates"]
            return (listed if limit is None else listed[:limit]), len(listed)
        rows = self.array(ref["part"])
        shown = (rows if limit is None else rows[:limit]).tolist()
        kind = ref["kind"]
        if len(shown) > 1_000:  # a long listing: split the lists once
            ids, names = self.ids(kind), self.text(f"names:{kind}")
            return [{"id": ids[r], "name": names[r]} for r in shown], len(rows)
        return [{"id": self.item(f"ids:{kind}", r), "name": self.item(f"names:{kind}", r)} for r in shown], len(rows)

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
        deciding=data.get("deciding", True),
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
