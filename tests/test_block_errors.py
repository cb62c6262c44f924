"""Every new construct of the block file fails with one located message (file, line, column), never a crash."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from thidua.evaluator.blocks.run import run_block
from thidua.rules.errors import UserError

HEAD = """\
version: 1
block: {name: Khối thử, members: [a]}
"""
GOOD_GROUP = """\
scoring:
  groups:
    - id: g
      title: G
      max: 5
      items:
        - {id: i, title: I, max: 5, target: t.x}
"""

CASES = [
    (
        "no source",
        "scoring:\n  groups:\n    - {id: g, title: G, max: 5, items: [{id: i, title: I, max: 5}]}\n",
        "block.item_source",
        5,
    ),
    (
        "measure without points",
        "scoring:\n  groups:\n    - {id: g, title: G, max: 5, items: [{id: i, title: I, max: 5, measure: {count: {of: person}}}]}\n",
        "block.item_points",
        5,
    ),
    (
        "target with require",
        "scoring:\n  groups:\n    - {id: g, title: G, max: 5, items: [{id: i, title: I, max: 5, target: t.x, require: {gte: 1}}]}\n",
        "block.item_target_only",
        5,
    ),
    (
        "group sum",
        "scoring:\n  groups:\n    - {id: g, title: G, max: 6, items: [{id: i, title: I, max: 5, target: t.x}]}\n",
        "block.group_sum",
        5,
    ),
    (
        "total sum",
        "scoring:\n  total: 100\n  groups:\n    - {id: g, title: G, max: 5, items: [{id: i, title: I, max: 5, target: t.x}]}\n",
        "block.total_sum",
        4,
    ),
    (
        "negative points",
        "scoring:\n  groups:\n    - {id: g, title: G, max: 5, items: [{id: i, title: I, max: -5, target: t.x}]}\n",
        "block.bad_points",
        5,
    ),
    (
        "boolean points",
        "scoring:\n  groups:\n    - {id: g, title: G, max: true, items: [{id: i, title: I, max: 5, target: t.x}]}\n",
        "block.bad_points",
        5,
    ),
    ("unknown key", GOOD_GROUP.replace("target: t.x", "target: t.x, maxx: 3"), "rules.unknown_key", 9),
    (
        "duplicate item",
        GOOD_GROUP.replace("max: 5\n", "max: 10\n").replace(
            "t.x}\n", "t.x}\n        - {id: i, title: J, max: 5, target: t.y}\n"
        ),
        "rules.duplicate_id",
        10,
    ),
    ("tie-breaker kind", GOOD_GROUP + "ranking:\n  tie_breakers: [{group: g, bonus: more}]\n", "block.tie_breaker", 11),
    ("tie-breaker group", GOOD_GROUP + "ranking:\n  tie_breakers: [{group: gg}]\n", "block.unknown_group", 11),
    (
        "condition kind",
        GOOD_GROUP
        + "proposals:\n  conditions: [{id: c, title: C, min_score: 3, no_target_not_met: true}]\n  titles: [{id: co, title: Cờ, quota: 1}]\n",
        "block.condition_kind",
        11,
    ),
    (
        "unknown condition",
        GOOD_GROUP + "proposals:\n  titles: [{id: co, title: Cờ, quota: 1, conditions: [nope]}]\n",
        "block.unknown_condition",
        11,
    ),
    ("quota", GOOD_GROUP + "proposals:\n  titles: [{id: co, title: Cờ, quota: -1}]\n", "rules.invalid", 11),
    (
        "exceed per",
        GOOD_GROUP.replace("target: t.x}", "target: t.x, exceeded: {points: 1, per: 0, cap: 1}}"),
        "rules.invalid",
        9,
    ),
]


def write_block(root: Path, body: str) -> Path:
    (root / "block.rules.yaml").write_text(HEAD + body, encoding="utf-8")
    member = root / "a"
    member.mkdir(exist_ok=True)
    rules = """\
version: 1
period: 2022
use: [core]
targets:
  - {id: t.x, title: X, measure: {count: {of: person}}, require: {gte: 1}}
