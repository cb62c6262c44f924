"""`thidua evaluate PATH --each`: every agency folder under PATH, in parallel, with one summary table."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from thidua.cli import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_NOT_MET, EXIT_OK
from thidua.cli.console import make_console
from thidua.cli.labels import label
from thidua.evaluator.blocks.province import AgencyResult, agency_folders, compact_json, evaluate_each
from thidua.rules.errors import Location, fail
from thidua.rules.formatting import number

STATUS_COLUMNS = ("exceeded", "met", "not_met", "pending", "error")


def _order(r: AgencyResult) -> tuple[int, int, str]:
    """Agencies with targets not met first, then those whose input is bad, then the rest, by path."""
    not_met = r.summary.get("not_met", 0)
    rank = 0 if not_met else (1 if r.problems or r.internal else 2)
    return rank, -not_met, r.path


def summary_table(results: list[AgencyResult], lang: str) -> Table:
    table = Table(show_lines=False)
    table.add_column(label("each.col.agency", lang), overflow="fold")
    for s in STATUS_COLUMNS:
        table.add_column(label(f"status.{s}", lang), justify="right")
    table.add_column(label("each.col.problems", lang), overflow="fold")
    for r in sorted(results, key=_order):
        name = Text(r.name or r.path)
        if r.name:
            name.append(f"\n{r.path}", style="dim")
        counts = [str(r.summary.get(s, 0)) if r.summary else "—" for s in STATUS_COLUMNS]
        # as every other command shows a place: a problem about a whole file names the file alone
        problems = [f"{Location(**p['location']).describe(lang)}: {p['message']}" for p in r.problems]
        if r.internal:
            problems.append(label("internal", lang, kind="", detail=r.internal))
        style = "red" if r.summary.get("not_met") or problems else None
        table.add_row(name, *counts, Text("\n".join(problems), style="red"), style=style)
    return table


def json_line(r: AgencyResult) -> bytes:
    """One agency as one line of compact JSON, keys sorted: `evaluation` (the worker's JSON text,
    or null) comes first, spliced in front of the other fields."""
    rest = {"path": r.path, "name": r.name, "summary": r.summary, "not_met": r.not_met}
    rest.update({"problems": r.problems, "internal": r.internal})
    tail = compact_json(rest)  # b'{"internal":...}': every other key sorts after "evaluation"
    return b'{"evaluation":' + (r.evaluation_json or b"null") + b"," + tail[1:] + b"\n"


def evaluate_each_command(path: Path, jobs: int, fmt: str, lang: str) -> int:
    """Evaluate every agency folder under PATH; one bad folder is reported and the others go on."""
    if not path.is_dir():
        raise fail("file.missing", Location(path.as_posix()), path=path.as_posix())
    folders = agency_folders(path)
    if not folders:
        raise fail("each.none", Location(path.as_posix()), path=path.as_posix())
    started = time.perf_counter()
    results: list[AgencyResult] = []
    interactive = fmt == "table" and sys.stdout.isatty()
    stream = evaluate_each(path, folders, jobs, lang, full=fmt == "json")
    if interactive:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, transient=True) as progress:
            task = progress.add_task(label("each.progress", lang), total=len(folders))
            for r in stream:
                results.append(r)
                progress.advance(task)
    else:
        out = click.get_binary_stream("stdout")
        for r in stream:
            results.append(r)
            if fmt == "json":  # JSON lines, one agency per line, as each finishes
                out.write(json_line(r))
                out.flush()
                r.evaluation_json = None  # memory stays one agency's, however many agencies
    seconds = time.perf_counter() - started
    if fmt == "table":
        console = make_console()
        console.print(summary_table(results, lang))
        console.print(
            label(
                "each.summary",
                lang,
                agencies=len(results),
                with_not_met=sum(1 for r in results if r.summary.get("not_met")),
                failed=sum(1 for r in results if r.problems or r.internal),
                seconds=number(round(seconds, 1), lang),
                jobs=jobs,
            )
        )
    if any(r.internal for r in results):
        return EXIT_INTERNAL
    if any(r.problems for r in results):
        return EXIT_BAD_INPUT
    if any(r.summary.get("not_met") or r.summary.get("error") for r in results):
        return EXIT_NOT_MET
    return EXIT_OK
