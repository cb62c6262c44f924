"""Reads fact files straight into per-kind columns: each distinct raw value checked and encoded once.

The good path of `load_facts`: JSON by orjson, YAML by libyaml's parser without positions, a
spreadsheet's cells as records; then per kind one pass per attribute over the records, every
*distinct* raw value validated by the rule set once (levels by id, label or alias to ordinals,
dates, booleans, numbers, text, units named by id or name resolved once per distinct value, title
lists once per distinct list). No `Entity` is made and no position is kept.

Anything this pass does not accept raises `Fallback`, and the caller reads every file again with the
positioned reader (`FactReader` over rules/source.py), which collects and locates every problem as
it always did: this module never words a message, so a bad file gets exactly today's messages.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from thidua.evaluator.facts.table import MISSING, NO_TITLE, Codes, Column, Table
from thidua.rules.errors import Location, UserError
from thidua.rules.limits import MAX_DEPTH
from thidua.rules.names import NameTable
from thidua.rules.periods import Period, parse_period
from thidua.rules.ruleset import RuleSet, encode_value, level_awaits
from thidua.rules.source import WrittenInt, compose_plain, hides, plain_scalar, visible

RESERVED = ("id", "name", "titles", "note")
TOP_KEYS = ("period", "entities", "source", "note")
HOLDING_KEYS = ("title", "state", "awaiting", "decision", "note")
HOLDING_STATES = ("decided", "proposed", "refused")
AWAITING_KEYS = ("awaiting", "provisional", "note")

SCALARS = (str, int, float, bool, dt.date)


class Fallback(Exception):
    """Something the fast pass does not accept or does not handle: read positioned instead."""


# --- files into plain data ----------------------------------------------------------------


def _quotes(text: str | bytes) -> int:
    """Unescaped double quotes of a JSON text: twice the number of its strings (keys included)."""
    if isinstance(text, bytes):
        escaped = text.replace(b"\\\\", b"").count(b'\\"') if b"\\" in text else 0
        return text.count(b'"') - escaped
    escaped = text.replace("\\\\", "").count('\\"') if "\\" in text else 0
    return text.count('"') - escaped


def plain_json(text: str, raw: bytes | None = None) -> tuple[Any, bool]:
    """(data, careful) of a JSON text by orjson; `careful` when a string may need `visible`. `raw`:
    the same text as UTF-8 bytes (the file without its BOM), parsed and searched instead when given.

    orjson keeps the last of two equal keys where the positioned reader refuses them: the strings
    orjson kept are counted (by writing the data back, in C) against the strings of the text, so a
    dropped key is noticed. NaN, Infinity and lone surrogates are refused by orjson and so go to
    the positioned reader, which says what it always said about them; an integer past 64 bits,
    which orjson reads as a float, is sent there by `ColumnReader` (`_exact`).
    """
    source = raw if raw is not None else text
    try:
        data = orjson.loads(source)
        written = orjson.dumps(data)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        # orjson reads up to 1,024 levels but writes back only 254: data nested that deep (far past
        # MAX_DEPTH) is left to the positioned reader, which refuses it where it gets too deep
        raise Fallback from None
    if _quotes(source) != _quotes(written):
        raise Fallback  # a key written twice
    if raw is not None:
        return data, b"\\" in raw or _may_hide(text, raw)
    return data, "\\" in text or _may_hide(text)


def _may_hide(text: str, data: bytes | None = None) -> bool:
    """Whether `text` may hold a character `visible` rewrites. A raw control character is not JSON
    outside a string's escapes; DEL, the C1 controls (UTF-8 C2 80..C2 9F) and the bidirectional
    marks (E2 80 8E.., E2 81 A6..) are looked for by their lead bytes first, in C, then exactly."""
    if data is None:
        data = text.encode("utf-8", "surrogatepass")
    if b"\x7f" in data:
        return True
    if b"\xc2" not in data and b"\xe2\x80" not in data and b"\xe2\x81" not in data:
        return False
    return hides(text)


# An anchor or alias as a node property (`&a`, `*a`): repeated nodes are left to the positioned
# reader, which bounds what they expand to. Text that merely looks like one is read there too.
_ANCHOR = re.compile(r"(?:^|[\s,\[\{])[&*][^\s,\[\]\{\}]", re.MULTILINE)


class _PlainYaml:
    """A composed YAML graph as plain data: scalars read as the positioned reader reads them (each
    distinct tag and text once), no duplicate key, nesting within MAX_DEPTH."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.scalars: dict[tuple[str, str], Any] = {}

    def scalar(self, node: ScalarNode) -> Any:
        key = (node.tag, node.value)
        try:
            return self.scalars[key]
        except KeyError:
            pass
        try:
            value = plain_scalar(node, self.file)
        except UserError:
            raise Fallback from None
        if isinstance(value, float) and value != value:
            raise Fallback
        self.scalars[key] = value
        return value

    def convert(self, node: Node, depth: int = 0) -> Any:
        if type(node) is ScalarNode:
            return self.scalar(node)
        if depth > MAX_DEPTH:
            raise Fallback
        if type(node) is MappingNode:
            if node.tag != "tag:yaml.org,2002:map":
                raise Fallback
            out: dict[str, Any] = {}
            scalar, convert = self.scalar, self.convert
            for key_node, value_node in node.value:
                if type(key_node) is not ScalarNode or key_node.tag != "tag:yaml.org,2002:str":
                    raise Fallback
                out[scalar(key_node)] = (
                    scalar(value_node) if type(value_node) is ScalarNode else convert(value_node, depth + 1)
                )
            if len(out) != len(node.value):
                raise Fallback  # a key written twice
            return out
        if type(node) is SequenceNode and node.tag == "tag:yaml.org,2002:seq":
            return [self.scalar(n) if type(n) is ScalarNode else self.convert(n, depth + 1) for n in node.value]
        raise Fallback


