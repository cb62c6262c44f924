"""thidua report as a person checks it: the Word report read back, the workbook opened, the page in a browser."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.conftest import EXAMPLE_2022, EXAMPLE_2023, ROOT
from tests.e2e.browser import BROWSER_ARGS, browser_or_skip
from tests.e2e.process import run_thidua
from thidua.evaluator.documents.report import restate
from thidua.evaluator.documents.template_builder import build_template
from thidua.evaluator.documents.typeset import curly_quotes
from thidua.evaluator.documents.word import shipped_template
from thidua.rules import formatting as fmt
from thidua.rules import messages

# The seed's mục III, target by target, in the words the report generates from the judgements.
VERDICT_LINES = {
    "agency.provincial_merit": "Tập thể cơ quan được UBND tỉnh tặng Bằng khen (chờ kết quả xét của Khối thi đua số 6).",
    "units.advanced": '05 tập thể phòng đạt danh hiệu "Tập thể lao động tiên tiến", gồm: Văn phòng, Phòng Kế hoạch - Tổng hợp, Phòng Tuyên truyền - Địa bàn, Phòng Chính sách - Dân tộc, Thanh tra Ban, đạt chỉ tiêu năm 2022.',
    "units.excellent": '02 tập thể phòng đạt danh hiệu "Tập thể lao động xuất sắc", gồm: Văn phòng, Phòng Kế hoạch - Tổng hợp, đạt chỉ tiêu năm 2022.',
    "units.head_certificate": "03 tập thể phòng được Trưởng ban tặng Giấy khen, gồm: Phòng Kế hoạch - Tổng hợp, Phòng Tuyên truyền - Địa bàn, Phòng Chính sách - Dân tộc, vượt 01 chỉ tiêu năm 2022.",
    "union.rating": "Công đoàn cơ sở Ban Dân tộc đạt xếp loại “Hoàn thành xuất sắc nhiệm vụ”, vượt chỉ tiêu năm 2022 (chỉ tiêu: “Hoàn thành tốt nhiệm vụ”).",
    "agency.culture": 'Cơ quan đạt danh hiệu "Cơ quan đạt chuẩn văn hóa", đạt chỉ tiêu năm 2022.',
    "party_cell.rating": 'Chi bộ đạt xếp loại "Hoàn thành tốt nhiệm vụ" trở lên (chờ kết quả xét của Đảng ủy Khối cơ quan và Doanh nghiệp tỉnh; tự đánh giá: Hoàn thành tốt nhiệm vụ).',
    "families.culture": "100% gia đình công chức, người lao động đạt danh hiệu Gia đình văn hóa, đạt chỉ tiêu năm 2022.",
    "families.no_third_child": "Thực hiện tốt công tác kế hoạch hóa gia đình, không có người sinh con thứ ba, thực tế 00, đạt chỉ tiêu năm 2022.",
    "staff.advanced_workers": "100% công chức, người lao động đạt danh hiệu Lao động tiên tiến, đạt chỉ tiêu năm 2022.",
    "staff.emulation_soldiers": "Có 03 cá nhân đạt danh hiệu Chiến sĩ thi đua cơ sở, gồm: Lê Thị Hồng Nhung, Hoàng Thị Mai, Lâm Thị Kim Oanh, vượt 01 chỉ tiêu năm 2022.",
    "staff.head_certificate": "Có 05 cá nhân được Trưởng ban tặng Giấy khen, gồm: Phạm Minh Tuấn, Bùi Đức Thắng, Điểu Văn Sơn, Lý Văn Khánh, Dương Văn Tài, đạt chỉ tiêu năm 2022.",
    "staff.provincial_merit": "Có 01 cá nhân đề nghị UBND tỉnh tặng Bằng khen, gồm: Hoàng Thị Mai, đạt chỉ tiêu năm 2022.",
    "union_members.rating": '100% công đoàn viên đạt xếp loại "xuất sắc" và "khá", đạt chỉ tiêu năm 2022.',
}


def thidua(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The installed console script as a real process."""
    return run_thidua(*map(str, args), cwd=cwd)


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seed's 2022 report with 2023 as Phần II, in each format, recorded in one ledger."""
    out = tmp_path_factory.mktemp("documents")
    paths = {}
    for kind in ("docx", "xlsx", "html"):
        target = out / f"bao-cao.{kind}"
        r = thidua(
            "report",
            EXAMPLE_2022,
            "--next",
            EXAMPLE_2023,
            "--format",
            kind,
            "--out",
            target,
            "--ledger",
            out / "l.sqlite",
        )
        assert r.returncode == 0, r.stderr
        assert "Traceback" not in r.stderr
        paths[kind] = target
    paths["ledger"] = out / "l.sqlite"
    return paths


