"""Data-driven tests of the shipped criteria packs (old and new regime) and their boundaries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.criteria_helpers import read_yaml, write_agency
from thidua.evaluator.engine.derive import derive
from thidua.evaluator.run import load
from thidua.rules.periods import parse_period
from thidua.rules.regime import applied_regime

DATA = Path(__file__).parent / "data"
# criteria_cases.yaml: the packs' boundaries; criteria_cases_law.yaml: the law as it stands (docs/criteria.md)
CASES = [c for path in sorted(DATA.glob("criteria_cases*.yaml")) if ".rules." not in path.name for c in read_yaml(path)]


def outcomes(folder: Path) -> dict[tuple[str, str], Any]:
    _, rules, facts = load(folder)
    d = derive(rules, facts)
    return {(x.criterion.title, x.entity.id): x.derived for x in d.decisions}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_criteria_case(case: dict[str, Any], tmp_path: Path) -> None:
    _, rules, facts = load(write_agency(tmp_path, case))
    d = derive(rules, facts)
    got = {(x.criterion.title, x.entity.id): x.derived for x in d.decisions}
    for title, by_entity in case["expect"].items():
        for entity, expected in by_entity.items():
            assert got[(title, entity)] is expected, f"{title} {entity}: got {got[(title, entity)]}"
    applied = applied_regime(rules, facts.period)
    if "packs" in case:
        assert [r.pack for r in applied.regimes] == case["packs"]
    if "notes" in case:
        assert [n.code for n in applied.notes] == case["notes"]
    if "warnings" in case:
        assert [w.code for w in applied.warnings] == case["warnings"]
    if "quotas" in case:
        assert [q.status for q in d.quotas] == case["quotas"]


def test_every_shipped_criterion_has_a_case() -> None:
    from thidua.rules.loader import load_rules

    rules = load_rules([DATA / "criteria_cases.rules.yaml"])
    titles_by_pack: dict[str, set[str]] = {}
    for case in CASES:
        period = parse_period(case["period"])
        decided_on = case.get("decided_on") or (period.end if period else None)
        for c in rules.criteria.criteria:
            if c.covers(decided_on) and c.title in case["expect"]:
                titles_by_pack.setdefault(c.id, set()).add(c.title)
    for c in rules.criteria.criteria:
        assert c.id in titles_by_pack, f"no case for {c.id}"
