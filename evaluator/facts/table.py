"""Facts as columns: one table per kind, each attribute and title a numpy column of codes into its distinct values.

A person inside the evaluator is a row index. Every column is a pair: `codes` (one int32 per row)
and `values` (the distinct values, in first-seen order). A value is exactly what a condition's
signature reads today (evaluator/engine/conditions.py): an encoded attribute value, `MISSING`, an
`Awaiting`, or for a title the holding tuple `(state, awaiting)` / `(state, awaiting, "derived")`,
`NO_TITLE` when not held. So grouping rows by the features a condition reads is integer work on the
codes (`Table.group`), and the engine and the explainer still see each distinct signature once, as
Python values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from thidua.rules.errors import Location

if TYPE_CHECKING:
    from thidua.evaluator.facts.reader import Entity, Holding

MISSING = "__missing__"  # an attribute not written (or written empty): unknown
NO_TITLE: tuple[Any, ...] = ("none", None)  # a title not held
DERIVED = "derived"  # Holding.source of a title the criteria derived (evaluator/engine/derive.py)

Codes = npt.NDArray[np.int32]
Signature = tuple[Any, ...]


def held_value(h: Holding) -> tuple[Any, ...]:
    """A holding as a signature value: (state, awaiting), plus a marker when the criteria derived it,
    so derived and recorded holders fall into separate groups and each says what it is."""
    if h.source == DERIVED:
        return (h.state, h.awaiting, DERIVED)
    return (h.state, h.awaiting)


@dataclass
class Column:
    """One attribute or title over all rows of a kind: `values[codes[row]]` is the row's value."""

    codes: Codes
    values: list[Any]

    @classmethod
    def encode(cls, items: Iterable[Any], size: int) -> Column:
        """Factorize `items` (hashable, one per row) in first-seen order: each distinct value once."""
        index: dict[Any, int] = {}
        codes = np.fromiter((index.setdefault(v, len(index)) for v in items), dtype=np.int32, count=size)
        return cls(codes, list(index))

    @classmethod
    def constant(cls, value: Any, size: int) -> Column:
        return cls(np.zeros(size, dtype=np.int32), [value])

    def value(self, row: int) -> Any:
        return self.values[int(self.codes[row])]

    def where(self, wanted: Any) -> npt.NDArray[np.bool_]:
        """Mask of the rows whose value is `wanted`."""
        try:
            code = self.values.index(wanted)
        except ValueError:
            return np.zeros(len(self.codes), dtype=np.bool_)
        mask: npt.NDArray[np.bool_] = self.codes == code
        return mask


@dataclass
class Groups:
    """Rows grouped by a signature: group g has signature `keys[g]` and rows `order[starts[g]:starts[g+1]]`,
    in file order. `inverse[row]` is the row's group."""

    keys: list[Signature]
    inverse: Codes
    order: Codes
    starts: npt.NDArray[np.int64]

    def rows(self, g: int) -> Codes:
        return self.order[self.starts[g] : self.starts[g + 1]]

    def size(self, g: int) -> int:
        return int(self.starts[g + 1] - self.starts[g])

    def __len__(self) -> int:
        return len(self.keys)


