"""The seed agency's 2022 rules as both twins encode them: scales, thresholds, and verdicts from counts.

bench/pandas_twin.py and bench/polars_twin.py compute, each with its own library, the few integers a
target is decided on (entities counted, unknown, a share's numerator and denominator on both ends);
this module turns those integers into the status, measured bounds and margin that bench/compare.py
compares field by field with thidua's. It imports neither pandas nor polars, so each twin pays only
for its own library, and the roster files are read the same way for both.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import orjson

PERIOD = 2022
XEP_LOAI = {"khong_hoan_thanh": 0, "hoan_thanh": 1, "hoan_thanh_tot": 2, "hoan_thanh_xuat_sac": 3}
DOAN_VIEN = {"yeu": 0, "trung_binh": 1, "kha": 2, "xuat_sac": 3}
KY_LUAT = {
    "khong": 0,
    "khien_trach": 1,
    "canh_cao": 2,
    "ha_bac_luong": 3,
    "giang_chuc": 4,
    "cach_chuc": 5,
    "buoc_thoi_viec": 6,
}
LDTT, CSTDCS = "lao_dong_tien_tien", "chien_si_thi_dua_co_so"
TTLDTT, TTLDXS = "tap_the_lao_dong_tien_tien", "tap_the_lao_dong_xuat_sac"
PERSON_TITLES = [LDTT, CSTDCS, "gia_dinh_van_hoa", "giay_khen_thu_truong", "bang_khen_ubnd_tinh"]
UNIT_TITLES = [TTLDTT, TTLDXS, "giay_khen_thu_truong"]
ORG_TITLES = ["bang_khen_ubnd_tinh", "co_quan_dat_chuan_van_hoa"]
MIN_MONTHS = 10  # lddt_min_months_nd91
CAP_PERCENT = 15  # cstdcs_cap_nd91, rounded down
PCT90 = Fraction(90, 100)


def status(low: Fraction, high: Fraction, op: str, t: Fraction, exceed: bool) -> str:
    """The decision rules of evaluator/engine/durable.py, on float bounds as the engine compares them."""
    lo, hi, tv = float(low), float(high), float(t)
    if op in ("gt", "gte", "lt", "lte"):
        up, strict = op in ("gt", "gte"), op in ("gt", "lt")
        worse, better = (hi, lo) if up else (lo, hi)
        if (worse <= tv if strict else worse < tv) if up else (worse >= tv if strict else worse > tv):
            return "not_met"
        sat = (better > tv if strict else better >= tv) if up else (better < tv if strict else better <= tv)
        if exceed:
            if (better > tv) if up else (better < tv):
                return "exceeded"
            if not strict and sat and ((worse <= tv) if up else (worse >= tv)):
                return "met"
            return "pending"
        return "met" if sat else "pending"
    if lo >= tv and hi <= tv:
        return "met"
    return "not_met" if hi < tv or lo > tv else "pending"


def verdict(
    target: str, kind: str, low: Any, high: Any, op: str, t: Fraction, measured: dict[str, Any]
) -> dict[str, Any]:
    exceed = kind in ("count", "level") and op in ("gt", "gte", "lt", "lte")
    if low is None:
        return {"target": target, "status": "pending", "measured": measured, "margin": None}
    s = status(Fraction(low), Fraction(high), op, t, exceed)
    margin = None
    if s != "pending" and low == high and op in ("gt", "gte", "lt", "lte") and kind != "holds":
        diff = (Fraction(low) - t) * (1 if op in ("gt", "gte") else -1)
        margin = round(float(diff * 100), 2) if kind == "share" else int(diff)
    return {"target": target, "status": s, "measured": measured, "margin": margin}


def count_verdict(target: str, yes: int, unknown: int, op: str, t: int) -> dict[str, Any]:
    """A count of entities whose condition holds (`yes`) or is unknown."""
    measured = {"value": yes if unknown == 0 else None, "low": yes, "high": yes + unknown, "unknown": unknown}
    return verdict(target, "count", Fraction(yes), Fraction(yes + unknown), op, Fraction(t), measured)


def share_verdict(target: str, k: int, n: int, u_in: int, du: tuple[int, int, int], t: Fraction) -> dict[str, Any]:
    """A share with the `pending` policy for unknowns, from k matching of n in the population, u_in of
    them unknown, and du the (matching, not matching, unknown) entities whose membership is unknown."""
    du_t, du_f, du_u = du
    unknown = u_in + du_t + du_f + du_u
    lo_num, lo_den = k, n + du_f + du_u
    hi_num, hi_den = k + u_in + du_t + du_u, n + du_t + du_u
    if n + du_t + du_f + du_u == 0 or lo_den == 0 or hi_den == 0:
        return verdict(target, "share", None, None, "gt", t, {"unknown": unknown})
    low, high = Fraction(lo_num, lo_den), Fraction(hi_num, hi_den)
    exact = low == high and unknown == 0
    measured = {
        "value": float(low) if exact else None,
        "low": float(low),
        "high": float(high),
        "numerator": lo_num if exact else None,
        "denominator": lo_den if exact else None,
        "unknown": unknown,
    }
    return verdict(target, "share", low, high, "gt", t, measured)


def level_verdict(target: str, value: int | None, t: int) -> dict[str, Any]:
    """A single entity's level (an ordinal of XEP_LOAI), unknown when None."""
    if value is None:
        measured = {"value": None, "low": 0, "high": 3, "unknown": 1}
        return verdict(target, "level", 0, 3, "gte", Fraction(t), measured)
    return verdict(
        target, "level", value, value, "gte", Fraction(t), {"value": value, "low": value, "high": value, "unknown": 0}
    )


def holds_verdict(target: str, held: bool | None) -> dict[str, Any]:
    """A single entity's holding of a title, unknown when None."""
    low, high = (0, 1) if held is None else (int(held), int(held))
    measured = {"value": held, "low": low, "high": high, "unknown": int(held is None)}
    return verdict(target, "holds", low, high, "eq", Fraction(1), measured)


def read(*parts: Path, loads: Any = orjson.loads) -> dict[str, Any]:
    """One roster from one or more JSON files (a large roster is split: thidua reads at most 32 MiB per
    file), the entities of each kind concatenated in file order."""
    data: dict[str, Any] = {}
    for facts in parts:
        part: dict[str, Any] = loads(facts.read_bytes())
        if part.get("period") != PERIOD:
            sys.exit(f"{facts}: the twin knows only the {PERIOD} rules")
        if not data:
            data = part
            continue
        for kind, items in part.get("entities", {}).items():
            data["entities"].setdefault(kind, []).extend(items)
    return data


def agencies(root: Path) -> list[tuple[str, Path]]:
    """(folder relative to root, its roster) for every folder under root holding one, in path order."""
    found = []
    for facts in sorted(root.rglob("*.facts.json")):
        rel = facts.parent.relative_to(root).as_posix()
        found.append((rel, facts))
    return found
