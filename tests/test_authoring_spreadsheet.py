"""Facts from .xlsx and .csv: same verdicts as YAML, located Vietnamese errors, Excel quirks handled."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from tests.conftest import EXAMPLE_2022, run_cli

RULES = EXAMPLE_2022 / "targets.rules.yaml"
XLSX = EXAMPLE_2022 / "excel" / "roster.facts.xlsx"


def without_provenance(text: str) -> str:
    """Evaluation JSON without what names the fact file: its digest and each entity's file and line."""
    data = json.loads(text)
    data.pop("facts_digest")
    for j in data["judgements"]:
        for r in j["reasons"]:
            for e in r["entities"]:
                e.pop("file")
                e.pop("line")
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


def evaluate_json(*args: Any) -> tuple[int, str]:
    result = run_cli("evaluate", *args, "--format", "json")
    return result.exit_code, result.stdout


def test_xlsx_roster_gives_the_yaml_verdicts_byte_for_byte() -> None:
    code_yaml, from_yaml = evaluate_json(EXAMPLE_2022)
    code_xlsx, from_xlsx = evaluate_json(RULES, "--facts", XLSX)
    assert code_yaml == code_xlsx == 0
    assert without_provenance(from_xlsx) == without_provenance(from_yaml)
    assert '"file":"excel/roster.facts.xlsx"' in from_xlsx  # provenance names the workbook (compact JSON)


def test_shipped_workbook_is_what_the_script_generates(tmp_path: Path) -> None:
    from thidua.evaluator.facts.workbook import workbook_bytes
    from thidua.evaluator.run import load

    _, rules, facts = load(EXAMPLE_2022)
    assert workbook_bytes(rules, facts) == XLSX.read_bytes(), (
        "run examples/ban-dan-toc-binh-phuoc/2022/excel/make_xlsx.py"
    )


def sheets_as_csv(folder: Path, encoding: str, names: dict[str, str] | None = None) -> None:
    """Save every sheet of the shipped workbook as one CSV per kind, as Excel would."""
    book = load_workbook(XLSX)
    for sheet in book.worksheets:
        if sheet.title.startswith("_"):
            continue
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in sheet.iter_rows(values_only=True):
            writer.writerow(
                ["" if v is None else (v.strftime("%d/%m/%Y") if isinstance(v, dt.datetime) else v) for v in row]
            )
        name = (names or {}).get(sheet.title, sheet.title)
        (folder / f"{name}.facts.csv").write_bytes(buffer.getvalue().encode(encoding))


