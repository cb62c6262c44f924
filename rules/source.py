"""Reads YAML and JSON input into plain data that remembers the file, line and column of every node.

Every byte of input passes through here or through `read_input_bytes` (spreadsheets): only regular
files, within the limits of `thidua.rules.limits`, parsed with safe YAML only (no tag runs code).
Plain scalars are resolved as people write them, not by YAML 1.1: `010` and `08` are the decimal
numbers ten and eight, `yes`/`no`/`on`/`off` stay text (only `true`/`false` are booleans), `1:30`
is text, and `.inf`, `.nan`, `1e400` and integers of more than MAX_INT_DIGITS digits are refused
where they are written.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from thidua.rules.errors import Location, fail
from thidua.rules.limits import MAX_ALIAS_NODES, MAX_DEPTH, MAX_INT_DIGITS, MAX_TEXT_BYTES
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


class WrittenInt(int):
    """An integer written with leading zeros ("010", "08"): the decimal number, shown as written.

    Where the schema wants a number it is that number (ten, not YAML 1.1's octal eight); where it
    wants text (an id, a name, a phone number) `str()` gives back the digits as written.
    """

    text: str

    def __new__(cls, text: str) -> WrittenInt:
        obj = super().__new__(cls, int(text, 10))
        obj.text = text
        return obj

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:
        return self.text if not spec else int(self).__format__(spec)


# --- reading bytes ------------------------------------------------------------------------


def check_input_file(path: Path, shown: str, limit: int = MAX_TEXT_BYTES) -> int:
    """The size of one input file, or a located UserError: a regular file of at most `limit` bytes.

    A FIFO would block forever, /dev/zero never ends, a symlink loop cannot be opened: each is
    refused by name instead of being read or skipped.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise fail("file.missing", Location(shown), path=shown) from None
    except OSError as exc:
        raise fail("file.unreadable", Location(shown), path=shown, reason=exc.strerror or str(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise fail("file.is_directory", Location(shown), path=shown)
    if not stat.S_ISREG(info.st_mode):
        raise fail("input.not_regular", Location(shown), path=shown)
    if info.st_size > limit:
        raise fail("input.too_large", Location(shown), path=shown, size=info.st_size, limit=limit)
    return int(info.st_size)


def read_input_bytes(path: Path, shown: str, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of one input file (check_input_file), or a located UserError."""
    check_input_file(path, shown, limit)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise fail("file.unreadable", Location(shown), path=shown, reason=exc.strerror or str(exc)) from None
    if len(raw) > limit:  # the file grew while we read it
        raise fail("input.too_large", Location(shown), path=shown, size=len(raw), limit=limit)
    return raw


def read_input_text(path: Path, shown: str) -> str:
    """The UTF-8 text (a BOM allowed) of one input file, within the limits."""
    return decoded(read_input_bytes(path, shown), shown)


def decoded(raw: bytes, shown: str) -> str:
    """The UTF-8 text (a BOM allowed) of an input file's bytes, or a located UserError."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail("file.not_utf8", Location(shown, line, 1), path=shown, offset=exc.start) from None


# --- visible text ---------------------------------------------------------------------------

# Control characters (but tab and newline), DEL, C1 controls and the bidirectional overrides:
# in a terminal they recolour, move the cursor, hide or reorder text. Read from a file they are
# shown as visible escapes, e.g. ESC as "\x1b", so no value can act on the terminal.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def hides(text: str) -> bool:
    """Whether `text` holds a character `visible` would write as an escape."""
    return _INVISIBLE.search(text) is not None


def visible(text: str) -> str:
    """`text` with every control character written as a visible escape."""
    if not _INVISIBLE.search(text):
        return text
    return _INVISIBLE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text
    )


# --- YAML ---------------------------------------------------------------------------------


class _Resolver(BaseResolver):  # type: ignore[misc]
    """Plain scalars resolved like YAML 1.2's core schema, with decimal leading zeros."""


for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^[-+]?[0-9]+$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    (
        "timestamp",
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
        "0123456789",
    ),
):
    _Resolver.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(_pattern, re.X), [*_first] + ([""] if _tag == "null" else [])
    )

# libyaml's composer when PyYAML was built with it (the wheels are): about 5 times faster than the
# pure-Python one on a roster, and its nodes carry the line and column we need. Only the resolver
# (which tag a plain scalar gets) is ours; parsing and composing stay in C.
try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    _CParser = None

if _CParser is not None:

    class _Loader(_CParser, SafeConstructor, _Resolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            _Resolver.__init__(self)

else:  # pragma: no cover - a PyYAML built without libyaml

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,  # type: ignore[misc]
        yaml.scanner.Scanner,  # type: ignore[misc]
        yaml.parser.Parser,  # type: ignore[misc]
        yaml.composer.Composer,  # type: ignore[misc]
        SafeConstructor,  # type: ignore[misc]
        _Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            SafeConstructor.__init__(self)
            _Resolver.__init__(self)


_TAG = "tag:yaml.org,2002:"
_STR, _INT = _TAG + "str", _TAG + "int"
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9]")


def _at(node: Node, file: str) -> Location:
    return Location(file, node.start_mark.line + 1, node.start_mark.column + 1)


def check_number(value: Any, loc: Location) -> Any:
    """`value` if it is a number thidua can compute with exactly; a located UserError if not."""
    if isinstance(value, float) and not math.isfinite(value):
        raise fail("input.number_not_finite", loc, value=value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_INT_DIGITS:
        raise fail("input.number_too_long", loc, limit=MAX_INT_DIGITS)
    return value


class _Converter:
    """Turns a composed YAML node graph into PosDict/PosList data with plain Python scalars.

    Bounds what a small file can make: nesting up to MAX_DEPTH, nodes repeated through aliases up
    to MAX_ALIAS_NODES, and no alias inside the node it names.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.constructor = SafeConstructor()
        self.sizes: dict[int, int] = {}  # id(node) -> nodes it converts to, once converted
        self.active: set[int] = set()
        self.count = 0
        self.alias_nodes = 0
        self.in_alias = 0

    def scalar(self, node: ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _STR:
            return visible(text)
        if tag == _INT:
            digits = text.strip().lstrip("+-")
            if not digits.isdigit():
                raise fail("yaml.syntax", _at(node, self.file), detail=f"'{visible(text)}' is not a whole number")
            if len(digits.lstrip("0")) > MAX_INT_DIGITS:
                raise fail("input.number_too_long", _at(node, self.file), limit=MAX_INT_DIGITS)
            return WrittenInt(text.strip()) if _LEADING_ZERO.match(text.strip()) else int(text, 10)
        if tag == _TAG + "float":
            loc = _at(node, self.file)
            if text.strip().lower().lstrip("+-") in (".inf", ".nan"):
                raise fail("input.number_not_finite", loc, value=text)
            try:
                return check_number(float(text), loc)
            except ValueError:
                raise fail("yaml.syntax", loc, detail=f"'{visible(text)}' is not a number") from None
        if tag == _TAG + "bool":
            if text.lower() not in ("true", "false"):
                raise fail("yaml.syntax", _at(node, self.file), detail=f"'{visible(text)}' is not true or false")
            return text.lower() == "true"
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "timestamp":
            try:
                return self.constructor.construct_yaml_timestamp(node)
            except (ConstructorError, ValueError, TypeError) as exc:
                raise fail("yaml.syntax", _at(node, self.file), detail=visible(str(exc))) from None
        # !!python/..., !!binary, !!set and any local tag: nothing in a file is executed or made
        # into an object; only plain data is read.
        raise fail("input.tag", _at(node, self.file), tag=visible(str(tag)))

    def key(self, node: Node) -> str:
        if not isinstance(node, ScalarNode):
            raise fail("yaml.syntax", _at(node, self.file), detail="a key must be a plain value")
        if node.tag != _STR:
            self.scalar(node)  # refuses tags, .nan and the like in a key as in a value
        return visible(node.value)

    def convert(self, node: Node, depth: int = 0) -> Any:
        if isinstance(node, ScalarNode):  # the common case first, without the bookkeeping below
            self.count += 1
            return self.scalar(node)
        if depth > MAX_DEPTH:
            raise fail("input.too_deep", _at(node, self.file), limit=MAX_DEPTH)
        ident = id(node)
        if ident in self.active:
            raise fail("input.alias_cycle", _at(node, self.file))
        repeated = ident in self.sizes and not self.in_alias
        if repeated:  # reached again through an alias: count what it expands to before expanding
            self.alias_nodes += self.sizes[ident]
            if self.alias_nodes > MAX_ALIAS_NODES:
                raise fail("input.alias_expansion", _at(node, self.file), limit=MAX_ALIAS_NODES)
            self.in_alias += 1
        before = self.count
        self.count += 1
        self.active.add(ident)
        try:
            return self._collection(node, depth)
        finally:
            self.active.discard(ident)
            self.sizes.setdefault(ident, self.count - before)
            if repeated:
                self.in_alias -= 1

    def _collection(self, node: Node, depth: int) -> Any:
        if isinstance(node, MappingNode):
            if node.tag != _TAG + "map":
                raise fail("input.tag", _at(node, self.file), tag=visible(str(node.tag)))
            out = PosDict()
            out.loc, out.key_locs, out.value_locs = _at(node, self.file), {}, {}
            for key_node, value_node in node.value:
                key = self.key(key_node)
                if key in out:
                    first = out.key_locs[key]
                    raise fail("yaml.duplicate_key", _at(key_node, self.file), key=key, first=first)
                out.key_locs[key] = _at(key_node, self.file)
                out.value_locs[key] = _at(value_node, self.file)
                out[key] = self.convert(value_node, depth + 1)
            return out
        assert isinstance(node, SequenceNode)
        if node.tag != _TAG + "seq":
            raise fail("input.tag", _at(node, self.file), tag=visible(str(node.tag)))
        seq = PosList()
        seq.loc, seq.item_locs = _at(node, self.file), []
        for item in node.value:
            seq.item_locs.append(_at(item, self.file))
            seq.append(self.convert(item, depth + 1))
        return seq


def _compose(text: str, name: str) -> Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise syntax_error(exc, text, name) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, most controls)
        before = text[: exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        detail = f"character #x{exc.character:04x} is not allowed" if isinstance(exc.character, int) else exc.reason
        raise fail("yaml.syntax", Location(name, line, column), detail=detail) from None
    except yaml.YAMLError as exc:
        raise fail("yaml.syntax", Location(name), detail=visible(str(exc).splitlines()[0])) from None
    except RecursionError:
        raise fail("input.too_deep", _deepest(text, name), limit=MAX_DEPTH) from None


def _deepest(text: str, name: str) -> Location:
    """Where nesting first goes past MAX_DEPTH, found from the parser's event stream (which, unlike
    composing, does not recurse). Only called after composing failed for want of stack."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return Location(name, event.start_mark.line + 1, event.start_mark.column + 1)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            return Location(name, mark.line + 1, mark.column + 1)
    except (yaml.YAMLError, RecursionError):
        pass
    return Location(name)


# --- JSON ---------------------------------------------------------------------------------


class _SameLocation(dict):  # type: ignore[type-arg]
    """Key -> location table for JSON input, where every key is placed at the file itself."""

    def __init__(self, loc: Location) -> None:
        super().__init__()
        self.loc = loc

    def __missing__(self, key: str) -> Location:
        return self.loc


class _JsonDuplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _JsonDuplicate(key)
        out[key] = value
    return out


def _json_constant(name: str) -> float:
    raise ValueError(name)


def _from_json(value: Any, file: str, depth: int = 0, locs: _SameLocation | None = None) -> Any:
    """JSON read by the json module carries no positions: every node points at the file."""
    if locs is None:
        locs = _SameLocation(Location(file))
    if depth > MAX_DEPTH:
        raise fail("input.too_deep", locs.loc, limit=MAX_DEPTH)
    if isinstance(value, dict):
        out = PosDict((visible(str(k)), _from_json(v, file, depth + 1, locs)) for k, v in value.items())
        out.loc, out.key_locs, out.value_locs = locs.loc, locs, locs
        return out
    if isinstance(value, list):
        seq = PosList(_from_json(v, file, depth + 1, locs) for v in value)
        seq.loc, seq.item_locs = locs.loc, [locs.loc] * len(value)
        return seq
    if isinstance(value, str):
        return visible(value)
    return check_number(value, locs.loc)


def _read_json(text: str, name: str) -> Any:
    """JSON checked and read by the json module (its grammar, no duplicate keys, no NaN), located by
    the YAML composer (JSON is YAML's flow style): values from the one, lines and columns from the
    other. Located at the file only if the composer cannot follow the document at all."""
    try:
        value = json.loads(text, object_pairs_hook=_json_pairs, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise fail("yaml.syntax", Location(name, exc.lineno, exc.colno), detail=exc.msg) from None
    except _JsonDuplicate as exc:
        seen = list(re.finditer(re.escape(json.dumps(exc.key)) + r"\s*:", text))
        at = _find(text[: seen[1].start()] + "\0", "\0", name) if len(seen) > 1 else None
        raise fail("input.json_duplicate_key", at or Location(name), key=visible(exc.key)) from None
    except ValueError as exc:  # NaN, Infinity, or an integer too long for Python to read
        at = _find(text, r"(?<![\w\"])-?(?:NaN|Infinity)(?![\w\"])", name)
        if at is not None:
            raise fail("input.number_not_finite", at, value=visible(str(exc))[:40]) from None
        at = _find(text, "[0-9]{" + str(MAX_INT_DIGITS + 1) + ",}", name) or Location(name)
        raise fail("input.number_too_long", at, limit=MAX_INT_DIGITS) from None
    except RecursionError:
        raise fail("input.too_deep", _json_deepest(text, name) or Location(name), limit=MAX_DEPTH) from None
    try:
        node = yaml.compose(_composable(text), Loader=_Loader)
    except (yaml.YAMLError, RecursionError):  # libyaml stops at 1,000 levels, Python's stack about there
        node = None
    if node is None and (deepest := _json_deepest(text, name)) is not None:
        raise fail("input.too_deep", deepest, limit=MAX_DEPTH)
    if node is not None:
        try:
            return _JsonLocator(name).walk(value, node, 0)
        except _Mismatch:
            pass
    return _from_json(value, name)


_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[\[\]{}]')


def _json_deepest(text: str, name: str) -> Location | None:
    """Where a JSON text's nesting first goes past MAX_DEPTH, by its brackets outside strings; None
    when it never does. The same place the
    positioned walk names for shallower data, whatever depth stopped the parsers (json's stack,
    libyaml's 1,000 levels, orjson's 254 on writing back)."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            if depth > MAX_DEPTH:  # the document itself is at depth 0, as in the positioned walk
                return _at_offset(text, match.start(), name)
            depth += 1
        elif token in "]}":
            depth -= 1
    return None


# Characters valid in a JSON string but refused by YAML's reader, and \uXXXX escapes it may refuse
# (surrogate pairs): replaced, same length, in the copy the composer reads for positions only.
_NOT_YAML = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff]")
_ESCAPE = re.compile(r"\\u[0-9a-fA-F]{4}")


def _composable(text: str) -> str:
    return _ESCAPE.sub(r"\\u0041", _NOT_YAML.sub("?", text.replace("\t", " ")))


class _Mismatch(Exception):
    """The composer's reading of a JSON document differs in shape from the json module's."""


class _JsonLocator:
    """Builds PosDict/PosList data from the json module's values and the composer's positions."""

    def __init__(self, file: str) -> None:
        self.file = file

    def walk(self, value: Any, node: Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise fail("input.too_deep", _at(node, self.file), limit=MAX_DEPTH)
        if isinstance(value, dict):
            if not isinstance(node, MappingNode) or len(node.value) != len(value):
                raise _Mismatch
            out = PosDict()
            out.loc, out.key_locs, out.value_locs = _at(node, self.file), {}, {}
            for (key, item), (key_node, item_node) in zip(value.items(), node.value, strict=True):
                shown = visible(str(key))
                out.key_locs[shown] = _at(key_node, self.file)
                out.value_locs[shown] = _at(item_node, self.file)
                out[shown] = self.walk(item, item_node, depth + 1)
            return out
        if isinstance(value, list):
            if not isinstance(node, SequenceNode) or len(node.value) != len(value):
                raise _Mismatch
            seq = PosList()
            seq.loc, seq.item_locs = _at(node, self.file), []
            for item, item_node in zip(value, node.value, strict=True):
                seq.item_locs.append(_at(item_node, self.file))
                seq.append(self.walk(item, item_node, depth + 1))
            return seq
        if not isinstance(node, ScalarNode):
            raise _Mismatch
        if isinstance(value, str):
            return visible(value)
        return check_number(value, _at(node, self.file))


def _find(text: str, pattern: str, name: str) -> Location | None:
    """The line and column of the first match of `pattern` in `text`."""
    m = re.search(pattern, text)
    return None if m is None else _at_offset(text, m.start(), name)


def _at_offset(text: str, offset: int, name: str) -> Location:
    """The line and column of a character of `text`."""
    return Location(name, text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset))


# --- documents ----------------------------------------------------------------------------


def display_path(path: Path, base: Path | None = None) -> str:
    """A stable, readable path for messages and reports: relative to base when inside it."""
    if base is not None:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):
            pass
    return path.as_posix()


def read_document_text(path: Path, shown_as: str | None = None) -> tuple[Any, str]:
    """Parse one YAML or JSON file into PosDict/PosList data, with its text; or a located UserError."""
    name = shown_as or path.as_posix()
    text = read_input_text(path, name)
    if path.suffix.lower() == ".json":
        return _read_json(text, name), text
    node = _compose(text, name)
    if node is None:
        return None, text
    return _Converter(name).convert(node), text


def read_document(path: Path, shown_as: str | None = None) -> Any:
    """Parse one YAML or JSON file into PosDict/PosList data, or raise a located UserError."""
    return read_document_text(path, shown_as)[0]


def read_json_text(text: str, name: str) -> Any:
    """Parse JSON text (e.g. a fact file's text kept for the ledger) into PosDict/PosList data."""
    return _read_json(text, name)


class _PlainLoader(_Loader):
    """The same parser and resolver, with the tag of each distinct plain scalar resolved once."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._resolved: dict[tuple[Any, str, Any], Any] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit[0], implicit[1])
        tag = self._resolved.get(key)
        if tag is None:
            tag = self._resolved[key] = super().resolve(kind, value, implicit)
        return tag


def compose_plain(text: str) -> Node | None:
    """The YAML node graph of `text` with the tags the positioned reader gives, for a reader that
    needs no positions; raises PyYAML's errors as they come (that reader falls back to this module)."""
    return yaml.compose(text, Loader=_PlainLoader)


def plain_scalar(node: ScalarNode, file: str) -> Any:
    """A scalar node's value exactly as `read_document` reads it (or its located UserError)."""
    return _Converter(file).scalar(node)


def read_yaml_text(text: str, name: str) -> Any:
    """Parse YAML text (not from a file) the same way, e.g. a rule file `init` has just written."""
    node = _compose(text, name)
    return None if node is None else _Converter(name).convert(node)


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


# The file that makes a folder an emulation block (evaluator/blocks): its members' folders sit
# inside it and share its files, e.g. `use: [../giao-uoc-khoi.yaml]`.
BLOCK_FILE = "block.rules.yaml"


AGENCY_MARKER = ".thidua-agency"  # a file that makes its folder the agency folder of every sub-folder
YEAR_FOLDER = re.compile(r"\d{4}(?:-\d{4})?")  # a year (2022) or a school year (2023-2024)


def agency_folder(folder: Path) -> Path:
    """The folder a rule or tests file in `folder` may reach files in (docs/reliability.md, "Paths"):
    the nearest folder at or above it that holds an AGENCY_MARKER file (`thidua init` writes one), so
    any sub-folder of a marked agency folder (2024/, natural/, 2017-awaiting/) may use its files;
    without a marker (or with one in the file's own year folder), its own folder, or the folder
    holding it when it is a year or school-year folder or a member's folder inside an emulation
    block. Links are followed first: the folder is where the files really are, and what it holds
    is checked there (`inside`)."""
    real = folder.resolve()
    shared = YEAR_FOLDER.fullmatch(real.name) or (real.parent / BLOCK_FILE).is_file()
    found = real.parent if shared else real
    for ancestor in (real, *real.parents):
        if (ancestor / AGENCY_MARKER).is_file():
            # a marker never narrows what a year folder or a block member could reach before
            return ancestor if len(ancestor.parts) < len(found.parts) else found
    return found


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, with every link followed, is `root` or lies under it."""
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True
