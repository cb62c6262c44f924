"""Finds the rule and fact files of an agency folder (or takes the files the user names)."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from thidua.rules.errors import Location, fail

RULE_SUFFIXES = (".rules.yaml", ".rules.yml", ".rules.json")
BLOCK_FILE = "block.rules.yaml"  # an emulation block's file (rules/scoring.py), never an agency's rule file
FACT_SUFFIXES = (".facts.yaml", ".facts.yml", ".facts.json", ".facts.xlsx", ".facts.csv")


@dataclass(frozen=True)
class Inputs:
    base: Path  # paths in messages and reports are shown relative to this folder
    rules: tuple[Path, ...]
    facts: tuple[Path, ...]


def _is(path: Path, suffixes: Sequence[str]) -> bool:
    return path.name.lower().endswith(tuple(suffixes))


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:  # a link to nowhere, a link loop
        return False


def discover(path: Path, rules: Sequence[Path] = (), facts: Sequence[Path] = ()) -> Inputs:
    """Rule files `*.rules.yaml` and fact files `*.facts.yaml|json|xlsx|csv` of a folder, plus named files."""
    if not path.exists():
        raise fail("file.missing", Location(path.as_posix()), path=path.as_posix())
    for named in (*rules, *facts):
        if not named.exists():
            raise fail("file.missing", Location(named.as_posix()), path=named.as_posix())
    if path.is_dir():
        base = path
        entries = sorted(p for p in path.iterdir() if _is(p, (*RULE_SUFFIXES, *FACT_SUFFIXES)))
        for p in entries:
            # a FIFO, a device or a broken link named like an input is said, not skipped in silence
            if not p.name.startswith("~$") and not _regular(p):
                shown = p.name
                if p.is_dir():
                    raise fail("file.is_directory", Location(shown), path=shown)
                raise fail("input.not_regular", Location(shown), path=shown)
        found_rules = [p for p in entries if _is(p, RULE_SUFFIXES) and p.name.lower() != BLOCK_FILE]
        found_facts = [p for p in entries if _is(p, FACT_SUFFIXES) and not p.name.startswith("~$")]
    else:
        base = path.parent
        if _is(path, RULE_SUFFIXES):
            found_rules, found_facts = [path], []
        elif _is(path, FACT_SUFFIXES):
            found_rules, found_facts = [], [path]
        else:
            raise fail("path.unknown_file_type", Location(path.as_posix()), path=path.as_posix())
    all_rules = tuple(dict.fromkeys([*found_rules, *rules]))
    all_facts = tuple(dict.fromkeys([*found_facts, *facts]))
    if not all_rules:
        if path.is_dir() and (path / BLOCK_FILE).is_file():  # a block folder given where an agency is expected
            raise fail("path.block_folder", Location(path.as_posix()), path=path.as_posix())
        raise fail("path.no_rules", Location(path.as_posix()), path=path.as_posix())
    return Inputs(base, all_rules, all_facts)
