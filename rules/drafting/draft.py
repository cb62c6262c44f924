"""From a pledge's sentences to targets: parse each clause with the pledge grammar, map it to a measure.

A clause the grammar cannot read, or whose words do not fit together (a title the subject cannot
hold, a level no attribute of the subject takes, a level two attributes could mean), is kept as an
unrecognised sentence with the reason and the words read: a draft never guesses a target. Where a
reading had to choose between meanings (one level said alone, "và" between titles), the target
says which reading it took and its confidence says it is not sure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from lark import Token, Tree
from lark.exceptions import LarkError

from thidua.rules.drafting.sentences import Period, Sentence, clauses, continues, find
from thidua.rules.drafting.vocabulary import (
    Field,
    NumberAttribute,
    Vocabulary,
    build,
    figure,
    id_words,
    parser,
    percent_text,
    standard_rank,
    suffered_from,
)
from thidua.rules.limits import MAX_INT_DIGITS
from thidua.rules.messages import render
from thidua.rules.names import plain
from thidua.rules.ruleset import RuleSet

# A yes/no attribute named: (kind, attribute) for every kind with an attribute of that name.
Flag = tuple[tuple[str, str], ...]
OPS = {"above": "gt", "at_least": "gte", "at_most": "lte", "below": "lt", "between": "between"}
# When less is better (a rank): "15 trở lên" is 15 or better, "trên 15" better than 15, "không quá 15" no worse.
LOWER_OPS = {"above": "lt", "at_least": "lte", "at_most": "lte", "between": "between"}
PREDICATES = ("holds_title", "reaches_level", "awarded", "awarded_title", "suffers")
# A reading that chose one of several meanings is at most this sure, whatever words it recognised.
GUESS_CONFIDENCE = 0.6
# Words that only introduce a target ("Phấn đấu có", "Trong đó", "Tỷ lệ", "Số"): not counted against it.
_LEAD = frozenset({"phan", "dau", "co", "trong", "do", "ty", "ti", "le", "so"})


@dataclass(frozen=True)
class Said:
    """A message of the draft, kept as its catalogue code and parameters: written in the user's language."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    guess: bool = False  # the reading chose one meaning among several

    def text(self, lang: str = "vi") -> str:
        return render(self.code, lang, **self.params)


@dataclass
class Drafted:
    """One target read from a sentence: the rule file entry, how sure the reading is, and its source."""

    sentence: Sentence
    clause: str
    target: dict[str, Any]
    confidence: float
    notes: list[Said] = field(default_factory=list)
    extends: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (kind, attribute) the packs lack
    subject: tuple[tuple[str, ...], tuple[Flag, ...]] = ((), ())  # kinds and flags it speaks of


@dataclass
class Unrecognised:
    """A clause that states no target the rule language can say, with why and the words read."""

    sentence: Sentence
    clause: str
    why: Said

    @property
    def reason(self) -> str:
        return self.why.text("vi")


@dataclass
class Draft:
    """Everything read from one document, by period (None when the document names none)."""

    targets: dict[Period | None, list[Drafted]] = field(default_factory=dict)
    unrecognised: dict[Period | None, list[Unrecognised]] = field(default_factory=dict)
    terms: dict[Period | None, str] = field(default_factory=dict)  # the term (nhiệm kỳ) a period lies in

    def periods(self) -> list[Period | None]:
        return sorted(set(self.targets) | set(self.unrecognised), key=lambda p: (p is None, str(p or "")))


