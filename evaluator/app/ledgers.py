"""Where each agency's ledger is: the one interface every operation reaches a ledger through.

The embedded default keeps a SQLite ledger in each agency folder (or the file the `--ledger` option
or $THIDUA_LEDGER names, evaluator/audit/ledger.py `default_ledger_path`). A service for many
agencies supplies another `Ledgers` (a database, say) to the same operations: nothing else in the
application layer or its front ends opens a ledger by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from thidua.evaluator.audit.ledger import Ledger, default_ledger_path


class Ledgers(Protocol):
    """How the operations find and open the ledger of an agency folder (or of the working folder)."""

    def where(self, folder: Path | None) -> Path:
        """The ledger that records the runs of `folder` (None: the one the audit commands read)."""
        ...

    def open(self, folder: Path | None, create: bool = False) -> Ledger:
        """That ledger, open (a context manager); `create` makes it when it does not exist yet."""
        ...


@dataclass(frozen=True)
class FolderLedgers:
    """SQLite ledgers: `.thidua-ledger.sqlite` in each agency folder, unless a file is given."""

    option: Path | None = None  # the --ledger option: a file, or a folder holding the ledger

    def where(self, folder: Path | None) -> Path:
        return default_ledger_path(self.option, folder)

    def open(self, folder: Path | None, create: bool = False) -> Ledger:
        return Ledger.open(self.where(folder), create=create)


__all__ = ["FolderLedgers", "Ledgers"]
