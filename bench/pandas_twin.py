"""A pandas twin of the seed agency's 2022 rules: the same 14 verdicts, for measuring thidua against.

Usage: .venv/bin/python bench/pandas_twin.py FACTS.json [--ids]
       .venv/bin/python bench/pandas_twin.py --each ROOT [--ids]

Reads a roster written by bench/province.py (the JSON fact format of docs/rule-language.md, level
ids as values) and prints, as JSON, for each target of
examples/ban-dan-toc-binh-phuoc/2022/targets.rules.yaml its status, measured bounds and margin,
reached the way docs/criteria.md says thidua reaches them:

- the criteria pack `criteria_nd91` (the 2022 period) derives Lao động tiên tiến, Chiến sĩ thi đua
  cơ sở (with the 15% quota of LĐTT, rounded down, whole agency), Tập thể lao động tiên tiến and
  Tập thể lao động xuất sắc from raw facts; a title the facts record is the council's decision and
  wins over the derivation;
- three-valued logic throughout (pandas' nullable `boolean` dtype is Kleene logic): a missing or
  awaited value is unknown; a member share whose bounds straddle the threshold is unknown; an
  undecided derived title stays unknown for the targets; on a quota breach the derived holders are
  candidates awaiting the council (proposed), not holders; a title derived and not recorded is only
  eligible to be proposed (proposed) for the targets;
- the measured value is a range [low, high] and the status is decided on both ends (pending when
  they disagree), as thidua's decision rules do.

With --ids it also lists, per target, the ids of the entities by outcome (what thidua's reasons
carry), to compare a dataframe that keeps who counted. With --each it does the same for every
folder under ROOT holding a `*.facts.json` roster (a province of agencies, as `thidua evaluate ROOT
--each` reads it), one agency after another in this one process, and prints one JSON line per
agency: its folder relative to ROOT and its judgements. pandas is a bench-only dependency
(`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from twin_rules import (  # noqa: E402
    CAP_PERCENT,
    CSTDCS,
    DOAN_VIEN,
    KY_LUAT,
    LDTT,
    MIN_MONTHS,
    ORG_TITLES,
    PCT90,
    PERIOD,
    PERSON_TITLES,
    TTLDTT,
    TTLDXS,
    UNIT_TITLES,
    XEP_LOAI,
    agencies,
    count_verdict,
    holds_verdict,
    level_verdict,
    read,
    share_verdict,
)

# --- three-valued columns --------------------------------------------------------------------


def tri(values: Any, unknown: Any) -> pd.Series:
    """A Kleene column: `values` where known, <NA> where `unknown`."""
    out = pd.Series(values, dtype="boolean")
    out[np.asarray(unknown, dtype=bool)] = pd.NA
    return out


def level(column: pd.Series, scale: dict[str, int]) -> pd.Series:
    """Level ids to ordinals (float, NaN when missing or awaited: an awaited value is a mapping)."""
    return column.map(lambda v: scale.get(v) if isinstance(v, str) else None).astype("float64")


def at_least(ordinal: pd.Series, threshold: int) -> pd.Series:
    return tri((ordinal >= threshold).to_numpy(), ordinal.isna().to_numpy())


def flag(column: pd.Series) -> pd.Series:
    """A boolean attribute: True/False, unknown when empty."""
    return column.astype("boolean")


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    """An attribute's column; all empty when no entity writes it."""
    return frame[name] if name in frame else pd.Series(None, index=frame.index, dtype=object)


def months_served(dates: pd.Series) -> pd.Series:
    """Whole months from each date to 31 December of the period (NaN when missing)."""
    parsed = pd.to_datetime(dates, format="%Y-%m-%d", errors="coerce")
    months = (PERIOD + 1 - parsed.dt.year) * 12 + (1 - parsed.dt.month)
    return months - (parsed.dt.day > 1).astype("float64")


def has_title(states: pd.Series, *, proposed_counts: bool = False) -> pd.Series:
    """has_title on a holding state: decided yes; proposed or undecided unknown (yes when a proposal
    counts); none or refused no."""
    yes = states == "decided"
    unknown = states == "unknown"
    if proposed_counts:
        yes = yes | (states == "proposed")
    else:
        unknown = unknown | (states == "proposed")
    return tri(yes.to_numpy(), unknown.to_numpy())


