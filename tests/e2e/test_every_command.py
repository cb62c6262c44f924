"""Every command of the installed `thidua` script, as a real process, over every example and fixture
folder: exit 0, 1 or a located 2, never a traceback, a signal or a hang. In-process runs once hid a
segfault of the engine; these cannot.

The processes run two at a time from one module fixture (each costs ~0.4 s of CPU to start).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.process import ROOT, Outcome, judge, run_script

EXAMPLES = ROOT / "examples"
SKIP_DIRS = {"__pycache__", "e2e", "fuzz_regressions", "golden"}  # golden: expected outputs, not inputs
# __pycache__ (examples/ is the package thidua.examples): Python writes it unless PYTHONDONTWRITEBYTECODE
# is set, and a matrix that changed with it could differ between two workers collecting it.


def _folders() -> list[Path]:
    """Every folder under examples/ and every fixture folder under tests/ (not the test code itself)."""
    found = [p for p in sorted(EXAMPLES.rglob("*")) if p.is_dir() and "__pycache__" not in p.parts]
    found += [
        p
        for p in sorted((ROOT / "tests").rglob("*"))
        if p.is_dir() and not (SKIP_DIRS & set(p.relative_to(ROOT / "tests").parts))
    ]
    return found


def _first_target(folder: Path) -> str | None:
    for rules in sorted(folder.glob("*.rules.yaml")):
        text = rules.read_text(encoding="utf-8")
        m = re.search(r"^  - id: (\S+)", text[text.find("\ntargets:") :], re.M)
        if m:
            return m.group(1)
    return None  # targets only in a file it uses (a block member): explain then names an unknown id


def _has_rules(folder: Path) -> bool:
    return any(folder.glob("*.rules.yaml"))


@dataclass
class Case:
    id: str
    args: list[str | Path]
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    expect: Callable[[Outcome], None] | None = None


def _matrix(tmp: Path) -> list[Case]:
    cases: list[Case] = []
    for folder in _folders():
        name = folder.relative_to(ROOT).as_posix()
        valid = _has_rules(folder) and "examples" in folder.parts
        ledger = tmp / (name.replace("/", "_") + ".sqlite")
        commands = [
            ("evaluate", ["evaluate", folder, "--ledger", ledger]),
            ("validate", ["validate", folder]),
            ("explain", ["explain", folder, _first_target(folder) or "no.such.target"]),
            ("candidates", ["candidates", folder]),
            ("test", ["test", folder]),
            ("schema", ["schema", folder, "--out", tmp / "schemas" / name]),
        ]
        if _has_rules(folder):
            commands.append(("pledge", ["pledge", folder]))
            commands.append(
                ("report", ["report", folder, "--format", "html", "--out", ledger.with_suffix(".html"), "--no-record"])
            )
        else:  # every command stops at the same "no rule file" check: two suffice
            commands = commands[:1] + commands[4:5]
        if (folder / "block.rules.yaml").is_file():
            commands.append(("block", ["block", folder, "--no-record"]))
            commands.append(("evaluate-each", ["evaluate", folder, "--each"]))
            valid = False  # a block folder is judged by `thidua block`; the other commands say so
        for command, args in commands:
            expect = None
            if valid and command != "test" and (command != "explain" or _first_target(folder)):
                expect = _not_bad_input
            cases.append(Case(f"{command}:{name}", args, expect=expect))
    cases.append(Case("init", ["init", tmp / "init-agency", "--period", "2025"], expect=_ok))
    cases.append(Case("example", ["example"], expect=_ok))
    # serve runs until stopped (tests/e2e/test_serve.py starts and stops it); here its refusals end it
    cases.append(Case("serve-missing", ["serve", tmp / "no-such-folder", "--port", "0"]))
    cases.append(Case("serve-host", ["serve", EXAMPLES, "--host", "0.0.0.0", "--port", "0"]))
    cases.append(Case("example-copy", ["example", "ban-dan-toc-binh-phuoc", tmp / "example-copy"], expect=_ok))
    for document in sorted(EXAMPLES.rglob("*.txt")):
        name = document.relative_to(ROOT).as_posix()
        cases.append(Case(f"draft:{name}", ["draft", document, "--period", "2022"]))
    year = EXAMPLES / "ban-dan-toc-binh-phuoc" / "2022"
    # every person of every group, every id of every reason
    cases.append(Case("candidates-all-json", ["candidates", year, "--all", "--format", "json"], expect=_ok))
    cases.append(Case("candidates-all", ["candidates", year, "--title", "lao_dong_tien_tien", "--all"], expect=_ok))
    cases.append(
        Case(
            "block-all-json",
            ["block", EXAMPLES / "khoi-thi-dua-so-6", "--all", "--format", "json", "--no-record"],
            expect=_ok,
        )
    )
    for fmt in ("docx", "xlsx"):
        out = tmp / f"report.{fmt}"
        cases.append(Case(f"report-{fmt}", ["report", year, "--format", fmt, "--out", out, "--no-record"], expect=_ok))
    block = EXAMPLES / "khoi-thi-dua-so-6"
    for fmt in ("docx", "xlsx", "html"):  # the block's documents (thidua block --format ... --out)
        out = tmp / f"block.{fmt}"
        cases.append(Case(f"block-{fmt}", ["block", block, "--format", fmt, "--out", out, "--no-record"], expect=_ok))
    cases.append(Case("schema:core", ["schema", "--out", tmp / "schemas-core"], expect=_ok))
    for extra in (["--all"], ["--pretty"]):  # evaluation JSON /2: every id, indented
        args = ["evaluate", year, "--format", "json", "--no-record", *extra]
        cases.append(Case(f"evaluate-json{extra[0]}", args, expect=_evaluation_json))
    return cases


def _evaluation_json(outcome: Outcome) -> None:
    import json

    assert outcome.rc in (0, 1), outcome.describe()
    data = json.loads(outcome.stdout)
    assert data["format"] == "thidua.evaluation/3"
    reasons = [r for j in data["judgements"] for r in j["reasons"]]
    assert reasons and all(r["count"] == len(r["entities"]) + r["more"] for r in reasons)


def _ok(outcome: Outcome) -> None:
    assert outcome.rc == 0, outcome.describe()


def _not_bad_input(outcome: Outcome) -> None:
    assert outcome.rc in (0, 1), outcome.describe()


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Case, Outcome]]:
    tmp = tmp_path_factory.mktemp("e2e")
    cases = _matrix(tmp)
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda c: run_script(*c.args, env=c.env, cwd=c.cwd), cases))
    return {c.id: (c, o) for c, o in zip(cases, outcomes, strict=True)}


@pytest.mark.slow  # the matrix fixture runs every command over every folder
@pytest.mark.parametrize("case_id", [c.id for c in _matrix(Path("/tmp/unused"))])
def test_command_over_folder(matrix: dict[str, tuple[Case, Outcome]], case_id: str) -> None:
    case, outcome = matrix[case_id]
    problem = judge(outcome)
    assert problem is None, f"{case_id}: {problem}\n{outcome.describe()}"
    if case.expect is not None:
        case.expect(outcome)


def test_every_command_is_in_the_matrix() -> None:
    """A command added to the CLI must be added here too (or to the audit test)."""
    import click

    from thidua.cli.main import cli

    names = set(cli.list_commands(click.Context(cli)))
    covered = {c.id.split(":")[0].split("-")[0] for c in _matrix(Path("/tmp/unused"))} | {"audit"}
    assert names and names <= covered, names - covered


def test_the_2023_example_prints_fourteen_pending_verdicts(matrix: dict[str, tuple[Case, Outcome]]) -> None:
    _, outcome = matrix["evaluate:examples/ban-dan-toc-binh-phuoc/2023"]
    assert outcome.rc == 0, outcome.describe()
    assert "Tổng cộng 14 chỉ tiêu: 0 vượt, 0 đạt, 0 không đạt, 14 chưa có kết quả, 0 lỗi." in outcome.stdout


def test_audit_commands_over_a_recorded_ledger(tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    folder = EXAMPLES / "ban-dan-toc-binh-phuoc" / "2022"
    for _ in range(2):
        first = run_script("evaluate", folder, "--ledger", ledger)
        assert judge(first) is None and first.rc in (0, 1), first.describe()
    for args in (
        ["audit", "list", "--ledger", ledger],
        ["audit", "show", "last", "--ledger", ledger],
        ["audit", "verify", "--ledger", ledger],
        ["audit", "explain", "last", "units.advanced", "--ledger", ledger],
        ["audit", "diff", "1", "2", "--ledger", ledger],
        ["audit", "show", "99", "--ledger", ledger],
        ["audit", "list", "--ledger", tmp_path / "none.sqlite"],
    ):
        outcome = run_script(*args)
        assert judge(outcome) is None, f"{args}: {judge(outcome)}\n{outcome.describe()}"
