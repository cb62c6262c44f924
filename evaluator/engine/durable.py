"""The only module that imports durable-rules: compiles targets into rulesets and runs sessions on them.

Two kinds of rules are compiled from a RuleSet:
- classification: for every condition of every target, a rule that fires when an entity signature
  certainly satisfies it (T) and one that fires when it certainly does not (F); neither fires when a
  value it needs is unknown or awaited;
- decision: for every target, a rule per status (exceeded, met, not_met) over the bounds of the
  measured value; none fires when the bounds straddle a status boundary, which is a pending verdict.

durable-rules has no aggregates, so counts and shares are computed between the two steps. Traps
handled here: one Host per process, rulesets registered once per content hash, a fresh `sid` per
evaluation dropped afterwards, unique fact ids, deep-copied definitions, swallowed action exceptions
checked after every call, and a session opened with a handled fact (deleting a session whose first
fact matched no rule segfaults; tests/test_engine.py keeps that in check).
"""

from __future__ import annotations

import bisect
import copy
import hashlib
import itertools
import json
import threading
from fractions import Fraction
from typing import Any, TypeVar

from durable import engine as durable_engine

from thidua.rules.errors import Location, Problem
from thidua.rules.ruleset import PAll, PAny, PAttr, PNot, Pred, PTitle, RuleSet, Threshold

ENGINE_NAME = "durable-rules"


class EngineError(RuntimeError):
    """The engine failed or contradicted itself; the affected judgement becomes an error."""


def engine_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("durable-rules")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


# --- limits of durable-rules 2.0.28, measured here (bench/engine_limits.py) ----------------
#
# - A number whose text has an exponent and no decimal point (`1e-05`, `1e+16`: how Python writes
#   such floats) is refused by the engine's parser: error 204, in a ruleset or in a fact. Values are
#   therefore never sent as they are: see Encoding.
# - More than 15 `$and`/`$or` nodes in one rule's expression: error 113 (whatever the width).
# - An `$or` of more than 512 items, or more than 512 rules in one ruleset: create_ruleset never returns.
# - About 200-320 rules sharing one expression in a ruleset: errors 107 and 108.
# A comparison with a field the fact lacks is false for every operator, `$neq` included, so no
# `$ex` guard is needed (it cost one `$and` node per leaf).

MAX_NODES = 15  # `$and`/`$or` nodes per rule expression
MAX_OR_WIDTH = 512  # items of one `$or`
MAX_ALTERNATIVES = 64  # rules one condition may expand into, per outcome
RULES_PER_RULESET = 64  # rules registered together; bigger definitions are split into several rulesets
MAX_SEGMENT_RULES = 256  # rules of one criteria segment (they chain in one ruleset), well below 512