def plain_yaml(text: str, file: str) -> Any:
    """The data of a YAML text as plain Python values, or Fallback."""
    return plain_yaml_placed(text, file)[0]


Places = dict[str, tuple[list[int], list[int]]]  # written kind -> (line, column) of each of its entities


def plain_yaml_placed(text: str, file: str) -> tuple[Any, Places]:
    """The data of a YAML text as plain values, and the line and column where each entity starts
    (the marks the composer gives anyway, read from the few nodes that hold entities)."""
    if ("&" in text or "*" in text) and _ANCHOR.search(text):
        raise Fallback
    try:
        node = compose_plain(text)
    except (yaml.YAMLError, RecursionError, ValueError):
        raise Fallback from None
    if node is None:
        return None, {}
    places: Places = {}
    if type(node) is MappingNode:
        for key, value in node.value:
            if type(key) is ScalarNode and key.value == "entities" and type(value) is MappingNode:
                for kind_key, items in value.value:
                    if type(kind_key) is ScalarNode and type(items) is SequenceNode:
                        marks = [n.start_mark for n in items.value]
                        places[visible(kind_key.value)] = ([m.line + 1 for m in marks], [m.column + 1 for m in marks])
    return _PlainYaml(file).convert(node), places


def json_places(text: str) -> Places | None:
    """The line and column where each entity of a JSON fact text starts, as the positioned reader
    gives them, found with array operations over the bytes (quotes, brackets, line breaks); None
    where that is not exact (an escaped quote, a line break other than LF), so the caller reads
    the file positioned instead."""
    data = text.encode("utf-8")
    if b"\\" in data or b"\r" in data or b"\xc2\x85" in data or b"\xe2\x80\xa8" in data or b"\xe2\x80\xa9" in data:
        return None
    raw = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(raw == 34)
    brackets = np.flatnonzero((raw == 123) | (raw == 125) | (raw == 91) | (raw == 93))
    brackets = brackets[np.searchsorted(quotes, brackets) % 2 == 0]  # outside strings
    opens = (raw[brackets] == 123) | (raw[brackets] == 91)
    depth = np.cumsum(np.where(opens, 1, -1))  # depth after each bracket
    newlines = np.flatnonzero(raw == 10)
    continuation = np.flatnonzero((raw & 0xC0) == 0x80)

    def key_before(pos: int) -> str | None:
        m = re.search(r'"([^"\\]*)"\s*:\s*$', data[max(0, pos - 4096) : pos].decode("utf-8", "replace"))
        return m.group(1) if m else None

    def closing(i: int) -> int:
        """The index (into brackets) of the bracket closing the one at index i."""
        later = np.flatnonzero(depth[i + 1 :] == depth[i] - 1)
        return int(i + 1 + later[0]) if len(later) else len(brackets)

    entities = [i for i in np.flatnonzero(opens & (depth == 2)) if key_before(int(brackets[i])) == "entities"]
    if len(entities) != 1:
        return {}
    start, stop = int(entities[0]), closing(int(entities[0]))
    places: Places = {}
    for i in np.flatnonzero(opens[start:stop] & (depth[start:stop] == 3)) + start:
        pos = int(brackets[i])
        key = key_before(pos)
        if key is None or raw[pos] != 91:
            continue
        end = closing(int(i))
        items = brackets[i:end][opens[i:end] & (depth[i:end] == 4)]
        line = np.searchsorted(newlines, items)  # 0-based
        if len(newlines):
            line_start = np.where(line > 0, newlines[np.maximum(line - 1, 0)] + 1, 0)
        else:
            line_start = np.zeros(len(items), dtype=np.int64)
        chars = items - np.searchsorted(continuation, items)
        first = line_start - np.searchsorted(continuation, line_start)
        places[key] = ((line + 1).tolist(), (chars - first + 1).tolist())
    return places


