"""The grouped candidates worksheet against the per-person one: same counts, same rows when listed whole."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bench.province import roster
from tests.conftest import EXAMPLE, EXAMPLE_2022, ROOT
from tests.first_hour_helpers import thidua
from thidua.cli.candidates import DRAW_LIMIT, section_rows
from thidua.evaluator.explain.tree import DEFAULT_LIMIT
from thidua.evaluator.explain.worksheet import worksheet
from thidua.evaluator.explain.worksheet_groups import FORMAT, flat_rows, grouped_worksheet
from thidua.evaluator.run import Run, run_path

CROWD = DRAW_LIMIT + 500  # more than a table is drawn for: --all in a pipe writes plain lines


def _crowd(root: Path, people: int) -> Path:
    folder = root / f"crowd{people}"
    if not folder.exists():
        folder.mkdir(parents=True)
        shutil.copy(EXAMPLE_2022 / "targets.rules.yaml", folder)
        data = roster(people, 11)
        half = len(data["entities"]["person"]) // 2  # two files: fact order is file, then line
        persons = data["entities"]["person"]
        first = {**data, "entities": {**data["entities"], "person": persons[:half]}}
        second = {"period": data["period"], "entities": {"person": persons[half:]}}
        (folder / "b-roster.facts.json").write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
        (folder / "a-roster.facts.json").write_text(json.dumps(second, ensure_ascii=False), encoding="utf-8")
    return folder


# (case, folder maker, whether every group is small enough to be listed whole, as in an agency)
CASES: list[tuple[str, Callable[[Path], Path], bool]] = [
    ("seed-2022", lambda _: EXAMPLE_2022, True),
    ("seed-2024", lambda _: EXAMPLE / "2024", True),
    ("so-van-hoa-mau", lambda _: ROOT / "examples" / "so-van-hoa-mau" / "2024", True),
    ("crowd-300", lambda root: _crowd(root, 300), False),
    ("crowd-2500", lambda root: _crowd(root, CROWD), False),
]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    root = tmp_path_factory.mktemp("groups")
    return {name: run_path(make(root)) for name, make, _ in CASES}


def _person(row: dict[str, Any]) -> dict[str, Any]:
    """A per-person worksheet row as a group lists it: the deciding checks, not every check."""
    return {k: v for k, v in row.items() if k != "checks"}


@pytest.mark.parametrize(("case", "small"), [(c, s) for c, _, s in CASES], ids=[c for c, _, _ in CASES])
def test_groups_count_and_list_what_the_per_person_worksheet_lists(
    runs: dict[str, Run], case: str, small: bool
) -> None:
    run = runs[case]
    assert run.derivation is not None
    old = worksheet(run.rules, run.derivation)
    every = grouped_worksheet(run.rules, run.derivation, limit=None)
    cut = grouped_worksheet(run.rules, run.derivation, limit=DEFAULT_LIMIT)
    assert every["format"] == cut["format"] == FORMAT
    assert [s["criterion"] for s in every["titles"]] == [s["criterion"] for s in old["titles"]]
    for before, whole, part in zip(old["titles"], every["titles"], cut["titles"], strict=True):
        assert whole["counts"] == part["counts"] == before["counts"], before["criterion"]
        # --all: the old listing's rows, each person once
        rows = flat_rows(whole)
        assert sorted(rows, key=lambda r: r["id"]) == sorted(
            (_person(r) for r in before["entities"]), key=lambda r: r["id"]
        )
        # groups in fact order of their first person, each group's people in fact order (file, line)
        for g in whole["groups"]:
            places = [(e["source"]["file"], e["source"]["line"]) for e in g["entities"]]
            assert places == sorted(places)
        firsts = [(g["entities"][0]["source"]["file"], g["entities"][0]["source"]["line"]) for g in whole["groups"]]
        assert firsts == sorted(firsts)
        # the default: each group its first people (the --all group's first ones) and how many more
        assert [g["count"] for g in part["groups"]] == [g["count"] for g in whole["groups"]]
        for g, full in zip(part["groups"], whole["groups"], strict=True):
            assert g["entities"] == full["entities"][:DEFAULT_LIMIT]
            assert g["more"] == g["count"] - len(g["entities"]) and len(g["entities"]) == min(g["count"], DEFAULT_LIMIT)
        # alike people are one group: no two groups share outcome, recorded holding and deciding checks
        keys = [json.dumps([g["outcome"], g["recorded"], g["deciding"]], sort_keys=True) for g in whole["groups"]]
        assert len(keys) == len(set(keys))
        for q, full in zip(part["quotas"], before["quotas"], strict=True):
            assert q["candidates"] == full["candidates"][:DEFAULT_LIMIT]
            assert q["candidates_count"] == len(full["candidates"]) == len(q["candidates"]) + q["candidates_more"]
            assert {k: v for k, v in q.items() if not k.startswith("candidates")} == {
                k: v for k, v in full.items() if k != "candidates"
            }
        if small:  # an agency reads as before: every group whole, the rows in fact order
            assert all(not g["more"] for g in part["groups"])
            assert [r[0] for r in section_rows(part, "vi")] == [r["id"] for r in before["entities"]]
        else:
            assert len(part["groups"]) < len(before["entities"]) or len(before["entities"]) < DEFAULT_LIMIT
    assert small or any(g["more"] for s in cut["titles"] for g in s["groups"])  # a crowd has groups cut
    findings = sorted(
        (f["criterion"], e["id"], f["finding"], f["note"]) for f in every["findings"] for e in f["entities"]
    )
    assert findings == sorted((f["criterion"], f["id"], f["finding"], f["note"]) for f in old["findings"])
    assert sum(f["count"] for f in cut["findings"]) == len(old["findings"])
    assert every["settings"] == old["settings"]


def test_entity_keeps_its_rows_and_the_whole_title_counts(runs: dict[str, Run]) -> None:
    run = runs["crowd-300"]
    assert run.derivation is not None and run.derivation.raw is not None
    row = run.derivation.raw.table("person").row("p123")
    assert row is not None
    one = grouped_worksheet(run.rules, run.derivation, limit=DEFAULT_LIMIT, entity=("person", row))
    every = grouped_worksheet(run.rules, run.derivation, limit=None)
    person = [s for s in every["titles"] if s["kind"] == "person"]
    assert [s["criterion"] for s in one["titles"]] == [s["criterion"] for s in person]
    for mine, whole in zip(one["titles"], person, strict=True):
        assert mine["counts"] == whole["counts"]
        [g] = mine["groups"]
        assert [e["id"] for e in g["entities"]] == ["p123"] and g["count"] == 1 and g["more"] == 0
        [same] = [w for w in whole["groups"] if "p123" in {e["id"] for e in w["entities"]}]
        assert (g["outcome"], g["recorded"], g["deciding"]) == (same["outcome"], same["recorded"], same["deciding"])


def test_all_in_a_pipe_writes_every_person_as_a_plain_line(runs: dict[str, Run]) -> None:
    folder = runs["crowd-2500"].inputs.base
    done = thidua("candidates", folder, "--title", "lao_dong_tien_tien", "--all")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    listed = [line.split("\t")[0] for line in lines if line.startswith("p") and "\t" in line]
    assert sorted(listed) == sorted(f"p{i}" for i in range(CROWD))
    assert "┃" not in done.stdout  # not a drawn table
    grouped = thidua("candidates", folder, "--title", "lao_dong_tien_tien")
    cut = json.loads(thidua("candidates", folder, "--title", "lao_dong_tien_tien", "--format", "json").stdout)
    big = next(g for g in cut["titles"][0]["groups"] if g["more"])
    assert grouped.returncode == 0 and f"{big['entities'][0]['id']} …" in grouped.stdout  # one row for the group
    assert str(big["count"]) in grouped.stdout
    assert len(grouped.stdout) < len(done.stdout) / 4
    data = json.loads(thidua("candidates", folder, "--title", "lao_dong_tien_tien", "--all", "--format", "json").stdout)
    [lddt] = data["titles"]
    assert sorted(e["id"] for g in lddt["groups"] for e in g["entities"]) == sorted(f"p{i}" for i in range(CROWD))
    assert all(g["more"] == 0 and g["count"] == len(g["entities"]) for g in lddt["groups"])