"""
    (member / "targets.rules.yaml").write_text(rules, encoding="utf-8")
    (member / "roster.facts.yaml").write_text("entities:\n  person: [{id: p, name: P}]\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(("name", "body", "code", "line"), CASES, ids=[c[0] for c in CASES])
def test_block_file_problem_is_located(name: str, body: str, code: str, line: int, tmp_path: Path) -> None:
    with pytest.raises(UserError) as info:
        run_block(write_block(tmp_path, body))
    problems = info.value.problems
    assert [p.code for p in problems] == [code], [p.message("en") for p in problems]
    assert problems[0].location.file.endswith("block.rules.yaml")
    assert problems[0].location.line == line
    assert problems[0].location.column >= 1


def test_member_problems_are_the_members_and_located_in_the_block_file(tmp_path: Path) -> None:
    body = textwrap.dedent("""\
        scoring:
          groups:
            - id: g
              title: G
              max: 10
              items:
                - {id: i, title: I, max: 5, target: t.missing}
                - {id: j, title: J, max: 5, per_unit: 1, measure: {count: {of: person, where: {attr: ratng, eq: 1}}}}
        """)
    run = run_block(write_block(tmp_path, body))
    m = run.member("a")
    assert m.error is not None and m.score is None
    found = {(p.code, p.location.line) for p in m.error.problems}
    assert found == {("block.unknown_target", 9), ("rules.unknown_attribute", 10)}
    assert m.error.problems[0].suggestion is not None or m.error.problems[1].suggestion is not None


def test_a_missing_member_folder_is_that_members_error(tmp_path: Path) -> None:
    write_block(tmp_path, GOOD_GROUP)
    text = (tmp_path / "block.rules.yaml").read_text(encoding="utf-8").replace("members: [a]", "members: [a, b]")
    (tmp_path / "block.rules.yaml").write_text(text, encoding="utf-8")
    run = run_block(tmp_path)
    assert run.member("a").error is None
    b = run.member("b")
    assert b.error is not None and b.error.problems[0].code == "block.member_missing"
    assert run.order[-1] == "b"
    # at its own listing, not at the `block:` key
    where = b.error.problems[0].location
    assert (where.line, where.column) == (2, text.splitlines()[1].index("b]") + 1)


BLOCK_EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "khoi-thi-dua-so-6"


@pytest.mark.parametrize(
    "spelling", ["so-noi-vu", "so-noi-vu/", "./so-noi-vu", "../khoi/so-noi-vu", "link-to-so-noi-vu"]
)
def test_a_member_listed_twice_is_refused_at_its_second_listing(tmp_path: Path, spelling: str) -> None:
    """Once scored, ranked and proposed twice: it tied with itself, the flag went pending and every
    other member dropped. Members are folders: resolved, a second listing is a located error."""
    from tests.e2e.process import judge, run_script

    shutil.copytree(BLOCK_EXAMPLE, tmp_path / "khoi")
    shutil.copytree(BLOCK_EXAMPLE.parent / "ban-dan-toc-binh-phuoc", tmp_path / "ban-dan-toc-binh-phuoc")
    (tmp_path / "khoi" / "link-to-so-noi-vu").symlink_to(tmp_path / "khoi" / "so-noi-vu")
    path = tmp_path / "khoi" / "block.rules.yaml"
    text = path.read_text(encoding="utf-8")
    listed = "    - ban-quan-ly-kcn\n"
    assert listed in text
    path.write_text(text.replace(listed, listed + f"    - {spelling}\n", 1), encoding="utf-8")
    line = text[: text.index(listed)].count("\n") + 2
    outcome = run_script("block", "khoi", "--no-record", cwd=tmp_path)
    assert outcome.rc == 2 and judge(outcome) is None, outcome.describe()
    assert f"khoi/block.rules.yaml:{line}:7: lỗi: Thành viên '{spelling}' là cùng thư mục với 'so-noi-vu'" in (
        outcome.stderr
    ), outcome.stderr


def _block_copy(tmp_path: Path, old: str, new: str) -> Path:
    """The example block and its shared member, with one text of the block file replaced."""
    shutil.copytree(BLOCK_EXAMPLE, tmp_path / "khoi")
    shutil.copytree(BLOCK_EXAMPLE.parent / "ban-dan-toc-binh-phuoc", tmp_path / "ban-dan-toc-binh-phuoc")
    path = tmp_path / "khoi" / "block.rules.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_real_process_a_missing_member_is_located_at_its_own_line(tmp_path: Path) -> None:
    """It pointed at the `block:` key (block.rules.yaml:3:3), not at the member's line."""
    from tests.e2e.process import judge, run_script

    listed = "    - ban-quan-ly-kcn\n"
    path = _block_copy(tmp_path, listed, listed + "    - khong-co-ai\n")
    line = path.read_text(encoding="utf-8").splitlines().index("    - khong-co-ai") + 1
    outcome = run_script("block", "khoi", "--no-record", cwd=tmp_path)
    assert outcome.rc == 2 and judge(outcome) is None, outcome.describe()
    assert f"khoi/block.rules.yaml:{line}:7: lỗi: Không tìm thấy thư mục thành viên 'khong-co-ai'" in (
        outcome.stdout + outcome.stderr
    ), outcome.describe()


def test_real_process_a_per_unit_of_thirty_digits_is_explained(tmp_path: Path) -> None:
    """27 to 30 digits are accepted in a file, and crashed the block's number formatting (exit 3)."""
    from tests.e2e.process import judge, run_script

    _block_copy(tmp_path, "          per_unit: 1\n", "          per_unit: " + "9" * 30 + "\n")
    outcome = run_script("block", "khoi", "--explain", "so-noi-vu", "--no-record", cwd=tmp_path)
    assert outcome.rc == 0 and judge(outcome) is None, outcome.describe()
    assert "× 999.999.999.999.999.999.999.999.999.999,00 điểm" in outcome.stdout, outcome.stdout


def test_a_folder_without_block_file(tmp_path: Path) -> None:
    with pytest.raises(UserError) as info:
        run_block(tmp_path)
    assert info.value.problems[0].code == "block.no_file"


def test_the_example_block_file_satisfies_the_committed_schema() -> None:
    import json

    import jsonschema
    import yaml

    from tests.conftest import ROOT
    from thidua.rules.schema import block_schema

    committed = json.loads((ROOT / "schemas" / "block.schema.json").read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(block_schema())), "run: thidua schema --out schemas"
    path = ROOT / "examples" / "khoi-thi-dua-so-6" / "block.rules.yaml"
    assert path.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../schemas/block.schema.json"
    )
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(jsonschema.Draft7Validator(committed).iter_errors(data)) == []
    typo = {**data, "scoring": {**data["scoring"], "groupz": []}}
    assert list(jsonschema.Draft7Validator(committed).iter_errors(typo))
