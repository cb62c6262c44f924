"""thidua init and thidua schema: a scaffold that validates and evaluates, schemas editors can use."""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from openpyxl import load_workbook

from tests.conftest import EXAMPLE_2022, EXAMPLE_2023, ROOT, run_cli, run_json


@pytest.fixture
def scaffold(tmp_path: Path) -> Path:
    folder = tmp_path / "so-noi-vu"
    result = run_cli("init", folder, "--period", "2025", "--agency", "Sở Nội vụ")
    assert result.exit_code == 0, result.stderr
    return folder


def test_init_output_validates_and_evaluates_pending_everywhere(scaffold: Path) -> None:
    assert run_cli("validate", scaffold, "--strict").exit_code == 0
    code, data = run_json("evaluate", scaffold)
    assert code == 0
    kinds = {j["measured"]["kind"] for j in data["judgements"]}
    assert kinds == {"count", "share", "level", "holds", "sum"}  # an example of every target kind
    assert all(j["status"] == "pending" for j in data["judgements"])
    assert data["period"] == 2025


def test_init_writes_commented_targets_readme_and_schema_comment(scaffold: Path) -> None:
    targets = (scaffold / "chi-tieu.rules.yaml").read_text(encoding="utf-8")
    assert targets.startswith("# yaml-language-server: $schema=schemas/rules.schema.json\n")
    assert "# Tỷ lệ (share)" in targets and "Hoàn thành xuất sắc nhiệm vụ" in targets
    assert "Sở Nội vụ" in (scaffold / "HUONG-DAN.md").read_text(encoding="utf-8")
    for name in ("rules", "facts", "tests"):
        json.loads((scaffold / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))


def test_init_workbook_has_a_sheet_per_kind_headers_and_level_lists(scaffold: Path) -> None:
    book = load_workbook(scaffold / "du-lieu.facts.xlsx")
    assert [s for s in book.sheetnames if not s.startswith("_")] == [
        "Cơ quan",
        "Tập thể",
        "Cá nhân",
        "Công đoàn cơ sở",
        "Chi bộ",
    ]
    people = book["Cá nhân"]
    headers = [c.value for c in people[1]]
    assert (
        headers[:4] == ["Mã", "Họ và tên", "Phòng", "Chức vụ"]
        and "Xếp loại" in headers
        and headers[-2:] == ["Danh hiệu", "Ghi chú"]
    )
    lists = book["_danh_muc"]
    assert lists.sheet_state == "hidden"
    levels = {lists.cell(r, c).value for c in range(1, lists.max_column + 1) for r in range(2, lists.max_row + 1)}
    assert {"Hoàn thành tốt nhiệm vụ", "Khá", "Có", "Không"} <= levels
    rating_col = headers.index("Xếp loại") + 1
    validations = people.data_validations.dataValidation
    letter = people.cell(1, rating_col).column_letter
    assert any(dv.type == "list" and f"{letter}2" in str(dv.sqref) for dv in validations)


def test_init_refuses_to_overwrite(scaffold: Path) -> None:
    result = run_cli("init", scaffold)
    assert result.exit_code == 2 and "đã có. Thêm --force" in result.stderr and "Traceback" not in result.stderr


def test_init_defaults_to_this_year(tmp_path: Path) -> None:
    assert run_cli("init", tmp_path / "x").exit_code == 0
    assert f"period: {dt.date.today().year}" in (tmp_path / "x" / "chi-tieu.rules.yaml").read_text(encoding="utf-8")


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def _schema(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))


SHIPPED = [
    (EXAMPLE_2022 / "targets.rules.yaml", "rules"),
    (EXAMPLE_2023 / "targets.rules.yaml", "rules"),
    (ROOT / "rules" / "packs" / "core.yaml", "rules"),
    (EXAMPLE_2022 / "roster.facts.yaml", "facts"),
    (EXAMPLE_2022 / "targets.tests.yaml", "tests"),
]


