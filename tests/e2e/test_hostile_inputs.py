"""Each way bad or hostile input once escaped the located-error path, run as a real process of the
installed script: the outcome is a located exit 2 (or a correct verdict), never a traceback,
exit 3, a signal, a hang or a file read or written outside the agency folder."""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.process import ROOT, Outcome, judge, run_script

# real processes, each evaluating an agency: started first under make test (tests/conftest.py)
pytestmark = pytest.mark.slow

EXAMPLE = ROOT / "examples" / "ban-dan-toc-binh-phuoc" / "2022"
RULES, ROSTER, TESTS = "targets.rules.yaml", "roster.facts.yaml", "targets.tests.yaml"
PERSON = "    - id: p02\n      name: Điểu Thị Lan\n"


@dataclass
class Hostile:
    """A copy of the 2022 example, changed by `setup`, then `args` run on it; `check` looks at the outcome."""

    id: str
    setup: Callable[[Path], None]
    args: list[str]
    check: Callable[[Path, Outcome], None]
    env: dict[str, str] = field(default_factory=dict)
    timeout: float = 30  # a hang guard, not a measure (benchmarks measure): 200,000 rows take longer


def _replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return setup


def _write(name: str, content: str | bytes) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)

    return setup


def _bad_input(*fragments: str) -> Callable[[Path, Outcome], None]:
    def check(folder: Path, outcome: Outcome) -> None:
        assert outcome.rc == 2, outcome.describe()
        for fragment in fragments:
            assert fragment in outcome.stderr + outcome.stdout, outcome.describe()

    return check


def _verdicts(*fragments: str, absent: tuple[str, ...] = ()) -> Callable[[Path, Outcome], None]:
    def check(folder: Path, outcome: Outcome) -> None:
        assert outcome.rc in (0, 1), outcome.describe()
        for fragment in fragments:
            assert fragment in outcome.stdout, outcome.describe()
        for fragment in absent:
            assert fragment not in outcome.stdout + outcome.stderr, outcome.describe()

    return check


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.facts.yaml")


def _loop(folder: Path) -> None:
    (folder / "loop.facts.yaml").symlink_to("loop.facts.yaml")


def _billion_laughs() -> str:
    text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
    return text


def _far_cell_workbook(rows: int) -> Callable[[Path], None]:
    """The example workbook with a used range claiming XFD1048576 and `rows` empty rows written out."""

    def setup(folder: Path) -> None:
        source = folder / "excel" / "roster.facts.xlsx"
        out = io.BytesIO()
        with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename.startswith("xl/worksheets/sheet") and b"<sheetData>" in data:
                    data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data, count=1)
                    empty = b"".join(b'<row r="%d"/>' % r for r in range(600, 600 + rows))
                    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                    data = data.replace(b"</sheetData>", empty + far + b"</sheetData>", 1)
                dst.writestr(info, data)
        for p in folder.glob("*.facts.yaml"):
            p.unlink()
        (folder / "roster.facts.xlsx").write_bytes(out.getvalue())

    return setup


def _province_with_deep_json(folder: Path) -> None:
    for name in ("one", "two"):
        shutil.copytree(folder, folder / "prov" / name, ignore=shutil.ignore_patterns("prov", "excel"))
    (folder / "prov" / "two" / "deep.facts.json").write_text('{"entities": ' + "[" * 500 + "]" * 500 + "}")
    os.mkfifo(folder / "prov" / "one" / "pipe.facts.yaml")


def _each_names_the_deep_file(folder: Path, outcome: Outcome) -> None:
    """A whole `--each` run ends with the bad agencies' problems (exit 2), each shown as every command
    shows a place: the FIFO as its name alone (it was 'pipe.facts.yaml:0:0'), the JSON at its line."""
    assert outcome.rc == 2, outcome.describe()
    assert "deep.facts.json:1:78:" in outcome.stdout, outcome.describe()
    assert "pipe.facts.yaml: " in outcome.stdout and ":0:0" not in outcome.stdout, outcome.describe()


