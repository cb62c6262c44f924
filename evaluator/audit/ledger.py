"""Append-only, hash-chained SQLite ledger of evaluations: who ran what, on which files, with what verdicts."""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
import platform
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thidua.evaluator.judgement import Evaluation, Judgement
from thidua.rules.errors import Location, fail
from thidua.rules.loader import PACK_PREFIX

SCHEMA_VERSION = 1
APPLICATION_ID = 0x74686475  # "thdu": marks a file as a thidua ledger
DEFAULT_LEDGER = ".thidua-ledger.sqlite"
LEDGER_ENV = "THIDUA_LEDGER"
BUSY_TIMEOUT_MS = 30_000
PAGE_SIZE = 16_384  # of a new ledger file
# Test hook, documented in docs/audit.md: when set to a file path, `record` creates that file and
# sleeps inside the open transaction, so a test can kill the process mid-recording.
PAUSE_HOOK_ENV = "THIDUA_LEDGER_TEST_PAUSE_FILE"

ROLE_RULES = "rules"  # a rule file given or discovered
ROLE_USED = "rules_used"  # a rule file reached through `use:`
ROLE_PACK = "pack"  # a shipped pack, shown as pack:NAME
ROLE_FACTS = "facts"
ROLE_BLOCK = "block"  # a block run: the block file and the other members' files, read with this member's
BLOCK_SEPARATOR = "#"  # a block member's run is recorded as "BLOCK_PATH#MEMBER_KEY"

SCHEMA = [
    """CREATE TABLE runs (
        seq INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        os_user TEXT NOT NULL,
        host TEXT NOT NULL,
        tool_version TEXT NOT NULL,
        engine TEXT NOT NULL,
        python TEXT NOT NULL,
        path TEXT NOT NULL,
        period INTEGER,
        rules_digest TEXT NOT NULL,
        facts_digest TEXT NOT NULL,
        summary TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
    )""",
    """CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        text TEXT NOT NULL
    )""",
    """CREATE TABLE run_files (
        run_seq INTEGER NOT NULL REFERENCES runs(seq),
        position INTEGER NOT NULL,
        role TEXT NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES blobs(sha256),
        PRIMARY KEY (run_seq, position)
    )""",
    """CREATE TABLE judgements (
        run_seq INTEGER NOT NULL REFERENCES runs(seq),
        position INTEGER NOT NULL,
        target TEXT NOT NULL,
        status TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (run_seq, position)
    )""",
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    "CREATE INDEX judgements_target ON judgements(target)",
]
GENESIS = "0" * 64

# Documents produced from a run (thidua report): added when the first one is recorded, so a ledger
# written before documents existed reads unchanged. Not part of a run's hash: a document is an
# output of the run, matched to it by its SHA-256, and can be produced again from the snapshot.
DOCUMENTS_TABLE = """CREATE TABLE IF NOT EXISTS documents (
    run_seq INTEGER NOT NULL REFERENCES runs(seq),
    created_at TEXT NOT NULL,
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    sha256 TEXT NOT NULL
)"""


# The outcome table of a run (evaluator/audit/outcomes.py): which reason and criterion group each
# entity fell in, so `explain --entity` and `candidates` answer from the run without evaluating again.
# Created with the first run that stores one, so older ledgers open, verify and read unchanged (no
# schema version change: a thidua that does not know the table never reads it). Not part of a run's
# hash, like documents: it is an index over what the hash covers (the judgements and the file
# snapshots), written by the same transaction, and `audit rerun` reproduces it from the snapshot;
# covering it would change what the hash of every run means. A reader checks that the table names
# the run's own hash before trusting it.
Parts = Sequence[tuple[str, str, bytes]]  # an outcome table's parts: (name, dtype, zlib bytes)
OUTCOMES_TABLE = """CREATE TABLE IF NOT EXISTS run_outcomes (
    run_seq INTEGER NOT NULL REFERENCES runs(seq),
    name TEXT NOT NULL,
    dtype TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (run_seq, name)
)"""


