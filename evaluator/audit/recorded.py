"""Answers `explain --entity` and `candidates` from a recorded run's outcome table instead of evaluating again."""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from thidua.evaluator.audit.freshness import FAST_PART, current_digest
from thidua.evaluator.audit.ledger import Ledger, default_ledger_path
from thidua.evaluator.audit.outcomes import OUTCOME_OF, OUTCOMES_FORMAT, Stored, make_check, make_holding
from thidua.evaluator.engine.conditions import Check
from thidua.evaluator.engine.derive import NO_ROWS, Decision, Derivation, QuotaResult
from thidua.evaluator.explain.derivation import DerivationExplainer
from thidua.evaluator.explain.tree import Explanation, explain
from thidua.evaluator.facts.inputs import Inputs, discover
from thidua.evaluator.facts.reader import Entity, FactBase, load_facts
from thidua.evaluator.facts.single import read_entity
from thidua.evaluator.judgement import EntityRef, Evaluation, Judgement, Members
from thidua.rules.errors import UserError
from thidua.rules.loader import load_rules
from thidua.rules.periods import parse_period
from thidua.rules.ruleset import RuleSet
from thidua.rules.source import display_path, read_input_text


class CountedRefs(tuple[EntityRef, ...]):
    """The entities of a reason that a question is about (one person, or none), with `len()` the
    size of the whole group as the run recorded it: the counts an explanation shows stay the run's."""

    total: int

    def __new__(cls, refs: Sequence[EntityRef], total: int) -> CountedRefs:
        out = super().__new__(cls, refs)
        out.total = total
        return out

    def __len__(self) -> int:
        return self.total


@dataclass
class Recorded:
    """A run in the ledger made on exactly the current rule and fact files, with its outcome table
    (its parts read one by one, as a question needs them, from the open ledger)."""

    seq: int
    inputs: Inputs
    rules: RuleSet
    stored: Stored
    facts_digest: str

    def fact_text(self, shown: str) -> dict[str, str] | None:
        """The text of the one fact file shown as `shown` (the file a row was read from), as the
        fact reader reads it; None for a workbook or a file not of the run."""
        if not shown.lower().endswith((".yaml", ".yml", ".json")):
            return None  # a workbook: the caller reads the facts whole
        for path in self.inputs.facts:
            if display_path(path, self.inputs.base) == shown:
                return {shown: read_input_text(path, shown)}
        return None


def find_recorded(path: Path, rule_files: Sequence[Path] = (), fact_files: Sequence[Path] = ()) -> Recorded | None:
    """The latest recorded run on these very files (same rules and facts digests) that stored its
    outcome table; None when there is none, and on any doubt (a bad file, a foreign or damaged
    ledger): the caller then evaluates, which also reports the problem. The fact files are read and
    their content compared with the latest run on these rules by a fast hash kept with it, else
    hashed as the runs hashed them (evaluator/audit/freshness.py): never their sizes and times."""
    try:
        inputs = discover(path, rule_files, fact_files)
        rules = load_rules(inputs.rules, inputs.base)
    except UserError:
        return None
    where = default_ledger_path(None, inputs.base)
    if not where.is_file():
        return None
    try:
        book = Ledger.open(where)
    except UserError:
        return None
    try:
        latest = book.latest_outcomes(rules.digest)
        kept = book.outcome_part(latest[0], FAST_PART) if latest is not None else None
        digest = current_digest(inputs, kept)
        found = book.recorded_run(rules.digest, digest)
        if found is None:
            book.close()
            return None
        seq = found[0]
        stored = Stored(seq, lambda name: book.outcome_part(seq, name))
    except (UserError, KeyError, ValueError, zlib.error):
        book.close()
        return None
    if stored.header.get("format") != OUTCOMES_FORMAT:
        book.close()
        return None
    return Recorded(seq, inputs, rules, stored, digest)


# --- judgements as the run recorded them -----------------------------------------------------


