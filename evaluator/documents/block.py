"""A block run's documents: the ranking workbook, the offline HTML page and the minutes of the meeting.

The words (ranks, spans, proposal reasons, item rules) come from the one block run, rendered by the
same functions the terminal table and the JSON use; this module only lays them out, with the
workbook helpers of workbook.py and the CSS and chart style of page.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import pygal

from thidua.evaluator.documents.page import CHART_STYLE, CSS, SCRIPT, escape
from thidua.evaluator.documents.report import MISSING, Block, Report, Signer, document_header, recipient_lines
from thidua.evaluator.documents.word import render_docx, shipped_template
from thidua.evaluator.documents.workbook import (
    STATUS_FILL,
    Book,
    add_row,
    colour_words,
    column_letter,
    finish_sheet,
    setup_sheet,
)
from thidua.rules import formatting as fmt
from thidua.rules.messages import render as message
from thidua.rules.model import Agency
from thidua.rules.periods import parse_period
from thidua.rules.scoring import Meeting, Participant, Vote

Number = Fraction | float  # a score bound (±inf when a pending item is unbounded)

PROPOSAL_FILL = {
    "proposed": STATUS_FILL["met"],
    "not_proposed": "EDEDED",
    "excluded": STATUS_FILL["not_met"],
    "pending": STATUS_FILL["pending"],
    "error": STATUS_FILL["error"],
}
ITEM_FILL = {"scored": STATUS_FILL["met"], "pending": STATUS_FILL["pending"], "error": STATUS_FILL["error"]}


@dataclass(frozen=True)
class Span:
    """A score: exact when low == high, else the range pending items leave open; `text` as shown."""

    low: Number
    high: Number
    text: str

    @property
    def exact(self) -> bool:
        return self.low == self.high


@dataclass(frozen=True)
class ItemLine:
    part_title: str
    title: str
    points: Span
    max: Fraction | None
    max_text: str
    status: str  # scored | pending | error
    source: str  # which verdict or measure gave the points, in words
    rule: str  # how the points were computed, in words
    reasons: list[str] = field(default_factory=list)  # the verdict's reasons, as --explain prints them


@dataclass(frozen=True)
class MemberLine:
    key: str
    name: str
    rank: str
    parts: list[Span]  # one per group, then bonus, then deductions
    total: Span | None  # None: the member's inputs failed
    proposal: str
    status: str  # proposed | not_proposed | excluded | pending | error
    status_text: str
    reasons: list[str]
    items: list[ItemLine]


@dataclass(frozen=True)
class TitleProposals:
    title: str
    decided_by: str
    proposed: list[str]  # member names, best first
    undecided: list[tuple[str, str]]  # (member, reason) while pending


@dataclass(frozen=True)
class Settled:
    member: str
    target: str
    status: str
    status_text: str
    reason: str


@dataclass
class BlockDocument:
    """Everything the three renderers need from one block run, in the user's language."""

    lang: str
    block: str
    period: int | None
    title: str
    run: str
    run_id: str
    decimals: int
    part_titles: list[str]  # groups with their maxima, then bonus and deductions
    members: list[MemberLine]
    titles: list[TitleProposals]
    settled: list[Settled]
    labels: dict[str, str]  # column heads shared with the terminal table
    header: dict[str, str] = field(default_factory=dict)  # the Word header (Decree 30/2020)

    @property
    def pending(self) -> bool:
        return any(m.status == "pending" for m in self.members)


def _m(code: str, lang: str, **params: Any) -> str:
    return message(f"blockdoc.{code}", lang, **params)


def _cell(value: Number) -> float | str:
    """A bound as an Excel number; an unbounded one as its sign."""
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "∞" if value > 0 else "-∞"
    return float(value)


def _span_cell(s: Span) -> float | str:
    return _cell(s.low) if s.exact else s.text


