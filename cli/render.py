"""Renders evaluations and problems: rich tables for people, stable JSON for programs."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from thidua.cli.labels import label
from thidua.evaluator.app.encoding import compact_json_bytes, json_bytes
from thidua.evaluator.app.evaluation import evaluation_data, evaluation_json_bytes
from thidua.evaluator.app.words import margin_text, measured_text, requirement_text, short_reason
from thidua.evaluator.judgement import Evaluation
from thidua.rules.errors import UserError

STATUS_STYLE = {
    "met": "green",
    "exceeded": "bold green",
    "not_met": "bold red",
    "pending": "yellow",
    "error": "bold magenta",
}


def status_text(status: str, lang: str) -> Text:
    return Text(label(f"status.{status}", lang), style=STATUS_STYLE[status])


def id_width(ids: Iterable[str], least: int = 12) -> int:
    """The width a column needs so that none of `ids` (no spaces in them) is ever folded."""
    return max([least, *(cell_len(i) for i in ids)])


# Below this many columns beside the id column's own width, the table would squeeze the
# requirement, result and reason columns to a few letters: each target becomes a block instead.
TABLE_SPARE_WIDTH = 72


class EvaluationView:
    """The verdicts: a table when the width keeps every target id whole, else one block per target.

    Ids are copied into `thidua explain`, so they are never folded: the id column is as wide as
    the longest id, and a terminal too narrow for that gets the stacked layout, ids on their own line.
    """

    def __init__(self, ev: Evaluation, lang: str) -> None:
        self.ev = ev
        self.lang = lang
        self.id_width = id_width(j.target for j in ev.judgements)

    def title(self) -> str:
        ev, lang = self.ev, self.lang
        return label("table.title", lang, period=ev.period) if ev.period else label("table.title_no_period", lang)

    def table(self) -> Table:
        lang = self.lang
        table = Table(title=self.title(), show_lines=True, expand=True)
        table.add_column(label("col.target", lang), overflow="fold", ratio=6, width=self.id_width)
        table.add_column(label("col.requirement", lang), overflow="fold", ratio=3)
        table.add_column(label("col.result", lang), overflow="fold", ratio=3)
        table.add_column(label("col.status", lang), no_wrap=True)
        table.add_column(label("col.margin", lang), no_wrap=True)
        table.add_column(label("col.reason", lang), overflow="fold", ratio=8)
        for j in self.ev.judgements:
            target = Text(j.title)
            target.append(f"\n{j.target}", style="dim")
            table.add_row(
                target,
                requirement_text(j, lang),
                measured_text(j, lang),
                status_text(j.status, lang),
                margin_text(j, lang),
                short_reason(j, lang),
            )
        return table

    def blocks(self) -> list[Text]:
        lang = self.lang
        out = [Text(self.title(), style="bold")]
        for j in self.ev.judgements:
            head = Text(no_wrap=True, overflow="ignore")
            head.append(j.target, style="bold")
            head.append(" — ")
            head.append_text(status_text(j.status, lang))
            margin = margin_text(j, lang)
            if margin:
                head.append(f" ({margin})")
            out.append(Text(""))
            out.append(head)
            out.append(Text(f"  {j.title}"))
            out.append(
                Text(
                    f"  {label('col.requirement', lang)}: {requirement_text(j, lang)} · "
                    f"{label('col.result', lang)}: {measured_text(j, lang)}"
                )
            )
            reason = short_reason(j, lang)
            if reason:
                out.append(Text(f"  {label('col.reason', lang)}: {reason}", style="dim"))
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width >= self.id_width + TABLE_SPARE_WIDTH:
            yield self.table()
        else:
            yield from self.blocks()


def evaluation_table(ev: Evaluation, lang: str) -> EvaluationView:
    return EvaluationView(ev, lang)


def summary_text(ev: Evaluation, lang: str) -> Text:
    return Text(label("summary", lang, **ev.summary()))


def wants_pretty(asked: bool) -> bool:
    """Indented JSON when asked (`--pretty`) or when a person reads it on a terminal."""
    return asked or sys.stdout.isatty()


def evaluation_json(ev: Evaluation, lang: str, findings: list[dict[str, Any]] | None = None) -> str:
    """Stable JSON: keys sorted, judgements in declared order, each reason with its text in `lang`."""
    return evaluation_json_bytes(ev, lang, findings).decode()


def print_problems(console: Console, error: UserError, lang: str) -> None:
    console.print(Text(label("errors.header", lang, n=len(error.problems)), style="bold red"), soft_wrap=True)
    for p in error.problems:
        line = Text()
        line.append(p.location.describe(lang), style="bold")
        line.append(f": {label('error.word', lang)}: ", style="red")
        line.append(p.message(lang))
        console.print(line, soft_wrap=True)  # one problem, one line: easy to grep and to jump to


def problems_json(error: UserError, lang: str) -> str:
    return json_bytes({"problems": [p.to_dict(lang) for p in error.problems]}).decode()


# The words and JSON every front end shares live in the application layer (evaluator/app); the
# command line's modules and tests name them here too.
__all__ = [
    "compact_json_bytes",
    "evaluation_data",
    "evaluation_json",
    "evaluation_json_bytes",
    "evaluation_table",
    "json_bytes",
    "print_problems",
    "problems_json",
    "short_reason",
    "status_text",
    "summary_text",
    "wants_pretty",
]
