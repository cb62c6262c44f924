"""Reasons as row sets: they name exactly the entities a per-entity reading names, and the JSON /2.

The reference below reads each entity as an `Entity` object (its values and holdings, the derived
mark from `Holding.source`), groups them with `group_by_signature` and lets the explainer decide each
group, as the judging step did before it worked on columns; the evaluator's reasons must list the
same entities, in the same order, under the same codes and roles, on every example folder and on
generated rosters with missing and awaited values and with a breached quota.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run_cli
from tests.e2e.process import judge, run_script
from thidua.evaluator.engine.conditions import Explainer, group_by_signature
from thidua.evaluator.engine.durable import target_conditions
from thidua.evaluator.facts.reader import Entity, FactBase
from thidua.evaluator.judgement import LISTED, EntityRef, Joined, Members, Reason
from thidua.evaluator.run import run_path
from thidua.rules.ruleset import Pred, ResolvedMeasure, RuleSet, pred_features

Listed = list[tuple[str, str | None, list[str]]]  # (code, role, entity ids) per reason


def _province() -> Any:
    spec = importlib.util.spec_from_file_location("province", ROOT / "bench" / "province.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _roster(folder: Path, people: int, **variant: Any) -> Path:
    province = _province()
    folder.mkdir(parents=True)
    data = province.roster(people, 7, **variant)
    (folder / "roster.facts.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (folder / "targets.rules.yaml").write_text(province.RULES.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def _classified(rules: RuleSet, kind: str, pred: Pred, entities: list[Entity]) -> list[tuple[Any, Any, list[Entity]]]:
    features = pred_features(pred)
    explainer = Explainer(rules, kind)
    out = []
    for sig, members in group_by_signature(entities, features).items():
        outcome, checks = explainer.evaluate(pred, features, sig)
        out.append((outcome, checks, members))
    return out


def _groups(classified: list[tuple[Any, Any, list[Entity]]], codes: dict[Any, str], role: str | None) -> Listed:
    return [
        (codes[wanted], role, [e.id for e in members])
        for wanted in (True, None, False)
        if wanted in codes
        for outcome, _, members in classified
        if outcome is wanted
    ]


def _notes(classified: list[tuple[Any, Any, list[Entity]]]) -> Listed:
    proposal = [
        e.id
        for outcome, checks, members in classified
        if outcome is True and any(c.note == "proposal_counted" and c.outcome is True for c in checks)
        for e in members
    ]
    derived: list[str] = []
    for outcome, checks, members in classified:
        if outcome is not True:
            continue
        for c in checks:
            if c.subject == "title" and c.outcome is True:
                derived += [
                    e.id
                    for e in members
                    if c.name in e.holdings and e.holdings[c.name].source == "derived" and e.id not in derived
                ]
    out: Listed = [("note.derived_counted", None, derived)] if derived else []
    return out + ([("note.proposal_counted", None, proposal)] if proposal else [])


def _count(rules: RuleSet, facts: FactBase, m: ResolvedMeasure, where: Pred | None, role: str) -> Listed:
    entities = facts.of(m.of)
    if not entities:
        return []
    if where is None:
        return [("entities.counted", role, [e.id for e in entities])]
    c = _classified(rules, m.of, where, entities)
    codes = {True: "entities.counted", None: "entities.unknown", False: "entities.not_counted"}
    return _groups(c, codes, role) + _notes(c)


def reference(rules: RuleSet, facts: FactBase, m: ResolvedMeasure) -> Listed:
    """The entity reasons of one measure, read entity by entity."""
    roles = dict(target_conditions(m))
    if m.kind == "count":
        return _count(rules, facts, m, roles.get("where"), "where")
    if m.kind == "sum":
        out: Listed = []
        for i, part in enumerate(m.parts):
            out += [(code, f"p{i}", ids) for code, _, ids in _count(rules, facts, part, roles.get(f"p{i}"), f"p{i}")]
            if not facts.of(part.of):
                break
        return out
    entities = facts.of(m.of)
    if m.kind == "share":
        if not entities:
            return []
        out = []
        candidates = entities
        if m.where is not None:
            pop = _classified(rules, m.of, roles["where"], entities)
            out += _groups(pop, {False: "entities.outside", None: "entities.population_unknown"}, "population")
            outside = {e.id for outcome, _, members in pop if outcome is False for e in members}
            candidates = [e for e in entities if e.id not in outside]
        if not candidates:
            return out
        codes = {True: "entities.matching", False: "entities.not_matching", None: "entities.unknown"}
        codes[None] = {"exclude": "entities.excluded_unknown", "not_matching": "entities.unknown_as_not_matching"}.get(
            m.unknown, "entities.unknown"
        )
        if m.parts:  # shares added over one denominator: each part's matching under its own role
            for i, _ in enumerate(m.parts):
                part = _classified(rules, m.of, roles[f"p{i}"], candidates)
                out += _groups(part, codes, f"p{i}") + _notes(part)
            return out
        num = _classified(rules, m.of, roles["matching"], candidates)
        return out + _groups(num, codes, "matching") + _notes(num)
    if m.kind == "holds":
        one = [e for e in entities if e.id == m.entity] if m.entity is not None else entities
        if len(one) != 1:
            return []
        c = _classified(rules, m.of, roles["matching"], one)
        return _groups(c, {True: "entities.holds", False: "entities.does_not_hold", None: "entities.unknown"}, None) + (
            _notes(c)
        )
    return []  # level and value measures name their one entity, checked below


def _folders() -> list[Path]:
    return sorted({p.parent for p in (ROOT / "examples").rglob("*.rules.yaml") if p.name != "block.rules.yaml"})


@pytest.fixture(scope="module")
def rosters(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("rosters")
    return {
        "missing": _roster(tmp / "missing", 600, recorded=False, missing=0.05),
        "breach": _roster(tmp / "breach", 600, recorded=False, initiative=0.3),
        "recorded": _roster(tmp / "recorded", 300, recorded=True, missing=0.03),
    }


CASES = [f.relative_to(ROOT).as_posix() for f in _folders()] + ["roster:missing", "roster:breach", "roster:recorded"]


@pytest.mark.parametrize("case", CASES)
def test_row_set_reasons_name_what_entities_name(case: str, rosters: dict[str, Path]) -> None:
    folder = rosters[case.split(":")[1]] if case.startswith("roster:") else ROOT / case
    run = run_path(folder)
    facts = run.derivation.facts if run.derivation.facts is not None else run.facts
    seen_codes: set[str] = set()
    seen_notes: set[str | None] = set()
    for target, j in zip(run.rules.targets, run.evaluation.judgements, strict=True):
        got = [
            (r.code, r.role, [e.id for e in r.entities]) for r in j.reasons if r.code.startswith(("entities.", "note."))
        ]
        want = reference(run.rules, facts, target.measure) if j.status != "error" else []
        assert got == want, f"{case} {j.target}"
        for r in j.reasons:
            assert r.count == len(r.entities) == len(r.members.ids())
            assert [e.id for e in r.members.head(3)] == [e.id for e in r.entities[:3]]
            seen_codes.add(r.code)
            seen_notes.update(c.note for c in r.checks)
            if target.measure.kind in ("level", "value") and r.code.startswith("measure.value"):
                assert [e.id for e in r.entities] == [target.measure.entity or facts.of(target.measure.of)[0].id]
    if case == "roster:missing":  # the roster exercises what it is meant to
        assert {"entities.unknown", "entities.population_unknown"} & seen_codes
    if case == "roster:breach":  # titles the criteria find eligible, undecided: proposals only, so pending
        assert "eligible_pending" in seen_notes


def test_the_ledger_body_lists_every_entity_and_reads_back(rosters: dict[str, Path]) -> None:
    run = run_path(rosters["breach"])
    for j in run.evaluation.judgements:
        body = j.to_dict()
        for rd, r in zip(body["reasons"], j.reasons, strict=True):
            assert [e["id"] for e in rd["entities"]] == [e.id for e in r.entities]
            assert set(rd) == {"code", "params", "entities", "checks", "role"}
        again = type(j).model_validate(body)
        assert again == j and again.to_dict() == body


def test_members_count_and_head_without_building_everyone() -> None:
    refs = tuple(EntityRef.trusted(id=f"p{i}", name=f"N{i}", kind="person", file="f", line=i) for i in range(7))
    a, b = Members(refs[:3]), Members(refs[3:])
    joined = Joined([a, b, Members(())])
    assert len(joined) == 7 and joined.head(5) == refs[:5] and joined.refs() == refs
    assert Joined([a, b]).head(2) == refs[:2] and Joined([a, b]).ids() == [r.id for r in refs]
    reason = Reason(code="entities.counted", params={"count": 7}, members=joined)
    assert reason.count == 7 and reason == Reason(code="entities.counted", params={"count": 7}, entities=refs)
    shown = reason.to_json()
    assert shown["count"] == 7 and shown["more"] == 0 and "ids" not in shown
    assert shown["entities"][0] == {"id": "p0", "name": "N0", "file": "f", "line": 0}
    assert reason.to_json(every_id=True)["ids"] == [f"p{i}" for i in range(7)]


def _reasons(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for j in data["judgements"] for r in j["reasons"]]


def test_json_2_counts_lists_the_first_entities_and_more(rosters: dict[str, Path]) -> None:
    done = run_cli("evaluate", rosters["missing"], "--format", "json", "--no-record")
    assert done.stdout.count("\n") == 1  # compact: not a terminal, not asked to be pretty
    data = json.loads(done.stdout)
    assert data["format"] == "thidua.evaluation/3"
    big = 0
    for r in _reasons(data):
        assert {"code", "params", "checks", "role", "count", "entities", "more", "text"} <= set(r)
        assert "ids" not in r
        assert len(r["entities"]) == min(r["count"], LISTED) and r["more"] == r["count"] - len(r["entities"])
        assert all(set(e) == {"id", "name", "file", "line"} for e in r["entities"])
        big += r["more"] > 0
    assert big  # some group is larger than the listed 25
    pretty = run_cli("evaluate", rosters["missing"], "--format", "json", "--no-record", "--pretty")
    assert pretty.stdout.startswith("{\n  ") and json.loads(pretty.stdout) == data


def test_json_all_lists_every_id_of_every_reason(rosters: dict[str, Path]) -> None:
    run = run_path(rosters["missing"])
    done = run_cli("evaluate", rosters["missing"], "--format", "json", "--no-record", "--all")
    data = json.loads(done.stdout)
    reasons = [r for j in run.evaluation.judgements for r in j.reasons]
    shown = _reasons(data)
    assert len(shown) == len(reasons)
    for rd, r in zip(shown, reasons, strict=True):
        assert rd["ids"] == [e.id for e in r.entities] and len(rd["ids"]) == rd["count"]
        assert rd["ids"][: len(rd["entities"])] == [e["id"] for e in rd["entities"]]


def test_evaluate_all_and_pretty_as_a_real_process(rosters: dict[str, Path], tmp_path: Path) -> None:
    for extra, pretty in (([], False), (["--all", "--pretty"], True)):
        outcome = run_script("evaluate", rosters["breach"], "--format", "json", "--no-record", *extra)
        assert judge(outcome) is None and outcome.rc in (0, 1), outcome.describe()
        assert outcome.stdout.startswith("{\n") is pretty
        data = json.loads(outcome.stdout)
        assert data["format"] == "thidua.evaluation/3"
        assert all(("ids" in r) is bool(extra) for r in _reasons(data))
