"""The one way a command writes a file: never over an input or a ledger, never through a link, atomically.

Folders travel between agencies, and a web service will write for people who are not the
machine's owner, so a file a command writes (a report, a block's documents, a drafted rule file,
schemas, a new agency folder) is checked first by `check_output` and written by `write_output`:

- an output that is one of the run's inputs (a rule or fact file, a `use:`d file, a template) or a
  ledger (any `.thidua-ledger.sqlite*`, the ledger given, or any SQLite database) is refused, and so
  is a symbolic link (also at a default name: it would write where it points), a folder, or anything
  that is not a regular file;
- a file that exists is replaced only with `force` (the commands' --force);
- the bytes go to a temporary file in the same folder, flushed to disk, then renamed over the
  target, so the target is either the old file or the whole new one, never half of each.

Refusals are UserErrors about the output path (exit 2 with the reason). Plain functions, no click:
any front end calls them.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from thidua.rules.errors import Location, fail

if TYPE_CHECKING:
    from thidua.evaluator.run import Run

SQLITE_HEADER = b"SQLite format 3\x00"
LEDGER_COMPANIONS = ("", "-wal", "-shm", "-journal")  # SQLite's files beside a database


def run_inputs(run: Run) -> list[Path]:
    """Every file `run` read: the rule and fact files found or given, and every file the rules
    reached through `use:` (packs included)."""
    return [*run.inputs.rules, *run.inputs.facts, *run.rules.sources.values()]


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _is_ledger(path: Path, info: os.stat_result | None, ledgers: Iterable[Path]) -> bool:
    """A ledger's name, a ledger given (or the default one: $THIDUA_LEDGER), one of their SQLite
    companions, or a regular file that is an SQLite database (a ledger under any name)."""
    from thidua.evaluator.audit.ledger import DEFAULT_LEDGER, default_ledger_path

    if path.name.startswith(DEFAULT_LEDGER):
        return True
    real = os.path.realpath(path)
    known = [*ledgers, default_ledger_path(None)]
    if any(real == os.path.realpath(f"{ledger}{end}") for ledger in known for end in LEDGER_COMPANIONS):
        return True
    if info is None or not stat.S_ISREG(info.st_mode):  # a pipe is never opened: it would block
        return False
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def check_output(path: Path, *, inputs: Iterable[Path] = (), ledgers: Iterable[Path] = (), force: bool = False) -> None:
    """Raise a UserError unless a document may be written at `path` (the rules in the module's
    docstring); `inputs` are the files of the run, `ledgers` the ledger files it uses."""
    shown = path.as_posix()
    where = Location(shown)
    if path.is_symlink():
        raise fail("output.symlink", where, path=shown)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise fail("output.failed", where, path=shown, reason=exc.strerror or type(exc).__name__) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise fail("output.directory", where, path=shown)
    here = (info.st_dev, info.st_ino) if info is not None else None
    real = os.path.realpath(path)
    for given in inputs:
        if real == os.path.realpath(given) or (here is not None and _identity(given) == here):
            raise fail("output.is_input", where, path=shown, input=given.as_posix())
    if _is_ledger(path, info, ledgers):
        raise fail("output.is_ledger", where, path=shown)
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise fail("output.not_regular", where, path=shown)
    if info is not None and not force:
        raise fail("output.exists", where, path=shown)
    folder = path.parent
    if not folder.is_dir():
        raise fail("output.no_folder", where, path=shown, folder=folder.as_posix())


def write_output(
    path: Path, data: bytes, *, inputs: Iterable[Path] = (), ledgers: Iterable[Path] = (), force: bool = False
) -> Path:
    """Write `data` at `path` if `check_output` allows it: into a temporary file of the same folder,
    flushed to disk, then renamed over `path` (without `force`, linked, so that a file created
    meanwhile is not replaced either). Returns `path`."""
    check_output(path, inputs=inputs, ledgers=ledgers, force=force)
    shown = path.as_posix()
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(temporary, flags, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
            os.fsync(handle)
        finally:
            os.close(handle)
        _put_in_place(temporary, path, force)
    except FileExistsError:
        raise fail("output.exists", Location(shown), path=shown) from None
    except OSError as exc:
        raise fail("output.failed", Location(shown), path=shown, reason=exc.strerror or type(exc).__name__) from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    _sync_folder(path.parent)
    return path


def _put_in_place(temporary: Path, path: Path, force: bool) -> None:
    if force:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)  # fails if a file appeared at `path` since it was checked
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links (FAT, some shares): checked just before
        if os.path.lexists(path):
            raise FileExistsError(path) from None
        os.replace(temporary, path)


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry of the renamed file (POSIX; elsewhere the rename is what there is)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


__all__ = ["check_output", "run_inputs", "write_output"]
