"""Numbers, shares and dates as a Vietnamese (or English) reader expects them, by Babel's CLDR locales.

Vietnamese writes 93,7% and 1.000 người, dates as 14/01/2022; English writes 93.7%, 1,000 and
14/01/2022 too for dates in documents (the day-first order of the state format is kept in both,
so a printed English draft can still be compared line by line). Every renderer (the terminal
table, Word, Excel, HTML) formats through this module, so one run never shows two notations.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, localcontext
from fractions import Fraction

from babel.numbers import format_decimal, format_percent

LOCALES = {"vi": "vi", "en": "en"}
PERCENT_PATTERN = "#,##0.##%"  # at most two decimals, none when whole: 100%, 93,7%, 33,33%
NUMBER_PATTERN = "#,##0.##"


# Babel rounds through the current decimal context, 28 significant digits by default: a number of 27
# digits or more with its decimals (accepted in files up to rules/limits.py MAX_INT_DIGITS, and sums
# grow past that) raised InvalidOperation. Every number is formatted with room for any finite float
# (309 digits before the point), any sum of integers a file can hold, and the decimals.
PRECISION = 400


def locale(lang: str) -> str:
    return LOCALES.get(lang, "vi")


def _decimal(value: Decimal | float | int, pattern: str, lang: str) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return format_decimal(value, format=pattern, locale=locale(lang))


def number(value: float | int | Fraction, lang: str = "vi") -> str:
    """A count or an amount: 1.000 (vi), 1,000 (en); whole floats lose their '.0'."""
    if isinstance(value, Fraction):
        value = float(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _decimal(value, NUMBER_PATTERN, lang)


def decimal(value: float, lang: str = "vi") -> str:
    """A value quoted from a file or a rule, every digit kept (up to 12 decimals), in the reader's
    notation: 1.234,5 (vi), 1,234.5 (en); 0.1 + 0.2 reads 0,3, not 0,30000000000000004."""
    return _decimal(value, "#,##0.############", lang)


def fixed(value: Fraction | int, decimals: int, lang: str = "vi") -> str:
    """An exact value with `decimals` decimals, rounded half away from zero here only (a block's
    scores are exact inside): 90,68 (vi), 90.68 (en)."""
    steps = math.floor(abs(value) * 10**decimals + Fraction(1, 2)) * (1 if value >= 0 else -1)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return _decimal(Decimal(steps).scaleb(-decimals), pattern, lang)


def percent(fraction: float | Fraction, lang: str = "vi") -> str:
    """A share given as a fraction (0.937) written as a percentage: 93,7% (vi), 93.7% (en)."""
    value = float(fraction)
    if not math.isfinite(value):
        return str(value)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return format_percent(value, format=PERCENT_PATTERN, locale=locale(lang))


def date(value: dt.date, lang: str = "vi") -> str:
    """dd/mm/yyyy, the state documents' order, in both languages."""
    return value.strftime("%d/%m/%Y")


def two_digits(count: int) -> str:
    """Counts in a report's sentences are written with two digits: 05 tập thể, 01 cá nhân."""
    return f"{count:02d}" if count >= 0 else str(count)


# Excel keeps numbers as numbers: the format code is written with '.' and ',' and Excel shows the
# separators of the reader's own locale (93,7% and 1.000 on a Vietnamese Windows).
EXCEL_SHARE = "0.0%"
EXCEL_COUNT = "#,##0"
EXCEL_DATE = "dd/mm/yyyy"


__all__ = [
    "EXCEL_COUNT",
    "EXCEL_DATE",
    "EXCEL_SHARE",
    "date",
    "decimal",
    "fixed",
    "locale",
    "number",
    "percent",
    "two_digits",
]
