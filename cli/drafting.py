"""Commands `thidua draft` (a rule file from a pledge's sentences) and `thidua pledge` (the reverse)."""

from __future__ import annotations

from pathlib import Path

import click

from thidua.cli import EXIT_NOT_MET, EXIT_OK
from thidua.cli.common import FORCE_OPTION, LANG_OPTION, guarded
from thidua.cli.console import make_console
from thidua.cli.labels import label
from thidua.evaluator.output import check_output, write_output
from thidua.rules.drafting.basis import load_source
from thidua.rules.drafting.check import compare, load_text
from thidua.rules.drafting.document import read_text
from thidua.rules.drafting.draft import draft_text
from thidua.rules.drafting.emit import rule_file
from thidua.rules.drafting.pledge import pledge_sentences
from thidua.rules.drafting.sentences import Period, parse_period
from thidua.rules.errors import Location, Problems, fail
from thidua.rules.loader import load_rules


def _period(value: str | None) -> Period | None:
    """`--period`: a year (2024) or a school year of two consecutive years (2023-2024)."""
    if value is None:
        return None
    found = parse_period(value)
    if found is None:
        raise fail("draft.bad_period", Location("--period"), value=value)
    return found


def _in_term(period: Period, term: str | None, shown: str) -> None:
    """A year given for a document that names a term (nhiệm kỳ) must lie in it."""
    if term is None:
        return
    first, last = (int(y) for y in term.split("-"))
    year = int(str(period)[:4])
    if not first <= year <= last:
        raise fail("draft.period_outside_term", Location(shown), period=period, term=term)


@click.command("draft")
@click.argument("document", type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "--period",
    "period",
    help="The period whose targets to draft: a year (2024) or a school year (2023-2024); for a document "
    "that names none, the period written into the drafted file.",
)
@click.option(
    "--use",
    "use",
    default="criteria",
    show_default=True,
    help="What the drafted file builds on: a shipped rule pack, a rule or declaration file, or an agency "
    "folder; its kinds, scales, titles and names are the words the draft reads.",
)
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
    document: Path, period: str | None, use: str, out: Path | None, check: Path | None, force: bool, lang: str
) -> int:
    """Draft a rule file (*.rules.yaml) from the target sentences of a pledge or report (.docx, .txt or -)."""
    vocabulary = Path(use) if Path(use).exists() else None  # a declaration file or folder, not a pack
    read_from = [p for p in (None if str(document) == "-" else document, check, vocabulary) if p is not None]
    if out is not None:  # the pledge, the rule file it is compared with, the vocabulary: never replaced
        check_output(out, inputs=read_from, force=force)
    text, shown = read_text(None if str(document) == "-" else document)
    source = load_source(use)
    draft = draft_text(text, source.rules)
    periods = draft.periods()
    if not any(draft.targets.values()):  # nothing read: each line tried, and why, with the message
        problems = Problems()
        problems.add("draft.no_targets", Location(shown))
        for missed in (m for items in draft.unrecognised.values() for m in items):
            problems.add(
                "draft.unread",
                Location(shown, missed.sentence.line, 1),
                clause=missed.clause,
                reason=missed.why.text(lang),
            )
        problems.raise_if_any()
    wanted = _period(period)
    existing = load_rules([check]) if check is not None else None
    if wanted is None and existing is not None and existing.period is not None:
        wanted = _period(str(existing.period))
    written: Period | None = None  # the period to write for a document that names none
    if wanted is not None and wanted not in periods:
        if periods != [None]:
            named = ", ".join(str(p) for p in periods if p is not None)
            raise fail("draft.period_missing", Location(shown), period=wanted, years=named)
        _in_term(wanted, draft.terms.get(None), shown)
        chosen: list[Period | None] = [None]
        written = wanted
    else:
        chosen = [wanted] if wanted is not None else periods
    for year in chosen:
        term = draft.terms.get(year)
        if year is None and written is None and term is not None:
            raise fail("draft.term_needs_period", Location(shown), term=term, first=term.split("-")[0])
    if (out is not None or existing is not None) and len(chosen) > 1:
        named = ", ".join(str(p) for p in chosen)
        raise fail("draft.period_choice", Location(shown), years=named, first=chosen[0])
    name = Path(shown).name
    if existing is not None:
        basis = source.basis(None, chosen[0] if written is None else written)
        drafted = load_text(rule_file(draft, chosen[0], basis, name, lang, written), uses=basis.use)
        differences = compare(drafted, existing)
        console = make_console(soft_wrap=True)
        for d in differences:
            console.print(label(f"draft.diff_{d.kind}", lang, draft=d.draft, rules=d.rules, detail=d.detail))
        console.print(label("draft.diff_summary", lang, n=len(differences), file=check))
        return EXIT_NOT_MET if differences else EXIT_OK
    at = (out.parent if out is not None else Path.cwd()).resolve()
    texts = [
        rule_file(draft, year, source.basis(at, year if written is None else written), name, lang, written)
        for year in chosen
    ]
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
