"""Audit of recorded runs: re-run a run from its snapshot, and compare two runs verdict by verdict."""

from __future__ import annotations

import base64
import dataclasses
import difflib
import hashlib
import json
import posixpath
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import numpy.typing as npt

from thidua.evaluator.audit.ledger import (
    BLOCK_SEPARATOR,
    ROLE_BLOCK,
    ROLE_FACTS,
    ROLE_PACK,
    ROLE_RULES,
    ROLE_USED,
    FileRecord,
    RunRecord,
    is_listed,
    stored_body,
)
from thidua.evaluator.audit.outcomes import OUTCOMES_FORMAT, Stored
from thidua.evaluator.engine.derive import Derivation
from thidua.evaluator.explain.tree import rule_block
from thidua.evaluator.facts.inputs import Inputs
from thidua.evaluator.facts.reader import FactBase, load_facts, no_facts
from thidua.evaluator.judgement import Evaluation, Judgement, Source
from thidua.evaluator.run import Run, compile_engines, judge
from thidua.rules.errors import Location, UserError, fail
from thidua.rules.loader import PACK_PREFIX, load_rules
from thidua.rules.ruleset import RuleSet


def _safe_relative(shown: str, fallback: str) -> PurePosixPath:
    """A path inside the snapshot folder for a recorded shown path (never outside it)."""
    p = PurePosixPath(shown)
    if p.is_absolute() or ".." in p.parts or not p.parts:
        return PurePosixPath("_outside") / fallback
    return p


@dataclass
class Replay:
    """A recorded run evaluated again from its own snapshot."""

    rules: RuleSet | None
    facts: FactBase | None  # as the targets saw them: titles derived by the criteria added
    evaluation: Evaluation | None
    derivation: Derivation | None = None
    problem: UserError | None = None  # the snapshot no longer loads with this version of thidua
    differing: list[str] = field(default_factory=list)  # targets whose re-run judgement differs
    engine_differs: bool = False
    names: dict[str, str] = field(default_factory=dict)  # stand-in file name -> recorded name

    @property
    def matches(self) -> bool:
        return self.evaluation is not None and not self.differing

    def judgement(self, target: str) -> Judgement | None:
        """The re-run judgement of `target`, its rule file named as recorded: when the replay matches,
        the recorded verdict with every entity of every reason (a `/2` body lists the first ones)."""
        if self.evaluation is None:
            return None
        for j in self.evaluation.judgements:
            if j.target == target:
                if j.source.file in self.names:
                    j = j.model_copy(update={"source": j.source.model_copy(update={"file": self.names[j.source.file]})})
                return j
        return None


