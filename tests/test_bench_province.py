"""bench/compare.py's province mode on a tiny province: `evaluate --each` as a real process, its
verdicts read agency by agency, every field that differs from the pandas twin reported, and the
polars twin printing exactly what the pandas twin prints."""

from __future__ import annotations

import copy
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import ROOT

AGENCIES, PEOPLE = 3, 80


def _bench(name: str) -> ModuleType:
    sys.path.insert(0, str(ROOT / "bench"))  # compare.py imports its sibling province.py
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return module


@pytest.fixture(scope="module")
def compare() -> ModuleType:
    return _bench("compare")


@pytest.fixture(scope="module")
def province(compare: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A province of AGENCIES folders (raw facts, 2% missing values) and `evaluate --each` over it."""
    root = tmp_path_factory.mktemp("province")
    compare.write_province(root, AGENCIES, PEOPLE, "missing")
    thidua = Path(sys.executable).with_name("thidua")
    cmd = [str(thidua), "evaluate", str(root), "--each", "--jobs", "1", "--format", "json", "--no-record"]
    done = subprocess.run(cmd, capture_output=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr.decode()
    assert b"Traceback" not in done.stdout + done.stderr
    return root, done.stdout


def test_every_agency_is_read_with_its_14_verdicts(compare: ModuleType, province: tuple[Path, bytes]) -> None:
    root, stdout = province
    ours = compare.province_thidua(stdout, root)
    assert sorted(ours) == [f"co-quan-{a:03d}" for a in range(AGENCIES)]
    for verdicts in ours.values():
        assert isinstance(verdicts, dict) and len(verdicts) == 14
        assert set(verdicts["staff.advanced_workers"]) == {"status", *compare.FIELDS, "margin"}


def test_a_field_of_one_agency_and_a_missing_agency_are_differences(
    compare: ModuleType, province: tuple[Path, bytes]
) -> None:
    root, stdout = province
    ours = compare.province_thidua(stdout, root)
    twin: dict[str, Any] = copy.deepcopy(ours)  # the twin's shape, agreeing by construction
    assert compare.province_differences(ours, twin) == []
    twin["co-quan-001"]["units.advanced"]["high"] = -1
    del twin["co-quan-002"]
    twin["co-quan-009"] = {}
    high = ours["co-quan-001"]["units.advanced"]["high"]
    assert compare.province_differences(ours, twin) == [
        f"co-quan-001: units.advanced.high: thidua {high!r}, pandas -1",
        "co-quan-002: only in thidua",
        "co-quan-009: only in the twin",
    ]


def test_an_agency_without_an_evaluation_is_a_difference(compare: ModuleType, tmp_path: Path) -> None:
    line = b'{"path": "%s/bad", "evaluation": null, "problems": [], "internal": "boom"}\n' % str(tmp_path).encode()
    ours = compare.province_thidua(line, tmp_path)
    assert compare.province_differences(ours, {"bad": {}}) == ["bad: thidua no evaluation: boom"]


def test_the_pandas_twin_agrees_agency_by_agency(compare: ModuleType, province: tuple[Path, bytes]) -> None:
    pytest.importorskip("pandas", reason="pandas is a bench extra: pip install -e '.[bench]'")
    root, stdout = province
    cmd = [sys.executable, str(ROOT / "bench" / "pandas_twin.py"), "--each", str(root)]
    twin = subprocess.run(cmd, capture_output=True, timeout=120, check=True).stdout
    assert compare.province_differences(compare.province_thidua(stdout, root), compare.province_twin(twin)) == []


def test_the_polars_twin_prints_what_the_pandas_twin_prints(province: tuple[Path, bytes]) -> None:
    pytest.importorskip("pandas", reason="pandas is a bench extra: pip install -e '.[bench]'")
    pytest.importorskip("polars", reason="polars is a bench extra: pip install -e '.[bench]'")
    root, _ = province
    outputs = [
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / f"{twin}_twin.py"), "--each", str(root), "--ids"],
            capture_output=True,
            timeout=120,
            check=True,
        ).stdout
        for twin in ("pandas", "polars")
    ]
    assert outputs[0].count(b"\n") == AGENCIES
    assert outputs[0] == outputs[1]
