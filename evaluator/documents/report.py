"""The year-end report as data: header, Phần I (targets, outcomes, titles), Phần II and the appendix.

Every sentence is built from the judgements of one run (status, measured value, margin, reasons
and the entities they name) and the registered target titles, in the words the council's own
reports use: the target restated with the measured figure ("Có 03 cá nhân đạt danh hiệu Chiến sĩ
thi đua cơ sở"), the names after "gồm:", the outcome ("đạt chỉ tiêu", "vượt 01 chỉ tiêu", "chờ
kết quả xét của …"). Findings never enter a verdict line: they go to the appendix only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from thidua.evaluator.documents.typeset import BODY_NAME_PT, HEADER_LEFT_MM, Cell, body_text, header_lines
from thidua.evaluator.engine.findings import Finding
from thidua.evaluator.facts.reader import Entity, FactBase, Holding
from thidua.evaluator.judgement import EntityRef, Evaluation, Judgement
from thidua.evaluator.run import Run
from thidua.rules import formatting as fmt
from thidua.rules.messages import render as message
from thidua.rules.model import Agency
from thidua.rules.periods import Period
from thidua.rules.ruleset import RuleSet

MISSING = "…"  # what a secretary fills in by hand, as in the seed's "Số: /BC-CĐCS"
GROUPS = ("collective", "individual", None)
MAX_HOLDER_NAMES = 10  # a title held by the whole staff is a count, not a list of 22 names

# The pledge words before the figure of a registered target: "Phấn đấu có trên 02 cá nhân ...".
PLEDGE = re.compile(
    r"^(?P<pre>(?:phấn đấu\s+)?(?:(?P<co>có)\s+)?(?:(?:trên|từ|ít nhất|tối thiểu|đạt|có)\s+)?)"
    r"(?P<num>\d+(?:[.,]\d+)?\s*%?)(?=\s)",
    re.IGNORECASE,
)
AT_LEAST = re.compile(r"\s+trở lên\b", re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    """One paragraph of the body: `kind` decides its style (part, part_title, roman, arabic, dash, plus, text)."""

    kind: str
    text: str
    target: str | None = None
    status: str | None = None
    label: str = ""  # a field's name before its value ("Địa điểm:"), kind `field`


@dataclass(frozen=True)
class Header:
    parent: str  # "" when the issuing body has none above it (a commune's People's Committee)
    name: str
    number: str
    place_date: str
    national: str
    motto: str  # "" in the Party's layout
    doc_type: str
    summary: str
    draft: str  # "DỰ THẢO" while a verdict is pending, else ""
    layout: str = "nha_nuoc"  # nha_nuoc (Decree 30/2020) or dang (Hướng dẫn 36-HD/VPTW)
    mark: str = ""  # under the issuing body: "*" in the Party's layout (the State's draws a rule)


@dataclass(frozen=True)
class Signer:
    capacity: str
    position: str
    name: str


@dataclass(frozen=True)
class Layout:
    """What a document format writes in the header and the list of recipients: the national name
    and motto, the number's pattern, the mark under the issuing body, the recipients' separator."""

    national: str  # message codes
    motto: str | None
    number: str
    mark: str
    separator: str  # after each recipient but the last, which ends with a full stop


LAYOUTS = {
    # Decree 30/2020/NĐ-CP, Phụ lục I: "Số: 12/BC-CĐCS", recipients end with ";"
    "nha_nuoc": Layout("documents.national", "documents.motto", "documents.number", "", ";"),
    # Hướng dẫn 36-HD/VPTW: "Số 12-BC/HU" (no colon), "*" under the issuing body, recipients end with ","
    "dang": Layout("documents.national_party", None, "documents.number_party", "*", ","),
}


def header_words(agency: Agency, lang: str) -> dict[str, str]:
    """The header's words that come from the agency's format, not from the template."""
    layout = LAYOUTS[agency.format]
    return {
        "layout": agency.format,
        "national": message(layout.national, lang),
        "motto": message(layout.motto, lang) if layout.motto else "",
        "number": message(layout.number, lang, number=MISSING, symbol=agency.number_symbol or MISSING),
        "mark": layout.mark,
    }


def recipient_lines(recipients: list[str], layout: str) -> list[str]:
    """The list after "Nơi nhận:", each line with its closing punctuation: the format's separator
    after each but the last, a full stop after the last ("- Lưu: VT, TĐKT.")."""
    items = [r.rstrip().rstrip(";,.").rstrip() for r in recipients] or [MISSING]
    separator = LAYOUTS[layout].separator
    return [item + (separator if i < len(items) - 1 else ".") for i, item in enumerate(items)]


@dataclass
class Report:
    """Everything a renderer needs; no renderer computes a verdict or a sentence of its own."""

    lang: str
    period: Period | None
    next_period: Period | None
    header: Header
    body: list[Block]
    closing: str
    recipients_label: str
    recipients: list[str]  # each line with its punctuation (recipient_lines)
    signer: Signer
    appendix_title: str
    appendix_intro: str
    appendix: list[str] = field(default_factory=list)
    outcomes: dict[str, str] = field(default_factory=dict)  # target id -> its verdict line in mục III
    layout: str = "nha_nuoc"  # the agency's `format:`: nha_nuoc (Decree 30/2020) or dang (the Party's)
    chair: Signer | None = None  # the minutes' two signatures
    secretary: Signer | None = None
    author: str = ""  # the issuing body as the agency writes it: the document's author property
    extra: dict[str, Any] = field(default_factory=dict)  # what one template has of its own (the minutes' scores)

    def context(self) -> dict[str, Any]:
        """The template context (docxtpl): plain dicts and strings only."""
        context: dict[str, Any] = {
            "lang": self.lang,
            "period": self.period.label if self.period is not None else None,
            "next_period": self.next_period.label if self.next_period is not None else None,
            "header": self.header.__dict__,
            "body": [{**b.__dict__, "text": body_text(b.text)} for b in self.body],
            "closing": self.closing,
            "recipients_label": self.recipients_label,
            "recipients": self.recipients,
            "signer": self.signer.__dict__,
            "appendix_title": self.appendix_title,
            "appendix_intro": self.appendix_intro,
            "appendix": self.appendix,
            "layout": self.layout,
        }
        if self.chair is not None and self.secretary is not None:
            context["chair"], context["secretary"] = self.chair.__dict__, self.secretary.__dict__
        return {**context, **self.extra}


def _or_missing(value: str | None, upper: bool = False) -> str:
    """A header or signer value as printed: "…" when the file leaves it out, nothing when it writes
    it empty on purpose (`parent: ""`: a commune's People's Committee has no body above it)."""
    if value is None:
        return MISSING
    if not value.strip():
        return ""
    return value.upper() if upper else value


def restate(title: str, figure: str, proposed: bool = False) -> str | None:
    """The registered target with its pledge figure replaced by the measured one, or None when the
    title starts with no figure: "Phấn đấu có trên 02 cá nhân đạt …" -> "Có 03 cá nhân đạt …".
    A share reads "100% công chức …" (no "Có"); `proposed` (every one counted is a proposal) says
    "đề nghị" where the pledge said "được": "Có 01 cá nhân đề nghị UBND tỉnh tặng Bằng khen"."""
    m = PLEDGE.match(title)
    if m is None:
        return None
    rest = AT_LEAST.sub("", title[m.end() :])
    if proposed:
        rest = re.sub(r"\sđược\s", " đề nghị ", rest, count=1)
    lead = "Có " if m.group("co") and not figure.endswith("%") else ""
    text = lead + figure + rest
    return text[0].upper() + text[1:]


def _figure(j: Judgement, lang: str) -> str | None:
    m = j.measured
    if m.kind == "share" and m.value is not None:
        return fmt.percent(float(m.value), lang)
    if m.kind in ("count", "sum") and m.value is not None and not isinstance(m.value, bool):
        return fmt.two_digits(int(m.value))
    return None


def _count(n: int, lang: str) -> str:
    """A count as a report writes it: two digits under 100 (05), grouped above (1.000)."""
    return fmt.two_digits(n) if n < 100 else fmt.number(n, lang)


def _figure_with_base(j: Judgement, figure: str, lang: str) -> str:
    """A share with what it is of: "25% (02/08)"; a count or a sum of counts as it is."""
    m = j.measured
    if figure.endswith("%") and m.numerator is not None and m.denominator:
        return f"{figure} ({_count(m.numerator, lang)}/{_count(m.denominator, lang)})"
    return figure


def _names(entities: list[EntityRef], proposed: set[str], lang: str) -> str:
    return ", ".join(
        message("documents.proposed_name", lang, name=e.name) if e.id in proposed else e.name for e in entities
    )


def _awaited_by(j: Judgement) -> tuple[list[str], str | None]:
    """Who the pending verdict waits for, and a provisional value if one was written."""
    by: list[str] = []
    provisional: str | None = None
    for r in j.reasons:
        if r.params.get("by"):
            by.append(str(r.params["by"]))
        if r.params.get("provisional"):
            provisional = str(r.params["provisional"])
        for c in r.checks:
            if c.outcome == "unknown" and c.by:
                by.append(c.by)
    return list(dict.fromkeys(by)), provisional


def _margin_words(j: Judgement, lang: str) -> str | None:
    g = j.margin
    if g is None or g.value == 0:
        return None
    size = abs(g.value)
    if g.unit == "count":
        return fmt.two_digits(int(size)) if float(size).is_integer() else fmt.number(size, lang)
    if g.unit == "value":  # "vượt 03 hạng", "còn thiếu 0,2 điểm"
        shown = fmt.two_digits(int(size)) if float(size).is_integer() else fmt.number(size, lang)
        return (shown + g.label if g.label == "%" else f"{shown} {g.label}") if g.label else shown
    return None


def _required(j: Judgement, lang: str) -> str:
    r = j.requirement
    if r.kind == "level" and r.label:
        return f"“{r.label}”"
    if isinstance(r.value, (int, float)) and not isinstance(r.value, bool):
        return fmt.number(r.value, lang)
    return str(r.value)


def outcome_words(j: Judgement, period: Period | None, lang: str) -> str:
    """The verdict in the report's words: đạt / vượt 01 / không đạt, còn thiếu 01 / chờ kết quả xét của …"""
    year = period if period is not None else MISSING
    if j.status == "met":
        return message("documents.outcome.met", lang, period=year)
    if j.status == "exceeded":
        by = _margin_words(j, lang)
        if by is not None:
            return message("documents.outcome.exceeded_by", lang, margin=by, period=year)
        words = message("documents.outcome.exceeded", lang, period=year)
        return f"{words} ({message('documents.outcome.required', lang, required=_required(j, lang))})"
    if j.status == "not_met":
        words = message("documents.outcome.not_met", lang, period=year)
        short = _margin_words(j, lang)
        if short is not None:
            return f"{words}, {message('documents.outcome.short_by', lang, margin=short)}"
        return f"{words} ({message('documents.outcome.required', lang, required=_required(j, lang))})"
    if j.status == "pending":
        awaited, provisional = _awaited_by(j)
        words = (
            message("documents.outcome.pending_by", lang, by=", ".join(awaited))
            if awaited
            else message("documents.outcome.pending", lang)
        )
        if provisional:
            words += f"; {message('documents.outcome.provisional', lang, value=provisional)}"
        return words
    return message("documents.outcome.error", lang)


