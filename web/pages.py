"""The page renderer of thidua serve: Jinja templates with autoescape, the reader's language, the CSRF token.

Every value a page shows comes from the same data its JSON twin returns (`.json`), rendered by a
template of web/templates with autoescaping always on, so a name or a reason read from a file is
text on the page, never markup. Words come from the catalogues (`rules/labels.py` `label`, and the
texts the application layer put into the data); the language is the `lang` cookie or `?lang=`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from thidua.evaluator.app.audit import vietnam_time
from thidua.rules.labels import label

TEMPLATES = Path(__file__).resolve().parent / "templates"
HTMX = "htmx-2.0.11.min.js"  # web/static, vendored and pinned (web/static/htmx.txt)
LANGS = ("vi", "en")


def url(path: str, **params: Any) -> str:
    """A link: `path` and the query parameters that have a value."""
    given = {k: v for k, v in params.items() if v is not None and v != ""}
    return path + ("?" + urlencode(given) if given else "")


class Missing(StrictUndefined):
    """A value the data does not have: false in a test (`{% if data.old_run %}`), an error anywhere
    else, so a misspelt key never prints as an empty cell."""

    def __bool__(self) -> bool:  # type: ignore[override]  # jinja2 types it as the failing call
        return False


def environment() -> ImmutableSandboxedEnvironment:
    """Our own templates, still rendered in Jinja's immutable sandbox: a template can read the data
    it is given, never call what would change it or reach Python's internals."""
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name: a value is text, never markup
        undefined=Missing,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(url=url, htmx=HTMX, when=vietnam_time)  # when: a recorded time in Vietnam time
    return env


ENV = environment()


def render_page(name: str, lang: str, csrf: str, **context: Any) -> str:
    """The page `name` in `lang`: `t(key, **params)` gives its words, `csrf` goes into every form."""

    def t(key: str, **params: Any) -> str:
        return label(key, lang, **params)

    return ENV.get_template(name).render(t=t, lang=lang, csrf=csrf, **context)


__all__ = ["HTMX", "LANGS", "render_page", "url"]
