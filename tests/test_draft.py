"""thidua draft and thidua pledge: one case per phrasing with boundaries, the seed report, errors, real processes."""

from __future__ import annotations

import copy
import subprocess
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.process import run_thidua
from tests.test_measures import _expand
from thidua.evaluator.run import run_path
from thidua.rules.drafting.check import compare, load_text
from thidua.rules.drafting.draft import Drafted, Unrecognised, draft_text
from thidua.rules.drafting.emit import rule_file
from thidua.rules.drafting.pledge import pledge_sentence, pledge_sentences
from thidua.rules.loader import load_rules
from thidua.rules.ruleset import RuleSet

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ban-dan-toc-binh-phuoc"
REPORT = EXAMPLE / "bao-cao-2022.txt"
CASES = yaml.safe_load((Path(__file__).parent / "cases" / "draft" / "phrasings.yaml").read_text(encoding="utf-8"))


@cache
def packs() -> RuleSet:
    with resources.as_file(resources.files("thidua.rules.packs") / "criteria.yaml") as path:
        return load_rules([Path(path)])


def draft_one(sentence: str) -> Drafted | Unrecognised:
    draft = draft_text(f"- {sentence}\n", packs())
    items: list[Drafted | Unrecognised] = [*draft.targets.get(None, []), *draft.unrecognised.get(None, [])]
    assert len(items) == 1, items
    return items[0]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_each_phrasing_drafts_its_target(case: dict[str, Any], tmp_path: Path) -> None:
    item = draft_one(case["sentence"])
    if "unrecognised" in case:
        assert isinstance(item, Unrecognised), item
        assert case["unrecognised"] in item.reason
        return
    assert isinstance(item, Drafted), item
    assert item.target["measure"] == case["target"]["measure"]
    assert item.target["require"] == case["target"]["require"]
    assert item.target["title"] == case["sentence"]
    assert {kind: [a["id"] for a in attrs] for kind, attrs in _extends(item)} == case.get("extends", {})
    # the core pack only: the title criteria would derive titles the case's facts leave undecided
    text = rule_file(draft_text(f"- {case['sentence']}\n", packs()), None, ["core"], "case")
    assert f"# Câu: {case['sentence']}" in text
    for i, boundary in enumerate(case.get("boundaries", [])):
        folder = tmp_path / str(i)
        folder.mkdir()
        (folder / "draft.rules.yaml").write_text(text.replace("version: 1\n", "version: 1\nperiod: 2022\n"), "utf-8")
        facts = {"period": 2022, "entities": _expand(copy.deepcopy(boundary["facts"]))}
        (folder / "case.facts.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True), "utf-8")
        judgement = run_path(folder, (), ()).evaluation.judgements[0]
        assert judgement.status == boundary["status"], (boundary, judgement.to_dict())


def _extends(item: Drafted) -> list[tuple[str, list[dict[str, Any]]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for kind, attribute in item.extends:
        out.setdefault(kind, []).append(attribute)
    return list(out.items())


@pytest.mark.parametrize("case", [c for c in CASES if "target" in c], ids=lambda c: c["name"])
def test_a_pledge_sentence_drafts_back_to_the_same_meaning(case: dict[str, Any]) -> None:
    drafted = load_text(rule_file(draft_text(f"- {case['sentence']}\n", packs()), None, ["criteria"], "case"))
    sentence = pledge_sentence(drafted.targets[0], drafted)
    again = load_text(rule_file(draft_text(f"- {sentence}\n", packs()), None, ["criteria"], "again"))
    assert compare(again, drafted) == [], sentence


def test_a_drafted_sum_of_shares_gives_each_part_its_own_where_without_yaml_anchors() -> None:
    sentence = "Phấn đấu có trên 95% công đoàn viên đạt xếp loại “Khá” và “Trung bình”"
    text = rule_file(draft_text(f"- {sentence}\n", packs()), None, ["core"], "case")
    assert "&id" not in text and "*id" not in text
    parts = yaml.safe_load(text)["targets"][0]["measure"]["sum"]
    assert parts[0]["share"]["where"] == parts[1]["share"]["where"] == {"attr": "union_member", "eq": True}
    assert parts[0]["share"]["where"] is not parts[1]["share"]["where"]


def test_pledge_counts_have_two_digits() -> None:
    rules = load_rules([EXAMPLE / "2022" / "targets.rules.yaml"])
    sentences = dict(pledge_sentences(rules))
    assert sentences["staff.emulation_soldiers"] == "Phấn đấu có trên 02 cá nhân đạt danh hiệu “Chiến sĩ thi đua cơ sở”"
    assert sentences["families.no_third_child"] == "Không có người sinh con thứ ba"


# --- the seed report ------------------------------------------------------------------------


def test_the_report_drafts_every_2022_and_2023_target() -> None:
    draft = draft_text(REPORT.read_text(encoding="utf-8"), packs())
    assert sorted(y for y in draft.periods() if y is not None) == [2022, 2023]
    for year in (2022, 2023):
        assert len(draft.targets[year]) == 14
        assert draft.unrecognised.get(year, []) == []
        assert all(t.confidence > 0 for t in draft.targets[year])


@pytest.mark.parametrize("year", [2022, 2023])
def test_the_drafted_targets_mean_what_the_hand_written_file_says(year: int) -> None:
    draft = draft_text(REPORT.read_text(encoding="utf-8"), packs())
    drafted = load_text(rule_file(draft, year, ["criteria"], REPORT.name))
    existing = load_rules([EXAMPLE / str(year) / "targets.rules.yaml"])
    differences = compare(drafted, existing)
    if year == 2022:
        assert differences == []
    else:
        # The 2023 file counts a proposed award as held; the 2023 pledge has no result saying so yet.
        assert [(d.kind, d.draft, d.rules) for d in differences] == [
            ("proposals", "staff.provincial_merit", "staff.provincial_merit")
        ]


@pytest.mark.parametrize("year", [2022, 2023])
def test_drafted_ids_are_the_words_of_the_meaning_the_hand_written_file_uses(year: int) -> None:
    draft = draft_text(REPORT.read_text(encoding="utf-8"), packs())
    existing = load_rules([EXAMPLE / str(year) / "targets.rules.yaml"])
    assert [d.target["id"] for d in draft.targets[year]] == [t.id for t in existing.targets]


def test_drafted_ids_with_the_same_meaning_words_get_a_suffix_in_document_order() -> None:
    text = (
        "- Phấn đấu có trên 02 cá nhân đạt danh hiệu CSTĐCS\n"
        "- Không quá 15% cá nhân đạt danh hiệu Chiến sĩ thi đua cơ sở\n"
        "- Phấn đấu có 03 cá nhân trở lên đạt danh hiệu chiến sĩ thi đua cơ sở\n"
        "- Phấn đấu có 05 cá nhân trở lên đạt danh hiệu Lao động tiên tiến\n"
    )
    ids = [d.target["id"] for d in draft_text(text, packs()).targets[None]]
    assert ids == [
        "staff.emulation_soldiers",
        "staff.emulation_soldiers_2",
        "staff.emulation_soldiers_3",
        "staff.advanced_workers",
    ]
    assert ids == [d.target["id"] for d in draft_text(text, packs()).targets[None]]


def test_the_drafted_2022_rules_give_the_same_verdicts_and_margins(tmp_path: Path) -> None:
    draft = draft_text(REPORT.read_text(encoding="utf-8"), packs())
    (tmp_path / "draft.rules.yaml").write_text(rule_file(draft, 2022, ["criteria"], REPORT.name), "utf-8")
    drafted = run_path(tmp_path, (), (EXAMPLE / "2022" / "roster.facts.yaml",)).evaluation.judgements
    written = run_path(EXAMPLE / "2022", (), ()).evaluation.judgements
    assert len(drafted) == len(written) == 14
    assert [(j.status, j.to_dict()["margin"]) for j in drafted] == [(j.status, j.to_dict()["margin"]) for j in written]


# --- errors and real processes ---------------------------------------------------------------


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    result = run_thidua(*args, input=stdin, cwd=ROOT)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def test_draft_prints_a_rule_file_for_each_year_and_writes_one() -> None:
    result = run("draft", str(REPORT))
    assert result.returncode == 0, result.stderr
    documents = list(yaml.safe_load_all(result.stdout))
    assert [d["period"] for d in documents] == [2022, 2023]
    assert "# Câu: Phần đầu có trên 02 cá nhân đạt danh hiệu chiến sĩ thi đua cơ sở" in result.stdout


def test_draft_out_needs_one_year_and_writes_it(tmp_path: Path) -> None:
    out = tmp_path / "targets.rules.yaml"
    refused = run("draft", str(REPORT), "--out", str(out))
    assert refused.returncode == 2 and "--period" in refused.stderr
    written = run("draft", str(REPORT), "--period", "2022", "--out", str(out))
    assert written.returncode == 0, written.stderr
    assert len(load_rules([out]).targets) == 14


def test_draft_check_exit_codes() -> None:
    same = run("draft", str(REPORT), "--check", str(EXAMPLE / "2022" / "targets.rules.yaml"))
    assert same.returncode == 0, same.stdout + same.stderr
    assert "0 khác biệt" in same.stdout
    differ = run("draft", str(REPORT), "--check", str(EXAMPLE / "2023" / "targets.rules.yaml"))
    assert differ.returncode == 1
    assert "staff.provincial_merit" in differ.stdout


def test_draft_reads_standard_input_and_keeps_an_unreadable_sentence_as_a_comment() -> None:
    text = "- Phấn đấu có trên 02 cá nhân đạt danh hiệu CSTĐCS\n- Phấn đấu trên 90% đạt danh hiệu\n"
    result = run("draft", "-", stdin=text)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(result.stdout)
    assert [t["measure"]["count"]["where"] for t in data["targets"]] == [{"has_title": "chien_si_thi_dua_co_so"}]
    assert "# CHƯA NHẬN RA" in result.stdout and "# Câu: Phấn đấu trên 90% đạt danh hiệu" in result.stdout


def test_draft_reads_a_word_document(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(
        "Phấn đấu có trên 90% công chức, người lao động đạt danh hiệu Lao động tiên tiến", "List Bullet"
    )
    document.save(str(tmp_path / "giao-uoc.docx"))
    result = run("draft", str(tmp_path / "giao-uoc.docx"))
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(result.stdout)["targets"][0]["require"] == {"gt": "90%"}


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p: None, "Không có tệp này"),
        (lambda p: p.write_bytes(b"\xff\xfe\x00bad"), "không phải văn bản UTF-8"),
        (lambda p: p.write_text("Báo cáo không có chỉ tiêu nào.\n", "utf-8"), "Không đọc được chỉ tiêu nào"),
    ],
    ids=["missing", "not-utf8", "no-targets"],
)
def test_draft_bad_input_exits_2_located(tmp_path: Path, make: Any, fragment: str) -> None:
    path = tmp_path / "doc.txt"
    make(path)
    result = run("draft", str(path))
    assert result.returncode == 2
    assert str(path) in result.stderr and fragment in result.stderr


def test_draft_a_broken_word_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "doc.docx").write_bytes(b"not a zip")
    result = run("draft", str(tmp_path / "doc.docx"))
    assert result.returncode == 2 and "Word" in result.stderr


