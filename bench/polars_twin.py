"""A polars twin of the seed agency's 2022 rules: the same 14 verdicts, for measuring thidua against.

Usage: .venv/bin/python bench/polars_twin.py FACTS.json [FACTS.json ...] [--ids]
       .venv/bin/python bench/polars_twin.py --each ROOT [--ids]

The same rules, inputs and three-valued semantics as bench/pandas_twin.py (read its docstring: the
criteria pack `criteria_nd91` derives LĐTT, CSTĐCS with its 15% quota, TTLĐTT and TTLĐXS; a title
the facts record wins over the derivation, one it does not record is only eligible to be proposed for
the targets; a missing or awaited value is unknown; a measured range
is decided on both ends), written as a data engineer would write it in polars: the JSON parsed by
orjson (polars' own JSON reader refuses these rosters: a rating is a level id or an awaited value,
a title a name or a mapping), the frames built by `pl.from_dicts` with a declared schema, and every
test, join and count as polars expressions, whose `&`, `|` and `~` on nullable booleans are Kleene
logic. Prints exactly what the pandas twin prints (bench/compare.py checks it byte for byte), the
verdicts from the shared bench/twin_rules.py. polars is a bench-only dependency
(`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import polars as pl

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

PERSON_SCHEMA = {
    "id": pl.String,
    "unit": pl.String,
    "recruited_on": pl.String,
    "service_since": pl.String,
    "contract_since": pl.String,
    "transferred": pl.Boolean,
    "discipline": pl.String,
    "initiative": pl.Boolean,
    "research_topic": pl.Boolean,
    "third_child": pl.Boolean,
    "union_member": pl.Boolean,
    "union_grade": pl.String,
}
ID_SCHEMA = {"id": pl.String}
Expr = pl.Expr


# --- frames ------------------------------------------------------------------------------------


def frame(items: list[dict[str, Any]], schema: dict[str, Any], titles: list[str]) -> pl.DataFrame:
    """One kind's entities: the plain columns of `schema`, the rating as a level id (an awaited value
    is unknown, as is any value that is not a text), and one column per title holding its recorded
    state (decided, proposed, refused) or 'none'."""
    df = pl.from_dicts(items, schema=schema) if items else pl.DataFrame(schema=schema)
    ratings = [r if type(r) is str else None for r in (it.get("rating") for it in items)]
    rows: list[int] = []
    names: list[Any] = []
    states: list[Any] = []
    for row, it in enumerate(items):
        for held in it.get("titles") or ():
            rows.append(row)
            if type(held) is str:
                names.append(held)
                states.append("decided")
            else:
                names.append(held.get("title"))
                states.append(held.get("state", "proposed" if held.get("awaiting") else "decided"))
    holdings = pl.DataFrame(
        {"row": rows, "title": names, "state": states}, schema={"row": pl.Int64, "title": pl.String, "state": pl.String}
    )
    columns = [pl.Series("rating", ratings, dtype=pl.String)]
    for t in titles:
        hit = holdings.filter(pl.col("title") == t)
        column = pl.Series(t, ["none"] * len(items), dtype=pl.String)
        if hit.height:
            column = column.scatter(hit["row"], hit["state"])
        columns.append(column)
    return df.with_columns(columns)


# --- three-valued expressions ------------------------------------------------------------------


def level(name: str, scale: dict[str, int]) -> Expr:
    """A level id to its ordinal; null when missing, awaited or not on the scale."""
    return pl.col(name).replace_strict(scale, default=None, return_dtype=pl.Int8)


def has_title(states: Expr, *, proposed_counts: bool = False) -> Expr:
    """has_title on a holding state: decided yes; proposed or undecided unknown (yes when a proposal
    counts); none or refused no."""
    yes = states == "decided"
    unknown = states == "unknown"
    if proposed_counts:
        yes = yes | (states == "proposed")
    else:
        unknown = unknown | (states == "proposed")
    return pl.when(unknown).then(None).otherwise(yes)


def derived(condition: Expr) -> Expr:
    """A derived title's state: decided, none, or unknown when the criterion is undecided."""
    return (
        pl.when(condition.is_null())
        .then(pl.lit("unknown"))
        .when(condition)
        .then(pl.lit("decided"))
        .otherwise(pl.lit("none"))
    )


