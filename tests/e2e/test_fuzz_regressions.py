"""Failing cases the fuzzer once found, replayed on every run (tests/fuzz_regressions/<id>/).

Each folder holds the mutated file and case.yaml: the base folder it replaces a file of, the
command, what went wrong, and `xfail` with a reason when the fix belongs to another part of thidua.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.e2e.fuzz import REGRESSIONS, Case, build_corpus, run_case
from tests.e2e.process import ForkRunner, judge

FOUND = sorted(p for p in REGRESSIONS.glob("*/case.yaml")) if REGRESSIONS.is_dir() else []


def _params() -> list[object]:
    out: list[object] = []
    for path in FOUND:
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
        marks = [pytest.mark.xfail(reason=meta["xfail"], strict=False)] if meta.get("xfail") else []
        out.append(pytest.param(path.parent, meta, id=path.parent.name, marks=marks))
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def runner() -> object:
    r = ForkRunner()
    yield r
    r.close()


@pytest.mark.parametrize(("folder", "meta"), _params())
def test_fuzz_regression(folder: Path, meta: dict[str, str], corpus: Path, runner: ForkRunner, tmp_path: Path) -> None:
    work = tmp_path / "2022"
    shutil.copytree(corpus / meta["base"], work, symlinks=True)
    shutil.copy(folder / Path(meta["file"]).name, work / meta["file"])
    case = Case(meta["base"], meta["file"], (), meta["command"], meta.get("out"))
    outcome = run_case(runner, case, work)
    assert judge(outcome) is None, outcome.describe()