def _depth_ok(value: Any, depth: int) -> bool:
    if depth > MAX_DEPTH:
        return False
    if isinstance(value, dict):
        return all(_depth_ok(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return all(_depth_ok(v, depth + 1) for v in value)
    return True


# --- plain data into columns ---------------------------------------------------------------


@dataclass
class _Chunk:
    """One file's records of one kind as raw columns, built as soon as the file is read so its parsed
    records can be dropped before the next file is parsed (a million people in 20 files then never
    hold more than one file's records at once)."""

    file: str
    ids: list[str]
    names: list[str]
    notes: dict[int, str]  # row in this chunk -> note
    locations: list[Any] | None  # each row's own location (sheet rows), when every row has one
    keys: list[str]  # the keys written, in the order first written
    attrs: dict[str, tuple[Codes, list[Any]]]  # attribute -> (codes, distinct raw values)
    titles: tuple[Codes, list[Any]] | None  # (codes, distinct title lists) when `titles` is written

    def __len__(self) -> int:
        return len(self.ids)


class _Awaited(tuple):  # type: ignore[type-arg]
    """An awaited value as written ({awaiting, provisional, note}), hashable for factorizing."""


class _Entry(tuple):  # type: ignore[type-arg]
    """A holding written as a mapping, hashable for factorizing title lists."""


def _hashable(value: Any) -> Any:
    if type(value) is dict or isinstance(value, dict):
        if not all(type(v) in SCALARS or v is None or isinstance(v, SCALARS) for v in value.values()):
            raise Fallback
        return _Awaited(value.items())
    if isinstance(value, list):
        raise Fallback
    return value


# Types whose equal values hash alike (True == 1 == 1.0): a column mixing them, or holding integers
# written with leading zeros ("010" is not "0010" as text), is factorized by (type, text) instead.
_NUMERIC = {bool, int, float, WrittenInt}


def _key(value: Any) -> Any:
    if type(value) is WrittenInt:
        return (WrittenInt, value.text)
    return (type(value), value)


def _factorize(raws: list[Any]) -> tuple[Codes, list[Any]]:
    """Codes per row into the distinct raw values, first-seen order; equal only when truly alike."""
    try:
        index = dict.fromkeys(raws)
    except TypeError:
        raws = [_hashable(v) for v in raws]
        index = dict.fromkeys(raws)
    types = set(map(type, raws))
    if len(types & _NUMERIC) > 1 or WrittenInt in types:
        keys = list(map(_key, raws))
        positions: dict[Any, int] = {}
        firsts: list[Any] = []
        codes = np.fromiter((positions.setdefault(k, len(positions)) for k in keys), dtype=np.int32, count=len(keys))
        seen = set()
        for k, v in zip(keys, raws, strict=True):
            if k not in seen:
                seen.add(k)
                firsts.append(v)
        return codes, firsts
    pos = {v: i for i, v in enumerate(index)}
    codes = np.fromiter(map(pos.__getitem__, raws), dtype=np.int32, count=len(raws))
    return codes, list(index)


def _column_of(items: list[dict[str, Any]], key: str) -> list[Any]:
    """Each record's value under `key` (None where it has none), by one map of dict.get."""
    return list(map(dict.get, items, itertools.repeat(key, len(items))))


def _title_lists(raws: list[Any]) -> tuple[Codes, list[Any]]:
    """Each row's title list as a code into the distinct lists (as hashable keys), first-seen order."""
    keys: list[Any] = []
    for raw in raws:
        if raw is None:
            keys.append(())
        elif isinstance(raw, list):
            keys.append(_title_key(raw))
        else:
            raise Fallback
    return _factorize_keys(keys)


def _factorize_keys(keys: list[Any]) -> tuple[Codes, list[Any]]:
    """Codes per row into distinct hashable keys (title lists), first-seen order."""
    index = dict.fromkeys(keys)
    pos = {k: i for i, k in enumerate(index)}
    return np.fromiter(map(pos.__getitem__, keys), dtype=np.int32, count=len(keys)), list(index)


def _nothing(n: int) -> tuple[Codes, list[Any]]:
    """The raw column of an attribute a file's records never write: missing in every row."""
    return np.zeros(n, dtype=np.int32), [None]


def _merged(
    parts: list[tuple[Codes, list[Any]]],
    factorize: Callable[[list[Any]], tuple[Codes, list[Any]]] = _factorize,
) -> tuple[Codes, list[Any]]:
    """The chunks' raw columns as one: their distinct values factorized again, so a value is one
    code over all files (first-seen order), exactly as factorizing every row at once gives."""
    parts = [p for p in parts if len(p[0])] or parts[:1]  # a file may list no entity of the kind
    if len(parts) == 1:
        return parts[0]
    remap, distinct = factorize([v for _, values in parts for v in values])
    offsets = itertools.accumulate((len(values) for _, values in parts), initial=0)
    codes = [remap[offset + part] for (part, _), offset in zip(parts, offsets, strict=False) if len(part)]
    return (np.concatenate(codes) if codes else np.zeros(0, dtype=np.int32)), distinct


def _column(codes: Codes, encoded: Sequence[Any]) -> Column:
    """The column of values `encoded[codes[row]]`, its distinct values in first-seen order over the
    rows (as `Column.encode` gives), equal encoded values merged."""
    merged: dict[Any, int] = {}
    remap = np.fromiter((merged.setdefault(v, len(merged)) for v in encoded), dtype=np.int32, count=len(encoded))
    values = list(merged)
    codes = remap[codes] if len(codes) else codes.astype(np.int32)
    return _first_seen(codes, values)


def _first_seen(codes: Codes, values: list[Any]) -> Column:
    """Reorder a column's values to the order in which rows first show them."""
    if len(codes) == 0:
        return Column(codes.astype(np.int32), [])
    used, first = np.unique(codes, return_index=True)
    order = used[np.argsort(first, kind="stable")]
    if len(order) == len(values) and bool(np.all(order == np.arange(len(values)))):
        return Column(codes.astype(np.int32), values)
    rank = np.full(len(values), -1, dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    return Column(rank[codes].astype(np.int32), [values[int(i)] for i in order])


class ColumnReader:
    """Turns the records of fact files into raw columns file by file, then builds one `Table` per
    kind, or raises Fallback."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.chunks: dict[str, list[_Chunk]] = {k: [] for k in rules.kinds}
        self.period: Period | None = None
        self.careful = False  # some string may hold a control character: pass every one through `visible`
        self.places: dict[str, dict[str, tuple[list[int], list[int]]]] = {}  # file -> kind -> lines, columns

    # --- documents ------------------------------------------------------------------------

    def read(self, data: Any, file: str, careful: bool = False, places: Places | None = None) -> None:
        """Take one document's records as raw columns; `places` (written kind -> lines, columns) when
        known. Nothing of `data` is kept."""
        self.careful = self.careful or careful
        if data is None:
            return
        if not isinstance(data, dict) or any(k not in TOP_KEYS for k in data):
            raise Fallback
        if not _depth_ok(data.get("source"), 1) or not _depth_ok(data.get("note"), 1):
            raise Fallback
        raw_period = data.get("period")
        if raw_period is not None:
            period = parse_period(raw_period)
            if period is None:
                raise Fallback
            if self.period is not None and period != self.period:
                raise Fallback
            self.period = period
        entities = data.get("entities")
        if entities is None:
            return
        if not isinstance(entities, dict):
            raise Fallback
        for written, items in entities.items():
            kind = self.rules.kind_code(written) or written
            if kind not in self.rules.kinds:
                raise Fallback
            if items is None:
                continue
            if not isinstance(items, list):
                raise Fallback
            self.chunks[kind].append(self.chunk(kind, items, file))
            if places is not None:
                lines, columns = self.places.setdefault(file, {}).setdefault(kind, ([], []))
                found = places.get(written, ([], []))
                if len(found[0]) != len(items):
                    raise Fallback
                lines.extend(found[0])
                columns.extend(found[1])

    def chunk(self, kind: str, items: list[Any], file: str) -> _Chunk:
        """One file's records of `kind` as raw columns: ids, names and notes as read, each attribute
        and the title lists factorized into codes and distinct raw values. Every pass over the rows is
        a map of a C function; a row is looked at in Python only where a value is not plain."""
        plain = set(map(type, items)) <= {dict}
        if not plain and not all(isinstance(it, dict) for it in items):
            raise Fallback
        keys = list(dict.fromkeys(itertools.chain.from_iterable(items)))  # in the order first written
        locations = None
        if items and not plain and all(getattr(it, "loc", None) is not None for it in items):
            locations = [getattr(it, "loc") for it in items]  # noqa: B009 - rows of sheets: each its own location
        return self._chunk(kind, file, len(items), keys, lambda key: _column_of(items, key), {}, locations)

    def read_sheets(self, sheets: Sequence[Any], file: str, reader: Any) -> None:
        """Take the records of a spreadsheet's sheets (`SheetCells`: columns of cells) as raw columns,
        each distinct cell turned into its value once by `reader.convert(kind, key, cell)` (None for a
        blank cell; `reader.convert_all` for a column of plain text), as the positioned reader turns
        each cell; the caller falls back when the reader noted a problem."""
        for sheet in sheets:
            self.chunks[sheet.kind].append(self.sheet_chunk(sheet, file, reader))

    def sheet_chunk(self, sheet: Any, file: str, reader: Any) -> _Chunk:
        attrs = {a.id for a in self.rules.kinds[sheet.kind].attributes}
        n = len(sheet.rows)
        factorized: dict[str, tuple[Codes, list[Any]]] = {}
        first: dict[str, int] = {}
        for key, cells in sheet.columns.items():
            plain = reader.convert_all(sheet.kind, key, cells)
            if plain is not None:
                codes, values = np.arange(n, dtype=np.int32), plain  # every row its own value
            else:
                codes, distinct = _factorize(list(cells))
                values = [reader.convert(sheet.kind, key, raw) for raw in distinct]
            written = np.flatnonzero(np.array([v is not None for v in values], dtype=bool)[codes])
            if not len(written):
                continue  # blank in every record: a key no record writes
            first[key] = int(written[0])
            if key == "titles":
                values = [() if v is None else _title_key(v) for v in values]
            elif key in attrs:
                values = [_Awaited(v.items()) if isinstance(v, dict) else v for v in values]
            factorized[key] = (codes, values)
        keys = sorted(first, key=first.__getitem__)  # in the order first written, as record keys are

        def column(key: str) -> list[Any]:
            if key not in factorized:
                return [None] * n
            codes, values = factorized[key]
            return [values[c] for c in codes.tolist()]

        return self._chunk(sheet.kind, file, n, keys, column, factorized, list(sheet.rows))

    def _chunk(
        self,
        kind: str,
        file: str,
        n: int,
        keys: list[str],
        column: Callable[[str], list[Any]],
        factorized: dict[str, tuple[Codes, list[Any]]],
        locations: list[Any] | None,
    ) -> _Chunk:
        attrs = {a.id for a in self.rules.kinds[kind].attributes}
        if any(k not in attrs and k not in RESERVED for k in keys):
            raise Fallback  # an attribute the kind does not declare
        ids = self.ids(column("id")) if n else []
        names = ids if "name" not in keys else self.names(ids, column("name"))
        notes = {}
        if "note" in keys:
            for row, note in enumerate(column("note")):
                if note is not None:
                    if not isinstance(note, SCALARS):
                        raise Fallback
                    notes[row] = str(self.text(_exact(note)))
        columns = {a: factorized.get(a) or _factorize(column(a)) for a in keys if a in attrs}
        titles = (factorized.get("titles") or _title_lists(column("titles"))) if "titles" in keys else None
        return _Chunk(file, ids, names, notes, locations if n else None, keys, columns, titles)

    def names(self, ids: list[str], raw: list[Any]) -> list[str]:
        """Each row's name as shown: the name written (a scalar, as text), or the id."""
        kinds = set(map(type, raw))
        if kinds <= {str}:
            return list(map(visible, raw)) if self.careful else raw
        names = []
        for eid, name in zip(ids, raw, strict=True):
            if name is None:
                names.append(eid)
            elif isinstance(name, SCALARS):
                names.append(str(self.text(_exact(name))))
            else:
                raise Fallback
        return names

    # --- tables ---------------------------------------------------------------------------

    def tables(self) -> dict[str, Table]:
        tables = {kind: self.table(kind, chunks) for kind, chunks in self.chunks.items()}
        by_id: dict[str, str] = {}
        for kind, table in tables.items():
            for eid in table.ids:
                if by_id.setdefault(eid, kind) != kind:
                    raise Fallback  # an id used twice
        for kind, table in tables.items():
            for attr in self.rules.kinds[kind].attributes:
                if attr.ref is not None and attr.id in table.attrs:
                    self.resolve_refs(table, attr.id, attr.ref, by_id, tables[attr.ref])
        if self.rules.period is not None and self.period is not None and self.period != self.rules.period:
            raise Fallback
        return tables

    def text(self, value: Any) -> Any:
        return visible(value) if self.careful and isinstance(value, str) else value

    def table(self, kind: str, chunks: list[_Chunk]) -> Table:
        """The table of one kind from its files' chunks, in file order."""
        ids = [eid for c in chunks for eid in c.ids]
        n = len(ids)
        if len(set(ids)) != n:
            raise Fallback
        table = Table(kind, ids, [name for c in chunks for name in c.names])
        starts = list(itertools.accumulate((len(c) for c in chunks), initial=0))
        table.segments = []
        for start, c in zip(starts, chunks, strict=False):
            if not table.segments or table.segments[-1][1] != c.file:
                table.segments.append((start, c.file))
        if n and all(c.locations is not None for c in chunks if len(c)):
            table.locations = [loc for c in chunks for loc in c.locations or ()]
        table.notes = {
            start + row: note for start, c in zip(starts, chunks, strict=False) for row, note in c.notes.items()
        }
        decl = self.rules.kinds[kind]
        attrs = {a.id: a for a in decl.attributes}
        written = dict.fromkeys(k for c in chunks for k in c.keys)
        for a in written:
            if a in attrs:
                codes, distinct = _merged([c.attrs.get(a) or _nothing(len(c)) for c in chunks])
                self.attribute(table, attrs[a], codes, distinct)
        if "titles" in written:
            self.titles(table, *_merged([c.titles or _factorize_keys([()] * len(c)) for c in chunks], _factorize_keys))
        return table

    def ids(self, raw: list[Any]) -> list[str]:
        if set(map(type, raw)) <= {str}:
            ids = [visible(s).strip() for s in raw] if self.careful else list(map(str.strip, raw))
        else:
            ids = []
            for eid in raw:
                if eid is None or isinstance(eid, bool) or not isinstance(eid, (str, int)):
                    raise Fallback
                ids.append(str(self.text(eid)).strip())
        if not all(ids):
            raise Fallback  # an entity without an id
        return ids

    def attribute(self, table: Table, attr: Any, codes: Codes, distinct: list[Any]) -> None:
        """The column of one attribute from each row's code into the distinct raw values."""
        encoded: list[Any] = []
        shown: list[Any] = []
        differs = False
        scales = self.rules.scales
        for raw in distinct:
            if raw is None:
                encoded.append(MISSING)
                shown.append(None)
                continue
            if type(raw) is _Awaited:
                value = self.awaited(attr, dict(raw))
                encoded.append(value)
                shown.append(value.shown)
                differs = True
                continue
            raw = _exact(self.text(raw))
            if not isinstance(raw, SCALARS):
                raise Fallback
            ok, enc = encode_value(scales, attr, raw)
            if not ok:
                raise Fallback
            by = level_awaits(scales, attr, enc)
            if by is not None:  # a review under way (rules.model.Level.awaits): awaited, as {awaiting: by}
                from thidua.evaluator.facts.reader import Awaiting

                enc = Awaiting(by, None, raw)
                differs = True
            encoded.append(enc)
            shown.append(raw)
            differs = differs or enc != raw or type(enc) is not type(raw)
        if all(v is MISSING for v in encoded):
            return  # written only empty: unknown everywhere, as an attribute nobody writes
        table.attrs[attr.id] = _column(codes, encoded)
        if differs:
            table.written[attr.id] = Column(codes, shown)

    def awaited(self, attr: Any, raw: dict[str, Any]) -> Any:
        from thidua.evaluator.facts.reader import Awaiting

        if any(k not in AWAITING_KEYS for k in raw):
            raise Fallback
        by = self.text(raw.get("awaiting"))
        if not isinstance(by, str) or not by.strip():
            raise Fallback
        provisional = _exact(self.text(raw.get("provisional")))
        enc = None
        if provisional is not None:
            ok, enc = encode_value(self.rules.scales, attr, provisional)
            if not ok:
                raise Fallback
        return Awaiting(by.strip(), enc, provisional)

    def titles(self, table: Table, list_codes: Codes, distinct: list[Any]) -> None:
        """Title columns from each row's code into the distinct lists of holdings, each checked once."""
        from thidua.evaluator.facts.reader import Holding
        from thidua.evaluator.facts.table import held_value

        per_list: list[dict[str, Holding]] = [self.holding_list(table.kind, key, Holding) for key in distinct]
        titles: dict[str, None] = {}
        for held in per_list:
            titles.update(dict.fromkeys(held))
        for t in titles:
            values = [held_value(held[t]) if t in held else NO_TITLE for held in per_list]
            table.titles[t] = _column(list_codes, values)
            detailed = [i for i, held in enumerate(per_list) if t in held and _detailed(held[t])]
            if detailed:
                rows = np.flatnonzero(np.isin(list_codes, detailed))
                table.holdings[t] = {int(r): per_list[int(list_codes[r])][t] for r in rows}
            else:
                table.holdings[t] = {}

    def holding_list(self, kind: str, entries: tuple[Any, ...], holding: Callable[..., Any]) -> dict[str, Any]:
        held: dict[str, Any] = {}
        for raw in entries:
            raw = self.text(raw)
            if isinstance(raw, str):
                h = holding(raw.strip(), "decided")
            elif type(raw) is _Entry:
                entry = {k: _exact(self.text(v)) for k, v in raw}
                if any(k not in HOLDING_KEYS for k in entry) or not all(
                    v is None or isinstance(v, SCALARS) for v in entry.values()
                ):
                    raise Fallback
                title = entry.get("title")
                if not isinstance(title, str):
                    raise Fallback
                awaiting = entry.get("awaiting")
                state = entry.get("state", "proposed" if awaiting else "decided")
                if state not in HOLDING_STATES:
                    raise Fallback
                h = written_holding(title, state, entry)
            else:
                raise Fallback
            code = self.rules.title_code(h.title)
            decl = self.rules.titles.get(code) if code is not None else None
            if decl is None or kind not in decl.holders or code in held:
                raise Fallback
            if code != h.title:
                from dataclasses import replace

                h = replace(h, title=code)
            held[str(code)] = h
        return held

    def resolve_refs(self, table: Table, attr: str, kind: str, by_id: dict[str, str], target: Table) -> None:
        """Units named by id or by name, resolved once per distinct value (as `FactReader.finish`)."""
        col = table.attrs[attr]
        named: NameTable | None = None
        values = list(col.values)
        for i, value in enumerate(values):
            if value == MISSING or not isinstance(value, str):
                continue
            if by_id.get(value) == kind:
                continue
            if named is None:
                named = _names(target)
            code = named.resolve(value)
            if code is None:
                raise Fallback
            values[i] = code
        if values != col.values:
            if attr not in table.written:  # shown as written, the name, not the id it names
                table.written[attr] = Column(col.codes, list(col.values))
            table.attrs[attr] = _column(col.codes, values)


def written_holding(title: str, state: Any, entry: Mapping[str, Any], loc: Location | None = None) -> Any:
    """The `Holding` a mapping in a `titles` list stands for (its title and state already checked)."""
    from thidua.evaluator.facts.reader import Holding

    awaiting = entry.get("awaiting")
    return Holding(
        title.strip(),
        str(state),
        awaiting=str(awaiting) if awaiting else None,
        decision=str(entry["decision"]) if entry.get("decision") is not None else None,
        note=str(entry["note"]) if entry.get("note") is not None else None,
        loc=loc,
    )


def _title_key(raw: list[Any]) -> tuple[Any, ...]:
    """A row's title list as a hashable key (holdings written as mappings made hashable)."""
    key = tuple(raw)
    try:
        hash(key)
    except TypeError:
        return tuple(_Entry(x.items()) if isinstance(x, dict) else _hashable(x) for x in raw)
    return key


def _exact(value: Any) -> Any:
    """`value`, unless it is a float orjson made of an integer past 64 bits (the json module the
    positioned reader uses keeps that integer exact)."""
    if type(value) is float and abs(value) >= 2.0**63:
        raise Fallback
    return value


def _detailed(h: Any) -> bool:
    return h.decision is not None or h.note is not None


def _names(table: Table) -> NameTable:
    """Entities of one kind by id and by name (as `reader.entity_names`)."""
    names = NameTable()
    for eid, name in zip(table.ids, table.names, strict=True):
        names.add(eid, [name] if name else [])
    return names


__all__ = ["ColumnReader", "Fallback", "json_places", "plain_json", "plain_yaml", "plain_yaml_placed"]
