"""Regenerate the golden explanation files: `python -m tests.regen_explain_golden` (never edit them by hand)."""

from __future__ import annotations

import os
import tempfile

from tests.golden_explain import EXAMPLE_2024, GOLDEN, TARGETS, TARGETS_2024, VARIANTS, golden_path, render


def main() -> None:
    os.environ.setdefault("THIDUA_LEDGER", os.path.join(tempfile.mkdtemp(), "ledger.sqlite"))
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for target in TARGETS:
        for suffix, extra in VARIANTS:
            golden_path(target, suffix).write_text(render(target, extra), encoding="utf-8")
    (GOLDEN / "2024").mkdir(exist_ok=True)
    for target in TARGETS_2024:
        for suffix, extra in VARIANTS:
            golden_path(target, suffix, "2024").write_text(render(target, extra, EXAMPLE_2024), encoding="utf-8")
    print(f"wrote {(len(TARGETS) + len(TARGETS_2024)) * len(VARIANTS)} files to {GOLDEN}")


if __name__ == "__main__":
    main()
