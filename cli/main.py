"""The `thidua` command: evaluate targets and print verdicts; user errors exit 2 with located messages."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from thidua.cli import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_NOT_MET, EXIT_OK
from thidua.cli.labels import label
from thidua.cli.render import evaluation_json, evaluation_table, print_problems, problems_json, summary_text
from thidua.evaluator.evaluate import evaluate
from thidua.evaluator.facts import load_facts, no_facts
from thidua.evaluator.inputs import discover
from thidua.rules.errors import UserError
from thidua.rules.loader import load_rules

LANG_OPTION = click.option(
    "--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True, help="Language of labels and messages."
)


def guarded(func: Callable[..., int]) -> Callable[..., None]:
    """Run a command body: user errors print located messages and exit 2; nothing shows a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        lang = kwargs.get("lang", "vi")
        fmt = kwargs.get("fmt", "table")
        try:
            code = func(*args, **kwargs)
        except UserError as exc:
            if fmt == "json":
                click.echo(problems_json(exc, lang), nl=False)
            print_problems(Console(stderr=True, highlight=False), exc, lang)
            sys.exit(EXIT_BAD_INPUT)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the last guard: a message, never a traceback
            Console(stderr=True).print(label("internal", lang, kind=type(exc).__name__, detail=exc), style="bold red")
            sys.exit(EXIT_INTERNAL)
        sys.exit(code)

    return wrapper


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
    inputs = discover(path, rule_files, fact_files)
    rules = load_rules(inputs.rules, inputs.base)
    facts = load_facts(inputs.facts, rules, inputs.base) if inputs.facts else no_facts(rules)
    result = evaluate(rules, facts)
    if fmt == "json":
        click.echo(evaluation_json(result, lang), nl=False)
    else:
        console = Console(highlight=False)
        console.print(evaluation_table(result, lang))
        console.print(summary_text(result, lang))
    summary = result.summary()
    failed = summary["not_met"] + summary["error"] + (summary["pending"] if fail_on_pending else 0)
    return EXIT_NOT_MET if failed else EXIT_OK


def main() -> None:
    cli(prog_name="thidua")


if __name__ == "__main__":  # pragma: no cover
    main()
