"""thidua draft on the pledges of other agencies: each grammar form (tests/cases/draft/forms.yaml),
the period headings, the agencies of tests/data/pledges drafted whole with their own declarations."""

from __future__ import annotations

import copy
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.process import run_thidua
from tests.test_measures import _expand
from thidua.evaluator.run import run_path
from thidua.rules.drafting.basis import Source, load_source
from thidua.rules.drafting.draft import Drafted, Unrecognised, draft_text
from thidua.rules.drafting.emit import rule_file
from thidua.rules.drafting.sentences import clauses, find

ROOT = Path(__file__).resolve().parent.parent
PLEDGES = Path(__file__).parent / "data" / "pledges"
CASES = yaml.safe_load((Path(__file__).parent / "cases" / "draft" / "forms.yaml").read_text(encoding="utf-8"))


@cache
def source(use: str) -> Source:
    return load_source(str(PLEDGES / use / "khai-bao.yaml") if _fixture(use) else use)


def _draft(case: dict[str, Any]) -> list[Drafted | Unrecognised]:
    draft = draft_text(f"- {case['sentence']}\n", source(case["use"]).rules)
    return [*draft.targets.get(None, []), *draft.unrecognised.get(None, [])]


def _fixture(use: str) -> bool:
    return (PLEDGES / use).is_dir()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_each_form_drafts_its_targets(case: dict[str, Any], tmp_path: Path) -> None:
    items = _draft(case)
    if "unrecognised" in case:
        assert len(items) == 1 and isinstance(items[0], Unrecognised), items
        assert case["unrecognised"] in items[0].reason
        assert "từ đã nhận ra" in items[0].reason or "không nhận ra từ nào" in items[0].reason
        return
    assert all(isinstance(i, Drafted) for i in items), items
    drafted = [i for i in items if isinstance(i, Drafted)]
    assert len(drafted) == len(case["targets"])
    for item, expected in zip(drafted, case["targets"], strict=True):
        assert item.target["measure"] == expected["measure"]
        assert item.target["require"] == expected["require"]
        assert item.target.get("count_proposed", False) == expected.get("count_proposed", False)
        for code in expected.get("notes", []):
            assert code in [n.code for n in item.notes], item.notes
    for code in case.get("notes", []):
        assert code in [n.code for n in drafted[0].notes], drafted[0].notes
        if code in ("draft.note.ratio", "draft.note.level_exact", "draft.note.all_titles"):
            assert drafted[0].confidence <= 0.6  # a reading that chose one meaning is never sure
    uses = ["khai-bao.yaml"] if _fixture(case["use"]) else ["core"]
    text = rule_file(draft_text(f"- {case['sentence']}\n", source(case["use"]).rules), None, uses, "case")
    assert "&id" not in text and "*id" not in text
    for i, boundary in enumerate(case.get("boundaries", [])):
        folder = tmp_path / str(i)
        folder.mkdir()
        if _fixture(case["use"]):
            shutil.copy(PLEDGES / case["use"] / "khai-bao.yaml", folder / "khai-bao.yaml")
        (folder / "draft.rules.yaml").write_text(text.replace("version: 1\n", "version: 1\nperiod: 2022\n"), "utf-8")
        facts = {"period": 2022, "entities": _expand(copy.deepcopy(boundary["facts"]))}
        (folder / "case.facts.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True), "utf-8")
        judgement = run_path(folder, (), ()).evaluation.judgements[0]
        assert judgement.status == boundary["status"], (boundary, judgement.to_dict())


# --- periods, terms and bare lists ------------------------------------------------------------


def test_a_school_year_heading_is_the_period_and_a_term_is_kept_with_the_year() -> None:
    school = find("KẾ HOẠCH NĂM HỌC 2023-2024\n1. Đối với học sinh:\n- Trên 95% học sinh đạt hạnh kiểm Tốt\n")
    assert [(s.period, s.term, s.group) for s in school] == [("2023-2024", None, "individual")]
    party = find(
        "CHƯƠNG TRÌNH NHIỆM KỲ 2025-2030\nI. Chỉ tiêu năm 2026\n1. Đối với tập thể\n- Chi bộ đạt xếp loại HTTNV\n"
    )
    assert [(s.period, s.term, s.place) for s in party] == [(2026, "2025-2030", "mục I.1")]
    assert [s.period for s in find("Năm học 2023-2025\n1. Đối với tập thể\n- Trường đạt TTLĐTT\n")] == [None]


def test_a_bare_list_without_bullets_is_read_line_by_line_and_headings_are_not_targets() -> None:
    text = "GIAO ƯỚC THI ĐUA\nChỉ tiêu năm 2024:\nCó 03 cá nhân đạt danh hiệu CSTĐCS\nChăm lo đời sống\n\nNăm 2025\n"
    sentences = find(text)
    assert [(s.text, s.line, s.period, s.place) for s in sentences] == [
        ("Có 03 cá nhân đạt danh hiệu CSTĐCS", 3, 2024, None),
        ("Chăm lo đời sống", 4, 2024, None),
    ]


def test_a_block_under_a_group_heading_may_be_written_without_bullets() -> None:
    text = "I. Chỉ tiêu\n1. Đối với tập thể\nTrường đạt danh hiệu TTLĐTT\n2. Kết quả khác\n"
    assert [s.text for s in find(text)] == ["Trường đạt danh hiệu TTLĐTT"]


def test_trong_do_starts_a_clause_of_its_own() -> None:
    assert clauses("100% giáo viên hoàn thành nhiệm vụ, trong đó trên 30% hoàn thành xuất sắc nhiệm vụ.") == [
        "100% giáo viên hoàn thành nhiệm vụ",
        "trong đó trên 30% hoàn thành xuất sắc nhiệm vụ",
    ]


# --- whole pledges of other agencies ------------------------------------------------------------

AGENCIES = sorted(p.name for p in PLEDGES.iterdir() if p.is_dir())
# What each agency's pledge leaves unread, on purpose: a sentence stating no measurable target.
UNREAD = {"thi-tran": ["Chăm lo đời sống cán bộ, công chức"]}


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    result = run_thidua(*args, cwd=cwd)
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.mark.parametrize("agency", AGENCIES)
def test_each_agency_pledge_drafts_to_its_hand_written_targets(agency: str) -> None:
    folder = PLEDGES / agency
    check = run("draft", "giao-uoc.txt", "--use", "khai-bao.yaml", "--check", "chi-tieu.rules.yaml", cwd=folder)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("0 khác biệt")
    draft = draft_text((folder / "giao-uoc.txt").read_text(encoding="utf-8"), source(agency).rules)
    assert [m.clause for items in draft.unrecognised.values() for m in items] == UNREAD.get(agency, [])


def test_a_draft_written_with_out_uses_the_declarations_by_a_relative_path_and_validates(tmp_path: Path) -> None:
    agency = tmp_path / "thi-tran"
    shutil.copytree(PLEDGES / "thi-tran", agency)
    (agency / "chi-tieu.rules.yaml").unlink()
    out = agency / "2024" / "chi-tieu.rules.yaml"
    out.parent.mkdir()
    written = run("draft", str(agency / "giao-uoc.txt"), "--use", str(agency / "khai-bao.yaml"), "--out", str(out))
    assert written.returncode == 0, written.stderr
    text = out.read_text(encoding="utf-8")
    assert yaml.safe_load(text)["use"] == ["../khai-bao.yaml"]
    assert "# Vị trí: dòng 8\n" in text  # a bare list: the line, said once
    validate = run("validate", str(out.parent))
    assert validate.returncode == 0, validate.stdout + validate.stderr


def test_a_draft_from_an_agency_folder_carries_the_declarations_of_a_file_holding_targets(tmp_path: Path) -> None:
    folder = ROOT / "examples" / "so-van-hoa-mau" / "2024"
    pledge = run("pledge", str(folder))
    (tmp_path / "giao-uoc.txt").write_text(pledge.stdout, encoding="utf-8")
    result = run("draft", "giao-uoc.txt", "--use", str(folder), "--period", "2024", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(result.stdout)
    assert data["use"] == ["criteria", "organization_criteria"]  # what that file uses, not the file
    assert {a["id"] for k in data["kinds"] for a in k["attributes"]} == {"rank", "score", "initiatives"}
    assert "# Khai báo chép từ targets.rules.yaml" in result.stdout
    (tmp_path / "targets.rules.yaml").write_text(result.stdout, encoding="utf-8")
    assert run("validate", str(tmp_path / "targets.rules.yaml")).returncode == 0


def test_a_draft_cannot_use_a_file_outside_its_agency_folder(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    result = run(
        "draft", str(PLEDGES / "xa" / "giao-uoc.txt"), "--use", str(PLEDGES / "xa" / "khai-bao.yaml"),
        "--out", str(tmp_path / "a" / "x.rules.yaml"),
    )  # fmt: skip
    assert result.returncode == 2
    assert "--use" in result.stderr and "nằm ngoài thư mục cơ quan" in result.stderr


@pytest.mark.parametrize(
    ("use", "fragment"),
    [("critera", "Có phải là 'criteria'?"), ("khong-co/khai-bao.yaml", "Không có gói quy tắc, tệp hay thư mục")],
)
def test_an_unknown_use_exits_2_with_what_it_may_be(use: str, fragment: str) -> None:
    result = run("draft", str(PLEDGES / "xa" / "giao-uoc.txt"), "--use", use)
    assert result.returncode == 2
    assert fragment in result.stderr


def test_period_on_a_document_naming_no_year_is_written_into_the_draft(tmp_path: Path) -> None:
    (tmp_path / "g.txt").write_text("- Có 03 cá nhân đạt danh hiệu CSTĐCS\n", encoding="utf-8")
    result = run("draft", str(tmp_path / "g.txt"), "--period", "2024")
    assert result.returncode == 0, result.stderr
    assert "None" not in result.stdout + result.stderr
    assert yaml.safe_load(result.stdout)["period"] == 2024
    bad = run("draft", str(tmp_path / "g.txt"), "--period", "2023-2025")
    assert bad.returncode == 2 and "--period" in bad.stderr


def test_a_term_without_a_year_asks_for_the_period(tmp_path: Path) -> None:
    (tmp_path / "g.txt").write_text("NHIỆM KỲ 2025-2030\n- Có 03 cá nhân đạt danh hiệu CSTĐCS\n", encoding="utf-8")
    asked = run("draft", str(tmp_path / "g.txt"))
    assert asked.returncode == 2 and "--period 2025" in asked.stderr
    outside = run("draft", str(tmp_path / "g.txt"), "--period", "2031")
    assert outside.returncode == 2 and "2025-2030" in outside.stderr
