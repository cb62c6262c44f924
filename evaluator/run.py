"""One call from a folder (or named files) to an evaluation: discover, load rules, load facts, evaluate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from thidua.evaluator.engine.derive import Derivation, Deriver, derive
from thidua.evaluator.engine.durable import ConditionTooComplex
from thidua.evaluator.engine.targets import engine_for, evaluate
from thidua.evaluator.facts.inputs import Inputs, discover
from thidua.evaluator.facts.reader import FactBase, load_facts, no_facts
from thidua.evaluator.judgement import Evaluation
from thidua.evaluator.progress import stage
from thidua.rules.errors import UserError
from thidua.rules.loader import load_rules
from thidua.rules.ruleset import RuleSet


@dataclass(frozen=True)
class Run:
    inputs: Inputs
    rules: RuleSet
    facts: FactBase
    evaluation: Evaluation
    derivation: Derivation | None = None  # titles derived by the criteria (docs/criteria.md)


def load(
    path: Path, rule_files: Sequence[Path] = (), fact_files: Sequence[Path] = ()
) -> tuple[Inputs, RuleSet, FactBase]:
    """Discover and load the rule and fact files of PATH; raises UserError on bad input."""
    inputs = discover(path, rule_files, fact_files)
    rules = load_rules(inputs.rules, inputs.base)
    with stage("read", len(inputs.facts) or None):
        facts = load_facts(inputs.facts, rules, inputs.base) if inputs.facts else no_facts(rules)
    compile_engines(rules, facts)
    return inputs, rules, facts


def compile_engines(rules: RuleSet, facts: FactBase) -> None:
    """Compile the targets and the criteria of the facts' period onto the engine, as evaluation will.

    `load` (every command that evaluates) and `validate` both call this, so a condition the engine
    cannot hold is one located message (exit 2) everywhere, before any evaluation starts.
    """
    try:
        engine_for(rules)
        Deriver(rules, facts).engine()
    except ConditionTooComplex as exc:
        raise UserError([exc.problem()]) from exc


def run_path(path: Path, rule_files: Sequence[Path] = (), fact_files: Sequence[Path] = ()) -> Run:
    inputs, rules, facts = load(path, rule_files, fact_files)
    derivation, evaluation = judge(rules, facts)
    return Run(inputs, rules, facts, evaluation, derivation)


def judge(rules: RuleSet, facts: FactBase) -> tuple[Derivation, Evaluation]:
    """The one pipeline every command runs: derive titles by the criteria, then judge the targets."""
    with stage("derive"):
        derivation = derive(rules, facts)
    assert derivation.facts is not None
    with stage("evaluate"):
        evaluation = evaluate(rules, derivation.facts)
    return derivation, evaluation
