"""YAML syntax errors explained to people who do not know YAML: what went wrong, where, and the usual fix.

PyYAML words its errors for programmers ("mapping values are not allowed in this context"). The
usual causes in rule and fact files are few: a ": " or a "#" inside a title, a Tab, a quote or a
bracket left open, a line indented differently from its neighbours. Each gets a message code of its
own (rules/messages.py, "yaml.syntax.*"); anything else keeps the generic message with PyYAML's text.
"""

from __future__ import annotations

import yaml

from thidua.rules.errors import Location, UserError, fail


def _char_at(text: str, line: int, column: int) -> str:
    """The character at a 1-based line and column of `text`, or "" past its end."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    row = lines[line - 1]
    return row[column - 1] if 1 <= column <= len(row) else ""


def syntax_error(exc: yaml.MarkedYAMLError, text: str, file: str) -> UserError:
    """The located problem for a YAML syntax error: a known cause with its fix, or the generic message."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    where = Location(file, line, col)
    opened = exc.context_mark
    opened_line = opened.line + 1 if opened is not None else line
    problem = str(exc.problem or "")
    context = str(exc.context or "")
    if "mapping values are not allowed" in problem:
        return fail("yaml.syntax.colon", where)
    if "tab character" in problem or ("cannot start any token" in problem and _char_at(text, line, col) == "\t"):
        return fail("yaml.syntax.tab", where)
    if "cannot start any token" in problem:
        return fail("yaml.syntax.reserved", where, char=_char_at(text, line, col) or "?")
    if "quoted scalar" in context:
        return fail("yaml.syntax.quote", where, opened=opened_line)
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "[" if "sequence" in context else "{"
        return fail("yaml.syntax.bracket", where, bracket=bracket, opened=opened_line)
    if "block" in context and ("expected key" in problem or "'-' indicator" in problem or "block end" in problem):
        return fail("yaml.syntax.indent", where, opened=opened_line)
    detail = " ".join(x for x in (context, problem) if x)
    return fail("yaml.syntax", where, detail=detail)
