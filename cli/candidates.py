"""The `thidua candidates` command: the council's worksheet of who earns which title, and why."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Group
from rich.table import Table
from rich.text import Text

from thidua.cli import EXIT_OK
from thidua.cli.common import FORMAT_OPTION, LANG_OPTION, guarded, input_files
from thidua.cli.completion import complete_title
from thidua.cli.console import interactive, make_console, progress_bar
from thidua.cli.labels import label
from thidua.cli.regime import regime_lines
from thidua.evaluator.app.words import STATE_LABEL, criterion_check_text, finding_texts, quota_set_in, quota_text
from thidua.evaluator.app.worksheet import worksheet, worksheet_json
from thidua.evaluator.explain.tree import DEFAULT_LIMIT
from thidua.evaluator.run import collector_paused
from thidua.rules.messages import render
from thidua.rules.periods import parse_period

if TYPE_CHECKING:
    pass

OUTCOME_STYLE = {"qualifies": "green", "does_not_qualify": "red", "pending": "yellow"}


DRAW_LIMIT = 2000  # rows a title's table is drawn by rich up to; a longer listing is written as plain lines


class Lines(list[str]):
    """Plain output lines, written as they are (a listing too long to draw as a table)."""


def _group_texts(g: dict[str, Any], lang: str) -> tuple[Text, str, str]:
    """A group's outcome, recorded state and deciding reason, as the table shows them (once per group)."""
    outcome = Text(label(f"ws.outcome.{g['outcome']}", lang), style=OUTCOME_STYLE[g["outcome"]])
    rec = g["recorded"]
    recorded = label(STATE_LABEL[rec["state"]], lang) if rec else label("ws.recorded.none", lang)
    if g["outcome"] == "qualifies":
        reason = render("criteria.all_met", lang)
    else:
        reason = "; ".join(criterion_check_text(c, lang) for c in g["deciding"])
    return outcome, recorded, reason


def _source_key(e: dict[str, Any]) -> tuple[str, int]:
    src = e["source"]
    return (src["file"], src["line"]) if src else ("", 0)


def section_rows(section: dict[str, Any], lang: str) -> list[tuple[str, str, Text, str, str]]:
    """A title's table rows in fact order: every listed person of a group listed whole, one row for a
    group listed only in part (its first id, its count and first names)."""
    keyed: list[tuple[tuple[str, int], tuple[str, str, Text, str, str]]] = []
    for g in section["groups"]:
        outcome, recorded, reason = _group_texts(g, lang)
        people = g["entities"]
        if not g["more"]:
            keyed.extend((_source_key(e), (e["id"], e["name"], outcome, recorded, reason)) for e in people)
            continue
        names = ", ".join(e["name"] for e in people[:3])
        keyed.append(
            (
                _source_key(people[0]),
                (people[0]["id"] + " …", label("ws.group", lang, n=g["count"], names=names), outcome, recorded, reason),
            )
        )
    keyed.sort(key=lambda x: x[0])
    return [row for _, row in keyed]


def plain_section(section: dict[str, Any], lang: str) -> Lines:
    """A long listing as tab-separated lines (id, name, outcome, recorded, reason), group by group:
    writing 700,000 people costs what writing them costs."""
    out = Lines(["\t".join(label(f"ws.col.{c}", lang) for c in ("id", "name", "outcome", "recorded", "reason"))])
    for g in section["groups"]:
        outcome, recorded, reason = _group_texts(g, lang)
        tail = f"\t{outcome.plain}\t{recorded}\t{reason}"
        out.extend(f"{e['id']}\t{e['name']}{tail}" for e in g["entities"])
        if g["more"]:
            out.append(label("ws.group_more", lang, n=g["more"]))
    return out


