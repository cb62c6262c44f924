"""Commands for admins who write rules: validate, schema, init and test."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from thidua.cli import EXIT_BAD_INPUT, EXIT_NOT_MET, EXIT_OK
from thidua.cli.common import FORMAT_OPTION, LANG_OPTION, guarded, input_files
from thidua.cli.console import make_console, progress_bar
from thidua.cli.labels import label
from thidua.rules.errors import Problem


def _print_problem(console: Console, p: Problem, word: str, style: str, lang: str) -> None:
    line = Text()
    line.append(p.location.describe(lang), style="bold")
    line.append(f": {word}: ", style=style)
    line.append(p.message(lang))
    console.print(line)


@click.command("validate")
@click.argument("path", type=click.Path(path_type=Path))
@input_files
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings but no errors.")
@FORMAT_OPTION
@LANG_OPTION
@guarded
def validate_command(
    path: Path, rule_files: tuple[Path, ...], fact_files: tuple[Path, ...], strict: bool, fmt: str, lang: str
) -> int:
    """Check rule and fact files in PATH without evaluating; report every problem at once.

    Exit 0 when clean (or warnings only), 1 with --strict and warnings, 2 on errors.
    """
    from thidua.evaluator.authoring.validate import validate_path
    from thidua.evaluator.progress import stage

    with progress_bar(lang), stage("check"):
        report = validate_path(path, rule_files, fact_files)
    if fmt == "json":
        data = {
            "errors": [p.to_dict(lang) for p in report.errors],
            "warnings": [p.to_dict(lang) for p in report.warnings],
            "files": report.files,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        out = make_console(soft_wrap=True)
        for p in report.errors:
            _print_problem(out, p, label("error.word", lang), "red", lang)
        for p in report.warnings:
            _print_problem(out, p, label("authoring.warning_word", lang), "yellow", lang)
        if report.errors or report.warnings:
            out.print(
                label("authoring.validate_summary", lang, errors=len(report.errors), warnings=len(report.warnings))
            )
        else:
            out.print(Text(label("authoring.validate_clean", lang, n=len(report.files)), style="green"))
    if report.errors:
        return EXIT_BAD_INPUT
    if report.warnings and strict:
        return EXIT_NOT_MET
    return EXIT_OK


@click.command("test")
@click.argument("path", type=click.Path(path_type=Path))
@LANG_OPTION
@guarded
def test_command(path: Path, lang: str) -> int:
    """Run the rule tests (*.tests.yaml) in PATH: expected statuses and margins against actual ones.

    Exit 0 when every case passes, 1 when one fails, 2 on bad input.
    """
    from thidua.evaluator.app.words import margin_text, measured_text, reason_text
    from thidua.evaluator.authoring.testing import run_tests
    from thidua.evaluator.progress import stage

    with progress_bar(lang), stage("evaluate"):
        results = run_tests(path)
    out = make_console(soft_wrap=True)
    total = failed = 0
    for shown, cases in results:
        out.print(Text(shown, style="bold"))
        for result in cases:
            total += 1
            case = result.case
            if result.passed:
                out.print(Text(f"  ✓ {case.name}", style="green"))
                continue
            failed += 1
            out.print(Text(f"  ✗ {case.name} ({case.loc.describe(lang)})", style="bold red"))
            for f in result.failures:
                j, exp = f.judgement, f.expected
                want = label(f"status.{exp.status}", lang)
                if exp.margin is not None:
                    want += f" ({label('authoring.margin', lang)} {exp.margin:g})"
                got = label(f"status.{j.status}", lang)
                if j.margin is not None:
                    got += f" ({label('authoring.margin', lang)} {margin_text(j, lang)})"
                out.print(
                    f"    {j.target}: {label('authoring.expected', lang)} {want}, {label('authoring.actual', lang)} {got}; {label('col.result', lang)}: {measured_text(j, lang)}"
                )
                for r in j.reasons:
                    out.print(Text(f"      - {reason_text(r, lang)}", style="dim"))
    out.print(label("authoring.test_summary", lang, passed=total - failed, total=total))
    return EXIT_NOT_MET if failed else EXIT_OK


@click.command("schema")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="Folder to write the schemas to.",
)
@LANG_OPTION
@guarded
def schema_command(path: Path | None, out_dir: Path, lang: str) -> int:
    """Write JSON Schemas of rule, fact and test files for editors (VS Code YAML extension).

    The fact schema follows the kinds, scales and titles of the rules in PATH (an agency folder),
    or of the core pack when PATH is not given.
    """
    from thidua.evaluator.authoring.scaffold import output_folder
    from thidua.evaluator.facts.inputs import discover
    from thidua.evaluator.output import write_output
    from thidua.rules.loader import load_rules
    from thidua.rules.schema import core_rules, schema_texts

    if path is None:
        rules = core_rules()
    else:
        inputs = discover(path)
        rules = load_rules(inputs.rules, inputs.base)
    output_folder(out_dir)
    read = [] if path is None else [*inputs.rules, *rules.sources.values()]
    for name, text in schema_texts(rules, with_targets=path is not None).items():
        # a schema is regenerated over its earlier copy (that is what the command is for), but never
        # written over a rule file, a ledger, through a link or into a folder of that name
        write_output(out_dir / name, text.encode("utf-8"), inputs=read, force=True)
        click.echo(label("authoring.wrote", lang, path=(out_dir / name).as_posix()))
    return EXIT_OK


@click.command("init")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--period",
    default=None,
    help="The period of the targets: a year (2025) or a school year (2025-2026); default: this year.",
)
@click.option(
    "--agency",
    metavar="NAME",
    help="The agency's name, for titles, the README and the report header's issuing body (default: 'Cơ quan', "
    "and the header left for you to fill in).",
)
@click.option("--force", is_flag=True, help="Overwrite files of an earlier init in FOLDER.")
@LANG_OPTION
@guarded
def init_command(folder: Path, period: str | None, agency: str | None, force: bool, lang: str) -> int:
    """Create an agency folder: example targets, a facts workbook template, schemas, a README."""
    import datetime as dt

    from thidua.evaluator.authoring.scaffold import scaffold
    from thidua.evaluator.documents.word import TEMPLATE_NAME, shipped_template
    from thidua.rules.errors import Location, fail
    from thidua.rules.limits import FIRST_PERIOD, LAST_PERIOD
    from thidua.rules.periods import calendar_year, parse_period

    chosen = calendar_year(dt.date.today().year) if period is None else parse_period(period)
    if chosen is None and period is not None and period.strip().isdigit():  # a year, out of range
        raise fail("rules.period_range", Location("--period"), period=period, first=FIRST_PERIOD, last=LAST_PERIOD)
    if chosen is None:  # the rule `validate` applies to the file written: a year or a school year
        raise fail("rules.bad_period", Location("--period"), value=period)
    # the Word template an admin may edit (documents) is checked and written with the rest
    extra = {TEMPLATE_NAME: shipped_template()}
    written = scaffold(folder, chosen, agency, force, extra)
    for p in written:
        click.echo(label("authoring.wrote", lang, path=p.as_posix()))
    click.echo(label("authoring.init_next", lang, folder=folder.as_posix()))
    return EXIT_OK
