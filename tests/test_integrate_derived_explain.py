"""Derived titles joined with explanations and evaluate: recursive derivations, findings, derived wording."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE, EXAMPLE_2022, run_cli, run_json
from tests.golden_explain import TARGETS_2024, VARIANTS, golden_path, render
from thidua.evaluator.explain.tree import explain, find_judgement
from thidua.evaluator.run import run_path
from thidua.rules.errors import Location

EXAMPLE_2024 = EXAMPLE / "2024"


@pytest.mark.parametrize("suffix,extra", VARIANTS, ids=[v[0] for v in VARIANTS])
@pytest.mark.parametrize("target", TARGETS_2024)
def test_2024_explanations_match_golden_files(target: str, suffix: str, extra: tuple[str, ...]) -> None:
    """Regenerate with `python -m tests.regen_explain_golden`; review the diff, never edit by hand."""
    assert render(target, extra, EXAMPLE_2024) == golden_path(target, suffix, "2024").read_text(encoding="utf-8")


def title_check(x: dict[str, Any], title: str, entity: str | None = None) -> dict[str, Any]:
    """The first check node of the explanation on `title` whose group lists `entity`."""
    for g in x["groups"]:
        if entity is not None and entity not in [e["id"] for e in g["entities"]]:
            continue
        for c in g["checks"]:
            if c["check"]["subject"] == "title" and c["check"]["name"] == title:
                return c
    raise AssertionError(f"no check on {title}")


def group_of(node: dict[str, Any], entity: str) -> dict[str, Any]:
    return next(g for g in node["groups"] if entity in [e["id"] for e in g["entities"]])


def check_named(group: dict[str, Any], name: str) -> dict[str, Any]:
    return next(
        c
        for c in group["checks"]
        if c["name"] == name or (c["label_code"] == "criteria.check.months" and name == "months")
    )


def test_p04_soldier_shows_the_cstdcs_criterion_and_under_it_lddt_criterion() -> None:
    code, x = run_json("explain", EXAMPLE_2022, "staff.emulation_soldiers", "--entity", "p04")
    assert code == 0
    d = title_check(x, "chien_si_thi_dua_co_so", "p04")["derivation"]
    assert d["criterion"] == "cstdcs_nd91" and "91/2017" in d["reference"]
    assert d["place"]["file"] == "pack:criteria_nd91" and d["place"]["line"] > 0
    g = group_of(d, "p04")
    assert g["derived"] == "true" and g["source"] == "recorded" and g["finding"] is None
    assert check_named(g, "initiative")["outcome"] == "true"
    quota = g["quotas"][0]
    assert (quota["status"], quota["cap"], quota["base"], quota["count"]) == ("within", 3, 22, 3)
    lddt = next(c for c in g["checks"] if c["name"] == "lao_dong_tien_tien")
    assert lddt["outcome"] == "true"
    inner = lddt["derivation"]
    assert inner["criterion"] == "lddt_nd91"
    ig = group_of(inner, "p04")
    rating = check_named(ig, "rating")
    assert (rating["op"], rating["expected"], rating["outcome"]) == ("gte", "Hoàn thành tốt nhiệm vụ", "true")
    months = check_named(ig, "months")
    assert months["expected"] == 10 and months["outcome"] == "true" and months["actual"] >= 10
    discipline = check_named(ig, "discipline")
    assert discipline["negated"] is True and discipline["outcome"] == "false"  # "not disciplined" holds
    tree = run_cli("explain", EXAMPLE_2022, "staff.emulation_soldiers", "--entity", "p04", "--lang", "en").stdout
    assert "Criterion Chiến sĩ thi đua cơ sở —" in tree and "Criterion Lao động tiên tiến —" in tree
    assert "within the cap" in tree and "cstdcs_nd91" not in tree  # the JSON keeps the criterion ids
    assert "Kỷ luật: Không bị kỷ luật (needs NOT ≥ Khiển trách) → true" in tree


def test_2024_recruited_under_six_months_shows_the_months_check_false() -> None:
    code, x = run_json("explain", EXAMPLE_2024, "staff.advanced_workers", "--entity", "a06")
    assert code == 0
    d = title_check(x, "lao_dong_tien_tien", "a06")["derivation"]
    assert d["criterion"] == "lddt_nd98"
    g = group_of(d, "a06")
    assert g["derived"] == "false" and g["source"] == "none"
    months = check_named(g, "months")
    assert (months["actual"], months["expected"], months["outcome"]) == (5, 6, "false")


def test_2024_council_override_and_its_note_are_shown() -> None:
    code, x = run_json("explain", EXAMPLE_2024, "staff.advanced_workers", "--entity", "a10")
    d = title_check(x, "lao_dong_tien_tien", "a10")["derivation"]
    g = group_of(d, "a10")
    assert g["derived"] == "true" and g["recorded"]["state"] == "refused"
    assert g["finding"] == "override" and "không công nhận" in g["override_note"]
    assert g["finding_text"].startswith("Hội đồng quyết định khác tiêu chuẩn")
    # The CSTĐCS criterion reads the refused LĐTT: the override's note is in that reason too.
    code, y = run_json("explain", EXAMPLE_2024, "staff.emulation_fighters", "--entity", "a10")
    inner = group_of(title_check(y, "chien_si_thi_dua_co_so", "a10")["derivation"], "a10")
    lddt = next(c for c in inner["checks"] if c["name"] == "lao_dong_tien_tien")
    assert lddt["note"] == "council_override" and "không công nhận" in lddt["by"]
    assert group_of(lddt["derivation"], "a10")["finding"] == "override"


def test_2024_eligible_titles_wait_for_a_decision_without_a_cap() -> None:
    code, x = run_json("explain", EXAMPLE_2024, "staff.emulation_fighters")
    c = title_check(x, "chien_si_thi_dua_co_so", "a01")
    assert c["check"]["note"] == "eligible_pending" and c["check"]["outcome"] == "unknown"
    g = group_of(c["derivation"], "a01")
    assert g["derived"] == "true" and g["effective"] == "proposed" and g["finding"] == "unrecorded"
    assert g["quotas"] == []  # Law 06/2022 sets no cap: the candidates are not cut by a ratio
    tree = run_cli("explain", EXAMPLE_2024, "staff.emulation_fighters", env={"COLUMNS": "400"}).stdout
    assert "đủ điều kiện đề nghị theo tiêu chuẩn, chưa có quyết định" in tree
    assert "vượt giới hạn" not in tree


def test_derivation_groups_are_capped_like_the_tree() -> None:
    run = run_path(EXAMPLE_2024)
    j = find_judgement(run.evaluation.judgements, "staff.advanced_workers", Location("t"))
    assert run.derivation is not None
    x = explain(j, run.rules.files, run.derivation.facts, run.rules, limit=1, derivation=run.derivation)
    groups = [g for cg in x.groups for c in cg.checks if c.derivation is not None for g in c.derivation.groups]
    assert groups and all(len(g.entities) <= 1 and g.hidden == g.count - len(g.entities) for g in groups)
    assert any(g.hidden > 0 for g in groups)


@pytest.mark.parametrize("target", ["units.advanced", "staff.advanced_workers", "staff.emulation_fighters"])
def test_audit_explain_reruns_the_derivation_and_gives_the_same_tree(target: str, tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    assert run_cli("evaluate", EXAMPLE_2024, "--ledger", ledger).exit_code == 0
    now = json.loads(run_cli("explain", EXAMPLE_2024, target, "--format", "json").stdout)
    result = run_cli("audit", "explain", "last", target, "--ledger", ledger, "--format", "json")
    assert result.exit_code == 0, result.stdout
    past = json.loads(result.stdout)
    assert past.pop("run")["rerun"] == "same"
    assert past == now


def test_evaluate_reasons_say_eligible_not_earned() -> None:
    code, ev = run_json("evaluate", EXAMPLE_2024, "--no-record")
    status = {j["target"]: j["status"] for j in ev["judgements"]}
    assert set(status.values()) == {"pending"}
    workers = next(j for j in ev["judgements"] if j["target"] == "staff.advanced_workers")
    unknown = [r for r in workers["reasons"] if r["code"] == "entities.unknown"]
    eligible = [r for r in unknown if all(c["note"] == "eligible_pending" for c in r["checks"])]
    assert (
        eligible
        and "Lao động tiên tiến: đủ điều kiện đề nghị theo tiêu chuẩn, chưa có quyết định" in (eligible[0]["text"])
    )
    assert not any("có quyết định:" in r["text"] or "theo tiêu chuẩn →" in r["text"] for r in workers["reasons"])
    en = run_json("evaluate", EXAMPLE_2024, "--no-record", "--lang", "en")[1]
    assert "eligible to be proposed by the criteria, not decided" in json.dumps(en)


def test_recorded_titles_keep_their_wording() -> None:
    code, ev = run_json("evaluate", EXAMPLE_2022, "--no-record")
    soldiers = next(j for j in ev["judgements"] if j["target"] == "staff.emulation_soldiers")
    assert "có quyết định" in soldiers["reasons"][0]["text"]
    assert all(c["note"] is None for r in soldiers["reasons"] for c in r["checks"])


def test_evaluate_lists_the_2022_consistency_finding() -> None:
    code, ev = run_json("evaluate", EXAMPLE_2022, "--no-record")
    assert code == 0
    assert [
        (f["kind"], f["code"], f["target"], f["params"]["reported"], f["params"]["computed"]) for f in ev["findings"]
    ] == [
        ("consistency", "consistency.reported_count", "units.head_certificate", 2, 3),
    ]
    table = run_cli("evaluate", EXAMPLE_2022, "--no-record")
    assert table.exit_code == code
    assert "Phát hiện (1)" in table.stdout and "báo cáo ghi 2" in table.stdout and "cần làm" in table.stdout


def test_evaluate_lists_the_2024_derivation_findings_in_a_stable_order() -> None:
    code, ev = run_json("evaluate", EXAMPLE_2024, "--no-record")
    assert code == 0  # findings never change the exit code
    groups = [f for f in ev["findings"] if f["kind"] == "title"]  # per criterion and code: count, entities, more
    found = [(f["code"].rsplit(".", 1)[1], f["title"], e["entity"]) for f in groups for e in f["entities"]]
    assert all(f["count"] == len(f["entities"]) + f["more"] and f["more"] == 0 for f in groups)
    titles = [t for _, t, _ in found]
    assert titles == sorted(
        titles,
        key=[
            "lao_dong_tien_tien",
            "chien_si_thi_dua_co_so",
            "tap_the_lao_dong_tien_tien",
            "tap_the_lao_dong_xuat_sac",
        ].index,
    )
    assert ("override", "lao_dong_tien_tien", "a10") in found
    assert [e for c, t, e in found if t == "chien_si_thi_dua_co_so"] == ["a01", "a02", "a05"]
    assert all(c == "unrecorded" for c, t, e in found if e != "a10")
    assert all(f["action_text"] and all(e["text"] for e in f["entities"]) for f in groups)
    again = run_json("evaluate", EXAMPLE_2024, "--no-record")[1]
    assert again["findings"] == ev["findings"]
    en = run_cli("evaluate", EXAMPLE_2024, "--no-record", "--lang", "en").stdout
    assert f"Findings ({len(found)})" in en and "to do:" in en


def test_many_findings_of_one_kind_are_summarised_in_the_table() -> None:
    table = run_cli("evaluate", EXAMPLE_2024, "--no-record", "--format", "table").stdout
    flat = " ".join(table.split())
    assert (
        "8 trường hợp đủ điều kiện đề nghị Lao động tiên tiến theo tiêu chuẩn nhưng dữ kiện chưa ghi nhận quyết định "
        "(Nguyễn Thị Minh, Võ Thị Thanh Hương, Trương Văn Đức và 5 khác" in flat
    )
    assert "(a10) Kiều Văn Long: Hội đồng quyết định khác tiêu chuẩn" in flat  # a single finding keeps its own line


def test_a_large_population_stays_summarised(tmp_path: Path) -> None:
    """2,000 persons in 25 units: the derivation groups follow the profiles, not the persons."""
    import random
    import shutil

    shutil.copy(EXAMPLE_2024 / "targets.rules.yaml", tmp_path / "targets.rules.yaml")
    rnd = random.Random(7)
    units = [{"id": f"u{i}", "name": f"Phòng {i}", "rating": "hoan_thanh_tot"} for i in range(25)]
    persons = [
        {
            "id": f"p{i}",
            "name": f"Người {i}",
            "unit": f"u{i % 25}",
            "rating": rnd.choice(["hoan_thanh", "hoan_thanh_tot", "hoan_thanh_xuat_sac"]),
            "recruited_on": rnd.choice(["2001-01-01", "2024-07-01", "2024-09-15"]),
            "discipline": "khong",
            "transferred": False,
            "initiative": rnd.random() < 0.2,
            "research_topic": False,
        }
        for i in range(2000)
    ]
    (tmp_path / "r.facts.json").write_text(
        json.dumps({"period": 2024, "entities": {"unit": units, "person": persons}}, ensure_ascii=False),
        encoding="utf-8",
    )
    tree = run_cli("explain", tmp_path, "staff.emulation_fighters", env={"COLUMNS": "120"})
    assert tree.exit_code == 0, tree.stderr
    assert len(tree.stdout.splitlines()) < 600
    assert "đối tượng khác" in tree.stdout
    code, x = run_json("explain", tmp_path, "staff.emulation_fighters", "--entity", "p5")
    groups = [g for cg in x["groups"] for c in cg["checks"] if c["derivation"] for g in c["derivation"]["groups"]]
    assert len(groups) == 1 and groups[0]["entities"][0]["id"] == "p5"
    code, ev = run_json("evaluate", tmp_path, "--no-record")
    unrecorded = [f for f in ev["findings"] if f["code"] == "criteria.finding.unrecorded"]
    assert unrecorded and all(len(f["entities"]) == min(25, f["count"]) for f in unrecorded)
    assert all(f["more"] == f["count"] - len(f["entities"]) and "ids" not in f for f in unrecorded)
    assert any(f["more"] > 0 for f in unrecorded)  # summarised: the first 25 in full, the count of the rest
    code, full = run_json("evaluate", tmp_path, "--no-record", "--all")
    for short, long in zip(
        unrecorded, (f for f in full["findings"] if f["code"] == "criteria.finding.unrecorded"), strict=True
    ):
        assert len(long["ids"]) == long["count"] == short["count"]
        assert long["ids"][:25] == [e["entity"] for e in short["entities"]]
