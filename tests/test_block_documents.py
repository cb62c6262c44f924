"""`thidua block --format xlsx|html|docx`: the block's documents read back as a person would check them."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.test_block_cli import BLOCK, thidua
from tests.test_documents import offline_page

MEMBERS = 7


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each format written once by the installed console script, all recorded in one ledger."""
    out = tmp_path_factory.mktemp("block-docs")
    ledger = out / "l.sqlite"
    paths = {"ledger": ledger}
    for fmt in ("xlsx", "html", "docx"):
        target = out / f"khoi.{fmt}"
        done = thidua("block", str(BLOCK), "--format", fmt, "--out", str(target), ledger=ledger)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == str(target)
        paths[fmt] = target
    return paths


def test_xlsx_sheets_values_and_number_formats(produced: dict[str, Path]) -> None:
    book = load_workbook(produced["xlsx"])
    assert book.sheetnames == ["Bảng điểm", "Chấm điểm chi tiết", "Đề nghị", "Chỉ tiêu chờ kết quả khối"]
    ws = book["Bảng điểm"]
    heads = [c.value for c in ws[1]]
    assert heads[:3] == ["Hạng", "Thành viên", "Thư mục"] and "Tổng điểm" in heads
    low, high = heads.index("Tổng điểm thấp nhất") + 1, heads.index("Tổng điểm cao nhất") + 1
    rows = {r[1].value: r for r in ws.iter_rows(min_row=2)}
    assert len(rows) == MEMBERS
    first = rows["Sở Nội vụ tỉnh Bình Phước"]
    assert first[0].value == 1 and first[low - 1].value == 99 and first[low - 1].number_format == "#,##0.00"
    # a range stays a range: the text as the table shows it, and both bounds as numbers
    bdt = rows["Ban Dân tộc tỉnh Bình Phước"]
    assert bdt[0].value == "2–4" and bdt[heads.index("Tổng điểm")].value == "90,68–98,68"
    assert round(bdt[low - 1].value, 2) == 90.68 and round(bdt[high - 1].value, 2) == 98.68
    assert rows["Sở Tư pháp tỉnh Bình Phước"][-1].value == "Chưa xác định"
    assert rows["Văn phòng Đoàn ĐBQH và HĐND tỉnh"][-1].value == "Không đủ điều kiện"
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
        # fit to one page wide: XlsxWriter leaves out fitToWidth="1", the value Excel takes when it is absent
        assert (sheet.page_setup.fitToWidth or 1) == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1" and sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    colours = {r.formula[0].strip('"') for cf in ws.conditional_formatting for r in cf.rules}
    assert {"Được đề nghị", "Chưa xác định", "Không đủ điều kiện"} <= colours


