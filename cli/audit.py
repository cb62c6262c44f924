"""`thidua audit ...` and recording: the ledger of evaluations (list, show, explain, verify, diff)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from thidua.cli import EXIT_NOT_MET, EXIT_OK
from thidua.cli.common import FORMAT_OPTION, LANG_OPTION, guarded
from thidua.cli.explain import (
    ALL_OPTION,
    ENTITY_OPTION,
    TREE_FORMAT_OPTION,
    echo_json,
    show_explanation,
    stdout_console,
)
from thidua.cli.labels import label
from thidua.cli.localized import GROUP_LANG_OPTION
from thidua.cli.recording import LEDGER_OPTION
from thidua.cli.regime import regime_lines
from thidua.cli.render import STATUS_STYLE, evaluation_table, summary_text
from thidua.evaluator.app.audit import diff, diff_data, run_data, verify_data
from thidua.evaluator.app.audit import runs as ledger_runs
from thidua.evaluator.app.explanation import explain_run
from thidua.evaluator.app.ledgers import FolderLedgers
from thidua.evaluator.app.words import pct
from thidua.evaluator.audit.ledger import Ledger, default_ledger_path, vietnam_time
from thidua.evaluator.audit.rerun import RunDiff, recorded_judgements
from thidua.evaluator.explain.tree import DEFAULT_LIMIT
from thidua.evaluator.judgement import Evaluation
from thidua.rules.messages import render as message
from thidua.rules.periods import parse_period
from thidua.rules.source import visible


@click.group("audit")
@GROUP_LANG_OPTION
def audit_group() -> None:
    """The audit ledger (sổ kiểm toán) of recorded evaluations (list, show, explain, verify, diff)."""


def _open(ledger: Path | None) -> Ledger:
    return Ledger.open(default_ledger_path(ledger))


def _summary(s: dict[str, Any], lang: str) -> str:
    return label("a.summary", lang, **{k: s.get(k, 0) for k in ("exceeded", "met", "not_met", "pending", "error")})


@audit_group.command("list")
@LEDGER_OPTION
@FORMAT_OPTION
@LANG_OPTION
@guarded
def audit_list(ledger: Path | None, fmt: str, lang: str) -> int:
    """List the recorded runs, oldest first."""
    shown, runs = ledger_runs(FolderLedgers(ledger), None)
    if fmt == "json":
        echo_json({"ledger": shown, "runs": [r.to_dict() for r in runs]})
        return EXIT_OK
    if not runs:
        stdout_console().print(label("a.empty", lang, path=shown))
        return EXIT_OK
    table = Table(title=label("a.list_title", lang, path=shown, n=len(runs)))
    for key in (
        "a.col.seq",
        "a.col.time",
        "a.col.user",
        "a.col.path",
        "a.col.period",
        "a.col.summary",
        "a.col.digests",
    ):
        # a run number and a time are never broken (the heading above the time may wrap)
        least = {"a.col.seq": max((len(str(r.seq)) for r in runs), default=1), "a.col.time": len("2026-01-01 00:00:00")}
        table.add_column(label(key, lang), overflow="fold", min_width=least.get(key))
    for r in runs:
        table.add_row(
            str(r.seq),
            vietnam_time(r.created_at, zone=False),  # the heading names the zone
            r.os_user,
            r.path,
            str(r.period or ""),
            _summary(r.summary, lang),
            f"{r.rules_digest[:10]} / {r.facts_digest[:10]}",
        )
    stdout_console().print(table)
    return EXIT_OK


@audit_group.command("show")
@click.argument("run")
@LEDGER_OPTION
@FORMAT_OPTION
@LANG_OPTION
@guarded
def audit_show(run: str, ledger: Path | None, fmt: str, lang: str) -> int:
    """Show one run: who ran it, when, with which files, and its verdicts (RUN: number, 'last' or id prefix)."""
    if fmt == "json":
        echo_json(run_data(FolderLedgers(ledger), None, run))
        return EXIT_OK
    with _open(ledger) as book:
        rec = book.get(run)
        documents = book.documents(rec.seq)
    console = stdout_console()
    console.print(Text(label("a.run_head", lang, seq=rec.seq, run_id=rec.run_id), style="bold"))
    console.print(
        label(
            "a.meta",
            lang,
            time=vietnam_time(rec.created_at),
            user=rec.os_user,
            host=rec.host,
            tool=rec.tool_version,
            engine=rec.engine,
            python=rec.python,
        )
    )
    console.print(label("a.meta_path", lang, path=rec.path, period=rec.period))
    console.print(label("a.meta_hash", lang, hash=rec.hash, prev=rec.prev_hash))
    files = Tree(Text(label("a.files", lang), style="bold"))
    for f in rec.files:
        files.add(
            label("a.file", lang, role=f.role, path=f.path, lines=len((f.text or "").splitlines()), sha=f.sha256[:16])
        )
    console.print(files)
    ev = Evaluation(
        period=parse_period(rec.period),
        judgements=recorded_judgements(rec),
        rules_digest=rec.rules_digest,
        facts_digest=rec.facts_digest,
        engine=rec.engine,
    )
    console.print(evaluation_table(ev, lang))
    console.print(summary_text(ev, lang))
    for text in regime_lines(rec.summary.get("criteria"), lang):  # recorded with the run (rules/regime.py)
        console.print(text)
    if documents:
        tree = Tree(Text(label("report.documents", lang), style="bold"))
        for d in documents:
            tree.add(
                label(
                    "report.document",
                    lang,
                    format=d["format"],
                    path=d["path"],
                    sha=d["sha256"][:16],
                    time=vietnam_time(d["created_at"]),
                )
            )
        console.print(tree)
    return EXIT_OK


@audit_group.command("explain")
@click.argument("run")
@click.argument("target_id")
@LEDGER_OPTION
@ENTITY_OPTION
@ALL_OPTION
@TREE_FORMAT_OPTION
@LANG_OPTION
@guarded
def audit_explain(
    run: str, target_id: str, ledger: Path | None, entity: str | None, show_all: bool, fmt: str, lang: str
) -> int:
    """Explain a target as a past run judged it, rebuilt from that run's own file snapshots."""
    limit = None if show_all else DEFAULT_LIMIT
    answer = explain_run(FolderLedgers(ledger), None, run, target_id, entity, limit)
    header = [
        Text(
            label("x.run_from", lang, seq=answer.run["seq"], time=vietnam_time(answer.created_at), user=answer.os_user),
            style="bold",
        )
    ]
    if answer.problem is not None:
        problems = answer.problem.problems[:3]
        detail = "; ".join(f"{p.location.describe(lang)}: {p.message(lang)}" for p in problems)
        header.append(Text(label("x.rerun_failed", lang, detail=detail), style="bold red"))
    elif answer.differing:
        header.append(Text(label("x.rerun_differs", lang, targets=", ".join(answer.differing)), style="bold red"))
    else:
        header.append(Text(label("x.rerun_ok", lang), style="green"))
    if answer.engine_now is not None:
        header.append(
            Text(label("x.engine_differs", lang, recorded=answer.run["engine"], now=answer.engine_now), style="yellow")
        )
    show_explanation(answer.explanation, fmt, lang, header, {"run": answer.run})
    return EXIT_OK if answer.matches else EXIT_NOT_MET


