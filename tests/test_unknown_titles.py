"""A title the criteria leave undecided reaches the targets as unknown: ranges and pending verdicts, as real processes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.e2e.process import run_thidua


def _run(*args: str) -> Any:
    done = run_thidua(*args, timeout=60)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout)


def _checks(node: Any) -> list[dict[str, Any]]:
    """Every check of an explanation tree, depth first."""
    out: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "outcome" in node and "subject" in node:
            out.append(node)
        for value in node.values():
            out.extend(_checks(value))
    elif isinstance(node, list):
        for value in node:
            out.extend(_checks(value))
    return out


def test_a_missing_discipline_value_makes_the_derived_unit_title_unknown(example_2024_copy: Path) -> None:
    roster = example_2024_copy
    facts = roster / "roster.facts.yaml"
    text = facts.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if "id: a03," in x)
    facts.write_text(text.replace(line, line.replace("discipline: khong, ", "")), encoding="utf-8")
    judgements = {
        j["target"]: j for j in _run("evaluate", str(roster), "--no-record", "--format", "json")["judgements"]
    }
    units = judgements["units.advanced"]
    assert units["status"] == "pending"
    assert (units["measured"]["value"], units["measured"]["low"], units["measured"]["high"]) == (None, 1, 2)
    unknown = [r for r in units["reasons"] if r["code"] == "entities.unknown"]
    assert [e["id"] for r in unknown for e in r["entities"]] == ["van_phong"]
    tree = _run("explain", str(roster), "units.advanced", "--entity", "van_phong", "--format", "json")
    title = next(c for c in _checks(tree) if c.get("name") == "tap_the_lao_dong_tien_tien")
    assert (title["outcome"], title["note"]) == ("unknown", "derived_unknown")


def test_quota_candidates_are_unknown_even_where_proposals_count(example_2024_copy: Path) -> None:
    """Three derived CSTĐCS over a cap of one: the council chooses, so every target reading them is pending."""
    roster = example_2024_copy
    rules = roster / "targets.rules.yaml"
    text = rules.read_text(encoding="utf-8")
    extra = (
        "\n  - id: staff.fighters_or_proposed\n    title: Có ít nhất 1 CSTĐCS (kể cả đề nghị)\n"
        "    count_proposed: true\n    measure:\n      count:\n        of: person\n"
        "        where: {has_title: chien_si_thi_dua_co_so}\n    require: {gte: 1}\n"
    )
    rules.write_text(text.rstrip("\n") + "\n" + extra, encoding="utf-8")
    judgements = {
        j["target"]: j for j in _run("evaluate", str(roster), "--no-record", "--format", "json")["judgements"]
    }
    for target in ("staff.emulation_fighters", "staff.fighters_or_proposed"):
        measured = judgements[target]["measured"]
        assert (judgements[target]["status"], measured["low"], measured["high"]) == ("pending", 0, 3), target
