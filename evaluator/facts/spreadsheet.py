"""Facts from spreadsheets (.xlsx sheets, UTF-8 .csv files) read into the same checks as YAML facts.

A workbook has one sheet per entity kind, named by the kind's id, its title (the part before any
parenthesis, e.g. "Cá nhân") or one of its `aliases` (e.g. "Nhân sự"). A CSV file holds one kind,
named in the file name: `person.facts.csv`, `ca-nhan.facts.csv`, `nhan-su.facts.csv`. The first
non-blank row holds the column headers: "Mã" (id), "Họ và tên"/"Tên" (name), "Ghi chú" (note),
"Danh hiệu" (titles, separated by ';') and each attribute by its label, an alias or its id.
Sheets whose names start with '_' and a sheet named "Hướng dẫn" are not read.

Rows become the same PosDict documents YAML fact files give, with every key and value located at
its sheet, row and column, so `FactReader` checks both the same way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thidua.rules.archive import check_container
from thidua.rules.errors import Location, Problems, UserError, suggest
from thidua.rules.limits import (
    MAX_BLANK_ROWS,
    MAX_CSV_FIELD,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_WORKBOOK_BYTES,
    MAX_WORKBOOK_UNPACKED_BYTES,
)
from thidua.rules.model import Kind
from thidua.rules.ruleset import RuleSet
from thidua.rules.source import PosDict, PosList, hides, read_input_bytes, visible

SPREADSHEET_SUFFIXES = (".facts.xlsx", ".facts.csv")

ID_HEADERS = ("id", "mã", "mã số")
NAME_HEADERS = ("name", "tên", "họ và tên", "họ tên", "tên đơn vị", "tên tập thể", "tên cơ quan")
NOTE_HEADERS = ("note", "ghi chú")
TITLE_HEADERS = ("titles", "danh hiệu", "danh hiệu, khen thưởng", "danh hiệu và khen thưởng")
GUIDE_SHEETS = ("hướng dẫn",)
LIST_SEPARATOR = ";"

# The header every column of a template gets (the first name of each reserved column).
HEADER_ID, HEADER_NAME, HEADER_TITLES, HEADER_NOTE = "Mã", "Tên", "Danh hiệu", "Ghi chú"

# "Chờ <who> xét (tự đánh giá: <value>)": a value a higher body has not decided yet.
AWAITING = re.compile(
    r"^chờ\s+(?P<by>.+?)(?:\s+xét)?\s*(?:\((?:tự đánh giá|tạm)\s*:\s*(?P<provisional>[^)]*)\))?$",
    re.IGNORECASE,
)


def same(text: str) -> str:
    """Text as compared with labels and headers: NFC, spaces collapsed, any case (never diacritics)."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def slug(text: str) -> str:
    """A file-name form of a Vietnamese name ("Nhân sự" -> "nhan-su"); used only for file names."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def short_title(kind: Kind) -> str:
    """The kind's title without the parenthesised detail: the sheet name templates use."""
    return kind.title.split("(")[0].strip()[:31]


def kind_names(kind: Kind) -> list[str]:
    return [kind.id, kind.title, short_title(kind), *kind.aliases]


def is_spreadsheet(path: Path) -> bool:
    return path.name.lower().endswith(SPREADSHEET_SUFFIXES)


@dataclass
class Table:
    """The cells of one sheet or CSV file, rows 1-based as the user sees them."""

    kind: str
    sheet: str | None  # None for CSV
    rows: list[tuple[int, list[Any]]]
    where: Location  # the sheet or file itself


