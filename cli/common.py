"""Shared pieces of the commands: the language option and the guard that turns errors into exit codes."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from thidua.cli import EXIT_BAD_INPUT, EXIT_INTERNAL
from thidua.cli.console import make_console
from thidua.cli.labels import label
from thidua.cli.localized import default_lang
from thidua.cli.render import print_problems, problems_json
from thidua.rules.errors import UserError

LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(["vi", "en"]),
    default=default_lang,
    help="Language of labels, messages and help: vi (default) or en; also the THIDUA_LANG setting.",
)

# Every command that writes a document takes it (evaluator/output.py): an existing file is replaced
# only when asked.
FORCE_OPTION = click.option("--force", is_flag=True, help="Replace the output file if it already exists.")


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
            print_problems(make_console(stderr=True), exc, lang)
            sys.exit(EXIT_BAD_INPUT)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the last guard: a message, never a traceback
            make_console(stderr=True).print(
                label("internal", lang, kind=type(exc).__name__, detail=exc), style="bold red"
            )
            sys.exit(EXIT_INTERNAL)
        sys.exit(code)

    return wrapper


def input_files(func: Callable[..., Any]) -> Callable[..., Any]:
    """The --rules and --facts options every command that reads an agency folder takes."""
    func = click.option(
        "--facts",
        "fact_files",
        multiple=True,
        type=click.Path(path_type=Path),
        help="A fact file (*.facts.yaml, .json, .xlsx or .csv); repeatable.",
    )(func)
    return click.option(
        "--rules",
        "rule_files",
        multiple=True,
        type=click.Path(path_type=Path),
        help="A rule file (*.rules.yaml); repeatable.",
    )(func)


def format_option(human: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--format: `human` (a table, a tree) for people, or json for programs."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice([human, "json"]),
        default=human,
        show_default=True,
        help=f"Output format: a {human} for people, JSON for programs.",
    )


FORMAT_OPTION = format_option("table")