class NotATarget(Exception):
    """Why a parsed clause cannot become a target (the words do not fit together)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.said = Said(code, params)


def draft_text(text: str, rules: RuleSet) -> Draft:
    """Read every target sentence of `text` with the vocabulary of `rules`."""
    vocab = build(rules)
    out = Draft()
    proposed: dict[Period | None, set[tuple[str, str]]] = {}  # (kind, title) the results count when proposed
    last: Drafted | None = None  # the target a "trong đó" clause lies within
    for sentence in find(text):
        if sentence.term is not None:
            out.terms.setdefault(sentence.period, sentence.term)
        read = False
        for clause in clauses(sentence.text):
            if sentence.result:
                proposed.setdefault(sentence.period, set()).update(_proposals(clause, vocab, rules))
                read = True
                continue
            within = last if continues(clause) and last is not None and last.sentence.place == sentence.place else None
            item = read_clause(clause, sentence, vocab, rules, within)
            if isinstance(item, Drafted):
                out.targets.setdefault(sentence.period, []).append(item)
                last, read = item, True
            elif item is not None:
                out.unrecognised.setdefault(sentence.period, []).append(item)
                read = True
        if not read:  # nothing of the line was read: listed, never dropped
            why = Said("draft.reason.no_words")
            out.unrecognised.setdefault(sentence.period, []).append(Unrecognised(sentence, sentence.text, why))
    for period, items in out.targets.items():
        for drafted in items:
            _count_proposed(drafted, proposed.get(period, set()))
        _unique_ids(items)
    return out


def read_clause(
    clause: str, sentence: Sentence, vocab: Vocabulary, rules: RuleSet, within: Drafted | None = None
) -> Drafted | Unrecognised | None:
    """The target a clause states, why it states none, or None for a clause with no target words.
    `within`: the target a "trong đó" clause lies within (it speaks of the same entities)."""
    reading = vocab.tokens(clause)
    if not reading.tokens:
        return None
    shown = " | ".join(reading.phrases)
    if any(_too_long(t) for t in reading.tokens):
        # as a rule file refuses it (rules/limits.py); no count or share is written with so many digits
        return Unrecognised(
            sentence, clause, Said("draft.reason.long_number", {"digits": MAX_INT_DIGITS, "words": shown})
        )
    try:
        tree = parser().parse(reading.tokens)
    except LarkError:
        return Unrecognised(sentence, clause, Said("draft.reason.grammar", {"words": shown}))
    body = tree.children[0]
    assert isinstance(body, Tree)
    notes: list[Said] = []
    try:
        parts = _Parts.read(body)
        if within is not None and not parts.kinds and not parts.flags:
            parts.kinds, parts.flags = list(within.subject[0]), list(within.subject[1])
            notes.append(Said("draft.note.within", {"target": within.target["id"]}))
        target = _target(parts, rules, vocab, notes)
    except NotATarget as exc:
        return Unrecognised(sentence, clause, Said(exc.said.code, {**exc.said.params, "words": shown}))
    extend = target.pop("_extend", None)
    entry: dict[str, Any] = {"id": target.pop("_id"), "title": clause.strip()}
    if sentence.group:
        entry["group"] = sentence.group
    if sentence.place:
        entry["reference"] = sentence.place
    entry.update(target)
    if parts.proposed or (parts.of is not None and parts.of.proposed):
        entry["count_proposed"] = True
        notes.append(Said("draft.note.proposed_said"))
    lead = _lead_words(clause)
    confidence = round(min(1.0, reading.known / max(1, reading.words - lead)), 2)
    if any(n.guess for n in notes):
        confidence = min(confidence, GUESS_CONFIDENCE)
    subject = (tuple(parts.kinds), tuple(parts.flags))
    return Drafted(sentence, clause, entry, confidence, notes, [extend] if extend else [], subject)


def _too_long(token: Token) -> bool:
    """A figure with more digits than any count or share is written with."""
    return token.type in ("NUMBER", "PERCENT", "RATIO") and sum(c.isdigit() for c in str(token.value)) > MAX_INT_DIGITS


def _lead_words(clause: str) -> int:
    """Words before the first figure or known phrase that only introduce a target ("Phấn đấu có")."""
    lead = 0
    for word in plain(clause).split():
        if word.strip(",") not in _LEAD:
            break
        lead += 1
    return lead


# --- a parse tree taken apart ----------------------------------------------------------------


@dataclass
class _Parts:
    """What a parsed clause says: its form, requirement, subjects, predicate and the rest."""

    form: str
    op: str | None = None
    figures: list[Token] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    predicate: Tree[Any] | None = None
    level_up: bool = False  # "trở lên" right after the levels: at least that level
    level_down: bool = False  # "trở xuống" right after the levels: at most that level
    unknown: str | None = None  # how a share counts entities not known yet ("không tính …")
    of: _Parts | None = None  # "… 15% số Lao động tiên tiến": who is counted at all
    attributes: list[Token] = field(default_factory=list)
    proposed: bool = False  # "kể cả đề nghị": a proposed award counts
    lower_better: bool = False  # "càng ít càng tốt": a value where less is better
    higher_better: bool = False  # "càng cao càng tốt": a value where more is better, even a rank

    @classmethod
    def read(cls, tree: Tree[Any]) -> _Parts:
        parts = cls(str(tree.data))
        previous: Any = None
        for child in tree.children:
            if isinstance(child, Tree):
                if child.data == "subject":
                    word = child.children[0]
                    assert isinstance(word, Token)
                    if word.type == "KIND":
                        parts.kinds.append(str(word.value))
                    else:
                        parts.flags.append(tuple(word.value))
                elif child.data in OPS:
                    parts.op = str(child.data)
                    parts.figures = [t for t in child.children if isinstance(t, Token) and t.type in _FIGURES]
                elif child.data == "of":
                    parts.of = cls.read(child)
                elif child.data in PREDICATES:
                    parts.predicate = child
                    parts.proposed = any(isinstance(t, Token) and t.type == "PROPOSED" for t in child.children)
                elif child.data == "modifier" and isinstance(previous, Tree) and previous.data == "reaches_level":
                    word = child.children[0]
                    assert isinstance(word, Token)
                    parts.level_up, parts.level_down = word.type == "TRO_LEN", word.type == "TRO_XUONG"
                elif child.data == "modifier" and any(
                    isinstance(t, Token) and t.type == "TRO_XUONG" for t in child.children
                ):
                    raise NotATarget("draft.reason.down_not_level")
                elif child.data == "unknown":
                    word = child.children[0]
                    assert isinstance(word, Token)
                    parts.unknown = "exclude" if word.type == "UNKNOWN_EXCLUDE" else "not_matching"
            elif isinstance(child, Token) and child.type == "ATTRIBUTE":
                parts.attributes.append(child)
            elif isinstance(child, Token) and child.type == "LOWER_BETTER":
                parts.lower_better = True
            elif isinstance(child, Token) and child.type == "HIGHER_BETTER":
                parts.higher_better = True
            previous = child
        return parts


_FIGURES = ("NUMBER", "PERCENT", "RATIO")


# --- from the parts to a target ----------------------------------------------------------------


def _target(parts: _Parts, rules: RuleSet, vocab: Vocabulary, notes: list[Said]) -> dict[str, Any]:
    form = parts.form
    if form in ("value", "rank"):
        return _value(parts, rules, notes)
    if form == "none":
        return _none(parts, rules, vocab, notes)
    if form == "count" and parts.predicate is None:
        holder = _holder(parts, rules)
        if not parts.flags:
            raise NotATarget("draft.reason.count_what", kind=_kind_label(holder, rules))
        where = _flag_conditions(parts.flags, holder, rules)
        flag = _flag_attr(parts.flags[-1], holder)
        return {
            "_id": _ident(holder, ("attributes", flag)),
            "measure": {"count": {"of": holder, "where": _all(where)}},
            "require": _requirement(parts, "count", notes),
        }
    if form == "rate" and parts.predicate is None:
        return _flag_share(parts, rules, vocab, notes)
    holder = _holder(parts, rules)
    assert parts.predicate is not None
    condition, name = _condition(parts.predicate, holder, rules, vocab, parts, notes, form)
    flag_conds = _flag_conditions(parts.flags, holder, rules)
    prefix = _flag_attr(parts.flags[0], holder) if parts.flags and not parts.kinds else holder
    ident = _ident(prefix, name)
    levels = condition.pop("_levels", None)  # levels apart from the top: a share adds them up
    if form == "single":
        if parts.flags:
            raise NotATarget("draft.reason.single_group")
        if levels is not None:
            raise NotATarget("draft.reason.levels_apart")
        if "attr" in condition and len(condition) == 2 and ("at_least" in condition or "at_most" in condition):
            attr = condition["attr"]
            require = {"gte": condition["at_least"]} if "at_least" in condition else {"lte": condition["at_most"]}
            return {"_id": ident, "measure": {"level": {"of": holder, "attribute": attr}}, "require": require}
        return {"_id": ident, "measure": {"holds": {"of": holder, "condition": condition}}, "require": {"eq": True}}
    if form in ("share", "rate", "every"):
        share: dict[str, Any] = {"of": holder}
        if parts.unknown is not None:
            share["unknown"] = parts.unknown
        where = list(flag_conds)  # who is counted at all: the yes/no attributes named, and the `of` part
        if parts.of is not None:
            where += _of_conditions(parts.of, holder, rules, vocab, notes)
        if where:
            share["where"] = _all(where)
        if form == "every":
            notes.append(Said("draft.note.every"))
            wanted: dict[str, Any] = {"gte": "100%"}
        else:
            wanted = _requirement(parts, "share", notes)
        if levels is not None:  # "tỷ lệ Khá và Trung bình": each level's share over the one denominator
            summed = [{"share": {**share, "matching": {"attr": condition["attr"], "eq": lv}}} for lv in levels]
            return {"_id": ident, "measure": {"sum": summed}, "require": wanted}
        share["matching"] = condition
        return {"_id": ident, "measure": {"share": share}, "require": wanted}
    if levels is not None:
        condition = {"attr": condition["attr"], "in": levels}
    return {
        "_id": ident,
        "measure": {"count": {"of": holder, "where": _all([*flag_conds, condition])}},
        "require": _requirement(parts, "count", notes),
    }


def _none(parts: _Parts, rules: RuleSet, vocab: Vocabulary, notes: list[Said]) -> dict[str, Any]:
    """None at all, a count of at most 0: "không có người sinh con thứ ba", "Không có học sinh … Kém"."""
    if parts.predicate is None:
        if not parts.flags:
            raise NotATarget("draft.reason.count_what", kind=_kind_label(_holder(parts, rules), rules))
        holder = _holder(parts, rules)
        where = _flag_conditions(parts.flags, holder, rules)
        return {
            "_id": _ident(holder, ("attributes", _flag_attr(parts.flags[-1], holder)), "no_"),
            "measure": {"count": {"of": holder, "where": _all(where)}},
            "require": {"lte": 0},
        }
    holder = _holder(parts, rules)
    condition, name = _condition(parts.predicate, holder, rules, vocab, parts, notes, "none")
    levels = condition.pop("_levels", None)
    if levels is not None:
        condition = {"attr": condition["attr"], "in": levels}
    where = [*_flag_conditions(parts.flags, holder, rules), condition]
    prefix = _flag_attr(parts.flags[0], holder) if parts.flags and not parts.kinds else holder
    return {
        "_id": _ident(prefix, name, "no_"),
        "measure": {"count": {"of": holder, "where": _all(where)}},
        "require": {"lte": 0},
    }


def _flag_share(parts: _Parts, rules: RuleSet, vocab: Vocabulary, notes: list[Said]) -> dict[str, Any]:
    """The share of a kind's entities with a yes/no attribute: "Tỷ lệ hộ nghèo không vượt quá 2%"."""
    if not parts.flags:
        raise NotATarget("draft.reason.share_what")
    holder = _holder(parts, rules)
    conds = _flag_conditions(parts.flags, holder, rules)
    where = conds[:-1]
    if parts.of is not None:
        where += _of_conditions(parts.of, holder, rules, vocab, notes)
    share: dict[str, Any] = {"of": holder}
    if where:
        share["where"] = _all(where)
    share["matching"] = conds[-1]
    if parts.unknown is not None:
        share["unknown"] = parts.unknown
    prefix = _flag_attr(parts.flags[0], holder) if len(parts.flags) > 1 and not parts.kinds else holder
    return {
        "_id": _ident(prefix, ("attributes", _flag_attr(parts.flags[-1], holder))),
        "measure": {"share": share},
        "require": _requirement(parts, "share", notes),
    }


