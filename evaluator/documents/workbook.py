"""The council's Excel file: verdicts, the lists proposed for titles, the meeting worksheet, the findings.

Numbers stay numbers (a share is 0.937 shown as 93,7% by the cell format), statuses are coloured by
conditional formatting (so a corrected cell recolours itself), and every sheet prints on A4
landscape, fit to width, with its header row repeated and frozen and a filter on it.
"""

from __future__ import annotations

import io
from typing import Any

import orjson
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from thidua.evaluator.documents.page import SHOWN_STATES, title_state
from thidua.evaluator.documents.report import recorded_holders
from thidua.evaluator.engine.findings import Finding
from thidua.evaluator.explain.worksheet import worksheet
from thidua.evaluator.facts.workbook import FORMULA_START
from thidua.evaluator.run import Run
from thidua.rules import formatting as fmt
from thidua.rules.messages import render as message

SHEET_VERDICTS = "Kết quả chỉ tiêu"
SHEET_PROPOSALS = "Danh sách đề nghị"
SHEET_COUNCIL = "Bình xét"
SHEET_FINDINGS = "Phát hiện"
SHEETS = (SHEET_VERDICTS, SHEET_PROPOSALS, SHEET_COUNCIL, SHEET_FINDINGS)
MAX_ROWS = 1_048_576  # Excel's rows per sheet: a longer list goes on in a sheet of its own, "<name> (2)"

STATUS_FILL = {
    "exceeded": "C6EFCE",
    "met": "E2F0D9",
    "not_met": "FFC7CE",
    "pending": "FFEB9C",
    "error": "E4DFEC",
}
# Every cell style of the documents' workbooks, defined once (XlsxWriter format properties).
FONT = {"font_name": "Times New Roman", "font_size": 12}
HEAD_STYLE = {**FONT, "bold": True, "bg_color": "#D9E1F2", "border": 1, "border_color": "#999999"}
HEAD_STYLE |= {"text_wrap": True, "valign": "vcenter", "align": "center"}
BODY_STYLE = {**FONT, "border": 1, "border_color": "#999999", "text_wrap": True, "valign": "top"}
TITLE_STYLE = {**BODY_STYLE, "bold": True}  # a title row over the rows it groups


def _m(code: str, lang: str) -> str:
    return message(f"documents.xlsx.{code}", lang)


class Book:
    """A workbook written row by row in XlsxWriter's constant-memory mode: each row goes to disk as it
    is written, so a list of a million rows costs the memory of one row. Its cell formats are made
    once per style and number format; every sheet is set up alike (`create_sheet`); a text is always
    written as a text cell, never read as a formula."""

    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.out, {"constant_memory": True, "strings_to_formulas": False})
        self.formats: dict[tuple[str, str | None, bool], Format] = {}
        self.names: set[str] = set()

    def format(self, style: str, number_format: str | None = None, quoted: bool = False) -> Format:
        """The format of a style (head, body, title; a fill colour for a conditional rule), made once;
        `quoted`: with Excel's quote prefix (`text`)."""
        key = (style, number_format, quoted)
        if key not in self.formats:
            props: dict[str, Any] = {"head": HEAD_STYLE, "body": BODY_STYLE, "title": TITLE_STYLE}.get(style, {})
            props = dict(props) if props else {"bg_color": f"#{style}"}
            if number_format is not None:
                props["num_format"] = number_format
            if quoted:
                props["quote_prefix"] = True
            self.formats[key] = self.book.add_format(props)
        return self.formats[key]

    def text(self, ws: Worksheet, row: int, col: int, text: str, style: str, number_format: str | None = None) -> None:
        """A text as a text cell, never a formula: every text of a document's workbook (names, titles,
        reasons and ids from input files, and thidua's own words) is written here. write_string never
        makes a formula ("=cmd|' /C calc'!A0" stays text); a text a spreadsheet may read as one when the
        cell is edited (facts/workbook.py FORMULA_START: = + - @, tab, CR) also gets Excel's quote
        prefix, which keeps it text and shows it as written."""
        ws.write_string(row, col, text, self.format(style, number_format, text.startswith(FORMULA_START)))

    def create_sheet(self, name: str) -> Sheet:
        return Sheet(self, name)

    def worksheet(self, name: str) -> Worksheet:
        shown, n = name[:31], 1
        while shown in self.names:
            n += 1
            suffix = f" ({n})"
            shown = name[: 31 - len(suffix)] + suffix
        self.names.add(shown)
        return self.book.add_worksheet(shown)

    def save(self, creator: str = "thidua", title: str | None = None) -> bytes:
        self.book.set_properties({"author": creator, **({"title": title} if title else {})})
        self.book.close()
        return self.out.getvalue()


