"""Ranking with tie-breakers over score ranges, and proposals by quota that stay pending when order is open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from thidua.evaluator.blocks.score import Bound, MemberScore
from thidua.rules.scoring import BlockFile, ProposalTitle

Range = tuple[Bound, Bound]


def sort_key(block: BlockFile, score: MemberScore) -> list[Range]:
    """The ranking key, higher first: the total, then each tie-breaker (deductions negated: fewer is better)."""
    key: list[Range] = [score.total]
    for tb in block.ranking.tie_breakers:
        if tb.group is not None:
            key.append(score.part(tb.group))
        elif tb.bonus is not None:
            key.append(score.part("bonus"))
        else:
            low, high = score.part("deductions")
            key.append((-high, -low))
    return key


def compare(a: Sequence[Range], b: Sequence[Range]) -> int | None:
    """1 when a is certainly above b, -1 certainly below, 0 a true tie (equal on every key), None open."""
    for (alo, ahi), (blo, bhi) in zip(a, b, strict=True):
        if alo > bhi:
            return 1
        if ahi < blo:
            return -1
        if not (alo == ahi == blo == bhi):
            return None
    return 0


def _middle(key: Sequence[Range]) -> tuple[float, ...]:
    return tuple((float(lo) + float(hi)) / 2 for lo, hi in key)


@dataclass(frozen=True)
class Place:
    """Where a member stands: rank from `best` to `worst` (equal when the order is settled)."""

    best: int
    worst: int
    tied: tuple[str, ...] = ()  # members equal on every key
    open: tuple[str, ...] = ()  # members whose order against this one pending items could change


@dataclass(frozen=True)
class Proposal:
    member: str
    status: str  # proposed | not_proposed | excluded | pending
    title: str | None = None  # the ProposalTitle id when proposed
    best: str | None = None  # when pending: the best and worst outcome
    worst: str | None = None
    reasons: tuple[tuple[str, dict[str, Any]], ...] = field(default_factory=tuple)


def places(keys: dict[str, list[Range]]) -> tuple[list[str], dict[str, Place]]:
    """Display order (by the middle of each range) and each member's place range."""
    order = sorted(keys, key=lambda m: _middle(keys[m]), reverse=True)
    out: dict[str, Place] = {}
    for m in order:
        above = tied = 0
        ties: list[str] = []
        opened: list[str] = []
        for other in order:
            if other == m:
                continue
            c = compare(keys[other], keys[m])
            if c == 1:
                above += 1
            elif c == 0:
                tied += 1
                ties.append(other)
            elif c is None:
                opened.append(other)
        out[m] = Place(above + 1, above + 1 + tied + len(opened), tuple(ties), tuple(opened))
    return order, out


def _assign(order: list[str], titles: Sequence[ProposalTitle], eligible: dict[tuple[str, str], bool]) -> dict[str, str]:
    """Titles down the order: each title to the first `quota` members not yet proposed that meet its conditions."""
    given: dict[str, str] = {}
    for title in titles:
        taken = 0
        for m in order:
            if taken >= title.quota:
                break
            if m not in given and eligible[(m, title.id)]:
                given[m] = title.id
                taken += 1
    return given


def propose(
    block: BlockFile,
    keys: dict[str, list[Range]],
    conditions: dict[str, dict[str, bool | None]],
) -> tuple[list[str], dict[str, Place], dict[str, Proposal]]:
    """Each member's proposal, or pending when a tie or a pending item or condition could change it.

    `conditions[member][condition id]` is True, False or None (not known yet). For each member two worlds
    are tried: the best (it wins every open comparison and tie, its unknown conditions hold, its rivals'
    do not) and the worst; the same outcome in both is settled, otherwise the proposal is pending.
    """
    order, place = places(keys)
    titles = list(block.proposals.titles) if block.proposals is not None else []

    def holds(m: str, title: ProposalTitle, unknown_as: bool) -> bool:
        values = [conditions[m].get(c) for c in title.conditions]
        return all((unknown_as if v is None else v) for v in values)

    out: dict[str, Proposal] = {}
    for m in order:
        p = place[m]
        above = [o for o in order if o != m and compare(keys[o], keys[m]) == 1]
        below = [o for o in order if o != m and compare(keys[o], keys[m]) == -1]
        middle = [o for o in order if o != m and o not in above and o not in below]
        best_order = [*above, m, *middle, *below]
        worst_order = [*above, *middle, m, *below]

        def world(x_unknown: bool, others_unknown: bool, m: str = m) -> dict[tuple[str, str], bool]:
            return {(o, t.id): holds(o, t, x_unknown if o == m else others_unknown) for o in order for t in titles}

        best = _assign(best_order, titles, world(True, False)).get(m)
        worst = _assign(worst_order, titles, world(False, True)).get(m)
        failed = [c for c, v in conditions[m].items() if v is False]
        in_play = {c for t in titles if t.id == best for c in t.conditions}
        unknown = [c for c, v in conditions[m].items() if v is None and c in in_play]
        if not titles:  # a block that ranks without proposing
            out[m] = Proposal(m, "not_proposed")
            continue
        if best == worst:
            if best is not None:
                out[m] = Proposal(m, "proposed", best, reasons=(("block.why_proposed", {"rank": p.best}),))
                continue
            # would it have had a title had its conditions held?
            unblocked = {(o, t.id): True if o == m else holds(o, t, True) for o in order for t in titles}
            could = _assign(best_order, titles, unblocked).get(m)
            if failed and could is not None:
                out[m] = Proposal(
                    m, "excluded", reasons=(("block.why_excluded", {"conditions": failed, "title": could}),)
                )
            else:
                out[m] = Proposal(m, "not_proposed", reasons=(("block.why_not_proposed", {"rank": p.best}),))
            continue
        reasons: list[tuple[str, dict[str, Any]]] = []
        if p.tied:
            reasons.append(("block.if_tie", {"rivals": list(p.tied), "best": best, "worst": worst}))
        if p.open:
            reasons.append(("block.if_open", {"rivals": list(p.open), "best": best, "worst": worst}))
        if unknown:
            reasons.append(("block.if_condition", {"conditions": unknown, "best": best, "worst": worst}))
        if not reasons:  # a rival's unknown condition decides
            rivals = [o for o in order if o != m and any(v is None for v in conditions[o].values())]
            reasons.append(("block.if_rival_condition", {"rivals": rivals, "best": best, "worst": worst}))
        out[m] = Proposal(m, "pending", best=best, worst=worst, reasons=tuple(reasons))
    return order, place, out