def _evaluate_snapshot(
    files: Sequence[FileRecord], recorded_path: str
) -> tuple[RuleSet, FactBase, Evaluation, dict[str, str], Derivation]:
    """Write snapshot files into a temporary folder, load and evaluate them there (raises UserError).

    Files that lay outside the evaluated folder get a stand-in name there; the returned mapping
    (stand-in -> recorded name) lets callers rename every location back. A block member's run is
    replayed as the whole block it was judged in (its snapshot keeps every member's files)."""
    if any(f.role == ROLE_BLOCK for f in files):
        return _evaluate_block_snapshot(files, recorded_path)
    with tempfile.TemporaryDirectory(prefix="thidua-replay-") as tmp:
        # Deep enough that a file used as `use: ../../x.yaml` still lands inside the temporary folder.
        base = Path(tmp) / "run" / "d1" / "d2" / "d3"
        packs = Path(tmp) / "packs"
        base.mkdir(parents=True)
        packs.mkdir()
        recorded_base = _recorded_base(recorded_path)
        rule_paths: list[Path] = []
        fact_paths: list[Path] = []
        names: dict[str, str] = {}  # name in the replay folder -> recorded name
        for i, f in enumerate(files):
            text = f.text or ""
            if f.role == ROLE_PACK and f.path.startswith(PACK_PREFIX):
                target = packs / (f.path[len(PACK_PREFIX) :] + ".yaml")
            elif f.role == ROLE_USED:
                # Shown as the using file's folder joined with the `use:` name: place it at the same
                # spot relative to the evaluated folder, so the `use:` line finds it again.
                relative = (
                    PurePosixPath(posixpath.normpath(posixpath.relpath(f.path, recorded_base)))
                    if recorded_base is not None
                    else None
                )
                if relative is None or relative.is_absolute() or relative.parts.count("..") > 3:
                    relative = PurePosixPath("_outside") / f"{i}-{PurePosixPath(f.path).name}"
                target = base / relative
                names[(base / relative).as_posix()] = f.path
            else:
                relative = _safe_relative(f.path, f"{i}-{PurePosixPath(f.path).name}")
                names[relative.as_posix()] = f.path
                target = base / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if text.startswith(XLSX_SNAPSHOT):
                target.write_bytes(base64.b64decode(text[len(XLSX_SNAPSHOT) :]))
            else:
                target.write_text(text, encoding="utf-8")
            if f.role == ROLE_RULES:
                rule_paths.append(target)
            elif f.role == ROLE_FACTS:
                fact_paths.append(target)
        names = {k: v for k, v in names.items() if k != v}
        rules = load_rules(rule_paths, base, pack_dir=packs, use_root=Path(tmp))
        raw = load_facts(fact_paths, rules, base) if fact_paths else no_facts(rules)
        # As `evaluate` does (evaluator/run.py): derive titles by the criteria, then judge the targets.
        compile_engines(rules, raw)
        derivation, evaluation = judge(rules, raw)
        facts = derivation.facts if derivation.facts is not None else raw
    if names:
        raw.rename_files(names)  # locations and file texts under the recorded file names
        if facts is not raw:
            facts.rename_files(names)
        rules.files = {names.get(k, k): v for k, v in rules.files.items()}
    return rules, facts, evaluation, names, derivation


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if text.startswith(XLSX_SNAPSHOT):
        target.write_bytes(base64.b64decode(text[len(XLSX_SNAPSHOT) :]))
    else:
        target.write_text(text, encoding="utf-8")


def _evaluate_block_snapshot(
    files: Sequence[FileRecord], recorded_path: str
) -> tuple[RuleSet, FactBase, Evaluation, dict[str, str], Derivation]:
    """A block member's run evaluated again as the block ran: every member's files, the block file and
    the packs as recorded, the block scored, ranked and settled again, this member's part returned.

    Paths of a block run are shown from the block folder's parent, except the files this member
    reached by `use:`, shown from the working folder the block was run in: placed by the block's path
    as given ("BLOCK_PATH#KEY"), as a replay of `evaluate` places them."""
    from thidua.evaluator.audit.record import member_run  # the block's modules only for a block's run
    from thidua.evaluator.blocks.run import BlockRunner

    given, _, key = recorded_path.rpartition(BLOCK_SEPARATOR)
    folder = posixpath.dirname(given) if given.lower().endswith((".yaml", ".yml")) else given
    from_working = posixpath.dirname(folder.rstrip("/")) or "."  # the block folder's parent, as given
    block = next(f for f in files if f.role == ROLE_BLOCK)  # recorded first: the block file
    with tempfile.TemporaryDirectory(prefix="thidua-replay-") as tmp:
        base = Path(tmp) / "run" / "d1" / "d2" / "d3"  # members as far as ../../../ stay inside
        packs = Path(tmp) / "packs"
        packs.mkdir()
        placed: dict[str, str] = {}  # where a file was written -> its recorded name
        for i, f in enumerate(files):
            if f.path.startswith(PACK_PREFIX):
                _write(packs / (f.path[len(PACK_PREFIX) :] + ".yaml"), f.text or "")
                continue
            shown = posixpath.relpath(f.path, from_working) if f.role == ROLE_USED else f.path
            relative = PurePosixPath(posixpath.normpath(shown))
            if relative.is_absolute() or relative.parts.count("..") > 3:
                relative = PurePosixPath("_outside") / f"{i}-{relative.name}"
            target = base / relative
            _write(target, f.text or "")
            placed.setdefault(posixpath.normpath(target.as_posix()), f.path)
        ran = BlockRunner(base / posixpath.normpath(block.path), pack_dir=packs).run()
        member = next((m for m in ran.members if m.key == key), None)
        if member is None:
            names_of = ", ".join(m.key for m in ran.members)
            raise fail("block.unknown_member", Location(block.path), member=key, members=names_of)
        if member.error is not None:
            raise member.error
        again = member_run(member)
        assert again is not None and again.derivation is not None
        rules, raw, evaluation, derivation = again.rules, again.facts, again.evaluation, again.derivation
        facts = derivation.facts if derivation.facts is not None else raw
        names: dict[str, str] = {}
        for shown in [*rules.files, *raw.files]:
            at = posixpath.normpath(shown if posixpath.isabs(shown) else (base / shown).as_posix())
            if at in placed and placed[at] != shown:
                names[shown] = placed[at]
    if names:
        raw.rename_files(names)
        if facts is not raw:
            facts.rename_files(names)
        rules.files = {names.get(k, k): v for k, v in rules.files.items()}
    return rules, facts, evaluation, names, derivation


