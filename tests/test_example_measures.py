"""The so-van-hoa-mau example end to end as real processes: rank, mark, total, extended kind, organization title."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

THIDUA = Path(sys.executable).with_name("thidua")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "so-van-hoa-mau" / "2024"


def thidua(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "THIDUA_LEDGER": str(tmp_path / "ledger.sqlite")}
    done = subprocess.run([str(THIDUA), *args], capture_output=True, text=True, timeout=120, env=env)
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
    assert by_id["agency.advanced_collective"]["status"] == "met"


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
