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


@pytest.mark.parametrize(("name", "text", "where", "says"), CASES, ids=[c[0] for c in CASES])
def test_located_error(tmp_path: Path, name: str, text: str, where: str, says: str) -> None:
    (tmp_path / "x.rules.yaml").write_text(text, encoding="utf-8")
    result = run_cli("validate", tmp_path, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output + result.stderr
    message = " ".join((result.stderr + result.stdout).split())
    assert where in message, message
    assert says in message, message
