"""Compares drafted targets with a rule file by meaning: measure, requirement, kinds and titles.

Ids, titles and wording do not count; two targets mean the same when their resolved measures (kind,
conditions, attribute, proposals counted or not) and requirements (operator and value) are equal.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thidua.rules.lint import measure_key
from thidua.rules.loader import load_rules
from thidua.rules.ruleset import ResolvedTarget, RuleSet


@dataclass(frozen=True)
class Difference:
    """One difference in meaning: a target only one side has, or the same measure required differently."""

    kind: str  # "only_draft", "only_rules", "requirement", "proposals" (counted on one side only)
    draft: str | None  # the drafted target's id
    rules: str | None  # the rule file's target id
    detail: str


def meaning(target: ResolvedTarget) -> Any:
    return measure_key(target.measure)


def requirement(target: ResolvedTarget) -> tuple[str, tuple[Any, ...]]:
    return (target.threshold.op, target.threshold.values)


def compare(drafted: RuleSet, existing: RuleSet) -> list[Difference]:
    """The differences in meaning between the drafted targets and a rule file's, in the file's order."""
    out: list[Difference] = []
    pool = list(drafted.targets)
    for target in existing.targets:
        same = [d for d in pool if meaning(d) == meaning(target)]
        if not same:
            near = next((d for d in pool if _decided(meaning(d)) == _decided(meaning(target))), None)
            if near is not None:  # the same measure but for proposed awards, counted on one side only
                pool.remove(near)
                counted = "count_proposed" if target.spec.count_proposed else "—"
                in_draft = "count_proposed" if near.spec.count_proposed else "—"
                out.append(Difference("proposals", near.id, target.id, f"{in_draft} ≠ {counted}"))
                continue
            out.append(Difference("only_rules", None, target.id, target.spec.title))
            continue
        exact = next((d for d in same if requirement(d) == requirement(target)), None)
        if exact is not None:
            pool.remove(exact)
            continue
        other = same[0]
        pool.remove(other)
        detail = f"{_shown(other)} ≠ {_shown(target)}"
        out.append(Difference("requirement", other.id, target.id, detail))
    out.extend(Difference("only_draft", d.id, None, d.spec.title) for d in pool)
    return out


def _decided(key: Any) -> Any:
    """A measure's key with every title's state left out (proposals counted or not)."""
    if isinstance(key, tuple):
        if len(key) == 3 and key[0] == "title":
            return ("title", key[1])
        return tuple(_decided(k) for k in key)
    return key


def _shown(target: ResolvedTarget) -> str:
    th = target.threshold
    return f"{th.op} {', '.join(str(v) for v in th.shown)}"


def load_text(text: str, name: str = "draft.rules.yaml") -> RuleSet:
    """A rule set from a rule file's text (the draft), loaded as any file is."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        return load_rules([path], Path(folder))
