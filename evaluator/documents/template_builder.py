"""Builds the shipped Word template (Decree 30/2020 layout, docxtpl placeholders) with python-docx.

The committed `templates/bao_cao.docx` is this script's output, so the layout stays reviewable as
code and regenerable: `.venv/bin/python -m thidua.evaluator.documents.template_builder`. An admin
may edit a copy in Word (thidua init puts one in the agency folder) and pass it with --template.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

TEMPLATE = Path(__file__).with_name("templates") / "bao_cao.docx"
BLOCK_TEMPLATE = TEMPLATE.with_name("bien_ban_khoi.docx")  # the block's minutes: same layout, own title
FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13
CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def _font(run_or_style: object, size: float, bold: bool = False, italic: bool = False) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(
    container: object,
    text: str,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = JUSTIFY,
    indent_mm: float = 0,
    before: float = 0,
    after: float = 6,
) -> Paragraph:
    p: Paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.15 if container.__class__.__name__ == "Document" else 1.0
    if indent_mm:
        fmt.first_line_indent = Mm(indent_mm)
    if text:
        _font(p.add_run(text), size, bold, italic)
    return p


def _rule(cell: _Cell, side_mm: float) -> None:
    """A short horizontal rule under the line above: an empty paragraph with a top border, narrowed
    by equal indents so it sits centred under the name (Decree 30/2020: a solid line under the
    issuing body and under the motto)."""
    p = cell.add_paragraph()
    p.paragraph_format.left_indent = Mm(side_mm)
    p.paragraph_format.right_indent = Mm(side_mm)
    p.paragraph_format.space_after = Pt(4)
    p.paragraph_format.space_before = Pt(2)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    ppr.append(borders)
    _font(p.add_run(""), 4)
    p.paragraph_format.line_spacing = Pt(4)


def _no_borders(table: object) -> None:
    tbl = table._tbl  # type: ignore[attr-defined]
    tblpr = tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    tblpr.append(borders)


def _cell_width(cell: _Cell, mm: float) -> None:
    cell.width = Mm(mm)


def _two_columns(doc: object, left_mm: float, right_mm: float, rows: int = 1) -> list[tuple[_Cell, _Cell]]:
    """A borderless table of `rows` rows and two columns of the given widths, cells left empty."""
    table = doc.add_table(rows=rows, cols=2)  # type: ignore[attr-defined]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    # LibreOffice and Word lay out by the grid, not only the cells' widths
    for col, mm in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), (left_mm, right_mm), strict=True):
        col.set(qn("w:w"), str(int(Mm(mm).twips)))
    out = []
    for row in table.rows:
        left, right = row.cells
        _cell_width(left, left_mm)
        _cell_width(right, right_mm)
        for cell in (left, right):
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
        out.append((left, right))
    return out


def build_template(
    title: str = "Báo cáo kết quả thực hiện phong trào thi đua",
    comments: str = "Mẫu báo cáo theo Nghị định 30/2020/NĐ-CP; các chỗ điền trong ngoặc nhọn kép do thidua report điền.",
) -> bytes:
    """The template as .docx bytes: A4, margins 20/20/30/15 mm, Times New Roman 14 pt, header table,
    body loop over typed blocks, closing, recipients and signer, the findings appendix."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    _font(normal, BODY_PT)
    props = doc.core_properties
    props.title = title
    props.author = "thidua"
    props.comments = comments

    # Header: issuing body on the left, national name and motto on the right (Phụ lục I, Decree 30/2020).
    # Two rows, so that "Số: …" and the place and date stand on one line as the decree shows them.
    # 175 mm, a little wider than the text (165 mm) and centred on it, as official templates do, so
    # that neither the issuing body nor the national name wraps.
    (left, right), (number, date) = _two_columns(doc, 80, 95, rows=2)
    _para(left, "{{ header.parent }}", 12, align=CENTER, after=0)
    _para(left, "{{ header.name }}", 12, bold=True, align=CENTER, after=0)
    _rule(left, 27)
    _para(right, "{{ header.national }}", 12, bold=True, align=CENTER, after=0)
    _para(right, "{{ header.motto }}", HEADER_PT, bold=True, align=CENTER, after=0)
    _rule(right, 19)
    _para(number, "{{ header.number }}", HEADER_PT, align=CENTER, after=0)
    _para(date, "{{ header.place_date }}", BODY_PT, italic=True, align=CENTER, after=0)

    _para(doc, "{%p if header.draft %}", after=0)
    _para(doc, "{{ header.draft }}", BODY_PT, bold=True, align=CENTER, before=12, after=0)
    _para(doc, "{%p endif %}", after=0)
    _para(doc, "{{ header.doc_type }}", BODY_PT, bold=True, align=CENTER, before=18, after=0)
    _para(doc, "{{ header.summary }}", BODY_PT, bold=True, align=CENTER, after=12)

    # Body: one typed block per paragraph; each kind has its own paragraph style below.
    _para(doc, "{%p for b in body %}", after=0)
    _para(doc, "{%p if b.kind == 'part' %}", after=0)
    _para(doc, "{{ b.text }}", BODY_PT, bold=True, align=CENTER, before=12, after=0)
    _para(doc, "{%p elif b.kind == 'part_title' %}", after=0)
    _para(doc, "{{ b.text }}", BODY_PT, bold=True, align=CENTER, after=12)
    _para(doc, "{%p elif b.kind == 'roman' %}", after=0)
    _para(doc, "{{ b.text }}", BODY_PT, bold=True, indent_mm=10, before=6)
    _para(doc, "{%p elif b.kind == 'arabic' %}", after=0)
    _para(doc, "{{ b.text }}", BODY_PT, bold=True, italic=False, indent_mm=10)
    _para(doc, "{%p elif b.kind == 'dash' %}", after=0)
    _para(doc, "- {{ b.text }}", BODY_PT, indent_mm=10)
    _para(doc, "{%p elif b.kind == 'plus' %}", after=0)
    _para(doc, "+ {{ b.text }}", BODY_PT, indent_mm=10)
    _para(doc, "{%p else %}", after=0)
    _para(doc, "{{ b.text }}", BODY_PT, indent_mm=10)
    _para(doc, "{%p endif %}", after=0)
    _para(doc, "{%p endfor %}", after=0)
    _para(doc, "{{ closing }}", BODY_PT, indent_mm=10, after=12)

    # Recipients bottom left (12 pt bold italic label, 11 pt list), signer bottom right.
    ((left, right),) = _two_columns(doc, 75, 90)
    _para(left, "{{ recipients_label }}", 12, bold=True, italic=True, align=LEFT, after=0)
    _para(left, "{%p for r in recipients %}", 11, align=LEFT, after=0)
    _para(left, "- {{ r }};", 11, align=LEFT, after=0)
    _para(left, "{%p endfor %}", 11, align=LEFT, after=0)
    _para(right, "{{ signer.capacity }}", BODY_PT, bold=True, align=CENTER, after=0)
    _para(right, "{{ signer.position }}", BODY_PT, bold=True, align=CENTER, after=0)
    for _ in range(4):
        _para(right, "", BODY_PT, align=CENTER, after=0)
    _para(right, "{{ signer.name }}", BODY_PT, bold=True, align=CENTER, after=0)

    # The appendix the council can drop: findings only, never a verdict.
    _para(doc, "{%p if appendix %}", after=0)
    brk = _para(doc, "", after=0)
    brk.add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "{{ appendix_title }}", BODY_PT, bold=True, align=CENTER, after=6)
    _para(doc, "{{ appendix_intro }}", 13, italic=True, indent_mm=10)
    _para(doc, "{%p for a in appendix %}", after=0)
    _para(doc, "{{ loop.index }}. {{ a }}", BODY_PT, indent_mm=10)
    _para(doc, "{%p endfor %}", after=0)
    _para(doc, "{%p endif %}", after=0)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def main() -> None:
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_bytes(build_template())
    BLOCK_TEMPLATE.write_bytes(
        build_template(
            "Biên bản kết quả chấm điểm, xếp hạng thi đua của khối",
            "Mẫu biên bản theo Nghị định 30/2020/NĐ-CP; các chỗ điền trong ngoặc nhọn kép do thidua block điền.",
        )
    )


if __name__ == "__main__":  # pragma: no cover
    main()