def _of_conditions(
    of: _Parts, holder: str, rules: RuleSet, vocab: Vocabulary, notes: list[Said]
) -> list[dict[str, Any]]:
    """The population of "… 15% số Lao động tiên tiến": the same kind, those the words after the figure name."""
    other = _holder(of, rules, default=holder)
    if other != holder:
        raise NotATarget(
            "draft.reason.two_populations", first=_kind_label(holder, rules), second=_kind_label(other, rules)
        )
    assert of.predicate is not None
    condition, _ = _condition(of.predicate, holder, rules, vocab, of, notes, "count")
    levels = condition.pop("_levels", None)
    if levels is not None:
        condition = {"attr": condition["attr"], "in": levels}
    return [*_flag_conditions(of.flags, holder, rules), condition]


def _requirement(parts: _Parts, measure: str, notes: list[Said]) -> dict[str, Any]:
    """The requirement the figures state: `{gt: 2}`, `{gte: 90%}`, `{between: [2, 4]}`."""
    assert parts.op is not None
    op = OPS[parts.op]
    values: list[Any] = []
    for token in parts.figures:
        text = str(token.value)
        if token.type == "RATIO":
            count, total = (int(x) for x in text.split("/"))
            notes.append(Said("draft.note.ratio", {"ratio": text, "count": count, "total": total}, guess=True))
            values.append(count)
        elif measure == "share":
            values.append(_percent(figure(text)))
        else:
            values.append(_number(figure(text)))
    if op == "between":
        return {"between": values[:2]}
    return {op: values[0]}


