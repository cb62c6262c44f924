"""The one template environment every document is rendered in: Jinja's sandbox, reaching only the document's data.

Word templates travel: an admin edits the copy `thidua init` puts in an agency folder, and a block or
a province office renders it. A template is therefore untrusted text. `environment()` gives Jinja's
immutable sandbox with nothing in it but what the caller passes as the context (plain dicts, lists
and strings): no globals (`range`, `cycler`, `lipsum`, `namespace` and the like), no attribute that
starts with `_`, no method but a few that read text or a mapping, a short list of filters, no
`str.format` and no `%` on text, and no recursive loop. Every loop item and every call spends one
step of a budget, and everything written out spends characters of another (rules/limits.py), so
a template can neither run code nor run for ever nor fill the memory: it fails with `SecurityError`
(or Jinja's own errors), which the document's renderer locates in the template.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.filters import FILTERS
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from thidua.rules.limits import MAX_TEMPLATE_OUTPUT, MAX_TEMPLATE_STEPS

# Methods a template may call: each reads its object and returns something no larger than it.
SAFE_METHODS = frozenset(
    {
        "upper",
        "lower",
        "title",
        "capitalize",
        "casefold",
        "strip",
        "lstrip",
        "rstrip",
        "startswith",
        "endswith",
        "split",
        "splitlines",
        "isdigit",
        "isalpha",
        "isspace",
        "count",
        "index",
        "get",
        "items",
        "keys",
        "values",
        "cycle",  # loop.cycle
        "changed",  # loop.changed
    }
)
# Filters a template may use: none of them builds text or lists much larger than what it is given.
SAFE_FILTERS = frozenset(
    {
        "abs",
        "capitalize",
        "count",
        "d",
        "default",
        "e",
        "escape",
        "first",
        "float",
        "int",
        "join",
        "last",
        "length",
        "lower",
        "round",
        "string",
        "title",
        "trim",
        "truncate",
        "upper",
        "wordcount",
    }
)
STEP_FILTER = "thidua_step"  # wraps the sequence of every for loop (added to the parsed template)
_SEQUENCES = (str, list, tuple)


class TemplateLimit(SecurityError):
    """A template past one of its limits: `operator` is the operator refused ('*', '**' or '%'), or
    None when the budget of steps or characters ran out; `loop` is then the innermost loop running
    (the n-th `for` tag of the template part, from 0), if any."""

    def __init__(self, message: str, operator: str | None = None, loop: int | None = None) -> None:
        super().__init__(message)
        self.operator = operator
        self.loop = loop


class _Budget:
    """Steps (loop items and calls) and output characters left to one render, and the loops running."""

    def __init__(self) -> None:
        self.steps = MAX_TEMPLATE_STEPS
        self.output = MAX_TEMPLATE_OUTPUT
        self.loops: list[int] = []

    def _spent(self, message: str) -> TemplateLimit:
        return TemplateLimit(message, loop=self.loops[-1] if self.loops else None)

    def step(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise self._spent(f"the template takes more than {MAX_TEMPLATE_STEPS} steps (loop items and calls)")

    def write(self, value: Any) -> Any:
        self.output -= len(str(value))
        if self.output < 0:
            raise self._spent(f"the template writes more than {MAX_TEMPLATE_OUTPUT} characters")
        return value

    def items(self, sequence: Iterable[Any], loop: int) -> Iterator[Any]:
        """The items of the `loop`-th for loop, each one step."""
        self.loops.append(loop)
        try:
            for item in sequence:
                self.step()
                yield item
        finally:
            self.loops.pop()


class DocumentSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with the document's limits (see the module's docstring)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, **options: Any) -> None:
        self.budget = _Budget()
        super().__init__(undefined=StrictUndefined, finalize=self.budget.write, **options)
        self.globals.clear()
        self.filters = {name: FILTERS[name] for name in SAFE_FILTERS}
        self.filters[STEP_FILTER] = self.budget.items

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        return not callable(value) or attr in SAFE_METHODS

    def wrap_str_format(self, value: Any) -> None:
        """`str.format` is not one of SAFE_METHODS: it is refused like any other method."""
        return None

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - as Jinja's
        __self.budget.step()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Context, op: str, left: Any, right: Any) -> Any:
        if op == "%" and isinstance(left, str):
            raise TemplateLimit("'%' formatting of text is not available in a template; join text with '~'", op)
        if op == "**" and not _small_power(left, right):
            raise TemplateLimit("'**' with so large a result is not available in a template", op)
        if op == "*" and (isinstance(left, _SEQUENCES) or isinstance(right, _SEQUENCES)):
            times, seq = (right, left) if isinstance(left, _SEQUENCES) else (left, right)
            if isinstance(times, int) and len(seq) * max(times, 0) > MAX_TEMPLATE_OUTPUT:
                raise TemplateLimit(f"'*' makes a text or list longer than {MAX_TEMPLATE_OUTPUT}", op)
        return {"*": operator.mul, "**": operator.pow, "%": operator.mod}[op](left, right)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for i, loop in enumerate(list(tree.find_all(nodes.For))):  # in the order the tags are written
            if loop.recursive:
                raise TemplateSyntaxError(
                    "a recursive loop is not available in a template", loop.lineno, name, filename
                )
            loop.iter = nodes.Filter(loop.iter, STEP_FILTER, [nodes.Const(i)], [], None, None, lineno=loop.lineno)
        return tree


def _small_power(base: Any, exponent: Any) -> bool:
    """Whether base ** exponent stays a small number (an integer of at most a few thousand bits)."""
    if isinstance(base, bool) or isinstance(exponent, bool):
        return True
    if isinstance(base, int) and isinstance(exponent, int):
        return exponent <= 1 or abs(base) <= 1 or abs(base).bit_length() * exponent <= 10_000
    return isinstance(base, (int, float)) and isinstance(exponent, (int, float)) and abs(exponent) <= 1_000


def environment() -> DocumentSandbox:
    """A fresh sandbox, with a full budget, for one document (autoescaped: a Word part is XML)."""
    return DocumentSandbox(autoescape=True)


__all__ = ["SAFE_FILTERS", "SAFE_METHODS", "DocumentSandbox", "SecurityError", "TemplateLimit", "environment"]
