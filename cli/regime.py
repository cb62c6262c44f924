"""The lines that state the title criteria applied (their words: evaluator/app/regime.py), under a table."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from thidua.cli.labels import label
from thidua.evaluator.app.regime import iso_day, note_text, pack_text, with_texts
from thidua.rules.regime import day_text


def regime_lines(criteria: dict[str, Any] | None, lang: str) -> list[Text]:
    """What the table footer says: the criteria applied by the decision date, then notes and warnings.
    Nothing for a rule set without title criteria."""
    if criteria is None or not (criteria["packs"] or criteria["notes"] or criteria["warnings"]):
        return []
    out: list[Text] = []
    by = label(f"crit.by.{criteria['decided_by']}", lang) if criteria["decided_by"] else "—"
    decided = iso_day(criteria["decided_on"]) or day_text(None)
    if criteria["packs"]:
        out.append(Text(label("crit.applied", lang, decided_on=decided, by=by), style="bold"))
        for p in criteria["packs"]:
            out.append(Text("  - " + pack_text(p, lang)))
    for n in criteria["notes"]:
        out.append(Text(label("crit.note", lang, text=note_text(n, lang)), style="cyan"))
    for w in criteria["warnings"]:
        out.append(Text(label("crit.warning", lang, text=note_text(w, lang)), style="yellow"))
    return out


__all__ = ["note_text", "pack_text", "regime_lines", "with_texts"]