def default_ledger_path(option: str | Path | None = None, folder: Path | None = None) -> Path:
    """The ledger file: the --ledger option (a file, or a folder holding .thidua-ledger.sqlite), else
    $THIDUA_LEDGER, else .thidua-ledger.sqlite in the agency folder evaluated (`folder`), else here.

    The ledger lives with the agency folder, so one agency has one chain of runs wherever thidua is
    started from (it depended on the working folder: two folders, two chains each starting at #1).
    """
    if option:
        chosen = Path(option)
        return chosen / DEFAULT_LEDGER if chosen.is_dir() else chosen
    env = os.environ.get(LEDGER_ENV)
    if env:
        return Path(env)
    return (folder / DEFAULT_LEDGER) if folder is not None else Path(DEFAULT_LEDGER)


# Vietnam keeps UTC+7 all year (no daylight saving since 1975), so a fixed offset is exact for every
# run and needs no time zone database (Windows machines often lack one).
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


def vietnam_time(created_at: str, zone: bool = True) -> str:
    """A recorded UTC time as Vietnam time, for people: '2026-11-26 07:58:12 (UTC+7)' (without the
    zone where a heading already names it)."""
    try:
        moment = dt.datetime.fromisoformat(created_at)
    except ValueError:
        return created_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(VIETNAM).strftime("%Y-%m-%d %H:%M:%S") + (" (UTC+7)" if zone else "")


def stored_body(j: Judgement) -> dict[str, Any]:
    """A judgement as the ledger stores it beside an outcome table: `thidua.evaluation/3` (each reason
    with its count, first entities and how many more), as `evaluate --format json` prints it. Who
    else is in each reason is in the run's outcome table (evaluator/audit/outcomes.py). Runs recorded
    before, and runs recorded without a table, store `Judgement.to_dict()` (every entity of every
    reason): `is_listed` tells the two apart."""
    return j.to_json()


def is_listed(body: dict[str, Any]) -> bool:
    """Whether a stored body is `/2` (reasons counted, first entities listed) rather than a full body
    listing every entity (runs recorded by an older thidua). A body without reasons is the same both ways."""
    return any("count" in r for r in body.get("reasons", ()))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class FileRecord:
    role: str
    path: str
    sha256: str
    text: str | None = None  # filled when a run is read whole


@dataclass(frozen=True)
class RunRecord:
    """One recorded run as stored; `judgements` are the recorded JSON bodies in declared order."""

    seq: int
    run_id: str
    created_at: str
    os_user: str
    host: str
    tool_version: str
    engine: str
    python: str
    path: str
    period: int | str | None  # as written: 2022, or '2023-2024' for a school year
    rules_digest: str
    facts_digest: str
    summary: dict[str, Any]  # counts per status; `criteria`: the regimes applied (from 2026 runs)
    prev_hash: str
    hash: str
    files: tuple[FileRecord, ...] = ()
    judgements: tuple[dict[str, Any], ...] = ()
    statuses: dict[str, str] = field(default_factory=dict)  # target -> status

    def file_texts(self, roles: Sequence[str] | None = None) -> dict[str, str]:
        return {f.path: f.text or "" for f in self.files if roles is None or f.role in roles}

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "run_id": self.run_id,
            "created_at": self.created_at,
            "os_user": self.os_user,
            "host": self.host,
            "tool_version": self.tool_version,
            "engine": self.engine,
            "python": self.python,
            "path": self.path,
            "period": self.period,
            "rules_digest": self.rules_digest,
            "facts_digest": self.facts_digest,
            "summary": self.summary,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
            "files": [{"role": f.role, "path": f.path, "sha256": f.sha256} for f in self.files],
            "statuses": self.statuses,
        }


@dataclass(frozen=True)
class Finding:
    """One problem `verify` found: a message code, its parameters and the run it concerns."""

    code: str
    seq: int | None
    params: dict[str, Any] = field(default_factory=dict)


def run_hash(
    row: dict[str, Any], files: Sequence[tuple[str, str, str]], judgements: Sequence[tuple[str, str, str]]
) -> str:
    """sha256 over a run's canonical content (every stored column but the hash) and the previous hash."""
    content = {k: row[k] for k in RUN_COLUMNS if k != "hash"}
    content["files"] = [list(f) for f in files]
    content["judgements"] = [list(j) for j in judgements]
    return hashlib.sha256(_canonical(content).encode("utf-8")).hexdigest()