def render_block_xlsx(doc: BlockDocument) -> bytes:
    """The block's workbook: scores, item by item points, proposals and the targets the block settled."""
    lang, lab = doc.lang, doc.labels
    score = "#,##0" + ("." + "0" * doc.decimals if doc.decimals else "")
    book = Book()
    ws = book.create_sheet(_m("sheet.ranking", lang))
    heads = [lab["rank"], lab["member"], _m("col.key", lang), *doc.part_titles, lab["total"]]
    heads += [_m("col.total_low", lang), _m("col.total_high", lang), lab["proposal"], lab["status"]]
    setup_sheet(ws, heads, [8, 34, 18, *([14] * len(doc.part_titles)), 16, 12, 12, 30, 18])
    first_score = 4
    n = len(doc.part_titles)
    formats = {1: "0", **{c: score for c in range(first_score, first_score + n + 3)}}
    for m in doc.members:
        parts: list[Any] = [_span_cell(p) for p in m.parts] or [None] * n
        total: list[Any] = [None, None, None]
        if m.total is not None:
            total = [m.total.text, _cell(m.total.low), _cell(m.total.high)]
        add_row(ws, [_rank(m.rank), m.name, m.key, *parts, *total, m.proposal, m.status_text], formats)
    status_col = len(heads)
    colour_words(ws, _column(status_col), {_status_word(doc, s): c for s, c in PROPOSAL_FILL.items()})
    finish_sheet(ws, len(heads))

    items = book.create_sheet(_m("sheet.items", lang))
    heads = [lab["member"], _m("col.group", lang), _m("col.item", lang), _m("col.points", lang)]
    heads += [_m("col.points_low", lang), _m("col.points_high", lang), _m("col.max", lang)]
    heads += [_m("col.item_status", lang), _m("col.source", lang), _m("col.rule", lang)]
    setup_sheet(items, heads, [30, 26, 44, 14, 12, 12, 10, 14, 40, 60])
    for m in doc.members:
        for i in m.items:
            maximum = float(i.max) if i.max is not None else None
            row: list[Any] = [
                m.name,
                i.part_title,
                i.title,
                _span_cell(i.points),
                _cell(i.points.low),
                _cell(i.points.high),
            ]
            row += [maximum, _m(f"item.{i.status}", lang), i.source, i.rule]
            add_row(items, row, {4: score, 5: score, 6: score, 7: score})
    colour_words(items, "H", {_m(f"item.{s}", lang): c for s, c in ITEM_FILL.items()})
    finish_sheet(items, len(heads))

    props = book.create_sheet(_m("sheet.proposals", lang))
    heads = [lab["rank"], lab["member"], _m("col.title", lang), lab["status"], _m("col.reasons", lang)]
    setup_sheet(props, heads, [8, 34, 34, 18, 90])
    for m in doc.members:
        add_row(props, [_rank(m.rank), m.name, m.proposal, m.status_text, "\n".join(m.reasons)])
    colour_words(props, "D", {_status_word(doc, s): c for s, c in PROPOSAL_FILL.items()})
    finish_sheet(props, len(heads))

    settled = book.create_sheet(_m("sheet.settled", lang))
    heads = [lab["member"], _m("col.target", lang), _m("col.verdict", lang), _m("col.reasons", lang)]
    setup_sheet(settled, heads, [34, 30, 16, 90])
    for s in doc.settled:
        add_row(settled, [s.member, s.target, s.status_text, s.reason])
    colour_words(settled, "C", {message(f"documents.status.{s}", lang): c for s, c in STATUS_FILL.items()})
    finish_sheet(settled, len(heads))

    return book.save(title=doc.title)


def _rank(text: str) -> int | str:
    """A settled rank as a number (sortable), a range of ranks ('2–4') as its text."""
    return int(text) if text.isdigit() else text


def _column(index: int) -> str:
    return column_letter(index)


def _status_word(doc: BlockDocument, status: str) -> str:
    return doc.labels[f"status.{status}"]


def totals_chart(doc: BlockDocument) -> str:
    """Each member's total as a bar: the settled part solid, the range pending items leave open
    lighter on top of it, so a range is drawn as a range and never as one number."""
    ranked = [m for m in doc.members if m.total is not None]
    lows, widths = [], []
    for m in ranked:
        assert m.total is not None
        low = float(m.total.low) if not isinstance(m.total.low, float) or abs(m.total.low) != float("inf") else 0.0
        high = float(m.total.high) if abs(float(m.total.high)) != float("inf") else low
        lows.append(low)
        widths.append(max(high - low, 0.0))
    top = max([lo + w for lo, w in zip(lows, widths, strict=True)] + [1.0])
    chart = pygal.HorizontalStackedBar(
        style=CHART_STYLE,
        width=1000,
        height=80 + 36 * max(len(ranked), 1),
        js=[],  # the page must open offline
        disable_xml_declaration=True,
        explicit_size=True,
        legend_at_bottom=True,
        print_values=False,
        range=(0, top * 1.05),
        truncate_label=-1,
    )
    # pygal's horizontal bars run bottom-up: reversed, the best stands first as in the table
    chart.x_labels = [f"{m.rank}. {m.name}" for m in reversed(ranked)]
    chart.add(_m("html.settled", doc.lang), list(reversed(lows)))
    chart.add(_m("html.open", doc.lang), list(reversed(widths)))
    svg = chart.render(is_unicode=True)
    return f'<div class="chart" role="img" aria-label="{escape(_m("html.chart", doc.lang))}">{svg}</div>'


