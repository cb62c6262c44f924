"""Benchmark: evaluate the seed agency's targets over synthetic rosters at province scale.

Usage: .venv/bin/python bench/province.py [--people N] [--agencies A] [--yaml]
Prints wall time per phase and peak memory (max RSS). Results are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from thidua.evaluator.engine.derive import derive
from thidua.evaluator.engine.targets import evaluate
from thidua.evaluator.facts.reader import load_facts
from thidua.rules.loader import load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "examples" / "ban-dan-toc-binh-phuoc" / "2022" / "targets.rules.yaml"

RATINGS = ["hoan_thanh", "hoan_thanh_tot", "hoan_thanh_tot", "hoan_thanh_xuat_sac"]


AWAITED_BY = "Hội đồng Thi đua, Khen thưởng"


def roster(
    people: int,
    seed: int,
    *,
    recorded: bool = True,
    missing: float = 0.0,
    initiative: float = 0.08,
) -> dict[str, Any]:
    """A synthetic agency of `people` persons in units of 40, deterministic for a seed.

    recorded: the council's titles (LĐTT, CSTĐCS, TTLĐTT) are written in the facts, as before the
    criteria existed; when False only raw facts are written (plus a few council records: 1% LĐTT
    decided, 0.5% refused) and the criteria derive every title.
    missing: the share of persons with each raw value left empty, or awaited with a provisional
    value (ratings): derived titles then stay undecided.
    initiative: the share of persons with a recognised initiative; 0.3 breaches the CSTĐCS quota.
    """
    rnd = random.Random(seed)
    units = [
        {
            "id": f"u{i}",
            "name": f"Phòng {i}",
            "rating": rnd.choice(RATINGS),
            "titles": ["tap_the_lao_dong_tien_tien"] if rnd.random() < 0.8 else [],
        }
        for i in range(max(1, people // 40))
    ]
    if not recorded:
        for unit in units:
            unit["titles"] = []
    persons = []
    for i in range(people):
        titles: list[Any] = []
        if rnd.random() < 0.93:
            titles.append("lao_dong_tien_tien")
        if rnd.random() < 0.97:
            titles.append("gia_dinh_van_hoa")
        if rnd.random() < 0.05:
            titles.append("chien_si_thi_dua_co_so")
        if rnd.random() < 0.1:
            titles.append("giay_khen_thu_truong")
        if rnd.random() < 0.01:
            titles.append({"title": "bang_khen_ubnd_tinh", "state": "proposed", "awaiting": "UBND tỉnh"})
        person: dict[str, Any] = {
            "id": f"p{i}",
            "name": f"Người {i}",
            "unit": units[i % len(units)]["id"],
            "rating": rnd.choice(RATINGS),
            "union_member": rnd.random() < 0.95,
            "union_grade": rnd.choice(["kha", "kha", "xuat_sac", "trung_binh"]),
            "third_child": rnd.random() < 0.002,
            "recruited_on": f"{rnd.randint(1995, 2022)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
            "discipline": "khong" if rnd.random() < 0.98 else "khien_trach",
            "initiative": rnd.random() < initiative,
            "research_topic": rnd.random() < 0.02,
            "titles": titles,
        }
        if not recorded:
            kept = [t for t in titles if t not in ("lao_dong_tien_tien", "chien_si_thi_dua_co_so")]
            draw = rnd.random()
            if draw < 0.01:
                kept.append("lao_dong_tien_tien")
            elif draw < 0.015:
                kept.append({"title": "lao_dong_tien_tien", "state": "refused", "note": "Hội đồng không xét"})
            person["titles"] = kept
            if rnd.random() < 0.003:
                person["discipline"] = "canh_cao"
        if missing:
            for attr in ("rating", "recruited_on", "discipline", "third_child", "union_member", "union_grade"):
                if rnd.random() < missing:
                    del person[attr]
            if "rating" in person and rnd.random() < missing:
                person["rating"] = {"awaiting": AWAITED_BY, "provisional": person["rating"]}
        persons.append(person)
    return {
        "period": 2022,
        "entities": {
            "organization": [{"id": "org", "name": "Cơ quan", "titles": ["co_quan_dat_chuan_van_hoa"]}],
            "unit": units,
            "person": persons,
            "union": [{"id": "cd", "rating": "hoan_thanh_xuat_sac"}],
            "party_cell": [{"id": "cb", "rating": "hoan_thanh_tot"}],
        },
    }


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=100_000, help="people per agency")
    ap.add_argument("--agencies", type=int, default=1)
    ap.add_argument("--yaml", action="store_true", help="write the facts as YAML (as admins keep them) instead of JSON")
    args = ap.parse_args()
    rules = load_rules([RULES], RULES.parent)
    load_s = derive_s = eval_s = 0.0
    statuses: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for a in range(args.agencies):
            data = roster(args.people, a)
            if args.yaml:
                path = Path(tmp) / f"a{a}.facts.yaml"
                with open(path, "w", encoding="utf-8") as fh:
                    yaml.safe_dump(data, fh, allow_unicode=True, sort_keys=False)
            else:
                path = Path(tmp) / f"a{a}.facts.json"
                path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            t0 = time.perf_counter()
            facts = load_facts([path], rules, Path(tmp))
            t1 = time.perf_counter()
            derivation = derive(rules, facts)
            t2 = time.perf_counter()
            assert derivation.facts is not None
            ev = evaluate(rules, derivation.facts)
            t3 = time.perf_counter()
            load_s += t1 - t0
            derive_s += t2 - t1
            eval_s += t3 - t2
            for j in ev.judgements:
                statuses[j.status] = statuses.get(j.status, 0) + 1
            path.unlink()
    total = args.people * args.agencies
    print(f"agencies={args.agencies} people/agency={args.people} people={total}")
    print(f"load facts ({'YAML' if args.yaml else 'JSON'}): {load_s:.2f} s  ({total / load_s:,.0f} people/s)")
    print(f"derive titles (criteria): {derive_s:.2f} s  ({total / derive_s:,.0f} people/s)")
    print(f"evaluate (14 targets): {eval_s:.2f} s  ({total / eval_s:,.0f} people/s)")
    print(f"statuses: {statuses}")
    print(f"peak memory (max RSS): {max_rss_mib():.0f} MiB")
    print(f"python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
