"""An agency's own rules: criteria added on top of a pack, a quota per unit, no period at all."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli, run_json, worksheet_rows
from tests.criteria_helpers import write_agency

OWN = """
criteria:
  - id: giay_khen_ca_nhan
    title: Giấy khen của Thủ trưởng (quy chế cơ quan, giả định)
    earns: giay_khen_thu_truong
    of: person
    when:
      all:
        - {has_title: lao_dong_tien_tien}
        - {attr: initiative, eq: true}
quotas:
  - id: cstdcs_per_unit
    title: Mỗi phòng không quá 50% CSTĐCS trên số LĐTT của phòng
    limits: chien_si_thi_dua_co_so
    of: person
    per: unit
    at_most: {share: 50%, of_title: lao_dong_tien_tien}
    rounding: ceil
"""


def agency(tmp_path: Path) -> Path:
    case = {
        "period": 2024,
        "units": [{"id": "u1"}, {"id": "u2"}],
        "people": [
            {"unit": "u1", "initiative": True},
            {"unit": "u1", "initiative": True},
            {"unit": "u1"},
            {"unit": "u2", "initiative": True},
            {"unit": "u2"},
        ],
    }
    folder = write_agency(tmp_path, case)
    rules = json.loads((folder / "agency.rules.yaml").read_text(encoding="utf-8"))
    text = (
        "version: 1\nuse: [criteria]\nsettings:\n"
        + "".join(f"  - {{id: {s['id']}, title: {s['title']}, value: '{s['value']}'}}\n" for s in rules["settings"])
        + OWN
    )
    (folder / "agency.rules.yaml").write_text(text, encoding="utf-8")
    return folder


def test_agency_criteria_chain_on_the_pack_and_quota_per_unit(tmp_path: Path) -> None:
    code, data = run_json("candidates", agency(tmp_path), "--lang", "en")
    assert code == 0
    gk = next(s for s in data["titles"] if s["criterion"] == "giay_khen_ca_nhan")
    assert {r["id"]: r["outcome"] for r in worksheet_rows(gk)} == {
        "p1": "qualifies",
        "p2": "qualifies",
        "p3": "does_not_qualify",
        "p4": "qualifies",
        "p5": "does_not_qualify",
    }
    cst = next(s for s in data["titles"] if s["title"] == "chien_si_thi_dua_co_so")
    per_unit = {
        q["group"]: (q["base"], q["cap"], q["count"], q["status"])
        for q in cst["quotas"]
        if q["id"] == "cstdcs_per_unit"
    }
    # u1: 3 LĐTT × 50% = 1.5 -> 2 (ceil), 2 candidates; u2: 2 × 50% = 1, 1 candidate
    assert per_unit == {"u1": (3, 2, 2, "within"), "u2": (2, 1, 1, "within")}
    table = run_cli("candidates", agency(tmp_path / "again"), "--lang", "en")
    assert "[u1]" in table.stdout


def test_no_period_means_no_regime(tmp_path: Path) -> None:
    (tmp_path / "a.rules.yaml").write_text("version: 1\nuse: [criteria]\n", encoding="utf-8")
    (tmp_path / "f.facts.yaml").write_text(
        "entities:\n  person:\n    - {id: a, rating: hoan_thanh_tot}\n", encoding="utf-8"
    )
    result = run_cli("candidates", tmp_path, "--lang", "en")
    assert result.exit_code == 0
    assert "No title criteria apply" in result.stdout
