"""Vietnamese names of codes: one resolver from a label, an alias or an abbreviation (LĐTT) to its code.

Titles, levels, kinds and units may be written by code, by label or by one of the aliases the packs
declare. Matching ignores case and spacing and composes Unicode (NFC); a name written without
diacritics ("lao dong tien tien") is accepted when it names one code only. The rule loader and the
fact readers both resolve through this module, so the evaluator only ever sees codes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from thidua.rules.errors import Location, suggest


def normal(name: str) -> str:
    """Case, outer and repeated spaces ignored; Unicode composed (NFC), diacritics kept."""
    return unicodedata.normalize("NFC", " ".join(str(name).split())).casefold()


def plain(name: str) -> str:
    """`normal` without diacritics: 'Lao động tiên tiến' -> 'lao dong tien tien' (đ -> d)."""
    decomposed = unicodedata.normalize("NFD", normal(name).replace("đ", "d"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def bare(name: str) -> bool:
    """Whether `name` is written without any diacritics (then, and only then, it may match loosely:
    a wrong mark, 'tôt' for 'tốt', is more likely a mistake to show than a spelling to accept)."""
    key = normal(name)
    return key == plain(key)


@dataclass(frozen=True)
class Clash:
    """Two codes answering to the same name: an alias that cannot be resolved."""

    name: str
    codes: tuple[str, ...]
    location: Location


@dataclass
class NameTable:
    """Names -> code for one namespace (the titles, the levels of a scale, the kinds, the units)."""

    exact: dict[str, str] = field(default_factory=dict)
    loose: dict[str, set[str]] = field(default_factory=dict)
    clashes: list[Clash] = field(default_factory=list)

    def add(self, code: str, names: Iterable[str], location: Location | None = None) -> None:
        """Declare `code` and the names it answers to (its id first); a name taken by another code clashes."""
        for name in (code, *names):
            key = normal(name)
            if not key:
                continue
            other = self.exact.get(key)
            if other is not None and other != code:
                self.clashes.append(Clash(name, (other, code), location or Location("?")))
                continue
            self.exact[key] = code
            self.loose.setdefault(plain(name), set()).add(code)

    def resolve(self, name: object) -> str | None:
        """The code `name` stands for, or None when it names none (or, without diacritics, several)."""
        if not isinstance(name, str):
            return None
        key = normal(name)
        code = self.exact.get(key)
        if code is not None or not bare(name):
            return code
        codes = self.loose.get(key, set())
        return next(iter(codes)) if len(codes) == 1 else None

    def suggestion(self, name: object) -> str | None:
        """The code of the closest id, label or alias (compared without diacritics), for "Có phải là ...?"."""
        word = plain(str(name))
        by_plain: dict[str, str] = {}
        for key, code in self.exact.items():
            by_plain.setdefault(plain(key), code)
            by_plain.setdefault(identifier(key), code)
        hit = suggest(word, by_plain) or suggest(identifier(word), by_plain)
        return by_plain[hit] if hit is not None else None

    def names(self) -> dict[str, str]:
        """Every declared name (normalised) -> its code, for vocabularies built from the packs."""
        return dict(self.exact)


def identifier(label: str) -> str:
    """An identifier spelled from a label: 'Xếp loại' -> 'xep_loai' (to suggest codes from labels)."""
    return "_".join(plain(label).replace("-", " ").split())
