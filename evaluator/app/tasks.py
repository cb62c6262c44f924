"""The operations as worker tasks (evaluator/app/pool.py): plain arguments in, plain data out.

Each task runs one operation of the application layer in a worker process and returns a `Result`:
the operation's data (dicts, bytes) or the located problems of bad input, never an object that would
have to be pickled whole (a run, a rule set). A task given a progress file writes the evaluator's
progress there (evaluator/progress.py), for a page that shows how far a long evaluation is.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thidua.evaluator.app.errors import AppError
from thidua.evaluator.app.ledgers import FolderLedgers
from thidua.rules.errors import UserError


@dataclass
class Result:
    """What a task hands back: `value` on success; `problems` (located, in the reader's language) on
    bad input; `refusal` (an AppError's status, code and message) when the application refused."""

    value: Any = None
    problems: list[dict[str, Any]] | None = None
    refusal: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.problems is None and self.refusal is None


class _ProgressFile:
    """Writes the latest progress report as JSON into a file, at most every 0.2 s and at each new stage."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.last = 0.0
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if stage == self.stage and now - self.last < 0.2 and done != total:
            return
        self.stage, self.last = stage, now
        temporary = f"{self.path}.tmp"
        with open(temporary, "w", encoding="utf-8") as fp:
            json.dump({"stage": stage, "done": done, "total": total}, fp)
        os.replace(temporary, self.path)


@contextmanager
def _progress(path: str | None) -> Iterator[None]:
    if path is None:
        yield
        return
    from thidua.evaluator.progress import reporting

    with reporting(_ProgressFile(path)):
        yield


def _run(lang: str, progress: str | None, body: Callable[[], Any]) -> Result:
    try:
        with _progress(progress):
            return Result(body())
    except UserError as exc:
        return Result(problems=[p.to_dict(lang) for p in exc.problems])
    except AppError as exc:
        return Result(refusal={"status": exc.status, **exc.to_dict(lang)})


def _ledgers(ledger: str | None) -> FolderLedgers:
    return FolderLedgers(Path(ledger) if ledger else None)


def evaluation(
    folder: str, shown: str, lang: str, every_id: bool, record: bool, ledger: str | None, progress: str | None = None
) -> Result:
    """Evaluate and record (as `thidua evaluate SHOWN --format json`): the JSON body, compact, the run's
    number and the summary."""

    def body() -> dict[str, Any]:
        from thidua.evaluator.app.encoding import compact_json_bytes
        from thidua.evaluator.app.evaluation import evaluation_body
        from thidua.evaluator.app.evaluation import record as record_run
        from thidua.evaluator.run import run_path

        run = run_path(Path(folder))
        seq = record_run(run, Path(shown), _ledgers(ledger)).seq if record else None
        return {
            "body": compact_json_bytes(evaluation_body(run, lang, every_id)),
            "seq": seq,
            "summary": run.evaluation.summary(),
        }

    return _run(lang, progress, body)


def explanation(folder: str, target: str, entity: str | None, limit: int | None, lang: str) -> Result:
    """A target's explanation as JSON data (`thidua explain ... --format json`), and the run it came from."""

    def body() -> dict[str, Any]:
        from thidua.evaluator.app.explanation import explain_target, explanation_json, with_line_texts

        answer = explain_target(Path(folder), target, entity, limit)
        data = with_line_texts(answer.explanation, explanation_json(answer.explanation, lang), lang)
        return {"explanation": data, "from_run": answer.from_run}

    return _run(lang, None, body)


def worksheet(folder: str, title: str | None, entity: str | None, limit: int | None, lang: str) -> Result:
    """The council's worksheet with its texts (`thidua candidates --format json`), and its run."""

    def body() -> dict[str, Any]:
        from thidua.evaluator.app.worksheet import worksheet as build
        from thidua.evaluator.app.worksheet import worksheet_texts

        sheet = build(Path(folder), title, entity, limit)
        return {"worksheet": worksheet_texts(sheet.data, lang), "from_run": sheet.from_run}

    return _run(lang, None, body)


def report(folder: str, fmt: str, lang: str, ledger: str | None) -> Result:
    """A document of a new, recorded run: bytes, name, media type, run number, SHA-256."""

    def body() -> dict[str, Any]:
        from thidua.evaluator.app.documents import report as make

        doc = make(Path(folder), fmt, lang, _ledgers(ledger))
        return {"data": doc.data, "name": doc.name, "media_type": doc.media_type, "seq": doc.seq, "sha256": doc.sha256}

    return _run(lang, None, body)


def validation(folder: str, lang: str) -> Result:
    """`thidua validate --format json` of a folder."""

    def body() -> dict[str, Any]:
        from thidua.evaluator.app.authoring import report_data, validate

        return report_data(validate(Path(folder)), lang)

    return _run(lang, None, body)


def check_file(folder: str, name: str, data: bytes, lang: str) -> Result:
    """A candidate rule or fact file checked with the folder's other files; nothing written."""

    def body() -> dict[str, Any]:
        from thidua.evaluator.app.authoring import check_candidate, report_data

        return report_data(check_candidate(Path(folder), name, data).report, lang)

    return _run(lang, None, body)


def save_file(folder: str, name: str, data: bytes, lang: str, ledger: str | None) -> Result:
    """Check, then write a rule or fact file and record the folder's evaluation with it."""

    def body() -> dict[str, Any]:
        from thidua.evaluator.app.authoring import report_data
        from thidua.evaluator.app.authoring import save_file as save
        from thidua.evaluator.app.encoding import compact_json_bytes
        from thidua.evaluator.app.evaluation import evaluation_body

        saved = save(Path(folder), name, data, _ledgers(ledger))
        rec = saved.evaluated.recording
        return {
            "name": saved.name,
            "check": report_data(saved.report, lang),
            "seq": rec.seq if rec is not None else None,
            "evaluation": compact_json_bytes(evaluation_body(saved.evaluated, lang)),
        }

    return _run(lang, None, body)


def rule_tests(folder: str, lang: str) -> Result:
    """The folder's own rule tests run (`thidua test`)."""

    def body() -> dict[str, Any]:
        from thidua.evaluator.app.authoring import rule_tests as run_them

        return run_them(Path(folder), lang)

    return _run(lang, None, body)


def run_explanation(
    folder: str, ref: str, target: str, entity: str | None, limit: int | None, lang: str, ledger: str | None
) -> Result:
    """A target as a past run judged it, replayed from the run's snapshot (`thidua audit explain`)."""

    def body() -> dict[str, Any]:
        from thidua.evaluator.app.explanation import explain_run, explanation_json, with_line_texts

        answer = explain_run(_ledgers(ledger), Path(folder), ref, target, entity, limit)
        data = with_line_texts(
            answer.explanation, explanation_json(answer.explanation, lang, {"run": answer.run}), lang
        )
        if answer.problem is not None:
            data["run"]["problems"] = [p.to_dict(lang) for p in answer.problem.problems[:3]]
        return data

    return _run(lang, None, body)


def ping() -> int:
    """A task that does nothing: the pool's workers are up (and have imported this module)."""
    return os.getpid()


__all__ = [
    "Result",
    "evaluation",
    "explanation",
    "report",
    "rule_tests",
    "run_explanation",
    "save_file",
    "validation",
    "worksheet",
]
