"""Finds the target sentences of a pledge or report: the bullets under "Đối với tập thể / cá nhân".

A report states the year's targets (chỉ tiêu, giao ước, phát động, đăng ký) and, in a section of its
own, the results (kết quả): the two are told apart by the heading above them, and each block takes
the year last named before it ("năm 2022").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from thidua.rules.names import plain

_PART = re.compile(r"^phan\s+([ivx]+)\b")
_SECTION = re.compile(r"^([ivx]+)\s*[.)]\s*(.*)$")
_SUBSECTION = re.compile(r"^(\d+)\s*[.)]\s*(.*)$")
_BULLET = re.compile(r"^\s*[-+•–*]\s*(.+)$")
_YEAR = re.compile(r"\bnam\s+(\d{4})\b")
_GROUPS = {"doi voi tap the": "collective", "doi voi ca nhan": "individual"}
_TARGET_HEADINGS = ("chi tieu", "giao uoc", "phat dong", "dang ky", "phan dau", "ky ket")
_RESULT_HEADINGS = ("ket qua",)


@dataclass(frozen=True)
class Sentence:
    """One bullet of a target or result block, with where it stands in the document."""

    text: str
    line: int
    year: int | None
    group: str | None
    place: str  # "Phần I mục I.1"
    result: bool  # a result the report states, not a target


def find(text: str) -> list[Sentence]:
    """Target and result bullets; when the document has no "Đối với ..." headings (a bare list of
    targets), every bullet and every line saying "phấn đấu" is a target."""
    lines = text.splitlines()
    heads = [_clean(line) for line in lines]
    if not any(key in h for h in heads for key in _GROUPS):
        return _bare(lines)
    out: list[Sentence] = []
    part = section = ""
    section_kind: str | None = None
    group: str | None = None
    subsection = ""
    year: int | None = None
    for number, (line, head) in enumerate(zip(lines, heads, strict=True), start=1):
        if not head:
            continue
        bullet = _BULLET.match(line.replace("**", ""))
        if bullet is None:
            if found := _YEAR.search(head):
                year = int(found.group(1))
            if m := _PART.match(head):
                part, section, section_kind, group = m.group(1).upper(), "", None, None
                continue
            if m := _SECTION.match(head):
                section, group = m.group(1).upper(), None
                title = m.group(2)
                section_kind = (
                    "result"
                    if any(k in title for k in _RESULT_HEADINGS)
                    else "target"
                    if any(k in title for k in _TARGET_HEADINGS)
                    else None
                )
                continue
            if m := _SUBSECTION.match(head):
                group = next((g for key, g in _GROUPS.items() if key in m.group(2)), None)
                subsection = m.group(1)
                continue
            group = None  # a paragraph ends the list of bullets ("Trên đây là báo cáo ...", "Nơi nhận:")
            continue
        if group is None or section_kind is None:
            continue
        place = f"Phần {part} mục {section}.{subsection}" if part else f"mục {section}.{subsection}"
        out.append(Sentence(bullet.group(1).strip(), number, year, group, place, section_kind == "result"))
    return out


def _bare(lines: list[str]) -> list[Sentence]:
    out = []
    for number, line in enumerate(lines, start=1):
        bullet = _BULLET.match(line)
        text = bullet.group(1).strip() if bullet else line.strip()
        if text and (bullet or "phan dau" in _clean(line)):
            out.append(Sentence(text, number, None, None, f"dòng {number}", False))
    return out


def _clean(line: str) -> str:
    return plain(line.replace("**", "").replace("*", "")).strip()


def clauses(sentence: str) -> list[str]:
    """The clauses of one bullet, each stating at most one target: split at '.', ';' and ':'."""
    parts = re.split(r"[.;:](?:\s+|$)", sentence)
    return [p.strip(" ,") for p in parts if p.strip(" ,")]
