"""Mutation fuzzing of the files that travel between agencies, each mutation run as real processes.

The files: the shipped rule and fact files (YAML, JSON, CSV, a workbook), a block's file and a
member's, the Word template, and a pledge as text and as Word. The commands: every command that
reads them (evaluate, --each, validate, test, explain, candidates, report in its three formats,
block in each of its outputs, draft, pledge, the audit commands, answers from the ledger), and the
commands that write a file do so to an output path that is drawn too (the run's own rule file, its
ledger, a link, a folder, a pipe, an existing document). Hypothesis draws the cases (derandomized:
the same cases on every machine); they then run two at a time through fork servers
(tests/e2e/forkserver.py). A case is data (`Case`), so a failing one can be written to
tests/fuzz_regressions/ and replayed on every run. Besides the exit codes, a case checks that no
input file was changed by the command.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import re
import shutil
import zipfile
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
# Placeholders put into a Word template: the report's own data, broken syntax, and reaches for Python.
HOSTILE_JINJA = [
    "{{ header.name }}",
    "{{ header.name|upper }} {{ body|length }}",
    "{{ nope }}",
    "{{ header.",
    "{%p if header.draft %}",
    "{%p endfor %}",
    "{%p for b in body %}{{ b.text }}",
    "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ header.__class__.__mro__ }}",
    "{{ '{0.__class__}'.format(header) }}",
    "{{ header|attr('__class__') }}",
    "{{ 'x' * 1000000000 }}",
    "{{ 9 ** 99999999 }}",
    "{{ '%999999999d' % 1 }}",
    "{{ 1 / 0 }}",
    "{% for a in body %}{% for b in body %}{% for c in body %}x{% endfor %}{% endfor %}{% endfor %}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{%p for x in body recursive %}{{ loop(x) }}{%p endfor %}",
    "{{ header.name.ljust(1000000000) }}",
    "{% set x = namespace() %}",
    "{% include 'x' %}",
    "{{ lipsum() }}",
    "{{ range(10**9)|list }}",
    "\u202e{{ header.name }}",
]
# Sentences put into a pledge: figures past every limit, a line past the draft's size, repeats.
HOSTILE_PLEDGE = [
    "- Phấn đấu có " + "9" * 5000 + " cá nhân đạt danh hiệu Lao động tiên tiến.",
    "- Phấn đấu có " + "9" * 40 + "% cá nhân đạt danh hiệu Lao động tiên tiến.",
    "- " + " ".join(["Phấn đấu có 05 cá nhân đạt danh hiệu Lao động tiên tiến."] * 2000),
    "- Phấn đấu " + "x" * 1_100_000,
    "- Phấn đấu trên 1000% cá nhân đạt Lao động tiên tiến; 0,0000001% đạt Chiến sĩ thi đua cơ sở.",
    "năm 99999",
    "PHẦN I\nI. Chỉ tiêu năm 2022\n1. Đối với cá nhân:",
    "- Phấn đấu có 05 [bold]cá nhân[/] đạt \x1b[31mLao động tiên tiến",
    "\x00\x01\x02",
]
# Where a command that writes a file is told to write it (None: its default name). "{rules}" and
# "{facts}" are the run's own files; the others are made in the folder before the command runs.
OUTPUTS: list[str | None] = [
    None,
    "new.out",
    "{rules}",
    "{facts}",
    ".thidua-ledger.sqlite",
    "ledger.sqlite",
    "link.out",
    "folder.out",
    "existing.out",
    "existing.out --force",
    "no-such-folder/x.out",
    "pipe.out",
]
AGENCY_COMMANDS = (
    "evaluate",
    "evaluate-ledger",
    "validate",
    "explain",
    "candidates",
    "test",
    "report-docx",
    "report-xlsx",
    "report-html",
    "pledge",
    "audit",
    "answers",
)
BLOCK_COMMANDS = ("block", "block-json", "block-explain", "block-docx", "block-xlsx", "block-html", "evaluate-each")
WRITES = {
    "report-docx",
    "report-xlsx",
    "report-html",
    "block-docx",
    "block-xlsx",
    "block-html",
    "template",
    "draft-out",
}
# Files a command reads and must never change (the ledger may grow; a document may be written).
INPUT_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".xlsx", ".docx", ".txt")


@dataclass(frozen=True)
class Base:
    name: str
    files: tuple[str, ...]  # files a mutation may change
    target: str  # a target id for `explain`
    commands: tuple[str, ...] = AGENCY_COMMANDS
    run: str = "."  # the folder the commands are given, inside the base's copy


BASES = [
    Base("y2022", ("targets.rules.yaml", "roster.facts.yaml", "targets.tests.yaml"), "units.advanced"),
    Base("y2023", ("targets.rules.yaml",), "units.advanced"),
    Base("y2024", ("targets.rules.yaml", "roster.facts.yaml"), "units.advanced"),
    Base("json2022", ("targets.rules.yaml", "roster.facts.json"), "staff.advanced_workers"),
    Base("csv2022", ("person.facts.csv",), "staff.advanced_workers"),
    Base("xlsx2022", ("roster.facts.xlsx",), "staff.advanced_workers"),
    Base(
        "block",
        ("khoi/block.rules.yaml", "khoi/so-noi-vu/roster.facts.yaml", "khoi/so-noi-vu/targets.rules.yaml"),
        "units.advanced",
        BLOCK_COMMANDS,
        "khoi",
    ),
    Base("template", ("bao_cao.docx",), "units.advanced", ("template",)),
    Base("pledge", ("giao-uoc.txt", "giao-uoc.docx"), "units.advanced", ("draft", "draft-check", "draft-out")),
]
BY_NAME = {b.name: b for b in BASES}


@dataclass(frozen=True)
class Case:
    base: str
    file: str
    ops: tuple[tuple[Any, ...], ...]
    command: str
    out: int | None = None  # an index into OUTPUTS, for a command that writes a file

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
    # a block and its members, one of which is the 2022 example (listed as ../ban-dan-toc-binh-phuoc/2022)
    shutil.copytree(ROOT / "examples" / "khoi-thi-dua-so-6", root / "block" / "khoi")
    shutil.copytree(y2022, root / "block" / "ban-dan-toc-binh-phuoc" / "2022", ignore=shutil.ignore_patterns("*.py"))
    shutil.copytree(y2022, root / "template", ignore=shutil.ignore_patterns("*.py", "__pycache__", "excel"))
    shutil.copy(ROOT / "evaluator" / "documents" / "templates" / "bao_cao.docx", root / "template")
    (root / "pledge").mkdir()
    shutil.copy(y2022 / "targets.rules.yaml", root / "pledge")
    pledge = (EXAMPLE / "bao-cao-2022.txt").read_text(encoding="utf-8")
    (root / "pledge" / "giao-uoc.txt").write_text(pledge, encoding="utf-8")
    _word(pledge, root / "pledge" / "giao-uoc.docx")
    return root


def _word(text: str, path: Path) -> None:
    """The pledge as Word writes it: a bullet paragraph per '- ' line (a list style)."""
    from docx import Document

    doc = Document()
    for line in text.splitlines():
        if line.startswith("- "):
            doc.add_paragraph(line[2:], style="List Bullet")
        else:
            doc.add_paragraph(line)
    doc.save(str(path))


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
        if kind == "txt":
            i = op[1] % len(lines)
            lines.insert(i, HOSTILE_PLEDGE[op[2] % len(HOSTILE_PLEDGE)])
            return "\n".join(lines)
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


_W_T = re.compile(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_W_P = re.compile(rb"<w:p[ >].*?</w:p>", re.S)


def _docx_op(path: Path, op: tuple[Any, ...]) -> None:
    """A mutation of a Word file's document part: a placeholder written into a text run, a cut or a
    repeated paragraph, tables nested, a document type with entities, a part left out."""
    with zipfile.ZipFile(path) as src:
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    xml = parts.get("word/document.xml", b"")
    if op[0] == "placeholder":
        runs = list(_W_T.finditer(xml))
        if runs:
            m = runs[op[1] % len(runs)]
            text = html.escape(HOSTILE_JINJA[op[2] % len(HOSTILE_JINJA)], quote=False).encode("utf-8")
            xml = xml[: m.end(1)] + text + xml[m.end(1) :]
    elif op[0] == "cut":
        i = op[1] % max(len(xml), 1)
        xml = xml[:i] + xml[i + 1 + op[2] % 200 :]
    elif op[0] == "repeat":
        paragraphs = list(_W_P.finditer(xml))
        if paragraphs:
            m = paragraphs[op[1] % len(paragraphs)]
            xml = xml[: m.end()] + m.group() * (1 + op[2] % 50) + xml[m.end() :]
    elif op[0] == "nest":
        depth = 1 + op[1] % 300
        inner = b"<w:tbl><w:tr><w:tc>" * depth + b"<w:p/>" + b"</w:tc></w:tr></w:tbl>" * depth
        xml = xml.replace(b"<w:body>", b"<w:body>" + inner, 1)
    elif op[0] == "doctype":
        xml = xml.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>', 1)
    elif op[0] == "drop":
        names = sorted(parts)
        parts.pop(names[op[1] % len(names)])
    if "word/document.xml" in parts:
        parts["word/document.xml"] = xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)


def apply(case: Case, corpus: Path, dest: Path) -> Path:
    """Copy the case's base folder to `dest` and apply its mutation; returns the folder."""
    folder = dest / "2022"
    shutil.copytree(corpus / case.base, folder, symlinks=True)
    path = folder / case.file
    kind = path.suffix.lstrip(".")
    for op in case.ops:
        if op[0] == "flip":
            path.write_bytes(_bytes_op(path.read_bytes(), op))
        elif kind == "docx":
            try:
                _docx_op(path, op)
            except Exception:  # noqa: BLE001 - a flipped byte made it no zip the mutator can read either
                # an operation without a position ('doctype') flips the first byte instead
                path.write_bytes(_bytes_op(path.read_bytes(), ("flip", op[1] if len(op) > 1 else 0, 0)))
        elif kind == "xlsx":
            try:
                _xlsx_op(path, op)
            except Exception:  # noqa: BLE001 - a flipped byte made the workbook unreadable to the mutator too
                position = op[1] if len(op) > 1 else 0
                path.write_bytes(_bytes_op(path.read_bytes(), ("flip", position, op[2] if len(op) > 2 else 0)))
        else:
            text = path.read_bytes().decode("utf-8", "replace")
            path.write_bytes(_text_op(text, op, kind).encode("utf-8", "surrogatepass"))
    return folder


