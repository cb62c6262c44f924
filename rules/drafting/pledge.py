"""Targets back as the sentences a pledge uses, for next year's registration (`thidua pledge`, report Phần II).

`pledge_sentence(target, rules)` is the one entry point: "Phấn đấu có trên 02 cá nhân đạt danh hiệu
Chiến sĩ thi đua cơ sở". Counts are written with two digits, as pledges write them; labels come from
the packs. `thidua draft` reads every sentence this module writes back to the same meaning.
"""

from __future__ import annotations

from fractions import Fraction

from thidua.rules.drafting.vocabulary import percent_text
from thidua.rules.formatting import two_digits
from thidua.rules.ruleset import PAll, PAttr, Pred, PTitle, ResolvedTarget, RuleSet

# How a pledge names the entities of a kind when it counts them.
NOUNS = {"person": "cá nhân", "unit": "tập thể phòng", "organization": "Cơ quan"}
POPULATION = {"person": "công chức, người lao động"}


def pledge_sentence(target: ResolvedTarget, rules: RuleSet) -> str:
    """The target as a pledge states it, in Vietnamese."""
    m, th = target.measure, target.threshold
    if m.kind == "level":
        assert m.scale is not None
        level = rules.scales[m.scale].levels[int(th.values[0])].label
        above = " trở lên" if th.op == "gte" else ""
        return f"{_kind_name(m.of, rules)} đạt xếp loại \u201c{level}\u201d{above}"
    if m.kind == "value":
        return _value_sentence(target, rules) or target.spec.title
    if m.kind == "holds":
        assert m.matching is not None
        said = _predicate(m.matching, rules, m.of)
        return f"{_kind_name(m.of, rules)} {said}" if said else target.spec.title
    if m.kind == "share" and m.parts:
        return _levels_sentence(target, rules) or target.spec.title  # else the pledge's own words
    if m.kind == "share":
        assert m.matching is not None
        who = _population(m.of, m.where, rules)
        said = _predicate(m.matching, rules, m.of)
        return f"Phấn đấu có {_share_phrase(th.op, th.values[0])} {who} {said}" if said else target.spec.title
    if m.kind == "count":
        flags, rest = _split(m.where, rules, m.of)
        if th.op in ("lte", "eq") and th.values[0] == 0 and flags and rest is None:
            return f"Không có người {flags[0]}"
        noun = flags[0] if flags else NOUNS.get(m.of, _kind_name(m.of, rules).lower())
        predicate = _predicate(rest, rules, m.of) if rest is not None else ""
        if predicate is None:
            return target.spec.title
        n = _count(th.values[0])
        if th.op == "gt":
            return f"Phấn đấu có trên {n} {noun} {predicate}".rstrip()
        if th.op == "gte":
            return f"Phấn đấu có {n} {noun} trở lên {predicate}".rstrip()
        if th.op == "lte":
            return f"Phấn đấu có không quá {n} {noun} {predicate}".rstrip()
    return target.spec.title  # a measure a pledge has no set phrasing for: its registered title


def _levels_sentence(target: ResolvedTarget, rules: RuleSet) -> str | None:
    """Shares of levels added ("trên 95% công đoàn viên đạt xếp loại “Khá” và “Trung bình”"), when every
    part is one level of one attribute and the levels do not reach the top (then it is `at_least`)."""
    m, th = target.measure, target.threshold
    parts = [p.matching for p in m.parts]
    if not all(isinstance(p, PAttr) and p.op == "eq" for p in parts):
        return None
    attrs = {p.attr for p in parts if isinstance(p, PAttr)}
    decl = rules.attribute(m.of, next(iter(attrs))) if len(attrs) == 1 else None
    if decl is None or decl.scale is None:
        return None
    scale = rules.scales[decl.scale]
    chosen = sorted({int(p.value) for p in parts if isinstance(p, PAttr)})
    if len(chosen) != len(parts) or chosen == list(range(chosen[0], len(scale.levels))):
        return None
    names = " và ".join(f"\u201c{scale.levels[i].label}\u201d" for i in reversed(chosen))
    who = _population(m.of, m.where, rules)
    return f"Phấn đấu có {_share_phrase(th.op, th.values[0])} {who} đạt xếp loại {names}"


