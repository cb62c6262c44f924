"""The words of a pledge sentence: grammar words from pledge.lark, the rest from the packs' labels and aliases.

A sentence becomes a list of lark tokens: each phrase matched without diacritics, the longest first;
figures become NUMBER or PERCENT; words nobody declared are left out (they carry no meaning the rule
language could use, e.g. "Phấn đấu", "gia đình", "Trong đó").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from lark import Lark, Token
from lark.lexer import Lexer

from thidua.rules.names import normal, plain
from thidua.rules.ruleset import RuleSet

# Figures and words of a sentence: "8,5", "90%" and "12/30" are one word; "công chức, người" is three.
_WORD = re.compile(r"\d{4}\s*[-–]\s*\d{4}|\d+\s*/\s*\d+|\d+(?:[.,]\d+)?\s*%|\d+(?:[.,]\d+)?|\w+|[≥≤><]")
# One-word names that are words of every sentence, never a name on their own: "Không" (the core
# pack's level "Không bị kỷ luật") would read the "không" of "không vượt quá" as a level.
_COMMON = frozenset({"co", "la", "cua", "so", "nhung", "mot"})
# Words that change a sentence's meaning in a way the grammar cannot say: a sentence holding one is
# not read (never as if the word were not there). "không" alone (a negation: "Cơ quan không đạt …"),
# "đúng" ("đúng 05": exactly), "có mã" (one entity by its code), "khác" ("khác “Khá”": other than),
# "cộng với" (shares of different conditions added), "xếp trên" (a rank above another), "bằng",
# "lớn hơn", "nhỏ hơn" (a comparison inside a condition, not a target's requirement), "điều kiện"
# (one entity meeting a condition, which the grammar cannot tell from a level target).
BLOCKING = (
    "không",
    "đúng",
    "có mã",
    "khác",
    "cộng với",
    "xếp trên",
    "bằng",
    "lớn hơn",
    "nhỏ hơn",
    "điều kiện",
)
# A plural marker before a kind's name ("Các đoàn thể") is the grammar's, not part of the name.
_PLURAL = ("cac ", "nhung ")
_ASIDE = re.compile(r"\([^)]*\)")  # "(hộ gia đình của cá nhân)": an aside in a label, not part of its name
# Other words for a grammar word: "kể cả trường hợp đã đề nghị" says what "kể cả đề nghị" says.
_SYNONYMS = {
    "PROPOSED": ("ke ca truong hop de nghi", "ke ca truong hop da de nghi", "tinh ca truong hop da de nghi"),
}
_POSSESSIVE = " cua "  # "Bằng khen của UBND tỉnh": the award, then who gives it


@dataclass(frozen=True)
class Word:
    """A recognised phrase: its token type, what it means, and how many words of the sentence it took."""

    type: str
    value: Any
    size: int


@dataclass(frozen=True)
class NumberAttribute:
    """A number attribute a sentence may name: the rule set's (its kind set) or one of values.yaml (kind None)."""

    id: str
    label: str
    type: str
    kind: str | None = None
    better: str = "higher"
    unit: str | None = None


@dataclass(frozen=True)
class Field:
    """A scale attribute a sentence names before its level ("hạnh kiểm Tốt", "học lực Giỏi", "bị kỷ luật")."""

    kind: str
    attr: str


@dataclass(frozen=True)
class Reading:
    """A sentence as tokens: the tokens, the phrases they were read from (as written), and how many of
    the sentence's words were recognised out of how many."""

    tokens: list[Token]
    phrases: list[str]
    known: int
    words: int


