"""The report as one self-contained HTML page: summary, verdicts, a chart and the explanation per target.

Nothing is fetched: CSS is inline, charts are inline SVG written here (the block's page draws its
totals with pygal, its JavaScript turned off), and the only script opens every drill-down before
printing. The drill-down is the tree `thidua explain` shows (evaluator/explain/tree.py): the rule text with file:line, each group of
entities with its checks, and where each entity's facts are written.
"""

from __future__ import annotations

import html
from typing import Any

from pygal.style import Style

from thidua.evaluator.explain.derivation import DerivationExplainer, DerivationNode
from thidua.evaluator.explain.tree import (
    DEFAULT_LIMIT,
    EntityNode,
    Explanation,
    GroupNode,
    Place,
    entity_index,
    explain,
)
from thidua.evaluator.explain.worksheet import OP_SIGN
from thidua.evaluator.judgement import Judgement
from thidua.evaluator.run import Run
from thidua.rules import formatting as fmt
from thidua.rules.messages import render as message


def _lines(*parts: tuple[str, str | None]) -> str:
    """A header cell's lines, each (tag, text) escaped and wrapped in its tag ("b", "i" or none), the
    empty ones left out (no parent body; the Party's layout has no motto)."""
    return "<br>".join(f"<{tag}>{escape(text)}</{tag}>" if tag else escape(text) for tag, text in parts if text)


CSS = """
body{font-family:"Times New Roman",Times,serif;margin:0 auto;max-width:1200px;padding:16px 24px;color:#111}
h1{font-size:1.5em;text-align:center;margin:.2em 0}h2{font-size:1.2em;border-bottom:1px solid #999;margin-top:1.4em}
.head{display:flex;justify-content:space-between;text-align:center;gap:24px}.head div{flex:1}
.draft{text-align:center;font-weight:bold;color:#a40000;letter-spacing:.1em}
.summary{display:flex;gap:12px;flex-wrap:wrap}.summary span{padding:4px 10px;border-radius:4px;border:1px solid #ccc}
table{border-collapse:collapse;width:100%;font-size:.95em}th,td{border:1px solid #bbb;padding:4px 6px;vertical-align:top}
th{background:#d9e1f2}td.num{text-align:right;white-space:nowrap}
.s-exceeded{background:#c6efce}.s-met{background:#e2f0d9}.s-not_met{background:#ffc7ce}.s-pending{background:#ffeb9c}.s-error{background:#e4dfec}
.target{margin:12px 0;padding:8px 12px;border:1px solid #ddd;border-radius:6px;break-inside:avoid}
.target .chart svg{width:100%;max-width:760px;height:auto}code{overflow-wrap:anywhere}details summary{cursor:pointer;font-weight:bold}details.derivation summary{font-weight:normal;font-style:italic}
pre{background:#f6f6f6;padding:6px;overflow-x:auto;font-size:.85em}.place{color:#555;font-family:monospace;font-size:.85em}
ul.checks li.true{color:#0a5d00}ul.checks li.false{color:#a40000}ul.checks li.unknown{color:#8a6d00}
footer{margin-top:2em;font-size:.8em;color:#444;border-top:1px solid #999}
@media (max-width:600px){body{padding:8px 10px}.head{flex-direction:column;gap:8px}}
@media print{body{max-width:none;padding:0}details{display:block}.noprint{display:none}h2{break-after:avoid}}
"""

SCRIPT = """
window.addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true;});});
"""

CHART_STYLE = Style(
    background="white",
    plot_background="white",
    font_family="Times New Roman, serif",
    colors=("#2f6fb0", "#c0504d"),
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    title_font_size=14,
)


