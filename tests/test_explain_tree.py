"""`thidua explain`: the tree from verdict to rule text to facts, checked against golden files and by meaning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_2022, run_cli
from tests.golden_explain import TARGETS, VARIANTS, golden_path, render
from thidua.evaluator.explain.tree import explain, rule_block
from thidua.evaluator.judgement import Source
from thidua.evaluator.run import run_path


@pytest.mark.parametrize("suffix,extra", VARIANTS, ids=[v[0] for v in VARIANTS])
@pytest.mark.parametrize("target", TARGETS)
def test_explanations_match_golden_files(target: str, suffix: str, extra: tuple[str, ...]) -> None:
    """Regenerate with `python -m tests.regen_explain_golden`; review the diff, never edit by hand."""
    assert render(target, extra) == golden_path(target, suffix).read_text(encoding="utf-8")


def test_golden_files_cover_every_seed_target() -> None:
    run = run_path(EXAMPLE_2022)
    assert tuple(j.target for j in run.evaluation.judgements) == TARGETS


def _explain_json(*args: str) -> dict:
    result = run_cli("explain", EXAMPLE_2022, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_emulation_soldiers_shows_who_counts_who_does_not_and_the_margin() -> None:
    x = _explain_json("staff.emulation_soldiers")
    assert x["status"] == "exceeded" and x["margin"]["value"] == 1 and x["measured"]["value"] == 3
    counted = next(g for g in x["groups"] if g["code"] == "entities.counted")
    assert [e["id"] for e in counted["entities"]] == ["p04", "p08", "p12"]
    assert counted["checks"][0]["check"]["outcome"] == "true"
    for e in counted["entities"]:
        fact = e["facts"][0]
        assert fact["name"] == "chien_si_thi_dua_co_so" and fact["written"] == "decided"
        assert fact["place"]["file"] == "roster.facts.yaml" and fact["place"]["line"] > e["place"]["line"]
    not_counted = next(g for g in x["groups"] if g["code"] == "entities.not_counted")
    assert not_counted["count"] == 19 and len(not_counted["entities"]) == 19 and not_counted["hidden"] == 0
    check = not_counted["checks"][0]["check"]
    assert (check["actual"], check["outcome"]) == ("none", "false")
    assert x["rule_text"]["first_line"] == x["source"]["line"]
    assert "id: staff.emulation_soldiers" in x["rule_text"]["text"] and "require: {gt: 2}" in x["rule_text"]["text"]
    assert "staff.head_certificate" not in x["rule_text"]["text"]


def line_of(path: Path, text: str, after: str | None = None) -> int:
    """The 1-based line of `text` in a file (the first after `after`), so tests follow edits."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and text in line) + 1


def test_tree_names_people_facts_and_margin_in_vietnamese() -> None:
    out = run_cli("explain", EXAMPLE_2022, "staff.emulation_soldiers").stdout
    target_line = line_of(EXAMPLE_2022 / "targets.rules.yaml", "id: staff.emulation_soldiers")
    p04_line = line_of(EXAMPLE_2022 / "roster.facts.yaml", "id: p04")
    for text in (
        "Lê Thị Hồng Nhung",
        "Hoàng Thị Mai",
        "Lâm Thị Kim Oanh",
        "Được tính (3)",
        "Không được tính (19)",
        "Chênh lệch: +1",
        f"targets.rules.yaml:{target_line}",
        f"roster.facts.yaml:{p04_line}",
    ):
        assert text in out


def test_a_counted_proposal_is_shown_as_a_proposal() -> None:
    x = _explain_json("staff.provincial_merit")
    assert x["count_proposed"] is True
    assert [e["id"] for e in x["proposals_counted"]] == ["p08"]
    counted = next(g for g in x["groups"] if g["code"] == "entities.counted")
    assert counted["checks"][0]["check"]["note"] == "proposal_counted"
    fact = counted["entities"][0]["facts"][0]
    assert fact["written"] == "proposed" and fact["awaiting"] == "UBND tỉnh"
    out = run_cli("explain", EXAMPLE_2022, "staff.provincial_merit").stdout
    assert "MỚI ĐỀ NGHỊ" in out and "đã tính đề nghị thay cho quyết định" in out


def test_an_awaited_value_shows_who_decides_and_where_it_is_written() -> None:
    x = _explain_json("party_cell.rating")
    assert x["status"] == "pending"
    note = x["notes"][0]
    assert note["code"] == "measure.value_awaiting"
    fact = note["facts"][0]["facts"][0]
    assert fact["awaiting"] == "Đảng ủy Khối cơ quan và Doanh nghiệp tỉnh" and fact["place"]["line"] > 0


