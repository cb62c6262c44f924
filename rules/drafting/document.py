"""Reads the text of a pledge or report: Word (.docx), plain text, or standard input."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from thidua.rules.errors import Location, fail


def read_text(path: Path | None) -> tuple[str, str]:
    """(text, name shown to the user); `None` reads standard input. A Word list paragraph becomes a
    bullet line ("- ..."), as the same document saved as text writes it."""
    if path is None:
        return sys.stdin.read(), "stdin"
    shown = path.as_posix()
    if not path.is_file():
        raise fail("draft.no_file", Location(shown))
    if path.suffix.lower() == ".docx":
        return _docx(path, shown), shown
    try:
        return path.read_text(encoding="utf-8-sig"), shown
    except UnicodeDecodeError as exc:
        raise fail("draft.not_text", Location(shown), offset=exc.start) from None


def _docx(path: Path, shown: str) -> str:
    import docx  # python-docx: reads the paragraphs and their list styles of a Word file
    from docx.opc.exceptions import OpcError

    try:
        document = docx.Document(str(path))
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise fail("draft.bad_docx", Location(shown), detail=str(exc)) from None
    lines = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        is_list = "list" in style.lower() or paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
        lines.append(f"- {text}" if is_list and text and not text.startswith(("-", "+")) else text)
    return "\n".join(lines)
