"""Resource limits on every input file, in one place so docs/reliability.md and the checks agree.

A rule or fact file of a real agency is a few hundred kilobytes at most (a province's roster of
20,000 people in YAML is about 5 MB). The limits sit far above that and far below what would
exhaust memory or time on an ordinary office computer; a file over one gets a located exit 2.
"""

from __future__ import annotations

# Bytes read from one YAML, JSON or CSV file (rule, fact or tests file). Facts read into columns
# take about 12 times their file size in memory (docs/benchmarks.md), but a file with any problem is
# read again by the positioned reader, which takes 60-100 times: 32 MB keeps that under about 3 GB.
# A province's roster larger than this is split into several fact files of one fact base.
MAX_TEXT_BYTES = 32 * 1024 * 1024

# Bytes of one .xlsx file, and of its uncompressed contents (a zip bomb is small on disk).
MAX_WORKBOOK_BYTES = 32 * 1024 * 1024
MAX_WORKBOOK_UNPACKED_BYTES = 256 * 1024 * 1024

# Bytes of one .docx file (a Word template, a pledge given to `draft`) and of its contents once
# unpacked. A year's report is under 1 MB of XML, a template with its logo a few MB; a Word part
# parsed takes about ten times its size in memory, so 64 MB unpacked stays within an office computer.
MAX_DOCUMENT_BYTES = 32 * 1024 * 1024
MAX_DOCUMENT_UNPACKED_BYTES = 64 * 1024 * 1024

# Entries in one zip container (.xlsx, .docx), counted from its directory before it is read: Word
# writes about 20, a workbook about 10 plus 3 a sheet; a directory of a million entries takes
# hundreds of MB to list.
MAX_ZIP_MEMBERS = 10_000

# Bytes of text `thidua draft` reads (from a .txt file, standard input, or the paragraphs of a
# .docx). A pledge or a year's report is 20-60 KB of text; drafting takes about 1 ms a sentence, so a
# megabyte of nothing but target sentences (16,000 of them) is drafted in about 10 s.
MAX_DRAFT_BYTES = 1024 * 1024

# Nesting of mappings and lists in a YAML or JSON document. Rule files nest about 12 deep
# (target > measure > where > all > any > condition); 64 leaves room and stays far from
# Python's recursion limit.
MAX_DEPTH = 64

# Nodes a YAML document may produce through aliases (`*name`) beyond what it writes out.
# An alias repeats a block (the tests file reuses an `expect` block); "billion laughs" repeats
# repeats until memory runs out.
MAX_ALIAS_NODES = 100_000

# Digits of an integer written in a file (Python refuses to print over 4,300). A budget in đồng has
# 13 or so; 30 leaves room for any sum while refusing a number no one measured. Values reach the
# engine as ordinals among the constants (evaluator/engine/durable.py), so past 64 bits is fine.
MAX_INT_DIGITS = 30

# Characters in one CSV field (the csv module's own default is 131,072; a cell of Excel holds 32,767).
MAX_CSV_FIELD = 32_767

# Rows and columns of one sheet read from a workbook, and the run of blank rows after which a
# sheet is taken to have ended (a used range claiming XFD1048576 is not read cell by cell).
MAX_SHEET_ROWS = 200_000
MAX_SHEET_COLUMNS = 256
MAX_BLANK_ROWS = 1_000

# Years a rule file, a block file or `thidua init` may name, checked in one place (rules/model.py
# `Period`): a year outside them is a typo, such as 99999999999999999999 for 2025.
FIRST_PERIOD = 1945
LAST_PERIOD = 2200

# What rendering one document's template may spend (evaluator/documents/sandbox.py): steps are loop
# items and calls, output is characters written by its placeholders. The shipped report takes one
# step per line of the report (a province's 3,000 targets: about 10,000) and writes its text once.
MAX_TEMPLATE_STEPS = 1_000_000
MAX_TEMPLATE_OUTPUT = 50_000_000
