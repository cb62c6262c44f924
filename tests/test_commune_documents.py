"""The commune example (ubnd-xa-mau): a header with no parent body, and outcome lines that state
their figures, name the table's group and mark titles derived but not decided."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from tests.conftest import ROOT
from tests.e2e.process import run_thidua
from thidua.evaluator.documents.report import build_report
from thidua.evaluator.run import run_path

COMMUNE = ROOT / "examples" / "ubnd-xa-mau" / "2024"


def test_outcome_lines_of_a_commune() -> None:
    report = build_report(run_path(COMMUNE, ()), [], "vi")
    lines = report.outcomes
    assert "thực tế 10% (01/10), gồm: La Thị Sen, không đạt" in lines["staff.not_done"]
    assert "thực tế 80% (08/10), đạt" in lines["staff.good_or_better"]
    # the departments hold the title by the criteria only, undecided: the target waits, the report is a draft
    assert lines["units.advanced"].endswith("(chưa có kết quả).") and report.header.draft == "DỰ THẢO"


def test_a_commune_header_has_no_parent_body(tmp_path: Path) -> None:
    out = tmp_path / "xa.docx"
    done = run_thidua("report", str(COMMUNE), "--format", "docx", "--out", str(out), "--no-record")
    assert done.returncode == 0, done.stderr
    doc = Document(str(out))
    left = [p.text for row in doc.tables[0].rows for p in row.cells[0].paragraphs if p.text]
    assert [t.replace("\u00a0", " ") for t in left] == ["ỦY BAN NHÂN DÂN XÃ TÂN HÒA", "Số: …/BC-UBND"]
    ending = [p.text for c in doc.tables[1]._cells for p in c.paragraphs if p.text]
    assert "TM. ỦY BAN NHÂN DÂN" in ending and "Lê Văn Hậu" in ending and "- Lưu: VT." in ending


def test_the_workbook_keeps_numbers_with_their_operator_and_unit(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "xa.xlsx"
    done = run_thidua("report", str(COMMUNE), "--format", "xlsx", "--out", str(out), "--no-record")
    assert done.returncode == 0, done.stderr
    ws = load_workbook(out).worksheets[0]
    rows = {r[2].value: r for r in ws.iter_rows(min_row=2) if r[2].value}
    rank = rows["commune.rank"]  # a rank is its number (4), not its unit, with "≤ 5" as required
    assert (rank[3].value, rank[4].value) == (5, 4)
    assert rank[3].number_format.startswith('"≤ "') and '"hạng"' in rank[4].number_format
    summed = rows["staff.good_or_better"]  # a sum of shares is a share (80,0%), not "1"
    assert summed[4].value == 0.8 and summed[4].number_format == "0.0%"
    assert rows["staff.excellent_share"][3].number_format == '"> "0.0%'  # "> 20%" apart from "≥ 20%"