def _value(parts: _Parts, rules: RuleSet, notes: list[Said]) -> dict[str, Any]:
    """A value of a number attribute of one entity: the kind named, else the kind of the attribute
    named, else the agency itself (a pledge's sentence without a subject speaks of the agency). A
    rank ("xếp thứ") is lower-is-better whatever attribute it names."""
    if parts.flags:
        raise NotATarget("draft.reason.value_group")
    named: list[NumberAttribute] = [a for token in parts.attributes for a in token.value]
    if parts.form == "rank" and not named:
        named = [standard_rank()]
    own = {a.kind for a in named if a.kind is not None}
    holder = parts.kinds[0] if parts.kinds else own.pop() if len(own) == 1 else "organization"
    if holder not in rules.kinds:
        raise NotATarget("draft.reason.no_kind", kind=holder)
    chosen = next((a for a in named if a.kind == holder), None) or next((a for a in named if a.kind is None), None)
    if chosen is None:
        raise NotATarget("draft.reason.not_attribute", attr=named[0].label, kind=_kind_label(holder, rules))
    assert parts.op is not None
    # a rank ("xếp thứ", an attribute measured like one): less is better, "15 trở lên" is 15 or better;
    # another value: "không quá", "dưới" say less is better, "từ … trở lên", "trên" more
    rank = parts.form == "rank" or (chosen.better == "lower" and not parts.higher_better)
    better = "lower" if rank or parts.op in ("at_most", "below") or parts.lower_better else "higher"
    unit = chosen.unit or ("hạng" if parts.form == "rank" else None)
    declared = rules.attribute(holder, chosen.id)
    extend = None
    if declared is None:
        extend = (holder, {"id": chosen.id, "label": chosen.label, "type": chosen.type})
    elif declared.type not in ("integer", "number"):
        raise NotATarget("draft.reason.not_number", attr=declared.label, kind=_kind_label(holder, rules))
    if rank and parts.op == "below":
        raise NotATarget("draft.reason.rank_below")
    ops = LOWER_OPS if rank else OPS
    values: list[Any] = []
    for token in parts.figures:
        text = str(token.value)
        if token.type == "RATIO":
            place, total = (int(x) for x in text.split("/"))
            notes.append(Said("draft.note.out_of", {"ratio": text, "rank": place, "total": total}))
            values.append(place)
        elif token.type == "PERCENT":  # "từ 95% trở lên" of a number attribute: the value 95, in %
            unit = "%"
            values.append(_number(figure(text) * 100))
        else:
            values.append(_number(figure(text)))
    op = ops[parts.op]
    body: dict[str, Any] = {"of": holder, "attribute": chosen.id}
    if better == "lower":
        body["better"] = "lower"
    if unit:
        body["unit"] = unit
    out: dict[str, Any] = {
        "_id": _ident(holder, ("attributes", chosen.id)),
        "measure": {"value": body},
        "require": {"between": values[:2]} if op == "between" else {op: values[0]},
    }
    if extend is not None:
        out["_extend"] = extend
    return out