def worksheet_tables(data: dict[str, Any], lang: str, limit: int | None = None, hint: str = "") -> list[Any]:
    """The worksheet for people; with `limit`, a title with more rows shows its first `limit` and says
    how to see the rest (`hint` is the command line to repeat). A title with more than DRAW_LIMIT rows
    and no `limit` is plain lines (`Lines`), not a table."""
    out: list[Any] = []
    period = data["period"]
    out.append(
        Text(label("ws.title", lang, period=period) if period else label("ws.title_no_period", lang), style="bold")
    )
    regime = regime_lines(data.get("criteria"), lang)
    if regime:  # long lines (pack, legal texts): wrapped to the width, unlike the one-line quotas and findings
        out.append(Group(*regime))
    if not data["titles"]:
        out.append(label("ws.no_criteria", lang, period=period) if period else label("ws.no_criteria_no_period", lang))
        from thidua.evaluator.authoring.scaffold import criteria_pack_for  # only for an empty worksheet

        pack = criteria_pack_for(parse_period(period))
        if pack is not None:
            out.append(Text(label("ws.add_pack", lang, pack=pack, period=period), style="yellow"))
    for section in data["titles"]:
        heading = label(
            "ws.section",
            lang,
            title=section["title_label"],
            criterion=section["criterion"],
            reference=section["reference"] or "—",
        )
        caption = label("ws.counts", lang, **section["counts"])
        listed = sum(len(g["entities"]) if not g["more"] else 1 for g in section["groups"])
        if limit is None and listed > DRAW_LIMIT:
            out.append(Text(heading, style="bold"))
            out.append(plain_section(section, lang))
            out.append(caption)
        else:
            rows = section_rows(section, lang)
            shown = rows if limit is None or len(rows) <= limit else rows[:limit]
            table = Table(title=heading, caption=caption, show_lines=False)
            table.add_column(label("ws.col.id", lang), no_wrap=True, style="dim")
            table.add_column(label("ws.col.name", lang))
            table.add_column(label("ws.col.outcome", lang))
            table.add_column(label("ws.col.recorded", lang))
            table.add_column(label("ws.col.reason", lang))
            for row in shown:
                table.add_row(*row)
            out.append(table)
            if len(shown) < len(rows):
                out.append(
                    Text(
                        label(
                            "ws.more",
                            lang,
                            n=len(rows) - len(shown),
                            shown=len(shown),
                            title=section["title"],
                            cmd=hint,
                        ),
                        style="cyan",
                    )
                )
        for q in section["quotas"]:
            style = {"within": "green", "breach": "bold red", "pending": "yellow"}[q["status"]]
            out.append(Text(quota_text(q, lang), style=style))
            set_in = quota_set_in(q, lang)
            if set_in:  # the legal text can be long: wrapped under the one-line quota
                out.append(Group(Text("  " + set_in, style="dim")))
        if not section["quotas"] and section.get("capped_elsewhere"):
            out.append(Text(render("criteria.quota.none", lang, title=section["title_label"]), style="green"))
    findings = data["findings"]
    if findings:
        total = sum(f["count"] for f in findings)
        out.append(Text(label("ws.findings", lang, n=total), style="bold yellow"))
        lines: list[str] = []
        for f in findings:
            lines.extend("  - " + text for text in finding_texts(f, lang))
            if f["more"]:
                lines.append(label("ws.finding_more", lang, n=f["more"]))
        listed_lines = lines if limit is None else lines[:limit]
        # plain strings: printed one by one while few, written as they are when thousands
        if len(listed_lines) <= DRAW_LIMIT:
            out.extend(listed_lines)
        else:
            out.append(Lines(listed_lines))
        if len(listed_lines) < len(lines):
            shown_people = sum(1 for line in listed_lines if line.startswith("  - "))
            out.append(Text(label("ws.more_findings", lang, n=total - shown_people, cmd=hint), style="cyan"))
    else:
        out.append(Text(label("ws.no_findings", lang), style="green"))
    if data.get("settings"):
        out.append(Text(label("ws.settings", lang), style="bold"))
        for st in data["settings"]:
            flag = "" if st["verified"] else " — " + label("ws.unverified", lang)
            out.append(
                f"  - {st['id']} = {st['value']}: {st['title']} ({st['source']['file']}:{st['source']['line']}){flag}"
            )
    if data.get("consistency"):
        out.append(Text(label("ws.consistency", lang, n=len(data["consistency"])), style="bold yellow"))
        for f in data["consistency"]:
            out.append("  - " + render(f["code"], lang, **f["params"]))
    return out


@click.command("candidates")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--title",
    "title",
    default=None,
    shell_complete=complete_title,
    help="Only this title: its id, label or abbreviation (chien_si_thi_dua_co_so, 'Chiến sĩ thi đua cơ sở', CSTĐCS).",
)
@click.option(
    "--entity", "entity", default=None, help="Only this person or collective (its id, e.g. p01), in every title."
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help=(
        "Every person of every title, one row each (without it, people decided alike are one group: "
        f"its count and first {DEFAULT_LIMIT}; on a terminal a title shows its first {DEFAULT_LIMIT} rows)."
    ),
)
@input_files
@FORMAT_OPTION
@LANG_OPTION
@guarded
def candidates_command(
    path: Path,
    title: str | None,
    entity: str | None,
    show_all: bool,
    rule_files: tuple[Path, ...],
    fact_files: tuple[Path, ...],
    fmt: str,
    lang: str,
) -> int:
    """List, per title, who qualifies under the criteria, who does not and why, and the quota status.

    People decided alike (same outcome, deciding checks and recorded title) are one group with its count
    and first people; --all lists everyone. On a terminal a title with many rows is summarised."""
    limit = None if show_all else DEFAULT_LIMIT
    # the whole worksheet too: one row per stored group, so the ledger answers it at any size
    with progress_bar(lang):
        sheet = worksheet(path, title, entity, limit, rule_files, fact_files)
    if sheet.from_run is not None:
        make_console(stderr=True).print(Text(label("x.from_run", lang, seq=sheet.from_run), style="dim"))
    data = sheet.data
    # the worksheet builds a dict per person listed and keeps them all: no garbage in cycles to collect
    with collector_paused():
        if fmt == "json":
            sys.stdout.buffer.write(worksheet_json(data, lang))
            sys.stdout.flush()
        else:
            console = make_console()
            # A terminal gets the first rows of a crowded title; a pipe or a file every row of the groups listed.
            cap = None if show_all or entity is not None or not interactive() else DEFAULT_LIMIT
            hint = f"thidua candidates {shlex.quote(path.as_posix())}"
            for item in worksheet_tables(data, lang, cap, hint):
                if isinstance(item, Lines):
                    sys.stdout.flush()
                    out = sys.stdout
                    for i in range(0, len(item), 10000):
                        out.write("\n".join(item[i : i + 10000]) + "\n")
                    out.flush()
                    continue
                # a quota, a finding, a setting: one line each, never cut in a phrase (grep, copy)
                console.print(item, soft_wrap=isinstance(item, (str, Text)))
    return EXIT_OK
