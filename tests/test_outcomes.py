"""Answers from a recorded run's outcome table equal the answers of a new evaluation, on every example."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from bench.province import roster
from tests.conftest import EXAMPLE_2022, ROOT
from tests.e2e.process import run_thidua
from thidua.cli.explain import explanation_json, explanation_tree
from thidua.cli.recording import record_run
from thidua.evaluator.app.worksheet import fresh_worksheet
from thidua.evaluator.audit.ledger import Ledger
from thidua.evaluator.audit.recorded import (
    Recorded,
    explain_recorded,
    find_recorded,
)
from thidua.evaluator.audit.recorded_worksheet import candidates_recorded, consistency_recorded
from thidua.evaluator.explain.tree import DEFAULT_LIMIT, explain
from thidua.evaluator.facts.inputs import FACT_SUFFIXES
from thidua.evaluator.run import Run, run_path


def _folders() -> list[Path]:
    """Every example folder that holds rules and facts (an agency's year, a block member, a workbook)."""
    out = []
    for folder in sorted(p for p in (ROOT / "examples").rglob("*") if p.is_dir()):
        names = [p.name.lower() for p in folder.iterdir()]
        if any(n.endswith(".rules.yaml") and n != "block.rules.yaml" for n in names) and any(
            n.endswith(FACT_SUFFIXES) for n in names
        ):
            out.append(folder)
    return out


def _text(x: Any) -> str:
    console = Console(record=True, width=160, color_system=None)
    console.print(explanation_tree(x, "vi"))
    return console.export_text()


def _recorded(folder: Path, ledger: Path, rule_files: tuple[Path, ...] = ()) -> tuple[Run, Recorded]:
    """Evaluate and record `folder` in `ledger` (made the default ledger, as `explain` finds it)."""
    import os

    os.environ["THIDUA_LEDGER"] = str(ledger)  # restored by the autouse fixture's monkeypatch
    run = run_path(folder, rule_files)
    record_run(run, folder, None, "vi")
    rec = find_recorded(folder, rule_files)
    assert rec is not None
    return run, rec


def _sample(run: Run) -> list[tuple[str, str]]:
    """(target, entity) pairs: the first and last entity of every reason of every target."""
    out: dict[tuple[str, str], None] = {}
    for j in run.evaluation.judgements:
        for r in j.reasons:
            if r.entities:
                out[(j.target, r.entities[0].id)] = None
                out[(j.target, r.entities[-1].id)] = None
    return list(out)


def _same_explanations(run: Run, rec: Recorded, pairs: list[tuple[str, str]], limit: int | None) -> int:
    assert run.derivation is not None
    seen = run.derivation.facts if run.derivation.facts is not None else run.facts
    judged = {j.target: j for j in run.evaluation.judgements}
    for target, entity in pairs:
        expected = explain(
            judged[target], run.rules.files, seen, run.rules, entity=entity, limit=limit, derivation=run.derivation
        )
        answer = explain_recorded(rec, target, entity, limit)
        assert answer is not None, (target, entity)
        for lang in ("vi", "en"):
            assert explanation_json(answer, lang) == explanation_json(expected, lang), (target, entity, lang)
        assert _text(answer) == _text(expected), (target, entity)
    return len(pairs)


def _expected_sheet(run: Run, title: str | None, entity: str | None, limit: int | None) -> dict[str, Any]:
    return fresh_worksheet(run, title, entity, limit)


def _same_worksheets(run: Run, rec: Recorded, entities: list[str]) -> None:
    """The grouped worksheet from the ledger is the fresh evaluation's, cut or whole (`--all`)."""
    assert run.derivation is not None
    titles = sorted({c.title for c in run.derivation.criteria})
    asked: list[tuple[str | None, str | None]] = [(None, None), *((t, None) for t in titles)]
    decided = {d.entity.id for d in run.derivation.decisions}
    asked += [(None, e) for e in entities if e in decided]
    by_title = {(d.criterion.title, d.entity.id) for d in run.derivation.decisions}
    asked += [(t, e) for t, e in sorted(by_title) if e in entities][:6]
    for title, entity in asked:
        for limit in (DEFAULT_LIMIT, None, 1):
            answer = candidates_recorded(rec, title, entity, limit)
            assert answer is not None, (title, entity)
            answer["consistency"] = consistency_recorded(rec)
            expected = _expected_sheet(run, title, entity, limit)
            assert json.dumps(answer, default=str, sort_keys=True) == json.dumps(
                expected, default=str, sort_keys=True
            ), (title, entity, limit)


@pytest.mark.parametrize("folder", _folders(), ids=lambda p: p.relative_to(ROOT / "examples").as_posix())
def test_recorded_answers_equal_evaluation_on_every_example(folder: Path, tmp_path: Path) -> None:
    run, rec = _recorded(folder, tmp_path / "ledger.sqlite")
    pairs = _sample(run)
    assert _same_explanations(run, rec, pairs, DEFAULT_LIMIT) > 0
    _same_worksheets(run, rec, sorted({e for _, e in pairs}))


def test_a_workbook_is_read_whole_and_answers_the_same(tmp_path: Path) -> None:
    """A spreadsheet has no block to search: the facts are read (still no derivation, no judging)."""
    run, rec = _recorded(EXAMPLE_2022 / "excel", tmp_path / "ledger.sqlite", (EXAMPLE_2022 / "targets.rules.yaml",))
    pairs = _sample(run)[::4]
    assert _same_explanations(run, rec, pairs, DEFAULT_LIMIT) > 0


@pytest.mark.parametrize("layout", ["json", "yaml"])
def test_recorded_answers_equal_evaluation_on_a_generated_roster(layout: str, tmp_path: Path) -> None:
    """A roster where the criteria derive every title, with missing values and a quota breach."""
    folder = tmp_path / "agency"
    folder.mkdir()
    shutil.copy(EXAMPLE_2022 / "targets.rules.yaml", folder)
    data = roster(120, 7, recorded=False, missing=0.05, initiative=0.3)
    if layout == "json":
        (folder / "roster.facts.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        import yaml

        (folder / "roster.facts.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    run, rec = _recorded(folder, tmp_path / "ledger.sqlite")
    # the notes (titles counted as derived) keep their rows in parts of their own: the stored
    # judgements list no note's entities, and the answers below are read from those rows
    with sqlite3.connect(tmp_path / "ledger.sqlite") as conn:
        notes = [n for (n,) in conn.execute("SELECT name FROM run_outcomes WHERE name LIKE 'note:%'")]
    assert notes and all(rec.stored.array(n).size for n in notes)
    for ti in range(len(run.evaluation.judgements)):
        for r in rec.stored.json(f"judgement:{ti}")["reasons"]:
            assert not r.get("entities"), (ti, r["code"])
    pairs = _sample(run)
    assert _same_explanations(run, rec, pairs, DEFAULT_LIMIT) > 10
    _same_explanations(run, rec, pairs[:5], None)
    _same_worksheets(run, rec, sorted({e for _, e in pairs}))


def test_changed_facts_are_not_answered_from_the_ledger(example_copy: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    _recorded(example_copy, ledger)
    facts = example_copy / "roster.facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert find_recorded(example_copy) is None


def test_a_ledger_without_outcome_tables_still_opens_verifies_and_falls_back(
    example_copy: Path, tmp_path: Path
) -> None:
    ledger = tmp_path / "ledger.sqlite"
    _recorded(example_copy, ledger)
    with sqlite3.connect(ledger) as conn:  # as a ledger written before outcome tables existed
        conn.execute("DROP TABLE run_outcomes")
    with Ledger.open(ledger) as book:
        assert book.verify() == []
        assert book.count() == 1
    assert find_recorded(example_copy) is None


def test_a_tampered_outcome_table_is_not_trusted(example_copy: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    _recorded(example_copy, ledger)
    with sqlite3.connect(ledger) as conn:  # the table no longer names its run's hash
        conn.execute("UPDATE run_outcomes SET data = X'00' WHERE name = 'run_hash'")
    assert find_recorded(example_copy) is None


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_thidua(*args, env=env)


def test_real_process_explain_and_candidates_from_the_ledger(example_copy: Path, tmp_path: Path) -> None:
    import os

    ledger = tmp_path / "ledger.sqlite"
    env = {**os.environ, "THIDUA_LEDGER": str(ledger)}
    folder = str(example_copy)
    ask = ("explain", folder, "staff.emulation_soldiers", "--entity", "p01", "--format", "json", "--lang", "en")
    before = _cli(*ask, env=env)
    assert _cli("evaluate", folder, env=env).returncode in (0, 1)
    after = _cli(*ask, env=env)
    assert before.returncode == after.returncode == 0, after.stderr
    assert "Traceback" not in before.stderr + after.stderr
    assert before.stdout == after.stdout
    assert "recorded run #1" not in before.stderr and "recorded run #1" in after.stderr
    sheet = _cli("candidates", folder, "--entity", "p01", "--format", "json", env=env)
    assert sheet.returncode == 0 and "Traceback" not in sheet.stderr
    assert "#1" in sheet.stderr and json.loads(sheet.stdout)["titles"][0]["groups"][0]["entities"][0]["id"] == "p01"
    # every form of `candidates --title` reads the same from the ledger as from a fresh evaluation
    fresh_env = {**os.environ, "THIDUA_LEDGER": str(tmp_path / "none" / "ledger.sqlite")}
    for extra in ((), ("--all",), ("--format", "json"), ("--all", "--format", "json"), ("--lang", "en")):
        args = (
            ("candidates", folder, *extra)
            if "en" in extra
            else ("candidates", folder, "--title", "lao_dong_tien_tien", *extra)
        )
        stored, fresh = _cli(*args, env=env), _cli(*args, env=fresh_env)
        assert stored.returncode == fresh.returncode == 0 and "Traceback" not in stored.stderr + fresh.stderr
        assert "#1" in stored.stderr and "#1" not in fresh.stderr and stored.stdout == fresh.stdout, extra
    unknown = _cli("explain", folder, "staff.emulation_soldiers", "--entity", "nobody", env=env)
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr and "nobody" in unknown.stderr


ODD_YAML = """period: 2022
entities:
  unit:
    - id: u1
      name: Phòng một
  person:
    - name: Người có id sau tên   # the id is not the first key
      id: 'p1'
      unit: u1
      rating: {awaiting: Chi bộ, provisional: hoan_thanh_tot}

    # a comment between people
    - {id: p2, name: Viết trên một dòng, unit: u1, rating: hoan_thanh_xuat_sac}
    - id: "p3"
      name: Có danh hiệu
      unit: u1
      titles:
        - lao_dong_tien_tien
        - {title: chien_si_thi_dua_co_so, state: proposed, awaiting: Hội đồng}
    - id: p30
      name: Một id có p3 ở đầu
      unit: u1
"""


@pytest.mark.parametrize("layout", ["yaml", "json-indented", "json-one-line"])
def test_one_entity_read_alone_equals_the_whole_read(layout: str, tmp_path: Path) -> None:
    """Every entity read from its own block has the values, holdings and locations of a whole read."""
    import yaml

    from thidua.evaluator.facts.reader import load_facts
    from thidua.evaluator.facts.single import read_entity
    from thidua.rules.loader import load_rules

    rules = load_rules([EXAMPLE_2022 / "targets.rules.yaml"], EXAMPLE_2022)
    if layout == "yaml":
        path = tmp_path / "r.facts.yaml"
        path.write_text(ODD_YAML, encoding="utf-8")
    else:
        data = yaml.safe_load(ODD_YAML)
        data["entities"]["person"][0] = {"name": "Id sau tên", **data["entities"]["person"][0]}
        path = tmp_path / "r.facts.json"
        text = json.dumps(data, ensure_ascii=False, indent=2 if layout == "json-indented" else None)
        path.write_text(text, encoding="utf-8")
    facts = load_facts([path], rules, tmp_path)
    texts = {path.name: path.read_text(encoding="utf-8")}
    checked = 0
    for kind in facts.kinds:
        for whole in facts.of(kind):
            alone = read_entity(rules, texts, kind, whole.id)
            assert alone is not None, whole.id
            if kind != "person" or "unit" not in whole.values:
                assert alone == whole, whole.id
            else:  # a reference is resolved against the other entities only by a whole read
                assert alone.value_locs == whole.value_locs and alone.holdings == whole.holdings
                assert alone.loc == whole.loc and alone.shown == whole.shown, whole.id
            checked += 1
    assert checked >= 5
    assert read_entity(rules, texts, "person", "nobody") is None