class TooComplex(ValueError):
    """A condition the engine cannot hold, even split into alternatives: refused before registration."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


NEGATE = {"gt": "$lte", "gte": "$lt", "lt": "$gte", "lte": "$gt"}
DURABLE_OP = {"gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte", "neq": "$neq"}


def _and(items: list[dict[str, Any]]) -> dict[str, Any]:
    flat: list[dict[str, Any]] = []
    for item in items:
        flat.extend(item["$and"] if "$and" in item else [item])
    return flat[0] if len(flat) == 1 else {"$and": flat}


def _or(items: list[dict[str, Any]]) -> dict[str, Any]:
    flat: list[dict[str, Any]] = []
    for item in items:
        flat.extend(item["$or"] if "$or" in item else [item])
    if len(flat) > MAX_OR_WIDTH:
        raise TooComplex("engine.too_wide", count=len(flat), limit=MAX_OR_WIDTH)
    return flat[0] if len(flat) == 1 else {"$or": flat}


def attr_field(attr: str) -> str:
    return "a_" + attr


def title_field(title: str) -> str:
    return "t_" + title


def _numeric(value: Any) -> bool:
    return isinstance(value, (int, float, Fraction)) and not isinstance(value, bool)


class Encoding:
    """How attribute values reach the engine: exact, small, and in a form its parser accepts.

    A number is sent as its ordinal among the constants the conditions compare that attribute with
    (2i+1 for the i-th constant, 2i for the values between constant i-1 and i), so order and equality
    with every constant are kept exactly, whatever the magnitude (1e-05, 10**30, a date). Text is
    sent the same way among the text constants, so no text from a file reaches the engine's parser
    (a lone surrogate from JSON made it fail). An `in` test reads a membership field (1 or 0) looked
    up once per distinct value, not an `$or` of hundreds of equalities.
    """

    def __init__(self, preds: list[Pred]) -> None:
        constants: dict[tuple[str, bool], set[Any]] = {}
        self.members: dict[str, dict[frozenset[Any], str]] = {}

        def walk(p: Pred) -> None:
            if isinstance(p, PAttr):
                if p.op == "in":
                    fields = self.members.setdefault(p.attr, {})
                    fields.setdefault(frozenset(p.value), f"i{len(fields)}_{p.attr}")
                elif _numeric(p.value) or isinstance(p.value, str):
                    constants.setdefault((p.attr, _numeric(p.value)), set()).add(p.value)
            elif isinstance(p, PNot):
                walk(p.item)
            elif isinstance(p, (PAll, PAny)):
                for item in p.items:
                    walk(item)

        for pred in preds:
            walk(pred)
        self.constants = {key: sorted(values) for key, values in constants.items()}

    def value(self, attr: str, value: Any) -> Any:
        if not _numeric(value) and not isinstance(value, str):
            return value
        return ordinal(self.constants.get((attr, _numeric(value)), []), value)

    def fact(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Fact fields with every attribute value (`a_<attr>`) encoded and its membership fields added."""
        out: dict[str, Any] = {}
        for key, value in fields.items():
            if not key.startswith("a_"):
                out[key] = value
                continue
            attr = key[2:]
            out[key] = self.value(attr, value)
            for values, field in self.members.get(attr, {}).items():
                out[field] = int(value in values)
        return out

    def leaf(self, p: PAttr, polarity: bool) -> dict[str, Any]:
        if p.op == "in":
            return {self.members[p.attr][frozenset(p.value)]: int(polarity)}
        f, v = attr_field(p.attr), self.value(p.attr, p.value)
        if p.op == "eq":
            return {f: v} if polarity else {"$neq": {f: v}}
        if p.op == "neq":
            return {"$neq": {f: v}} if polarity else {f: v}
        return {(DURABLE_OP if polarity else NEGATE)[p.op]: {f: v}}


def ordinal(constants: list[Any], value: Any) -> int:
    """2i+1 when `value` equals the i-th constant, 2i when it lies between constants i-1 and i."""
    i = bisect.bisect_left(constants, value)
    return 2 * i + 1 if i < len(constants) and constants[i] == value else 2 * i


TITLE_TRUE = {"decided": ["decided"], "any": ["decided", "proposed"], "proposed": ["proposed"]}
TITLE_FALSE = {"decided": ["none", "refused"], "any": ["none", "refused"], "proposed": ["none", "refused", "decided"]}


def compile_pred(p: Pred, polarity: bool, encoding: Encoding | None = None) -> dict[str, Any]:
    """A durable expression that holds exactly when `p` is certainly `polarity` (Kleene logic)."""
    enc = encoding if encoding is not None else Encoding([p])
    if isinstance(p, PAttr):
        return enc.leaf(p, polarity)
    if isinstance(p, PTitle):
        states = (TITLE_TRUE if polarity else TITLE_FALSE)[p.state]
        return _or([{title_field(p.title): s} for s in states])
    if isinstance(p, PNot):
        return compile_pred(p.item, not polarity, enc)
    parts = [compile_pred(item, polarity, enc) for item in p.items]
    conjunctive = isinstance(p, PAll) == polarity
    return _and(parts) if conjunctive else _or(parts)


def _nodes(expr: dict[str, Any]) -> int:
    for op in ("$and", "$or"):
        if op in expr:
            return 1 + sum(_nodes(item) for item in expr[op])
    return 0


