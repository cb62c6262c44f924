"""What the server answers from the ledger itself, in its own threads: no evaluation, no engine.

The verdict table of a folder whose files are those of a recorded run comes from that run's
outcome table (evaluator/app/evaluation.recorded_data) in a few milliseconds; the runs, a diff of two runs and
the verified chain are ledger reads. Anything that would evaluate goes to the worker pool instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thidua.evaluator.app.audit import diff, diff_data, runs, verify_data
from thidua.evaluator.app.evaluation import recorded_data
from thidua.evaluator.app.workspace import Workspace
from thidua.rules.limits import MAX_TEXT_BYTES, MAX_WORKBOOK_BYTES

# The largest request body: the largest file an upload may carry (a workbook or a text file, the
# limits of files on disk, rules/limits.py), and room for the form around it.
MAX_BODY = max(MAX_WORKBOOK_BYTES, MAX_TEXT_BYTES) + 64 * 1024


def recorded_evaluation(workspace: Workspace, rel: str, lang: str) -> dict[str, Any] | None:
    """The folder's verdicts from its latest recorded run on the very same files, or None."""
    return recorded_data(workspace.folder(rel), lang)


def agencies(workspace: Workspace) -> dict[str, Any]:
    """The served agencies grouped by agency (a folder of years is one agency), each folder with its
    period and the summary of its latest recorded run."""
    groups: dict[str, dict[str, Any]] = {}
    for a in workspace.agencies():
        latest = _latest(workspace, a.folder)
        entry = {"folder": a.folder, "name": a.name, "period": a.period, "latest": latest}
        group = groups.setdefault(a.group, {"group": a.group, "name": a.name, "folders": []})
        group["folders"].append(entry)
    for g in groups.values():
        g["folders"].sort(key=lambda f: str(f["period"] or f["folder"]))
    return {"root": workspace.root.name, "agencies": list(groups.values())}


def _latest(workspace: Workspace, rel: str) -> dict[str, Any] | None:
    folder = workspace.folder(rel)
    where = workspace.ledgers.where(folder)
    if not where.is_file():
        return None
    try:
        _, found = runs(workspace.ledgers, folder)
    except Exception:  # noqa: BLE001 - a damaged or foreign ledger shows no latest run; audit pages say why
        return None
    own = [r for r in found if Path(r.path).name == folder.name or r.path == rel]
    if not own:
        return None
    r = own[-1]
    return {"seq": r.seq, "created_at": r.created_at, "summary": r.summary}


def runs_of(workspace: Workspace, rel: str) -> dict[str, Any]:
    folder = workspace.folder(rel)
    if not workspace.ledgers.where(folder).is_file():
        return {"ledger": workspace.ledgers.where(folder).name, "runs": []}
    shown, found = runs(workspace.ledgers, folder)
    return {"ledger": Path(shown).name, "runs": [r.to_dict() for r in found]}


def diff_of(workspace: Workspace, rel: str, a: str, b: str) -> dict[str, Any]:
    return diff_data(diff(workspace.ledgers, workspace.folder(rel), a, b))


def verify_of(workspace: Workspace, rel: str, lang: str) -> dict[str, Any]:
    data = verify_data(workspace.ledgers, workspace.folder(rel), lang)
    data["ledger"] = Path(data["ledger"]).name
    return data


def fact_lines(workspace: Workspace, rel: str, name: str, line: int, around: int = 12) -> dict[str, Any]:
    """The lines of a fact or rule file of the folder around `line`, for "click to see the fact"."""
    from thidua.evaluator.app.errors import NotFound
    from thidua.rules.source import read_input_text

    folder = workspace.folder(rel)
    if name not in workspace.files(rel) or name.lower().endswith((".xlsx",)):
        raise NotFound("serve.no_file", name=name)
    text = read_input_text(folder / name, name)
    lines = text.splitlines()
    first = max(1, line - around)
    last = min(len(lines), line + around)
    return {
        "folder": rel,
        "file": name,
        "line": line,
        "lines": [{"n": n, "text": lines[n - 1], "here": n == line} for n in range(first, last + 1)],
    }