def _judgements(
    rec: Recorded,
    kind: str | None = None,
    row: int = -1,
    ref: EntityRef | None = None,
    target: str | None = None,
) -> list[Judgement]:
    """The run's judgements (only `target`'s when given) with each group reason naming only the
    entity at (`kind`, `row`) when it fell there (none when `kind` is None), and counting every
    entity the run put in it. A note names every entity it recorded, or with `ref` only that one
    (it still counts them all)."""
    header = rec.stored.header
    column = {(c[0], c[1], c[2]): i for i, c in enumerate(header["columns"])}
    out = []
    for ti, name in enumerate(header["targets"]):
        if target is not None and name != target:
            continue
        data = dict(rec.stored.json(f"judgement:{ti}"))
        counts = data.pop("counts")
        data["reasons"] = [
            _stored_note(rec, r, kind, row, ref) if counts[ri] < 0 and "rows_part" in r else r
            for ri, r in enumerate(data["reasons"])
        ]
        if ref is not None:  # a question about one entity: a note names only it, and counts the others
            data["reasons"] = [
                _only(r, ref.id) if counts[ri] < 0 and "members" not in r else r for ri, r in enumerate(data["reasons"])
            ]
        j = Judgement.model_validate(data)
        reasons = []
        for ri, r in enumerate(j.reasons):
            if counts[ri] < 0:
                reasons.append(r)
                continue
            ci = column.get((ti, r.role, kind)) if kind is not None else None
            hit = ci is not None and ref is not None and int(rec.stored.array(f"reason:{ci}")[row]) == ri
            refs = CountedRefs((ref,) if hit and ref else (), counts[ri])
            reasons.append(r.model_copy(update={"members": Members(refs)}))
        out.append(j.model_copy(update={"reasons": tuple(reasons)}))
    return out


def _stored_note(
    rec: Recorded, reason: dict[str, Any], kind: str | None, row: int, ref: EntityRef | None
) -> dict[str, Any]:
    """A note whose rows the run stored as a column: with `ref`, naming only that entity when it is
    among them (and counting them all); without, every entity, as `light_judgement` read them."""
    out = dict(reason)
    part, noted = out.pop("rows_part"), out.pop("rows_kind")
    rows = rec.stored.array(part)
    if ref is not None:
        mine = (ref,) if noted == kind and bool((rows == row).any()) else ()
        out["members"] = Members(CountedRefs(mine, len(rows)))
    else:
        out["entities"] = rec.stored.entity_dicts(noted, rows)
    return out


def _only(reason: dict[str, Any], entity_id: str) -> dict[str, Any]:
    """A stored note with only `entity_id` among its entities (validated), counting them all: a note
    on the titles derived for a province names a hundred thousand people."""
    out = dict(reason)
    listed = out.pop("entities", [])
    mine = tuple(EntityRef.model_validate(e) for e in listed if e.get("id") == entity_id)
    out["members"] = Members(CountedRefs(mine, len(listed)))
    return out


# --- the derivation, for the rows asked about ------------------------------------------------


class _StoredExplainer(DerivationExplainer):
    """The derivation explainer over decisions rebuilt from the outcome table."""

    def __init__(
        self,
        rules: RuleSet,
        derivation: Derivation,
        index: dict[str, Entity],
        limit: int | None,
        stored: Stored,
        rows: dict[int, dict[str, Any]],
        applies: dict[int, list[QuotaResult]],
    ) -> None:
        super().__init__(rules, derivation, index, limit)
        self.stored = stored
        self.rows = rows
        self.applies = applies

    def quota_row(self, q: QuotaResult) -> dict[str, Any]:
        """The quota row the run stored (holders are not counted again), its candidates named only
        as far as the tree shows them, as `DerivationExplainer.quota_row` cuts a fresh one."""
        entry = self.rows[id(q)]
        row = dict(entry["row"])
        row["candidates"], total = self.stored.quota_candidates(entry, self.limit)
        if self.limit is not None and total > self.limit:
            row["candidates_hidden"] = total - self.limit
        return row

    def quotas_for(self, d: Decision) -> list[QuotaResult]:
        return self.applies.get(id(d), [])


@dataclass
class _Rebuilt:
    derivation: Derivation
    quota_rows: dict[int, dict[str, Any]]  # id(QuotaResult) -> its stored entry (row, candidates)
    applies: dict[int, list[QuotaResult]]


