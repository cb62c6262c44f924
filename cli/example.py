"""`thidua example`: list the example agency folders shipped with thidua, or copy one to try and edit."""

from __future__ import annotations

from pathlib import Path

import click
from rich.text import Text

from thidua.cli import EXIT_OK
from thidua.cli.common import LANG_OPTION, guarded
from thidua.cli.console import make_console
from thidua.cli.labels import label
from thidua.evaluator.authoring.examples import copy_example, examples


def complete_example(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion of NAME: the shipped examples."""
    return [e.name for e in examples() if e.name.startswith(incomplete)]


@click.command("example")
@click.argument("name", required=False, shell_complete=complete_example)
@click.argument("dest", required=False, type=click.Path(path_type=Path))
@LANG_OPTION
@guarded
def example_command(name: str | None, dest: Path | None, lang: str) -> int:
    """List the examples shipped with thidua (no NAME), or copy example NAME into DEST (default: ./NAME)
    to try it and edit it."""
    console = make_console(soft_wrap=True)
    if name is None:
        console.print(Text(label("example.list_head", lang), style="bold"))
        for e in examples():
            console.print(f"  {e.name}: {e.title} ({label('example.periods', lang, periods=', '.join(e.periods))})")
        console.print(label("example.list_hint", lang))
        return EXIT_OK
    target, written = copy_example(name, dest)
    console.print(label("example.copied", lang, n=len(written), path=target.as_posix()))
    first = next((p for p in sorted(target.iterdir()) if p.is_dir()), target)
    console.print(label("example.next", lang, path=first.as_posix()))
    return EXIT_OK
