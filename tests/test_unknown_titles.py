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
    assert (units["measured"]["value"], units["measured"]["low"], units["measured"]["high"]) == (None, 0, 2)
    tree = _run("explain", str(roster), "units.advanced", "--entity", "van_phong", "--format", "json")
    title = next(c for c in _checks(tree) if c.get("name") == "tap_the_lao_dong_tien_tien")
    # undecided by the criteria (a fact is missing), not merely eligible and undecided by the council
    assert (title["outcome"], title["note"]) == ("unknown", "derived_unknown")


def test_quota_candidates_are_unknown_even_where_proposals_count(example_2024_copy: Path) -> None:
    """Three CSTĐCS eligible over a provincial cap of one: the council chooses, so every target reading
    them is pending, even one that counts proposals (a candidate over a cap is not eligible as such)."""
    roster = example_2024_copy
    rules = roster / "targets.rules.yaml"
    text = rules.read_text(encoding="utf-8")
    cap = (
        "\nquotas:\n  - id: cstdcs_cap_tinh\n    title: Tỷ lệ CSTĐCS của tỉnh (giả định)\n"
        "    reference: Quyết định của UBND tỉnh (giả định)\n    limits: chien_si_thi_dua_co_so\n    of: person\n"
        "    at_most: {share: 15%, of_title: lao_dong_tien_tien}\n"
    )
    extra = (
        "\n  - id: staff.fighters_or_proposed\n    title: Có ít nhất 1 CSTĐCS (kể cả đề nghị)\n"
        "    count_proposed: true\n    measure:\n      count:\n        of: person\n"
        "        where: {has_title: chien_si_thi_dua_co_so}\n    require: {gte: 1}\n"
    )
    rules.write_text(text.rstrip("\n") + "\n" + extra + cap, encoding="utf-8")
    judgements = {
        j["target"]: j for j in _run("evaluate", str(roster), "--no-record", "--format", "json")["judgements"]
    }
    for target in ("staff.emulation_fighters", "staff.fighters_or_proposed"):
        measured = judgements[target]["measured"]
        assert (judgements[target]["status"], measured["low"], measured["high"]) == ("pending", 0, 3), target
