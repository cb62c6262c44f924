"""Which column library for the columnar core: numpy, pyarrow and polars on the operations it needs.

Usage: .venv/bin/python bench/columns.py [--people 1000000]

The operations the rebuild performs per evaluation (docs/benchmarks.md, "A design for the columnar
core"): build columns from parsed fact records, factorize a string column (unit ids), encode level
labels to ordinals, count per group the members that match, are unknown, and all (k, u, n), compare
a member share with a threshold on both bounds, and group rows by a multi-column signature into
reason groups (one permutation, groups as index ranges). Each is timed as process CPU (all threads
count), best of three, on the same synthetic data. pyarrow and polars are bench-only extras.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import orjson
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

LEVELS = ["khong_hoan_thanh", "hoan_thanh", "hoan_thanh_tot", "hoan_thanh_xuat_sac"]
ORDINAL = {v: i for i, v in enumerate(LEVELS)}


def records(people: int) -> list[dict[str, Any]]:
    rnd = random.Random(0)
    units = max(1, people // 40)
    out = []
    for i in range(people):
        r: dict[str, Any] = {"id": f"p{i}", "unit": f"u{rnd.randrange(units)}", "initiative": rnd.random() < 0.1}
        if rnd.random() > 0.02:  # 2% missing
            r["rating"] = rnd.choice(LEVELS)
        out.append(r)
    return out


def best(fn: Callable[[], Any], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


# --- numpy ----------------------------------------------------------------------------------


def np_columns(rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    unit = np.array([r["unit"] for r in rows], dtype=object)
    rating = np.array([ORDINAL.get(r.get("rating"), -1) for r in rows], dtype=np.int8)  # type: ignore[arg-type]
    initiative = np.fromiter((r["initiative"] for r in rows), dtype=bool, count=len(rows))
    return {"unit": unit, "rating": rating, "initiative": initiative}


def np_factorize(unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    uniques, codes = np.unique(unit, return_inverse=True)
    return codes, uniques


def np_factorize_dict(unit: Any) -> tuple[np.ndarray, list[str]]:
    """First-seen order, as people read a roster: distinct values by dict.fromkeys, codes by a C-level
    map over a dict lookup (no Python function call per value)."""
    uniques = list(dict.fromkeys(unit))
    index = {u: i for i, u in enumerate(uniques)}
    codes = np.fromiter(map(index.__getitem__, unit), dtype=np.int32, count=len(unit))
    return codes, uniques


def np_group_counts(codes: np.ndarray, groups: int, rating: np.ndarray) -> tuple[np.ndarray, ...]:
    known = rating >= 0
    k = np.bincount(codes, weights=(rating >= 2) & known, minlength=groups)
    u = np.bincount(codes, weights=~known, minlength=groups)
    n = np.bincount(codes, minlength=groups)
    return k, u, n


def np_share_test(k: np.ndarray, u: np.ndarray, n: np.ndarray) -> np.ndarray:
    """gt 50% on both bounds: 1 true, 0 false, -1 unknown (bounds disagree or no members)."""
    lo, hi = k * 2 > n, (k + u) * 2 > n
    out = np.where(lo, 1, 0).astype(np.int8)
    out[(lo != hi) | (n == 0)] = -1
    return out


def np_signature_groups(rating: np.ndarray, initiative: np.ndarray, unit_ok: np.ndarray) -> tuple[np.ndarray, ...]:
    """Rows grouped by (rating, initiative, unit outcome): one stable sort, groups as index ranges."""
    key = (rating.astype(np.int32) + 1) * 6 + initiative.astype(np.int32) * 3 + (unit_ok.astype(np.int32) + 1)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    return order, starts, sorted_key[starts]


# --- pyarrow --------------------------------------------------------------------------------


def pa_table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows)


def pa_ops(t: pa.Table) -> Any:
    enc = pc.dictionary_encode(t["unit"]).combine_chunks()
    codes = enc.indices
    rating = pc.index_in(t["rating"], value_set=pa.array(LEVELS))
    good = pc.fill_null(pc.greater_equal(rating, 2), False)
    unknown = pc.is_null(rating)
    g = pa.table({"code": codes, "k": pc.cast(good, pa.int32()), "u": pc.cast(unknown, pa.int32())})
    agg = g.group_by("code").aggregate([("k", "sum"), ("u", "sum"), ("code", "count")])
    k, u, n = (agg[c].to_numpy() for c in ("k_sum", "u_sum", "code_count"))
    return np_share_test(k, u, n)


# --- polars ---------------------------------------------------------------------------------


def pl_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows)


def pl_ops(df: pl.DataFrame) -> Any:
    enum = pl.Enum(LEVELS)
    agg = (
        df.with_columns(pl.col("rating").cast(enum).to_physical().alias("r"))
        .group_by("unit", maintain_order=True)
        .agg(
            k=(pl.col("r") >= 2).fill_null(False).sum(),
            u=pl.col("r").is_null().sum(),
            n=pl.len(),
        )
        .with_columns(lo=pl.col("k") * 2 > pl.col("n"), hi=(pl.col("k") + pl.col("u")) * 2 > pl.col("n"))
    )
    return agg


def pl_groups(df: pl.DataFrame) -> Any:
    return df.with_row_index("row").group_by(["rating", "initiative"], maintain_order=True).agg(pl.col("row"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=1_000_000)
    args = ap.parse_args()
    rows = records(args.people)
    text = json.dumps(rows)
    print(f"{args.people:,} people, {max(1, args.people // 40):,} units; CPU seconds, best of 3")
    print()
    print("| operation | numpy | pyarrow | polars |")
    print("|---|---:|---:|---:|")
    cols = np_columns(rows)
    table = pa_table(rows)
    frame = pl_frame(rows)
    codes, uniques = np_factorize_dict(cols["unit"])
    k, u, n = np_group_counts(codes, len(uniques), cols["rating"])
    unit_ok = np_share_test(k, u, n)[codes]
    results = [
        ("parse the JSON text: stdlib json (C)", best(lambda: json.loads(text)), None, None),
        ("parse the JSON text: orjson", best(lambda: orjson.loads(text)), None, None),
        (
            "records -> columns",
            best(lambda: np_columns(rows)),
            best(lambda: pa_table(rows)),
            best(lambda: pl_frame(rows)),
        ),
        (
            "factorize unit ids (first-seen order)",
            best(lambda: np_factorize_dict(cols["unit"])),
            best(lambda: pc.dictionary_encode(table["unit"])),
            best(lambda: frame["unit"].cast(pl.Categorical).to_physical()),
        ),
        ("factorize unit ids (np.unique, sorted)", best(lambda: np_factorize(cols["unit"])), None, None),
        (
            "level labels -> ordinals",
            best(lambda: np.array([ORDINAL.get(r.get("rating"), -1) for r in rows], dtype=np.int8)),
            best(lambda: pc.index_in(table["rating"], value_set=pa.array(LEVELS))),
            best(lambda: frame["rating"].cast(pl.Enum(LEVELS)).to_physical()),
        ),
        (
            "member counts k, u, n per unit + share test on both bounds",
            best(lambda: np_share_test(*np_group_counts(codes, len(uniques), cols["rating"]))),
            best(lambda: pa_ops(table)),
            best(lambda: pl_ops(frame)),
        ),
        (
            "rows -> signature groups as index ranges",
            best(lambda: np_signature_groups(cols["rating"], cols["initiative"], unit_ok)),
            None,
            best(lambda: pl_groups(frame)),
        ),
    ]
    for name, a, b, c in results:
        cells = [f"{x * 1000:.0f} ms" if x is not None else "—" for x in (a, b, c)]
        print(f"| {name} | {' | '.join(cells)} |")
    print()
    print(f"numpy {np.__version__}, pyarrow {pa.__version__}, polars {pl.__version__}")


if __name__ == "__main__":
    main()
