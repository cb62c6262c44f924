"""Answers from the ledger: when the fact files' sizes and times let a question skip hashing them,
when they do not, how one entity's row is found in the stored ids, and one evaluation at most."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.e2e.process import run_thidua
from thidua.cli.main import cli
from thidua.cli.recording import record_run
from thidua.evaluator.audit import freshness
from thidua.evaluator.audit.outcomes import OUTCOMES_FORMAT, SEP, Stored
from thidua.evaluator.audit.recorded import explain_recorded, find_recorded
from thidua.evaluator.explain.tree import DEFAULT_LIMIT
from thidua.evaluator.run import run_path

TARGET = "staff.emulation_soldiers"


def _age(folder: Path, seconds: int = 60) -> None:
    """Every file of `folder` written `seconds` ago (a roster edited earlier, not this instant)."""
    then = time.time_ns() - seconds * 1_000_000_000
    for p in folder.iterdir():
        if p.is_file():
            os.utime(p, ns=(then, then))


def _record(folder: Path, ledger: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("THIDUA_LEDGER", str(ledger))
    run = run_path(folder)
    record_run(run, folder, None, "vi")
    return run.evaluation.facts_digest


class Reads:
    """Counts how often the fact files are read and hashed to answer a question."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = freshness.fact_bytes

        def counted(inputs: Any) -> dict[str, bytes]:
            self.count += 1
            return real(inputs)

        monkeypatch.setattr(freshness, "fact_bytes", counted)


