"""Many agencies in one run: every agency folder under a path, evaluated in parallel worker processes."""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from thidua.evaluator.facts.inputs import BLOCK_FILE, RULE_SUFFIXES
from thidua.rules.errors import UserError

# A worker is replaced after this many agencies: durable-rules never frees a ruleset, and agencies
# with rules of their own each add one; a fresh process bounds that, at the price of one start-up.
TASKS_PER_WORKER = 64


def agency_folders(root: Path) -> list[Path]:
    """Every folder under root (root included) holding an agency's rule file; hidden folders skipped."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
        names = [n.lower() for n in filenames]
        if any(n.endswith(RULE_SUFFIXES) and n != BLOCK_FILE for n in names):
            found.append(Path(dirpath))
    return found


@dataclass
class AgencyResult:
    """What a worker hands back: counts, the targets not met, and problems (or the whole evaluation).

    The whole evaluation comes as JSON text, encoded in the worker: the parent only writes it, where
    a dict of every reason would be pickled, unpickled and encoded again, one agency after another,
    in the one parent process.
    """

    path: str
    name: str = ""
    summary: dict[str, int] = field(default_factory=dict)
    not_met: list[str] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    evaluation_json: bytes | None = None  # Evaluation.to_dict() as compact JSON, keys sorted
    internal: str | None = None


def compact_json(data: Any) -> bytes:
    """Compact JSON, keys sorted, by orjson (a C encoder); what it refuses (integers past 64 bits)
    goes through the standard encoder."""
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def evaluate_one(folder: str, shown: str, lang: str, full: bool) -> AgencyResult:
    """Evaluate one agency folder in a worker; bad input becomes located problems, never an abort.

    The cyclic garbage collector is off while the agency is evaluated: the evaluation builds a few
    million objects that live until it ends (facts, derived states, reasons) and almost no garbage in
    reference cycles (about 100 objects over 20 agencies of 2,000 people), and the collector's full
    collections traversed all of them three or four times per agency, half of the CPU of `--each`
    (docs/benchmarks.md). Reference counting frees the agency's objects once its result is built;
    the collector is back on between agencies, so memory stays bounded by one agency.
    """
    from thidua.evaluator.run import collector_paused

    result = AgencyResult(shown)
    with collector_paused():
        return _evaluate_one(folder, lang, full, result)


def _evaluate_one(folder: str, lang: str, full: bool, result: AgencyResult) -> AgencyResult:
    from thidua.evaluator.run import run_path

    try:
        run = run_path(Path(folder))
    except UserError as exc:
        result.problems = [p.to_dict(lang) for p in exc.problems]
        return result
    except Exception as exc:  # noqa: BLE001 - one agency's failure must not stop the others
        result.internal = f"{type(exc).__name__}: {exc}"
        return result
    orgs = run.facts.of("organization")
    result.name = orgs[0].name if len(orgs) == 1 else Path(folder).name
    result.summary = run.evaluation.summary()
    result.not_met = [j.target for j in run.evaluation.judgements if j.status == "not_met"]
    if full:
        result.evaluation_json = compact_json(run.evaluation.to_dict())
    return result


def _evaluate_args(args: tuple[str, str, str, bool]) -> AgencyResult:
    return evaluate_one(*args)


def evaluate_each(root: Path, folders: list[Path], jobs: int, lang: str, full: bool) -> Iterator[AgencyResult]:
    """Results in the order the agencies finish, from `jobs` worker processes, each replaced after a while.

    multiprocessing.Pool rather than ProcessPoolExecutor: with `max_tasks_per_child` the executor of
    Python 3.11 hung here once its first worker retired (no replacement started, seen at 64 of 500
    agencies); Pool's `maxtasksperchild` replaces workers reliably.
    """
    tasks = [(str(f), _shown(f, root), lang, full) for f in folders]
    if jobs <= 1:
        for t in tasks:
            yield evaluate_one(*t)
        return
    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    if os.name == "posix":  # a replacement worker forks from a server that already imported the evaluator
        context.set_forkserver_preload(["thidua.evaluator.run"])
    with context.Pool(processes=jobs, maxtasksperchild=TASKS_PER_WORKER) as pool:
        yield from pool.imap_unordered(_evaluate_args, tasks, chunksize=1)


def _shown(folder: Path, root: Path) -> str:
    try:
        rel = folder.relative_to(root).as_posix()
    except ValueError:
        return folder.as_posix()
    return (root / rel).as_posix() if rel != "." else root.as_posix()