def test_entity_option_keeps_one_entity() -> None:
    x = _explain_json("staff.emulation_soldiers", "--entity", "p08")
    assert x["entity_filter"] == "p08"
    assert [[e["id"] for e in g["entities"]] for g in x["groups"]] == [["p08"]]


def test_large_groups_are_summarised_and_all_shows_them() -> None:
    run = run_path(EXAMPLE_2022)
    j = next(j for j in run.evaluation.judgements if j.target == "staff.emulation_soldiers")
    short = explain(j, run.rules.files, run.facts, run.rules, limit=5)
    group = next(g for g in short.groups if g.code == "entities.not_counted")
    assert (len(group.entities), group.hidden, group.count) == (5, 14, 19)
    full = explain(j, run.rules.files, run.facts, run.rules, limit=None)
    assert all(g.hidden == 0 and len(g.entities) == g.count for g in full.groups)


def test_large_population_in_the_cli(tmp_path: Path, example_copy: Path) -> None:
    roster = example_copy / "roster.facts.yaml"
    extra = "".join(
        f"    - {{id: x{i:03d}, name: Người {i}, union_member: true, union_grade: kha}}\n" for i in range(40)
    )
    text = roster.read_text(encoding="utf-8").replace("  person:\n", "  person:\n" + extra, 1)
    roster.write_text(text, encoding="utf-8")
    short = run_cli("explain", example_copy, "staff.emulation_soldiers", env={"COLUMNS": "200"})
    assert short.exit_code == 0, short.stderr
    assert "--all" in short.stdout and "x039" not in short.stdout
    full = run_cli("explain", example_copy, "staff.emulation_soldiers", "--all", env={"COLUMNS": "200"})
    assert "x039" in full.stdout and "--all" not in full.stdout


def test_rule_block_cuts_one_target() -> None:
    text = "targets:\n  - id: a\n    title: A\n\n    require: {gt: 1}\n  # next\n  - id: b\n    title: B\n"
    block = rule_block({"r.yaml": text}, Source(file="r.yaml", line=2, column=5))
    assert block is not None and (block.first_line, block.last_line) == (2, 5)
    assert block.text == "  - id: a\n    title: A\n\n    require: {gt: 1}"
    assert rule_block({"r.yaml": text}, Source(file="other.yaml", line=2, column=5)) is None


@pytest.mark.parametrize(
    "args,needle",
    [
        (("staff.emulation_soldier",), "staff.emulation_soldiers"),
        (("staff.emulation_soldiers", "--entity", "p088"), "p08"),
    ],
)
def test_unknown_target_or_entity_exit_2_with_a_suggestion(args: tuple[str, ...], needle: str) -> None:
    result = run_cli("explain", EXAMPLE_2022, *args)
    assert result.exit_code == 2
    assert needle in result.stderr and "Có phải là" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_folder_exit_2(tmp_path: Path) -> None:
    result = run_cli("explain", tmp_path / "nope", "x")
    assert result.exit_code == 2 and "nope" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("module", ["explain/tree.py", "audit/ledger.py", "audit/rerun.py"])
def test_explain_and_ledger_modules_do_not_print(module: str) -> None:
    """Layering: the tree builder and the ledger live in evaluator/, which never imports click or rich."""
    import ast

    from tests.conftest import ROOT

    tree = ast.parse((ROOT / "evaluator" / module).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not imported & {"click", "rich", "durable"}


def test_facts_without_value_positions_are_located_by_their_row() -> None:
    """Spreadsheet readers locate an entity by sheet and row; its values are then shown at that row."""
    from thidua.rules.errors import Location

    run = run_path(EXAMPLE_2022)
    j = next(j for j in run.evaluation.judgements if j.target == "union_members.rating")
    for e in run.facts.of("person"):
        e.loc = Location("roster.xlsx", 7, 0, sheet="Cá nhân")
        e.value_locs = {}
    x = explain(j, run.rules.files, run.facts, run.rules, entity="p05")
    fact = x.groups[0].entities[0].facts[0]
    assert fact.place is not None and (fact.place.sheet, fact.place.line) == ("Cá nhân", 7)
    out = run_cli("explain", EXAMPLE_2022, "union_members.rating", "--entity", "p05").stdout
    assert f"roster.facts.yaml:{line_of(EXAMPLE_2022 / 'roster.facts.yaml', 'union_grade:', after='id: p05')}" in out
