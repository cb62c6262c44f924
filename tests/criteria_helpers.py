"""Builds small agencies (rules + facts folders) for the criteria tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PERSON: dict[str, Any] = {
    "rating": "hoan_thanh_tot",
    "recruited_on": "2010-01-01",
    "discipline": "khong",
    "transferred": False,
    "initiative": False,
    "research_topic": False,
}


def write_agency(folder: Path, case: dict[str, Any]) -> Path:
    """Write `agency.rules.yaml` and `roster.facts.yaml` for a case; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    cap = case.get("cap", "100%")
    rules: dict[str, Any] = {
        "version": 1,
        "use": ["criteria", "organization_criteria"] if case.get("organizations") else ["criteria"],
        "settings": [
            {"id": "cstdcs_cap_nd91", "title": "test cap", "value": cap},
            *({"id": k, "title": "test setting", "value": v} for k, v in case.get("settings", {}).items()),
        ],
    }
    if "provincial_cap" in case:  # the new regime has no cap: a province declares its own (docs/criteria.md)
        rules["quotas"] = [
            {
                "id": "cstdcs_cap_tinh",
                "title": "test provincial cap",
                "reference": "Quyết định của UBND tỉnh (giả định)",
                "limits": "chien_si_thi_dua_co_so",
                "of": "person",
                "at_most": {"share": case["provincial_cap"], "of_title": "lao_dong_tien_tien"},
                "valid": {"from": "2024-01-01"},
            }
        ]
    if "decided_on" in case:
        rules["review"] = {"decided_on": str(case["decided_on"])}
    people = []
    for entry in case.get("people", []):
        entry = dict(entry)
        count = entry.pop("count", 1)
        for _ in range(count):
            person = {**DEFAULT_PERSON, **entry}
            person = {k: v for k, v in person.items() if v is not None}
            person["id"] = f"p{len(people) + 1}"
            people.append(person)
    units = [{"rating": "hoan_thanh_tot", **u} for u in case.get("units", [])]
    organizations = [{"rating": "hoan_thanh_tot", **o} for o in case.get("organizations", [])]
    entities = {"person": people, "unit": units, "organization": organizations}
    facts = {"period": case["period"], "entities": entities}
    # JSON is YAML: both files are written as JSON text
    (folder / "agency.rules.yaml").write_text(json.dumps(rules, ensure_ascii=False), encoding="utf-8")
    (folder / "roster.facts.json").write_text(json.dumps(facts, ensure_ascii=False, default=str), encoding="utf-8")
    return folder


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))
