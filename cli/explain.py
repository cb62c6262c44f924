"""`thidua explain` and `thidua audit ...`: explanation trees, and the ledger of recorded runs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from thidua.cli import EXIT_NOT_MET, EXIT_OK
from thidua.cli.candidates import check_text as ws_check_text
from thidua.cli.candidates import quota_text
from thidua.cli.common import FORMAT_OPTION, LANG_OPTION, guarded, input_files
from thidua.cli.labels import LABELS, label
from thidua.cli.render import (
    CHECK_OP,
    STATUS_STYLE,
    derived_state_text,
    evaluation_table,
    margin_text,
    measured_text,
    pct,
    requirement_text,
    status_text,
    summary_text,
    value_text,
)
from thidua.evaluator.audit import RunDiff, diff_runs, recorded_judgements, replay, run_files
from thidua.evaluator.derivation_tree import CriterionCheck, DerivationNode, DerivedGroup
from thidua.evaluator.derive import COUNCIL
from thidua.evaluator.explain import (
    DEFAULT_LIMIT,
    EntityNode,
    Explanation,
    FactNode,
    GroupNode,
    Place,
    explain,
    find_judgement,
)
from thidua.evaluator.judgement import Evaluation, Judgement
from thidua.evaluator.ledger import Ledger, RunRecord, default_ledger_path, snapshot_files
from thidua.evaluator.run import Run, run_path
from thidua.rules.errors import Location
from thidua.rules.messages import render as message

LEDGER_OPTION = click.option(
    "--ledger",
    "ledger",
    type=click.Path(path_type=Path),
    default=None,
    help="Ledger file (default: $THIDUA_LEDGER, else .thidua-ledger.sqlite in the current folder).",
)
TREE_FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(["tree", "json"]), default="tree", show_default=True
)
ENTITY_OPTION = click.option(
    "--entity", "entity", default=None, help="Show only this entity (by id), with all its facts."
)
ALL_OPTION = click.option(
    "--all", "show_all", is_flag=True, help=f"List every entity of every group (default: the first {DEFAULT_LIMIT})."
)


def _console() -> Console:
    return Console(highlight=False)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))


# --- recording (called by `evaluate`) -------------------------------------------------------


def record_run(run: Run, path: Path, ledger: Path | None, lang: str) -> RunRecord:
    """Append an evaluation to the ledger and say so on stderr (stdout stays the report)."""
    rule_texts, given, fact_texts = run_files(run)
    where = default_ledger_path(ledger)
    with Ledger.open(where, create=True) as book:
        rec = book.record(run.evaluation, snapshot_files(rule_texts, given, fact_texts), path.as_posix())
    Console(stderr=True, highlight=False).print(
        Text(label("a.recorded", lang, seq=rec.seq, path=where.as_posix()), style="dim")
    )
    return rec


# --- rendering an explanation ---------------------------------------------------------------


def place_text(p: Place | None, lang: str) -> str:
    if p is None:
        return label("x.not_written", lang)
    if p.sheet is not None:
        return str(Location(p.file, p.line, p.column, p.sheet, p.column_name))
    return f"{p.file}:{p.line}" if p.line else p.file


def _judgement_view(x: Explanation) -> Judgement:
    """A judgement carrying what the shared renderers read (requirement, measured, margin)."""
    return Judgement(
        target=x.target,
        title=x.title,
        reference=x.reference,
        group=x.group,
        status=x.status,  # type: ignore[arg-type]
        requirement=x.requirement,
        measured=x.measured,
        margin=x.margin,
        reasons=(),
        source=x.source,
    )


def _measured_line(x: Explanation, lang: str) -> str:
    j = _judgement_view(x)
    text = measured_text(j, lang)
    m = x.measured
    if m.kind == "share" and m.numerator is not None:
        text += " — " + label("x.share_of", lang, numerator=m.numerator, denominator=m.denominator)
    elif m.kind in ("count",) and m.value is not None:
        total = sum(g.count for g in x.groups if g.role in ("where", None))
        if total:
            text = label("x.count_of", lang, value=m.value, total=total)
    if m.unknown:
        text += " · " + label("x.unknown_entities", lang, n=m.unknown)
    return text


def check_line(c: Any, lang: str) -> Text:
    op = CHECK_OP.get(c.op, c.op)
    if c.subject == "title":
        expected = (
            label(f"title.{c.expected}", lang)
            if c.expected in ("decided", "proposed")
            else (label("x.title_any", lang) if c.expected == "any" else str(c.expected))
        )
        actual = (
            label(f"title.{c.actual}", lang)
            if c.actual in ("decided", "proposed", "none", "refused")
            else str(c.actual)
        )
        if c.note in ("derived", "derived_pending"):
            actual = derived_state_text(c.note, c.by, lang)
        op = "∋" if c.op == "has_title" else c.op
    else:
        expected = value_text(c.expected, lang)
        actual = value_text(c.actual, lang) if c.note != "missing" else label("x.note.missing", lang)
    text = Text(
        label(
            "x.check",
            lang,
            label=c.label,
            subject=label(f"x.subject.{c.subject}", lang),
            name=c.name,
            op=op,
            expected=expected,
            actual=actual,
            outcome=label(f"x.outcome.{c.outcome}", lang),
        ),
        style={"true": "green", "false": "red", "unknown": "yellow"}[c.outcome],
    )
    if c.note and c.note not in ("missing", "derived", "derived_pending"):
        if c.note == "proposal_pending":
            note = label("proposal_pending", lang, by=c.by) if c.by else label("proposal_pending_nobody", lang)
        elif c.note == "awaiting" and not c.by:
            note = label("x.note.missing", lang)
        else:
            note = label(f"x.note.{c.note}", lang, by=c.by or "?") if f"x.note.{c.note}" in _NOTE_KEYS else c.note
        text.append(f" ({note})", style="bold yellow" if c.note == "proposal_counted" else "yellow")
    return text


_NOTE_KEYS = {"x.note.awaiting", "x.note.proposal_counted", "x.note.refused", "x.note.missing"}


def fact_text(f: FactNode, labels: dict[str, str], lang: str) -> str:
    name = labels.get(f.name, f.name)
    if f.subject == "title":
        state = str(f.written)
        what = label(f"title.{state}", lang) if state in ("decided", "proposed", "none", "refused") else state
        extra = []
        derived = (f.holding or {}).get("source") == "derived"
        if derived:  # added by the criteria, not recorded: say so instead of "decided" (docs/criteria.md)
            what = derived_state_text("derived_pending" if state == "proposed" else "derived", f.awaiting, lang)
        if f.awaiting and not derived:
            extra.append(label("x.note.awaiting", lang, by=f.awaiting))
        for key, value in (f.holding or {}).items():
            if key in ("title", "state", "awaiting") or (derived and key in ("source", "note")):
                continue
            if key == "source" and value == "recorded":
                continue  # the usual case; the place after the fact says where it is recorded
            if key == "source":
                extra.append(label(f"x.source.{value}", lang) if f"x.source.{value}" in LABELS else f"{key}: {value}")
            elif "override" in key and value:
                extra.append(label("x.override", lang) + (f": {value}" if value is not True else ""))
            else:
                shown_key = label(f"x.holding.{key}", lang) if f"x.holding.{key}" in LABELS else key
                extra.append(f"{shown_key}: {value}")
        if extra:
            what += " (" + "; ".join(extra) + ")"
    else:
        what = value_text(f.written, lang) if f.written is not None or f.place is None else "—"
        if f.awaiting:
            what = label("x.note.awaiting", lang, by=f.awaiting) + (
                f" ({value_text(f.written, lang)})" if f.written is not None else ""
            )
    if f.place is None:
        return f"{name}: {what} ({label('x.not_written', lang)})"
    return label("x.fact_at", lang, what=f"{name}: {what}", where=place_text(f.place, lang))


def _role_text(role: str | None, lang: str) -> str:
    if role is None:
        return ""
    if role.startswith("p") and role[1:].isdigit():
        return label("x.role.part", lang, n=int(role[1:]) + 1)
    key = f"x.role.{role}"
    return label(key, lang) if key in ("x.role.where", "x.role.matching", "x.role.population") else role


def _entity_line(e: EntityNode, labels: dict[str, str], lang: str) -> Tree | Text:
    line = Text()
    line.append(f"{e.id} ", style="bold")
    line.append(e.name)
    line.append(f" — {place_text(e.place, lang)}", style="dim")
    if len(e.facts) == 1:
        line.append(" · " + fact_text(e.facts[0], labels, lang))
        return line
    sub = Tree(line)
    for f in e.facts:
        sub.add(fact_text(f, labels, lang))
    return sub


def group_tree(g: GroupNode, lang: str) -> Tree:
    head = Text(
        message(g.code, lang, **g.params),
        style={"true": "bold green", "false": "bold red", "unknown": "bold yellow"}.get(g.outcome or "", "bold"),
    )
    role = _role_text(g.role, lang)
    if role:
        head.append(f" · {role}", style="dim")
    node = Tree(head)
    checks = node.add(Text(label("x.checks", lang), style="bold"))
    if not g.checks:
        checks.add(label("x.no_checks", lang))
    for c in g.checks:
        line = checks.add(check_line(c.check, lang))
        if c.derivation is not None:
            derivation_tree(line, c.derivation, lang)
    labels = {c.check.name: c.check.label for c in g.checks}
    for e in g.entities:
        node.add(_entity_line(e, labels, lang))
    if g.hidden:
        node.add(Text(label("x.more", lang, n=g.hidden), style="italic"))
    return node


OUTCOME_STYLE = {"true": "green", "false": "red", "unknown": "yellow"}


def derived_check_text(c: CriterionCheck, lang: str) -> str:
    """A criterion's check as the worksheet words it, with its outcome."""
    text = ws_check_text(c.model_dump(), lang)  # says "must NOT hold" for a test under `not`
    if c.numerator is not None and c.label_code == "criteria.check.members_count" and c.unknown:
        text += " " + label("x.d.members_unknown", lang, n=c.unknown)
    return f"{text} → {label(f'x.outcome.{c.outcome}', lang)}"


