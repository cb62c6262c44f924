"""Checks an agency folder without evaluating: every error of rules and facts, and lint warnings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from thidua.evaluator.facts.inputs import Inputs, discover
from thidua.evaluator.facts.reader import FactBase, load_facts
from thidua.rules.check import check_rules, merge
from thidua.rules.errors import Problem, UserError
from thidua.rules.lint import lint


@dataclass
class Report:
    """Errors (the files cannot be used as they are) and warnings (likely mistakes), each located."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def validate_path(path: Path, rule_files: Sequence[Path] = (), fact_files: Sequence[Path] = ()) -> Report:
    """Check the rule files and, when their declarations are sound, the fact files too, in one go."""
    try:
        inputs = discover(path, rule_files, fact_files)
    except UserError as exc:
        return Report(errors=list(exc.problems))
    return validate_inputs(inputs)


def validate_inputs(inputs: Inputs) -> Report:
    """Check the rule and fact files found or given (`validate_path`), or a folder's files with one
    of them replaced by a candidate not yet written (an upload checked before it is saved)."""
    from thidua.rules.source import display_path

    report = Report()

    report.files = [display_path(p, inputs.base) for p in (*inputs.rules, *inputs.facts)]
    checked = check_rules(inputs.rules, inputs.base)
    errors = list(checked.problems)
    usable = checked.rules or (checked.partial if checked.declarations_ok else None)
    facts: FactBase | None = None
    if usable is not None and inputs.facts:
        try:
            facts = load_facts(inputs.facts, usable, inputs.base)
        except UserError as exc:
            errors.extend(exc.problems)
    if checked.rules is not None and not errors:
        from thidua.evaluator.facts.reader import no_facts
        from thidua.evaluator.run import compile_engines

        try:  # the same compilation `evaluate` does, engine registration included
            compile_engines(checked.rules, facts if facts is not None else no_facts(checked.rules))
        except UserError as exc:
            errors.extend(exc.problems)
    population = {k: len(v) for k, v in facts.entities.items()} if facts is not None else None
    report.errors = merge(errors)
    report.warnings = merge(lint(checked.partial, population)) if checked.partial is not None else []
    return report