def _value_sentence(target: ResolvedTarget, rules: RuleSet) -> str | None:
    """'Cơ quan xếp thứ 15 trở lên', 'Cơ quan đạt điểm trung bình từ 8,5 điểm trở lên'; None for a
    requirement a pledge has no phrasing for (a rank 'better than', a range)."""
    m, th = target.measure, target.threshold
    assert m.attribute is not None
    who = _kind_name(m.of, rules)
    n = _count(th.values[0])
    if m.better == "lower":
        return f"{who} xếp thứ {n} trở lên" if th.op == "lte" else None
    decl = rules.attribute(m.of, m.attribute)
    label = decl.label if decl is not None else m.attribute
    label = label[0].lower() + label[1:]
    unit = f" {m.unit}" if m.unit else ""
    phrase = {"gte": f"từ {n}{unit} trở lên", "gt": f"trên {n}{unit}", "lte": f"không quá {n}{unit}"}.get(th.op)
    return f"{who} đạt {label} {phrase}" if phrase else None


def _kind_name(kind: str, rules: RuleSet) -> str:
    decl = rules.kinds[kind]
    return NOUNS.get(kind) or decl.title.split("(")[0].strip()


def _population(kind: str, where: Pred | None, rules: RuleSet) -> str:
    flags, _ = _split(where, rules, kind)
    if flags:
        return flags[0]
    return POPULATION.get(kind, _kind_name(kind, rules).lower())


def _split(pred: Pred | None, rules: RuleSet, kind: str) -> tuple[list[str], Pred | None]:
    """Yes/no attributes set to true (said as nouns: 'công đoàn viên'), and the rest of the condition."""
    items = list(pred.items) if isinstance(pred, PAll) else [pred] if pred is not None else []
    flags, rest = [], []
    for item in items:
        decl = rules.attribute(kind, item.attr) if isinstance(item, PAttr) else None
        if isinstance(item, PAttr) and decl is not None and decl.type == "boolean" and item.op == "eq" and item.value:
            flags.append(decl.label[0].lower() + decl.label[1:])
        else:
            rest.append(item)
    if not rest:
        return flags, None
    return flags, rest[0] if len(rest) == 1 else PAll(tuple(rest))


def _predicate(pred: Pred, rules: RuleSet, kind: str) -> str | None:
    """The condition on an entity of `kind` as a pledge says it; None for one a pledge has no set
    phrasing for (an `any`, a `not`, a comparison other than 'is' or 'at least'): the target's title is
    said instead."""
    if isinstance(pred, PTitle):
        title = rules.titles[pred.title]
        name = title.title.split("(")[0].strip()
        if title.category == "award":
            return f"được tặng {name}"
        return f"đạt danh hiệu \u201c{name}\u201d"
    if isinstance(pred, PAttr) and pred.op in ("gte", "eq"):
        decl = rules.attribute(kind, pred.attr)
        levels = rules.scales[decl.scale].levels if decl is not None and decl.scale is not None else []
        if isinstance(pred.value, int) and 0 <= pred.value < len(levels):
            label = levels[pred.value].label
            return f"đạt xếp loại \u201c{label}\u201d" + (" trở lên" if pred.op == "gte" else "")
    return None


def _share_phrase(op: str, value: Fraction) -> str:
    text = percent_text(value)
    if op == "gt":
        return f"trên {text}%"
    if op == "lte":
        return f"không quá {text}%"
    return f"{text}%" if value == 1 else f"từ {text}% trở lên"


def _count(value: Fraction) -> str:
    # a fractional count is kept exact (it must draft back to the same value), not rounded as a figure
    return two_digits(int(value)) if value.denominator == 1 else str(float(value)).replace(".", ",")


def pledge_sentences(rules: RuleSet) -> list[tuple[str, str]]:
    """(target id, sentence) for every target of a rule set, in file order."""
    return [(t.id, pledge_sentence(t, rules)) for t in rules.targets]


__all__ = ["pledge_sentence", "pledge_sentences"]
