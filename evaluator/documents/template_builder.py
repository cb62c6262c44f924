"""Builds the shipped Word templates (the report and the block's minutes) with python-docx.

The committed `templates/bao_cao.docx` and `templates/bien_ban_khoi.docx` are this script's output,
so the layout stays reviewable as code and regenerable:
`.venv/bin/python -m thidua.evaluator.documents.template_builder`. An admin may edit a copy in Word
(thidua init puts one in the agency folder) and pass it with --template.

One template draws both layouts an agency may ask for (`agency: format:`): the State's (Decree
30/2020/NĐ-CP, Phụ lục I) and the Party's (Hướng dẫn 36-HD/VPTW, Phụ lục 3); the header's words
(national name, motto, number) come from the report, the sizes and rules of each layout from here.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Literal

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from thidua.evaluator.documents.typeset import BODY_NAME_PT, HEADER_LEFT_MM, HEADER_RIGHT_MM

TEMPLATE = Path(__file__).with_name("templates") / "bao_cao.docx"
BLOCK_TEMPLATE = TEMPLATE.with_name("bien_ban_khoi.docx")  # the block's minutes: same header, own body and end
FONT = "Times New Roman"
LANGUAGE = "vi-VN"  # so that Word checks the spelling in Vietnamese, not English
BODY_PT = 14
HEADER_PT = 13
CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
Kind = Literal["report", "minutes"]
PARTY = "{%p if header.layout == 'dang' %}"  # the Party's layout; the State's in the {%p else %} branch


def _language(rpr: object) -> None:
    """Vietnamese as the language of a run or style (w:lang), replacing python-docx's en-US."""
    element = rpr  # an rPr element
    lang = element.find(qn("w:lang"))  # type: ignore[attr-defined]
    if lang is None:
        lang = OxmlElement("w:lang")
        element.append(lang)  # type: ignore[attr-defined]
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")


def _font(run_or_style: object, size: float, bold: bool = False, italic: bool = False, underline: bool = False) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.underline = underline
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    _language(rpr)


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
    underline: bool = False,
    keep: bool = False,
) -> Paragraph:
    p: Paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.15 if container.__class__.__name__ == "Document" else 1.0
    fmt.widow_control = True
    if keep:  # on the page of the paragraph after it
        fmt.keep_with_next = True
    if indent_mm:
        fmt.first_line_indent = Mm(indent_mm)
    if text:
        _font(p.add_run(text), size, bold, italic, underline)
    return p


def _tag(container: object, tag: str) -> None:
    """A paragraph holding only a docxtpl tag ({%p … %}): docxtpl removes it when rendering."""
    _para(container, tag, after=0)


def _rule(cell: object, side_mm: float, after: float = 4, before: float = 2) -> None:
    """A short horizontal rule under the line above: an empty paragraph with a top border, narrowed
    by equal indents so it sits centred under the words (Decree 30/2020: a solid line under the
    issuing body, under the motto and under the summary)."""
    p = cell.add_paragraph()  # type: ignore[attr-defined]
    p.paragraph_format.left_indent = Mm(side_mm)
    p.paragraph_format.right_indent = Mm(side_mm)
    p.paragraph_format.space_after = Pt(after)
    p.paragraph_format.space_before = Pt(before)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    ppr.append(borders)
    _font(p.add_run(""), 4)
    p.paragraph_format.line_spacing = Pt(4)


def _no_borders(table: Table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    tblpr.append(borders)


def _unsplit(table: Table) -> None:
    """Each row of the table stays on one page (w:cantSplit): a signature block never leaves the
    signer's name alone on the next page."""
    for row in table.rows:
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))


def _two_columns(
    doc: object, left_mm: float, right_mm: float, rows: int = 1
) -> tuple[Table, list[tuple[_Cell, _Cell]]]:
    """A borderless table of `rows` rows and two columns of the given widths, and its cells, left empty."""
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
        left.width, right.width = Mm(left_mm), Mm(right_mm)
        for cell in (left, right):
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
        out.append((left, right))
    return table, out


def _field(paragraph: Paragraph, instruction: str, size: float) -> None:
    """A Word field (PAGE) in a paragraph: the page number, worked out by Word or LibreOffice."""
    run = paragraph.add_run()
    _font(run, size)
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._r.append(shown)


