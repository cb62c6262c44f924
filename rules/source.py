"""Reads YAML and JSON input into plain data that remembers the file, line and column of every node."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from thidua.rules.errors import Location, fail
from thidua.rules.yaml_errors import syntax_error


class PosDict(dict):  # type: ignore[type-arg]
    """A mapping read from a file, with the location of itself, of each key and of each value."""

    loc: Location
    key_locs: dict[str, Location]
    value_locs: dict[str, Location]


class PosList(list):  # type: ignore[type-arg]
    """A sequence read from a file, with the location of itself and of each item."""

    loc: Location
    item_locs: list[Location]


# libyaml's composer when PyYAML was built with it (the wheels are): about 20 times faster than a
# pure-Python parser on a roster, and its nodes carry the line and column we need.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _at(node: Node, file: str) -> Location:
    return Location(file, node.start_mark.line + 1, node.start_mark.column + 1)


class _Converter:
    """Turns a composed YAML node graph into PosDict/PosList data with plain Python scalars."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.constructor = SafeConstructor()

    def scalar(self, node: ScalarNode) -> Any:
        try:
            return self.constructor.construct_object(node)
        except ConstructorError as exc:
            raise fail("yaml.syntax", _at(node, self.file), detail=str(exc.problem)) from None
        except ValueError as exc:  # e.g. a timestamp with an impossible date
            raise fail("yaml.syntax", _at(node, self.file), detail=str(exc)) from None

    def convert(self, node: Node) -> Any:
        if isinstance(node, MappingNode):
            out = PosDict()
            out.loc, out.key_locs, out.value_locs = _at(node, self.file), {}, {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise fail("yaml.syntax", _at(key_node, self.file), detail="a key must be a plain value")
                key = str(self.scalar(key_node))
                if key in out:
                    first = out.key_locs[key]
                    raise fail("yaml.duplicate_key", _at(key_node, self.file), detail=f"'{key}' ({first})")
                out.key_locs[key] = _at(key_node, self.file)
                out.value_locs[key] = _at(value_node, self.file)
                out[key] = self.convert(value_node)
            return out
        if isinstance(node, SequenceNode):
            seq = PosList()
            seq.loc, seq.item_locs = _at(node, self.file), []
            for item in node.value:
                seq.item_locs.append(_at(item, self.file))
                seq.append(self.convert(item))
            return seq
        assert isinstance(node, ScalarNode)
        return self.scalar(node)


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
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        raise syntax_error(exc, text, name) from None
    except yaml.YAMLError as exc:
        raise fail("yaml.syntax", Location(name), detail=str(exc).splitlines()[0]) from None
    if node is None:
        return None
    return _Converter(name).convert(node)


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