def replay(record: RunRecord) -> Replay:
    """Evaluate a recorded run again from its own snapshot and compare with the recorded judgements."""
    try:
        rules, facts, evaluation, names, derivation = _evaluate_snapshot(record.files, record.path)
    except UserError as exc:
        return Replay(None, None, None, problem=exc)
    recorded = {j["target"]: j for j in record.judgements}
    now = {j.target: _rename_judgement(_body_like(j, recorded.get(j.target)), names) for j in evaluation.judgements}
    differing = sorted(t for t in set(recorded) | set(now) if recorded.get(t) != now.get(t))
    return Replay(
        rules,
        facts,
        evaluation,
        derivation,
        differing=differing,
        engine_differs=evaluation.engine != record.engine,
        names=names,
    )


def _body_like(j: Judgement, recorded: dict[str, Any] | None) -> dict[str, Any]:
    """The body of a judgement evaluated again, in the form the run recorded it: `/2` against a
    `/2` body (read back as the ledger stores it, through JSON), every entity against a full body."""
    if recorded is not None and not is_listed(recorded):
        return j.to_dict()
    body: dict[str, Any] = json.loads(json.dumps(stored_body(j), ensure_ascii=False))
    return body


def crossed_results(rules_from: RunRecord, facts_from: RunRecord) -> dict[str, tuple[str, Any]] | None:
    """Target -> (status, measured) when one run's rule files meet another run's fact files (None when
    they do not load together): the counterfactual that tells a rule change from a fact change."""
    files = [f for f in rules_from.files if f.role != ROLE_FACTS] + [
        f for f in facts_from.files if f.role == ROLE_FACTS
    ]
    try:
        _, _, evaluation, _, _ = _evaluate_snapshot(files, rules_from.path)
    except UserError:
        return None
    return {j.target: (j.status, _measured(j.to_json())) for j in evaluation.judgements}


def _recorded_base(path: str) -> str | None:
    """The folder the recorded run's shown paths were relative to: PATH, or its folder for a file."""
    if not path:
        return None
    lowered = path.lower()
    if lowered.endswith((".yaml", ".yml", ".json")):
        return posixpath.dirname(path) or "."
    return path


def _rename_loc(loc: Location | None, names: dict[str, str]) -> Location | None:
    if loc is None or loc.file not in names:
        return loc
    return dataclasses.replace(loc, file=names[loc.file])