def _lower_first(label: str) -> str:
    """A label inside a sentence: its first letter lower case, proper names kept ("… cơ quan Đảng")."""
    return label[:1].lower() + label[1:]


def failing_entities(j: Judgement) -> list[EntityRef]:
    """Whom a not-met share or sum of shares fails on, each once: the group the table's reasons name.
    For an at-least share, those not matching; for an at-most share ("không quá 20%"), those matching.
    For a sum of shares, those outside every part (at least) or inside any part (at most)."""
    if j.measured.kind not in ("share", "sum"):
        return []
    at_most = j.requirement.op in ("lt", "lte")
    code = "entities.matching" if at_most else "entities.not_matching"
    by_part: dict[str | None, dict[str, EntityRef]] = {}
    for r in j.reasons:
        if r.code in ("entities.matching", "entities.not_matching"):
            part = by_part.setdefault(r.role, {})
            if r.code == code:
                part.update((e.id, e) for e in r.entities)
    if not by_part:
        return []
    parts = list(by_part.values())
    if at_most:  # inside any part
        return list({k: v for part in parts for k, v in part.items()}.values())
    return [e for k, e in parts[0].items() if all(k in part for part in parts[1:])]  # outside every part


def outcome_line(j: Judgement, period: Period | None, lang: str) -> str:
    """One line of mục III: what was achieved (restated target, level or figure), who, and the verdict."""
    counted = [e for r in j.reasons if r.code == "entities.counted" for e in r.entities]
    proposed = {e.id for r in j.reasons if r.code == "note.proposal_counted" for e in r.entities}
    # eligible to be proposed by the criteria, nothing decided: never restated as achieved
    eligible = {e.id for r in j.reasons if r.code == "note.derived_counted" for e in r.entities}
    verdict = outcome_words(j, period, lang)
    figure = _figure(j, lang)
    level = next((r for r in j.reasons if r.code == "measure.value"), None)
    if j.measured.kind == "level" and level is not None and j.status != "pending":
        entity = level.entities[0].name if level.entities else MISSING
        attribute = _lower_first(str(level.params.get("attribute_label", "")))
        head = message(
            "documents.level_line", lang, entity=entity, attribute=attribute, value=level.params.get("value")
        )
        return f"{head}, {verdict}."
    number = next((r for r in j.reasons if r.code == "measure.number"), None)
    if j.measured.kind == "value" and number is not None and j.status != "pending":
        entity = number.entities[0].name if number.entities else MISSING
        value = fmt.number(number.params["value"], lang)
        unit = number.params.get("unit")
        head = message(
            "documents.value_line",
            lang,
            entity=entity,
            attribute=_lower_first(str(number.params.get("attribute_label", ""))),
            value=(value + unit if unit == "%" else f"{value} {unit}") if unit else value,
        )
        return f"{head}, {verdict}."
    if j.status == "pending" or figure is None:
        head = j.title.rstrip(".")
        return f"{head} ({verdict})." if j.status == "pending" else f"{head}, {verdict}."
    all_proposed = bool(counted) and all(e.id in proposed for e in counted)
    counted_eligible = [e for e in counted if e.id in eligible]
    restated = restate(j.title, figure, all_proposed) if not counted_eligible else None
    head = restated or j.title.rstrip(".")
    parts = [head]
    if restated is None:  # the title does not start with its figure: the measured one is stated apart
        parts.append(message("documents.measured", lang, figure=_figure_with_base(j, figure, lang)))
    if counted:
        marked = set() if all_proposed and restated else proposed
        parts.append(message("documents.names", lang, names=_names(counted, marked, lang)))
        if proposed and not all_proposed:
            parts.append(message("documents.proposals_counted", lang, count=fmt.two_digits(len(proposed))))
        if counted_eligible:
            count = fmt.two_digits(len(counted_eligible))
            parts.append(message("documents.eligible_counted", lang, count=count))
    if j.status == "not_met":
        failing = failing_entities(j)
        if failing:  # at most: those counted make it fail ("gồm: …"); at least: those not counted
            code = "documents.names" if j.requirement.op in ("lt", "lte") else "documents.not_matching"
            parts.append(message(code, lang, names=_names(failing, set(), lang)))
    parts.append(verdict)
    return ", ".join(parts) + "."


