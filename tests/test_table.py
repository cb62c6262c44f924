"""Facts as columns: grouping rows by signature over the codes gives exactly the groups of entities."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from thidua.evaluator.engine.conditions import group_by_signature
from thidua.evaluator.facts.table import MISSING, NO_TITLE, Column, Table
from thidua.evaluator.run import run_path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = sorted(p.parent for p in (ROOT / "examples").rglob("*.rules.yaml") if list(p.parent.glob("*.facts.*")))


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.relative_to(ROOT / "examples").as_posix())
def test_groups_over_columns_equal_groups_over_entities(folder: Path) -> None:
    facts = run_path(folder).facts
    for kind, entities in facts.entities.items():
        table = facts.table(kind)
        assert table.ids == [e.id for e in entities]
        features = [("a", a) for a in table.attrs] + [("t", t) for t in table.titles] + [("a", "no_such")]
        for r in (1, 2, 3):
            for chosen in itertools.islice(itertools.combinations(features, r), 40):
                by_sig = group_by_signature(entities, list(chosen))
                groups = table.group(chosen)
                assert groups.keys == list(by_sig)
                for g, sig in enumerate(groups.keys):
                    assert [table.ids[i] for i in groups.rows(g)] == [e.id for e in by_sig[sig]]
                    assert all(groups.inverse[i] == g for i in groups.rows(g))


def test_a_column_of_a_feature_nobody_writes_is_unknown_or_not_held() -> None:
    table = Table("person", ["a", "b"], ["A", "B"])
    assert table.column(("a", "rating")).values == [MISSING]
    assert table.column(("t", "ldtt")).values == [NO_TITLE]
    assert len(table.group([("a", "rating"), ("t", "ldtt")])) == 1


def test_grouping_survives_radix_overflow_and_subsets_of_rows() -> None:
    n = 5000
    rng = np.random.default_rng(7)
    cols = {f"c{i}": Column.encode((int(x) for x in rng.integers(0, 3000, n)), n) for i in range(8)}
    table = Table("person", [str(i) for i in range(n)], [""] * n, attrs=cols)
    features = [("a", c) for c in cols]
    rows = np.arange(0, n, 3, dtype=np.int32)
    groups = table.group(features, rows)
    seen: dict[tuple[object, ...], list[int]] = {}
    for r in rows:
        seen.setdefault(tuple(cols[c].value(int(r)) for c in cols), []).append(int(r))
    assert groups.keys == list(seen)
    assert [list(groups.rows(g)) for g in range(len(groups))] == list(seen.values())


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.relative_to(ROOT / "examples").as_posix())
def test_entities_come_back_whole_from_the_columns(folder: Path) -> None:
    facts = run_path(folder).facts
    for kind, entities in facts.entities.items():
        assert facts.table(kind).entities() == entities


def _places_one_by_one(table: Table) -> tuple[list[str], list[int], list[int]]:
    files: dict[str, int] = {}
    index, lines = [], []
    for r in range(len(table)):
        loc = table.location(r)
        index.append(files.setdefault(loc.file, len(files)) if loc is not None else -1)
        lines.append(loc.line if loc is not None else 0)
    return list(files), index, lines


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.relative_to(ROOT / "examples").as_posix())
def test_places_of_every_row_equal_their_locations_one_by_one(folder: Path) -> None:
    facts = run_path(folder).facts
    for kind in facts.entities:
        files, index, lines = facts.table(kind).places()
        assert (files, index.tolist(), lines.tolist()) == _places_one_by_one(facts.table(kind))


def test_places_of_json_rosters_over_several_files(tmp_path: Path) -> None:
    """JSON files: their entity lines come from the array scan, a file at a time (bench/province.py)."""
    import json
    import shutil

    from bench.province import roster

    shutil.copy(ROOT / "examples" / "ban-dan-toc-binh-phuoc" / "2022" / "targets.rules.yaml", tmp_path)
    people = roster(300, 1)
    for i in range(3):
        part = dict(people)
        part["entities"] = {"person": people["entities"]["person"][i * 100 : (i + 1) * 100]}
        if i == 0:
            part["entities"] = {**people["entities"], **part["entities"]}
        text = json.dumps(part, ensure_ascii=False, indent=1 + i)
        (tmp_path / f"r{i}.facts.json").write_text(text, encoding="utf-8")
    facts = run_path(tmp_path).facts
    for kind in facts.entities:
        table = facts.table(kind)
        files, index, lines = table.places()
        assert len(files) >= 1 and (index >= 0).all() and (lines > 0).all()
        fresh = run_path(tmp_path).facts.table(kind)  # one by one, on a table that has not scanned yet
        assert (files, index.tolist(), lines.tolist()) == _places_one_by_one(fresh)