class SheetReader:
    """Turns tables of cells into a fact document, collecting every problem with its cell."""

    def __init__(self, rules: RuleSet, problems: Problems) -> None:
        self.rules = rules
        self.problems = problems
        self._titles: dict[str, str] | None = None  # title label or id as compared -> title id
        self._attrs: dict[str, dict[str, Any]] = {}  # kind -> its attributes by id

    # --- locating kinds -------------------------------------------------------------------

    def kind_of_sheet(self, name: str) -> str | None:
        wanted = same(name)
        for kind in self.rules.kinds.values():
            if any(same(n) == wanted for n in kind_names(kind)):
                return kind.id
        return None

    def kind_of_csv(self, path: Path) -> str | None:
        stem = path.name[: -len(".facts.csv")]
        wanted = slug(stem)
        for kind in self.rules.kinds.values():
            if any(slug(n) == wanted for n in kind_names(kind)) or stem == kind.id:
                return kind.id
        return None

    def sheet_choices(self) -> list[str]:
        return [n for k in self.rules.kinds.values() for n in (k.id, short_title(k), *k.aliases)]

    # --- headers and cells ----------------------------------------------------------------

    def headers(self, kind: Kind) -> dict[str, str]:
        """Normalised header -> attribute id (or a reserved key: id, name, titles, note)."""
        out: dict[str, str] = {}
        for names, key in (
            (ID_HEADERS, "id"),
            (NAME_HEADERS, "name"),
            (NOTE_HEADERS, "note"),
            (TITLE_HEADERS, "titles"),
        ):
            for n in names:
                out[same(n)] = key
        for attr in kind.attributes:
            for n in (attr.id, attr.label, *attr.aliases):
                out[same(n)] = attr.id
        return out

    def document(self, file: str, tables: Sequence[Table]) -> PosDict:
        """A fact document {entities: {kind: [rows]}} located at cells, ready for FactReader.read."""
        doc = _posdict(Location(file, 1, 1))
        entities = _posdict(Location(file, 1, 1))
        _put(doc, "entities", entities, Location(file, 1, 1), Location(file, 1, 1))
        for table in tables:
            items: PosList = entities.get(table.kind) or _poslist(table.where)
            self.table(table, file, items)
            _put(entities, table.kind, items, table.where, table.where)
        return doc

    def table(self, table: Table, file: str, items: PosList) -> None:
        kind = self.rules.kinds[table.kind]
        known = self.headers(kind)
        rows = [(n, cells) for n, cells in table.rows if any(not _blank(c) for c in cells)]
        if not rows:
            return
        header_row, header_cells = rows[0]
        columns: dict[int, tuple[str, str]] = {}  # index -> (key, header as written)
        seen: dict[str, str] = {}
        for i, cell in enumerate(header_cells):
            if _blank(cell):
                continue
            text = _text(cell)
            loc = self.cell(file, table, header_row, i, text)
            key = known.get(same(text))
            if key is None:
                choices = [HEADER_ID, HEADER_NAME, HEADER_TITLES, HEADER_NOTE] + [a.label for a in kind.attributes]
                self.problems.add(
                    "sheet.unknown_header",
                    loc,
                    suggest(text, choices),
                    header=text,
                    kind=kind.id,
                    headers=", ".join(choices),
                )
                continue
            if key in seen:
                self.problems.add("sheet.duplicate_header", loc, header=text, first=seen[key])
                continue
            seen[key] = text
            columns[i] = (key, text)
        for number, cells in rows[1:]:
            item = _posdict(self.cell(file, table, number, None, None))
            for i, (key, header) in columns.items():
                raw = cells[i] if i < len(cells) else None
                if _blank(raw):
                    continue
                loc = self.cell(file, table, number, i, header)
                value = self.value(kind, key, _clean(raw), loc)
                if value is not None:
                    _put(item, key, value, loc, loc)
            items.append(item)
            items.item_locs.append(item.loc)

    def cells(self, table: Table, file: str) -> SheetCells | None:
        """The records of one table as columns of cells, as `table` reads them (blank rows skipped, the
        first row the headers); None when a header is unknown or written twice."""
        known = self.headers(self.rules.kinds[table.kind])
        rows = [(n, cells) for n, cells in table.rows if not _blank_row(cells)]
        if not rows:
            return SheetCells(table.kind, [], {})
        keys: dict[int, str] = {}
        for i, cell in enumerate(rows[0][1]):
            if _blank(cell):
                continue
            key = known.get(same(_text(cell)))
            if key is None or key in keys.values():
                return None
            keys[i] = key
        data = rows[1:]
        width = max(keys, default=-1) + 1
        transposed = list(itertools.zip_longest(*(cells[:width] for _, cells in data))) if data else []
        columns: dict[str, Sequence[Any]] = {
            key: transposed[i] if i < len(transposed) else (None,) * len(data) for i, key in keys.items()
        }
        return SheetCells(table.kind, _row_locations(file, table.sheet, [n for n, _ in data]), columns)

    def convert(self, kind: str, key: str, raw: Any) -> Any:
        """The value `table` reads from one cell under `key`, None for a blank cell; problems go to
        `problems`, unlocated (the caller reads the file again to locate them)."""
        if _blank(raw):
            return None
        return self.value(self.rules.kinds[kind], key, _clean(raw), _NOWHERE)

    def convert_all(self, kind: str, key: str, cells: Sequence[Any]) -> list[Any] | None:
        """Every cell of a column of plain text (ids, names, notes) as `convert` gives it, at once:
        one check that the column needs no normalising or escaping, then each cell stripped; None
        when some cell is not plain text or needs more (then `convert` takes each distinct cell)."""
        if key not in ("id", "name", "note") or not set(map(type, cells)) <= {str}:
            return None
        joined = "\n".join(cells)  # a line break composes with nothing and is not escaped by `visible`
        if not unicodedata.is_normalized("NFC", joined) or hides(joined):
            return None
        return [text or None for text in map(str.strip, cells)]

    def cell(self, file: str, table: Table, row: int, index: int | None, header: str | None) -> Location:
        return Location(file, row, (index + 1) if index is not None else 1, sheet=table.sheet, column_name=header)

    def value(self, kind: Kind, key: str, raw: Any, loc: Location) -> Any:
        if key == "titles":
            return self.titles(kind, str(raw), loc)
        attr = self._attributes(kind).get(key)
        if attr is not None and isinstance(raw, str):
            m = AWAITING.match(raw)
            if m is not None:
                pending = _posdict(loc)
                _put(pending, "awaiting", m.group("by").strip(), loc, loc)
                provisional = (m.group("provisional") or "").strip()
                if provisional:
                    _put(pending, "provisional", provisional, loc, loc)
                return pending
        if attr is not None and attr.type == "date" and isinstance(raw, dt.datetime):
            return raw.date()
        return raw

    def _attributes(self, kind: Kind) -> dict[str, Any]:
        found = self._attrs.get(kind.id)
        if found is None:
            found = self._attrs[kind.id] = {a.id: a for a in kind.attributes}
        return found

    def titles(self, kind: Kind, text: str, loc: Location) -> PosList:
        out = _poslist(loc)
        if self._titles is None:
            self._titles = {same(t.title): t.id for t in self.rules.titles.values()}
            self._titles.update({same(t.id): t.id for t in self.rules.titles.values()})
        by_label = self._titles
        for part in (p.strip() for p in text.replace("\n", LIST_SEPARATOR).split(LIST_SEPARATOR)):
            if not part:
                continue
            name, state_text = part, ""
            title = by_label.get(same(part))
            if title is None and part.endswith(")") and "(" in part:
                cut = part.rindex("(")
                name, state_text = part[:cut].strip(), part[cut + 1 : -1]
                title = by_label.get(same(name))
            if title is None:
                labels = [t.title for t in self.rules.titles.values() if kind.id in t.holders]
                self.problems.add("sheet.unknown_title", loc, suggest(name, labels), title=name)
                continue
            entry = _posdict(loc)
            _put(entry, "title", title, loc, loc)
            for word in (w.strip() for w in state_text.split(",")):
                low = same(word)
                if not low:
                    continue
                if low in ("đề nghị", "proposed"):
                    _put(entry, "state", "proposed", loc, loc)
                elif low in ("không được công nhận", "không công nhận", "refused"):
                    _put(entry, "state", "refused", loc, loc)
                elif low.startswith("chờ "):
                    _put(entry, "awaiting", word[4:].strip(), loc, loc)
                    entry.setdefault("state", "proposed")
                elif low.startswith(("qđ", "quyết định", "số ")):
                    _put(entry, "decision", word, loc, loc)
                else:
                    self.problems.add("sheet.title_state", loc, title=name, state=word)
            out.append(entry)
            out.item_locs.append(loc)
        return out


