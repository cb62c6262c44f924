"""Golden explanations of the seed example: one place that renders them, for the test and the regenerator."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import EXAMPLE, EXAMPLE_2022, run_cli

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


# The 2024 example derives its titles by the criteria: its trees show each derivation, recursively.
EXAMPLE_2024 = EXAMPLE / "2024"
TARGETS_2024 = ("units.advanced", "staff.advanced_workers", "staff.emulation_fighters")


def golden_path(target: str, suffix: str, year: str = "2022") -> Path:
    return GOLDEN / f"{target}.{suffix}" if year == "2022" else GOLDEN / year / f"{target}.{suffix}"


def render(target: str, extra: tuple[str, ...], example: Path = EXAMPLE_2022) -> str:
    """`thidua explain` of an example (2022 unless said) at a fixed width, relative paths, no colour."""
    result = run_cli("explain", example, target, *extra, env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    assert result.exit_code == 0, result.stderr
    return result.stdout
