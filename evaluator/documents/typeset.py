"""Where the lines of a document's header break, and its quotes: text measured in Times New Roman.

A header cell is narrow (80 mm), and a body's name such as "CÔNG ĐOÀN VIÊN CHỨC TỈNH BÌNH PHƯỚC"
does not fit on one line: left to Word it breaks wherever the line is full ("TỈNH BÌNH / PHƯỚC").
An official header breaks it between names ("CÔNG ĐOÀN VIÊN CHỨC / TỈNH BÌNH PHƯỚC"). The width of
a text is measured with the advance widths of Times New Roman (those of Liberation Serif, its
metric twin that LibreOffice uses), so the break is chosen here and written as a line break.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Advance widths in thousandths of an em, regular and bold, of the characters a header is made of
# (Vietnamese letters take their base letter's width: the diacritics do not widen a glyph).
_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.,:;/()*&'\"abcdefghijklmnopqrstuvwxyz…"
_REGULAR = (
    "722 667 667 722 611 556 722 722 333 389 722 611 889 722 722 556 722 667 556 611 722 722 944 722 722 611 "
    "500 500 500 500 500 500 500 500 500 500 250 333 250 250 278 278 278 333 333 500 778 180 408 444 500 444 500 "
    "444 333 500 500 278 278 500 278 778 500 500 500 500 333 389 278 500 500 722 500 500 444 1000"
)
_BOLD = (
    "722 667 722 722 667 611 778 778 389 500 778 667 944 722 778 611 778 722 556 667 722 722 1000 722 722 667 "
    "500 500 500 500 500 500 500 500 500 500 250 333 250 250 333 333 278 333 333 500 833 278 555 500 556 444 556 "
    "444 333 500 556 278 333 556 278 833 556 500 556 556 444 389 333 556 500 722 500 500 444 1000"
)
WIDTHS = {
    False: dict(zip(_CHARS, map(int, _REGULAR.split()), strict=True)),
    True: dict(zip(_CHARS, map(int, _BOLD.split()), strict=True)),
}
PT_MM = 25.4 / 72
CELL_MARGINS_MM = 3.8  # Word's default cell margins, 1.9 mm each side
NBSP = "\u00a0"


@dataclass(frozen=True)
class Cell:
    """A header cell: its width and the size and weight of a line in it."""

    width_mm: float
    size_pt: float
    bold: bool = False

    @property
    def room_mm(self) -> float:
        return self.width_mm - CELL_MARGINS_MM


def _base(char: str) -> str:
    if char in "Đđ":
        return "D" if char == "Đ" else "d"
    return unicodedata.normalize("NFD", char)[0]


def text_width_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """The printed width of `text` at `size_pt` in Times New Roman (regular or bold)."""
    table = WIDTHS[bold]
    units = sum(table.get(_base(c), 556 if c.isupper() else 500) for c in text.replace(NBSP, " "))
    return units / 1000 * size_pt * PT_MM


# Words that begin a name in an official header: a line breaks before one of them by preference.
HEADS = re.compile(
    r"^(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU|BAN|SỞ|PHÒNG|VĂN PHÒNG|CHI BỘ|ĐẢNG BỘ|"
    r"ĐẢNG ỦY|ĐẢNG UỶ|ỦY BAN|UỶ BAN|UBND|HỘI ĐỒNG|TRƯỜNG|CÔNG ĐOÀN|KHỐI|CỤM|BỘ|CỤC|TRUNG TÂM|VIỆN|ĐOÀN)\b",
    re.IGNORECASE,
)
# Compound words whose second half is also a head word: never a place to break ("CƠ / SỞ", "ỦY / BAN").
COMPOUNDS = {
    ("CƠ", "SỞ"),
    ("ỦY", "BAN"),
    ("UỶ", "BAN"),
    ("CÔNG", "ĐOÀN"),
    ("CHI", "BỘ"),
    ("ĐẢNG", "BỘ"),
    ("VĂN", "PHÒNG"),
    ("NHÂN", "DÂN"),
    ("DÂN", "TỘC"),
    ("GIÁO", "DỤC"),
    ("ĐÀO", "TẠO"),
    ("TRUNG", "HỌC"),
    ("CƠ", "QUAN"),
}
# An administrative unit (or its Party committee: "HUYỆN ỦY") and the two words of its name after it.
UNIT_NAME = re.compile(
    r"\b(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU|THÀNH)(?:\s+(?:ỦY|UỶ))?\s+\S+(?:\s+(?!-)\S+)?",
    re.IGNORECASE,
)


def whole_names(text: str, places: tuple[str, ...] = ()) -> str:
    """`text` with the spaces inside place names non-breaking: the two words after an administrative
    unit (a Vietnamese place name has two syllables, rarely more) and every place given in full."""

    def glue(m: re.Match[str]) -> str:
        return m.group(0).replace(" ", NBSP)

    for place in places:
        if place and " " in place.strip():
            text = re.sub(re.escape(place.strip()), glue, text, flags=re.IGNORECASE)
    return UNIT_NAME.sub(glue, text)


def _break_cost(words: list[str], i: int) -> int:
    """How bad a line break before words[i] is: none before a head word (TỈNH, BAN, XÃ …), a little
    before the last name (the last two words), more anywhere else; never inside a compound word."""
    before, after = words[i - 1].split(NBSP)[-1].upper(), words[i].split(NBSP)[0].upper()
    if (before, after) in COMPOUNDS:
        return 10
    if HEADS.match(" ".join(words[i:]).replace(NBSP, " ")) is not None:
        return 0
    return 2 if i == len(words) - 2 else 4


def header_lines(text: str, cell: Cell, places: tuple[str, ...] = ()) -> str:
    """`text` as it fits in `cell`: unchanged when one line holds it, else with line breaks ("\\n")
    where an official header puts them: as few lines as fit, each break before a head word such as
    TỈNH, BAN, XÃ where one can be (else before the last name), lines as even as they can be, and
    place names never broken."""
    text = unicodedata.normalize("NFC", text)
    glued = whole_names(text, places)
    if "\n" in text or text_width_mm(text, cell.size_pt, cell.bold) <= cell.room_mm:
        return glued
    words = glued.split(" ")
    n = len(words)

    def width(i: int, j: int) -> float:
        return text_width_mm(" ".join(words[i:j]), cell.size_pt, cell.bold)

    # best[i]: (badness, widest line) of words[i:] laid out, and where its first line ends; a line
    # more costs 5, so that a third line beats a break inside a word (10)
    best: list[tuple[tuple[int, float], int]] = [((0, 0.0), n)] * (n + 1)
    for i in range(n - 1, -1, -1):
        options = []
        for j in range(i + 1, n + 1):
            w = width(i, j)
            if w > cell.room_mm and j > i + 1:
                break
            (badness, widest), _ = best[j]
            step = _break_cost(words, j) if j < n else 0
            options.append(((badness + 5 + step, max(widest, w)), j))
        best[i] = min(options)
    out, i = [], 0
    while i < n:
        j = best[i][1]
        out.append(" ".join(words[i:j]))
        i = j
    return "\n".join(out)


STRAIGHT_QUOTES = re.compile(r'"([^"\n]*)"')


def curly_quotes(text: str) -> str:
    """Straight double quotes from a rule file's titles as the typographic ones the report's own words
    use (“Tập thể lao động tiên tiến”), so that a document quotes one way throughout."""
    return STRAIGHT_QUOTES.sub("“\\1”", text)


# A number and the word before it stay on one line: "Khối thi đua số 6", "năm 2022", "ngày 20".
NUMBERED = re.compile(r"\b(số|năm|ngày|tháng|hạng|thứ|Hạng) (\d)")


PERCENT = re.compile(r"(\S) (\d+(?:[.,]\d+)?%)")  # "không quá / 20%": the share stays with the word before


def body_text(text: str) -> str:
    """A paragraph of a document's body as printed: typographic quotes, and no line break between a
    number and the word that names it ("số / 6"), a share and the word before it, "trở lên"."""
    text = NUMBERED.sub(f"\\1{NBSP}\\2", curly_quotes(text))
    text = PERCENT.sub(f"\\1{NBSP}\\2", text)
    return text.replace("trở lên", f"trở{NBSP}lên")


# The header cells of the shipped templates (template_builder.py draws them): the left column is
# 80 mm wide; the State writes the bodies' names at 12 pt, the Party at 14 pt.
HEADER_LEFT_MM = 80
HEADER_RIGHT_MM = 95
BODY_NAME_PT = {"nha_nuoc": 12, "dang": 14}


__all__ = [
    "BODY_NAME_PT",
    "HEADER_LEFT_MM",
    "HEADER_RIGHT_MM",
    "Cell",
    "body_text",
    "curly_quotes",
    "header_lines",
    "text_width_mm",
    "whole_names",
]
