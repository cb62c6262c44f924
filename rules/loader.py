"""Loads rule files and the packs they use into one checked RuleSet, reporting every problem located."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from thidua.rules.criteria import resolve_criteria
from thidua.rules.errors import Location, Problem, Problems, UserError, fail, suggest
from thidua.rules.model import Agency, Kind, KindExtension, Review, RuleFile
from thidua.rules.periods import Period, Term, parse_period, parse_term
from thidua.rules.ruleset import PackRegime, Resolver, RuleSet, kind_names
from thidua.rules.source import (
    PosDict,
    agency_folder,
    display_path,
    inside,
    locate,
    read_document_text,
    read_input_text,
)

PACK_PREFIX = "pack:"


def shipped_packs() -> list[str]:
    """Names of the rule packs shipped with thidua (files in thidua/rules/packs)."""
    root = resources.files("thidua.rules.packs")
    return sorted(p.name[: -len(".yaml")] for p in root.iterdir() if p.name.endswith(".yaml"))


# What the language expects, each with an example: a type is never named without one.
TYPE_NAMES = {
    "bool": "true/false",
    "int": "integer (12)",
    "float": "number (8.5)",
    "str": "text",
    "list": "list ([a, b])",
    "dict": "mapping ({key: value})",
    "model": "mapping ({key: value})",
    "date": "date (2022-01-14)",
}


def validation_problems(exc: ValidationError, data: Any, file: str) -> list[Problem]:
    """Turn pydantic errors into located problems with our own message codes and suggestions."""
    problems: list[Problem] = []
    type_errors: dict[tuple[Any, ...], list[str]] = {}
    for err in exc.errors():
        path = list(err["loc"])
        kind = err["type"]
        ctx = err.get("ctx") or {}
        loc = locate(data, path, key_itself=(kind == "extra_forbidden")) or Location(file)
        value = err.get("input")
        if kind == "extra_forbidden":
            key = str(path[-1])
            places = _key_places(key)
            if places:  # a key of the language, in the wrong place: say where it belongs, not "did you mean" itself
                problems.append(Problem("rules.key_misplaced", loc, {"key": key, "places": ", ".join(places)}))
            else:
                problems.append(Problem("rules.unknown_key", loc, {"key": key}, suggest(key, _language_keys())))
        elif kind == "missing":
            problems.append(Problem("rules.missing_key", loc, {"key": str(path[-1])}))
        elif kind.startswith(("rules.", "block.")):  # our own codes, from model validators
            problems.append(Problem(kind, loc, dict(ctx)))
        elif kind == "literal_error":
            # pydantic words the list in English ("'a', 'b' or 'c'"): keep only the quoted values
            allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
            shown = ", ".join(f"'{a}'" for a in allowed)
            if value is None:  # a key written with nothing after it: name the key and the choices
                problems.append(
                    Problem(
                        "rules.empty_value",
                        loc,
                        {"key": str(path[-1]), "expected": shown or str(ctx.get("expected", ""))},
                    )
                )
            else:
                problems.append(
                    Problem("rules.choice", loc, {"value": value, "choices": shown}, suggest(str(value), allowed))
                )
        elif kind == "string_pattern_mismatch":
            problems.append(Problem("rules.id_pattern", loc, {"value": value}))
        elif kind == "too_short":
            problems.append(Problem("rules.too_short", loc, {"min": ctx.get("min_length", 1)}))
        elif kind.endswith(("_type", "_parsing")) or kind.startswith(("model_", "dict_", "list_")):
            # a union reports one error per member type: gather them into one message
            where = tuple(p for p in path if not (isinstance(p, str) and p in TYPE_NAMES))
            expected = TYPE_NAMES.get(str(path[-1])) or TYPE_NAMES.get(kind.split("_")[0], kind.split("_")[0])
            if where not in type_errors:
                type_errors[where] = []
                if value is None:  # a key written with nothing after it (`measure:`): name the key, not 'None'
                    key = next((str(p) for p in reversed(where) if isinstance(p, str)), "")
                    problems.append(Problem("rules.empty_value", loc, {"key": key, "expected": type_errors[where]}))
                else:
                    problems.append(Problem("rules.wrong_type", loc, {"value": value, "expected": type_errors[where]}))
            if expected not in type_errors[where]:
                type_errors[where].append(expected)
        else:
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(Problem("rules.invalid", loc, {"detail": msg, "where": ".".join(str(p) for p in path)}))
    return problems


@lru_cache(maxsize=1)
def _language_keys() -> list[str]:
    """Every key the rule language knows, read off the models (with their YAML aliases)."""
    from thidua.rules import model as m

    keys: set[str] = set()
    for cls in vars(m).values():
        if isinstance(cls, type) and issubclass(cls, m.Node):
            for name, info in cls.model_fields.items():
                keys.add(info.alias or name)
    return sorted(keys)


@cache
def _key_places(key: str) -> list[str]:
    """The keys under which `key` is allowed (e.g. 'share' under 'measure'), read off the models."""
    from thidua.rules import model as m

    nodes = [c for c in vars(m).values() if isinstance(c, type) and issubclass(c, m.Node) and c is not m.Node]
    holders = [c for c in nodes if any((info.alias or name) == key for name, info in c.model_fields.items())]
    places: set[str] = set()
    for holder in holders:
        pattern = re.compile(rf"\b{holder.__name__}\b")
        for cls in nodes:
            for name, info in cls.model_fields.items():
                if pattern.search(str(info.annotation)):
                    places.add(info.alias or name)
    return sorted(places)


def read_rule_data(path: Path, shown: str) -> PosDict:
    """A rule file's located data: an empty file is an empty mapping, anything but a mapping an error."""
    return read_rule_data_text(path, shown)[0]


