"""Located load-time errors of the richer measures and kind extensions: file:line:col, exit 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli

HEAD = "version: 1\nperiod: 2024\nuse: [core]\n"

CASES = [
    (
        "a kind declared twice says how to extend it",
        HEAD
        + "kinds:\n  - id: organization\n    title: Cơ quan\n    attributes: [{id: rank, label: Hạng, type: integer}]\n",
        "x.rules.yaml:5:5",
        "To add attributes to it, write '- extend: organization'",
    ),
    (
        "extending an unknown kind",
        HEAD + "kinds:\n  - extend: organisation\n    attributes: [{id: rank, label: Hạng, type: integer}]\n",
        "x.rules.yaml:5:5",
        "Did you mean 'organization'?",
    ),
    (
        "an extension repeating an attribute the kind has",
        HEAD + "kinds:\n  - extend: person\n    attributes:\n      - {id: rating, label: Xếp loại, type: text}\n",
        "x.rules.yaml:7:9",
        "Attribute 'rating' of 'person' is repeated",
    ),
    (
        "an extension attribute of no type",
        HEAD + "kinds:\n  - extend: organization\n    attributes:\n      - {id: rank, label: Hạng}\n",
        "x.rules.yaml:7:9",
        "exactly one of 'type', 'scale' or 'ref'",
    ),
]

VALUE_HEAD = (
    HEAD + "kinds:\n  - extend: organization\n    attributes: [{id: rank, label: Hạng, type: integer}]\ntargets:\n"
)
VALUE_CASES = [
    (
        "value on a rating scale says to use level",
        VALUE_HEAD + "  - id: t\n    title: T\n    measure: {value: {of: person, attribute: rating}}\n"
        "    require: {gte: 3}\n",
        "x.rules.yaml:10:22",
        "'value' measures a number attribute; 'rating' is",
    ),
    (
        "level on a number attribute says to use value",
        VALUE_HEAD + "  - id: t\n    title: T\n    measure: {level: {of: organization, attribute: rank}}\n"
        "    require: {gte: 3}\n",
        "x.rules.yaml:10:22",
        "for a number (a rank, a mark) use 'value'",
    ),
    (
        "a rank where lower is better required with gte",
        VALUE_HEAD
        + "  - id: t\n    title: T\n    measure: {value: {of: organization, attribute: rank, better: lower}}\n"
        "    require: {gte: 15}\n",
        "x.rules.yaml:11:14",
        "The requirement 'gte' goes against 'better: lower'",
    ),
    (
        "a value required with a word",
        VALUE_HEAD
        + "  - id: t\n    title: T\n    measure: {value: {of: organization, attribute: rank, better: lower}}\n"
        "    require: {lte: mười lăm}\n",
        "x.rules.yaml:11:14",
        "The requirement 'mười lăm' is not a number",
    ),
    (
        "a value of an unknown attribute",
        VALUE_HEAD + "  - id: t\n    title: T\n    measure: {value: {of: organization, attribute: rnak}}\n"
        "    require: {lte: 15}\n",
        "x.rules.yaml:10:22",
        "Did you mean 'rank'?",
    ),
    (
        "better is higher or lower",
        VALUE_HEAD
        + "  - id: t\n    title: T\n    measure: {value: {of: organization, attribute: rank, better: less}}\n"
        "    require: {lte: 15}\n",
        "x.rules.yaml:10",
        "less",
    ),
]
CASES += VALUE_CASES

SUM_HEAD = (
    HEAD
    + "targets:\n  - id: t\n    title: Tỷ lệ Tốt và Khá trên 95%\n    require: {gt: 95%}\n    measure:\n      sum:\n"
)
GOOD = "        - share: {of: person, matching: {attr: union_grade, eq: xuat_sac}}\n"
SUM_CASES = [
    (
        "shares over different populations cannot be added",
        SUM_HEAD
        + GOOD
        + "        - share: {of: person, where: {attr: union_member, eq: true}, matching: {attr: union_grade, eq: kha}}\n",
        "x.rules.yaml:11:18",
        "Part 2 of 'sum' is a share of 'person, where: {'attr': 'union_member', 'eq': True}', not over the "
        "denominator of part 1 ('person')",
    ),
    (
        "shares counting unknowns differently cannot be added",
        SUM_HEAD + GOOD + "        - share: {of: person, matching: {attr: union_grade, eq: kha}, unknown: exclude}\n",
        "x.rules.yaml:11:18",
        "only shares over one denominator add up",
    ),
    (
        "a count among shares",
        SUM_HEAD + GOOD + "        - count: {of: person, where: {attr: union_grade, eq: kha}}\n",
        "x.rules.yaml:11:11",
        "Part 2 of 'sum' is a count while another part is a share",
    ),
    (
        "a part that is neither a count nor a share",
        SUM_HEAD + "        - {}\n",
        "x.rules.yaml:10",
        "Each part of 'sum' is exactly one of: count (a count) or share (a share)",
    ),
]
CASES += SUM_CASES


@pytest.mark.parametrize(("name", "text", "where", "says"), CASES, ids=[c[0] for c in CASES])
def test_located_error(tmp_path: Path, name: str, text: str, where: str, says: str) -> None:
    (tmp_path / "x.rules.yaml").write_text(text, encoding="utf-8")
    result = run_cli("validate", tmp_path, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output + result.stderr
    message = " ".join((result.stderr + result.stdout).split())
    assert where in message, message
    assert says in message, message
