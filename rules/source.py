"""Reads YAML and JSON input into plain data that remembers the file, line and column of every node."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from thidua.rules.errors import Location, fail


class PosDict(dict):  # type: ignore[type-arg]
    """A mapping read from a file, with the location of itself, of each key and of each value."""

    loc: Location
    key_locs: dict[str, Location]
    value_locs: dict[str, Location]


class PosList(list):  # type: ignore[type-arg]
    """A sequence read from a file, with the location of itself and of each item."""

    loc: Location
    item_locs: list[Location]


def _convert(node: Any, file: str, loc: Location) -> Any:
    if isinstance(node, CommentedMap):
        out = PosDict()
        out.loc, out.key_locs, out.value_locs = loc, {}, {}
        for key, value in node.items():
            k = str(key)
            kl = node.lc.key(key)
            vl = node.lc.value(key)
            out.key_locs[k] = Location(file, kl[0] + 1, kl[1] + 1)
            out.value_locs[k] = Location(file, vl[0] + 1, vl[1] + 1)
            out[k] = _convert(value, file, out.value_locs[k])
        return out
    if isinstance(node, CommentedSeq):
        seq = PosList()
        seq.loc, seq.item_locs = loc, []
        for i, value in enumerate(node):
            il = node.lc.item(i)
            item_loc = Location(file, il[0] + 1, il[1] + 1)
            seq.item_locs.append(item_loc)
            seq.append(_convert(value, file, item_loc))
        return seq
    if hasattr(node, "isoformat") or isinstance(node, (str, int, float, bool)) or node is None:
        # ruamel returns str subclasses and scalar wrappers; keep plain Python types.
        if isinstance(node, bool) or node is None:
            return node
        if isinstance(node, str):
            return str(node)
        if isinstance(node, int):
            return int(node)
        if isinstance(node, float):
            return float(node)
        return node
    return node


class _SameLocation(dict):  # type: ignore[type-arg]
    """Key -> location table for JSON input, where every key is placed at the file itself."""

    def __init__(self, loc: Location) -> None:
        super().__init__()
        self.loc = loc

    def __missing__(self, key: str) -> Location:
        return self.loc


def _from_json(value: Any, file: str, loc: Location | None = None, locs: _SameLocation | None = None) -> Any:
    """JSON carries no positions we can read cheaply: every node points at the file."""
    if loc is None or locs is None:
        loc = Location(file)
        locs = _SameLocation(loc)
    if isinstance(value, dict):
        out = PosDict((str(k), _from_json(v, file, loc, locs)) for k, v in value.items())
        out.loc, out.key_locs, out.value_locs = loc, locs, locs
        return out
    if isinstance(value, list):
        seq = PosList(_from_json(v, file, loc, locs) for v in value)
        seq.loc, seq.item_locs = loc, [loc] * len(value)
        return seq
    return value


def display_path(path: Path, base: Path | None = None) -> str:
    """A stable, readable path for messages and reports: relative to base when inside it."""
    if base is not None:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def read_document(path: Path, shown_as: str | None = None) -> Any:
    """Parse one YAML or JSON file into PosDict/PosList data, or raise a located UserError."""
    name = shown_as or path.as_posix()
    if not path.exists():
        raise fail("file.missing", Location(name), path=name)
    if path.is_dir():
        raise fail("file.is_directory", Location(name), path=name)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail("file.not_utf8", Location(name), path=name, offset=exc.start) from None
    except OSError as exc:
        raise fail("file.unreadable", Location(name), path=name, reason=exc.strerror or str(exc)) from None
    if path.suffix.lower() == ".json":
        try:
            return _from_json(json.loads(text), name)
        except json.JSONDecodeError as exc:
            raise fail("yaml.syntax", Location(name, exc.lineno, exc.colno), detail=exc.msg) from None
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    try:
        node = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        detail = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        code = "yaml.duplicate_key" if "duplicate key" in detail else "yaml.syntax"
        raise fail(code, Location(name, line, col), detail=detail) from None
    except Exception as exc:  # ruamel raises a few unmarked errors (e.g. bad tokens)
        raise fail("yaml.syntax", Location(name), detail=str(exc).splitlines()[0]) from None
    return _convert(node, name, Location(name, 1, 1))


def locate(data: Any, path: Sequence[str | int], key_itself: bool = False) -> Location | None:
    """The location of the node at `path` (a pydantic error `loc`), or of the deepest node found."""
    node, best = data, getattr(data, "loc", None)
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, PosDict) and isinstance(part, str) and part in node:
            best = node.key_locs[part] if (last and key_itself) else node.value_locs[part]
            node = node[part]
        elif isinstance(node, PosList) and isinstance(part, int) and 0 <= part < len(node):
            best = node.item_locs[part]
            node = node[part]
        elif isinstance(node, (PosDict, PosList)):
            continue  # a tag added by pydantic for unions; it is not a key of the file
        else:
            break
    return best
