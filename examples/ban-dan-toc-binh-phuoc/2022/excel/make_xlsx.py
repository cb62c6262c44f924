"""Regenerates roster.facts.xlsx from ../roster.facts.yaml, so the workbook and the YAML roster agree.

Run from the repository root: `.venv/bin/python examples/ban-dan-toc-binh-phuoc/2022/excel/make_xlsx.py`.
tests/test_authoring_spreadsheet.py checks that the workbook gives the same verdicts as the YAML.
"""

from __future__ import annotations

from pathlib import Path

from thidua.evaluator.facts.workbook import workbook_bytes
from thidua.evaluator.run import load

HERE = Path(__file__).resolve().parent
YEAR = HERE.parent


def main() -> None:
    _, rules, facts = load(YEAR)
    (HERE / "roster.facts.xlsx").write_bytes(workbook_bytes(rules, facts))


if __name__ == "__main__":
    main()
