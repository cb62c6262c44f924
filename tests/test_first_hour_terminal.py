"""On a terminal: a progress bar while reading and deriving, and a summary of crowded titles in
`candidates`; in a pipe: neither (the output is complete and free of terminal control characters)."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_2022, ROOT
from tests.first_hour_helpers import thidua, thidua_on_terminal
from thidua.evaluator.explain.tree import DEFAULT_LIMIT

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PEOPLE = 60


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2022 targets over a synthetic roster of PEOPLE persons (bench/province.py's generator)."""
    spec = importlib.util.spec_from_file_location("province", ROOT / "bench" / "province.py")
    assert spec is not None and spec.loader is not None
    province = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(province)
    folder = tmp_path_factory.mktemp("crowded")
    shutil.copy(EXAMPLE_2022 / "targets.rules.yaml", folder)
    data = province.roster(PEOPLE, 7)
    (folder / "roster.facts.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def _plain(text: str) -> str:
    return ANSI.sub("", text).replace("\r", "\n")


def test_candidates_on_a_terminal_summarises_a_crowded_title(crowded: Path) -> None:
    code, drawn = thidua_on_terminal("candidates", crowded, columns=120)
    assert code == 0
    text = _plain(drawn)
    # a group listed whole is a row per person, a larger one a single row with its count
    data = json.loads(thidua("candidates", crowded, "--format", "json").stdout)
    lddt = next(s for s in data["titles"] if s["title"] == "lao_dong_tien_tien")
    rows = sum(1 if g["more"] else g["count"] for g in lddt["groups"])
    assert rows > DEFAULT_LIMIT
    assert f"… còn {rows - DEFAULT_LIMIT} dòng nữa (đã hiện {DEFAULT_LIMIT} dòng đầu)" in text
    assert "--title lao_dong_tien_tien" in text and "--all" in text and "--entity" in text
    code, drawn = thidua_on_terminal("candidates", crowded, "--all", columns=120)
    assert code == 0 and f"Người {PEOPLE - 1} " in _plain(drawn) and "… còn" not in _plain(drawn)


def test_candidates_in_a_pipe_and_as_json_are_complete(crowded: Path) -> None:
    piped = thidua("candidates", crowded)
    assert piped.returncode == 0 and f"Người {PEOPLE - 1} " in piped.stdout and "… còn" not in piped.stdout
    data = json.loads(thidua("candidates", crowded, "--format", "json").stdout)
    lddt = next(s for s in data["titles"] if s["title"] == "lao_dong_tien_tien")
    assert data["format"] == "thidua.worksheet/3" and sum(g["count"] for g in lddt["groups"]) == PEOPLE
    every = json.loads(thidua("candidates", crowded, "--all", "--format", "json").stdout)
    lddt = next(s for s in every["titles"] if s["title"] == "lao_dong_tien_tien")
    assert sorted(e["id"] for g in lddt["groups"] for e in g["entities"]) == sorted(f"p{i}" for i in range(PEOPLE))


def test_candidates_entity_shows_one_row_per_title_and_refuses_an_unknown_id(crowded: Path) -> None:
    one = thidua("candidates", crowded, "--entity", "p42", "--format", "json")
    data = json.loads(one.stdout)
    assert data["titles"] and all(
        [e["id"] for g in s["groups"] for e in g["entities"]] == ["p42"] for s in data["titles"]
    )
    bad = thidua("candidates", crowded, "--entity", "p420")
    assert bad.returncode == 2 and "--entity" in bad.stderr and "p420" in bad.stderr


def test_a_progress_bar_on_a_terminal_only(crowded: Path, tmp_path: Path) -> None:
    env = {"THIDUA_LEDGER": str(tmp_path / "l.sqlite")}
    code, drawn = thidua_on_terminal("evaluate", crowded, env=env)
    assert code in (0, 1)  # some synthetic targets are not met
    assert "Đọc dữ kiện" in drawn and "Xét danh hiệu theo tiêu chuẩn" in drawn  # the bar's stages
    piped = thidua("evaluate", crowded, env=env)
    for stream in (piped.stdout, piped.stderr):
        assert "Đọc dữ kiện" not in stream and "\x1b[" not in stream and "\r" not in stream
    piped = thidua("candidates", crowded)
    assert "Đọc dữ kiện" not in piped.stdout + piped.stderr and "\x1b[" not in piped.stderr
