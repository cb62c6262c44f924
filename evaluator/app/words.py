"""The words of judgements, explanations and worksheets, in Vietnamese or English, for every front end.

The command line's tables and trees and the web pages (`thidua serve`) show the same texts, and the
JSON both serve carries them beside the data: requirement, measured value and margin, each reason
with the checks that decided it, a worksheet's checks and quotas, findings. Texts come from the
catalogues (`rules/messages.py` render, `rules/labels.py` label) and numbers from
`rules/formatting.py`; nothing here prints or styles (the command line adds colour, the pages
markup). A judgement's words will come from the wording layer below the evaluator when it exists;
until then they live here, once.
"""

from __future__ import annotations

from typing import Any

from thidua.evaluator.engine.derive import COUNCIL
from thidua.evaluator.engine.findings import Finding, FindingGroup
from thidua.evaluator.explain.derivation import CriterionCheck, DerivedGroup
from thidua.evaluator.explain.tree import Explanation, FactNode, Place
from thidua.evaluator.judgement import CheckOut, Joined, Judgement, Reason
from thidua.rules import formatting as fmt
from thidua.rules.errors import Location
from thidua.rules.labels import LABELS, label
from thidua.rules.messages import render as message

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


# --- findings (under the evaluation) -------------------------------------------------------


def finding_dict(f: Finding, lang: str) -> dict[str, Any]:
    """One finding as data, with its text and what to do in `lang`."""
    data = f.to_dict()
    data["text"] = message(f.code, lang, **f.params)
    data["action_text"] = message(f.action, lang)
    return data


def findings_json(findings: list[Finding], lang: str) -> list[dict[str, Any]]:
    return [finding_dict(f, lang) for f in findings]


FIRST = 25  # title findings listed in full per criterion and code in evaluation JSON (as reasons list entities)


def grouped_findings_json(
    groups: list[FindingGroup], others: list[Finding], lang: str, every_id: bool = False
) -> list[dict[str, Any]]:
    """Evaluation JSON's findings: per criterion and code one entry with `count`, the first FIRST
    entities in full (`entities`: id, name, place, text) and `more`; `ids` lists every one with --all.
    Then the findings that are not per entity (quotas, figures), one entry each."""
    out: list[dict[str, Any]] = []
    for g in groups:
        entry: dict[str, Any] = {
            "kind": "title",
            "code": g.code,
            "criterion": g.criterion,
            "title": g.title,
            "count": g.count,
            "entities": [
                {
                    "entity": f.entity,
                    "name": f.params.get("name"),
                    "place": f.place,
                    "text": message(f.code, lang, **f.params),
                }
                for f in g.first
            ],
            "more": g.more,
            "action": g.action,
            "action_text": message(g.action, lang),
        }
        if every_id:
            entry["ids"] = g.ids
        out.append(entry)
    out.extend(finding_dict(f, lang) for f in others)
    return out


# --- the council's worksheet (candidates) ---------------------------------------------------

STATE_LABEL = {
    "decided": "title.decided",
    "proposed": "title.proposed",
    "refused": "title.refused",
    "none": "title.none",
}


def criterion_check_text(c: dict[str, Any], lang: str) -> str:
    """A criterion's check in words; one written under `not` says the test must NOT hold: inside its
    requirement when it has one ("yêu cầu KHÔNG ≥ Khiển trách"), else before it."""
    text = _criterion_check_text(c, lang, bool(c.get("negated")))
    if c.get("negated") and not _compares(c):
        return label("x.d.negated", lang, text=text)
    return text


def _compares(c: dict[str, Any]) -> bool:
    """Whether the check reads as a comparison with its requirement (criteria.check.line)."""
    return c["subject"] != "title" and c["note"] not in ("missing", "awaiting", "derived_unknown")


