"""A process loads a rule set once for the same rule files (evaluator/run.py), as `evaluate --each`
does over a province; different bytes, or a file reached by a `use:` path, load again."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import EXAMPLE_2022, ROOT
from thidua.evaluator.run import run_path

BLOCK = ROOT / "examples" / "khoi-thi-dua-so-6"


def _agencies(tmp_path: Path, n: int) -> list[Path]:
    folders = []
    for i in range(n):
        folder = tmp_path / f"a{i}"
        shutil.copytree(EXAMPLE_2022, folder)
        folders.append(folder)
    return folders


def test_agencies_with_the_same_rule_file_share_one_rule_set(tmp_path: Path) -> None:
    first, second = _agencies(tmp_path, 2)
    a, b = run_path(first), run_path(second)
    assert a.rules is b.rules
    assert a.evaluation.judgements == b.evaluation.judgements
    assert {str(t.spec.location) for t in b.rules.targets} == {str(t.spec.location) for t in a.rules.targets}
    assert all(str(t.spec.location).startswith("targets.rules.yaml:") for t in b.rules.targets)


def test_a_changed_rule_file_is_loaded_again(tmp_path: Path) -> None:
    first, second = _agencies(tmp_path, 2)
    rules = second / "targets.rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("gte: 5", "gte: 6", 1), encoding="utf-8")
    a, b = run_path(first), run_path(second)
    assert a.rules is not b.rules
    assert a.rules.digest != b.rules.digest


def test_a_rule_set_reaching_a_file_by_a_path_is_loaded_per_agency(tmp_path: Path) -> None:
    block = tmp_path / "block"
    shutil.copytree(BLOCK, block)
    one, two = sorted(p.parent for p in block.glob("*/targets.rules.yaml"))[:2]
    (two / "targets.rules.yaml").write_bytes((one / "targets.rules.yaml").read_bytes())
    a, b = run_path(one), run_path(two)
    assert a.rules is not b.rules  # the shared file is named by each agency's own path
    assert run_path(one).rules is not a.rules