# --- reading files ----------------------------------------------------------------------


def read_spreadsheet(path: Path, shown: str, rules: RuleSet, problems: Problems) -> tuple[PosDict | None, str]:
    """Read one .facts.xlsx or .facts.csv into a fact document; problems go to `problems`.

    Returns the document (None when the file could not be read at all) and a text standing for
    the file in digests and provenance (the CSV text; the workbook's SHA-256 for .xlsx).
    """
    reader = SheetReader(rules, problems)
    tables, text = _read_tables(path, shown, reader)
    return (reader.document(shown, tables) if tables is not None else None), text


@dataclass
class SheetCells:
    """One sheet's (or CSV file's) records as columns of cells, headers resolved to keys, for reading
    straight into columns: no position is kept but each record's row."""

    kind: str
    rows: list[Location]  # where each record is written: its row
    columns: dict[str, Sequence[Any]]  # key -> each record's cell (None past the end of its row)


def read_spreadsheet_cells(path: Path, shown: str, rules: RuleSet) -> tuple[list[SheetCells], SheetReader, str] | None:
    """The records of one .facts.xlsx or .facts.csv as columns of cells, with the reader whose
    `convert` turns a cell into the value `read_spreadsheet` gives for it; None when the file has a
    problem, which `read_spreadsheet` then locates cell by cell."""
    reader = SheetReader(rules, Problems())
    tables, text = _read_tables(path, shown, reader)
    if tables is None or reader.problems.items:
        return None
    sheets = []
    for table in tables:
        cells = reader.cells(table, shown)
        if cells is None:
            return None
        sheets.append(cells)
    return sheets, reader, text