def test_pledge_writes_the_sentences_of_a_folder() -> None:
    result = run("pledge", str(EXAMPLE / "2022"))
    assert result.returncode == 0, result.stderr
    assert "- Phấn đấu có trên 02 cá nhân đạt danh hiệu “Chiến sĩ thi đua cơ sở”." in result.stdout.splitlines()
    missing = run("pledge", "nowhere")
    assert missing.returncode == 2


def test_the_pledge_of_ranks_marks_and_totals_drafts_back_without_difference(tmp_path: Path) -> None:
    """so-van-hoa-mau: a rank, a mark, a total on an extended kind, an organization title, a sum of
    shares of levels and a count, there and back."""
    folder = ROOT / "examples" / "so-van-hoa-mau" / "2024"
    pledge = run("pledge", str(folder))
    assert pledge.returncode == 0, pledge.stderr
    assert "- Cơ quan xếp thứ 15 trở lên." in pledge.stdout.splitlines()
    (tmp_path / "giao-uoc.txt").write_text(pledge.stdout, encoding="utf-8")
    check = run("draft", str(tmp_path / "giao-uoc.txt"), "--check", str(folder / "targets.rules.yaml"))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 khác biệt" in check.stdout


def test_check_names_a_different_requirement_and_a_target_on_one_side_only(tmp_path: Path) -> None:
    (tmp_path / "t.rules.yaml").write_text(
        "version: 1\nuse: [criteria]\ntargets:\n"
        "  - {id: a, title: A, measure: {count: {of: person, where: {has_title: chien_si_thi_dua_co_so}}}, require: {gte: 2}}\n"
        "  - {id: b, title: B, measure: {count: {of: unit, where: {has_title: tap_the_lao_dong_xuat_sac}}}, require: {gte: 1}}\n",
        encoding="utf-8",
    )
    (tmp_path / "giao-uoc.txt").write_text(
        "- Phấn đấu có trên 02 cá nhân đạt danh hiệu CSTĐCS\n- Cơ quan đạt danh hiệu GĐVH\n", encoding="utf-8"
    )
    result = run("draft", str(tmp_path / "giao-uoc.txt"), "--check", str(tmp_path / "t.rules.yaml"), "--lang", "en")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "Same measure, different requirement: draft staff.emulation_soldiers / file a: gt 2 ≠ gte 2" in lines
    assert any(line.startswith("Only in the rule file: b") for line in lines)
    assert "2 differences in meaning" in result.stdout