def derived(condition: pd.Series) -> pd.Series:
    """A derived title's state: decided, none, or unknown when the criterion is undecided."""
    out = pd.Series("none", index=condition.index, dtype=object)
    out[condition.fillna(False).to_numpy(dtype=bool)] = "decided"
    out[condition.isna().to_numpy()] = "unknown"
    return out


def effective(recorded: pd.Series, derivation: pd.Series) -> pd.Series:
    """The council's recorded state where there is one, else the derived state."""
    return recorded.where(recorded != "none", derivation)


# --- facts -----------------------------------------------------------------------------------


def holdings(frame: pd.DataFrame, titles: list[str]) -> pd.DataFrame:
    """One column per title: the recorded state (decided, proposed, refused) or 'none'."""
    out = pd.DataFrame("none", index=frame.index, columns=titles, dtype=object)
    if "titles" not in frame:
        return out
    items = frame["titles"].explode().dropna()
    if items.empty:
        return out
    title = items.map(lambda v: v if isinstance(v, str) else v.get("title"))
    state = items.map(
        lambda v: "decided" if isinstance(v, str) else v.get("state", "proposed" if v.get("awaiting") else "decided")
    )
    for t in titles:
        hit = (title == t).to_numpy()
        if hit.any():
            out.loc[items.index[hit], t] = state.to_numpy()[hit]
    return out


# --- member aggregates -------------------------------------------------------------------------


def member_counts(unit_ids: pd.Index, member_unit: pd.Series, outcome: pd.Series) -> pd.DataFrame:
    """Per unit: members matching (k), unknown (u) and all (n)."""
    grouped = (
        pd.DataFrame(
            {
                "unit": member_unit.to_numpy(),
                "k": outcome.fillna(False).to_numpy(dtype=bool),
                "u": outcome.isna().to_numpy(),
                "n": np.ones(len(outcome), dtype=bool),
            }
        )
        .groupby("unit", sort=False)[["k", "u", "n"]]
        .sum()
    )
    return grouped.reindex(unit_ids, fill_value=0)


def share_test(c: pd.DataFrame, op: str, num: int, den: int) -> pd.Series:
    """A member share compared with num/den on both bounds; unknown when they disagree or n is 0."""
    low, high = c["k"] * den, (c["k"] + c["u"]) * den
    bound = c["n"] * num
    lo_ok, hi_ok = (low > bound, high > bound) if op == "gt" else (low >= bound, high >= bound)
    return tri(lo_ok.to_numpy(), ((lo_ok != hi_ok) | (c["n"] == 0)).to_numpy())


def count_test(c: pd.DataFrame, op: str, value: int) -> pd.Series:
    low, high = c["k"], c["k"] + c["u"]
    lo_ok, hi_ok = (low == value, high == value) if op == "eq" else (low >= value, high >= value)
    return tri(lo_ok.to_numpy(), (lo_ok != hi_ok).to_numpy())


# --- derivation ------------------------------------------------------------------------------


