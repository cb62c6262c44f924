"""Finds the target sentences of a pledge or report: the lines under "Đối với tập thể / cá nhân / ...".

A report states the year's targets (chỉ tiêu, giao ước, phát động, đăng ký) and, in a section of its
own, the results (kết quả): the two are told apart by the heading above them. Each block takes the
period last named before it: a year ("năm 2022"), a school year ("năm học 2023-2024"), within a
term ("nhiệm kỳ 2025-2030"). A document without such headings (a bare list) is read line by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from thidua.rules.names import plain

Period = int | str  # 2022, or "2023-2024" for a school year


def parse_period(value: object) -> Period | None:
    """The period `value` writes (2022, "2022", "2023-2024", a rule set's period), or None when it is
    none of these: a year, or a school year of two consecutive years."""
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    found = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", text)
    if found and int(found.group(2)) == int(found.group(1)) + 1:
        return f"{found.group(1)}-{found.group(2)}"
    return None


_PART = re.compile(r"^phan\s+([ivx]+)\b")
_SECTION = re.compile(r"^([ivx]+)\s*[.)]\s*(.*)$")
_SUBSECTION = re.compile(r"^(\d+)\s*[.)]\s*(.*)$")
_BULLET = re.compile(r"^\s*[-+•–*]\s*(.+)$")
_NUMBERED = re.compile(r"^\s*\d+\s*[.)]\s*(.+)$")
_YEAR = re.compile(r"\bnam\s+(\d{4})\b")
_SCHOOL_YEAR = re.compile(r"\bnam\s+hoc\s+(\d{4})\s*[-–]\s*(\d{4})\b")
_TERM = re.compile(r"\bnhiem\s+ky\s+(\d{4})\s*[-–]\s*(\d{4})\b")
_FIGURE = re.compile(r"\d")
_GROUP_HEADING = "doi voi "
# Who a group heading speaks of ("Đối với tập thể", "Đối với giáo viên"): the target's `group`.
_COLLECTIVE = ("tap the", "don vi", "to chuc", "co quan", "chi bo", "dang bo", "doan the", "cong doan co so")
_INDIVIDUAL = (
    "ca nhan",
    "can bo",
    "cong chuc",
    "vien chuc",
    "nguoi lao dong",
    "giao vien",
    "hoc sinh",
    "dang vien",
    "doan vien",
    "hoi vien",
    "gia dinh",
)
_TARGET_HEADINGS = ("chi tieu", "giao uoc", "phat dong", "dang ky", "phan dau", "ky ket")
_RESULT_HEADINGS = ("ket qua",)
_TITLE_WORDS = 15  # a line this short, not ending a sentence, may be the document's title


@dataclass(frozen=True)
class Sentence:
    """One line of a target or result block, with where it stands in the document."""

    text: str
    line: int
    period: Period | None
    group: str | None
    place: str | None  # "Phần I mục I.1"; None in a bare list (its line says where)
    result: bool  # a result the report states, not a target
    term: str | None = None  # "2025-2030": the term (nhiệm kỳ) the period lies in


@dataclass
class _When:
    """The period and term named so far."""

    period: Period | None = None
    term: str | None = None

    def read(self, head: str) -> bool:
        """Take the period or term a line names; whether it named one."""
        named = False
        if found := _TERM.search(head):
            self.term = f"{found.group(1)}-{found.group(2)}"
            named = True
        if found := _SCHOOL_YEAR.search(head):
            first, second = int(found.group(1)), int(found.group(2))
            if second == first + 1:
                self.period = f"{first}-{second}"
                named = True
        elif found := _YEAR.search(_TERM.sub(" ", head)):
            self.period = int(found.group(1))
            named = True
        return named


def find(text: str) -> list[Sentence]:
    """Target and result lines. With headings ("Đối với ...", "I. Chỉ tiêu ..."), the bullets under
    them (and, in a "Đối với ..." block that starts without bullets, every line of it); without, every
    line of a bare list."""
    lines = text.splitlines()
    heads = [_clean(line) for line in lines]
    if not any(h.startswith(_GROUP_HEADING) or _subsection_group(h) is not None for h in heads):
        return _bare(lines, heads)
    out: list[Sentence] = []
    when = _When()
    part = section = subsection = ""
    section_kind: str | None = None  # "target", "result", "other"; None before any heading says
    group: str | None = None
    block: str | None = None  # "section": bullets are read; "group" (under "Đối với ..."): lines too
    bullets: bool | None = None  # whether the open block lists its lines with bullets
    for number, (line, head) in enumerate(zip(lines, heads, strict=True), start=1):
        if not head:
            continue
        bullet = _BULLET.match(line.replace("**", ""))
        if bullet is None:
            named = when.read(head)
            if m := _PART.match(head):
                part, section, subsection, section_kind, block = m.group(1).upper(), "", "", None, None
                continue
            if m := _SECTION.match(head):
                section, subsection, group = m.group(1).upper(), "", None
                section_kind = _kind_of(m.group(2)) or "other"
                block, bullets = ("section" if section_kind != "other" else None), None
                continue
            heading = _subsection_group(head)
            if heading is None and head.startswith(_GROUP_HEADING):
                heading = _group(head[len(_GROUP_HEADING) :])
            elif heading is not None:
                subsection = _SUBSECTION.match(head).group(1)  # type: ignore[union-attr]
            if heading is None and (m := _SUBSECTION.match(head)) and (kind := _kind_of(m.group(2))):
                subsection, group, section_kind = m.group(1), None, kind  # "2. Kết quả đạt được"
                block, bullets = "section", None
                continue
            if heading is not None:
                section_kind = section_kind or "target"
                group, bullets = heading or None, None
                block = "group" if section_kind != "other" else None
                continue
            if section_kind is None and _title_like(line, head) and (kind := _kind_of(head)):
                section_kind, block = kind, "section"  # the title says what it holds ("GIAO ƯỚC THI ĐUA")
                continue
            if block != "group" or bullets:
                block = None if bullets else block  # a paragraph after bullets ends their list
                continue
            if _heading_only(line, head) or named and not _FIGURE.search(_strip_when(head)):
                continue
            bullets = False
            text = _NUMBERED.sub(r"\1", line).strip()
        else:
            if block is None or bullets is False:
                continue
            bullets = True
            text = bullet.group(1).strip()
        place = f"mục {section}.{subsection}" if section else f"mục {subsection}" if subsection else None
        if part:
            place = f"Phần {part} {place}" if place else f"Phần {part}"
        out.append(Sentence(text, number, when.period, group, place, section_kind == "result", when.term))
    return out


def _bare(lines: list[str], heads: list[str]) -> list[Sentence]:
    """Every line of a bare list is a target sentence, bullet or not, except the headings: a line that
    ends with ':', one written in capitals, or one naming only the period ("Năm học 2023-2024")."""
    out = []
    when = _When()
    for number, (line, head) in enumerate(zip(lines, heads, strict=True), start=1):
        if not head:
            continue
        named = when.read(head)
        bullet = _BULLET.match(line)
        if bullet is None and (_heading_only(line, head) or named and not _FIGURE.search(_strip_when(head))):
            continue
        text = bullet.group(1).strip() if bullet else _NUMBERED.sub(r"\1", line).strip()
        out.append(Sentence(text, number, when.period, None, None, False, when.term))
    return out


def _heading_only(line: str, head: str) -> bool:
    """A line that names a block rather than a target: it ends with ':' or is written in capitals."""
    letters = [c for c in line if c.isalpha()]
    return head.endswith(":") or (bool(letters) and all(c.isupper() for c in letters))


def _strip_when(head: str) -> str:
    return _TERM.sub(" ", _SCHOOL_YEAR.sub(" ", _YEAR.sub(" ", head)))


def _title_like(line: str, head: str) -> bool:
    return len(head.split()) <= _TITLE_WORDS and not line.rstrip().endswith(".")


def _kind_of(title: str) -> str | None:
    if any(k in title for k in _RESULT_HEADINGS):
        return "result"
    if any(k in title for k in _TARGET_HEADINGS):
        return "target"
    return None


def _subsection_group(head: str) -> str | None:
    """For a numbered heading "1. Đối với tập thể": its group ("" when the words name none); else None."""
    m = _SUBSECTION.match(head)
    if m is None or not m.group(2).startswith(_GROUP_HEADING):
        return None
    return _group(m.group(2)[len(_GROUP_HEADING) :])


def _group(words: str) -> str:
    if any(w in words for w in _COLLECTIVE):
        return "collective"
    if any(w in words for w in _INDIVIDUAL):
        return "individual"
    return ""


def _clean(line: str) -> str:
    return plain(line.replace("**", "").replace("*", "")).strip()


_TRONG_DO = re.compile(r",\s*(trong\s+(?:đó|do))\b", re.IGNORECASE)


def clauses(sentence: str) -> list[str]:
    """The clauses of one line, each stating at most one target: split at '.', ';' and ':', and
    before ", trong đó" ("X% …, trong đó trên Y% …" states two targets)."""
    marked = _TRONG_DO.sub(lambda m: ". " + m.group(1), sentence)
    parts = re.split(r"[.;:](?:\s+|$)", marked)
    return [p.strip(" ,") for p in parts if p.strip(" ,")]


def continues(clause: str) -> bool:
    """Whether a clause says it lies within the one before ("Trong đó có 02 …", "trong đó trên 30% …")."""
    return plain(clause).startswith("trong do")
