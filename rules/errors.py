"""User-facing error family: every problem in an input file, with where it is and what to change."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from thidua.rules.messages import render


@dataclass(frozen=True)
class Location:
    """A place in an input file; line and column are 1-based (0 means unknown)."""

    file: str
    line: int = 0
    column: int = 0
    sheet: str | None = None
    column_name: str | None = None

    def __str__(self) -> str:
        return self.describe("en")

    def describe(self, lang: str = "vi") -> str:
        """The place as a person reads it: file:line:column, or sheet, row and column in `lang`."""
        if self.sheet is not None or self.column_name is not None:
            parts = [self.file]
            if self.sheet is not None:
                parts.append(render("loc.sheet", lang, sheet=self.sheet))
            if self.line:
                parts.append(render("loc.row", lang, row=self.line))
            if self.column_name:
                parts.append(render("loc.column", lang, column=self.column_name))
            return ", ".join(parts)
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"file": self.file, "line": self.line, "column": self.column}
        if self.sheet is not None:
            data["sheet"] = self.sheet
            data["column_name"] = self.column_name
        return data


@dataclass(frozen=True)
class Problem:
    """One problem in the input: a message code with its parameters, at a location."""

    code: str
    location: Location
    params: dict[str, object] = field(default_factory=dict)
    suggestion: str | None = None

    def message(self, lang: str = "vi") -> str:
        text = render(self.code, lang, **self.params)
        if self.suggestion:
            text += " " + render("hint.did_you_mean", lang, suggestion=self.suggestion)
        return text

    def to_dict(self, lang: str = "vi") -> dict[str, object]:
        return {
            "code": self.code,
            "location": self.location.to_dict(),
            "message": self.message(lang),
            "suggestion": self.suggestion,
        }


class UserError(Exception):
    """Bad input: one or more problems a user can fix by editing a file (CLI exit code 2)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.location.file, p.location.line, p.location.column, p.code))
        super().__init__("; ".join(f"{p.location}: {p.message('en')}" for p in self.problems))


def fail(code: str, location: Location, suggestion: str | None = None, **params: object) -> UserError:
    """Build a one-problem UserError (callers `raise fail(...)`)."""
    return UserError([Problem(code, location, params, suggestion)])


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The closest known name to a misspelt one, for "did you mean ...?"."""
    matches = difflib.get_close_matches(str(word), sorted(set(choices)), n=1, cutoff=0.6)
    return matches[0] if matches else None


class Problems:
    """Collects problems so a file is reported whole, not one error at a time."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, code: str, location: Location, suggestion: str | None = None, **params: object) -> None:
        self.items.append(Problem(code, location, params, suggestion))

    def extend(self, error: UserError) -> None:
        self.items.extend(error.problems)

    def raise_if_any(self) -> None:
        if self.items:
            raise UserError(self.items)
