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


def shipped_template() -> bytes:
    """The template that ships with thidua (built by template_builder.py)."""
    return (resources.files("thidua.evaluator.documents.templates") / "bao_cao.docx").read_bytes()


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


def _syntax_error_place(texts: list[str]) -> tuple[int, str, str] | None:
    """A paragraph whose placeholder does not parse on its own (tags that open blocks are skipped)."""
    env = jinja2.Environment()
    for i, text in enumerate(texts, start=1):
        for ph in PLACEHOLDER.findall(text):
            if ph.startswith("{%"):
                inner = ph[2:-2].strip()
                inner = inner[1:].strip() if inner[:1] in "prc" and inner[1:2] == " " else inner
                head = inner.split(" ", 1)[0]
                if head not in {"if", "elif", "else", "endif", "for", "endfor", "set", "with", "endwith"}:
                    return i, text, f"unknown tag '{head}'"
                continue
            try:
                env.parse(ph)
            except jinja2.TemplateSyntaxError as exc:
                return i, text, exc.message or "syntax"
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
    context: dict[str, Any] = report.context()
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    try:
        tpl.render(context, jinja_env=env)
    except jinja2.TemplateSyntaxError as exc:
        place = _syntax_error_place(texts)
        paragraph, text, detail = place if place is not None else (0, "", exc.message or "syntax")
        raise fail("documents.template.syntax", where, paragraph=paragraph, text=text, detail=detail) from exc
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
