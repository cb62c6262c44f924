"""The title criteria a run applied, in words: each pack with its legal basis and dates, notes and warnings."""

from __future__ import annotations

from typing import Any

from thidua.rules.labels import label
from thidua.rules.messages import render


def iso_day(text: str | None) -> str:
    if not text:
        return ""
    year, month, day = text.split("-")
    return f"{day}/{month}/{year}"


def _validity(valid: dict[str, str | None], lang: str) -> str:
    first, last = iso_day(valid.get("from")), iso_day(valid.get("until"))
    if first and last:
        return label("crit.valid.between", lang, first=first, last=last)
    if first:
        return label("crit.valid.from", lang, first=first)
    if last:
        return label("crit.valid.until", lang, last=last)
    return label("crit.valid.always", lang)


def _text(b: dict[str, Any], lang: str) -> str:
    first, last = iso_day(b.get("from")), iso_day(b.get("until"))
    if first and last:
        return f"{b['text']} ({first} – {last})"
    if first:
        return f"{b['text']} ({label('crit.valid.from', lang, first=first)})"
    if last:
        return f"{b['text']} ({label('crit.valid.until', lang, last=last)})"
    return str(b["text"])


def pack_text(p: dict[str, Any], lang: str) -> str:
    """One pack applied: its name, its regime and when it applies, the texts in force on the decision date."""
    texts = [_text(b, lang) for b in p["basis"] if b["in_force"]]
    return label(
        "crit.pack",
        lang,
        pack=p["pack"],
        regime=p["regime"],
        valid=_validity(p["valid"], lang),
        texts="; ".join(texts) or "—",
    )


def note_text(n: dict[str, Any], lang: str) -> str:
    return render(n["code"], lang, **n["params"])


def with_texts(criteria: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """The applied regimes as JSON data, each pack, note and warning with its text in `lang`."""
    if criteria is None:
        return None
    out = dict(criteria)
    out["packs"] = [{**p, "text": pack_text(p, lang)} for p in criteria["packs"]]
    out["notes"] = [{**n, "text": note_text(n, lang)} for n in criteria["notes"]]
    out["warnings"] = [{**w, "text": note_text(w, lang)} for w in criteria["warnings"]]
    return out


__all__ = ["iso_day", "note_text", "pack_text", "with_texts"]
