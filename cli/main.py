"""The `thidua` command: evaluate targets and print verdicts; user errors exit 2 with located messages."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from thidua.cli import EXIT_NOT_MET, EXIT_OK
from thidua.cli.common import LANG_OPTION, guarded
from thidua.cli.render import evaluation_json, evaluation_table, summary_text
from thidua.evaluator.run import run_path


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="thidua")
def cli() -> None:
    """thidua: đánh giá chỉ tiêu thi đua theo quy tắc khai báo (judges emulation targets from declarative rules)."""


@cli.command("evaluate")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--rules", "rule_files", multiple=True, type=click.Path(path_type=Path), help="A rule file (*.rules.yaml); repeatable.")
@click.option("--facts", "fact_files", multiple=True, type=click.Path(path_type=Path), help="A fact file (*.facts.yaml|json); repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@LANG_OPTION
@click.option("--fail-on-pending", is_flag=True, help="Exit 1 when a target is pending, as when one is not met.")
@guarded
def evaluate_command(path: Path, rule_files: tuple[Path, ...], fact_files: tuple[Path, ...], fmt: str, lang: str, fail_on_pending: bool) -> int:
    """Evaluate the targets in PATH (a folder of *.rules.yaml and *.facts.yaml files, or one file)."""
    result = run_path(path, rule_files, fact_files).evaluation
    if fmt == "json":
        click.echo(evaluation_json(result, lang), nl=False)
    else:
        console = Console(highlight=False)
        console.print(evaluation_table(result, lang))
        console.print(summary_text(result, lang))
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
#
# authoring:
#


def main() -> None:
    cli(prog_name="thidua")


if __name__ == "__main__":  # pragma: no cover
    main()