def derived_group_text(g: DerivedGroup, lang: str) -> Text:
    head = Text(label(f"x.d.outcome.{g.derived}", lang, count=g.count), style="bold " + OUTCOME_STYLE[g.derived])
    if g.source == "recorded" and g.recorded is not None:
        state = label(f"title.{g.recorded['state']}", lang)
        if g.recorded.get("decision"):
            state += f", {label('x.holding.decision', lang)} {g.recorded['decision']}"
        head.append(" · " + label("x.d.recorded", lang, state=state))
    elif g.source == "derived":
        shown = derived_state_text(
            "derived_pending" if g.effective == "proposed" else "derived",
            COUNCIL if g.effective == "proposed" else None,
            lang,
        )
        head.append(" · " + label("x.d.counted_as", lang, state=shown))
    else:
        head.append(" · " + label("x.d.not_recorded", lang), style="dim")
    return head


def _quota_line(q: dict[str, Any], lang: str) -> str:
    text = quota_text(q, lang)
    if q.get("candidates_hidden"):
        text += " " + label("and_more", lang, n=q["candidates_hidden"])
    return text


def derivation_tree(parent: Tree, d: DerivationNode, lang: str) -> None:
    """The criterion that decided a title, each group of entities it decided alike, recursively."""
    where = f"{d.place.file}:{d.place.line}" if d.place is not None else "?"
    node = parent.add(
        Text(
            label(
                "x.d.criterion",
                lang,
                criterion=d.criterion,
                title=d.criterion_title,
                reference=d.reference or "—",
                where=where,
            ),
            style="bold cyan",
        )
    )
    for g in d.groups:
        sub = node.add(derived_group_text(g, lang))
        if g.finding is not None:
            sub.add(Text(label(f"x.d.finding.{g.finding}", lang, note=g.override_note or ""), style="bold yellow"))
        for c in g.checks:
            line = sub.add(Text(derived_check_text(c, lang), style=OUTCOME_STYLE[c.outcome]))
            if c.derivation is not None:
                derivation_tree(line, c.derivation, lang)
        for q in g.quotas:
            sub.add(
                Text(
                    label("x.d.quota", lang, text=_quota_line(q, lang)),
                    style={"within": "green", "breach": "bold red", "pending": "yellow"}[q["status"]],
                )
            )
        names = ", ".join(f"{e.id} {e.name}" for e in g.entities)
        if g.hidden:
            names += " " + label("x.more", lang, n=g.hidden)
        sub.add(Text(names, style="dim"))


