"""The reading layer (rules/source.py, rules/limits.py): numbers as people write them, bounded
aliases, nesting and sizes, safe YAML only, JSON located like YAML, values made visible."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from thidua.cli.streams import prepare_streams
from thidua.evaluator.authoring.scaffold import targets_text
from thidua.rules import limits, source
from thidua.rules.errors import Location, UserError
from thidua.rules.periods import calendar_year
from thidua.rules.ruleset import parse_number
from thidua.rules.schema import core_rules
from thidua.rules.source import read_document, read_yaml_text, visible


def _value(text: str) -> Any:
    return read_yaml_text(f"v: {text}\n", "x.yaml")["v"]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("010", 10),  # YAML 1.1 would read octal 8
        ("08", 8),  # YAML 1.1 refuses
        ("0", 0),
        ("-05", -5),
        ("12", 12),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("yes", "yes"),  # text where the schema wants text; a boolean attribute reads it too
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("true", True),
        ("False", False),
        ("1:30", "1:30"),  # not sexagesimal 90
        ("0x1F", "0x1F"),
        ("1_000", "1_000"),
        ("~", None),
        ("", None),
        ("2022-12-31", dt.date(2022, 12, 31)),
        ("'02'", "02"),
    ],
)
def test_plain_scalars_are_read_as_written(written: str, read: Any) -> None:
    value = _value(written)
    assert value == read
    assert isinstance(value, bool) == isinstance(read, bool)


def test_a_number_with_leading_zeros_keeps_its_digits_as_text() -> None:
    value = _value("0912345678")
    assert value == 912345678 and str(value) == "0912345678" and f"{value}" == "0912345678"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("1e400", "input.number_not_finite"),
        (".nan", "input.number_not_finite"),
        (".inf", "input.number_not_finite"),
        ("-.Inf", "input.number_not_finite"),
        ("9" * 5000, "input.number_too_long"),
        ("9" * (limits.MAX_INT_DIGITS + 1), "input.number_too_long"),
        ("!!python/object/apply:os.system [echo]", "input.tag"),
        ("!!python/name:os.system", "input.tag"),
        ("!!binary aGk=", "input.tag"),
        ("!custom x", "input.tag"),
    ],
)
def test_numbers_and_tags_that_cannot_be_used_are_refused_where_written(written: str, code: str) -> None:
    with pytest.raises(UserError) as err:
        read_yaml_text(f"a: 1\nv: {written}\n", "x.yaml")
    (problem,) = err.value.problems
    assert problem.code == code and problem.location.line == 2 and problem.location.column == 4


def test_an_alias_inside_itself_is_located() -> None:
    with pytest.raises(UserError) as err:
        read_yaml_text("a: 1\nb: &x [1, *x]\n", "x.yaml")
    assert err.value.problems[0].code == "input.alias_cycle" and err.value.problems[0].location.line == 2


def test_alias_expansion_is_bounded() -> None:
    text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
    with pytest.raises(UserError) as err:
        read_yaml_text(text, "x.yaml")
    assert err.value.problems[0].code == "input.alias_expansion" and err.value.problems[0].location.line > 0


def test_an_alias_used_a_few_times_is_fine() -> None:
    data = read_yaml_text("a: &a {x: 1}\nb: *a\nc: *a\n", "x.yaml")
    assert data["b"] == data["c"] == {"x": 1}


@pytest.mark.parametrize("depth", [limits.MAX_DEPTH + 5, 900])
def test_deep_nesting_is_located(depth: int) -> None:
    with pytest.raises(UserError) as err:
        read_yaml_text("v: " + "[" * depth + "]" * depth + "\n", "x.yaml")
    assert err.value.problems[0].code in ("input.too_deep", "yaml.syntax")
    assert err.value.problems[0].location.line == 1


def test_control_characters_are_made_visible() -> None:
    assert _value('"a\\e[31mb\\x07"') == "a\\x1b[31mb\\x07"
    assert visible("tab\tand\nnewline") == "tab\tand\nnewline"
    assert visible("\u202eevil") == "\\u202eevil"


def test_json_is_located_and_refuses_duplicate_keys(tmp_path: Path) -> None:
    path = tmp_path / "x.facts.json"
    path.write_text(
        '{\n  "period": 2022,\n  "entities": {"person": [{"id": "a"}]},\n  "period": 2023\n}\n', encoding="utf-8"
    )
    with pytest.raises(UserError) as err:
        read_document(path)
    (problem,) = err.value.problems
    assert problem.code == "input.json_duplicate_key" and problem.location.line == 4
    path.write_text('{"period": 2022,\n "note": "x",\n "entities": {"person": [{"id": "a"}]}}', encoding="utf-8")
    data = read_document(path)
    assert data["entities"]["person"][0].loc.line == 3


@pytest.mark.parametrize("text", ['{"v": NaN}', '{"v": 1e400}', '{"v": ' + "9" * 5000 + "}"])
def test_json_numbers_that_cannot_be_used_are_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.facts.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as err:
        read_document(path)
    assert err.value.problems[0].code in ("input.number_not_finite", "input.number_too_long", "yaml.syntax")


def test_files_over_the_size_limit_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.facts.yaml"
    path.write_text("a: 1\n" * 100, encoding="utf-8")
    with pytest.raises(UserError) as err:
        source.read_input_bytes(path, "big.facts.yaml", limit=50)
    assert err.value.problems[0].code == "input.too_large"


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    with pytest.raises(UserError) as err:
        source.read_input_bytes(Path("/dev/zero"), "/dev/zero")
    assert err.value.problems[0].code == "input.not_regular"
    loop = tmp_path / "loop.facts.yaml"
    loop.symlink_to(loop)
    with pytest.raises(UserError) as err:
        source.read_input_bytes(loop, "loop.facts.yaml")
    assert err.value.problems[0].code == "file.unreadable"


@pytest.mark.parametrize(
    ("value", "number"),
    [("08", 8), ("010", 10), ("8,5", 8.5), ("1e400", None), ("nan", None), ("9" * 31, None), (float("inf"), None)],
)
def test_numbers_from_cells_are_decimal_and_finite(value: Any, number: Any) -> None:
    assert parse_number(value) == number


def test_locations_speak_the_language_of_the_message() -> None:
    cell = Location("roster.facts.xlsx", 3, 2, sheet="Cá nhân", column_name="Xếp loại")
    assert cell.describe("vi") == "roster.facts.xlsx, sheet 'Cá nhân', dòng 3, cột 'Xếp loại'"
    assert cell.describe("en") == "roster.facts.xlsx, sheet 'Cá nhân', row 3, column 'Xếp loại'"
    from thidua.rules.errors import Problem

    problem = Problem("yaml.duplicate_key", Location("a.yaml", 4, 1), {"key": "k", "first": cell})
    assert "dòng 3" in problem.message("vi") and "row 3" not in problem.message("vi")
    assert "row 3" in problem.message("en")


@pytest.mark.parametrize(
    "agency", ["Sở: Nội vụ", "Sở\nperiod: 1999\nuse: [x]", "[bold]x[/", "a # b", "'\"", "\x1b[31m"]
)
def test_init_writes_the_agency_name_as_a_value(agency: str) -> None:
    text = targets_text(calendar_year(2025), agency, core_rules())
    data = read_yaml_text(text, "chi-tieu.rules.yaml")
    assert data["period"] == 2025 and data["use"][0] == "core"
    assert data["name"] == visible(f"{agency} — chỉ tiêu thi đua năm 2025")


def test_a_non_utf8_redirect_writes_utf8_instead_of_failing() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252")
    prepare_streams((stream,))
    stream.write("Tổng cộng 14 chỉ tiêu\n")
    stream.flush()
    assert raw.getvalue().decode("utf-8") == "Tổng cộng 14 chỉ tiêu\n"