def _holder(parts: _Parts, rules: RuleSet, default: str | None = None) -> str:
    """The kind the target counts: the first kind named, else the one kind that has every yes/no
    attribute named and can hold the titles (or has the scale attribute) named, else `default`."""
    if parts.kinds:
        return parts.kinds[0]
    candidates: set[str] | None = None
    for options in parts.flags:
        kinds = {kind for kind, _ in options}
        candidates = kinds if candidates is None else candidates & kinds
    predicate = parts.predicate
    if predicate is not None:
        tokens = [t for t in predicate.children if isinstance(t, Token)]
        titles = [str(t.value) for t in tokens if t.type == "TITLE"]
        holders = {h for t in titles for h in rules.titles[t].holders}
        fields = {f.kind for t in tokens if t.type == "FIELD" for f in t.value}
        named = holders or fields
        if named:
            candidates = named if candidates is None else candidates & named
    if candidates is not None and len(candidates) == 1:
        return candidates.pop()
    if default is not None:
        return default
    raise NotATarget("draft.reason.who")


def _flag_attr(options: Flag, holder: str) -> str:
    """The attribute of `holder` a yes/no name stands for (the first kind's, for a message)."""
    return next((attr for kind, attr in options if kind == holder), options[0][1])


def _flag_conditions(flags: list[Flag], holder: str, rules: RuleSet) -> list[dict[str, Any]]:
    out = []
    for options in flags:
        attr = next((a for kind, a in options if kind == holder), None)
        if attr is None:
            kind, other = options[0]
            decl = rules.attribute(kind, other)
            label = decl.label if decl is not None else other
            raise NotATarget("draft.reason.not_attribute", attr=label, kind=_kind_label(holder, rules))
        out.append({"attr": attr, "eq": True})
    return out


