"""Installing anywhere: the examples ship in the package, `thidua example` copies one, the no-make
commands (tasks.py, python -m thidua.cli) work, and an unsupported Python gets thidua's own message."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import venv
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT
from tests.first_hour_helpers import thidua
from thidua.cli.entry import python_problem

EXAMPLE = "ban-dan-toc-binh-phuoc"


def test_example_lists_and_copies_the_shipped_examples(tmp_path: Path) -> None:
    listed = thidua("example")
    assert listed.returncode == 0 and EXAMPLE in listed.stdout and "2022" in listed.stdout
    copied = thidua("example", EXAMPLE, cwd=tmp_path)
    assert copied.returncode == 0, copied.stderr
    assert (tmp_path / EXAMPLE / "2022" / "targets.rules.yaml").is_file()
    assert (tmp_path / EXAMPLE / "2022" / "excel" / "roster.facts.xlsx").is_file()
    assert not list((tmp_path / EXAMPLE).rglob("__pycache__")) and not (tmp_path / EXAMPLE / "__init__.py").exists()
    done = thidua("evaluate", f"{EXAMPLE}/2022", "--no-record", cwd=tmp_path)
    assert done.returncode == 0 and "Tổng cộng 14 chỉ tiêu" in done.stdout
    again = thidua("example", EXAMPLE, cwd=tmp_path)
    assert again.returncode == 2 and "không ghi đè" in again.stderr
    other = thidua("example", EXAMPLE, tmp_path / "mine")
    assert other.returncode == 0 and (tmp_path / "mine" / "2024" / "roster.facts.yaml").is_file()
    unknown = thidua("example", "ban-dan-toc")
    assert unknown.returncode == 2 and f"Có phải là '{EXAMPLE}'?" in unknown.stderr


def test_python_m_thidua_cli_runs_the_program() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "thidua.cli", "evaluate", str(ROOT / "examples" / EXAMPLE / "2022"), "--no-record"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "Tổng cộng 14 chỉ tiêu" in done.stdout, done.stderr


@pytest.mark.parametrize(("version", "ok"), [((3, 9), False), ((3, 10), True), ((3, 12), True), ((3, 13), False)])
def test_the_python_version_check_speaks_for_thidua(version: tuple[int, int], ok: bool) -> None:
    problem = python_problem(version)
    assert (problem is None) == ok
    if problem is not None:
        shown = f"{version[0]}.{version[1]}"
        assert f"đây là Python {shown}" in problem and f"this is Python {shown}" in problem
        assert "py -3.12" in problem and "docs/install-windows.md" in problem


def _tasks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tasks", ROOT / "tasks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tasks_refuses_python_3_13_with_its_own_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tasks = _tasks()
    monkeypatch.setattr(tasks, "other_python", lambda: None)
    assert tasks.main(["demo"], version=(3, 13)) == 2
    err = capsys.readouterr().err
    assert "thidua cần Python 3.10 đến 3.12; đây là Python 3.13" in err and "py -3.12 tasks.py demo" in err
    assert tasks.main(["nonsense"]) == 2


def test_tasks_re_runs_itself_under_a_supported_python(monkeypatch: pytest.MonkeyPatch) -> None:
    tasks = _tasks()
    monkeypatch.setattr(tasks, "other_python", lambda: [sys.executable])
    calls: list[list[str]] = []
    monkeypatch.setattr(tasks.subprocess, "call", lambda cmd, **_: calls.append(cmd) or 0)
    assert tasks.main(["demo"], version=(3, 13)) == 0
    assert calls == [[sys.executable, str(ROOT / "tasks.py"), "demo"]]


def test_tasks_demo_runs_without_make() -> None:
    """`python tasks.py demo` on this machine (.venv is set up: the stamp is newer than pyproject.toml)."""
    stamp = ROOT / ".venv" / ".installed"
    if not stamp.exists() or stamp.stat().st_mtime < (ROOT / "pyproject.toml").stat().st_mtime:
        pytest.skip("the .venv stamp is stale: run `python tasks.py setup` first")
    done = subprocess.run(
        [sys.executable, str(ROOT / "tasks.py"), "demo"], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "Tổng cộng 14 chỉ tiêu" in done.stdout and "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_wheel_installed_elsewhere_runs_the_readme_commands(tmp_path: Path) -> None:
    """Build the wheel, install it (no deps: they come from this venv) into a fresh venv, run from another folder.

    Checks the package holds the examples and packs, the console script's entry point, and that the
    build prints no setuptools warning (the old license table printed ~40 lines).
    """
    dist = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    noise = [line for line in built.stderr.splitlines() if "Warning" in line or "deprecated" in line]
    assert noise == [], noise
    (wheel,) = dist.glob("thidua-*.whl")
    fresh = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(fresh)
    site = next((fresh / "lib").glob("python3.*/site-packages"))
    # the dependencies (durable-rules is built from source: minutes) come from this environment's site-packages
    deps = next(p for p in map(Path, sys.path) if p.name == "site-packages" and (p / "durable").exists())
    (site / "_thidua_deps.pth").write_text(str(deps) + "\n", encoding="utf-8")
    py = fresh / "bin" / "python"
    unpacked = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert unpacked.returncode == 0, unpacked.stderr
    (entry_points,) = site.glob("thidua-*.dist-info/entry_points.txt")
    assert "thidua = thidua.cli.entry:main" in entry_points.read_text(encoding="utf-8")
    script = fresh / "bin" / "thidua"  # what pip writes for that entry point (--target writes no scripts)
    script.write_text(f"#!{py}\nfrom thidua.cli.entry import main\nmain()\n", encoding="utf-8")
    script.chmod(0o755)
    where = subprocess.run(
        [str(py), "-c", "import thidua.cli; print(thidua.cli.__file__)"], capture_output=True, text=True
    )
    assert str(site) in where.stdout, where.stdout + where.stderr  # not this checkout
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "THIDUA_LEDGER": str(tmp_path / "ledger.sqlite")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([str(script), *args], capture_output=True, text=True, cwd=work, env=env, timeout=120)
        assert "Traceback" not in done.stdout + done.stderr, done.stderr
        return done

    assert run("example", EXAMPLE).returncode == 0
    year = f"{EXAMPLE}/2022"
    assert run("evaluate", year).returncode == 0
    assert json.loads(run("evaluate", year, "--format", "json").stdout)["judgements"]
    assert run("candidates", year).returncode == 0
    assert run("explain", year, "staff.emulation_soldiers").returncode == 0
    assert run("validate", year).returncode == 0
    assert run("test", year).returncode == 0
    assert run("audit", "list").returncode == 0
    assert run("audit", "verify").returncode == 0
    assert run("init", "cong-ty-x", "--period", "2024").returncode == 0
    assert run("candidates", "cong-ty-x").returncode == 0
    assert run("schema", "--out", "schemas").returncode == 0
