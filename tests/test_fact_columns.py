"""Facts read straight into columns equal the positioned reader's, value by value and place by place;
whatever that pass does not take goes to the positioned reader, which words and locates it as always."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from thidua.evaluator.facts.columns import Fallback, plain_json, plain_yaml
from thidua.evaluator.facts.inputs import discover
from thidua.evaluator.facts.reader import FactBase, FilePositions, load_columns, load_facts, load_positioned
from thidua.evaluator.facts.table import MISSING, Table
from thidua.rules.errors import UserError
from thidua.rules.loader import load_rules
from thidua.rules.ruleset import RuleSet
from thidua.rules.source import read_yaml_text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from province import RULES, roster  # noqa: E402

FOLDERS = sorted(p.parent for p in (ROOT / "examples").rglob("*.rules.yaml") if list(p.parent.glob("*.facts.*")))
SEED = ROOT / "examples" / "ban-dan-toc-binh-phuoc" / "2022"


def _rows(table: Table) -> list[dict[str, Any]]:
    """Everything a table says of each row, read through its public accessors."""
    out = []
    for r in range(len(table)):
        e = table.entity(r)
        out.append(
            {
                "id": table.ids[r],
                "name": table.names[r],
                "attrs": {a: c.value(r) for a, c in table.attrs.items() if c.value(r) != MISSING},
                "titles": {t: c.value(r) for t, c in table.titles.items()},
                "note": table.notes.get(r),
                "entity": e,
                "location": table.location(r),
                "value_locations": {a: table.value_location(a, r) for a in e.values},
                "holding_locations": {t: table.holding_location(t, r) for t in e.holdings},
            }
        )
    return out


def assert_same_facts(fast: FactBase, slow: FactBase, rules: RuleSet) -> None:
    assert fast.digest == slow.digest
    assert fast.files == slow.files
    assert fast.period == slow.period
    assert set(fast.kinds) == set(slow.kinds)
    for kind in rules.kinds:
        a, b = fast.table(kind), slow.table(kind)
        assert a.ids == b.ids
        assert _rows(a) == _rows(b)
        assert fast.of(kind) == slow.of(kind)


def _both(paths: list[Path], rules: RuleSet, base: Path) -> tuple[FactBase, FactBase]:
    fast = load_columns(paths, rules, base)
    assert fast is not None, "the columnar pass fell back on good facts"
    assert not any(e for e in fast._entities.values()), "entities were built on the good path"
    return fast, load_positioned(paths, rules, base)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.relative_to(ROOT / "examples").as_posix())
def test_every_example_reads_the_same_into_columns(folder: Path) -> None:
    inputs = discover(folder)
    rules = load_rules(inputs.rules, inputs.base)
    fast, slow = _both(list(inputs.facts), rules, inputs.base)
    assert_same_facts(fast, slow, rules)


def test_the_example_workbook_reads_the_same_into_columns() -> None:
    rules = load_rules([SEED / "targets.rules.yaml"], SEED)
    fast, slow = _both([SEED / "excel" / "roster.facts.xlsx"], rules, SEED)
    assert_same_facts(fast, slow, rules)
    assert fast.table("person").location(0).sheet is not None  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def seed_rules() -> RuleSet:
    return load_rules([RULES], RULES.parent)


@pytest.mark.parametrize("variant", [{}, {"recorded": False}, {"recorded": False, "missing": 0.05}])
@pytest.mark.parametrize("form", ["json", "compact json", "yaml"])
def test_generated_rosters_read_the_same(
    tmp_path: Path, seed_rules: RuleSet, variant: dict[str, Any], form: str
) -> None:
    data = roster(400, 3, **variant)
    path = tmp_path / f"roster.facts.{form.split()[-1]}"
    if form == "json":
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    elif form == "compact json":  # one line, as bench/province.py writes it
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    fast, slow = _both([path], seed_rules, tmp_path)
    assert_same_facts(fast, slow, seed_rules)


NAMED = """\
period: 2022
entities:
  Phòng:
    - {id: u1, name: Phòng Tổ chức, rating: Hoàn thành tốt nhiệm vụ}
    - {id: 010, name: Phòng 010, rating: HTXSNV}
  Cá nhân:
    - {id: p1, name: An, unit: Phòng Tổ chức, rating: HTTNV, recruited_on: 14/01/2015, initiative: yes,
       union_member: có, titles: [LĐTT, {title: Chiến sĩ thi đua cơ sở, state: proposed, awaiting: Hội đồng}]}
    - {id: p2, unit: u1, rating: {awaiting: Đảng ủy, provisional: hoàn thành tốt nhiệm vụ}, recruited_on: 2015-01-14,
       initiative: false, note: "chuyển đến\\x1b", titles: [{title: lao_dong_tien_tien, decision: QĐ 12, note: x}]}
    - {id: 3, unit: "010", rating: ~, union_member: no, union_grade: ~, titles: []}
    - {id: p4, unit: "010", rating: hoan_thanh, recruited_on: 2016-03-01T08:00:00}
