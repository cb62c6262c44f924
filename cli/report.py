"""`thidua report`: the documents the council hands in (Word report, Excel lists, HTML), written to a file."""

from __future__ import annotations

from pathlib import Path

import click
from rich.text import Text

from thidua.cli import EXIT_OK
from thidua.cli.common import FORCE_OPTION, LANG_OPTION, guarded, input_files
from thidua.cli.console import make_console, progress_bar
from thidua.cli.labels import label
from thidua.cli.recording import LEDGER_OPTION, record_run
from thidua.evaluator.app.documents import FORMATS, default_name, note_document, produce, recorded_run
from thidua.evaluator.app.evaluation import evaluate
from thidua.evaluator.app.ledgers import FolderLedgers
from thidua.evaluator.audit.ledger import default_ledger_path
from thidua.evaluator.output import check_output, run_inputs, write_output
from thidua.evaluator.progress import stage
from thidua.rules.errors import Location, fail


def save_document(
    data: bytes,
    target: Path,
    fmt: str,
    lang: str,
    book_path: Path,
    seqs: list[int],
    inputs: list[Path],
    ledgers: list[Path],
    force: bool,
) -> None:
    """Write a document (evaluator/output.py: never over an input or a ledger, never through a link,
    atomically, an existing file only with --force) and note its path, format and SHA-256 beside
    each ledger run it came from."""
    write_output(target, data, inputs=inputs, ledgers=ledgers, force=force)
    digest = note_document(FolderLedgers(book_path), None, seqs, target.as_posix(), fmt, data)
    make_console(stderr=True).print(
        Text(label("report.wrote", lang, path=target.as_posix(), fmt=fmt, sha=digest[:16]), style="dim")
    )


@click.command("report")
@click.argument("path", type=click.Path(path_type=Path), required=False)
@input_files
@click.option("--next", "next_path", type=click.Path(path_type=Path), help="Next year's agency folder: Phần II.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="docx, xlsx or html.")
@click.option("--out", "out", type=click.Path(path_type=Path), help="Output file (default: bao-cao-PERIOD.FORMAT).")
@click.option(
    "--template", type=click.Path(path_type=Path), help="A Word template (an admin's copy of the shipped one)."
)
@click.option("--run", "run_ref", help="A ledger run (number, 'last' or id prefix) to report from its snapshot.")
@click.option("--no-record", is_flag=True, help="Do not record the run and the document in the ledger.")
@FORCE_OPTION
@LEDGER_OPTION
@LANG_OPTION
@guarded
def report_command(
    path: Path | None,
    rule_files: tuple[Path, ...],
    fact_files: tuple[Path, ...],
    next_path: Path | None,
    fmt: str,
    out: Path | None,
    template: Path | None,
    run_ref: str | None,
    no_record: bool,
    force: bool,
    ledger: Path | None,
    lang: str,
) -> int:
    """Write the year-end report of PATH (or of a ledger run, --run) as Word, Excel or HTML, from one evaluation."""
    if (path is None) == (run_ref is None):
        raise click.UsageError(label("report.path_or_run", lang))
    if template is not None and fmt != "docx":
        raise click.UsageError(label("report.template_docx_only", lang))
    ledgers = [default_ledger_path(ledger)]
    given = [p for p in (template, *rule_files, *fact_files) if p is not None]
    if out is not None:  # refused before any evaluation when the output alone says why (whether it
        check_output(out, inputs=given, ledgers=ledgers, force=True)  # exists is said once inputs are known)
    seq: int | None = None
    book_path = default_ledger_path(ledger)  # where --run reads, as the audit commands do
    if run_ref is not None:
        run, seq = recorded_run(FolderLedgers(ledger), run_ref)
        inputs = given
    else:
        assert path is not None
        with progress_bar(lang):
            run = evaluate(path, rule_files, fact_files, record_run=False).run
        book_path = default_ledger_path(ledger, run.inputs.base)  # the agency folder's ledger, as record_run
        inputs = [*given, *run_inputs(run)]
    next_run = None
    if next_path is not None:
        if not next_path.exists():
            raise fail("documents.next_missing", Location(next_path.as_posix()), path=next_path.as_posix())
        next_run = evaluate(next_path, record_run=False).run
        inputs += run_inputs(next_run)
    target = out or Path(default_name(run, fmt))
    ledgers.append(book_path)
    check_output(target, inputs=inputs, ledgers=ledgers, force=force)  # before the run is recorded
    if run_ref is None and not no_record:
        assert path is not None
        seq = record_run(run, path, ledger, lang).seq
    with progress_bar(lang), stage("write"):
        data = produce(run, fmt, lang, next_run, template, seq)
    recorded = [seq] if seq is not None and not no_record else []
    save_document(data, target, fmt, lang, book_path, recorded, inputs, ledgers, force)
    click.echo(target.as_posix())
    return EXIT_OK


__all__ = ["produce", "report_command", "save_document"]
