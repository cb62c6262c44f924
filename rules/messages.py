"""Message catalogue: every user-facing problem and reason in Vietnamese (default) and English.

The texts live in gettext catalogues, rules/locale/{vi,en}/LC_MESSAGES/thidua.po (msgid = the
message code, msgstr = its text), compiled to the .mo files read here with the standard library's
gettext. Add or change a message there and run `python tasks.py catalogs` (docs/architecture.md).
"""

from __future__ import annotations

import gettext
import os
import string
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

LANGS = ("vi", "en")
DOMAIN = "thidua"
LOCALE = Path(__file__).with_name("locale")
# Set by the test suite: an unknown code, a missing parameter or a parameter that is None raises
# instead of showing the user "{max}" or "tối đa None".
STRICT_ENV = "THIDUA_STRICT_MESSAGES"

# Transition only, must stay empty: a branch written before the catalogues may park its new
# (vi, en) pairs here; `python tasks.py catalogs` moves them into the .po files, and
# tests/test_catalogs.py fails until this is empty again.
NEW_MESSAGES: dict[str, tuple[str, str]] = {}


@cache
def _texts(lang: str) -> dict[str, str]:
    """code -> text of one compiled catalogue, read once per process (a few milliseconds).

    The parsed dict of the standard library's reader: its gettext() cannot tell a missing code from
    a text equal to it, and a dict lookup keeps render() as fast as the old dict was."""
    with (LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as fp:
        texts: dict[str, str] = vars(gettext.GNUTranslations(fp))["_catalog"]
    return texts


def template(code: str, lang: str = "vi") -> str | None:
    """The unfilled text of `code` in `lang`, or None when no catalogue has that code."""
    if NEW_MESSAGES and code in NEW_MESSAGES:
        return NEW_MESSAGES[code][1 if lang == "en" else 0]
    return _texts("en" if lang == "en" else "vi").get(code) if code else None


class _Messages(Mapping[str, tuple[str, str]]):
    """code -> (Vietnamese, English), read from the catalogues: a read-only view for code that looks
    messages up (tests matching a text); write new messages in the .po files, not here."""

    def __getitem__(self, code: str) -> tuple[str, str]:
        vi, en = template(code, "vi"), template(code, "en")
        if vi is None or en is None:
            raise KeyError(code)
        return vi, en

    def __iter__(self) -> Iterator[str]:
        return iter({**{k: "" for k in _texts("vi") if k}, **NEW_MESSAGES})

    def __len__(self) -> int:
        return sum(1 for _ in self)


MESSAGES: Mapping[str, tuple[str, str]] = _Messages()


def _fields(text: str) -> set[str]:
    """The names of the {placeholders} of a template (only worked out in strict mode)."""
    return {str(f).split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(text) if f}


def _strict() -> bool:
    return bool(os.environ.get(STRICT_ENV))


def render(code: str, lang: str = "vi", **params: Any) -> str:
    """The message for `code` in `lang` ('vi' or 'en'), parameters filled in."""
    text = template(code, lang)
    if text is None:
        if _strict():
            raise KeyError(f"no message '{code}' in {LOCALE}/*/LC_MESSAGES/{DOMAIN}.po")
        return code + (" " + repr(params) if params else "")
    if None in params.values() and _strict():
        if empty := sorted(k for k, v in params.items() if v is None and k in _fields(text)):
            raise ValueError(f"message '{code}': parameter(s) {', '.join(empty)} are None")
    shown = {k: _param(v, lang) for k, v in params.items()}
    try:
        return text.format(**shown)
    except (KeyError, IndexError):
        if _strict():
            raise
        return text


def _param(value: Any, lang: str) -> Any:
    """A parameter as text in `lang`: a list joined, a location (anything with `describe`) described,
    a number in the reader's notation. Figures the evaluator computes travel as data (JSON, the ledger)
    and are written here, in the language of the reader: `{"percent": 0.3182}` (31,82% / 31.82%),
    `{"percent": [low, high]}` (a range), `{"ratio": [1, 6]}` (1/6 (16,67%)), `{"sum": [terms]}`."""
    if isinstance(value, dict) and len(value) == 1:
        shown = _figure(*next(iter(value.items())), lang)
        if shown is not None:
            return shown
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_param(v, lang)) for v in value)
    describe = getattr(value, "describe", None)
    if callable(describe):
        return describe(lang)
    if isinstance(value, float):  # a decimal as the reader writes it: 8,5 điểm (vi), 8.5 points (en)
        from thidua.rules.formatting import decimal  # Babel: only a message with a decimal pays its import

        return decimal(value, lang)
    return value


def _figure(form: str, value: Any, lang: str) -> str | None:
    """A figure of the forms `_param` knows, in `lang`; None for any other mapping."""
    from thidua.rules.formatting import percent  # Babel: only a message with a figure pays its import

    if form == "percent" and isinstance(value, (int, float)):
        return percent(value, lang)
    if form == "percent" and isinstance(value, (list, tuple)) and len(value) == 2:
        return f"{percent(value[0], lang)}–{percent(value[1], lang)}"
    if form == "ratio" and isinstance(value, (list, tuple)) and len(value) == 2 and value[1]:
        return f"{value[0]}/{value[1]} ({percent(value[0] / value[1], lang)})"
    if form == "sum" and isinstance(value, (list, tuple)):
        return " + ".join(str(_param(v, lang)) for v in value)
    return None
