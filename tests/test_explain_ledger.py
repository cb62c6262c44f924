"""The ledger (sổ kiểm toán): recording, tamper detection, past-run explanations, diffs, concurrency, kills."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_2022, ROOT, run_cli
from tests.e2e.process import run_thidua
from thidua.evaluator.audit.ledger import PAUSE_HOOK_ENV, Ledger


def record(folder: Path, ledger: Path, times: int = 1) -> None:
    for _ in range(times):
        result = run_cli("evaluate", folder, "--ledger", ledger)
        assert result.exit_code in (0, 1) and "#" in result.stderr, result.stderr


def runs_in(ledger: Path) -> int:
    with Ledger.open(ledger) as book:
        return book.count()


def verify(ledger: Path) -> tuple[int, dict]:
    result = run_cli("audit", "verify", "--ledger", ledger, "--format", "json")
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, json.loads(result.stdout)


# --- recording ---------------------------------------------------------------------------------


def test_evaluate_records_a_run_with_snapshots(tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    result = run_cli("evaluate", EXAMPLE_2022, "--ledger", ledger)
    assert result.exit_code == 0 and "#1" in result.stderr
    with Ledger.open(ledger) as book:
        run = book.get("last")
    assert run.seq == 1 and run.os_user and run.engine.startswith("durable-rules") and run.tool_version
    packs = {"pack:core", "pack:criteria", "pack:criteria_nd91", "pack:criteria_nd98"}
    assert {(f.role, f.path) for f in run.files} == {("pack", p) for p in packs} | {
        ("rules", "targets.rules.yaml"),
        ("facts", "roster.facts.yaml"),
    }
    facts = next(f for f in run.files if f.role == "facts")
    assert facts.text == (EXAMPLE_2022 / "roster.facts.yaml").read_text(encoding="utf-8")
    assert run.statuses["staff.emulation_soldiers"] == "exceeded"
    assert len(run.judgements) == 14 and run.judgements[0]["reasons"]


def test_no_record_and_the_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = tmp_path / "env.sqlite"
    monkeypatch.setenv("THIDUA_LEDGER", str(ledger))
    assert run_cli("evaluate", EXAMPLE_2022, "--no-record").exit_code == 0
    assert not ledger.exists()
    assert run_cli("evaluate", EXAMPLE_2022).exit_code == 0
    assert runs_in(ledger) == 1


def test_default_ledger_is_in_the_agency_folder(
    example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One agency, one chain of runs, wherever thidua is started from; every recording says where."""
    monkeypatch.delenv("THIDUA_LEDGER")
    for cwd in (tmp_path, example_copy):
        monkeypatch.chdir(cwd)
        result = run_cli("evaluate", example_copy)
        assert result.exit_code == 0 and ".thidua-ledger.sqlite" in result.stderr.replace("\n", "")
    assert runs_in(example_copy / ".thidua-ledger.sqlite") == 2
    assert not (tmp_path / ".thidua-ledger.sqlite").exists()
    # audit commands take the agency folder as --ledger, and show times in Vietnam time
    listed = run_cli("audit", "list", "--ledger", example_copy)
    assert listed.exit_code == 0 and "UTC+7)" in listed.stdout


