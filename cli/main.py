"""The `thidua` command: evaluate targets and print verdicts; user errors exit 2 with located messages."""

from __future__ import annotations

from pathlib import Path

import click

from thidua.cli import EXIT_NOT_MET, EXIT_OK
from thidua.cli.audit import COMMANDS as AUDIT_COMMANDS
from thidua.cli.audit import LEDGER_OPTION, record_run
from thidua.cli.common import FORMAT_OPTION, LANG_OPTION, guarded, input_files
from thidua.cli.console import make_console, progress_bar
from thidua.cli.explain import COMMANDS as EXPLAIN_COMMANDS
from thidua.cli.findings import findings_json, findings_section
from thidua.cli.localized import GROUP_LANG_OPTION, LocalizedGroup
from thidua.cli.render import evaluation_json, evaluation_table, summary_text
from thidua.evaluator.findings import run_findings
from thidua.evaluator.run import run_path


@click.group(cls=LocalizedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="thidua")
@GROUP_LANG_OPTION
def cli() -> None:
    """thidua: judges emulation targets (chỉ tiêu thi đua) from declarative rule files."""


@cli.command("evaluate")
@click.argument("path", type=click.Path(path_type=Path))
@input_files
@FORMAT_OPTION
@LANG_OPTION
@click.option("--fail-on-pending", is_flag=True, help="Exit 1 when a target is pending, as when one is not met.")
@click.option("--no-record", is_flag=True, help="Do not record this run in the ledger (sổ kiểm toán).")
@LEDGER_OPTION
@click.option("--each", is_flag=True, help="Evaluate every agency folder under PATH, in parallel (not recorded).")
@click.option("--jobs", type=click.IntRange(1, 64), default=2, show_default=True, help="Worker processes for --each.")
@guarded
def evaluate_command(
    path: Path,
    rule_files: tuple[Path, ...],
    fact_files: tuple[Path, ...],
    fmt: str,
    lang: str,
    fail_on_pending: bool,
    no_record: bool,
    ledger: Path | None,
    each: bool,
    jobs: int,
) -> int:
    """Evaluate the targets in PATH (a folder of *.rules.yaml and *.facts.yaml files, or one file)."""
    if each:
        from thidua.cli.province import evaluate_each_command

        if rule_files or fact_files:
            raise click.UsageError("--each evaluates each folder's own files: drop --rules and --facts")
        return evaluate_each_command(path, jobs, fmt, lang)
    with progress_bar(lang):
        run = run_path(path, rule_files, fact_files)
    if not no_record:
        record_run(run, path, ledger, lang)
    result = run.evaluation
    findings = run_findings(run.rules, run.derivation, result)  # never change a verdict or the exit code
    if fmt == "json":
        click.echo(evaluation_json(result, lang, findings_json(findings, lang)), nl=False)
    else:
        console = make_console()
        console.print(evaluation_table(result, lang))
        console.print(summary_text(result, lang))
        for line in findings_section(findings, lang):
            console.print(line)
    summary = result.summary()
    failed = summary["not_met"] + summary["error"] + (summary["pending"] if fail_on_pending else 0)
    return EXIT_NOT_MET if failed else EXIT_OK


# Commands of other modules register here, one line each.
#
# criteria:
from thidua.cli.candidates import candidates_command  # noqa: E402

cli.add_command(candidates_command)
#
# explain and audit:
for _command in (*EXPLAIN_COMMANDS, *AUDIT_COMMANDS):
    cli.add_command(_command)
#
# authoring:
from thidua.cli.authoring import init_command, schema_command, test_command, validate_command  # noqa: E402

cli.add_command(validate_command)
cli.add_command(test_command)
cli.add_command(schema_command)
cli.add_command(init_command)
#
# documents:
from thidua.cli.report import report_command  # noqa: E402

cli.add_command(report_command)
#
# emulation blocks:
from thidua.cli.block import block_command  # noqa: E402

cli.add_command(block_command)
#
# first-hour:
from thidua.cli.example import example_command  # noqa: E402

cli.add_command(example_command)
#
# draft and pledge:
from thidua.cli.drafting import COMMANDS as DRAFTING_COMMANDS  # noqa: E402

for _command in DRAFTING_COMMANDS:
    cli.add_command(_command)
#


def main() -> None:
    cli(prog_name="thidua")


if __name__ == "__main__":  # pragma: no cover
    main()
