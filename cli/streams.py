"""Standard streams that can write every Vietnamese letter, prepared before any command runs.

Kept apart from cli/console.py (rich) so that `thidua --help` imports nothing heavy for it.
"""

from __future__ import annotations

import sys
from typing import TextIO


def _utf8(encoding: str | None) -> bool:
    return (encoding or "").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")


def prepare_streams(streams: tuple[TextIO, ...] | None = None) -> None:
    """Make stdout and stderr able to write every Vietnamese letter.

    A redirect to a file or pipe on a Vietnamese Windows gets cp1258 or cp1252, which cannot
    encode most of our labels: such a stream writes UTF-8 instead. A terminal keeps its encoding
    and shows a replacement mark for what it cannot display, never an encoding error.
    """
    for stream in streams if streams is not None else (sys.stdout, sys.stderr):
        if _utf8(getattr(stream, "encoding", None)):
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            if stream.isatty():
                reconfigure(errors="replace")
            else:
                reconfigure(encoding="utf-8", errors="replace")
        except (OSError, ValueError):  # a closed or detached stream: nothing to adjust
            continue