@dataclass
class Vocabulary:
    """Phrases (plain words) -> meaning, built once per rule set from its labels and aliases."""

    phrases: dict[tuple[str, ...], Word] = field(default_factory=dict)
    awards: dict[tuple[str, str], str] = field(default_factory=dict)  # (award word, giver) -> title id
    longest: int = 1

    def add(self, name: str, type_: str, value: Any) -> None:
        words = _key(name)
        if not words or words in self.phrases or (len(words) == 1 and words[0] in _COMMON):
            return
        self.phrases[words] = Word(type_, value, len(words))
        self.longest = max(self.longest, len(words))

    def add_option(self, name: str, type_: str, option: Any) -> None:
        """A name that may mean several things of one type (a level on two scales, a number attribute of
        two kinds): every meaning is kept, and the sentence's subject decides."""
        hit = self.phrases.get(_key(name))
        if hit is not None and hit.type == type_:
            if option not in hit.value:
                hit.value.append(option)
        else:
            self.add(name, type_, [option])

    def tokens(self, sentence: str) -> Reading:
        """The sentence's tokens, the phrases they were read from, and how many words were recognised."""
        text = normal(sentence)
        spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        keys = [plain(text[a:b]) for a, b in spans]
        out: list[Token] = []
        phrases: list[str] = []
        known = 0
        skipped = 0
        i = 0
        while i < len(keys):
            when = _when(keys, i)
            if when:  # "năm 2022", "năm học 2023-2024": the period, said by the headings, not a figure
                skipped += when
                i += when
                continue
            word = keys[i]
            if word[0].isdigit():
                figure = word.replace(" ", "")
                kind = "RATIO" if "/" in figure else "PERCENT" if figure.endswith("%") else "NUMBER"
                if not re.fullmatch(r"\d{4}[-–]\d{4}", figure):
                    out.append(Token(kind, figure))
                    phrases.append(text[spans[i][0] : spans[i][1]])
                    known += 1
                i += 1
                continue
            for size in range(min(self.longest, len(keys) - i), 0, -1):
                hit = self.phrases.get(tuple(keys[i : i + size]))
                if hit is not None:
                    out.append(Token(hit.type, hit.value))
                    phrases.append(text[spans[i][0] : spans[i + size - 1][1]])  # as written, commas kept
                    known += size
                    i += size
                    break
            else:
                i += 1
        return Reading(out, phrases, known, len(keys) - skipped)


def suffered_from(levels: list[Any]) -> int | None:
    """On a scale starting with a level saying nothing happened ("Không bị kỷ luật"): the lowest level
    that is one ("Khiển trách"), passing over a review under way (a level that `awaits:` a decision);
    None on any other scale."""
    if not plain(levels[0].label).startswith("khong bi "):
        return None
    return next((i for i in range(1, len(levels)) if getattr(levels[i], "awaits", None) is None), None)


def _key(name: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(plain(_ASIDE.sub(" ", name))))


def _when(keys: list[str], i: int) -> int:
    """How many words from `i` say when ("năm 2022", "đến năm 2030", "năm học 2023-2024", "nhiệm kỳ
    2025-2030"); 0 when they do not."""
    j = i + 1 if keys[i] in ("den", "trong", "vao", "cuoi") else i
    if j < len(keys) and keys[j] == "nam":
        j += 2 if j + 1 < len(keys) and keys[j + 1] == "hoc" else 1
    elif j + 1 < len(keys) and (keys[j], keys[j + 1]) == ("nhiem", "ky"):
        j += 2
    else:
        return 0
    if j < len(keys) and re.fullmatch(r"\d{4}(?:[-–]\d{4})?", keys[j].replace(" ", "")):
        return j + 1 - i
    return 0


def figure(text: str) -> Fraction:
    """'05' -> 5, '8,5' -> 17/2, '90%' -> 9/10."""
    number = text.rstrip("%").replace(",", ".")
    value = Fraction(number)
    return value / 100 if text.endswith("%") else value


def percent_text(value: Fraction) -> str:
    """A share as a pledge writes it, without the sign: 9/10 -> '90', 0.955 -> '95,5'."""
    shown = value * 100
    return str(int(shown)) if shown.denominator == 1 else f"{float(shown):g}".replace(".", ",")