def _criterion_check_text(c: dict[str, Any], lang: str, negated: bool = False) -> str:
    name = message(c["label_code"], lang, label=c["label"]) if c.get("label_code") else c["label"]
    if c["note"] == "missing":
        return message("criteria.check.missing", lang, label=name)
    if c["note"] == "awaiting":
        return message("criteria.check.awaiting", lang, label=name, by=c["by"])
    if c["note"] == "derived_unknown":
        return message("criteria.check.derived_unknown", lang, label=name)
    actual = c["actual"]
    if c["subject"] == "title":
        actual = label(STATE_LABEL.get(str(actual), "title.none"), lang)
        if c["note"] == "proposal_pending":
            return f"{name}: " + (
                label("proposal_pending", lang, by=c["by"]) if c["by"] else label("proposal_pending_nobody", lang)
            )
        if c["note"] in ("derived", "derived_pending", "eligible_pending"):
            actual = derived_state_text(c["note"], c["by"], lang)
        if c["note"] == "council_override":
            return message("criteria.check.override", lang, label=name, actual=actual, by=c["by"])
        return message("criteria.check.title_line", lang, label=name, actual=actual)
    if isinstance(actual, bool):
        actual = label("yes" if actual else "no", lang)
    expected = c["expected"]
    if isinstance(expected, bool):
        expected = label("yes" if expected else "no", lang)
    sign = label("x.not_op", lang, op=c["sign"]) if negated else c["sign"]
    return message("criteria.check.line", lang, label=name, actual=actual, sign=sign, expected=expected)


def quota_text(q: dict[str, Any], lang: str) -> str:
    params = dict(
        title=q["limits_label"],
        count=q["count"],
        cap=q["cap"] if q["cap"] is not None else f"{q['cap_low']}–{q['cap_high']}",
        share=q["share"],
        base=q["base"] if not q["base_unknown"] else f"{q['base']}–{q['base'] + q['base_unknown']}",
        base_high=q["base"] + q["base_unknown"],
        decided=q["decided"],
        of_title=q["of_title_label"],
        rounding=message(f"criteria.rounding.{q['rounding']}", lang),
        candidates=", ".join(c["name"] for c in q["candidates"])
        + (label("ws.and_others", lang, n=q["candidates_more"]) if q.get("candidates_more") else ""),
    )
    text = message(f"criteria.quota.{q['status']}", lang, **params)
    if q["status"] == "breach" and not q["candidates"]:
        text = message("criteria.quota.breach_decided", lang, **params)
    if q["cap"] is None:
        text += " " + message("criteria.quota.cap_uncertain", lang, **params)
    return f"[{q['group']}] {text}" if q["group"] else text


NAME_MARK = "\x00"  # where a person's name goes in a finding's text rendered once per group


def finding_text(f: dict[str, Any], name: str, lang: str) -> str:
    return message(f"criteria.finding.{f['finding']}", lang, name=name, title=f["title_label"], note=f["note"] or "")


def finding_texts(f: dict[str, Any], lang: str) -> list[str]:
    """The text of a finding group's finding for each person it lists: rendered once with a marker
    for the name (names never hold a control character), the names put in its place."""
    marked = finding_text(f, NAME_MARK, lang)
    if marked.count(NAME_MARK) != 1:
        return [finding_text(f, e["name"], lang) for e in f["entities"]]
    head, _, tail = marked.partition(NAME_MARK)
    return [head + e["name"] + tail for e in f["entities"]]


# --- explanations (explain, audit explain) -----------------------------------------------------

FLIPPED = {"true": "false", "false": "true", "unknown": "unknown"}
_NOTE_KEYS = {"x.note.awaiting", "x.note.proposal_counted", "x.note.refused", "x.note.missing"}


def place_text(p: Place | None, lang: str) -> str:
    """Where a fact is written: file:line, or the sheet, row and column of a workbook."""
    if p is None:
        return label("x.not_written", lang)
    if p.sheet is not None:
        return str(Location(p.file, p.line, p.column, p.sheet, p.column_name))
    return f"{p.file}:{p.line}" if p.line else p.file


