"""Writes a draft as a rule file: every value through the YAML emitter, each sentence kept as a comment."""

from __future__ import annotations

from typing import Any

import yaml

from thidua.rules.drafting.draft import Draft


def _dump(data: Any) -> str:
    return str(
        yaml.dump(
            data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
        )
    )


def _comment(text: str, indent: str = "") -> list[str]:
    """Comment lines for free text (a sentence may hold anything but a line break)."""
    return [f"{indent}# {line}".rstrip() for line in text.splitlines() or [""]]


def rule_file(draft: Draft, year: int | None, use: list[str], source: str) -> str:
    """The rule file for the targets of `year`: a header, one entry per target with its sentence and
    confidence as comments, and a commented block for every sentence that states no target."""
    lines = _comment(f"Bản nháp từ {source} (thidua draft): kiểm tra từng chỉ tiêu trước khi dùng.")
    lines += _comment("Độ tin cậy: tỷ lệ từ của câu đã nhận ra (1.0 là nhận ra hết).")
    document: dict[str, Any] = {"version": 1}
    if year is not None:
        document["period"] = year
    document["use"] = list(use)
    items = draft.targets.get(year, [])
    extensions: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        for kind, attribute in item.extends:
            attributes = extensions.setdefault(kind, [])
            if all(a["id"] != attribute["id"] for a in attributes):
                attributes.append(attribute)
    if extensions:  # number attributes the packs lack, added to their kind (never a second kind)
        document["kinds"] = [{"extend": kind, "attributes": attrs} for kind, attrs in extensions.items()]
    document["targets"] = [item.target for item in items]
    pending = iter(items)
    in_targets = False
    for line in _dump(document).splitlines():
        in_targets = in_targets or line.startswith("targets:")
        if in_targets and line.startswith("- "):  # the next target's entry: its sentence and confidence above it
            item = next(pending)
            lines.append("")
            lines += _comment(f"Câu: {item.clause}")
            lines += _comment(f"Độ tin cậy: {item.confidence:.2f}")
            for note in item.notes:
                lines += _comment(note)
        lines.append(line)
    for missed in draft.unrecognised.get(year, []):
        lines.append("")
        lines += _comment("CHƯA NHẬN RA (không tạo chỉ tiêu):")
        lines += _comment(f"Câu: {missed.clause}")
        lines += _comment(f"Lý do: {missed.reason}")
        lines += _comment(f"Vị trí: dòng {missed.sentence.line}, {missed.sentence.place}")
    return "\n".join(lines) + "\n"
