"""thidua pledge: a sentence for every rule file the language accepts, never exit 3, never another
meaning; and the round trip pledge -> draft --use <folder> -> the same targets, for every example
folder and for generated targets over generated kinds of agency (hypothesis)."""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from tests.e2e.process import run_thidua
from thidua.rules.drafting.basis import load_source
from thidua.rules.drafting.check import compare, load_text
from thidua.rules.drafting.draft import draft_text
from thidua.rules.drafting.emit import rule_file
from thidua.rules.drafting.pledge import pledge_sentences
from thidua.rules.drafting.sentences import parse_period
from thidua.rules.errors import UserError
from thidua.rules.loader import load_rules
from thidua.rules.ruleset import RuleSet

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    result = run_thidua(*args, cwd=ROOT)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def _repository_rule_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "*.rules.yaml", "rules/packs/*.yaml", "examples/*.yaml", "tests/data/pledges/*.yaml"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    ).stdout.split()  # fmt: skip
    return sorted(f for f in listed if not f.endswith((".facts.yaml", ".tests.yaml")))


def _accepted(path: Path) -> bool:
    try:
        load_rules([path], path.parent)
    except UserError:
        return False
    return True


@pytest.mark.parametrize("name", _repository_rule_files())
def test_pledge_never_fails_on_a_rule_file_of_the_repository(name: str) -> None:
    """Exit 0 on every file the language accepts; a file it refuses (a block file, a fuzz case) gets
    its located problems, exit 2, never an internal error."""
    result = run("pledge", name)
    assert result.returncode == (0 if _accepted(ROOT / name) else 2), result.stdout + result.stderr


# --- what pledge got wrong --------------------------------------------------------------------

SCHOOL = ROOT / "tests" / "data" / "pledges" / "truong-thcs" / "khai-bao.yaml"
TOWN = ROOT / "tests" / "data" / "pledges" / "thi-tran" / "khai-bao.yaml"