def _derivation_texts(d: dict[str, Any], node: DerivationNode, lang: str) -> None:
    """Add the rendered text next to each part of a derivation node (JSON output)."""
    for gd, g in zip(d["groups"], node.groups, strict=True):
        gd["text"] = derived_group_text(g, lang).plain
        gd["finding_text"] = label(f"x.d.finding.{g.finding}", lang, note=g.override_note or "") if g.finding else None
        for qd, q in zip(gd["quotas"], g.quotas, strict=True):
            qd["text"] = _quota_line(q, lang)
        for cd, c in zip(gd["checks"], g.checks, strict=True):
            cd["text"] = derived_check_text(c, lang)
            if c.derivation is not None:
                _derivation_texts(cd["derivation"], c.derivation, lang)


def explanation_tree(x: Explanation, lang: str) -> Tree:
    root_text = Text()
    root_text.append(x.title, style="bold")
    root_text.append(f"  [{x.target}]  ", style="dim")
    root_text.append_text(status_text(x.status, lang))
    root = Tree(root_text)
    where = f"{x.source.file}:{x.source.line}"
    if x.rule_text is not None:
        where = f"{x.rule_text.file}:{x.rule_text.first_line}-{x.rule_text.last_line}"
    declared = root.add(Text(label("x.declared_at", lang, where=where), style="bold"))
    if x.reference:
        declared.add(label("x.reference", lang, reference=x.reference))
    if x.rule_text is not None:
        width = len(str(x.rule_text.last_line))
        lines = [
            f"{n:>{width}} │ {t}" for n, t in enumerate(x.rule_text.text.splitlines(), start=x.rule_text.first_line)
        ]
        declared.add(Text("\n".join(lines), style="cyan"))
    j = _judgement_view(x)
    root.add(label("x.requirement", lang, text=requirement_text(j, lang)))
    measured = root.add(label("x.measured", lang, text=_measured_line(x, lang)))
    if x.margin is not None:
        measured.add(label("x.margin", lang, text=margin_text(j, lang)))
    if x.count_proposed:
        root.add(Text(label("x.count_proposed", lang), style="yellow"))
    if x.proposals_counted:
        root.add(
            Text(
                label("x.proposals_counted", lang, names=", ".join(f"{e.name} ({e.id})" for e in x.proposals_counted)),
                style="bold yellow",
            )
        )
    if x.entity_filter:
        root.add(Text(label("x.entity_only", lang, entity=x.entity_filter), style="italic"))
    for g in x.groups:
        root.add(group_tree(g, lang))
    if x.notes:
        notes = root.add(Text(label("x.notes", lang), style="bold"))
        for n in x.notes:
            node = notes.add(message(n.code, lang, **n.params))
            if n.facts:
                labels = {str(n.params.get("attribute")): str(n.params.get("attribute_label"))}
                for e in n.facts:
                    node.add(_entity_line(e, labels, lang))
            elif n.entities:
                for ref in n.entities:
                    node.add(Text(f"{ref.id} {ref.name}" + (f" — {ref.file}:{ref.line}" if ref.file else "")))
            if n.hidden:
                node.add(Text(label("x.more", lang, n=n.hidden), style="italic"))
    return root