def escape(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _place(p: Place | None) -> str:
    if p is None:
        return "—"
    if p.sheet is not None:
        return f"{p.file}, {p.sheet}!{p.line}" if p.line else f"{p.file}, {p.sheet}"
    return f"{p.file}:{p.line}" if p.line else p.file


CHART_WIDTH = 760
MEASURED_COLOUR, REQUIRED_COLOUR = CHART_STYLE.colors[0], CHART_STYLE.colors[1]


def _chart(title: str, labels: list[str], measured: list[float], required: float, percent: bool, lang: str) -> str:
    """A bar per label (the result, or one per unit for shares) against the requirement line, as
    inline SVG written here: a chart library took 30-70 ms a chart, most of a page of 3,000 targets."""

    def formatter(v: float) -> str:
        return fmt.percent(v / 100, lang) if percent else fmt.number(v, lang)

    top = max([*measured, required, 1.0]) * 1.15
    legend = (
        f'<g font-size="12"><rect x="{CHART_WIDTH // 2 - 150}" y="{{legend_y}}" width="12" height="12" '
        f'fill="{MEASURED_COLOUR}"/><text x="{CHART_WIDTH // 2 - 132}" y="{{text_y}}">'
        f"{escape(message('documents.html.measured', lang))}</text>"
        f'<line x1="{CHART_WIDTH // 2 + 20}" x2="{CHART_WIDTH // 2 + 40}" y1="{{line_y}}" y2="{{line_y}}" '
        f'stroke="{REQUIRED_COLOUR}" stroke-width="3"/><text x="{CHART_WIDTH // 2 + 46}" y="{{text_y}}">'
        f"{escape(message('documents.html.required', lang))}</text></g>"
    )
    parts: list[str] = []
    if len(labels) > 1:  # several units: horizontal bars, so that their names fit
        left, right, row = 270, CHART_WIDTH - 70, 40
        height = 70 + row * len(labels)
        scale = (right - left) / top
        for i, (name, value) in enumerate(zip(labels, measured, strict=True)):
            y = 10 + i * row
            parts.append(
                f'<text x="{left - 8}" y="{y + 22}" text-anchor="end" font-size="12">{escape(name)}</text>'
                f'<rect x="{left}" y="{y + 8}" width="{max(value, 0) * scale:.1f}" height="{row - 16}" '
                f'fill="{MEASURED_COLOUR}"/><text x="{left + max(value, 0) * scale + 4:.1f}" y="{y + 22}" '
                f'font-size="12">{escape(formatter(value))}</text>'
            )
        x = left + required * scale
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="10" y2="{10 + row * len(labels)}" stroke="{REQUIRED_COLOUR}" '
            f'stroke-width="3"/><text x="{x:.1f}" y="{22 + row * len(labels)}" text-anchor="middle" '
            f'font-size="12">{escape(formatter(required))}</text>'
        )
        legend_y = height - 24
    else:  # one bar, the requirement across it
        height, base, plot = 260, 200.0, 170.0
        scale = plot / top
        value = measured[0] if measured else 0.0
        bar = max(value, 0) * scale
        inside, ink = (18, "white") if bar > 24 else (-6, "black")
        parts.append(
            f'<line x1="60" x2="{CHART_WIDTH - 20}" y1="{base}" y2="{base}" stroke="#999"/>'
            f'<rect x="{CHART_WIDTH // 2 - 80}" y="{base - bar:.1f}" width="160" height="{bar:.1f}" '
            # the value inside the bar's top (off the requirement line when the two meet), else above it
            f'fill="{MEASURED_COLOUR}"/><text x="{CHART_WIDTH // 2}" y="{base - bar + inside:.1f}" '
            f'text-anchor="middle" font-size="13" fill="{ink}">{escape(formatter(value))}</text>'
            f'<text x="{CHART_WIDTH // 2}" y="{base + 18}" text-anchor="middle" font-size="12">'
            f"{escape(labels[0] if labels else '')}</text>"
        )
        line_y = base - required * scale
        parts.append(
            f'<line x1="60" x2="{CHART_WIDTH - 20}" y1="{line_y:.1f}" y2="{line_y:.1f}" stroke="{REQUIRED_COLOUR}" '
            f'stroke-width="3"/><text x="56" y="{line_y + 4:.1f}" text-anchor="end" font-size="12">'
            f"{escape(formatter(required))}</text>"
        )
        legend_y = height - 28
    parts.append(legend.format(legend_y=legend_y, text_y=legend_y + 11, line_y=legend_y + 6))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{height}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" font-family="{escape(CHART_STYLE.font_family)}">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )
    return f'<div class="chart" role="img" aria-label="{escape(title)}">{svg}</div>'


