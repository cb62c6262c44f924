"""What users read names things by their labels and titles, not by codes: findings, `candidates
--title`, explanations (a test under `not`, title checks, months served). Real processes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import EXAMPLE_2022, ROOT
from tests.e2e.process import run_script

MAU = ROOT / "examples" / "so-van-hoa-mau" / "2024"


def test_the_reported_totals_finding_names_targets_by_title_and_the_kind_by_its_label(tmp_path: Path) -> None:
    done = run_script("evaluate", MAU, "--format", "json", env={"THIDUA_LEDGER": str(tmp_path / "l.sqlite")})
    data = json.loads(done.stdout)
    totals = next(f for f in data["findings"] if f["code"] == "consistency.reported_totals")
    titles = {j["target"]: j["title"] for j in data["judgements"]}
    assert totals["text"] == (
        f"Số liệu báo cáo của chỉ tiêu '{titles['staff.good_ratings']}' (04 (66,67%)) ứng với tổng số 6, của chỉ "
        f"tiêu '{titles['staff.outstanding']}' (1 (20%)) ứng với tổng số 5: hai cặp số và tỷ lệ này không thể cùng "
        "tính trên một tổng số cá nhân."
    )
    assert totals["params"]["first"] == "staff.good_ratings"  # the ids stay in the data, for tools
    table = run_script("evaluate", MAU, "--no-record", env={"COLUMNS": "400"}).stdout
    assert "'person'" not in table and "tổng số cá nhân" in table
    validate = run_script("validate", MAU, env={"COLUMNS": "400"}).stdout
    assert "tổng số cá nhân" in validate and "'staff.good_ratings'" not in validate


def test_a_vietnamese_text_names_the_note_key_as_a_key() -> None:
    """Findings used to end in "(note)", an English word in a Vietnamese sentence: the key is named as one."""
    table = run_script("evaluate", MAU, "--no-record", env={"COLUMNS": "400"}).stdout
    assert "(note)" not in table
    assert "kèm lý do (khóa 'note' của danh hiệu)" in table


def test_candidates_title_takes_a_label_or_an_abbreviation(tmp_path: Path) -> None:
    env = {"THIDUA_LEDGER": str(tmp_path / "l.sqlite")}
    by_code = run_script("candidates", EXAMPLE_2022, "--title", "chien_si_thi_dua_co_so", "--format", "json", env=env)
    assert by_code.rc == 0, by_code.describe()
    for name in ("CSTĐCS", "Chiến sĩ thi đua cơ sở", "chiến sĩ thi đua cơ sở"):
        done = run_script("candidates", EXAMPLE_2022, "--title", name, "--format", "json", env=env)
        assert done.rc == 0, done.describe()
        assert [t["title"] for t in json.loads(done.stdout)["titles"]] == ["chien_si_thi_dua_co_so"]
    # answered from the recorded run as well (the run evaluate records)
    assert run_script("evaluate", EXAMPLE_2022, env=env).rc == 0
    recorded = run_script("candidates", EXAMPLE_2022, "--title", "LĐTT", "--format", "json", env=env)
    assert recorded.rc == 0 and "lần chạy" in recorded.stderr, recorded.describe()
    assert [t["title"] for t in json.loads(recorded.stdout)["titles"]] == ["lao_dong_tien_tien"]
    wrong = run_script("candidates", EXAMPLE_2022, "--title", "Chien si thi dua", env=env)
    assert wrong.rc == 2 and "Có phải là 'chien_si_thi_dua_co_so'?" in wrong.stderr


def test_an_explanation_reads_without_codes_and_with_real_months(tmp_path: Path) -> None:
    tree = run_script("explain", EXAMPLE_2022, "staff.emulation_soldiers", env={"COLUMNS": "400"}).stdout
    assert "∋" not in tree and "[danh hiệu" not in tree
    assert "cstdcs_nd91" not in tree and "lddt_nd91" not in tree  # criteria by their titles
    assert "Chiến sĩ thi đua cơ sở: cần có quyết định, thực tế có quyết định → đúng" in tree
    # a test written under `not` that passed: required false, and it is
    assert "Kỷ luật: Không bị kỷ luật (yêu cầu KHÔNG ≥ Khiển trách) → đúng" in tree
    assert "phải KHÔNG thỏa" not in tree and not re.search(r"KHÔNG[^\n]*Không bị kỷ luật[^\n]*→ sai", tree)
    # months served: the group's real range, never the grouping cap ("≥11")
    assert "≥11" not in tree
    # counted from the earliest date of continuous service the facts give (a transfer is no recruitment)
    months = "Số tháng đến cuối kỳ (từ ngày sớm nhất có trong: Công tác liên tục từ ngày / Hợp đồng lao động liền trước tuyển dụng từ ngày / Ngày tuyển dụng)"
    assert f"{months}: 24–80 (yêu cầu ≥ 10) → đúng" in tree
    one = run_script(
        "explain", EXAMPLE_2022, "staff.emulation_soldiers", "--entity", "p04", env={"COLUMNS": "400"}
    ).stdout
    assert re.search(re.escape(months) + r": \d+ \(yêu cầu ≥ 10\)", one)
    english = run_script("explain", EXAMPLE_2022, "staff.emulation_soldiers", "--lang", "en").stdout
    assert "Kỷ luật: Không bị kỷ luật (needs NOT ≥ Khiển trách) → true" in english and "∋" not in english


def test_a_target_condition_under_not_is_explained_as_required_false(example_copy: Path) -> None:
    (example_copy / "extra.rules.yaml").write_text(
        """version: 1
targets:
  - id: staff.advanced_without_third_child
    title: Có từ 20 cá nhân đạt Lao động tiên tiến và không sinh con thứ ba
    measure:
      count:
        of: person
        where:
          all:
            - {has_title: lao_dong_tien_tien}
            - not: {attr: third_child, eq: true}
            - not: {has_title: bang_khen_thu_tuong}
    require: {gte: 20}
""",
        encoding="utf-8",
    )
    done = run_script("explain", example_copy, "staff.advanced_without_third_child", env={"COLUMNS": "400"})
    assert done.rc == 0, done.describe()
    assert "Sinh con thứ ba KHÔNG = Có: thực tế Không → đúng" in done.stdout
    assert "Bằng khen của Thủ tướng Chính phủ: cần KHÔNG có quyết định, thực tế không có → đúng" in done.stdout
    data = json.loads(
        run_script("evaluate", example_copy, "--format", "json", "--no-record", env={"COLUMNS": "400"}).stdout
    )
    judged = next(j for j in data["judgements"] if j["target"] == "staff.advanced_without_third_child")
    checks = judged["reasons"][0]["checks"]
    assert [c.get("negated", False) for c in checks] == [False, True, True]
    assert checks[1]["outcome"] == "false"  # the test's own outcome; `negated` says the condition needs it false


def test_the_html_page_words_checks_and_facts_without_codes(tmp_path: Path) -> None:
    out = tmp_path / "p.html"
    done = run_script("report", EXAMPLE_2022, "--format", "html", "--no-record", "--out", out)
    assert done.rc == 0, done.describe()
    page = re.sub(r"<pre.*?</pre>", "", out.read_text(encoding="utf-8"), flags=re.S)  # the rule as written stays
    for code in ("has_title", " gte ", "= decided", "(decided)", "= True", ": False", "¬"):
        assert code not in page, code
    assert "Kỷ luật KHÔNG ≥ Khiển trách: Không bị kỷ luật" in page
    assert "Lao động tiên tiến = đã có quyết định" in page