def _page_numbers(doc: object) -> None:
    """Page numbers centred in the top margin from page 2 on, 14 pt upright, as both Decree 30/2020
    (Phụ lục I, khoản 4) and Hướng dẫn 36-HD/VPTW have them: the first page shows none."""
    section = doc.sections[0]  # type: ignore[attr-defined]
    section.different_first_page_header_footer = True
    section.header_distance = Mm(10)
    header = section.header
    p = header.paragraphs[0]
    p.alignment = CENTER
    _field(p, "PAGE", BODY_PT)


def _vietnamese_defaults(doc: object) -> None:
    """The document's default language and font (docDefaults and the Normal style) in Vietnamese."""
    styles = doc.styles.element  # type: ignore[attr-defined]
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _language(rpr)
    normal = doc.styles["Normal"]  # type: ignore[attr-defined]
    _font(normal, BODY_PT)
    for style in doc.styles:  # type: ignore[attr-defined]
        element = style.element
        found = element.find(qn("w:rPr"))
        if found is not None and found.find(qn("w:lang")) is not None:
            _language(found)


def _header(doc: object) -> None:
    """The header table: issuing body on the left, national name (and motto) on the right, then the
    number and the place and date on one row, in the layout the report names (`header.layout`).

    State (Decree 30/2020): parent body 12 pt upright, issuing body 12 pt bold, a short rule under it;
    national name 12 pt bold, motto 13 pt bold with a rule as long as it; "Số: …/BC-…" 13 pt.
    Party (36-HD/VPTW): "ĐẢNG CỘNG SẢN VIỆT NAM" 15 pt bold with a solid line under it as long as the
    words (drawn as its underline); the superior body 14 pt upright over the issuing body 14 pt bold
    and "*"; "Số 12-BC/HU" 14 pt. Both: the place and date 14 pt italic.
    175 mm wide, a little wider than the text (165 mm) and centred on it, as official templates are."""
    _, ((left, right), (number, date)) = _two_columns(doc, HEADER_LEFT_MM, HEADER_RIGHT_MM, rows=2)
    party, state = BODY_NAME_PT["dang"], BODY_NAME_PT["nha_nuoc"]  # the sizes report.py breaks the lines for
    _tag(left, PARTY)
    _tag(left, "{%p if header.parent %}")
    _para(left, "{{ header.parent }}", party, align=CENTER, after=0)
    _tag(left, "{%p endif %}")
    _para(left, "{{ header.name }}", party, bold=True, align=CENTER, after=0)
    _para(left, "{{ header.mark }}", party, align=CENTER, after=0)
    _tag(left, "{%p else %}")
    _tag(left, "{%p if header.parent %}")
    _para(left, "{{ header.parent }}", state, align=CENTER, after=0)
    _tag(left, "{%p endif %}")
    _para(left, "{{ header.name }}", state, bold=True, align=CENTER, after=0)
    _rule(left, 27)
    _tag(left, "{%p endif %}")

    _tag(right, PARTY)
    _para(right, "{{ header.national }}", 15, bold=True, underline=True, align=CENTER, after=0)
    _tag(right, "{%p else %}")
    _para(right, "{{ header.national }}", state, bold=True, align=CENTER, after=0)
    _para(right, "{{ header.motto }}", HEADER_PT, bold=True, align=CENTER, after=0)
    _rule(right, 19)
    _tag(right, "{%p endif %}")

    _tag(number, PARTY)
    _para(number, "{{ header.number }}", BODY_PT, align=CENTER, after=0)
    _tag(number, "{%p else %}")
    _para(number, "{{ header.number }}", HEADER_PT, align=CENTER, after=0)
    _tag(number, "{%p endif %}")
    _para(date, "{{ header.place_date }}", BODY_PT, italic=True, align=CENTER, after=0)


def _title(doc: object) -> None:
    """ "DỰ THẢO" while the report is a draft, the document type and its summary, and under the summary
    a short rule (State: a third of the line) or five hyphens (Party)."""
    _tag(doc, "{%p if header.draft %}")
    _para(doc, "{{ header.draft }}", BODY_PT, bold=True, align=CENTER, before=12, after=0)
    _tag(doc, "{%p endif %}")
    _tag(doc, PARTY)
    _para(doc, "{{ header.doc_type }}", 16, bold=True, align=CENTER, before=18, after=0)
    _para(doc, "{{ header.summary }}", BODY_PT, bold=True, align=CENTER, after=0)
    _para(doc, "-----", BODY_PT, align=CENTER, after=12)
    _tag(doc, "{%p else %}")
    _para(doc, "{{ header.doc_type }}", BODY_PT, bold=True, align=CENTER, before=18, after=0)
    _para(doc, "{{ header.summary }}", BODY_PT, bold=True, align=CENTER, after=0)
    _rule(doc, 60, after=12, before=5)
    _tag(doc, "{%p endif %}")


