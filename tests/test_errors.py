"""Every bad-input path: one located message naming file, line and column, what to change, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli, run_json

RULES = "targets.rules.yaml"
FACTS = "roster.facts.yaml"

# (id, file, old text, new text, text whose position is reported, message fragment, suggestion)
CASES = [
    ("unknown key", RULES, "require: {gte: 5}", "requir: {gte: 5}", "requir:", "Khóa 'requir'", "require"),
    (
        "unknown level in a requirement",
        RULES,
        "require: {gte: hoan_thanh_tot}",
        "require: {gte: hoan_thanh_tott}",
        "{gte: hoan_thanh_tott}",
        "không phải một mức của thang xep_loai",
        "hoan_thanh_tot",
    ),
    (
        "unknown title in a condition",
        RULES,
        "{has_title: tap_the_lao_dong_xuat_sac}",
        "{has_title: tap_the_lao_dong_xuat_sc}",
        "{has_title: tap_the_lao_dong_xuat_sc}",
        "Không có danh hiệu",
        "tap_the_lao_dong_xuat_sac",
    ),
    (
        "unknown kind in a measure",
        RULES,
        "of: unit\n",
        "of: units\n",
        "of: units",
        "Không có loại đối tượng 'units'",
        "unit",
    ),
    (
        "unknown attribute in a condition",
        RULES,
        "{attr: third_child, eq: true}",
        "{attr: third_chil, eq: true}",
        "{attr: third_chil",
        "không có thuộc tính 'third_chil'",
        "third_child",
    ),
    (
        "level value not in the scale",
        RULES,
        "{attr: union_grade, at_least: kha}",
        "{attr: union_grade, at_least: kha_gioi}",
        "{attr: union_grade",
        "'kha_gioi' không phải một mức",
        None,
    ),
    (
        "duplicate target id",
        RULES,
        "id: units.excellent",
        "id: units.advanced",
        "id: units.advanced\n    group: collective\n    title: 02",
        "đã được khai báo tại targets.rules.yaml:",
        None,
    ),
    (
        "share written as 90 instead of 90%",
        RULES,
        "require: {gt: 90%}",
        "require: {gt: 90}",
        "{gt: 90}",
        "không bao giờ đạt được",
        "90%",
    ),
    (
        "unknown pack",
        RULES,
        "use: [criteria]",
        "use: [criterio]",
        "criterio]",
        "Không có gói quy tắc 'criterio'",
        "criteria",
    ),
    (
        "holds compared with gt",
        RULES,
        "require: {eq: true}",
        "require: {gt: true}",
        "{gt: true}",
        "chỉ dùng 'eq: true'",
        None,
    ),
    (
        "a measure of two kinds",
        RULES,
        "      level: {of: union, attribute: rating}\n",
        "      level: {of: union, attribute: rating}\n      count: {of: unit}\n",
        "level: {of: union, attribute: rating}\n      count",
        "Phép đo là đúng một trong",
        None,
    ),
    (
        "an id with diacritics",
        RULES,
        "id: units.excellent",
        "id: units.xuất_sắc",
        "units.xuất_sắc",
        "chỉ được gồm chữ thường không dấu",
        None,
    ),
    (
        "an exceed policy that does not exist",
        RULES,
        "count_proposed: true",
        "count_proposed: true\n    exceed: sometimes",
        "sometimes",
        "Giá trị 'sometimes' không hợp lệ",
        None,
    ),
    (
        "a list where a number is expected",
        RULES,
        "require: {gte: 5}",
        "require: {gte: [5]}",
        "[5]",
        "không đúng kiểu",
        None,
    ),
    (
        "a condition of no known form",
        RULES,
        "{has_title: tap_the_lao_dong_xuat_sac}",
        "{holds_title: tap_the_lao_dong_xuat_sac}",
        "{holds_title",
        "Điều kiện là một trong",
        None,
    ),
    (
        "undeclared kind in facts",
        FACTS,
        "  union:\n",
        "  unions:\n",
        "unions:",
        "Loại đối tượng 'unions' chưa được khai báo",
        "union",
    ),
    (
        "wrong diacritics in a level",
        FACTS,
        "rating: hoan_thanh_tot",
        "rating: Hoàn thành tôt nhiệm vụ",
        "Hoàn thành tôt",
        "không phải một mức của thang xep_loai",
        "Hoàn thành tốt nhiệm vụ",
    ),
    (
        "unknown title in facts",
        FACTS,
        "- gia_dinh_van_hoa\n",
        "- gia_dinh_van_hoa_x\n",
        "gia_dinh_van_hoa_x",
        "Không có danh hiệu",
        "gia_dinh_van_hoa",
    ),
    (
        "title held by the wrong kind",
        FACTS,
        "        - tap_the_lao_dong_xuat_sac\n",
        "        - lao_dong_tien_tien\n",
        "lao_dong_tien_tien\n        - {title: bang_khen_ubnd_tinh",
        "không dành cho 'unit'",
        None,
    ),
    (
        "duplicate entity id",
        FACTS,
        "id: p02",
        "id: p01",
        "p01\n      name: Điểu",
        "đã dùng tại roster.facts.yaml:",
        None,
    ),
    (
        "reference to an unknown unit",
        FACTS,
        "unit: khth\n",
        "unit: khth2\n",
        "khth2",
        "Không có đối tượng 'unit' mang mã 'khth2'. Có phải là mã 'khth' (Phòng Kế hoạch - Tổng hợp)?",
        None,
    ),
    (
        "a unit named by its name resolves to its code; a near name gets the code and name",
        FACTS,
        "unit: khth\n",
        "unit: Phòng Kế hoạch - Tổng hợpp\n",
        "Phòng Kế hoạch - Tổng hợpp",
        "Có phải là mã 'khth' (Phòng Kế hoạch - Tổng hợp)?",
        None,
    ),
    (
        "facts of another year",
        FACTS,
        "period: 2022",
        "period: 2021",
        "2021",
        "Dữ kiện thuộc năm 2021 nhưng chỉ tiêu là của năm 2022",
        None,
    ),
    (
        "unknown attribute in facts",
        FACTS,
        "third_child: false",
        "third_chld: false",
        "third_chld",
        "không có thuộc tính 'third_chld'",
        "third_child",
    ),
    (
        "not a boolean",
        FACTS,
        "union_member: true",
        "union_member: maybe",
        "maybe",
        "không hợp với thuộc tính 'union_member'",
        None,
    ),
    (
        "bad title state",
        FACTS,
        "state: proposed\n",
        "state: proposd\n",
        "proposd",
        "Trạng thái 'proposd' không hợp lệ",
        "proposed",
    ),
    (
        "awaiting without who",
        FACTS,
        "        awaiting: Đảng ủy Khối cơ quan và Doanh nghiệp tỉnh\n",
        "",
        "provisional: hoan_thanh_tot\n        note: Chi bộ",
        "cần ghi 'awaiting",
        None,
    ),
]


def position(text: str, fragment: str) -> tuple[int, int]:
    index = text.index(fragment)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


@pytest.mark.parametrize(
    ("case", "file", "old", "new", "at", "fragment", "suggestion"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_input_is_located(
    example_copy: Path, case: str, file: str, old: str, new: str, at: str, fragment: str, suggestion: str | None
) -> None:
    path = example_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text, case
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    result = run_cli("evaluate", example_copy)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    line, column = position(text, at)
    assert f"{file}:{line}:{column}:" in result.stderr, result.stderr
    assert fragment in result.stderr
    if suggestion is not None:
        assert f"Có phải là '{suggestion}'?" in result.stderr


def test_every_problem_of_a_file_is_reported_at_once(example_copy: Path) -> None:
    path = example_copy / FACTS
    text = path.read_text(encoding="utf-8")
    text = (
        text.replace("  union:\n", "  unions:\n")
        .replace("third_child: false", "third_chld: false", 1)
        .replace("unit: khth\n", "unit: khth2\n", 1)
    )
    path.write_text(text, encoding="utf-8")
    result = run_cli("evaluate", example_copy)
    assert result.exit_code == 2
    assert "Dữ liệu đầu vào có 3 lỗi" in result.stderr


def test_yaml_syntax_error(example_copy: Path) -> None:
    path = example_copy / RULES
    path.write_text(
        path.read_text(encoding="utf-8").replace("require: {gte: 5}", "require: {gte: 5", 1), encoding="utf-8"
    )
    result = run_cli("evaluate", example_copy)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "targets.rules.yaml:" in result.stderr and "Lỗi cú pháp YAML" in result.stderr


def test_duplicate_yaml_key(example_copy: Path) -> None:
    path = example_copy / RULES
    path.write_text(
        path.read_text(encoding="utf-8").replace("period: 2022\n", "period: 2022\nperiod: 2023\n", 1), encoding="utf-8"
    )
    result = run_cli("evaluate", example_copy)
    assert result.exit_code == 2
    assert "Khóa bị lặp" in result.stderr


def test_missing_folder() -> None:
    result = run_cli("evaluate", "no/such/folder")
    assert result.exit_code == 2
    assert "Không tìm thấy tệp hoặc thư mục 'no/such/folder'" in result.stderr


def test_missing_named_file(example_copy: Path) -> None:
    result = run_cli("evaluate", example_copy, "--facts", example_copy / "other.facts.yaml")
    assert result.exit_code == 2
    assert "other.facts.yaml" in result.stderr and "Không tìm thấy" in result.stderr


def test_folder_without_rules(tmp_path: Path) -> None:
    result = run_cli("evaluate", tmp_path)
    assert result.exit_code == 2
    assert "không có tệp quy tắc" in result.stderr


def test_file_of_unknown_type(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = run_cli("evaluate", tmp_path / "notes.txt")
    assert result.exit_code == 2
    assert "*.rules.yaml" in result.stderr


def test_not_utf8(example_copy: Path) -> None:
    path = example_copy / FACTS
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    result = run_cli("evaluate", example_copy)
    assert result.exit_code == 2
    assert "không phải UTF-8" in result.stderr


def test_errors_in_english(example_copy: Path) -> None:
    path = example_copy / FACTS
    path.write_text(path.read_text(encoding="utf-8").replace("  union:\n", "  unions:\n"), encoding="utf-8")
    result = run_cli("evaluate", example_copy, "--lang", "en")
    assert result.exit_code == 2
    assert "Entity kind 'unions' is not declared in the rules. Did you mean 'union'?" in result.stderr


def test_errors_as_json(example_copy: Path) -> None:
    path = example_copy / FACTS
    path.write_text(path.read_text(encoding="utf-8").replace("  union:\n", "  unions:\n"), encoding="utf-8")
    result = run_cli("evaluate", example_copy, "--format", "json")
    assert result.exit_code == 2
    problems = json.loads(result.stdout)["problems"]
    assert problems[0]["code"] == "facts.unknown_kind"
    assert problems[0]["location"]["file"] == FACTS and problems[0]["location"]["line"] > 0
    assert problems[0]["suggestion"] == "union"


def test_facts_may_be_json(example_copy: Path) -> None:
    (example_copy / "extra.facts.json").write_text(
        json.dumps({"period": 2022, "entities": {"unit": [{"id": "x", "titles": ["no_such_title"]}]}}), encoding="utf-8"
    )
    result = run_cli("evaluate", example_copy)
    assert result.exit_code == 2
    assert "extra.facts.json" in result.stderr and "Có phải" not in result.stderr.split("extra.facts.json")[0]


def test_rule_files_using_each_other_in_a_cycle(tmp_path: Path) -> None:
    (tmp_path / "a.rules.yaml").write_text("use: [b.rules.yaml]\n", encoding="utf-8")
    (tmp_path / "b.rules.yaml").write_text("use: [a.rules.yaml]\n", encoding="utf-8")
    result = run_cli("evaluate", tmp_path / "a.rules.yaml")
    assert result.exit_code == 2
    assert "thành vòng" in result.stderr


def test_a_file_named_in_the_folder_and_used_by_another_is_loaded_once(tmp_path: Path) -> None:
    (tmp_path / "a.rules.yaml").write_text(
        "use: [core, b.rules.yaml]\ntargets:\n  - {id: a, title: A, measure: {count: {of: unit}}, require: {gte: 1}}\n",
        encoding="utf-8",
    )
    (tmp_path / "b.rules.yaml").write_text(
        "use: [core]\ntargets:\n  - {id: b, title: B, measure: {count: {of: person}}, require: {gte: 1}}\n",
        encoding="utf-8",
    )
    code, data = run_json("evaluate", tmp_path, "--no-record")
    assert code == 0
    assert sorted(j["target"] for j in data["judgements"]) == ["a", "b"]


def test_a_key_with_no_value_is_named_not_shown_as_none(example_copy: Path) -> None:
    """`measure:` with nothing after it: the value is YAML's null, which the message showed as 'None'."""
    path = example_copy / RULES
    text = path.read_text(encoding="utf-8")
    old = "    measure:\n      holds:\n        of: organization\n        condition: {has_title: bang_khen_ubnd_tinh}\n"
    assert old in text
    text = text.replace(old, "    measure:\n", 1)
    path.write_text(text, encoding="utf-8")
    result = run_cli("evaluate", example_copy)
    assert result.exit_code == 2, result.output
    line = text[: text.index("    measure:\n")].count("\n") + 1
    assert f"{RULES}:{line}:" in result.stderr, result.stderr
    assert "Khóa 'measure' chưa có giá trị: cần" in result.stderr and "None" not in result.stderr, result.stderr