def _kind_noun(rules: RuleSet, kind: str) -> str:
    decl = rules.kinds.get(kind)
    noun = decl.title.split(" (")[0] if decl is not None else kind
    return noun[:1].lower() + noun[1:]


def recorded_holders(facts: FactBase, title: str, states: tuple[str, ...]) -> list[tuple[Entity, Holding]]:
    """Who holds `title` in one of `states` as the facts record it (not as the criteria derive it)."""
    out = []
    for items in facts.entities.values():
        for e in items:
            h = e.holdings.get(title)
            if h is not None and h.state in states and h.source == "recorded":
                out.append((e, h))
    return out


def titles_earned(run: Run, lang: str) -> list[str]:
    """Titles and awards recorded as decided (then as proposed), per title in the rules' order."""
    lines: list[str] = []
    for state, code in (("decided", "documents.holders"), ("proposed", "documents.holders_proposed")):
        for title_id, title in run.rules.titles.items():
            by_kind: dict[str, list[str]] = {}
            for e, _ in recorded_holders(run.facts, title_id, (state,)):
                by_kind.setdefault(e.kind, []).append(e.name)
            for kind, names in by_kind.items():
                text = message(
                    code,
                    lang,
                    title=title.title,
                    count=fmt.two_digits(len(names)),
                    kind=_kind_noun(run.rules, kind),
                )
                if len(names) <= MAX_HOLDER_NAMES:
                    text += f" ({', '.join(names)})"
                lines.append(text + ".")
    return lines