def explanation_json(x: Explanation, lang: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    data = x.to_dict()
    j = _judgement_view(x)
    data["format"] = "thidua.explanation/1"
    data["lang"] = lang
    data["status_label"] = label(f"status.{x.status}", lang)
    data["requirement"]["text"] = requirement_text(j, lang)
    data["measured"]["text"] = _measured_line(x, lang)
    if data["margin"] is not None:
        data["margin"]["text"] = margin_text(j, lang)
    for gd, g in zip(data["groups"], x.groups, strict=True):
        gd["text"] = message(g.code, lang, **g.params)
        for cd, c in zip(gd["checks"], g.checks, strict=True):
            if c.derivation is not None:
                _derivation_texts(cd["derivation"], c.derivation, lang)
    for nd, n in zip(data["notes"], x.notes, strict=True):
        nd["text"] = message(n.code, lang, **n.params)
    if extra:
        data.update(extra)
    return data


def _show(
    x: Explanation, fmt: str, lang: str, header: list[Text] | None = None, extra: dict[str, Any] | None = None
) -> None:
    if fmt == "json":
        _echo_json(explanation_json(x, lang, extra))
        return
    console = _console()
    for line in header or []:
        console.print(line)
    console.print(explanation_tree(x, lang))


# --- thidua explain ---------------------------------------------------------------------------


@click.command("explain")
@click.argument("path", type=click.Path(path_type=Path))
@click.argument("target_id")
@input_files
@ENTITY_OPTION
@ALL_OPTION
@TREE_FORMAT_OPTION
@LANG_OPTION
@guarded
def explain_command(
    path: Path,
    target_id: str,
    rule_files: tuple[Path, ...],
    fact_files: tuple[Path, ...],
    entity: str | None,
    show_all: bool,
    fmt: str,
    lang: str,
) -> int:
    """Explain one target's verdict: rule text, measure, each entity and the facts that decided it."""
    run = run_path(path, rule_files, fact_files)
    j = find_judgement(run.evaluation.judgements, target_id, Location(path.as_posix()))
    # The facts the targets saw (derived titles added) and the derivation of the same run.
    seen = run.derivation.facts if run.derivation is not None and run.derivation.facts is not None else run.facts
    x = explain(
        j,
        run.rules.files,
        seen,
        run.rules,
        entity=entity,
        limit=None if show_all else DEFAULT_LIMIT,
        derivation=run.derivation,
    )
    _show(x, fmt, lang)
    return EXIT_OK


# --- thidua audit ... -------------------------------------------------------------------------


@click.group("audit")
def audit_group() -> None:
    """Sổ kiểm toán: the ledger of recorded evaluations (list, show, explain, verify, diff)."""


def _open(ledger: Path | None) -> Ledger:
    return Ledger.open(default_ledger_path(ledger))


def _summary(s: dict[str, int], lang: str) -> str:
    return label("a.summary", lang, **{k: s.get(k, 0) for k in ("exceeded", "met", "not_met", "pending", "error")})


@audit_group.command("list")
@LEDGER_OPTION
@FORMAT_OPTION
@LANG_OPTION
@guarded
def audit_list(ledger: Path | None, fmt: str, lang: str) -> int:
    """List the recorded runs, oldest first."""
    with _open(ledger) as book:
        runs = book.runs()
        shown = book.path.as_posix()
    if fmt == "json":
        _echo_json({"ledger": shown, "runs": [r.to_dict() for r in runs]})
        return EXIT_OK
    if not runs:
        _console().print(label("a.empty", lang, path=shown))
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
        table.add_column(label(key, lang), overflow="fold")
    for r in runs:
        table.add_row(
            str(r.seq),
            r.created_at[:19].replace("T", " "),
            r.os_user,
            r.path,
            str(r.period or ""),
            _summary(r.summary, lang),
            f"{r.rules_digest[:10]} / {r.facts_digest[:10]}",
        )
    _console().print(table)
    return EXIT_OK


@audit_group.command("show")
@click.argument("run")
@LEDGER_OPTION
@FORMAT_OPTION
@LANG_OPTION
@guarded
def audit_show(run: str, ledger: Path | None, fmt: str, lang: str) -> int:
    """Show one run: who ran it, when, with which files, and its verdicts (RUN: number, 'last' or id prefix)."""
    with _open(ledger) as book:
        rec = book.get(run)
    if fmt == "json":
        data = rec.to_dict()
        data["judgements"] = list(rec.judgements)
        _echo_json(data)
        return EXIT_OK
    console = _console()
    console.print(Text(label("a.run_head", lang, seq=rec.seq, run_id=rec.run_id), style="bold"))
    console.print(
        label(
            "a.meta",
            lang,
            time=rec.created_at,
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
        period=rec.period,
        judgements=recorded_judgements(rec),
        rules_digest=rec.rules_digest,
        facts_digest=rec.facts_digest,
        engine=rec.engine,
    )
    console.print(evaluation_table(ev, lang))
    console.print(summary_text(ev, lang))
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
    with _open(ledger) as book:
        rec = book.get(run)
        where = Location(book.path.as_posix())
    j = find_judgement(recorded_judgements(rec), target_id, where)
    again = replay(rec)
    x = explain(
        j,
        rec.file_texts(),
        again.facts,
        again.rules,
        entity=entity,
        limit=None if show_all else DEFAULT_LIMIT,
        derivation=again.derivation,
    )
    header = [
        Text(
            label("x.run_from", lang, seq=rec.seq, time=rec.created_at[:19].replace("T", " "), user=rec.os_user),
            style="bold",
        )
    ]
    replay_info: dict[str, Any] = {
        "seq": rec.seq,
        "run_id": rec.run_id,
        "created_at": rec.created_at,
        "os_user": rec.os_user,
        "engine": rec.engine,
    }
    if again.problem is not None:
        detail = "; ".join(f"{p.location}: {p.message(lang)}" for p in again.problem.problems[:3])
        header.append(Text(label("x.rerun_failed", lang, detail=detail), style="bold red"))
        replay_info["rerun"] = "failed"
    elif again.differing:
        header.append(Text(label("x.rerun_differs", lang, targets=", ".join(again.differing)), style="bold red"))
        replay_info["rerun"] = "differs"
        replay_info["differing"] = again.differing
    else:
        header.append(Text(label("x.rerun_ok", lang), style="green"))
        replay_info["rerun"] = "same"
    if again.engine_differs and again.evaluation is not None:
        header.append(
            Text(label("x.engine_differs", lang, recorded=rec.engine, now=again.evaluation.engine), style="yellow")
        )
        replay_info["engine_now"] = again.evaluation.engine
    _show(x, fmt, lang, header, {"run": replay_info})
    return EXIT_OK if again.matches else EXIT_NOT_MET


@audit_group.command("verify")
@LEDGER_OPTION
@FORMAT_OPTION
@LANG_OPTION
@guarded
def audit_verify(ledger: Path | None, fmt: str, lang: str) -> int:
    """Check the hash chain: exit 0 when intact, 1 naming each edited, inserted or deleted run."""
    with _open(ledger) as book:
        findings = book.verify()
        n = book.count()
        shown = book.path.as_posix()
    if fmt == "json":
        _echo_json(
            {
                "ledger": shown,
                "runs": n,
                "ok": not findings,
                "findings": [
                    {"code": f.code, "run": f.seq, "message": message(f.code, lang, **f.params)} for f in findings
                ],
            }
        )
    elif findings:
        console = _console()
        console.print(Text(label("a.verify_bad", lang, path=shown, n=len(findings)), style="bold red"))
        for f in findings:
            console.print(Text("  " + message(f.code, lang, **f.params), style="red"))
    else:
        _console().print(Text(label("a.verify_ok", lang, path=shown, n=n), style="green"))
    return EXIT_NOT_MET if findings else EXIT_OK


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
            time_a=d.a.created_at[:19].replace("T", " "),
            time_b=d.b.created_at[:19].replace("T", " "),
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
            node.add(Text("\n".join(f.lines), style="cyan"))
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
    with _open(ledger) as book:
        a, b = book.get(run_a), book.get(run_b)
    d = diff_runs(a, b)
    if fmt == "json":
        _echo_json(
            {
                "a": a.seq,
                "b": b.seq,
                "engine_changed": d.engine_changed,
                "unchanged": d.unchanged,
                "files": [
                    {"role": f.role, "path": f.path, "change": f.change, "lines": list(f.lines)} for f in d.files
                ],
                "changes": [
                    {
                        "target": c.target,
                        "title": c.title,
                        "before": c.before,
                        "after": c.after,
                        "measured_before": c.measured_before,
                        "measured_after": c.measured_after,
                        "causes": list(c.causes),
                        "causes_tested": c.tested,
                        "rule_text_changed": c.rule_text_changed,
                        "entities": [
                            {"id": e[0], "name": e[1], "before": e[2] or None, "after": e[3] or None}
                            for e in c.entities
                        ],
                    }
                    for c in d.changes
                ],
            }
        )
        return EXIT_OK
    _console().print(diff_tree(d, lang, lambda code: _code_word(code, lang)))
    return EXIT_OK


COMMANDS = (explain_command, audit_group)
