"""Starting an agency and writing YAML: syntax errors explained with the fix, init picks the
criteria pack of its period, the roster template's lists cover whole columns, ids complete in the shell."""

from __future__ import annotations

import os
from pathlib import Path

import click
import pytest

from tests.conftest import EXAMPLE, EXAMPLE_2022, run_cli
from tests.first_hour_helpers import thidua
from thidua.cli.completion import agency_folders, complete_path, complete_target, complete_title
from thidua.cli.main import cli
from thidua.evaluator.authoring.scaffold import criteria_pack_for
from thidua.rules.errors import UserError
from thidua.rules.periods import calendar_year
from thidua.rules.source import read_document

# (file text, message code, line, column, a phrase of the Vietnamese message)
SYNTAX_CASES = [
    ("title: Chỉ tiêu 1: trên 90%\n", "yaml.syntax.colon", 1, 18, 'title: "Chỉ tiêu 1: trên 90% đạt'),
    ("targets:\n\t- id: a\n", "yaml.syntax.tab", 2, 1, "Thay Tab bằng dấu cách"),
    ("a:\n  b: 1\n\tc: 2\n", "yaml.syntax.tab", 3, 1, "Thay Tab bằng dấu cách"),
    ('title: "Công đoàn\nx: 1\n', "yaml.syntax.quote", 3, 1, "dấu nháy mở ở dòng 1 chưa được đóng"),
    ("use: [core, criteria\nx: 1\n", "yaml.syntax.bracket", 2, 2, "dấu '[' mở ở dòng 1"),
    ("x: {a: 1\n", "yaml.syntax.bracket", 2, 1, "dấu '{' mở ở dòng 1"),
    ("title: @abc\n", "yaml.syntax.reserved", 1, 8, "bắt đầu bằng ký tự '@'"),
    ("a:\n  - b\n c: 1\n", "yaml.syntax.indent", 3, 2, "thụt lề không khớp với khối bắt đầu ở dòng 1"),
]


@pytest.mark.parametrize(("text", "code", "line", "column", "phrase"), SYNTAX_CASES)
def test_yaml_syntax_errors_say_where_and_how_to_fix(
    tmp_path: Path, text: str, code: str, line: int, column: int, phrase: str
) -> None:
    path = tmp_path / "t.rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        read_document(path, "t.rules.yaml")
    (problem,) = caught.value.problems
    assert (problem.code, problem.location.line, problem.location.column) == (code, line, column)
    assert phrase in problem.message("vi")
    assert "mapping values" not in problem.message("vi") and "token" not in problem.message("vi")
    assert problem.message("en").startswith("YAML syntax error:")


def test_a_title_with_a_colon_as_a_real_process(example_copy: Path) -> None:
    path = example_copy / "targets.rules.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Phấn đấu", "title: Chỉ tiêu: Phấn đấu", 1), encoding="utf-8")
    done = thidua("validate", example_copy)
    assert done.returncode == 2
    assert "targets.rules.yaml:" in done.stdout and "dấu nháy kép" in done.stdout


@pytest.mark.parametrize(
    ("period", "pack"), [(2022, "criteria_nd91"), (2023, "criteria_nd91"), (2024, "criteria_nd98")]
)
def test_init_uses_the_criteria_of_its_period(tmp_path: Path, period: int, pack: str) -> None:
    assert criteria_pack_for(calendar_year(period)) == pack
    folder = tmp_path / "moi"
    assert thidua("init", folder, "--period", str(period)).returncode == 0
    assert f"use: [core, {pack}]" in (folder / "chi-tieu.rules.yaml").read_text(encoding="utf-8")
    sheet = thidua("candidates", folder)
    assert sheet.returncode == 0, sheet.stderr
    assert "Không có tiêu chuẩn danh hiệu nào áp dụng" not in sheet.stdout and "Lao động tiên tiến" in sheet.stdout


def test_candidates_says_which_pack_to_add(tmp_path: Path) -> None:
    folder = tmp_path / "core-only"
    assert thidua("init", folder, "--period", "2024").returncode == 0
    rules = folder / "chi-tieu.rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("use: [core, criteria_nd98]", "use: [core]", 1), encoding="utf-8")
    done = thidua("candidates", folder)
    assert done.returncode == 0
    assert "Không có tiêu chuẩn danh hiệu nào áp dụng cho năm 2024" in done.stdout
    assert "use: [core, criteria_nd98]" in done.stdout


def test_the_template_lists_cover_whole_columns_and_titles_have_one(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    assert thidua("init", tmp_path / "x", "--period", "2024").returncode == 0
    book = load_workbook(tmp_path / "x" / "du-lieu.facts.xlsx")
    people = book["Cá nhân"]
    headers = [c.value for c in people[1]]
    ranges = {str(dv.sqref): dv for dv in people.data_validations.dataValidation}
    rating = people.cell(1, headers.index("Xếp loại") + 1).column_letter
    titles = people.cell(1, headers.index("Danh hiệu") + 1).column_letter
    assert f"{rating}2:{rating}1048576" in ranges
    assert f"{titles}2:{titles}1048576" in ranges
    listed = ranges[f"{titles}2:{titles}1048576"].formula1.split("!")[1].replace("$", "")
    names = [c.value for row in book["_danh_muc"][listed] for c in row]
    assert "Lao động tiên tiến" in names and "Chiến sĩ thi đua cơ sở" in names
    assert not ranges[f"{titles}2:{titles}1048576"].showErrorMessage  # several titles are typed with ';'


def _ctx(*args: str) -> click.Context:
    cmd = cli.get_command(click.Context(cli), args[0])  # loaded on first use (LAZY_COMMANDS), whatever ran before
    assert cmd is not None
    return cmd.make_context(args[0], list(args[1:]), resilient_parsing=True)


def test_completion_of_targets_titles_and_agency_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = _ctx("explain", str(EXAMPLE_2022))
    targets = complete_target(ctx, ctx.command.params[1], "staff.")
    assert "staff.emulation_soldiers" in targets and all(t.startswith("staff.") for t in targets)
    ctx = _ctx("candidates", str(EXAMPLE_2022))
    assert complete_title(ctx, ctx.command.params[0], "chien") == [
        "chien_si_thi_dua_cap_tinh",
        "chien_si_thi_dua_co_so",
    ]
    assert complete_target(_ctx("explain", "/nowhere"), ctx.command.params[0], "") == []
    monkeypatch.chdir(EXAMPLE)
    assert agency_folders("") == ["2022", "2023", "2024"]
    assert [i.value for i in complete_path(ctx, ctx.command.params[0], "202")] == ["2022", "2023", "2024"]
    assert [i.type for i in complete_path(ctx, ctx.command.params[0], "zz")] == ["file"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("thidua explain 2022 staff.emulation_s", "plain,staff.emulation_soldiers"),
        ("thidua candidates 2022 --title chien_si_thi_dua_c", "plain,chien_si_thi_dua_cap_tinh"),
        ("thidua evaluate 202", "plain,2022"),
    ],
)
def test_shell_completion_as_a_real_process(words: str, expected: str) -> None:
    env = {"_THIDUA_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    done = thidua(cwd=EXAMPLE, env=env)
    assert done.returncode == 0 and expected in done.stdout.splitlines(), done.stdout + done.stderr


def test_completion_script_is_generated() -> None:
    done = thidua(env={"_THIDUA_COMPLETE": "bash_source"})
    assert done.returncode == 0 and "_THIDUA_COMPLETE=bash_complete" in done.stdout
    assert os.environ.get("_THIDUA_COMPLETE") is None
    assert run_cli("example").exit_code == 0
