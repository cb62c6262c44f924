"""One call from a folder (or named files) to an evaluation: discover, load rules, load facts, evaluate."""

from __future__ import annotations

import gc
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from thidua.evaluator.engine.derive import Derivation, Deriver, derive
from thidua.evaluator.engine.durable import ConditionTooComplex
from thidua.evaluator.engine.targets import engine_for, evaluate
from thidua.evaluator.facts.inputs import Inputs, discover
from thidua.evaluator.facts.reader import FactBase, load_facts, no_facts
from thidua.evaluator.judgement import Evaluation
from thidua.evaluator.progress import stage
from thidua.rules.errors import UserError
from thidua.rules.loader import PACK_PREFIX, load_rules
from thidua.rules.periods import Period
from thidua.rules.ruleset import RuleSet
from thidua.rules.source import display_path, read_input_bytes


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
    loaded = _loaded_rules(inputs)
    rules = loaded.rules
    with stage("read", len(inputs.facts) or None):
        facts = load_facts(inputs.facts, rules, inputs.base) if inputs.facts else no_facts(rules)
    if facts.period not in loaded.compiled:
        compile_engines(rules, facts)
        loaded.compiled.add(facts.period)
    return inputs, rules, facts


@dataclass
class _Loaded:
    rules: RuleSet
    compiled: set[Period | None] = field(default_factory=set)  # periods whose engines compiled without error


# Rule sets already loaded in this process, by the names and bytes of the rule files given: the
# agencies of a province (`evaluate --each`) usually carry the same rule file, and reading it with
# the packs it uses, checking and resolving it all, then compiling its engines (on a Deriver built
# over every entity) is the same work each time. Only rule sets made of those files and shipped
# packs are kept: a file reached by `use: ../x.yaml` is named in messages by a path that differs
# from agency to agency, and its content is not in the key.
_RULES: OrderedDict[tuple[tuple[str, bytes], ...], _Loaded] = OrderedDict()
RULE_SETS_KEPT = 8


def _loaded_rules(inputs: Inputs) -> _Loaded:
    """The rule set of `inputs`, loaded once per process for the same rule files (messages and
    digests are the same: they name the files as given and read the same bytes)."""
    try:  # read within the input limits, as load_rules reads them
        key = tuple(
            (shown, read_input_bytes(p, shown)) for p in inputs.rules for shown in [display_path(p, inputs.base)]
        )
    except UserError:  # load_rules says what is wrong, with the other files' problems
        return _Loaded(load_rules(inputs.rules, inputs.base))
    if key in _RULES:
        _RULES.move_to_end(key)
        return _RULES[key]
    loaded = _Loaded(load_rules(inputs.rules, inputs.base))
    given = {shown for shown, _ in key}
    if all(shown in given or shown.startswith(PACK_PREFIX) for shown in loaded.rules.files):
        _RULES[key] = loaded
        if len(_RULES) > RULE_SETS_KEPT:
            _RULES.popitem(last=False)
    return loaded


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


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while one evaluation runs.

    An evaluation builds many objects that all live until it ends and makes almost no garbage in
    reference cycles, so the collector's full collections only traverse live objects, again and again
    (docs/benchmarks.md measured half of an agency's CPU). Reference counting still frees everything
    else; the collector is back on afterwards, so the little cyclic garbage waits only until then.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def run_path(path: Path, rule_files: Sequence[Path] = (), fact_files: Sequence[Path] = ()) -> Run:
    with collector_paused():
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
