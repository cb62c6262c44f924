"""A target's explanation as data: from a recorded run when the ledger can answer, else from an evaluation."""

from __future__ import annotations

from typing import Any

from thidua.evaluator.app.words import (
    derived_check_text,
    derived_group_words,
    judgement_view,
    margin_text,
    measured_line,
    quota_line,
    requirement_text,
)
from thidua.evaluator.explain.derivation import DerivationNode
from thidua.evaluator.explain.tree import Explanation
from thidua.rules.labels import label
from thidua.rules.messages import render as message

EXPLANATION_FORMAT = "thidua.explanation/2"


def _derivation_texts(d: dict[str, Any], node: DerivationNode, lang: str) -> None:
    """Add the rendered text next to each part of a derivation node."""
    for gd, g in zip(d["groups"], node.groups, strict=True):
        gd["text"] = "".join(derived_group_words(g, lang))
        gd["finding_text"] = label(f"x.d.finding.{g.finding}", lang, note=g.override_note or "") if g.finding else None
        for qd, q in zip(gd["quotas"], g.quotas, strict=True):
            qd["text"] = quota_line(q, lang)
        for cd, c in zip(gd["checks"], g.checks, strict=True):
            cd["text"] = derived_check_text(c, lang)
            if c.derivation is not None:
                _derivation_texts(cd["derivation"], c.derivation, lang)


def explanation_json(x: Explanation, lang: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The explanation as JSON data (`thidua.explanation/2`), each part with its text in `lang`."""
    data = x.to_dict()
    j = judgement_view(x)
    data["format"] = EXPLANATION_FORMAT
    data["lang"] = lang
    data["status_label"] = label(f"status.{x.status}", lang)
    data["requirement"]["text"] = requirement_text(j, lang)
    data["measured"]["text"] = measured_line(x, lang)
    if data["margin"] is not None:
        data["margin"]["text"] = margin_text(j, lang)
    for gd, g in zip(data["groups"], x.groups, strict=True):
        gd["text"] = message(g.code, lang, **g.params)
        for cd, c in zip(gd["checks"], g.checks, strict=True):
            if c.derivation is not None:
                _derivation_texts(cd["derivation"], c.derivation, lang)
    for nd, n in zip(data["notes"], x.notes, strict=True):
        nd["text"] = message(n.code, lang, **n.params)
    if extra:
        data.update(extra)
    return data
