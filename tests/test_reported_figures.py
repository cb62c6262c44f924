"""Reported figures read as counts and shares, unrounded consistency findings, at-most share reasons, misplaced keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.process import run_thidua
from thidua.cli.render import short_reason
from thidua.evaluator.engine.consistency import consistency_findings
from thidua.evaluator.engine.targets import evaluate
from thidua.evaluator.facts.reader import load_facts
from thidua.rules.errors import UserError
from thidua.rules.loader import load_rules
from thidua.rules.messages import render
from thidua.rules.ruleset import parse_reported


@pytest.mark.parametrize(
    ("raw", "share_target", "expected"),
    [
        (17, False, ("17", None)),
        ("17", False, ("17", None)),
        ("34 (54,6%)", False, ("34", "0.546")),
        (" 34  ( 54.6 % ) ", False, ("34", "0.546")),
        ("54,6%", True, (None, "0.546")),
        (0.5, True, (None, "0.5")),
        ("34 (54,6%)", True, ("34", "0.546")),
        ("mười bảy", False, None),
        ("17 người", False, None),
        ("120%", True, None),
        (True, False, None),
        (-1, False, None),
    ],
)
def test_parse_reported(raw: Any, share_target: bool, expected: tuple[str | None, str | None] | None) -> None:
    got = parse_reported(raw, share_target)
    if expected is None:
        assert got is None
    else:
        assert got is not None
        assert tuple(None if v is None else str(float(v)) for v in got) == tuple(
            None if v is None else str(float(v)) for v in expected
        )


def _agency(tmp_path: Path, target: dict[str, Any], people: list[dict[str, Any]]) -> Path:
    rules = {"version": 1, "period": 2022, "use": ["core"], "targets": [{"id": "t", "title": "Chỉ tiêu", **target}]}
    (tmp_path / "t.rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    facts = {"period": 2022, "entities": {"person": people}}
    (tmp_path / "f.facts.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    return tmp_path


def _findings(folder: Path) -> list[dict[str, Any]]:
    rules = load_rules([folder / "t.rules.yaml"], folder)
    facts = load_facts([folder / "f.facts.yaml"], rules, folder)
    return [f.to_dict() for f in consistency_findings(rules, evaluate(rules, facts))]


LDTT = {"has_title": "lao_dong_tien_tien"}


def _people(holders: int, total: int) -> list[dict[str, Any]]:
    return [{"id": f"p{i}", **({"titles": ["lao_dong_tien_tien"]} if i < holders else {})} for i in range(total)]


def test_a_count_reported_as_text_is_read_with_its_share(tmp_path: Path) -> None:
    target = {"measure": {"count": {"of": "person", "where": LDTT}}, "require": {"gte": 1}, "reported": "34 (54,6%)"}
    found = _findings(_agency(tmp_path, target, _people(33, 57)))
    assert [(f["code"], f["params"]["computed"]) for f in found] == [
        ("consistency.reported_count", 33),
        ("consistency.reported_share", {"ratio": [33, 57]}),
    ]
    assert render("consistency.reported_share", "vi", **found[1]["params"]).endswith("dữ kiện cho 33/57 (57,89%).")
    assert render("consistency.reported_share", "en", **found[1]["params"]).endswith("33/57 (57.89%).")


def test_the_share_finding_is_not_rounded_to_a_whole_percent(tmp_path: Path) -> None:
    target = {"measure": {"share": {"of": "person", "matching": LDTT}}, "require": {"gte": "50%"}, "reported": "62%"}
    [finding] = _findings(_agency(tmp_path, target, _people(34, 57)))
    assert render("consistency.reported_share", "vi", **finding["params"]).endswith("dữ kiện cho 59,65%.")
    assert "59.65%" in render("consistency.reported_share", "en", **finding["params"])


def test_an_unreadable_reported_figure_is_refused_located(tmp_path: Path) -> None:
    target = {"measure": {"count": {"of": "person"}}, "require": {"gte": 1}, "reported": "mười bảy"}
    folder = _agency(tmp_path, target, _people(1, 1))
    with pytest.raises(UserError) as exc:
        load_rules([folder / "t.rules.yaml"], folder)
    [problem] = exc.value.problems
    assert problem.code == "rules.reported_unreadable" and problem.location.line > 0
    done = run_thidua("validate", str(folder), timeout=60)
    assert done.returncode == 2 and "t.rules.yaml:" in done.stdout + done.stderr and "Traceback" not in done.stderr


def test_the_short_reason_of_an_at_most_share_names_those_that_make_it_fail(tmp_path: Path) -> None:
    people = [{"id": "weak", "name": "Yếu Văn A", "rating": "khong_hoan_thanh"}]
    people += [{"id": f"p{i}", "name": f"Người {i}", "rating": "hoan_thanh_tot"} for i in range(9)]
    target = {
        "measure": {"share": {"of": "person", "matching": {"attr": "rating", "eq": "khong_hoan_thanh"}}},
        "require": {"lte": "2%"},
    }
    folder = _agency(tmp_path, target, people)
    rules = load_rules([folder / "t.rules.yaml"], folder)
    [j] = evaluate(rules, load_facts([folder / "f.facts.yaml"], rules, folder)).judgements
    assert j.status == "not_met"
    text = short_reason(j, "vi")
    assert "Yếu Văn A" in text and "Người 1" not in text


def test_a_key_of_the_language_in_the_wrong_place_says_where_it_belongs(tmp_path: Path) -> None:
    target = {"measure": {"count": {"of": "person"}}, "require": {"share": "50%"}}
    folder = _agency(tmp_path, target, _people(1, 1))
    with pytest.raises(UserError) as exc:
        load_rules([folder / "t.rules.yaml"], folder)
    [problem] = [p for p in exc.value.problems if p.params.get("key") == "share"]
    assert problem.code == "rules.key_misplaced" and problem.suggestion is None
    assert "measure" in problem.message("vi") and "Có phải là" not in problem.message("vi")
