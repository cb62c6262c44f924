"""Periods of evaluation as typed values: a calendar year or a school year, and the term they belong to.

A rule or fact file writes `period: 2022` (a calendar year) or `period: 2023-2024` (two consecutive
years: a school year, năm học). Everything that reads a period gets a `Period` (kind, first and last
day, label); documents word it (docs/rule-language.md, "Periods").

School years follow the Ministry of Education's yearly frame plan (khung kế hoạch thời gian năm học,
e.g. 2023-2024: opening on 5 September, the school year ends before 31 May, the year's emulation
review and proposals follow): a school year runs from 1 September of its first year to 31 May of
its second, and its review ends it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final, Literal

from pydantic_core import PydanticCustomError

from thidua.rules.limits import FIRST_PERIOD, LAST_PERIOD

MIN_YEAR = FIRST_PERIOD  # the years a rule file, a block file or `init --period` may name (rules/limits.py)
MAX_YEAR = LAST_PERIOD
YEAR: Final = "year"
SCHOOL_YEAR: Final = "school_year"
SCHOOL_YEAR_START = (9, 1)  # month, day of the first year
SCHOOL_YEAR_END = (5, 31)  # month, day of the second year: the school year ends before 31 May
_PAIR = re.compile(r"^\s*(\d{4})\s*[-–]\s*(\d{4})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")

PeriodKind = Literal["year", "school_year"]


@dataclass(frozen=True)
class Period:
    """The period targets and facts are for: its kind, its first and last day (both included), its label."""

    kind: PeriodKind
    start: dt.date
    end: dt.date
    label: str

    def __str__(self) -> str:
        return self.label

    @property
    def value(self) -> int | str:
        """The period as a file writes it: 2022, or '2023-2024' for a school year."""
        return self.start.year if self.kind == YEAR else self.label

    @cached_property
    def after_end(self) -> dt.date:
        """The day after the last one: months served are counted up to it."""
        return self.end + dt.timedelta(days=1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label}


@dataclass(frozen=True)
class Term:
    """The term (nhiệm kỳ) a file's yearly targets belong to, e.g. 2025-2030: metadata for documents."""

    start: int
    end: int

    @property
    def label(self) -> str:
        return f"{self.start}-{self.end}"

    def __str__(self) -> str:
        return self.label

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "label": self.label}


def calendar_year(year: int) -> Period:
    return Period(YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))


def school_year(first: int) -> Period:
    start = dt.date(first, *SCHOOL_YEAR_START)
    end = dt.date(first + 1, *SCHOOL_YEAR_END)
    return Period(SCHOOL_YEAR, start, end, f"{first}-{first + 1}")


def _in_range(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def parse_period(raw: Any) -> Period | None:
    """The period `raw` writes (2022, '2022', '2023-2024'), or None when it is none of these forms."""
    if isinstance(raw, Period):
        return raw
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return calendar_year(raw) if _in_range(raw) else None
    if not isinstance(raw, str):
        return None
    if (m := _YEAR.match(raw)) is not None:
        year = int(m.group(1))
        return calendar_year(year) if _in_range(year) else None
    if (m := _PAIR.match(raw)) is not None:
        first, second = int(m.group(1)), int(m.group(2))
        if _in_range(first) and second == first + 1:
            return school_year(first)
    return None


def parse_term(raw: Any) -> Term | None:
    """The term `raw` writes ('2025-2030': first year before last), or None."""
    if not isinstance(raw, str) or isinstance(raw, bool):
        return None
    m = _PAIR.match(raw)
    if m is None:
        return None
    first, last = int(m.group(1)), int(m.group(2))
    if not (_in_range(first) and _in_range(last)) or first >= last:
        return None
    return Term(first, last)


def checked_period(value: Any) -> Any:
    """A `period:` as written, kept; refused (pydantic locates it) unless a year or a school year."""
    if value is not None and parse_period(value) is None:
        raise PydanticCustomError("rules.bad_period", "not a period", {"value": value})
    return value


__all__ = [
    "SCHOOL_YEAR",
    "YEAR",
    "Period",
    "Term",
    "calendar_year",
    "checked_period",
    "parse_period",
    "parse_term",
    "school_year",
]
