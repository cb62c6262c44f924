"""The durable-rules adapter: compiled conditions agree with the explainer, sessions are isolated, traps stay handled."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLE_2022
from thidua.evaluator.engine.conditions import MISSING, Explainer
from thidua.evaluator.engine.durable import Engine, compile_pred, decision_rules, encode_signature
from thidua.evaluator.engine.targets import evaluate
from thidua.evaluator.facts.reader import Awaiting, load_facts
from thidua.rules.errors import Location
from thidua.rules.loader import load_rules
from thidua.rules.ruleset import (
    PAll,
    PAny,
    PAttr,
    PNot,
    PTitle,
    ResolvedMeasure,
    ResolvedTarget,
    RuleSet,
    Threshold,
    pred_features,
)

LOC = Location("test", 1, 1)


def _rules() -> RuleSet:
    return load_rules([EXAMPLE_2022 / "targets.rules.yaml"], EXAMPLE_2022)


def test_compiled_conditions_agree_with_the_explainer_on_every_signature() -> None:
    """Kleene logic on the engine (T and F rules) equals the explainer's, for all value combinations."""
    rules = _rules()
    rating = PAttr("rating", "gte", 2, "hoan_thanh_tot", LOC)
    grade = PAttr("union_grade", "in", (2, 3), ["kha", "xuat_sac"], LOC)
    title_decided = PTitle("lao_dong_tien_tien", "decided", LOC)
    title_any = PTitle("gia_dinh_van_hoa", "any", LOC)
    preds = [
        rating,
        PNot(rating),
        PAll((rating, title_decided)),
        PAny((PNot(grade), title_any)),
        PAll((PAny((rating, title_decided)), PNot(PAll((grade, title_any))))),
    ]
    ratings = [MISSING, Awaiting("HĐTĐ", 2), 0, 1, 2, 3]
    grades = [MISSING, 0, 2, 3]
    states = [("none", None), ("decided", None), ("proposed", "UBND tỉnh"), ("refused", None)]
    features = [("a", "rating"), ("a", "union_grade"), ("t", "lao_dong_tien_tien"), ("t", "gia_dinh_van_hoa")]
    signatures = list(itertools.product(ratings, grades, states, states))
    target = rules.targets[0]
    fake_targets = [
        ResolvedTarget(target.spec, ResolvedMeasure("count", "person", where=p), Threshold("gte", (1,), (1,)), True)  # type: ignore[arg-type]
        for p in preds
    ]
    engine = Engine(RuleSet(None, rules.scales, rules.kinds, rules.titles, fake_targets))
    explainer = Explainer(rules, "person")
    with engine.session() as session:
        for ti, pred in enumerate(preds):
            got = session.classify(f"{ti}.where", [encode_signature(features, s) for s in signatures])
            for sig, outcome in zip(signatures, got, strict=True):
                expected, _ = explainer.evaluate(pred, features, sig)
                assert outcome is expected, (pred, sig)


def test_compile_pred_is_pure() -> None:
    p = PAll((PAttr("rating", "eq", 2, "x", LOC), PTitle("lao_dong_tien_tien", "decided", LOC)))
    assert compile_pred(p, True) == compile_pred(p, True)
    assert compile_pred(PNot(p), True) == compile_pred(p, False)


def test_decision_rules_cover_each_requirement_form() -> None:
    for op in ("gt", "gte", "lt", "lte", "eq", "between"):
        values = (1, 3) if op == "between" else (2,)
        rules = decision_rules(Threshold(op, tuple(values), values), exceed=op in ("gt", "gte", "lt", "lte"))  # type: ignore[arg-type]
        assert "not_met" in rules


def test_the_engine_is_compiled_once_and_sessions_do_not_leak() -> None:
    rules = _rules()
    facts = load_facts([EXAMPLE_2022 / "roster.facts.yaml"], rules, EXAMPLE_2022)
    first = evaluate(rules, facts)
    for _ in range(20):
        again = evaluate(rules, facts)
        assert again == first
    from thidua.evaluator.engine import durable as engine_module

    assert all(not fired for fired in engine_module._host().fired.values())