"""


def test_names_aliases_awaited_values_and_numbers_as_written(tmp_path: Path, seed_rules: RuleSet) -> None:
    path = tmp_path / "named.facts.yaml"
    path.write_text(NAMED, encoding="utf-8")
    fast, slow = _both([path], seed_rules, tmp_path)
    assert_same_facts(fast, slow, seed_rules)
    people = fast.table("person")
    assert people.ids == ["p1", "p2", "3", "p4"]
    assert people.attrs["unit"].value(0) == "u1" and people.attrs["unit"].value(2) == "010"  # `010` as written
    assert fast.of("person")[1].values["rating"].by == "Đảng ủy"
    assert fast.of("person")[0].values["initiative"] == 1  # yes stays text, which a boolean reads
    # the same facts in JSON
    data = read_yaml_text(NAMED, "x.yaml")
    data["entities"]["Phòng"][1]["id"] = "010"
    data["entities"]["Cá nhân"][3]["recruited_on"] = "2016-03-01"
    as_json = tmp_path / "named.facts.json"
    as_json.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    fast, slow = _both([as_json], seed_rules, tmp_path)
    assert_same_facts(fast, slow, seed_rules)


def test_a_csv_roster_reads_the_same(tmp_path: Path, seed_rules: RuleSet) -> None:
    with open(tmp_path / "ca-nhan.facts.csv", "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            ["Mã", "Họ và tên", "Phòng", "Xếp loại", "Ngày tuyển dụng", "Sáng kiến được công nhận", "Danh hiệu"]
        )
        out.writerow(["p1", "An", "u1", "Hoàn thành tốt nhiệm vụ", "14/01/2015", "có", "Lao động tiên tiến"])
        out.writerow(["p2", "Bình", "u1", "Chờ Đảng ủy xét (tự đánh giá: HTXSNV)", "", "không", ""])
        out.writerow(
            ["p3", "Chi", "u1", "", "2015-01-14", "", "Lao động tiên tiến (đề nghị, chờ Hội đồng); gia_dinh_van_hoa"]
        )
    (tmp_path / "units.facts.yaml").write_text("entities:\n  unit: [{id: u1, name: P1}]\n", encoding="utf-8")
    paths = sorted(tmp_path.glob("*.facts.*"))
    fast, slow = _both(paths, seed_rules, tmp_path)
    assert_same_facts(fast, slow, seed_rules)
    assert fast.table("person").location(1).line == 3  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "v: !!python/object:os.system x\n",
        "v: !thing x\n",
        "a: &x [1, 2]\nb: *x\n",
        "v: .nan\n",
        "v: 1234567890123456789012345678901\n",
        "v: 1\nv: 2\n",
        "? [a]\n: 1\n",
    ],
)
def test_yaml_the_fast_pass_does_not_take(text: str) -> None:
    with pytest.raises(Fallback):
        plain_yaml(text, "x.yaml")


@pytest.mark.parametrize(
    "text", ["010", "08", "yes", "no", "on", "off", "true", "1:30", "1_000", "~", "2022-12-31", "'02'", "1e3"]
)
def test_yaml_scalars_read_as_the_positioned_reader_reads_them(text: str) -> None:
    fast, slow = plain_yaml(f"v: {text}\n", "x.yaml")["v"], read_yaml_text(f"v: {text}\n", "x.yaml")["v"]
    assert fast == slow and type(fast) is type(slow) and str(fast) == str(slow)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',
        '{"a": "x\\"", "b": {"a": [1], "a": 2}}',
        '{"v": NaN}',
        '{"v": "\\ud800"}',
        "[1, 2",
    ],
)
def test_json_the_fast_pass_does_not_take(text: str) -> None:
    with pytest.raises(Fallback):
        plain_json(text)


def test_an_integer_past_64_bits_is_read_exactly_by_the_positioned_reader(tmp_path: Path, seed_rules: RuleSet) -> None:
    path = tmp_path / "x.facts.json"
    path.write_text('{"entities": {"person": [{"id": "p1", "initiatives_two_years": 123456789012345678901234}]}}')
    assert load_columns([path], seed_rules, tmp_path) is None  # orjson would read it as a float
    facts = load_facts([path], seed_rules, tmp_path)
    assert facts.of("person")[0].values["initiatives_two_years"] == 123456789012345678901234


def test_json_entities_are_placed_without_reading_the_file_positioned(tmp_path: Path, seed_rules: RuleSet) -> None:
    text = (
        '{"source": {"x": [{"y": "[{"}]}, "entities": {\n "unit": [{"id": "u1", "name": "{ [ \\"q\\" ]"}],\n'
        ' "Cá nhân": [\n  {"id": "p1", "unit": "u1"}, {"id": "p2",\n "unit": "u1"},\n\t{"id": "Ấp {"}]}}'
    )
    path = tmp_path / "x.facts.json"
    path.write_text(text, encoding="utf-8")
    fast, slow = _both([path], seed_rules, tmp_path)
    assert_same_facts(fast, slow, seed_rules)
    plain = tmp_path / "plain.facts.json"
    plain.write_text(text.replace('\\"q\\"', "q"), encoding="utf-8")
    fast = load_columns([plain], seed_rules, tmp_path)
    assert fast is not None
    people = fast.table("person")
    assert [people.location(r) for r in range(3)] == [
        e.loc for e in load_positioned([plain], seed_rules, tmp_path).of("person")
    ]
    assert isinstance(people.positions, FilePositions) and not people.positions.read


def test_json_strings_with_escapes_are_made_visible(tmp_path: Path, seed_rules: RuleSet) -> None:
    data = {"entities": {"person": [{"id": "p\\u001b1", "name": "A\u202eB", "note": 'say "hi"'}]}}
    path = tmp_path / "x.facts.json"
    path.write_text(json.dumps(data).replace("\\\\u001b", "\\u001b"), encoding="utf-8")
    fast, slow = _both([path], seed_rules, tmp_path)
    assert_same_facts(fast, slow, seed_rules)
    assert fast.table("person").ids == ["p\\x1b1"]


@pytest.mark.parametrize(
    "text",
    [
        '{"entities": {"person": [{"id": "p1", "rating": "great"}]}}',
        '{"entities": {"person": [{"id": "p1", "unit": "nowhere"}]}}',
        '{"entities": {"person": [{"id": "p1"}, {"id": "p1"}]}}',
        '{"entities": {"person": [{"id": "p1", "id": "p2"}]}}',
        '{"entities": {"person": [{"id": "p1", "titles": ["no_such_title"]}]}}',
        '{"period": 2021, "entities": {}}',
        '{"entities": {"person": [{"id": "p1", "colour": "red"}]}}',
    ],
)
def test_bad_facts_get_the_positioned_readers_messages(tmp_path: Path, seed_rules: RuleSet, text: str) -> None:
    path = tmp_path / "x.facts.json"
    path.write_text(text, encoding="utf-8")
    assert load_columns([path], seed_rules, tmp_path) is None
    with pytest.raises(UserError) as fast:
        load_facts([path], seed_rules, tmp_path)
    with pytest.raises(UserError) as slow:
        load_positioned([path], seed_rules, tmp_path)
    assert [str(p) for p in fast.value.problems] == [str(p) for p in slow.value.problems]
    assert all(p.location.line for p in fast.value.problems if p.location.file == "x.facts.json")


def test_locations_are_found_once_and_renamed_after_a_replay(tmp_path: Path, seed_rules: RuleSet) -> None:
    shutil.copy(SEED / "roster.facts.yaml", tmp_path / "roster.facts.yaml")
    fast = load_facts([tmp_path / "roster.facts.yaml"], seed_rules, tmp_path)
    people = fast.table("person")
    assert isinstance(people.positions, FilePositions) and not people.positions.read
    first = people.location(0)
    assert first is not None and first.file == "roster.facts.yaml" and first.line > 1
    assert not people.positions.read  # an entity's line comes from the composer's marks, kept when read
    assert people.value_location("rating", 0) is not None
    assert list(people.positions.read) == ["roster.facts.yaml"]  # a value's place: the file read positioned once
    built = fast.of("person")[0]
    fast.rename_files({"roster.facts.yaml": "2022/roster.facts.yaml"})  # as the replay renames them
    fast.rename_files({"roster.facts.yaml": "2022/roster.facts.yaml"})  # twice changes nothing more
    assert people.location(0).file == "2022/roster.facts.yaml"  # type: ignore[union-attr]
    assert built.loc is not None and built.loc.file == "2022/roster.facts.yaml"
    assert all(loc.file == "2022/roster.facts.yaml" for loc in people.entity(1).value_locs.values())
    assert list(fast.files) == ["2022/roster.facts.yaml"]
