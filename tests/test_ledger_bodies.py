"""The ledger keeps `/2` judgement bodies; `audit diff` reads who moved from the runs' outcome tables;
ledgers written with full bodies (an older thidua) still read, verify, diff and replay."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run_cli
from tests.e2e.process import run_thidua
from tests.test_explain_ledger import drop_first_soldier as drop_soldier
from thidua.evaluator import judgement as judgement_module
from thidua.evaluator.audit import ledger as ledger_module
from thidua.evaluator.audit.ledger import Ledger, is_listed

# Written by thidua at commit 23df3f0 (full bodies, outcome table format 1): the 2022 example as run
# #1, then with p04's recorded CSTĐCS title and initiative dropped as run #2 (drop_first_soldier).
OLD_LEDGER = ROOT / "tests" / "data" / "ledger_full_bodies.sqlite"
SOLDIERS = "staff.emulation_soldiers"


def diff_json(ledger: Path, a: str = "1", b: str = "2") -> dict[str, Any]:
    result = run_cli("audit", "diff", a, b, "--ledger", ledger, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def entities(data: dict[str, Any], target: str) -> list[tuple[str, str | None, str | None]]:
    change = next(c for c in data["changes"] if c["target"] == target)
    return [(e["id"], e["before"], e["after"]) for e in change["entities"]]


# --- the cases: what changes between run #1 and run #2, and who moves in which target ---------------


def drop_first_soldier(folder: Path) -> None:
    drop_soldier(folder / "roster.facts.yaml")


def _roster(folder: Path) -> Path:
    return folder / "roster.facts.yaml"


def _rules(folder: Path) -> Path:
    return folder / "targets.rules.yaml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _add_soldier(folder: Path) -> None:
    """A new person, p23, recorded as CSTĐCS (and meeting its criteria)."""
    _edit(
        _roster(folder),
        "\n  union:\n",
        "    - id: p23\n      name: Người Mới\n      unit: thanh_tra\n      rating: hoan_thanh_xuat_sac\n"
        "      union_member: true\n      union_grade: xuat_sac\n      third_child: false\n"
        "      recruited_on: 2015-01-05\n      discipline: Không bị kỷ luật\n      initiative: true\n"
        "      research_topic: false\n      titles:\n        - lao_dong_tien_tien\n"
        "        - chien_si_thi_dua_co_so\n\n  union:\n",
    )


def _remove_p04(folder: Path) -> None:
    text = _roster(folder).read_text(encoding="utf-8")
    start, end = text.index("    - id: p04\n"), text.index("    - id: p05\n")
    _roster(folder).write_text(text[:start] + text[end:], encoding="utf-8")


def _add_target(folder: Path) -> None:
    """A second count of CSTĐCS under a new id."""
    text = _rules(folder).read_text(encoding="utf-8")
    start = text.index(f"  - id: {SOLDIERS}\n")
    end = text.index("  - id: staff.head_certificate\n")
    block = text[start:end].replace(f"id: {SOLDIERS}", "id: staff.soldiers_again")
    _rules(folder).write_text(text[:end] + block + text[end:], encoding="utf-8")


def _remove_target(folder: Path) -> None:
    text = _rules(folder).read_text(encoding="utf-8")
    start = text.index(f"  - id: {SOLDIERS}\n")
    end = text.index("  - id: staff.head_certificate\n")
    _rules(folder).write_text(text[:start] + text[end:], encoding="utf-8")


COUNTED, NOT_COUNTED = "entities.counted", "entities.not_counted"
SOLDIER_IDS = ["p04", "p08", "p12"]

# (name, change between the runs, target, who moved: (id, group before, group after), None = in no group)
CASES: list[tuple[str, Callable[[Path], None], str, Callable[[list[tuple[str, Any, Any]]], bool]]] = [
    ("entity moved reason", drop_first_soldier, SOLDIERS, lambda m: m == [("p04", COUNTED, NOT_COUNTED)]),
    ("new entity", _add_soldier, SOLDIERS, lambda m: m == [("p23", None, COUNTED)]),
    ("removed entity", _remove_p04, SOLDIERS, lambda m: m == [("p04", COUNTED, None)]),
    (
        "target added",
        _add_target,
        "staff.soldiers_again",
        lambda m: (
            len(m) == 22
            and all(before is None for _, before, _ in m)
            and [i for i, _, after in m if after == COUNTED] == SOLDIER_IDS
        ),
    ),
    (
        "target removed",
        _remove_target,
        SOLDIERS,
        lambda m: (
            len(m) == 22
            and all(after is None for _, _, after in m)
            and [i for i, before, _ in m if before == COUNTED] == SOLDIER_IDS
        ),
    ),
]


def _two_runs(folder: Path, ledger: Path, change: Callable[[Path], None]) -> None:
    for step in (None, change):
        if step is not None:
            step(folder)
        result = run_cli("evaluate", folder, "--ledger", ledger)
        assert result.exit_code in (0, 1) and "#" in result.stderr, result.stderr


def _full_bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Record as thidua did before `/2` bodies: every entity of every reason in the body."""
    monkeypatch.setattr(ledger_module, "stored_body", lambda j: j.to_dict())


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_diff_reads_who_moved_from_the_outcome_tables(
    case: tuple[str, Callable[[Path], None], str, Callable[[list[tuple[str, Any, Any]]], bool]],
    example_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, change, target, expected = case
    ledger = tmp_path / "new.sqlite"
    pristine = tmp_path / "pristine"
    shutil.copytree(example_copy, pristine)
    with monkeypatch.context() as m:  # bodies list one entity per reason: the rest only the tables know
        m.setattr(judgement_module, "LISTED", 1)
        _two_runs(example_copy, ledger, change)
    with Ledger.open(ledger) as book:
        assert all(is_listed(j) for j in book.get("2").judgements if j["reasons"])
    moved = entities(diff_json(ledger), target)
    assert expected(moved), moved
    # The same two runs recorded the old way (full bodies, no outcome table) give the same answer.
    old = tmp_path / "old.sqlite"
    with monkeypatch.context() as m:
        _full_bodies(m)
        _two_runs(pristine, old, change)
    with sqlite3.connect(old) as db:
        db.execute("DROP TABLE run_outcomes")
    assert entities(diff_json(old), target) == moved
    assert run_cli("audit", "verify", "--ledger", old).exit_code == 0


def test_a_listed_body_is_the_json_of_evaluate(example_copy: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    result = run_cli("evaluate", example_copy, "--ledger", ledger, "--format", "json")
    printed = {j["target"]: j for j in json.loads(result.stdout)["judgements"]}
    with Ledger.open(ledger) as book:
        stored = {j["target"]: j for j in book.get("last").judgements}
    assert set(printed) == set(stored)
    for target, body in stored.items():
        for kept, shown in zip(body["reasons"], printed[target]["reasons"], strict=True):
            assert (kept["code"], kept["count"], kept["more"], kept["entities"]) == (
                shown["code"],
                shown["count"],
                shown["more"],
                shown["entities"],
            )


# --- replaying like with like ------------------------------------------------------------------


def test_a_listed_body_replays_the_same_and_a_tampered_count_differs(example_copy: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    _two_runs(example_copy, ledger, drop_first_soldier)
    result = run_cli("audit", "explain", "1", SOLDIERS, "--ledger", ledger, "--format", "json")
    x = json.loads(result.stdout)
    assert result.exit_code == 0 and x["run"]["rerun"] == "same"
    counted = next(g for g in x["groups"] if g["code"] == COUNTED)
    assert [e["id"] for e in counted["entities"]] == SOLDIER_IDS
    with sqlite3.connect(ledger) as db:
        db.execute(
            "UPDATE judgements SET body = replace(body, '\"count\":3', '\"count\":4') WHERE run_seq = 1 AND target = ?",
            (SOLDIERS,),
        )
    result = run_cli("audit", "explain", "1", SOLDIERS, "--ledger", ledger, "--format", "json")
    assert result.exit_code == 1 and json.loads(result.stdout)["run"]["differing"] == [SOLDIERS]
    # the differing run is explained from its recorded /2 body: the group counts what the body says
    # (its first entities listed, the rest counted as hidden), never only the entities it lists
    counted = next(g for g in json.loads(result.stdout)["groups"] if g["code"] == COUNTED)
    assert counted["count"] == 4 and len(counted["entities"]) == 3
    assert run_cli("audit", "verify", "--ledger", ledger).exit_code == 1


# --- a ledger written by an older thidua (full bodies) -------------------------------------------


@pytest.fixture
def old_ledger(tmp_path: Path) -> Path:
    path = tmp_path / "old.sqlite"
    shutil.copy(OLD_LEDGER, path)
    return path


def test_an_old_ledger_reads_verifies_diffs_and_replays(old_ledger: Path, tmp_path: Path) -> None:
    with Ledger.open(old_ledger) as book:
        first = book.get("1")
    assert not any(is_listed(j) for j in first.judgements) and first.judgements[0]["reasons"]
    assert run_cli("audit", "verify", "--ledger", old_ledger).exit_code == 0
    shown = run_cli("audit", "show", "1", "--ledger", old_ledger)
    assert shown.exit_code == 0 and SOLDIERS in shown.stdout
    assert entities(diff_json(old_ledger), SOLDIERS) == [("p04", COUNTED, NOT_COUNTED)]
    for run in ("1", "2"):  # full bodies compared with full bodies evaluated again
        result = run_cli("audit", "explain", run, SOLDIERS, "--ledger", old_ledger, "--format", "json")
        assert result.exit_code == 0 and json.loads(result.stdout)["run"]["rerun"] == "same", result.stdout
    with sqlite3.connect(old_ledger) as db:  # older still: no outcome table at all
        db.execute("DROP TABLE run_outcomes")
    assert entities(diff_json(old_ledger), SOLDIERS) == [("p04", COUNTED, NOT_COUNTED)]
    assert run_cli("audit", "verify", "--ledger", old_ledger).exit_code == 0


def test_a_new_run_appended_to_an_old_ledger_diffs_against_its_full_bodies(
    old_ledger: Path, example_copy: Path
) -> None:
    """Run #2 has full bodies, run #3 a `/2` body and an outcome table: the diff mixes both sources."""
    result = run_cli("evaluate", example_copy, "--ledger", old_ledger)
    assert "#3" in result.stderr
    assert run_cli("audit", "verify", "--ledger", old_ledger).exit_code == 0
    assert entities(diff_json(old_ledger, "2", "3"), SOLDIERS) == [("p04", NOT_COUNTED, COUNTED)]
    assert diff_json(old_ledger, "1", "3")["changes"] == []


def test_an_old_ledger_as_real_processes(old_ledger: Path) -> None:
    for args, code in (
        (["audit", "verify"], 0),
        (["audit", "diff", "1", "2", "--format", "json"], 0),
        (["audit", "explain", "2", SOLDIERS], 0),
    ):
        done = run_thidua(*args, "--ledger", str(old_ledger))
        assert done.returncode == code and "Traceback" not in done.stdout + done.stderr, done.stderr


def test_a_run_recorded_without_an_outcome_table_keeps_every_entity(tmp_path: Path) -> None:
    """A block's agencies are recorded without a table: their bodies stay full, so diffs lose nothing."""
    from thidua.evaluator.audit.ledger import snapshot_files
    from thidua.evaluator.audit.rerun import run_files
    from thidua.evaluator.run import run_path

    run = run_path(ROOT / "examples" / "ban-dan-toc-binh-phuoc" / "2022")
    with Ledger.open(tmp_path / "l.sqlite", create=True) as book:
        rec = book.record(run.evaluation, snapshot_files(*run_files(run)), "2022")
        assert book.outcomes(rec.seq) == {}
        again = book.get(str(rec.seq))
    assert again.judgements == rec.judgements
    assert not any(is_listed(j) for j in rec.judgements)
    assert [j["reasons"] for j in rec.judgements] == [j.to_dict()["reasons"] for j in run.evaluation.judgements]


def test_a_new_ledger_has_large_pages_and_an_old_one_keeps_its_own(old_ledger: Path, example_copy: Path) -> None:
    fresh = example_copy.parent / "fresh.sqlite"
    for path in (fresh, old_ledger):
        run_cli("evaluate", example_copy, "--ledger", path)
    sizes = {}
    for path in (fresh, old_ledger):
        with sqlite3.connect(path) as db:
            sizes[path.name] = db.execute("PRAGMA page_size").fetchone()[0]
    assert sizes == {"fresh.sqlite": ledger_module.PAGE_SIZE, "old.sqlite": 4096}
    assert run_cli("audit", "verify", "--ledger", old_ledger).exit_code == 0
