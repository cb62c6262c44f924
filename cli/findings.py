"""Renders a run's findings (titles versus the criteria, inconsistent figures) under the evaluate table."""

from __future__ import annotations

from rich.text import Text

from thidua.cli.labels import label
from thidua.evaluator.engine.findings import Finding
from thidua.rules.messages import render

PER_KIND = 3  # findings of one code and title listed one by one; more are summarised in one line


def findings_section(findings: list[Finding], lang: str) -> list[Text]:
    """A short section: one line per finding (kind, whom, what differs, what to do); nothing when none.

    More than PER_KIND findings of one code on one title become one line with their number and the
    first names (`--format json` lists them all, `thidua candidates` shows each with its reasons)."""
    if not findings:
        return []
    out = [Text(label("f.header", lang, n=len(findings)), style="bold yellow")]
    buckets: dict[tuple[str, str | None], list[Finding]] = {}
    for f in findings:
        buckets.setdefault((f.code, f.title if f.kind == "title" else f.target), []).append(f)
    for (code, _), items in buckets.items():
        first = items[0]
        line = Text("  - ")
        line.append(f"[{label(f'f.kind.{first.kind}', lang)}] ", style="bold")
        if len(items) > PER_KIND and first.kind == "title":
            names = ", ".join(str(f.params.get("name")) for f in items[:PER_KIND])
            line.append(
                label(
                    f"f.many.{code.rsplit('.', 1)[1]}",
                    lang,
                    n=len(items),
                    title=first.params.get("title"),
                    names=names,
                    more=len(items) - PER_KIND,
                )
            )
        else:
            for i, f in enumerate(items):
                if i:
                    out.append(line)
                    line = Text("  - ")
                    line.append(f"[{label(f'f.kind.{f.kind}', lang)}] ", style="bold")
                who = f.entity or f.target or ""
                if who:
                    line.append(f"({who}) ", style="dim")
                line.append(render(f.code, lang, **f.params))
                if i < len(items) - 1:
                    line.append(" → " + label("f.action", lang, action=render(f.action, lang)), style="italic")
        line.append(" → " + label("f.action", lang, action=render(first.action, lang)), style="italic")
        out.append(line)
    return out