def _rename_judgement(data: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    if not names:
        return data
    data["source"]["file"] = names.get(data["source"]["file"], data["source"]["file"])
    for reason in data.get("reasons", []):
        for e in reason.get("entities", []):
            if e.get("file") in names:
                e["file"] = names[e["file"]]
    return data


def recorded_judgements(record: RunRecord) -> tuple[Judgement, ...]:
    return tuple(Judgement.model_validate(j) for j in record.judgements)


def run_files(run: Run) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """(rule texts, shown names of the given rule files, fact texts) of a run, for a snapshot."""
    from thidua.rules.source import display_path

    inputs: Inputs = run.inputs
    given = [display_path(p, inputs.base) for p in inputs.rules]
    facts = dict(run.facts.files)
    for path in inputs.facts:  # a workbook is kept whole, like every other file (docs/audit.md)
        shown = display_path(path, inputs.base)
        if facts.get(shown, "").startswith(XLSX_HASH):
            facts[shown] = workbook_snapshot(path, facts[shown])
    return dict(run.rules.files), given, facts


XLSX_HASH = "xlsx sha256:"  # how evaluator/facts/spreadsheet.py names a workbook among the fact texts
XLSX_SNAPSHOT = "xlsx base64:"


def workbook_snapshot(path: Path, hashed: str) -> str:
    """The workbook's bytes as ledger text; its hash-only name when the file changed since it was read."""
    try:
        data = path.read_bytes()
    except OSError:
        return hashed
    if XLSX_HASH + hashlib.sha256(data).hexdigest() != hashed:
        return hashed  # not the workbook this run evaluated: keep what was read, not a later file
    return XLSX_SNAPSHOT + base64.b64encode(data).decode("ascii")


# --- comparing two runs -------------------------------------------------------------------


@dataclass(frozen=True)
class FileChange:
    role: str  # rules | facts
    path: str
    change: str  # added | removed | changed
    lines: tuple[str, ...] = ()  # a short unified diff of the change


@dataclass(frozen=True)
class VerdictChange:
    target: str
    title: str
    before: str | None  # status, or None when the target did not exist
    after: str | None
    measured_before: Any = None
    measured_after: Any = None
    causes: tuple[str, ...] = ()  # rules, facts, engine
    tested: bool = False  # causes found by evaluating old rules with new facts and new rules with old facts
    rule_text_changed: bool = False
    entities: tuple[tuple[str, str, str, str], ...] = ()  # (id, name, group code before, after)


@dataclass(frozen=True)
class RunDiff:
    a: RunRecord
    b: RunRecord
    files: tuple[FileChange, ...]
    changes: tuple[VerdictChange, ...]
    unchanged: int
    engine_changed: bool


MAX_DIFF_LINES = 12


def _lines(text: str | None) -> list[str]:
    """A file's lines for a diff; a workbook has none a person could read (its changes show as verdicts)."""
    if text is None or text.startswith((XLSX_SNAPSHOT, XLSX_HASH)):
        return []
    return text.splitlines()


def _file_changes(a: RunRecord, b: RunRecord) -> list[FileChange]:
    out = []
    for roles, name in (((ROLE_RULES, "rules_used", ROLE_PACK), "rules"), ((ROLE_FACTS,), "facts")):
        fa = {f.path: f for f in a.files if f.role in roles}
        fb = {f.path: f for f in b.files if f.role in roles}
        for path in sorted(set(fa) | set(fb)):
            if path not in fb:
                out.append(FileChange(name, path, "removed"))
            elif path not in fa:
                out.append(FileChange(name, path, "added"))
            elif fa[path].sha256 != fb[path].sha256:
                diff = difflib.unified_diff(
                    _lines(fa[path].text),
                    _lines(fb[path].text),
                    fromfile=f"#{a.seq}/{path}",
                    tofile=f"#{b.seq}/{path}",
                    lineterm="",
                    n=0,
                )
                lines = [ln for ln in diff if not ln.startswith(("---", "+++"))]
                if len(lines) > MAX_DIFF_LINES:
                    lines = lines[:MAX_DIFF_LINES] + [f"… (+{len(lines) - MAX_DIFF_LINES})"]
                out.append(FileChange(name, path, "changed", tuple(lines)))
    return out


def _measured(j: dict[str, Any] | None) -> Any:
    if j is None:
        return None
    m = j.get("measured", {})
    return m.get("value") if m.get("value") is not None else [m.get("low"), m.get("high")]


def _entity_groups(j: dict[str, Any] | None, table: Reasons | None = None) -> dict[str, tuple[str, str]]:
    """`role:id` -> (name, group code) of every entity of a target: from the run's outcome table when
    it has one, else from the recorded body (every entity in a full body; the first ones in a `/2` body)."""
    out: dict[str, tuple[str, str]] = {}
    if j is None:
        return out
    if table is not None:
        for (role, kind), codes in table.columns(j).items():
            ids, names = table.stored.ids(kind), table.stored.text(f"names:{kind}")
            for r in np.flatnonzero(codes >= 0).tolist():
                out[f"{role}:{ids[r]}"] = (names[r], table.vocab[codes[r]])
        return out
    for r in j.get("reasons", []):
        for e in r.get("entities", []):
            if r["code"].startswith("entities."):
                key = f"{r.get('role') or ''}:{e['id']}"
                out[key] = (e.get("name", e["id"]), r["code"])
    return out


@dataclass
class Reasons:
    """Which group reason of each target every entity of a run fell in, read from the run's outcome
    table (evaluator/audit/outcomes.py: `reason:I` columns, one per target, reason role and kind):
    the full membership a `/2` body only counts."""

    stored: Stored
    vocab: list[str]  # group codes; a column's values index into it (-1: in none of the target's groups)
    by_target: dict[str, list[tuple[int, str, str]]]  # target -> (column, role, kind)

    @classmethod
    def of(cls, rec: RunRecord, parts: Mapping[str, tuple[str, bytes]] | None) -> Reasons | None:
        """The run's table, or None: no table (recorded by an older thidua), one that names another
        run, or one of a format whose columns this thidua does not read."""
        if not parts or "run_hash" not in parts or bytes(parts["run_hash"][1]).decode("ascii", "replace") != rec.hash:
            return None
        try:
            stored = Stored(rec.seq, parts.get)
            header = stored.header
            if not 1 <= int(header.get("format", 0)) <= OUTCOMES_FORMAT:
                return None
            targets = list(header["targets"])
            by_target: dict[str, list[tuple[int, str, str]]] = {}
            for i, (ti, role, kind) in enumerate(header["columns"]):
                by_target.setdefault(targets[ti], []).append((i, role or "", kind))
        except (KeyError, TypeError, ValueError, IndexError):
            return None
        return cls(stored, [], by_target)

    def columns(self, body: dict[str, Any]) -> dict[tuple[str, str], npt.NDArray[np.int32]]:
        """(role, kind) -> each row's group code (an index into `vocab`, -1: none) for one target."""
        codes = [r["code"] for r in body.get("reasons", [])]
        lut = np.full(len(codes) + 1, -1, dtype=np.int32)  # reason index + 1 -> code index (-1: none)
        for ri, code in enumerate(codes):
            if code.startswith("entities."):
                if code not in self.vocab:
                    self.vocab.append(code)
                lut[ri + 1] = self.vocab.index(code)
        out: dict[tuple[str, str], npt.NDArray[np.int32]] = {}
        for column, role, kind in self.by_target.get(body["target"], []):
            out[(role, kind)] = lut[self.stored.array(f"reason:{column}").astype(np.int64) + 1]
        return out


def _moved_between_tables(
    ta: Reasons, tb: Reasons, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[tuple[str, str, str, str]]:
    """(id, name, group before, group after) of every entity whose group changed, read from both
    runs' outcome tables with array operations: entities of the later run in its reasons' order, then
    those only the earlier run grouped. An entity in no group of a side shows "" there."""
    tb.vocab = ta.vocab  # one code vocabulary for both sides
    ca = ta.columns(before) if before is not None else {}
    cb = tb.columns(after) if after is not None else {}
    vocab = ta.vocab
    found: list[tuple[tuple[int, int, int, int], tuple[str, str, str, str]]] = []
    kinds = list(dict.fromkeys([k for _, k in cb] + [k for _, k in ca]))
    for role, kind in list(cb) + [k for k in ca if k not in cb]:
        ids_b = tb.stored.ids(kind) if (role, kind) in cb else []
        ids_a = ta.stored.ids(kind) if (role, kind) in ca else []
        codes_b = cb.get((role, kind))
        codes_a = ca.get((role, kind))
        if codes_b is None:
            codes_b = np.full(len(ids_b), -1, dtype=np.int32)
        if codes_a is None:
            codes_a = np.full(len(ids_a), -1, dtype=np.int32)
        if ids_a == ids_b:  # the same entities in the same order: compare row by row
            a_of_b = np.arange(len(ids_b))
        else:
            row_a = {eid: i for i, eid in enumerate(ids_a)}
            a_of_b = np.array([row_a.get(eid, -1) for eid in ids_b], dtype=np.int64)
        was = np.where(a_of_b >= 0, codes_a[np.maximum(a_of_b, 0)] if len(codes_a) else -1, -1)
        moved_b = np.flatnonzero(was != codes_b)
        names_b = tb.stored.text(f"names:{kind}") if len(moved_b) else []
        order = kinds.index(kind)
        for r in moved_b.tolist():
            before_code, after_code = int(was[r]), int(codes_b[r])
            key = (0, after_code if after_code >= 0 else len(vocab), order, r)
            found.append((key, (ids_b[r], names_b[r], _code(vocab, before_code), _code(vocab, after_code))))
        # entities the later run does not have (or not in this role and kind) that the earlier one grouped
        kept = np.zeros(len(ids_a), dtype=bool)
        kept[a_of_b[a_of_b >= 0]] = True
        gone = np.flatnonzero(~kept & (codes_a >= 0))
        names_a = ta.stored.text(f"names:{kind}") if len(gone) else []
        for r in gone.tolist():
            found.append(((1, int(codes_a[r]), order, r), (ids_a[r], names_a[r], _code(vocab, int(codes_a[r])), "")))
    found.sort(key=lambda f: f[0])
    return [m for _, m in found]


def _code(vocab: list[str], i: int) -> str:
    return vocab[i] if i >= 0 else ""


def diff_runs(
    a: RunRecord,
    b: RunRecord,
    outcomes_a: Mapping[str, tuple[str, bytes]] | None = None,
    outcomes_b: Mapping[str, tuple[str, bytes]] | None = None,
) -> RunDiff:
    """Which verdicts changed between two runs, and whether rule files, fact files or the engine did.

    Who moved between groups is read from the two runs' outcome tables (`outcomes_a`, `outcomes_b`:
    `Ledger.outcomes`); a run recorded without one (an older thidua) gives it from its full bodies."""
    files = _file_changes(a, b)
    rules_changed = any(f.role == "rules" for f in files)
    facts_changed = any(f.role == "facts" for f in files)
    engine_changed = a.engine != b.engine or a.tool_version != b.tool_version
    # When both rule and fact files changed, evaluate the crossed snapshots to see which change
    # alone reproduces each new result.
    old_rules_new_facts = new_rules_old_facts = None
    if rules_changed and facts_changed:
        old_rules_new_facts = crossed_results(a, b)
        new_rules_old_facts = crossed_results(b, a)
    ja = {j["target"]: j for j in a.judgements}
    jb = {j["target"]: j for j in b.judgements}
    table_a, table_b = Reasons.of(a, outcomes_a), Reasons.of(b, outcomes_b)
    ta, tb = a.file_texts(), b.file_texts()
    changes = []
    unchanged = 0
    order = list(jb) + [t for t in ja if t not in jb]
    for target in order:
        before, after = ja.get(target), jb.get(target)
        same_status = before is not None and after is not None and before["status"] == after["status"]
        if (
            same_status
            and _measured(before) == _measured(after)
            and (before or {}).get("margin") == (after or {}).get("margin")
        ):
            unchanged += 1
            continue
        text_a = rule_block(ta, Source(**before["source"])) if before else None
        text_b = rule_block(tb, Source(**after["source"])) if after else None
        rule_text_changed = (text_a.text if text_a else None) != (text_b.text if text_b else None)
        if table_a is not None and table_b is not None:
            moved = _moved_between_tables(table_a, table_b, before, after)
        else:
            moved = []
            groups_a, groups_b = _entity_groups(before, table_a), _entity_groups(after, table_b)
            for key in list(groups_b) + [k for k in groups_a if k not in groups_b]:
                ga, gb = groups_a.get(key), groups_b.get(key)
                if ga is None or gb is None or ga[1] != gb[1]:
                    name = (gb or ga or ("", ""))[0]
                    moved.append((key.split(":", 1)[1], name, ga[1] if ga else "", gb[1] if gb else ""))
        causes = []
        if rule_text_changed or rules_changed:
            causes.append("rules")
        if facts_changed:
            causes.append("facts")
        if not causes and engine_changed:
            causes.append("engine")
        tested = False
        if after is not None and old_rules_new_facts is not None and new_rules_old_facts is not None:
            result = (after["status"], _measured(after))
            by_facts = old_rules_new_facts.get(target) == result
            by_rules = new_rules_old_facts.get(target) == result
            if by_facts != by_rules:
                causes = ["facts"] if by_facts else ["rules"]
                tested = True
        changes.append(
            VerdictChange(
                target=target,
                title=(after or before or {}).get("title", target),
                before=before["status"] if before else None,
                after=after["status"] if after else None,
                measured_before=_measured(before),
                measured_after=_measured(after),
                causes=tuple(causes),
                tested=tested,
                rule_text_changed=rule_text_changed,
                entities=tuple(moved),
            )
        )
    return RunDiff(a, b, tuple(files), tuple(changes), unchanged, engine_changed)