def flat(text: str) -> str:
    """A header line as one line of plain spaces (the header breaks long names and glues place names)."""
    return text.replace("\n", " ").replace("\u00a0", " ")


def _paragraphs(path: Path) -> list[str]:
    """The body's paragraphs with plain spaces (a number is glued to its word: "năm\u00a02022")."""
    doc = Document(str(path))
    return [p.text.replace("\u00a0", " ") for p in doc.paragraphs]


def test_word_header_follows_decree_30(produced: dict[str, Path]) -> None:
    doc = Document(str(produced["docx"]))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    assert doc.styles["Normal"].font.name == "Times New Roman" and doc.styles["Normal"].font.size.pt in (13, 14)
    header = doc.tables[0]
    left = [p for row in header.rows for p in row.cells[0].paragraphs]
    right = [p for row in header.rows for p in row.cells[1].paragraphs]
    left_texts = [p.text for p in left if p.text]
    right_texts = [p.text for p in right if p.text]
    # the parent body on two lines, broken between names, the place name kept whole
    assert left_texts[0] == "CÔNG ĐOÀN VIÊN CHỨC\nTỈNH\u00a0BÌNH\u00a0PHƯỚC"
    assert [flat(t) for t in left_texts] == [
        "CÔNG ĐOÀN VIÊN CHỨC TỈNH BÌNH PHƯỚC",
        "CÔNG ĐOÀN CƠ SỞ BAN DÂN TỘC",
        "Số: …/BC-CĐCS",
    ]
    assert right_texts == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bình Phước, ngày … tháng … năm 2022",
    ]
    issuing = next(p for p in left if p.text == "CÔNG ĐOÀN CƠ SỞ BAN DÂN TỘC")
    assert all(r.bold for r in issuing.runs)
    place = next(p for p in right if p.text.startswith("Bình Phước"))
    assert all(r.italic for r in place.runs)
    texts = _paragraphs(produced["docx"])
    assert texts[:3] == [
        "DỰ THẢO",
        "BÁO CÁO",
        "Kết quả thực hiện phong trào thi đua, khen thưởng năm 2022 và phương hướng phát động phong trào thi đua năm 2023",
    ]


def test_word_body_says_each_outcome_in_the_seeds_words(produced: dict[str, Path]) -> None:
    texts = _paragraphs(produced["docx"])
    results = texts.index("III. Kết quả đạt được")
    for target, line in VERDICT_LINES.items():
        # the titles' straight quotes are printed as the typographic ones the report's own words use
        assert f"- {curly_quotes(line)}" in texts[results:], target
    assert not any('"' in t for t in texts[results:])
    assert "- Bằng khen của Thủ tướng Chính phủ: 01 cá nhân (Nguyễn Văn Hùng)." in texts


def test_word_registers_targets_and_next_years_in_part_two(produced: dict[str, Path]) -> None:
    texts = _paragraphs(produced["docx"])
    part2 = texts.index("PHẦN II")
    registered = texts[
        texts.index("I. Công tác phát động và ký kết phong trào thi đua") : texts.index("III. Kết quả đạt được")
    ]
    assert "- Phấn đấu có trên 02 cá nhân đạt danh hiệu Chiến sĩ thi đua cơ sở" in registered
    targets = texts[texts.index("II. Chỉ tiêu thi đua cụ thể trong năm 2023:") :]
    lines = [
        t for t in targets[: targets.index(next(t for t in targets if t.startswith("Trên đây")))] if t.startswith("- ")
    ]
    assert len(lines) == 14 and part2 < texts.index("II. Chỉ tiêu thi đua cụ thể trong năm 2023:")
    assert "- Phấn đấu 03 tập thể phòng đạt danh hiệu “Tập thể lao động tiên tiến”" in lines


