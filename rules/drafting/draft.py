"""From a pledge's sentences to targets: parse each clause with the pledge grammar, map it to a measure.

A clause the grammar cannot read, or whose words do not fit together (a title the subject cannot
hold, a level no attribute of the subject takes), is kept as an unrecognised sentence with the
reason: a draft never guesses a target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from lark import Token, Tree
from lark.exceptions import LarkError

from thidua.rules.drafting.sentences import Sentence, clauses, find
from thidua.rules.drafting.vocabulary import (
    NumberAttribute,
    Vocabulary,
    build,
    figure,
    id_words,
    parser,
    percent_text,
)
from thidua.rules.limits import MAX_INT_DIGITS
from thidua.rules.names import plain
from thidua.rules.ruleset import RuleSet

OPS = {"above": "gt", "at_least": "gte", "at_most": "lte"}
# When less is better (a rank): "15 trở lên" is 15 or better, "trên 15" better than 15, "không quá 15" no worse.
LOWER_OPS = {"above": "lt", "at_least": "lte", "at_most": "lte"}


@dataclass
class Drafted:
    """One target read from a sentence: the rule file entry, how sure the reading is, and its source."""

    sentence: Sentence
    clause: str
    target: dict[str, Any]
    confidence: float
    notes: list[str] = field(default_factory=list)
    extends: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (kind, attribute) the packs lack


@dataclass
class Unrecognised:
    """A clause that states no target the rule language can say, with why."""

    sentence: Sentence
    clause: str
    reason: str


@dataclass
class Draft:
    """Everything read from one document, by year (None when the document names none)."""

    targets: dict[int | None, list[Drafted]] = field(default_factory=dict)
    unrecognised: dict[int | None, list[Unrecognised]] = field(default_factory=dict)

    def years(self) -> list[int | None]:
        return sorted(set(self.targets) | set(self.unrecognised), key=lambda y: (y is None, y or 0))


class NotATarget(Exception):
    """Why a parsed clause cannot become a target (the words do not fit together)."""


def draft_text(text: str, rules: RuleSet) -> Draft:
    """Read every target sentence of `text` with the vocabulary of `rules` (the packs)."""
    vocab = build(rules)
    out = Draft()
    proposed: dict[int | None, set[tuple[str, str]]] = {}  # (kind, title) the year's results count when proposed
    sentences = find(text)
    for sentence in sentences:
        for clause in clauses(sentence.text):
            if sentence.result:
                proposed.setdefault(sentence.year, set()).update(_proposals(clause, vocab, rules))
                continue
            item = read_clause(clause, sentence, vocab, rules)
            if isinstance(item, Drafted):
                out.targets.setdefault(sentence.year, []).append(item)
            elif item is not None:
                out.unrecognised.setdefault(sentence.year, []).append(item)
    for year, items in out.targets.items():
        for drafted in items:
            _count_proposed(drafted, proposed.get(year, set()))
    for items in out.targets.values():
        _unique_ids(items)
    return out


def read_clause(clause: str, sentence: Sentence, vocab: Vocabulary, rules: RuleSet) -> Drafted | Unrecognised | None:
    """The target a clause states, why it states none, or None for a clause with no target words."""
    tokens, known, words = vocab.tokens(clause)
    if not tokens:
        return None
    if any(t.type in ("NUMBER", "PERCENT") and sum(c.isdigit() for c in t.value) > MAX_INT_DIGITS for t in tokens):
        # as a rule file refuses it (rules/limits.py); no count or share is written with so many digits
        return Unrecognised(sentence, clause, f"có số dài quá {MAX_INT_DIGITS} chữ số, không phải số của một chỉ tiêu")
    try:
        tree = parser().parse(tokens)
    except LarkError:
        shown = " ".join(t.type for t in tokens)
        return Unrecognised(sentence, clause, f"không đọc được câu theo ngữ pháp chỉ tiêu (nhận ra: {shown})")
    body = tree.children[0]
    assert isinstance(body, Tree)
    try:
        target = _target(body, rules, vocab)
    except NotATarget as exc:
        return Unrecognised(sentence, clause, str(exc))
    extend = target.pop("_extend", None)
    target_entry: dict[str, Any] = {"id": target.pop("_id"), "title": clause.strip()}
    if sentence.group:
        target_entry["group"] = sentence.group
    target_entry["reference"] = sentence.place
    target_entry.update(target)
    lead = _lead_words(clause)
    confidence = round(min(1.0, known / max(1, words - lead)), 2)
    return Drafted(sentence, clause, target_entry, confidence, extends=[extend] if extend else [])


def _lead_words(clause: str) -> int:
    """Words before the first figure or known phrase that only introduce a target ("Phấn đấu có")."""
    words = plain(clause).split()
    lead = 0
    for word in words:
        if word in ("phan", "dau", "co", "trong", "do"):
            lead += 1
        else:
            break
    return lead


# --- from a parse tree to a target ---------------------------------------------------------


def _target(tree: Tree[Any], rules: RuleSet, vocab: Vocabulary) -> dict[str, Any]:
    kind = tree.data
    subjects = [w for c in tree.children if isinstance(c, Tree) and c.data == "subject" for w in c.children]
    words = [w for w in subjects if isinstance(w, Token)]
    kinds = [str(w.value) for w in words if w.type == "KIND"]
    flags: list[tuple[str, str]] = [w.value for w in words if w.type == "FLAG"]
    if kind == "value":
        return _value(tree, kinds, flags, rules)
    if kind == "none":
        last = tree.children[-1]
        assert isinstance(last, Token)
        flags.append(last.value)
        holder = _holder(kinds, flags, None, rules)
        where = _flag_conditions(flags, holder)
        return {
            "_id": _ident(holder, ("attributes", flags[-1][1]), "no_"),
            "measure": {"count": {"of": holder, "where": _all(where)}},
            "require": {"lte": 0},
        }
    predicate = next(c for c in tree.children if isinstance(c, Tree) and c.data != "subject" and c.data not in OPS)
    holder = _holder(kinds, flags, predicate, rules)
    condition, name = _condition(predicate, holder, rules, vocab)
    flag_conds = _flag_conditions(flags, holder)
    prefix = flags[0][1] if flags and not kinds else holder
    ident = _ident(prefix, name)
    levels = condition.pop("_levels", None)  # levels that do not reach the top: only shares add them
    if levels is not None and kind != "share":
        raise NotATarget("các mức nêu ra không liền nhau đến mức cao nhất")
    if kind == "single":
        if "has_title" in condition:
            return {"_id": ident, "measure": {"holds": {"of": holder, "condition": condition}}, "require": {"eq": True}}
        attr, level = condition["attr"], condition["at_least"]
        return {"_id": ident, "measure": {"level": {"of": holder, "attribute": attr}}, "require": {"gte": level}}
    req_tree = tree.children[0]
    assert isinstance(req_tree, Tree)
    op = OPS[str(req_tree.data)]
    figure_token = next(t for t in req_tree.children if isinstance(t, Token) and t.type in ("NUMBER", "PERCENT"))
    if kind == "share":
        share: dict[str, Any] = {"of": holder}
        if flag_conds:
            share["where"] = _all(flag_conds)  # who is counted at all: the yes/no attributes named
        value = figure(str(figure_token.value))
        if levels is not None:  # "tỷ lệ Khá và Trung bình": each level's share over the one denominator
            parts = [{"share": {**share, "matching": {"attr": condition["attr"], "eq": lv}}} for lv in levels]
            return {"_id": ident, "measure": {"sum": parts}, "require": {op: _percent(value)}}
        share["matching"] = condition
        return {"_id": ident, "measure": {"share": share}, "require": {op: _percent(value)}}
    count = figure(str(figure_token.value))
    return {
        "_id": ident,
        "measure": {"count": {"of": holder, "where": _all([*flag_conds, condition])}},
        "require": {op: _number(count)},
    }


def _value(tree: Tree[Any], kinds: list[str], flags: list[tuple[str, str]], rules: RuleSet) -> dict[str, Any]:
    """A value of a number attribute of one entity: the kind named, else the kind of the pack attribute
    named, else the agency itself (a pledge's sentence without a subject speaks of the agency)."""
    if flags:
        raise NotATarget("giá trị của một thông tin số chỉ nói về một đối tượng, không về một nhóm người")
    token = next(c for c in tree.children if isinstance(c, Token) and c.type == "ATTRIBUTE")
    named: list[NumberAttribute] = list(token.value)
    own = [a.kind for a in named if a.kind is not None]
    holder = kinds[0] if kinds else own[0] if len(own) == 1 and len(named) == 1 else "organization"
    if holder not in rules.kinds:
        raise NotATarget(f"các gói quy tắc không có loại đối tượng '{holder}'")
    chosen = next((a for a in named if a.kind == holder), None) or next((a for a in named if a.kind is None), None)
    if chosen is None:
        raise NotATarget(f"'{named[0].label}' không phải thông tin của '{holder}'")
    declared = rules.attribute(holder, chosen.id)
    extend = None
    if declared is None:
        extend = (holder, {"id": chosen.id, "label": chosen.label, "type": chosen.type})
    elif declared.type not in ("integer", "number"):
        raise NotATarget(f"'{declared.label}' của '{holder}' không phải một số")
    req_tree = next(c for c in tree.children if isinstance(c, Tree) and c.data in OPS)
    number = next(t for t in req_tree.children if isinstance(t, Token) and t.type == "NUMBER")
    op = (LOWER_OPS if chosen.better == "lower" else OPS)[str(req_tree.data)]
    body: dict[str, Any] = {"of": holder, "attribute": chosen.id}
    if chosen.better == "lower":
        body["better"] = "lower"
    if chosen.unit:
        body["unit"] = chosen.unit
    out: dict[str, Any] = {
        "_id": _ident(holder, ("attributes", chosen.id)),
        "measure": {"value": body},
        "require": {op: _number(figure(str(number.value)))},
    }
    if extend is not None:
        out["_extend"] = extend
    return out


def _holder(kinds: list[str], flags: list[tuple[str, str]], predicate: Tree[Any] | None, rules: RuleSet) -> str:
    """The kind the target counts: the first kind named, else the kind of a yes/no attribute named,
    else the one kind that can hold the title named."""
    if kinds:
        return kinds[0]
    if flags:
        return str(flags[0][0])
    if predicate is not None:
        titles = [str(t.value) for t in predicate.children if isinstance(t, Token) and t.type == "TITLE"]
        holders = {h for t in titles for h in rules.titles[t].holders}
        if len(holders) == 1:
            return holders.pop()
    raise NotATarget("không rõ chỉ tiêu nói về ai (cá nhân, tập thể phòng, cơ quan, ...)")


def _flag_conditions(flags: list[tuple[str, str]], holder: str) -> list[dict[str, Any]]:
    out = []
    for kind, attr in flags:
        if kind != holder:
            raise NotATarget(f"'{attr}' không phải thông tin của '{holder}'")
        out.append({"attr": attr, "eq": True})
    return out


def _condition(
    predicate: Tree[Any], holder: str, rules: RuleSet, vocab: Vocabulary
) -> tuple[dict[str, Any], tuple[str, str]]:
    """The condition a predicate states, and what it is about for the target's id: ("titles", code)
    or ("attributes", id)."""
    tokens = [t for t in predicate.children if isinstance(t, Token)]
    if predicate.data in ("holds_title", "awarded_title", "awarded"):
        if predicate.data == "awarded":
            award = next(str(t.value) for t in tokens if t.type == "AWARD")
            givers = [str(t.value) for t in tokens if t.type == "GIVER"]
            if not givers:
                raise NotATarget(f"không rõ ai tặng {award}")
            code = vocab.awards.get((award, givers[0]))
            if code is None:
                raise NotATarget(f"không có hình thức khen thưởng '{award} của {givers[0]}' trong các gói quy tắc")
            titles = [code]
        else:
            titles = [str(t.value) for t in tokens if t.type == "TITLE"]
        for code in titles:
            if holder not in rules.titles[code].holders:
                raise NotATarget(f"'{rules.titles[code].title}' không dành cho '{holder}'")
        conds = [{"has_title": code} for code in titles]
        return (conds[0] if len(conds) == 1 else {"any": conds}), ("titles", titles[0])
    levels = [t.value for t in tokens if t.type == "LEVEL"]
    kind = rules.kinds[holder]
    for attr in kind.attributes:
        if attr.scale is None:
            continue
        chosen = [idx for options in levels for scale, idx in options if scale == attr.scale]
        if len(chosen) == len(levels):
            scale = rules.scales[attr.scale]
            lowest = min(chosen)
            if len(chosen) > 1 and sorted(chosen) != list(range(lowest, len(scale.levels))):
                named = [scale.levels[i].id for i in sorted(set(chosen), reverse=True)]
                return {"attr": attr.id, "_levels": named}, ("attributes", attr.id)
            return {"attr": attr.id, "at_least": scale.levels[lowest].id}, ("attributes", attr.id)
    raise NotATarget(f"'{holder}' không có thông tin xếp loại theo các mức đã nêu")


def _ident(who: str, what: tuple[str, str], prefix: str = "") -> str:
    """A target id from its meaning, `<who>.<what>` (`staff.advanced_workers`), with the words of
    ids.yaml; a code ids.yaml does not name is kept as it is."""
    words = id_words()
    entry = words[what[0]].get(what[1], {})
    group = entry.get("who") or words["who"].get(who, who)
    return f"{group}.{prefix}{entry.get('what', what[1])}"


def _all(conds: list[dict[str, Any]]) -> dict[str, Any]:
    return conds[0] if len(conds) == 1 else {"all": conds}


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


def _percent(value: Fraction) -> str:
    return f"{percent_text(value)}%"


# --- what the report says of its results ----------------------------------------------------


def _proposals(clause: str, vocab: Vocabulary, rules: RuleSet) -> set[tuple[str, str]]:
    """(kind, title) a result clause reports as proposed ("01 cá nhân đề nghị UBND tỉnh tặng Bằng khen")."""
    head = clause.split(",")[0]
    tokens, _, _ = vocab.tokens(head)
    if not any(t.type == "DE_NGHI" for t in tokens):
        return set()
    try:
        tree = parser().parse(tokens)
        body = tree.children[0]
        assert isinstance(body, Tree)
        target = _target(body, rules, vocab)
    except (LarkError, NotATarget):
        return set()
    measure = target["measure"]
    for kind in ("count", "holds", "share"):
        if kind in measure:
            body = measure[kind]
            cond = body.get("where") or body.get("condition") or body.get("matching") or {}
            if "has_title" in cond:
                return {(body["of"], cond["has_title"])}
    return set()


def _count_proposed(drafted: Drafted, proposed: set[tuple[str, str]]) -> None:
    measure = drafted.target["measure"]
    for body in measure.values():
        if not isinstance(body, dict):
            continue  # a sum's parts: levels, no title to be proposed
        cond = body.get("where") or body.get("condition") or body.get("matching") or {}
        if "has_title" in cond and (body["of"], cond["has_title"]) in proposed:
            drafted.target["count_proposed"] = True
            drafted.notes.append("Báo cáo kết quả tính cả trường hợp đã đề nghị khen thưởng là đạt chỉ tiêu.")


def _unique_ids(items: list[Drafted]) -> None:
    """Two targets of one year with the same meaning words: the later ones get `_2`, `_3`, ... (in
    document order, so drafting the same text again gives the same ids)."""
    taken = {item.target["id"] for item in items}
    seen: set[str] = set()
    last: dict[str, int] = {}  # the last suffix given to each id: a suffix is searched from there on
    for item in items:
        ident = item.target["id"]
        if ident in seen:
            n = last.get(ident, 1) + 1
            while f"{ident}_{n}" in taken:
                n += 1
            last[ident] = n
            ident = f"{ident}_{n}"
            item.target["id"] = ident
            taken.add(ident)
        seen.add(ident)


__all__ = ["Draft", "Drafted", "Unrecognised", "draft_text", "read_clause"]