def _grouped(items: list[tuple[str | None, Block]], lang: str) -> list[Block]:
    """Blocks under "1. Đối với tập thể:", "2. Đối với cá nhân:", in the declared order within each."""
    out: list[Block] = []
    number = 0
    for group in GROUPS:
        members = [b for g, b in items if g == group]
        if not members:
            continue
        number += 1
        heading = message(f"documents.group.{group or 'other'}", lang)
        out.append(Block("arabic", f"{number}. {heading}"))
        out.extend(members)
    return out


def registered_blocks(evaluation: Evaluation) -> list[tuple[str | None, Block]]:
    return [(j.group, Block("dash", j.title.rstrip("."), target=j.target)) for j in evaluation.judgements]


def finding_text(f: Finding, lang: str) -> str:
    """A finding as the appendix states it: what differs, whom or which target, and what to do."""
    text = message(f.code, lang, **f.params)
    who = f.params.get("name")
    if who and str(who) not in text:
        text = f"{who}: {text}"
    return f"{text} → {message(f.action, lang)}."


def document_header(agency: Agency, lang: str, *, doc_type: str, summary: str, draft: str, year: Any) -> Header:
    """The header of a document the agency (or block) issues, in its format: the bodies' names kept
    whole on their lines, the national name, motto and number from the format."""
    places = (agency.place or "",)
    words = header_words(agency, lang)
    if agency.format == "dang" and summary:  # the Party writes the summary in lower case: "BÁO CÁO / kết quả …"
        summary = summary[0].lower() + summary[1:]
    size = BODY_NAME_PT[agency.format]
    return Header(
        parent=header_lines(_or_missing(agency.parent, upper=True), Cell(HEADER_LEFT_MM, size), places),
        name=header_lines(_or_missing(agency.name, upper=True), Cell(HEADER_LEFT_MM, size, bold=True), places),
        number=words["number"],
        place_date=message("documents.place_date", lang, place=agency.place or MISSING, year=year),
        national=words["national"],
        motto=words["motto"],
        doc_type=doc_type,
        summary=summary,
        draft=draft,
        layout=words["layout"],
        mark=words["mark"],
    )


