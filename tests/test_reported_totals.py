"""Reported figures implying different totals: one case per pair (tests/cases/consistency/reported_totals.yaml), the
mapping form `{count, share}`, its located error, and the finding in a real `thidua evaluate`."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.process import run_thidua
from thidua.evaluator.engine.consistency import reported_totals
from thidua.rules.errors import UserError
from thidua.rules.lint import implied_totals
from thidua.rules.loader import load_rules
from thidua.rules.ruleset import RuleSet

CASES = yaml.safe_load(
    (Path(__file__).parent / "cases" / "consistency" / "reported_totals.yaml").read_text(encoding="utf-8")
)


def _target(short: dict[str, Any]) -> dict[str, Any]:
    of = short.get("of", "person")
    if "count" in short:
        where = short["count"] if "where" not in short else {"all": [short["where"], short["count"]]}
        measure: dict[str, Any] = {"count": {"of": of, "where": where}}
        require: dict[str, Any] = {"gte": 1}
    else:
        measure = {"share": {"of": of, "matching": short["share"]}}
        if "where" in short:
            measure["share"]["where"] = short["where"]
        require = {"gte": "50%"}
    return {
        "id": short["id"],
        "title": short["id"],
        "measure": measure,
        "require": require,
        "reported": short["reported"],
    }


def _rules(tmp_path: Path, targets: list[dict[str, Any]], extra: str = "") -> Path:
    rules = {"version": 1, "period": 2022, "use": ["core"], "targets": [_target(t) for t in targets]}
    path = tmp_path / "t.rules.yaml"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True) + extra, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_reported_figures_implying_different_totals(case: dict[str, Any], tmp_path: Path) -> None:
    rules: RuleSet = load_rules([_rules(tmp_path, case["targets"])])
    found = [
        [f.params["first"], f.params["second"], f.params["first_total"], f.params["second_total"]]
        for f in reported_totals(rules)
    ]
    assert found == case["flagged"]


@pytest.mark.parametrize(
    ("count", "share", "expected"),
    [
        ("18", "0.3158", (57, 57)),
        ("34", "0.546", (63, 62)),  # 34/62 = 54,84%, 34/63 = 53,97%: no whole total
        ("1", "0.33", (3, 3)),
        ("1", "1", (1, 1)),
        ("0", "0", None),
        ("3", "0", (600, None)),  # 3 at 0% (a whole percent): 600 or more
    ],
)
def test_implied_totals(count: str, share: str, expected: tuple[int, int | None] | None) -> None:
    assert implied_totals(Fraction(count), Fraction(share)) == expected


@pytest.mark.parametrize(
    "reported",
    [{"count": 18, "share": "31,58"}, {"count": "mười tám"}, {}, {"share": "120%"}],
    ids=["share-without-sign", "count-in-words", "empty", "share-over-100"],
)
def test_an_unreadable_mapping_is_a_located_error(reported: dict[str, Any], tmp_path: Path) -> None:
    path = _rules(tmp_path, [{"id": "a", "count": {"has_title": "chien_si_thi_dua_co_so"}, "reported": reported}])
    with pytest.raises(UserError) as caught:
        load_rules([path])
    text = str(caught.value)
    assert "t.rules.yaml" in text and "'a'" in text and "count" in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_evaluate_shows_the_finding_as_a_real_process(lang: str, tmp_path: Path) -> None:
    targets = CASES[0]["targets"]
    _rules(tmp_path, targets)
    people = [{"id": f"p{i}", "name": f"Người {i}"} for i in range(3)]
    facts = {"period": 2022, "entities": {"person": people}}
    (tmp_path / "f.facts.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    result = run_thidua("evaluate", str(tmp_path), "--format", "json", "--lang", lang)
    assert "Traceback" not in result.stdout + result.stderr
    findings = [f for f in yaml.safe_load(result.stdout)["findings"] if f["code"] == "consistency.reported_totals"]
    assert len(findings) == 1, result.stdout
    text = findings[0]["text"]
    word, quotient = ("tổng số 57", "62,27") if lang == "vi" else ("a total of 57", "62.27")
    assert word in text and quotient in text, text  # the quotient in the reader's notation


def test_validate_warns_of_the_same_pair_before_any_fact(tmp_path: Path) -> None:
    _rules(tmp_path, CASES[0]["targets"])
    result = run_thidua("validate", str(tmp_path), "--lang", "en")
    assert "Traceback" not in result.stdout + result.stderr
    flat = " ".join((result.stdout + result.stderr).split())
    assert "imply a total of 57" in flat and "a total of 62.27" in flat, flat
