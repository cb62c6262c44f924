"""The JSON shapes the docs show are the shapes the commands print: every `"format": "thidua.…"` example
in docs/*.md is compared, key by key, with real output of the installed console script, so a change
of shape fails here until the docs (and the format string) say it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.e2e.process import run_script

SEED = ROOT / "examples" / "ban-dan-toc-binh-phuoc"
MAU = ROOT / "examples" / "so-van-hoa-mau" / "2024"
BLOCK = ROOT / "examples" / "khoi-thi-dua-so-6"

# What each documented format is compared with: runs that between them show every kind of item.
RUNS: dict[str, list[tuple[str | Path, ...]]] = {
    "thidua.evaluation": [
        ("evaluate", SEED / "2022", "--format", "json", "--all", "--no-record"),
        ("evaluate", MAU, "--format", "json", "--all", "--no-record"),
    ],
    "thidua.explanation": [
        ("explain", SEED / "2022", "staff.emulation_soldiers", "--format", "json"),
        ("explain", SEED / "2022", "staff.provincial_merit", "--format", "json"),
    ],
    "thidua.worksheet": [("candidates", SEED / "2024", "--format", "json")],
    "thidua.block": [("block", BLOCK, "--format", "json", "--no-record")],
}

# Objects whose keys are data, not shape: a message's parameters, what the facts hold, ids of the
# block file's groups and conditions (their values are compared with the documented one).
FREE = {"params", "recorded", "holding"}
KEYED_BY_DATA = {"parts", "conditions"}
# Keys the output writes only in some cases, documented once: a test under `not`, a margin's unit word.
SOMETIMES = {"negated", "label"}


def documented() -> list[tuple[str, str, dict[str, Any]]]:
    """(doc file, format, example) for every JSON example in the docs that names a thidua format."""
    out = []
    for path in sorted((ROOT / "docs").glob("*.md")):
        for block in re.findall(r"```json\n(.*?)```", path.read_text(encoding="utf-8"), re.S):
            if '"format": "thidua.' not in block:
                continue
            data = json.loads(block)  # an example that names a format must be valid JSON
            out.append((path.name, data["format"], data))
    return out


def differences(doc: Any, real: Any, path: str = "$") -> list[str]:
    """Where `real` has a key the documented example lacks (or the reverse), or a value of another
    structure (an object against a list or a scalar). `null` in either is nullable, not compared."""
    if doc is None or real is None:
        return []
    key = path.rsplit(".", 1)[-1].split("[", 1)[0]
    if isinstance(doc, dict):
        if not isinstance(real, dict):
            return [f"{path}: documented an object, printed {type(real).__name__}"]
        if key in FREE:
            return []
        if key in KEYED_BY_DATA:
            sample = next(iter(doc.values()), None)
            return [d for k, v in real.items() for d in differences(sample, v, f"{path}.{k}")]
        out = [f"{path}.{k}: printed, not documented" for k in sorted(real.keys() - doc.keys())]
        out += [f"{path}.{k}: documented, not printed" for k in sorted(doc.keys() - real.keys() - SOMETIMES)]
        for k in sorted(doc.keys() & real.keys()):
            out += differences(doc[k], real[k], f"{path}.{k}")
        return out
    if isinstance(doc, list):
        if not isinstance(real, list):
            return [f"{path}: documented a list, printed {type(real).__name__}"]
        out = []
        for i, item in enumerate(real):
            samples = doc
            if key == "findings" and isinstance(item, dict) and all("kind" in d for d in doc):
                samples = [d for d in doc if d["kind"] == item.get("kind")]  # one example per kind
                if not samples:
                    out.append(f"{path}[{i}]: a finding of kind {item.get('kind')!r}, not documented")
                    continue
            if samples:
                out += differences(samples[0], item, f"{path}[{i}]")
        return out
    if isinstance(real, (dict, list)):
        return [f"{path}: documented a value, printed {type(real).__name__}"]
    return []


EXAMPLES = documented()


def test_every_format_the_commands_print_is_documented() -> None:
    assert sorted({f.split("/")[0] for _, f, _ in EXAMPLES}) == sorted(RUNS)


@pytest.mark.parametrize(("doc", "fmt", "example"), EXAMPLES, ids=[f"{d}: {f}" for d, f, _ in EXAMPLES])
def test_the_documented_json_is_the_printed_json(doc: str, fmt: str, example: dict[str, Any]) -> None:
    for args in RUNS[fmt.split("/")[0]]:
        done = run_script(*args, timeout=120)
        assert done.rc in (0, 1), done.describe()
        real = json.loads(done.stdout)
        assert real["format"] == fmt, f"{doc} documents {fmt}, `thidua {args[0]}` prints {real['format']}"
        found = differences(example, real)
        assert not found, f"{doc} and `thidua {' '.join(map(str, args))}` differ:\n" + "\n".join(found[:20])


def test_the_comparison_sees_a_key_added_or_missing() -> None:
    """The comparison itself: an undocumented key, a documented key gone, a finding of a new kind."""
    doc = {"a": 1, "findings": [{"kind": "title", "x": 1}], "reasons": [{"code": "c", "params": {"n": 1}}]}
    same = {"a": 2, "findings": [{"kind": "title", "x": 3}], "reasons": [{"code": "d", "params": {"m": [1]}}]}
    assert differences(doc, same) == []
    assert differences(doc, {**same, "b": 1}) == ["$.b: printed, not documented"]
    assert differences(doc, {"findings": [], "reasons": []}) == ["$.a: documented, not printed"]
    new_kind = {**same, "findings": [{"kind": "consistency", "x": 1}]}
    assert differences(doc, new_kind) == ["$.findings[0]: a finding of kind 'consistency', not documented"]
