"""Maintains the gettext catalogues: moves (vi, en) pairs into the .po files and compiles the .mo files.

    python tasks.py catalogs                  # move leftover NEW_* entries into the .po files, compile .mo
    python tasks.py catalogs --from FILE ...  # also add the codes missing from the catalogues that the
                                              # MESSAGES/LABELS/HELP_VI dicts of an old-style module hold
                                              # (--update: also take its texts where they differ)

The .po files are the source of truth (a translator edits them with Poedit or any text editor; the
msgid is the message code, the msgstr its text). A branch written before the catalogues, or one that
put its new entries into the `NEW_MESSAGES`/`NEW_LABELS`/`NEW_HELP_VI` dicts, runs this to move them
into the catalogues; tests/test_catalogs.py fails while any NEW_* dict is not empty. Uses Babel's
pofile/mofile, the tools gettext catalogues are written with in Python.
"""

from __future__ import annotations

import argparse
import io
import runpy
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
FIXED_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Domain:
    """One catalogue: where it lives, its languages, the dict names it was (or is being) written in."""

    name: str
    locale: Path
    langs: tuple[str, ...]
    old_dict: str  # the dict of an old-style module holding these entries
    new_dict: str  # the transition dict in today's module (must end empty)
    module: Path

    def po(self, lang: str) -> Path:
        return self.locale / lang / "LC_MESSAGES" / f"{self.name}.po"

    def mo(self, lang: str) -> Path:
        return self.po(lang).with_suffix(".mo")


DOMAINS = (
    Domain(
        "thidua", ROOT / "rules" / "locale", ("vi", "en"), "MESSAGES", "NEW_MESSAGES", ROOT / "rules" / "messages.py"
    ),
    Domain("thidua-cli", ROOT / "cli" / "locale", ("vi", "en"), "LABELS", "NEW_LABELS", ROOT / "rules" / "labels.py"),
    # Vietnamese only: the English help is each command's docstring and each option's help= (cli/localized.py).
    Domain("thidua-help", ROOT / "cli" / "locale", ("vi",), "HELP_VI", "NEW_HELP_VI", ROOT / "cli" / "labels.py"),
)
TITLES = {
    "thidua": "thidua: problems and reasons shown to users (rules/messages.py render)",
    "thidua-cli": "thidua: labels of the command line and the web pages (rules/labels.py label)",
    "thidua-help": "thidua: Vietnamese help of every command and option (cli/localized.py)",
}


def load(domain: Domain, lang: str) -> Catalog:
    """The catalogue of `domain` in `lang`, or an empty one when the .po file does not exist yet."""
    path = domain.po(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=domain.name, project=TITLES[domain.name], fuzzy=False)
    with path.open("rb") as fp:
        return read_po(fp, locale=lang, domain=domain.name)


def texts(entries: dict[str, object], langs: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """code -> one text per language, from a dict of (vi, en) pairs or of Vietnamese strings."""
    out: dict[str, tuple[str, ...]] = {}
    for code, value in entries.items():
        pair = (value,) if isinstance(value, str) else tuple(value)  # type: ignore[call-overload]
        out[code] = tuple(pair[: len(langs)])
    return out


def upsert(
    catalogs: dict[str, Catalog],
    entries: dict[str, tuple[str, ...]],
    langs: tuple[str, ...],
    update: bool,
    differing: list[str],
) -> int:
    """Add every missing entry in every language, and update changed ones when `update`; the number
    of entries that changed. Codes whose text differs but are kept go to `differing`."""
    changed = 0
    for code, values in entries.items():
        before = [catalogs[lang].get(code) for lang in langs]
        if all(m is not None and m.string == v for m, v in zip(before, values, strict=True)):
            continue
        if not update and any(m is not None for m in before):
            differing.append(code)
            continue
        for lang, value in zip(langs, values, strict=True):
            message = catalogs[lang].get(code)
            if message is None:
                catalogs[lang].add(code, value)
            else:
                message.string = value
        changed += 1
    return changed


def save(domain: Domain, catalogs: dict[str, Catalog]) -> None:
    """Write each .po sorted by code (a feature's keys share a prefix, so they stay together and two
    branches adding messages rarely touch the same lines) and compile its .mo next to it."""
    for lang in domain.langs:
        catalog = catalogs[lang]
        catalog.project = "thidua"
        catalog.version = ""
        catalog.msgid_bugs_address = "the project's issue tracker"
        catalog.last_translator = "thidua"
        catalog.language_team = lang
        catalog.header_comment = (
            f"# {TITLES[domain.name]}, language {lang}.\n"
            "# The msgid is the message code used in the source; edit the msgstr only, keep its {placeholders}.\n"
            "# Then run `python tasks.py catalogs` to compile the .mo (docs/architecture.md, Adding a message)."
        )
        catalog.fuzzy = False
        catalog.creation_date = catalog.revision_date = FIXED_DATE  # the same .mo bytes on every run
        po = domain.po(lang)
        po.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        write_po(buffer, catalog, sort_output=True, omit_header=False, width=100, include_lineno=False)
        po.write_bytes(_stable_header(buffer.getvalue()))
        with domain.mo(lang).open("wb") as fp:
            write_mo(fp, catalog, use_fuzzy=False)


def _stable_header(po: bytes) -> bytes:
    """Drop the header lines that change on every run (dates, generator), so a re-run changes nothing."""
    volatile = (b'"POT-Creation-Date:', b'"PO-Revision-Date:', b'"Generated-By:')
    return b"".join(line for line in io.BytesIO(po) if not line.startswith(volatile))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="sources", action="append", default=[], type=Path, metavar="FILE")
    parser.add_argument(
        "--update",
        action="store_true",
        help="also replace texts that differ (by default --from only adds missing codes: an old-style file "
        "may hold older texts of messages changed since)",
    )
    args = parser.parse_args(argv)
    for domain in DOMAINS:
        catalogs = {lang: load(domain, lang) for lang in domain.langs}
        moved, differing = 0, []
        for source in args.sources:
            found = runpy.run_path(str(source)).get(domain.old_dict, {})
            moved += upsert(catalogs, texts(found, domain.langs), domain.langs, args.update, differing)
        leftover = runpy.run_path(str(domain.module)).get(domain.new_dict, {})
        moved += upsert(catalogs, texts(leftover, domain.langs), domain.langs, True, differing)
        save(domain, catalogs)
        where = domain.po(domain.langs[0]).relative_to(ROOT).parent.parent.parent
        print(f"{domain.name}: {len(catalogs[domain.langs[0]])} entries, {moved} added or changed ({where})")
        if differing:
            print(
                f"  kept the catalogue's text (the --from file differs; --update takes the file's): {', '.join(differing)}"
            )
        if leftover:
            rel = domain.module.relative_to(ROOT)
            print(f"  now delete these from {domain.new_dict} in {rel}: {', '.join(sorted(leftover))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
