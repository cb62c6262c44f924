"""The `thidua candidates` command: the council's worksheet of who earns which title, and why."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from thidua.cli import EXIT_OK
from thidua.cli.common import FORMAT_OPTION, LANG_OPTION, guarded, input_files
from thidua.cli.completion import complete_title
from thidua.cli.console import interactive, make_console, progress_bar
from thidua.cli.labels import label
from thidua.cli.render import derived_state_text
from thidua.evaluator.audit.recorded import evaluation_recorded, find_recorded
from thidua.evaluator.audit.recorded_worksheet import candidates_recorded
from thidua.evaluator.authoring.scaffold import criteria_pack_for
from thidua.evaluator.engine.consistency import consistency_findings
from thidua.evaluator.explain.tree import DEFAULT_LIMIT
from thidua.evaluator.explain.worksheet import worksheet
from thidua.evaluator.run import run_path
from thidua.rules.errors import Location, fail, suggest
from thidua.rules.messages import render

OUTCOME_STYLE = {"qualifies": "green", "does_not_qualify": "red", "pending": "yellow"}
STATE_LABEL = {
    "decided": "title.decided",
    "proposed": "title.proposed",
    "refused": "title.refused",
    "none": "title.none",
}


def check_text(c: dict[str, Any], lang: str) -> str:
    text = _check_text(c, lang)
    return label("x.d.negated", lang, text=text) if c.get("negated") else text


def _check_text(c: dict[str, Any], lang: str) -> str:
    name = render(c["label_code"], lang, label=c["label"]) if c.get("label_code") else c["label"]
    if c["note"] == "missing":
        return render("criteria.check.missing", lang, label=name)
    if c["note"] == "awaiting":
        return render("criteria.check.awaiting", lang, label=name, by=c["by"])
    if c["note"] == "derived_unknown":
        return render("criteria.check.derived_unknown", lang, label=name)
    actual = c["actual"]
    if c["subject"] == "title":
        actual = label(STATE_LABEL.get(str(actual), "title.none"), lang)
        if c["note"] == "proposal_pending":
            return f"{name}: " + (
                label("proposal_pending", lang, by=c["by"]) if c["by"] else label("proposal_pending_nobody", lang)
            )
        if c["note"] in ("derived", "derived_pending"):
            actual = derived_state_text(c["note"], c["by"], lang)
        if c["note"] == "council_override":
            return render("criteria.check.override", lang, label=name, actual=actual, by=c["by"])
        return render("criteria.check.title_line", lang, label=name, actual=actual)
    if isinstance(actual, bool):
        actual = label("yes" if actual else "no", lang)
    expected = c["expected"]
    if isinstance(expected, bool):
        expected = label("yes" if expected else "no", lang)
    return render("criteria.check.line", lang, label=name, actual=actual, sign=c["sign"], expected=expected)


def quota_text(q: dict[str, Any], lang: str) -> str:
    params = dict(
        title=q["limits_label"],
        count=q["count"],
        cap=q["cap"] if q["cap"] is not None else f"{q['cap_low']}–{q['cap_high']}",
        share=q["share"],
        base=q["base"] if not q["base_unknown"] else f"{q['base']}–{q['base'] + q['base_unknown']}",
        base_high=q["base"] + q["base_unknown"],
        decided=q["decided"],
        of_title=q["of_title_label"],
        rounding=render(f"criteria.rounding.{q['rounding']}", lang),
        candidates=", ".join(c["name"] for c in q["candidates"]),
    )
    text = render(f"criteria.quota.{q['status']}", lang, **params)
    if q["status"] == "breach" and not q["candidates"]:
        text = render("criteria.quota.breach_decided", lang, **params)
    if q["cap"] is None:
        text += " " + render("criteria.quota.cap_uncertain", lang, **params)
    return f"[{q['group']}] {text}" if q["group"] else text


def worksheet_tables(data: dict[str, Any], lang: str, limit: int | None = None, hint: str = "") -> list[Any]:
    """The worksheet for people; with `limit`, a title with more rows shows its first `limit` and says
    how to see the rest (`hint` is the command line to repeat)."""
    out: list[Any] = []
    period = data["period"]
    out.append(
        Text(label("ws.title", lang, period=period) if period else label("ws.title_no_period", lang), style="bold")
    )
    if not data["titles"]:
        out.append(label("ws.no_criteria", lang, period=period) if period else label("ws.no_criteria_no_period", lang))
        pack = criteria_pack_for(period)
        if pack is not None:
            out.append(Text(label("ws.add_pack", lang, pack=pack, period=period), style="yellow"))
    for section in data["titles"]:
        table = Table(
            title=label(
                "ws.section",
                lang,
                title=section["title_label"],
                criterion=section["criterion"],
                reference=section["reference"] or "—",
            ),
            caption=label("ws.counts", lang, **section["counts"]),
            show_lines=False,
        )
        rows = section["entities"]
        shown = rows if limit is None or len(rows) <= limit else rows[:limit]
        table.add_column(label("ws.col.id", lang), no_wrap=True, style="dim")
        table.add_column(label("ws.col.name", lang))
        table.add_column(label("ws.col.outcome", lang))
        table.add_column(label("ws.col.recorded", lang))
        table.add_column(label("ws.col.reason", lang))
        for row in shown:
            outcome = Text(label(f"ws.outcome.{row['outcome']}", lang), style=OUTCOME_STYLE[row["outcome"]])
            rec = row["recorded"]
            recorded = label(STATE_LABEL[rec["state"]], lang) if rec else label("ws.recorded.none", lang)
            if row["outcome"] == "qualifies":
                reason = render("criteria.all_met", lang)
            else:
                reason = "; ".join(check_text(c, lang) for c in row["deciding"])
            table.add_row(row["id"], row["name"], outcome, recorded, reason)
        out.append(table)
        if len(shown) < len(rows):
            out.append(
                Text(
                    label(
                        "ws.more", lang, n=len(rows) - len(shown), shown=len(shown), title=section["title"], cmd=hint
                    ),
                    style="cyan",
                )
            )
        for q in section["quotas"]:
            style = {"within": "green", "breach": "bold red", "pending": "yellow"}[q["status"]]
            out.append(Text(quota_text(q, lang), style=style))
    findings = data["findings"]
    if findings:
        out.append(Text(label("ws.findings", lang, n=len(findings)), style="bold yellow"))
        listed = findings if limit is None else findings[:limit]
        for f in listed:
            out.append(
                "  - "
                + render(
                    f"criteria.finding.{f['finding']}",
                    lang,
                    name=f["name"],
                    title=f["title_label"],
                    note=f["note"] or "",
                )
            )
        if len(listed) < len(findings):
            out.append(Text(label("ws.more_findings", lang, n=len(findings) - len(listed), cmd=hint), style="cyan"))
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


def worksheet_json(data: dict[str, Any], lang: str) -> str:
    """The worksheet as JSON, with each check's text in the chosen language next to its data."""
    for section in data["titles"]:
        for row in section["entities"]:
            for c in row["checks"]:
                c["text"] = check_text(c, lang)
            row["deciding"] = [check_text(c, lang) for c in row["deciding"]]
        for q in section["quotas"]:
            q["text"] = quota_text(q, lang)
    for c in data.get("consistency", []):
        c["text"] = render(c["code"], lang, **c["params"])
    for f in data["findings"]:
        f["text"] = render(
            f"criteria.finding.{f['finding']}", lang, name=f["name"], title=f["title_label"], note=f["note"] or ""
        )
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def only_entity(data: dict[str, Any], entity: str) -> None:
    """Keep only `entity`'s rows; an id that no title lists is a user error with a suggestion."""
    known = sorted({row["id"] for section in data["titles"] for row in section["entities"]})
    if entity not in known:
        raise fail("criteria.unknown_entity_option", Location("--entity"), suggest(entity, known), entity=entity)
    for section in data["titles"]:
        section["entities"] = [row for row in section["entities"] if row["id"] == entity]
    data["titles"] = [section for section in data["titles"] if section["entities"]]