def test_unchanged_facts_are_answered_without_reading_them(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _age(example_copy)
    digest = _record(example_copy, tmp_path / "ledger.sqlite", monkeypatch)
    reads = Reads(monkeypatch)
    rec = find_recorded(example_copy)
    assert rec is not None and rec.facts_digest == digest
    assert reads.count == 0
    assert explain_recorded(rec, TARGET, "p01", DEFAULT_LIMIT) is not None


def _grow(p: Path) -> None:
    p.write_text(p.read_text(encoding="utf-8") + "\n# thêm một dòng\n", encoding="utf-8")


def _same_size(p: Path) -> None:
    text = p.read_text(encoding="utf-8")
    assert "Nguyễn" in text
    p.write_text(text.replace("Nguyễn", "Nguyến", 1), encoding="utf-8")  # one letter: the same size


CHANGES = {
    "grown": _grow,  # size and time differ
    "same size, new time": _same_size,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_changed_fact_file_is_not_answered_from_a_stale_run(
    change: str, example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _age(example_copy)
    _record(example_copy, tmp_path / "ledger.sqlite", monkeypatch)
    facts = example_copy / "roster.facts.yaml"
    size = facts.stat().st_size
    CHANGES[change](facts)
    assert (facts.stat().st_size == size) == (change == "same size, new time")
    reads = Reads(monkeypatch)
    assert find_recorded(example_copy) is None
    assert reads.count == 1  # the stats differ: the files are hashed, and the digest is another


def test_a_touched_but_identical_file_is_still_answered_by_its_hash(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _age(example_copy, 120)
    digest = _record(example_copy, tmp_path / "ledger.sqlite", monkeypatch)
    _age(example_copy, 30)  # touched (saved again, unchanged): only its time moved
    reads = Reads(monkeypatch)
    rec = find_recorded(example_copy)
    assert rec is not None and rec.facts_digest == digest
    assert reads.count == 1


def test_a_file_modified_just_before_recording_is_always_hashed(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within the file system's time tick of the stats, a later edit of the same size could keep the
    same time: such a file is never trusted by its stats (docs/audit.md)."""
    _grow(example_copy / "roster.facts.yaml")  # written now
    digest = _record(example_copy, tmp_path / "ledger.sqlite", monkeypatch)
    reads = Reads(monkeypatch)
    rec = find_recorded(example_copy)
    assert rec is not None and rec.facts_digest == digest
    assert reads.count == 1


def _drop_stats(ledger: Path) -> None:  # as a run recorded by an older thidua
    with sqlite3.connect(ledger) as conn:
        assert conn.execute("DELETE FROM run_outcomes WHERE name = ?", (freshness.STATS_PART,)).rowcount == 1


def _damage_stats(ledger: Path) -> None:
    with sqlite3.connect(ledger) as conn:
        conn.execute("UPDATE run_outcomes SET data = X'0001' WHERE name = ?", (freshness.STATS_PART,))


@pytest.mark.parametrize("spoil", [_drop_stats, _damage_stats], ids=["no stats part", "damaged stats part"])
def test_a_run_without_usable_stats_is_answered_by_hashing(
    spoil: Any, example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run recorded by an older thidua has no stats part, a damaged one is not trusted: the outcome
    table still answers, the files hashed."""
    _age(example_copy)
    ledger = tmp_path / "ledger.sqlite"
    _record(example_copy, ledger, monkeypatch)
    spoil(ledger)
    reads = Reads(monkeypatch)
    assert find_recorded(example_copy) is not None
    assert reads.count == 1


def _set_format(ledger: Path, fmt: int) -> None:
    with sqlite3.connect(ledger) as conn:
        data = conn.execute("SELECT data FROM run_outcomes WHERE name = 'header'").fetchone()[0]
        header = json.loads(zlib.decompress(data))
        header["format"] = fmt
        packed = zlib.compress(json.dumps(header).encode("utf-8"))
        conn.execute("UPDATE run_outcomes SET data = ? WHERE name = 'header'", (packed,))


def test_an_outcome_table_of_another_format_is_not_used(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = tmp_path / "ledger.sqlite"
    _record(example_copy, ledger, monkeypatch)
    assert find_recorded(example_copy) is not None
    _set_format(ledger, OUTCOMES_FORMAT - 1)
    assert find_recorded(example_copy) is None


# --- one entity's row, found in the stored ids --------------------------------------------------

IDS = ["p3", "p30", "a", "Nguyễn-01", "p300", "x y", "p"]  # prefixes of one another, first and last


def _stored(ids: list[str]) -> Stored:
    parts = {
        "header": ("json", zlib.compress(json.dumps({"kinds": ["unit", "person"]}).encode("utf-8"))),
        "ids:unit": ("text", zlib.compress(b"")),
        "ids:person": ("text", zlib.compress(SEP.join(ids).encode("utf-8"))),
        "names:person": ("text", zlib.compress(SEP.join(f"Tên {i}" for i in ids).encode("utf-8"))),
    }
    return Stored(1, parts.get)


@pytest.mark.parametrize("row", range(len(IDS)))
def test_an_id_is_found_at_its_row_and_its_name_read_alone(row: int) -> None:
    stored = _stored(IDS)
    assert stored.find(IDS[row]) == ("person", row)
    assert stored.item("names:person", row) == f"Tên {IDS[row]}"


@pytest.mark.parametrize("missing", ["p3 ", "3", "p30 ", "", "p3\x00p30", "x", "Nguyễn"])
def test_an_id_the_run_did_not_have_is_not_found(missing: str) -> None:
    assert _stored(IDS).find(missing) is None


def test_a_single_id_is_found() -> None:
    assert _stored(["only"]).find("only") == ("person", 0)
    assert _stored(["only"]).find("onl") is None


# --- one evaluation at most -----------------------------------------------------------------


def _count_runs(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    import thidua.evaluator.run as run_module  # explain and candidates import run_path when they evaluate

    calls: list[Path] = []

    def counted(path: Path, *args: Any, **kwargs: Any) -> Any:
        calls.append(path)
        return run_path(path, *args, **kwargs)

    monkeypatch.setattr(run_module, "run_path", counted)
    return calls


ASKS = {
    "explain": ["explain", "{folder}", TARGET, "--entity", "p01", "--format", "json"],
    "candidates": ["candidates", "{folder}", "--entity", "p01", "--format", "json"],
    "explain, unknown entity": ["explain", "{folder}", TARGET, "--entity", "nobody"],
    "candidates, unknown entity": ["candidates", "{folder}", "--entity", "nobody"],
}


@pytest.mark.parametrize("ledger", ["none", "recorded", "stale", "other format"])
@pytest.mark.parametrize("ask", list(ASKS))
def test_a_question_evaluates_once_at_most(
    ask: str, ledger: str, example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ledger.sqlite"
    monkeypatch.setenv("THIDUA_LEDGER", str(path))
    if ledger != "none":
        _age(example_copy)
        _record(example_copy, path, monkeypatch)
    if ledger == "stale":
        _grow(example_copy / "roster.facts.yaml")
    if ledger == "other format":
        _set_format(path, OUTCOMES_FORMAT + 1)
    calls = _count_runs(monkeypatch)
    args = [a.replace("{folder}", str(example_copy)) for a in ASKS[ask]]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == (2 if "unknown" in ask else 0), result.output
    answered = ledger == "recorded" and "unknown" not in ask
    assert len(calls) == (0 if answered else 1)


# --- real processes ---------------------------------------------------------------------------


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_thidua(*args, env=env)


def test_real_process_answers_from_kept_stats_and_not_after_a_change(example_copy: Path, tmp_path: Path) -> None:
    env = {**os.environ, "THIDUA_LEDGER": str(tmp_path / "ledger.sqlite")}
    folder = str(example_copy)
    _age(example_copy)
    asks = [
        ("explain", folder, TARGET, "--entity", "p01", "--format", "json", "--lang", "en"),
        ("candidates", folder, "--entity", "p01", "--format", "json", "--lang", "en"),
    ]
    fresh = [_cli(*a, env=env) for a in asks]  # no ledger yet: one evaluation each
    assert _cli("evaluate", folder, env=env).returncode in (0, 1)
    for ask, before in zip(asks, fresh, strict=True):
        after = _cli(*ask, env=env)
        assert before.returncode == after.returncode == 0, after.stderr
        assert "Traceback" not in before.stderr + after.stderr
        assert "#1" in after.stderr and "#1" not in before.stderr
        assert after.stdout == before.stdout
    _grow(example_copy / "roster.facts.yaml")
    for ask in asks:
        again = _cli(*ask, env=env)
        assert again.returncode == 0 and "Traceback" not in again.stderr
        assert "#1" not in again.stderr  # evaluated: the run no longer matches the files


@pytest.mark.parametrize("value", [1.5, float("inf"), 2**70, "Nguyễn"])
def test_a_json_part_reads_back_what_json_wrote(value: Any) -> None:
    """Parts are written by the json module; orjson reads them, and the json module what orjson refuses."""
    data = {"kinds": [], "value": value}
    parts = {"header": ("json", zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8")))}
    assert Stored(1, parts.get).header == data


def test_recording_trusts_the_stats_taken_before_reading_and_keeps_none_when_a_file_moved(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recording does not read the facts a second time: the stats taken when the files were found,
    before the evaluation read them, still holding after it, make the run's digest theirs. A file
    edited between the evaluation and the recording leaves the run without stats (questions hash)."""
    _age(example_copy, 120)
    monkeypatch.setenv("THIDUA_LEDGER", str(tmp_path / "ledger.sqlite"))
    run = run_path(example_copy)
    assert run.inputs.stats is not None
    reads = Reads(monkeypatch)
    record_run(run, example_copy, None, "vi")
    assert reads.count == 0
    with sqlite3.connect(tmp_path / "ledger.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM run_outcomes WHERE name = ?", (freshness.STATS_PART,)).fetchone()[0]
    again = run_path(example_copy)
    _grow(example_copy / "roster.facts.yaml")  # after the evaluation read it
    record_run(again, example_copy, None, "vi")
    with sqlite3.connect(tmp_path / "ledger.sqlite") as conn:
        stored = conn.execute(
            "SELECT count(*) FROM run_outcomes WHERE name = ? AND run_seq = 2", (freshness.STATS_PART,)
        ).fetchone()[0]
    assert stored == 0 and reads.count == 0