RUN_COLUMNS = (
    "seq",
    "run_id",
    "created_at",
    "os_user",
    "host",
    "tool_version",
    "engine",
    "python",
    "path",
    "period",
    "rules_digest",
    "facts_digest",
    "summary",
    "prev_hash",
    "hash",
)


def tool_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("thidua")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


class Ledger:
    """An open ledger file. Use `Ledger.open(path)`; reading never creates a file, recording does."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn

    # --- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, create: bool = False) -> Ledger:
        shown = path.as_posix()
        if not create and not path.exists():
            raise fail("ledger.missing", Location(shown), path=shown)
        if path.exists() and path.is_dir():
            raise fail("file.is_directory", Location(shown), path=shown)
        if create and not path.parent.exists():
            raise fail("ledger.unwritable", Location(shown), path=shown, reason="no such folder")
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise fail("ledger.unwritable", Location(shown), path=shown, reason=str(exc)) from None
        ledger = cls(path, conn)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            ledger._check_kind()
            if create:
                # Before WAL mode fixes it, and only for a file not yet written (SQLite ignores it
                # otherwise): 16 KiB pages write a run's snapshots (300 MB at a million people)
                # in about half the time of the default 4 KiB (docs/benchmarks.md).
                conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            conn.close()
            if "not a database" in str(exc) or "malformed" in str(exc):
                raise fail("ledger.not_database", Location(shown), path=shown) from None
            raise fail("ledger.unwritable", Location(shown), path=shown, reason=str(exc)) from None
        except BaseException:
            conn.close()
            raise
        return ledger

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_kind(self) -> None:
        """Refuse files that are not thidua ledgers, and ledgers of a newer schema."""
        shown = self.path.as_posix()
        # Tables first: another process may be creating the ledger between these reads, and its
        # tables and application id commit together, so tables seen means the id is seen after.
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        app = self.conn.execute("PRAGMA application_id").fetchone()[0]
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if app not in (0, APPLICATION_ID) or (app == 0 and tables):
            raise fail("ledger.foreign", Location(shown), path=shown)
        if version > SCHEMA_VERSION:
            raise fail("ledger.newer_schema", Location(shown), path=shown, found=version, supported=SCHEMA_VERSION)

    def _ensure_schema(self) -> None:
        """Create the tables (inside the caller's write transaction, so two creators cannot race)."""
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            shown = self.path.as_posix()
            raise fail("ledger.newer_schema", Location(shown), path=shown, found=version, supported=SCHEMA_VERSION)
        # Version 0 is an empty file (checked by _check_kind); there is no older schema to migrate yet.
        for statement in SCHEMA:
            self.conn.execute(statement)
        self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _has_schema(self) -> bool:
        return bool(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """SQLite failures after opening (a damaged file, a full disk) become one located message."""
        shown = self.path.as_posix()
        try:
            yield
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc) or "malformed" in str(exc):
                raise fail("ledger.not_database", Location(shown), path=shown) from None
            raise fail("ledger.unwritable", Location(shown), path=shown, reason=str(exc)) from None

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One immediate write transaction: other writers wait (busy timeout) instead of failing."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            shown = self.path.as_posix()
            raise fail("ledger.busy", Location(shown), path=shown, reason=str(exc)) from None
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- documents (thidua report) --------------------------------------------------------

    def record_document(self, run_seq: int, path: str, fmt: str, sha256: str) -> None:
        """Note a document produced from run `run_seq`: where it was written, its format and hash."""
        with self._guard(), self._write():
            self.conn.execute(DOCUMENTS_TABLE)
            created = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
            self.conn.execute(
                "INSERT INTO documents (run_seq, created_at, path, format, sha256) VALUES (?, ?, ?, ?, ?)",
                (run_seq, created, path, fmt, sha256),
            )

    def documents(self, run_seq: int) -> list[dict[str, Any]]:
        """The documents recorded for a run, oldest first (none in a ledger that never had one)."""
        with self._guard():
            exists = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'")
            if exists.fetchone() is None:
                return []
            rows = self.conn.execute(
                "SELECT created_at, path, format, sha256 FROM documents WHERE run_seq = ? ORDER BY rowid", (run_seq,)
            )
            return [{"created_at": c, "path": p, "format": f, "sha256": h} for c, p, f, h in rows]

    # --- recording ---------------------------------------------------------------------

    def record(
        self, evaluation: Evaluation, files: Sequence[FileRecord], path_shown: str, outcomes: Parts = ()
    ) -> RunRecord:
        """Append one run (metadata, file snapshots, judgements, and its outcome table when given) in
        one transaction; return it."""
        with self._guard():
            return self._append(evaluation, files, path_shown, outcomes)

    def _append(
        self, evaluation: Evaluation, files: Sequence[FileRecord], path_shown: str, outcomes: Parts
    ) -> RunRecord:
        # `/2` bodies only beside the outcome table that keeps who is in each reason; a run recorded
        # without one (a block's agencies) keeps every entity in its bodies, so nothing is lost.
        bodies = [
            (j.target, j.status, _canonical(stored_body(j) if outcomes else j.to_dict())) for j in evaluation.judgements
        ]
        # the regimes applied (pack, legal basis, dates, the decision date) are recorded with the counts,
        # under the run's hash (rules/regime.py); runs recorded before carry only the counts
        summary = _canonical(
            {**evaluation.summary(), **({"criteria": evaluation.criteria} if evaluation.criteria else {})}
        )
        file_rows = [(f.role, f.path, f.sha256) for f in files]
        with self._write():
            self._ensure_schema()
            last = self.conn.execute("SELECT seq, hash FROM runs ORDER BY seq DESC LIMIT 1").fetchone()
            head = self._meta("head_seq")
            seq = max(last[0] if last else 0, int(head) if head else 0) + 1
            row: dict[str, Any] = {
                "seq": seq,
                "run_id": uuid.uuid4().hex,
                "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds"),
                "os_user": _os_user(),
                "host": platform.node() or "unknown",
                "tool_version": tool_version(),
                "engine": evaluation.engine,
                "python": platform.python_version(),
                "path": path_shown,
                "period": evaluation.period.value if evaluation.period is not None else None,
                "rules_digest": evaluation.rules_digest,
                "facts_digest": evaluation.facts_digest,
                "summary": summary,
                "prev_hash": last[1] if last else GENESIS,
            }
            row["hash"] = run_hash(row, file_rows, bodies)
            self.conn.execute(
                f"INSERT INTO runs ({', '.join(RUN_COLUMNS)}) VALUES ({', '.join('?' * len(RUN_COLUMNS))})",
                [row[c] for c in RUN_COLUMNS],
            )
            kept: set[str] = set()
            for f in files:  # a text the ledger already keeps (the same file in an earlier run) is not sent again
                assert f.text is not None
                if f.sha256 in kept:
                    continue
                kept.add(f.sha256)
                if self.conn.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (f.sha256,)).fetchone() is None:
                    self.conn.execute("INSERT INTO blobs (sha256, text) VALUES (?, ?)", (f.sha256, f.text))
            self.conn.executemany(
                "INSERT INTO run_files (run_seq, position, role, path, sha256) VALUES (?, ?, ?, ?, ?)",
                [(seq, i, *r) for i, r in enumerate(file_rows)],
            )
            self.conn.executemany(
                "INSERT INTO judgements (run_seq, position, target, status, body) VALUES (?, ?, ?, ?, ?)",
                [(seq, i, *b) for i, b in enumerate(bodies)],
            )
            if outcomes:
                self.conn.execute(OUTCOMES_TABLE)
                self.conn.executemany(
                    "INSERT INTO run_outcomes (run_seq, name, dtype, data) VALUES (?, ?, ?, ?)",
                    [(seq, "run_hash", "text", row["hash"].encode("ascii")), *((seq, *o) for o in outcomes)],
                )
            self._set_meta("head_seq", str(seq))
            self._set_meta("head_hash", row["hash"])
            _test_pause()
        # The run as stored, from what was just written (reading it back parsed every body and file again).
        return self._record(
            row,
            tuple(files),
            tuple(json.loads(body) for _, _, body in bodies),
            {target: status for target, status, _ in bodies},
        )

    def _meta(self, key: str) -> str | None:
        found = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(found[0]) if found else None

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # --- outcome tables (evaluator/audit/outcomes.py) ------------------------------------

    def _has_outcomes(self) -> bool:
        """Whether any run stored an outcome table (older ledgers have no such table)."""
        if not self._has_schema():
            return False
        exists = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'run_outcomes'")
        return exists.fetchone() is not None

    def recorded_run(self, rules_digest: str, facts_digest: str) -> tuple[int, str] | None:
        """(seq, hash) of the latest run on exactly these rules and facts that stored its outcome
        table, or None (no ledger table yet, no such run, or a table that names another run)."""
        with self._guard():
            if not self._has_outcomes():
                return None
            found = self.conn.execute(
                "SELECT r.seq, r.hash, o.data FROM runs r JOIN run_outcomes o ON o.run_seq = r.seq AND o.name = 'run_hash'"
                " WHERE r.rules_digest = ? AND r.facts_digest = ? ORDER BY r.seq DESC LIMIT 1",
                (rules_digest, facts_digest),
            ).fetchone()
            if found is None or bytes(found[2]).decode("ascii", "replace") != found[1]:
                return None
            return int(found[0]), str(found[1])

    def outcomes(self, seq: int) -> dict[str, tuple[str, bytes]]:
        """A run's outcome table as stored: name -> (dtype, zlib bytes), unpacked by the reader (empty
        for a run recorded without one)."""
        with self._guard():
            if not self._has_outcomes():
                return {}
            rows = self.conn.execute("SELECT name, dtype, data FROM run_outcomes WHERE run_seq = ?", (seq,))
            return {str(n): (str(t), bytes(d)) for n, t, d in rows}

    def outcome_part(self, seq: int, name: str) -> tuple[str, bytes] | None:
        """One part of a run's outcome table, (dtype, zlib bytes), or None: a question reads only
        the parts it needs, not the whole table (docs/audit.md)."""
        with self._guard():
            found = self.conn.execute(
                "SELECT dtype, data FROM run_outcomes WHERE run_seq = ? AND name = ?", (seq, name)
            ).fetchone()
            return None if found is None else (str(found[0]), bytes(found[1]))

    def latest_outcomes(self, rules_digest: str) -> tuple[int, str] | None:
        """(seq, facts digest) of the latest run on these rules that stored its outcome table, or
        None: the run whose recorded file stats a question compares first (evaluator/audit/freshness.py)."""
        with self._guard():
            if not self._has_outcomes():
                return None
            found = self.conn.execute(
                "SELECT r.seq, r.facts_digest FROM runs r JOIN run_outcomes o ON o.run_seq = r.seq"
                " AND o.name = 'run_hash' WHERE r.rules_digest = ? ORDER BY r.seq DESC LIMIT 1",
                (rules_digest,),
            ).fetchone()
            return None if found is None else (int(found[0]), str(found[1]))

    # --- reading -----------------------------------------------------------------------

    def _row(self, values: Sequence[Any]) -> dict[str, Any]:
        return dict(zip(RUN_COLUMNS, values, strict=True))

    def runs(self) -> list[RunRecord]:
        """Every run, oldest first, without file texts or judgement bodies."""
        with self._guard():
            return self._runs()

    def _runs(self) -> list[RunRecord]:
        if not self._has_schema():
            return []
        out = []
        statuses: dict[int, dict[str, str]] = {}
        for seq, target, status in self.conn.execute(
            "SELECT run_seq, target, status FROM judgements ORDER BY run_seq, position"
        ):
            statuses.setdefault(seq, {})[target] = status
        for values in self.conn.execute(f"SELECT {', '.join(RUN_COLUMNS)} FROM runs ORDER BY seq"):
            row = self._row(values)
            out.append(self._record(row, statuses=statuses.get(row["seq"], {})))
        return out

    def _record(
        self,
        row: dict[str, Any],
        files: tuple[FileRecord, ...] = (),
        judgements: tuple[dict[str, Any], ...] = (),
        statuses: dict[str, str] | None = None,
    ) -> RunRecord:
        try:
            summary = json.loads(row["summary"])
        except (TypeError, ValueError):
            summary = {}
        return RunRecord(
            **{k: row[k] for k in RUN_COLUMNS if k != "summary"},
            summary=summary,
            files=files,
            judgements=judgements,
            statuses=statuses or {},
        )

    def resolve(self, ref: str) -> int:
        """The seq of a run named by its number, 'last', or a prefix (6+ characters) of its run id."""
        shown = self.path.as_posix()
        ref = ref.strip()
        if not self._has_schema():
            raise fail("ledger.no_run", Location(shown), run=ref, path=shown)
        if ref.casefold() in ("last", "latest"):
            found = self.conn.execute("SELECT max(seq) FROM runs").fetchone()[0]
        elif ref.startswith("#") and ref[1:].isdigit():
            found = self._by_number(int(ref[1:]))
        elif ref.isdigit() and len(ref) < 6:
            found = self._by_number(int(ref))
        elif len(ref) >= 6:
            # A run id is hexadecimal, so its prefix may be all digits: a long number names a run id
            # when one matches, and a run number only when none does.
            found = self._by_id_prefix(ref)
            if found is None and ref.isdigit():
                found = self._by_number(int(ref))
        else:
            found = None
        if found is None:
            raise fail("ledger.no_run", Location(shown), run=ref, path=shown)
        return int(found)

    def _by_number(self, seq: int) -> int | None:
        row = self.conn.execute("SELECT seq FROM runs WHERE seq = ?", (seq,)).fetchone()
        return int(row[0]) if row else None

    def _by_id_prefix(self, prefix: str) -> int | None:
        rows = self.conn.execute(
            "SELECT seq FROM runs WHERE run_id LIKE ? ESCAPE '\\'",
            (prefix.replace("%", "\\%").replace("_", "\\_") + "%",),
        ).fetchall()
        return int(rows[0][0]) if len(rows) == 1 else None

    def get(self, ref: str) -> RunRecord:
        """One run whole: its metadata, file snapshots (with texts) and judgement bodies."""
        with self._guard():
            return self._get(ref)

    def _get(self, ref: str) -> RunRecord:
        seq = self.resolve(ref)
        values = self.conn.execute(f"SELECT {', '.join(RUN_COLUMNS)} FROM runs WHERE seq = ?", (seq,)).fetchone()
        row = self._row(values)
        files = tuple(
            FileRecord(role, path, sha, text)
            for role, path, sha, text in self.conn.execute(
                "SELECT f.role, f.path, f.sha256, b.text FROM run_files f LEFT JOIN blobs b ON b.sha256 = f.sha256 WHERE f.run_seq = ? ORDER BY f.position",
                (seq,),
            )
        )
        judgements = []
        statuses = {}
        for target, status, body in self.conn.execute(
            "SELECT target, status, body FROM judgements WHERE run_seq = ? ORDER BY position", (seq,)
        ):
            judgements.append(json.loads(body))
            statuses[target] = status
        return self._record(row, files, tuple(judgements), statuses)

    def count(self) -> int:
        with self._guard():
            return self._count()

    def _count(self) -> int:
        if not self._has_schema():
            return 0
        return int(self.conn.execute("SELECT count(*) FROM runs").fetchone()[0])

    # --- verification ------------------------------------------------------------------

    def verify(self) -> list[Finding]:
        """Recompute every hash and the chain; say which run was edited, inserted or deleted."""
        with self._guard():
            return self._verify()

    def _verify(self) -> list[Finding]:
        if not self._has_schema():
            return []
        findings: list[Finding] = []
        # Snapshot texts: each blob must still hash to its key.
        for sha, text in self.conn.execute("SELECT sha256, text FROM blobs"):
            if sha256_text(text if isinstance(text, str) else str(text)) != sha:
                users = [
                    r[0]
                    for r in self.conn.execute(
                        "SELECT DISTINCT run_seq FROM run_files WHERE sha256 = ? ORDER BY run_seq", (sha,)
                    )
                ]
                paths = sorted({r[0] for r in self.conn.execute("SELECT path FROM run_files WHERE sha256 = ?", (sha,))})
                findings.append(
                    Finding(
                        "audit.snapshot_edited",
                        users[0] if users else None,
                        {"files": ", ".join(paths), "runs": ", ".join(map(str, users))},
                    )
                )
        rows = [self._row(v) for v in self.conn.execute(f"SELECT {', '.join(RUN_COLUMNS)} FROM runs ORDER BY seq")]
        files: dict[int, list[tuple[str, str, str]]] = {}
        for seq, role, path, sha in self.conn.execute(
            "SELECT run_seq, role, path, sha256 FROM run_files ORDER BY run_seq, position"
        ):
            files.setdefault(seq, []).append((role, path, sha))
        bodies: dict[int, list[tuple[str, str, str]]] = {}
        for seq, target, status, body in self.conn.execute(
            "SELECT run_seq, target, status, body FROM judgements ORDER BY run_seq, position"
        ):
            bodies.setdefault(seq, []).append((target, status, body))
        known = {r["seq"] for r in rows}
        orphans = sorted((set(files) | set(bodies)) - known)
        for seq in orphans:
            findings.append(Finding("audit.orphan_rows", seq, {"seq": seq}))
        # A run no other run chains to, followed by a run that does chain to a known run, was
        # slipped in (a deleted run instead leaves its successor pointing at a hash that is gone).
        hashes = {r["hash"] for r in rows} | {GENESIS}
        referenced = {r["prev_hash"] for r in rows}
        inserted = {
            r["seq"]
            for i, r in enumerate(rows[:-1])
            if r["hash"] not in referenced and rows[i + 1]["prev_hash"] in hashes
        }
        for seq in sorted(inserted):
            findings.append(Finding("audit.inserted", seq, {"seq": seq}))
        rows = [r for r in rows if r["seq"] not in inserted]
        expected_prev = GENESIS
        previous_seq = 0
        for i, row in enumerate(rows):
            seq = row["seq"]
            recomputed = run_hash(row, files.get(seq, []), bodies.get(seq, []))
            edited = recomputed != row["hash"]
            if edited:
                findings.append(Finding("audit.edited", seq, {"seq": seq}))
            if row["prev_hash"] != expected_prev:
                following = rows[i + 1] if i + 1 < len(rows) else None
                if following is not None and following["prev_hash"] == expected_prev:
                    # The chain goes around this run: it was slipped in between two recorded runs.
                    findings.append(Finding("audit.inserted", seq, {"seq": seq}))
                    continue
                if seq != previous_seq + 1:
                    missing = ", ".join(str(s) for s in range(previous_seq + 1, seq))
                    findings.append(Finding("audit.deleted", seq, {"seq": seq, "missing": missing or "?"}))
                elif not edited:
                    findings.append(Finding("audit.chain_broken", seq, {"seq": seq, "previous": previous_seq}))
            elif seq != previous_seq + 1 and not edited:
                findings.append(Finding("audit.renumbered", seq, {"seq": seq}))
            expected_prev = row["hash"]
            previous_seq = seq
        head_seq, head_hash = self._meta("head_seq"), self._meta("head_hash")
        last_seq = rows[-1]["seq"] if rows else 0
        if head_seq is not None and int(head_seq) > last_seq:
            missing = ", ".join(str(s) for s in range(last_seq + 1, int(head_seq) + 1))
            findings.append(Finding("audit.deleted_last", None, {"missing": missing}))
        elif head_seq is not None and int(head_seq) < last_seq:
            findings.append(Finding("audit.inserted", last_seq, {"seq": last_seq}))
        elif rows and head_hash is not None and head_hash != rows[-1]["hash"]:
            findings.append(Finding("audit.edited", last_seq, {"seq": last_seq}))
        return _dedupe(findings)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, int | None]] = set()
    out = []
    for f in findings:
        if (f.code, f.seq) not in seen:
            seen.add((f.code, f.seq))
            out.append(f)
    return out


def _test_pause() -> None:
    marker = os.environ.get(PAUSE_HOOK_ENV)
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(60)


def snapshot_files(
    rule_texts: dict[str, str], input_rules: Sequence[str], fact_texts: dict[str, str]
) -> list[FileRecord]:
    """The files of a run with their role and hash: given rule files, used rule files, packs, facts."""
    out = []  # in load order: the order of given files decides the order of targets and entities
    for path in rule_texts:
        text = rule_texts[path]
        role = ROLE_PACK if path.startswith(PACK_PREFIX) else (ROLE_RULES if path in input_rules else ROLE_USED)
        out.append(FileRecord(role, path, sha256_text(text), text))
    for path in fact_texts:
        out.append(FileRecord(ROLE_FACTS, path, sha256_text(fact_texts[path]), fact_texts[path]))
    return out