def render_block_html(doc: BlockDocument) -> bytes:
    """One offline page: ranking table, totals chart, each member's items explained, the proposals."""
    lang, lab = doc.lang, doc.labels
    heads = [lab["rank"], lab["member"], *doc.part_titles, lab["total"], lab["proposal"], lab["status"]]
    rows = []
    for m in doc.members:
        cells = [f"<td class=num>{escape(p.text)}</td>" for p in m.parts] or ["<td>—</td>"] * len(doc.part_titles)
        total = escape(m.total.text) if m.total is not None else "—"
        rows.append(
            f'<tr class="member p-{m.status}"><td class=num>{escape(m.rank)}</td>'
            f'<td><a href="#m-{escape(m.key)}">{escape(m.name)}</a></td>{"".join(cells)}'
            f"<td class=num><b>{total}</b></td><td>{escape(m.proposal)}</td>"
            f'<td class="p-{m.status}">{escape(m.status_text)}</td></tr>'
        )
    details = []
    for m in doc.members:
        lines = []
        for i in m.items:
            reasons = "".join(f"<li>{escape(r)}</li>" for r in i.reasons)
            lines.append(
                f'<tr class="i-{i.status}"><td>{escape(i.part_title)}</td><td>{escape(i.title)}</td>'
                f"<td class=num>{escape(i.points.text)}</td><td class=num>{escape(i.max_text)}</td>"
                f"<td>{escape(i.rule)}<div class=place>{escape(i.source)}</div>"
                f"{f'<ul>{reasons}</ul>' if reasons else ''}</td></tr>"
            )
        why = "".join(f"<li>{escape(r)}</li>" for r in m.reasons)
        total = escape(m.total.text) if m.total is not None else "—"
        details.append(
            f'<details class=member id="m-{escape(m.key)}"><summary>{escape(m.rank)}. {escape(m.name)} — '
            f"{escape(lab['total'])} {total} — {escape(m.status_text)}</summary>"
            f"<table><thead><tr><th>{escape(_m('col.group', lang))}</th><th>{escape(_m('col.item', lang))}</th>"
            f"<th>{escape(_m('col.points', lang))}</th><th>{escape(_m('col.max', lang))}</th>"
            f"<th>{escape(_m('col.rule', lang))}</th></tr></thead><tbody>{''.join(lines)}</tbody></table>"
            f"<p><b>{escape(lab['proposal'])}: {escape(m.proposal)}</b></p><ul>{why}</ul></details>"
        )
    proposals = []
    for t in doc.titles:
        names = ", ".join(t.proposed) or _m("html.none", lang)
        undecided = "".join(f"<li>{escape(who)}: {escape(why)}</li>" for who, why in t.undecided)
        proposals.append(
            f"<section class=proposal><h3>{escape(t.title)}</h3><p>{escape(names)}</p>"
            f"{f'<ul>{undecided}</ul>' if undecided else ''}</section>"
        )
    settled = (
        "".join(
            f'<li class="s-{s.status}">{escape(s.member)} [{escape(s.target)}] {escape(s.status_text)} — {escape(s.reason)}</li>'
            for s in doc.settled
        )
        or f"<li>{escape(_m('html.none', lang))}</li>"
    )
    th = "".join(f"<th>{escape(h)}</th>" for h in heads)
    colours = "".join(f".p-{s}{{background:#{c.lower()}}}" for s, c in PROPOSAL_FILL.items())
    colours += "".join(f".i-{s} td:nth-child(3){{background:#{c.lower()}}}" for s, c in ITEM_FILL.items())
    draft = f"<p class=draft>{escape(doc.header['draft'])}</p>" if doc.header.get("draft") else ""
    page = f"""<!DOCTYPE html>
<html lang="{escape(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(doc.title)}</title><style>{CSS}{colours}
details.member{{margin:8px 0;padding:6px 10px;border:1px solid #ddd;border-radius:6px}}#members ul{{margin:.2em 0;padding-left:1.4em}}.chart svg{{max-width:100%;height:auto}}</style></head>
<body>
{draft}
<h1>{escape(doc.title)}</h1>
<h2>{escape(_m("html.ranking", lang))}</h2>
<table id=ranking><thead><tr>{th}</tr></thead><tbody>{"".join(rows)}</tbody></table>
<h2>{escape(_m("html.chart", lang))}</h2>
{totals_chart(doc)}
<h2>{escape(_m("html.proposals", lang))}</h2>
<div id=proposals>{"".join(proposals)}</div>
<h2>{escape(_m("html.settled_targets", lang))}</h2><ul id=settled>{settled}</ul>
<h2>{escape(_m("html.members", lang))}</h2>
<div id=members>{"".join(details)}</div>
<footer><p>{escape(doc.run)}</p></footer>
<script>{SCRIPT}</script>
</body></html>
"""
    return page.encode("utf-8")