def alternatives(expr: dict[str, Any]) -> list[dict[str, Any]]:
    """Expressions, each within the engine's node limit, whose disjunction is `expr`: one rule each.

    An `$or` splits into its items; an `$and` holding an `$or` is distributed over that `$or`'s
    items (the largest first), which is how an `all` of many `any` reaches the engine.
    """
    if _nodes(expr) <= MAX_NODES:
        return [expr]
    if "$or" in expr:
        out = [alt for item in expr["$or"] for alt in alternatives(item)]
    else:
        items = expr["$and"]
        pick = max((item for item in items if "$or" in item), key=_nodes)
        rest = [item for item in items if item is not pick]
        out = []
        for item in pick["$or"]:
            out.extend(alternatives(_and([*rest, item])))
            if len(out) > MAX_ALTERNATIVES:
                break
    if len(out) > MAX_ALTERNATIVES:
        raise TooComplex("engine.too_complex", limit=MAX_ALTERNATIVES)
    return out


def condition_rules(prefix: str, base: list[dict[str, Any]], expr: dict[str, Any] | None, run: str) -> dict[str, Any]:
    """The rules (one per alternative) that fire `run` when the fact matches `base` and `expr`."""
    if expr is None:
        return {prefix: {"all": [{"m": _and(base)}], "run": run}}
    alts = alternatives(_and([*base, expr]))
    return {f"{prefix}_{i}": {"all": [{"m": alt}], "run": run} for i, alt in enumerate(alts)}


# --- compiling decisions ----------------------------------------------------------------


def _cmp(op: str, field: str, value: int) -> dict[str, Any]:
    return {op: {field: value}}


def decision_rules(th: Threshold, exceed: bool) -> dict[str, dict[str, Any]]:
    """Per status, a durable expression over the measured bounds `lo` and `hi`, sent as ordinals
    among the threshold values (Session.decide), so a share of 0.001% or a count of 10**16 is exact."""
    constants = sorted(set(th.values))

    def at(value: Fraction) -> int:
        return ordinal(constants, value)

    out: dict[str, dict[str, Any]] = {}
    if th.op in ("gt", "gte", "lt", "lte"):
        t = at(th.values[0])
        up = th.direction == "up"
        strict = th.op in ("gt", "lt")
        # "sat(x)" and "beyond(x)" on one endpoint; statuses are monotone in the measured value.
        sat = ("$gt" if strict else "$gte") if up else ("$lt" if strict else "$lte")
        fail = ("$lte" if strict else "$lt") if up else ("$gte" if strict else "$gt")
        beyond, not_beyond = ("$gt", "$lte") if up else ("$lt", "$gte")
        worse, better = ("hi", "lo") if up else ("lo", "hi")
        out["not_met"] = _cmp(fail, worse, t)
        if exceed:
            out["exceeded"] = _cmp(beyond, better, t)
            if not strict:  # met only exactly at the threshold
                out["met"] = _and([_cmp(sat, better, t), _cmp(not_beyond, worse, t)])
        else:
            out["met"] = _cmp(sat, better, t)
        return out
    low, high = (th.values[0], th.values[0]) if th.op == "eq" else th.values
    out["met"] = _and([_cmp("$gte", "lo", at(low)), _cmp("$lte", "hi", at(high))])
    out["not_met"] = _or([_cmp("$lt", "hi", at(low)), _cmp("$gt", "lo", at(high))])
    return out


# --- the host ---------------------------------------------------------------------------


class _Host(durable_engine.Host):  # type: ignore[misc]
    """One durable Host per process: action names map to a recorder keyed by session id."""

    def __init__(self) -> None:
        super().__init__()
        self.fired: dict[str, list[tuple[str, str]]] = {}

    def get_action(self, action_name: str) -> Any:
        if action_name.startswith("chain|"):
            return _chain_action(self, action_name)

        def record(c: Any) -> None:
            self.fired.setdefault(c.s["sid"], []).append((action_name, c.m["id"]))

        return record


