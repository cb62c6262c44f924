"""Shell completion (bash, zsh, fish through click): agency folders, target ids and title ids.

Each callback reads the rule files the command line names so far and never fails: a folder that
cannot be read simply completes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem

from thidua.evaluator.facts.inputs import RULE_SUFFIXES

SKIPPED_DIRS = {".venv", "venv", "node_modules", "__pycache__", "schemas", "build", "dist"}
SEARCH_DEPTH = 3  # folders below the typed prefix searched for rule files


def _has_rules(folder: Path) -> bool:
    try:
        return any(p.is_file() and p.name.endswith(RULE_SUFFIXES) for p in folder.iterdir())
    except OSError:
        return False


def _folders(base: Path, depth: int) -> Iterator[Path]:
    try:
        entries = sorted(p for p in base.iterdir() if p.is_dir())
    except OSError:
        return
    for p in entries:
        if p.name.startswith(".") or p.name in SKIPPED_DIRS:
            continue
        yield p
        if depth > 1:
            yield from _folders(p, depth - 1)


def agency_folders(incomplete: str) -> list[str]:
    """Folders holding rule files whose path starts with `incomplete` (relative paths stay relative)."""
    head, _, _ = incomplete.rpartition("/")
    base = Path(head or ".")
    found = []
    for folder in _folders(base, SEARCH_DEPTH):
        shown = folder.as_posix() if head else os.path.relpath(folder)
        if shown.startswith(incomplete) and _has_rules(folder):
            found.append(shown)
    return found


def complete_path(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """PATH: the agency folders below what is typed; the shell's own file completion when there are none."""
    folders = agency_folders(incomplete)
    if folders:
        return [CompletionItem(f) for f in folders]
    return [CompletionItem(incomplete, type="file")]


def _rules(ctx: click.Context) -> Any:
    """The rule set of the PATH (and --rules) given so far, or None when it cannot be read."""
    from thidua.evaluator.facts.inputs import discover
    from thidua.rules.loader import load_rules

    path = ctx.params.get("path") or _path_from_words(ctx)
    if path is None:
        return None
    try:
        inputs = discover(Path(path), tuple(Path(p) for p in ctx.params.get("rule_files") or ()))
        return load_rules(inputs.rules, inputs.base)
    except Exception:  # noqa: BLE001 - completion never fails: it completes nothing
        return None


def _path_from_words(ctx: click.Context) -> str | None:
    """PATH from the words typed so far, when click could not parse them (an option still lacks its value)."""
    from click.shell_completion import split_arg_string

    words = split_arg_string(os.environ.get("COMP_WORDS", ""))
    if ctx.info_name not in words:
        return None
    takes_value = {
        name
        for p in ctx.command.params
        if isinstance(p, click.Option) and not p.is_flag and not p.count
        for name in p.opts
    }
    rest = words[words.index(ctx.info_name) + 1 :]
    i = 0
    while i < len(rest):
        word = rest[i]
        if word in takes_value:
            i += 2
            continue
        if not word.startswith("-"):
            return word
        i += 1
    return None


def complete_target(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """TARGET of `explain`: the target ids of the rule files in PATH."""
    rules = _rules(ctx)
    if rules is None:
        return []
    return [t.id for t in rules.targets if t.id.startswith(incomplete)]


def complete_title(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """--title of `candidates`: the titles that have criteria in the rule files of PATH."""
    rules = _rules(ctx)
    if rules is None or rules.criteria is None:
        return []
    return sorted({c.title for c in rules.criteria.criteria if c.title.startswith(incomplete)})
