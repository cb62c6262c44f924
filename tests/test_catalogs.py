"""The gettext catalogues: complete in both languages, placeholders agree, every code used exists, .mo current."""

from __future__ import annotations

import ast
import functools
import importlib.util
import re
import string
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo

from thidua.cli import labels
from thidua.rules import messages
from thidua.rules.messages import render

ROOT = Path(__file__).resolve().parent.parent


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalogs_tool", ROOT / "tools" / "catalogs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


TOOL = _tool()
PAIRS = [(d, lang) for d in TOOL.DOMAINS for lang in d.langs]
CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


@functools.cache  # read once: the scan below asks for a text of each of ~500 call sites
def _catalog(domain_name: str, lang: str) -> Catalog:
    domain = next(d for d in TOOL.DOMAINS if d.name == domain_name)
    catalog: Catalog = TOOL.load(domain, lang)
    return catalog


def _fields(text: str) -> set[str]:
    """The {placeholders} of a str.format template (by name, without attribute, index or format spec)."""
    return {re.split(r"[.\[]", f)[0] for _, f, _, _ in string.Formatter().parse(text) if f is not None}


@pytest.mark.parametrize(("domain", "lang"), PAIRS, ids=[f"{d.name}-{lang}" for d, lang in PAIRS])
def test_every_entry_has_a_text_and_babel_finds_no_error(domain: object, lang: str) -> None:
    catalog = TOOL.load(domain, lang)
    empty = [m.id for m in catalog if m.id and not m.string]
    assert empty == [], f"{domain.po(lang)}: no msgstr for {empty}"  # type: ignore[attr-defined]
    assert not any(m.fuzzy for m in catalog if m.id), "a fuzzy entry would be left out of the .mo"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == []


@pytest.mark.parametrize(("domain", "lang"), PAIRS, ids=[f"{d.name}-{lang}" for d, lang in PAIRS])
def test_compiled_catalogue_is_current(domain: object, lang: str) -> None:
    """The committed .mo (what an installed copy reads) says what the .po says."""
    mo = domain.mo(lang)  # type: ignore[attr-defined]
    with mo.open("rb") as fp:
        compiled = {m.id: m.string for m in read_mo(fp) if m.id}
    source = {m.id: m.string for m in TOOL.load(domain, lang) if m.id}
    assert compiled == source, f"{mo} is stale: run `python tasks.py catalogs`"


# Known and meant: the Vietnamese names a kind by its title (cá nhân), the English by its id (person).
DIFFERENT_PLACEHOLDERS = {"thidua": {"measure.no_entities": (["kind", "kind_title"], ["kind"])}}


@pytest.mark.parametrize("name", ["thidua", "thidua-cli"])
def test_both_languages_have_the_same_codes_and_placeholders(name: str) -> None:
    vi, en = _catalog(name, "vi"), _catalog(name, "en")
    assert sorted(m.id for m in vi if m.id) == sorted(m.id for m in en if m.id)
    differ = {
        m.id: (sorted(_fields(m.string)), sorted(_fields(en[m.id].string)))
        for m in vi
        if m.id and _fields(m.string) != _fields(en[m.id].string)
    }
    assert differ == DIFFERENT_PLACEHOLDERS.get(name, {}), "vi and en must use the same {placeholders}"


def test_every_text_is_a_valid_format_template() -> None:
    for name in ("thidua", "thidua-cli"):
        for lang in ("vi", "en"):
            for m in _catalog(name, lang):
                if m.id:
                    list(string.Formatter().parse(m.string))  # raises on an unbalanced brace


def test_the_transition_dicts_are_empty() -> None:
    left = {**messages.NEW_MESSAGES, **labels.NEW_LABELS, **labels.NEW_HELP_VI}
    assert not left, f"run `python tasks.py catalogs` to move {sorted(left)} into the .po files, then empty the dicts"


# --- every code the source uses exists, with the parameters its text needs ---

RULES_CALLS = {"render", "message", "fail", "add", "group_reason", "Reason", "Finding"}
# Calls whose keyword arguments are the message's parameters (Reason and Finding carry them otherwise).
KEYWORD_PARAMS = {"render", "message", "fail", "add", "label"}
PREFIX = re.compile(r"^[a-z][a-z0-9_]*\.")
LABEL_CALLS = {"label"}


