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

import yaml

from thidua.evaluator.derive import derive
from thidua.evaluator.evaluate import evaluate
from thidua.evaluator.facts import load_facts
from thidua.rules.loader import load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "examples" / "ban-dan-toc-binh-phuoc" / "2022" / "targets.rules.yaml"

RATINGS = ["hoan_thanh", "hoan_thanh_tot", "hoan_thanh_tot", "hoan_thanh_xuat_sac"]


def roster(people: int, seed: int) -> dict:
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
    persons = []
    for i in range(people):
        titles = []
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
        person = {
            "id": f"p{i}",
            "name": f"Người {i}",
            "unit": units[i % len(units)]["id"],
            "rating": rnd.choice(RATINGS),
            "union_member": rnd.random() < 0.95,
            "union_grade": rnd.choice(["kha", "kha", "xuat_sac", "trung_binh"]),
            "third_child": rnd.random() < 0.002,
            "recruited_on": f"{rnd.randint(1995, 2022)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
            "discipline": "khong" if rnd.random() < 0.98 else "khien_trach",
            "initiative": rnd.random() < 0.08,
            "research_topic": rnd.random() < 0.02,
            "titles": titles,
        }
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
