"""Architecture contracts: cli -> evaluator -> rules; only the engine adapter imports durable."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {
    "rules": ROOT / "rules",
    "evaluator": ROOT / "evaluator",
    "cli": ROOT / "cli",
    "web": ROOT / "web",
    "examples": ROOT / "examples",
}
FORBIDDEN = {
    "rules": ("click", "rich", "durable", "thidua.evaluator", "thidua.cli", "thidua.web", "fastapi", "starlette"),
    "evaluator": ("click", "rich", "thidua.cli", "thidua.web", "fastapi", "starlette", "uvicorn"),
    "cli": ("durable",),
    # the web front end (thidua serve) stands beside the command line: it calls the application layer
    "web": ("click", "rich", "durable", "thidua.cli"),
    "examples": ("click", "rich", "durable", "thidua.cli", "thidua.web"),  # data, and scripts that use the evaluator
}


@functools.cache  # each module is read by several contracts
def imports(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return frozenset(names)


def modules(package: str) -> list[Path]:
    return sorted(PACKAGES[package].rglob("*.py"))


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_dependencies_point_one_way(package: str) -> None:
    for path in modules(package):
        for name in imports(path):
            for banned in FORBIDDEN[package]:
                assert not (name == banned or name.startswith(banned + ".")), f"{path.relative_to(ROOT)} imports {name}"


def test_only_the_engine_adapter_imports_durable() -> None:
    users = [
        p.relative_to(ROOT).as_posix()
        for pkg in PACKAGES
        for p in modules(pkg)
        if any(n.split(".")[0] == "durable" for n in imports(p))
    ]
    assert users == ["evaluator/engine/durable.py"]


@pytest.mark.parametrize(
    "path", [p for pkg in PACKAGES for p in modules(pkg)], ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_every_module_says_what_it_is_for(path: Path) -> None:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert doc, f"{path} has no module docstring"


def test_front_ends_reach_the_evaluator_through_the_application_layer_only_for_runs() -> None:
    """The web front end evaluates, records and reads ledgers through evaluator/app (its worker pool
    included): it never calls the run, the ledger or the engine itself."""
    banned = ("thidua.evaluator.run", "thidua.evaluator.audit", "thidua.evaluator.engine")
    for path in modules("web"):
        for name in imports(path):
            assert not name.startswith(banned), f"{path.relative_to(ROOT)} imports {name}"


# documents: evaluator/documents builds documents on top of the evaluator; nothing below it depends
# on it, and it never prints (the CLI writes the bytes it returns).
DOCUMENTS = ROOT / "evaluator" / "documents"


def test_the_evaluator_does_not_depend_on_its_documents() -> None:
    app = ROOT / "evaluator" / "app"  # the application layer stands above the documents
    below = [p for p in modules("evaluator") if DOCUMENTS not in p.parents and app not in p.parents]
    users = [
        p.relative_to(ROOT).as_posix()
        for p in below
        if any(n.startswith("thidua.evaluator.documents") for n in imports(p))
    ]
    assert users == []


def test_documents_never_print() -> None:
    for path in sorted(DOCUMENTS.rglob("*.py")):
        calls = [
            n
            for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "print"
        ]
        assert not calls, f"{path.relative_to(ROOT)} prints"


def test_the_blocks_subpackage_is_checked_and_keeps_to_its_layer() -> None:
    """evaluator/blocks (scoring, ranking, proposals) is in the evaluator layer: no click, rich or durable."""
    blocks = [p for p in modules("evaluator") if p.parent.name == "blocks"]
    assert {p.name for p in blocks} >= {"__init__.py", "score.py", "rank.py", "run.py", "province.py"}
    for path in blocks:
        for name in imports(path):
            assert name.split(".")[0] not in ("click", "rich", "durable"), f"{path.name} imports {name}"
            assert not name.startswith("thidua.cli"), f"{path.name} imports {name}"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        prints = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "print"]
        assert not prints, f"{path.name} prints"


# Inside the evaluator, subpackages form layers too: each imports only from its own layer or below,
# so a newcomer can read it bottom-up (facts, judgements, the engine, explanations, one run, then the
# tools built on runs, then documents).
EVALUATOR_LAYERS = {
    "facts": 0,
    "progress": 0,
    "judgement": 1,
    "engine": 2,
    "explain": 3,
    "run": 4,
    "audit": 5,
    "authoring": 5,
    "blocks": 5,
    "output": 5,  # the one writer of files: knows a run's inputs and the ledger's name
    "documents": 6,
    "app": 7,  # the application layer: every operation for every front end, over everything below
}


def _evaluator_part(path: Path) -> str:
    rel = path.relative_to(ROOT / "evaluator")
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


@pytest.mark.parametrize("path", modules("evaluator"), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_evaluator_subpackages_are_layered(path: Path) -> None:
    part = _evaluator_part(path)
    if part == "__init__":
        return
    assert part in EVALUATOR_LAYERS, f"{part} has no layer in EVALUATOR_LAYERS: place it"
    for name in imports(path):
        if not name.startswith("thidua.evaluator."):
            continue
        other = name.split(".")[2]
        assert EVALUATOR_LAYERS[other] <= EVALUATOR_LAYERS[part], (
            f"{path.relative_to(ROOT)} imports {name} (a higher layer)"
        )


def test_tests_import_the_installed_namespace() -> None:
    """Tests import `thidua.cli`, `thidua.rules`, `thidua.evaluator`: a top-level `cli` or `rules` package
    happens to import from the repository root but is never installed (and would hide packaging gaps)."""
    bad = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for name in imports(path):
            if name.split(".")[0] in ("cli", "rules", "evaluator"):
                bad.append(f"{path.relative_to(ROOT)}: {name}")
    assert bad == []


# The command line is a thin caller of the application layer: what runs the rules, asks the engine or
# writes a ledger is reached through evaluator/app, as the web reaches it. A command may still name
# the data types below (a Run, a Finding) and pause the collector around its own printing.
CLI_MAY_NAME_BELOW_APP = {
    ("thidua.evaluator.run", "Run"),
    ("thidua.evaluator.run", "collector_paused"),
    ("thidua.evaluator.engine.findings", "Finding"),
}
# The block commands score and record a block themselves: their operations are not in evaluator/app yet.
CLI_NOT_YET_THROUGH_APP = {"cli/block.py"}


def test_the_command_line_runs_and_records_through_the_application_layer() -> None:
    below = ("thidua.evaluator.run", "thidua.evaluator.engine", "thidua.evaluator.audit.record")
    found = []
    for path in modules("cli"):
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(below):
                for alias in node.names:
                    if (node.module, alias.name) not in CLI_MAY_NAME_BELOW_APP:
                        found.append((rel, f"{node.module}.{alias.name}"))
    assert {rel for rel, _ in found} <= CLI_NOT_YET_THROUGH_APP, found