@dataclass
class Table:
    """The entities of one kind as columns. Details that are rare (a holding's decision number, note and
    location; an awaited value's body) stay in sparse dicts keyed by row."""

    kind: str
    ids: list[str]
    names: list[str]
    attrs: dict[str, Column] = field(default_factory=dict)
    titles: dict[str, Column] = field(default_factory=dict)
    holdings: dict[str, dict[int, Holding]] = field(default_factory=dict)  # title -> row -> details
    notes: dict[int, str] = field(default_factory=dict)
    shown: dict[str, dict[int, Any]] = field(default_factory=dict)  # attr -> row -> value as written, when it differs
    locations: list[Location | None] = field(default_factory=list)  # row -> where the entity is written
    value_locs: dict[str, dict[int, Location]] = field(default_factory=dict)  # attr -> row -> where its value is
    _row: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, entity_id: str) -> int | None:
        if self._row is None:
            self._row = {eid: i for i, eid in enumerate(self.ids)}
        return self._row.get(entity_id)

    def location(self, row: int) -> Location | None:
        return self.locations[row] if row < len(self.locations) else None

    def column(self, feature: tuple[str, str]) -> Column:
        """The column a condition feature reads: ("a", attribute) or ("t", title)."""
        kind, name = feature
        columns = self.attrs if kind == "a" else self.titles
        col = columns.get(name)
        if col is None:
            col = Column.constant(MISSING if kind == "a" else NO_TITLE, len(self))
        return col

    def group(self, features: Sequence[tuple[str, str]], rows: Codes | None = None) -> Groups:
        """Group rows (all, or `rows`) by the values of `features`: integer work on the codes, then one
        Python tuple per distinct signature. Groups come in first-seen order, rows in file order."""
        if rows is None:
            rows = np.arange(len(self), dtype=np.int32)
        return group_columns([self.column(f) for f in features], rows)

    def entity(self, row: int) -> Entity:
        """One row as an `Entity` (for the commands that walk entities: explain, documents, blocks)."""
        from thidua.evaluator.facts.reader import Entity, Holding

        values: dict[str, Any] = {}
        shown: dict[str, Any] = {}
        for a, col in self.attrs.items():
            v = col.value(row)
            if v == MISSING:
                continue
            values[a] = v
            sh = self.shown.get(a)
            shown[a] = sh[row] if sh is not None and row in sh else getattr(v, "shown", v)
        holdings: dict[str, Holding] = {}
        for t, col in self.titles.items():
            h = col.value(row)
            if h == NO_TITLE:
                continue
            detail = self.holdings.get(t, {}).get(row)
            if detail is None or (len(h) > 2) != (detail.source == DERIVED) or detail.state != h[0]:
                detail = Holding(t, h[0], awaiting=h[1], source=DERIVED if len(h) > 2 else "recorded")
            holdings[t] = detail
        return Entity(
            self.ids[row],
            self.kind,
            self.names[row],
            values=values,
            shown=shown,
            holdings=holdings,
            loc=self.location(row),
            note=self.notes.get(row),
            value_locs={a: locs[row] for a, locs in self.value_locs.items() if row in locs},
        )

    def entities(self) -> list[Entity]:
        return [self.entity(r) for r in range(len(self))]

    @classmethod
    def from_entities(cls, kind: str, entities: Sequence[Entity]) -> Table:
        """Columns from checked Entity objects (the reader's output until it writes columns itself)."""
        n = len(entities)
        table = cls(kind, [e.id for e in entities], [e.name for e in entities])
        table.locations = [e.loc for e in entities]
        attrs: dict[str, None] = {}
        titles: dict[str, None] = {}
        for e in entities:
            attrs.update(dict.fromkeys(e.values))
            titles.update(dict.fromkeys(e.holdings))
        for a in attrs:
            table.attrs[a] = Column.encode((e.values.get(a, MISSING) for e in entities), n)
            shown = {i: e.shown[a] for i, e in enumerate(entities) if a in e.shown and e.shown[a] != e.values.get(a)}
            if shown:
                table.shown[a] = shown
            locs = {i: e.value_locs[a] for i, e in enumerate(entities) if a in e.value_locs}
            if locs:
                table.value_locs[a] = locs
        for t in titles:
            table.titles[t] = Column.encode(
                (held_value(e.holdings[t]) if t in e.holdings else NO_TITLE for e in entities), n
            )
            table.holdings[t] = {i: e.holdings[t] for i, e in enumerate(entities) if t in e.holdings}
        table.notes = {i: e.note for i, e in enumerate(entities) if e.note is not None}
        return table


def group_columns(cols: Sequence[Column], rows: Codes) -> Groups:
    """Group `rows` by the values of `cols` (any columns over the same rows, e.g. computed ones): mixed
    radix over the codes, groups in first-seen order, rows in file order, one key tuple per group."""
    key = np.zeros(len(rows), dtype=np.int64)
    radix = 1
    for col in cols:  # mixed radix over the codes, made dense again before it could overflow
        size = max(len(col.values), 1)
        if radix * size >= 1 << 62:
            uniq_so_far, dense = np.unique(key, return_inverse=True)
            key, radix = dense.reshape(-1).astype(np.int64), len(uniq_so_far)
        key = key * size + col.codes[rows]
        radix *= size
    if len(rows) == 0:
        return Groups([], np.zeros(0, dtype=np.int32), rows, np.zeros(1, dtype=np.int64))
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    by_first = np.argsort(first, kind="stable")  # groups in first-seen order, as dict grouping gave
    rank = np.empty(len(uniq), dtype=np.int32)
    rank[by_first] = np.arange(len(uniq), dtype=np.int32)
    group_of: Codes = rank[inverse.reshape(-1)].astype(np.int32)
    order: Codes = rows[np.argsort(group_of, kind="stable")].astype(np.int32)
    counts = np.bincount(group_of, minlength=len(uniq))
    starts = np.zeros(len(uniq) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    keys = []
    for g in by_first:
        r = int(rows[first[g]])
        keys.append(tuple(col.values[int(col.codes[r])] for col in cols))
    return Groups(keys, group_of, order, starts)


__all__ = ["DERIVED", "MISSING", "NO_TITLE", "Column", "Groups", "Signature", "Table", "group_columns", "held_value"]