def _condition(
    predicate: Tree[Any],
    holder: str,
    rules: RuleSet,
    vocab: Vocabulary,
    parts: _Parts,
    notes: list[Said],
    form: str,
) -> tuple[dict[str, Any], tuple[str, str]]:
    """The condition a predicate states, and what it is about for the target's id: ("titles", code)
    or ("attributes", id)."""
    tokens = [t for t in predicate.children if isinstance(t, Token)]
    if predicate.data in ("holds_title", "awarded_title", "awarded"):
        if predicate.data == "awarded":
            award = next(str(t.value) for t in tokens if t.type == "AWARD")
            givers = [str(t.value) for t in tokens if t.type == "GIVER"]
            if not givers:
                raise NotATarget("draft.reason.giver", award=award)
            code = vocab.awards.get((award, givers[0]))
            if code is None:
                raise NotATarget("draft.reason.award", award=award, giver=givers[0])
            titles = [code]
        else:
            titles = [str(t.value) for t in tokens if t.type == "TITLE"]
        for code in titles:
            if holder not in rules.titles[code].holders:
                raise NotATarget("draft.reason.not_for", title=rules.titles[code].title, kind=holder)
        conds = [{"has_title": code} for code in titles]
        if len(conds) == 1:
            return conds[0], ("titles", titles[0])
        if any(t.type == "HOAC" for t in tokens):
            return {"any": conds}, ("titles", titles[0])
        notes.append(Said("draft.note.all_titles", {"n": len(conds)}, guess=True))
        return {"all": conds}, ("titles", titles[0])
    if predicate.data == "suffers":
        return _suffers(tokens, holder, rules)
    return _levels(tokens, holder, rules, parts, notes, form)


