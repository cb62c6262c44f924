"""Vietnamese names where a code is expected: labels, aliases and abbreviations resolve to codes, in rules and facts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from thidua.evaluator.run import run_path
from thidua.rules.errors import UserError
from thidua.rules.loader import load_rules

HEAD = "version: 1\nperiod: 2022\nuse: [core]\ntargets:\n"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("lao_dong_tien_tien", "lao_dong_tien_tien"),
        ("Lao động tiên tiến", "lao_dong_tien_tien"),
        ("LĐTT", "lao_dong_tien_tien"),
        ("lđtt", "lao_dong_tien_tien"),
        ("lao dong tien tien", "lao_dong_tien_tien"),
        ("CSTĐCS", "chien_si_thi_dua_co_so"),
        ("TTLĐTT", "tap_the_lao_dong_tien_tien"),
        ("TTLĐXS", "tap_the_lao_dong_xuat_sac"),
        ("GĐVH", "gia_dinh_van_hoa"),
        ("Gia đình văn hóa", "gia_dinh_van_hoa"),
        # a decomposed (NFD) spelling, as some editors save it
        ("Lao \u0111o\u0323\u0302ng tie\u0302n tie\u0302\u0301n", "lao_dong_tien_tien"),
    ],
)
def test_a_title_may_be_named_by_label_alias_or_abbreviation(tmp_path: Path, written: str, code: str) -> None:
    kind = "unit" if code.startswith("tap_the") else "person"
    (tmp_path / "t.rules.yaml").write_text(
        HEAD + f"  - {{id: a, title: A, measure: {{count: {{of: {kind}, where: {{has_title: '{written}'}}}}}}, "
        "require: {gte: 1}}\n",
        encoding="utf-8",
    )
    rules = load_rules([tmp_path / "t.rules.yaml"])
    assert rules.targets[0].measure.where.title == code  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("written", "level"),
    [
        ("HTXSNV", 3),
        ("HTTNV", 2),
        ("HTNV", 1),
        ("KHTNV", 0),
        ("hoan thanh tot nhiem vu", 2),
        ("Hoàn thành tốt nhiệm vụ", 2),
    ],
)
def test_a_level_may_be_named_by_abbreviation(tmp_path: Path, written: str, level: int) -> None:
    (tmp_path / "t.rules.yaml").write_text(
        HEAD
        + f"  - {{id: a, title: A, measure: {{level: {{of: 'Công đoàn', attribute: rating}}}}, require: {{gte: {written}}}}}\n",
        encoding="utf-8",
    )
    rules = load_rules([tmp_path / "t.rules.yaml"])
    assert rules.targets[0].measure.of == "union"
    assert rules.targets[0].threshold.values[0] == level


def test_facts_name_kinds_titles_levels_and_units_as_people_write_them(tmp_path: Path) -> None:
    (tmp_path / "t.rules.yaml").write_text(
        HEAD + "  - {id: a, title: A, measure: {count: {of: 'Cá nhân', where: {all: [{has_title: LĐTT}, "
        "{attr: rating, at_least: HTTNV}, {attr: unit, eq: vp}]}}}, require: {gte: 2}}\n",
        encoding="utf-8",
    )
    (tmp_path / "f.facts.yaml").write_text(
        "period: 2022\nentities:\n"
        "  Phòng: [{id: vp, name: Văn phòng Sở}]\n"
        "  Cá nhân:\n"
        "    - {id: a, unit: Văn phòng Sở, rating: HTXSNV, titles: [LĐTT]}\n"
        "    - {id: b, unit: van phong so, rating: Hoàn thành tốt nhiệm vụ, titles: [lao dong tien tien]}\n",
        encoding="utf-8",
    )
    judgement = run_path(tmp_path, (), ()).evaluation.judgements[0]
    assert judgement.status == "met", judgement.to_dict()


def test_a_unit_name_near_a_known_one_gets_its_code_and_name(tmp_path: Path) -> None:
    (tmp_path / "t.rules.yaml").write_text(
        HEAD + "  - {id: a, title: A, measure: {count: {of: person}}, require: {gte: 1}}\n", encoding="utf-8"
    )
    (tmp_path / "f.facts.yaml").write_text(
        "entities:\n  unit: [{id: VP, name: Văn phòng Sở}]\n  person: [{id: a, unit: Văn phòng Sơ}]\n", encoding="utf-8"
    )
    with pytest.raises(UserError) as caught:
        run_path(tmp_path, (), ())
    assert "Có phải là mã 'VP' (Văn phòng Sở)?" in caught.value.problems[0].message("vi")


def test_an_alias_naming_two_codes_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "t.rules.yaml").write_text(
        "version: 1\nuse: [core]\ntitles:\n"
        "  - {id: lao_dong_gioi, title: Lao động giỏi, holders: [person], aliases: [LĐTT]}\n",
        encoding="utf-8",
    )
    result = run_cli("validate", str(tmp_path), "--format", "json")
    assert result.exit_code == 2
    errors = json.loads(result.stdout)["errors"]
    assert [e["code"] for e in errors] == ["rules.alias_ambiguous"]
    assert errors[0]["location"]["file"] == "t.rules.yaml" and errors[0]["location"]["line"] == 4
    assert "lao_dong_tien_tien, lao_dong_gioi" in errors[0]["message"]


@pytest.mark.parametrize(
    ("condition", "check"),
    [
        # an unknown attribute is suggested from labels too
        ("{attr: xep_loai, eq: HTTNV}", lambda p: p.suggestion == "rating"),
        # a type is never named without its values or an example
        ("{attr: third_child, eq: maybe}", lambda p: "true/false, có/không" in p.message("vi")),
    ],
    ids=["attribute-from-label", "type-with-values"],
)
def test_condition_mistakes_say_what_to_write(tmp_path: Path, condition: str, check: Any) -> None:
    (tmp_path / "t.rules.yaml").write_text(
        HEAD
        + f"  - {{id: a, title: A, measure: {{count: {{of: person, where: {condition}}}}}, require: {{gte: 1}}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError) as caught:
        load_rules([tmp_path / "t.rules.yaml"])
    assert check(caught.value.problems[0]), caught.value.problems[0].message("vi")