def prepare(case: Case, folder: Path) -> list[str]:
    """Make what the case's output path names (a link to a file outside, a folder, an existing
    document, a pipe) and return the arguments that give it to the command (none: its default)."""
    out = OUTPUTS[case.out] if case.out is not None and case.command in WRITES else None
    if out is None:
        return []
    run = folder / BY_NAME[case.base].run
    if out == "link.out":
        (folder / "outside.txt").write_text("không được ghi đè\n", encoding="utf-8")
        (run / out).symlink_to(folder / "outside.txt")
    elif out == "folder.out":
        (run / out).mkdir()
    elif out.startswith("existing.out"):
        (run / "existing.out").write_text("tài liệu cũ\n", encoding="utf-8")
    elif out == "pipe.out":
        os.mkfifo(run / out)
    elif out == "ledger.sqlite":
        (run / out).write_bytes(b"SQLite format 3\x00" + bytes(100))
    rules = next(iter(sorted(run.glob("*.rules.yaml"))), run / "targets.rules.yaml")
    facts = next(iter(sorted(run.glob("*.facts.*"))), run / "roster.facts.yaml")
    name, *force = out.split()
    name = name.replace("{rules}", rules.name).replace("{facts}", facts.name)
    return ["--out", str(run / name), *force]


def command_lines(case: Case, folder: Path, out: list[str] | None = None) -> list[list[str]]:
    """The command lines of a case, run one after the other in the case's folder (`out`: the
    output arguments `prepare` made)."""
    base = BY_NAME[case.base]
    run = str(folder / base.run)
    ledger = str(folder.parent / "ledger.sqlite")
    out = out or []
    c = case.command
    if c == "evaluate":
        return [["evaluate", run, "--no-record", "--format", "json"]]
    if c == "evaluate-ledger":
        return [["evaluate", run, "--ledger", ledger]]
    if c == "evaluate-each":
        return [["evaluate", str(folder), "--each"]]
    if c == "explain":
        return [["explain", run, base.target, "--format", "json"]]
    if c == "test":
        return [["test", run]]
    if c.startswith("report-"):
        return [["report", run, "--format", c.split("-")[1], "--ledger", ledger, *out]]
    if c == "template":
        return [["report", run, "--format", "docx", "--template", str(folder / case.file), "--no-record", *out]]
    if c == "pledge":
        return [["pledge", run]]
    if c == "audit":
        return [
            ["evaluate", run, "--ledger", ledger, "--format", "json"],
            ["audit", "verify", "--ledger", ledger],
            ["audit", "list", "--ledger", ledger, "--format", "json"],
            ["audit", "show", "last", "--ledger", ledger],
            ["audit", "explain", "last", base.target, "--ledger", ledger],
        ]
    if c == "answers":  # recorded, then asked of the ledger (the files are the run's)
        return [
            ["evaluate", run, "--ledger", ledger, "--format", "json"],
            ["explain", run, base.target, "--entity", "p01"],  # the ledger: $THIDUA_LEDGER (run_case)
            ["candidates", run, "--entity", "p01", "--format", "json"],
        ]
    if c == "block":
        return [["block", run, "--ledger", ledger]]
    if c == "block-json":
        return [["block", run, "--format", "json", "--no-record"]]
    if c == "block-explain":
        return [["block", run, "--explain", "so-noi-vu", "--no-record"]]
    if c.startswith("block-"):
        return [["block", run, "--format", c.split("-")[1], "--ledger", ledger, *out]]
    pledge = str(folder / case.file)
    if c == "draft":
        return [["draft", pledge, "--period", "2022"]]
    if c == "draft-check":
        # the folder as the draft's vocabulary (`--use`), the pledge drafted and compared by meaning
        return [["draft", pledge, "--use", str(folder), "--check", str(folder / "targets.rules.yaml")]]
    if c == "draft-out":
        return [["draft", pledge, "--period", "2022", *(out or ["--out", str(folder / "draft.rules.yaml")])]]
    return [[c, run, "--format", "json"]]


