"""Fact workbooks read by python-calamine give the cells openpyxl gives, and go straight into columns.

The fast reader (evaluator/facts/spreadsheet.py `_calamine_tables`) replaces openpyxl only where its
values are the same after the reader's own cleaning: a whole number, a date, a blank cell, a merged
range, rows before the data and past it. Where they could differ (an error cell such as #N/A, a whole
number past 2**53) openpyxl reads the workbook as before. A roster read from a workbook and from
JSON gives the same evaluation, and a problem in a workbook is still located at its cell."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tests.conftest import ROOT
from thidua.evaluator.facts import spreadsheet
from thidua.evaluator.facts.reader import load_facts
from thidua.evaluator.facts.spreadsheet import SheetReader, _blank, _calamine_tables, _clean, _read_xlsx, _text
from thidua.evaluator.run import run_path
from thidua.rules.errors import Problems, UserError
from thidua.rules.loader import load_rules

SEED = ROOT / "examples" / "ban-dan-toc-binh-phuoc" / "2022"
RULES = SEED / "targets.rules.yaml"


def _workbook() -> bytes:
    """A person sheet and a unit sheet with every kind of cell a council's workbook holds."""
    book = Workbook()
    guide = book.active
    guide.title = "Hướng dẫn"
    guide["A1"] = "Điền mỗi người một dòng"
    persons = book.create_sheet("Cá nhân")
    persons.append([])  # a blank row before the headers
    persons.append(["Mã", "Họ và tên", "Phòng", "Xếp loại", "Ngày tuyển dụng", "Sinh con thứ ba", "Ghi chú", None])
    rows: list[list[Any]] = [
        ["p1", " Nguyễn Văn A ", "u1", "Hoàn thành tốt nhiệm vụ", dt.datetime(2010, 5, 10), "Không", 3],
        ["p2", "Trần Thị B", "u1", "Chờ Hội đồng xét (tự đánh giá: Hoàn thành nhiệm vụ)", dt.date(2021, 2, 1), False],
        [7, "Lê C", "u1", "  ", None, True, 2.5],
        ["p4", "Phạm D", "u1", "Hoàn thành nhiệm vụ", dt.datetime(2020, 1, 1, 8, 30), "Có", dt.time(9, 15)],
        ["p5", "Hoàng E", "u1", None, 44927, "Không", 1.0],
    ]
    for row in rows:
        persons.append(row)
    persons.append([None, None])
    persons.append(["p6", "Vũ F", "u1", "Hoàn thành tốt nhiệm vụ", None, "Không", "gộp"])
    persons.append(["p7", "Đặng G", "u1", "Hoàn thành tốt nhiệm vụ", None, "Không"])
    persons.merge_cells("G9:G10")
    units = book.create_sheet("Tập thể")
    units.append(["Mã", "Tên", "Xếp loại"])
    units.append(["u1", "Phòng 1", "Hoàn thành xuất sắc nhiệm vụ"])
    hidden = book.create_sheet("_danh_muc")
    hidden["A1"] = "Có"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _as_read(rows: list[tuple[int, list[Any]]]) -> list[tuple[int, list[Any]]]:
    """Rows as the sheet reader uses them: a blank cell is blank whatever it holds, values cleaned."""
    out = []
    for number, cells in rows:
        shown = [None if _blank(c) else _clean(c) for c in cells]
        while shown and shown[-1] is None:
            shown.pop()
        out.append((number, shown))
    return out


def test_calamine_gives_the_cells_openpyxl_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = load_rules([RULES], RULES.parent)
    data = _workbook()
    fast_problems, slow_problems = Problems(), Problems()
    fast = _calamine_tables(data, "roster.facts.xlsx", SheetReader(rules, fast_problems))
    assert fast is not None
    monkeypatch.setattr(spreadsheet, "_calamine_tables", lambda *_: None)
    slow, _ = _read_xlsx(data, "roster.facts.xlsx", SheetReader(rules, slow_problems))
    assert slow is not None
    assert [(t.kind, t.sheet, t.where) for t in fast] == [(t.kind, t.sheet, t.where) for t in slow]
    for f, s in zip(fast, slow, strict=True):
        assert _as_read(f.rows) == _as_read(s.rows)
        assert [[_text(c) for c in cells if not _blank(c)] for _, cells in f.rows] == [
            [_text(c) for c in cells if not _blank(c)] for _, cells in s.rows
        ]
    assert fast_problems.items == slow_problems.items


@pytest.mark.parametrize("cell", ["=NA()", 12345678901234567, "XFD1048576", "AAA1", "B300000"])
def test_cells_calamine_would_read_otherwise_are_left_to_openpyxl(cell: Any) -> None:
    rules = load_rules([RULES], RULES.parent)
    book = Workbook()
    sheet = book.active
    sheet.title = "Cá nhân"
    sheet.append(["Mã", "Số sáng kiến trong 2 năm liền"])
    if isinstance(cell, str) and cell[0] != "=":  # a cell far away: calamine would hold the grid up to it
        sheet[cell] = "x"
    else:
        sheet.append(["p1", cell])
    if cell == "=NA()":  # an error value as Excel caches it
        sheet["B2"] = "#N/A"
        sheet["B2"].data_type = "e"
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if isinstance(cell, int):  # openpyxl writes it as a float; a hand-made workbook may keep every digit
        data = _rewritten(data, "xl/worksheets/sheet1.xml", b"1.234567890123457e+16", str(cell).encode())
    assert _calamine_tables(data, "x.facts.xlsx", SheetReader(rules, Problems())) is None


def _rewritten(data: bytes, member: str, old: bytes, new: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == member:
                assert old in content
                content = content.replace(old, new)
            dst.writestr(info, content)
    return out.getvalue()


def _roster_workbook(folder: Path, json_folder: Path) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from excel_roster import write  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / "bench"))
    write(json_folder, folder)


def test_a_roster_from_a_workbook_is_judged_as_from_json(tmp_path: Path) -> None:
    pytest.importorskip("xlsxwriter")
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from compare import write_roster  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / "bench"))
    write_roster(tmp_path / "json", 400, "missing")
    _roster_workbook(tmp_path / "xlsx", tmp_path / "json")
    from_json, from_xlsx = run_path(tmp_path / "json"), run_path(tmp_path / "xlsx")
    assert from_xlsx.facts.tables["person"].locations  # each row its own location, kept
    assert [j.model_dump(exclude={"reasons"}) for j in from_xlsx.evaluation.judgements] == [
        j.model_dump(exclude={"reasons"}) for j in from_json.evaluation.judgements
    ]
    loc = from_xlsx.facts.tables["person"].location(3)
    assert loc is not None and (loc.sheet, loc.line, loc.column) == ("Cá nhân", 5, 1)


def test_a_problem_in_a_workbook_is_located_at_its_cell(tmp_path: Path) -> None:
    rules = load_rules([RULES], RULES.parent)
    book = Workbook()
    sheet = book.active
    sheet.title = "Cá nhân"
    sheet.append(["Mã", "Xếp loại"])
    sheet.append(["p1", "Hoàn thành tốt nhiệm vụ"])
    sheet.append(["p2", "Xuất sắc lắm"])
    book.save(tmp_path / "roster.facts.xlsx")
    with pytest.raises(UserError) as caught:
        load_facts([tmp_path / "roster.facts.xlsx"], rules, tmp_path)
    locs = [p.location for p in caught.value.problems]
    assert [(loc.sheet, loc.line, loc.column, loc.column_name) for loc in locs] == [("Cá nhân", 3, 2, "Xếp loại")]