def _read_tables(path: Path, shown: str, reader: SheetReader) -> tuple[list[Table] | None, str]:
    """The tables of cells of one spreadsheet file, and the text standing for it."""
    try:
        raw = read_input_bytes(path, shown, limit=MAX_WORKBOOK_BYTES)
    except UserError as exc:
        reader.problems.extend(exc)
        return None, ""
    if path.name.lower().endswith(".csv"):
        return _read_csv(path, raw, shown, reader)
    return _read_xlsx(raw, shown, reader)


def _read_csv(path: Path, raw: bytes, shown: str, reader: SheetReader) -> tuple[list[Table] | None, str]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        reader.problems.add("csv.not_utf8", Location(shown, line, 1), path=shown, line=line)
        return None, ""
    kind = reader.kind_of_csv(path)
    if kind is None:
        stem = path.name[: -len(".facts.csv")]
        names = [f"{k.id}.facts.csv" for k in reader.rules.kinds.values()] + [
            f"{slug(short_title(k))}.facts.csv" for k in reader.rules.kinds.values()
        ]
        reader.problems.add(
            "csv.unknown_kind", Location(shown), suggest(f"{stem}.facts.csv", names), path=shown, names=", ".join(names)
        )
        return None, text
    text = unicodedata.normalize("NFC", text)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    rows = []
    csv.field_size_limit(MAX_CSV_FIELD)
    parsed = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in parsed:
            rows.append((parsed.line_num, list(cells)))
    except csv.Error as exc:
        loc = Location(shown, max(parsed.line_num, 1), 1)
        if "field larger than field limit" in str(exc):
            reader.problems.add("input.csv_field", loc, limit=MAX_CSV_FIELD)
        else:
            reader.problems.add("input.csv_syntax", loc, detail=visible(str(exc)))
        return None, text
    if len(rows) > MAX_SHEET_ROWS + 1:  # the header row, then at most MAX_SHEET_ROWS rows of data
        first_past = rows[MAX_SHEET_ROWS + 1][0]
        reader.problems.add("input.sheet_too_large", Location(shown, first_past, 1), limit=MAX_SHEET_ROWS)
        return None, text
    return [Table(kind, None, rows, Location(shown, 1, 1))], text