@pytest.mark.parametrize(("path", "schema"), SHIPPED, ids=[f"{p.parent.name}/{p.name}" for p, _ in SHIPPED])
def test_shipped_files_satisfy_the_committed_schemas(path: Path, schema: str) -> None:
    data = _plain(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = list(jsonschema.Draft7Validator(_schema(schema)).iter_errors(data))
    assert errors == []
    if path.parent != ROOT / "rules" / "packs":
        assert path.read_text(encoding="utf-8").startswith(
            f"# yaml-language-server: $schema=../../../schemas/{schema}.schema.json"
        )


@pytest.mark.parametrize(
    ("schema", "document"),
    [
        ("rules", {"targets": [{"id": "a", "title": "A", "mesure": {}}]}),
        ("facts", {"entities": {"person": [{"id": "a", "rating": "Hoàn thành tôt nhiệm vụ"}]}}),
        ("facts", {"entities": {"nguoi": []}}),
        ("tests", {"cases": [{"expect": {"a": "dat"}}]}),
    ],
    ids=["rules-typo", "facts-bad-level", "facts-unknown-kind", "tests-bad-status"],
)
def test_schemas_reject_what_the_loader_rejects(schema: str, document: dict[str, Any]) -> None:
    assert list(jsonschema.Draft7Validator(_schema(schema)).iter_errors(document))


def test_committed_schemas_are_what_thidua_schema_writes(tmp_path: Path) -> None:
    result = run_cli("schema", "--out", tmp_path)
    assert result.exit_code == 0
    for name in ("rules", "facts", "tests"):
        fresh = (tmp_path / f"{name}.schema.json").read_text(encoding="utf-8")
        assert fresh == (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"), (
            "run: thidua schema --out schemas"
        )


def test_rule_schema_speaks_vietnamese() -> None:
    schema = _schema("rules")
    assert "chỉ tiêu" in schema["description"]
    target = schema["$defs"]["Target"]["properties"]
    assert target["title"]["description"] == "Chỉ tiêu như đã đăng ký, bằng tiếng Việt."
    assert "90%" in schema["$defs"]["Requirement"]["description"]


def test_schema_for_an_agency_folder_offers_its_target_ids(tmp_path: Path) -> None:
    assert run_cli("schema", EXAMPLE_2022, "--out", tmp_path).exit_code == 0
    tests = json.loads((tmp_path / "tests.schema.json").read_text(encoding="utf-8"))
    names = tests["properties"]["cases"]["items"]["properties"]["expect"]["propertyNames"]["enum"]
    assert "staff.advanced_workers" in names


def test_schema_of_a_broken_folder_exits_2(tmp_path: Path) -> None:
    (tmp_path / "t.rules.yaml").write_text("targetz: []\n", encoding="utf-8")
    result = run_cli("schema", tmp_path, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "Traceback" not in result.stderr


NEW_MODULES = [
    "rules/check.py",
    "rules/lint.py",
    "rules/schema.py",
    "evaluator/facts/spreadsheet.py",
    "evaluator/facts/workbook.py",
    "evaluator/authoring/scaffold.py",
    "evaluator/authoring/testing.py",
    "evaluator/authoring/validate.py",
]


@pytest.mark.parametrize("module", NEW_MODULES)
def test_authoring_modules_below_the_cli_do_not_print_or_import_the_cli(module: str) -> None:
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(m.split(".")[0] in ("click", "rich", "durable") or m.startswith("thidua.cli") for m in imported)
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert "print" not in calls
    if module.startswith("rules/"):
        assert not any(m.startswith("thidua.evaluator") for m in imported)


def test_the_commented_examples_of_the_scaffold_are_valid_too(scaffold: Path) -> None:
    path = scaffold / "chi-tieu.rules.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("  # - id:"))
    end = next(i for i, line in enumerate(lines) if line.startswith("# --- Danh mục"))
    for i in range(start, end):
        if lines[i].startswith("  # ") and not lines[i].startswith("  # Không có"):
            lines[i] = "  " + lines[i][4:]
    path.write_text("\n".join(lines), encoding="utf-8")
    result = run_cli("validate", scaffold, "--strict")
    assert result.exit_code == 0, result.stdout
    code, data = run_json("evaluate", scaffold)
    assert len(data["judgements"]) == 9


def test_init_into_an_existing_file_is_a_located_error(tmp_path: Path) -> None:
    target = tmp_path / "chi-tieu.rules.yaml"
    target.write_text("version: 1\n", encoding="utf-8")
    result = run_cli("init", target)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "là một tệp, không phải thư mục" in result.stderr


def test_schema_into_an_existing_file_is_a_located_error(tmp_path: Path) -> None:
    target = tmp_path / "schemas"
    target.write_text("", encoding="utf-8")
    result = run_cli("schema", "--out", target)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "là một tệp, không phải thư mục" in result.stderr


def test_init_writes_the_report_header_block_and_the_guide_says_how_it_is_filled(tmp_path: Path) -> None:
    """A new user's first Word report: `init` writes every `agency:` key, commented; filled in, the
    header shows it; `format: dang` draws the Party's layout."""
    from docx import Document

    from tests.e2e.process import run_script
    from thidua.rules.model import Agency

    folder = tmp_path / "so-noi-vu"
    done = run_script("init", folder, "--period", "2024", "--agency", "Sở Nội vụ")
    assert done.rc == 0, done.describe()
    targets_file = folder / "chi-tieu.rules.yaml"
    text = targets_file.read_text(encoding="utf-8")
    block = yaml.safe_load(text)["agency"]
    assert set(block) == set(Agency.model_fields)  # every key the language knows, none invented
    assert block["name"] == "Sở Nội vụ" and block["format"] == "nha_nuoc"
    for key in Agency.model_fields:
        line = next(li for li in text.splitlines() if li.startswith(f"  {key}:"))
        assert "  # " in line, f"agency.{key} has no comment saying what it is"
    guide = (folder / "HUONG-DAN.md").read_text(encoding="utf-8")
    assert "thidua report . --format docx" in guide and "`agency:`" in guide and "signer_name" in guide

    filled = text.replace("  place:   ", "  place: Bình Phước").replace("  parent:   ", "  parent: UBND tỉnh")
    targets_file.write_text(filled, encoding="utf-8")
    done = run_script("report", folder, "--format", "docx", "--no-record", "--out", tmp_path / "a.docx")
    assert done.rc == 0 and "Thể thức" not in done.stderr, done.describe()
    header = " ".join(c.text for t in Document(str(tmp_path / "a.docx")).tables for c in t._cells)
    assert "UBND TỈNH" in header and "SỞ NỘI VỤ" in header and "Bình Phước, ngày" in header
    assert "Số: …/…" in header  # number_symbol left empty: "…" for the secretary

    targets_file.write_text(filled.replace("format: nha_nuoc", "format: dang    "), encoding="utf-8")
    done = run_script("report", folder, "--format", "docx", "--no-record", "--out", tmp_path / "b.docx")
    assert done.rc == 0 and "Thể thức" not in done.stderr, done.describe()
    # the Party's layout (Hướng dẫn 36-HD/VPTW): its national name, "*" under the body, no motto,
    # "Số …-…" without a colon
    party = [p.text for t in Document(str(tmp_path / "b.docx")).tables for c in t._cells for p in c.paragraphs]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in party and "*" in party and "Số …-…" in party
    assert "Độc lập - Tự do - Hạnh phúc" not in party and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in party

    targets_file.write_text(filled.replace("format: nha_nuoc", "format: dảng    "), encoding="utf-8")
    done = run_script("validate", folder)
    assert done.rc == 2
    assert (
        "chi-tieu.rules.yaml:14:11: lỗi: Giá trị 'dảng' không hợp lệ; chọn một trong: 'nha_nuoc', 'dang'."
        in done.stdout
    )
    assert "Có phải là 'dang'?" in done.stdout and " or " not in done.stdout