def _rebuild(rec: Recorded, wanted: dict[int, np.ndarray[Any, Any]], entity: Any) -> _Rebuilt:
    """A Derivation holding the decisions at the stored positions `wanted` (criterion -> positions),
    in the run's decision order. `entity(kind, row)` gives the Entity a decision is about."""
    header = rec.stored.header
    crit = {c.id: c for c in rec.rules.criteria.criteria}
    spec = {q.spec.id: q for q in rec.rules.criteria.quotas}
    quotas = []
    quota_rows: dict[int, dict[str, Any]] = {}
    for q in rec.stored.json("quotas") if header["quotas"] else []:
        row = q["row"]
        result = QuotaResult(
            spec[q["quota"]],
            q["group"],
            row["base"],
            row["base_unknown"],
            row["cap"],
            NO_ROWS,
            row["status"],
            row["cap_low"],
            row["cap_high"],
        )
        quota_rows[id(result)] = q
        quotas.append(result)
    order = rec.stored.array("decisions")
    picked: list[tuple[int, Decision]] = []
    applies: dict[int, list[QuotaResult]] = {}
    for ci, positions in wanted.items():
        if not len(positions):
            continue
        c = header["criteria"][ci]
        rows = rec.stored.array(f"criterion:{ci}:rows")
        groups = rec.stored.array(f"criterion:{ci}:group")
        members = {m: rec.stored.array(f"criterion:{ci}:counts:{m}").reshape(-1, 3) for m in c["members"]}
        at = np.flatnonzero(order == ci)  # where this criterion's decisions sit in the run's order
        checks: dict[int, list[Check]] = {}  # one list per group, shared by its decisions as in a run
        for p in positions.tolist():
            gi = int(groups[p])
            g = c["groups"][gi]
            e = entity(c["kind"], int(rows[p]))
            if gi not in checks:
                checks[gi] = [make_check(x) for x in g["checks"]]
            d = Decision(
                crit[c["criterion"]],
                e,
                OUTCOME_OF[g["derived"]],
                checks[gi],
                dict(g["shown"]),
                e.holdings.get(c["title"])
                if g["recorded"] is not None and c["title"] in e.holdings
                else make_holding(c["title"], g["recorded"]),
                finding=g["finding"],
                counts={m: (int(v[p][0]), int(v[p][1]), int(v[p][2])) for m, v in members.items() if v[p][0] >= 0},
            )
            applies[id(d)] = [quotas[i] for i in g["quotas"]]
            picked.append((int(at[p]), d))
    picked.sort(key=lambda x: x[0])
    derivation = Derivation(
        parse_period(header["period"]),
        [crit[c["criterion"]] for c in header["criteria"]],
        quotas=quotas,
        listed=[d for _, d in picked],
    )
    return _Rebuilt(derivation, quota_rows, applies)


# --- explain --entity ------------------------------------------------------------------------


def explain_recorded(rec: Recorded, target: str, entity_id: str, limit: int | None) -> Explanation | None:
    """`explain TARGET --entity ID` from the run's outcome table and the entity's own block of the
    fact file; None when the run cannot answer it alone (the caller evaluates, once)."""
    stored = rec.stored
    found = stored.find(entity_id)
    if found is None:
        return None  # the evaluation says which ids exist, with its suggestion
    kind, row = found
    if target not in rec.stored.header["targets"]:
        return None  # the evaluation names the targets, with the closest one
    loc = stored.location(kind, [row])[0]
    text = rec.fact_text(loc.file) if loc is not None else None  # only the file the row was read from
    raw = read_entity(rec.rules, text, kind, entity_id) if text is not None else None
    if raw is None:  # a spreadsheet, or a layout the block search does not follow: read the facts
        facts = load_facts(rec.inputs.facts, rec.rules, rec.inputs.base)
        raw = next((e for e in facts.of(kind) if e.id == entity_id), None)
        if raw is None:
            return None
    # Its name as read from its block (the reader's, as the run's): the stored names stay packed.
    ref = EntityRef.trusted(entity_id, raw.name, kind, loc.file if loc else None, loc.line if loc else 0)
    j = _judgements(rec, kind, row, ref, target)[0]
    if not any(e.id == entity_id for r in j.reasons for e in r.entities):
        return None
    header = stored.header
    wanted = {}
    for ci, c in enumerate(header["criteria"]):
        if c["kind"] == kind:
            wanted[ci] = np.flatnonzero(stored.array(f"criterion:{ci}:rows") == row)
    rebuilt = _rebuild(rec, wanted, lambda _k, _r: raw)
    seen = dataclasses.replace(raw, holdings=dict(raw.holdings))
    for ci, positions in wanted.items():
        c = header["criteria"][ci]
        for p in positions:
            g = c["groups"][int(stored.array(f"criterion:{ci}:group")[int(p)])]
            held = make_holding(c["title"], g["holding"])
            if held is not None:
                seen.holdings[c["title"]] = held
    facts = FactBase(parse_period(header["period"]), {kind: [seen]})
    any_decision = bool(len(stored.array("decisions")))
    titles = (
        _StoredExplainer(
            rec.rules, rebuilt.derivation, {entity_id: seen}, limit, stored, rebuilt.quota_rows, rebuilt.applies
        )
        if any_decision
        else None
    )
    return explain(
        j,
        rec.rules.files,
        facts,
        rec.rules,
        entity=entity_id,
        limit=limit,
        derivation=rebuilt.derivation,
        titles=titles,
    )


def evaluation_recorded(rec: Recorded) -> Evaluation:
    """The run's evaluation as stored: judgements whose group reasons count their entities."""
    return Evaluation.model_construct(
        period=parse_period(rec.stored.header["period"]),
        judgements=tuple(_judgements(rec)),
        rules_digest=rec.rules.digest,
        facts_digest=rec.facts_digest,
        engine="",
    )


__all__ = ["Recorded", "evaluation_recorded", "explain_recorded", "find_recorded"]
