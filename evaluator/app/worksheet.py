"""The council's worksheet (`candidates`): per title who qualifies, who does not and why, and the quotas.

Answered from the latest recorded run on the very same files when the ledger has one (its outcome
table holds every group), else from a new evaluation. `worksheet_json` adds each check's, quota's
and finding's text in the reader's language (`thidua.worksheet/3`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from thidua.evaluator.app.regime import with_texts
from thidua.evaluator.app.words import criterion_check_text, finding_texts, quota_set_in, quota_text
from thidua.evaluator.run import Run, collector_paused
from thidua.rules.errors import Location, fail, suggest
from thidua.rules.messages import render


@dataclass
class Worksheet:
    """The worksheet's data, and the run it was read from when the ledger answered (else None)."""

    data: dict[str, Any]
    from_run: int | None = None


def recorded_worksheet(
    path: Path,
    rule_files: tuple[Path, ...],
    fact_files: tuple[Path, ...],
    title: str | None,
    entity: str | None,
    limit: int | None,
) -> Worksheet | None:
    """The worksheet from a recorded run on these very files (docs/audit.md), or None to evaluate."""
    from thidua.evaluator.audit.recorded import find_recorded
    from thidua.evaluator.audit.recorded_worksheet import candidates_recorded, consistency_recorded

    recorded = find_recorded(path, rule_files, fact_files)
    data = candidates_recorded(recorded, title, entity, limit) if recorded is not None else None
    if recorded is None or data is None:
        return None
    data["consistency"] = consistency_recorded(recorded)
    return Worksheet(data, recorded.seq)


def fresh_worksheet(run: Run, title: str | None, entity: str | None, limit: int | None) -> dict[str, Any]:
    """The grouped worksheet of a fresh evaluation; an unknown --title or --entity is a user error."""
    from thidua.evaluator.engine.consistency import consistency_findings  # the fresh path's modules, here
    from thidua.evaluator.explain.worksheet_groups import grouped_worksheet  # so the ledger's answer skips them

    rules, derivation = run.rules, run.derivation
    assert derivation is not None and derivation.raw is not None
    if title is not None:
        known = sorted({c.title for c in derivation.criteria})
        code = rules.title_code(title)  # by id, label or abbreviation, as everywhere a title is named
        if code not in known:
            hint = rules.title_suggestion(title) or suggest(title, known)
            raise fail("criteria.unknown_title_option", Location("--title"), hint, title=title)
        title = code
    at = None
    if entity is not None:
        kinds = list(dict.fromkeys(c.kind for c in derivation.criteria if title is None or c.title == title))
        at = next(((k, r) for k in kinds if (r := derivation.raw.table(k).row(entity)) is not None), None)
        if at is None:
            known = sorted({i for k in kinds for i in derivation.raw.table(k).ids})
            raise fail("criteria.unknown_entity_option", Location("--entity"), suggest(entity, known), entity=entity)
    data = grouped_worksheet(rules, derivation, title, limit, at)
    data["consistency"] = [f.to_dict() for f in consistency_findings(rules, run.evaluation)]
    return data


def worksheet(
    path: Path,
    title: str | None = None,
    entity: str | None = None,
    limit: int | None = None,
    rule_files: tuple[Path, ...] = (),
    fact_files: tuple[Path, ...] = (),
) -> Worksheet:
    """The worksheet of PATH: from the ledger when it can answer, else from an evaluation."""
    # the worksheet builds a dict per person listed and keeps them all: no garbage in cycles to collect
    with collector_paused():
        found = recorded_worksheet(path, rule_files, fact_files, title, entity, limit)
        if found is not None:
            return found
        from thidua.evaluator.run import run_path  # the engine: only when the ledger cannot answer

        run = run_path(path, rule_files, fact_files)
        return Worksheet(fresh_worksheet(run, title, entity, limit))


def worksheet_texts(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """Each check's, quota's and finding's text in `lang`, next to its data, once per group: a group's
    `deciding` are its texts, `deciding_checks` their data (`thidua.worksheet/3`)."""
    for section in data["titles"]:
        for g in section["groups"]:
            checks = g["deciding"]
            for c in checks:
                c["text"] = criterion_check_text(c, lang)
            g["deciding_checks"] = checks
            g["deciding"] = [c["text"] for c in checks]
        for q in section["quotas"]:
            q["text"] = quota_text(q, lang)
            q["set_in_text"] = quota_set_in(q, lang)
    for c in data.get("consistency", []):
        c["text"] = render(c["code"], lang, **c["params"])
    data["criteria"] = with_texts(data.get("criteria"), lang)
    for f in data["findings"]:
        for e, text in zip(f["entities"], finding_texts(f, lang), strict=True):
            e["text"] = text
    return data


def worksheet_json(data: dict[str, Any], lang: str) -> bytes:
    """The worksheet as JSON (`thidua.worksheet/3`), texts in `lang`."""
    return orjson.dumps(
        worksheet_texts(data, lang),
        option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS,
        default=str,
    )


__all__ = ["Worksheet", "fresh_worksheet", "worksheet", "worksheet_json", "worksheet_texts"]