@audit_group.command("verify")
@LEDGER_OPTION
@FORMAT_OPTION
@LANG_OPTION
@guarded
def audit_verify(ledger: Path | None, fmt: str, lang: str) -> int:
    """Check the hash chain: exit 0 when intact, 1 naming each edited, inserted or deleted run."""
    data = verify_data(FolderLedgers(ledger), None, lang)
    shown = data["ledger"]
    if fmt == "json":
        echo_json(data)
    elif data["findings"]:
        console = stdout_console()
        console.print(Text(label("a.verify_bad", lang, path=shown, n=len(data["findings"])), style="bold red"))
        for f in data["findings"]:
            console.print(Text("  " + f["message"], style="red"))
    else:
        stdout_console().print(Text(label("a.verify_ok", lang, path=shown, n=data["runs"]), style="green"))
    return EXIT_OK if data["ok"] else EXIT_NOT_MET


def _status_word(status: str | None, lang: str) -> str:
    return label(f"status.{status}", lang) if status else label("a.absent", lang)


def _value_word(v: Any) -> str:
    if isinstance(v, list):
        return "–".join("?" if x is None else _value_word(x) for x in v)
    if isinstance(v, float):
        return pct(v)
    return "—" if v is None else str(v)


def diff_tree(d: RunDiff, lang: str, code_text: Callable[[str], str]) -> Group:
    head = Text(
        label(
            "a.diff_head",
            lang,
            a=d.a.seq,
            b=d.b.seq,
            time_a=vietnam_time(d.a.created_at),
            time_b=vietnam_time(d.b.created_at),
        ),
        style="bold",
    )
    files = Tree(Text(label("a.diff_files", lang), style="bold"))
    if not d.files:
        files.add(label("a.diff_no_files", lang))
    for f in d.files:
        node = files.add(
            label(
                "a.diff_file",
                lang,
                role=label(f"a.role.{f.role}", lang),
                path=f.path,
                change=label(f"a.change.{f.change}", lang),
            )
        )
        if f.lines:
            node.add(Text(visible("\n".join(f.lines)), style="cyan"))
    parts: list[Any] = [head]
    if d.engine_changed:
        parts.append(
            Text(
                label(
                    "a.engine_changed",
                    lang,
                    a=f"thidua {d.a.tool_version}, {d.a.engine}",
                    b=f"thidua {d.b.tool_version}, {d.b.engine}",
                ),
                style="yellow",
            )
        )
    parts.append(files)
    if not d.changes:
        parts.append(Text(label("a.diff_none", lang, same=d.unchanged), style="green"))
        return Group(*parts)
    verdicts = Tree(Text(label("a.diff_verdicts", lang, n=len(d.changes), same=d.unchanged), style="bold"))
    for c in d.changes:
        line = Text(
            label(
                "a.diff_verdict",
                lang,
                target=c.target,
                before=_status_word(c.before, lang),
                after=_status_word(c.after, lang),
                mb=_value_word(c.measured_before),
                ma=_value_word(c.measured_after),
            )
        )
        if c.after:
            line.stylize(STATUS_STYLE[c.after])
        node = verdicts.add(line)
        causes = [
            label("a.cause.rules_text" if (cause == "rules" and c.rule_text_changed) else f"a.cause.{cause}", lang)
            for cause in c.causes
        ]
        cause_text = label("a.diff_cause", lang, causes=", ".join(causes) or label("a.cause.unknown", lang))
        if c.tested:
            cause_text += " " + label("a.cause_tested", lang)
        node.add(cause_text)
        for eid, name, before, after in c.entities:
            node.add(
                label(
                    "a.diff_entity",
                    lang,
                    id=eid,
                    name=name,
                    before=code_text(before) if before else label("a.absent", lang),
                    after=code_text(after) if after else label("a.absent", lang),
                )
            )
    parts.append(verdicts)
    return Group(*parts)


def _code_word(code: str, lang: str) -> str:
    return message(code, lang, count="").replace(" ()", "").strip()


@audit_group.command("diff")
@click.argument("run_a")
@click.argument("run_b")
@LEDGER_OPTION
@FORMAT_OPTION
@LANG_OPTION
@guarded
def audit_diff(run_a: str, run_b: str, ledger: Path | None, fmt: str, lang: str) -> int:
    """Which verdicts changed between two runs, and whether a rule, a fact or the engine changed."""
    d = diff(FolderLedgers(ledger), None, run_a, run_b)
    if fmt == "json":
        echo_json(diff_data(d))
        return EXIT_OK
    stdout_console().print(diff_tree(d, lang, lambda code: _code_word(code, lang)))
    return EXIT_OK


COMMANDS = (audit_group,)