def build_report(run: Run, findings: list[Finding], lang: str = "vi", next_run: Run | None = None) -> Report:
    """The report of `run` (and Phần II from `next_run`); `findings` of the same run go to the appendix."""
    ev = run.evaluation
    period = ev.period
    year: Any = period if period is not None else MISSING
    agency = run.rules.agency or Agency()
    next_period = next_run.evaluation.period if next_run is not None else None
    summary = message("documents.summary", lang, period=year)
    if next_run is not None:
        summary += message("documents.summary_next", lang, period=next_period or MISSING)
    pending = any(j.status == "pending" for j in ev.judgements)
    header = document_header(
        agency,
        lang,
        doc_type=message("documents.doc_type", lang),
        summary=summary,
        draft=message("documents.draft", lang) if pending else "",
        year=year,
    )
    body: list[Block] = [
        Block("part", message("documents.part1", lang)),
        Block("part_title", message("documents.part1_title", lang, period=year)),
        Block("roman", message("documents.registered", lang)),
        Block("text", message("documents.registered_intro", lang, period=year)),
        *_grouped(registered_blocks(ev), lang),
        Block("roman", message("documents.leadership", lang)),
        Block("text", MISSING),
        Block("roman", message("documents.results", lang)),
        Block("text", message("documents.results_intro", lang)),
    ]
    outcomes: dict[str, str] = {}
    results: list[tuple[str | None, Block]] = []
    for j in ev.judgements:
        line = outcome_line(j, period, lang)
        outcomes[j.target] = line
        results.append((j.group, Block("dash", line, target=j.target, status=j.status)))
    body.extend(_grouped(results, lang))
    earned = titles_earned(run, lang)
    if earned:
        number = sum(1 for g in GROUPS if any(group == g for group, _ in results)) + 1
        body.append(Block("arabic", f"{number}. {message('documents.titles_earned', lang)}"))
        body.extend(Block("dash", t) for t in earned)
    body += [Block("roman", message("documents.assessment", lang)), Block("text", MISSING)]
    closing_next = ""
    if next_run is not None:
        body += [
            Block("part", message("documents.part2", lang)),
            Block("part_title", message("documents.part2_title", lang, period=next_period or MISSING)),
            Block("roman", message("documents.part2_content", lang)),
            Block("text", MISSING),
            Block("roman", message("documents.part2_targets", lang, period=next_period or MISSING)),
            *_grouped(registered_blocks(next_run.evaluation), lang),
        ]
        closing_next = message("documents.closing_next", lang, period=next_period or MISSING)
    return Report(
        lang=lang,
        period=period,
        next_period=next_period,
        header=header,
        body=body,
        closing=message("documents.closing", lang, period=year, next=closing_next),
        recipients_label=message("documents.recipients", lang),
        recipients=recipient_lines(agency.recipients, agency.format),
        signer=Signer(
            capacity=_or_missing(agency.signer_capacity, upper=True),
            position=_or_missing(agency.signer_position, upper=True),
            name=_or_missing(agency.signer_name),
        ),
        appendix_title=message("documents.appendix", lang),
        appendix_intro=message("documents.appendix_intro", lang),
        appendix=[finding_text(f, lang) for f in findings],
        outcomes=outcomes,
        layout=agency.format,
        author=agency.name or "",
    )


__all__ = [
    "Block",
    "Header",
    "Report",
    "Signer",
    "build_report",
    "finding_text",
    "outcome_line",
    "recorded_holders",
    "restate",
]
