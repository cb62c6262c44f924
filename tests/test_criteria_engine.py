"""The chain on durable-rules: derived titles are asserted as facts that fire the next criterion."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from thidua.evaluator.engine.durable import ChainEngine
from thidua.rules.errors import Location
from thidua.rules.ruleset import PAll, PAny, PAttr, PTitle

LOC = Location("test")
RATING_GOOD = PAttr("rating", "gte", 2, "hoan_thanh_tot", LOC)
ADVANCED = PTitle("lao_dong_tien_tien", "decided", LOC)
INITIATIVE = PAttr("initiative", "eq", 1, True, LOC)
FIGHTER = PAll((ADVANCED, PAny((INITIATIVE, PAttr("rating", "gte", 3, "x", LOC)))))
PROVINCE = PAll((PTitle("chien_si_thi_dua_co_so", "decided", LOC), PAttr("streak", "gte", 2, 2, LOC)))


@pytest.fixture(scope="module")
def engine() -> ChainEngine:
    return ChainEngine(
        [
            [
                ("lao_dong_tien_tien", RATING_GOOD),
                ("chien_si_thi_dua_co_so", FIGHTER),
                ("chien_si_thi_dua_cap_tinh", PROVINCE),
            ]
        ]
    )


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ({"a_rating": 2, "a_initiative": 1, "a_streak": 2, "r_lao_dong_tien_tien": "none"}, [True, True, True]),
        ({"a_rating": 2, "a_initiative": 0, "a_streak": 2, "r_lao_dong_tien_tien": "none"}, [True, False, False]),
        ({"a_rating": 1, "a_initiative": 1, "a_streak": 2, "r_lao_dong_tien_tien": "none"}, [False, False, False]),
        ({"a_initiative": 1, "a_streak": 2, "r_lao_dong_tien_tien": "none"}, [None, None, None]),
        # a recorded refusal is what the next criterion sees, whatever the derivation says
        ({"a_rating": 3, "a_initiative": 1, "a_streak": 2, "r_lao_dong_tien_tien": "refused"}, [True, False, False]),
        # a recorded decision carries the chain although the rating is unknown
        ({"a_initiative": 1, "r_lao_dong_tien_tien": "decided"}, [None, True, None]),
    ],
)
def test_chain_fires_stage_after_stage(engine: ChainEngine, profile: dict, expected: list) -> None:
    with engine.session() as session:
        [got] = session.run_segment(0, 3, [dict(profile)])
    assert got == expected


def test_many_profiles_in_one_session(engine: ChainEngine) -> None:
    profiles = [{"a_rating": r, "a_initiative": i, "a_streak": s} for r in range(4) for i in (0, 1) for s in range(4)]
    with engine.session() as session:
        got = session.run_segment(0, 3, [dict(p) for p in profiles])
    for p, outcome in zip(profiles, got, strict=True):
        good = p["a_rating"] >= 2
        fighter = good and (p["a_initiative"] == 1 or p["a_rating"] >= 3)
        assert outcome == [good, fighter, fighter and p["a_streak"] >= 2]


def test_only_the_engine_module_imports_durable() -> None:
    root = Path(__file__).resolve().parent.parent
    for path in (
        list((root / "evaluator").glob("*.py"))
        + list((root / "rules").glob("*.py"))
        + list((root / "cli").glob("*.py"))
    ):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        uses = any(name.split(".")[0] == "durable" for name in names)
        assert uses == (path.name == "engine.py" and path.parent.name == "evaluator"), path