def _calls() -> Iterator[tuple[str, int, str, str, set[str] | None, bool]]:
    """(file, line, catalogue, code or f-string prefix, keyword names or None when **params, is_prefix)."""
    for folder in ("rules", "evaluator", "cli", "web"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                domain = "thidua-cli" if name in LABEL_CALLS else "thidua" if name in RULES_CALLS else None
                if domain is None:
                    continue
                arg = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "code"), None)
                keywords: set[str] | None = {k.arg for k in node.keywords if k.arg not in (None, "code")}
                if any(k.arg is None for k in node.keywords) or name not in KEYWORD_PARAMS:
                    keywords = None
                where = str(path.relative_to(ROOT))
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and CODE.match(arg.value):
                    yield where, node.lineno, domain, arg.value, keywords, False
                elif (
                    isinstance(arg, ast.JoinedStr)
                    and arg.values
                    and isinstance(arg.values[0], ast.Constant)
                    and PREFIX.match(str(arg.values[0].value))
                ):
                    yield where, node.lineno, domain, str(arg.values[0].value), None, True


CALLS = list(_calls())


def test_the_scan_sees_the_call_sites() -> None:
    """A guard on the scan itself: if it found nothing, the tests below would pass for nothing."""
    assert len({c[3] for c in CALLS if c[2] == "thidua"}) > 100
    assert len({c[3] for c in CALLS if c[2] == "thidua-cli"}) > 50


def test_every_code_used_in_the_source_has_a_message() -> None:
    known = {name: {m.id for m in _catalog(name, "vi") if m.id} for name in ("thidua", "thidua-cli")}
    missing = [
        f"{where}:{line}: {code}{'…' if prefix else ''}"
        for where, line, domain, code, _, prefix in CALLS
        if not (any(k.startswith(code) for k in known[domain]) if prefix else code in known[domain])
    ]
    assert missing == [], "no catalogue entry for these codes (add them to the .po files)"


def test_every_call_passes_the_parameters_its_message_needs() -> None:
    """A placeholder left unfilled shows the user '{max}'; this finds it before anyone runs the code."""
    short: list[str] = []
    for where, line, domain, code, keywords, prefix in CALLS:
        if prefix or keywords is None:
            continue
        entry = _catalog(domain, "vi").get(code)
        if entry is None:
            continue
        needed = _fields(entry.string) - keywords - {"suggestion"}
        if needed:
            short.append(f"{where}:{line}: {code} lacks {sorted(needed)}")
    assert short == []


# --- render under the test suite's strict mode (tests/conftest.py sets it) ---


def test_a_missing_parameter_raises_in_tests_instead_of_showing_braces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(messages.STRICT_ENV, "1")
    with pytest.raises(KeyError):
        render("file.missing", "vi")
    with pytest.raises(ValueError, match="path"):
        render("file.missing", "vi", path=None)
    with pytest.raises(KeyError, match="no.such.code"):
        render("no.such.code", "en")
    # a None the text does not show is no harm (a Reason carries every field of its kind)
    assert render("file.missing", "en", path="a", unused=None) == "No file or folder 'a'. Check the path."


def test_outside_tests_a_user_still_gets_a_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(messages.STRICT_ENV, raising=False)
    assert render("file.missing", "vi") == messages.template("file.missing", "vi")
    assert render("no.such.code", "en", x=1) == "no.such.code {'x': 1}"


def test_render_reads_each_language_from_its_catalogue() -> None:
    assert render("file.missing", "vi", path="a.yaml") == (
        "Không tìm thấy tệp hoặc thư mục 'a.yaml'. Kiểm tra lại đường dẫn."
    )
    assert render("file.missing", "en", path="a.yaml") == "No file or folder 'a.yaml'. Check the path."
    assert render("rules.one_operator", "en", choices=["gte", "lte"]) == (
        "A comparison needs exactly one operator of: gte, lte."
    )
    assert labels.label("and_more", "en", n=3) == "and 3 more"
    assert labels.LABELS["status.met"] == ("Đạt", "Met")


def test_a_parked_entry_works_until_it_is_moved(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(messages.NEW_MESSAGES, "demo.parked", ("Chờ {x}", "Awaits {x}"))
    monkeypatch.setitem(labels.NEW_LABELS, "demo.parked", ("Nhãn", "Label"))
    assert render("demo.parked", "en", x=1) == "Awaits 1"
    assert labels.label("demo.parked", "vi") == "Nhãn" and "demo.parked" in labels.LABELS