def recorded_worksheet(
    path: Path,
    rule_files: tuple[Path, ...],
    fact_files: tuple[Path, ...],
    title: str | None,
    entity: str | None,
    lang: str,
) -> dict[str, Any] | None:
    """The worksheet from a recorded run on these very files (docs/audit.md), or None to evaluate."""
    recorded = find_recorded(path, rule_files, fact_files)
    data = candidates_recorded(recorded, title, entity) if recorded is not None else None
    if recorded is None or data is None:
        return None
    if entity is not None:
        only_entity(data, entity)
    data["consistency"] = [f.to_dict() for f in consistency_findings(recorded.rules, evaluation_recorded(recorded))]
    make_console(stderr=True).print(Text(label("x.from_run", lang, seq=recorded.seq), style="dim"))
    return data


@click.command("candidates")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--title",
    "title",
    default=None,
    shell_complete=complete_title,
    help="Only this title (its id, e.g. chien_si_thi_dua_co_so).",
)
@click.option(
    "--entity", "entity", default=None, help="Only this person or collective (its id, e.g. p01), in every title."
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help=f"Every row of every title (on a terminal a title with more than {DEFAULT_LIMIT} rows is summarised).",
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

    On a terminal a title with many rows is summarised; --all, --title or --entity show the detail."""
    data = recorded_worksheet(path, rule_files, fact_files, title, entity, lang) if (title or entity) else None
    if data is None:
        with progress_bar(lang):
            run = run_path(path, rule_files, fact_files)
        rules, derivation = run.rules, run.derivation
        assert derivation is not None
        if title is not None:
            known = sorted({c.title for c in derivation.criteria})
            if title not in known:
                raise fail("criteria.unknown_title_option", Location("--title"), suggest(title, known), title=title)
        data = worksheet(rules, derivation, title)
        if entity is not None:
            only_entity(data, entity)
        data["consistency"] = [f.to_dict() for f in consistency_findings(rules, run.evaluation)]
    if fmt == "json":
        click.echo(worksheet_json(data, lang), nl=False)
    else:
        console = make_console()
        # A terminal gets a summary of a crowded title; a pipe or a file gets every row, like JSON.
        limit = None if show_all or entity is not None or not interactive() else DEFAULT_LIMIT
        hint = f"thidua candidates {shlex.quote(path.as_posix())}"
        for item in worksheet_tables(data, lang, limit, hint):
            # a quota, a finding, a setting: one line each, never cut in a phrase (grep, copy)
            console.print(item, soft_wrap=isinstance(item, (str, Text)))
    return EXIT_OK