def _body(doc: object) -> None:
    """One typed block per paragraph; each kind has its own paragraph style. A heading keeps with the
    paragraph after it, so that it never ends a page."""
    _tag(doc, "{%p for b in body %}")
    _tag(doc, "{%p if b.kind == 'part' %}")
    _para(doc, "{{ b.text }}", BODY_PT, bold=True, align=CENTER, before=12, after=0, keep=True)
    _tag(doc, "{%p elif b.kind == 'part_title' %}")
    _para(doc, "{{ b.text }}", BODY_PT, bold=True, align=CENTER, after=12, keep=True)
    _tag(doc, "{%p elif b.kind == 'roman' %}")
    _para(doc, "{{ b.text }}", BODY_PT, bold=True, indent_mm=10, before=6, keep=True)
    _tag(doc, "{%p elif b.kind == 'arabic' %}")
    _para(doc, "{{ b.text }}", BODY_PT, bold=True, indent_mm=10, keep=True)
    _tag(doc, "{%p elif b.kind == 'dash' %}")
    _para(doc, "- {{ b.text }}", BODY_PT, indent_mm=10)
    _tag(doc, "{%p elif b.kind == 'plus' %}")
    _para(doc, "+ {{ b.text }}", BODY_PT, indent_mm=10)
    _tag(doc, "{%p elif b.kind == 'field' %}")
    p = _para(doc, "", BODY_PT, indent_mm=10)
    _font(p.add_run("{{ b.label }} "), BODY_PT, bold=True)
    _font(p.add_run("{{ b.text }}"), BODY_PT)
    _tag(doc, "{%p else %}")
    _para(doc, "{{ b.text }}", BODY_PT, indent_mm=10)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")


def _recipients(cell: object) -> None:
    """ "Nơi nhận:" and its list (State: 12 pt bold italic over 11 pt; Party: 14 pt underlined over
    12 pt); each line's closing punctuation comes with it from the report (the last one a full stop)."""
    _tag(cell, PARTY)
    _para(cell, "{{ recipients_label }}", BODY_PT, underline=True, align=LEFT, after=0, keep=True)
    _tag(cell, "{%p for r in recipients %}")
    _para(cell, "- {{ r }}", 12, align=LEFT, after=0, keep=True)
    _tag(cell, "{%p endfor %}")
    _tag(cell, "{%p else %}")
    _para(cell, "{{ recipients_label }}", 12, bold=True, italic=True, align=LEFT, after=0, keep=True)
    _tag(cell, "{%p for r in recipients %}")
    _para(cell, "- {{ r }}", 11, align=LEFT, after=0, keep=True)
    _tag(cell, "{%p endfor %}")
    _tag(cell, "{%p endif %}")


def _signer(cell: object, name: str) -> None:
    """A signer (`name` is the context key: signer, chair, secretary): capacity and position upper case
    (the Party writes the position upright, not bold), room for the signature and seal, the name bold."""
    _tag(cell, f"{{%p if {name}.capacity %}}")
    _para(cell, f"{{{{ {name}.capacity }}}}", BODY_PT, bold=True, align=CENTER, after=0, keep=True)
    _tag(cell, "{%p endif %}")
    _tag(cell, PARTY)
    _para(cell, f"{{{{ {name}.position }}}}", BODY_PT, align=CENTER, after=0, keep=True)
    _tag(cell, "{%p else %}")
    _para(cell, f"{{{{ {name}.position }}}}", BODY_PT, bold=True, align=CENTER, after=0, keep=True)
    _tag(cell, "{%p endif %}")
    for _ in range(4):
        _para(cell, "", BODY_PT, align=CENTER, after=0, keep=True)
    _para(cell, f"{{{{ {name}.name }}}}", BODY_PT, bold=True, align=CENTER, after=0)


def _appendices(doc: object) -> None:
    """The findings: what the council checks before signing, never a verdict."""
    _tag(doc, "{%p if appendix %}")
    brk = _para(doc, "", after=0)
    brk.add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "{{ appendix_title }}", BODY_PT, bold=True, align=CENTER, after=6)
    _para(doc, "{{ appendix_intro }}", 13, italic=True, indent_mm=10)
    _tag(doc, "{%p for a in appendix %}")
    _para(doc, "{{ loop.index }}. {{ a }}", BODY_PT, indent_mm=10)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")


