"""Quotas: the CSTĐCS cap with its rounding, breaches reported with candidates, never resolved silently."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from tests.criteria_helpers import write_agency
from thidua.evaluator.engine.derive import apply_rounding, derive
from thidua.evaluator.engine.targets import evaluate
from thidua.evaluator.run import load


@pytest.mark.parametrize(
    ("advanced", "rounding", "cap"),
    [
        (20, "floor", 3),
        (21, "floor", 3),
        (26, "floor", 3),
        (20, "round", 3),
        (21, "round", 3),
        (26, "round", 4),
        (20, "ceil", 3),
        (21, "ceil", 4),
        (26, "ceil", 4),
    ],
)
def test_rounding_of_a_15_percent_cap(advanced: int, rounding: str, cap: int) -> None:
    assert apply_rounding(Fraction(15, 100) * advanced, rounding) == cap


@pytest.mark.parametrize(
    ("advanced", "fighters", "status", "cap"),
    [(20, 3, "within", 3), (20, 4, "breach", 3), (21, 4, "breach", 3), (26, 3, "within", 3), (26, 4, "breach", 3)],
)
def test_cap_on_the_derived_titles(tmp_path: Path, advanced: int, fighters: int, status: str, cap: int) -> None:
    case = {
        "period": 2022,
        "cap": "15%",
        "people": [{"count": fighters, "initiative": True}, {"count": advanced - fighters}, {"rating": "hoan_thanh"}],
    }
    _, rules, facts = load(write_agency(tmp_path, case))
    d = derive(rules, facts)
    [q] = d.quotas
    assert (q.base, q.cap, len(q.holders), q.status) == (advanced, cap, fighters, status)
    assert [e.id for e in q.holders] == [f"p{i + 1}" for i in range(fighters)]
    assert d.facts is not None
    held = [e.holdings.get("chien_si_thi_dua_co_so") for e in d.facts.of("person")[:fighters]]
    # over the cap the evaluator picks nobody: the derived titles wait for the council
    # over the cap, derived holders are candidates awaiting the council: unknown to the targets
    # within the cap, eligible to be proposed: a proposal to the targets, never a decision
    assert {h.state for h in held if h} == ({"unknown"} if status == "breach" else {"proposed"})
    assert all(h.eligible for h in held if h) is (status != "breach")
    assert all(h is not None and h.source == "derived" for h in held)


def test_a_recorded_council_choice_is_kept_and_counted(tmp_path: Path) -> None:
    folder = write_agency(
        tmp_path, {"period": 2022, "cap": "15%", "people": [{"count": 4, "initiative": True}, {"count": 16}]}
    )
    text = (folder / "roster.facts.json").read_text(encoding="utf-8")
    # the council chose p1..p3 and refused p4, with a note
    import json

    data = json.loads(text)
    for i, person in enumerate(data["entities"]["person"][:4]):
        person["titles"] = (
            ["chien_si_thi_dua_co_so"]
            if i < 3
            else [{"title": "chien_si_thi_dua_co_so", "state": "refused", "note": "Vượt tỷ lệ 15%"}]
        )
    (folder / "roster.facts.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _, rules, facts = load(folder)
    d = derive(rules, facts)
    [q] = d.quotas
    assert (q.cap, len(q.holders), q.status) == (3, 3, "within")
    assert [f.finding for f in d.findings() if f.criterion.title == "chien_si_thi_dua_co_so"] == ["override"]
    evaluation = evaluate(rules, d.facts)  # no targets here, but the facts load and evaluate
    assert evaluation.judgements == ()