def effective(title: str, derivation: Expr) -> Expr:
    """The council's recorded state where there is one, else the derived state."""
    return pl.when(pl.col(title) != "none").then(pl.col(title)).otherwise(derivation).alias(title)


def months_served(name: str) -> Expr:
    """Whole months from each date to 31 December of the period (null when missing)."""
    d = pl.col(name).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    months = (PERIOD + 1 - d.dt.year().cast(pl.Int32)) * 12 + (1 - d.dt.month().cast(pl.Int32))
    return months - (d.dt.day() > 1).cast(pl.Int32)


def counted(name: str, outcome: Expr) -> list[Expr]:
    """Per group: members matching (k) and unknown (u)."""
    return [outcome.fill_null(False).sum().alias(f"{name}_k"), outcome.is_null().sum().alias(f"{name}_u")]


def share_test(name: str, op: str, num: int, den: int) -> Expr:
    """A member share compared with num/den on both bounds; unknown when they disagree or n is 0."""
    k, u, n = pl.col(f"{name}_k"), pl.col(f"{name}_u"), pl.col("n")
    low, high, bound = k * den, (k + u) * den, n * num
    lo_ok, hi_ok = (low > bound, high > bound) if op == "gt" else (low >= bound, high >= bound)
    return pl.when((lo_ok != hi_ok) | (n == 0)).then(None).otherwise(lo_ok)


def count_test(name: str, op: str, value: int) -> Expr:
    low, high = pl.col(f"{name}_k"), pl.col(f"{name}_k") + pl.col(f"{name}_u")
    lo_ok, hi_ok = (low == value, high == value) if op == "eq" else (low >= value, high >= value)
    return pl.when(lo_ok != hi_ok).then(None).otherwise(lo_ok)


# --- derivation --------------------------------------------------------------------------------


