"""The council's Excel file: verdicts, the lists proposed for titles, the meeting worksheet, the findings.

Numbers stay numbers (a share is 0.937 shown as 93,7% by the cell format), statuses are coloured by
conditional formatting (so a corrected cell recolours itself), and every sheet prints on A4
landscape, fit to width, with its header row repeated and frozen and a filter on it.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from thidua.evaluator.documents.report import recorded_holders
from thidua.evaluator.engine.findings import Finding
from thidua.evaluator.explain.worksheet import worksheet
from thidua.evaluator.run import Run
from thidua.rules import formatting as fmt
from thidua.rules.messages import render as message

SHEET_VERDICTS = "Kết quả chỉ tiêu"
SHEET_PROPOSALS = "Danh sách đề nghị"
SHEET_COUNCIL = "Bình xét"
SHEET_FINDINGS = "Phát hiện"
SHEETS = (SHEET_VERDICTS, SHEET_PROPOSALS, SHEET_COUNCIL, SHEET_FINDINGS)

STATUS_FILL = {
    "exceeded": "C6EFCE",
    "met": "E2F0D9",
    "not_met": "FFC7CE",
    "pending": "FFEB9C",
    "error": "E4DFEC",
}
HEAD_FONT = Font(name="Times New Roman", bold=True, size=12)
BODY_FONT = Font(name="Times New Roman", size=12)
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def _m(code: str, lang: str) -> str:
    return message(f"documents.xlsx.{code}", lang)


def setup_sheet(ws: Worksheet, headers: list[str], widths: list[int], header_row: int = 1) -> None:
    """Header row, widths, and the print settings every sheet shares."""
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=header_row, column=col, value=text)
        cell.font, cell.fill, cell.border = HEAD_FONT, HEAD_FILL, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.horizontalCentered = True


def add_row(ws: Worksheet, values: list[Any], number_formats: dict[int, str] | None = None) -> int:
    ws.append(values)
    r = int(ws.max_row)
    for col in range(1, len(values) + 1):
        cell = ws.cell(row=r, column=col)
        cell.font, cell.border, cell.alignment = BODY_FONT, BOX, WRAP
        if number_formats and col in number_formats:
            cell.number_format = number_formats[col]
    return r


def colour_words(ws: Worksheet, column: str, colours: dict[str, str], first_row: int = 2) -> None:
    """Conditional fills on a column of status words, so that a corrected cell recolours itself."""
    last = max(ws.max_row, first_row)
    for word, color in colours.items():
        ws.conditional_formatting.add(
            f"{column}{first_row}:{column}{last}",
            CellIsRule(operator="equal", formula=[f'"{word}"'], fill=PatternFill("solid", bgColor=color)),
        )


def finish_sheet(ws: Worksheet, columns: int) -> None:
    if ws.max_row > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{ws.max_row}"


def _number(value: Any) -> float | int | None:
    if value is None or isinstance(value, bool):
        return None
    return float(value) if isinstance(value, float) else int(value)


def _verdicts(ws: Worksheet, run: Run, outcomes: dict[str, str], lang: str) -> None:
    headers = [_m(code, lang) for code in ("stt", "target", "id", "requirement", "result", "status", "margin", "line")]
    setup_sheet(ws, headers, [6, 48, 24, 14, 14, 16, 12, 70])
    for i, j in enumerate(run.evaluation.judgements, start=1):
        mm = j.measured
        value: Any = _number(mm.value) if mm.kind in ("count", "share", "sum") else (mm.label or mm.value)
        if mm.kind == "holds":
            value = (
                None if mm.value is None else message("documents.xlsx.yes" if mm.value else "documents.xlsx.no", lang)
            )
        required: Any = j.requirement.label or j.requirement.value
        if isinstance(required, bool):
            required = message("documents.xlsx.yes" if required else "documents.xlsx.no", lang)
        if isinstance(required, str) and required.endswith("%"):
            required = float(required.rstrip("%").replace(",", ".")) / 100
        margin = _number(j.margin.value) if j.margin is not None else None
        if j.margin is not None and j.margin.unit == "percentage_points" and margin is not None:
            margin = margin / 100
        share = fmt.EXCEL_SHARE if mm.kind == "share" else fmt.EXCEL_COUNT
        formats = {1: "0", 4: share, 5: share, 7: share if mm.kind == "share" else "+#,##0;-#,##0;0"}
        status = message(f"documents.status.{j.status}", lang)
        add_row(ws, [i, j.title, j.target, required, value, status, margin, outcomes.get(j.target, "")], formats)
    colour_words(ws, "F", {message(f"documents.status.{s}", lang): c for s, c in STATUS_FILL.items()})
    finish_sheet(ws, len(headers))


def _proposals(ws: Worksheet, run: Run, lang: str) -> None:
    """One block per title: who holds or is proposed for it, with position, unit and the basis."""
    headers = [_m(code, lang) for code in ("stt", "name", "position", "unit", "title", "basis")]
    setup_sheet(ws, headers, [6, 30, 22, 30, 36, 50])
    names = {e.id: e.name for items in run.facts.entities.values() for e in items}
    for title_id, title in run.rules.titles.items():
        holders = recorded_holders(run.facts, title_id, ("decided", "proposed"))
        if not holders:
            continue
        r = add_row(ws, [None, title.title, None, None, None, None])
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=6)
        ws.cell(row=r, column=2).font = HEAD_FONT
        for i, (e, h) in enumerate(holders, start=1):
            unit = e.shown.get("unit") or e.values.get("unit")
            unit_name = names.get(str(unit), str(unit)) if unit else ""
            state = message(f"documents.xlsx.state_{h.state}", lang)
            basis = "; ".join(
                x for x in (h.decision, h.note, f"{state}" + (f" ({h.awaiting})" if h.awaiting else "")) if x
            )
            position = e.shown.get("position") or ""
            add_row(ws, [i, e.name, position, unit_name, title.title, basis], {1: "0"})
    finish_sheet(ws, len(headers))


def _council(ws: Worksheet, run: Run, lang: str) -> None:
    """The meeting worksheet: each candidate × criterion, met or not with the deciding value, quotas."""
    headers = [_m(code, lang) for code in ("title", "name", "outcome", "deciding", "recorded", "quota")]
    setup_sheet(ws, headers, [30, 28, 18, 70, 22, 40])
    if run.derivation is None:
        finish_sheet(ws, len(headers))
        return
    sheet = worksheet(run.rules, run.derivation)
    for section in sheet["titles"]:
        quota = "; ".join(
            message(
                "documents.xlsx.quota_line",
                lang,
                title=q["title"],
                count=q["count"],
                cap=q["cap"],
                status=_m(f"quota_{q['status']}", lang),
            )
            for q in section["quotas"]
        )
        for row in section["entities"]:
            deciding = "; ".join(_check_words(c, lang) for c in row["deciding"])
            state = row["recorded"]["state"] if row["recorded"] else None
            recorded = message(f"documents.xlsx.state_{state}", lang) if state else ""
            outcome = message(f"documents.xlsx.{row['outcome']}", lang)
            add_row(ws, [section["title_label"], row["name"], outcome, deciding, recorded, quota])
    finish_sheet(ws, len(headers))


def _check_words(c: dict[str, Any], lang: str) -> str:
    """A deciding check in the worksheet's own words (the criteria.check.* messages `thidua
    candidates` prints), then its outcome: 'Xếp loại: Hoàn thành tốt nhiệm vụ (yêu cầu ≥ …) — đạt'."""
    name = message(c["label_code"], lang, label=c["label"]) if c.get("label_code") else str(c.get("label"))
    note = c.get("note")
    if note in ("missing", "derived_unknown"):
        text = message(f"criteria.check.{note}", lang, label=name)
    elif note == "awaiting":
        text = message("criteria.check.awaiting", lang, label=name, by=c.get("by"))
    elif c.get("subject") == "title":
        state = str(c.get("actual"))
        shown = message(f"documents.xlsx.state_{state}", lang) if state in ("decided", "proposed", "refused") else "—"
        text = message("criteria.check.title_line", lang, label=name, actual=shown)
    else:
        actual, expected = c.get("actual"), c.get("expected")
        yes_no = {True: message("documents.xlsx.yes", lang), False: message("documents.xlsx.no", lang)}
        text = message(
            "criteria.check.line",
            lang,
            label=name,
            actual=yes_no.get(actual, actual) if isinstance(actual, bool) else actual,
            sign=c.get("sign"),
            expected=yes_no.get(expected, expected) if isinstance(expected, bool) else expected,
        )
    flipped = {"true": "false", "false": "true"}
    raw = str(c.get("outcome"))
    outcome = message(f"documents.check.{flipped.get(raw, raw) if c.get('negated') else raw}", lang)
    negation = message("documents.check.not", lang) + " " if c.get("negated") else ""
    return f"{negation}{text} — {outcome}"


def _findings(ws: Worksheet, findings: list[Finding], texts: list[str], lang: str) -> None:
    headers = [_m(code, lang) for code in ("stt", "kind", "about", "finding")]
    setup_sheet(ws, headers, [6, 16, 30, 100])
    for i, (f, text) in enumerate(zip(findings, texts, strict=True), start=1):
        kind = message(f"documents.finding_kind.{f.kind}", lang)
        add_row(ws, [i, kind, f.params.get("name") or f.target or "", text], {1: "0"})
    finish_sheet(ws, len(headers))


def render_xlsx(
    run: Run, outcomes: dict[str, str], findings: list[Finding], texts: list[str], lang: str = "vi"
) -> bytes:
    """The workbook as .xlsx bytes; `outcomes` are the report's verdict lines, `texts` the findings in words."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = SHEET_VERDICTS
    _verdicts(first, run, outcomes, lang)
    _proposals(book.create_sheet(SHEET_PROPOSALS), run, lang)
    _council(book.create_sheet(SHEET_COUNCIL), run, lang)
    _findings(book.create_sheet(SHEET_FINDINGS), findings, texts, lang)
    book.properties.creator = "thidua"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["SHEETS", "add_row", "colour_words", "finish_sheet", "render_xlsx", "setup_sheet"]
