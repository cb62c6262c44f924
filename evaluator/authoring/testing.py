"""Rule tests admins keep next to their rules: given these facts, expect these statuses and margins.

A test file `*.tests.yaml` holds `cases`; each names fact files (paths relative to the test file)
or gives facts inline (`facts: {entities: ...}`), and what it expects of some targets:
`target.id: met` or `target.id: {status: exceeded, margin: 1}`. The rules are the rule files of
the test file's folder, or those listed under `rules:`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thidua.evaluator.facts.inputs import FACT_SUFFIXES, RULE_SUFFIXES, discover
from thidua.evaluator.facts.reader import FactBase, FactReader, load_facts, no_facts
from thidua.evaluator.judgement import STATUSES, Judgement
from thidua.rules.errors import Location, Problems, UserError, suggest
from thidua.rules.loader import load_rules
from thidua.rules.ruleset import RuleSet
from thidua.rules.source import PosDict, PosList, agency_folder, display_path, inside, read_document

TEST_SUFFIXES = (".tests.yaml", ".tests.yml")
FILE_KEYS = ("rules", "cases", "name", "note")
CASE_KEYS = ("name", "facts", "expect", "note")
EXPECT_KEYS = ("status", "margin")


@dataclass(frozen=True)
class Expectation:
    target: str
    status: str
    margin: float | None
    loc: Location


@dataclass
class Case:
    name: str
    loc: Location
    facts: FactBase
    expect: list[Expectation]


@dataclass(frozen=True)
class Failure:
    expected: Expectation
    judgement: Judgement

    @property
    def actual_margin(self) -> float | int | None:
        return self.judgement.margin.value if self.judgement.margin is not None else None


@dataclass
class CaseResult:
    case: Case
    failures: list[Failure] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def find_test_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and p.name.lower().endswith(TEST_SUFFIXES))
    return [path]


def load_test_file(path: Path, base: Path) -> tuple[RuleSet, list[Case]]:
    """Read one test file, its rules and every case's facts; all problems raise one UserError."""
    shown = display_path(path, base)
    data = read_document(path, shown)
    problems = Problems()
    top = Location(shown, 1, 1)
    if not isinstance(data, PosDict):
        problems.add("tests.not_mapping", getattr(data, "loc", top))
        problems.raise_if_any()
    for key in data:
        if key not in FILE_KEYS:
            problems.add(
                "tests.unknown_key", data.key_locs[key], suggest(key, FILE_KEYS), key=key, keys=", ".join(FILE_KEYS)
            )
    folder = path.parent
    rule_paths = [folder / str(r) for r in _as_list(data.get("rules"))]
    root = agency_folder(folder)
    for p, raw in zip(rule_paths, _as_list(data.get("rules")), strict=True):
        if not inside(p, root) or not p.name.lower().endswith(RULE_SUFFIXES):
            problems.add("input.use_outside", data.value_locs["rules"], name=str(raw), packs="-", folder=root.name)
    problems.raise_if_any()
    inputs = discover(folder, rule_paths) if not rule_paths else None
    rules = load_rules(inputs.rules if inputs else rule_paths, base)
    cases_node = data.get("cases")
    if not isinstance(cases_node, PosList) or not cases_node:
        problems.add("tests.no_cases", data.value_locs.get("cases", top) if "cases" in data else top)
        problems.raise_if_any()
    cases = []
    for i, node in enumerate(cases_node):
        case = _case(node, cases_node.item_locs[i], i, rules, folder, base, shown, problems)
        if case is not None:
            cases.append(case)
    problems.raise_if_any()
    return rules, cases


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _case(
    node: Any, loc: Location, index: int, rules: RuleSet, folder: Path, base: Path, shown: str, problems: Problems
) -> Case | None:
    if not isinstance(node, PosDict):
        problems.add("tests.case_mapping", loc)
        return None
    for key in node:
        if key not in CASE_KEYS:
            problems.add(
                "tests.unknown_key", node.key_locs[key], suggest(key, CASE_KEYS), key=key, keys=", ".join(CASE_KEYS)
            )
    name = str(node.get("name") or f"#{index + 1}")
    facts_node = node.get("facts")
    try:
        if facts_node is None:
            facts = no_facts(rules)
        elif isinstance(facts_node, PosDict):
            reader = FactReader(rules)
            reader.read(facts_node, shown)
            reader.finish()
            reader.problems.raise_if_any()
            facts = FactBase(reader.period if reader.period is not None else rules.period, reader.entities)
        else:
            paths = [folder / str(p) for p in _as_list(facts_node)]
            root = agency_folder(folder)
            bad = False
            for p, raw in zip(paths, _as_list(facts_node), strict=True):
                if not inside(p, root) or not p.name.lower().endswith(FACT_SUFFIXES):
                    # only fact files of this agency: a tests file must not read (nor echo) any other file
                    problems.add("input.facts_outside", node.value_locs["facts"], name=str(raw), folder=root.name)
                    bad = True
                elif not p.exists():
                    problems.add("file.missing", node.value_locs["facts"], path=str(raw))
                    bad = True
            if bad:
                return None
            facts = load_facts(paths, rules, base)
    except UserError as exc:
        problems.extend(exc)
        return None
    expect_node = node.get("expect")
    if not isinstance(expect_node, PosDict) or not expect_node:
        problems.add("tests.no_expect", node.value_locs.get("expect", loc), name=name)
        return None
    target_ids = [t.id for t in rules.targets]
    expectations = []
    for target, want in expect_node.items():
        tloc = expect_node.key_locs[target]
        if target not in target_ids:
            problems.add("tests.unknown_target", tloc, suggest(target, target_ids), target=target)
            continue
        vloc = expect_node.value_locs[target]
        margin: float | None = None
        if isinstance(want, PosDict):
            for key in want:
                if key not in EXPECT_KEYS:
                    problems.add(
                        "tests.unknown_key",
                        want.key_locs[key],
                        suggest(key, EXPECT_KEYS),
                        key=key,
                        keys=", ".join(EXPECT_KEYS),
                    )
            status = want.get("status")
            raw_margin = want.get("margin")
            if raw_margin is not None:
                if isinstance(raw_margin, bool) or not isinstance(raw_margin, (int, float)):
                    problems.add("tests.bad_margin", want.value_locs["margin"], value=raw_margin)
                    continue
                margin = float(raw_margin)
        else:
            status = want
        if status not in STATUSES:
            problems.add(
                "tests.bad_status", vloc, suggest(str(status), STATUSES), value=status, statuses=", ".join(STATUSES)
            )
            continue
        expectations.append(Expectation(target, str(status), margin, tloc))
    return Case(name, loc, facts, expectations)