_HOST: _Host | None = None
_REGISTERED: set[str] = set()
_LOCK = threading.Lock()
_SIDS = itertools.count(1)


def _host() -> _Host:
    global _HOST
    if _HOST is None:
        _HOST = _Host()
    return _HOST


# Every ruleset holds this rule and every session opens with the fact it handles. Deleting a session
# whose first fact matched no rule, or that never received a fact, is a double free in durable-rules
# 2.0.28 (SIGSEGV or SIGABRT). Adding the rule here, in the one place rulesets are registered, makes
# that state unreachable for every caller: evaluation, derivation, rule tests, worksheets.
SESSION_OPEN_RULE = "session_open"
_OPEN_FACT_TYPE = "open"


def _register(prefix: str, definition: dict[str, Any]) -> str:
    """Register `definition` (plus the session-open rule) once per content hash; returns its name."""
    definition[SESSION_OPEN_RULE] = {"all": [{"m": {"type": _OPEN_FACT_TYPE}}], "run": "open"}
    text = json.dumps(definition, sort_keys=True, ensure_ascii=False)
    name = prefix + hashlib.sha256(text.encode()).hexdigest()[:24]
    with _LOCK:
        if name not in _REGISTERED:
            _host().set_rulesets({name: copy.deepcopy(definition)})
            _REGISTERED.add(name)
    return name


