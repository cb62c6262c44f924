"""Labels every front end shows (table headings, statuses, words of the pages) in Vietnamese and English.

The texts are the `thidua-cli` gettext catalogue (cli/locale/{vi,en}/LC_MESSAGES/thidua-cli.po, msgid =
the label key), read lazily with the standard library's gettext. They are read here, below the command
line, because the command line and the web pages (`thidua serve`) say the same things in the same
words, and the application layer assembles the JSON both serve. The catalogue files stay beside the
command line's help (cli/locale), where translators edit them; this module reads only the data, never
the command line's code. Add or change a label there and run `python tasks.py catalogs`
(docs/architecture.md).
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

# thidua/rules/labels.py -> thidua/cli/locale, in the repository and in an installed copy alike
LOCALE = Path(__file__).resolve().parent.parent / "cli" / "locale"
DOMAIN = "thidua-cli"

# Transition only, must stay empty: a branch written before the catalogues may park its new entries
# here; `python tasks.py catalogs` moves them into the .po files, and tests/test_catalogs.py fails
# until this is empty again.
NEW_LABELS: dict[str, tuple[str, str]] = {}


@cache
def catalogue(domain: str, lang: str) -> dict[str, str]:
    """code -> text of one compiled catalogue of cli/locale (the .mo header entry left out)."""
    with (LOCALE / lang / "LC_MESSAGES" / f"{domain}.mo").open("rb") as fp:
        texts: dict[str, str] = vars(gettext.GNUTranslations(fp))["_catalog"]
    return {k: v for k, v in texts.items() if k}


class _Labels(Mapping[str, tuple[str, str]]):
    """key -> (Vietnamese, English), read from the thidua-cli catalogues on first use."""

    def __getitem__(self, key: str) -> tuple[str, str]:
        if key in NEW_LABELS:
            return NEW_LABELS[key]
        vi, en = catalogue(DOMAIN, "vi"), catalogue(DOMAIN, "en")
        if key not in vi:
            raise KeyError(key)
        return vi[key], en.get(key, vi[key])

    def __iter__(self) -> Iterator[str]:
        return iter({**catalogue(DOMAIN, "vi"), **NEW_LABELS})

    def __len__(self) -> int:
        return sum(1 for _ in self)


LABELS: Mapping[str, tuple[str, str]] = _Labels()


def label(key: str, lang: str = "vi", **params: object) -> str:
    """The label `key` in `lang` ('vi' or 'en'), parameters filled in."""
    if NEW_LABELS and key in NEW_LABELS:
        text = NEW_LABELS[key][1 if lang == "en" else 0]
    else:
        text = catalogue(DOMAIN, "en" if lang == "en" else "vi")[key]
    return text.format(**params) if params else text


__all__ = ["LABELS", "NEW_LABELS", "label"]
