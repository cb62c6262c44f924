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

from thidua.rules.names import plain
from thidua.rules.ruleset import RuleSet

# Figures and words of a sentence: "8,5" and "90%" are one word; "công chức, người" is three.
_WORD = re.compile(r"\d+(?:[.,]\d+)?\s*%|\d+(?:[.,]\d+)?|\w+|[≥≤>]")
_YEAR = re.compile(r"\bnam\s+\d{4}\b")  # "năm 2022": a date, not a figure of the target
_ASIDE = re.compile(r"\([^)]*\)")  # "(hộ gia đình của cá nhân)": an aside in a label, not part of its name
_POSSESSIVE = " cua "  # "Bằng khen của UBND tỉnh": the award, then who gives it


@dataclass(frozen=True)
class Word:
    """A recognised phrase: its token type, what it means, and how many words of the sentence it took."""

    type: str
    value: Any
    size: int


@dataclass(frozen=True)
class NumberAttribute:
    """A number attribute a sentence may name: a pack's (its kind set) or one of values.yaml (kind None)."""

    id: str
    label: str
    type: str
    kind: str | None = None
    better: str = "higher"
    unit: str | None = None


@dataclass
class Vocabulary:
    """Phrases (plain words) -> meaning, built once per rule set from its labels and aliases."""

    phrases: dict[tuple[str, ...], Word] = field(default_factory=dict)
    awards: dict[tuple[str, str], str] = field(default_factory=dict)  # (award word, giver) -> title id
    longest: int = 1

    def add(self, name: str, type_: str, value: Any, replace: bool = False) -> None:
        words = tuple(_WORD.findall(plain(_ASIDE.sub(" ", name))))
        if not words or (words in self.phrases and not replace):
            return
        self.phrases[words] = Word(type_, value, len(words))
        self.longest = max(self.longest, len(words))

    def add_number(self, name: str, meaning: NumberAttribute) -> None:
        """A number attribute's name: the same name on two kinds keeps both, the subject decides."""
        words = tuple(_WORD.findall(plain(_ASIDE.sub(" ", name))))
        hit = self.phrases.get(words)
        if hit is not None and hit.type == "ATTRIBUTE":
            if meaning not in hit.value:
                hit.value.append(meaning)
        else:
            self.add(name, "ATTRIBUTE", [meaning])

    def tokens(self, sentence: str) -> tuple[list[Token], int, int]:
        """The sentence's tokens, with how many of its words were recognised and how many it has."""
        text = _YEAR.sub(" ", plain(sentence))
        words = _WORD.findall(text)
        out: list[Token] = []
        known = 0
        i = 0
        while i < len(words):
            word = words[i]
            if word[0].isdigit():
                figure = word.replace(" ", "")
                out.append(Token("PERCENT" if figure.endswith("%") else "NUMBER", figure))
                known += 1
                i += 1
                continue
            for size in range(min(self.longest, len(words) - i), 0, -1):
                hit = self.phrases.get(tuple(words[i : i + size]))
                if hit is not None:
                    out.append(Token(hit.type, hit.value))
                    known += size
                    i += size
                    break
            else:
                i += 1
        return out, known, len(words)


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
    """The vocabulary of the packs in `rules`: grammar words first, then titles, levels, yes/no
    attributes and kinds (a longer phrase always wins, so 'Cơ quan đạt chuẩn văn hóa' is a title)."""
    vocab = Vocabulary()
    for terminal in parser().terminals:
        pattern = terminal.pattern
        if pattern.type == "str":
            vocab.add(str(pattern.value), terminal.name, str(pattern.value))
    for title in rules.titles.values():
        for name in (title.title, *title.aliases):
            vocab.add(name, "TITLE", title.id)
            if title.category == "award" and _POSSESSIVE in f" {plain(name)} ":
                award, giver = plain(_ASIDE.sub(" ", name)).split(_POSSESSIVE.strip(), 1)
                award, giver = " ".join(award.split()), " ".join(giver.split())
                vocab.awards.setdefault((award, giver), title.id)
                vocab.add(award, "AWARD", award)
                vocab.add(giver, "GIVER", giver)
    for scale in rules.scales.values():
        for index, level in enumerate(scale.levels):
            for name in (level.label, *level.aliases):
                words = tuple(_WORD.findall(plain(name)))
                hit = vocab.phrases.get(words)
                if hit is not None and hit.type == "LEVEL":
                    hit.value.append((scale.id, index))  # the same name on two scales: the subject decides
                else:
                    vocab.add(name, "LEVEL", [(scale.id, index)])
    for kind in rules.kinds.values():
        for attr in kind.attributes:
            if attr.type in ("integer", "number"):
                for name in (attr.label, *attr.aliases):
                    vocab.add_number(name, NumberAttribute(attr.id, attr.label, attr.type, kind.id))
    for phrases, meaning in value_phrases():
        for name in phrases:
            vocab.add_number(name, meaning)
        if meaning.unit is not None:
            vocab.add(meaning.unit, "UNIT", meaning.unit)
    for kind in rules.kinds.values():
        for attr in kind.attributes:
            if attr.type == "boolean":
                for name in (attr.label, *attr.aliases):
                    vocab.add(name, "FLAG", (kind.id, attr.id))
    for kind in rules.kinds.values():
        for name in (kind.title, *kind.aliases):
            vocab.add(name, "KIND", kind.id)
    return vocab
