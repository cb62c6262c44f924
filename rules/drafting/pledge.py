"""Targets back as the sentences a pledge uses, for next year's registration (`thidua pledge`).

`pledge_sentence(target, rules)` is the one entry point: "Phấn đấu có trên 02 cá nhân đạt danh hiệu
Chiến sĩ thi đua cơ sở". Counts are written with two digits, as pledges write them; kinds, titles,
levels and attributes are named by the rule set's own labels (a kind by the word the target's title
uses for it when the rule set declares that word: "Trường", not "Cơ quan"). Every measure and
condition the language accepts has a sentence; `thidua draft` reads back those of the grammar's forms
(docs/authoring.md lists them) and refuses, with the reason, the plain renderings it cannot read
("không", "đúng", "có mã" make a sentence one the draft does not guess at).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from thidua.rules.drafting.vocabulary import Vocabulary, build, percent_text, suffered_from
from thidua.rules.formatting import two_digits
from thidua.rules.model import Attribute
from thidua.rules.ruleset import PAll, PAny, PAttr, PNot, Pred, PTitle, ResolvedMeasure, ResolvedTarget, RuleSet

# How a pledge names the entities of a core kind when it counts them, and the population of a share.
NOUNS = {"person": "cá nhân", "unit": "tập thể phòng", "organization": "Cơ quan"}
POPULATION = {"person": "công chức, người lao động"}
UNKNOWN = {"exclude": "không tính trường hợp chưa có kết quả", "not_matching": "chưa có kết quả tính là không đạt"}

_VOCABULARIES: dict[int, tuple[RuleSet, Vocabulary]] = {}
_OWN_WORDS: dict[int, tuple[RuleSet, dict[str, str]]] = {}


def pledge_sentence(target: ResolvedTarget, rules: RuleSet) -> str:
    """The target as a pledge states it, in Vietnamese."""
    return _Writer(target, rules).sentence()


def pledge_sentences(rules: RuleSet) -> list[tuple[str, str]]:
    """(target id, sentence) for every target of a rule set, in file order."""
    return [(t.id, pledge_sentence(t, rules)) for t in rules.targets]


def _vocabulary(rules: RuleSet) -> Vocabulary:
    cached = _VOCABULARIES.get(id(rules))
    if cached is None or cached[0] is not rules:
        cached = _VOCABULARIES[id(rules)] = (rules, build(rules))
    return cached[1]


def _kind_words(title: str, rules: RuleSet) -> dict[str, str]:
    """Kind -> the first word of `title` the rule set declares as a name of that kind."""
    reading = _vocabulary(rules).tokens(title)
    out: dict[str, str] = {}
    for token, phrase in zip(reading.tokens, reading.phrases, strict=True):
        if token.type == "KIND":
            out.setdefault(str(token.value), phrase)
    return out


def _rule_set_words(rules: RuleSet) -> dict[str, str]:
    """Kind -> the word the first target title naming it uses (read once per rule set)."""
    cached = _OWN_WORDS.get(id(rules))
    if cached is None or cached[0] is not rules:
        words: dict[str, str] = {}
        for target in rules.targets:
            for kind, phrase in _kind_words(target.spec.title, rules).items():
                words.setdefault(kind, phrase)
        cached = _OWN_WORDS[id(rules)] = (rules, words)
    return cached[1]


class _Writer:
    """The words of one target: its subject as the title names it, its conditions, its requirement."""

    def __init__(self, target: ResolvedTarget, rules: RuleSet) -> None:
        self.target, self.rules = target, rules
        self.measure, self.threshold = target.measure, target.threshold

    def sentence(self) -> str:
        kind = self.measure.kind
        if kind == "count":
            return self.count(self.measure)
        if kind == "share" and self.measure.parts:
            return self.share_sum()
        if kind == "share":
            return self.share()
        if kind == "sum":
            return self.count_sum()
        if kind == "level":
            return self.level()
        if kind == "value":
            return self.value()
        return self.holds()

    # --- one entity ------------------------------------------------------------------------

    def who(self, kind: str) -> str:
        """One entity of `kind`, as the sentence's subject: the word the target's title uses for it when
        the rule set declares that word ("Trường"), else the kind's name; `entity` says which one."""
        m = self.measure
        name = self.own_word(kind) or _kind_name(kind, self.rules)
        name = name[:1].upper() + name[1:]
        if m.entity is not None:
            name = f"{name} có mã “{m.entity}”"
        return name

    def own_word(self, kind: str) -> str | None:
        """The word this target's title, else the first title of the rule set naming the kind, uses for
        it, when the rule set declares that word as a name of the kind."""
        return _kind_words(self.target.spec.title, self.rules).get(kind) or _rule_set_words(self.rules).get(kind)

    def level(self) -> str:
        m, th = self.measure, self.threshold
        assert m.scale is not None and m.attribute is not None
        decl = self.rules.attribute(m.of, m.attribute)
        assert decl is not None
        field = self.field(m.of, decl, [int(v) for v in th.values])
        levels = self.rules.scales[m.scale].levels
        names = [f"“{levels[int(v)].label}”" for v in th.values]
        # "trên “Khá”" is not "“Giỏi” trở lên" for a level target: the margin ("vượt") counts from the
        # level named, so it is said as written, in words the draft does not read
        phrase = {
            "gte": f"{names[0]} trở lên",
            "lte": f"{names[0]} trở xuống",
            "gt": f"trên {names[0]}",
            "lt": f"dưới {names[0]}",
            "eq": f"đúng {names[0]}",
            "between": f"từ {names[0]} đến {names[-1]}",
        }[th.op]
        return f"{self.who(m.of)} đạt {field} {phrase}"

    def value(self) -> str:
        m, th = self.measure, self.threshold
        assert m.attribute is not None
        who = self.who(m.of)
        decl = self.rules.attribute(m.of, m.attribute)
        label = _lower(decl.label if decl is not None else m.attribute)
        n = [_count(v) for v in th.values]
        unit = ("%" if m.unit == "%" else f" {m.unit}") if m.unit else ""  # "95%", as pledges write it
        if m.better == "lower" and (m.unit == "hạng" or m.attribute == "rank" or "hạng" in label or "thứ" in label):
            about = "" if m.attribute == "rank" else f" về {label}"
            phrase = {
                "lte": f"xếp thứ {n[0]} trở lên",
                "lt": f"xếp trên thứ {n[0]}",
                "eq": f"xếp đúng thứ {n[0]}",
                "between": f"xếp thứ từ {n[0]} đến {n[-1]}",
            }[th.op]
            return f"{who} {phrase}{about}"
        phrase = {
            "gte": f"từ {n[0]}{unit} trở lên",
            "gt": f"trên {n[0]}{unit}",
            "lte": f"không quá {n[0]}{unit}",
            "lt": f"dưới {n[0]}{unit}",
            "eq": f"đúng {n[0]}{unit}",
            # "từ 90% đến 95%": a figure without its "%" would be read as another number
            "between": f"từ {n[0]}{unit if m.unit == '%' else ''} đến {n[-1]}{unit}",
        }[th.op]
        read_as = self.read_better(m.of, m.attribute)
        if m.better == "lower" and th.op not in ("lte", "lt"):  # not said by the requirement itself
            phrase += " (càng ít càng tốt)"
        elif m.better == "higher" and read_as == "lower":  # an attribute the draft reads as a rank
            phrase += " (càng cao càng tốt)"
        return f"{who} đạt {label} {phrase}"

    def read_better(self, kind: str, attribute: str) -> str:
        """Which way the draft takes as better for this attribute when the sentence does not say."""
        decl = self.rules.attribute(kind, attribute)
        reading = _vocabulary(self.rules).tokens(decl.label if decl is not None else attribute)
        for token in reading.tokens:
            if token.type == "ATTRIBUTE":
                for meaning in token.value:
                    if meaning.id == attribute and meaning.kind in (kind, None):
                        return str(meaning.better)
        return "higher"

    def holds(self) -> str:
        m, th = self.measure, self.threshold
        assert m.matching is not None
        said = self.predicate(m.matching, m.of)
        if not _titles_only(m.matching):  # not a level target: "đạt xếp loại “Khá”" would read as one
            said = f"đáp ứng điều kiện {said}"
        return f"{self.who(m.of)} {said}" if th.values[0] else f"{self.who(m.of)} không {said}"

    # --- counted entities --------------------------------------------------------------------

    def count(self, m: ResolvedMeasure) -> str:
        th = self.threshold
        flags, rest = self.split(m.where, m.of)
        noun = self.noun(m.of, flags)
        said = f" {self.predicate(rest, m.of)}" if rest is not None else ""
        if th.op == "lte" and th.values[0] == 0:
            if len(flags) == 1 and rest is None and m.of == "person" and noun == flags[0]:
                return f"Không có người {flags[0]}"
            return f"Không có {noun}{said}"
        n = [_count(v) for v in th.values]
        phrase = {
            "gt": f"có trên {n[0]} {noun}",
            "gte": f"có {n[0]} {noun} trở lên",
            "lte": f"có không quá {n[0]} {noun}",
            "lt": f"có dưới {n[0]} {noun}",
            "eq": f"có đúng {n[0]} {noun}",
            "between": f"có từ {n[0]} đến {n[-1]} {noun}",
        }[th.op]
        return f"Phấn đấu {phrase}{said}"

    def count_sum(self) -> str:
        """Counts over several categories added up: plain words (the draft does not read them back)."""
        th = self.threshold
        parts = []
        for part in self.measure.parts:
            flags, rest = self.split(part.where, part.of)
            noun = self.noun(part.of, flags)
            parts.append(f"{noun} {self.predicate(rest, part.of)}".rstrip() if rest is not None else noun)
        n = [_count(v) for v in th.values]
        return f"Phấn đấu tổng số {' cộng '.join(parts)} {_amount(th.op, n)}"

    def share(self) -> str:
        m, th = self.measure, self.threshold
        assert m.matching is not None
        flags, rest = self.split(m.where, m.of)
        aside = f" ({UNKNOWN[m.unknown]})" if m.unknown in UNKNOWN else ""
        matched_flags, matched_rest = self.split(m.matching, m.of)
        if rest is not None:  # a share of those who meet another condition: "… không quá 15% số LĐTT"
            noun = _noun(m.of, self.rules, self.own_word(m.of))
            population = " và ".join([noun, *flags]) if flags else noun
            return (
                f"Số {noun} {self.predicate(m.matching, m.of)} {_share_phrase(th.op, th.values)}"
                f" số {population} {self.predicate(rest, m.of)}{aside}"
            )
        if matched_rest is None and matched_flags:  # "Tỷ lệ hộ nghèo không quá 2%"
            return f"Tỷ lệ {self.noun(m.of, [*flags, *matched_flags])} {_share_phrase(th.op, th.values)}{aside}"
        who = self.noun(m.of, flags) if flags else self.population(m.of)
        return f"Phấn đấu có {_share_phrase(th.op, th.values)} {who} {self.predicate(m.matching, m.of)}{aside}"

    def share_sum(self) -> str:
        """Shares of levels added ("trên 95% công đoàn viên đạt xếp loại “Khá” và “Trung bình”"), else
        the parts' conditions joined, said to be added (the draft reads back only the levels)."""
        m, th = self.measure, self.threshold
        flags, _ = self.split(m.where, m.of)
        who = self.noun(m.of, flags) if flags else self.population(m.of)
        parts = [p.matching for p in m.parts if p.matching is not None]
        attrs = {p.attr for p in parts if isinstance(p, PAttr)}
        decl = self.rules.attribute(m.of, next(iter(attrs))) if len(attrs) == 1 else None
        if decl is not None and decl.scale is not None and all(isinstance(p, PAttr) and p.op == "eq" for p in parts):
            scale = self.rules.scales[decl.scale]
            chosen = sorted({int(p.value) for p in parts if isinstance(p, PAttr)}, reverse=True)
            names = " và ".join(f"“{scale.levels[i].label}”" for i in chosen)
            field = self.field(m.of, decl, chosen)
            return f"Phấn đấu có {_share_phrase(th.op, th.values)} {who} đạt {field} {names}"
        said = " cộng với ".join(f"tỷ lệ {self.predicate(p, m.of)}" for p in parts)
        return f"Phấn đấu có {said} của {who} {_share_phrase(th.op, th.values)}"

    def noun(self, kind: str, flags: list[str]) -> str:
        """Entities of `kind` with the yes/no attributes `flags`: the attributes' names alone when they
        name one kind's attributes only ("công đoàn viên"), else the kind's noun before them."""
        vocab = _vocabulary(self.rules)
        alone = bool(flags)
        for flag in flags:
            tokens = vocab.tokens(flag).tokens
            alone = alone and len(tokens) == 1 and tokens[0].type == "FLAG" and len(tokens[0].value) == 1
        if alone:
            return " ".join(flags)
        noun = _noun(kind, self.rules, self.own_word(kind))
        return f"{noun} là {' '.join(flags)}" if flags else noun

    def population(self, kind: str) -> str:
        """The entities a share is of: the title's own word, else the usual words for the kind."""
        return self.own_word(kind) or POPULATION.get(kind) or _noun(kind, self.rules, None)

    # --- conditions --------------------------------------------------------------------------

    def split(self, pred: Pred | None, kind: str) -> tuple[list[str], Pred | None]:
        """Yes/no attributes set to true (said as nouns: 'công đoàn viên'), and the rest of the condition."""
        items = list(pred.items) if isinstance(pred, PAll) else [pred] if pred is not None else []
        flags: list[str] = []
        rest: list[Pred] = []
        for item in items:
            decl = self.rules.attribute(kind, item.attr) if isinstance(item, PAttr) else None
            if (
                isinstance(item, PAttr)
                and decl is not None
                and decl.type == "boolean"
                and item.op == "eq"
                and item.value
            ):
                flags.append(_lower(decl.label))
            else:
                rest.append(item)
        if not rest:
            return flags, None
        return flags, rest[0] if len(rest) == 1 else PAll(tuple(rest))

    def predicate(self, pred: Pred, kind: str) -> str:
        """A condition on an entity of `kind` as the words after its noun: "đạt danh hiệu “X”"."""
        if isinstance(pred, PTitle):
            return self.title(pred)
        if isinstance(pred, PAttr):
            return self.attribute(pred, kind)
        if isinstance(pred, PNot):
            return f"không {self.predicate(pred.item, kind)}"
        items = list(pred.items)
        joiner = " và " if isinstance(pred, PAll) else " hoặc "
        titles = [p for p in items if isinstance(p, PTitle)]
        if isinstance(pred, PAny) and len(titles) == len(items) and len({p.state for p in titles}) == 1:
            names = " hoặc ".join(f"“{_title_name(self.rules, p.title)}”" for p in titles)
            award = all(self.rules.titles[p.title].category == "award" for p in titles)
            said = f"được tặng {names}" if award else f"đạt danh hiệu {names}"
            return said + _state(titles[0].state)
        if isinstance(pred, PAny):
            levels = self.same_scale_levels(items, kind)
            if levels is not None:
                return levels
        said = joiner.join(self.predicate(p, kind) for p in items)
        return f"({said})" if len(items) > 1 else said

    def title(self, pred: PTitle) -> str:
        title = self.rules.titles[pred.title]
        name = _title_name(self.rules, pred.title)
        if pred.state == "proposed":
            return f"được đề nghị tặng {name}" if title.category == "award" else f"được đề nghị danh hiệu “{name}”"
        said = f"được tặng {name}" if title.category == "award" else f"đạt danh hiệu “{name}”"
        return said + _state(pred.state)

    def attribute(self, pred: PAttr, kind: str) -> str:
        decl = self.rules.attribute(kind, pred.attr)
        assert decl is not None  # the resolver checked every attribute against its kind
        if decl.scale is not None:
            levels = self.rules.scales[decl.scale].levels
            values = [int(v) for v in (pred.value if pred.op == "in" else (pred.value,))]
            first = suffered_from(levels)
            if pred.op == "gte" and first is not None and values[0] >= 1:
                # a scale starting with "Không bị kỷ luật": "bị kỷ luật (từ “Cảnh cáo” trở lên)"
                label = _lower(decl.label)
                return f"bị {label}" if values[0] == first else f"bị {label} từ “{levels[values[0]].label}” trở lên"
            names = [f"“{levels[i].label}”" for i in values]
            field = self.field(kind, decl, values)
            top = len(levels) - 1
            phrase = {
                "gte": f"{names[0]} trở lên",
                "lte": f"{names[0]} trở xuống",
                "gt": f"{_level_name(levels, values[0] + 1)} trở lên" if values[0] < top else "",
                "lt": f"{_level_name(levels, values[0] - 1)} trở xuống" if values[0] > 0 else "",
                "eq": names[0],
                "neq": f"khác {names[0]}",
                "in": " hoặc ".join(names),
            }[pred.op]
            if not phrase:
                phrase = f"{'trên' if pred.op == 'gt' else 'dưới'} {names[0]}"
            return f"đạt {field} {phrase}"
        label = _lower(decl.label)
        if decl.type == "boolean":
            return label if pred.value else f"không {label}"
        shown = pred.shown if isinstance(pred.shown, list) else [pred.shown]
        quoted = [f"“{v}”" for v in shown]
        # words the draft refuses ("bằng", "lớn hơn", "nhỏ hơn"): a condition on a number is not a value target
        phrase = {
            "eq": f"bằng {quoted[0]}",
            "neq": f"khác {quoted[0]}",
            "gt": f"lớn hơn {quoted[0]}",
            "gte": f"lớn hơn hoặc bằng {quoted[0]}",
            "lt": f"nhỏ hơn {quoted[0]}",
            "lte": f"nhỏ hơn hoặc bằng {quoted[0]}",
            "in": "bằng " + " hoặc ".join(quoted),
        }[pred.op]
        return f"có {label} {phrase}"

    def same_scale_levels(self, items: list[Pred], kind: str) -> str | None:
        """`any` of levels of one scale attribute ("“Khá” hoặc “Giỏi”"), said as one."""
        if not all(isinstance(p, PAttr) and p.op == "eq" for p in items):
            return None
        attrs = {p.attr for p in items if isinstance(p, PAttr)}
        if len(attrs) != 1:
            return None
        decl = self.rules.attribute(kind, next(iter(attrs)))
        if decl is None or decl.scale is None:
            return None
        values = tuple(int(p.value) for p in items if isinstance(p, PAttr))
        first = items[0]
        assert isinstance(first, PAttr)
        return self.attribute(PAttr(first.attr, "in", values, list(values), first.loc), kind)

    def field(self, kind: str, decl: Attribute, levels: list[int]) -> str:
        """How a level's attribute is named: "xếp loại" when its label says no more and no other scale
        attribute of the kind has a level of that name; else its label ("hạnh kiểm", "học lực")."""
        label = _lower(decl.label)
        assert decl.scale is not None
        names = {self.rules.scales[decl.scale].levels[i].label.casefold() for i in levels}
        shared = any(
            other.id != decl.id
            and other.scale is not None
            and names & {lv.label.casefold() for lv in self.rules.scales[other.scale].levels}
            for other in self.rules.kinds[kind].attributes
        )
        if label.casefold().startswith("xếp loại") and not shared:
            return "xếp loại"
        return label if label.casefold().startswith("xếp loại") else f"xếp loại {label}"


