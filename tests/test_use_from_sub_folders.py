"""`use:` from any sub-folder of an agency folder (docs/reliability.md, "Paths"): the folder `thidua
init` marks with `.thidua-agency` is the agency folder of every folder under it; nothing outside it
is read, links out included; a refused path says what to do. Real processes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.process import run_script

SHARED = """version: 1
targets:
  - id: shared.advanced
    title: Có từ 01 cá nhân đạt Lao động tiên tiến
    measure: {count: {of: person, where: {has_title: lao_dong_tien_tien}}}
    require: {gte: 1}
"""
FACTS = """period: 2024
entities:
  person:
    - {id: p1, name: Nguyễn Văn A, titles: [lao_dong_tien_tien]}
"""


def rules_using(name: str) -> str:
    return f"version: 1\nperiod: 2024\nuse: [core, {name}]\n"


@pytest.fixture
def agency(tmp_path: Path) -> Path:
    """An agency folder made by `thidua init`, with a shared rule file and a test file beside it."""
    folder = tmp_path / "so-x"
    done = run_script("init", folder, "--period", "2024")
    assert done.rc == 0, done.describe()
    assert (folder / ".thidua-agency").is_file()
    (folder / "chung.rules.yaml").write_text(SHARED, encoding="utf-8")
    (folder / "chung.facts.yaml").write_text(FACTS, encoding="utf-8")
    return folder


def test_a_rule_file_in_any_sub_folder_uses_the_agency_folders_files(agency: Path) -> None:
    for sub in ("natural", "2017-awaiting", "2023-2024", "2024/du-thao"):
        folder = agency / sub
        folder.mkdir(parents=True)
        up = "../" * len(Path(sub).parts)
        (folder / "t.rules.yaml").write_text(rules_using(f"{up}chung.rules.yaml"), encoding="utf-8")
        done = run_script("validate", folder)
        assert done.rc == 0, (sub, done.describe())
    folder = agency / "2024" / "du-thao"
    done = run_script("evaluate", folder, "--no-record", "--format", "json")
    assert done.rc in (0, 1) and '"shared.advanced"' in done.stdout, done.describe()
    (folder / "t.tests.yaml").write_text(
        "cases:\n  - name: shared\n    facts: [../../chung.facts.yaml]\n    expect: {shared.advanced: met}\n",
        encoding="utf-8",
    )
    tested = run_script("test", folder)
    assert tested.rc == 0, tested.describe()


def test_nothing_outside_the_agency_folder_is_read_and_the_message_says_what_to_do(agency: Path) -> None:
    (agency.parent / "ngoai.rules.yaml").write_text(SHARED, encoding="utf-8")
    folder = agency / "natural"
    folder.mkdir()
    (folder / "t.rules.yaml").write_text(rules_using("../../ngoai.rules.yaml"), encoding="utf-8")
    done = run_script("validate", folder)
    assert done.rc == 2
    assert "t.rules.yaml:3:13: lỗi: 'use: ../../ngoai.rules.yaml' trỏ ra ngoài thư mục cơ quan 'so-x'." in done.stdout
    assert ".thidua-agency" in done.stdout and "Có từ 01" not in done.stdout  # never echoed
    # a link inside the agency folder that points out is refused too
    os.symlink(agency.parent / "ngoai.rules.yaml", agency / "lien-ket.rules.yaml")
    (folder / "t.rules.yaml").write_text(rules_using("../lien-ket.rules.yaml"), encoding="utf-8")
    linked = run_script("validate", folder)
    assert linked.rc == 2 and "trỏ ra ngoài thư mục cơ quan" in linked.stdout


def test_without_the_marker_a_sub_folder_is_its_own_agency_folder(agency: Path) -> None:
    (agency / ".thidua-agency").unlink()
    folder = agency / "natural"
    folder.mkdir()
    (folder / "t.rules.yaml").write_text(rules_using("../chung.rules.yaml"), encoding="utf-8")
    done = run_script("validate", folder, "--lang", "en")
    assert done.rc == 2
    assert "leads outside the agency folder 'natural'" in done.stdout
    assert "put a file named .thidua-agency in the agency folder" in done.stdout
    # a year or a school year still reaches the folder holding it, as before
    for year in ("2024", "2023-2024"):
        (agency / year).mkdir()
        (agency / year / "t.rules.yaml").write_text(rules_using("../chung.rules.yaml"), encoding="utf-8")
        assert run_script("validate", agency / year).rc == 0


def test_a_marker_in_a_year_folder_does_not_narrow_it(tmp_path: Path) -> None:
    """`thidua init agency/2025` marks the year folder: it still reaches the agency folder above."""
    year = tmp_path / "so-y" / "2025"
    assert run_script("init", year, "--period", "2025").rc == 0
    (tmp_path / "so-y" / "chung.rules.yaml").write_text(SHARED, encoding="utf-8")
    (year / "them.rules.yaml").write_text("version: 1\nuse: [../chung.rules.yaml]\n", encoding="utf-8")
    done = run_script("validate", year)
    assert done.rc == 0, done.describe()
