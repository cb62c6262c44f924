"""One block run: evaluate every member, score, rank, propose, then settle targets that awaited the block."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from thidua.evaluator.blocks.rank import Place, Proposal, Range, propose, sort_key
from thidua.evaluator.blocks.score import (
    ITEM_PREFIX,
    MemberScore,
    compile_items,
    condition_outcome,
    score_member,
)
from thidua.evaluator.engine.derive import Derivation, derive
from thidua.evaluator.engine.targets import evaluate
from thidua.evaluator.facts.inputs import Inputs, discover
from thidua.evaluator.facts.reader import Entity, FactBase, Holding, load_facts, no_facts
from thidua.evaluator.judgement import Evaluation, Judgement, Reason
from thidua.rules.errors import Location, Problems, UserError, fail
from thidua.rules.loader import load_rules
from thidua.rules.ruleset import PAll, PAny, PNot, Pred, PTitle, ResolvedMeasure, RuleSet
from thidua.rules.scoring import BLOCK_FILE, BlockFile, load_block_file, member_folders
from thidua.rules.source import display_path


@dataclass
class Member:
    """One member agency of the block: its inputs, verdicts, score and conditions, or why it failed."""

    key: str  # the member folder as the block file names it (or as found)
    folder: Path
    name: str = ""
    inputs: Inputs | None = None
    rules: RuleSet | None = None
    facts: FactBase | None = None
    evaluation: Evaluation | None = None  # the member's own targets, after the block settled what awaited it
    derivation: Derivation | None = None  # titles derived by the criteria (its `raw` holds the facts as read)
    items: dict[str, Judgement] = field(default_factory=dict)  # the block's measures over its facts
    score: MemberScore | None = None
    conditions: dict[str, tuple[bool | None, dict[str, Any]]] = field(default_factory=dict)
    settled: tuple[str, ...] = ()  # targets re-decided from the block's outcome
    error: UserError | None = None


@dataclass
class BlockRun:
    path: Path
    shown: str
    model: BlockFile
    text: str
    members: list[Member]
    order: list[str] = field(default_factory=list)  # member keys, best first (errors last)
    places: dict[str, Place] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)
    run_id: str = ""

    def member(self, key: str) -> Member:
        return next(m for m in self.members if m.key == key)

    def find(self, wanted: str) -> Member | None:
        """A member by folder key, folder name or agency name (case and spacing ignored)."""
        w = _normal(wanted)
        for m in self.members:
            if w in (_normal(m.key), _normal(m.folder.name), _normal(m.name), _normal(m.key.rstrip("/"))):
                return m
        return None


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def block_file(path: Path) -> Path:
    """The block file of PATH: the folder's block.rules.yaml, or the file itself."""
    if not path.exists():
        raise fail("file.missing", Location(path.as_posix()), path=path.as_posix())
    candidate = path / BLOCK_FILE if path.is_dir() else path
    if not candidate.is_file():
        raise fail("block.no_file", Location(path.as_posix()), path=path.as_posix(), file=BLOCK_FILE)
    return candidate


def members_of(model: BlockFile, folder: Path) -> list[Member]:
    """The block's members (rules/scoring.py member_folders: resolved, none twice); a listed folder
    that does not exist is that member's problem, at its own line, and the others go on."""
    out = []
    for listed in member_folders(model, folder):
        member = Member(listed.key, listed.folder)
        if not member.folder.is_dir():
            where = listed.location
            member.error = fail("block.member_missing", where, member=listed.key, path=member.folder.as_posix())
        out.append(member)
    return out


def _title_any(pred: Pred, titles: set[str]) -> Pred:
    """The condition with `has_title` on the given titles counting a proposal (the block's proposal)."""
    if isinstance(pred, PTitle):
        return replace(pred, state="any") if pred.title in titles and pred.state == "decided" else pred
    if isinstance(pred, PNot):
        return PNot(_title_any(pred.item, titles))
    if isinstance(pred, (PAll, PAny)):
        return type(pred)(tuple(_title_any(p, titles) for p in pred.items))
    return pred


def _measure_any(m: ResolvedMeasure, titles: set[str]) -> ResolvedMeasure:
    return replace(
        m,
        where=_title_any(m.where, titles) if m.where is not None else None,
        matching=_title_any(m.matching, titles) if m.matching is not None else None,
        parts=tuple(_measure_any(p, titles) for p in m.parts),
    )


