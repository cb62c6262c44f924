"""Facts about one agency and one period, type-checked against the kinds declared in the rules."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from thidua.evaluator.facts.columns import (
    ColumnReader,
    Fallback,
    json_places,
    plain_json,
    plain_yaml_placed,
    written_holding,
)
from thidua.evaluator.facts.spreadsheet import is_spreadsheet, read_spreadsheet, read_spreadsheet_cells
from thidua.evaluator.facts.table import Table, renamed
from thidua.rules.errors import Location, Problems, UserError, suggest
from thidua.rules.names import NameTable
from thidua.rules.periods import Period, parse_period
from thidua.rules.ruleset import RuleSet, describe_type, encode_value, level_awaits, level_suggestion
from thidua.rules.source import (
    PosDict,
    PosList,
    decoded,
    display_path,
    read_document_text,
    read_input_bytes,
    read_input_text,
    read_json_text,
    read_yaml_text,
    visible,
)

RESERVED = ("id", "name", "titles", "note")
HOLDING_STATES = ("decided", "proposed", "refused")


@dataclass(frozen=True)
class Awaiting:
    """A value a higher body has not decided yet (e.g. the Party committee's rating of the cell)."""

    by: str
    provisional: Any = None  # encoded, as the agency assessed it itself
    shown: Any = None


@dataclass(frozen=True)
class Holding:
    """A title or award held by an entity, with its state (decided, proposed, refused)."""

    title: str
    state: str
    awaiting: str | None = None
    decision: str | None = None
    note: str | None = None
    loc: Location | None = None
    source: str = "recorded"  # or "derived" (by the title criteria, see evaluator/engine/derive.py)

    @property
    def eligible(self) -> bool:
        """Granted by the criteria and decided or proposed by nobody: eligible to be proposed (đủ điều
        kiện đề nghị), which a target counts only as a proposal."""
        return self.source == "derived" and self.state == "proposed" and self.awaiting is None


@dataclass
class Entity:
    id: str
    kind: str
    name: str
    values: dict[str, Any] = field(default_factory=dict)  # attr -> encoded value or Awaiting
    shown: dict[str, Any] = field(default_factory=dict)  # attr -> value as written
    holdings: dict[str, Holding] = field(default_factory=dict)
    loc: Location | None = None
    note: str | None = None
    value_locs: dict[str, Location] = field(default_factory=dict)  # attr -> where its value is written


class FactBase:
    """The facts of one run: per kind, a table of columns (evaluator/facts/table.py) and, built on
    demand from it, the `Entity` objects the commands that walk entities use."""

    def __init__(
        self,
        period: Period | None,
        entities: dict[str, list[Entity]] | None = None,
        files: dict[str, str] | None = None,
        digest: str = "",
        tables: dict[str, Table] | None = None,
    ) -> None:
        self.period = period
        self._entities: dict[str, list[Entity]] = dict(entities or {})
        self.tables: dict[str, Table] = dict(tables or {})
        self.files = files or {}
        self.digest = digest
        # facts that differ from other facts only in some rows (derived titles added): the other
        # facts' entities are shared for the rest (see `with_tables`)
        self._base: tuple[FactBase, dict[str, npt.NDArray[np.int32]]] | None = None

    @property
    def kinds(self) -> list[str]:
        return list(dict.fromkeys([*self._entities, *self.tables]))

    @property
    def entities(self) -> dict[str, list[Entity]]:
        """kind -> entities in file order (built from the tables on first use)."""
        return {kind: self.of(kind) for kind in self.kinds}

    def of(self, kind: str) -> list[Entity]:
        items = self._entities.get(kind)
        if items is None:
            table = self.tables.get(kind)
            shared = self._base[0]._entities.get(kind) if self._base is not None else None
            if table is not None and shared is not None and self._base is not None:
                items = list(shared)
                for row in self._base[1].get(kind, ()):
                    items[int(row)] = table.entity(int(row))
            else:
                items = table.entities() if table is not None else []
            self._entities[kind] = items
        return items

    def entity(self, kind: str, row: int) -> Entity:
        """One entity by its row in the kind's table: the one already built, else made from the table."""
        items = self._entities.get(kind)
        if items is not None:
            return items[row]
        return self.table(kind).entity(row)

    def with_tables(self, tables: dict[str, Table], changed: dict[str, npt.NDArray[np.int32]]) -> FactBase:
        """The same facts with some kinds' tables replaced, differing only in the rows `changed` (per
        kind): entities of the other rows are shared with these facts when they were built."""
        out = FactBase(self.period, files=self.files, digest=self.digest, tables={**self.tables, **tables})
        out._base = (self, changed)
        return out

    def table(self, kind: str) -> Table:
        """The entities of `kind` as columns (built once from the entities when read that way)."""
        table = self.tables.get(kind)
        if table is None:
            table = self.tables[kind] = Table.from_entities(kind, self._entities.get(kind, []))
        return table

    def rename_files(self, names: dict[str, str]) -> None:
        """Show every location and file text under other file names (a replayed snapshot's files
        shown as recorded): the tables resolve their locations through the mapping; entities already
        built are renamed in place. Renaming twice with one mapping changes nothing more."""
        for table in self.tables.values():
            table.rename_files(names)
        for items in self._entities.values():
            for e in items:
                e.loc = renamed(e.loc, names)
                e.value_locs = {k: renamed(v, names) or v for k, v in e.value_locs.items()}
                e.holdings = {k: replace(h, loc=renamed(h.loc, names)) for k, h in e.holdings.items()}
        self.files = {names.get(k, k): v for k, v in self.files.items()}

    def with_entities(self, entities: dict[str, list[Entity]]) -> FactBase:
        """The same facts (period, files, digest) over other entities: a block's outcomes applied."""
        return FactBase(self.period, entities, files=self.files, digest=self.digest)

    def size(self, kind: str) -> int:
        table = self.tables.get(kind)
        return len(table) if table is not None else len(self._entities.get(kind, []))


def _loc(node: Any, default: Location) -> Location:
    return getattr(node, "loc", None) or default


class FactReader:
    """Reads fact documents (mappings with `period` and `entities`) and checks them against the rules."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.problems = Problems()
        self.entities: dict[str, list[Entity]] = {k: [] for k in rules.kinds}
        self.by_id: dict[str, Entity] = {}
        self.period: Period | None = None
        self.period_loc: Location | None = None
        self.refs: list[tuple[Entity, str, str, Location]] = []

    def read(self, data: Any, file: str) -> None:
        top = Location(file, 1, 1)
        if data is None:
            return
        if not isinstance(data, PosDict):
            self.problems.add("facts.not_mapping", _loc(data, top))
            return
        for key in data:
            if key not in ("period", "entities", "source", "note"):
                self.problems.add(
                    "facts.unknown_top_key",
                    data.key_locs[key],
                    suggest(key, ["period", "entities", "source", "note"]),
                    key=key,
                )
        raw_period = data.get("period")
        if raw_period is not None:
            ploc = data.value_locs["period"]
            period = parse_period(raw_period)
            if period is None:
                self.problems.add("facts.bad_period", ploc, value=raw_period)
            elif self.period is not None and period != self.period:
                self.problems.add("facts.period_conflict", ploc, period=period, other=self.period)
            else:
                self.period, self.period_loc = period, ploc
        entities = data.get("entities")
        if entities is None:
            return
        if not isinstance(entities, PosDict):
            self.problems.add("facts.entities_mapping", data.value_locs["entities"])
            return
        for written, items in entities.items():
            kind = self.rules.kind_code(written) or written  # a kind may be named by its title or an alias
            if kind not in self.rules.kinds:
                self.problems.add(
                    "facts.unknown_kind", entities.key_locs[written], suggest(kind, self.rules.kinds), kind=kind
                )
                continue
            if items is None:
                continue
            if not isinstance(items, PosList):
                self.problems.add("facts.kind_list", entities.value_locs[written], kind=kind)
                continue
            for item in items:
                self.entity(kind, item, _loc(item, top))

    def entity(self, kind: str, item: Any, loc: Location) -> None:
        if not isinstance(item, PosDict):
            self.problems.add("facts.entity_mapping", loc, kind=kind)
            return
        eid = item.get("id")
        if eid is None or isinstance(eid, bool) or not isinstance(eid, (str, int)) or str(eid).strip() == "":
            self.problems.add("facts.entity_id", loc, kind=kind)
            return
        eid = str(eid).strip()
        if eid in self.by_id:
            first = self.by_id[eid].loc
            self.problems.add("facts.duplicate_id", item.value_locs["id"], id=eid, first=first)
            return
        name = item.get("name")
        entity = Entity(eid, kind, str(name) if name is not None else eid, loc=loc)
        note = item.get("note")
        entity.note = str(note) if note is not None else None
        kind_decl = self.rules.kinds[kind]
        attrs = {a.id: a for a in kind_decl.attributes}
        for key, raw in item.items():
            if key in RESERVED:
                continue
            vloc = item.value_locs[key]
            attr = attrs.get(key)
            if attr is None:
                self.problems.add(
                    "facts.unknown_attribute",
                    item.key_locs[key],
                    suggest(key, list(attrs) + list(RESERVED)),
                    attr=key,
                    kind=kind,
                )
                continue
            if raw is None:
                continue  # written but empty: unknown
            entity.value_locs[key] = vloc
            if isinstance(raw, PosDict):
                self.awaiting_value(entity, attr, raw, vloc)
                continue
            ok, enc = encode_value(self.rules.scales, attr, raw)
            if not ok:
                self.bad_value(attr, raw, vloc)
                continue
            by = level_awaits(self.rules.scales, attr, enc)
            entity.values[key] = enc if by is None else Awaiting(by, None, raw)
            entity.shown[key] = raw
            if attr.ref is not None:
                self.refs.append((entity, key, attr.ref, vloc))
        titles = item.get("titles")
        if titles is not None:
            self.holdings(entity, titles, item.value_locs["titles"])
        self.entities[kind].append(entity)
        self.by_id[eid] = entity

    def bad_value(self, attr: Any, raw: Any, loc: Location) -> None:
        if attr.scale is not None:
            scale = self.rules.scales[attr.scale]
            self.problems.add(
                "facts.unknown_level",
                loc,
                level_suggestion(scale, raw),
                value=raw,
                scale=scale.id,
                levels=", ".join(lv.label for lv in scale.levels),
            )
        else:
            self.problems.add("facts.bad_value", loc, value=raw, attr=attr.id, type=describe_type(attr))

    def awaiting_value(self, entity: Entity, attr: Any, raw: PosDict, loc: Location) -> None:
        for key in raw:
            if key not in ("awaiting", "provisional", "note"):
                self.problems.add(
                    "facts.unknown_value_key",
                    raw.key_locs[key],
                    suggest(key, ["awaiting", "provisional", "note"]),
                    key=key,
                )
                return
        by = raw.get("awaiting")
        if not isinstance(by, str) or not by.strip():
            self.problems.add("facts.awaiting_who", loc, attr=attr.id)
            return
        provisional = raw.get("provisional")
        enc = None
        if provisional is not None:
            ok, enc = encode_value(self.rules.scales, attr, provisional)
            if not ok:
                self.bad_value(attr, provisional, raw.value_locs["provisional"])
                return
        entity.values[attr.id] = Awaiting(by.strip(), enc, provisional)
        entity.shown[attr.id] = provisional

    def holdings(self, entity: Entity, titles: Any, loc: Location) -> None:
        if not isinstance(titles, PosList):
            self.problems.add("facts.titles_list", loc)
            return
        for i, raw in enumerate(titles):
            iloc = titles.item_locs[i]
            if isinstance(raw, str):
                holding = Holding(raw.strip(), "decided", loc=iloc)
            elif isinstance(raw, PosDict):
                bad = [k for k in raw if k not in ("title", "state", "awaiting", "decision", "note")]
                if bad:
                    self.problems.add(
                        "facts.unknown_holding_key",
                        raw.key_locs[bad[0]],
                        suggest(bad[0], ["title", "state", "awaiting", "decision", "note"]),
                        key=bad[0],
                    )
                    continue
                title = raw.get("title")
                if not isinstance(title, str):
                    self.problems.add("facts.holding_title", iloc)
                    continue
                awaiting = raw.get("awaiting")
                state = raw.get("state", "proposed" if awaiting else "decided")
                if state not in HOLDING_STATES:
                    self.problems.add(
                        "facts.holding_state",
                        raw.value_locs.get("state", iloc),
                        suggest(str(state), HOLDING_STATES),
                        value=state,
                        states=", ".join(HOLDING_STATES),
                    )
                    continue
                holding = written_holding(title, state, raw, iloc)
            else:
                self.problems.add("facts.holding_title", iloc)
                continue
            code = self.rules.title_code(holding.title)  # a label or an abbreviation (LĐTT) names its code
            if code is not None and code != holding.title:
                holding = replace(holding, title=code)
            decl = self.rules.titles.get(code) if code is not None else None
            if decl is None:
                self.problems.add(
                    "facts.unknown_title", iloc, suggest(holding.title, self.rules.titles), title=holding.title
                )
                continue
            if entity.kind not in decl.holders:
                self.problems.add(
                    "facts.title_not_for_kind",
                    iloc,
                    title=holding.title,
                    kind=entity.kind,
                    holders=", ".join(decl.holders),
                )
                continue
            if holding.title in entity.holdings:
                self.problems.add("facts.duplicate_holding", iloc, title=holding.title, id=entity.id)
                continue
            entity.holdings[holding.title] = holding

    def finish(self) -> None:
        for entity, attr, kind, loc in self.refs:
            target = self.by_id.get(str(entity.values[attr]))
            if target is None or target.kind != kind:
                named = entity_names(self.entities.get(kind, []))
                code = named.resolve(str(entity.values[attr]))  # a unit written by its name
                if code is not None:
                    entity.values[attr] = code
                    continue
                near = named.suggestion(str(entity.values[attr]))
                if near is not None:
                    shown = next(e.name for e in self.entities[kind] if e.id == near)
                    self.problems.add(
                        "facts.unknown_ref_named", loc, value=entity.values[attr], kind=kind, near=near, name=shown
                    )
                    continue
                ids = [e.id for e in self.entities.get(kind, [])]
                self.problems.add(
                    "facts.unknown_ref",
                    loc,
                    suggest(str(entity.values[attr]), ids),
                    value=entity.values[attr],
                    kind=kind,
                )
        if self.rules.period is not None and self.period is not None and self.period != self.rules.period:
            assert self.period_loc is not None
            self.problems.add(
                "facts.period_mismatch", self.period_loc, period=self.period, rules_period=self.rules.period
            )


def entity_names(entities: Sequence[Entity]) -> NameTable:
    """Entities of one kind by id and by name, so a roster may name a unit as people write it."""
    table = NameTable()
    for entity in entities:
        table.add(entity.id, [entity.name] if entity.name else [])
    return table


class FilePositions:
    """Where the entities of fact files are written, for facts read straight into columns: each file
    is read by the positioned reader once, when a location in it is first asked for (a message, an
    explanation), from the text kept for the ledger (a workbook from its file)."""

    def __init__(
        self,
        rules: RuleSet,
        paths: dict[str, Path],
        texts: dict[str, str],
        places: dict[str, dict[str, tuple[list[int], list[int]]]] | None = None,
    ) -> None:
        self.rules = rules
        self.paths = paths
        self.texts = texts
        self.read: dict[str, dict[str, list[Entity]]] = {}
        # file -> kind -> (line, column) of each entity: from the YAML composer's marks when read,
        # from `json_places` for a JSON file when first asked (None: read that file positioned)
        self.places: dict[str, dict[str, tuple[list[int], list[int]]] | None] = dict(places or {})

    def place(self, file: str, kind: str, index: int) -> Location | None:
        if file not in self.places:
            self.places[file] = self._json_places(file)
        found = self.places[file]
        if found is None:
            entity = self.entity(file, kind, index)
            return entity.loc if entity is not None else None
        lines, columns = found.get(kind, ([], []))
        return Location(file, lines[index], columns[index]) if 0 <= index < len(lines) else None

    def lines(self, file: str, kind: str) -> list[int] | None:
        """The line of every entity of `kind` in `file`, in order, when found without reading the file
        positioned (a JSON file's array scan, a YAML file's marks); None otherwise."""
        if file not in self.places:
            self.places[file] = self._json_places(file)
        found = self.places[file]
        return None if found is None else found.get(kind, ([], []))[0]

    def _json_places(self, file: str) -> dict[str, tuple[list[int], list[int]]] | None:
        path = self.paths.get(file)
        if path is None or path.suffix.lower() != ".json" or file not in self.texts:
            return None
        found = json_places(self.texts[file])
        if found is None:
            return None
        by_kind: dict[str, tuple[list[int], list[int]]] = {}
        for written, (lines, columns) in found.items():
            kind = self.rules.kind_code(visible(written)) or visible(written)
            mine = by_kind.setdefault(kind, ([], []))
            mine[0].extend(lines)
            mine[1].extend(columns)
        return by_kind

    def entity(self, file: str, kind: str, index: int) -> Entity | None:
        found = self.read.get(file)
        if found is None:
            found = self.read[file] = self._entities(file)
        items = found.get(kind, [])
        return items[index] if 0 <= index < len(items) else None

    def _entities(self, file: str) -> dict[str, list[Entity]]:
        reader = FactReader(self.rules)
        path = self.paths.get(file)
        if path is None:
            return {}
        try:
            if is_spreadsheet(path):
                data, _ = read_spreadsheet(path, file, self.rules, reader.problems)
            elif path.suffix.lower() == ".json":
                data = read_json_text(self.texts[file], file)
            else:
                data = read_yaml_text(self.texts[file], file)
        except UserError:
            return {}
        reader.read(data, file)
        return reader.entities


def load_facts(paths: Sequence[Path], rules: RuleSet, base: Path | None = None) -> FactBase:
    """Read fact files (YAML, JSON, .xlsx or .csv), check every value against the rules, report all problems.

    Straight into columns when every file is good (evaluator/facts/columns.py); otherwise, or when
    that pass meets anything it does not handle, every file is read by the positioned reader, which
    collects and locates each problem.
    """
    facts = load_columns(paths, rules, base)
    if facts is not None:
        return facts
    return load_positioned(paths, rules, base)


def facts_digest(texts: Mapping[str, str | bytes], hasher: Callable[[], Any] = hashlib.sha256) -> str:
    """The digest of a fact base: sha256 over each file's name and text (str, or its UTF-8 bytes as
    a question about a recorded run reads them), in name order, joined by newlines; "" for none.
    `hasher` makes another hash of the same bytes (a fast one, evaluator/audit/freshness.py)."""
    if not texts:
        return ""
    digest = hasher()
    for i, name in enumerate(sorted(texts)):
        text = texts[name]
        digest.update((b"\n" if i else b"") + name.encode("utf-8") + b"\n")
        digest.update(text.encode("utf-8") if isinstance(text, str) else text)
    return str(digest.hexdigest())


def load_columns(paths: Sequence[Path], rules: RuleSet, base: Path | None = None) -> FactBase | None:
    """The facts as tables of columns, positions found only when asked; None when the positioned
    reader must read the files (a problem to locate, or a form this pass does not take)."""
    reader = ColumnReader(rules)
    texts: dict[str, str] = {}
    sources: dict[str, Path] = {}
    try:
        for path in paths:
            shown = display_path(path, base)
            sources[shown] = path
            if is_spreadsheet(path):
                read = read_spreadsheet_cells(path, shown, rules)
                if read is None:
                    return None
                sheets, sheet_reader, texts[shown] = read
                reader.read_sheets(sheets, shown, sheet_reader)
                if sheet_reader.problems.items:
                    return None
                continue
            if path.suffix.lower() == ".json":
                raw = read_input_bytes(path, shown)
                text = texts[shown] = decoded(raw, shown)
                data, careful = plain_json(text, raw.removeprefix(codecs.BOM_UTF8))
                reader.read(data, shown, careful)
                del raw
            else:
                text = texts[shown] = read_input_text(path, shown)
                data, places = plain_yaml_placed(text, shown)
                reader.read(data, shown, places=places)
            del data  # the records are columns now: free them before the next file is parsed
        tables = reader.tables()
    except (Fallback, UserError):
        return None
    positions = FilePositions(rules, sources, texts, reader.places)
    for table in tables.values():
        table.positions = positions
    period = reader.period if reader.period is not None else rules.period
    return FactBase(period, files=texts, digest=facts_digest(texts), tables=tables)


def load_positioned(paths: Sequence[Path], rules: RuleSet, base: Path | None = None) -> FactBase:
    """Every file read by the positioned reader: entities with their locations, all problems located."""
    reader = FactReader(rules)
    texts: dict[str, str] = {}
    for path in paths:
        shown = display_path(path, base)
        if is_spreadsheet(path):
            sheet_data, texts[shown] = read_spreadsheet(path, shown, rules, reader.problems)
            reader.read(sheet_data, shown)
            continue
        try:
            data, texts[shown] = read_document_text(path, shown)
        except UserError as exc:
            reader.problems.extend(exc)
            continue
        reader.read(data, shown)
    reader.finish()
    reader.problems.raise_if_any()
    period = reader.period if reader.period is not None else rules.period
    return FactBase(period, reader.entities, files=texts, digest=facts_digest(texts))


def no_facts(rules: RuleSet) -> FactBase:
    return FactBase(rules.period, {k: [] for k in rules.kinds})


__all__ = [
    "Awaiting",
    "Entity",
    "FactBase",
    "Holding",
    "facts_digest",
    "load_columns",
    "load_facts",
    "load_positioned",
    "no_facts",
]