class _Units:
    """Each entity's name and unit, gathered once for every share a page charts by unit."""

    def __init__(self, run: Run) -> None:
        entities = [e for items in run.facts.entities.values() for e in items]
        self.names = {e.id: e.name for e in entities}
        self.unit_of = {e.id: e.values.get("unit") for e in entities}
        self.scale_of = {t.spec.id: t.measure.scale for t in run.rules.targets}


def _share_by_unit(j: Judgement, units: _Units) -> tuple[list[str], list[float]]:
    """Per unit (the `unit` attribute of each entity), the share matching among those counted."""
    matching: dict[str, int] = {}
    total: dict[str, int] = {}
    for r in j.reasons:
        if not r.code.startswith("entities."):
            continue
        hit = r.code == "entities.matching"
        for e in r.entities:
            unit = str(units.unit_of.get(e.id) or "")
            total[unit] = total.get(unit, 0) + 1
            matching[unit] = matching.get(unit, 0) + (1 if hit else 0)
    names = [u for u in total if u]
    if len(names) < 2:
        return [], []
    return [units.names.get(u, u) for u in names], [100.0 * matching[u] / total[u] for u in names]


def target_chart(j: Judgement, run: Run, lang: str, units: _Units | None = None) -> str:
    units = units or _Units(run)
    m = j.measured
    req = j.requirement.value
    if m.kind == "share":
        required = float(str(req).rstrip("%").replace(",", ".")) if isinstance(req, str) else float(req) * 100
        labels, values = _share_by_unit(j, units)
        if not labels:
            if m.value is None:
                return ""
            labels, values = [message("documents.html.whole", lang)], [100.0 * float(m.value)]
        return _chart(j.title, labels, values, required, True, lang)
    if (
        m.kind in ("count", "sum")
        and m.value is not None
        and isinstance(req, (int, float))
        and not isinstance(req, bool)
    ):
        return _chart(j.title, [message("documents.html.whole", lang)], [float(m.value)], float(req), False, lang)
    if m.kind == "level" and m.value is not None and isinstance(m.value, int):
        scale = run.rules.scales.get(units.scale_of.get(j.target) or "")
        levels = [lv.label for lv in scale.levels] if scale is not None else []
        if levels and j.requirement.label in levels:
            required = float(levels.index(j.requirement.label))
            return _chart(j.title, [m.label or ""], [float(m.value)], required, False, lang)
    return ""


FLIPPED = {"true": "false", "false": "true", "unknown": "unknown"}
STATES = ("decided", "proposed", "refused", "none", "any", "eligible")
SHOWN_STATES = ("decided", "proposed", "refused", "eligible")
ELIGIBLE_NOTES = ("derived", "eligible_pending")  # a title the criteria grant and no decision records


def title_state(actual: Any, note: Any) -> str:
    """The state a title check shows: never "decided" for a title only the criteria grant (đủ điều kiện
    đề nghị), whatever state the derivation gave it."""
    return "eligible" if note in ELIGIBLE_NOTES else str(actual)


def check_words(c: Any, lang: str) -> tuple[str, str]:
    """A check as the page words it, and its outcome for the condition: signs, not codes (≥, not gte),
    title states in words, a test under `not` as "KHÔNG ≥" whose passing is "true"."""
    negation = message("documents.check.not", lang) + " " if c.negated else ""
    outcome = FLIPPED[c.outcome] if c.negated else c.outcome

    def state(value: Any) -> str:
        if value in STATES:
            return message(f"documents.xlsx.state_{value}", lang)
        return message("documents.check.unknown", lang) if value == "unknown" else str(value)

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return message("documents.xlsx.yes" if v else "documents.xlsx.no", lang)
        if isinstance(v, list):
            return ", ".join(value(i) for i in v)
        return "—" if v is None else str(v)

    code = getattr(c, "label_code", None)  # months served, members' shares and counts: their own words
    name = message(code, lang, label=c.label) if code else c.label
    if c.subject == "title":
        shown = title_state(c.actual, c.note)
        if shown == "eligible":  # its own words say what it is and that nobody decided it
            return f"{negation}{name}: {state(shown)}", outcome
        return f"{name}: {state(shown)} ({negation}{state(c.expected)})", outcome
    return f"{name} {negation}{OP_SIGN.get(c.op, c.op)} {value(c.expected)}: {value(c.actual)}", outcome


