"""Conditions past durable-rules' limits, as real processes: they work, or are refused located; never a hang."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.process import run_thidua

PROJECT = {
    "id": "project",
    "title": "Đề tài",
    "attributes": [
        {"id": "code", "label": "Mã", "type": "text"},
        {"id": "score", "label": "Điểm", "type": "number"},
    ],
}


def _folder(tmp_path: Path, targets: list[dict[str, Any]], projects: list[dict[str, Any]]) -> Path:
    rules = {"version": 1, "period": 2022, "use": ["core"], "kinds": [PROJECT], "targets": targets}
    (tmp_path / "t.rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    facts = {"period": 2022, "entities": {"project": projects}}
    (tmp_path / "f.facts.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    return tmp_path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    done = run_thidua(*args, timeout=60)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def _count(i: int, where: dict[str, Any], require: int) -> dict[str, Any]:
    measure = {"count": {"of": "project", "where": where}}
    return {"id": f"t{i}", "title": f"Chỉ tiêu {i}", "measure": measure, "require": {"eq": require}}


def _both(i: int, op: str) -> dict[str, Any]:
    return {"all": [{"attr": "score", op: i}, {"attr": "code", "eq": str(i)}]}


def _statuses(folder: Path) -> list[str]:
    done = _run("evaluate", str(folder), "--no-record", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    return [j["status"] for j in json.loads(done.stdout)["judgements"]]


def test_an_in_list_of_520_values_is_a_membership_lookup(tmp_path: Path) -> None:
    """An `$or` of more than 512 equalities spins forever in create_ruleset: `in` never compiles to one."""
    codes = [f"M{i:03d}" for i in range(520)]
    projects = [{"id": "a", "code": "M519"}, {"id": "b", "code": "X"}, {"id": "c", "code": "M000"}, {"id": "d"}]
    targets = [
        _count(0, {"attr": "code", "in": codes}, 2),
        _count(1, {"not": {"attr": "code", "in": codes}}, 1),
    ]
    folder = _folder(tmp_path, targets, projects)
    assert _statuses(folder) == ["pending", "pending"]  # d has no code: 2 or 3, and 1 or 2
    projects.pop()
    assert _statuses(_folder(tmp_path, targets, projects)) == ["met", "met"]


def test_more_rules_than_one_ruleset_holds(tmp_path: Path) -> None:
    """More than 512 rules in one ruleset spins forever: 150 targets (600 rules) go into several."""
    targets = [_count(i, {"attr": "score", "gte": i % 3 + i / 1000}, 3 - i % 3) for i in range(150)]
    projects = [{"id": f"p{i}", "score": i + 0.5} for i in range(3)]
    assert set(_statuses(_folder(tmp_path, targets, projects))) == {"met"}


@pytest.mark.parametrize(
    ("where", "code"),
    [
        ({"any": [{"attr": "score", "eq": i} for i in range(600)]}, "engine.too_wide"),
        (
            {"all": [{"any": [_both(i, "gt"), _both(i, "lt")]} for i in range(20)]},
            "engine.too_complex",
        ),
    ],
    ids=["any of 600", "all of twenty any of all"],
)
def test_conditions_the_engine_cannot_hold_are_refused_located(
    tmp_path: Path, where: dict[str, Any], code: str
) -> None:
    folder = _folder(tmp_path, [_count(0, where, 1)], [{"id": "a", "score": 1}])
    for command in ("evaluate", "validate"):
        args = [command, str(folder), "--format", "json"] + (["--no-record"] if command == "evaluate" else [])
        done = _run(*args)
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        text = done.stdout + done.stderr
        assert "t.rules.yaml" in text and ("bộ máy luật" in text or code in text), text


def test_rule_tests_run_the_evaluate_pipeline(example_2024_copy: Path) -> None:
    """`thidua test` derives titles by the criteria as `evaluate` does (it judged without them)."""
    folder = example_2024_copy
    done = _run("evaluate", str(folder), "--no-record", "--format", "json")
    judgements = {j["target"]: j for j in json.loads(done.stdout)["judgements"]}
    statuses = {t: j["status"] for t, j in judgements.items()}
    # only with the criteria: the LĐTT titles they find eligible to propose (not decided) make it pending
    assert statuses["staff.advanced_workers"] == "pending"
    notes = {c["note"] for r in judgements["staff.advanced_workers"]["reasons"] for c in r.get("checks", [])}
    assert "eligible_pending" in notes
    expect = {t: statuses[t] for t in ("units.advanced", "staff.advanced_workers", "staff.emulation_fighters")}
    tests = {"cases": [{"name": "như evaluate", "facts": "roster.facts.yaml", "expect": expect}]}
    (folder / "targets.tests.yaml").write_text(yaml.safe_dump(tests, allow_unicode=True), encoding="utf-8")
    done = _run("test", str(folder))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1e400", '"inf"', '"1e400"'])
@pytest.mark.parametrize("place", ["threshold", "share threshold", "condition", "fact"])
def test_numbers_no_one_measured_are_refused_located(tmp_path: Path, value: str, place: str) -> None:
    """Infinities and NaN (and 1e400, which is one) are located bad input, never an internal error."""
    from thidua.evaluator.facts.reader import load_facts
    from thidua.rules.errors import UserError
    from thidua.rules.loader import load_rules

    good = {"threshold": "1", "share threshold": "50%", "condition": "1", "fact": "2"}
    v = {k: (value if k == place else x) for k, x in good.items()}
    (tmp_path / "t.rules.yaml").write_text(
        "version: 1\nperiod: 2022\nuse: [core]\n"
        "kinds: [{id: project, title: Đề tài, attributes: [{id: score, label: Điểm, type: number}]}]\n"
        "targets:\n"
        f"  - {{id: a, title: A, measure: {{count: {{of: project, where: {{attr: score, gt: {v['condition']}}}}}}}, "
        f"require: {{gte: {v['threshold']}}}}}\n"
        f"  - {{id: b, title: B, measure: {{share: {{of: project, matching: {{attr: score, gt: 1}}}}}}, "
        f"require: {{gte: {v['share threshold']}}}}}\n",
        encoding="utf-8",
    )
    (tmp_path / "f.facts.yaml").write_text(
        f"period: 2022\nentities:\n  project: [{{id: x, score: {v['fact']}}}]\n", encoding="utf-8"
    )
    with pytest.raises(UserError) as exc:
        rules = load_rules([tmp_path / "t.rules.yaml"], tmp_path)
        load_facts([tmp_path / "f.facts.yaml"], rules, tmp_path)
    [problem] = exc.value.problems
    assert problem.location.line > 0, problem