def read_rule_data_text(path: Path, shown: str) -> tuple[PosDict, str]:
    """A rule file's located data and its text (read once)."""
    data, text = read_document_text(path, shown)
    if data is None:
        data = PosDict()
        data.loc, data.key_locs, data.value_locs = Location(shown, 1, 1), {}, {}
    if not isinstance(data, PosDict):
        raise fail("rules.not_mapping", getattr(data, "loc", Location(shown)))
    return data, text


def parse_rule_file(path: Path, shown: str) -> tuple[RuleFile, Any, str]:
    data, text = read_rule_data_text(path, shown)
    try:
        model = RuleFile.model_validate(data)
    except ValidationError as exc:
        raise UserError(validation_problems(exc, data, shown)) from None
    return model, data, text


class RuleCollector:
    """Loads rule files and, depth first, the files and packs they `use`, each once."""

    def __init__(self, pack_dir: Path | None = None, use_root: Path | None = None) -> None:
        self.pack_dir = pack_dir  # packs recorded in a ledger snapshot take precedence over shipped ones
        self.use_root = use_root.resolve() if use_root is not None else None  # replaces the agency folder
        self.roots: dict[str, Path] = {}  # identity of a file -> the agency folder its `use:` may reach
        self.files: list[tuple[str, RuleFile]] = []
        self.texts: dict[str, str] = {}
        self.sources: dict[str, Path] = {}
        self.problems = Problems()
        self._seen: set[str] = set()

    def parse(self, path: Path, shown: str) -> tuple[RuleFile, Any] | None:
        """The file's model and located data, or None after recording why it cannot be read."""
        try:
            model, data, _text = parse_rule_file(path, shown)
        except UserError as exc:
            self.problems.extend(exc)
            return None
        return model, data

    def unresolved_use(self) -> None:
        """Called when a `use` entry names nothing; a lenient collector notes the damage."""

    @staticmethod
    def identity(path: Path, shown: str) -> str:
        """What makes two mentions the same file: the pack name, or the file's real path (a file named
        in the folder and again by another file's `use:` is one file, loaded once)."""
        return shown if shown.startswith(PACK_PREFIX) else str(path.resolve())

    def load(self, path: Path, shown: str, chain: tuple[tuple[str, str], ...] = ()) -> None:
        ident = self.identity(path, shown)
        if ident in self._seen:
            return
        self._seen.add(ident)
        parsed = self.parse(path, shown)
        if parsed is None:
            return
        model, data = parsed
        self.texts[shown] = read_input_text(path, shown)
        self.sources[shown] = path
        here = (*chain, (ident, shown))
        root = self.roots.get(chain[-1][0]) if chain else None
        self.roots[ident] = root or self.use_root or agency_folder(path.parent)
        for i, name in enumerate(model.use):
            use_loc = data["use"].item_locs[i] if hasattr(data.get("use"), "item_locs") else model.location
            resolved = self._resolve_use(name, path, use_loc, self.roots[ident])
            if resolved is None:
                self.unresolved_use()
                continue
            use_path, use_shown = resolved
            if self.identity(use_path, use_shown) in {i for i, _ in here}:
                names = [s for _, s in here] + [use_shown]
                self.problems.add("rules.use_cycle", use_loc, cycle=" -> ".join(names))
                continue
            self.load(use_path, use_shown, here)
        self.files.append((shown, model))

    def _resolve_use(self, name: str, base: Path, loc: Location, root: Path) -> tuple[Path, str] | None:
        if name.endswith((".yaml", ".yml", ".json")) or "/" in name or "\\" in name:
            path = base.parent / name
            if not inside(path, root):
                # never read (nor echo) a file outside the agency's folder: rule files travel
                # between agencies, and `use: /etc/passwd` must not show that file's first line
                self.problems.add(
                    "input.use_outside", loc, name=name, packs=", ".join(shipped_packs()), folder=root.name
                )
                return None
            if not name.endswith((".yaml", ".yml", ".json")):
                self.problems.add("input.use_not_rules", loc, name=name)
                return None
            if not path.exists():
                self.problems.add("rules.unknown_pack", loc, None, pack=name, packs=", ".join(shipped_packs()))
                return None
            return path, path.as_posix()
        if self.pack_dir is not None and (self.pack_dir / f"{name}.yaml").is_file():
            return self.pack_dir / f"{name}.yaml", PACK_PREFIX + name
        packs = shipped_packs()
        if name not in packs:
            self.problems.add("rules.unknown_pack", loc, suggest(name, packs), pack=name, packs=", ".join(packs))
            return None
        ref = resources.files("thidua.rules.packs") / f"{name}.yaml"
        with resources.as_file(ref) as real:
            return Path(real), PACK_PREFIX + name


