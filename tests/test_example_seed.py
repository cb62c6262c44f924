"""The seed agency's 2022 report, end to end through the CLI: the acceptance case of the toolkit."""

from __future__ import annotations

from tests.conftest import EXAMPLE_2022, EXAMPLE_2023, run_cli, run_json

SEED_2022 = {
    "agency.provincial_merit": ("pending", None),
    "units.advanced": ("met", 0),
    "units.excellent": ("met", 0),
    "units.head_certificate": ("exceeded", 1),
    "union.rating": ("exceeded", 1),
    "agency.culture": ("met", None),
    "party_cell.rating": ("pending", None),
    "families.culture": ("met", 10.0),
    "families.no_third_child": ("met", 0),
    "staff.advanced_workers": ("met", 10.0),
    "staff.emulation_soldiers": ("exceeded", 1),
    "staff.head_certificate": ("met", 0),
    "staff.provincial_merit": ("met", 0),
    "union_members.rating": ("met", 10.0),
}


def test_2022_verdicts_match_the_report() -> None:
    code, data = run_json("evaluate", EXAMPLE_2022)
    assert code == 0
    got = {j["target"]: (j["status"], j["margin"]["value"] if j["margin"] else None) for j in data["judgements"]}
    assert got == SEED_2022
    assert [j["target"] for j in data["judgements"]] == list(SEED_2022)


def test_proposal_counted_is_said_plainly() -> None:
    _, data = run_json("evaluate", EXAMPLE_2022)
    merit = next(j for j in data["judgements"] if j["target"] == "staff.provincial_merit")
    notes = [r for r in merit["reasons"] if r["code"] == "note.proposal_counted"]
    assert len(notes) == 1 and notes[0]["entities"][0]["id"] == "p08"
    assert "đề nghị" in notes[0]["text"] and "chưa có quyết định" in notes[0]["text"]


def test_pending_targets_say_who_has_not_decided() -> None:
    _, data = run_json("evaluate", EXAMPLE_2022)
    by_id = {j["target"]: j for j in data["judgements"]}
    texts = " ".join(r["text"] for r in by_id["agency.provincial_merit"]["reasons"])
    assert "Khối thi đua số 6" in texts
    texts = " ".join(r["text"] for r in by_id["party_cell.rating"]["reasons"])
    assert "Đảng ủy Khối cơ quan và Doanh nghiệp tỉnh" in texts


def test_head_certificate_counts_the_named_departments() -> None:
    _, data = run_json("evaluate", EXAMPLE_2022)
    j = next(j for j in data["judgements"] if j["target"] == "units.head_certificate")
    counted = [e["id"] for r in j["reasons"] if r["code"] == "entities.counted" for e in r["entities"]]
    assert sorted(counted) == ["chinh_sach", "khth", "ttdb"]
    assert j["measured"]["value"] == 3


def test_2023_without_facts_is_pending_everywhere_and_says_what_is_missing() -> None:
    code, data = run_json("evaluate", EXAMPLE_2023)
    assert code == 0
    assert len(data["judgements"]) == 14
    for j in data["judgements"]:
        assert j["status"] == "pending", j["target"]
        assert any(r["code"] in ("measure.no_entities", "measure.no_entity") for r in j["reasons"]), j["target"]
    required = {j["target"]: j["requirement"]["value"] for j in data["judgements"]}
    assert (required["units.advanced"], required["units.excellent"], required["units.head_certificate"]) == (3, 1, 1)


def test_pending_can_fail_the_run() -> None:
    assert run_cli("evaluate", EXAMPLE_2023, "--fail-on-pending").exit_code == 1


def test_json_is_byte_identical_between_runs() -> None:
    first = run_cli("evaluate", EXAMPLE_2022, "--format", "json").stdout
    second = run_cli("evaluate", EXAMPLE_2022, "--format", "json").stdout
    assert first == second


def test_table_in_both_languages() -> None:
    vi = run_cli("evaluate", EXAMPLE_2022)
    assert vi.exit_code == 0
    for word in ("Vượt", "Đạt", "Chưa có kết quả", "Tổng cộng 14 chỉ tiêu"):
        assert word in vi.stdout
    en = run_cli("evaluate", EXAMPLE_2022, "--lang", "en")
    for word in ("Exceeded", "Met", "Pending", "14 targets"):
        assert word in en.stdout
    assert "Traceback" not in vi.stdout + en.stdout
