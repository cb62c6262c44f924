"""thidua test: cases next to the rules pass or fail with expected against actual and the reasons."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_2022, run_cli


def test_the_example_test_file_passes() -> None:
    result = run_cli("test", EXAMPLE_2022)
    assert result.exit_code == 0, result.stdout
    assert "4/4 trường hợp đạt." in result.stdout
    assert "dữ kiện Excel" in result.stdout


def write_case(folder: Path, body: str) -> Path:
    shutil.copy(EXAMPLE_2022 / "targets.rules.yaml", folder / "targets.rules.yaml")
    shutil.copy(EXAMPLE_2022 / "roster.facts.yaml", folder / "roster.facts.yaml")
    path = folder / "targets.tests.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_failing_case_shows_expected_actual_and_reasons(tmp_path: Path) -> None:
    write_case(
        tmp_path,
        (
            "cases:\n"
            "  - name: Sai kỳ vọng\n"
            "    facts: roster.facts.yaml\n"
            "    expect:\n"
            "      staff.emulation_soldiers: {status: met, margin: 0}\n"
            "      units.advanced: met\n"
        ),
    )
    result = run_cli("test", tmp_path)
    assert result.exit_code == 1
    out = " ".join(result.stdout.split())
    assert "✗ Sai kỳ vọng (targets.tests.yaml:2:5)" in out
    assert "staff.emulation_soldiers: mong đợi Đạt (chênh lệch 0), thực tế Vượt (chênh lệch +1)" in out
    assert "Được tính (3): Lê Thị Hồng Nhung, Hoàng Thị Mai, Lâm Thị Kim Oanh" in out
    assert "units.advanced" not in out  # met as expected
    assert "0/1 trường hợp đạt." in out
    en = run_cli("test", tmp_path, "--lang", "en")
    assert "expected Met (margin 0), got Exceeded (margin +1)" in " ".join(en.stdout.split())


def test_inline_facts_with_a_pending_value(tmp_path: Path) -> None:
    write_case(
        tmp_path,
        (
            "cases:\n"
            "  - name: chờ Đảng ủy Khối\n"
            "    facts:\n"
            "      entities:\n"
            "        party_cell:\n"
            "          - {id: cb, rating: {awaiting: Đảng ủy Khối, provisional: hoan_thanh_tot}}\n"
            "    expect: {party_cell.rating: pending, units.advanced: pending}\n"
        ),
    )
    result = run_cli("test", tmp_path / "targets.tests.yaml")
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "cases:\n  - facts: roster.facts.yaml\n    expect: {staff.advanced_worker: met}\n",
            [
                "targets.tests.yaml:3:14",
                "Không có chỉ tiêu 'staff.advanced_worker'",
                "Có phải là 'staff.advanced_workers'?",
            ],
        ),
        (
            "cases:\n  - facts: roster.facts.yaml\n    expect: {units.advanced: dat}\n",
            ["targets.tests.yaml:3:30", "'dat' không phải kết quả hợp lệ"],
        ),
        ("cases:\n  - facts: missing.facts.yaml\n    expect: {units.advanced: met}\n", ["missing.facts.yaml"]),
        (
            "cases:\n  - facts: {entities: {person: [{id: a, rating: tot}]}}\n    expect: {units.advanced: met}\n",
            ["targets.tests.yaml:2:49", "'tot' không phải một mức của thang xep_loai"],
        ),
        ("case:\n  - expect: {}\n", ["Có phải là 'cases'?"]),
    ],
    ids=["unknown-target", "bad-status", "missing-facts-file", "bad-inline-fact", "unknown-key"],
)
def test_bad_test_files_exit_2_located(tmp_path: Path, body: str, expected: list[str]) -> None:
    write_case(tmp_path, body)
    result = run_cli("test", tmp_path)
    assert result.exit_code == 2
    text = " ".join(result.stderr.split())
    for part in expected:
        assert part in text, text
    assert "Traceback" not in result.stdout + result.stderr


def test_no_test_files_exits_2(tmp_path: Path) -> None:
    result = run_cli("test", tmp_path)
    assert result.exit_code == 2 and "*.tests.yaml" in result.stderr
