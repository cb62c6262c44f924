"""Data-driven tests of the shipped criteria packs (old and new regime) and their boundaries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.criteria_helpers import read_yaml, write_agency
from thidua.evaluator.engine.derive import derive
from thidua.evaluator.run import load

CASES = read_yaml(Path(__file__).parent / "data" / "criteria_cases.yaml")


def outcomes(folder: Path) -> dict[tuple[str, str], Any]:
    _, rules, facts = load(folder)
    d = derive(rules, facts)
    return {(x.criterion.title, x.entity.id): x.derived for x in d.decisions}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_criteria_case(case: dict[str, Any], tmp_path: Path) -> None:
    got = outcomes(write_agency(tmp_path, case))
    for title, by_entity in case["expect"].items():
        for entity, expected in by_entity.items():
            assert got[(title, entity)] is expected, f"{title} {entity}: got {got[(title, entity)]}"


def test_every_shipped_criterion_has_a_case() -> None:
    titles_by_period: dict[int, set[str]] = {}
    for case in CASES:
        titles_by_period.setdefault(2022 if case["period"] <= 2023 else 2024, set()).update(case["expect"])
    from thidua.rules.loader import load_rules

    root = Path(__file__).parent / "data"
    rules = load_rules([root / "criteria_cases.rules.yaml"])
    for c in rules.criteria.criteria:
        period = 2022 if c.covers(2022) else 2024
        assert c.title in titles_by_period[period], f"no case for {c.id}"
