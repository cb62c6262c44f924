"""The so-van-hoa-mau example end to end as real processes: rank, mark, total, extended kind, organization
title, a sum of shares and reported figures implying different totals."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from tests.e2e.process import run_thidua

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "so-van-hoa-mau" / "2024"


def thidua(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "THIDUA_LEDGER": str(tmp_path / "ledger.sqlite")}
    done = run_thidua(*args, env=env)
    assert "Traceback" not in done.stdout + done.stderr
    return done


def test_evaluate_gives_margins_in_the_measures_units(tmp_path: Path) -> None:
    done = thidua("evaluate", str(EXAMPLE), "--format", "json", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    by_id = {j["target"]: j for j in json.loads(done.stdout)["judgements"]}
    assert by_id["agency.rank"]["status"] == "exceeded"
    assert by_id["agency.rank"]["margin"] == {"value": 3, "unit": "value", "label": "hạng", "text": "+3 hạng"}
    assert by_id["agency.score"]["margin"]["value"] == 0.5
    assert by_id["agency.initiatives"]["status"] == "met"
    # the agency's TTLĐTT follows from the criteria but nobody decided it: eligible to be proposed, pending
    collective = by_id["agency.advanced_collective"]
    assert collective["status"] == "pending"
    assert [c["note"] for r in collective["reasons"] for c in r["checks"]] == ["eligible_pending"]


def test_explain_and_report_word_the_rank(tmp_path: Path) -> None:
    done = thidua("explain", str(EXAMPLE), "agency.rank", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "+3 hạng" in done.stdout and "12 hạng" in done.stdout
    out = tmp_path / "r.html"
    done = thidua("report", str(EXAMPLE), "--format", "html", "--out", str(out), "--no-record", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    text = re.sub(r"<[^>]+>", " ", out.read_text(encoding="utf-8"))
    assert "vượt 03 hạng" in text
    assert "90,5 điểm" in text


def test_english_keeps_a_decimal_point(tmp_path: Path) -> None:
    done = thidua("--lang", "en", "explain", str(EXAMPLE), "agency.score", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "+0.5 điểm" in done.stdout


def test_a_sum_of_shares_and_reported_figures_implying_different_totals(tmp_path: Path) -> None:
    done = thidua("evaluate", str(EXAMPLE), "--format", "json", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    good = next(j for j in data["judgements"] if j["target"] == "staff.good_ratings")
    assert good["status"] == "met"
    assert (good["measured"]["numerator"], good["measured"]["denominator"]) == (4, 6)
    assert good["reasons"][0]["text"] == "Cộng các tỷ lệ trên cùng một mẫu số (Cá nhân): 1 + 3 = 4/6."
    findings = {f["code"]: f for f in data["findings"] if f["kind"] == "consistency"}
    totals = findings["consistency.reported_totals"]["params"]
    assert (totals["first"], totals["first_total"], totals["second"], totals["second_total"]) == (
        "staff.good_ratings",
        "6",
        "staff.outstanding",
        "5",
    )
    share = findings["consistency.reported_share"]
    assert share["params"]["computed"] == {"ratio": [1, 6]}  # a figure, written in the reader's language
    assert "dữ kiện cho 1/6 (16,67%)" in share["text"]


def test_the_sum_and_the_finding_in_english(tmp_path: Path) -> None:
    done = thidua("--lang", "en", "evaluate", str(EXAMPLE), "--format", "json", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    good = next(j for j in data["judgements"] if j["target"] == "staff.good_ratings")
    assert good["reasons"][0]["text"] == "Shares added over one denominator (Cá nhân): 1 + 3 = 4/6."
    totals = next(f for f in data["findings"] if f["code"] == "consistency.reported_totals")
    assert "imply a total of 6" in totals["text"] and "a total of 5" in totals["text"]


def test_english_never_shows_vietnamese_decimals_and_a_sum_of_shares_stays_within_100(tmp_path: Path) -> None:
    """Three people's ratings awaited: each part of the sum is a range, the sum counts each of them
    once (a rating is one level), so it ends at 100%; in English every figure has a decimal point."""
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "targets.rules.yaml").write_text((EXAMPLE / "targets.rules.yaml").read_text(encoding="utf-8"))
    roster = (EXAMPLE / "roster.facts.yaml").read_text(encoding="utf-8")
    for person in ("Phạm Thị Dung", "Hoàng Văn Em", "Đỗ Thị Giang"):
        roster = re.sub(rf"(name: {person}, unit: van_phong), rating: \w+,", r"\1,", roster)
    (folder / "roster.facts.yaml").write_text(roster, encoding="utf-8")
    done = thidua("--lang", "en", "evaluate", str(folder), "--format", "json", tmp_path=tmp_path)
    data = json.loads(done.stdout)
    good = next(j for j in data["judgements"] if j["target"] == "staff.good_ratings")
    assert good["status"] == "pending"
    assert (good["measured"]["low"], good["measured"]["high"]) == (0.5, 1.0)
    assert good["reasons"][0]["text"] == (
        "Shares added over one denominator (Cá nhân): 16.67%–66.67% + 33.33%–83.33% = 50%–100%."
    )
    texts = [r["text"] for j in data["judgements"] for r in j["reasons"]]
    texts += [t for f in data["findings"] for t in [f.get("text"), *(e["text"] for e in f.get("entities", []))] if t]
    # what the rule file says is quoted as written (a title, the report's "04 (66,67%)"); every figure
    # thidua computes is in English notation
    quoted = [j["title"] for j in data["judgements"]] + ["04 (66,67%)"]
    for q in quoted:
        texts = [t.replace(q, "") for t in texts]
    assert not [t for t in texts if re.search(r"\d,\d+%", t)], "a Vietnamese decimal in English"
    vi = json.loads(thidua("evaluate", str(folder), "--format", "json", "--no-record", tmp_path=tmp_path).stdout)
    good_vi = next(j for j in vi["judgements"] if j["target"] == "staff.good_ratings")
    assert good_vi["reasons"][0]["text"].endswith(": 16,67%–66,67% + 33,33%–83,33% = 50%–100%.")
    english = thidua("--lang", "en", "evaluate", str(EXAMPLE), "--no-record", tmp_path=tmp_path).stdout
    assert "1/6 (16.67%)" in english and "16,67" not in english
