"""Data-driven cases for every measure kind and comparator (tests/cases/*.yaml), through the library."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from thidua.evaluator.engine.targets import evaluate
from thidua.evaluator.facts.reader import load_facts
from thidua.rules.loader import load_rules

CASES_DIR = Path(__file__).parent / "cases"


def _load_cases() -> list[Any]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            out.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return out


def _expand(entities: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """`repeat: N` on an entity stands for N copies with ids suffixed 1..N."""
    out: dict[str, list[dict[str, Any]]] = {}
    for kind, items in entities.items():
        out[kind] = []
        for item in items:
            n = item.pop("repeat", None)
            if n is None:
                out[kind].append(item)
                continue
            for i in range(1, n + 1):
                clone = copy.deepcopy(item)
                clone["id"] = f"{item['id']}{i}"
                out[kind].append(clone)
    return out


def run_case(case: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    target = {"id": "t.case", "title": case["name"], **case["target"]}
    rules = {"version": 1, "period": 2022, "use": ["core"], "targets": [target]}
    if "kinds" in case:
        rules["kinds"] = case["kinds"]
    with open(tmp_path / "case.rules.yaml", "w", encoding="utf-8") as fh:
        yaml.safe_dump(rules, fh, allow_unicode=True, sort_keys=False)
    with open(tmp_path / "case.facts.yaml", "w", encoding="utf-8") as fh:
        yaml.safe_dump(
            {"period": 2022, "entities": _expand(copy.deepcopy(case["facts"]))}, fh, allow_unicode=True, sort_keys=False
        )
    ruleset = load_rules([tmp_path / "case.rules.yaml"], tmp_path)
    facts = load_facts([tmp_path / "case.facts.yaml"], ruleset, tmp_path)
    return evaluate(ruleset, facts).judgements[0].to_dict()


@pytest.mark.parametrize("case", _load_cases())
def test_case(case: dict[str, Any], tmp_path: Path) -> None:
    j = run_case(case, tmp_path)
    expect = case["expect"]
    assert j["status"] == expect["status"], j["reasons"]
    m = j["measured"]
    if "margin" in expect:
        assert j["margin"] is not None and j["margin"]["value"] == pytest.approx(expect["margin"])
    if "measured" in expect:
        assert (
            m["value"] == pytest.approx(expect["measured"])
            if not isinstance(expect["measured"], bool)
            else m["value"] is expect["measured"]
        )
    for key, field in (
        ("measured_low", "low"),
        ("measured_high", "high"),
        ("numerator", "numerator"),
        ("denominator", "denominator"),
        ("label", "label"),
    ):
        if key in expect:
            assert m[field] == (pytest.approx(expect[key]) if isinstance(expect[key], float) else expect[key])
    codes = [r["code"] for r in j["reasons"]]
    for code in case.get("reasons", []):
        assert code in codes, codes
