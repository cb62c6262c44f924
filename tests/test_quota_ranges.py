"""Quota caps over the range of the base, and recorded decisions over a cap, as real processes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.criteria_helpers import write_agency
from tests.e2e.process import run_thidua


def _run(*args: Any) -> subprocess.CompletedProcess[str]:
    done = run_thidua(*map(str, args), timeout=60)
    assert done.returncode in (0, 1) and "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def _quota(folder: Path) -> dict[str, Any]:
    data = json.loads(_run("candidates", folder, "--format", "json").stdout)
    [quota] = [q for s in data["titles"] for q in s["quotas"] if q["limits"] == "chien_si_thi_dua_co_so"]
    return quota


@pytest.mark.parametrize(
    ("certain", "cap", "status", "shown"),
    [
        (15, 2, "within", "tối đa 2 "),  # 15% of 15 and of 16 both give 2: the cap is known
        (13, None, "pending", "tối đa 1–2 "),  # 15% of 13 gives 1, of 14 gives 2: uncertain, said so
    ],
)
def test_the_cap_is_computed_over_the_range_of_the_base(
    tmp_path: Path, certain: int, cap: int | None, status: str, shown: str
) -> None:
    people = [{"count": 2, "initiative": True}, {"count": certain - 2}, {"count": 1, "rating": None}]
    folder = write_agency(tmp_path, {"period": 2024, "provincial_cap": "15%", "people": people})
    quota = _quota(folder)
    assert (quota["cap"], quota["status"], quota["base"], quota["base_unknown"]) == (cap, status, certain, 1)
    text = _run("candidates", folder).stdout
    assert "None" not in text and shown in text
    assert ("chưa chắc chắn" in text) is (cap is None)


def test_recorded_decisions_over_the_cap_are_a_finding_and_not_candidates(tmp_path: Path) -> None:
    decided = {"titles": ["lao_dong_tien_tien", "chien_si_thi_dua_co_so"], "initiative": True}
    people = [{"count": 4, **decided}, {"count": 16}]
    folder = write_agency(tmp_path, {"period": 2024, "provincial_cap": "15%", "people": people})
    quota = _quota(folder)
    assert (quota["status"], quota["cap"], quota["decided"], quota["candidates"]) == ("breach", 3, 4, [])
    text = _run("candidates", folder).stdout
    assert "4 quyết định đã ghi nhận" in text and "Hội đồng chọn" not in text
    data = json.loads(_run("evaluate", folder, "--no-record", "--format", "json").stdout)
    codes = [f["code"] for f in data.get("findings", [])]
    assert "criteria.finding.over_quota" in codes, data.get("findings")