def _levels(
    tokens: list[Token], holder: str, rules: RuleSet, parts: _Parts, notes: list[Said], form: str
) -> tuple[dict[str, Any], tuple[str, str]]:
    """Levels of a scale attribute of `holder`: the attribute named ("học lực Giỏi"), else the one
    attribute whose scale has every level named; two such attributes are not guessed between."""
    levels = [t.value for t in tokens if t.type == "LEVEL"]
    named = [f for t in tokens if t.type == "FIELD" for f in t.value]
    kind = rules.kinds[holder]
    attributes = [a for a in kind.attributes if a.scale is not None]
    if named:
        attributes = [a for a in attributes if Field(holder, a.id) in named]
        if not attributes:
            raise NotATarget(
                "draft.reason.not_attribute", attr=_field_label(tokens, rules), kind=_kind_label(holder, rules)
            )
    fitting = []
    for attr in attributes:
        chosen = [idx for options in levels for scale, idx in options if scale == attr.scale]
        if len(chosen) == len(levels):
            fitting.append((attr, chosen))
    if not fitting:
        raise NotATarget("draft.reason.no_level_attribute", kind=_kind_label(holder, rules))
    if len(fitting) > 1:
        raise NotATarget(
            "draft.reason.level_ambiguous",
            kind=_kind_label(holder, rules),
            attributes=", ".join(a.label for a, _ in fitting),
        )
    attr, chosen = fitting[0]
    assert attr.scale is not None
    scale = rules.scales[attr.scale]
    top = len(scale.levels) - 1
    lowest = min(chosen)
    what = ("attributes", attr.id)
    if parts.level_down:  # "Trung bình trở xuống": at most the highest level named
        return {"attr": attr.id, "at_most": scale.levels[max(chosen)].id}, what
    if len(chosen) > 1:
        if sorted(set(chosen)) == list(range(lowest, top + 1)):
            return {"attr": attr.id, "at_least": scale.levels[lowest].id}, what
        named_levels = [scale.levels[i].id for i in sorted(set(chosen), reverse=True)]
        return {"attr": attr.id, "_levels": named_levels}, what
    if parts.level_up or lowest == top or form == "single":
        return {"attr": attr.id, "at_least": scale.levels[lowest].id}, what
    if lowest == 0:  # the lowest level: "that level only" is the only reading
        return {"attr": attr.id, "eq": scale.levels[lowest].id}, what
    # one level said alone, below the top: that level only (a pledge lists "Khá 40%, Giỏi 25%" apart)
    notes.append(Said("draft.note.level_exact", {"level": scale.levels[lowest].label}, guess=True))
    return {"attr": attr.id, "eq": scale.levels[lowest].id}, what


def _suffers(tokens: list[Token], holder: str, rules: RuleSet) -> tuple[dict[str, Any], tuple[str, str]]:
    """Suffered a level of a scale, "bị kỷ luật" (from "khiển trách" if named): at least the level named, else the lowest level
    that is one (a scale starting with "Không bị kỷ luật" starts above it and above a review under way)."""
    named = [f for t in tokens if t.type == "FIELD" for f in t.value if f.kind == holder]
    if not named:
        raise NotATarget(
            "draft.reason.not_attribute", attr=_field_label(tokens, rules), kind=_kind_label(holder, rules)
        )
    attr = rules.attribute(holder, named[0].attr)
    assert attr is not None and attr.scale is not None
    scale = rules.scales[attr.scale]
    levels = [idx for t in tokens if t.type == "LEVEL" for s, idx in t.value if s == attr.scale]
    if any(t.type == "LEVEL" for t in tokens) and not levels:
        raise NotATarget("draft.reason.no_level_attribute", kind=_kind_label(holder, rules))
    index = levels[0] if levels else suffered_from(scale.levels) or 0
    return {"attr": attr.id, "at_least": scale.levels[index].id}, ("attributes", attr.id)


def _field_label(tokens: list[Token], rules: RuleSet) -> str:
    """The label of the scale attribute a predicate names ("học lực"), for a message."""
    for token in tokens:
        if token.type == "FIELD":
            first: Field = token.value[0]
            decl = rules.attribute(first.kind, first.attr)
            return decl.label if decl is not None else first.attr
    return ""


def _kind_label(kind: str, rules: RuleSet) -> str:
    decl = rules.kinds.get(kind)
    return decl.title if decl is not None else kind


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
    tokens = vocab.tokens(head).tokens
    if not any(t.type == "DE_NGHI" for t in tokens):
        return set()
    try:
        tree = parser().parse(tokens)
        body = tree.children[0]
        assert isinstance(body, Tree)
        target = _target(_Parts.read(body), rules, vocab, [])
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
            if not drafted.target.get("count_proposed"):
                drafted.target["count_proposed"] = True
                drafted.notes.append(Said("draft.note.proposed"))


def _unique_ids(items: list[Drafted]) -> None:
    """Two targets of one period with the same meaning words: the later ones get `_2`, `_3`, ... (in
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


__all__ = ["Draft", "Drafted", "Said", "Unrecognised", "draft_text", "read_clause"]
