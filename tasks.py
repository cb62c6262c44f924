"""The project's tasks without `make` (Windows, or any machine without it): python tasks.py demo|test|...

    python tasks.py setup    # create .venv and install thidua with its test tools (once, again when pyproject.toml changes)
    python tasks.py demo     # setup, then evaluate the shipped example (Ban Dân tộc tỉnh Bình Phước, 2022)
    python tasks.py test     # setup, then check (ruff, ruff format, mypy --strict) and the tests
    python tasks.py check    # setup, then lint, formatting and strict types only
    python tasks.py bench    # setup, the bench extra, then thidua against its pandas and polars twins (a few minutes)
    python tasks.py catalogs # setup, then rewrite the gettext .po files and compile the .mo (tools/catalogs.py)
    python tasks.py clean    # remove .venv and build leftovers
    python tasks.py fuzz     # setup, then 5,000 fuzz cases as real processes (FUZZ_CASES=n for another number)

The Makefile's targets call these, so both ways do the same. Run it with Python 3.10 to 3.12 (on
Windows: `py -3.12 tasks.py demo`); with another version it looks for one on PATH and otherwise says
what to install. Only the standard library is used here: this runs before anything is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed"
EXAMPLE = "examples/ban-dan-toc-binh-phuoc/2022"
SUPPORTED = ((3, 10), (3, 12))  # as cli/entry.py: durable-rules does not build or import on 3.13
CANDIDATES = ("python3.12", "python3.11", "python3.10")
WINDOWS = os.name == "nt"


def venv_bin(name: str) -> Path:
    """A program inside .venv (Scripts\\name.exe on Windows, bin/name elsewhere)."""
    if WINDOWS:
        return VENV / "Scripts" / (name + ".exe")
    return VENV / "bin" / name


def supported(version: tuple[int, ...]) -> bool:
    return SUPPORTED[0] <= tuple(version[:2]) <= SUPPORTED[1]


def version_message(version: tuple[int, ...]) -> str:
    shown = ".".join(map(str, version[:2]))
    return (
        f"thidua cần Python 3.10 đến 3.12; đây là Python {shown} và không tìm thấy python3.12, 3.11 hay 3.10. "
        "Cài Python 3.12 (python.org), rồi chạy: py -3.12 tasks.py demo (Windows) hoặc python3.12 tasks.py demo. "
        "Xem docs/install-windows.md.\n"
        f"thidua needs Python 3.10 to 3.12; this is Python {shown} and no python3.12, 3.11 or 3.10 was found. "
        "Install Python 3.12 (python.org), then run: py -3.12 tasks.py demo (Windows) or python3.12 tasks.py demo. "
        "See docs/install-windows.md."
    )


def other_python() -> list[str] | None:
    """A supported interpreter to re-run this script with: `py -3.12` on Windows, python3.x on PATH."""
    options: list[list[str]] = []
    if WINDOWS and shutil.which("py"):
        options += [["py", f"-3.{minor}"] for minor in (12, 11, 10)]
    options += [[found] for name in CANDIDATES if (found := shutil.which(name))]
    for cmd in options:
        probe = cmd + ["-c", "import sys; print(sys.version_info[0], sys.version_info[1])"]
        try:
            out = subprocess.run(probe, capture_output=True, text=True, timeout=30, check=False).stdout.split()
        except (OSError, subprocess.TimeoutExpired):
            continue
        if len(out) == 2 and supported((int(out[0]), int(out[1]))):
            return cmd
    return None


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    """Run a command as make would: show it, stop on failure with its exit code."""
    shown = [str(a) for a in args]
    print(" ".join(_short(a) for a in args), flush=True)
    code = subprocess.call(shown, cwd=ROOT, env=env)
    if code:
        sys.exit(code)


def _short(arg: str | Path) -> str:
    """A path inside the project as make shows it (.venv/bin/ruff), anything else as given."""
    if isinstance(arg, Path):
        try:
            return str(arg.relative_to(ROOT))
        except ValueError:
            pass
    return str(arg)


def setup() -> None:
    if STAMP.exists() and STAMP.stat().st_mtime >= (ROOT / "pyproject.toml").stat().st_mtime:
        compile_sources()
        return
    run(sys.executable, "-m", "venv", VENV)
    py = venv_bin("python")
    run(py, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    # setuptools' notice that an editable install uses an import hook is not a problem to show
    quiet = {**os.environ, "PYTHONWARNINGS": "ignore:Editable installation"}
    run(py, "-m", "pip", "install", "--quiet", "-e", ".[test]", env=quiet)
    STAMP.touch()
    compile_sources()


def compile_sources() -> None:
    """Byte-compile thidua's own modules, as pip does for an installed wheel: the editable install
    leaves that to the first import, and where PYTHONDONTWRITEBYTECODE is set every command would
    compile its sixty modules again (about 0.05 s before it does anything, docs/benchmarks.md)."""
    run(venv_bin("python"), "-m", "compileall", "-q", ROOT / "cli", ROOT / "evaluator", ROOT / "rules", ROOT / "web")


def demo() -> None:
    setup()
    run(venv_bin("thidua"), "evaluate", EXAMPLE, "--no-record")
    activate = r".venv\Scripts\activate" if WINDOWS else "source .venv/bin/activate"
    print(
        f"\nthidua: {_short(venv_bin('thidua'))} — hoặc/or `{activate}`, rồi/then: thidua --help",
        flush=True,
    )


def serve() -> None:
    """thidua serve over the examples (docs/serve.md): the pages at http://127.0.0.1:8000/ until Ctrl+C;
    PORT=n for another port."""
    setup()
    try:
        run(venv_bin("thidua"), "serve", "examples", "--port", os.environ.get("PORT", "8000"))
    except KeyboardInterrupt:
        pass


# The folders installed as thidua.rules, thidua.evaluator, thidua.cli and thidua.web (pyproject.toml, package-dir).
TYPED = ("rules", "evaluator", "cli", "web")
MYPY_CACHE = VENV / "mypy-cache"


def check() -> None:
    """Lint, format and strict types. mypy reads the sources laid out as installed (thidua/rules, ...),
    since the editable install maps thidua.* onto top-level folders that mypy cannot follow. Its
    incremental cache lives in .venv (a fresh clone starts without one): a check after a small change
    takes a second instead of about twenty (each file's cache entry is keyed on its size, time and hash)."""
    setup()
    run(venv_bin("ruff"), "check", ".")
    run(venv_bin("ruff"), "format", "--check", ".")
    typecheck = ROOT / ".typecheck"
    shutil.rmtree(typecheck, ignore_errors=True)
    sources = shutil.ignore_patterns("__pycache__")
    for folder in TYPED:
        # copy2 keeps each file's modification time, which mypy's cache compares first
        shutil.copytree(ROOT / folder, typecheck / "thidua" / folder, ignore=sources, copy_function=shutil.copy2)
    mypy = [str(venv_bin("mypy")), "--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(MYPY_CACHE)]
    shown = f"{_short(venv_bin('mypy'))} --config-file ../pyproject.toml --cache-dir ../{_short(MYPY_CACHE)}"
    print(f"cd .typecheck && {shown} -p thidua.rules -p thidua.evaluator -p thidua.web", flush=True)
    code = subprocess.call([*mypy, "-p", "thidua.rules", "-p", "thidua.evaluator", "-p", "thidua.web"], cwd=typecheck)
    shutil.rmtree(typecheck, ignore_errors=True)
    if code:
        sys.exit(code)


def test() -> None:
    """check, then the tests on every core (pytest-xdist): a whole file per worker, so that a file's
    module fixtures (the end-to-end matrix, the documents it renders) run once, and the files in the
    order tests/conftest.py gives (the slow ones first). pytest keeps its rewritten test modules in
    __pycache__ even where PYTHONDONTWRITEBYTECODE is set: rewriting them again costs each worker 4 s."""
    check()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    parallel = ("-n", "auto", "--dist", "loadfile", "--no-loadscope-reorder")
    run(venv_bin("python"), "-m", "pytest", "-q", *parallel, env=env)


BENCH_STAMP = VENV / ".bench-installed"


def bench() -> None:
    """bench/compare.py: thidua against the pandas and polars twins at 50,000 and 200,000 people, the
    agreement checks, a 50,000-person roster from Excel against JSON, the three documents of a
    20,000-person agency, and start-up (docs/benchmarks.md; a province is a separate run);
    pandas, numpy, pyarrow, polars and pyinstrument come from the `bench` extra, installed here only."""
    setup()
    if not BENCH_STAMP.exists() or BENCH_STAMP.stat().st_mtime < (ROOT / "pyproject.toml").stat().st_mtime:
        quiet = {**os.environ, "PYTHONWARNINGS": "ignore:Editable installation"}
        run(venv_bin("python"), "-m", "pip", "install", "--quiet", "-e", ".[test,bench]", env=quiet)
        BENCH_STAMP.touch()
    run(
        venv_bin("python"),
        "bench/compare.py",
        *("--sizes", "50000", "200000", "--checks", "20000", "--excel", "50000", "--documents", "20000"),
    )


def fuzz() -> None:
    """Mutation fuzzing of the shipped rule and fact files (docs/reliability.md): FUZZ_CASES cases
    (5,000 by default), the outcomes table in fuzz-report.json, failing cases in tests/fuzz_regressions/.
    Its own temporary folder: pytest's shared one is pruned by any other pytest session meanwhile."""
    setup()
    shutil.rmtree(ROOT / ".fuzz-tmp", ignore_errors=True)
    env = {**os.environ, "FUZZ_SAVE": "1", "FUZZ_REPORT": "fuzz-report.json"}
    env.setdefault("FUZZ_CASES", "5000")
    run(
        venv_bin("python"),
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--basetemp=.fuzz-tmp",
        "tests/e2e/test_fuzz.py",
        env=env,
    )


def catalogs(*args: str) -> None:
    """Normalise the message catalogues (rules/locale, cli/locale), move entries parked in the NEW_* dicts
    into them and compile the .mo files an installed copy reads; `--from FILE` also takes the MESSAGES,
    LABELS and HELP_VI dicts of an old-style module (a branch written before the catalogues)."""
    setup()
    run(venv_bin("python"), ROOT / "tools" / "catalogs.py", *args)


def clean() -> None:
    for name in (".venv", "build", ".typecheck", *(p.name for p in ROOT.glob("*.egg-info"))):
        shutil.rmtree(ROOT / name, ignore_errors=True)


TASKS = {
    "setup": setup,
    "demo": demo,
    "serve": serve,
    "test": test,
    "check": check,
    "bench": bench,
    "catalogs": catalogs,
    "fuzz": fuzz,
    "clean": clean,
}


def main(argv: list[str], version: tuple[int, ...] = tuple(sys.version_info[:2])) -> int:
    if not argv or argv[0] not in TASKS or (len(argv) > 1 and argv[0] != "catalogs"):
        print(f"python tasks.py {'|'.join(TASKS)}", file=sys.stderr)
        return 2
    if argv[0] != "clean" and not supported(version):
        again = other_python()
        if again is None:
            print(version_message(version), file=sys.stderr)
            return 2
        print(f"Python {version[0]}.{version[1]} → {' '.join(again)}", flush=True)
        return subprocess.call([*again, str(Path(__file__).resolve()), *argv])
    if argv[0] == "catalogs":
        catalogs(*argv[1:])
    else:
        TASKS[argv[0]]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
