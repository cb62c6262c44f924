"""Every command that writes a file goes through one writer (evaluator/output.py), tested as real
processes: never over an input of the run, a ledger, through a symbolic link or into a folder;
an existing document only with --force; atomically (a new file renamed into place)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.process import ROOT, Outcome, judge, run_script

# real processes, each evaluating an agency: started first under make test (tests/conftest.py)
pytestmark = pytest.mark.slow

EXAMPLE = ROOT / "examples" / "ban-dan-toc-binh-phuoc"
BLOCK = ROOT / "examples" / "khoi-thi-dua-so-6"
REFUSED = {
    "input": "đó là tệp đầu vào của lần chạy này",
    "ledger": "đó là sổ kiểm toán",
    "link": "đó là một liên kết tượng trưng",
    "folder": "đó là một thư mục",
    "exists": "đã có. Thêm --force",
    "pipe": "không phải tệp thường",
}


def _build(root: Path) -> Path:
    """root/ban-dan-toc-binh-phuoc/{2022,...}, root/khoi (the block), a ledger in the 2022 folder, and a
    rule file in 2022 that `use:`s a shared file of the folder."""
    shutil.copytree(EXAMPLE, root / "ban-dan-toc-binh-phuoc")
    shutil.copytree(BLOCK, root / "khoi")
    folder = root / "ban-dan-toc-binh-phuoc" / "2022"
    (folder / "chung.yaml").write_text("version: 1\n", encoding="utf-8")
    rules = folder / "targets.rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("use: [criteria]", "use: [criteria, chung.yaml]"))
    recorded = run_script("evaluate", folder, "--format", "json", "--ledger", folder, cwd=root)
    assert recorded.rc == 0, recorded.describe()
    assert (folder / ".thidua-ledger.sqlite").is_file()
    (root / "cu.html").write_text("tài liệu cũ", encoding="utf-8")
    shutil.copy(ROOT / "evaluator" / "documents" / "templates" / "bao_cao.docx", root / "mau.docx")
    (root / "so.db").write_bytes(b"")
    return root


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("outputs") / "base")


@pytest.fixture
def work(base: Path, tmp_path: Path) -> Path:
    shutil.copytree(base, tmp_path / "w")
    return tmp_path / "w"


@dataclass
class Case:
    id: str
    args: list[str]  # run in a copy of the base folders
    target: str  # the path that must be left as it was
    why: str  # a key of REFUSED
    setup: Callable[[Path], None] | None = None


def _link(name: str) -> Callable[[Path], None]:
    def setup(work: Path) -> None:
        (work / "victim.txt").write_text("không được ghi đè", encoding="utf-8")
        (work / name).symlink_to(work / "victim.txt")

    return setup


def _pipe(work: Path) -> None:
    os.mkfifo(work / "ong.html")


Y = "ban-dan-toc-binh-phuoc/2022"
CASES = [
    Case(
        "report-over-the-ledger",
        ["report", Y, "--format", "html", "--out", f"{Y}/.thidua-ledger.sqlite"],
        f"{Y}/.thidua-ledger.sqlite",
        "ledger",
    ),
    Case(
        "report-over-its-wal",
        ["report", Y, "--format", "html", "--out", f"{Y}/.thidua-ledger.sqlite-wal", "--force"],
        f"{Y}/.thidua-ledger.sqlite",
        "ledger",
    ),
    Case(
        "report-over-the-ledger-given",
        ["report", Y, "--format", "xlsx", "--ledger", "so.db", "--out", "so.db", "--force"],
        "so.db",
        "ledger",
    ),
    Case(
        "report-over-its-rule-file",
        ["report", Y, "--format", "docx", "--out", f"{Y}/targets.rules.yaml", "--force"],
        f"{Y}/targets.rules.yaml",
        "input",
    ),
    Case(
        "report-over-its-fact-file",
        ["report", Y, "--format", "html", "--out", f"{Y}/roster.facts.yaml", "--force"],
        f"{Y}/roster.facts.yaml",
        "input",
    ),
    Case(
        "report-over-a-used-file",
        ["report", Y, "--format", "html", "--out", f"{Y}/chung.yaml", "--force"],
        f"{Y}/chung.yaml",
        "input",
    ),
    Case(
        "report-over-its-template",
        ["report", Y, "--format", "docx", "--template", "mau.docx", "--out", "mau.docx", "--force"],
        "mau.docx",
        "input",
    ),
    Case(
        "report-through-a-link-at-the-default-name",
        ["report", Y, "--format", "html", "--force"],
        "victim.txt",
        "link",
        _link("bao-cao-2022.html"),
    ),
    Case("report-into-a-folder", ["report", Y, "--format", "html", "--out", "khoi"], "khoi/block.rules.yaml", "folder"),
    Case(
        "report-into-a-pipe",
        ["report", Y, "--format", "html", "--out", "ong.html", "--force"],
        "khoi/block.rules.yaml",
        "pipe",
        _pipe,
    ),
    Case("report-over-a-document", ["report", Y, "--format", "html", "--out", "cu.html"], "cu.html", "exists"),
    Case(
        "block-over-its-file",
        ["block", "khoi", "--format", "xlsx", "--out", "khoi/block.rules.yaml", "--force"],
        "khoi/block.rules.yaml",
        "input",
    ),
    Case(
        "block-over-a-member-file",
        ["block", "khoi", "--format", "html", "--out", "khoi/so-noi-vu/roster.facts.yaml", "--force"],
        "khoi/so-noi-vu/roster.facts.yaml",
        "input",
    ),
    Case(
        "block-over-its-ledger",
        ["block", "khoi", "--format", "docx", "--out", "khoi/.thidua-ledger.sqlite", "--force"],
        f"{Y}/.thidua-ledger.sqlite",
        "ledger",
    ),
    Case(
        "draft-over-its-pledge",
        [
            "draft",
            "ban-dan-toc-binh-phuoc/bao-cao-2022.txt",
            "--out",
            "ban-dan-toc-binh-phuoc/bao-cao-2022.txt",
            "--force",
        ],
        "ban-dan-toc-binh-phuoc/bao-cao-2022.txt",
        "input",
    ),
    Case(
        "draft-over-a-rule-file",
        ["draft", "ban-dan-toc-binh-phuoc/bao-cao-2022.txt", "--period", "2022", "--out", "cu.html"],
        "cu.html",
        "exists",
    ),
    Case("schema-through-a-link", ["schema", "--out", "."], "victim.txt", "link", _link("rules.schema.json")),
    Case(
        "init-over-a-file",
        ["init", "moi"],
        "moi/HUONG-DAN.md",
        "exists",
        lambda w: ((w / "moi").mkdir(), (w / "moi" / "HUONG-DAN.md").write_text("x")),
    ),
]


@pytest.fixture(scope="module")
def outcomes(base: Path) -> dict[str, tuple[Path, bytes | None, Outcome]]:
    """Every case run once, two at a time, each in a copy of the base folders."""

    def one(case: Case) -> tuple[Path, bytes | None, Outcome]:
        work = base.parent / case.id
        shutil.copytree(base, work)
        if case.setup is not None:
            case.setup(work)
        target = work / case.target
        before = target.read_bytes() if target.is_file() else None
        return work, before, run_script(*case.args, cwd=work, timeout=120)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip((c.id for c in CASES), pool.map(one, CASES), strict=True))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_an_output_that_would_destroy_something_is_refused(
    outcomes: dict[str, tuple[Path, bytes | None, Outcome]], case: Case
) -> None:
    work, before, outcome = outcomes[case.id]
    assert judge(outcome) is None and outcome.rc == 2, outcome.describe()
    assert REFUSED[case.why] in outcome.stderr, outcome.stderr
    if before is not None:
        assert (work / case.target).read_bytes() == before
    assert not [p for p in work.rglob(".*.tmp")]  # no temporary file left behind
    if case.why == "ledger" and case.target.endswith(".thidua-ledger.sqlite"):
        verify = run_script("audit", "verify", "--ledger", work / case.target, cwd=work)
        assert verify.rc == 0, verify.describe()


def test_force_replaces_a_document_atomically(work: Path) -> None:
    out = work / "bao-cao.html"
    first = run_script("report", Y, "--format", "html", "--out", out, "--no-record", cwd=work)
    assert first.rc == 0, first.describe()
    os.link(out, work / "giu-lai.html")  # the old file, kept by a second name
    again = run_script("report", Y, "--format", "html", "--out", out, "--no-record", cwd=work)
    assert again.rc == 2 and REFUSED["exists"] in again.stderr, again.describe()
    forced = run_script("report", Y, "--format", "xlsx", "--out", out, "--no-record", "--force", cwd=work)
    assert forced.rc == 0, forced.describe()
    # the new document was written to a file of its own and renamed into place: the old one is whole
    assert (work / "giu-lai.html").read_bytes().startswith(b"<!DOCTYPE html>")
    assert out.read_bytes().startswith(b"PK")
    assert os.stat(out).st_ino != os.stat(work / "giu-lai.html").st_ino
    assert not [p for p in work.rglob(".*.tmp")]


def test_a_refused_output_records_no_run(work: Path) -> None:
    """A refused output costs no ledger run: the check comes before recording."""
    ledger = work / Y / ".thidua-ledger.sqlite"
    runs = run_script("audit", "list", "--ledger", ledger, "--format", "json", cwd=work)
    before = runs.stdout
    refused = run_script("report", Y, "--format", "html", "--out", f"{Y}/roster.facts.yaml", "--force", cwd=work)
    assert refused.rc == 2, refused.describe()
    assert run_script("audit", "list", "--ledger", ledger, "--format", "json", cwd=work).stdout == before
