"""Writes a draft as a rule file: every value through the YAML emitter, each sentence kept as a comment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from thidua.rules.drafting.draft import Draft, Said
from thidua.rules.drafting.sentences import Period
from thidua.rules.messages import render

# What a drafted file may carry from a rule file it cannot `use:` (one holding targets), in file order.
DECLARATIONS = ("scales", "kinds", "titles", "settings", "criteria", "quotas")


@dataclass
class Basis:
    """What a drafted file builds on: its `use:` entries and the declarations it carries itself (from a
    rule file that holds targets of its own, which `use:` would count twice)."""

    use: list[str]
    declarations: dict[str, list[Any]] = field(default_factory=dict)
    carried: list[str] = field(default_factory=list)  # the files the declarations come from, as shown


def _fresh(data: Any) -> Any:
    """Every mapping and list a new object: the emitter writes a node met twice as an anchor and an
    alias (`&id001`/`*id001`), and an admin who edits one `where` would silently edit both."""
    if isinstance(data, dict):
        return {key: _fresh(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_fresh(value) for value in data]
    return data


def _dump(data: Any) -> str:
    return str(
        yaml.dump(
            _fresh(data),
            Dumper=yaml.CSafeDumper,
            allow_unicode=True,
            sort_keys=False,
            width=100,
            default_flow_style=False,
        )
    )


def _comment(text: str, indent: str = "") -> list[str]:
    """Comment lines for free text (a sentence may hold anything but a line break)."""
    return [f"{indent}# {line}".rstrip() for line in text.splitlines() or [""]]


def rule_file(
    draft: Draft,
    period: Period | None,
    basis: Basis | Sequence[str],
    source: str,
    lang: str = "vi",
    written_period: Period | None = None,
) -> str:
    """The rule file for the targets of `period`: a header, one entry per target with its sentence and
    confidence as comments, and a commented block for every sentence that states no target.
    `written_period`: the period to write when the document names none (`draft --period`)."""
    if not isinstance(basis, Basis):
        basis = Basis(list(basis))

    def say(code: str, **params: Any) -> str:
        return render(code, lang, **params)

    lines = _comment(say("draft.file.header", source=source))
    lines += _comment(say("draft.file.legend"))
    document: dict[str, Any] = {"version": 1}
    shown_period = period if period is not None else written_period
    if shown_period is not None:
        document["period"] = shown_period
    term = draft.terms.get(period)
    if term is not None:
        document["term"] = term
    document["use"] = list(basis.use)
    items = draft.targets.get(period, [])
    declarations = {key: list(value) for key, value in basis.declarations.items() if value}
    extensions: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        for kind, attribute in item.extends:
            attributes = extensions.setdefault(kind, [])
            if all(a["id"] != attribute["id"] for a in attributes):
                attributes.append(attribute)
    if extensions:  # number attributes the rules lack, added to their kind (never a second kind)
        declarations.setdefault("kinds", [])
        declarations["kinds"] += [{"extend": kind, "attributes": attrs} for kind, attrs in extensions.items()]
    for key in DECLARATIONS:
        if key in declarations:
            document[key] = declarations[key]
    document["targets"] = [item.target for item in items]
    pending = iter(items)
    in_targets = False
    for line in _dump(document).splitlines():
        if basis.carried and line.startswith(next((k for k in DECLARATIONS if k in declarations), "?") + ":"):
            lines.append("")
            lines += _comment(say("draft.file.carried", file=", ".join(basis.carried)))
        in_targets = in_targets or line.startswith("targets:")
        if in_targets and line.startswith("- "):  # the next target's entry: its sentence and confidence above it
            item = next(pending)
            lines.append("")
            lines += _comment(say("draft.file.sentence", text=item.clause))
            lines += _comment(say("draft.file.confidence", value=f"{item.confidence:.2f}"))
            for note in item.notes:
                lines += _comment(note.text(lang))
        lines.append(line)
    for missed in draft.unrecognised.get(period, []):
        lines.append("")
        lines += _comment(say("draft.file.unrecognised"))
        lines += _comment(say("draft.file.sentence", text=missed.clause))
        lines += _comment(say("draft.file.reason", reason=missed.why.text(lang)))
        place = missed.sentence.place
        where = Said("draft.file.place", {"line": missed.sentence.line, "place": place}) if place else None
        lines += _comment((where or Said("draft.file.line", {"line": missed.sentence.line})).text(lang))
    return "\n".join(lines) + "\n"