def register(registry: dict[str, Any], items: Sequence[Any], what: str, problems: Problems) -> None:
    """Declare `items` (scales, kinds, titles or targets) by id; a second declaration of an id is a problem."""
    for item in items:
        if item.id in registry:
            first = registry[item.id].location
            dup = "rules.duplicate_kind" if what == "kind" else "rules.duplicate_id"
            problems.add(dup, item.location, what=what, id=item.id, first=first)
        else:
            registry[item.id] = item


def extend_kinds(kinds: dict[str, Kind], extensions: list[KindExtension], problems: Problems) -> None:
    """Add each `extend:` entry's attributes and names to the kind it names (a copy: packs stay as shipped).

    A clash with an attribute the kind already has is reported by the declaration check, at the added one.
    """
    names = kind_names(kinds)
    for ext in extensions:
        code = names.resolve(ext.extend)
        if code is None:
            problems.add("rules.unknown_kind", ext.location, names.suggestion(ext.extend), kind=ext.extend)
            continue
        kind = kinds[code]
        kinds[code] = kind.model_copy(
            update={"attributes": [*kind.attributes, *ext.attributes], "aliases": [*kind.aliases, *ext.aliases]}
        )


_Once = TypeVar("_Once", Agency, Review)


def _once(first: _Once | None, later: _Once | None, what: str, problems: Problems) -> _Once | None:
    """A block written at most once across the rule files (`agency:`, `review:`): a second is a problem."""
    if later is None:
        return first
    if first is not None:
        problems.add("rules.duplicate_id", later.location, what=what, id=what, first=str(first.location))
        return first
    return later


