"""User-interface labels in Vietnamese and English (problem and reason texts live in rules.messages).

The texts live in gettext catalogues under cli/locale/: thidua-cli.po (vi and en; msgid = the label
key) and thidua-help.po (Vietnamese help of every command and option; the English help is each
command's docstring and option's help=, see cli/localized.py). They are read lazily with the
standard library's gettext, so `thidua --help` loads one small .mo file and nothing of the core.
Add or change a label there and run `python tasks.py catalogs` (docs/architecture.md).
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator, Mapping, MutableMapping
from functools import cache
from pathlib import Path

LOCALE = Path(__file__).with_name("locale")

# Transition only, must stay empty: a branch written before the catalogues may park its new entries
# here; `python tasks.py catalogs` moves them into the .po files, and tests/test_catalogs.py fails
# until these are empty again.
NEW_LABELS: dict[str, tuple[str, str]] = {}
NEW_HELP_VI: dict[str, str] = {}


@cache
def _catalogue(domain: str, lang: str) -> dict[str, str]:
    """code -> text of one compiled catalogue (the .mo header entry left out)."""
    with (LOCALE / lang / "LC_MESSAGES" / f"{domain}.mo").open("rb") as fp:
        texts: dict[str, str] = vars(gettext.GNUTranslations(fp))["_catalog"]
    return {k: v for k, v in texts.items() if k}


class _Labels(Mapping[str, tuple[str, str]]):
    """key -> (Vietnamese, English), read from the thidua-cli catalogues on first use."""

    def __getitem__(self, key: str) -> tuple[str, str]:
        if key in NEW_LABELS:
            return NEW_LABELS[key]
        vi, en = _catalogue("thidua-cli", "vi"), _catalogue("thidua-cli", "en")
        if key not in vi:
            raise KeyError(key)
        return vi[key], en.get(key, vi[key])

    def __iter__(self) -> Iterator[str]:
        return iter({**_catalogue("thidua-cli", "vi"), **NEW_LABELS})

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _HelpVi(MutableMapping[str, str]):
    """command or option key -> its Vietnamese help, from the thidua-help catalogue on first use.

    Writable, so a test or a plugin command can add its own entries for the running process."""

    def __init__(self) -> None:
        self._added: dict[str, str] = {}
        self._removed: set[str] = set()

    def _all(self) -> dict[str, str]:
        texts = {**_catalogue("thidua-help", "vi"), **NEW_HELP_VI, **self._added}
        return {k: v for k, v in texts.items() if k not in self._removed}

    def __getitem__(self, key: str) -> str:
        if key not in self._removed:
            for texts in (self._added, NEW_HELP_VI, _catalogue("thidua-help", "vi")):
                if key in texts:
                    return texts[key]
        raise KeyError(key)

    def __setitem__(self, key: str, value: str) -> None:
        self._removed.discard(key)
        self._added[key] = value

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self._added.pop(key, None)
        self._removed.add(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


LABELS: Mapping[str, tuple[str, str]] = _Labels()
HELP_VI: MutableMapping[str, str] = _HelpVi()


def label(key: str, lang: str = "vi", **params: object) -> str:
    if NEW_LABELS and key in NEW_LABELS:
        text = NEW_LABELS[key][1 if lang == "en" else 0]
    else:
        text = _catalogue("thidua-cli", "en" if lang == "en" else "vi")[key]
    return text.format(**params) if params else text