def run_case(rules: RuleSet, case: Case) -> CaseResult:
    """Judge the case's facts as `evaluate` does (criteria derivation included) and compare each expected
    target with its judgement."""
    from thidua.evaluator.run import compile_engines, judge

    compile_engines(rules, case.facts)
    _, evaluation = judge(rules, case.facts)
    by_id = {j.target: j for j in evaluation.judgements}
    result = CaseResult(case)
    for exp in case.expect:
        j = by_id[exp.target]
        ok = j.status == exp.status
        if ok and exp.margin is not None:
            got = j.margin.value if j.margin is not None else None
            ok = got is not None and abs(float(got) - exp.margin) < 1e-9
        if not ok:
            result.failures.append(Failure(exp, j))
    return result


def run_tests(path: Path) -> list[tuple[str, list[CaseResult]]]:
    """Run every case of the test files in PATH (a folder or one file); bad input raises UserError."""
    if not path.exists():
        from thidua.rules.errors import fail

        raise fail("file.missing", Location(path.as_posix()), path=path.as_posix())
    base = path if path.is_dir() else path.parent
    files = find_test_files(path)
    if not files:
        from thidua.rules.errors import fail

        raise fail("tests.none_found", Location(path.as_posix()), path=path.as_posix())
    out = []
    problems = Problems()
    loaded = []
    for f in files:
        try:
            loaded.append((display_path(f, base), *load_test_file(f, base)))
        except UserError as exc:
            problems.extend(exc)
    problems.raise_if_any()
    for shown, rules, cases in loaded:
        out.append((shown, [run_case(rules, c) for c in cases]))
    return out


__all__: Sequence[str] = ["CaseResult", "Failure", "load_test_file", "run_case", "run_tests"]