def test_csv_with_bom_gives_the_yaml_verdicts(tmp_path: Path) -> None:
    shutil.copy(RULES, tmp_path / RULES.name)
    names = {
        "Cơ quan": "organization",
        "Tập thể": "tap-the",
        "Cá nhân": "nhan-su",
        "Công đoàn cơ sở": "union",
        "Chi bộ": "chi-bo",
    }
    sheets_as_csv(tmp_path, "utf-8-sig", names)
    assert (tmp_path / "nhan-su.facts.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    code, from_csv = evaluate_json(tmp_path)
    _, from_yaml = evaluate_json(EXAMPLE_2022)
    assert code == 0
    assert without_provenance(from_csv) == without_provenance(from_yaml)


def to_cp1258(text: str) -> bytes:
    """Encode as Excel does for 'CSV (Comma delimited)' on Vietnamese Windows: a letter with its
    vowel mark (â, ơ, ư ...) and a separate combining tone mark."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + tones).encode("cp1258")
    return out


def test_csv_in_windows_1258_says_to_save_as_csv_utf8(tmp_path: Path) -> None:
    shutil.copy(RULES, tmp_path / RULES.name)
    text = "Mã,Tên,Xếp loại\ncong_doan,Công đoàn cơ sở,Hoàn thành xuất sắc nhiệm vụ\n"
    (tmp_path / "union.facts.csv").write_bytes(to_cp1258(text))
    result = run_cli("evaluate", tmp_path)
    assert result.exit_code == 2
    assert "union.facts.csv" in result.stderr and "CSV UTF-8" in result.stderr and "dòng 1" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    en = run_cli("evaluate", tmp_path, "--lang", "en")
    assert "Save As" in en.stderr and en.exit_code == 2


def make_book(path: Path, sheets: dict[str, list[list[Any]]]) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return book


PEOPLE_HEADER = [
    "Mã",
    "Họ và tên",
    "Phòng",
    "Xếp loại",
    "Công đoàn viên",
    "Xếp loại đoàn viên",
    "Ngày tuyển dụng",
    "Danh hiệu",
]


def test_excel_quirks_merged_cells_blank_rows_spaces_dates_and_nfd(tmp_path: Path) -> None:
    shutil.copy(RULES, tmp_path / RULES.name)
    path = tmp_path / "nhan-su.facts.xlsx"
    make_book(
        path,
        {
            "Phòng": [["Mã", "Tên", "Xếp loại"], ["vp", "Văn phòng", "Hoàn thành tốt nhiệm vụ"]],
            "Nhân sự": [
                [
                    "  Họ và tên ",
                    "Mã",
                    "Phòng",
                    "xếp loại",
                    "Công đoàn viên",
                    "Xếp loại đoàn viên",
                    "Ngày tuyển dụng",
                    "Danh hiệu",
                ],
                [
                    " Nguyễn Văn A ",
                    "a",
                    "vp",
                    "  hoàn thành TỐT nhiệm vụ  ",
                    "Có",
                    "Khá",
                    dt.datetime(2020, 1, 2),
                    "Lao động tiên tiến; Chiến sĩ thi đua cơ sở",
                ],
                [None, None, None, None, None, None, None, None],
                [
                    "Trần Thị B",
                    "b",
                    None,
                    unicodedata.normalize("NFD", "Hoàn thành xuất sắc nhiệm vụ"),
                    "x",
                    "xuat_sac",
                    "14/01/2019",
                    "lao_dong_tien_tien",
                ],
                ["Lê C", "c", None, "Hoàn thành nhiệm vụ", "Không", None, None, None],
            ],
        },
    )
    book = load_workbook(path)
    book["Nhân sự"].merge_cells("C2:C5")  # one department cell spanning the rows, as admins do
    book.save(path)
    result = run_cli("evaluate", tmp_path, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    data = json.loads(result.stdout)
    by_id = {j["target"]: j for j in data["judgements"]}
    assert by_id["staff.advanced_workers"]["measured"]["numerator"] == 2
    assert by_id["staff.advanced_workers"]["measured"]["denominator"] == 3
    # A recorded; B's CSTĐCS the criteria cannot decide (no column for the facts it needs): a range
    soldiers = by_id["staff.emulation_soldiers"]["measured"]
    assert (soldiers["value"], soldiers["low"], soldiers["high"]) == (None, 1, 2)
    assert by_id["union_members.rating"]["measured"]["denominator"] == 2
    from thidua.evaluator.run import load

    _, _, facts = load(tmp_path)
    people = {e.id: e for e in facts.of("person")}
    assert people["a"].name == "Nguyễn Văn A"
    assert people["c"].values["unit"] == "vp"  # filled from the merged cell
    assert people["b"].values["rating"] == 3
    assert people["a"].values["recruited_on"] == dt.date(2020, 1, 2).toordinal()
    assert people["b"].values["recruited_on"] == dt.date(2019, 1, 14).toordinal()


ERROR_CASES = [
    pytest.param(
        {"Nhân sự": [PEOPLE_HEADER[:4], ["a", "An", None, "Hoàn thành tôt nhiệm vụ"]]},
        [
            "sheet 'Nhân sự', dòng 2, cột 'Xếp loại'",
            "'Hoàn thành tôt nhiệm vụ' không phải một mức của thang xep_loai",
            "Có phải là 'Hoàn thành tốt nhiệm vụ'?",
        ],
        id="wrong-diacritic-level",
    ),
    pytest.param(
        {"Cá nhân": [["Mã", "Họ và tên", "Xếp loai"], ["a", "An", "Hoàn thành nhiệm vụ"]]},
        ["sheet 'Cá nhân', dòng 1, cột 'Xếp loai'", "Cột 'Xếp loai'", "Có phải là 'Xếp loại'?"],
        id="unknown-header",
    ),
    pytest.param(
        {"Nhan su": [["Mã"], ["a"]]},
        ["sheet 'Nhan su'", "không ứng với loại đối tượng nào", "Có phải là 'Nhân sự'?"],
        id="unknown-sheet",
    ),
    pytest.param(
        {"Cá nhân": [["Mã", "Danh hiệu"], ["a", "Lao động tiên tiến; Chiến sỹ thi đua cơ sở"]]},
        ["dòng 2, cột 'Danh hiệu'", "'Chiến sỹ thi đua cơ sở'", "Có phải là 'Chiến sĩ thi đua cơ sở'?"],
        id="unknown-title-label",
    ),
    pytest.param(
        {"Cá nhân": [["Mã", "Phòng"], ["a", "van_phongg"]], "Tập thể": [["Mã", "Tên"], ["van_phong", "Văn phòng"]]},
        ["sheet 'Cá nhân', dòng 2, cột 'Phòng'", "Có phải là mã 'van_phong' (Văn phòng)?"],
        id="unknown-unit-ref",
    ),
    pytest.param(
        {"Cá nhân": [["Mã", "Họ và tên"], ["a", "An"], ["a", "An nữa"]]},
        ["sheet 'Cá nhân', dòng 3, cột 'Mã'", "Mã 'a' đã dùng"],
        id="duplicate-id",
    ),
]


@pytest.mark.parametrize(("sheets", "expected"), ERROR_CASES)
def test_spreadsheet_errors_name_sheet_row_and_column(
    tmp_path: Path, sheets: dict[str, list[list[Any]]], expected: list[str]
) -> None:
    shutil.copy(RULES, tmp_path / RULES.name)
    make_book(tmp_path / "bang.facts.xlsx", sheets)
    result = run_cli("evaluate", tmp_path)
    assert result.exit_code == 2
    text = " ".join(result.stderr.split())
    for part in expected:
        assert part in text, text
    assert "Traceback" not in result.stdout + result.stderr


def test_csv_named_after_no_kind_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    shutil.copy(RULES, tmp_path / RULES.name)
    (tmp_path / "nhan-vien.facts.csv").write_text("Mã\na\n", encoding="utf-8")
    result = run_cli("validate", tmp_path)
    assert result.exit_code == 2
    assert "nhan-vien.facts.csv" in result.stdout and "person.facts.csv" in result.stdout


def test_damaged_workbook_is_a_located_error(tmp_path: Path) -> None:
    shutil.copy(RULES, tmp_path / RULES.name)
    (tmp_path / "roster.facts.xlsx").write_bytes(b"not a zip file")
    result = run_cli("evaluate", tmp_path)
    assert result.exit_code == 2 and "roster.facts.xlsx" in result.stderr and "Traceback" not in result.stderr
