"""Renders evaluations and problems: rich tables for people, stable JSON for programs."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

import orjson
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from thidua.cli.labels import label
from thidua.cli.regime import with_texts
from thidua.evaluator.judgement import CheckOut, Evaluation, Joined, Judgement, Reason
from thidua.rules import formatting as fmt
from thidua.rules.errors import UserError
from thidua.rules.messages import render as message

STATUS_STYLE = {
    "met": "green",
    "exceeded": "bold green",
    "not_met": "bold red",
    "pending": "yellow",
    "error": "bold magenta",
}
OP_SYMBOL = {"gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "eq": "="}
CHECK_OP = {"eq": "=", "neq": "≠", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "in": "∈"}
MAX_NAMES = 3


def pct(value: float, lang: str = "vi") -> str:
    return fmt.percent(value, lang)


def _num(value: Any, lang: str = "vi") -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return fmt.number(value, lang)
    return str(value)


def requirement_text(j: Judgement, lang: str) -> str:
    r = j.requirement
    if r.kind == "holds":
        return label("yes" if r.value else "no", lang)
    if r.kind == "level" and r.label:
        shown = r.label
    elif r.op == "between":
        low, high = r.value
        return f"{_num(low, lang)} – {_num(high, lang)}"
    else:
        shown = _num(r.value, lang)
    return f"{OP_SYMBOL.get(r.op, r.op)} {shown}" if r.op != "between" else shown


def measured_text(j: Judgement, lang: str) -> str:
    m = j.measured
    if m.kind == "holds":
        if m.value is None:
            return label("unknown", lang) if m.unknown else "—"
        return label("yes" if m.value else "no", lang)
    if m.kind == "level":
        return m.label or (label("unknown", lang) if m.unknown else "—")
    if m.kind == "value" and m.value is not None and m.label:
        return f"{_num(m.value, lang)} {m.label}"
    if m.kind == "share":
        if m.value is not None:
            return f"{pct(m.value, lang)} ({m.numerator}/{m.denominator})"
        if m.low is not None and m.high is not None:
            return f"{pct(m.low, lang)} – {pct(m.high, lang)}"
        return "—"
    if m.value is not None:
        return _num(m.value, lang)
    if m.low is not None:
        return f"{_num(m.low, lang)} – {_num(m.high, lang)}"
    return "—"


def margin_text(j: Judgement, lang: str) -> str:
    g = j.margin
    if g is None:
        return ""
    sign = "+" if g.value > 0 else ("−" if g.value < 0 else "±")
    magnitude = abs(g.value)
    if g.unit == "percentage_points":
        return f"{sign}{_num(round(magnitude, 2), lang)} {label('unit.pp', lang)}"
    if g.unit == "levels":
        return f"{sign}{magnitude} {label('unit.levels', lang)}"
    if g.unit == "value" and g.label:
        return f"{sign}{_num(magnitude, lang)} {g.label}"
    return f"{sign}{_num(magnitude, lang)}"


def names(reason: Reason, lang: str, limit: int = MAX_NAMES) -> str:
    shown = [e.name for e in reason.members.head(limit)]
    rest = reason.count - len(shown)
    text = ", ".join(shown)
    if rest > 0:
        text += " " + label("and_more", lang, n=rest)
    return text


def value_text(value: Any, lang: str) -> str:
    if value is None:
        return label("missing_value", lang)
    if isinstance(value, bool):
        return label("yes" if value else "no", lang)
    if isinstance(value, list):
        return ", ".join(value_text(v, lang) for v in value)
    return str(value)


# the notes of a title the criteria decided (evaluator/engine/conditions.py Check.note)
DERIVED_NOTES = ("derived", "derived_pending", "derived_unknown", "eligible_pending")


def derived_state_text(note: str, by: str | None, lang: str) -> str:
    """A title the criteria granted: eligible to be proposed (note `derived`, counted; `eligible_pending`,
    not counted: nothing decided), granted but left to the council by a quota, or undecided."""
    if note == "derived_pending":
        return label("title.derived_pending", lang, by=by) if by else label("title.derived_pending_nobody", lang)
    if note == "derived_unknown":
        return label("title.derived_unknown", lang)
    if note == "eligible_pending":
        return label("title.eligible_pending", lang)
    return label("title.derived", lang)


def check_text(c: CheckOut, lang: str) -> str:
    """One check as a person reads it: 'Xếp loại = Hoàn thành tốt nhiệm vụ (cần ≥ ...)'."""
    if c.subject == "title":
        if c.note == "proposal_counted":
            state = label("proposal_counted", lang)
        elif c.note == "proposal_pending":
            state = label("proposal_pending", lang, by=c.by) if c.by else label("proposal_pending_nobody", lang)
        elif c.note in DERIVED_NOTES:
            state = derived_state_text(c.note, c.by, lang)
        else:
            state = label(f"title.{c.actual}", lang)
        if c.negated:  # written under `not`: what is required is its absence
            expected = label("x.title_any", lang) if c.expected == "any" else label(f"title.{c.expected}", lang)
            return f"{c.label}: {state} ({label('x.not_op', lang, op=expected)})"
        return f"{c.label}: {state}"
    if c.note == "missing":
        actual = label("missing_value", lang)
    elif c.note == "awaiting":
        actual = label("awaiting", lang, by=c.by)
        if c.actual is not None:
            actual += f" ({value_text(c.actual, lang)})"
    else:
        actual = value_text(c.actual, lang)
    op = CHECK_OP.get(c.op, c.op)
    if c.negated:
        op = label("x.not_op", lang, op=op)
    return f"{c.label} = {actual} ({op} {value_text(c.expected, lang)})"


def reason_text(r: Reason, lang: str) -> str:
    head = message(r.code, lang, **r.params)
    if r.count and (r.code.startswith("entities.") or r.code == "note.proposal_counted"):
        head += ": " + names(r, lang)
    positive = r.code in ("entities.counted", "entities.matching", "entities.holds")
    # the checks that kept the others out: those that failed the condition (a test under `not` fails when true)
    relevant = list(r.checks) if positive else [c for c in r.checks if c.outcome != ("false" if c.negated else "true")]
    if relevant:
        head += " — " + "; ".join(check_text(c, lang) for c in relevant)
    return head


def short_reason(j: Judgement, lang: str) -> str:
    """The reasons that decided the verdict, shortened for the table (`explain` shows them all)."""
    if j.status in ("pending", "error"):
        prefixes: tuple[str, ...] = ("measure.", "engine.", "entities.unknown", "entities.population_unknown")
        parts = [reason_text(r, lang) for r in j.reasons if r.code.startswith(prefixes)][:2]
    elif j.measured.kind in ("count", "sum"):
        counted = [r for r in j.reasons if r.code == "entities.counted"]
        if counted:
            everyone = Joined([r.members for r in counted])
            merged = Reason(code="entities.counted", params={"count": len(everyone)}, members=everyone)
            parts = [reason_text(merged, lang)]
        else:
            total = sum(r.count for r in j.reasons if r.code == "entities.not_counted")
            parts = [message("entities.none_counted", lang, total=total)]
    elif j.measured.kind == "share" and any(r.code == "measure.share_sum" for r in j.reasons):
        # shares added: the sum says it all (each part's misses include the other parts' hits)
        parts = [reason_text(r, lang) for r in j.reasons if r.code == "measure.share_sum"]
    elif j.measured.kind == "share" and j.requirement.op in ("lt", "lte"):
        # an at-most share ("Yếu ≤ 2%"): those matching are the ones that make it fail
        hits = [r for r in j.reasons if r.code == "entities.matching"]
        parts = [reason_text(r, lang) for r in hits[:2]]
        if not hits:
            parts = [message("entities.none_matching", lang)]
    elif j.measured.kind == "share":
        misses = [
            r
            for r in j.reasons
            if r.code in ("entities.not_matching", "entities.unknown_as_not_matching", "entities.excluded_unknown")
        ]
        parts = [reason_text(r, lang) for r in misses[:2]]
        unknown = [r for r in j.reasons if r.code == "entities.unknown"]
        if not misses and (j.measured.numerator is None or unknown):
            # a range (those matching, and those not known: eligible, awaited) says why it is one
            parts = [reason_text(r, lang) for r in j.reasons if r.code in ("entities.matching", "entities.unknown")]
        elif not misses:
            parts = [message("entities.all_matching", lang, count=j.measured.numerator)]
    else:  # level, value, holds
        parts = [
            reason_text(r, lang)
            for r in j.reasons
            if r.code in ("measure.value", "measure.number", "entities.holds", "entities.does_not_hold")
        ][:1]
    parts += [reason_text(r, lang) for r in j.reasons if r.code.startswith("note.")]
    return " · ".join(parts)


def status_text(status: str, lang: str) -> Text:
    return Text(label(f"status.{status}", lang), style=STATUS_STYLE[status])


def id_width(ids: Iterable[str], least: int = 12) -> int:
    """The width a column needs so that none of `ids` (no spaces in them) is ever folded."""
    return max([least, *(cell_len(i) for i in ids)])


# Below this many columns beside the id column's own width, the table would squeeze the
# requirement, result and reason columns to a few letters: each target becomes a block instead.
TABLE_SPARE_WIDTH = 72


class EvaluationView:
    """The verdicts: a table when the width keeps every target id whole, else one block per target.

    Ids are copied into `thidua explain`, so they are never folded: the id column is as wide as
    the longest id, and a terminal too narrow for that gets the stacked layout, ids on their own line.
    """

    def __init__(self, ev: Evaluation, lang: str) -> None:
        self.ev = ev
        self.lang = lang
        self.id_width = id_width(j.target for j in ev.judgements)

    def title(self) -> str:
        ev, lang = self.ev, self.lang
        return label("table.title", lang, period=ev.period) if ev.period else label("table.title_no_period", lang)

    def table(self) -> Table:
        lang = self.lang
        table = Table(title=self.title(), show_lines=True, expand=True)
        table.add_column(label("col.target", lang), overflow="fold", ratio=6, width=self.id_width)
        table.add_column(label("col.requirement", lang), overflow="fold", ratio=3)
        table.add_column(label("col.result", lang), overflow="fold", ratio=3)
        table.add_column(label("col.status", lang), no_wrap=True)
        table.add_column(label("col.margin", lang), no_wrap=True)
        table.add_column(label("col.reason", lang), overflow="fold", ratio=8)
        for j in self.ev.judgements:
            target = Text(j.title)
            target.append(f"\n{j.target}", style="dim")
            table.add_row(
                target,
                requirement_text(j, lang),
                measured_text(j, lang),
                status_text(j.status, lang),
                margin_text(j, lang),
                short_reason(j, lang),
            )
        return table

    def blocks(self) -> list[Text]:
        lang = self.lang
        out = [Text(self.title(), style="bold")]
        for j in self.ev.judgements:
            head = Text(no_wrap=True, overflow="ignore")
            head.append(j.target, style="bold")
            head.append(" — ")
            head.append_text(status_text(j.status, lang))
            margin = margin_text(j, lang)
            if margin:
                head.append(f" ({margin})")
            out.append(Text(""))
            out.append(head)
            out.append(Text(f"  {j.title}"))
            out.append(
                Text(
                    f"  {label('col.requirement', lang)}: {requirement_text(j, lang)} · "
                    f"{label('col.result', lang)}: {measured_text(j, lang)}"
                )
            )
            reason = short_reason(j, lang)
            if reason:
                out.append(Text(f"  {label('col.reason', lang)}: {reason}", style="dim"))
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width >= self.id_width + TABLE_SPARE_WIDTH:
            yield self.table()
        else:
            yield from self.blocks()


def evaluation_table(ev: Evaluation, lang: str) -> EvaluationView:
    return EvaluationView(ev, lang)


def summary_text(ev: Evaluation, lang: str) -> Text:
    return Text(label("summary", lang, **ev.summary()))


def json_bytes(data: Any) -> bytes:
    """Pretty JSON as UTF-8 with a final newline, keys sorted: stable across runs, for programs and diffs.

    orjson (a C encoder) writes the same text as `json.dumps(indent=2, sort_keys=True,
    ensure_ascii=False)` about twelve times faster (the standard library's indenting encoder is pure
    Python: 6.4 s against 0.5 s for the 172 MB of 100,000 people, docs/benchmarks.md); only floats
    below 0.0001 are written without an exponent (0.00001, not 1e-05), the same number. What orjson
    refuses (integers past 64 bits, non-string keys) goes through the standard encoder.
    """
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def compact_json_bytes(data: Any) -> bytes:
    """Compact JSON (no indentation) with sorted keys and a final newline: what programs read, written
    by orjson's C encoder; a hundredth of the pretty text's whitespace at a million people."""
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()


def wants_pretty(asked: bool) -> bool:
    """Indented JSON when asked (`--pretty`) or when a person reads it on a terminal."""
    return asked or sys.stdout.isatty()


def evaluation_data(
    ev: Evaluation, lang: str, findings: list[dict[str, Any]] | None = None, every_id: bool = False
) -> dict[str, Any]:
    """The evaluation as JSON data (`thidua.evaluation/3`): judgements in declared order, each reason
    with its text in `lang`, its count and first entities (`every_id`: the id of each);
    `findings` (titles versus the criteria, inconsistent figures) as a top-level list when given."""
    data = ev.to_dict(every_id)
    data["lang"] = lang
    data["criteria"] = with_texts(ev.criteria, lang)
    if findings is not None:
        data["findings"] = findings
    for jd, j in zip(data["judgements"], ev.judgements, strict=True):
        jd["status_label"] = label(f"status.{j.status}", lang)
        jd["requirement"]["text"] = requirement_text(j, lang)
        jd["measured"]["text"] = measured_text(j, lang)
        if jd["margin"] is not None:
            jd["margin"]["text"] = margin_text(j, lang)
        for rd, r in zip(jd["reasons"], j.reasons, strict=True):
            rd["text"] = reason_text(r, lang)
    return data


def evaluation_json_bytes(
    ev: Evaluation,
    lang: str,
    findings: list[dict[str, Any]] | None = None,
    every_id: bool = False,
    pretty: bool = True,
) -> bytes:
    """Stable JSON of an evaluation, as the bytes `thidua evaluate --format json` writes: keys sorted,
    indented when `pretty`, compact otherwise."""
    data = evaluation_data(ev, lang, findings, every_id)
    return json_bytes(data) if pretty else compact_json_bytes(data)


def evaluation_json(ev: Evaluation, lang: str, findings: list[dict[str, Any]] | None = None) -> str:
    """Stable JSON: keys sorted, judgements in declared order, each reason with its text in `lang`."""
    return evaluation_json_bytes(ev, lang, findings).decode()


def print_problems(console: Console, error: UserError, lang: str) -> None:
    console.print(Text(label("errors.header", lang, n=len(error.problems)), style="bold red"), soft_wrap=True)
    for p in error.problems:
        line = Text()
        line.append(p.location.describe(lang), style="bold")
        line.append(f": {label('error.word', lang)}: ", style="red")
        line.append(p.message(lang))
        console.print(line, soft_wrap=True)  # one problem, one line: easy to grep and to jump to


def problems_json(error: UserError, lang: str) -> str:
    return json_bytes({"problems": [p.to_dict(lang) for p in error.problems]}).decode()