def test_list_and_show(tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    record(EXAMPLE_2022, ledger, 2)
    listed = run_cli("audit", "list", "--ledger", ledger, "--format", "json")
    data = json.loads(listed.stdout)
    assert [r["seq"] for r in data["runs"]] == [1, 2]
    assert data["runs"][1]["prev_hash"] == data["runs"][0]["hash"]
    shown = run_cli("audit", "show", "2", "--ledger", ledger)
    assert shown.exit_code == 0 and "roster.facts.yaml" in shown.stdout and "Tổng cộng 14 chỉ tiêu" in shown.stdout


# --- tamper detection --------------------------------------------------------------------------


def _edit_judgement(db: sqlite3.Connection) -> None:
    db.execute("UPDATE judgements SET status = 'met' WHERE run_seq = 2 AND target = 'staff.emulation_soldiers'")


def _edit_reason(db: sqlite3.Connection) -> None:
    db.execute("UPDATE judgements SET body = replace(body, 'Lê Thị Hồng Nhung', 'Người khác') WHERE run_seq = 2")


def _edit_run_user(db: sqlite3.Connection) -> None:
    db.execute("UPDATE runs SET os_user = 'someone_else' WHERE seq = 2")


def _edit_and_rehash(db: sqlite3.Connection) -> None:
    # A careful forger recomputes the edited run's own hash: the next run still points at the old one.
    from thidua.evaluator.audit.ledger import RUN_COLUMNS, run_hash

    db.execute("UPDATE judgements SET status = 'met' WHERE run_seq = 2 AND target = 'staff.emulation_soldiers'")
    row = dict(
        zip(RUN_COLUMNS, db.execute(f"SELECT {', '.join(RUN_COLUMNS)} FROM runs WHERE seq = 2").fetchone(), strict=True)
    )
    files = db.execute("SELECT role, path, sha256 FROM run_files WHERE run_seq = 2 ORDER BY position").fetchall()
    bodies = db.execute("SELECT target, status, body FROM judgements WHERE run_seq = 2 ORDER BY position").fetchall()
    db.execute("UPDATE runs SET hash = ? WHERE seq = 2", (run_hash(row, files, bodies),))


def _edit_snapshot(db: sqlite3.Connection) -> None:
    db.execute(
        "UPDATE blobs SET text = replace(text, 'chien_si_thi_dua_co_so', 'lao_dong_tien_tien') WHERE sha256 IN (SELECT sha256 FROM run_files WHERE role = 'facts')"
    )


def _delete(seq: int) -> Callable[[sqlite3.Connection], None]:
    def edit(db: sqlite3.Connection) -> None:
        for table, col in (("judgements", "run_seq"), ("run_files", "run_seq"), ("runs", "seq")):
            db.execute(f"DELETE FROM {table} WHERE {col} = ?", (seq,))

    return edit


def _insert_forged(db: sqlite3.Connection) -> None:
    db.execute("""INSERT INTO runs SELECT 0, 'forged' || run_id, created_at, os_user, host, tool_version, engine, python,
                  path, period, rules_digest, facts_digest, summary, prev_hash, (CASE substr(hash, 1, 1) WHEN 'f' THEN 'e' ELSE 'f' END) || substr(hash, 2) FROM runs WHERE seq = 1""")


def _append_forged(db: sqlite3.Connection) -> None:
    db.execute("""INSERT INTO runs SELECT 4, 'forged' || run_id, created_at, os_user, host, tool_version, engine, python,
                  path, period, rules_digest, facts_digest, summary, hash, (CASE substr(hash, 1, 1) WHEN 'f' THEN 'e' ELSE 'f' END) || substr(hash, 2) FROM runs WHERE seq = 3""")


TAMPERING = {
    "judgement_status_edited": (_edit_judgement, "audit.edited", 2),
    "reason_text_edited": (_edit_reason, "audit.edited", 2),
    "run_metadata_edited": (_edit_run_user, "audit.edited", 2),
    "edited_and_rehashed": (_edit_and_rehash, "audit.chain_broken", 3),
    "snapshot_edited": (_edit_snapshot, "audit.snapshot_edited", 1),
    "middle_run_deleted": (_delete(2), "audit.deleted", 3),
    "last_run_deleted": (_delete(3), "audit.deleted_last", None),
    "run_inserted_before": (_insert_forged, "audit.inserted", 0),
    "run_appended": (_append_forged, "audit.inserted", 4),
}


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ledger = tmp_path_factory.mktemp("three") / "l.sqlite"
    record(EXAMPLE_2022, ledger, 3)
    return ledger


@pytest.mark.parametrize("name", list(TAMPERING))
def test_verify_names_each_kind_of_tampering(name: str, three_runs: Path, tmp_path: Path) -> None:
    edit, code, seq = TAMPERING[name]
    ledger = tmp_path / "l.sqlite"
    shutil.copy(three_runs, ledger)
    assert verify(ledger)[0] == 0
    with sqlite3.connect(ledger) as db:
        edit(db)
    exit_code, data = verify(ledger)
    assert exit_code == 1 and data["ok"] is False
    assert (code, seq) in [(f["code"], f["run"]) for f in data["findings"]], data["findings"]


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="no sqlite3 shell")
def test_verify_catches_a_row_edited_with_the_sqlite3_shell(three_runs: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    shutil.copy(three_runs, ledger)
    subprocess.run(
        [
            "sqlite3",
            str(ledger),
            "UPDATE judgements SET status='met' WHERE run_seq=1 AND target='staff.emulation_soldiers';",
        ],
        check=True,
    )
    result = run_cli("audit", "verify", "--ledger", ledger)
    assert result.exit_code == 1 and "#1" in result.stdout and "bị sửa" in result.stdout


# --- bad ledgers -------------------------------------------------------------------------------


def _newer(path: Path) -> None:
    record(EXAMPLE_2022, path)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")


def _garbage(path: Path) -> None:
    path.write_text("not a database at all\n" * 50)


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE invoices (id INTEGER)")


@pytest.mark.parametrize(
    "make,needle",
    [
        (_newer, "lược đồ 99"),
        (_garbage, "không phải cơ sở dữ liệu SQLite"),
        (_foreign, "không phải sổ kiểm toán của thidua"),
        (None, "Không có sổ kiểm toán"),
    ],
    ids=["newer_schema", "not_sqlite", "foreign_sqlite", "missing"],
)
@pytest.mark.parametrize(
    "command",
    [("audit", "list"), ("audit", "verify"), ("evaluate", str(EXAMPLE_2022))],
    ids=["list", "verify", "evaluate"],
)
def test_bad_ledgers_get_a_clear_message_and_exit_2(
    make: Callable[[Path], None] | None, needle: str, command: tuple[str, ...], tmp_path: Path
) -> None:
    ledger = tmp_path / "l.sqlite"
    if make is None:
        ledger = tmp_path / "absent.sqlite"
        if command[0] == "evaluate":  # recording creates a missing ledger; reading never does
            assert run_cli(*command, "--ledger", ledger).exit_code == 0 and runs_in(ledger) == 1
            return
    else:
        make(ledger)
    before = ledger.read_bytes() if ledger.exists() else None
    result = run_cli(*command, "--ledger", ledger)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert needle in " ".join(result.stderr.split()) and str(ledger.name) in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    if before is not None and make is not _newer:
        assert ledger.read_bytes() == before


def test_unknown_run_exit_2(tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    record(EXAMPLE_2022, ledger)
    for command in (("show", "7"), ("explain", "7", "staff.emulation_soldiers"), ("diff", "1", "nope")):
        result = run_cli("audit", *command, "--ledger", ledger)
        assert result.exit_code == 2 and "audit list" in result.stderr and "Traceback" not in result.stderr


# --- explaining the past, and diffs --------------------------------------------------------------


def test_explain_of_a_past_run_after_its_files_changed_and_vanished(example_copy: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    record(example_copy, ledger)
    roster = example_copy / "roster.facts.yaml"
    roster.write_text(
        roster.read_text(encoding="utf-8").replace("chien_si_thi_dua_co_so", "lao_dong_tien_tien_x"), encoding="utf-8"
    )
    shutil.rmtree(example_copy)
    result = run_cli("audit", "explain", "1", "staff.emulation_soldiers", "--ledger", ledger, "--format", "json")
    assert result.exit_code == 0, result.stderr
    x = json.loads(result.stdout)
    assert x["run"]["rerun"] == "same" and x["status"] == "exceeded"
    counted = next(g for g in x["groups"] if g["code"] == "entities.counted")
    assert [e["id"] for e in counted["entities"]] == ["p04", "p08", "p12"]
    assert counted["entities"][0]["facts"][0]["place"]["line"] > 0  # located in the snapshot
    assert "require: {gt: 2}" in x["rule_text"]["text"]
    tree = run_cli("audit", "explain", "1", "staff.emulation_soldiers", "--ledger", ledger)
    assert "giống hệt bản ghi" in tree.stdout and "Lê Thị Hồng Nhung" in tree.stdout


def test_explain_of_a_run_whose_record_was_altered_says_the_rerun_differs(tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    record(EXAMPLE_2022, ledger)
    with sqlite3.connect(ledger) as db:
        db.execute(
            'UPDATE judgements SET body = replace(body, \'"status":"exceeded"\', \'"status":"met"\') WHERE target = \'staff.emulation_soldiers\''
        )
    result = run_cli("audit", "explain", "1", "staff.emulation_soldiers", "--ledger", ledger, "--lang", "en")
    assert result.exit_code == 1 and "DIFFERS" in result.stdout and "staff.emulation_soldiers" in result.stdout


def drop_first_soldier(roster: Path) -> None:
    """p04 loses the recorded title and the initiative the criteria would derive it from."""
    text = roster.read_text(encoding="utf-8")
    start = text.index("    - id: p04\n")
    end = text.index("    - id: p05\n")
    block = (
        text[start:end]
        .replace("      initiative: true\n", "      initiative: false\n")
        .replace("        - chien_si_thi_dua_co_so\n", "")
    )
    roster.write_text(text[:start] + block + text[end:], encoding="utf-8")


def test_diff_names_a_fact_change(example_copy: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    record(example_copy, ledger)
    roster = example_copy / "roster.facts.yaml"
    drop_first_soldier(roster)
    record(example_copy, ledger)
    data = json.loads(run_cli("audit", "diff", "1", "2", "--ledger", ledger, "--format", "json").stdout)
    assert [(f["role"], f["path"], f["change"]) for f in data["files"]] == [("facts", "roster.facts.yaml", "changed")]
    assert any("chien_si_thi_dua_co_so" in line for line in data["files"][0]["lines"])
    change = next(c for c in data["changes"] if c["target"] == "staff.emulation_soldiers")
    assert (change["before"], change["after"], change["causes"]) == ("exceeded", "not_met", ["facts"])
    assert change["entities"] == [
        {"id": "p04", "name": "Lê Thị Hồng Nhung", "before": "entities.counted", "after": "entities.not_counted"}
    ]
    tree = run_cli("audit", "diff", "1", "2", "--ledger", ledger).stdout
    assert "roster.facts.yaml" in tree and "staff.emulation_soldiers" in tree and "dữ kiện thay đổi" in tree


def test_diff_names_a_rule_change(example_copy: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    record(example_copy, ledger)
    rules = example_copy / "targets.rules.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace(
            "where: {has_title: chien_si_thi_dua_co_so}\n    require: {gt: 2}",
            "where: {has_title: chien_si_thi_dua_co_so}\n    require: {gt: 3}",
        ),
        encoding="utf-8",
    )
    record(example_copy, ledger)
    data = json.loads(run_cli("audit", "diff", "1", "2", "--ledger", ledger, "--format", "json").stdout)
    assert [c["target"] for c in data["changes"]] == ["staff.emulation_soldiers"]
    change = data["changes"][0]
    assert change["causes"] == ["rules"] and change["rule_text_changed"] is True and change["after"] == "not_met"
    unchanged = json.loads(run_cli("audit", "diff", "2", "2", "--ledger", ledger, "--format", "json").stdout)
    assert unchanged["changes"] == [] and unchanged["files"] == []


# --- reliability: concurrent writers and killed writers ------------------------------------------


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop(PAUSE_HOOK_ENV, None)
    return env


def test_eight_processes_times_twenty_runs_lose_nothing(tmp_path: Path) -> None:
    ledger = tmp_path / "busy.sqlite"
    worker = ROOT / "tests" / "ledger_worker.py"
    procs = [
        subprocess.Popen(
            [sys.executable, str(worker), str(EXAMPLE_2022), str(ledger), "20"],
            env=_env(),
            cwd=ROOT,
            stderr=subprocess.PIPE,
        )
        for _ in range(8)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    with Ledger.open(ledger) as book:
        runs = book.runs()
    assert [r.seq for r in runs] == list(range(1, 161))
    assert len({r.run_id for r in runs}) == 160
    assert verify(ledger) == (0, {"ledger": str(ledger.as_posix()), "runs": 160, "ok": True, "findings": []})


def test_a_process_killed_while_recording_leaves_no_partial_run(tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    record(EXAMPLE_2022, ledger)
    marker = tmp_path / "in-transaction"
    env = _env()
    env[PAUSE_HOOK_ENV] = str(marker)
    proc = subprocess.Popen(
        [sys.executable, "-m", "thidua.cli.main", "evaluate", str(EXAMPLE_2022), "--ledger", str(ledger)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while not marker.exists():
        assert proc.poll() is None, "the recording process ended before the pause"
        assert time.monotonic() < deadline, "the recording process never reached the pause"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert runs_in(ledger) == 1
    assert verify(ledger)[0] == 0
    with sqlite3.connect(ledger) as db:
        assert db.execute("SELECT count(*) FROM judgements WHERE run_seq = 2").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM run_files WHERE run_seq = 2").fetchone()[0] == 0
    record(EXAMPLE_2022, ledger)  # the lock died with the process
    assert runs_in(ledger) == 2 and verify(ledger)[0] == 0


def test_past_run_with_a_fact_file_outside_the_folder_replays_identically(tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    folder = tmp_path / "rules_only"
    folder.mkdir()
    shutil.copy(EXAMPLE_2022 / "targets.rules.yaml", folder)
    outside = tmp_path / "elsewhere" / "roster.facts.yaml"
    outside.parent.mkdir()
    shutil.copy(EXAMPLE_2022 / "roster.facts.yaml", outside)
    assert run_cli("evaluate", folder, "--facts", outside, "--ledger", ledger).exit_code == 0
    outside.unlink()
    result = run_cli("audit", "explain", "last", "staff.emulation_soldiers", "--ledger", ledger, "--format", "json")
    assert result.exit_code == 0, result.stdout
    x = json.loads(result.stdout)
    assert x["run"]["rerun"] == "same"
    counted = next(g for g in x["groups"] if g["code"] == "entities.counted")
    assert counted["entities"][0]["place"]["file"] == outside.as_posix()


def test_past_run_with_a_rule_file_reached_through_use_replays_identically(tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    folder = tmp_path / "agency" / "2022"
    shared = tmp_path / "agency" / "shared"
    shutil.copytree(EXAMPLE_2022, folder)
    shared.mkdir()
    rules = folder / "targets.rules.yaml"
    text = rules.read_text(encoding="utf-8")
    start = text.index("  - id: staff.emulation_soldiers")
    end = text.index("  - id: staff.head_certificate")
    (shared / "soldiers.yaml").write_text("version: 1\ntargets:\n" + text[start:end], encoding="utf-8")
    rules.write_text(
        text[:start].replace("use: [criteria]", "use: [criteria, ../shared/soldiers.yaml]") + text[end:],
        encoding="utf-8",
    )
    assert run_cli("evaluate", folder, "--ledger", ledger).exit_code == 0
    with Ledger.open(ledger) as book:
        roles = {f.role for f in book.get("last").files}
    assert roles == {"rules", "rules_used", "pack", "facts"}
    shutil.rmtree(tmp_path / "agency")
    result = run_cli("audit", "explain", "last", "staff.emulation_soldiers", "--ledger", ledger, "--format", "json")
    assert result.exit_code == 0, result.stdout
    x = json.loads(result.stdout)
    assert x["run"]["rerun"] == "same"
    assert x["rule_text"]["file"].endswith("shared/soldiers.yaml") and "require: {gt: 2}" in x["rule_text"]["text"]


def test_diff_tells_a_rule_change_from_a_fact_change_when_both_files_changed(
    example_copy: Path, tmp_path: Path
) -> None:
    ledger = tmp_path / "l.sqlite"
    record(example_copy, ledger)
    rules = example_copy / "targets.rules.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace(
            "where: {has_title: giay_khen_thu_truong}\n    require: {gte: 5}",
            "where: {has_title: giay_khen_thu_truong}\n    require: {gte: 6}",
        ),
        encoding="utf-8",
    )
    drop_first_soldier(example_copy / "roster.facts.yaml")
    record(example_copy, ledger)
    data = json.loads(run_cli("audit", "diff", "1", "2", "--ledger", ledger, "--format", "json").stdout)
    by_target = {c["target"]: c for c in data["changes"]}
    assert set(by_target) == {"staff.emulation_soldiers", "staff.head_certificate"}
    assert (
        by_target["staff.emulation_soldiers"]["causes"],
        by_target["staff.emulation_soldiers"]["causes_tested"],
    ) == (["facts"], True)
    assert (by_target["staff.head_certificate"]["causes"], by_target["staff.head_certificate"]["causes_tested"]) == (
        ["rules"],
        True,
    )
    assert by_target["staff.head_certificate"]["rule_text_changed"] is True


def test_runs_are_named_by_number_last_or_id_prefix(tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    record(EXAMPLE_2022, ledger, 2)
    with Ledger.open(ledger) as book:
        first = book.get("1")
        assert book.get("#1").run_id == first.run_id
        assert book.get(first.run_id[:8]).seq == 1
        assert book.get("last").seq == 2
    result = run_cli("audit", "show", "zzz", "--ledger", ledger)
    assert result.exit_code == 2 and "'zzz'" in result.stderr


def test_a_run_id_whose_prefix_is_all_digits_is_named_by_that_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run ids are hex: about one in fifty starts with eight digits, which must not read as run number 12345678."""
    import uuid

    ids = iter([uuid.UUID("12345678" + "a" * 24), uuid.UUID("9" * 32)])
    monkeypatch.setattr(uuid, "uuid4", lambda: next(ids))
    ledger = tmp_path / "l.sqlite"
    record(EXAMPLE_2022, ledger, 2)
    with Ledger.open(ledger) as book:
        assert book.get("12345678").seq == 1
        assert book.get("999999").seq == 2
        assert book.get("2").seq == 2 and book.get("#1").seq == 1


def test_an_empty_ledger_lists_nothing_and_verifies(tmp_path: Path) -> None:
    ledger = tmp_path / "empty.sqlite"
    sqlite3.connect(ledger).close()
    assert "chưa có lần chạy nào" in " ".join(run_cli("audit", "list", "--ledger", ledger).stdout.split())
    assert verify(ledger) == (0, {"ledger": ledger.as_posix(), "runs": 0, "ok": True, "findings": []})


def test_vietnam_time() -> None:
    from thidua.evaluator.audit.ledger import vietnam_time

    assert vietnam_time("2026-11-25T18:30:00.000001+00:00") == "2026-11-26 01:30:00 (UTC+7)"


def test_an_excel_roster_is_kept_whole_and_audit_explain_replays_it_as_a_real_process(tmp_path: Path) -> None:
    """The workbook's bytes are in the ledger: explain works after the workbook is gone."""
    folder = tmp_path / "agency"
    folder.mkdir()
    shutil.copy(EXAMPLE_2022 / "targets.rules.yaml", folder)
    shutil.copy(EXAMPLE_2022 / "excel" / "roster.facts.xlsx", folder)
    env = {k: v for k, v in os.environ.items() if k != "THIDUA_LEDGER"}
    done = run_thidua("evaluate", str(folder), timeout=60, env=env)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    ledger = folder / ".thidua-ledger.sqlite"
    (folder / "roster.facts.xlsx").unlink()
    args = ["audit", "explain", "1", "staff.emulation_soldiers", "--ledger", str(ledger), "--format", "json"]
    done = run_thidua(*args, timeout=60, env=env)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    x = json.loads(done.stdout)
    assert x["run"]["rerun"] == "same" and x["status"] == "exceeded"