def judgement_view(x: Explanation) -> Judgement:
    """A judgement carrying what the shared renderers read (requirement, measured, margin)."""
    return Judgement(
        target=x.target,
        title=x.title,
        reference=x.reference,
        group=x.group,
        status=x.status,  # type: ignore[arg-type]
        requirement=x.requirement,
        measured=x.measured,
        margin=x.margin,
        reasons=(),
        source=x.source,
    )


def measured_line(x: Explanation, lang: str) -> str:
    """The measured value as an explanation states it: with its numerator and denominator, and the
    entities whose facts are unknown."""
    j = judgement_view(x)
    text = measured_text(j, lang)
    m = x.measured
    if m.kind == "share" and m.numerator is not None:
        text += " — " + label("x.share_of", lang, numerator=m.numerator, denominator=m.denominator)
    elif m.kind in ("count",) and m.value is not None:
        total = sum(g.count for g in x.groups if g.role in ("where", None))
        if total:
            text = label("x.count_of", lang, value=m.value, total=total)
    if m.unknown:
        text += " · " + label("x.unknown_entities", lang, n=m.unknown)
    return text


def check_words(c: Any, lang: str) -> tuple[str, str, str | None]:
    """A condition's check: (label, requirement, actual value and outcome; the outcome for the
    condition; a note such as "awaiting X" or None). A test written under `not` is required false:
    "KHÔNG ≥", and its passing is "đúng"."""
    op = CHECK_OP.get(c.op, c.op)
    negated = bool(getattr(c, "negated", False))
    outcome = FLIPPED[c.outcome] if negated else c.outcome
    if c.subject == "title":
        expected = (
            label(f"title.{c.expected}", lang)
            if c.expected in ("decided", "proposed")
            else (label("x.title_any", lang) if c.expected == "any" else str(c.expected))
        )
        actual = (
            label(f"title.{c.actual}", lang)
            if c.actual in ("decided", "proposed", "none", "refused", "unknown")
            else str(c.actual)
        )
        if c.note in DERIVED_NOTES:
            actual = derived_state_text(c.note, c.by, lang)
        if negated:
            expected = label("x.not_op", lang, op=expected)
        words = label("x.check_title", lang, label=c.label, expected=expected, actual=actual)
    else:
        expected = value_text(c.expected, lang)
        actual = value_text(c.actual, lang) if c.note != "missing" else label("x.note.missing", lang)
        if negated:
            op = label("x.not_op", lang, op=op)
        words = label("x.check", lang, label=c.label, op=op, expected=expected, actual=actual)
    text = f"{words} → {label(f'x.outcome.{outcome}', lang)}"
    note = None
    if c.note and c.note not in ("missing", *DERIVED_NOTES):
        if c.note == "proposal_pending":
            note = label("proposal_pending", lang, by=c.by) if c.by else label("proposal_pending_nobody", lang)
        elif c.note == "awaiting" and not c.by:
            note = label("x.note.missing", lang)
        else:
            note = label(f"x.note.{c.note}", lang, by=c.by or "?") if f"x.note.{c.note}" in _NOTE_KEYS else c.note
    return text, outcome, note


def fact_text(f: FactNode, labels: dict[str, str], lang: str) -> str:
    """One fact of an entity as written, and where (file and line, or sheet and row)."""
    name = labels.get(f.name, f.name)
    if f.subject == "title":
        state = str(f.written)
        what = (
            label(f"title.{state}", lang) if state in ("decided", "proposed", "none", "refused", "unknown") else state
        )
        extra = []
        derived = (f.holding or {}).get("source") == "derived"
        if derived:  # added by the criteria, not recorded: say so instead of "decided" (docs/criteria.md)
            if state == "proposed" and not f.awaiting:
                note = "eligible_pending"  # eligible to be proposed: nothing decided (evaluator/engine/derive.py)
            else:
                note = "derived" if state == "decided" else ("derived_pending" if f.awaiting else "derived_unknown")
            what = derived_state_text(note, f.awaiting, lang)
        if f.awaiting and not derived:
            extra.append(label("x.note.awaiting", lang, by=f.awaiting))
        for key, value in (f.holding or {}).items():
            if key in ("title", "state", "awaiting") or (derived and key in ("source", "note")):
                continue
            if key == "source" and value == "recorded":
                continue  # the usual case; the place after the fact says where it is recorded
            if key == "source":
                extra.append(label(f"x.source.{value}", lang) if f"x.source.{value}" in LABELS else f"{key}: {value}")
            elif "override" in key and value:
                extra.append(label("x.override", lang) + (f": {value}" if value is not True else ""))
            else:
                shown_key = label(f"x.holding.{key}", lang) if f"x.holding.{key}" in LABELS else key
                extra.append(f"{shown_key}: {value}")
        if extra:
            what += " (" + "; ".join(extra) + ")"
    else:
        what = value_text(f.written, lang) if f.written is not None or f.place is None else "—"
        if f.awaiting:
            what = label("x.note.awaiting", lang, by=f.awaiting) + (
                f" ({value_text(f.written, lang)})" if f.written is not None else ""
            )
    if f.place is None:
        return f"{name}: {what} ({label('x.not_written', lang)})"
    return label("x.fact_at", lang, what=f"{name}: {what}", where=place_text(f.place, lang))


