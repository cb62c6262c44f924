"""Writes fact workbooks (.xlsx): the empty template `thidua init` gives admins, or facts exported.

The layout is the one `evaluator.spreadsheet` reads: one sheet per entity kind named by the kind's
short title, headers from the kind declarations, scale levels and yes/no offered as drop-down lists
(kept on the hidden sheet `_danh_muc`), titles in one "Danh hiệu" column separated by ';'.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import TYPE_CHECKING, Any

from thidua.evaluator.facts.reader import Awaiting, Entity, FactBase
from thidua.evaluator.facts.spreadsheet import (
    HEADER_ID,
    HEADER_NAME,
    HEADER_NOTE,
    HEADER_TITLES,
    LIST_SEPARATOR,
    short_title,
)
from thidua.rules.model import Kind
from thidua.rules.ruleset import RuleSet

if TYPE_CHECKING:  # openpyxl is imported when a workbook is written, not with this module
    from openpyxl.cell.cell import Cell

LISTS_SHEET = "_danh_muc"
YES, NO = "Có", "Không"
PERSON_NAME = "Họ và tên"
LAST_ROW = 1_048_576  # Excel's last row: drop-down lists and date formats cover the whole column
DATE_FORMAT = "DD/MM/YYYY"
FIXED_TIME = dt.datetime(2000, 1, 1)  # workbook metadata time, so the same facts give the same bytes


# What a spreadsheet program may take for the start of a formula when the cell is edited or the sheet
# is saved as CSV and opened again (=, +, -, @, and a tab or carriage return before them).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cell(cell: Cell, value: str) -> Cell:
    """`cell` holding `value` as text, never as a formula; every text thidua writes into a workbook
    (names, titles, reasons, ids from input files, and its own words) goes through here.

    openpyxl writes a string that starts with '=' as a formula (a name '=HYPERLINK(...)' or
    "=cmd|' /C calc'!A0" in a fact file would be live in the council's workbook): the cell is typed
    as a string instead. A text that a spreadsheet may read as a formula when the cell is edited
    (FORMULA_START) also gets Excel's quote prefix, which keeps it text and shows it as written.
    Works on a cell of a sheet (ws.cell(...)) and on a new one for ws.append (Cell(ws), as
    openpyxl's WriteOnlyCell is), so a streaming writer keeps it."""
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


def headers(kind: Kind) -> list[tuple[str, str]]:
    """(key, header) of every column of a kind's sheet, in order."""
    name = PERSON_NAME if kind.id == "person" else HEADER_NAME
    cols = [("id", HEADER_ID), ("name", name)]
    cols += [(a.id, a.label) for a in kind.attributes]
    cols += [("titles", HEADER_TITLES), ("note", HEADER_NOTE)]
    return cols


def cell_value(rules: RuleSet, entity: Entity, key: str) -> Any:
    """What a person would type in the cell for one entity's attribute, title list or note."""
    if key == "id":
        return entity.id
    if key == "name":
        return entity.name
    if key == "note":
        return entity.note
    if key == "titles":
        return (LIST_SEPARATOR + " ").join(_holding_text(rules, h) for h in entity.holdings.values()) or None
    if key not in entity.values:
        return None
    value = entity.values[key]
    if isinstance(value, Awaiting):
        text = f"Chờ {value.by} xét"
        if value.provisional is not None:
            text += f" (tự đánh giá: {_display(rules, entity.kind, key, value.provisional)})"
        return text
    return _display(rules, entity.kind, key, value)


def _display(rules: RuleSet, kind: str, key: str, encoded: Any) -> Any:
    attr = rules.attribute(kind, key)
    if attr is None:
        return encoded
    if attr.scale is not None:
        return rules.level_label(attr.scale, int(encoded))
    if attr.type == "date":
        return dt.date.fromordinal(int(encoded))
    if attr.type == "boolean":
        return YES if encoded else NO
    return encoded


def _holding_text(rules: RuleSet, holding: Any) -> str:
    label = rules.titles[holding.title].title
    words = []
    if holding.state == "proposed":
        words.append("đề nghị")
        if holding.awaiting:
            words.append(f"chờ {holding.awaiting}")
    elif holding.state == "refused":
        words.append("không được công nhận")
    return f"{label} ({', '.join(words)})" if words else label


def workbook_bytes(rules: RuleSet, facts: FactBase | None = None) -> bytes:
    """A fact workbook for the kinds of `rules` (.xlsx bytes): empty rows with drop-downs, or `facts`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.remove(book.active)
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_ranges: dict[str, str] = {}
    columns = [("__bool", "Có/Không", [YES, NO])] + [
        (s.id, s.title, [lv.label for lv in s.levels]) for s in rules.scales.values()
    ]
    for c, (key, title, values) in enumerate(columns, start=1):
        letter = get_column_letter(c)
        text_cell(lists.cell(1, c), title)
        for r, v in enumerate(values, start=2):
            text_cell(lists.cell(r, c), v)
        list_ranges[key] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    # The titles each kind can hold, one list per kind, for the "Danh hiệu" column.
    for kind in rules.kinds.values():
        names = [t.title for t in rules.titles.values() if kind.id in t.holders]
        if not names:
            continue
        c = lists.max_column + 1
        letter = get_column_letter(c)
        text_cell(lists.cell(1, c), f"{HEADER_TITLES}: {short_title(kind)}")
        for r, name in enumerate(names, start=2):
            text_cell(lists.cell(r, c), name)
        list_ranges[f"__titles.{kind.id}"] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(names) + 1}"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for kind in rules.kinds.values():
        sheet = book.create_sheet(short_title(kind))
        cols = headers(kind)
        entities = facts.of(kind.id) if facts is not None else []
        for c, (key, header) in enumerate(cols, start=1):
            cell = text_cell(sheet.cell(1, c), header)
            cell.font, cell.fill = bold, fill
            sheet.column_dimensions[get_column_letter(c)].width = max(12, min(45, len(header) + 6))
            attr = rules.attribute(kind.id, key) if key not in ("id", "name", "titles", "note") else None
            choice = None
            if key == "titles" and f"__titles.{kind.id}" in list_ranges:
                # A list to pick one title from; several are typed with "; " (so no error on other text).
                dv = DataValidation(type="list", formula1=f"={list_ranges[f'__titles.{kind.id}']}", allow_blank=True)
                dv.showErrorMessage = False
                dv.showInputMessage = True
                dv.promptTitle = HEADER_TITLES
                dv.prompt = "Chọn một danh hiệu, hoặc gõ nhiều danh hiệu cách nhau bằng dấu ;"
                dv.add(f"{get_column_letter(c)}2:{get_column_letter(c)}{LAST_ROW}")
                sheet.add_data_validation(dv)
            if attr is not None and attr.scale is not None:
                choice = list_ranges[attr.scale]
            elif attr is not None and attr.type == "boolean":
                choice = list_ranges["__bool"]
            if choice is not None:
                dv = DataValidation(
                    type="list", formula1=f"={choice}", allow_blank=True, errorStyle="warning", showErrorMessage=True
                )
                dv.error = "Giá trị không có trong danh sách. Vẫn giữ?"
                dv.add(f"{get_column_letter(c)}2:{get_column_letter(c)}{LAST_ROW}")
                sheet.add_data_validation(dv)
            if attr is not None and attr.type == "date":
                # The column's own format reaches every row a person types into; written rows get it too.
                sheet.column_dimensions[get_column_letter(c)].number_format = DATE_FORMAT
                for r in range(2, len(entities) + 2):
                    sheet.cell(r, c).number_format = DATE_FORMAT
        for r, entity in enumerate(entities, start=2):
            for c, (key, _) in enumerate(cols, start=1):
                value = cell_value(rules, entity, key)
                if isinstance(value, str):
                    text_cell(sheet.cell(r, c), value)
                elif value is not None:
                    sheet.cell(r, c, value)
        sheet.freeze_panes = "A2"
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    book.properties.creator = "thidua"
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible_zip(buffer.getvalue())


def _reproducible_zip(data: bytes) -> bytes:
    """The same workbook with fixed zip entry times, so regenerating it gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content)
            dst.writestr(fixed, content)
    return out.getvalue()
