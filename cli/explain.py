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
from thidua.cli.labels import label
from thidua.cli.render import status_text
from thidua.evaluator.app.explanation import explain_target, explanation_json
from thidua.evaluator.app.words import (
    FLIPPED,
    check_words,
    derived_check_text,
    derived_group_words,
    fact_text,
    judgement_view,
    margin_text,
    measured_line,
    place_text,
    quota_line,
    requirement_text,
    role_text,
)
from thidua.evaluator.explain.derivation import DerivationNode, DerivedGroup
from thidua.evaluator.explain.tree import (
    DEFAULT_LIMIT,
    EntityNode,
    Explanation,
    GroupNode,
)
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


def check_line(c: Any, lang: str) -> Text:
    """A condition's check (evaluator/app/words.py check_words), coloured by its outcome."""
    words, outcome, note = check_words(c, lang)
    text = Text(words, style={"true": "green", "false": "red", "unknown": "yellow"}[outcome])
    if note is not None:
        text.append(f" ({note})", style="bold yellow" if c.note == "proposal_counted" else "yellow")
    return text


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
    role = role_text(g.role, lang)
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


def derived_group_text(g: DerivedGroup, lang: str) -> Text:
    head, tail = derived_group_words(g, lang)
    text = Text(head, style="bold " + OUTCOME_STYLE[g.derived])
    plain = (g.source == "recorded" and g.recorded is not None) or g.source == "derived"
    text.append(tail, style="" if plain else "dim")
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
                    label("x.d.quota", lang, text=quota_line(q, lang)),
                    style={"within": "green", "breach": "bold red", "pending": "yellow"}[q["status"]],
                )
            )
        names = ", ".join(f"{e.id} {e.name}" for e in g.entities)
        if g.hidden:
            names += " " + label("x.more", lang, n=g.hidden)
        sub.add(Text(names, style="dim"))


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
    j = judgement_view(x)
    root.add(label("x.requirement", lang, text=requirement_text(j, lang)))
    measured = root.add(label("x.measured", lang, text=measured_line(x, lang)))
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
    with progress_bar(lang):
        answer = explain_target(path, target_id, entity, None if show_all else DEFAULT_LIMIT, rule_files, fact_files)
    if answer.from_run is not None:
        say_recorded(answer.from_run, lang)
    show_explanation(answer.explanation, fmt, lang)
    return EXIT_OK


# --- thidua audit ... -------------------------------------------------------------------------


COMMANDS = (explain_command,)
