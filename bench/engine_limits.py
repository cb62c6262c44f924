"""Measures durable-rules' limits that evaluator/engine/durable.py works around; each probe in a child process.

Usage: .venv/bin/python bench/engine_limits.py
Prints, per probe, "ok", the engine's error code, or "hang" (no answer in 10 s). The figures are
recorded in docs/benchmarks.md and in the comment at the top of evaluator/engine/durable.py.
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = """
import json, sys
from durable import engine as E
class H(E.Host):
    def get_action(self, name):
        return lambda c: None
rules, fact = json.loads(sys.argv[1])
h = H()
try:
    h.set_rulesets({"t": rules})
    if fact is not None:
        h.assert_fact("t", fact)
    print("ok")
except Exception as exc:
    print(str(exc).rsplit(" ", 1)[-1])
"""


def probe(rules: dict[str, object], fact: dict[str, object] | None = None) -> str:
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, json.dumps([rules, fact])], capture_output=True, text=True, timeout=10
        )
    except subprocess.TimeoutExpired:
        return "hang"
    return done.stdout.strip() or f"signal {-done.returncode}"


def rule(expr: dict[str, object]) -> dict[str, object]:
    return {"r": {"all": [{"m": expr}], "run": "x"}}


def numbers_as_text() -> None:
    # json.dumps writes these floats as 1e-05 and 1e+16; the parser wants a decimal point before `e`.
    for text in ("1e-05", "1.5e-05", "1e+16", "1.2345e+20", "0.0001"):
        value = json.loads(text)
        print(f"threshold {text:>11}: {probe(rule({'$gt': {'a': value}}))}")
        print(f"fact value {text:>10}: {probe(rule({'$gt': {'a': 0}}), {'id': 1, 'a': value})}")


def or_width() -> None:
    for n in (512, 513):
        print(f"$or of {n} equalities: {probe(rule({'$or': [{'a': i} for i in range(n)]}))}")


def nodes() -> None:
    for n in (14, 15):  # one $and holding n two-way $or: n + 1 nodes
        expr = {"$and": [{"$or": [{f"a{i}": 1}, {f"b{i}": 1}]} for i in range(n)]}
        print(f"{n + 1} $and/$or nodes in one rule: {probe(rule(expr))}")


def rules_per_ruleset() -> None:
    for n in (512, 513):
        rules = {f"r{i}": {"all": [{"m": {"$and": [{"type": "s"}, {"a": i}]}}], "run": "x"} for i in range(n)}
        print(f"{n} rules in one ruleset: {probe(rules)}")
    same = {"$and": [{"type": "s"}, {"cond": "x"}, {"$lt": {"a": 3}}]}
    for n in (256, 320):
        print(
            f"{n} rules with one same expression: {probe({f'r{i}': {'all': [{'m': same}], 'run': 'x'} for i in range(n)})}"
        )


if __name__ == "__main__":
    numbers_as_text()
    or_width()
    nodes()
    rules_per_ruleset()
