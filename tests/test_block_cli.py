"""`thidua block` and `thidua evaluate --each` as real processes of the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.e2e.process import run_thidua
from thidua.evaluator.explain.tree import DEFAULT_LIMIT

BLOCK = ROOT / "examples" / "khoi-thi-dua-so-6"


def thidua(*args: str, ledger: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "THIDUA_LEDGER": str(ledger), "COLUMNS": "200"}
    done = run_thidua(*args, env=env, cwd=cwd)
    assert "Traceback" not in done.stderr + done.stdout
    return done


@pytest.fixture(scope="module")
def block_json(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    ledger = tmp_path_factory.mktemp("ledger") / "l.sqlite"
    done = thidua("block", str(BLOCK), "--format", "json", ledger=ledger)
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    data["_ledger"] = str(ledger)
    return data


def member(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(m for m in data["members"] if m["name"] == name)


def test_block_table(tmp_path: Path) -> None:
    done = thidua("block", str(BLOCK), ledger=tmp_path / "l.sqlite")
    assert done.returncode == 0, done.stderr
    assert "Khối thi đua số 6" in done.stdout
    assert "Cờ thi đua của UBND tỉnh" in done.stdout
    assert "Nếu" in done.stdout or "nếu xếp trên" in done.stdout
    assert "Đã ghi lần chạy khối" in done.stderr


def test_block_json_proposals(block_json: dict[str, Any]) -> None:
    assert block_json["format"] == "thidua.block/3"
    assert len(block_json["members"]) == 7
    status = {m["key"]: m["proposal"]["status"] for m in block_json["members"]}
    assert status == {
        "so-noi-vu": "proposed",
        "../ban-dan-toc-binh-phuoc/2022": "proposed",
        "van-phong-doan-dbqh": "excluded",
        "so-tu-phap": "pending",
        "thanh-tra-tinh": "pending",
        "so-ngoai-vu": "pending",
        "ban-quan-ly-kcn": "not_proposed",
    }
    tie = member(block_json, "Sở Tư pháp tỉnh Bình Phước")["proposal"]
    assert [r["code"] for r in tie["reasons"]][0] == "block.if_tie"
    assert "Thanh tra tỉnh Bình Phước" in tie["reason_texts"][0]


def test_block_json_explains_every_score(block_json: dict[str, Any]) -> None:
    for m in block_json["members"]:
        assert len(m["items"]) == 22
        for item in m["items"]:
            assert item["rule_text"] and item["points"]["text"]
            assert item["judgement"] is not None and item["judgement"]["reasons"], item["id"]


def test_the_seed_agency_target_is_decided_by_the_block(block_json: dict[str, Any]) -> None:
    seed = member(block_json, "Ban Dân tộc tỉnh Bình Phước")
    assert seed["proposal"]["title"] == "bang_khen"
    settled = {s["target"]: s for s in seed["settled"]}
    merit = settled["agency.provincial_merit"]
    assert merit["status"] == "met"
    assert any("Khối thi đua số 6 (lần chạy khối " + block_json["run"] in r for r in merit["reasons"])
    assert any("đề nghị" in r and "chưa có quyết định" in r for r in merit["reasons"])  # a proposal, counted
    excluded = member(block_json, "Văn phòng Đoàn ĐBQH và HĐND tỉnh")
    assert {s["target"]: s["status"] for s in excluded["settled"]} == {"agency.provincial_merit": "not_met"}
    tied = member(block_json, "Thanh tra tỉnh Bình Phước")
    assert {s["target"]: s["status"] for s in tied["settled"]} == {"agency.provincial_merit": "pending"}


def test_block_run_is_recorded_per_member(block_json: dict[str, Any]) -> None:
    done = thidua("audit", "list", "--format", "json", ledger=Path(block_json["_ledger"]))
    assert done.returncode == 0, done.stderr
    runs = json.loads(done.stdout)
    runs = runs["runs"] if isinstance(runs, dict) else runs
    assert len(runs) == 7
    assert all("#" in r["path"] for r in runs)


def test_the_shipped_block_is_replayed_from_the_ledger(block_json: dict[str, Any]) -> None:
    """Every member's run, `use: ../giao-uoc-khoi.yaml` included, evaluates again from its snapshot as
    it was recorded: the whole block is run again (the settled targets depend on every member)."""
    from thidua.evaluator.audit.ledger import Ledger
    from thidua.evaluator.audit.rerun import replay

    ledger = Path(block_json["_ledger"])
    with Ledger.open(ledger) as book:
        records = [book.get(str(r.seq)) for r in book.runs()]
    assert len(records) == 7
    for rec in records:
        again = replay(rec)
        assert again.problem is None and again.matches, (rec.path, again.problem, again.differing)
    noi_vu = next(r for r in records if r.path.endswith("#so-noi-vu"))
    used = [f.path for f in noi_vu.files if f.role == "rules_used"]
    assert used and used[0].endswith("so-noi-vu/../giao-uoc-khoi.yaml")
    assert {f.path for f in noi_vu.files if f.role == "block"} >= {
        "khoi-thi-dua-so-6/block.rules.yaml",
        "khoi-thi-dua-so-6/giao-uoc-khoi.yaml",
        "ban-dan-toc-binh-phuoc/2022/roster.facts.yaml",
    }
    seed = next(r for r in records if r.path.endswith("#../ban-dan-toc-binh-phuoc/2022"))
    for rec, target in ((noi_vu, "units.advanced"), (seed, "agency.provincial_merit")):
        done = thidua("audit", "explain", str(rec.seq), target, ledger=ledger)
        assert done.returncode == 0, done.stderr
        assert "Chạy lại từ bản lưu cho kết quả giống hệt bản ghi." in done.stdout, done.stdout[:600]
    # the target that awaited the block is explained with the block's outcome, as recorded
    assert "Khối thi đua số 6 (lần chạy khối" in done.stdout


def test_a_block_member_roster_in_excel_is_kept_whole_and_replayed(tmp_path: Path) -> None:
    """The seed agency's roster as its workbook: the block run keeps the workbook's bytes (as
    `evaluate` does), not a hash standing for them, so the run replays from the ledger."""
    from thidua.evaluator.audit.ledger import Ledger
    from thidua.evaluator.audit.rerun import replay

    shutil.copytree(BLOCK, tmp_path / "khoi-thi-dua-so-6")
    seed = tmp_path / "ban-dan-toc-binh-phuoc" / "2022"
    seed.mkdir(parents=True)
    shutil.copy(ROOT / "examples" / "ban-dan-toc-binh-phuoc" / "2022" / "targets.rules.yaml", seed)
    shutil.copy(ROOT / "examples" / "ban-dan-toc-binh-phuoc" / "2022" / "excel" / "roster.facts.xlsx", seed)
    ledger = tmp_path / "l.sqlite"
    done = thidua("block", "khoi-thi-dua-so-6", "--format", "json", ledger=ledger, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with Ledger.open(ledger) as book:
        rec = next(book.get(str(r.seq)) for r in book.runs() if r.path.endswith("#../ban-dan-toc-binh-phuoc/2022"))
    [workbook] = [f for f in rec.files if f.role == "facts"]
    assert workbook.path == "ban-dan-toc-binh-phuoc/2022/roster.facts.xlsx"
    assert (workbook.text or "").startswith("xlsx base64:")
    again = replay(rec)
    assert again.problem is None and again.matches, (again.problem, again.differing)


def test_block_explain_member(tmp_path: Path) -> None:
    done = thidua("block", str(BLOCK), "--explain", "Ban Dân tộc tỉnh Bình Phước", ledger=tmp_path / "l.sqlite")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Chi bộ Hoàn thành tốt nhiệm vụ trở lên" in out
    assert "roster.facts.yaml:" in out  # down to the facts' lines
    unknown = thidua("block", str(BLOCK), "--explain", "Sở Không Có", ledger=tmp_path / "l.sqlite")
    assert unknown.returncode == 2
    assert "Sở Không Có" in unknown.stderr


def test_block_without_block_file_is_bad_input(tmp_path: Path) -> None:
    done = thidua("block", str(tmp_path), ledger=tmp_path / "l.sqlite")
    assert done.returncode == 2
    assert "block.rules.yaml" in done.stderr


def test_evaluate_each_examples(tmp_path: Path) -> None:
    done = thidua("evaluate", "examples", "--each", ledger=tmp_path / "l.sqlite")
    assert done.returncode == 1, done.stderr  # one member of the block has targets not met
    assert "Ban Quản lý các Khu công nghiệp tỉnh" in done.stdout
    first_row = next(line for line in done.stdout.splitlines() if "│" in line and "Khu công nghiệp" in line)
    assert done.stdout.index(first_row) < done.stdout.index("Sở Nội vụ")  # targets not met first
    lines = thidua("evaluate", "examples", "--each", "--format", "json", ledger=tmp_path / "l.sqlite")
    records = [json.loads(line) for line in lines.stdout.splitlines()]
    assert len(records) == 13  # every agency folder under examples/: so-van-hoa-mau's 2025 and the two invented ones
    assert all(r["evaluation"]["format"] == "thidua.evaluation/3" for r in records)


def test_evaluate_each_goes_on_past_a_bad_folder(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "ban-dan-toc-binh-phuoc" / "2022", tmp_path / "good")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "targets.rules.yaml").write_text("version: 1\ntargets:\n  - id: x\n    titel: X\n", encoding="utf-8")
    done = thidua("evaluate", str(tmp_path), "--each", "--jobs", "2", ledger=tmp_path / "l.sqlite")
    assert done.returncode == 2
    assert "Ban Dân tộc tỉnh Bình Phước" in done.stdout
    assert "targets.rules.yaml:4:5" in done.stdout
    lines = thidua("evaluate", str(tmp_path), "--each", "--format", "json", ledger=tmp_path / "l.sqlite")
    assert lines.returncode == 2
    records = {Path(r["path"]).name: r for r in map(json.loads, lines.stdout.splitlines())}
    assert list(records["bad"]) == sorted(records["bad"])  # one line per agency, keys sorted
    assert records["bad"]["evaluation"] is None
    assert (4, 5) in {(p["location"]["line"], p["location"]["column"]) for p in records["bad"]["problems"]}
    assert records["good"]["evaluation"]["summary"] == records["good"]["summary"]


def test_evaluate_on_a_block_folder_points_to_block(tmp_path: Path) -> None:
    done = thidua("evaluate", str(BLOCK), "--no-record", ledger=tmp_path / "l.sqlite")
    assert done.returncode == 2
    assert "thidua block" in done.stderr


def test_block_json_lists_the_first_entities_of_a_reason_and_all_ids_with_all(
    block_json: dict[str, Any], tmp_path: Path
) -> None:
    reasons = [r for m in block_json["members"] for i in m.get("items", []) for r in i["judgement"]["reasons"]]
    assert reasons and all(r["count"] == len(r["entities"]) + r["more"] and "ids" not in r for r in reasons)
    assert all(len(r["entities"]) <= DEFAULT_LIMIT for r in reasons)
    done = thidua("block", str(BLOCK), "--format", "json", "--all", ledger=tmp_path / "l.sqlite")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    every = [
        r for m in json.loads(done.stdout)["members"] for i in m.get("items", []) for r in i["judgement"]["reasons"]
    ]
    assert [r["count"] for r in every] == [r["count"] for r in reasons]
    assert all(
        len(r["ids"]) == r["count"] and r["ids"][: len(r["entities"])] == [e["id"] for e in r["entities"]]
        for r in every
    )