def role_text(role: str | None, lang: str) -> str:
    """Which part of a measure a group of entities was classified for (where, matching, a part)."""
    if role is None:
        return ""
    if role.startswith("p") and role[1:].isdigit():
        return label("x.role.part", lang, n=int(role[1:]) + 1)
    key = f"x.role.{role}"
    return label(key, lang) if key in ("x.role.where", "x.role.matching", "x.role.population") else role


def derived_check_text(c: CriterionCheck, lang: str) -> str:
    """A criterion's check as the worksheet words it, with its outcome."""
    text = criterion_check_text(c.model_dump(), lang)  # says "must NOT hold" for a test under `not`
    if c.numerator is not None and c.label_code == "criteria.check.members_count" and c.unknown:
        text += " " + label("x.d.members_unknown", lang, n=c.unknown)
    outcome = FLIPPED[c.outcome] if c.negated else c.outcome  # the outcome for the criterion
    return f"{text} → {label(f'x.outcome.{outcome}', lang)}"


def derived_group_words(g: DerivedGroup, lang: str) -> tuple[str, str]:
    """A group of entities a criterion decided alike: its outcome (count included), and what was
    recorded or counted for them (" · …", or "" )."""
    head = label(f"x.d.outcome.{g.derived}", lang, count=g.count)
    if g.source == "recorded" and g.recorded is not None:
        state = label(f"title.{g.recorded['state']}", lang)
        if g.recorded.get("decision"):
            state += f", {label('x.holding.decision', lang)} {g.recorded['decision']}"
        return head, " · " + label("x.d.recorded", lang, state=state)
    if g.source == "derived":
        candidate = g.effective == "unknown" and g.derived == "true"  # over a quota, awaiting the council
        if g.effective == "proposed":  # eligible to be proposed: targets count it only as a proposal
            note = "eligible_pending"
        else:
            note = "derived" if g.effective == "decided" else ("derived_pending" if candidate else "derived_unknown")
        shown = derived_state_text(note, COUNCIL if candidate else None, lang)
        return head, " · " + label("x.d.counted_as", lang, state=shown)
    return head, " · " + label("x.d.not_recorded", lang)


def quota_set_in(q: dict[str, Any], lang: str) -> str | None:
    """Where a quota's cap was set (a pack, or the agency's own file: docs/criteria.md) and its legal text."""
    if not q.get("source"):
        return None
    where = f"{q['source']['file']}:{q['source']['line']}"
    return message("criteria.quota.set_in", lang, source=where, reference=q.get("reference") or "—")


def quota_line(q: dict[str, Any], lang: str) -> str:
    """A quota as an explanation states it (the worksheet's words, where its cap was set, and how many
    candidates more)."""
    text = quota_text(q, lang)
    set_in = quota_set_in(q, lang)
    if set_in:
        text += " — " + set_in
    if q.get("candidates_hidden"):
        text += " " + label("and_more", lang, n=q["candidates_hidden"])
    return text
