"""Start-up and JSON output: the lazy command table matches the commands, JSON is the same text as before."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest

from tests.conftest import EXAMPLE_2022, run_cli
from thidua.cli.main import LAZY_COMMANDS, cli
from thidua.cli.render import compact_json_bytes, json_bytes

THIDUA = Path(sys.executable).with_name("thidua")


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_each_table_entry_is_the_command_of_that_name(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert isinstance(command, click.Command) and command.name == name


def test_help_lists_every_command_without_loading_the_evaluator() -> None:
    code = (
        "import sys\n"
        "from thidua.cli.main import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        # the labels' catalogue reader (rules/labels.py: gettext and nothing else) is shared with the web pages
        "light = {'thidua.rules', 'thidua.rules.labels'}\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('thidua.evaluator', 'thidua.rules', 'pydantic', 'rich')) and m not in light)\n"
        "print('LOADED:', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, "--help"], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    for name in LAZY_COMMANDS:
        assert f"  {name} " in out
    # A command registered with cli.add_command imports its module when thidua starts: give it an
    # entry in LAZY_COMMANDS (cli/main.py) instead, so that --help stays fast.
    assert "LOADED: []" in out, out.splitlines()[-1]


def test_help_and_an_unknown_command_as_a_real_process() -> None:
    ok = subprocess.run([str(THIDUA), "--help"], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and "evaluate" in ok.stdout and "Traceback" not in ok.stderr
    bad = subprocess.run([str(THIDUA), "evaluat"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "evaluat" in bad.stderr


@pytest.mark.parametrize("pretty", [False, True])
def test_evaluate_json_as_a_real_process_is_the_same_text_as_the_standard_encoder(pretty: bool) -> None:
    """Compact when read by a program (stdout is a pipe here), indented with --pretty."""
    proc = subprocess.run(
        [str(THIDUA), "evaluate", str(EXAMPLE_2022), "--format", "json", "--no-record", *(["--pretty"] * pretty)],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    layout: dict[str, Any] = {"indent": 2} if pretty else {"separators": (",", ":")}
    assert proc.stdout.decode() == json.dumps(data, ensure_ascii=False, sort_keys=True, **layout) + "\n"


def test_evaluate_json_is_byte_identical_across_runs() -> None:
    first = run_cli("evaluate", EXAMPLE_2022, "--format", "json", "--no-record")
    second = run_cli("evaluate", EXAMPLE_2022, "--format", "json", "--no-record")
    assert first.exit_code == 0 and first.stdout_bytes == second.stdout_bytes


@pytest.mark.parametrize(
    "data",
    [
        {"b": [1, 2.5, None, True], "a": {"é": "Ư", "z": []}, "c": {}},
        {"share": 0.9333333333333333, "margin": -19.0, "big": 10**18},
        {"text": 'quote " backslash \\ tab \t line\u2028 nul \x00'},
    ],
)
def test_json_bytes_is_the_standard_encoders_text(data: object) -> None:
    assert json_bytes(data).decode() == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    compact = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    assert compact_json_bytes(data).decode() == compact


@pytest.mark.parametrize("data", [{"huge": 10**30}, {3: "int keys", 4: "as the standard encoder writes them"}])
def test_json_bytes_falls_back_where_the_c_encoder_cannot(data: object) -> None:
    assert json_bytes(data).decode() == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    compact = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    assert compact_json_bytes(data).decode() == compact
