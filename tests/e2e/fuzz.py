"""Mutation fuzzing of the shipped rule and fact files, each mutation run as a real process.

Hypothesis draws the mutations (derandomized: the same cases on every machine); the cases then run
two at a time through fork servers (tests/e2e/forkserver.py). A mutation is data (`Case`), so a
failing one can be written to tests/fuzz_regressions/ and replayed on every run.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from tests.e2e.process import ROOT, ForkRunner, Outcome, judge, unlocated

EXAMPLE = ROOT / "examples" / "ban-dan-toc-binh-phuoc"
REGRESSIONS = ROOT / "tests" / "fuzz_regressions"

# Values that once escaped the located-error path, or could: numbers YAML 1.1 misreads, numbers
# that overflow, aliases, tags, markup, terminal escapes, deep nesting.
HOSTILE_YAML = [
    "1e400",
    "010",
    "08",
    "'02'",
    "0.00001",
    "1e16",
    ".nan",
    ".inf",
    "-.inf",
    "9" * 5000,
    "-1",
    "0",
    "yes",
    "off",
    "~",
    "''",
    "'[bold]x[/'",
    '"\\e[31mđỏ\\e]8;;http://x\\e\\\\"',
    "&a [*a]",
    "*nope",
    "!!python/object/apply:os.system [true]",
    "!!binary aGk=",
    "[" * 300 + "]" * 300,
    "{a: 1, a: 2}",
    "2022-02-30",
    "Hoàn thành tốt nhiệm vụ",
    "'\u202etxt'",
    "99%",
    "1000%",
    "'0,5'",
    "true",
    "[]",
    "{}",
    "1:30",
    "0x1F",
    "'" + "x" * 70_000 + "'",
]
HOSTILE_JSON = [
    "1e400",
    "010",
    "NaN",
    "Infinity",
    "9" * 5000,
    "-1",
    "0.00001",
    "1e16",
    "true",
    "null",
    '"[bold]x[/"',
    '"\\u001b[31m"',
    "[" * 3000 + "]" * 3000,
    '{"a": 1, "a": 2}',
    '"2022-02-30"',
    '"99%"',
    "[]",
    "{}",
    '"02"',
]
HOSTILE_CELLS: list[Any] = [
    "1e400",
    "010",
    ".nan",
    "9" * 5000,
    -1,
    1e308,
    10**20,
    "[bold]x[/",
    "\x1b[31m",
    "Chờ UBND xét",
    "=1/0",
    "",
    "yes",
    "30/02/2022",
    "99%",
    "x" * 40_000,
    0.00001,
]
SNIPPETS = [
    "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)),
    "x: &x [1, *x]\n",
    "deep: " + "[" * 200 + "]" * 200 + "\n",
    "evil: !!python/object/apply:os.system [true]\n",
    "<<: {period: 1}\n",
    "\t\x00\x1b[2J\n",
]
COMMANDS = ["evaluate", "evaluate-ledger", "validate", "explain", "candidates", "test"]


@dataclass(frozen=True)
class Base:
    name: str
    files: tuple[str, ...]  # files a mutation may change
    target: str  # a target id for `explain`


BASES = [
    Base("y2022", ("targets.rules.yaml", "roster.facts.yaml", "targets.tests.yaml"), "units.advanced"),
    Base("y2023", ("targets.rules.yaml",), "units.advanced"),
    Base("y2024", ("targets.rules.yaml", "roster.facts.yaml"), "units.advanced"),
    Base("json2022", ("targets.rules.yaml", "roster.facts.json"), "staff.advanced_workers"),
    Base("csv2022", ("person.facts.csv",), "staff.advanced_workers"),
    Base("xlsx2022", ("roster.facts.xlsx",), "staff.advanced_workers"),
]
BY_NAME = {b.name: b for b in BASES}


@dataclass(frozen=True)
class Case:
    base: str
    file: str
    ops: tuple[tuple[Any, ...], ...]
    command: str

    @property
    def id(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True, default=str).encode()).hexdigest()[:12]


# --- the corpus ---------------------------------------------------------------------------


def build_corpus(root: Path) -> Path:
    """The base folders, written once: the shipped examples and the 2022 facts as JSON, CSV and XLSX."""
    y2022 = EXAMPLE / "2022"
    for name, source in (("y2022", y2022), ("y2023", EXAMPLE / "2023"), ("y2024", EXAMPLE / "2024")):
        shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    roster = yaml.safe_load((y2022 / "roster.facts.yaml").read_text(encoding="utf-8"))
    for name in ("json2022", "csv2022", "xlsx2022"):
        (root / name).mkdir()
        shutil.copy(y2022 / "targets.rules.yaml", root / name)
    (root / "json2022" / "roster.facts.json").write_text(
        json.dumps(roster, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Mã", "Họ và tên", "Xếp loại", "Công đoàn viên", "Danh hiệu"])
    for p in roster["entities"]["person"]:
        titles = [t if isinstance(t, str) else t["title"] for t in p.get("titles") or []]
        writer.writerow(
            [p["id"], p["name"], p.get("rating", ""), "Có" if p.get("union_member") else "Không", "; ".join(titles)]
        )
    (root / "csv2022" / "person.facts.csv").write_text(out.getvalue(), encoding="utf-8")
    shutil.copy(y2022 / "excel" / "roster.facts.xlsx", root / "xlsx2022" / "roster.facts.xlsx")
    return root


# --- mutations ----------------------------------------------------------------------------

_YAML_VALUE = re.compile(r"(?m)(:[ ]+)([^\s#{}\[\],&*!|>'\"][^#\n]*?|'[^'\n]*'|\"[^\"\n]*\")([ ]*(?:#.*)?)$")
_JSON_VALUE = re.compile(r'(:\s*)("(?:[^"\\\n]|\\.)*"|-?[0-9][0-9.eE+-]*|true|false|null)')


def _text_op(text: str, op: tuple[Any, ...], kind: str) -> str:
    name = op[0]
    lines = text.split("\n")
    if name == "delete_line":
        del lines[op[1] % len(lines)]
        return "\n".join(lines)
    if name == "dup_line":
        i = op[1] % len(lines)
        lines.insert(i, lines[i])
        return "\n".join(lines)
    if name == "insert":
        i = op[1] % len(lines)
        lines.insert(i, SNIPPETS[op[2] % len(SNIPPETS)].rstrip("\n"))
        return "\n".join(lines)
    if name == "value":
        if kind == "csv":
            try:
                rows = list(csv.reader(io.StringIO(text)))
            except csv.Error:  # an earlier operation broke the quoting: put the value in as text
                i = op[1] % (len(text) + 1)
                return text[:i] + str(HOSTILE_CELLS[op[2] % len(HOSTILE_CELLS)]) + text[i:]
            if not rows:
                return text
            r = rows[op[1] % len(rows)]
            if r:
                r[op[1] % len(r)] = str(HOSTILE_CELLS[op[2] % len(HOSTILE_CELLS)])
            out = io.StringIO()
            csv.writer(out).writerows(rows)
            return out.getvalue()
        pattern, values = (_JSON_VALUE, HOSTILE_JSON) if kind == "json" else (_YAML_VALUE, HOSTILE_YAML)
        matches = list(pattern.finditer(text))
        if not matches:
            return text
        m = matches[op[1] % len(matches)]
        return text[: m.start(2)] + values[op[2] % len(values)] + text[m.end(2) :]
    if name == "unicode":
        i = op[1] % (len(text) + 1)
        return text[:i] + op[2] + text[i:]
    raise ValueError(name)


def _bytes_op(data: bytes, op: tuple[Any, ...]) -> bytes:
    i = op[1] % max(len(data), 1)
    return data[:i] + bytes([op[2] % 256]) + data[i + 1 :]


_MAX_SHIFTED_ROWS = 10_000  # the mutator's own bound: openpyxl's delete_rows is linear in the used range


def _xlsx_op(path: Path, op: tuple[Any, ...]) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheets = [s for s in book.worksheets if not s.title.startswith("_")]
    sheet = sheets[op[1] % len(sheets)]
    if op[0] == "cell":
        row = 1 + op[2] % max(sheet.max_row, 1)
        col = 1 + op[3] % max(sheet.max_column, 1)
        sheet.cell(row, col).value = HOSTILE_CELLS[op[4] % len(HOSTILE_CELLS)] or None
    elif op[0] == "delete_row":
        row = 1 + op[2] % max(sheet.max_row, 1)
        if sheet.max_row > _MAX_SHIFTED_ROWS:
            # after a far cell, openpyxl shifts every row up to XFD1048576 (minutes): blank the row instead
            for cell in next(sheet.iter_rows(min_row=row, max_row=row, max_col=min(sheet.max_column, 64))):
                cell.value = None
        else:
            sheet.delete_rows(row)
    elif op[0] == "far_cell":
        sheet.cell(1_048_576, 16_384).value = "x"
    elif op[0] == "rename":
        sheet.title = ["Nhân viên", "_ẩn", "Cá nhân ", "Hướng dẫn", "Tập thể"][op[2] % 5]
    elif op[0] == "merge":
        sheet.merge_cells(
            start_row=1 + op[2] % 20, start_column=1, end_row=1 + op[2] % 20 + 3, end_column=1 + op[3] % 6
        )
    book.save(path)


def apply(case: Case, corpus: Path, dest: Path) -> Path:
    """Copy the case's base folder to `dest` and apply its mutation; returns the folder."""
    folder = dest / "2022"
    shutil.copytree(corpus / case.base, folder)
    path = folder / case.file
    kind = path.suffix.lstrip(".")
    for op in case.ops:
        if op[0] == "flip":
            path.write_bytes(_bytes_op(path.read_bytes(), op))
        elif kind == "xlsx":
            try:
                _xlsx_op(path, op)
            except Exception:  # noqa: BLE001 - a flipped byte made the workbook unreadable to the mutator too
                path.write_bytes(_bytes_op(path.read_bytes(), ("flip", op[1], op[2] if len(op) > 2 else 0)))
        else:
            text = path.read_bytes().decode("utf-8", "replace")
            path.write_bytes(_text_op(text, op, kind).encode("utf-8", "surrogatepass"))
    return folder


