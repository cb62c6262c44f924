"""Reads the text of a pledge or report: Word (.docx), plain text, or standard input."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from thidua.rules.archive import check_container
from thidua.rules.errors import Location, fail
from thidua.rules.limits import MAX_DOCUMENT_BYTES, MAX_DOCUMENT_UNPACKED_BYTES, MAX_DRAFT_BYTES
from thidua.rules.source import read_input_bytes, visible


def read_text(path: Path | None) -> tuple[str, str]:
    """(text, name shown to the user); `None` reads standard input. A Word list paragraph becomes a
    bullet line ("- ..."), as the same document saved as text writes it. At most MAX_DRAFT_BYTES of
    text are taken, from any of the three: drafting is linear in the text, but a pledge is far smaller."""
    if path is None:
        raw = sys.stdin.buffer.read(MAX_DRAFT_BYTES + 1)
        return _text(raw, "stdin"), "stdin"
    shown = path.as_posix()
    if not path.exists():
        raise fail("draft.no_file", Location(shown))
    if path.suffix.lower() == ".docx":
        text = _docx(read_input_bytes(path, shown, limit=MAX_DOCUMENT_BYTES), shown)
        if len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
            raise fail("draft.too_long", Location(shown), path=shown, limit=MAX_DRAFT_BYTES)
        return text, shown
    return _text(read_input_bytes(path, shown, limit=MAX_DOCUMENT_BYTES), shown), shown


def _text(raw: bytes, shown: str) -> str:
    if len(raw) > MAX_DRAFT_BYTES:
        raise fail("draft.too_long", Location(shown), path=shown, limit=MAX_DRAFT_BYTES)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail("draft.not_text", Location(shown), offset=exc.start) from None


def _docx(data: bytes, shown: str) -> str:
    import docx  # python-docx: reads the paragraphs and their list styles of a Word file

    check_container(data, shown, MAX_DOCUMENT_UNPACKED_BYTES, "draft.bad_docx")
    try:
        document = docx.Document(io.BytesIO(data))
        lines = []
        for paragraph in document.paragraphs:
            text = paragraph.text.strip()
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            is_list = "list" in style.lower() or paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
            lines.append(f"- {text}" if is_list and text and not text.startswith(("-", "+")) else text)
    except Exception as exc:  # noqa: BLE001 - python-docx and lxml on a damaged file: XML errors, missing parts
        raise fail("draft.bad_docx", Location(shown), detail=_detail(exc)) from None
    return "\n".join(lines)


def _detail(exc: Exception) -> str:
    """The first line of a parser's complaint (lxml's names the part's line and column), kept short."""
    first = str(exc).splitlines()[0] if str(exc) else ""
    return visible(first[:200]) or type(exc).__name__