def _read_xlsx(data: bytes, shown: str, reader: SheetReader) -> tuple[list[Table] | None, str]:
    import hashlib

    try:
        check_container(data, shown, MAX_WORKBOOK_UNPACKED_BYTES, "xlsx.unreadable")
    except UserError as exc:
        reader.problems.extend(exc)
        return None, ""
    tables = _calamine_tables(data, shown, reader)
    if tables is not None:
        return tables, "xlsx sha256:" + hashlib.sha256(data).hexdigest()
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():  # openpyxl warns about Excel extensions it does not read
            warnings.simplefilter("ignore")
            # read-only: cells are streamed from the sheet's XML, never created for a used range
            # that claims far more than the rows written
            book = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        reader.problems.add(
            "xlsx.unreadable",
            Location(shown),
            path=shown,
            detail=str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
        )
        return None, ""
    except Exception as exc:  # noqa: BLE001 - zip errors and the like: a damaged or non-Excel file
        reader.problems.add("xlsx.unreadable", Location(shown), path=shown, detail=type(exc).__name__)
        return None, ""
    tables = []
    for sheet in book.worksheets:
        name = sheet.title
        kind = _sheet_kind(reader, shown, name)
        if kind is None:
            continue
        try:
            rows = _sheet_rows(sheet, data)
        except ValueError:  # more rows of data than MAX_SHEET_ROWS
            reader.problems.add(
                "input.sheet_too_large", Location(shown, MAX_SHEET_ROWS + 2, 1, sheet=name), limit=MAX_SHEET_ROWS
            )
            continue
        except Exception as exc:  # noqa: BLE001 - damaged sheet XML: the workbook cannot be read
            reader.problems.add("xlsx.unreadable", Location(shown, sheet=name), path=shown, detail=type(exc).__name__)
            continue
        tables.append(Table(kind, name, rows, Location(shown, 1, 1, sheet=name)))
    book.close()
    return tables, "xlsx sha256:" + hashlib.sha256(data).hexdigest()


def _calamine_tables(data: bytes, shown: str, reader: SheetReader) -> list[Table] | None:
    """The workbook's sheets read by python-calamine (Rust: a 50,000-row sheet in a fraction of a
    second, where openpyxl's read-only mode took seconds), or None where its cell values could differ
    from openpyxl's, which then reads the workbook as before: a workbook calamine cannot open (so
    openpyxl's message names what is wrong), an error cell (#N/A: calamine gives it as a blank, openpyxl
    as its text) or a whole number past 2**53 (calamine reads numbers as floats)."""
    try:
        from python_calamine import CalamineWorkbook, SheetTypeEnum

        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = archive.read(name)
                    if b' t="e"' in xml or _LONG_NUMBER.search(xml) or not _dense_fits(xml):
                        return None
        sheets = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    except Exception:  # noqa: BLE001 - anything calamine or the zip refuses: openpyxl reads it and says why
        return None
    tables = []
    for name in sheets:
        kind = _sheet_kind(reader, shown, name)
        if kind is None:
            continue
        try:
            sheet = book.get_sheet_by_name(name)
            rows = _bounded_rows(enumerate(sheet.to_python(skip_empty_area=False), start=1))
        except ValueError:  # more rows of data than MAX_SHEET_ROWS
            reader.problems.add(
                "input.sheet_too_large", Location(shown, MAX_SHEET_ROWS + 2, 1, sheet=name), limit=MAX_SHEET_ROWS
            )
            continue
        except Exception:  # noqa: BLE001 - a sheet calamine cannot read: openpyxl reads the workbook and says why
            return None
        for (min_row, min_col), (max_row, max_col) in sheet.merged_cell_ranges or ():
            _spread_merged(rows, min_col + 1, min_row + 1, max_col + 1, max_row + 1)
        tables.append(Table(kind, name, rows, Location(shown, 1, 1, sheet=name)))
    return tables


