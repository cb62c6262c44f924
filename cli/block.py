"""`thidua block`: a block's members scored, ranked and proposed; one member's score explained item by item."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import click
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from thidua.cli import EXIT_BAD_INPUT, EXIT_OK
from thidua.cli.common import FORCE_OPTION, LANG_OPTION, guarded
from thidua.cli.console import make_console
from thidua.cli.labels import label
from thidua.cli.recording import LEDGER_OPTION
from thidua.cli.render import print_problems, status_text
from thidua.cli.report import save_document
from thidua.evaluator.app.words import reason_text
from thidua.evaluator.audit.ledger import (
    default_ledger_path,
)
from thidua.evaluator.blocks.rank import Proposal
from thidua.evaluator.blocks.run import BlockRun, Member, run_block
from thidua.evaluator.blocks.score import Bound, ItemScore
from thidua.evaluator.documents.block import (
    BlockDocument,
    ItemLine,
    MemberLine,
    Settled,
    Span,
    TitleProposals,
    render_block_docx,
    render_block_html,
    render_block_xlsx,
)
from thidua.evaluator.output import check_output
from thidua.rules.errors import Location, fail
from thidua.rules.formatting import fixed
from thidua.rules.messages import render as message

PROPOSAL_STYLE = {
    "proposed": "bold green",
    "not_proposed": "dim",
    "excluded": "red",
    "pending": "yellow",
    "error": "red",
}


def number(value: Bound, decimals: int, lang: str) -> str:
    """A score with the table's decimals, rounded half up here only (exact inside), in the notation of
    every other renderer (rules/formatting.py: 90,68 in Vietnamese, 90.68 in English)."""
    if isinstance(value, float):
        return "∞" if value > 0 else "-∞"
    return fixed(value, decimals, lang)


def span(low: Bound, high: Bound, decimals: int, lang: str) -> str:
    if low == high:
        return number(low, decimals, lang)
    return f"{number(low, decimals, lang)}–{number(high, decimals, lang)}"


def exact(value: Bound) -> str | None:
    """The exact value as a fraction string ('725/8'), for tools that must not trust rounded decimals."""
    return None if isinstance(value, float) else str(value)


def proposal_text(run: BlockRun, p: Proposal, lang: str) -> str:
    titles = {t.id: t.title for t in (run.model.proposals.titles if run.model.proposals else [])}
    if p.status == "proposed" and p.title:
        return titles[p.title]
    return label(f"block.proposal.{p.status}", lang)


def proposal_reasons(p: Proposal, lang: str) -> list[str]:
    out = []
    nothing = message("block.nothing", lang)
    for code, params in p.reasons:
        shown = {k: (nothing if k in ("best", "worst") and v is None else v) for k, v in params.items()}
        out.append(message(code, lang, **shown))
    return out


def rank_text(run: BlockRun, key: str) -> str:
    place = run.places.get(key)
    if place is None:
        return "—"
    return str(place.best) if place.best == place.worst else f"{place.best}–{place.worst}"


class BlockView:
    """The block's scores: a table when the width keeps every member key and every score whole, else
    one block per member (keys are copied into `--explain`, scores must never be cut), as the
    evaluation's table does (cli/render.py EvaluationView)."""

    def __init__(self, run: BlockRun, lang: str) -> None:
        self.run = run
        self.lang = lang
        d = run.model.scoring.decimals
        self.heads = [f"{g.title} ({number(Fraction(str(g.max)), 0, lang)})" for g in run.model.scoring.groups]
        self.heads += [label("block.col.bonus", lang), label("block.col.deductions", lang)]
        self.parts = [*(g.id for g in run.model.scoring.groups), "bonus", "deductions"]
        self.rows: list[
            tuple[str, Member, list[str], str, str, str]
        ] = []  # rank, member, parts, total, proposal, status
        for key in run.order:
            m = run.member(key)
            if m.score is None:
                status = label("block.proposal.error", lang)
                self.rows.append(("—", m, ["—"] * len(self.parts), "—", "—", status))
                continue
            p = run.proposals[key]
            scores = [span(*m.score.part(part), d, lang) for part in self.parts]
            self.rows.append(
                (
                    rank_text(run, key),
                    m,
                    scores,
                    span(*m.score.total, d, lang),
                    proposal_text(run, p, lang),
                    label(f"block.proposal.{p.status}", lang),
                )
            )

    def title(self) -> str:
        block = self.run.model.block
        return label("block.title", self.lang, name=block.name, period=block.period or "")

    def widths(self) -> list[int]:
        """The least width of each column that still reads well: a key, a score, a total whole; a
        heading on four lines at most; a name, a proposal and a status by words, not letters."""
        rows = self.rows
        lang = self.lang

        def words(texts: list[str]) -> int:
            return max([1, *(cell_len(w) for t in texts for w in t.split())])

        def whole(texts: list[str], cap: int) -> int:
            return max(words(texts), min(cap, max([0, *(cell_len(t) for t in texts)])))

        return [
            max(cell_len(label("block.col.rank", lang)), *(cell_len(r[0]) for r in rows)),
            max(whole([r[1].name or "" for r in rows], 20), *(cell_len(r[1].key) for r in rows)),
            *(
                max(-(-cell_len(head) // 4) + 1, *(cell_len(r[2][i]) for r in rows))
                for i, head in enumerate(self.heads)
            ),
            max(words([label("block.col.total", lang)]), *(cell_len(r[3]) for r in rows)),
            whole([label("block.col.proposal", lang), *(r[4] for r in rows)], 16),
            whole([label("block.col.status", lang), *(r[5] for r in rows)], 12),
        ]

    def layout(self, max_width: int) -> list[int] | None:
        """Each column's width within `max_width`: every column its least, the rest to the member's name,
        the headings, the proposal and the status up to their whole text; None when the least do not fit."""
        widths = self.widths()
        spare = max_width - (sum(widths) + 3 * len(widths) + 1)  # each cell padded by one, a border between
        if spare < 0:
            return None
        rows, n = self.rows, len(widths)
        whole = [0] * n
        whole[1] = max((max(cell_len(r[1].name or ""), cell_len(r[1].key)) for r in rows), default=0)
        for i, head in enumerate(self.heads, start=2):
            whole[i] = -(-cell_len(head) // 3) + 1  # a heading on three lines
        whole[n - 2] = max((cell_len(r[4]) for r in rows), default=0)
        whole[n - 1] = max((cell_len(r[5]) for r in rows), default=0)
        for i in [1, *range(2, 2 + len(self.heads)), n - 2, n - 1]:
            grow = min(spare, max(0, whole[i] - widths[i]))
            widths[i] += grow
            spare -= grow
        return widths

    def table(self, widths: list[int]) -> Table:
        lang = self.lang
        sizes = iter(widths)
        table = Table(title=self.title())
        table.add_column(label("block.col.rank", lang), justify="right", width=next(sizes))
        table.add_column(label("block.col.member", lang), overflow="fold", width=next(sizes))
        for head in self.heads:
            table.add_column(head, justify="right", overflow="fold", width=next(sizes))
        table.add_column(label("block.col.total", lang), justify="right", overflow="fold", width=next(sizes))
        table.add_column(label("block.col.proposal", lang), overflow="fold", width=next(sizes))
        table.add_column(label("block.col.status", lang), width=next(sizes))
        for rank, m, scores, total, proposal, status in self.rows:
            name = Text(m.name or m.key)
            name.append(f"\n{m.key}", style="dim")
            style = "red" if m.score is None else PROPOSAL_STYLE[self.run.proposals[m.key].status]
            table.add_row(rank, name, *scores, Text(total, style="bold"), proposal, Text(status, style=style))
        return table

    def blocks(self) -> list[Text]:
        lang = self.lang
        out = [Text(self.title(), style="bold")]
        for rank, m, scores, total, proposal, status in self.rows:
            head = Text(no_wrap=True, overflow="ignore")
            head.append(f"{rank}. ", style="bold")
            head.append(m.key, style="bold")
            head.append(f" — {label('block.col.total', lang)}: {total}")
            out.append(Text(""))
            out.append(head)
            out.append(Text(f"  {m.name or m.key}"))
            out.append(Text(f"  {label('block.col.proposal', lang)}: {proposal} ({status})"))
            out.extend(Text(f"    {h}: {v}", style="dim") for h, v in zip(self.heads, scores, strict=True))
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.layout(options.max_width)
        if widths is not None:
            yield self.table(widths)
        else:
            yield from self.blocks()


def block_table(run: BlockRun, lang: str) -> BlockView:
    return BlockView(run, lang)


def item_json(item: ItemScore, d: int, lang: str, every_id: bool = False) -> dict[str, Any]:
    j = item.judgement
    return {
        "id": item.id,
        "title": item.title,
        "part": item.part,
        "max": exact(item.max) if item.max is not None else None,
        "points": {"low": exact(item.low), "high": exact(item.high), "text": span(item.low, item.high, d, lang)},
        "status": item.status,
        "source": item.source,
        "rule": item.rule,
        "rule_text": message(item.rule, lang, **_rule_params(item, d, lang)),
        "judgement": None
        if j is None
        else {
            "target": j.target,
            "status": j.status,
            "measured": j.measured.model_dump(mode="json"),
            "margin": j.margin.model_dump(mode="json") if j.margin else None,
            # as `evaluate --format json` lists them: the count, the first entities, how many more
            "reasons": [{**r.to_json(every_id), "text": reason_text(r, lang)} for r in j.reasons],
        },
    }


def _rule_params(item: ItemScore, d: int, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in item.params.items():
        out[k] = number(v, d, lang) if isinstance(v, Fraction) else ("—" if v is None else v)
    out["max"] = number(item.max, d, lang) if item.max is not None else "—"
    return out


def member_json(run: BlockRun, m: Member, lang: str, every_id: bool = False) -> dict[str, Any]:
    d = run.model.scoring.decimals
    data: dict[str, Any] = {"key": m.key, "name": m.name, "folder": m.folder.as_posix()}
    if m.error is not None or m.score is None or m.evaluation is None:
        data["status"] = "error"
        data["problems"] = [p.to_dict(lang) for p in (m.error.problems if m.error else [])]
        return data
    place, p = run.places[m.key], run.proposals[m.key]
    low, high = m.score.total
    data.update(
        {
            "status": "ok",
            "rank": {"best": place.best, "worst": place.worst, "tied": list(place.tied), "open": list(place.open)},
            "total": {"low": exact(low), "high": exact(high), "text": span(low, high, d, lang)},
            "parts": {
                part: {"low": exact(lo), "high": exact(hi), "text": span(lo, hi, d, lang)}
                for part in [*(g.id for g in run.model.scoring.groups), "bonus", "deductions"]
                for lo, hi in [m.score.part(part)]
            },
            "items": [item_json(i, d, lang, every_id) for i in m.score.items],
            "conditions": {c: {"holds": v, "params": ps} for c, (v, ps) in m.conditions.items()},
            "proposal": {
                "status": p.status,
                "title": p.title,
                "text": proposal_text(run, p, lang),
                "best": p.best,
                "worst": p.worst,
                "reasons": [{"code": c, "params": ps} for c, ps in p.reasons],
                "reason_texts": proposal_reasons(p, lang),
            },
            "summary": m.evaluation.summary(),
            "settled": [
                {"target": j.target, "status": j.status, "reasons": [reason_text(r, lang) for r in j.reasons]}
                for j in m.evaluation.judgements
                if j.target in m.settled
            ],
        }
    )
    return data


def _plain(value: object) -> str:
    """JSON for the few exact values inside parameters: a fraction as its exact string ('725/8')."""
    if isinstance(value, Fraction):
        return str(value)
    raise TypeError(type(value).__name__)


def block_json(run: BlockRun, lang: str, every_id: bool = False) -> str:
    """`thidua.block/3`: a reason lists its count, first entities and how many more (`every_id`: all ids)."""
    data = {
        "format": "thidua.block/3",
        "lang": lang,
        "block": run.model.block.name,
        "period": run.model.block.period,
        "run": run.run_id,
        "file": run.shown,
        "decimals": run.model.scoring.decimals,
        "groups": [
            {"id": g.id, "title": g.title, "max": exact(Fraction(str(g.max)))} for g in run.model.scoring.groups
        ],
        "members": [member_json(run, run.member(k), lang, every_id) for k in run.order],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=_plain) + "\n"


def explain_tree(run: BlockRun, m: Member, lang: str) -> Tree:
    """One member's score from the total down to each item's verdict and the facts behind it."""
    d = run.model.scoring.decimals
    assert m.score is not None
    tree = Tree(Text(f"{m.name} — {label('block.col.total', lang)} {span(*m.score.total, d, lang)}", style="bold"))
    parts = [(g.id, g.title) for g in run.model.scoring.groups]
    parts += [("bonus", label("block.col.bonus", lang)), ("deductions", label("block.col.deductions", lang))]
    for part, title in parts:
        items = [i for i in m.score.items if i.part == part]
        if not items:
            continue
        branch = tree.add(Text(f"{title}: {span(*m.score.part(part), d, lang)}", style="bold"))
        for item in items:
            head = Text(f"{item.title}: ")
            head.append(span(item.low, item.high, d, lang), style="bold")
            if item.max is not None:
                head.append(f"/{number(item.max, d, lang)}")
            head.append(f" — {message(item.rule, lang, **_rule_params(item, d, lang))}", style="dim")
            node = branch.add(head)
            j = item.judgement
            if j is None:
                continue
            verdict = Text(f"[{j.target}] ")
            verdict.append_text(status_text(j.status, lang))
            node.add(verdict)
            for r in j.reasons:
                leaf = node.add(reason_text(r, lang))
                for e in r.entities[:10]:
                    where = f"{e.file}:{e.line}" if e.file else ""
                    leaf.add(Text(f"{e.name} ({e.id}) {where}", style="dim"))
                if len(r.entities) > 10:
                    leaf.add(Text(label("and_more", lang, n=len(r.entities) - 10), style="dim"))
    p = run.proposals[m.key]
    prop = tree.add(Text(f"{label('block.col.proposal', lang)}: {proposal_text(run, p, lang)}", style="bold"))
    for text in proposal_reasons(p, lang):
        prop.add(text)
    return tree


DOCUMENT_FORMATS = ("xlsx", "html", "docx")


def _source_text(item: ItemScore, lang: str) -> str:
    """Which verdict gave an item its points: the member's target, a measure, a bonus or a deduction."""
    j = item.judgement
    status = message(f"documents.status.{j.status}", lang) if j is not None else "—"
    if item.part in ("bonus", "deductions"):
        return message("blockdoc.source." + ("bonus" if item.part == "bonus" else "deduction"), lang, status=status)
    if item.source != "measure" and j is not None:
        return message("blockdoc.source.target", lang, target=j.target, status=status)
    return message("blockdoc.source.measure", lang) + (f": {status}" if j is not None else "")


def block_document(run: BlockRun, lang: str, seqs: list[int]) -> BlockDocument:
    """The run in words and exact numbers for the documents: the same texts as the table, JSON and --explain."""
    d = run.model.scoring.decimals
    parts = [(g.id, g.title) for g in run.model.scoring.groups]
    parts += [("bonus", label("block.col.bonus", lang)), ("deductions", label("block.col.deductions", lang))]
    heads = [f"{g.title} ({number(Fraction(str(g.max)), 0, lang)})" for g in run.model.scoring.groups]
    heads += [label("block.col.bonus", lang), label("block.col.deductions", lang)]
    titles = {p: t for p, t in parts}
    members = []
    for key in run.order:
        m = run.member(key)
        if m.score is None:
            members.append(
                MemberLine(
                    m.key, m.name or m.key, "—", [], None, "—", "error", label("block.proposal.error", lang), [], []
                )
            )
            continue
        p = run.proposals[key]
        items = [
            ItemLine(
                part_title=titles[i.part],
                title=i.title,
                points=Span(i.low, i.high, span(i.low, i.high, d, lang)),
                max=i.max,
                max_text=number(i.max, d, lang) if i.max is not None else "—",
                status=i.status,
                source=_source_text(i, lang),
                rule=message(i.rule, lang, **_rule_params(i, d, lang)),
                reasons=[reason_text(r, lang) for r in (i.judgement.reasons if i.judgement else [])],
            )
            for i in m.score.items
        ]
        members.append(
            MemberLine(
                key=m.key,
                name=m.name or m.key,
                rank=rank_text(run, key),
                parts=[Span(*m.score.part(pid), span(*m.score.part(pid), d, lang)) for pid, _ in parts],
                total=Span(*m.score.total, span(*m.score.total, d, lang)),
                proposal=proposal_text(run, p, lang),
                status=p.status,
                status_text=label(f"block.proposal.{p.status}", lang),
                reasons=proposal_reasons(p, lang),
                items=items,
            )
        )
    proposals = []
    for t in run.model.proposals.titles if run.model.proposals else []:
        chosen = [run.member(k).name for k in run.order if run.proposals.get(k) and run.proposals[k].title == t.id]
        undecided = [
            (run.member(k).name, "; ".join(proposal_reasons(run.proposals[k], lang)))
            for k in run.order
            if k in run.proposals
            and run.proposals[k].status == "pending"
            and t.id in (run.proposals[k].best, run.proposals[k].worst)
        ]
        proposals.append(TitleProposals(t.title, t.decided_by, chosen, undecided))
    settled = []
    for key in run.order:
        m = run.member(key)
        for j in m.evaluation.judgements if m.evaluation else []:
            if j.target in m.settled:
                note = next((r for r in j.reasons if r.code.startswith("note.block_")), None)
                settled.append(
                    Settled(
                        m.name,
                        j.target,
                        j.status,
                        message(f"documents.status.{j.status}", lang),
                        reason_text(note, lang) if note is not None else "",
                    )
                )
    lab = {c: label(f"block.col.{c}", lang) for c in ("rank", "member", "total", "proposal", "status")}
    lab.update({f"status.{s}": label(f"block.proposal.{s}", lang) for s in PROPOSAL_STYLE})
    where = label("block.recorded", lang, first=seqs[0], last=seqs[-1], run=run.run_id, path="") if seqs else ""
    return BlockDocument(
        lang=lang,
        block=run.model.block.name,
        period=run.model.block.period,
        title=label("block.title", lang, name=run.model.block.name, period=run.model.block.period or ""),
        run=where.rstrip(" ()") or run.run_id,
        run_id=run.run_id,
        decimals=d,
        part_titles=heads,
        members=members,
        titles=proposals,
        settled=settled,
        labels=lab,
        header={
            "draft": message("documents.draft", lang)
            if any(p.status == "pending" for p in run.proposals.values())
            else ""
        },
    )


def document_path(run: BlockRun, fmt: str, out: Path | None) -> Path:
    return out or Path(f"xep-hang-khoi-{run.model.block.period or 'thidua'}.{fmt}")


def block_inputs(run: BlockRun) -> list[Path]:
    """Every file the block run read: its block file and each member's rule, fact and `use:`d files."""
    found = [run.path]
    for m in run.members:
        if m.inputs is not None:
            found += [*m.inputs.rules, *m.inputs.facts]
        if m.rules is not None:
            found += m.rules.sources.values()
    return found


def write_document(
    run: BlockRun, fmt: str, out: Path | None, lang: str, seqs: list[int], where: Path, ledgers: list[Path], force: bool
) -> Path:
    """Write the block's document and note it in the ledger beside every member's run of this block run."""
    doc = block_document(run, lang, seqs)
    if fmt == "docx":
        data = render_block_docx(doc, run.model.agency, run.model.meeting)
    else:
        data = render_block_xlsx(doc) if fmt == "xlsx" else render_block_html(doc)
    target = document_path(run, fmt, out)
    save_document(data, target, fmt, lang, where, seqs, block_inputs(run), [*ledgers, where], force)
    return target


def record_block(run: BlockRun, path: Path, ledger: Path | None, lang: str) -> list[int]:
    """Every member's run in the ledger, as `evaluate` records one (evaluator/audit/record.py)."""
    from thidua.evaluator.audit.record import record_block as record

    where, seqs = record(run, path, ledger)
    if seqs:
        make_console(stderr=True).print(
            Text(
                label("block.recorded", lang, first=seqs[0], last=seqs[-1], run=run.run_id, path=where.as_posix()),
                style="dim",
            )
        )
    return seqs


@click.command("block")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--explain", "explain", metavar="MEMBER", help="Explain one member's score item by item.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", *DOCUMENT_FORMATS]),
    default="table",
    show_default=True,
    help="A table for people, JSON for programs, or a document: xlsx, html, docx (with --out).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    help="The document's file (xlsx, html, docx); default: xep-hang-khoi-YEAR.FORMAT.",
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="JSON: list the id of every entity of every reason (default: the first 25 and how many more).",
)
@LANG_OPTION
@click.option("--no-record", is_flag=True, help="Do not record this run in the ledger (sổ kiểm toán).")
@FORCE_OPTION
@LEDGER_OPTION
@guarded
def block_command(
    path: Path,
    explain: str | None,
    fmt: str,
    out: Path | None,
    show_all: bool,
    lang: str,
    no_record: bool,
    force: bool,
    ledger: Path | None,
) -> int:
    """Score, rank and propose the members of the emulation block in PATH (a folder with block.rules.yaml)."""
    if out is not None and fmt not in DOCUMENT_FORMATS:
        raise click.UsageError(label("blockdoc.out_needs_document", lang))
    if explain is not None and fmt in DOCUMENT_FORMATS:
        raise click.UsageError(label("blockdoc.explain_no_document", lang))
    ledgers = [default_ledger_path(ledger)]
    if out is not None:  # refused before any member is evaluated when the output alone says why (whether
        check_output(out, inputs=[path], ledgers=ledgers, force=True)  # it exists is said once inputs are known)
    run = run_block(path)
    if fmt in DOCUMENT_FORMATS and explain is None:  # before the members' runs are recorded
        check_output(
            document_path(run, fmt, out),
            inputs=block_inputs(run),
            ledgers=[*ledgers, default_ledger_path(ledger, run.path.parent)],
            force=force,
        )
    if explain is not None:
        member = run.find(explain)
        if member is None:
            names = ", ".join(m.folder.name for m in run.members)
            raise fail("block.unknown_member", Location(run.shown), member=explain, members=names)
        if member.error is not None:
            raise member.error
        if fmt == "json":
            click.echo(
                json.dumps(
                    member_json(run, member, lang, show_all),
                    ensure_ascii=False,
                    indent=2,
                    sort_keys=True,
                    default=_plain,
                )
            )
        else:
            make_console().print(explain_tree(run, member, lang))
        return EXIT_OK
    seqs = [] if no_record else record_block(run, path, ledger, lang)
    broken = [m for m in run.members if m.error is not None]
    if fmt in DOCUMENT_FORMATS:
        where = default_ledger_path(ledger, run.path.parent)
        target = write_document(run, fmt, out, lang, seqs, where, ledgers, force)
        click.echo(target.as_posix())
    elif fmt == "json":
        click.echo(block_json(run, lang, show_all), nl=False)
    else:
        console = make_console()
        console.print(block_table(run, lang))
        for key in run.order:
            m = run.member(key)
            p = run.proposals.get(key)
            if p is not None and p.status in ("pending", "excluded"):
                for text in proposal_reasons(p, lang):
                    console.print(Text(f"{m.name}: {text}"), style=PROPOSAL_STYLE[p.status], soft_wrap=True)
        for key in run.order:
            m = run.member(key)
            if m.evaluation is None:
                continue
            for j in m.evaluation.judgements:
                if j.target in m.settled:
                    line = Text(f"{m.name} [{j.target}] ")
                    line.append_text(status_text(j.status, lang))
                    note = next((r for r in j.reasons if r.code.startswith("note.block_")), None)
                    if note is not None:
                        line.append(" — " + reason_text(note, lang))
                    console.print(line, soft_wrap=True)
        err = make_console(stderr=True)
        for m in broken:
            assert m.error is not None
            err.print(Text(label("block.member_failed", lang, member=m.key), style="bold red"))
            print_problems(err, m.error, lang)
    return EXIT_BAD_INPUT if broken else EXIT_OK
