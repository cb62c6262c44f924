"""The `thidua` command: evaluate targets and print verdicts; user errors exit 2 with located messages."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click

from thidua.cli.localized import GROUP_LANG_OPTION, LocalizedGroup

# Commands load their module only when they run: `thidua --help` lists them (in Vietnamese from
# cli.labels.HELP_VI, cli/localized.py) without importing the evaluator, the engine or pydantic
# (start-up under 0.2 s, docs/benchmarks.md). Each entry: the module and attribute of the command.
# A new command: one entry here (rather than `cli.add_command`, which would import it at start-up);
# tests/test_cli_startup.py checks the table against the commands and what --help imports.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "audit": ("thidua.cli.audit", "audit_group"),
    "block": ("thidua.cli.block", "block_command"),
    "candidates": ("thidua.cli.candidates", "candidates_command"),
    "draft": ("thidua.cli.drafting", "draft_command"),
    "evaluate": ("thidua.cli.main", "evaluate_command"),
    "example": ("thidua.cli.example", "example_command"),
    "explain": ("thidua.cli.explain", "explain_command"),
    "init": ("thidua.cli.authoring", "init_command"),
    "pledge": ("thidua.cli.drafting", "pledge_command"),
    "report": ("thidua.cli.report", "report_command"),
    "schema": ("thidua.cli.authoring", "schema_command"),
    "serve": ("thidua.cli.serve", "serve_command"),
    "test": ("thidua.cli.authoring", "test_command"),
    "validate": ("thidua.cli.authoring", "validate_command"),
}


class LazyGroup(LocalizedGroup):
    """The localized group whose commands are imported when one runs (or its own help is asked)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*LAZY_COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = LAZY_COMMANDS.get(cmd_name)
        if cmd_name not in self.commands and entry is not None:
            command = getattr(importlib.import_module(entry[0]), entry[1])
            if not isinstance(command, click.Command):  # pragma: no cover - a wrong table entry
                raise TypeError(f"{entry[0]}.{entry[1]} is not a click command")
            self.add_command(command, cmd_name)  # localized by the group, as every command
        return super().get_command(ctx, cmd_name)


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """`thidua --version` in the language of the command line ("thidua, phiên bản 1.0.0")."""
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import version

    from thidua.cli.labels import label
    from thidua.cli.localized import help_lang

    click.echo(label("help.version", help_lang(ctx), prog=ctx.find_root().info_name, version=version("thidua")))
    ctx.exit()


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
@GROUP_LANG_OPTION
def cli() -> None:
    """thidua: judges emulation targets (chỉ tiêu thi đua) from declarative rule files."""


def build_evaluate_command() -> click.Command:
    """The evaluate command, built on first use: its options come from modules that load the evaluator."""
    from thidua.cli.common import FORMAT_OPTION, LANG_OPTION, guarded, input_files
    from thidua.cli.recording import LEDGER_OPTION

    @click.command("evaluate")
    @click.argument("path", type=click.Path(path_type=Path))
    @input_files
    @FORMAT_OPTION
    @LANG_OPTION
    @click.option("--fail-on-pending", is_flag=True, help="Exit 1 when a target is pending, as when one is not met.")
    @click.option("--no-record", is_flag=True, help="Do not record this run in the ledger (sổ kiểm toán).")
    @LEDGER_OPTION
    @click.option("--each", is_flag=True, help="Evaluate every agency folder under PATH, in parallel (not recorded).")
    @click.option(
        "--jobs", type=click.IntRange(1, 64), default=2, show_default=True, help="Worker processes for --each."
    )
    @click.option(
        "--all",
        "show_all",
        is_flag=True,
        help="JSON: list the id of every entity of every reason (default: the first 25 and how many more).",
    )
    @click.option("--pretty", is_flag=True, help="JSON: indent it for people (the default on a terminal only).")
    @guarded
    def evaluate_command(**options: Any) -> int:
        """Evaluate the targets in PATH (a folder of *.rules.yaml and *.facts.yaml files, or one file)."""
        return evaluate(**options)

    return evaluate_command


def evaluate(
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
    show_all: bool = False,
    pretty: bool = False,
) -> int:
    """The body of `thidua evaluate`: run, record, print the table or the JSON, return the exit code."""
    from thidua.cli import EXIT_NOT_MET, EXIT_OK
    from thidua.cli.console import make_console, progress_bar
    from thidua.cli.findings import findings_section
    from thidua.cli.recording import say_recorded
    from thidua.cli.regime import regime_lines
    from thidua.cli.render import evaluation_table, summary_text, wants_pretty
    from thidua.evaluator.app.evaluation import evaluate as evaluate_path
    from thidua.evaluator.app.evaluation import evaluation_json_bytes, run_findings_json
    from thidua.evaluator.app.ledgers import FolderLedgers

    if each:
        from thidua.cli.province import evaluate_each_command

        if rule_files or fact_files:
            raise click.UsageError("--each evaluates each folder's own files: drop --rules and --facts")
        return evaluate_each_command(path, jobs, fmt, lang)
    with progress_bar(lang):
        done = evaluate_path(path, rule_files, fact_files, record_run=not no_record, ledgers=FolderLedgers(ledger))
    if done.recording is not None:
        say_recorded(done.recording, lang)
    run, result = done.run, done.evaluation
    # findings never change a verdict or the exit code
    if fmt == "json":
        found = run_findings_json(run, lang, every_id=show_all)
        data = evaluation_json_bytes(result, lang, found, every_id=show_all, pretty=wants_pretty(pretty))
        click.echo(data, nl=False)
    else:
        findings = done.findings()
        console = make_console()
        console.print(evaluation_table(result, lang))
        console.print(summary_text(result, lang))
        for text in regime_lines(result.criteria, lang):
            console.print(text)
        for line in findings_section(findings, lang):
            console.print(line)
    return EXIT_NOT_MET if done.failed(fail_on_pending) else EXIT_OK


def __getattr__(name: str) -> Any:
    """`thidua.cli.main.evaluate_command` is built on first access (PEP 562), then kept."""
    if name == "evaluate_command":
        command = globals()["evaluate_command"] = build_evaluate_command()
        return command
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    from thidua.cli.streams import prepare_streams

    prepare_streams()
    cli(prog_name="thidua")


if __name__ == "__main__":  # pragma: no cover
    main()
