"""Renders a run's findings (titles versus the criteria, inconsistent figures) under the evaluate table."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from thidua.cli.labels import label
from thidua.evaluator.findings import Finding
from thidua.rules.messages import render


def finding_dict(f: Finding, lang: str) -> dict[str, Any]:
    """One finding as data, with its text and what to do in `lang`."""
    data = f.to_dict()
    data["text"] = render(f.code, lang, **f.params)
    data["action_text"] = render(f.action, lang)
    return data


def findings_json(findings: list[Finding], lang: str) -> list[dict[str, Any]]:
    return [finding_dict(f, lang) for f in findings]


def findings_section(findings: list[Finding], lang: str) -> list[Text]:
    """A short section: one line per finding (kind, whom, what differs, what to do); nothing when none."""
    if not findings:
        return []
    out = [Text(label("f.header", lang, n=len(findings)), style="bold yellow")]
    for f in findings:
        who = f.entity or f.target or ""
        line = Text("  - ")
        line.append(f"[{label(f'f.kind.{f.kind}', lang)}] ", style="bold")
        if who:
            line.append(f"({who}) ", style="dim")
        line.append(render(f.code, lang, **f.params))
        line.append(" → " + label("f.action", lang, action=render(f.action, lang)), style="italic")
        out.append(line)
    return out
