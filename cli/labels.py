"""User-interface labels of the command line: the Vietnamese help of every command, and the labels shared with
every front end (rules/labels.py, where `label` and `LABELS` live; problem and reason texts live in
rules.messages).

The help is the gettext catalogue cli/locale/vi/LC_MESSAGES/thidua-help.po (the English help is each
command's docstring and option's help=, see cli/localized.py), read lazily with the standard library's
gettext, so `thidua --help` loads one small .mo file and nothing of the core. Add or change an entry
there and run `python tasks.py catalogs` (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping

from thidua.rules.labels import LABELS, NEW_LABELS, label
from thidua.rules.labels import catalogue as _catalogue

# Transition only, must stay empty (as NEW_LABELS, rules/labels.py): `python tasks.py catalogs` moves
# entries parked here into the .po file, and tests/test_catalogs.py fails until this is empty again.
NEW_HELP_VI: dict[str, str] = {}


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


HELP_VI: MutableMapping[str, str] = _HelpVi()


__all__ = ["HELP_VI", "LABELS", "NEW_HELP_VI", "NEW_LABELS", "label"]
