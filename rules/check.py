"""Checks rule files as far as they go: every problem of every stage in one list, for `validate`.

`loader.load_rules` stops after a stage that found problems (a rule set with a broken target is of
no use to an evaluation). An admin fixing files wants them all at once, so this module drops what
fails to parse (a target with a typo, a key that does not exist) and keeps checking the rest:
references, levels, thresholds. The strict loader stays the judge of whether rules load; the
problems found here are added to its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from thidua.rules.errors import Location, Problem, UserError
from thidua.rules.loader import RuleCollector, extend_kinds, load_rules, read_rule_data, register, validation_problems
from thidua.rules.model import KindExtension, RuleFile
from thidua.rules.periods import parse_period
from thidua.rules.ruleset import Resolver, RuleSet
from thidua.rules.source import PosDict, PosList, display_path

SECTIONS = ("scales", "kinds", "titles", "targets")
DECLARATIONS = ("scales", "kinds", "titles")


@dataclass
class RulesCheck:
    """What checking the rule files found: the rule set when it loads, and every problem."""

    rules: RuleSet | None  # the strictly loaded rule set, or None
    partial: RuleSet | None  # what could be resolved, for checking facts and lint when rules do not load
    problems: list[Problem] = field(default_factory=list)
    declarations_ok: bool = False  # scales, kinds and titles parsed and resolved cleanly


def _prune(data: Any, errors: Sequence[Any]) -> Any:
    """A copy of a rule document without the items and keys pydantic rejected."""
    bad_items: set[tuple[str, int]] = set()
    bad_keys: set[str] = set()
    for err in errors:
        loc = err["loc"]
        if len(loc) >= 2 and loc[0] in SECTIONS and isinstance(loc[1], int):
            bad_items.add((str(loc[0]), loc[1]))
        elif loc and isinstance(loc[0], str):
            bad_keys.add(loc[0])
    out = PosDict()
    out.loc, out.key_locs, out.value_locs = data.loc, {}, {}
    for key, value in data.items():
        if key in bad_keys:
            continue
        if key in SECTIONS and isinstance(value, PosList):
            kept = PosList()
            kept.loc, kept.item_locs = value.loc, []
            for i, item in enumerate(value):
                if (key, i) not in bad_items:
                    kept.append(item)
                    kept.item_locs.append(value.item_locs[i])
            value = kept
        out[key] = value
        out.key_locs[key] = data.key_locs[key]
        out.value_locs[key] = data.value_locs[key]
    return out


def parse_lenient(path: Path, shown: str) -> tuple[RuleFile | None, Any, list[Problem], set[str]]:
    """Parse a rule file, dropping what does not validate; returns the sections that lost items."""
    data: Any = read_rule_data(path, shown)
    problems: list[Problem] = []
    damaged: set[str] = set()
    for _ in range(5):
        try:
            return RuleFile.model_validate(data), data, problems, damaged
        except ValidationError as exc:
            errors = exc.errors()
            if not problems:
                problems = validation_problems(exc, data, shown)
            damaged.update(str(e["loc"][0]) for e in errors if e["loc"])
            data = _prune(data, errors)
    return None, data, problems, damaged


class _LenientCollector(RuleCollector):
    """The loader's collector, parsing leniently so one bad target does not hide the others."""

    def __init__(self) -> None:
        super().__init__()
        self.damaged: set[str] = set()

    def parse(self, path: Path, shown: str) -> tuple[RuleFile, Any] | None:
        try:
            model, data, found, damaged = parse_lenient(path, shown)
        except UserError as exc:
            self.problems.extend(exc)
            self.damaged.update(SECTIONS)
            return None
        self.problems.items.extend(found)
        self.damaged.update(damaged)
        if model is None:
            self.damaged.update(SECTIONS)
            return None
        return model, data

    def unresolved_use(self) -> None:
        self.damaged.update(SECTIONS)


def check_rules(paths: Sequence[Path], base: Path | None = None) -> RulesCheck:
    """Every problem of the rule files, whether or not they load; the rule set when they do."""
    strict: RuleSet | None = None
    problems: list[Problem] = []
    try:
        strict = load_rules(paths, base)
    except UserError as exc:
        problems.extend(exc.problems)
    collector = _LenientCollector()
    for path in paths:
        collector.load(path, display_path(path, base))
    found = collector.problems
    registries: dict[str, dict[str, Any]] = {s: {} for s in SECTIONS}
    extensions: list[KindExtension] = []
    for _shown_path, model in collector.files:
        for section in SECTIONS:
            items = getattr(model, section)
            if section == "kinds":
                extensions.extend(k for k in items if isinstance(k, KindExtension))
                items = [k for k in items if not isinstance(k, KindExtension)]
            register(registries[section], items, section[:-1], found)
    extend_kinds(registries["kinds"], extensions, found)
    before = len(found.items)
    resolver = Resolver(registries["scales"], registries["kinds"], registries["titles"], found)
    resolver.check_declarations()
    declarations_ok = len(found.items) == before and not (collector.damaged & set(DECLARATIONS))
    targets = []
    if len(found.items) == before:
        for target in registries["targets"].values():
            resolved = resolver.target(target)
            if resolved is not None:
                targets.append(resolved)
    period = next((parse_period(m.period) for _, m in collector.files if m.period is not None), None)
    partial = RuleSet(
        period, registries["scales"], registries["kinds"], registries["titles"], targets, files=dict(collector.texts)
    )
    if strict is not None:
        partial = strict
    return RulesCheck(strict, partial, merge(problems, found.items), declarations_ok or strict is not None)


def merge(*lists: Sequence[Problem]) -> list[Problem]:
    """Problems from several passes, each once, in file order."""
    seen: set[tuple[str, Location, str]] = set()
    out: list[Problem] = []
    for items in lists:
        for p in items:
            key = (p.code, p.location, repr(sorted(p.params.items(), key=lambda kv: kv[0])))
            if key not in seen:
                seen.add(key)
                out.append(p)
    return sorted(
        out, key=lambda p: (p.location.file, p.location.sheet or "", p.location.line, p.location.column, p.code)
    )


__all__ = ["RulesCheck", "check_rules", "merge"]
