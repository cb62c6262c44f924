"""Scores are exact inside and rounded half up only when shown, with the table's decimals."""

from __future__ import annotations

from fractions import Fraction

import pytest

from thidua.cli.block import exact, number, span


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "shown"),
    [
        (Fraction(17, 8), 2, "vi", "2,13"),  # 2.125 rounds half up, not to even
        (Fraction(17, 8), 2, "en", "2.13"),
        (Fraction(200, 3), 2, "vi", "66,67"),
        (Fraction(-3, 2), 0, "en", "-2"),
        (Fraction(99), 0, "vi", "99"),
        (float("inf"), 2, "vi", "∞"),
    ],
)
def test_number(value: Fraction, decimals: int, lang: str, shown: str) -> None:
    assert number(value, decimals, lang) == shown


def test_span_and_exact() -> None:
    assert span(Fraction(1), Fraction(1), 1, "vi") == "1,0"
    assert span(Fraction(1), Fraction(5, 2), 1, "en") == "1.0–2.5"
    assert exact(Fraction(725, 8)) == "725/8"
    assert exact(float("inf")) is None