def test_xlsx_items_say_where_each_point_comes_from(produced: dict[str, Path]) -> None:
    ws = load_workbook(produced["xlsx"])["Chấm điểm chi tiết"]
    heads = [c.value for c in ws[1]]
    rows = [dict(zip(heads, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    ngoai_vu = [r for r in rows if r["Thành viên"] == "Sở Ngoại vụ tỉnh Bình Phước"]
    pending = [r for r in ngoai_vu if r["Tình trạng"] == "Chờ kết quả"]
    assert pending and all(r["Điểm (thấp nhất)"] < r["Điểm (cao nhất)"] for r in pending)
    advanced = next(
        r for r in rows if r["Thành viên"] == "Sở Nội vụ tỉnh Bình Phước" and "tiên tiến" in r["Mục chấm điểm"]
    )
    assert advanced["Điểm"] == 6.5 and advanced["Điểm chuẩn"] == 6
    assert advanced["Căn cứ chấm"] == "Chỉ tiêu [units.advanced]: Vượt"
    assert any(r["Nhóm"] == "Điểm trừ" and r["Căn cứ chấm"].startswith("Điểm trừ:") for r in rows)


def test_xlsx_proposals_and_settled_targets(produced: dict[str, Path]) -> None:
    book = load_workbook(produced["xlsx"])
    props = {r[1]: r for r in book["Đề nghị"].iter_rows(min_row=2, values_only=True)}
    assert props["Sở Nội vụ tỉnh Bình Phước"][2] == "Cờ thi đua của UBND tỉnh"
    assert re.search(r"nếu xếp trên .* thì Bằng khen", props["Sở Tư pháp tỉnh Bình Phước"][4])
    settled = {r[0]: r for r in book["Chỉ tiêu chờ kết quả khối"].iter_rows(min_row=2, values_only=True)}
    assert settled["Ban Dân tộc tỉnh Bình Phước"][1:3] == ("agency.provincial_merit", "Đạt")
    assert "Khối thi đua số 6" in settled["Ban Dân tộc tỉnh Bình Phước"][3]


def test_each_document_is_in_the_ledger(produced: dict[str, Path]) -> None:
    with sqlite3.connect(produced["ledger"]) as conn:
        rows = conn.execute("SELECT run_seq, path, format FROM documents").fetchall()
    for fmt in ("xlsx", "html", "docx"):
        mine = [r for r in rows if r[1] == str(produced[fmt])]
        assert len(mine) == MEMBERS and {r[2] for r in mine} == {fmt}  # beside each member's run


def test_html_in_chromium(produced: dict[str, Path]) -> None:
    text = produced["html"].read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", text), "nothing to fetch"
    with offline_page(produced["html"]) as page:
        rows = page.locator("#ranking tbody tr")
        assert rows.count() == MEMBERS
        assert "90,68–98,68" in rows.nth(1).inner_text()
        assert page.locator(".chart svg").count() == 1
        # the chart draws the open range of a pending total as its own bars, next to the settled part
        assert page.locator(".chart svg .plot .serie-1 rect").count() == MEMBERS
        member = page.locator("details#m-so-ngoai-vu")
        assert not member.evaluate("d => d.open")
        member.locator("> summary").click()
        assert member.evaluate("d => d.open")
        shown = member.inner_text()
        assert "Công đoàn đạt xếp loại Hoàn thành tốt nhiệm vụ" in shown and "nếu xếp trên" in shown
        assert "Cờ thi đua của UBND tỉnh" in page.locator("#proposals").inner_text()
        assert page.locator("p.draft").inner_text() == "DỰ THẢO"
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, "no horizontal scroll"


def _paragraphs(path: Path) -> list[str]:
    from docx import Document

    doc = Document(str(path))
    cells = [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    # header lines as one line of plain spaces (names are broken between lines and glued inside)
    return [t.replace("\n", " ").replace("\u00a0", " ") for t in cells + [p.text for p in doc.paragraphs]]


def test_docx_minutes_header_members_and_proposals(produced: dict[str, Path]) -> None:
    text = _paragraphs(produced["docx"])
    for line in (
        "UBND TỈNH BÌNH PHƯỚC",
        "KHỐI THI ĐUA SỐ 6",
        "Số: …/BB-KTĐ6",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Bình Phước, ngày 20 tháng 12 năm 2022",  # the day of the meeting
        "DỰ THẢO",  # proposals are still pending in the example
        "BIÊN BẢN",
        "Kết quả chấm điểm, xếp hạng thi đua Khối thi đua số 6 năm 2022",
        "- Hạng 1: Sở Nội vụ tỉnh Bình Phước — tổng điểm 99,00 (Cờ thi đua của UBND tỉnh).",
        "- Hạng 2–4: Ban Dân tộc tỉnh Bình Phước — tổng điểm 90,68–98,68 (Bằng khen của Chủ tịch UBND tỉnh).",
        "- Hạng 7: Ban Quản lý các Khu công nghiệp tỉnh — tổng điểm 69,69 (Không đề nghị).",
        "- Đề nghị UBND tỉnh tặng Cờ thi đua cho: Sở Nội vụ tỉnh Bình Phước.",
        "- Đề nghị Chủ tịch UBND tỉnh tặng Bằng khen cho: Ban Dân tộc tỉnh Bình Phước.",
        # what minutes record (Decree 30/2020, biên bản): time, place, attendees, chair, secretary, vote
        "Thời gian: 08 giờ 00, ngày 20 tháng 12 năm 2022",
        "Địa điểm: Hội trường Sở Nội vụ tỉnh Bình Phước",
        "Thành phần tham dự: ",
        "+ Đại diện Ban Thi đua - Khen thưởng tỉnh",
        "Chủ trì: Trần Quốc Bảo, Giám đốc Sở Nội vụ - Khối trưởng Khối thi đua số 6",
        "Thư ký: Lê Thị Thu Hà, Chuyên viên Văn phòng Sở Nội vụ",
        "Các thành viên khối biểu quyết thông qua kết quả chấm điểm, xếp hạng và đề nghị khen thưởng: 07/07 thành"
        " viên tán thành (100%), 00 không tán thành, 00 không biểu quyết.",
        "Cuộc họp kết thúc vào 11 giờ 30 cùng ngày. Biên bản đã được đọc lại và các thành viên dự họp thông qua./.",
        # two signatures: the secretary's on the left, the chair's on the right
        "THƯ KÝ",
        "Lê Thị Thu Hà",
        "CHỦ TỌA",
        "Trần Quốc Bảo",
    ):
        assert line in text, line
    # no run id in the body: the minutes are the meeting's
    assert not any(re.search(r"\b[0-9a-f]{12}\b", t) for t in text)
    # each member's points criterion by criterion, in the appendix
    doc = Document(str(produced["docx"]))
    scores = [t for t in doc.tables if t.rows[0].cells[0].text == "Mục chấm điểm"]
    assert len(scores) == MEMBERS
    first = [[c.text for c in row.cells] for row in scores[0].rows]
    assert ["Thực hiện chỉ tiêu thi đua đối với tập thể", "30", "31,50"] in first
    assert ["Tập thể phòng đạt Tập thể lao động tiên tiến", "6,00", "6,50"] in first
    assert sum(1 for t in text if t.startswith("- Hạng ")) == MEMBERS
    pending = [t for t in text if t.startswith("+ Chưa xác định: Sở Tư pháp")]
    assert pending and "nếu xếp trên" in pending[0] and pending[0].endswith(".")
    assert not any("{{" in t or "{%" in t for t in text)


def test_docx_without_agency_prints_dots(tmp_path: Path) -> None:
    """A block file with no `agency:` still gives the minutes, each missing header value as '…'."""
    import shutil

    copy = tmp_path / "khoi"
    shutil.copytree(BLOCK, copy)
    shutil.copytree(BLOCK.parent / "ban-dan-toc-binh-phuoc", tmp_path / "ban-dan-toc-binh-phuoc")
    source = (copy / "block.rules.yaml").read_text(encoding="utf-8")
    start = source.index("agency:")
    end = source.index("meeting:")
    (copy / "block.rules.yaml").write_text(source[:start] + source[end:], encoding="utf-8")
    out = tmp_path / "k.docx"
    done = thidua("block", str(copy), "--format", "docx", "--out", str(out), "--no-record", ledger=tmp_path / "l")
    assert done.returncode == 0, done.stderr
    text = _paragraphs(out)
    assert "Số: …/…" in text and "…, ngày 20 tháng 12 năm 2022" in text and "KHỐI THI ĐUA SỐ 6" in text


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--format", "xlsx", "--out", "{missing}/k.xlsx"], "k.xlsx"),
        (["--format", "json", "--out", "{tmp}/k.json"], "--out"),
        (["--format", "html", "--explain", "so-noi-vu"], "--explain"),
    ],
)
def test_document_errors_exit_2_located(tmp_path: Path, args: list[str], needle: str) -> None:
    shown = [a.format(missing=tmp_path / "nowhere", tmp=tmp_path) for a in args]
    done = thidua("block", str(BLOCK), *shown, "--no-record", ledger=tmp_path / "l.sqlite")
    assert done.returncode == 2
    assert needle in done.stderr


def test_unwritable_out_exit_2(tmp_path: Path) -> None:
    """--out naming a folder cannot be written (even as root): one located message, exit 2."""
    folder = tmp_path / "a-folder.xlsx"
    folder.mkdir()
    done = thidua("block", str(BLOCK), "--format", "xlsx", "--out", str(folder), ledger=tmp_path / "l.sqlite")
    assert done.returncode == 2 and "a-folder.xlsx" in done.stderr
