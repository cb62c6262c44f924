"""Golden explanations of the seed example: one place that renders them, for the test and the regenerator."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import EXAMPLE_2022, run_cli

GOLDEN = Path(__file__).resolve().parent / "golden" / "explain"
TARGETS = (
    "agency.provincial_merit",
    "units.advanced",
    "units.excellent",
    "units.head_certificate",
    "union.rating",
    "agency.culture",
    "party_cell.rating",
    "families.culture",
    "families.no_third_child",
    "staff.advanced_workers",
    "staff.emulation_soldiers",
    "staff.head_certificate",
    "staff.provincial_merit",
    "union_members.rating",
)
# (file suffix, extra arguments): the Vietnamese tree, the English tree, and the JSON tree.
VARIANTS = (("vi.txt", ()), ("en.txt", ("--lang", "en")), ("json", ("--format", "json")))


def golden_path(target: str, suffix: str) -> Path:
    return GOLDEN / f"{target}.{suffix}"


def render(target: str, extra: tuple[str, ...]) -> str:
    """`thidua explain` of the 2022 example at a fixed width, relative paths, no colour."""
    result = run_cli("explain", EXAMPLE_2022, target, *extra, env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    assert result.exit_code == 0, result.stderr
    return result.stdout
