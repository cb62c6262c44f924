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

import copy
import hashlib
import itertools
import json
import threading
from fractions import Fraction
from typing import Any, TypeVar

from durable import engine as durable_engine

from thidua.rules.ruleset import PAll, PAttr, PNot, Pred, PTitle, RuleSet, Threshold

ENGINE_NAME = "durable-rules"


class EngineError(RuntimeError):
    """The engine failed or contradicted itself; the affected judgement becomes an error."""


def engine_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("durable-rules")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


# --- compiling conditions ---------------------------------------------------------------

NEGATE = {"gt": "$lte", "gte": "$lt", "lt": "$gte", "lte": "$gt"}
DURABLE_OP = {"gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte", "neq": "$neq"}


def _and(items: list[dict[str, Any]]) -> dict[str, Any]:
    return items[0] if len(items) == 1 else {"$and": items}


def _or(items: list[dict[str, Any]]) -> dict[str, Any]:
    return items[0] if len(items) == 1 else {"$or": items}


def attr_field(attr: str) -> str:
    return "a_" + attr


def title_field(title: str) -> str:
    return "t_" + title


def _attr_true(p: PAttr) -> dict[str, Any]:
    f = attr_field(p.attr)
    exists = {"$ex": {f: 1}}
    if p.op == "eq":
        return _and([exists, {f: p.value}])
    if p.op == "in":
        return _and([exists, _or([{f: v} for v in p.value])])
    return _and([exists, {DURABLE_OP[p.op]: {f: p.value}}])


def _attr_false(p: PAttr) -> dict[str, Any]:
    f = attr_field(p.attr)
    exists = {"$ex": {f: 1}}
    if p.op == "eq":
        return _and([exists, {"$neq": {f: p.value}}])
    if p.op == "neq":
        return _and([exists, {f: p.value}])
    if p.op == "in":
        return _and([exists, *({"$neq": {f: v}} for v in p.value)])
    return _and([exists, {NEGATE[p.op]: {f: p.value}}])


TITLE_TRUE = {"decided": ["decided"], "any": ["decided", "proposed"], "proposed": ["proposed"]}
TITLE_FALSE = {"decided": ["none", "refused"], "any": ["none", "refused"], "proposed": ["none", "refused", "decided"]}


def compile_pred(p: Pred, polarity: bool) -> dict[str, Any]:
    """A durable expression that holds exactly when `p` is certainly `polarity` (Kleene logic)."""
    if isinstance(p, PAttr):
        return _attr_true(p) if polarity else _attr_false(p)
    if isinstance(p, PTitle):
        states = (TITLE_TRUE if polarity else TITLE_FALSE)[p.state]
        return _or([{title_field(p.title): s} for s in states])
    if isinstance(p, PNot):
        return compile_pred(p.item, not polarity)
    parts = [compile_pred(item, polarity) for item in p.items]
    conjunctive = isinstance(p, PAll) == polarity
    return _and(parts) if conjunctive else _or(parts)


# --- compiling decisions ----------------------------------------------------------------


def _cmp(op: str, field: str, value: Fraction) -> dict[str, Any]:
    return {op: {field: float(value)}}


def decision_rules(th: Threshold, exceed: bool) -> dict[str, dict[str, Any]]:
    """Per status, a durable expression over the measured bounds `lo` and `hi`."""
    out: dict[str, dict[str, Any]] = {}
    if th.op in ("gt", "gte", "lt", "lte"):
        t = th.values[0]
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
    out["met"] = _and([_cmp("$gte", "lo", low), _cmp("$lte", "hi", high)])
    out["not_met"] = _or([_cmp("$lt", "hi", low), _cmp("$gt", "lo", high)])
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