BLOCK_TEMPLATE = "bien_ban_khoi.docx"


def _giver(t: TitleProposals) -> tuple[str, str]:
    """Who awards and what, in the state's wording: 'Cờ thi đua của UBND tỉnh' decided by UBND tỉnh
    reads 'UBND tỉnh tặng Cờ thi đua'; 'Bằng khen của Chủ tịch UBND tỉnh' reads 'Chủ tịch UBND
    tỉnh tặng Bằng khen'. A title naming no giver keeps its words and the block's `decided_by`."""
    m = re.match(r"^(?P<award>.+?) của (?P<giver>.+)$", t.title)
    if m is not None and m["giver"].endswith(t.decided_by):
        return m["giver"], m["award"]
    return t.decided_by, t.title


def date_words(day: dt.date, lang: str) -> str:
    """ "ngày 20 tháng 12 năm 2022", with the zero Decree 30/2020 and 36-HD/VPTW write before a day
    under 10 and before months 1 and 2 ("ngày 05 tháng 02")."""
    d = f"{day.day:02d}"
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return message("documents.date", lang, day=d, month=m, year=day.year)


def _sentence(text: str) -> str:
    """A line of the minutes that ends as a sentence: with a full stop, unless it has one already."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _person(p: Participant | None) -> str:
    if p is None or not (p.name or p.position):
        return MISSING
    return ", ".join(x for x in (p.name, p.position) if x)


def meeting_blocks(meeting: Meeting, lang: str) -> list[Block]:
    """What the minutes record of the meeting itself, in the order of a Decree 30/2020 biên bản:
    time, place, attendees (and who was absent), chair, secretary."""
    clock = meeting.clock("start")
    when = date_words(meeting.date, lang) if meeting.date is not None else message("documents.date_missing", lang)
    if clock is not None:
        when = _m("docx.at", lang, hour=f"{clock[0]:02d}", minute=f"{clock[1]:02d}", date=when)
    elif meeting.date is None:
        when = MISSING
    blocks = [
        Block("field", when, label=_m("docx.time", lang)),
        Block("field", meeting.place or MISSING, label=_m("docx.place", lang)),
        Block("field", "" if meeting.attendees else MISSING, label=_m("docx.attendees", lang)),
        *(Block("plus", a) for a in meeting.attendees),
    ]
    if meeting.absent:
        blocks += [Block("field", "", label=_m("docx.absent", lang)), *(Block("plus", a) for a in meeting.absent)]
    blocks += [
        Block("field", _person(meeting.chair), label=_m("docx.chair", lang)),
        Block("field", _person(meeting.secretary), label=_m("docx.secretary", lang)),
    ]
    return blocks


def vote_words(vote: Vote | None, lang: str) -> str:
    """The vote as the minutes state it: "07/07 thành viên tán thành (100%), 0 không tán thành …"."""
    if vote is None:
        return _m("docx.vote_missing", lang)
    share = fmt.percent(vote.agreed / vote.voters, lang) if vote.voters else MISSING
    return _m(
        "docx.vote",
        lang,
        agreed=fmt.two_digits(vote.agreed),
        voters=fmt.two_digits(vote.voters),
        share=share,
        against=fmt.two_digits(vote.against),
        abstained=fmt.two_digits(vote.abstained),
    )


def _score_rows(doc: BlockDocument, m: MemberLine) -> list[dict[str, Any]]:
    """A member's points criterion by criterion: each group's row (its points), then its items."""
    parts = list(dict.fromkeys(i.part_title for i in m.items))
    totals = dict(zip(parts, m.parts, strict=False)) if len(parts) == len(m.parts) else {}
    rows: list[dict[str, Any]] = []
    for part in parts:
        items = [i for i in m.items if i.part_title == part]
        top = [i.max for i in items if i.max is not None]
        rows.append(
            {
                "group": True,
                "title": part,
                "max": fmt.number(float(sum(top, Fraction(0))), doc.lang) if len(top) == len(items) else "",
                "points": totals[part].text if part in totals else "",
            }
        )
        rows += [{"group": False, "title": i.title, "max": i.max_text, "points": i.points.text} for i in items]
    return rows


def block_report(doc: BlockDocument, agency: Agency | None, meeting: Meeting | None = None) -> Report:
    """The minutes of the ranking meeting (biên bản) as the report's typed blocks, in the agency's
    layout: the meeting's fields, the ranking, the proposals, the vote, the two signatures (the
    secretary's and the chair's), and each member's points criterion by criterion in an appendix.
    Nothing in the body names a run: the minutes are the meeting's, the ledger keeps the run."""
    lang = doc.lang
    who = (agency or Agency()).model_copy(update={"name": (agency.name if agency else None) or doc.block})
    meeting = meeting or Meeting()
    year: Any = doc.period if doc.period is not None else MISSING
    header = document_header(
        who,
        lang,
        doc_type=_m("docx.doc_type", lang),
        summary=_m("docx.summary", lang, block=doc.block, period=year),
        draft=doc.header.get("draft", ""),
        year=year,
    )
    if meeting.date is not None:  # minutes are dated the day of the meeting
        place = who.place or MISSING
        header = replace(header, place_date=f"{place}, {date_words(meeting.date, lang)}")
    body = [
        *meeting_blocks(meeting, lang),
        Block(
            "field",
            _m("docx.intro", lang, block=doc.block, period=year, count=len(doc.members)),
            label=_m("docx.content", lang),
        ),
        Block("roman", _m("docx.part_ranking", lang)),
    ]
    for m in doc.members:
        total = m.total.text if m.total is not None else "—"
        line = _m("docx.member_line", lang, rank=m.rank, member=m.name, total=total, proposal=m.proposal)
        body.append(Block("dash", line, status=m.status))
    body.append(Block("roman", _m("docx.part_proposals", lang)))
    for t in doc.titles:
        giver, award = _giver(t)
        if t.proposed:
            line = _m("docx.propose", lang, by=giver, title=award, members=", ".join(t.proposed))
        else:
            line = _m("docx.propose_none", lang, title=t.title)
        body.append(Block("dash", line))
        body += [Block("plus", _sentence(_m("docx.pending", lang, member=n, reason=r))) for n, r in t.undecided]
    body += [Block("roman", _m("docx.part_vote", lang)), Block("text", vote_words(meeting.vote, lang))]
    end = meeting.clock("end")
    closing = (
        _m("docx.closing", lang, hour=f"{end[0]:02d}", minute=f"{end[1]:02d}")
        if end is not None
        else _m("docx.closing", lang, hour=MISSING, minute=MISSING)
    )
    scores = [
        {
            "title": _m("docx.scores_member", lang, rank=m.rank, member=m.name, total=m.total.text if m.total else "—"),
            "rows": _score_rows(doc, m),
        }
        for m in doc.members
        if m.items
    ]
    chair, secretary = meeting.chair or Participant(), meeting.secretary or Participant()
    return Report(
        lang=lang,
        period=parse_period(doc.period),
        next_period=None,
        header=header,
        body=body,
        closing=closing,
        recipients_label=message("documents.recipients", lang),
        recipients=recipient_lines(who.recipients, who.format),
        signer=Signer(
            capacity=who.signer_capacity or "",
            position=who.signer_position or MISSING,
            name=who.signer_name or MISSING,
        ),
        appendix_title="",
        appendix_intro="",
        layout=who.format,
        chair=Signer("", _m("docx.chair_signs", lang), chair.name or MISSING),
        secretary=Signer("", _m("docx.secretary_signs", lang), secretary.name or MISSING),
        author=who.name or doc.block,
        extra={
            "scores_title": _m("docx.scores", lang),
            "scores_heads": [_m("col.item", lang), _m("col.max", lang), _m("col.points", lang)],
            "scores": scores,
        },
    )


def render_block_docx(doc: BlockDocument, agency: Agency | None, meeting: Meeting | None = None) -> bytes:
    """The minutes as .docx bytes, from the shipped block template (same builder as the report's)."""
    return render_docx(block_report(doc, agency, meeting), shipped_template(BLOCK_TEMPLATE), BLOCK_TEMPLATE)


__all__ = [
    "BlockDocument",
    "ItemLine",
    "MemberLine",
    "Settled",
    "Span",
    "TitleProposals",
    "block_report",
    "render_block_docx",
    "render_block_html",
    "render_block_xlsx",
]
