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