def test_findings_go_to_the_appendix_only(produced: dict[str, Path]) -> None:
    texts = _paragraphs(produced["docx"])
    appendix = texts.index("Phụ lục: các điểm cần rà soát")
    assert any("báo cáo ghi 2 nhưng dữ kiện (theo danh sách) cho 3" in t for t in texts[appendix:])
    assert not any("báo cáo ghi 2" in t for t in texts[:appendix])
    doc = Document(str(produced["docx"]))
    signer = [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs if p.text]
    recipients = [p.text for p in doc.tables[1].rows[0].cells[0].paragraphs if p.text]
    assert signer == ["TM. BCH CÔNG ĐOÀN", "CHỦ TỊCH", "…"]
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu: CĐ, TĐKT."
    assert recipients[1:-1] == ["- CĐVC tỉnh;", "- Cấp ủy Chi bộ;", "- BCH Công đoàn;"]


def test_workbook_sheets_values_formats_and_print_settings(produced: dict[str, Path]) -> None:
    book = load_workbook(produced["xlsx"])
    assert book.sheetnames == ["Kết quả chỉ tiêu", "Danh sách đề nghị", "Bình xét", "Phát hiện"]
    ws = book["Kết quả chỉ tiêu"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 14
    by_id = {r[2]: r for r in rows}
    assert by_id["staff.emulation_soldiers"][4] == 3 and by_id["staff.emulation_soldiers"][5] == "Vượt"
    share = next(c for c in ws["E"] if c.row > 1 and ws.cell(row=c.row, column=3).value == "staff.advanced_workers")
    assert share.value == 1.0 and share.number_format == "0.0%"
    assert by_id["units.head_certificate"][7] == VERDICT_LINES["units.head_certificate"]
    assert {r.formula[0] for cf in ws.conditional_formatting for r in cf.rules} >= {
        '"Đạt"',
        '"Vượt"',
        '"Chưa có kết quả"',
    }
    for sheet in book:
        assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
        # fit to one page wide: XlsxWriter leaves out fitToWidth="1", the value Excel takes when it is absent
        assert (sheet.page_setup.fitToWidth or 1) == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1"
    assert book["Kết quả chỉ tiêu"].auto_filter.ref == "A1:H15"
    proposals = [r for r in book["Danh sách đề nghị"].iter_rows(min_row=2, values_only=True)]
    assert (None, "Chiến sĩ thi đua cơ sở", None, None, None, None) in proposals
    assert any(
        r[1] == "Hoàng Thị Mai" and r[4] == "Bằng khen của Chủ tịch UBND tỉnh" and "đề nghị" in r[5] for r in proposals
    )
    council = list(book["Bình xét"].iter_rows(min_row=2, values_only=True))
    soldiers = [r for r in council if r[0] == "Chiến sĩ thi đua cơ sở"]
    assert soldiers and all(r[2] in ("Đủ điều kiện đề nghị", "Chưa đủ tiêu chuẩn", "Chưa rõ") for r in soldiers)
    assert all(r[5].endswith("3/3 (trong hạn mức)") for r in soldiers), "the CSTĐCS cap: 15% of LĐTT"
    workers = next(r for r in council if r[0] == "Lao động tiên tiến" and r[1] == "Nguyễn Văn Hùng")
    assert "Xếp loại: Hoàn thành xuất sắc nhiệm vụ (yêu cầu ≥ Hoàn thành tốt nhiệm vụ) — đạt" in workers[3]
    findings = list(book["Phát hiện"].iter_rows(min_row=2, values_only=True))
    assert len(findings) == 1 and "cho 3" in findings[0][3]


def test_report_and_document_are_recorded_in_the_ledger(produced: dict[str, Path]) -> None:
    import hashlib

    r = thidua("audit", "show", "last", "--ledger", produced["ledger"], "--format", "json")
    assert r.returncode == 0, r.stderr
    import json

    docs = json.loads(r.stdout)["documents"]
    assert [d["format"] for d in docs] == ["html"]
    assert docs[0]["sha256"] == hashlib.sha256(produced["html"].read_bytes()).hexdigest()


def test_the_shipped_template_is_what_the_builder_makes() -> None:
    def body(data: bytes) -> list[str]:

        return [p.text for p in Document(io.BytesIO(data)).paragraphs]

    assert body(build_template()) == body(shipped_template()), (
        "run python -m thidua.evaluator.documents.template_builder"
    )
    # the block's minutes (thidua block --format docx) share the header, from the same builder
    block = shipped_template("bien_ban_khoi.docx")
    assert body(build_template("minutes")) == body(block), "run python -m thidua.evaluator.documents.template_builder"
    assert Document(io.BytesIO(block)).core_properties.title.startswith("Biên bản")


@pytest.mark.parametrize(
    ("title", "figure", "expected"),
    [
        ("Phấn đấu có trên 02 cá nhân đạt danh hiệu X", "03", "Có 03 cá nhân đạt danh hiệu X"),
        ("Phấn đấu 05 tập thể phòng đạt Y", "05", "05 tập thể phòng đạt Y"),
        ("Phấn đấu có 05 cá nhân trở lên được Z", "05", "Có 05 cá nhân được Z"),
        ("Phấn đấu trên 90% gia đình đạt W", "100%", "100% gia đình đạt W"),
        ("Công đoàn đạt xếp loại tốt", "1", None),
    ],
)
def test_restated_targets(title: str, figure: str, expected: str | None) -> None:
    assert restate(title, figure) == expected


def test_english_formats(tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    r = thidua("report", EXAMPLE_2022, "--format", "docx", "--out", out, "--lang", "en", "--no-record")
    assert r.returncode == 0, r.stderr
    texts = _paragraphs(out)
    assert "REPORT" in texts and any("exceeds the 2022 target by 01" in t for t in texts)


# --- error paths, as real processes -------------------------------------------------------------


@pytest.mark.parametrize(
    ("added", "expected"),
    [
        (["Người lập: {{ header.drafter }}"], ["«Người lập: {{ header.drafter }}»", "'drafter'"]),
        (["Ký hiệu: {{ header.number ", "}} và"], ["«Ký hiệu: {{ header.number »", "'}}'"]),
        (["Kết: {{ header.name | }}"], ["«Kết: {{ header.name | }}»", "sai cú pháp"]),
        (["{%p for x in body %}"], ["«{%p for x in body %}»", "{%p endfor %}"]),
        (["{%p endif %}"], ["«{%p endif %}»", "'endif'"]),
        (["{%p loop x %}"], ["«{%p loop x %}»", "'loop'"]),
    ],
    ids=["unknown-name", "unclosed-braces", "bad-filter", "unclosed-for", "stray-endif", "unknown-tag"],
)
def test_a_template_error_names_the_paragraph(tmp_path: Path, added: list[str], expected: list[str]) -> None:
    import io

    doc = Document(io.BytesIO(shipped_template()))
    before = len([p for p in doc.element.body.iter() if p.tag.endswith("}p")])
    for text in added:
        doc.add_paragraph(text)
    bad = tmp_path / "mau.docx"
    doc.save(str(bad))
    r = thidua(
        "report", EXAMPLE_2022, "--format", "docx", "--template", bad, "--out", tmp_path / "x.docx", "--no-record"
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert f"mau.docx: lỗi: Mẫu Word, đoạn {before + 1} " in r.stderr, r.stderr
    for words in expected:
        assert words in r.stderr, r.stderr
    assert not (tmp_path / "x.docx").exists()


def test_a_template_that_is_not_a_word_file(tmp_path: Path) -> None:
    bad = tmp_path / "mau.docx"
    bad.write_text("not a zip", encoding="utf-8")
    r = thidua(
        "report", EXAMPLE_2022, "--format", "docx", "--template", bad, "--out", tmp_path / "x.docx", "--no-record"
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr and "mau.docx" in r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--next", "no-such-folder", "--format", "docx"],
        ["--template", "no-such.docx", "--format", "docx"],
        ["--format", "pdf"],
        ["--template", "no-such.docx", "--format", "xlsx"],
    ],
    ids=["missing-next", "missing-template", "unknown-format", "template-not-docx"],
)
def test_bad_arguments_exit_2(tmp_path: Path, args: list[str]) -> None:
    r = thidua("report", EXAMPLE_2022, *args, "--out", tmp_path / "x", "--no-record", cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr


def test_init_puts_the_template_in_the_new_folder(tmp_path: Path) -> None:
    r = thidua("init", tmp_path / "cq")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "cq" / "bao_cao.docx").read_bytes() == shipped_template()


# --- the HTML page in a real browser ----------------------------------------------------------


@contextmanager
def offline_page(path: Path) -> Iterator[Any]:
    """The page opened in headless Chromium at 1280 px, after checking it logged no error and asked
    for nothing over the network (skipped without a browser, failed under CI=true)."""
    executable = browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
        page.goto(path.as_uri())
        assert errors == [] and requests == []
        yield page
        browser.close()


def test_html_opens_offline_in_chromium(produced: dict[str, Path], tmp_path: Path) -> None:
    html = produced["html"].read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html), "nothing to fetch"
    with offline_page(produced["html"]) as page:
        assert page.locator("#verdicts tbody tr").count() == 14
        assert page.locator("section.target svg").count() >= 8
        details = page.locator("#t-staff\\.emulation_soldiers > details")
        details.locator("> summary").click()
        assert details.evaluate("d => d.open")
        assert details.locator("> pre").inner_text().strip().startswith("- id: staff.emulation_soldiers")
        assert "Lê Thị Hồng Nhung" in details.inner_text() and "roster.facts.yaml:" in details.inner_text()
        derived = details.locator("details.derivation").first  # how the title itself was earned, nested
        derived.locator("> summary").click()
        assert derived.evaluate("d => d.open")
        assert "Danh hiệu xét theo tiêu chuẩn: Chiến sĩ thi đua cơ sở" in derived.inner_text()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, "no horizontal scroll at 1280 px"
        page.set_viewport_size({"width": 390, "height": 844})  # a phone: charts and ids shrink or wrap
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "no horizontal scroll at 390 px"
        page.set_viewport_size({"width": 1280, "height": 900})
        pdf = tmp_path / "page.pdf"
        page.pdf(path=str(pdf), format="A4")
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000


def test_pages_shown_in_the_docs_exist() -> None:
    for name in (
        "report-docx-page1.png",
        "report-party-docx-page1.png",
        "report-html.png",
        "block-docx-page1.png",
        "block-html.png",
    ):
        assert (ROOT / "docs" / name).stat().st_size > 10_000


def test_a_ledger_run_gives_the_same_document_again(produced: dict[str, Path], tmp_path: Path) -> None:
    again = tmp_path / "lai.docx"
    r = thidua(
        "report",
        "--run",
        "1",
        "--next",
        EXAMPLE_2023,
        "--format",
        "docx",
        "--out",
        again,
        "--ledger",
        produced["ledger"],
    )
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert _paragraphs(again) == _paragraphs(produced["docx"])
    listed = thidua("audit", "show", "1", "--ledger", produced["ledger"])
    assert listed.returncode == 0 and "lai.docx" in listed.stdout.replace("\n", "").replace(" ", "")


def test_path_and_run_together_is_a_usage_error(produced: dict[str, Path]) -> None:
    r = thidua("report", EXAMPLE_2022, "--run", "1", "--format", "docx", "--ledger", produced["ledger"])
    assert r.returncode == 2 and "Traceback" not in r.stderr and "--run" in r.stderr


def test_missing_agency_values_print_as_dots_and_a_decided_year_is_no_draft(example_copy: Path, tmp_path: Path) -> None:
    rules = example_copy / "targets.rules.yaml"
    text = rules.read_text(encoding="utf-8")
    start, end = text.index("agency:\n"), text.index("\ntargets:\n")
    rules.write_text(text[:start] + text[end:], encoding="utf-8")
    roster = example_copy / "roster.facts.yaml"
    facts = roster.read_text(encoding="utf-8")
    facts = facts.replace(
        "          state: proposed\n          awaiting: Khối thi đua số 6\n", "          state: decided\n"
    )
    start = facts.index("      rating:\n        awaiting: Đảng ủy Khối")
    end = facts.index("\n", facts.index("        note: Chi bộ tự đánh giá"))
    roster.write_text(facts[:start] + "      rating: hoan_thanh_tot" + facts[end:], encoding="utf-8")
    out = tmp_path / "r.docx"
    r = thidua("report", example_copy, "--format", "docx", "--out", out, "--no-record")
    assert r.returncode == 0, r.stderr
    doc = Document(str(out))
    header = [p.text for row in doc.tables[0].rows for c in row.cells for p in c.paragraphs if p.text]
    assert header[:2] == ["…", "…"] and "Số: …/…" in header and "…, ngày … tháng … năm 2022" in header
    texts = _paragraphs(out)
    assert "DỰ THẢO" not in texts and texts[0] == "BÁO CÁO"
    assert "- Tập thể cơ quan được UBND tỉnh tặng Bằng khen, đạt chỉ tiêu năm 2022." in texts
    signer = [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs if p.text]
    assert signer == ["…", "…", "…"]


def test_an_unknown_agency_key_is_located(example_copy: Path) -> None:
    rules = example_copy / "targets.rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("  signer_position: CHỦ TỊCH\n", "  signer_positon: CHỦ TỊCH\n"), encoding="utf-8")
    line = next(i for i, t in enumerate(rules.read_text(encoding="utf-8").splitlines(), 1) if "signer_positon" in t)
    r = thidua("report", example_copy, "--format", "docx", "--out", example_copy / "x.docx", "--no-record")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"targets.rules.yaml:{line}:" in r.stderr and "signer_positon" in r.stderr


def test_the_html_footer_names_the_ledger_run_and_input_hashes(produced: dict[str, Path]) -> None:
    import hashlib

    html = produced["html"].read_text(encoding="utf-8")
    rules = (EXAMPLE_2022 / "targets.rules.yaml").read_text(encoding="utf-8")
    assert hashlib.sha256(rules.encode()).hexdigest() in html
    assert "Lần chạy số 3 trong sổ kiểm toán" in html


@pytest.mark.parametrize(
    ("call", "vi", "en"),
    [
        (lambda lang: fmt.percent(0.937, lang), "93,7%", "93.7%"),
        (lambda lang: fmt.percent(1.0, lang), "100%", "100%"),
        (lambda lang: fmt.percent(1 / 3, lang), "33,33%", "33.33%"),
        (lambda lang: fmt.number(1000, lang), "1.000", "1,000"),
        (lambda lang: fmt.number(2.0, lang), "2", "2"),
        (lambda lang: fmt.decimal(8.5, lang), "8,5", "8.5"),
        (lambda lang: fmt.decimal(0.1 + 0.2, lang), "0,3", "0.3"),
        (lambda lang: fmt.decimal(1234.125, lang), "1.234,125", "1,234.125"),
        (lambda lang: fmt.decimal(float("inf"), lang), "inf", "inf"),
        # more digits than the default decimal context keeps (28): every one written, no error
        (
            lambda lang: fmt.decimal(12345678901234567890.0, lang),
            "12.345.678.901.234.567.000",
            "12,345,678,901,234,567,000",
        ),
        # a message quoting a decimal from a file writes it through the same function
        (lambda lang: messages._param(8.5, lang), "8,5", "8.5"),
        # 27 to 30 digits (accepted in files, MAX_INT_DIGITS) raised InvalidOperation in every format
        (
            lambda lang: fmt.number(999_999_999_999_999_999_999_999_999, lang),
            "999.999.999.999.999.999.999.999.999",
            "999,999,999,999,999,999,999,999,999",
        ),
        (lambda lang: fmt.number(1e29, lang)[:7], "99.999.", "99,999,"),  # the float nearest 10**29
        (lambda lang: fmt.percent(10**28, lang)[-5:], ".000%", ",000%"),
        (lambda lang: fmt.fixed(Fraction(10**30, 3), 2, lang)[-6:], "333,33", "333.33"),
        (lambda lang: fmt.fixed(Fraction(-725, 8), 2, lang), "-90,63", "-90.63"),
        (lambda lang: fmt.fixed(Fraction(5, 2), 0, lang), "3", "3"),
    ],
)
def test_numbers_in_each_language(call: Any, vi: str, en: str) -> None:
    assert (call("vi"), call("en")) == (vi, en)


def test_a_long_list_goes_on_in_sheets_of_its_own_and_texts_stay_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past Excel's rows per sheet a list continues on "<name> (2)", with the same header; a text that
    looks like a formula is written as text."""
    import io as _io

    from openpyxl import load_workbook as _load

    from thidua.evaluator.documents import workbook

    monkeypatch.setattr(workbook, "MAX_ROWS", 5)  # a header and four rows per sheet
    book = workbook.Book()
    sheet = book.create_sheet("Bình xét")
    sheet.setup(["Tên", "Kết quả"], [20, 10])
    for i in range(10):
        sheet.add([f'=HYPERLINK("x","{i}")', i])
    sheet.colour(2, {"Đạt": "E2F0D9"})
    sheet.finish()
    read = _load(_io.BytesIO(book.save()))
    assert read.sheetnames == ["Bình xét", "Bình xét (2)", "Bình xét (3)"]
    rows = [r for ws in read for r in ws.iter_rows(values_only=True)]
    assert rows.count(("Tên", "Kết quả")) == 3
    assert [r[1] for r in rows if r[1] != "Kết quả"] == list(range(10))
    for ws in read:
        for row in ws.iter_rows(min_row=2):
            assert row[0].data_type == "s" and row[0].value.startswith("=HYPERLINK")
        assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"