def _csv_rows(rows: int) -> Callable[[Path], None]:
    """The roster's people replaced by a CSV of `rows` people after its header."""

    def setup(folder: Path) -> None:
        text = (folder / ROSTER).read_text(encoding="utf-8")
        (folder / ROSTER).write_text(text[: text.index("  person:")], encoding="utf-8")
        lines = ["Mã", *(f"x{i}" for i in range(rows))]  # one column: the rows are what is counted
        (folder / "person.facts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    return setup


def _period_refused(folder: Path, outcome: Outcome) -> None:
    assert outcome.rc == 2 and "--period: lỗi: Năm 99999999999999999999" in outcome.stderr, outcome.describe()
    assert not (folder / "new").exists()


def _init_through_symlink(folder: Path) -> None:
    target = folder / "new"
    target.mkdir()
    (target / "chi-tieu.rules.yaml").symlink_to(folder / "outside.txt")


def _no_outside_file(folder: Path, outcome: Outcome) -> None:
    assert outcome.rc == 2, outcome.describe()
    assert not (folder / "outside.txt").exists()


def _no_side_effect(folder: Path, outcome: Outcome) -> None:
    assert outcome.rc == 2, outcome.describe()
    assert not (folder / "PWNED").exists()


def _init_then_validate(folder: Path, outcome: Outcome) -> None:
    assert outcome.rc == 0, outcome.describe()
    again = run_script("validate", folder / "new")
    assert again.rc == 0 and judge(again) is None, again.describe()
    text = (folder / "new" / "chi-tieu.rules.yaml").read_text(encoding="utf-8")
    assert "\nperiod: 1999" not in text


HOSTILE = [
    Hostile("fifo", _fifo, ["evaluate", "."], _bad_input("pipe.facts.yaml", "không phải tệp thường")),
    Hostile("dev-zero", lambda f: None, ["evaluate", ".", "--facts", "/dev/zero"], _bad_input("/dev/zero")),
    Hostile("symlink-loop", _loop, ["validate", "."], _bad_input("loop.facts.yaml")),
    Hostile("billion-laughs", _write("bomb.facts.yaml", _billion_laughs()), ["evaluate", "."], _bad_input("bí danh")),
    Hostile(
        "self-alias", _write("self.facts.yaml", "a: &a [1, *a]\n"), ["evaluate", "."], _bad_input("self.facts.yaml:1:")
    ),
    Hostile(
        "deep-yaml",
        _write("deep.facts.yaml", "entities: " + "[" * 900 + "]" * 900 + "\n"),
        ["evaluate", "."],
        _bad_input("deep.facts.yaml:1:"),
    ),
    Hostile(
        "deep-json",
        _write("deep.facts.json", '{"entities": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        ["evaluate", "."],
        _bad_input("deep.facts.json:1:78:"),
    ),
    # 254 to 1,023 levels: orjson read them, then could not write them back (exit 3); every depth past
    # MAX_DEPTH is now named at the same place, the bracket that goes past it
    *(
        Hostile(
            f"deep-json-{depth}",
            _write("deep.facts.json", '{"entities": ' + "[" * depth + "]" * depth + "}"),
            ["evaluate", "."],
            _bad_input("deep.facts.json:1:78:", "64"),
        )
        for depth in (65, 254, 300, 1023)
    ),
    Hostile("deep-json-each", _province_with_deep_json, ["evaluate", "prov", "--each"], _each_names_the_deep_file),
    Hostile(
        "python-tag",
        _replace(ROSTER, PERSON, '    - id: p02\n      name: !!python/object/apply:os.system ["touch PWNED"]\n'),
        ["evaluate", "."],
        _no_side_effect,
    ),
    Hostile(
        "nan-threshold",
        _replace(RULES, "require: {gte: 5}", "require: {gte: .nan}"),
        ["validate", "."],
        _bad_input(f"{RULES}:"),
    ),
    Hostile(
        "1e400-threshold",
        _replace(RULES, "require: {gte: 5}", "require: {gte: 1e400}"),
        ["evaluate", "."],
        _bad_input(f"{RULES}:"),
    ),
    Hostile(
        "inf-fact",
        _replace(ROSTER, PERSON, PERSON + "      initiatives_two_years: .inf\n"),
        ["evaluate", "."],
        _bad_input(f"{ROSTER}:"),
    ),
    Hostile(
        "huge-int-fact",
        _replace(ROSTER, PERSON, PERSON + "      initiatives_two_years: " + "9" * 5000 + "\n"),
        ["candidates", "."],
        _bad_input(f"{ROSTER}:"),
    ),
    Hostile(
        "csv-huge-field",
        _write("person.facts.csv", 'Mã,Họ và tên\np99,"' + "x" * 200_000 + '"\n'),
        ["evaluate", "."],
        _bad_input("person.facts.csv:"),
    ),
    Hostile("xlsx-far-cell", _far_cell_workbook(300_000), ["evaluate", "."], _verdicts("units.advanced")),
    Hostile(
        "json-duplicate-key",
        _write("dup.facts.json", '{"period": 2022,\n "period": 2022}\n'),
        ["evaluate", "."],
        _bad_input("dup.facts.json:2:"),
    ),
    Hostile(
        "use-etc-passwd",
        _replace(RULES, "use: [criteria]", "use: [criteria, /etc/passwd]"),
        ["evaluate", "."],
        _bad_input(f"{RULES}:7:"),
    ),
    Hostile(
        "tests-facts-outside",
        _replace(TESTS, "facts: roster.facts.yaml", "facts: /etc/passwd"),
        ["test", "."],
        _bad_input(f"{TESTS}:"),
    ),
    Hostile(
        "cp1252-stdout",
        lambda f: None,
        ["evaluate", ".", "--no-record"],
        _verdicts("units.advanced"),
        env={"PYTHONIOENCODING": "cp1252"},
    ),
    Hostile(
        "markup-and-escapes-in-a-name",
        _replace(ROSTER, PERSON, '    - id: p02\n      name: "[bold]Lan\\e[31m\\e]8;;http://x\\e\\\\ [/"\n'),
        ["explain", ".", "staff.advanced_workers"],
        _verdicts("[bold]Lan\\x1b[31m", absent=("\x1b",)),
    ),
    Hostile(
        "leading-zeros-are-decimal",
        _replace(RULES, "require: {gte: 5}", "require: {gte: 010}"),
        ["explain", ".", "units.advanced"],
        _verdicts("≥ 10"),
    ),
    Hostile(
        "init-agency-with-colon-and-newline",
        lambda f: None,
        ["init", "new", "--agency", "Sở: Nội vụ\nperiod: 1999"],
        _init_then_validate,
    ),
    Hostile("init-through-symlink", _init_through_symlink, ["init", "new"], _no_outside_file),
    # the limit counts rows of data: the header row is not one of them
    Hostile(
        "csv-200000-rows",
        _csv_rows(200_000),
        ["evaluate", ".", "--no-record"],
        _verdicts("units.advanced"),
        timeout=180,
    ),
    Hostile("csv-200001-rows", _csv_rows(200_001), ["evaluate", "."], _bad_input("person.facts.csv:200002:1:")),
    # the rule `validate` applies to a rule file's year, applied before anything is written
    Hostile("init-period-too-large", lambda f: None, ["init", "new", "--period", "9" * 20], _period_refused),
    # 27 to 30 digits were read, then crashed the number formatting (the default decimal context)
    Hostile(
        "thirty-digit-threshold",
        _replace(RULES, "require: {gte: 5}", "require: {gte: " + "9" * 30 + "}"),
        ["evaluate", ".", "--no-record"],
        _verdicts("−999.999.999.999.999.999.999.999.999.994"),
        env={"COLUMNS": "200"},
    ),
]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Outcome]]:
    root = tmp_path_factory.mktemp("hostile")
    folders = {}
    for case in HOSTILE:
        folder = root / case.id / "2022"
        shutil.copytree(EXAMPLE, folder)
        case.setup(folder)
        folders[case.id] = folder

    def run(case: Hostile) -> Outcome:
        ledger = (
            ["--ledger", str(root / f"{case.id}.sqlite")]
            if case.args[0] == "evaluate" and "--no-record" not in case.args
            else []
        )
        return run_script(*case.args, *ledger, cwd=folders[case.id], env=case.env, timeout=case.timeout)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, HOSTILE))
    return {c.id: (folders[c.id], o) for c, o in zip(HOSTILE, results, strict=True)}


@pytest.mark.parametrize("case", HOSTILE, ids=lambda c: c.id)
def test_hostile_input(outcomes: dict[str, tuple[Path, Outcome]], case: Hostile) -> None:
    folder, outcome = outcomes[case.id]
    problem = judge(outcome)
    assert problem is None, f"{case.id}: {problem}\n{outcome.describe()}"
    assert "root:x:0:0" not in outcome.stdout + outcome.stderr  # nothing of a file outside is echoed
    case.check(folder, outcome)