def _data(name: str) -> Any:
    return yaml.safe_load((resources.files("thidua.rules.drafting") / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def id_words() -> dict[str, dict[str, Any]]:
    """The words drafted ids are made of (ids.yaml): `who` by kind, `titles` and `attributes`."""
    data: dict[str, dict[str, Any]] = _data("ids.yaml")
    return data


@lru_cache(maxsize=1)
def value_phrases() -> tuple[tuple[tuple[str, ...], NumberAttribute], ...]:
    """The number attributes pledges name, from values.yaml: (phrases, attribute)."""
    out = []
    for entry in _data("values.yaml"):
        attr = entry["attribute"]
        meaning = NumberAttribute(
            attr["id"], attr["label"], attr["type"], better=entry.get("better", "higher"), unit=entry.get("unit")
        )
        out.append((tuple(entry["phrases"]), meaning))
    return tuple(out)


@lru_cache(maxsize=1)
def value_like() -> dict[str, NumberAttribute]:
    """Words (plain) that make a rule set's number attribute measured like a values.yaml one (its `like`)."""
    out: dict[str, NumberAttribute] = {}
    for entry, (_phrases, meaning) in zip(_data("values.yaml"), value_phrases(), strict=True):
        for words in entry.get("like", []):
            out[" ".join(_key(words))] = meaning
    return out


def standard_rank() -> NumberAttribute:
    """The rank a pledge means by "xếp thứ N" when it names no attribute: the rank in the emulation block."""
    return next(meaning for _phrases, meaning in value_phrases() if meaning.id == "rank")


@lru_cache(maxsize=1)
def grammar_text() -> str:
    return (resources.files("thidua.rules.drafting") / "pledge.lark").read_text(encoding="utf-8")


class _TokenList(Lexer):
    """Hands lark the tokens the vocabulary found (the sentence is tokenised before parsing)."""

    def __init__(self, conf: Any) -> None:
        pass

    def lex(self, lexer_state: Any, parser_state: Any = None) -> Iterator[Token]:
        return iter(lexer_state.text if hasattr(lexer_state, "text") else lexer_state)


@lru_cache(maxsize=1)
def parser() -> Lark:
    return Lark(grammar_text(), parser="lalr", lexer=_TokenList)


def build(rules: RuleSet) -> Vocabulary:
    """The vocabulary of a rule set: grammar words first, then titles and awards, levels, number
    attributes, yes/no attributes, kinds and the names of scale attributes (a longer phrase always
    wins, so 'Cơ quan đạt chuẩn văn hóa' is a title, 'Đảng viên mới' a yes/no attribute)."""
    vocab = Vocabulary()
    for terminal in parser().terminals:
        pattern = terminal.pattern
        if pattern.type == "str":
            vocab.add(str(pattern.value), terminal.name, str(pattern.value))
            for other in _SYNONYMS.get(terminal.name, ()):
                vocab.add(other, terminal.name, str(pattern.value))
    for word in BLOCKING:
        vocab.add(word, "BLOCK", word)
    for title in rules.titles.values():
        for name in (title.title, *title.aliases):
            vocab.add(name, "TITLE", title.id)
            words = " ".join(_key(name))
            if title.category == "award" and _POSSESSIVE in f" {words} ":
                award, giver = (part.strip() for part in f" {words} ".split(_POSSESSIVE, 1))
                vocab.awards.setdefault((award, giver), title.id)
                vocab.add(award, "AWARD", award)
                vocab.add(giver, "GIVER", giver)
    for scale in rules.scales.values():
        for index, level in enumerate(scale.levels):
            for name in (level.label, *level.aliases):
                vocab.add_option(name, "LEVEL", (scale.id, index))  # on two scales: the subject decides
    rank_like = value_like()
    for kind in rules.kinds.values():
        for attr in kind.attributes:
            if attr.type in ("integer", "number"):
                like = _measured_like(attr.id, attr.label, rank_like)
                meaning = NumberAttribute(
                    attr.id,
                    attr.label,
                    attr.type,
                    kind.id,
                    like.better if like else "higher",
                    like.unit if like else None,
                )
                for name in (attr.label, *attr.aliases):
                    vocab.add_option(name, "ATTRIBUTE", meaning)
    for phrases, meaning in value_phrases():
        for name in phrases:
            vocab.add_option(name, "ATTRIBUTE", meaning)
        if meaning.unit is not None:
            vocab.add(meaning.unit, "UNIT", meaning.unit)
    for kind in rules.kinds.values():
        for attr in kind.attributes:
            if attr.type == "boolean":
                for name in (attr.label, *attr.aliases):
                    vocab.add_option(name, "FLAG", (kind.id, attr.id))  # on two kinds: the subject decides
    for kind in rules.kinds.values():
        for name in (kind.title, *kind.aliases):
            vocab.add(_singular(name), "KIND", kind.id)
    for kind in rules.kinds.values():
        for attr in kind.attributes:
            if attr.scale is not None:
                for name in (attr.label, *attr.aliases):
                    vocab.add_option(name, "FIELD", Field(kind.id, attr.id))
    return vocab


def _singular(name: str) -> str:
    """A kind's name without a plural marker ("Các đoàn thể" -> "đoàn thể"): "các" is the grammar's."""
    key = plain(name)
    for marker in _PLURAL:
        if key.startswith(marker):
            return name.split(None, 1)[1]
    return name


def _measured_like(ident: str, label: str, like: dict[str, NumberAttribute]) -> NumberAttribute | None:
    """The values.yaml entry a rule set's number attribute is measured like: the one with its id, else
    the one whose `like` words its label holds ("Thứ hạng thi học sinh giỏi" is a rank: lower is better)."""
    for _phrases, meaning in value_phrases():
        if meaning.id == ident:
            return meaning
    key = f" {' '.join(_key(label))} "
    return next((meaning for words, meaning in like.items() if f" {words} " in key), None)
