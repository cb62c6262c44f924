"""Whether the fact files are those a recorded run read: their digest, or their sizes and times kept with the run.

A question answered from the ledger (`explain --entity`, `candidates --entity`) must be asked of a run
made on exactly the current fact files. Hashing them all costs a read of every file (hundreds of MB
for a province) on every question. So a run keeps, with its outcome table, each fact file's size and
modification time as they were when the run found them; a question stats the files and, when
every one matches and none was modified close to when the stats were taken, uses the recorded digest
without reading (the rule git's index follows). Otherwise it hashes, as before. The trust model and
its known limit are in docs/audit.md ("Answers from the ledger").
"""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import Any

from thidua.evaluator.facts.inputs import Inputs
from thidua.evaluator.facts.inputs import file_stats as _stats
from thidua.evaluator.facts.reader import facts_digest
from thidua.rules.source import display_path, read_input_bytes

STATS_PART = "facts_stat"  # the outcome-table part holding the stats (optional: older runs lack it)
# A file modified this close to when its stats were taken may change again within the same time tick
# of the file system (1 s on some, 2 s on FAT) without its time moving: such a file is always hashed.
RACY_NS = 2_000_000_000


def fact_bytes(inputs: Inputs) -> dict[str, bytes]:
    """Each fact file's text as the fact reader digests it, as UTF-8 bytes (a byte order mark left
    out; a workbook stands as its SHA-256): no decoding, so a large roster costs a read and a hash."""
    out: dict[str, bytes] = {}
    for path in inputs.facts:
        shown = display_path(path, inputs.base)
        data = read_input_bytes(path, shown)
        if path.suffix.lower() == ".xlsx":
            out[shown] = ("xlsx sha256:" + hashlib.sha256(data).hexdigest()).encode("utf-8")
        else:
            out[shown] = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    return out


def file_stats(inputs: Inputs) -> list[list[Any]]:
    """[shown name, size, modification time in ns] of every fact file, in name order."""
    return [list(s) for s in _stats(inputs.facts, inputs.base)]


def stats_part(inputs: Inputs, digest: str) -> tuple[str, str, bytes] | None:
    """The outcome-table part keeping the fact files' stats with the run, written when a run is
    recorded: the stats taken as the files were found (`Inputs.stats`, before the evaluation read
    them), when they still hold, so the files the run read and hashed are these and its digest is
    theirs. None (no question trusts stats for this run; each hashes the files) when a file changed
    meanwhile, or the files were found without stats."""
    try:
        if inputs.stats is None or _stats(inputs.facts, inputs.base) != inputs.stats:
            return None
    except OSError:
        return None
    data = {"facts_digest": digest, "taken_ns": inputs.stats_taken_ns, "files": [list(s) for s in inputs.stats]}
    return STATS_PART, "json", zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), 6)


def digest_by_stats(part: tuple[str, bytes] | None, inputs: Inputs) -> str | None:
    """The recorded facts digest when the same fact files have the sizes and modification times
    recorded in `part` (dtype, zlib bytes) and none was modified within RACY_NS of when they were
    taken; None otherwise (the caller hashes the files)."""
    if part is None:
        return None
    try:
        data = json.loads(zlib.decompress(part[1]).decode("utf-8"))
        now = file_stats(inputs)
    except (OSError, ValueError, zlib.error):
        return None
    if not isinstance(data, dict) or now != data.get("files"):
        return None
    taken = data.get("taken_ns")
    if not isinstance(taken, int) or any(mtime >= taken - RACY_NS for _, _, mtime in now):
        return None
    digest = data.get("facts_digest")
    return digest if isinstance(digest, str) else None


def current_digest(inputs: Inputs, recorded: tuple[str, bytes] | None = None) -> str:
    """The facts digest of the current fact files: the recorded one when their stats match
    (`digest_by_stats`), else by reading and hashing them. Raises UserError on an unreadable file."""
    trusted = digest_by_stats(recorded, inputs)
    return trusted if trusted is not None else facts_digest(fact_bytes(inputs))


__all__ = ["STATS_PART", "current_digest", "digest_by_stats", "fact_bytes", "facts_digest", "stats_part"]