class Sheet:
    """One list of rows under a header row: on as many sheets as Excel's row limit needs, each with the
    same header, widths, print settings, filter and colours."""

    def __init__(self, book: Book, name: str) -> None:
        self.book, self.name = book, name
        self.headers: list[str] = []
        self.widths: list[int] = []
        self.colours: list[tuple[int, dict[str, str]]] = []
        self.parts: list[tuple[Worksheet, int]] = []  # each sheet and the rows written on it
        self.ws = book.worksheet(name)
        self.row = 0  # rows written on the current sheet

    def setup(self, headers: list[str], widths: list[int]) -> None:
        """Header row, widths, and the print settings every sheet shares: A4 landscape, fit to width,
        the header row repeated on each page and frozen."""
        self.headers, self.widths = headers, widths
        ws = self.ws
        for col, (text, width) in enumerate(zip(headers, widths, strict=True)):
            ws.set_column(col, col, width)
            self.book.text(ws, 0, col, text, "head")  # a block's group titles are input
        ws.freeze_panes(1, 0)
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ws.center_horizontally()
        self.row = 1

    def add(self, values: list[Any], number_formats: dict[int, str] | None = None, style: str = "body") -> int:
        """Write one row (number formats by 1-based column); its 1-based row number on its sheet."""
        if self.row >= MAX_ROWS:
            self._next_sheet()
        ws, r = self.ws, self.row
        for col, value in enumerate(values):
            number_format = number_formats.get(col + 1) if number_formats else None
            if isinstance(value, str) or not isinstance(value, (int, float, type(None))):
                self.book.text(ws, r, col, str(value), style, number_format)
                continue
            cell = self.book.format(style, number_format)
            if value is None:
                ws.write_blank(r, col, None, cell)
            elif isinstance(value, bool):
                ws.write_boolean(r, col, value, cell)
            else:
                ws.write_number(r, col, value, cell)
        self.row += 1
        return r + 1

    def title_row(self, text: str, first: int, last: int) -> None:
        """A row naming what the rows under it are about, its text across columns first..last (1-based)."""
        if self.row >= MAX_ROWS:
            self._next_sheet()
        body, title = self.book.format("body"), self.book.format("title")
        for col in range(first - 1):
            self.ws.write_blank(self.row, col, None, body)
        self.ws.merge_range(self.row, first - 1, self.row, last - 1, "", title)
        self.book.text(self.ws, self.row, first - 1, text, "title")
        self.row += 1

    def _next_sheet(self) -> None:
        self.parts.append((self.ws, self.row))
        self.ws = self.book.worksheet(self.name)  # named "<name> (2)", "(3)"…
        self.setup(self.headers, self.widths)

    def colour(self, column: int, colours: dict[str, str]) -> None:
        """Conditional fills on a column (1-based) of status words, so that a corrected cell recolours itself."""
        self.colours.append((column, colours))

    def finish(self) -> None:
        """The filter on the header row and the colours, on every sheet the list took."""
        for ws, rows in [*self.parts, (self.ws, self.row)]:
            last = max(rows - 1, 1)
            for column, colours in self.colours:
                for word, color in colours.items():
                    ws.conditional_format(
                        1,
                        column - 1,
                        last,
                        column - 1,
                        {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": self.book.format(color)},
                    )
            if rows > 1:
                ws.autofilter(0, 0, rows - 1, len(self.headers) - 1)


def setup_sheet(ws: Sheet, headers: list[str], widths: list[int]) -> None:
    """Header row, widths, and the print settings every sheet shares."""
    ws.setup(headers, widths)


def add_row(ws: Sheet, values: list[Any], number_formats: dict[int, str] | None = None) -> int:
    return ws.add(values, number_formats)


def colour_words(ws: Sheet, column: str, colours: dict[str, str]) -> None:
    """Conditional fills on a column (by letter) of status words, so that a corrected cell recolours itself."""
    index = 0
    for letter in column:
        index = index * 26 + ord(letter.upper()) - 64
    ws.colour(index, colours)


def finish_sheet(ws: Sheet, columns: int) -> None:
    ws.finish()


def column_letter(index: int) -> str:
    """The letter of a 1-based column."""
    return str(xl_col_to_name(index - 1))


def _number(value: Any) -> float | int | None:
    if value is None or isinstance(value, bool):
        return None
    return float(value) if isinstance(value, float) else int(value)


OPERATORS = {"gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "eq": "="}


def _verdicts(ws: Sheet, run: Run, outcomes: dict[str, str], lang: str) -> None:
    headers = [_m(code, lang) for code in ("stt", "target", "id", "requirement", "result", "status", "margin", "line")]
    setup_sheet(ws, headers, [6, 48, 24, 14, 14, 16, 12, 70])
    for i, j in enumerate(run.evaluation.judgements, start=1):
        mm = j.measured
        numeric = mm.kind in ("count", "share", "sum", "value")
        value: Any = _number(mm.value) if numeric else (mm.label or mm.value)
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
        is_share = mm.kind == "share" or (j.margin is not None and j.margin.unit == "percentage_points")
        number = fmt.EXCEL_SHARE if is_share else ("General" if mm.kind == "value" else fmt.EXCEL_COUNT)
        unit = f' "{mm.label}"' if mm.kind == "value" and mm.label and '"' not in mm.label else ""
        op = OPERATORS.get(j.requirement.op)  # shown with the requirement: "≤ 5,0%" and "> 2" apart from "≥ 2"
        formats = {
            1: "0",
            4: f'"{op} "{number}{unit}' if op else number + unit,
            5: number + unit,
            7: fmt.EXCEL_SHARE if is_share else ("+General;-General;0" if mm.kind == "value" else "+#,##0;-#,##0;0"),
        }
        status = message(f"documents.status.{j.status}", lang)
        add_row(ws, [i, j.title, j.target, required, value, status, margin, outcomes.get(j.target, "")], formats)
    colour_words(ws, "F", {message(f"documents.status.{s}", lang): c for s, c in STATUS_FILL.items()})
    finish_sheet(ws, len(headers))


def _proposals(ws: Sheet, run: Run, lang: str) -> None:
    """One block per title: who holds or is proposed for it, with position, unit and the basis."""
    headers = [_m(code, lang) for code in ("stt", "name", "position", "unit", "title", "basis")]
    setup_sheet(ws, headers, [6, 30, 22, 30, 36, 50])
    names = {e.id: e.name for items in run.facts.entities.values() for e in items}
    for title_id, title in run.rules.titles.items():
        holders = recorded_holders(run.facts, title_id, ("decided", "proposed"))
        if not holders:
            continue
        ws.title_row(title.title, 2, 6)
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


def _council(ws: Sheet, run: Run, lang: str) -> None:
    """The meeting worksheet: each candidate × criterion, met or not with the deciding value, quotas."""
    headers = [_m(code, lang) for code in ("title", "name", "outcome", "deciding", "recorded", "quota")]
    setup_sheet(ws, headers, [30, 28, 18, 70, 22, 40])
    if run.derivation is None:
        finish_sheet(ws, len(headers))
        return
    sheet = worksheet(run.rules, run.derivation)
    words: dict[bytes, str] = {}  # the people of one group share their checks: each worded once
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
            deciding = "; ".join(_worded(words, c, lang) for c in row["deciding"])
            state = row["recorded"]["state"] if row["recorded"] else None
            recorded = message(f"documents.xlsx.state_{state}", lang) if state else ""
            outcome = message(f"documents.xlsx.{row['outcome']}", lang)
            add_row(ws, [section["title_label"], row["name"], outcome, deciding, recorded, quota])
    finish_sheet(ws, len(headers))


def _worded(words: dict[bytes, str], c: dict[str, Any], lang: str) -> str:
    key = orjson.dumps(c)
    text = words.get(key)
    if text is None:
        text = words[key] = _check_words(c, lang)
    return text


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
        state = title_state(c.get("actual"), note)
        shown = message(f"documents.xlsx.state_{state}", lang) if state in SHOWN_STATES else "—"
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


def _findings(ws: Sheet, findings: list[Finding], texts: list[str], lang: str) -> None:
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
    book = Book()
    _verdicts(book.create_sheet(SHEET_VERDICTS), run, outcomes, lang)
    _proposals(book.create_sheet(SHEET_PROPOSALS), run, lang)
    _council(book.create_sheet(SHEET_COUNCIL), run, lang)
    _findings(book.create_sheet(SHEET_FINDINGS), findings, texts, lang)
    return book.save()


__all__ = [
    "SHEETS",
    "Book",
    "Sheet",
    "add_row",
    "colour_words",
    "column_letter",
    "finish_sheet",
    "render_xlsx",
    "setup_sheet",
]
