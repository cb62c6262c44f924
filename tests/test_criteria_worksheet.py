"""`thidua candidates` on both examples; derived versus recorded titles; overrides in dependent reasons."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import EXAMPLE, EXAMPLE_2022, finding_rows, run_cli, run_json, worksheet_rows
from tests.e2e.process import run_script
from thidua.evaluator.engine.derive import derive
from thidua.evaluator.run import load

EXAMPLE_2024 = EXAMPLE / "2024"


def section(data: dict, title: str) -> dict:
    return next(s for s in data["titles"] if s["title"] == title)


def row(sec: dict, entity: str) -> dict:
    return next(r for r in worksheet_rows(sec) if r["id"] == entity)


def test_seed_2022_titles_follow_from_the_raw_facts() -> None:
    _, rules, facts = load(EXAMPLE_2022)
    d = derive(rules, facts)
    assert d.findings() == []
    for dec in d.decisions:
        recorded = dec.recorded is not None and dec.recorded.state == "decided"
        assert dec.derived is recorded, (dec.criterion.id, dec.entity.id)
    assert d.facts is facts  # nothing to add: the verdicts are computed on the recorded facts
    [quota] = d.quotas
    assert (quota.base, quota.cap, len(quota.holders), quota.status) == (22, 3, 3, "within")


def test_worksheet_2022_json() -> None:
    code, data = run_json("candidates", EXAMPLE_2022)
    assert code == 0
    assert data["period"] == 2022
    assert [s["criterion"] for s in data["titles"]] == [
        "lddt_nd91",
        "cstdcs_nd91",
        "cstd_tinh_nd91",
        "ttldtt_nd91",
        "ttldxs_nd91",
    ]
    cst = section(data, "chien_si_thi_dua_co_so")
    assert cst["counts"] == {"qualifies": 3, "does_not_qualify": 19, "pending": 0}
    assert cst["quotas"][0]["status"] == "within" and cst["quotas"][0]["cap"] == 3
    ttdb = row(section(data, "tap_the_lao_dong_xuat_sac"), "ttdb")
    assert ttdb["outcome"] == "does_not_qualify"
    assert ttdb["deciding"] == ["Xếp loại: Hoàn thành tốt nhiệm vụ (yêu cầu ≥ Hoàn thành xuất sắc nhiệm vụ)"]


def test_worksheet_2024_shows_the_new_regime_cases() -> None:
    code, data = run_json("candidates", EXAMPLE_2024, "--lang", "en")
    assert code == 0
    lddt = section(data, "lao_dong_tien_tien")
    assert lddt["criterion"] == "lddt_nd98"
    nam = row(lddt, "a06")
    assert nam["outcome"] == "does_not_qualify"
    # 5 months of service and not a transfer: both checks decide; the discipline alternative does not
    assert nam["deciding"] == [
        "Months to the end of the period (from the earliest given of: Công tác liên tục từ ngày / Hợp đồng lao "
        "động liền trước tuyển dụng từ ngày / Ngày tuyển dụng): 5 (needs ≥ 6)",
        "Chuyển công tác đến: No (needs = Yes)",
    ]
    assert row(lddt, "a04")["outcome"] == "qualifies"  # exactly 6 months
    assert row(lddt, "a11")["outcome"] == "qualifies"  # transferred in September: not a new recruit
    assert row(lddt, "a12")["outcome"] == "pending"  # a disciplinary review under way: awaited, not refused
    cst = section(data, "chien_si_thi_dua_co_so")
    huong = row(cst, "a02")
    assert huong["outcome"] == "qualifies"
    # Hoàn thành xuất sắc alone qualifies (Law 06/2022, Art. 23): the missing initiative does not decide it
    assert {c["name"]: c["outcome"] for c in huong["checks"]} == {"lao_dong_tien_tien": "true", "rating": "true"}
    # Law 06/2022 sets no cap on CSTĐCS: every eligible person is eligible, and the worksheet says so
    assert cst["quotas"] == [] and cst["capped_elsewhere"] is True
    assert cst["counts"]["qualifies"] == 3
    # the council's refusal of LĐTT for a10, with its note, shows in the CSTĐCS reason that depends on it
    long_ = row(cst, "a10")
    assert long_["outcome"] == "does_not_qualify"
    assert any("by the council's decision (Hội đồng không công nhận" in text for text in long_["deciding"])
    kinds = {(f["id"], f["title"]): f["finding"] for f in finding_rows(data)}
    assert kinds[("a10", "lao_dong_tien_tien")] == "override"
    assert kinds[("a03", "lao_dong_tien_tien")] == "unrecorded"
    settings = {st["id"]: (st["value"], st["verified"], st["source"]["file"]) for st in data["settings"]}
    assert "cstdcs_cap_nd98" not in settings
    assert settings["lddt_min_months_nd98"] == (6, True, "pack:criteria_nd98")
    assert [p["pack"] for p in data["criteria"]["packs"]] == ["criteria_nd98"]
    assert data["criteria"]["decided_on"] == "2024-12-31" and data["criteria"]["decided_by"] == "period_end"


def test_targets_count_eligible_titles_only_as_proposals() -> None:
    """A title the criteria grant and nobody decided is eligible to be proposed: pending for a target
    that counts decisions, counted (and said so) only where the target counts proposals."""
    code, data = run_json("evaluate", EXAMPLE_2024)
    status = {j["target"]: j["status"] for j in data["judgements"]}
    assert status == {
        "units.advanced": "pending",
        "staff.advanced_workers": "pending",
        "staff.emulation_fighters": "pending",
    }
    assert code == 0
    units = next(j for j in data["judgements"] if j["target"] == "units.advanced")
    eligible = [
        e["id"]
        for r in units["reasons"]
        if r["code"] == "entities.unknown"
        for c in r["checks"]
        if c["note"] == "eligible_pending"
        for e in r["entities"]
    ]
    assert eligible == ["van_phong"]
    assert "đủ điều kiện đề nghị theo tiêu chuẩn, chưa có quyết định" in json.dumps(units, ensure_ascii=False)
    assert not [r for r in units["reasons"] if r["code"] == "note.derived_counted"]
    # the seed records every title: nothing derived is counted there
    _, seed = run_json("evaluate", EXAMPLE_2022)
    assert not [r for j in seed["judgements"] for r in j["reasons"] if r["code"] == "note.derived_counted"]


def test_table_in_both_languages() -> None:
    for lang, words in (
        ("vi", ["Bảng xét danh hiệu năm 2024", "không có tỷ lệ tối đa nào áp dụng", "Hồ Văn Nam", "criteria_nd98"]),
        ("en", ["Title review worksheet, 2024", "no cap applies", "Eligible to be proposed"]),
    ):
        result = run_cli("candidates", EXAMPLE_2024, "--lang", lang)
        assert result.exit_code == 0
        text = " ".join(result.stdout.split())
        for w in words:
            assert w in text, w
    result = run_cli("candidates", EXAMPLE_2022, "--title", "tap_the_lao_dong_tien_tien")
    assert "Tập thể lao động tiên tiến" in result.stdout and "Chiến sĩ thi đua cơ sở —" not in result.stdout
    assert "khớp với tiêu chuẩn" in result.stdout


def test_recorded_and_derived_disagreements_are_findings(example_copy: Path) -> None:
    roster = example_copy / "roster.facts.yaml"
    text = roster.read_text(encoding="utf-8")
    # p05 loses the recorded LĐTT; p06 is rated below the criteria while the facts still record it
    text = text.replace(
        "      recruited_on: 2010-05-13\n      discipline: Không bị kỷ luật\n      initiative: false\n      research_topic: false\n      titles:\n        - lao_dong_tien_tien\n",
        "      recruited_on: 2010-05-13\n      discipline: Không bị kỷ luật\n      initiative: false\n      research_topic: false\n      titles:\n",
    )
    text = text.replace(
        "    - id: p06\n      name: Vũ Thị Thu Hà\n      unit: van_phong\n      rating: hoan_thanh_tot",
        "    - id: p06\n      name: Vũ Thị Thu Hà\n      unit: van_phong\n      rating: hoan_thanh",
    )
    roster.write_text(text, encoding="utf-8")
    code, data = run_json("candidates", example_copy, "--title", "lao_dong_tien_tien", "--lang", "en")
    assert code == 0
    assert [(f["id"], f["finding"]) for f in finding_rows(data)] == [("p05", "unrecorded"), ("p06", "unsupported")]
    assert (
        finding_rows(data)[1]["text"]
        == "Vũ Thị Thu Hà: the facts record Lao động tiên tiến but the criteria do not support it"
    )
    # the targets keep the council's record for p06 and count p05 as derived
    code, ev = run_json("evaluate", example_copy)
    staff = next(j for j in ev["judgements"] if j["target"] == "staff.advanced_workers")
    assert staff["status"] == "met"


def test_json_is_the_same_data_as_the_table() -> None:
    result = run_cli("candidates", EXAMPLE_2024, "--format", "json")
    data = json.loads(result.stdout)
    table = run_cli("candidates", EXAMPLE_2024)
    flat = " ".join(table.stdout.split())
    for f in finding_rows(data):
        assert " ".join(f["text"].split())[:40] in flat


def test_a_test_written_under_not_decides_and_says_it_must_not_hold(example_copy: Path) -> None:
    """Old regime: a reprimand refuses Lao động tiên tiến; the worksheet names that check, negated."""
    roster = example_copy / "roster.facts.yaml"
    text = roster.read_text(encoding="utf-8")
    start = text.index("    - id: p05\n")
    end = text.index("    - id: p06\n")
    block = text[start:end].replace("discipline: Không bị kỷ luật", "discipline: Khiển trách")
    block = block.replace("        - lao_dong_tien_tien\n", "")
    roster.write_text(text[:start] + block + text[end:], encoding="utf-8")
    code, data = run_json("candidates", example_copy, "--title", "lao_dong_tien_tien")
    assert code == 0
    p05 = row(section(data, "lao_dong_tien_tien"), "p05")
    assert p05["outcome"] == "does_not_qualify"
    assert p05["deciding"] == ["Kỷ luật: Khiển trách (yêu cầu KHÔNG ≥ Khiển trách)"]
    en = run_json("candidates", example_copy, "--title", "lao_dong_tien_tien", "--lang", "en")[1]
    assert row(section(en, "lao_dong_tien_tien"), "p05")["deciding"] == [
        "Kỷ luật: Khiển trách (needs NOT ≥ Khiển trách)"
    ]
    # the explanation says the same, and a test under `not` that failed the criterion ends in "sai"
    tree = run_script("explain", example_copy, "staff.advanced_workers", "--entity", "p05").stdout
    assert "Kỷ luật: Khiển trách (yêu cầu KHÔNG ≥ Khiển trách) → sai" in tree, tree
