"""What `draft --use` names: a shipped pack, a rule or declaration file, or an agency folder.

Its kinds, scales, titles, attributes and aliases are the draft's vocabulary, and the drafted file
builds on it: a pack by name, a file without targets by a relative `use:` path the rule language
accepts from where the drafted file is written. A rule file holding targets of its own cannot be
`use:`d (its targets would count twice, its period clash): the drafted file carries its declarations
instead, and builds on what that file uses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from thidua.rules.drafting.emit import DECLARATIONS, Basis
from thidua.rules.drafting.sentences import Period
from thidua.rules.errors import Location, fail, suggest
from thidua.rules.loader import PACK_PREFIX, load_rules, parse_rule_file, shipped_packs
from thidua.rules.ruleset import RuleSet
from thidua.rules.source import agency_folder, inside


@dataclass(frozen=True)
class Source:
    """The rule set `--use` names (the vocabulary) and the files it was loaded from (packs by name)."""

    rules: RuleSet
    pack: str | None  # a shipped pack's name, else None
    files: tuple[Path, ...]  # the rule or declaration files named (a folder's *.rules.yaml)

    def basis(self, at: Path | None, period: Period | None) -> Basis:
        """What a drafted file of `period` written in folder `at` builds on: relative `use:` paths from
        `at` (absolute ones when `at` is None: a draft loaded where it stands, for `--check`)."""
        if self.pack is not None:
            return Basis([self.pack])
        out = Basis([])
        seen: set[Path] = set()
        for path in self.files:
            _add(path, at, period, out, seen)
        return out


def load_source(use: str) -> Source:
    """The vocabulary `--use` names; a located message (exit 2) when it names nothing, or a file that
    does not load."""
    packs = shipped_packs()
    if use in packs and not Path(use).exists():
        with resources.as_file(resources.files("thidua.rules.packs") / f"{use}.yaml") as path:
            return Source(load_rules([Path(path)]), use, ())
    path = Path(use)
    if path.is_dir():
        files = tuple(sorted(path.glob("*.rules.yaml")))
        if not files:
            raise fail("draft.use_no_rules", Location(path.as_posix()))
        return Source(load_rules(list(files), path), None, files)
    if path.is_file():
        return Source(load_rules([path], path.parent), None, (path,))
    raise fail("draft.use_missing", Location("--use"), suggest(use, packs), use=use, packs=", ".join(packs))


def _add(path: Path, at: Path | None, period: Period | None, out: Basis, seen: set[Path]) -> None:
    """`use:` the file when it holds no targets (and no other period), else carry its declarations
    and build on what it uses, recursively."""
    real = path.resolve()
    if real in seen:
        return
    seen.add(real)
    model, _data, _text = parse_rule_file(path, path.as_posix())
    loaded = load_rules([path], path.parent)  # with what it uses: targets reached through `use:` count
    own_period = str(loaded.period) if loaded.period is not None else None
    if not loaded.targets and (own_period is None or own_period == str(period)):
        entry = _entry(real, at)
        if entry not in out.use:
            out.use.append(entry)
        return
    for name in model.use:
        if name.endswith((".yaml", ".yml", ".json")) or "/" in name or "\\" in name:
            _add(path.parent / name, at, period, out, seen)
        elif name not in out.use:
            out.use.append(name.removeprefix(PACK_PREFIX))
    declared = model.model_dump(by_alias=True, exclude_defaults=True, exclude_none=True, include=set(DECLARATIONS))
    if any(declared.get(key) for key in DECLARATIONS):
        for key in DECLARATIONS:
            out.declarations.setdefault(key, []).extend(_plain(declared.get(key, [])))
        out.carried.append(path.name)


def _entry(real: Path, at: Path | None) -> str:
    """A `use:` path to `real` from a file in folder `at`: relative, and inside the agency folder the
    rule language lets that file reach (else a message saying where to write the draft)."""
    if at is None:
        return real.as_posix()
    root = agency_folder(at)
    if not inside(real, root):
        raise fail("draft.use_outside", Location("--use"), file=real.as_posix(), folder=at.as_posix(), root=root)
    return Path(os.path.relpath(real, at.resolve())).as_posix()


def _plain(value: Any) -> Any:
    """Dumped model data as plain lists and dicts (what the YAML emitter writes)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