def _checks(checks: Any, lang: str) -> str:
    items = []
    for node in checks:
        c = node.check
        words, outcome = check_words(c, lang)
        by = f" ({escape(c.by)})" if c.by else ""
        derived = _derivation(node.derivation, lang) if node.derivation is not None else ""
        items.append(f'<li class="{escape(outcome)}">{escape(words)}{by}{derived}</li>')
    return f'<ul class="checks">{"".join(items)}</ul>' if items else ""


def _derivation(d: DerivationNode, lang: str) -> str:
    """How a title a check read was derived by the criteria of the period, as `thidua explain` nests it."""
    where = f"{d.place.file}:{d.place.line}" if d.place is not None else "—"
    groups = []
    for g in d.groups:
        checks = "".join(
            f'<li class="{escape(outcome)}">{escape(words)}'
            f"{_derivation(c.derivation, lang) if c.derivation else ''}</li>"
            for c in g.checks
            for words, outcome in [check_words(c, lang)]
        )
        names = ", ".join(e.name for e in g.entities)
        if g.hidden:
            names += " " + message("documents.html.hidden", lang, count=g.hidden)
        outcome = message(f"documents.derived.{g.derived}", lang)  # eligible, never "earned"
        groups.append(f"<li><b>{escape(outcome)}</b> ({g.count}): {escape(names)}<ul class=checks>{checks}</ul></li>")
    head = message("documents.html.criterion", lang, title=d.criterion_title, where=where)
    return f"<details class=derivation><summary>{escape(head)}</summary><ul>{''.join(groups)}</ul></details>"


def _entity(e: EntityNode, labels: dict[str, str], lang: str) -> str:
    """An entity and the facts its group's checks read: by their labels, a title's state in words."""

    def written(f: Any) -> str:
        if f.subject == "title" and f.written in STATES:
            return message(f"documents.xlsx.state_{f.written}", lang)
        if isinstance(f.written, bool):
            return message("documents.xlsx.yes" if f.written else "documents.xlsx.no", lang)
        return "—" if f.written is None else str(f.written)

    facts = "; ".join(
        f"{escape(labels.get(f.name, f.name))} = {escape(written(f))} <span class=place>{escape(_place(f.place))}</span>"
        for f in e.facts
    )
    return (
        f"<li>{escape(e.name)} <span class=place>{escape(_place(e.place))}</span>{': ' + facts if facts else ''}</li>"
    )


def _group(g: GroupNode, lang: str) -> str:
    head = message(g.code, lang, **g.params)
    more = f"<li>… {escape(message('documents.html.hidden', lang, count=g.hidden))}</li>" if g.hidden else ""
    labels = {c.check.name: c.check.label for c in g.checks}
    entities = "".join(_entity(e, labels, lang) for e in g.entities)
    return f"<div class=group><b>{escape(head)}</b>{_checks(g.checks, lang)}<ul>{entities}{more}</ul></div>"


def explanation_html(x: Explanation, lang: str) -> str:
    parts = []
    if x.rule_text is not None:
        rt = x.rule_text
        parts.append(
            f"<div class=place>{escape(rt.file)}:{rt.first_line}–{rt.last_line}</div><pre>{escape(rt.text)}</pre>"
        )
    parts += [_group(g, lang) for g in x.groups]
    for n in x.notes:
        parts.append(f"<p><i>{escape(message(n.code, lang, **n.params))}</i></p>")
    return "".join(parts)


