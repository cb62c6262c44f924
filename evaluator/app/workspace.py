"""The folder a service serves: its agency folders and years, and every folder asked for confined to it.

`thidua serve PATH` serves an agency folder or a folder of agencies (a block, a province). A request
names a folder relative to PATH (`folder=ban-dan-toc-binh-phuoc/2022`); `Workspace.folder` refuses
anything that would leave PATH — an absolute path, a `..`, a symbolic link pointing out, a rule or
fact file linked from outside — before any file is read.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from thidua.evaluator.app.errors import NotFound, OutsideFolder
from thidua.evaluator.app.ledgers import FolderLedgers, Ledgers
from thidua.evaluator.facts.inputs import BLOCK_FILE, FACT_SUFFIXES, RULE_SUFFIXES
from thidua.rules.errors import UserError
from thidua.rules.source import read_document_text

YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class Agency:
    """An agency folder under the served one: where it is, its name and its period as its rules say."""

    folder: str  # relative to the served folder, '/'-separated ("." for the served folder itself)
    name: str
    period: int | str | None
    group: str  # the agency the folder belongs to: its parent when the folder is a year


def _is_input(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((*RULE_SUFFIXES, *FACT_SUFFIXES))


class Workspace:
    """The served folder, its agencies, and the ledgers their runs are recorded in."""

    def __init__(self, root: Path, ledgers: Ledgers | None = None) -> None:
        self.root = root.resolve(strict=True)
        if not self.root.is_dir():
            raise NotFound("serve.not_a_folder", path=root.as_posix())
        self.ledgers: Ledgers = ledgers or FolderLedgers()

    def _inside(self, path: Path) -> bool:
        real = Path(os.path.realpath(path))
        return real == self.root or self.root in real.parents

    def folder(self, rel: str | None) -> Path:
        """The folder `rel` names under the served one; OutsideFolder or NotFound otherwise."""
        text = (rel or ".").strip()
        if "\x00" in text or "\\" in text or any(ord(c) < 32 for c in text):
            raise OutsideFolder("serve.outside", folder=text.encode("unicode_escape").decode())
        pure = PurePosixPath(text)
        if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", text):
            raise OutsideFolder("serve.outside", folder=text)
        path = self.root.joinpath(*[p for p in pure.parts if p != "."])
        if not self._inside(path):
            raise OutsideFolder("serve.outside", folder=text)
        if not path.is_dir():
            raise NotFound("serve.no_folder", folder=text)
        for entry in path.iterdir():  # a rule or fact file linked from outside the served folder is not read
            if _is_input(entry.name) and entry.is_symlink() and not self._inside(entry):
                raise OutsideFolder("serve.outside", folder=f"{text}/{entry.name}")
        return path

    def rel(self, path: Path) -> str:
        """How requests name `path`: relative to the served folder, '.' for itself."""
        rel = Path(os.path.realpath(path)).relative_to(self.root).as_posix()
        return rel or "."

    def agencies(self) -> list[Agency]:
        """Every agency folder under the served one (a folder with a rule file; hidden ones skipped)."""
        from thidua.evaluator.blocks.province import agency_folders

        out = []
        for path in agency_folders(self.root):
            if not self._inside(path):
                continue
            rel = self.rel(path)
            name, period = _name_and_period(path)
            parent = PurePosixPath(rel).parent.as_posix() if YEAR.match(path.name) and rel != "." else rel
            out.append(Agency(rel, name or path.name, period, parent))
        return out

    def agency(self, rel: str) -> Agency:
        path = self.folder(rel)
        name, period = _name_and_period(path)
        parent = PurePosixPath(self.rel(path)).parent.as_posix() if YEAR.match(path.name) else self.rel(path)
        return Agency(self.rel(path), name or path.name, period, parent)

    def files(self, rel: str) -> list[str]:
        """The rule, fact and test files of a folder, by name."""
        path = self.folder(rel)
        return sorted(
            p.name for p in path.iterdir() if p.is_file() and (_is_input(p.name) or p.name.endswith(".tests.yaml"))
        )


def _name_and_period(folder: Path) -> tuple[str | None, int | str | None]:
    """The `name` and `period` written at the top of the folder's first rule file (no checking: the
    list of agencies is read before anything is evaluated; a file that does not parse shows none)."""
    rules = sorted(p for p in folder.iterdir() if p.name.lower().endswith(RULE_SUFFIXES) and p.name != BLOCK_FILE)
    for path in rules:
        try:  # the positioned reader: within the input limits, aliases bounded
            data, _ = read_document_text(path, path.name)
        except (UserError, ValueError, OSError):
            continue
        if isinstance(data, dict):
            name = data.get("name")
            period = data.get("period")
            return (
                str(name).split(" — ")[0] if isinstance(name, str) else None,
                period if isinstance(period, (int, str)) else None,
            )
    return None, None


__all__ = ["Agency", "Workspace"]
