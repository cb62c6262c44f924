"""Compares drafted targets with a rule file by meaning: measure, requirement, kinds and titles.

Ids, titles and wording do not count; two targets mean the same when their resolved measures (kind,
conditions, attribute, proposals counted or not) and requirements (operator and value) are equal.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from thidua.rules.lint import measure_key
from thidua.rules.loader import load_rules
from thidua.rules.ruleset import PAll, PAny, PAttr, PNot, Pred, PTitle, ResolvedMeasure, ResolvedTarget, RuleSet
from thidua.rules.ruleset import compare as passes


@dataclass(frozen=True)
class Difference:
    """One difference in meaning: a target only one side has, or the same measure required differently."""

    kind: str  # "only_draft", "only_rules", "requirement", "proposals" (counted on one side only)
    draft: str | None  # the drafted target's id
    rules: str | None  # the rule file's target id
    detail: str


def meaning(target: ResolvedTarget, rules: RuleSet | None = None) -> Any:
    """The measure's meaning; with `rules`, a level test written either way counts once ("“Tốt” trở lên"
    of the top level is that level; "Khá" or "Tốt" of a scale ending at "Tốt" is "Khá" trở lên)."""
    return measure_key(_canonical(target.measure, rules) if rules is not None else target.measure)


def _canonical(m: ResolvedMeasure, rules: RuleSet) -> ResolvedMeasure:
    def pred(p: Pred | None) -> Pred | None:
        if p is None or isinstance(p, PTitle):
            return p
        if isinstance(p, PNot):
            item = pred(p.item)
            assert item is not None
            return item.item if isinstance(item, PNot) else PNot(item)  # "không không" is itself
        if isinstance(p, (PAll, PAny)):
            items: list[Pred] = []
            for i in (pred(i) for i in p.items):
                if i is not None:  # an `all` inside an `all` is one `all`; one part is that part
                    items.extend(i.items if isinstance(i, (PAll, PAny)) and type(i) is type(p) else (i,))
            return items[0] if len(items) == 1 else type(p)(tuple(items))
        return _level_test(p, m.of, rules)

    one = _one_share(m, rules)
    if one is not None:
        return replace(one, where=pred(one.where))
    return replace(
        m, where=pred(m.where), matching=pred(m.matching), parts=tuple(_canonical(part, rules) for part in m.parts)
    )


def _one_share(m: ResolvedMeasure, rules: RuleSet) -> ResolvedMeasure | None:
    """Shares of single levels of one scale attribute added over one denominator are the share of those
    levels (an entity has one level: the parts never overlap), "Xuất sắc" + "Tốt" = "Tốt" trở lên."""
    tests = [p.matching for p in m.parts]
    if not m.parts or not all(isinstance(t, PAttr) and t.op == "eq" for t in tests):
        return None
    attrs = {t.attr for t in tests if isinstance(t, PAttr)}
    values = {t.value for t in tests if isinstance(t, PAttr)}
    first = tests[0]
    if len(attrs) != 1 or len(values) != len(tests) or not isinstance(first, PAttr):
        return None
    matching = _level_test(replace(first, op="in", value=tuple(sorted(values))), m.of, rules)
    return replace(m, matching=matching, parts=())


def _level_test(p: PAttr, kind: str, rules: RuleSet) -> PAttr:
    """A test on a scale attribute by the levels it lets through: a run up to the top is `gte`, one
    down to the bottom `lte`, one level `eq`, anything else `in` (in scale order)."""
    decl = rules.attribute(kind, p.attr) if kind in rules.kinds else None
    if decl is None or decl.scale is None:
        return replace(p, value=tuple(sorted(p.value))) if p.op == "in" else p
    top = len(rules.scales[decl.scale].levels) - 1
    every = set(range(top + 1))
    value = p.value
    if p.op == "in":
        accepted = set(value)
    elif p.op == "neq":
        accepted = every - {value}
    else:
        accepted = {i for i in every if passes(p.op, i, value)}
    if not accepted:
        return p
    low, high = min(accepted), max(accepted)
    if accepted == set(range(low, top + 1)):
        return replace(p, op="gte", value=low)
    if accepted == set(range(0, high + 1)):
        return replace(p, op="lte", value=high)
    if len(accepted) == 1:
        return replace(p, op="eq", value=low)
    return replace(p, op="in", value=tuple(sorted(accepted)))


def requirement(target: ResolvedTarget) -> tuple[str, tuple[Any, ...]]:
    return (target.threshold.op, target.threshold.values)


def compare(drafted: RuleSet, existing: RuleSet) -> list[Difference]:
    """The differences in meaning between the drafted targets and a rule file's, in the file's order."""
    out: list[Difference] = []
    pool = list(drafted.targets)
    for target in existing.targets:
        key = meaning(target, existing)
        same = [d for d in pool if meaning(d, drafted) == key]
        if not same:
            near = next((d for d in pool if _decided(meaning(d, drafted)) == _decided(key)), None)
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


def load_text(text: str, name: str = "draft.rules.yaml", uses: Sequence[str] = ()) -> RuleSet:
    """A rule set from a rule file's text (the draft), loaded as any file is. `uses`: the absolute
    paths its `use:` names (a draft loaded where it stands, not where it will be written)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        absolute = [u for u in uses if os.path.isabs(u)]
        root = Path(os.path.commonpath([folder, *absolute])) if absolute else None
        return load_rules([path], Path(folder), use_root=root)
