"""Shared test helpers: run the CLI in-process and find the shipped example."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from thidua.cli.main import cli

# A message code without a text, a placeholder without a value or a None value raises under the tests
# (and in the CLI processes they start), where users would see the code, "{max}" or "tối đa None".
os.environ.setdefault("THIDUA_STRICT_MESSAGES", "1")
# The tests judge output written to a pipe, at the width a pipe gets; a test that wants a terminal's
# width gives COLUMNS itself. pytest-xdist's workers start with COLUMNS=80 and LINES=24 (the terminal
# library of the main process exports them), which would narrow every table printed in a worker.
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ban-dan-toc-binh-phuoc"
EXAMPLE_2022 = EXAMPLE / "2022"
EXAMPLE_2023 = EXAMPLE / "2023"


def run_cli(*args: str, **kwargs: Any) -> Result:
    """Invoke `thidua ARGS...` in-process; stdout and stderr are kept apart."""
    runner = CliRunner()
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)


def run_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = run_cli(*args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def worksheet_rows(section: dict[str, Any]) -> list[dict[str, Any]]:
    """A `candidates` JSON section's listed people as rows: each person with its group's outcome,
    recorded holding, deciding texts and checks (`thidua.worksheet/3` lists groups)."""
    return [
        {**e, **{k: v for k, v in g.items() if k not in ("entities", "count", "more")}, "checks": g["deciding_checks"]}
        for g in section["groups"]
        for e in g["entities"]
    ]


def finding_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """A `candidates` JSON's listed findings, one per person."""
    return [
        {**{k: v for k, v in f.items() if k not in ("entities", "count", "more")}, **e}
        for f in data["findings"]
        for e in f["entities"]
    ]


@pytest.fixture(autouse=True)
def _ledger_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every `evaluate` records a run: keep those ledgers out of the repository."""
    path = tmp_path_factory.mktemp("ledger") / "ledger.sqlite"
    monkeypatch.setenv("THIDUA_LEDGER", str(path))
    return path


def _copy(folder: Path, tmp_path: Path) -> Path:
    import shutil

    dest = tmp_path / folder.name
    shutil.copytree(folder, dest)
    return dest


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the 2022 example folder."""
    return _copy(EXAMPLE_2022, tmp_path)


@pytest.fixture
def example_2024_copy(tmp_path: Path) -> Path:
    """A writable copy of the 2024 example folder (titles derived by the criteria, a quota breach)."""
    return _copy(EXAMPLE_2022.parent / "2024", tmp_path)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files holding a test marked slow run first, in their order, then the others. Under
    `make test` (pytest-xdist, a whole file per worker, in this order) the long files start at once
    on every core while the others fill in, instead of one of them running alone at the end."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)  # a stable sort: the order within each part stays
