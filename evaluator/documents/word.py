"""The report as a Word document: docxtpl fills the template (shipped or the admin's copy) with the report.

docxtpl is Jinja2 inside .docx, so an admin can move, restyle or reword anything in Word and keep
the placeholders; an error in a placeholder is located by paragraph number and text, never a traceback.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docxtpl import DocxTemplate
from lxml import etree

from thidua.evaluator.documents.report import Report
from thidua.evaluator.documents.sandbox import SecurityError, TemplateLimit, environment
from thidua.rules.archive import check_container
from thidua.rules.errors import Location, fail
from thidua.rules.limits import (
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENT_UNPACKED_BYTES,
    MAX_TEMPLATE_OUTPUT,
    MAX_TEMPLATE_STEPS,
)
from thidua.rules.messages import render as message
from thidua.rules.source import read_input_bytes, visible

PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def shipped_template(name: str = "bao_cao.docx") -> bytes:
    """A template that ships with thidua (built by template_builder.py): the report, or the block's minutes."""
    return (resources.files("thidua.evaluator.documents.templates") / name).read_bytes()


def _paragraph_texts(data: bytes) -> list[str]:
    """Every paragraph of the template, body and table cells in document order, numbered from 1."""
    doc = Document(io.BytesIO(data))
    body = doc.element.body
    return ["".join(t.text or "" for t in p.iter(_W + "t")) for p in body.iter(_W + "p")]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _locate(texts: list[str], needle: str | None) -> tuple[int, str]:
    """The first paragraph holding a placeholder that mentions `needle` (or any placeholder)."""
    for i, text in enumerate(texts, start=1):
        for ph in PLACEHOLDER.findall(text):
            if needle is None or re.search(rf"\b{re.escape(needle)}\b", ph):
                return i, text
    return 0, ""


OPENERS = {"if": "endif", "for": "endfor", "with": "endwith"}
MIDDLES = {"elif", "else"}
KNOWN_TAGS = {*OPENERS, *OPENERS.values(), *MIDDLES, "set"}


def _tag_head(placeholder: str) -> str:
    """'if' from '{%p if b.kind == 'part' %}' (docxtpl's p/r/tr/tc prefixes dropped)."""
    inner = placeholder[2:-2].strip()
    for prefix in ("tr ", "tc ", "p ", "r "):
        if inner.startswith(prefix):
            inner = inner[len(prefix) :].strip()
            break
    return inner.split(" ", 1)[0]


def _syntax_error_place(texts: list[str]) -> tuple[int, str, str, dict[str, str]] | None:
    """The paragraph at fault: an unclosed '{{' or '{%', a placeholder that does not parse on its
    own, an unknown tag, a closing tag without its opening one, or the opening tag never closed."""
    env = environment()
    stack: list[tuple[str, int, str]] = []
    for i, text in enumerate(texts, start=1):
        if text.count("{{") != text.count("}}") or text.count("{%") != text.count("%}"):
            return i, text, "documents.template.unbalanced", {}
        for ph in PLACEHOLDER.findall(text):
            if not ph.startswith("{%"):
                try:
                    env.parse(ph)
                except jinja2.TemplateSyntaxError as exc:
                    return i, text, "documents.template.syntax", {"detail": exc.message or "syntax"}
                continue
            head = _tag_head(ph)
            if head not in KNOWN_TAGS:
                return i, text, "documents.template.unknown_tag", {"tag": head}
            if head in OPENERS:
                stack.append((head, i, text))
            elif head in OPENERS.values():
                if not stack or OPENERS[stack[-1][0]] != head:
                    return i, text, "documents.template.stray_tag", {"tag": head}
                stack.pop()
            elif head in MIDDLES and (not stack or stack[-1][0] != "if") and not (head == "else" and stack):
                return i, text, "documents.template.stray_tag", {"tag": head}
    if stack:
        head, i, text = stack[-1]
        return i, text, "documents.template.unclosed", {"tag": head, "end": OPENERS[head]}
    return None


