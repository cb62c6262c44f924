"""The criteria in force for a review: its decision date, the regimes that cover it, and what to tell.

Which title criteria apply is chosen by the date the results are decided (`review: {decided_on: …}`,
by default the period's last day), not by the results year: Law 06/2022/QH15 took effect on 1/1/2024
and keeps only titles awarded before it (Art. 94-95), so a 2023 year decided in January 2024 falls
under it. Each criteria pack declares its `regime:` (legal basis, dates, when it was last checked);
a period that straddles a change of the texts, a decision made after the period under other texts,
and a date past what the packs were checked against are said, never silently absorbed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from thidua.rules.periods import Period
from thidua.rules.ruleset import PackRegime, RuleSet

DecidedBy = Literal["review", "period_end"]


@dataclass(frozen=True)
class RegimeNote:
    """A note or a warning about the regime applied: a message code and its parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}


@dataclass(frozen=True)
class Change:
    """A day the texts change: which regimes or texts start, which end (the day before)."""

    day: dt.date
    starts: tuple[str, ...]
    ends: tuple[str, ...]


@dataclass(frozen=True)
class Applied:
    """The regimes applied to one review, with the decision date that chose them and what to tell."""

    decided_on: dt.date | None
    decided_by: DecidedBy | None
    period: Period | None
    regimes: tuple[PackRegime, ...]
    notes: tuple[RegimeNote, ...] = ()
    warnings: tuple[RegimeNote, ...] = ()

    def texts_in_force(self, regime: PackRegime) -> list[str]:
        """The legal texts of `regime` in force on the decision date (all of them without a date)."""
        day = self.decided_on
        return [
            b.text
            for b in regime.regime.basis
            if day is None or ((b.from_ is None or b.from_ <= day) and (b.until is None or day <= b.until))
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "decided_on": self.decided_on.isoformat() if self.decided_on else None,
            "decided_by": self.decided_by,
            "packs": [
                {
                    "pack": r.pack,
                    "name": r.name,
                    "regime": r.regime.title,
                    "valid": _validity(r),
                    "checked_on": r.regime.checked_on.isoformat() if r.regime.checked_on else None,
                    "basis": [
                        {
                            "text": b.text,
                            "from": b.from_.isoformat() if b.from_ else None,
                            "until": b.until.isoformat() if b.until else None,
                            "in_force": b.text in self.texts_in_force(r),
                        }
                        for b in r.regime.basis
                    ],
                }
                for r in self.regimes
            ],
            "notes": [n.to_dict() for n in self.notes],
            "warnings": [w.to_dict() for w in self.warnings],
        }


def _validity(r: PackRegime) -> dict[str, str | None]:
    v = r.regime.valid
    return {
        "from": v.first.isoformat() if v.first else None,
        "until": v.last.isoformat() if v.last else None,
    }


def day_text(day: dt.date | None) -> str:
    """A date as Vietnamese documents write it (01/01/2024); '—' for none."""
    return day.strftime("%d/%m/%Y") if day is not None else "—"


def decision_date(rules: RuleSet, period: Period | None) -> tuple[dt.date | None, DecidedBy | None]:
    """The date the review decides: `review.decided_on`, else the period's last day, else none."""
    if rules.review is not None and rules.review.decided_on is not None:
        return rules.review.decided_on, "review"
    if period is not None:
        return period.end, "period_end"
    return None, None


def changes(regimes: list[PackRegime]) -> list[Change]:
    """The days the regimes and their texts start or end (the day after an `until`), in order."""
    starts: dict[dt.date, list[str]] = {}
    ends: dict[dt.date, list[str]] = {}
    for r in regimes:
        v = r.regime.valid
        if not r.regime.basis:  # a regime without texts listed is named by its title
            if v.first is not None:
                starts.setdefault(v.first, []).append(r.regime.title)
            if v.last is not None:
                ends.setdefault(v.last + dt.timedelta(days=1), []).append(r.regime.title)
        elif v.first is not None or v.last is not None:  # its texts' dates say the change; mark the day
            for day in (v.first, v.last + dt.timedelta(days=1) if v.last is not None else None):
                if day is not None:
                    starts.setdefault(day, [])
        for b in r.regime.basis:
            if b.from_ is not None:
                starts.setdefault(b.from_, []).append(b.text)
            if b.until is not None:
                ends.setdefault(b.until + dt.timedelta(days=1), []).append(b.text)
    days = sorted(set(starts) | set(ends))
    return [Change(d, tuple(dict.fromkeys(starts.get(d, []))), tuple(dict.fromkeys(ends.get(d, [])))) for d in days]


def applied_regime(rules: RuleSet, period: Period | None) -> Applied:
    """The regimes in force on the review's decision date, and the notes and warnings about them."""
    decided_on, decided_by = decision_date(rules, period)
    regimes = [r for r in rules.regimes if decided_on is not None and r.regime.valid.covers(decided_on)]
    notes: list[RegimeNote] = []
    warnings: list[RegimeNote] = []
    applied = ", ".join(r.regime.title for r in regimes) or "—"
    for change in changes(rules.regimes):
        params = {
            "period": period.label if period else "",
            "day": day_text(change.day),
            "starts": ", ".join(change.starts) or "—",
            "ends": ", ".join(change.ends) or "—",
            "decided_on": day_text(decided_on),
            "applied": applied,
        }
        if period is not None and period.start < change.day <= period.end:
            notes.append(RegimeNote("regime.straddles", params))
        elif period is not None and decided_on is not None and period.end < change.day <= decided_on:
            notes.append(RegimeNote("regime.decided_later", params))
    has_dated_criteria = rules.criteria is not None and any(c.spec.valid is not None for c in rules.criteria.criteria)
    if decided_on is not None and not regimes and (rules.regimes or has_dated_criteria):
        warnings.append(RegimeNote("regime.none", {"decided_on": day_text(decided_on)}))
    checked = [(r.regime.checked_on, r.pack) for r in rules.regimes if r.regime.checked_on is not None]
    dates = [d for d in (decided_on, period.end if period is not None else None) if d is not None]
    if checked and dates:
        newest, pack = max(checked)
        latest = max(dates)
        if latest > newest:
            warnings.append(
                RegimeNote("regime.unchecked", {"day": day_text(latest), "checked_on": day_text(newest), "pack": pack})
            )
    return Applied(decided_on, decided_by, period, tuple(regimes), tuple(notes), tuple(warnings))


__all__ = ["Applied", "Change", "RegimeNote", "applied_regime", "changes", "day_text", "decision_date"]