def command_line(case: Case, folder: Path) -> list[str]:
    base = BY_NAME[case.base]
    if case.command == "evaluate":
        return ["evaluate", str(folder), "--no-record", "--format", "json"]
    if case.command == "evaluate-ledger":
        return ["evaluate", str(folder), "--ledger", str(folder.parent / "ledger.sqlite")]
    if case.command == "explain":
        return ["explain", str(folder), base.target, "--format", "json"]
    if case.command == "test":
        return ["test", str(folder)]
    return [case.command, str(folder), "--format", "json"]


# --- strategies -------------------------------------------------------------------------

_positions = st.integers(min_value=0, max_value=10**6)


def _ops_for(kind: str) -> st.SearchStrategy[tuple[Any, ...]]:
    flip = st.tuples(st.just("flip"), _positions, st.integers(0, 255))
    if kind == "xlsx":
        return st.one_of(
            st.tuples(st.just("cell"), _positions, _positions, _positions, _positions),
            st.tuples(st.just("delete_row"), _positions, _positions),
            st.tuples(st.just("far_cell"), _positions),
            st.tuples(st.just("rename"), _positions, _positions),
            st.tuples(st.just("merge"), _positions, _positions, _positions),
            flip,
        )
    return st.one_of(
        st.tuples(st.just("value"), _positions, _positions),
        st.tuples(st.just("value"), _positions, _positions),
        st.tuples(st.just("delete_line"), _positions),
        st.tuples(st.just("dup_line"), _positions),
        st.tuples(st.just("insert"), _positions, _positions),
        st.tuples(st.just("unicode"), _positions, st.text(min_size=1, max_size=3)),
        flip,
    )


