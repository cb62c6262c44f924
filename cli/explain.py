"""`thidua explain`: the tree from a verdict down to the rule text, the checks and the facts that decided it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from thidua.cli import EXIT_OK
from thidua.cli.common import LANG_OPTION, format_option, guarded, input_files
from thidua.cli.completion import complete_target
from thidua.cli.console import make_console, progress_bar
from thidua.cli.labels import LABELS, label
from thidua.cli.render import (
    CHECK_OP,
    DERIVED_NOTES,
    derived_state_text,
    margin_text,
    measured_text,
    requirement_text,
    status_text,
    value_text,
)
from thidua.evaluator.audit.recorded import explain_recorded, find_recorded
from thidua.evaluator.engine.derive import COUNCIL
from thidua.evaluator.explain.derivation import CriterionCheck, DerivationNode, DerivedGroup
from thidua.evaluator.explain.tree import (
    DEFAULT_LIMIT,
    EntityNode,
    Explanation,
    FactNode,
    GroupNode,
    Place,
    explain,
    find_judgement,
)
from thidua.evaluator.judgement import Judgement
from thidua.rules.errors import Location
from thidua.rules.messages import render as message
from thidua.rules.source import visible

TREE_FORMAT_OPTION = format_option("tree")
ENTITY_OPTION = click.option(
    "--entity", "entity", default=None, help="Show only this entity (by id), with all its facts."
)
ALL_OPTION = click.option(
    "--all", "show_all", is_flag=True, help=f"List every entity of every group (default: the first {DEFAULT_LIMIT})."
)


def stdout_console() -> Console:
    return make_console()


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))


# --- recording (called by `evaluate`) -------------------------------------------------------


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


FLIPPED = {"true": "false", "false": "true", "unknown": "unknown"}


def check_line(c: Any, lang: str) -> Text:
    """A condition's check: label, requirement, actual value, and its outcome for the condition (a
    test written under `not` is required false: "KHÔNG ≥", and its passing is "đúng")."""
    op = CHECK_OP.get(c.op, c.op)
    negated = bool(getattr(c, "negated", False))
    outcome = FLIPPED[c.outcome] if negated else c.outcome
    if c.subject == "title":
        expected = (
            label(f"title.{c.expected}", lang)
            if c.expected in ("decided", "proposed")
            else (label("x.title_any", lang) if c.expected == "any" else str(c.expected))
        )
        actual = (
            label(f"title.{c.actual}", lang)
            if c.actual in ("decided", "proposed", "none", "refused", "unknown")
            else str(c.actual)
        )
        if c.note in DERIVED_NOTES:
            actual = derived_state_text(c.note, c.by, lang)
        if negated:
            expected = label("x.not_op", lang, op=expected)
        words = label("x.check_title", lang, label=c.label, expected=expected, actual=actual)
    else:
        expected = value_text(c.expected, lang)
        actual = value_text(c.actual, lang) if c.note != "missing" else label("x.note.missing", lang)
        if negated:
            op = label("x.not_op", lang, op=op)
        words = label("x.check", lang, label=c.label, op=op, expected=expected, actual=actual)
    text = Text(
        f"{words} → {label(f'x.outcome.{outcome}', lang)}",
        style={"true": "green", "false": "red", "unknown": "yellow"}[outcome],
    )
    if c.note and c.note not in ("missing", *DERIVED_NOTES):
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
        what = (
            label(f"title.{state}", lang) if state in ("decided", "proposed", "none", "refused", "unknown") else state
        )
        extra = []
        derived = (f.holding or {}).get("source") == "derived"
        if derived:  # added by the criteria, not recorded: say so instead of "decided" (docs/criteria.md)
            if state == "proposed" and not f.awaiting:
                note = "eligible_pending"  # eligible to be proposed: nothing decided (evaluator/engine/derive.py)
            else:
                note = "derived" if state == "decided" else ("derived_pending" if f.awaiting else "derived_unknown")
            what = derived_state_text(note, f.awaiting, lang)
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
    from thidua.cli.candidates import check_text as ws_check_text  # the worksheet's module: only when drawn

    text = ws_check_text(c.model_dump(), lang)  # says "must NOT hold" for a test under `not`
    if c.numerator is not None and c.label_code == "criteria.check.members_count" and c.unknown:
        text += " " + label("x.d.members_unknown", lang, n=c.unknown)
    outcome = FLIPPED[c.outcome] if c.negated else c.outcome  # the outcome for the criterion
    return f"{text} → {label(f'x.outcome.{outcome}', lang)}"


def derived_group_text(g: DerivedGroup, lang: str) -> Text:
    head = Text(label(f"x.d.outcome.{g.derived}", lang, count=g.count), style="bold " + OUTCOME_STYLE[g.derived])
    if g.source == "recorded" and g.recorded is not None:
        state = label(f"title.{g.recorded['state']}", lang)
        if g.recorded.get("decision"):
            state += f", {label('x.holding.decision', lang)} {g.recorded['decision']}"
        head.append(" · " + label("x.d.recorded", lang, state=state))
    elif g.source == "derived":
        candidate = g.effective == "unknown" and g.derived == "true"  # over a quota, awaiting the council
        if g.effective == "proposed":  # eligible to be proposed: targets count it only as a proposal
            note = "eligible_pending"
        else:
            note = "derived" if g.effective == "decided" else ("derived_pending" if candidate else "derived_unknown")
        shown = derived_state_text(note, COUNCIL if candidate else None, lang)
        head.append(" · " + label("x.d.counted_as", lang, state=shown))
    else:
        head.append(" · " + label("x.d.not_recorded", lang), style="dim")
    return head


def _quota_line(q: dict[str, Any], lang: str) -> str:
    from thidua.cli.candidates import quota_set_in, quota_text  # the worksheet's module: only when drawn

    text = quota_text(q, lang)
    set_in = quota_set_in(q, lang)
    if set_in:
        text += " — " + set_in
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
            line = sub.add(
                Text(derived_check_text(c, lang), style=OUTCOME_STYLE[FLIPPED[c.outcome] if c.negated else c.outcome])
            )
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
            f"{n:>{width}} │ {visible(t)}"
            for n, t in enumerate(x.rule_text.text.splitlines(), start=x.rule_text.first_line)
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
    data["format"] = "thidua.explanation/2"
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


def show_explanation(
    x: Explanation, fmt: str, lang: str, header: list[Text] | None = None, extra: dict[str, Any] | None = None
) -> None:
    if fmt == "json":
        echo_json(explanation_json(x, lang, extra))
        return
    console = stdout_console()
    for line in header or []:
        console.print(line)
    console.print(explanation_tree(x, lang))


def say_recorded(seq: int, lang: str) -> None:
    """A quiet line on stderr: the answer comes from a recorded run, not a new evaluation."""
    make_console(stderr=True).print(Text(label("x.from_run", lang, seq=seq), style="dim"))


# --- thidua explain ---------------------------------------------------------------------------


@click.command("explain")
@click.argument("path", type=click.Path(path_type=Path))
@click.argument("target_id", shell_complete=complete_target)
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
    if entity is not None:
        recorded = find_recorded(path, rule_files, fact_files)
        answer = (
            explain_recorded(recorded, target_id, entity, None if show_all else DEFAULT_LIMIT) if recorded else None
        )
        if recorded is not None and answer is not None:
            say_recorded(recorded.seq, lang)
            show_explanation(answer, fmt, lang)
            return EXIT_OK
    from thidua.evaluator.run import run_path  # the engine: only when the ledger cannot answer

    with progress_bar(lang):
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
    show_explanation(x, fmt, lang)
    return EXIT_OK


# --- thidua audit ... -------------------------------------------------------------------------


COMMANDS = (explain_command,)
