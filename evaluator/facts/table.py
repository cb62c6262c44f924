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

import bisect
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

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


class _WrittenAt(dict[str, Location]):
    """An entity's value locations, built from a table: its file is read positioned (once) only when
    one of them is first looked at, so building entities costs no positions."""

    def __init__(self, table: Table, row: int) -> None:
        super().__init__()
        self._source: tuple[Table, int] | None = (table, row)

    @property
    def unread(self) -> bool:
        return self._source is not None

    def _fill(self) -> None:
        if self._source is not None:
            table, row = self._source
            self._source = None
            placed = table._placed(row)
            for a, loc in (placed.value_locs if placed is not None else {}).items():
                dict.__setitem__(self, a, renamed(loc, table.renames) or loc)

    def __getitem__(self, key: str) -> Location:
        self._fill()
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        self._fill()
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        self._fill()
        return dict.__contains__(self, key)

    def __iter__(self) -> Any:
        self._fill()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._fill()
        return dict.__len__(self)

    def keys(self) -> Any:
        self._fill()
        return dict.keys(self)

    def values(self) -> Any:
        self._fill()
        return dict.values(self)

    def items(self) -> Any:
        self._fill()
        return dict.items(self)

    def copy(self) -> dict[str, Location]:
        self._fill()
        return dict(dict.items(self))

    def __eq__(self, other: object) -> bool:
        self._fill()
        if isinstance(other, _WrittenAt):
            other._fill()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None

    def __repr__(self) -> str:
        self._fill()
        return dict.__repr__(self)

    def __reduce__(self) -> Any:
        return (dict, (self.copy(),))


_UNREAD = Location("")  # a lazily placed holding's location before it is read


def _placed_holding_class() -> type[Holding]:
    """The class of holdings placed on first use, made once (it subclasses the reader's `Holding`)."""
    from thidua.evaluator.facts.reader import Holding

    class PlacedHolding(Holding):
        """A recorded holding built from a table, placed on first use."""

        @property
        def loc(self) -> Location | None:
            if "_loc" not in self.__dict__:
                at: tuple[Table, int] = self.__dict__["_at"]
                object.__setattr__(self, "_loc", at[0].holding_location(self.title, at[1]))
            loc: Location | None = self.__dict__["_loc"]
            return loc

        @loc.setter
        def loc(self, value: Location | None) -> None:
            if value is not _UNREAD:
                self.__dict__["_loc"] = value

        def _fields(self) -> tuple[Any, ...]:
            return tuple(getattr(self, f.name) for f in dataclasses.fields(self))

        def __eq__(self, other: object) -> bool:
            if not isinstance(other, Holding):
                return NotImplemented
            return self._fields() == tuple(getattr(other, f.name) for f in dataclasses.fields(other))

        def __hash__(self) -> int:
            return hash(self._fields())

        def __reduce__(self) -> Any:
            return (Holding, self._fields())

    global _PlacedHolding
    _PlacedHolding = PlacedHolding
    return PlacedHolding


def _placed_holding(detail: Holding, table: Table, row: int) -> Holding:
    """`detail` whose location is found in its file (read positioned once) when first read."""
    cls = _PlacedHolding or _placed_holding_class()
    h = cls(
        detail.title,
        detail.state,
        awaiting=detail.awaiting,
        decision=detail.decision,
        note=detail.note,
        loc=_UNREAD,
        source=detail.source,
    )
    object.__setattr__(h, "_at", (table, row))
    placed: Holding = h
    return placed


_PlacedHolding: Any = None


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


class Positions(Protocol):
    """Where the entities of a fact file are written, found when first asked (evaluator/facts/positions.py)."""

    def entity(self, file: str, kind: str, index: int) -> Entity | None:
        """The `index`-th entity of `kind` in `file`, as the positioned reader reads it (with its locations)."""

    def place(self, file: str, kind: str, index: int) -> Location | None:
        """Where the `index`-th entity of `kind` in `file` starts (cheaper than `entity`)."""

    def lines(self, file: str, kind: str) -> list[int] | None:
        """The line of every entity of `kind` in `file` when known without a positioned read, else None."""