def derive(persons: pd.DataFrame, units: pd.DataFrame, ph: pd.DataFrame, uh: pd.DataFrame) -> None:
    """Adds the effective states of LĐTT, CSTĐCS (persons), TTLĐTT and TTLĐXS (units) to ph and uh:
    within the criteria a title they grant counts as held; for the targets it is only eligible to be
    proposed (`proposed`) until the facts record a decision."""
    recorded = {t: ph[t] != "none" for t in (LDTT, CSTDCS)} | {t: uh[t] != "none" for t in (TTLDTT, TTLDXS)}
    rating = level(column(persons, "rating"), XEP_LOAI)
    discipline = level(column(persons, "discipline"), KY_LUAT)
    # continuous service: from the earliest date given, unknown when one is awaited; a transfer is no recruitment
    dates = [column(persons, a) for a in ("service_since", "contract_since", "recruited_on")]
    months = pd.concat([months_served(d) for d in dates], axis=1).max(axis=1)
    months[np.logical_or.reduce([d.map(lambda v: isinstance(v, dict)).to_numpy() for d in dates])] = np.nan
    months_ok = tri((months >= MIN_MONTHS).to_numpy(), months.isna().to_numpy()) | flag(column(persons, "transferred"))
    lddt = at_least(rating, XEP_LOAI["hoan_thanh_tot"]) & months_ok & ~at_least(discipline, KY_LUAT["khien_trach"])
    ph[LDTT] = effective(ph[LDTT], derived(lddt))
    cstdcs = has_title(ph[LDTT]) & (flag(column(persons, "initiative")) | flag(column(persons, "research_topic")))
    ph[CSTDCS] = effective(ph[CSTDCS], derived(cstdcs))
    # the quota: CSTĐCS at most 15% of LĐTT, rounded down, over the whole agency
    base = int((ph[LDTT] == "decided").sum())
    base_unknown = int(ph[LDTT].isin(["unknown", "proposed"]).sum())
    holders = ph[CSTDCS] == "decided"
    if int(holders.sum()) > (CAP_PERCENT * (base + base_unknown)) // 100:  # breach: the council chooses
        ph.loc[(holders & ~recorded[CSTDCS]).to_numpy(), CSTDCS] = "proposed"
    unit_ids = pd.Index(units["id"])
    member_unit = column(persons, "unit")
    lddt_members = member_counts(unit_ids, member_unit, has_title(ph[LDTT]))
    heavy = member_counts(unit_ids, member_unit, at_least(discipline, KY_LUAT["canh_cao"]))
    rated = member_counts(unit_ids, member_unit, at_least(rating, XEP_LOAI["hoan_thanh"]))
    fighters = member_counts(unit_ids, member_unit, has_title(ph[CSTDCS]))
    unit_rating = level(column(units, "rating"), XEP_LOAI)
    no_heavy = count_test(heavy, "eq", 0)
    ttldtt = at_least(unit_rating, XEP_LOAI["hoan_thanh_tot"]) & share_test(lddt_members, "gt", 50, 100) & no_heavy
    uh[TTLDTT] = effective(uh[TTLDTT], derived(ttldtt))
    ttldxs = (
        has_title(uh[TTLDTT])
        & at_least(unit_rating, XEP_LOAI["hoan_thanh_xuat_sac"])
        & share_test(rated, "gte", 100, 100)
        & share_test(lddt_members, "gte", 70, 100)
        & count_test(fighters, "gte", 1)
        & no_heavy
    )
    uh[TTLDXS] = effective(uh[TTLDXS], derived(ttldxs))
    for frame, titles in ((ph, (LDTT, CSTDCS)), (uh, (TTLDTT, TTLDXS))):
        for t in titles:
            frame.loc[(~recorded[t] & (frame[t] == "decided")).to_numpy(), t] = "proposed"


# --- measures and verdicts -------------------------------------------------------------------


def count(target: str, outcome: pd.Series, op: str, t: int) -> dict[str, Any]:
    return count_verdict(target, int(outcome.fillna(False).sum()), int(outcome.isna().sum()), op, t)


def share(target: str, matching: pd.Series, t: Any, where: pd.Series | None = None) -> dict[str, Any]:
    """A share with the `pending` policy for unknowns: both bounds of the fraction."""
    den = where if where is not None else pd.Series(True, index=matching.index, dtype="boolean")
    d_yes, d_unknown = den.fillna(False).to_numpy(dtype=bool), den.isna().to_numpy()
    m_yes, m_unknown = matching.fillna(False).to_numpy(dtype=bool), matching.isna().to_numpy()
    m_no = ~m_yes & ~m_unknown
    k, n = int((d_yes & m_yes).sum()), int(d_yes.sum())
    u_in = int((d_yes & m_unknown).sum())
    du = tuple(int((d_unknown & m).sum()) for m in (m_yes, m_no, m_unknown))
    return share_verdict(target, k, n, u_in, du, t)  # type: ignore[arg-type]


def single_level(target: str, frame: pd.DataFrame, t: int) -> dict[str, Any]:
    value = level(column(frame, "rating"), XEP_LOAI).iloc[0]
    return level_verdict(target, None if np.isnan(value) else int(value), t)


def holds(target: str, states: pd.Series) -> dict[str, Any]:
    o = has_title(states).iloc[0]
    return holds_verdict(target, None if o is pd.NA else bool(o))


def ids_by_outcome(ids: pd.Series, outcome: pd.Series) -> dict[str, list[str]]:
    yes, unknown = outcome.fillna(False).to_numpy(dtype=bool), outcome.isna().to_numpy()
    return {
        "true": ids[yes].tolist(),
        "unknown": ids[unknown].tolist(),
        "false": ids[~yes & ~unknown].tolist(),
    }


