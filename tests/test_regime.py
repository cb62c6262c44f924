"""The regime applied: chosen by the decision date, stated by evaluate and candidates, recorded by the ledger."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.conftest import EXAMPLE, EXAMPLE_2022, run_cli, run_json
from tests.e2e.process import run_script
from thidua.evaluator.audit.ledger import Ledger
from thidua.evaluator.documents.report import outcome_line
from thidua.evaluator.run import run_path
from thidua.rules.loader import load_rules
from thidua.rules.periods import parse_period
from thidua.rules.regime import applied_regime, changes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_2023 = EXAMPLE / "2023"
EXAMPLE_2025 = ROOT / "examples" / "so-van-hoa-mau" / "2025"


def test_the_seed_is_judged_by_the_old_regime_and_says_so() -> None:
    code, data = run_json("evaluate", EXAMPLE_2022, "--no-record")
    criteria = data["criteria"]
    assert (criteria["decided_on"], criteria["decided_by"]) == ("2022-12-31", "period_end")
    assert [p["pack"] for p in criteria["packs"]] == ["criteria_nd91"]
    assert criteria["notes"] == [] and criteria["warnings"] == []
    [pack] = criteria["packs"]
    assert [b["text"] for b in pack["basis"] if b["in_force"]] == [
        "Luật Thi đua, khen thưởng số 15/2003/QH11 (sửa đổi 2005, 2009, 2013)",
        "Nghị định 91/2017/NĐ-CP",
        "Thông tư 12/2019/TT-BNV",
    ]
    table = run_cli("evaluate", EXAMPLE_2022, "--no-record", env={"COLUMNS": "400"}).stdout
    assert "Tiêu chuẩn danh hiệu áp dụng theo ngày xét 31/12/2022 (ngày cuối kỳ" in table
    assert "criteria_nd91 — Luật Thi đua, khen thưởng 2003 và Nghị định 91/2017/NĐ-CP, áp dụng đến 31/12/2023" in table


def test_a_2023_year_decided_in_january_2024_is_judged_by_the_new_law() -> None:
    text = run_cli("candidates", EXAMPLE_2023, env={"COLUMNS": "400"}).stdout
    assert "criteria_nd98 — Luật Thi đua, khen thưởng 2022" in text
    assert "Lưu ý: Kết quả kỳ 2023 được xét ngày 15/01/2024, sau khi văn bản thay đổi ngày 01/01/2024" in text
    code, data = run_json("candidates", EXAMPLE_2023, "--lang", "en")
    assert [s["criterion"] for s in data["titles"]][0] == "lddt_nd98"
    assert data["criteria"]["notes"][0]["text"].startswith("The results of 2023 are decided on 15/01/2024")


def test_the_texts_in_force_follow_the_decision_date() -> None:
    rules = load_rules([EXAMPLE_2025 / "targets.rules.yaml"], EXAMPLE_2025)
    applied = applied_regime(rules, parse_period(2025))
    assert applied.decided_on == dt.date(2025, 12, 19) and applied.decided_by == "review"
    [regime] = applied.regimes
    assert "Nghị định 152/2025/NĐ-CP" in applied.texts_in_force(regime)
    assert "Nghị định 98/2023/NĐ-CP" not in applied.texts_in_force(regime)
    [note] = applied.notes
    assert (note.code, note.params["day"], note.params["starts"], note.params["ends"]) == (
        "regime.straddles",
        "01/07/2025",
        "Nghị định 152/2025/NĐ-CP",
        "Nghị định 98/2023/NĐ-CP",
    )
    days = [c.day for c in changes(rules.regimes)]
    assert dt.date(2024, 1, 1) in days and dt.date(2025, 7, 1) in days


def test_the_ledger_records_the_regime_with_the_run(tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    done = run_script("evaluate", str(EXAMPLE_2025), "--ledger", str(ledger))
    assert done.rc == 0, done.stderr
    with Ledger.open(ledger) as book:
        record = book.get("last")
    criteria = record.summary["criteria"]
    assert criteria["decided_on"] == "2025-12-19" and [p["pack"] for p in criteria["packs"]] == ["criteria_nd98"]
    assert record.summary["total"] == 3  # the counts stay beside it
    shown = run_script("audit", "show", "last", "--ledger", str(ledger), env={"COLUMNS": "400"})
    assert shown.rc == 0 and "Tiêu chuẩn danh hiệu áp dụng theo ngày xét 19/12/2025" in shown.stdout
    assert run_script("audit", "verify", "--ledger", str(ledger)).rc == 0


def test_the_report_never_restates_an_eligible_title_as_achieved() -> None:
    run = run_path(EXAMPLE_2025)
    j = next(j for j in run.evaluation.judgements if j.target == "staff.provincial_merit")
    assert j.status == "met"  # the target counts proposals: the eligible person counts as one
    line = outcome_line(j, run.evaluation.period, "vi")
    assert "trong đó 01 trường hợp đủ điều kiện đề nghị theo tiêu chuẩn, chưa có quyết định" in line
    assert not line.startswith("Có 01 cá nhân")  # the pledge's wording is kept, not restated as done
    data = json.dumps([r.model_dump(mode="json") for r in j.reasons], ensure_ascii=False)
    assert "note.derived_counted" in data


def test_the_worksheet_and_page_never_show_an_eligible_title_as_decided(tmp_path: Path) -> None:
    """CSTĐCS reads LĐTT: where only the criteria grant the LĐTT, its check says eligible, not decided."""
    from openpyxl import load_workbook

    xlsx, html = tmp_path / "r.xlsx", tmp_path / "r.html"
    for fmt, out in (("xlsx", xlsx), ("html", html)):
        assert run_script("report", "--no-record", "--format", fmt, "--out", str(out), str(EXAMPLE / "2024")).rc == 0
    council = load_workbook(xlsx)["Bình xét"]
    rows = [
        r for r in council.iter_rows(values_only=True) if r[0] == "Chiến sĩ thi đua cơ sở" and r[1] == "Nguyễn Thị Minh"
    ]
    assert rows, "Nguyễn Thị Minh is a CSTĐCS candidate of the 2024 example"
    deciding = str(rows[0][3])
    assert "Lao động tiên tiến: đủ điều kiện đề nghị (theo tiêu chuẩn, chưa có quyết định) — đạt" in deciding
    assert "Lao động tiên tiến: đã có quyết định" not in deciding
    page = html.read_text(encoding="utf-8")
    assert "Lao động tiên tiến: đủ điều kiện đề nghị (theo tiêu chuẩn, chưa có quyết định)<" in page
    assert "Lao động tiên tiến: đã có quyết định (" not in page
