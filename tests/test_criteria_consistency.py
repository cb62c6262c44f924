"""Consistency findings: a stated count next to a list that does not match it; mixed denominators."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import EXAMPLE_2022, run_json

SHARES = """version: 1
use: [core]
targets:
  - id: staff.advanced
    title: Trên 90% công chức đạt Lao động tiên tiến
    measure: {share: {of: person, matching: {has_title: lao_dong_tien_tien}}}
    require: {gt: 90%}
    reported: 100%
  - id: members.advanced
    title: Trên 90% đoàn viên đạt Lao động tiên tiến
    measure: {share: {of: person, where: {attr: union_member, eq: true}, matching: {has_title: lao_dong_tien_tien}}}
    require: {gt: 90%}
"""
FACTS = """period: 2022
entities:
  person:
    - {id: a, union_member: true, titles: [lao_dong_tien_tien]}
    - {id: b, union_member: false}
"""


def test_seed_reports_two_departments_but_names_three() -> None:
    code, data = run_json("candidates", EXAMPLE_2022, "--lang", "en")
    assert code == 0
    assert [c["code"] for c in data["consistency"]] == ["consistency.reported_count"]
    [c] = data["consistency"]
    assert (c["params"]["target"], c["params"]["reported"], c["params"]["computed"]) == ("units.head_certificate", 2, 3)
    assert c["text"].startswith("Target '02 tập thể phòng được Trưởng ban tặng Giấy khen': the report states 2")


def test_same_share_over_two_denominators_and_a_wrong_reported_share(tmp_path: Path) -> None:
    (tmp_path / "t.rules.yaml").write_text(SHARES, encoding="utf-8")
    (tmp_path / "f.facts.yaml").write_text(FACTS, encoding="utf-8")
    code, data = run_json("candidates", tmp_path)
    assert code == 0
    codes = {c["code"]: c["params"] for c in data["consistency"]}
    assert codes["consistency.reported_share"]["computed"] == {"percent": 0.5}  # written as 50% by its text
    assert codes["consistency.denominators"] == {
        "first": "staff.advanced",
        "second": "members.advanced",
        "kind": "person",
    }