def _grid(doc: object, widths_mm: tuple[float, ...]) -> Table:
    """A table with borders (Table Grid) and fixed column widths, rows added by the caller."""
    table = doc.add_table(rows=0, cols=len(widths_mm))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, mm in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(mm).twips)))
    made: Table = table
    return made


def _row(table: Table, texts: tuple[str, ...], widths_mm: tuple[float, ...], bold: bool = False) -> None:
    """A row of cells each holding one paragraph (13 pt; numbers to the right), kept on one page."""
    row = table.add_row()  # type: ignore[no-untyped-call]
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for i, (cell, text, mm) in enumerate(zip(row.cells, texts, widths_mm, strict=True)):
        cell.width = Mm(mm)
        p = cell.paragraphs[0]
        p.alignment = LEFT if i == 0 else WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.space_after = Pt(0)
        if text:
            _font(p.add_run(text), 13, bold=bold)


def _scores(doc: object) -> None:
    """The minutes' appendix: for each member, its points criterion by criterion, each group's row in
    bold over its items (a table per member; the header row repeats on a new page)."""
    widths = (115.0, 25.0, 25.0)
    _tag(doc, "{%p if scores %}")
    brk = _para(doc, "", after=0)
    brk.add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "{{ scores_title }}", BODY_PT, bold=True, align=CENTER, after=6)
    _tag(doc, "{%p for m in scores %}")
    _para(doc, "{{ m.title }}", BODY_PT, bold=True, before=6, after=3, keep=True)
    table = _grid(doc, widths)
    _row(table, ("{{ scores_heads[0] }}", "{{ scores_heads[1] }}", "{{ scores_heads[2] }}"), widths, bold=True)
    head = table.rows[0]._tr.get_or_add_trPr()
    head.append(OxmlElement("w:tblHeader"))
    _row(table, ("{%tr for r in m.rows %}", "", ""), widths)
    _row(table, ("{%tr if r.group %}", "", ""), widths)
    _row(table, ("{{ r.title }}", "{{ r.max }}", "{{ r.points }}"), widths, bold=True)
    _row(table, ("{%tr else %}", "", ""), widths)
    _row(table, ("{{ r.title }}", "{{ r.max }}", "{{ r.points }}"), widths)
    _row(table, ("{%tr endif %}", "", ""), widths)
    _row(table, ("{%tr endfor %}", "", ""), widths)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")


TITLES = {
    "report": (
        "Báo cáo kết quả thực hiện phong trào thi đua",
        "Mẫu báo cáo theo Nghị định 30/2020/NĐ-CP và Hướng dẫn 36-HD/VPTW; các chỗ điền trong ngoặc nhọn kép "
        "do thidua report điền.",
    ),
    "minutes": (
        "Biên bản kết quả chấm điểm, xếp hạng thi đua của khối",
        "Mẫu biên bản theo Nghị định 30/2020/NĐ-CP và Hướng dẫn 36-HD/VPTW; các chỗ điền trong ngoặc nhọn kép "
        "do thidua block điền.",
    ),
}


def build_template(kind: Kind = "report") -> bytes:
    """The template as .docx bytes: A4, margins 20/20/30/15 mm, Times New Roman 14 pt in Vietnamese,
    page numbers from page 2, the header of either layout, the body loop over typed blocks, then
    the report's closing, recipients and signer (or the minutes' closing and its two signatures:
    the secretary's and the chair's), and the appendices."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _vietnamese_defaults(doc)
    _page_numbers(doc)
    title, comments = TITLES[kind]
    props = doc.core_properties
    props.title = title
    props.author = "thidua"
    props.comments = comments
    props.language = LANGUAGE

    _header(doc)
    _title(doc)
    _body(doc)
    _para(doc, "{{ closing }}", BODY_PT, indent_mm=10, after=12, keep=True)
    if kind == "report":
        table, ((left, right),) = _two_columns(doc, 75, 90)
        _recipients(left)
        _signer(right, "signer")
        _unsplit(table)
    else:
        table, ((left, right),) = _two_columns(doc, 82, 83)
        _signer(left, "secretary")
        _signer(right, "chair")
        _unsplit(table)
        _para(doc, "", after=6)
        _recipients(doc)
        _scores(doc)
    _appendices(doc)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def main() -> None:
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_bytes(build_template("report"))
    BLOCK_TEMPLATE.write_bytes(build_template("minutes"))


if __name__ == "__main__":  # pragma: no cover
    main()