def renamed(loc: Location | None, names: dict[str, str]) -> Location | None:
    """`loc` with its file shown under another name (a replayed snapshot's files shown as recorded)."""
    if loc is None or not names or loc.file not in names:
        return loc
    return dataclasses.replace(loc, file=names[loc.file])


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
    locations: list[Location | None] = field(default_factory=list)  # row -> where the entity is written, when known
    value_locs: dict[str, dict[int, Location]] = field(default_factory=dict)  # attr -> row -> where its value is
    # Read straight into columns (evaluator/facts/columns.py): the value as written per row when some
    # differ from the value (levels, dates, awaited values), and where each file's rows start; the
    # locations of rows, values and holdings come from `positions` when first asked.
    written: dict[str, Column] = field(default_factory=dict)
    segments: list[tuple[int, str]] = field(default_factory=list)  # (first row, file), rows in file order
    positions: Positions | None = None
    renames: dict[str, str] = field(default_factory=dict)  # file as read -> file as shown (a replay)
    written_at: dict[int, dict[str, Location]] = field(default_factory=dict)  # row -> value places, read when asked
    _row: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, entity_id: str) -> int | None:
        if self._row is None:
            self._row = {eid: i for i, eid in enumerate(self.ids)}
        return self._row.get(entity_id)

    def location(self, row: int) -> Location | None:
        """Where the entity of `row` is written: kept when read positioned, else found on first use."""
        if row < len(self.locations):
            return renamed(self.locations[row], self.renames)
        segment = self._segment(row)
        if segment is None or self.positions is None:
            return None
        return renamed(self.positions.place(segment[1], self.kind, row - segment[0]), self.renames)

    def places(self) -> tuple[list[str], Codes, Codes]:
        """Where every row is written, at once: (files, each row's index into them or -1, its line).

        The same files and lines as `location` row by row, but a file whose entity lines are known
        from its scan (`Positions.lines`) costs one array copy instead of one `Location` per row."""
        n = len(self)
        files: dict[str, int] = {}
        index = np.full(n, -1, dtype=np.int32)
        lines = np.zeros(n, dtype=np.int32)
        todo: list[range] = [range(n)]
        if len(self.locations) < n and self.segments and self.positions is not None:
            todo = [range(len(self.locations))]
            stops = [start for start, _ in self.segments[1:]] + [n]
            for (seg_start, file), stop in zip(self.segments, stops, strict=True):
                start = max(seg_start, len(self.locations))
                if start >= stop:
                    continue
                first = start - seg_start  # the row's position among the file's entities of this kind
                known = self.positions.lines(file, self.kind)
                if known is None or len(known) < first + stop - start:
                    todo.append(range(start, stop))
                    continue
                shown = self.renames.get(file, file)
                index[start:stop] = files.setdefault(shown, len(files))
                lines[start:stop] = known[first : first + stop - start]
        for part in todo:
            for r in part:
                loc = self.location(r)
                if loc is not None:
                    index[r] = files.setdefault(loc.file, len(files))
                    lines[r] = loc.line
        return list(files), index, lines

    def value_location(self, attr: str, row: int) -> Location | None:
        """Where the value of `attr` of `row` is written (None when not written)."""
        if self.positions is None:
            if row in self.written_at:
                return renamed(self.written_at[row].get(attr), self.renames)
            locs = self.value_locs.get(attr)
            return renamed(locs[row], self.renames) if locs is not None and row in locs else None
        placed = self._placed(row)
        return renamed(placed.value_locs.get(attr), self.renames) if placed is not None else None

    def holding_location(self, title: str, row: int) -> Location | None:
        """Where `row`'s holding of `title` is written."""
        detail = self.holdings.get(title, {}).get(row)
        if detail is not None and detail.loc is not None:
            return renamed(detail.loc, self.renames)
        placed = self._placed(row)
        held = placed.holdings.get(title) if placed is not None else None
        return renamed(held.loc, self.renames) if held is not None else None

    def _segment(self, row: int) -> tuple[int, str] | None:
        """(first row, file) of the file `row` was read from."""
        if not self.segments or not 0 <= row < len(self):
            return None
        return self.segments[bisect.bisect_right([start for start, _ in self.segments], row) - 1]

    def _placed(self, row: int) -> Entity | None:
        """The positioned reader's entity for `row` (its file read positioned once, on first use)."""
        segment = self._segment(row)
        if segment is None or self.positions is None:
            return None
        return self.positions.entity(segment[1], self.kind, row - segment[0])

    def rename_files(self, names: dict[str, str]) -> None:
        """Show the files of every location under other names (idempotent: the mapping is replaced)."""
        self.renames = dict(names)

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
        from thidua.evaluator.facts.reader import Entity

        values: dict[str, Any] = {}
        shown: dict[str, Any] = {}
        for a, col in self.attrs.items():
            v = col.value(row)
            if v == MISSING:
                continue
            values[a] = v
            sh = self.shown.get(a)
            wr = self.written.get(a)
            if sh is not None and row in sh:
                shown[a] = sh[row]
            elif wr is not None:
                shown[a] = wr.value(row)
            else:
                shown[a] = getattr(v, "shown", v)
        holdings: dict[str, Holding] = {}
        for t in self.titles:
            detail = self.holding(t, row)
            if detail is None:
                continue
            if detail.source != DERIVED and self.positions is not None and detail.loc is None:
                detail = _placed_holding(detail, self, row)  # its place found when first read
            elif detail.source != DERIVED and self.renames:
                detail = dataclasses.replace(detail, loc=self.holding_location(t, row))
            holdings[t] = detail
        value_locs: dict[str, Location]
        if self.positions is None and row in self.written_at and not self.renames:
            value_locs = self.written_at[row]  # still unread: shared, read when first looked at
        elif self.positions is None:
            value_locs = {a: renamed(loc, self.renames) or loc for a, loc in self.written_at.get(row, {}).items()}
            for a, locs in self.value_locs.items():
                if row in locs:
                    value_locs[a] = renamed(locs[row], self.renames) or locs[row]
        else:
            value_locs = _WrittenAt(self, row)  # found in the file when first looked at
        return Entity(
            self.ids[row],
            self.kind,
            self.names[row],
            values=values,
            shown=shown,
            holdings=holdings,
            loc=self.location(row),
            note=self.notes.get(row),
            value_locs=value_locs,
        )

    def entities(self) -> list[Entity]:
        return [self.entity(r) for r in range(len(self))]

    def holding(self, title: str, row: int) -> Holding | None:
        """The holding of `title` by one row as `entity(row).holdings` has it, without its place and
        without building the entity (for walks over many rows)."""
        from thidua.evaluator.facts.reader import Holding

        col = self.titles.get(title)
        if col is None:
            return None
        h = col.value(row)
        if h == NO_TITLE:
            return None
        detail = self.holdings.get(title, {}).get(row)
        if detail is None or (len(h) > 2) != (detail.source == DERIVED) or detail.state != h[0]:
            detail = Holding(title, h[0], awaiting=h[1], source=DERIVED if len(h) > 2 else "recorded")
        return detail

    @classmethod
    def from_entities(cls, kind: str, entities: Sequence[Entity]) -> Table:
        """Columns from checked Entity objects (the reader's output until it writes columns itself)."""
        n = len(entities)
        table = cls(kind, [e.id for e in entities], [e.name for e in entities])
        table.locations = [e.loc for e in entities]
        # value locations not read yet (entities built from a table read into columns) stay unread
        lazy: dict[int, dict[str, Location]] = {
            i: e.value_locs for i, e in enumerate(entities) if type(e.value_locs) is _WrittenAt and e.value_locs.unread
        }
        table.written_at = lazy
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
            locs = {i: e.value_locs[a] for i, e in enumerate(entities) if i not in lazy and a in e.value_locs}
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


__all__ = [
    "DERIVED",
    "MISSING",
    "NO_TITLE",
    "Column",
    "Groups",
    "Positions",
    "Signature",
    "Table",
    "group_columns",
    "held_value",
    "renamed",
]