def load_rules(
    paths: Sequence[Path], base: Path | None = None, pack_dir: Path | None = None, use_root: Path | None = None
) -> RuleSet:
    """Load rule files (and the packs they use), check them whole, and resolve them into a RuleSet.

    `pack_dir` holds pack files (NAME.yaml) to use instead of the shipped ones, e.g. a run's snapshot;
    `use_root` is the folder `use:` files must lie in, instead of the agency folder (a replay's own).
    """
    if not paths:
        raise fail("rules.none_given", Location(str(base or ".")))
    collector = RuleCollector(pack_dir, use_root)
    for path in paths:
        shown = display_path(path, base)
        collector.load(path, shown)
    problems = collector.problems
    problems.raise_if_any()

    scales: dict[str, Any] = {}
    kinds: dict[str, Kind] = {}
    titles: dict[str, Any] = {}
    targets: dict[str, Any] = {}
    period: Period | None = None
    period_from: Location | None = None
    term: Term | None = None
    term_from: Location | None = None
    review: Review | None = None
    regimes: list[PackRegime] = []
    agency: Agency | None = None
    extensions: list[KindExtension] = []
    for _shown, model in collector.files:
        agency = _once(agency, model.agency, "agency", problems)
        declared = [k for k in model.kinds if isinstance(k, Kind)]
        extensions.extend(k for k in model.kinds if isinstance(k, KindExtension))
        for registry, items, code in (
            (scales, model.scales, "scale"),
            (kinds, declared, "kind"),
            (titles, model.titles, "title"),
            (targets, model.targets, "target"),
        ):
            register(registry, items, code, problems)
        review = _once(review, model.review, "review", problems)
        if model.regime is not None:
            regimes.append(PackRegime(_shown.removeprefix(PACK_PREFIX), model.name or _shown, model.regime))
        given = parse_period(model.period) if model.period is not None else None
        if given is not None:
            if period is not None and given != period:
                problems.add(
                    "rules.period_conflict", model.location, period=given, other=period, first=str(period_from)
                )
            elif period is None:
                period, period_from = given, model.location
        named = parse_term(model.term) if model.term is not None else None
        if named is not None:
            if term is not None and named != term:
                problems.add("rules.term_conflict", model.location, term=named, other=term, first=str(term_from))
            elif term is None:
                term, term_from = named, model.location
    if review is not None and review.decided_on is not None and period is not None and review.decided_on < period.start:
        problems.add(
            "rules.decided_before_period",
            review.location,
            decided_on=review.decided_on.strftime("%d/%m/%Y"),
            period=period.label,
            start=period.start.strftime("%d/%m/%Y"),
        )
    extend_kinds(kinds, extensions, problems)
    resolver = Resolver(scales, kinds, titles, problems)
    resolver.check_declarations()
    problems.raise_if_any()
    criteria = resolve_criteria(
        resolver,
        [(s, shown) for shown, model in collector.files for s in model.settings],
        [c for _, model in collector.files for c in model.criteria],
        [q for _, model in collector.files for q in model.quotas],
    )
    resolved = []
    for target in targets.values():
        r = resolver.target(target)
        if r is not None:
            resolved.append(r)
    problems.raise_if_any()
    digest = hashlib.sha256(
        "\n".join(f"{k}\n{collector.texts[k]}" for k in sorted(collector.texts)).encode()
    ).hexdigest()
    return RuleSet(
        period,
        scales,
        kinds,
        titles,
        resolved,
        files=dict(collector.texts),
        sources=dict(collector.sources),
        digest=digest,
        criteria=criteria,
        agency=agency,
        term=term,
        review=review,
        regimes=regimes,
    )
