"""Data-driven block cases (tests/data/block_cases.yaml): points, totals, ranks and proposals, exact."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from thidua.evaluator.blocks.run import BlockRun, run_block

CASES = yaml.safe_load((Path(__file__).parent / "data" / "block_cases.yaml").read_text(encoding="utf-8"))

# The targets every member of a case registers (the block's pledge), scored by `target:` items.
TARGETS = [
    {"id": "t.ldtt", "title": "Trên 90% LĐTT", "require": {"gt": "90%"},
     "measure": {"share": {"of": "person", "matching": {"has_title": "lao_dong_tien_tien"}}}},
    {"id": "t.half", "title": "Từ 50% LĐTT", "require": {"gte": "50%"},
     "measure": {"share": {"of": "person", "matching": {"has_title": "lao_dong_tien_tien"}}}},
    {"id": "t.cstdcs", "title": "Có CSTĐCS", "require": {"gte": 1},
     "measure": {"count": {"of": "person", "where": {"has_title": "chien_si_thi_dua_co_so"}}}},
    {"id": "t.union", "title": "Công đoàn HTT", "require": {"gte": "hoan_thanh_tot"},
     "measure": {"level": {"of": "union", "attribute": "rating"}}},
]  # fmt: skip


def build(case: dict[str, Any], root: Path) -> Path:
    """Write the case as a block folder with one agency folder per member."""
    block = {"version": 1, "block": {"name": "Khối thử", "period": 2022}, "scoring": case["scoring"]}
    for key in ("ranking", "proposals"):
        if key in case:
            block[key] = case[key]
    (root / "block.rules.yaml").write_text(yaml.safe_dump(block, allow_unicode=True), encoding="utf-8")
    for name, member in case["members"].items():
        folder = root / name
        folder.mkdir()
        rules = {"version": 1, "period": 2022, "use": ["core"], "targets": TARGETS}
        (folder / "targets.rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
        people = [{"id": f"p{i}", "name": f"Người {i}", **p} for i, p in enumerate(member.get("people", []))]
        union = member.get("union", "hoan_thanh_tot")
        entities = {
            "organization": [{"id": name, "name": name}],
            "person": people,
            "union": [{"id": "cd", "name": "Công đoàn", "rating": union}],
        }
        facts = {"period": 2022, "entities": entities}
        (folder / "roster.facts.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    return root


def points(value: Any) -> tuple[Fraction, Fraction]:
    if isinstance(value, list):
        return Fraction(str(value[0])), Fraction(str(value[1]))
    return Fraction(str(value)), Fraction(str(value))


def check_member(run: BlockRun, key: str, expected: dict[str, Any]) -> None:
    m = run.member(key)
    assert m.error is None, m.error
    assert m.score is not None
    if "total" in expected:
        assert m.score.total == points(expected["total"]), f"{key} total"
    for item_id, value in expected.get("items", {}).items():
        item = next(i for i in m.score.items if i.id == item_id)
        assert (item.low, item.high) == points(value), f"{key} {item_id}"
    place = run.places[key]
    if "rank" in expected:
        assert [place.best, place.worst] == expected["rank"], f"{key} rank"
    proposal = run.proposals[key]
    if "proposal" in expected:
        assert proposal.status == expected["proposal"], f"{key}: {proposal}"
    if "title" in expected:
        assert proposal.title == expected["title"]
    for code in expected.get("reasons", []):
        assert code in [c for c, _ in proposal.reasons], f"{key}: {proposal.reasons}"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_block_case(case: dict[str, Any], tmp_path: Path) -> None:
    run = run_block(build(case, tmp_path))
    for key, expected in case["expect"].items():
        check_member(run, key, expected)
