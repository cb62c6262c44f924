"""Regenerate the golden explanation files: `python -m tests.regen_explain_golden` (never edit them by hand)."""

from __future__ import annotations

import os
import tempfile

from tests.golden_explain import GOLDEN, TARGETS, VARIANTS, golden_path, render


def main() -> None:
    os.environ.setdefault("THIDUA_LEDGER", os.path.join(tempfile.mkdtemp(), "ledger.sqlite"))
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for target in TARGETS:
        for suffix, extra in VARIANTS:
            golden_path(target, suffix).write_text(render(target, extra), encoding="utf-8")
    print(f"wrote {len(TARGETS) * len(VARIANTS)} files to {GOLDEN}")


if __name__ == "__main__":
    main()
