"""Whether the fact files are those a recorded run read: their content, by a fast hash kept with the run.

A question answered from the ledger (`explain --entity`, `candidates`) must be asked of a run made
on exactly the current fact files. An auditor must never get an answer about facts that are not
the ones on disk, so the files are always read and their content compared; a size and a time say
nothing (an edit of the same size with its time put back, by `touch -d`, `cp -p`, `rsync -t` or an
unzip, kept them). The run's facts digest is SHA-256, and hashing a province's 300 MB with it takes
about a second; so a run keeps, with its outcome table, an XXH3-128 digest of the same bytes
(several GB/s: 0.04 s for 300 MB here), and a question hashes the files with it. When it matches,
the run's own digest is used; otherwise the files are hashed with SHA-256 as the run hashed them,
to find an older run made on them. The rule files need no such check: every question loads them,
`use:`d files and packs included, and their digest is of their content. docs/audit.md, "Answers
from the ledger".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mmap
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

import xxhash

from thidua.evaluator.facts.inputs import Inputs
from thidua.evaluator.facts.reader import facts_digest
from thidua.rules.errors import Location, fail
from thidua.rules.limits import MAX_WORKBOOK_BYTES
from thidua.rules.source import check_input_file, display_path, read_input_bytes

FAST_PART = "facts_xxh3"  # the outcome-table part holding the fast digest (older runs lack it)


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


def fast_digest(texts: Mapping[str, str | bytes]) -> str:
    """The facts digest's framing (reader.facts_digest) over XXH3-128: the same bytes, a fast hash."""
    return "xxh3_128:" + facts_digest(texts, xxhash.xxh3_128)


def _fast_digest_on_disk(inputs: Inputs) -> str:
    """`fast_digest` of the fact files as `fact_bytes` gives them, each hashed where the operating
    system keeps it (mapped, not copied: a province's 300 MB are hashed at memory speed); the same
    checks as any input (regular files within MAX_TEXT_BYTES, read_input_bytes)."""
    files = sorted((display_path(path, inputs.base), path) for path in inputs.facts)
    if not files:
        return fast_digest({})
    digest = xxhash.xxh3_128()
    for i, (shown, path) in enumerate(files):
        digest.update((b"\n" if i else b"") + shown.encode("utf-8") + b"\n")
        if path.suffix.lower() == ".xlsx":
            data = read_input_bytes(path, shown, limit=MAX_WORKBOOK_BYTES)
            digest.update(("xlsx sha256:" + hashlib.sha256(data).hexdigest()).encode("utf-8"))
            continue
        with _mapped(path, shown) as view:
            digest.update(view[3:] if view[:3].tobytes() == b"\xef\xbb\xbf" else view)
    return "xxh3_128:" + digest.hexdigest()


@contextlib.contextmanager
def _mapped(path: Path, shown: str) -> Iterator[memoryview]:
    """A fact file's bytes as a read-only view of the file mapped in memory (b'' when empty)."""
    size = check_input_file(path, shown)
    if size == 0:
        yield memoryview(b"")
        return
    try:
        with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            view = memoryview(mapped)
            try:
                yield view
            finally:
                view.release()
    except (OSError, ValueError) as exc:
        raise fail("file.unreadable", Location(shown), path=shown, reason=str(exc)) from None


def fast_part(texts: Mapping[str, str], digest: str) -> tuple[str, str, bytes]:
    """The outcome-table part written with a run: the fast digest of the fact texts the run read
    (the very texts its `digest` is of, so no file is read again and none can change meanwhile)."""
    data = {"facts_digest": digest, "fast": fast_digest(texts)}
    return FAST_PART, "json", zlib.compress(json.dumps(data).encode("utf-8"), 6)


def _kept_fast(part: tuple[str, bytes] | None) -> tuple[str, str] | None:
    """(facts digest, fast digest) kept in `part` (dtype, zlib bytes), or None for none or a damaged one."""
    if part is None:
        return None
    try:
        data = json.loads(zlib.decompress(part[1]).decode("utf-8"))
    except (ValueError, zlib.error):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("facts_digest"), str):
        return None
    fast = data.get("fast")
    return (data["facts_digest"], fast) if isinstance(fast, str) else None


def current_digest(inputs: Inputs, recorded: tuple[str, bytes] | None = None) -> str:
    """The facts digest of the fact files as they are now: read whole, hashed with XXH3-128; the
    digest kept with the run (`recorded`, the run's FAST_PART) when the content is the run's, else
    their SHA-256 digest. Raises UserError on an unreadable file."""
    kept = _kept_fast(recorded)
    if kept is not None and _fast_digest_on_disk(inputs) == kept[1]:
        return kept[0]
    return facts_digest(fact_bytes(inputs))


__all__ = ["FAST_PART", "current_digest", "fact_bytes", "fast_digest", "fast_part"]