# A number of 16 digits or more: a whole number past 2**53 is exact in openpyxl, not in a float.
_LONG_NUMBER = re.compile(rb"<v>-?[0-9]{16}")
_LAST_ROW = re.compile(rb"row\b[^>]*?\br=\"([0-9]+)\"")
_WIDE_REF = re.compile(rb'r="[A-Z]{2}')
_WIDE_CELLS = re.compile(rb'r="([A-Z]{2,})[0-9]')
DENSE_CELLS = 20_000_000  # calamine holds a sheet as a dense grid to its farthest cell: at most this many


def _dense_fits(xml: bytes) -> bool:
    """Whether the grid to the sheet's farthest cell is small enough to hold: a cell written at
    XFD1048576 would make calamine allocate seventeen billion cells (and abort); openpyxl streams such
    a sheet row by row and stops at a long run of blank rows. Rows are written in order, so the last
    row element gives the height; a column past Z is looked for only when a reference has two letters."""
    rows = xml.count(b"<row") + xml.count(b":row ")
    last = max(xml.rfind(b"<row"), xml.rfind(b":row "))
    found = _LAST_ROW.search(xml, last + 1) if last >= 0 else None
    if found is not None:
        rows = max(rows, int(found.group(1)))
    columns = 26
    if _WIDE_REF.search(xml):
        for m in _WIDE_CELLS.finditer(xml):
            letters = m.group(1)
            if len(letters) > 2:
                return False
            columns = max(columns, (letters[0] - 64) * 26 + letters[1] - 64)
    return rows <= MAX_SHEET_ROWS + 1 and rows * columns <= DENSE_CELLS  # the header, then the rows of data


def _bounded_rows(numbered: Iterable[tuple[int, Sequence[Any]]]) -> list[tuple[int, list[Any]]]:
    """Rows up to the real data: at most MAX_SHEET_COLUMNS wide, a run of MAX_BLANK_ROWS blank rows
    ends the sheet, trailing blank rows dropped; ValueError past MAX_SHEET_ROWS rows of data."""
    rows: list[tuple[int, list[Any]]] = []
    blank_run = 0
    for r, row in numbered:
        cells = list(row[:MAX_SHEET_COLUMNS])
        if _blank_row(cells):
            blank_run += 1
            if blank_run > MAX_BLANK_ROWS:
                break
        else:
            blank_run = 0
        if r > MAX_SHEET_ROWS + 1:  # row 1 is the header
            raise ValueError("too many rows")
        rows.append((r, cells))
    while rows and _blank_row(rows[-1][1]):
        rows.pop()
    return rows


def _spread_merged(rows: list[tuple[int, list[Any]]], min_col: int, min_row: int, max_col: int, max_row: int) -> None:
    """A merged range gives its top-left value to every cell it covers in non-blank rows (1-based)."""
    if min_row > len(rows) or min_col > MAX_SHEET_COLUMNS:
        return
    top_cells = rows[min_row - 1][1]
    top = top_cells[min_col - 1] if min_col - 1 < len(top_cells) else None
    for r in range(min_row, min(max_row, len(rows)) + 1):
        cells = rows[r - 1][1]
        if all(_blank(v) for v in cells):
            continue  # a blank row stays blank even inside a merged range
        for c in range(min_col, min(max_col, MAX_SHEET_COLUMNS) + 1):
            while len(cells) < c:
                cells.append(None)
            cells[c - 1] = top


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}[0-9]{1,7})?)"')