def command_line(case: Case, folder: Path) -> list[str]:
    """The first (usually only) command line of a case."""
    return command_lines(case, folder)[0]


def inputs_snapshot(folder: Path) -> dict[Path, bytes]:
    """The bytes of every file a command may read and must not change, and of the file a link points to."""
    return {
        p: p.read_bytes()
        for p in folder.rglob("*")
        if (p.name.endswith(INPUT_SUFFIXES) or p.name == "outside.txt") and p.is_file() and not p.is_symlink()
    }


def changed_inputs(before: dict[Path, bytes]) -> list[str]:
    return [p.name for p, data in before.items() if not p.is_file() or p.read_bytes() != data]


# --- strategies -------------------------------------------------------------------------

_positions = st.integers(min_value=0, max_value=10**6)


def _ops_for(kind: str) -> st.SearchStrategy[tuple[Any, ...]]:
    flip = st.tuples(st.just("flip"), _positions, st.integers(0, 255))
    if kind == "docx":
        return st.one_of(
            st.tuples(st.just("placeholder"), _positions, _positions),
            st.tuples(st.just("placeholder"), _positions, _positions),
            st.tuples(st.just("cut"), _positions, _positions),
            st.tuples(st.just("repeat"), _positions, _positions),
            st.tuples(st.just("nest"), _positions),
            st.tuples(st.just("doctype")),
            st.tuples(st.just("drop"), _positions),
            flip,
        )
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
    command = draw(st.sampled_from(base.commands))
    # the default name, a new name, or any output (a third each): most cases reach the document
    out = draw(st.sampled_from([0, 1, None])) if command in WRITES else None
    if out is None and command in WRITES:
        out = draw(st.integers(0, len(OUTPUTS) - 1))
    return Case(base.name, file, ops, command, out)


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


