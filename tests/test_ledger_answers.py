"""Answers from the ledger: a question compares the fact files' content with the run's (a fast hash
kept with it; never their sizes and times), how one entity's row is found in the stored ids, and one
evaluation at most."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLE_2022
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
    """Counts how often the fact files are read to answer a question: hashed with XXH3 where they
    lie (`fast`), or read and hashed with SHA-256 (`sha256`, the slow way the fast one spares)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.fast = 0
        self.sha256 = 0
        fast, slow = freshness._fast_digest_on_disk, freshness.fact_bytes

        def on_disk(inputs: Any) -> str:
            self.fast += 1
            return fast(inputs)

        def read(inputs: Any) -> dict[str, bytes]:
            self.sha256 += 1
            return slow(inputs)

        monkeypatch.setattr(freshness, "_fast_digest_on_disk", on_disk)
        monkeypatch.setattr(freshness, "fact_bytes", read)


def test_unchanged_facts_are_answered_by_their_fast_hash(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest = _record(example_copy, tmp_path / "ledger.sqlite", monkeypatch)
    reads = Reads(monkeypatch)
    rec = find_recorded(example_copy)
    assert rec is not None and rec.facts_digest == digest
    assert (reads.fast, reads.sha256) == (1, 0)  # read once, compared by XXH3 only
    assert explain_recorded(rec, TARGET, "p01", DEFAULT_LIMIT) is not None


def _grow(p: Path) -> None:
    p.write_text(p.read_text(encoding="utf-8") + "\n# thêm một dòng\n", encoding="utf-8")


def _same_size(p: Path) -> None:
    text = p.read_text(encoding="utf-8")
    assert "Nguyễn" in text
    p.write_text(text.replace("Nguyễn", "Nguyến", 1), encoding="utf-8")  # one letter: the same size


def _same_size_and_time(p: Path) -> None:
    """The edit `touch -d`, `cp -p`, `rsync -t` or an unzip makes: the same size and modification time."""
    before = p.stat()
    _same_size(p)
    os.utime(p, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (p.stat().st_size, p.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


CHANGES = {
    "grown": _grow,
    "same size, new time": _same_size,
    "same size, same time": _same_size_and_time,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_changed_fact_file_is_not_answered_from_a_stale_run(
    change: str, example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _age(example_copy)
    _record(example_copy, tmp_path / "ledger.sqlite", monkeypatch)
    CHANGES[change](example_copy / "roster.facts.yaml")
    reads = Reads(monkeypatch)
    assert find_recorded(example_copy) is None
    assert (reads.fast, reads.sha256) == (1, 1)  # another content: hashed as runs are, to find another run


def test_a_touched_but_identical_file_is_still_answered(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _age(example_copy, 120)
    digest = _record(example_copy, tmp_path / "ledger.sqlite", monkeypatch)
    _age(example_copy, 30)  # touched (saved again, unchanged): only its time moved
    rec = find_recorded(example_copy)
    assert rec is not None and rec.facts_digest == digest


def test_the_fast_hash_of_the_files_where_they_lie_is_that_of_their_bytes(tmp_path: Path) -> None:
    """A workbook stands as its SHA-256, a byte order mark is left out, an empty file is empty: as the
    facts digest reads them (fact_bytes)."""
    from thidua.evaluator.facts.inputs import discover

    shutil.copytree(EXAMPLE_2022, tmp_path / "a", ignore=shutil.ignore_patterns("excel"))
    shutil.copy(EXAMPLE_2022 / "excel" / "roster.facts.xlsx", tmp_path / "a" / "more.facts.xlsx")
    (tmp_path / "a" / "bom.facts.yaml").write_bytes(b"\xef\xbb\xbfperiod: 2022\n")
    (tmp_path / "a" / "empty.facts.yaml").write_bytes(b"")
    inputs = discover(tmp_path / "a")
    assert len(inputs.facts) == 4
    assert freshness._fast_digest_on_disk(inputs) == freshness.fast_digest(freshness.fact_bytes(inputs))


def _drop_fast(ledger: Path) -> None:  # as a run recorded by an older thidua
    with sqlite3.connect(ledger) as conn:
        assert conn.execute("DELETE FROM run_outcomes WHERE name = ?", (freshness.FAST_PART,)).rowcount == 1


def _damage_fast(ledger: Path) -> None:
    with sqlite3.connect(ledger) as conn:
        conn.execute("UPDATE run_outcomes SET data = X'0001' WHERE name = ?", (freshness.FAST_PART,))


@pytest.mark.parametrize("spoil", [_drop_fast, _damage_fast], ids=["no fast digest", "damaged fast digest"])
def test_a_run_without_a_usable_fast_digest_is_answered_by_sha256(
    spoil: Any, example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run recorded by an older thidua has no fast digest, a damaged one is not trusted: the outcome
    table still answers, the files hashed with SHA-256 as the run hashed them."""
    ledger = tmp_path / "ledger.sqlite"
    _record(example_copy, ledger, monkeypatch)
    spoil(ledger)
    reads = Reads(monkeypatch)
    assert find_recorded(example_copy) is not None
    assert (reads.fast, reads.sha256) == (0, 1)


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


def test_real_process_answers_from_the_run_and_not_after_a_change(example_copy: Path, tmp_path: Path) -> None:
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


def test_recording_hashes_the_texts_the_run_read_and_a_later_edit_is_not_answered(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recording does not read the facts a second time: the fast digest is of the very texts the run
    evaluated. A file edited between the evaluation and the recording is then not the run's, and a
    question about it evaluates instead of answering from the run."""
    monkeypatch.setenv("THIDUA_LEDGER", str(tmp_path / "ledger.sqlite"))
    run = run_path(example_copy)
    reads = Reads(monkeypatch)
    _same_size_and_time(example_copy / "roster.facts.yaml")  # after the evaluation read it
    record_run(run, example_copy, None, "vi")
    assert (reads.fast, reads.sha256) == (0, 0)
    assert find_recorded(example_copy) is None


def test_real_process_an_edit_keeping_size_and_time_gets_the_fresh_answer(example_copy: Path, tmp_path: Path) -> None:
    """The stale answer once given: an edit of the same size with its modification time put back
    (touch -d, cp -p, rsync -t, an unzip) was answered from the run of the old facts."""
    env = {**os.environ, "THIDUA_LEDGER": str(tmp_path / "ledger.sqlite")}
    folder = str(example_copy)
    asks = [
        ("explain", folder, TARGET, "--entity", "p01", "--format", "json", "--lang", "en"),
        ("candidates", folder, "--entity", "p01", "--format", "json", "--lang", "en"),
    ]
    assert _cli("evaluate", folder, env=env).returncode in (0, 1)
    recorded = [_cli(*a, env=env) for a in asks]
    assert all("#1" in r.stderr for r in recorded), [r.stderr for r in recorded]
    roster = example_copy / "roster.facts.yaml"
    before = roster.stat()
    text = roster.read_text(encoding="utf-8")
    p01 = "name: Nguyễn Văn Hùng\n      position: Trưởng ban\n      rating: hoan_thanh_xuat_sac"
    assert p01 in text
    roster.write_text(text.replace(p01, p01.replace("hoan_thanh_xuat_sac", "khong_hoan_thanh   ")), encoding="utf-8")
    os.utime(roster, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (roster.stat().st_size, roster.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    nowhere = {**env, "THIDUA_LEDGER": str(tmp_path / "none.sqlite")}  # an evaluation of the files on disk
    for ask, old in zip(asks, recorded, strict=True):
        answer, fresh = _cli(*ask, env=env), _cli(*ask, env=nowhere)
        assert answer.returncode == fresh.returncode == 0, answer.stderr
        assert "#1" not in answer.stderr  # not from the run of the old facts
        assert answer.stdout == fresh.stdout != old.stdout
        assert "Không hoàn thành nhiệm vụ" in answer.stdout  # the rating now on disk
