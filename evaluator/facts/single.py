"""One entity read from a fact file's text without reading the rest: its block found by its id, parsed and located."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from thidua.evaluator.facts.reader import Entity, FactReader
from thidua.rules.errors import Location, UserError
from thidua.rules.ruleset import RuleSet
from thidua.rules.source import PosDict, PosList, read_json_text, read_yaml_text

MAX_TRIES = 8  # candidate blocks tried per file before giving up (then the caller reads everything)


def read_entity(rules: RuleSet, texts: dict[str, str], kind: str, entity_id: str) -> Entity | None:
    """The entity `entity_id` of `kind` as the fact reader reads it (values, shown values, holdings,
    note, every location), from the one block of a YAML or JSON fact file that holds it.

    The facts were checked whole when the run was recorded (same digest), so only this block is
    parsed: a search for its id, then the reader on that block, its locations moved to where the block
    sits in the file. None when the block cannot be found this way (a spreadsheet, an unusual layout,
    the id written twice): the caller then reads the facts whole.
    """
    if any(not shown.lower().endswith((".yaml", ".yml", ".json")) for shown in texts):
        return None
    # First the id as writers usually write it (a plain substring search, fast on a large file),
    # then, when no file has it that way, a scan for any spacing and quoting.
    for fast in (True, False):
        found: list[Entity] = []
        for shown, text in texts.items():
            if shown.lower().endswith(".json"):
                found.extend(_json_blocks(rules, text, shown, kind, entity_id, fast))
            else:
                found.extend(_yaml_blocks(rules, text, shown, kind, entity_id, fast))
        if found:
            return found[0] if len(found) == 1 else None
    return None


def _matches(
    text: str, pattern: re.Pattern[str], needles: list[str], fast: bool, whole_line: bool
) -> list[re.Match[str]]:
    """Where `pattern` matches: at the places `needles` occur (fast), or anywhere (a scan)."""
    if not fast:
        return list(pattern.finditer(text))
    out: list[re.Match[str]] = []
    for needle in needles:
        pos = text.find(needle)
        while pos >= 0 and len(out) <= MAX_TRIES:
            if whole_line:
                start = text.rfind("\n", 0, pos) + 1
                end = text.find("\n", pos)
                m = pattern.fullmatch(text, start, end if end >= 0 else len(text))
            else:
                m = pattern.match(text, pos)
            if m is not None:
                out.append(m)
            pos = text.find(needle, pos + 1)
    return out


def _reader_entity(rules: RuleSet, kind: str, item: Any, loc: Location, entity_id: str) -> Entity | None:
    reader = FactReader(rules)
    reader.entity(kind, item, loc)
    items = reader.entities.get(kind, [])
    if reader.problems.items or len(items) != 1 or items[0].id != entity_id:
        return None
    return items[0]


def _yaml_blocks(rules: RuleSet, text: str, shown: str, kind: str, entity_id: str, fast: bool) -> list[Entity]:
    # `- id: p1`, `id: p1` under a `- name: ...`, or a flow mapping on its dash line `- {id: p1, ...}`
    line = (
        r"(?P<lead>[ ]*(?:-[ ]+)?)(?P<flow>\{[^\n]*?)?(?<![\w])id:[ ]*(?P<q>['\"]?)"
        + re.escape(entity_id)
        + r"(?P=q)(?:[ ]*(?:#.*)?|[ ]*[,}].*)"
    )
    pattern = re.compile(line if fast else "^" + line + "$", 0 if fast else re.MULTILINE)
    needles = [f"id: {entity_id}", f"id: '{entity_id}'", f'id: "{entity_id}"']
    out = []
    for tries, m in enumerate(_matches(text, pattern, needles, fast, whole_line=True)):
        if tries >= MAX_TRIES:
            return []
        start = text.rfind("\n", 0, m.start()) + 1
        id_indent = len(m.group("lead")) - len(m.group("lead").lstrip(" -"))
        # The item's dash: on the id line, or the nearest line above less indented than the id.
        dash = start
        if "-" not in m.group("lead"):
            pos = start
            while pos > 0:
                prev = text.rfind("\n", 0, pos - 1) + 1
                line = text[prev : pos - 1] if pos - 1 >= prev else ""
                stripped = line.lstrip(" ")
                indent = len(line) - len(stripped)
                if stripped and not stripped.startswith("#") and indent < id_indent:
                    dash = prev
                    break
                pos = prev
            else:
                continue
        dash_line = text[dash : text.find("\n", dash) if text.find("\n", dash) >= 0 else len(text)]
        dash_indent = len(dash_line) - len(dash_line.lstrip(" "))
        if not dash_line.lstrip(" ").startswith("-"):
            continue
        end = _block_end(text, dash, dash_indent)
        try:
            data = read_yaml_text(text[dash:end], shown)
        except UserError:
            continue
        if not isinstance(data, PosList) or len(data) != 1:
            continue
        lines_before = text.count("\n", 0, dash)
        entity = _reader_entity(rules, kind, data[0], data.item_locs[0], entity_id)
        if entity is not None:
            out.append(_moved(entity, lines_before, 0))
    return out


def _block_end(text: str, start: int, indent: int) -> int:
    """Where the list item starting at `start` (its dash at `indent`) ends: the next line written at
    or left of the dash (blank lines and comments do not end it)."""
    pos = text.find("\n", start)
    while pos >= 0:
        nxt = text.find("\n", pos + 1)
        line = text[pos + 1 : nxt if nxt >= 0 else len(text)]
        stripped = line.lstrip(" ")
        if stripped and not stripped.startswith("#") and len(line) - len(stripped) <= indent:
            return pos + 1
        pos = nxt
    return len(text)


def _json_blocks(rules: RuleSet, text: str, shown: str, kind: str, entity_id: str, fast: bool) -> list[Entity]:
    quoted = json.dumps(entity_id, ensure_ascii=False)
    written = re.escape(quoted) + (r"|" + re.escape(entity_id) if entity_id.isdigit() else "")
    pattern = re.compile(r'"id"\s*:\s*(?:' + written + r")(?=\s*[,}])")
    needles = [f'"id": {quoted}', f'"id":{quoted}']
    if entity_id.isdigit():
        needles += [f'"id": {entity_id}', f'"id":{entity_id}']
    decoder = json.JSONDecoder()
    out = []
    for tries, m in enumerate(_matches(text, pattern, needles, fast, whole_line=False)):
        if tries >= MAX_TRIES:
            return []
        pos = m.start()
        for _ in range(MAX_TRIES):
            pos = text.rfind("{", 0, pos)
            if pos < 0:
                break
            try:
                value, end = decoder.raw_decode(text, pos)
            except ValueError:
                continue
            if end <= m.start():
                continue  # an object that closed before the id: not the entity's
            if isinstance(value, dict) and str(value.get("id")).strip() == entity_id:
                break
        else:
            continue
        if pos < 0:
            continue
        try:
            data = read_json_text(text[pos:end], shown)
        except UserError:
            continue
        if not isinstance(data, PosDict):
            continue
        lines_before = text.count("\n", 0, pos)
        column = pos - (text.rfind("\n", 0, pos) + 1)
        entity = _reader_entity(rules, kind, data, data.loc, entity_id)
        if entity is not None:
            out.append(_moved(entity, lines_before, column))
    return out


def _moved(entity: Entity, lines: int, column: int) -> Entity:
    """The entity with every location moved from its block to the file: `lines` down, and `column`
    right on the block's first line."""

    def move(loc: Location | None) -> Location | None:
        if loc is None or loc.line <= 0:
            return loc
        return dataclasses.replace(
            loc, line=loc.line + lines, column=loc.column + column if loc.line == 1 else loc.column
        )

    entity.loc = move(entity.loc)
    entity.value_locs = {k: v for k, v in ((k, move(v)) for k, v in entity.value_locs.items()) if v is not None}
    entity.holdings = {t: dataclasses.replace(h, loc=move(h.loc)) for t, h in entity.holdings.items()}
    return entity


__all__ = ["read_entity"]