def run_case(runner: ForkRunner, case: Case, folder: Path) -> Outcome:
    """The case's command lines one after the other; the first that breaks the contract, changes an
    input file or refuses its input (exit 2) is the case's outcome, else the last."""
    out = prepare(case, folder)
    before = inputs_snapshot(folder)
    outcome: Outcome | None = None
    # a run recorded without --ledger goes to the case's ledger, beside its folder (not into the inputs)
    env = {**os.environ, "THIDUA_LEDGER": str(folder.parent / "ledger.sqlite")}
    for args in command_lines(case, folder, out):
        timeout = 60 if case.command in BLOCK_COMMANDS else 20  # a block evaluates its seven agencies
        outcome = runner.run(*args, cwd=folder / BY_NAME[case.base].run, env=env, timeout=timeout, limit=200_000)
        changed = changed_inputs(before)
        if changed:
            outcome.stderr += f"\n[fuzz] the command changed input files: {', '.join(sorted(changed))}"
            outcome.rc = 99
        if judge(outcome) is not None or outcome.rc == 2:  # the next commands would read what this refused
            break
    assert outcome is not None
    return outcome


def run_cases(
    cases_: list[Case], corpus: Path, work: Path, workers: int = 2, first: int = 0
) -> list[tuple[Case, Outcome]]:
    runners = [ForkRunner() for _ in range(workers)]
    try:

        def one(item: tuple[int, Case]) -> tuple[Case, Outcome]:
            i, case = item
            dest = work / f"{first + i:05d}"
            folder = apply(case, corpus, dest)
            outcome = run_case(runners[i % workers], case, folder)
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
    shutil.copy(folder / case.file, target / Path(case.file).name)
    shutil.rmtree(tmp, ignore_errors=True)
    meta: dict[str, Any] = {"base": case.base, "file": case.file, "command": case.command}
    if case.out is not None:
        meta["out"] = case.out
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
