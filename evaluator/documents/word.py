"""The report as a Word document: docxtpl fills the template (shipped or the admin's copy) with the report.

docxtpl is Jinja2 inside .docx, so an admin can move, restyle or reword anything in Word and keep
the placeholders; an error in a placeholder is located by paragraph number and text, never a traceback.
"""

from __future__ import annotations

import io
import re
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docxtpl import DocxTemplate

from thidua.evaluator.documents.report import Report
from thidua.rules.errors import Location, fail

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
    env = jinja2.Environment()
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
    """The filled report as .docx bytes; a bad template raises UserError naming the paragraph."""
    data = template if template is not None else shipped_template()
    where = Location(template_name)
    try:
        texts = _paragraph_texts(data)
        tpl = DocxTemplate(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise fail("documents.template.unreadable", where, path=template_name, detail=type(exc).__name__) from exc
    # Checked paragraph by paragraph first: a placeholder split across paragraphs may still render,
    # into a document with broken text, and Jinja's own errors do not say where in Word they are.
    place = _syntax_error_place(texts)
    if place is not None:
        paragraph, text, code, params = place
        raise fail(code, where, paragraph=paragraph, text=text, **params)
    context: dict[str, Any] = report.context()
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    try:
        tpl.render(context, jinja_env=env)
    except jinja2.TemplateSyntaxError as exc:
        place = _syntax_error_place(texts)
        if place is None:  # a tag across paragraphs, or in a header or footer: Jinja's own words
            place = (0, "", "documents.template.syntax", {"detail": exc.message or "syntax"})
        paragraph, text, code, params = place
        raise fail(code, where, paragraph=paragraph, text=text, **params) from exc
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
        ) from exc
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def _undefined_name(text: str) -> str | None:
    """'nme' from "'dict object' has no attribute 'nme'" or "'headr' is undefined"."""
    quoted = re.findall(r"'([^']+)'", text)
    names = [q for q in quoted if not q.endswith(" object")]
    return names[-1] if names else None


TEMPLATE_NAME = "bao_cao.docx"


def write_shipped_template(folder: Path) -> Path:
    """Copy the shipped template into an agency folder (thidua init), for an admin to edit in Word."""
    target = folder / TEMPLATE_NAME
    target.write_bytes(shipped_template())
    return target


def read_template(path: Path) -> bytes:
    """The admin's template file; a missing or unreadable file is a located user error."""
    if not path.is_file():
        raise fail("file.missing", Location(str(path)), path=str(path))
    return path.read_bytes()


__all__ = ["TEMPLATE_NAME", "read_template", "render_docx", "shipped_template", "write_shipped_template"]