def evaluate(data: dict[str, Any], with_ids: bool = False) -> list[dict[str, Any]]:
    ents = data["entities"]
    persons = pd.DataFrame(ents["person"])
    units = pd.DataFrame(ents["unit"])
    org = pd.DataFrame(ents["organization"])
    ph = holdings(persons, PERSON_TITLES)
    uh = holdings(units, UNIT_TITLES)
    oh = holdings(org, ORG_TITLES)
    derive(persons, units, ph, uh)
    pct90 = PCT90
    third_child = flag(column(persons, "third_child"))
    union_member = flag(column(persons, "union_member"))
    good_grade = at_least(level(column(persons, "union_grade"), DOAN_VIEN), DOAN_VIEN["kha"])
    # only union members are in the population; the matching test is read for the others too
    candidates = union_member != False  # noqa: E712 - Kleene: unknown members stay candidates
    outcomes: list[tuple[dict[str, Any], pd.Series | None, pd.Series | None]] = [
        (holds("agency.provincial_merit", oh["bang_khen_ubnd_tinh"]), None, None),
        (count("units.advanced", has_title(uh[TTLDTT]), "gte", 5), has_title(uh[TTLDTT]), units["id"]),
        (count("units.excellent", has_title(uh[TTLDXS]), "gte", 2), has_title(uh[TTLDXS]), units["id"]),
        (
            count("units.head_certificate", has_title(uh["giay_khen_thu_truong"]), "gte", 2),
            has_title(uh["giay_khen_thu_truong"]),
            units["id"],
        ),
        (single_level("union.rating", pd.DataFrame(ents["union"]), XEP_LOAI["hoan_thanh_tot"]), None, None),
        (holds("agency.culture", oh["co_quan_dat_chuan_van_hoa"]), None, None),
        (single_level("party_cell.rating", pd.DataFrame(ents["party_cell"]), XEP_LOAI["hoan_thanh_tot"]), None, None),
        (
            share("families.culture", has_title(ph["gia_dinh_van_hoa"]), pct90),
            has_title(ph["gia_dinh_van_hoa"]),
            persons["id"],
        ),
        (count("families.no_third_child", third_child, "lte", 0), third_child, persons["id"]),
        (share("staff.advanced_workers", has_title(ph[LDTT]), pct90), has_title(ph[LDTT]), persons["id"]),
        (count("staff.emulation_soldiers", has_title(ph[CSTDCS]), "gt", 2), has_title(ph[CSTDCS]), persons["id"]),
        (
            count("staff.head_certificate", has_title(ph["giay_khen_thu_truong"]), "gte", 5),
            has_title(ph["giay_khen_thu_truong"]),
            persons["id"],
        ),
        (
            count(
                "staff.provincial_merit",
                has_title(ph["bang_khen_ubnd_tinh"], proposed_counts=True),
                "gte",
                1,
            ),
            has_title(ph["bang_khen_ubnd_tinh"], proposed_counts=True),
            persons["id"],
        ),
        (
            share("union_members.rating", good_grade, pct90, union_member),
            good_grade[candidates.fillna(True).to_numpy(dtype=bool)],
            persons["id"][candidates.fillna(True).to_numpy(dtype=bool)],
        ),
    ]
    out = []
    for result, outcome, ids in outcomes:
        if with_ids and outcome is not None and ids is not None:
            result["ids"] = ids_by_outcome(ids.reset_index(drop=True), outcome.reset_index(drop=True))
        out.append(result)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("facts", type=Path, nargs="*", help="one roster (JSON, in one or more files)")
    ap.add_argument("--each", type=Path, metavar="ROOT", help="every agency folder under ROOT, one JSON line each")
    ap.add_argument("--ids", action="store_true", help="also list the entity ids by outcome for each target")
    args = ap.parse_args()
    if bool(args.facts) == (args.each is not None):
        ap.error("give one roster or --each ROOT")
    if args.each is None:
        json.dump(
            {"judgements": evaluate(read(*args.facts, loads=json.loads), args.ids)}, sys.stdout, ensure_ascii=False
        )
        sys.stdout.write("\n")
        return
    for rel, facts in agencies(args.each):  # one agency at a time: its frames are dropped before the next
        line = {"path": rel, "judgements": evaluate(read(facts, loads=json.loads), args.ids)}
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
