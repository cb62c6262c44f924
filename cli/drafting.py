"""Commands `thidua draft` (a rule file from a pledge's sentences) and `thidua pledge` (the reverse)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

from thidua.cli import EXIT_NOT_MET, EXIT_OK
from thidua.cli.common import FORCE_OPTION, LANG_OPTION, guarded
from thidua.cli.console import make_console
from thidua.cli.labels import label
from thidua.evaluator.output import check_output, write_output
from thidua.rules.drafting.check import compare, load_text
from thidua.rules.drafting.document import read_text
from thidua.rules.drafting.draft import draft_text
from thidua.rules.drafting.emit import rule_file
from thidua.rules.drafting.pledge import pledge_sentences
from thidua.rules.errors import Location, fail, suggest
from thidua.rules.loader import load_rules, shipped_packs
from thidua.rules.ruleset import RuleSet


def _packs(use: str) -> RuleSet:
    """The vocabulary's source: the rule packs a drafted file will use."""
    packs = shipped_packs()
    if use not in packs:
        raise fail("rules.unknown_pack", Location("--use"), suggest(use, packs), pack=use, packs=", ".join(packs))
    with resources.as_file(resources.files("thidua.rules.packs") / f"{use}.yaml") as path:
        return load_rules([Path(path)])


@click.command("draft")
@click.argument("document", type=click.Path(path_type=Path, allow_dash=True))
@click.option("--period", type=int, help="The year whose targets to draft (when the document has several).")
@click.option("--use", "use", default="criteria", show_default=True, help="Rule pack the drafted file builds on.")
@click.option("--out", "out", type=click.Path(path_type=Path), help="Write the rule file here instead of printing it.")
@click.option(
    "--check",
    "check",
    type=click.Path(path_type=Path),
    help="Compare the drafted targets with this rule file by meaning; exit 1 when they differ.",
)
@FORCE_OPTION
@LANG_OPTION
@guarded
def draft_command(
    document: Path, period: int | None, use: str, out: Path | None, check: Path | None, force: bool, lang: str
) -> int:
    """Draft a rule file (*.rules.yaml) from the target sentences of a pledge or report (.docx, .txt or -)."""
    read_from = [p for p in (None if str(document) == "-" else document, check) if p is not None]
    if out is not None:  # the pledge, the rule file it is compared with, a ledger: never replaced
        check_output(out, inputs=read_from, force=force)
    text, shown = read_text(None if str(document) == "-" else document)
    rules = _packs(use)
    draft = draft_text(text, rules)
    years = draft.years()
    if not years:
        raise fail("draft.no_targets", Location(shown))
    existing = load_rules([check]) if check is not None else None
    known = existing.period.value if existing is not None and existing.period is not None else None
    wanted = period if period is not None else known
    if wanted is not None and period is None and years == [None]:
        wanted = None  # a document naming no year (a list of sentences): its targets are the rule file's
    if wanted is not None and wanted not in years:
        raise fail("draft.period_missing", Location(shown), period=wanted, years=", ".join(map(str, years)))
    chosen = [wanted] if wanted is not None else years
    if (out is not None or existing is not None) and len(chosen) > 1:
        raise fail("draft.period_choice", Location(shown), years=", ".join(map(str, chosen)), first=chosen[0])
    texts = [rule_file(draft, year, [use], Path(shown).name) for year in chosen]
    if existing is not None:
        differences = compare(load_text(texts[0]), existing)
        console = make_console(soft_wrap=True)
        for d in differences:
            console.print(label(f"draft.diff_{d.kind}", lang, draft=d.draft, rules=d.rules, detail=d.detail))
        console.print(label("draft.diff_summary", lang, n=len(differences), file=check))
        return EXIT_NOT_MET if differences else EXIT_OK
    output = "---\n".join(texts)
    if out is not None:
        write_output(out, output.encode("utf-8"), inputs=read_from, force=force)
        click.echo(label("draft.written", lang, file=out, n=len(draft.targets.get(chosen[0], []))))
    else:
        click.echo(output, nl=False)
    return EXIT_OK


@click.command("pledge")
@click.argument("path", type=click.Path(path_type=Path))
@LANG_OPTION
@guarded
def pledge_command(path: Path, lang: str) -> int:
    """Write the targets in PATH (a rule file or a folder of them) as the sentences a pledge uses."""
    files = sorted(path.glob("*.rules.yaml")) if path.is_dir() else [path]
    if not path.exists() or not files:
        raise fail("rules.none_given", Location(path.as_posix()))
    rules = load_rules(files, path if path.is_dir() else path.parent)
    for _ident, sentence in pledge_sentences(rules):
        click.echo(f"- {sentence}.")
    return EXIT_OK


COMMANDS = (draft_command, pledge_command)