def derive(persons: pl.DataFrame, units: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The persons' and units' frames with the effective states of LĐTT, CSTĐCS, TTLĐTT and TTLĐXS."""
    rating, discipline = level("rating", XEP_LOAI), level("discipline", KY_LUAT)
    # continuous service from the earliest date given; a transfer is no recruitment
    served = pl.max_horizontal(months_served(a) for a in ("service_since", "contract_since", "recruited_on"))
    lddt = (
        (rating >= XEP_LOAI["hoan_thanh_tot"])
        & ((served >= MIN_MONTHS) | pl.col("transferred"))
        & ~(discipline >= KY_LUAT["khien_trach"])
    )
    persons = persons.with_columns(
        (pl.col(LDTT) != "none").alias("lddt_recorded"),
        (pl.col(CSTDCS) != "none").alias("cstdcs_recorded"),
        effective(LDTT, derived(lddt)),
    )
    units = units.with_columns(
        (pl.col(TTLDTT) != "none").alias("ttldtt_recorded"), (pl.col(TTLDXS) != "none").alias("ttldxs_recorded")
    )
    cstdcs = has_title(pl.col(LDTT)) & (pl.col("initiative") | pl.col("research_topic"))
    persons = persons.with_columns(effective(CSTDCS, derived(cstdcs)))
    # the quota: CSTĐCS at most 15% of LĐTT, rounded down, over the whole agency
    q = persons.select(
        base=(pl.col(LDTT) == "decided").sum(),
        base_unknown=pl.col(LDTT).is_in(["unknown", "proposed"]).sum(),
        holders=(pl.col(CSTDCS) == "decided").sum(),
    ).row(0, named=True)
    if q["holders"] > (CAP_PERCENT * (q["base"] + q["base_unknown"])) // 100:  # breach: the council chooses
        breach = (pl.col(CSTDCS) == "decided") & ~pl.col("cstdcs_recorded")
        persons = persons.with_columns(pl.when(breach).then(pl.lit("proposed")).otherwise(pl.col(CSTDCS)).alias(CSTDCS))
    members = persons.group_by("unit").agg(
        pl.len().alias("n"),
        *counted("lddt", has_title(pl.col(LDTT))),
        *counted("heavy", discipline >= KY_LUAT["canh_cao"]),
        *counted("rated", rating >= XEP_LOAI["hoan_thanh"]),
        *counted("fighters", has_title(pl.col(CSTDCS))),
    )
    aggregates = [c for c in members.columns if c != "unit"]
    units = units.join(members, left_on="id", right_on="unit", how="left", maintain_order="left").with_columns(
        pl.col(aggregates).fill_null(0)
    )
    unit_rating = level("rating", XEP_LOAI)
    no_heavy = count_test("heavy", "eq", 0)
    ttldtt = (unit_rating >= XEP_LOAI["hoan_thanh_tot"]) & share_test("lddt", "gt", 50, 100) & no_heavy
    units = units.with_columns(effective(TTLDTT, derived(ttldtt)))
    ttldxs = (
        has_title(pl.col(TTLDTT))
        & (unit_rating >= XEP_LOAI["hoan_thanh_xuat_sac"])
        & share_test("rated", "gte", 100, 100)
        & share_test("lddt", "gte", 70, 100)
        & count_test("fighters", "gte", 1)
        & no_heavy
    )
    units = units.with_columns(effective(TTLDXS, derived(ttldxs)))
    # for the targets, a title derived and not recorded is only eligible to be proposed
    return (
        persons.with_columns(eligible(LDTT, "lddt_recorded"), eligible(CSTDCS, "cstdcs_recorded")),
        units.with_columns(eligible(TTLDTT, "ttldtt_recorded"), eligible(TTLDXS, "ttldxs_recorded")),
    )


def eligible(title: str, recorded: str) -> Expr:
    """A derived `decided` the facts do not record becomes `proposed` (đủ điều kiện đề nghị)."""
    derived_only = (pl.col(title) == "decided") & ~pl.col(recorded)
    return pl.when(derived_only).then(pl.lit("proposed")).otherwise(pl.col(title)).alias(title)


# --- measures and verdicts ---------------------------------------------------------------------


def count(df: pl.DataFrame, target: str, outcome: Expr, op: str, t: int) -> dict[str, Any]:
    yes, unknown = df.select(outcome.fill_null(False).sum().alias("yes"), outcome.is_null().sum().alias("unknown")).row(
        0
    )
    return count_verdict(target, int(yes), int(unknown), op, t)


def share(df: pl.DataFrame, target: str, matching: Expr, t: Any, where: Expr | None = None) -> dict[str, Any]:
    """A share with the `pending` policy for unknowns: both bounds of the fraction."""
    if where is None:
        where = pl.repeat(True, pl.len())  # everyone
    d_yes, d_unknown = where.fill_null(False), where.is_null()
    m_yes, m_unknown = matching.fill_null(False), matching.is_null()
    m_no = ~m_yes & ~m_unknown
    k, n, u_in, du_t, du_f, du_u = df.select(
        (d_yes & m_yes).sum().alias("k"),
        d_yes.sum().alias("n"),
        (d_yes & m_unknown).sum().alias("u_in"),
        (d_unknown & m_yes).sum().alias("du_t"),
        (d_unknown & m_no).sum().alias("du_f"),
        (d_unknown & m_unknown).sum().alias("du_u"),
    ).row(0)
    return share_verdict(target, int(k), int(n), int(u_in), (int(du_t), int(du_f), int(du_u)), t)


def single_level(target: str, items: list[dict[str, Any]], t: int) -> dict[str, Any]:
    value = frame(items, ID_SCHEMA, []).select(level("rating", XEP_LOAI)).item(0, 0)
    return level_verdict(target, value, t)


def holds(target: str, org: pl.DataFrame, title: str) -> dict[str, Any]:
    return holds_verdict(target, org.select(has_title(pl.col(title))).item(0, 0))


def ids_by_outcome(df: pl.DataFrame, outcome: Expr) -> dict[str, list[str]]:
    o = df.select(pl.col("id"), outcome.fill_null(False).alias("yes"), outcome.is_null().alias("unknown"))
    return {
        "true": o.filter(pl.col("yes"))["id"].to_list(),
        "unknown": o.filter(pl.col("unknown"))["id"].to_list(),
        "false": o.filter(~pl.col("yes") & ~pl.col("unknown"))["id"].to_list(),
    }


def evaluate(data: dict[str, Any], with_ids: bool = False) -> list[dict[str, Any]]:
    ents = data["entities"]
    persons = frame(ents["person"], PERSON_SCHEMA, PERSON_TITLES)
    units = frame(ents["unit"], ID_SCHEMA, UNIT_TITLES)
    org = frame(ents["organization"], ID_SCHEMA, ORG_TITLES)
    persons, units = derive(persons, units)
    ldtt, cstdcs = has_title(pl.col(LDTT)), has_title(pl.col(CSTDCS))
    third_child, union_member = pl.col("third_child"), pl.col("union_member")
    good_grade = level("union_grade", DOAN_VIEN) >= DOAN_VIEN["kha"]
    family, person_head = has_title(pl.col("gia_dinh_van_hoa")), has_title(pl.col("giay_khen_thu_truong"))
    merit = has_title(pl.col("bang_khen_ubnd_tinh"), proposed_counts=True)
    unit_advanced, unit_excellent = has_title(pl.col(TTLDTT)), has_title(pl.col(TTLDXS))
    unit_head = has_title(pl.col("giay_khen_thu_truong"))
    # only union members are in the population; the matching test is read for the others too
    candidates = persons.filter(union_member.fill_null(True))
    outcomes: list[tuple[dict[str, Any], pl.DataFrame | None, Expr | None]] = [
        (holds("agency.provincial_merit", org, "bang_khen_ubnd_tinh"), None, None),
        (count(units, "units.advanced", unit_advanced, "gte", 5), units, unit_advanced),
        (count(units, "units.excellent", unit_excellent, "gte", 2), units, unit_excellent),
        (count(units, "units.head_certificate", unit_head, "gte", 2), units, unit_head),
        (single_level("union.rating", ents["union"], XEP_LOAI["hoan_thanh_tot"]), None, None),
        (holds("agency.culture", org, "co_quan_dat_chuan_van_hoa"), None, None),
        (single_level("party_cell.rating", ents["party_cell"], XEP_LOAI["hoan_thanh_tot"]), None, None),
        (share(persons, "families.culture", family, PCT90), persons, family),
        (count(persons, "families.no_third_child", third_child, "lte", 0), persons, third_child),
        (share(persons, "staff.advanced_workers", ldtt, PCT90), persons, ldtt),
        (count(persons, "staff.emulation_soldiers", cstdcs, "gt", 2), persons, cstdcs),
        (count(persons, "staff.head_certificate", person_head, "gte", 5), persons, person_head),
        (count(persons, "staff.provincial_merit", merit, "gte", 1), persons, merit),
        (share(persons, "union_members.rating", good_grade, PCT90, union_member), candidates, good_grade),
    ]
    out = []
    for result, df, outcome in outcomes:
        if with_ids and df is not None and outcome is not None:
            result["ids"] = ids_by_outcome(df, outcome)
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
        json.dump({"judgements": evaluate(read(*args.facts), args.ids)}, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    for rel, facts in agencies(args.each):  # one agency at a time: its frames are dropped before the next
        line = {"path": rel, "judgements": evaluate(read(facts), args.ids)}
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