def render_docx(report: Report, template: bytes | None = None, template_name: str = "bao_cao.docx") -> bytes:
    """The filled report as .docx bytes; a bad template raises UserError naming the paragraph.

    The template is rendered in the documents' sandbox (sandbox.py): it reaches the report's data
    and nothing else, within a budget of steps and characters, whoever wrote it."""
    data = template if template is not None else shipped_template()
    where = Location(template_name)
    check_container(data, template_name, MAX_DOCUMENT_UNPACKED_BYTES, "documents.template.unreadable")
    try:
        texts = _paragraph_texts(data)
        tpl = DocxTemplate(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx and lxml on a damaged file: XML errors, missing parts
        raise fail("documents.template.unreadable", where, path=template_name, detail=_detail(exc)) from None
    # Checked paragraph by paragraph first: a placeholder split across paragraphs may still render,
    # into a document with broken text, and Jinja's own errors do not say where in Word they are.
    place = _syntax_error_place(texts)
    if place is not None:
        paragraph, text, code, params = place
        raise fail(code, where, paragraph=paragraph, text=text, **params)
    context: dict[str, Any] = report.context()
    try:
        tpl.render(context, jinja_env=environment())
    except jinja2.TemplateSyntaxError as exc:
        place = _syntax_error_place(texts)
        if place is None:  # a tag across paragraphs, or in a header or footer: Jinja's own words
            named = re.findall(r"'([^']+)'", exc.message or "") + ["recursive"]
            paragraph, text = next(((p, t) for p, t in (_locate(texts, n) for n in named) if p), (0, ""))
            if not paragraph:
                paragraph, text = _first_placeholder(texts)
            place = (paragraph, text, "documents.template.syntax", {"detail": exc.message or "syntax"})
        paragraph, text, code, params = place
        raise fail(code, where, paragraph=paragraph, text=text, **params) from None
    except jinja2.UndefinedError as exc:
        name = _undefined_name(str(exc.message))
        paragraph, text = _locate(texts, name)
        raise fail(
            "documents.template.undefined",
            where,
            paragraph=paragraph,
            text=text,
            name=name or str(exc.message),
            names=", ".join(sorted(context)),
        ) from None
    except TemplateLimit as exc:
        if exc.operator is None:  # its budget of steps or characters: at the innermost loop running
            paragraph, text = _loop_paragraph(texts, exc.loop)
            raise fail(
                "documents.template.budget",
                where,
                paragraph=paragraph,
                text=text,
                steps=MAX_TEMPLATE_STEPS,
                chars=MAX_TEMPLATE_OUTPUT,
            ) from None
        paragraph, text = _locate_operator(texts, exc.operator)
        raise fail("documents.template.unsafe", where, paragraph=paragraph, text=text, name=exc.operator) from None
    except SecurityError as exc:  # an attribute or a call outside the report's data
        reached = re.search(r"attribute '([^']+)'", str(exc))
        name = reached.group(1) if reached else str(exc).split(" ", 1)[0]
        paragraph, text = _locate(texts, name if reached else None)
        raise fail(
            "documents.template.unsafe", where, paragraph=paragraph, text=text, name=visible(name)[:80]
        ) from None
    except etree.LxmlError as exc:  # the filled XML is no longer a document: tags placed across parts
        raise fail("documents.template.broken", where, path=template_name, detail=_detail(exc)) from None
    except Exception as exc:  # noqa: BLE001 - a placeholder failing on the data: 1/0, int('x'), a wrong type
        paragraph, text = _failing_paragraph(texts, context, type(exc))
        raise fail("documents.template.failed", where, paragraph=paragraph, text=text, detail=_detail(exc)) from None
    _properties(tpl, report)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def _locate_operator(texts: list[str], op: str) -> tuple[int, str]:
    """The first paragraph with a `{{ ... }}` using the operator `op` ('*' apart from '**')."""
    pattern = re.compile(r"(?<!\*)\*(?!\*)" if op == "*" else re.escape(op))
    for i, text in enumerate(texts, start=1):
        if any(pattern.search(ph[2:-2]) for ph in PLACEHOLDER.findall(text) if ph.startswith("{{")):
            return i, text
    return _first_placeholder(texts)


def _first_placeholder(texts: list[str]) -> tuple[int, str]:
    """The first paragraph holding a placeholder (the first paragraph if none does)."""
    paragraph, text = _locate(texts, None)
    return (paragraph, text) if paragraph else (1, texts[0] if texts else "")


def _loop_paragraph(texts: list[str], loop: int | None) -> tuple[int, str]:
    """The paragraph holding the `loop`-th for tag (from 0, in the order written), else the first
    paragraph with a placeholder."""
    seen = 0
    for i, text in enumerate(texts, start=1):
        for ph in PLACEHOLDER.findall(text):
            if ph.startswith("{%") and _tag_head(ph) == "for":
                if seen == loop:
                    return i, text
                seen += 1
    return _first_placeholder(texts)


def _failing_paragraph(texts: list[str], context: dict[str, Any], kind: type[Exception]) -> tuple[int, str]:
    """The first paragraph whose own `{{ ... }}` fails alone, with the same kind of error, on the
    report's data (in a sandbox of its own); else the first paragraph with a placeholder."""
    for i, text in enumerate(texts, start=1):
        for ph in PLACEHOLDER.findall(text):
            if ph.startswith("{%"):
                continue
            try:
                environment().from_string(ph).render(context)
            except kind:
                return i, text
            except Exception:  # noqa: BLE001, S112 - another error (a loop variable alone): not this one
                continue
    return _first_placeholder(texts)


def _detail(exc: BaseException) -> str:
    """The first line of an error, kept short and visible (lxml names a part's line and column)."""
    first = str(exc).splitlines()[0] if str(exc) else ""
    return visible(first[:200]) or type(exc).__name__


def _properties(tpl: DocxTemplate, report: Report) -> None:
    """The document's own properties (File > Properties in Word): its title and author from the
    report and the agency, created and modified now, in Vietnamese, instead of the template's."""
    props = tpl.docx.core_properties
    now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    props.title = " ".join(x for x in (report.header.doc_type, report.header.summary) if x)[:255]
    props.subject = report.header.summary[:255]
    props.author = props.last_modified_by = (report.author or "thidua")[:255]
    props.comments = message("documents.properties_comment", report.lang)
    props.created = props.modified = now
    props.revision = 1
    props.language = "vi-VN" if report.lang == "vi" else "en-GB"


def _undefined_name(text: str) -> str | None:
    """'nme' from "'dict object' has no attribute 'nme'" or "'headr' is undefined"."""
    quoted = re.findall(r"'([^']+)'", text)
    names = [q for q in quoted if not q.endswith(" object")]
    return names[-1] if names else None


TEMPLATE_NAME = "bao_cao.docx"


def read_template(path: Path) -> bytes:
    """The admin's template file, within MAX_DOCUMENT_BYTES; a missing or unreadable file is a located user error."""
    return read_input_bytes(path, path.as_posix(), limit=MAX_DOCUMENT_BYTES)


__all__ = ["TEMPLATE_NAME", "read_template", "render_docx", "shipped_template"]