def test_a_session_whose_first_fact_is_unknown_does_not_crash(tmp_path: Path) -> None:
    """durable-rules double-frees when a session's first fact matched no rule; run it in a child."""
    script = (
        "from thidua.evaluator.run import run_path\n"
        "from pathlib import Path\n"
        "import sys\n"
        "for _ in range(3):\n"
        "    ev = run_path(Path(sys.argv[1])).evaluation\n"
        "print(ev.judgements[0].status)\n"
    )
    (tmp_path / "t.rules.yaml").write_text(
        "use: [core]\ntargets:\n  - id: t\n    title: t\n    measure: {level: {of: union, attribute: rating}}\n    require: {gte: hoan_thanh_tot}\n",
        encoding="utf-8",
    )
    (tmp_path / "f.facts.yaml").write_text(
        "entities:\n  union: [{id: u, rating: {awaiting: Cấp trên}}]\n", encoding="utf-8"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "pending"


def test_trusted_entity_refs_equal_validated_ones() -> None:
    from thidua.evaluator.judgement import EntityRef

    fast = EntityRef.trusted(id="p1", name="Nguyễn Văn A", kind="person", file="f.yaml", line=3)
    slow = EntityRef(id="p1", name="Nguyễn Văn A", kind="person", file="f.yaml", line=3)
    assert fast == slow
    assert fast.model_dump() == slow.model_dump()
    assert fast.model_dump_json() == slow.model_dump_json()
    assert hash(fast) == hash(slow)


LIFECYCLE_SCRIPT = """
from thidua.evaluator.engine.durable import ChainEngine, Engine
from thidua.rules.ruleset import PAttr, RuleSet
from thidua.rules.errors import Location
import sys

# 1. a chain engine with no segments at all, opened and closed without any fact
with ChainEngine([]).session():
    pass
# 2. a chain engine whose segment never receives a profile (a kind with no entities)
pred = PAttr("rating", "gte", 2, "hoan_thanh_tot", Location("t", 1, 1))
with ChainEngine([[("lao_dong_tien_tien", pred)]]).session() as s:
    s.run_segment(0, 1, [])
# 3. an evaluation engine with no targets, and one session closed by an exception
empty = Engine(RuleSet(None, {}, {}, {}, []))
with empty.session():
    pass
try:
    with empty.session():
        raise KeyError("boom")
except KeyError:
    pass
# 4. a session never entered is never deleted
empty.session()
print("alive")
"""


def test_every_session_lifecycle_survives_in_a_real_process() -> None:
    """Sessions over no facts, no profiles, no rules or closed by an exception must not crash the process."""
    done = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", LIFECYCLE_SCRIPT], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, (done.returncode, done.stderr)
    assert done.stdout.strip() == "alive"


def test_the_2023_example_with_no_facts_runs_as_a_real_process() -> None:
    """The README's own line: criteria over kinds with no entities (it died with SIGSEGV)."""
    script = Path(sys.executable).with_name("thidua")
    folder = EXAMPLE_2022.parent / "2023"
    done = subprocess.run(
        [str(script), "evaluate", str(folder), "--no-record", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, (done.returncode, done.stderr)
    import json

    statuses = [j["status"] for j in json.loads(done.stdout)["judgements"]]
    assert statuses == ["pending"] * 14


def _wide_condition(n: int) -> PAll:
    """An `all` of n `any(all(a_i >= 1, b_i >= 1), c_i = 1)`: past durable's 15-node limit from n = 8."""
    items = []
    for i in range(n):
        both = PAll((PAttr(f"a{i}", "gte", 1, 1, LOC), PAttr(f"b{i}", "gte", 1, 1, LOC)))
        items.append(PAny((both, PAttr(f"c{i}", "eq", 1, 1, LOC))))
    return PAll(tuple(items))


def test_conditions_split_into_alternatives_agree_with_the_explainer_on_both_engines() -> None:
    """Past the node limit a condition becomes several rules per outcome: Kleene logic must not change."""
    import random

    from thidua.evaluator.engine.durable import ChainEngine, alternatives

    rules = _rules()
    pred = _wide_condition(8)
    assert len(alternatives(compile_pred(pred, True))) > 1 and len(alternatives(compile_pred(pred, False))) > 1
    features = pred_features(pred)
    rng = random.Random(8)
    signatures = [tuple(rng.choice([MISSING, 0, 1, 2]) for _ in features) for _ in range(300)]
    explainer = Explainer(rules, "person")
    expected = [explainer.evaluate(pred, features, s)[0] for s in signatures]
    target = rules.targets[0]
    fake = ResolvedTarget(
        target.spec, ResolvedMeasure("count", "person", where=pred), Threshold("gte", (1,), (1,)), True
    )  # type: ignore[arg-type]
    engine = Engine(RuleSet(None, rules.scales, rules.kinds, rules.titles, [fake]))
    with engine.session() as session:
        assert session.classify("0.where", [encode_signature(features, s) for s in signatures]) == expected
    chain = ChainEngine([[("lao_dong_tien_tien", pred)]])
    with chain.session() as session:
        got = session.run_segment(0, 1, [encode_signature(features, s) for s in signatures])
    assert [g[0] for g in got] == expected


def test_a_criteria_segment_past_the_rules_one_ruleset_holds_is_refused() -> None:
    """A segment chains inside one ruleset (513 rules hang create_ruleset): refused before registration."""
    import pytest

    from thidua.evaluator.engine.durable import ChainEngine, ConditionTooComplex

    pred = PAttr("rating", "gte", 2, "hoan_thanh_tot", LOC)
    with pytest.raises(ConditionTooComplex) as exc:
        ChainEngine([[(f"t{i}", pred) for i in range(100)]], [[LOC] * 100])
    assert exc.value.problem().code == "engine.too_many_rules" and exc.value.problem().location == LOC
