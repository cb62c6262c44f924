"""One console factory for every command: the same width rule, and a progress bar only on a terminal."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

from thidua.cli.labels import label
from thidua.evaluator import progress as evaluator_progress

# A file or a pipe gets this many columns (unless COLUMNS says otherwise): wide enough that a
# percentage such as "88.89%" or a target id never splits, the same for every command.
PIPE_WIDTH = 120


def output_width(stderr: bool = False) -> int | None:
    """The width to give rich: None (rich asks the terminal or reads COLUMNS), else PIPE_WIDTH."""
    stream = sys.stderr if stderr else sys.stdout
    if os.environ.get("COLUMNS", "").isdigit():
        return None  # rich reads COLUMNS itself
    try:
        if stream.isatty():
            return None
    except (AttributeError, ValueError):  # a closed or replaced stream
        pass
    return PIPE_WIDTH


def make_console(*, stderr: bool = False, **kwargs: Any) -> Console:
    """The console every command prints with (stdout, or stderr for problems and notes).

    Values read from files reach the screen inside its tables and trees: it never reads markup
    (`[bold]…[/` in a name is shown, not interpreted or crashed on) nor emoji codes. Control
    characters were already made visible when the file was read (rules/source.py `visible`).
    """
    kwargs.setdefault("highlight", False)
    kwargs.setdefault("markup", False)
    kwargs.setdefault("emoji", False)
    return Console(stderr=stderr, width=output_width(stderr), **kwargs)


def interactive() -> bool:
    """True when both stdout and stderr are terminals: the only case a progress bar is drawn."""
    try:
        return sys.stdout.isatty() and sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


class _CountColumn(ProgressColumn):
    """The count "3/7" when a step has several units; nothing for a single or an unknown amount."""

    def render(self, task: Task) -> Text:
        if task.total is None or task.total <= 1:
            return Text("")
        return Text(f"{int(task.completed)}/{int(task.total)}", style="progress.download")


class _RichProgress:
    """Adapts rich's Progress to the evaluator's progress protocol (stage code, done, total)."""

    def __init__(self, bar: Progress, lang: str) -> None:
        self.bar = bar
        self.lang = lang
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        task = self.tasks.get(stage)
        if task is None:
            task = self.bar.add_task(label(f"progress.{stage}", self.lang), total=total)
            self.tasks[stage] = task
        self.bar.update(task, completed=done, total=total)


@contextmanager
def progress_bar(lang: str) -> Iterator[None]:
    """Show the evaluator's progress (reading, deriving, writing) on stderr while the block runs.

    Drawn only when stdout and stderr are terminals; transient, so nothing of it stays on screen
    and nothing of it ever reaches a pipe or a file.
    """
    if not interactive():
        yield
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        _CountColumn(),
        TimeElapsedColumn(),
        console=make_console(stderr=True),
        transient=True,
    )
    with bar, evaluator_progress.reporting(_RichProgress(bar, lang)):
        yield