def render_html(
    run: Run,
    header: dict[str, str],
    outcomes: dict[str, str],
    finding_texts: list[str],
    footer: dict[str, Any],
    lang: str = "vi",
) -> bytes:
    """The page as UTF-8 bytes. `footer` holds the inputs' hashes and the ledger run, when recorded."""
    ev = run.evaluation
    seen = run.derivation.facts if run.derivation is not None and run.derivation.facts is not None else run.facts
    # gathered once for every target (each explanation and chart looked them up whole: quadratic)
    index = entity_index(seen)
    titles = (
        DerivationExplainer(run.rules, run.derivation, index, DEFAULT_LIMIT)
        if run.derivation is not None and run.derivation.titles
        else None
    )
    units = _Units(run)
    summary = ev.summary()
    status_word = {
        s: message(f"documents.status.{s}", lang) for s in ("exceeded", "met", "not_met", "pending", "error")
    }
    rows = []
    sections = []
    for i, j in enumerate(ev.judgements, start=1):
        rows.append(
            f'<tr class="verdict s-{j.status}"><td class=num>{i}</td><td><a href="#t-{escape(j.target)}">{escape(j.title)}</a></td>'
            f'<td>{escape(outcomes.get(j.target, ""))}</td><td class="s-{j.status}">{escape(status_word[j.status])}</td></tr>'
        )
        x = explain(
            j,
            run.rules.files,
            seen,
            run.rules,
            limit=DEFAULT_LIMIT,
            derivation=run.derivation,
            titles=titles,
            index=index,
        )
        sections.append(
            f'<section class=target id="t-{escape(j.target)}"><h3>{i}. {escape(j.title)} '
            f'<span class="s-{j.status}">{escape(status_word[j.status])}</span></h3>'
            f"<p>{escape(outcomes.get(j.target, ''))}</p>{target_chart(j, run, lang, units)}"
            f"<details><summary>{escape(message('documents.html.why', lang))}</summary>{explanation_html(x, lang)}</details>"
            "</section>"
        )
    counts = "".join(
        f'<span class="s-{s}">{escape(status_word[s])}: {fmt.number(summary[s], lang)}</span>' for s in status_word
    )
    findings = (
        "".join(f"<li>{escape(t)}</li>" for t in finding_texts)
        or f"<li>{escape(message('documents.html.none', lang))}</li>"
    )
    hashes = "".join(
        f"<li><code>{escape(k)}</code>: <code>{escape(v)}</code></li>" for k, v in footer.get("hashes", {}).items()
    )
    run_line = f"<p>{escape(footer['run'])}</p>" if footer.get("run") else ""
    draft = f"<p class=draft>{escape(header['draft'])}</p>" if header.get("draft") else ""
    page = f"""<!DOCTYPE html>
<html lang="{escape(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(header["doc_type"])} — {escape(header["summary"])}</title><style>{CSS}</style></head>
<body>
<div class=head><div>{_lines(("", header["parent"]), ("b", header["name"]), ("", header.get("mark")), ("", header["number"]))}</div>
<div>{_lines(("b", header["national"]), ("b", header["motto"]), ("i", header["place_date"]))}</div></div>
{draft}<h1>{escape(header["doc_type"])}</h1><p style="text-align:center"><b>{escape(header["summary"])}</b></p>
<h2>{escape(message("documents.html.summary", lang))}</h2>
<div class=summary><span>{escape(message("documents.html.total", lang, count=fmt.number(summary["total"], lang)))}</span>{counts}</div>
<h2>{escape(message("documents.html.verdicts", lang))}</h2>
<table id=verdicts><thead><tr><th>{escape(message("documents.xlsx.stt", lang))}</th><th>{escape(message("documents.xlsx.target", lang))}</th>
<th>{escape(message("documents.xlsx.line", lang))}</th><th>{escape(message("documents.xlsx.status", lang))}</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<h2>{escape(message("documents.html.targets", lang))}</h2>
{"".join(sections)}
<h2>{escape(message("documents.appendix", lang))}</h2><ul id=findings>{findings}</ul>
<footer>{run_line}<ul>{hashes}</ul></footer>
<script>{SCRIPT}</script>
</body></html>
"""
    return page.encode("utf-8")


__all__ = ["CHART_STYLE", "CSS", "SCRIPT", "escape", "render_html", "target_chart"]
