"""What the application refuses, apart from bad input: typed errors every front end maps to its own answer.

Bad input in a file (a rule, a fact, a workbook) stays the located `UserError` of rules/errors.py:
the command line exits 2, the web answers 422 with the problems. These are the other refusals: a
folder asked for outside the served one, or one that is not an agency folder, a run or target that
does not exist. Each carries a message code of the catalogues (rules/locale) and its parameters.
"""

from __future__ import annotations

from typing import Any

from thidua.rules.messages import render


class AppError(Exception):
    """A refusal of the application: `code` and `params` say why, in the catalogues' words."""

    status = 400

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params

    def message(self, lang: str) -> str:
        return render(self.code, lang, **self.params)

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {"code": self.code, "message": self.message(lang)}


class OutsideFolder(AppError):
    """A path that leaves the served folder (`..`, an absolute path, a link pointing out)."""

    status = 403


class NotFound(AppError):
    """No such agency folder, file, run or target."""

    status = 404


__all__ = ["AppError", "NotFound", "OutsideFolder"]
