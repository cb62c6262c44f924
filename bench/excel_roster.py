"""A JSON roster as the workbook an agency keeps: the same facts in an .xlsx fact workbook, as Excel saves it.

Usage: .venv/bin/python bench/excel_roster.py FOLDER OUT_FOLDER

Reads FOLDER's facts with thidua (rules and facts as `evaluate` finds them) and writes
OUT_FOLDER/roster.facts.xlsx with the sheets, headers and cell texts of `thidua init`'s template
(evaluator/facts/workbook.py: levels by label, yes/no as "Có"/"Không", dates as date cells, titles
separated by ';'), copying the rule files beside it. The cells are written by XlsxWriter, which
stores texts in the shared-string table and dates as numbers with a date format, as Excel itself
saves a workbook (openpyxl, which writes the template, stores each text inline in the sheet: a
workbook an agency filled in and saved in Excel no longer looks like that). bench/compare.py uses
it for the Excel-against-JSON figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
from pathlib import Path

import xlsxwriter

from thidua.evaluator.facts.inputs import discover
from thidua.evaluator.facts.reader import load_facts
from thidua.evaluator.facts.spreadsheet import short_title
from thidua.evaluator.facts.workbook import DATE_FORMAT, cell_value, headers
from thidua.rules.loader import load_rules


def write(folder: Path, out: Path) -> Path:
    inputs = discover(folder, (), ())
    rules = load_rules(inputs.rules, inputs.base)
    facts = load_facts(inputs.facts, rules, inputs.base)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "roster.facts.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    bold = book.add_format({"bold": True})
    date = book.add_format({"num_format": DATE_FORMAT.lower()})
    for kind in rules.kinds.values():
        sheet = book.add_worksheet(short_title(kind))
        cols = headers(kind)
        for c, (_, header) in enumerate(cols):
            sheet.write_string(0, c, header, bold)
        for r, entity in enumerate(facts.of(kind.id), start=1):
            for c, (key, _) in enumerate(cols):
                value = cell_value(rules, entity, key)
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, (int, float)):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(value))
    book.close()
    for rule_file in inputs.rules:
        shutil.copy(rule_file, out / rule_file.name)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    print(write(args.folder, args.out))


if __name__ == "__main__":
    main()