def _titles_only(pred: Pred) -> bool:
    """Whether a condition only asks for titles (any of them, all of them)."""
    if isinstance(pred, PTitle):
        return True
    if isinstance(pred, (PAll, PAny)):
        return all(_titles_only(p) for p in pred.items)
    return False


def _state(state: str) -> str:
    return " (kể cả đề nghị)" if state == "any" else ""


def _title_name(rules: RuleSet, title: str) -> str:
    return rules.titles[title].title.split("(")[0].strip()


def _level_name(levels: list[Any], index: int) -> str:
    return f"“{levels[index].label}”"


def _kind_name(kind: str, rules: RuleSet) -> str:
    decl = rules.kinds[kind]
    return NOUNS.get(kind) or decl.title.split("(")[0].strip()


def _noun(kind: str, rules: RuleSet, own: str | None) -> str:
    """Entities of `kind` when counted: "cá nhân", "học sinh"; the target title's own word first."""
    return own or _lower(_kind_name(kind, rules))


def _lower(text: str) -> str:
    """A label inside a sentence: its first letter lower-cased unless it is an abbreviation (UBND)."""
    if len(text) > 1 and text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _share_phrase(op: str, values: tuple[Fraction, ...]) -> str:
    texts = [percent_text(v) for v in values]
    return {
        "gt": f"trên {texts[0]}%",
        "lte": f"không quá {texts[0]}%",
        "lt": f"dưới {texts[0]}%",
        "eq": f"đúng {texts[0]}%",
        "between": f"từ {texts[0]}% đến {texts[-1]}%",
    }.get(op, f"{texts[0]}%" if values[0] == 1 else f"từ {texts[0]}% trở lên")


def _amount(op: str, n: list[str]) -> str:
    return {
        "gt": f"trên {n[0]}",
        "gte": f"từ {n[0]} trở lên",
        "lte": f"không quá {n[0]}",
        "lt": f"dưới {n[0]}",
        "eq": f"đúng {n[0]}",
        "between": f"từ {n[0]} đến {n[-1]}",
    }[op]


def _count(value: Fraction) -> str:
    # a fractional count is kept exact (it must draft back to the same value), not rounded as a figure
    return two_digits(int(value)) if value.denominator == 1 else str(float(value)).replace(".", ",")


__all__ = ["pledge_sentence", "pledge_sentences"]
