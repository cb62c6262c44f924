"""Recording an evaluation in the ledger: the `--ledger` option and `record_run`, light to import.

`evaluate`, `report` and `block` take these; they live apart from `cli/audit.py` (the audit
commands, which bring explanations, candidates and the replay) so that an evaluation does not import
what only auditing needs, and an evaluation with `--no-record` does not import the ledger at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from thidua.evaluator.app.evaluation import Recording
    from thidua.evaluator.run import Run

LEDGER_OPTION = click.option(
    "--ledger",
    "ledger",
    type=click.Path(path_type=Path),
    default=None,
    help="Ledger file, or the agency folder holding it (default: $THIDUA_LEDGER, else .thidua-ledger.sqlite "
    "in the agency folder evaluated; for audit commands, in the current folder).",
)


def say_recorded(recording: Recording, lang: str) -> None:
    """Say on stderr where the run was recorded (stdout stays the report)."""
    from rich.text import Text

    from thidua.cli.console import make_console
    from thidua.cli.labels import label

    shown = recording.ledger.as_posix()
    make_console(stderr=True).print(Text(label("a.recorded", lang, seq=recording.seq, path=shown), style="dim"))


def record_run(run: Run, path: Path, ledger: Path | None, lang: str) -> Recording:
    """Append an evaluation to the ledger (evaluator/app/evaluation.py `record`) and say so on stderr."""
    from thidua.evaluator.app.evaluation import record
    from thidua.evaluator.app.ledgers import FolderLedgers

    recording = record(run, path, FolderLedgers(ledger))
    say_recorded(recording, lang)
    return recording
