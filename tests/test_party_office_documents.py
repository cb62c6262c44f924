"""The Party committee office example (van-phong-huyen-uy-mau): its report in the Party's layout, and
each outcome line stating its figure and naming exactly the table's group for its target."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import ROOT
from tests.e2e.process import run_thidua
from thidua.evaluator.documents.report import build_report, failing_entities
from thidua.evaluator.run import Run, run_path

OFFICE = ROOT / "examples" / "van-phong-huyen-uy-mau" / "2024"


@pytest.fixture(scope="module")
def run() -> Run:
    return run_path(OFFICE, ())


def _line(run: Run, target: str) -> str:
    return build_report(run, [], "vi").outcomes[target]


def test_an_at_most_share_names_those_that_make_it_fail(run: Run) -> None:
    # 2 of 8 only "Hoàn thành nhiệm vụ": 25% > 20%; the line names those two, not the other six
    line = _line(run, "staff.only_done")
    assert "thực tế 25% (02/08), gồm: Bùi Văn Sơn, Huỳnh Thị Tâm, không đạt" in line
    judged = next(j for j in run.evaluation.judgements if j.target == "staff.only_done")
    table_group = [e.name for r in judged.reasons if r.code == "entities.matching" for e in r.entities]
    assert [e.name for e in failing_entities(judged)] == table_group


def test_a_sum_of_shares_names_those_outside_every_part_once(run: Run) -> None:
    line = _line(run, "staff.good_or_better")
    assert "thực tế 75% (06/08), chưa đạt: Bùi Văn Sơn, Huỳnh Thị Tâm, không đạt" in line
    assert line.count("Bùi Văn Sơn") == 1 and "Trần Văn Minh" not in line


def test_a_value_line_keeps_proper_names_and_percent(run: Run) -> None:
    assert "thứ hạng trong khối các cơ quan Đảng" in _line(run, "office.rank")
    assert "96,5%, vượt 1,5%" in _line(run, "office.on_time")


def test_every_outcome_line_states_its_figure(run: Run) -> None:
    for j in run.evaluation.judgements:
        if j.measured.kind == "holds":
            continue
        line = _line(run, j.target).replace("năm 2024", "").split(" (chỉ tiêu")[0]
        assert re.search(r"\d", line.removeprefix(j.title.rstrip("."))), line


def test_the_word_report_is_in_the_partys_layout(tmp_path: Path) -> None:
    out = tmp_path / "bc.docx"
    done = run_thidua("report", str(OFFICE), "--format", "docx", "--out", str(out), "--no-record")
    assert done.returncode == 0, done.stderr
    doc = Document(str(out))
    header = [p.text.replace("\n", " ").replace("\u00a0", " ") for c in doc.tables[0]._cells for p in c.paragraphs]
    assert "ĐẢNG BỘ HUYỆN HÒA THUẬN" in header and "VĂN PHÒNG HUYỆN ỦY" in header and "*" in header
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header and "Số …-BC/VPHU" in header
    texts = [p.text for p in doc.paragraphs]
    assert "kết quả thực hiện phong trào thi đua, khen thưởng năm 2024" in texts and "-----" in texts
    ending = [p.text for c in doc.tables[1]._cells for p in c.paragraphs if p.text]
    assert "T/L BAN THƯỜNG VỤ" in ending and "CHÁNH VĂN PHÒNG" in ending and "Phạm Minh Khôi" in ending
    assert "- Thường trực Huyện ủy (để b/c)," in ending and "- Lưu: VP." in ending
    assert doc.core_properties.language == "vi-VN" and doc.core_properties.author == "Văn phòng Huyện ủy"


def test_the_html_page_has_the_partys_header(tmp_path: Path) -> None:
    out = tmp_path / "bc.html"
    done = run_thidua("report", str(OFFICE), "--format", "html", "--out", str(out), "--no-record")
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    head = page[page.index("<div class=head>") : page.index("<h1>")].replace("\u00a0", " ")
    assert "<b>ĐẢNG CỘNG SẢN VIỆT NAM</b><br><i>Hòa Thuận" in head  # no motto, no empty line for it
    assert "<b>VĂN PHÒNG HUYỆN ỦY</b><br>*<br>Số …-BC/VPHU" in head