@st.composite
def cases(draw: st.DrawFn) -> Case:
    base = draw(st.sampled_from(BASES))
    file = draw(st.sampled_from(base.files))
    kind = file.rsplit(".", 1)[-1]
    ops = tuple(draw(st.lists(_ops_for(kind), min_size=1, max_size=3)))
    command = draw(st.sampled_from(COMMANDS))
    return Case(base.name, file, ops, command)


# --- running ----------------------------------------------------------------------------


def classify(outcome: Outcome) -> str:
    """The row of the outcomes table this outcome belongs to."""
    if outcome.timeout:
        return "hang (timeout)"
    if outcome.signal is not None:
        return "signal"
    if "Traceback" in outcome.stdout + outcome.stderr or outcome.rc not in (0, 1, 2):
        return "internal error (exit 3) or traceback"
    if outcome.rc == 2 and unlocated(outcome):
        return "exit 2 without line/row"
    return "ok (0/1) or located exit 2"


def run_cases(
    cases_: list[Case], corpus: Path, work: Path, workers: int = 2, first: int = 0
) -> list[tuple[Case, Outcome]]:
    runners = [ForkRunner() for _ in range(workers)]
    try:

        def one(item: tuple[int, Case]) -> tuple[Case, Outcome]:
            i, case = item
            dest = work / f"{first + i:05d}"
            folder = apply(case, corpus, dest)
            outcome = runners[i % workers].run(*command_line(case, folder), cwd=folder, timeout=20, limit=200_000)
            if judge(outcome) is None:
                shutil.rmtree(dest, ignore_errors=True)
            return case, outcome

        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(one, enumerate(cases_)))
    finally:
        for r in runners:
            r.close()


def save_regression(case: Case, corpus: Path, outcome: Outcome, reason: str | None = None) -> Path:
    """Keep a failing case under tests/fuzz_regressions/<id>/: its mutated file and how to run it."""
    target = REGRESSIONS / case.id
    target.mkdir(parents=True, exist_ok=True)
    tmp = target / "_build"
    shutil.rmtree(tmp, ignore_errors=True)
    folder = apply(case, corpus, tmp)
    shutil.copy(folder / case.file, target / case.file)
    shutil.rmtree(tmp, ignore_errors=True)
    meta: dict[str, Any] = {"base": case.base, "file": case.file, "command": case.command}
    meta["found"] = judge(outcome)
    if reason:
        meta["xfail"] = reason
    (target / "case.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=True), encoding="utf-8")
    return target


def env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default