def _content_key(names: list[str], encoding: Encoding, extra: list[Any]) -> str:
    members = {
        a: sorted([sorted(map(repr, vs)), f] for vs, f in fields.items()) for a, fields in encoding.members.items()
    }
    constants = {f"{a}|{n}": [repr(v) for v in vs] for (a, n), vs in encoding.constants.items()}
    text = json.dumps([names, constants, members, extra], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _pack(groups: list[tuple[str, dict[str, Any]]]) -> list[tuple[list[str], dict[str, Any]]]:
    """Groups of rules packed into definitions of at most RULES_PER_RULESET rules (a group is never cut)."""
    chunks: list[tuple[list[str], dict[str, Any]]] = []
    for key, rules in groups:
        if not chunks or len(chunks[-1][1]) + len(rules) > RULES_PER_RULESET:
            chunks.append(([], {}))
        chunks[-1][0].append(key)
        chunks[-1][1].update(rules)
    return chunks


class Engine:
    """The compiled rules of one RuleSet, registered once on the process-wide durable Host.

    The rules go into as many rulesets as the engine's size limits need; a key (condition or
    decision) always has all its rules in one of them.
    """

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.condition_keys: dict[str, Pred] = {}
        for ti, target in enumerate(rules.targets):
            for role, pred in target_conditions(target.measure):
                self.condition_keys[f"{ti}.{role}"] = pred
        self.encoding = Encoding(list(self.condition_keys.values()))
        groups: list[tuple[str, dict[str, Any]]] = []
        for ti, target in enumerate(rules.targets):
            for role, pred in target_conditions(target.measure):
                key = f"{ti}.{role}"
                group: dict[str, Any] = {}
                for polarity, name in ((True, "T"), (False, "F")):
                    base = [{"type": "sig"}, {"cond": key}]
                    try:
                        expr = compile_pred(pred, polarity, self.encoding)
                        group.update(condition_rules(f"c{ti}_{role}_{name}", base, expr, name))
                    except TooComplex as exc:
                        raise ConditionTooComplex(target.spec.location, target.id, exc) from exc
                groups.append((key, group))
            group = {}
            for status, expr in decision_rules(target.threshold, target.exceed).items():
                group[f"d{ti}_{status}"] = {
                    "all": [{"m": _and([{"type": "meas"}, {"target": ti}, expr])}],
                    "run": status,
                }
            groups.append((f"d{ti}", group))
        self.names: list[str] = []
        self.ruleset_of: dict[str, int] = {}
        for keys, definition in _pack(groups) or [([], {})]:
            self.ruleset_of.update(dict.fromkeys(keys, len(self.names)))
            self.names.append(_register("thidua_", definition))
        self.name = self.names[0]
        # Two rule sets can compile to the same rulesets (ordinals hide the constants): a cache of
        # engines must also tell their encodings and thresholds apart.
        thresholds = [[str(v) for v in t.threshold.values] for t in rules.targets]
        self.key = _content_key(self.names, self.encoding, thresholds)

    def session(self) -> Session:
        return Session(self)


class ConditionTooComplex(Exception):
    """A target or criterion whose condition the engine cannot hold, with where it is written."""

    def __init__(self, location: Any, what: str, cause: TooComplex) -> None:
        super().__init__(f"{what}: {cause.code}")
        self.location, self.what, self.cause = location, what, cause

    def problem(self) -> Problem:
        """The located problem a user sees (exit 2), in the user-error family of rules/errors.py."""
        where = self.location if isinstance(self.location, Location) else Location("?")
        return Problem(self.cause.code, where, {"what": self.what, **self.cause.params})


def target_conditions(measure: Any) -> list[tuple[str, Pred]]:
    """(role, condition) pairs of a resolved measure, role names stable for rule and fact keys."""
    out: list[tuple[str, Pred]] = []
    if measure.kind == "sum":
        for i, part in enumerate(measure.parts):
            if part.where is not None:
                out.append((f"p{i}", part.where))
        return out
    if measure.where is not None:
        out.append(("where", measure.where))
    if measure.matching is not None:
        out.append(("matching", measure.matching))
    if measure.kind == "share":  # shares added over one denominator: each part's matching
        out.extend((f"p{i}", part.matching) for i, part in enumerate(measure.parts))
    return out


_S = TypeVar("_S", bound="Session")


class Session:
    """One evaluation on the engine: an isolated durable session in each ruleset, dropped when closed.

    A ruleset's session is opened (with the fact the session-open rule handles) before its first
    use, and only opened sessions are deleted: deleting any other crashes the engine.
    """

    def __init__(self, engine: Engine | ChainEngine) -> None:
        self.engine = engine
        self.names = list(engine.names)
        self.sid = f"s{next(_SIDS)}"
        self._facts = itertools.count(1)
        self._opened: set[str] = set()
        self._entered = False

    def __enter__(self: _S) -> _S:
        self._entered = True
        return self

    def _open(self, name: str) -> None:
        if name in self._opened:
            return
        host = _host()
        fact = {"id": "open", "type": _OPEN_FACT_TYPE, "sid": self.sid}
        host.assert_fact(name, fact)
        fired = host.fired.pop(self.sid, [])
        if ("open", "open") not in fired:  # pragma: no cover - the rule is in every registered ruleset
            raise EngineError(f"session {self.sid}: the opening fact was not handled")
        self._opened.add(name)

    def __exit__(self, *exc: object) -> None:
        host = _host()
        with _LOCK:
            host.fired.pop(self.sid, None)
            opened, self._opened = self._opened, set()
            for name in opened:  # a session never opened by a handled fact is never deleted: it would crash
                try:
                    host.delete_state(name, self.sid)
                except Exception:  # noqa: BLE001 - the state is gone already: nothing to release
                    pass

    def _assert(self, name: str, facts: list[dict[str, Any]]) -> dict[str, list[str]]:
        """Assert facts one by one; returns, per fact id, the actions that fired for it."""
        if not self._entered:
            raise EngineError("a session is used inside a `with` block only")
        host = _host()
        out: dict[str, list[str]] = {str(f["id"]): [] for f in facts}
        with _LOCK:
            self._open(name)
            for fact in facts:
                fact["sid"] = self.sid
                try:
                    host.assert_fact(name, fact)
                except durable_engine.MessageNotHandledException:
                    pass  # no rule certain about it: an unknown outcome or a pending status
                except durable_engine.MessageObservedException as exc:  # pragma: no cover
                    raise EngineError(f"duplicate fact {fact['id']}") from exc
            state = host.get_state(name, self.sid)
            if "exception" in state:
                raise EngineError(str(state["exception"]))
            for action, fid in host.fired.pop(self.sid, []):
                if fid in out:
                    out[fid].append(action)
        return out

    def classify(self, key: str, signatures: list[dict[str, Any]]) -> list[bool | None]:
        """For each signature (field -> value, as encode_signature gives it), whether condition `key` holds."""
        engine = self._engine()
        facts: list[dict[str, Any]] = []
        for sig in signatures:
            fact: dict[str, Any] = {"id": f"g{next(self._facts)}", "type": "sig", "cond": key}
            fact.update(engine.encoding.fact(sig))
            facts.append(fact)
        fired = self._assert(engine.names[engine.ruleset_of[key]], facts)
        result: list[bool | None] = []
        for fact in facts:
            actions = sorted(set(fired[fact["id"]]))  # a rule with $or can fire once per branch
            if len(actions) > 1:
                raise EngineError(f"condition {key}: both true and false rules fired for {fact}")
            result.append(None if not actions else actions[0] == "T")
        return result

    def _engine(self) -> Engine:
        engine = getattr(self, "engine", None)
        if not isinstance(engine, Engine):  # pragma: no cover - a chain session has no targets
            raise EngineError("not an evaluation session")
        return engine

    def decide(self, target_index: int, low: Fraction, high: Fraction) -> str:
        """The status the decision rules give for measured bounds [low, high]; pending if none fires."""
        engine = self._engine()
        constants = sorted(set(engine.rules.targets[target_index].threshold.values))
        fact: dict[str, Any] = {
            "id": f"m{next(self._facts)}",
            "type": "meas",
            "target": target_index,
            "lo": ordinal(constants, low),
            "hi": ordinal(constants, high),
        }
        name = engine.names[engine.ruleset_of[f"d{target_index}"]]
        actions = sorted(set(self._assert(name, [fact])[fact["id"]]))
        if len(actions) > 1:
            raise EngineError(f"target {target_index}: several statuses fired: {actions}")
        return actions[0] if actions else "pending"


def encode_signature(features: list[tuple[str, str]], sig: tuple[Any, ...]) -> dict[str, Any]:
    """The engine fact fields of one signature: known attribute values and title states."""
    from thidua.evaluator.engine.conditions import MISSING
    from thidua.evaluator.facts.reader import Awaiting

    out: dict[str, Any] = {}
    for (kind, name), value in zip(features, sig, strict=True):
        if kind == "a":
            if value != MISSING and not isinstance(value, Awaiting):
                out[attr_field(name)] = value
        else:
            out[title_field(name)] = value[0]
    return out


# --- title criteria: forward chaining over entity profiles --------------------------------
#
# A segment is a run of criteria about one kind of entity, in dependency order. For each group of
# entities with the same profile (the values every criterion of the segment reads), a stage-0 fact
# is asserted; the rules of stage s fire T, F or U (unknown) for criterion s, and the action asserts
# the stage s+1 fact carrying the title just derived (`t_<title>`), which the rules of the next
# criterion read: the chain runs inside the engine in one call. A title the facts record (`r_<title>`)
# is carried instead of the derivation: the council's decision is what later criteria see.

DERIVED_STATE = {"T": "decided", "F": "none", "U": "unknown"}


def _chain_action(host: _Host, name: str) -> Any:
    _, seg, stage, last, title, outcome = name.split("|")

    def chain(c: Any) -> None:
        m = dict(c.m.items())
        host.fired.setdefault(c.s["sid"], []).append((name, str(m["grp"])))
        recorded = m.get("r_" + title, "none")
        nxt = {k: v for k, v in m.items() if k not in ("id", "sid")}
        nxt["t_" + title] = recorded if recorded != "none" else DERIVED_STATE[outcome]
        nxt["stage"] = int(stage) + 1
        nxt["id"] = f"{m['id']}>{int(stage) + 1}"
        c.retract_fact(m)
        if int(stage) + 1 < int(last):
            c.assert_fact(nxt)

    return chain


class ChainEngine:
    """Compiled criteria of one period: per segment, per stage, rules T, F and U chaining the stages.

    Each segment is a ruleset of its own (its stages chain inside one session of one ruleset).
    `locations` names, per segment and stage, where a criterion is written, for located refusals.
    """

    def __init__(self, segments: list[list[tuple[str, Pred]]], locations: list[list[Any]] | None = None) -> None:
        self.encoding = Encoding([pred for segment in segments for _, pred in segment])
        self.names: list[str] = []
        for si, segment in enumerate(segments):
            definition: dict[str, Any] = {}
            for stage, (title, pred) in enumerate(segment):
                base: list[dict[str, Any]] = [{"type": "prof"}, {"seg": si}, {"stage": stage}]
                # T and F fire first and retract the fact they matched, which cancels the U rule:
                # U (unknown) is what is left, without compiling "neither T nor F" (durable expands
                # expressions into disjunctive normal form, and that negation outgrows its limits).
                for outcome in ("T", "F", "U"):
                    run = f"chain|{si}|{stage}|{len(segment)}|{title}|{outcome}"
                    try:
                        expr = compile_pred(pred, outcome == "T", self.encoding) if outcome != "U" else None
                        rules = condition_rules(f"k{si}_{stage}_{outcome}", base, expr, run)
                    except TooComplex as exc:
                        loc = locations[si][stage] if locations is not None else None
                        raise ConditionTooComplex(loc, title, exc) from exc
                    for rule in rules.values():
                        rule["pri"] = 2 if expr is None else 1
                    definition.update(rules)
                if len(definition) > MAX_SEGMENT_RULES:  # a segment chains inside one ruleset: it cannot be split
                    loc = locations[si][stage] if locations is not None else None
                    cause = TooComplex("engine.too_many_rules", count=len(definition), limit=MAX_SEGMENT_RULES)
                    raise ConditionTooComplex(loc, title, cause)
            self.names.append(_register("thidua_chain_", definition))
        self.name = "|".join(self.names)
        self.key = _content_key(self.names, self.encoding, [])

    def session(self) -> ChainSession:
        return ChainSession(self)


class ChainSession(Session):
    """One derivation on the chain engine: all segments in one isolated durable session each."""

    def run_segment(self, segment: int, stages: int, profiles: list[dict[str, Any]]) -> list[list[bool | None]]:
        """For each profile, the outcome of every stage's criterion (True, False, None for unknown)."""
        if not profiles or not stages:
            return [[] for _ in profiles]
        if not self._entered:
            raise EngineError("a session is used inside a `with` block only")
        engine = self.engine
        assert isinstance(engine, ChainEngine)
        name = engine.names[segment]
        host = _host()
        facts = []
        for gi, prof in enumerate(profiles):
            fact = {"id": f"p{segment}.{gi}", "type": "prof", "seg": segment, "stage": 0, "grp": f"{segment}.{gi}"}
            fact.update(engine.encoding.fact(prof))
            fact["sid"] = self.sid
            facts.append(fact)
        with _LOCK:
            self._open(name)
            for fact in facts:
                try:
                    host.assert_fact(name, fact)
                except durable_engine.MessageObservedException as exc:  # pragma: no cover
                    raise EngineError(f"duplicate fact {fact['id']}") from exc
            state = host.get_state(name, self.sid)
            if "exception" in state:
                raise EngineError(str(state["exception"]))
            fired = host.fired.pop(self.sid, [])
        out: list[list[bool | None]] = [[None] * stages for _ in profiles]
        seen: dict[tuple[int, int], str] = {}
        for action, grp in fired:
            _, seg, stage, _, _, outcome = action.split("|")
            gi = int(grp.split(".")[1])
            if int(seg) != segment:
                continue
            key = (gi, int(stage))
            if key in seen:
                raise EngineError(f"criterion stage {stage}: several outcomes fired for profile {gi}")
            seen[key] = outcome
            out[gi][int(stage)] = {"T": True, "F": False, "U": None}[outcome]
        if len(seen) != len(profiles) * stages:
            raise EngineError(f"segment {segment}: {len(seen)} of {len(profiles) * stages} stages fired")
        return out