def awaits(j: Judgement, block_name: str) -> bool:
    """Whether a verdict is pending on this block: a check awaiting it by name."""
    name = _normal(block_name)
    return j.status == "pending" and any(c.by and _normal(c.by) == name for r in j.reasons for c in r.checks)


class BlockRunner:
    """Loads the block file and its members, then scores, ranks and proposes."""

    def __init__(self, path: Path, pack_dir: Path | None = None) -> None:
        self.pack_dir = pack_dir  # packs recorded with a run, for a replay (evaluator/audit/rerun.py)
        self.file = block_file(path)
        self.folder = self.file.parent
        self.base = self.folder.parent
        self.shown = display_path(self.file, self.base)
        self.model = load_block_file(self.file, self.shown)
        self.text = self.file.read_text(encoding="utf-8-sig")

    def run(self) -> BlockRun:
        members = members_of(self.model, self.folder)
        for m in members:
            if m.error is None:
                self.evaluate(m)
        result = BlockRun(self.file, self.shown, self.model, self.text, members)
        ok = [m for m in members if m.score is not None]
        keys: dict[str, list[Range]] = {m.key: sort_key(self.model, m.score) for m in ok if m.score is not None}
        conds = {m.key: {c: v for c, (v, _p) in m.conditions.items()} for m in ok}
        order, places, proposals = propose(self.model, keys, conds)
        result.order = order + [m.key for m in members if m.score is None]
        result.places = places
        result.proposals = {k: self._named(p, ok) for k, p in proposals.items()}
        # The run's id names what was read (the block file, each member's key and its files' texts),
        # not where from: a replay of the run in another folder gives the same id (evaluator/audit/rerun.py).
        digest = hashlib.sha256(self.text.encode())
        for m in ok:
            assert m.rules is not None and m.facts is not None
            texts = sorted(
                hashlib.sha256(t.encode()).hexdigest() for t in [*m.rules.files.values(), *m.facts.files.values()]
            )
            digest.update("\n".join([m.key, *texts, ""]).encode())
        result.run_id = digest.hexdigest()[:12]
        for m in ok:
            self.settle(result, m)
        return result

    def _named(self, p: Proposal, ok: list[Member]) -> Proposal:
        """Reasons speak of agencies, titles, conditions and items by name, as the block's minutes do."""
        names = {m.key: m.name for m in ok}
        titles = {t.id: t.title for t in (self.model.proposals.titles if self.model.proposals else [])}
        conds = {c.id: c.title for c in (self.model.proposals.conditions if self.model.proposals else [])}
        reasons = []
        for code, params in p.reasons:
            q = dict(params)
            if "rivals" in q:
                rivals = q["rivals"]
                q["rivals"] = [names[r] for r in rivals]
                pending = [
                    f"{m.name}: {i.title}"
                    for m in ok
                    if m.key in rivals or m.key == p.member
                    for i in (m.score.pending if m.score else [])
                ]
                q["items"] = pending
            for k in ("best", "worst", "title"):
                if k in q:
                    q[k] = titles.get(q[k]) if q[k] else None
            if "conditions" in q:
                q["conditions"] = [conds.get(c, c) for c in q["conditions"]]
            reasons.append((code, q))
        return replace(p, reasons=tuple(reasons))

    def evaluate(self, m: Member) -> None:
        """The member's own targets and the block's measures, in one evaluation of its facts."""
        try:
            inputs = discover(m.folder)
            inputs = Inputs(self.base, inputs.rules, inputs.facts)
            rules = load_rules(inputs.rules, self.base, pack_dir=self.pack_dir)
            facts = load_facts(inputs.facts, rules, self.base) if inputs.facts else no_facts(rules)
            problems = Problems()
            extra = compile_items(self.model, rules, problems)
            if problems.items:
                raise UserError([replace(p, params={**p.params}) for p in problems.items])
        except UserError as exc:
            m.error = exc
            return
        derivation = derive(rules, facts)
        derived = derivation.facts
        assert derived is not None
        combined = replace(
            rules,
            targets=[*rules.targets, *extra],
            digest=hashlib.sha256((rules.digest + self.text).encode()).hexdigest(),
        )
        ev = evaluate(combined, derived)
        own = tuple(j for j in ev.judgements if not j.target.startswith(ITEM_PREFIX))
        m.inputs, m.rules, m.facts, m.derivation = inputs, rules, derived, derivation
        m.evaluation = ev.model_copy(update={"judgements": own, "rules_digest": rules.digest})
        m.items = {j.target: j for j in ev.judgements if j.target.startswith(ITEM_PREFIX)}
        organizations = derived.of("organization")
        m.name = organizations[0].name if len(organizations) == 1 else m.folder.name
        by_id = {j.target: j for j in own}
        resolved = {t.id: t for t in combined.targets}
        m.score = score_member(self.model, {**by_id, **m.items}, resolved)
        if self.model.proposals is not None:
            for cond in self.model.proposals.conditions:
                m.conditions[cond.id] = condition_outcome(cond, m.score, m.items, list(own))

    def settle(self, result: BlockRun, m: Member) -> None:
        """Targets of the member that await this block read its outcome, as a proposal the province decides."""
        assert m.evaluation is not None and m.rules is not None and m.facts is not None
        name = self.model.block.name
        waiting = [j for j in m.evaluation.judgements if awaits(j, name)]
        if not waiting:
            return
        outcome = result.proposals[m.key]
        place = result.places[m.key]
        titles = {t.id: t for t in (self.model.proposals.titles if self.model.proposals else [])}
        proposed = titles.get(outcome.title) if outcome.status == "proposed" and outcome.title else None
        params: dict[str, Any] = {
            "block": name,
            "run": result.run_id,
            "rank": place.best,
            "members": len(result.places),
            "status": outcome.status,
            "title": proposed.title if proposed else None,
            "decided_by": proposed.decided_by if proposed else None,
        }
        code = f"note.block_{outcome.status}"
        awaited = {
            h.title
            for items in m.facts.entities.values()
            for e in items
            for h in e.holdings.values()
            if h.awaiting and _normal(h.awaiting) == _normal(name)
        }
        if proposed is not None and proposed.award not in awaited:
            code = "note.block_other_title"  # proposed for another title than the one the target awaits
            params["awaited"] = ", ".join(sorted(m.rules.titles[t].title for t in awaited if t in m.rules.titles))
        note = Reason(code=code, params=params)
        if outcome.status == "pending":
            settled = {j.target: j.model_copy(update={"reasons": (*j.reasons, note)}) for j in waiting}
        else:
            facts, titles_awaited = self._facts_after(m.facts, name, proposed.award if proposed else None, params)
            rules = replace(
                m.rules,
                targets=[  # only the targets that awaited the block are judged again
                    replace(t, measure=_measure_any(t.measure, titles_awaited))
                    for t in m.rules.targets
                    if t.id in {j.target for j in waiting}
                ],
            )
            again = {j.target: j for j in evaluate(rules, facts).judgements}
            settled = {
                j.target: again[j.target].model_copy(update={"reasons": (*again[j.target].reasons, note)})
                for j in waiting
            }
        m.evaluation = m.evaluation.model_copy(
            update={"judgements": tuple(settled.get(j.target, j) for j in m.evaluation.judgements)}
        )
        m.settled = tuple(settled)

    @staticmethod
    def _facts_after(
        facts: FactBase, block_name: str, award: str | None, params: dict[str, Any]
    ) -> tuple[FactBase, set[str]]:
        """The facts with each holding that awaited the block replaced by its outcome: proposed to the
        deciding body when the block proposes that title, refused (not proposed by the block) otherwise."""
        name = _normal(block_name)
        titles: set[str] = set()
        entities: dict[str, list[Entity]] = {}
        for kind, items in facts.entities.items():
            out = []
            for e in items:
                waiting = [h for h in e.holdings.values() if h.awaiting and _normal(h.awaiting) == name]
                if waiting:
                    holdings = dict(e.holdings)
                    for h in waiting:
                        titles.add(h.title)
                        if h.title == award:
                            holdings[h.title] = Holding(
                                h.title, "proposed", awaiting=params["decided_by"], note=block_name, loc=h.loc
                            )
                        else:
                            holdings[h.title] = Holding(h.title, "refused", note=block_name, loc=h.loc)
                    e = replace(e, holdings=holdings)
                out.append(e)
            entities[kind] = out
        return facts.with_entities(entities), titles


def run_block(path: Path) -> BlockRun:
    """Run the block at PATH (a folder holding block.rules.yaml, or the file); raises UserError on a bad file."""
    return BlockRunner(path).run()
