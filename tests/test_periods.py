"""Periods as typed values: a year, a school year (1 September - 31 May), a term; located errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.e2e.process import run_script
from thidua.evaluator.engine.derive import months_served
from thidua.rules.periods import Period, Term, parse_period, parse_term


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (2022, Period("year", dt.date(2022, 1, 1), dt.date(2022, 12, 31), "2022")),
        ("2022", Period("year", dt.date(2022, 1, 1), dt.date(2022, 12, 31), "2022")),
        ("2023-2024", Period("school_year", dt.date(2023, 9, 1), dt.date(2024, 5, 31), "2023-2024")),
        (" 2023 - 2024 ", Period("school_year", dt.date(2023, 9, 1), dt.date(2024, 5, 31), "2023-2024")),
    ],
)
def test_the_forms_of_a_period(raw: object, expected: Period) -> None:
    assert parse_period(raw) == expected
    assert str(expected) == expected.label
    assert expected.to_dict()["kind"] == expected.kind


@pytest.mark.parametrize("raw", [True, 2022.5, 1800, "2023-2025", "2024-2023", "2023/2024", "năm 2023", None, [2023]])
def test_what_is_not_a_period(raw: object) -> None:
    assert parse_period(raw) is None


def test_the_value_as_written() -> None:
    assert parse_period("2022").value == 2022  # type: ignore[union-attr]
    assert parse_period("2023-2024").value == "2023-2024"  # type: ignore[union-attr]


def test_terms() -> None:
    assert parse_term("2025-2030") == Term(2025, 2030)
    assert parse_term("2030-2025") is None and parse_term("2025-2025") is None and parse_term(2025) is None


def test_months_are_served_to_the_end_of_the_school_year() -> None:
    school = parse_period("2023-2024")
    assert school is not None
    assert months_served(dt.date(2023, 12, 1), school) == 6  # to 31 May 2024
    assert months_served(dt.date(2023, 12, 2), school) == 5  # 5 months 29 days
    year = parse_period(2024)
    assert year is not None and months_served(dt.date(2024, 7, 1), year) == 6


def _write(folder: Path, rules: str, facts: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.rules.yaml").write_text(rules, encoding="utf-8")
    if facts is not None:
        (folder / "b.facts.yaml").write_text(facts, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("rules", "facts", "where", "words"),
    [
        ("version: 1\nperiod: 2023-2025\ntargets: []\n", None, "a.rules.yaml:2:9", "2023-2025"),
        ("version: 1\nperiod: true\ntargets: []\n", None, "a.rules.yaml:2:9", "một năm học"),
        ("version: 1\nterm: 2030-2025\ntargets: []\n", None, "a.rules.yaml:2:7", "2030-2025"),
        ("version: 1\nperiod: 2024\ntargets: []\n", "period: 2024/25\nentities: {}\n", "b.facts.yaml:1:9", "2024/25"),
        (
            "version: 1\nperiod: 2024-2025\nreview: {decided_on: 2024-05-31}\ntargets: []\n",
            None,
            "a.rules.yaml:3:9",
            "trước ngày bắt đầu kỳ 2024-2025 (01/09/2024)",
        ),
    ],
)
def test_a_malformed_period_term_or_decision_date_is_a_located_error(
    tmp_path: Path, rules: str, facts: str | None, where: str, words: str
) -> None:
    folder = _write(tmp_path / "a", rules, facts)
    done = run_script("validate", str(folder))
    assert done.rc == 2, done.stdout + done.stderr
    out = done.stdout + done.stderr
    assert where in out and words in out and "Traceback" not in out


def test_a_school_year_runs_end_to_end(tmp_path: Path) -> None:
    """init --period 2023-2024 writes a school-year folder that validates, and evaluate reports the period."""
    folder = tmp_path / "truong"
    done = run_script("init", str(folder), "--period", "2023-2024", "--agency", "Trường mẫu")
    assert done.rc == 0, done.stderr
    text = (folder / "chi-tieu.rules.yaml").read_text(encoding="utf-8")
    assert "\nperiod: 2023-2024\n" in text and "criteria_nd98" in text  # reviewed on 31/5/2024: the new law
    assert run_script("validate", str(folder)).rc == 0
    done = run_script("evaluate", str(folder), "--format", "json", "--no-record")
    data = json.loads(done.stdout)
    assert data["period"] == "2023-2024"
    assert data["period_detail"] == {
        "kind": "school_year",
        "start": "2023-09-01",
        "end": "2024-05-31",
        "label": "2023-2024",
    }
    assert [n["code"] for n in data["criteria"]["notes"]] == ["regime.straddles"]
    bad = run_script("init", str(tmp_path / "x"), "--period", "2023-2025")
    assert bad.rc == 2 and "--period" in bad.stdout + bad.stderr


def test_a_term_is_metadata_carried_to_the_json(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "b",
        "version: 1\nperiod: 2025\nterm: 2025-2030\nuse: [core]\ntargets: []\n",
        "period: 2025\nentities: {}\n",
    )
    data = json.loads(run_script("evaluate", str(folder), "--format", "json", "--no-record").stdout)
    assert data["term"] == {"start": 2025, "end": 2030, "label": "2025-2030"}
