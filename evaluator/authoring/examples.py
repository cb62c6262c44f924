"""The example agency folders shipped inside the package: list them, copy one to edit (`thidua example`)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from thidua.evaluator.output import write_output
from thidua.rules.errors import Location, fail, suggest

PACKAGE = "thidua.examples"
SKIPPED = ("__pycache__", "__init__.py")


@dataclass(frozen=True)
class Example:
    """A shipped example: its folder name, the first heading of its README, and its period folders."""

    name: str
    title: str
    periods: tuple[str, ...]


def _root() -> Traversable:
    return resources.files(PACKAGE)


def _title(folder: Traversable) -> str:
    readme = folder / "README.md"
    if readme.is_file():
        for line in readme.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip()
    return folder.name


def examples() -> list[Example]:
    """Every shipped example, by name."""
    found = []
    for entry in _root().iterdir():
        if entry.is_dir() and entry.name not in SKIPPED and not entry.name.startswith((".", "_")):
            periods = tuple(sorted(p.name for p in entry.iterdir() if p.is_dir() and p.name not in SKIPPED))
            found.append(Example(entry.name, _title(entry), periods))
    return sorted(found, key=lambda e: e.name)


def _copy(src: Traversable, dest: Path) -> list[Path]:
    written: list[Path] = []
    dest.mkdir(parents=True, exist_ok=True)
    for entry in sorted(src.iterdir(), key=lambda e: e.name):
        if entry.name in SKIPPED or entry.name.endswith(".pyc"):
            continue
        target = dest / entry.name
        if entry.is_dir():
            written.extend(_copy(entry, target))
        else:
            written.append(write_output(target, entry.read_bytes()))  # a new folder: never replaces a file
    return written


def copy_example(name: str, dest: Path | None = None) -> tuple[Path, list[Path]]:
    """Copy example `name` into `dest` (default: ./NAME); refuses a destination that already exists."""
    known = {e.name: e for e in examples()}
    if name not in known:
        raise fail(
            "example.unknown", Location(name), suggest(name, known), name=name, names=", ".join(sorted(known)) or "—"
        )
    target = dest if dest is not None else Path(name)
    if target.exists() or target.is_symlink():
        raise fail("example.exists", Location(target.as_posix()), path=target.as_posix())
    return target, _copy(_root() / name, target)
