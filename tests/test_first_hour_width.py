"""Output that fits: ids never wrap at 80, 100 or 120 columns, and every command uses one width when piped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_2022, run_cli, run_json
from tests.first_hour_helpers import thidua
from thidua.cli.console import PIPE_WIDTH

LONG_ID = "staff.emulation_soldiers_of_the_provincial_people_committee"


def _ids(folder: Path) -> list[str]:
    _, data = run_json("evaluate", folder, "--no-record")
    return [j["target"] for j in data["judgements"]]


@pytest.fixture
def long_ids(tmp_path: Path) -> Path:
    """The 2022 example with one target id longer than half an 80-column line."""
    folder = tmp_path / "long"
    shutil.copytree(EXAMPLE_2022, folder)
    for p in folder.glob("*.yaml"):
        p.write_text(p.read_text(encoding="utf-8").replace("staff.emulation_soldiers", LONG_ID), encoding="utf-8")
    return folder


@pytest.mark.parametrize("columns", [80, 100, 120])
@pytest.mark.parametrize("which", ["example", "long"])
def test_target_ids_are_never_split(columns: int, which: str, long_ids: Path, tmp_path: Path) -> None:
    folder = EXAMPLE_2022 if which == "example" else long_ids
    ids = _ids(folder)
    assert (LONG_ID in ids) == (which == "long")
    env = {"COLUMNS": str(columns), "THIDUA_LEDGER": str(tmp_path / "l.sqlite")}
    evaluate = thidua("evaluate", folder, env=env)
    assert evaluate.returncode == 0, evaluate.stderr
    lines = evaluate.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    for target in ids:
        assert any(target in line for line in lines), f"{target} split at {columns} columns"
    # the other commands in-process: the same console factory reads the same COLUMNS
    shown = run_cli("audit", "show", "last", env=env)
    assert shown.exit_code == 0, shown.stderr
    for target in ids:
        assert target in shown.stdout, f"audit show splits {target} at {columns} columns"
    explained = run_cli("explain", folder, ids[-1], env=env)
    assert explained.exit_code == 0 and ids[-1] in explained.stdout


def test_a_wide_terminal_gets_the_table_and_a_narrow_one_a_block_per_target() -> None:
    wide = thidua("evaluate", EXAMPLE_2022, "--no-record", env={"COLUMNS": "120"}).stdout
    narrow = thidua("evaluate", EXAMPLE_2022, "--no-record", env={"COLUMNS": "80"}).stdout
    assert "┃ Chỉ tiêu" in wide
    assert "┃" not in narrow and "staff.emulation_soldiers — Vượt (+1)" in narrow


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", EXAMPLE_2022, "--no-record"],
        ["candidates", EXAMPLE_2022],
        ["explain", EXAMPLE_2022, "staff.advanced_workers"],
        ["validate", EXAMPLE_2022],
    ],
    ids=["evaluate", "candidates", "explain", "validate"],
)
def test_piped_output_has_one_width_for_every_command(args: list[str]) -> None:
    """No COLUMNS, not a terminal: 120 columns for all (80 split figures such as 88.89%)."""
    done = thidua(*args)
    assert done.returncode == 0, done.stderr
    widths = [len(line) for line in done.stdout.splitlines()]
    assert max(widths) <= PIPE_WIDTH
    if args[0] in ("evaluate", "candidates"):
        assert max(widths) > 80, "tables fill the pipe width, not 80 columns"


BLOCK = EXAMPLE_2022.parents[1] / "khoi-thi-dua-so-6"


@pytest.mark.parametrize("columns", [None, "200"], ids=["pipe", "200"])
def test_the_block_table_never_breaks_a_member_key_nor_cuts_a_score(columns: str | None, tmp_path: Path) -> None:
    """Piped to a file (120 columns), on a narrow or a wide terminal: each member's key on one line
    (it is copied into --explain), every score as the JSON writes it, nothing cut with "…"."""
    env = {"THIDUA_LEDGER": str(tmp_path / "l.sqlite"), **({"COLUMNS": columns} if columns else {})}
    data = json.loads(thidua("block", BLOCK, "--format", "json", "--no-record").stdout)
    done = thidua("block", BLOCK, "--no-record", env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "…" not in done.stdout
    # the table's own lines fit the width (the notes below it are written whole, as long as they are)
    names = tuple(m["name"] for m in data["members"])
    table = lines[: next(i for i, line in enumerate(lines) if line.startswith(names))]
    assert max(len(line) for line in table) <= int(columns or PIPE_WIDTH)
    for m in data["members"]:
        assert any(m["key"] in line for line in table), f"{m['key']} broken at {columns} columns"
        scores = [m["total"]["text"], *(p["text"] for p in m["parts"].values())]
        for text in scores:
            assert any(text in line for line in table), f"{m['key']}: {text} cut at {columns} columns"
    assert ("┃" in done.stdout) == (columns == "200")  # the table when it fits, else one block per member


def test_audit_list_says_the_time_zone_it_shows(tmp_path: Path) -> None:
    import datetime as dt

    ledger = tmp_path / "l.sqlite"
    assert thidua("evaluate", EXAMPLE_2022, "--ledger", ledger).returncode == 0
    listed = thidua("audit", "list", "--ledger", ledger, env={"COLUMNS": "200"}).stdout
    assert "Thời gian (giờ Việt Nam, UTC+7)" in listed and "(UTC)" not in listed
    created = json.loads(thidua("audit", "list", "--ledger", ledger, "--format", "json").stdout)["runs"][0]
    utc = dt.datetime.fromisoformat(created["created_at"])
    shown = utc.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%Y-%m-%d %H:%M:%S")
    assert shown in listed
    english = thidua("audit", "list", "--ledger", ledger, "--lang", "en", env={"COLUMNS": "200"}).stdout
    assert "Time (Vietnam, UTC+7)" in english