class Engine:
    """The compiled rules of one RuleSet, registered once on the process-wide durable Host."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        definition: dict[str, Any] = {}
        self.condition_keys: dict[str, Pred] = {}
        for ti, target in enumerate(rules.targets):
            for role, pred in target_conditions(target.measure):
                key = f"{ti}.{role}"
                self.condition_keys[key] = pred
                for polarity, name in ((True, "T"), (False, "F")):
                    definition[f"c{ti}_{role}_{name}"] = {
                        "all": [{"m": _and([{"type": "sig"}, {"cond": key}, compile_pred(pred, polarity)])}],
                        "run": name,
                    }
            for status, expr in decision_rules(target.threshold, target.exceed).items():
                definition[f"d{ti}_{status}"] = {
                    "all": [{"m": _and([{"type": "meas"}, {"target": ti}, expr])}],
                    "run": status,
                }
        self.definition = definition
        self.name = _register("thidua_", definition)

    def session(self) -> Session:
        return Session(self)


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
    return out


_S = TypeVar("_S", bound="Session")


class Session:
    """One evaluation on the engine: an isolated durable session, dropped when closed."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sid = f"s{next(_SIDS)}"
        self._facts = itertools.count(1)
        self._opened = False

    def __enter__(self: _S) -> _S:
        fired = self._assert([{"id": "open", "type": _OPEN_FACT_TYPE}])
        if "open" not in fired["open"]:  # pragma: no cover - the rule is in every registered ruleset
            raise EngineError(f"session {self.sid}: the opening fact was not handled")
        self._opened = True
        return self

    def __exit__(self, *exc: object) -> None:
        host = _host()
        with _LOCK:
            host.fired.pop(self.sid, None)
            if not self._opened:
                return  # deleting a session that was never opened by a handled fact crashes the engine
            self._opened = False
            try:
                host.delete_state(self.engine.name, self.sid)
            except Exception:  # noqa: BLE001 - the state is gone already: nothing to release
                pass

    def _assert(self, facts: list[dict[str, Any]]) -> dict[str, list[str]]:
        """Assert facts one by one; returns, per fact id, the actions that fired for it."""
        host = _host()
        out: dict[str, list[str]] = {str(f["id"]): [] for f in facts}
        with _LOCK:
            for fact in facts:
                fact["sid"] = self.sid
                try:
                    host.assert_fact(self.engine.name, fact)
                except durable_engine.MessageNotHandledException:
                    pass  # no rule certain about it: an unknown outcome or a pending status
                except durable_engine.MessageObservedException as exc:  # pragma: no cover
                    raise EngineError(f"duplicate fact {fact['id']}") from exc
            state = host.get_state(self.engine.name, self.sid)
            if "exception" in state:
                raise EngineError(str(state["exception"]))
            for action, fid in host.fired.pop(self.sid, []):
                if fid in out:
                    out[fid].append(action)
        return out

    def classify(self, key: str, signatures: list[dict[str, Any]]) -> list[bool | None]:
        """For each signature (field -> encoded value), whether the condition `key` holds."""
        facts: list[dict[str, Any]] = []
        for sig in signatures:
            fact: dict[str, Any] = {"id": f"g{next(self._facts)}", "type": "sig", "cond": key}
            fact.update(sig)
            facts.append(fact)
        fired = self._assert(facts)
        result: list[bool | None] = []
        for fact in facts:
            actions = sorted(set(fired[fact["id"]]))  # a rule with $or can fire once per branch
            if len(actions) > 1:
                raise EngineError(f"condition {key}: both true and false rules fired for {fact}")
            result.append(None if not actions else actions[0] == "T")
        return result

    def decide(self, target_index: int, low: Fraction, high: Fraction) -> str:
        """The status the decision rules give for measured bounds [low, high]; pending if none fires."""
        fact: dict[str, Any] = {
            "id": f"m{next(self._facts)}",
            "type": "meas",
            "target": target_index,
            "lo": float(low),
            "hi": float(high),
        }
        actions = sorted(set(self._assert([fact])[fact["id"]]))
        if len(actions) > 1:
            raise EngineError(f"target {target_index}: several statuses fired: {actions}")
        return actions[0] if actions else "pending"


def encode_signature(features: list[tuple[str, str]], sig: tuple[Any, ...]) -> dict[str, Any]:
    """The engine fact fields of one signature: known attribute values and title states."""
    from thidua.evaluator.conditions import MISSING
    from thidua.evaluator.facts import Awaiting

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
    """Compiled criteria of one period: per segment, per stage, rules T, F and U chaining the stages."""

    def __init__(self, segments: list[list[tuple[str, Pred]]]) -> None:
        definition: dict[str, Any] = {}
        for si, segment in enumerate(segments):
            for stage, (title, pred) in enumerate(segment):
                base: list[dict[str, Any]] = [{"type": "prof"}, {"seg": si}, {"stage": stage}]
                # T and F fire first and retract the fact they matched, which cancels the U rule:
                # U (unknown) is what is left, without compiling "neither T nor F" (durable expands
                # expressions into disjunctive normal form, and that negation outgrows its limits).
                exprs: dict[str, dict[str, Any] | None] = {
                    "T": compile_pred(pred, True),
                    "F": compile_pred(pred, False),
                    "U": None,
                }
                for outcome, expr in exprs.items():
                    definition[f"k{si}_{stage}_{outcome}"] = {
                        "all": [{"m": _and([*base, expr] if expr is not None else base)}],
                        "run": f"chain|{si}|{stage}|{len(segment)}|{title}|{outcome}",
                        "pri": 2 if expr is None else 1,
                    }
        self.definition = definition
        self.name = _register("thidua_chain_", definition)

    def session(self) -> ChainSession:
        return ChainSession(self)


class ChainSession(Session):
    """One derivation on the chain engine: all segments in one isolated durable session."""

    def __init__(self, engine: ChainEngine) -> None:  # noqa: D107
        self.engine = engine  # type: ignore[assignment]
        self.sid = f"s{next(_SIDS)}"
        self._facts = itertools.count(1)
        self._opened = False

    def run_segment(self, segment: int, stages: int, profiles: list[dict[str, Any]]) -> list[list[bool | None]]:
        """For each profile, the outcome of every stage's criterion (True, False, None for unknown)."""
        if not profiles or not stages:
            return [[] for _ in profiles]
        host = _host()
        facts = []
        for gi, prof in enumerate(profiles):
            fact = {"id": f"p{segment}.{gi}", "type": "prof", "seg": segment, "stage": 0, "grp": f"{segment}.{gi}"}
            fact.update(prof)
            fact["sid"] = self.sid
            facts.append(fact)
        with _LOCK:
            for fact in facts:
                try:
                    host.assert_fact(self.engine.name, fact)
                except durable_engine.MessageObservedException as exc:  # pragma: no cover
                    raise EngineError(f"duplicate fact {fact['id']}") from exc
            state = host.get_state(self.engine.name, self.sid)
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
