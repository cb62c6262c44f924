"""Zip containers (.xlsx workbooks, .docx documents) checked within limits before any parser opens them.

A workbook or a Word file is a zip of XML parts. A small one can hold gigabytes once unpacked, a
directory of a million entries, or XML whose document type declares entities that expand without
end ("billion laughs"). Every command that opens such a file passes its bytes through
`check_container` first: the zip's own directory says how many entries it has and what they unpack
to (Python's zipfile never unpacks an entry past the size its directory gives), and the prolog of
each XML part is read (a few bytes each) for a document type declaration, which neither Word nor
Excel writes.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from thidua.rules.errors import Location, fail
from thidua.rules.limits import MAX_ZIP_MEMBERS
from thidua.rules.source import visible

_END_OF_DIRECTORY = b"PK\x05\x06"
_XML_PARTS = (".xml", ".rels", ".vml")
# How much of an XML part's start is read to find its first element: the prolog before it holds
# only an XML declaration, comments and processing instructions, never this much.
_PROLOG_BYTES = 65_536


def _declared_entries(data: bytes) -> int | None:
    """The entry count the end-of-directory record declares, read before zipfile builds an object
    per entry (65,535 stands for "more", as in a Zip64 archive); None when there is no record."""
    at = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return None
    return int(struct.unpack_from("<H", data, at + 10)[0])


def _prolog(head: bytes) -> str:
    """What starts an XML part after its prolog: "doctype" (a document type declaration, which
    entity definitions need), "element" (its first element, or nothing at all), or "unknown" (no
    element within `head`: text that is not XML, or a prolog no real file has)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "replace")
    else:
        text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    i = 0
    while True:
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        if i >= len(text):
            return "element" if len(head) < _PROLOG_BYTES else "unknown"
        if text.startswith("<?", i):
            end = text.find("?>", i)
        elif text.startswith("<!--", i):
            end = text.find("-->", i)
        elif text.startswith("<!", i):
            return "doctype"  # <!DOCTYPE, in any case
        else:
            return "element" if text.startswith("<", i) else "unknown"
        if end < 0:
            return "unknown"
        i = end + 2


def check_container(data: bytes, shown: str, unpacked_limit: int, unreadable: str) -> None:
    """Raise a UserError about the file `shown` as a whole unless `data` is a zip thidua may parse:
    at most MAX_ZIP_MEMBERS entries and `unpacked_limit` bytes once unpacked, every XML part without
    a document type declaration. `unreadable` is the message code (with `path` and `detail`) for a
    file that is not a zip at all."""
    where = Location(shown)
    declared = _declared_entries(data)
    if declared is not None and declared > MAX_ZIP_MEMBERS:
        raise fail("input.zip_too_many", where, path=shown, count=declared, limit=MAX_ZIP_MEMBERS)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_MEMBERS:
                raise fail("input.zip_too_many", where, path=shown, count=len(entries), limit=MAX_ZIP_MEMBERS)
            if sum(info.file_size for info in entries) > unpacked_limit:
                raise fail("input.zip_too_large", where, path=shown, limit=unpacked_limit)
            for info in entries:
                if not info.filename.lower().endswith(_XML_PARTS):
                    continue
                with archive.open(info) as part:
                    head = part.read(_PROLOG_BYTES)
                start = _prolog(head)
                if start == "doctype":
                    raise fail("input.zip_doctype", where, path=shown, part=visible(info.filename[:200]))
                if start == "unknown":
                    raise fail(unreadable, where, path=shown, detail=f"{visible(info.filename[:200])}: XML")
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError, EOFError, zlib.error) as exc:
        # not a zip, a damaged one, an entry packed by a method Python does not unpack or encrypted
        raise fail(
            unreadable, where, path=shown, detail=visible(str(exc).split("\n", 1)[0][:200]) or type(exc).__name__
        ) from None


__all__ = ["check_container"]
