"""Recording a run in the ledger: one snapshot for `evaluate`, `report` and each member of a `block` run."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from thidua.evaluator.audit.freshness import fast_part
from thidua.evaluator.audit.ledger import (
    BLOCK_SEPARATOR,
    ROLE_BLOCK,
    ROLE_USED,
    FileRecord,
    Ledger,
    RunRecord,
    default_ledger_path,
    sha256_text,
    snapshot_files,
)
from thidua.evaluator.audit.outcomes import outcome_table
from thidua.evaluator.audit.rerun import run_files
from thidua.evaluator.blocks.run import BlockRun, Member
from thidua.evaluator.run import Run
from thidua.rules.source import display_path


def run_snapshot(run: Run) -> list[FileRecord]:
    """The files of a run as the ledger keeps them: given and used rule files, packs, and the fact
    files, a workbook whole (its bytes, not its hash)."""
    rule_texts, given, fact_texts = run_files(run)
    return snapshot_files(rule_texts, given, fact_texts)


def record_run(
    book: Ledger,
    run: Run,
    path_shown: str,
    context: Sequence[FileRecord] = (),
    snapshot: Sequence[FileRecord] | None = None,
) -> RunRecord:
    """Append a run: its snapshot (and `context`, files it was judged with besides its own), its
    verdicts, its outcome table and the fast digest of its fact files' content."""
    files = [*(snapshot if snapshot is not None else run_snapshot(run)), *context]
    parts = outcome_table(run.evaluation, run.derivation, run.facts, run.rules)
    # lets a question check the files' content by a fast hash (evaluator/audit/freshness.py)
    fast = fast_part(run.facts.files, run.evaluation.facts_digest)
    return book.record(run.evaluation, files, path_shown, [*parts, fast])


def member_run(m: Member) -> Run | None:
    """A member of a block run as the run `evaluate` would record: its inputs, rules, the facts as
    read, its final verdicts (those the block settled included) and the derivation; None for a
    member that could not be evaluated."""
    if m.inputs is None or m.rules is None or m.evaluation is None or m.derivation is None:
        return None
    raw = m.derivation.raw if m.derivation.raw is not None else m.facts
    if raw is None:
        return None
    return Run(m.inputs, m.rules, raw, m.evaluation, m.derivation)


def block_path(path: Path, key: str) -> str:
    """How a member's run names what was evaluated: the block as given, '#', the member's key."""
    return f"{path.as_posix()}{BLOCK_SEPARATOR}{key}"


def record_block(run: BlockRun, path: Path, ledger: Path | None) -> tuple[Path, list[int]]:
    """Each member's run in the block folder's ledger (where it went, and the runs' numbers).

    A member's run keeps its own files as `evaluate` does, and, as `block` context, the block file and
    every other member's files: its verdicts depend on the ranking of them all, so a replay runs the
    whole block again from this one run (evaluator/audit/rerun.py)."""
    where = default_ledger_path(ledger, run.path.parent)  # the block folder's ledger holds its runs
    base = run.path.parent.parent  # the block folder's parent: the run shows its files from there
    runs = [(m, r) for m in (run.member(k) for k in run.order) if (r := member_run(m)) is not None]
    snapshots = {m.key: run_snapshot(r) for m, r in runs}
    block_file = FileRecord(ROLE_BLOCK, run.shown, sha256_text(run.text), run.text)
    seqs = []
    with Ledger.open(where, create=True) as book:
        for m, r in runs:
            own = {f.path for f in snapshots[m.key]}
            others: dict[str, FileRecord] = {}
            for key, files in snapshots.items():
                for f in files:
                    # a file another member reached by `use:` is shown from the working folder: kept
                    # here as the other files are, from the block folder's parent
                    shown = display_path(Path(f.path), base) if f.role == ROLE_USED else f.path
                    if key != m.key and f.path not in own and shown not in others:
                        others[shown] = FileRecord(ROLE_BLOCK, shown, f.sha256, f.text)
            context = [block_file, *others.values()]
            rec = record_run(book, r, block_path(path, m.key), context, snapshots[m.key])
            seqs.append(rec.seq)
    return where, seqs
