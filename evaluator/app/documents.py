"""The council's documents (Word report, Excel lists, HTML page) of one run, as bytes to save or to send.

`produce` renders one format from one evaluation (evaluator/documents); `report` evaluates a folder,
records the run and notes the document beside it in the ledger, as `thidua report` does; `recorded_run`
evaluates a ledger run again from its own snapshot for a report of a past run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from thidua.evaluator.app.evaluation import record
from thidua.evaluator.app.ledgers import Ledgers
from thidua.evaluator.documents.page import render_html
from thidua.evaluator.documents.report import build_report, finding_text
from thidua.evaluator.documents.word import read_template, render_docx
from thidua.evaluator.documents.workbook import render_xlsx
from thidua.evaluator.engine.findings import run_findings
from thidua.evaluator.facts.inputs import Inputs
from thidua.evaluator.progress import stage
from thidua.evaluator.run import Run, run_path
from thidua.rules.labels import label

FORMATS = ("docx", "xlsx", "html")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


def produce(run: Run, fmt: str, lang: str, next_run: Run | None, template: Path | None, run_seq: int | None) -> bytes:
    """The document bytes of one run in one format, all from the same judgements."""
    findings = run_findings(run.rules, run.derivation, run.evaluation)
    report = build_report(run, findings, lang, next_run)
    if fmt == "docx":
        data = read_template(template) if template is not None else None
        return render_docx(report, data, template.as_posix() if template is not None else "bao_cao.docx")
    texts = [finding_text(f, lang) for f in findings]
    if fmt == "xlsx":
        return render_xlsx(run, report.outcomes, findings, texts, lang)
    footer = {
        "hashes": {
            **{f"{name}": hashlib.sha256(text.encode()).hexdigest() for name, text in sorted(run.rules.files.items())},
            **{f"{name}": hashlib.sha256(text.encode()).hexdigest() for name, text in sorted(run.facts.files.items())},
        },
        "run": label("report.run", lang, seq=run_seq) if run_seq is not None else None,
    }
    return render_html(run, report.header.__dict__, report.outcomes, texts, footer, lang)


def default_name(run: Run, fmt: str) -> str:
    """The document's file name when none is given: bao-cao-PERIOD.FORMAT."""
    return f"bao-cao-{run.evaluation.period or 'thidua'}.{fmt}"


def recorded_run(ledgers: Ledgers, ref: str) -> tuple[Run, int]:
    """A ledger run evaluated again from its own snapshot (the files as they were), and its number."""
    from thidua.evaluator.audit.rerun import replay

    with ledgers.open(None) as book:
        rec = book.get(ref)
    again = replay(rec)
    if again.problem is not None:
        raise again.problem
    assert again.rules is not None and again.facts is not None and again.evaluation is not None
    inputs = Inputs(Path(rec.path), (), ())
    return Run(inputs, again.rules, again.facts, again.evaluation, again.derivation), rec.seq


def note_document(ledgers: Ledgers, folder: Path | None, seqs: list[int], shown: str, fmt: str, data: bytes) -> str:
    """Note a document (its name, format and SHA-256) beside each ledger run it came from; its digest."""
    digest = hashlib.sha256(data).hexdigest()
    if seqs:
        with ledgers.open(folder, create=True) as book:
            for seq in seqs:
                book.record_document(seq, shown, fmt, digest)
    return digest


@dataclass(frozen=True)
class Document:
    """A document of a new, recorded run: its bytes, file name, format and the run's number."""

    data: bytes
    name: str
    fmt: str
    seq: int
    sha256: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.fmt]


def report(folder: Path, fmt: str, lang: str, ledgers: Ledgers) -> Document:
    """Evaluate the folder, record the run, render the document and note it beside the run."""
    run = run_path(folder)
    seq = record(run, folder, ledgers).seq
    with stage("write"):
        data = produce(run, fmt, lang, None, None, seq)
    name = default_name(run, fmt)
    digest = note_document(ledgers, run.inputs.base, [seq], name, fmt, data)
    return Document(data, name, fmt, seq, digest)


__all__ = ["FORMATS", "Document", "default_name", "note_document", "produce", "recorded_run", "report"]