def _rules(tmp_path: Path, declarations: Path, targets: list[dict[str, Any]]) -> RuleSet:
    (tmp_path / declarations.name).write_text(declarations.read_text(encoding="utf-8"), encoding="utf-8")
    data = {"version": 1, "use": [declarations.name], "targets": targets}
    (tmp_path / "t.rules.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_rules([tmp_path / "t.rules.yaml"], tmp_path)


def _target(ident: str, title: str, measure: dict[str, Any], require: dict[str, Any] | None = None) -> dict[str, Any]:
    out = {"id": ident, "title": title, "measure": measure}
    if require is not None:
        out["require"] = require
    return out


def test_pledge_says_the_cases_it_got_wrong(tmp_path: Path) -> None:
    school = _rules(
        tmp_path,
        SCHOOL,
        [
            _target(
                "either",
                "Phấn đấu",
                {"share": {"of": "person", "matching": {"any": [{"has_title": "LĐTT"}, {"has_title": "CSTĐCS"}]}}},
                {"gt": "90%"},
            ),
            _target(
                "cap",
                "CSTĐCS",
                {"share": {"of": "person", "where": {"has_title": "LĐTT"}, "matching": {"has_title": "CSTĐCS"}}},
                {"lte": "15%"},
            ),
            _target(
                "conduct",
                "Học sinh",
                {"share": {"of": "student", "matching": {"attr": "conduct", "eq": "kha"}}},
                {"gte": "40%"},
            ),
            _target(
                "rank",
                "Trường xếp thứ 12/30",
                {"value": {"of": "organization", "attribute": "contest_rank", "better": "lower"}},
                {"lte": 12},
            ),
        ],
    )
    said = dict(pledge_sentences(school))
    assert said["either"] == (
        "Phấn đấu có trên 90% công chức, người lao động đạt danh hiệu “Lao động tiên tiến” hoặc “Chiến sĩ thi đua cơ sở”"
    )
    assert said["cap"].endswith("không quá 15% số cá nhân đạt danh hiệu “Lao động tiên tiến”")
    assert said["conduct"] == "Phấn đấu có từ 40% trở lên học sinh đạt xếp loại hạnh kiểm “Khá”"
    assert said["rank"] == "Trường xếp thứ 12 trở lên về thứ hạng thi học sinh giỏi cấp huyện"
    (tmp_path / "town").mkdir()
    town = _rules(
        tmp_path / "town",
        TOWN,
        [
            _target("orgs", "Các đoàn thể", {"level": {"of": "mass_org", "attribute": "rating", "entity": "mttq"}}, {"gte": "vung_manh"}),
            _target("all", "Đoàn thể", {"share": {"of": "mass_org", "matching": {"attr": "rating", "at_least": "vung_manh_xuat_sac"}}}, {"gte": "50%"}),
        ],
    )  # fmt: skip
    said = dict(pledge_sentences(town))
    # the town's own scale, not the level of the same index on the civil servants' scale
    assert said["orgs"] == "Đoàn thể có mã “mttq” đạt xếp loại “Vững mạnh” trở lên"
    assert said["all"] == "Phấn đấu có từ 50% trở lên đoàn thể đạt xếp loại “Vững mạnh xuất sắc” trở lên"


# --- the round trip over every example folder ------------------------------------------------

FOLDERS = sorted(
    {str(Path(f).parent) for f in _repository_rule_files() if f.startswith(("examples/", "tests/data/pledges/"))}
    - {"examples/khoi-thi-dua-so-6"}  # the block's own file and pledge: members use it, it is no agency
)


@pytest.mark.parametrize("folder", FOLDERS)
def test_pledge_then_draft_with_the_folder_gives_back_the_same_targets(folder: str) -> None:
    path = ROOT / folder
    files = sorted(path.glob("*.rules.yaml"))
    if not files or not all(_accepted(f) for f in files):
        pytest.fail(f"{folder}: its rule files do not load")
    rules = load_rules(files, path)
    assert _round_trip(rules, str(path)) == []


def _round_trip(rules: RuleSet, use: str) -> list[Any]:
    """The differences in meaning between `rules` and the draft of its pledge (the folder as vocabulary)."""
    text = "".join(f"- {sentence}.\n" for _ident, sentence in pledge_sentences(rules))
    source = load_source(use)
    draft = draft_text(text, source.rules)
    assert draft.unrecognised.get(None, []) == [], [(u.clause, u.reason) for u in draft.unrecognised[None]]
    period = parse_period(rules.period)
    basis = source.basis(None, period)
    drafted = load_text(rule_file(draft, None, basis, "pledge", written_period=period), uses=basis.use)
    return [(d.kind, d.draft, d.rules, d.detail) for d in compare(drafted, rules)]


# --- every example's pledge text, drafted with its folder as vocabulary ------------------------

# (pledge text, agency folder whose targets it states): `draft TEXT --use FOLDER --check` finds no
# difference in meaning. The 2023 targets are left out: that file counts a proposed award as held,
# which the report's 2023 pledge does not say yet (test_draft.py). The invented agencies' pledges:
# test_draft_forms.py.
PLEDGE_TEXTS = [
    ("examples/ban-dan-toc-binh-phuoc/bao-cao-2022.txt", "examples/ban-dan-toc-binh-phuoc/2022"),
    ("examples/so-van-hoa-mau/dang-ky-2024.txt", "examples/so-van-hoa-mau/2024"),
    ("examples/ubnd-xa-mau/dang-ky-2024.txt", "examples/ubnd-xa-mau/2024"),
    ("examples/van-phong-huyen-uy-mau/dang-ky-2024.txt", "examples/van-phong-huyen-uy-mau/2024"),
    *(
        ("examples/khoi-thi-dua-so-6/giao-uoc-khoi.txt", f"examples/khoi-thi-dua-so-6/{member}")
        for member in ("ban-quan-ly-kcn", "so-ngoai-vu", "so-noi-vu", "so-tu-phap", "thanh-tra-tinh", "van-phong-doan-dbqh")
    ),
]  # fmt: skip


def test_every_pledge_text_of_the_repository_is_checked() -> None:
    listed = subprocess.run(
        ["git", "ls-files", "examples/*.txt"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.split()  # fmt: skip
    assert sorted(listed) == sorted({text for text, _folder in PLEDGE_TEXTS})


@pytest.mark.parametrize(("text", "folder"), PLEDGE_TEXTS, ids=[f for _t, f in PLEDGE_TEXTS])
def test_an_examples_pledge_text_drafts_to_its_targets_with_no_difference(text: str, folder: str) -> None:
    files = sorted((ROOT / folder).glob("*.rules.yaml"))
    assert len(files) == 1, files
    result = run("draft", text, "--use", folder, "--check", str(files[0].relative_to(ROOT)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 khác biệt" in result.stdout


# --- generated kinds of agency and targets -----------------------------------------------------

KIND_NAMES = ["Học sinh", "Giáo viên", "Đảng viên", "Hội viên", "Tổ dân phố", "Chi hội", "Hợp tác xã", "Nhân viên y tế"]
SCALES = [
    ["Yếu", "Trung bình", "Khá", "Giỏi"],
    ["Chưa vững mạnh", "Vững mạnh", "Vững mạnh xuất sắc"],
    ["Loại C", "Loại B", "Loại A"],
    ["Kém", "Trung bình", "Tốt", "Xuất sắc"],
]
SCALE_LABELS = ["Hạnh kiểm", "Học lực", "Xếp loại thi đua", "Đánh giá năm"]
FLAG_LABELS = ["Thuộc diện hộ nghèo", "Mới kết nạp", "Nữ", "Người dân tộc thiểu số"]
NUMBER_LABELS = [("Thứ hạng trong cụm", "lower"), ("Điểm thi đua", "higher"), ("Số ngày nghỉ", "lower")]
TITLE_NAMES = [
    "Lao động giỏi",
    "Gương điển hình tiêu biểu",
    "Học sinh tiêu biểu",
    "Chi hội vững mạnh",
    "Tập thể xuất sắc",
]
AWARDS = ["Giấy khen của Chủ tịch Hội", "Bằng khen của Ban Chấp hành"]


@st.composite
def agencies(draw: st.DrawFn, wide: bool = False) -> dict[str, Any]:
    """Declarations of an invented agency: 1-3 kinds, each with scale, yes/no and number attributes
    (`wide`: also text and date attributes, which pledge says and draft does not read)."""
    names = draw(st.lists(st.sampled_from(KIND_NAMES), min_size=1, max_size=3, unique=True))
    scales, kinds = [], []
    for i, name in enumerate(names):
        attributes: list[dict[str, Any]] = []
        for j, label in enumerate(draw(st.lists(st.sampled_from(SCALE_LABELS), max_size=2, unique=True))):
            levels = draw(st.sampled_from(SCALES))
            scale = f"s{i}_{j}"
            scales.append(
                {"id": scale, "title": label, "levels": [{"id": f"l{n}", "label": x} for n, x in enumerate(levels)]}
            )
            attributes.append({"id": f"a{j}", "label": label, "scale": scale})
        for j, label in enumerate(draw(st.lists(st.sampled_from(FLAG_LABELS), max_size=1))):
            attributes.append({"id": f"f{j}", "label": label, "type": "boolean"})
        for j, (label, _better) in enumerate(draw(st.lists(st.sampled_from(NUMBER_LABELS), max_size=1))):
            attributes.append({"id": f"n{j}", "label": label, "type": "integer"})
        if wide:
            attributes.append({"id": "d0", "label": "Ngày vào làm", "type": "date"})
            attributes.append({"id": "x0", "label": "Ghi chú nghề", "type": "text"})
        kinds.append({"id": f"k{i}", "title": name, "attributes": attributes})
    titles = []
    for j, name in enumerate(
        draw(st.lists(st.sampled_from(TITLE_NAMES + AWARDS), min_size=1, max_size=3, unique=True))
    ):
        holders = draw(st.lists(st.sampled_from([k["id"] for k in kinds]), min_size=1, unique=True))
        titles.append(
            {"id": f"t{j}", "title": name, "holders": holders, **({"category": "award"} if name in AWARDS else {})}
        )
    return {"version": 1, "scales": scales, "kinds": kinds, "titles": titles}  # fmt: skip


def _title_test(draw: st.DrawFn, titles: list[dict[str, Any]]) -> dict[str, Any]:
    picked = draw(st.lists(st.sampled_from(titles), min_size=1, max_size=2, unique_by=lambda t: t["id"]))
    conds = [{"has_title": t["id"]} for t in picked]
    return conds[0] if len(conds) == 1 else {"any": conds}


def _level_test(draw: st.DrawFn, agency: dict[str, Any], attr: dict[str, Any]) -> dict[str, Any]:
    size = len(next(s for s in agency["scales"] if s["id"] == attr["scale"])["levels"])
    op = draw(st.sampled_from(["at_least", "at_most", "eq"]))
    return {"attr": attr["id"], op: f"l{draw(st.integers(0, size - 1))}"}


@st.composite
def targets(draw: st.DrawFn, agency: dict[str, Any]) -> dict[str, Any]:
    """A target over the agency's kinds in a shape pledge says and draft reads back."""
    kind = draw(st.sampled_from(agency["kinds"]))
    titles = [t for t in agency["titles"] if kind["id"] in t["holders"]]
    scales = [a for a in kind["attributes"] if "scale" in a]
    flags = [a for a in kind["attributes"] if a.get("type") == "boolean"]
    numbers = [a for a in kind["attributes"] if a.get("type") == "integer"]
    shapes = [("count", "share", "holds", "share_of")] if titles else []
    shapes += [("count_level", "share_level", "level", "level_sum")] if scales else []
    shapes += [("flag_count", "flag_share")] if flags else []
    shapes += [("value",)] if numbers else []
    assume(shapes)
    shape = draw(st.sampled_from(draw(st.sampled_from(shapes))))
    event(shape)
    n = draw(st.integers(1, 40))
    percent = f"{draw(st.integers(1, 100))}%"
    of = kind["id"]
    flag = {"attr": flags[0]["id"], "eq": True} if flags and draw(st.booleans()) else None
    if shape in ("count", "count_level"):
        op = draw(st.sampled_from(["gt", "gte", "lte", "between"]))
        require: dict[str, Any] = {"between": [n, n + 3]} if op == "between" else {op: n}
        test = (
            _title_test(draw, titles) if shape == "count" else _level_test(draw, agency, draw(st.sampled_from(scales)))
        )
        where = {"all": [flag, test]} if flag else test
        return _target("x.count", "Có", {"count": {"of": of, "where": where}}, require)
    if shape in ("share", "share_level", "share_of"):
        test = (
            _level_test(draw, agency, draw(st.sampled_from(scales)))
            if shape == "share_level"
            else _title_test(draw, titles)
        )
        share: dict[str, Any] = {"of": of, "matching": test}
        if shape == "share_of":
            share["where"] = {"has_title": draw(st.sampled_from(titles))["id"]}
        elif flag:
            share["where"] = flag
        share["unknown"] = draw(st.sampled_from(["pending", "exclude", "not_matching"]))
        return _target("x.share", "Tỷ lệ", {"share": share}, {draw(st.sampled_from(["gt", "gte", "lte"])): percent})
    if shape == "level_sum":
        attr = draw(st.sampled_from(scales))
        size = len(next(s for s in agency["scales"] if s["id"] == attr["scale"])["levels"])
        levels = draw(st.lists(st.integers(0, size - 1), min_size=2, max_size=size, unique=True))
        parts = [{"share": {"of": of, "matching": {"attr": attr["id"], "eq": f"l{i}"}}} for i in levels]
        return _target("x.sum", "Tỷ lệ", {"sum": parts}, {"gte": percent})
    if shape == "flag_share":
        return _target(
            "x.flags",
            "Tỷ lệ",
            {"share": {"of": of, "matching": {"attr": flags[0]["id"], "eq": True}}},
            {"lte": percent},
        )
    if shape == "flag_count":
        op = draw(st.sampled_from(["gte", "lte", "between"]))
        require = {"between": [n, n + 3]} if op == "between" else {op: n}
        return _target("x.flagc", "Có", {"count": {"of": of, "where": {"attr": flags[0]["id"], "eq": True}}}, require)
    if shape == "holds":
        return _target("x.holds", "Đạt", {"holds": {"of": of, "condition": _title_test(draw, titles)}})
    if shape == "level":
        attr = draw(st.sampled_from(scales))
        test = _level_test(draw, agency, attr)
        return _target(
            "x.level",
            "Đạt",
            {"level": {"of": of, "attribute": attr["id"]}},
            {draw(st.sampled_from(["gte", "lte"])): next(iter(v for k, v in test.items() if k != "attr"))},
        )
    attr = numbers[0]
    better = next(b for label, b in NUMBER_LABELS if label == attr["label"])
    op = draw(st.sampled_from(["lte", "between"] if better == "lower" else ["gte", "gt", "between"]))
    require = {"between": [n, n + 5]} if op == "between" else {op: n}
    return _target("x.value", "Giá trị", {"value": {"of": of, "attribute": attr["id"], "better": better}}, require)  # fmt: skip


@cache
def _workspace() -> Path:
    import tempfile

    return Path(tempfile.mkdtemp(prefix="thidua-roundtrip-"))


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_generated_targets_over_generated_kinds_come_back_the_same(data: st.DataObject) -> None:
    agency = data.draw(agencies())
    drawn = data.draw(st.lists(targets(agency), min_size=1, max_size=4))
    folder = _workspace() / f"a{abs(hash(repr((agency, drawn))))}"
    folder.mkdir(exist_ok=True)
    for i, target in enumerate(drawn):
        target["id"] = f"t{i}.{target['id'].split('.')[1]}"
    (folder / "khai-bao.yaml").write_text(yaml.safe_dump(agency, allow_unicode=True), encoding="utf-8")
    body = {"version": 1, "use": ["khai-bao.yaml"], "targets": drawn}
    (folder / "chi-tieu.rules.yaml").write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    rules = load_rules([folder / "chi-tieu.rules.yaml"], folder)  # the generator writes only valid files
    assert _round_trip(rules, str(folder)) == []


# --- anything the language accepts: the same meaning or listed as not read, never another ------------


def _any_test(draw: st.DrawFn, agency: dict[str, Any], kind: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    """Any condition on an entity of `kind`: every comparison of every attribute type, titles in any
    state, all/any/not nested."""
    titles = [t for t in agency["titles"] if kind["id"] in t["holders"]]
    options = ["title"] if titles else []
    options += ["attr"] if kind["attributes"] else []
    options += ["all", "any", "not"] if depth < 2 and options else []
    assume(options)
    pick = draw(st.sampled_from(options))
    if pick == "title":
        test: dict[str, Any] = {"has_title": draw(st.sampled_from(titles))["id"]}
        if draw(st.booleans()):
            test["state"] = draw(st.sampled_from(["decided", "proposed", "any"]))
        return test
    if pick in ("all", "any"):
        return {
            pick: draw(
                st.lists(st.deferred(lambda: st.just(None)), min_size=1, max_size=2).map(
                    lambda xs: [_any_test(draw, agency, kind, depth + 1) for _ in xs]
                )
            )
        }
    if pick == "not":
        return {"not": _any_test(draw, agency, kind, depth + 1)}
    attr = draw(st.sampled_from(kind["attributes"]))
    if "scale" in attr:
        size = len(next(s for s in agency["scales"] if s["id"] == attr["scale"])["levels"])
        op = draw(st.sampled_from(["eq", "neq", "gt", "gte", "lt", "lte", "at_least", "at_most", "in"]))
        levels = [f"l{i}" for i in range(size)]
        value: Any = (
            draw(st.lists(st.sampled_from(levels), min_size=1, max_size=size, unique=True))
            if op == "in"
            else draw(st.sampled_from(levels))
        )
        return {"attr": attr["id"], op: value}
    if attr["type"] == "boolean":
        return {"attr": attr["id"], draw(st.sampled_from(["eq", "neq"])): draw(st.booleans())}
    if attr["type"] == "integer":
        return {"attr": attr["id"], draw(st.sampled_from(["eq", "gt", "gte", "lt", "lte"])): draw(st.integers(0, 99))}
    if attr["type"] == "date":
        return {"attr": attr["id"], draw(st.sampled_from(["gte", "lt"])): "2023-06-01"}
    return {"attr": attr["id"], draw(st.sampled_from(["eq", "neq"])): draw(st.sampled_from(["Bác sĩ", "Y tá"]))}  # fmt: skip


@st.composite
def any_targets(draw: st.DrawFn, agency: dict[str, Any]) -> dict[str, Any]:
    kind = draw(st.sampled_from(agency["kinds"]))
    of = kind["id"]
    scales = [a for a in kind["attributes"] if "scale" in a]
    numbers = [a for a in kind["attributes"] if a.get("type") == "integer"]
    shape = draw(
        st.sampled_from(
            ["count", "share", "holds", "sum_count", "sum_share"] + ["level"] * bool(scales) + ["value"] * bool(numbers)
        )
    )
    event(shape)
    op = draw(st.sampled_from(["gt", "gte", "lt", "lte", "eq", "between"]))
    n = draw(st.integers(0, 30))
    entity = {"entity": "e1"} if draw(st.booleans()) else {}
    out: dict[str, Any] = {"id": "t.any", "title": "Chỉ tiêu", "count_proposed": draw(st.booleans())}
    if shape in ("count", "sum_count"):
        body = {"of": of, **({"where": _any_test(draw, agency, kind)} if draw(st.booleans()) else {})}
        out["measure"] = (
            {"count": body}
            if shape == "count"
            else {"sum": [{"count": body}, {"count": {"of": of, "where": _any_test(draw, agency, kind)}}]}
        )
        out["require"] = {"between": [n, n + 2]} if op == "between" else {op: n}
    elif shape in ("share", "sum_share"):
        share = {"of": of, "unknown": draw(st.sampled_from(["pending", "exclude", "not_matching"]))}
        if draw(st.booleans()):
            share["where"] = _any_test(draw, agency, kind)
        parts = [
            {"share": {**share, "matching": _any_test(draw, agency, kind)}}
            for _ in range(2 if shape == "sum_share" else 1)
        ]
        out["measure"] = {"sum": parts} if shape == "sum_share" else parts[0]
        out["require"] = {"between": ["10%", "60%"]} if op == "between" else {op: f"{n * 3}%"}
    elif shape == "holds":
        out["measure"] = {"holds": {"of": of, "condition": _any_test(draw, agency, kind), **entity}}
        out["require"] = {"eq": draw(st.booleans())}
    elif shape == "level":
        attr = draw(st.sampled_from(scales))
        size = len(next(s for s in agency["scales"] if s["id"] == attr["scale"])["levels"])
        levels = sorted(draw(st.lists(st.integers(0, size - 1), min_size=2, max_size=2, unique=True)))
        out["measure"] = {"level": {"of": of, "attribute": attr["id"], **entity}}
        out["require"] = {"between": [f"l{levels[0]}", f"l{levels[1]}"]} if op == "between" else {op: f"l{levels[0]}"}
    else:
        better = draw(st.sampled_from(["higher", "lower"]))
        allowed = {"higher": ["gt", "gte", "eq", "between"], "lower": ["lt", "lte", "eq", "between"]}[better]
        op = draw(st.sampled_from(allowed))
        out["measure"] = {"value": {"of": of, "attribute": numbers[0]["id"], "better": better, **entity}}
        out["require"] = {"between": [n, n + 4]} if op == "between" else {op: n}
    return out  # fmt: skip


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_target_pledges_to_its_meaning_or_to_a_sentence_the_draft_refuses(data: st.DataObject) -> None:
    """pledge says every target the language accepts without failing; the draft reads each sentence
    back to the same meaning or lists it as not read, with the reason: never another target."""
    agency = data.draw(agencies(wide=True))
    target = data.draw(any_targets(agency))
    folder = _workspace() / f"w{abs(hash(repr((agency, target))))}"
    folder.mkdir(exist_ok=True)
    (folder / "khai-bao.yaml").write_text(yaml.safe_dump(agency, allow_unicode=True), encoding="utf-8")
    body = {"version": 1, "use": ["khai-bao.yaml"], "targets": [target]}
    (folder / "chi-tieu.rules.yaml").write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    try:
        rules = load_rules([folder / "chi-tieu.rules.yaml"], folder)
    except UserError:
        assume(False)  # e.g. a share's parts over different populations: the language refuses it
        return
    [(_ident, sentence)] = pledge_sentences(rules)
    source = load_source(str(folder))
    draft = draft_text(f"- {sentence}.\n", source.rules)
    if draft.unrecognised.get(None):
        assert not draft.targets.get(None), sentence
        event("not read")
        return
    event("read")
    basis = source.basis(None, None)
    drafted = load_text(rule_file(draft, None, basis, "pledge"), uses=basis.use)
    assert compare(drafted, rules) == [], sentence