def _sheet_rows(sheet: Any, data: bytes) -> list[tuple[int, list[Any]]]:
    """Cell values by row, up to the real data; a merged range gives its value to every cell it
    covers in non-blank rows.

    The sheet's declared size is ignored (it may claim XFD1048576): rows are read as written, at
    most MAX_SHEET_COLUMNS wide, and a run of MAX_BLANK_ROWS blank rows ends the sheet.
    """
    from openpyxl.utils.cell import range_boundaries

    sheet.reset_dimensions()
    rows = _bounded_rows(enumerate(sheet.iter_rows(values_only=True, max_col=MAX_SHEET_COLUMNS), start=1))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(sheet._worksheet_path)
    for match in _MERGE.finditer(xml):
        min_col, min_row, max_col, max_row = range_boundaries(match.group(1).decode())
        if min_row is None or min_col is None:
            continue
        _spread_merged(rows, min_col, min_row, max_col or min_col, max_row or min_row)
    return rows


# --- small helpers ----------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _blank_row(cells: Sequence[Any]) -> bool:
    """Whether every cell of a row is blank (stops at the first that is not: usually the first)."""
    for value in cells:
        if value is not None and (not isinstance(value, str) or value.strip()):
            return False
    return True


_NOWHERE = Location("")


def _row_locations(file: str, sheet: str | None, rows: list[int]) -> list[Location]:
    """Where each record is written (its row, column 1), as `SheetReader.cell` gives it, made without
    the frozen dataclass's per-field checks (a roster has tens of thousands of rows)."""
    out = []
    new = object.__new__
    for row in rows:
        loc = new(Location)
        object.__setattr__(
            loc, "__dict__", {"file": file, "line": row, "column": 1, "sheet": sheet, "column_name": None}
        )
        out.append(loc)
    return out


def _text(value: Any) -> str:
    return visible(
        " ".join(unicodedata.normalize("NFC", str(_clean(value) if not isinstance(value, str) else value)).split())
    )


def _clean(value: Any) -> Any:
    """Strip spaces and normalise text; whole floats (Excel numbers) become integers; a date is the
    datetime at midnight openpyxl gives for a date cell (python-calamine gives the date)."""
    if isinstance(value, str):
        return visible(unicodedata.normalize("NFC", value).strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if type(value) is dt.date:
        return dt.datetime.combine(value, dt.time())
    return value


def _posdict(loc: Location) -> PosDict:
    d = PosDict()
    d.loc, d.key_locs, d.value_locs = loc, {}, {}
    return d


def _poslist(loc: Location, items: Iterable[Any] = ()) -> PosList:
    seq = PosList(items)
    seq.loc, seq.item_locs = loc, [loc] * len(seq)
    return seq


def _put(d: PosDict, key: str, value: Any, key_loc: Location, value_loc: Location) -> None:
    d[key] = value
    d.key_locs[key] = key_loc
    d.value_locs[key] = value_loc


def _sheet_kind(reader: Any, shown: str, name: str) -> Any:
    """The kind a data sheet holds, whichever library reads the workbook; None for a guide or hidden
    sheet, and for an unknown one (its problem added, with the sheet names the rules expect)."""
    if name.startswith("_") or same(name) in GUIDE_SHEETS:
        return None
    kind = reader.kind_of_sheet(name)
    if kind is None:
        reader.problems.add(
            "xlsx.unknown_sheet",
            Location(shown, sheet=name),
            suggest(name, reader.sheet_choices()),
            sheet=name,
            names=", ".join(short_title(k) for k in reader.rules.kinds.values()),
        )
    return kind
