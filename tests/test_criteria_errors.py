"""Load-time errors of criteria, quotas and settings: located, explained, exit code 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli

HEAD = "version: 1\nuse: [core]\n"

CASES = [
    (
        "cycle",
        HEAD + "criteria:\n"
        "  - id: a\n    title: A\n    earns: lao_dong_tien_tien\n    of: person\n    when: {has_title: chien_si_thi_dua_co_so}\n"
        "  - id: b\n    title: B\n    earns: chien_si_thi_dua_co_so\n    of: person\n    when: {has_title: lao_dong_tien_tien}\n",
        "x.rules.yaml:4:5",
        "a (lao_dong_tien_tien) -> b (chien_si_thi_dua_co_so) -> a (lao_dong_tien_tien)",
    ),
    (
        "unknown title earned",
        HEAD
        + "criteria:\n  - id: a\n    title: A\n    earns: lao_dong_tien_tin\n    of: person\n    when: {attr: rating, at_least: hoan_thanh_tot}\n",
        "x.rules.yaml:4:5",
        "Did you mean 'lao_dong_tien_tien'?",
    ),
    (
        "unknown title read",
        HEAD
        + "criteria:\n  - id: a\n    title: A\n    earns: lao_dong_tien_tien\n    of: person\n    when: {has_title: chien_si_thi_dua_co_sa}\n",
        "x.rules.yaml:8:11",
        "Did you mean 'chien_si_thi_dua_co_so'?",
    ),
    (
        "unknown setting",
        HEAD + "criteria:\n  - id: a\n    title: A\n    earns: lao_dong_tien_tien\n    of: person\n"
        "    when: {months_served: {from: recruited_on, gte: {setting: lddt_min_months_nd9}}}\n",
        "x.rules.yaml:8:53",
        "No setting 'lddt_min_months_nd9'",
    ),
    (
        "members via an attribute that names no unit",
        HEAD + "criteria:\n  - id: a\n    title: A\n    earns: tap_the_lao_dong_tien_tien\n    of: unit\n"
        "    when: {members: {of: person, via: unti, matching: {has_title: lao_dong_tien_tien}, gt: 50%}}\n",
        "x.rules.yaml:8:21",
        "Did you mean 'unit'?",
    ),
    (
        "members without via for a unit (only the organization as a whole may leave it out)",
        HEAD + "criteria:\n  - id: a\n    title: A\n    earns: tap_the_lao_dong_tien_tien\n    of: unit\n"
        "    when: {members: {of: person, matching: {has_title: lao_dong_tien_tien}, gt: 50%}}\n",
        "x.rules.yaml:8:21",
        "'via' is missing: name the attribute of 'person' pointing to 'unit' (e.g. unit)",
    ),
    (
        "an organization title earned by a kind the pack does not allow",
        HEAD + "criteria:\n  - id: a\n    title: A\n    earns: co_quan_dat_chuan_van_hoa\n    of: unit\n"
        "    when: {attr: rating, at_least: hoan_thanh_tot}\n",
        "x.rules.yaml:4:5",
        "organization",
    ),
    (
        "months from a non-date attribute",
        HEAD + "criteria:\n  - id: a\n    title: A\n    earns: lao_dong_tien_tien\n    of: person\n"
        "    when: {months_served: {from: rating, gte: 6}}\n",
        "x.rules.yaml:8:27",
        "'rating' is not a date attribute",
    ),
    (
        "title not held by the kind",
        HEAD
        + "criteria:\n  - id: a\n    title: A\n    earns: tap_the_lao_dong_tien_tien\n    of: person\n    when: {attr: rating, at_least: hoan_thanh_tot}\n",
        "x.rules.yaml:4:5",
        "'tap_the_lao_dong_tien_tien' is not held by 'person'",
    ),
    (
        "two criteria for one title in one period",
        HEAD + "criteria:\n"
        "  - id: a\n    title: A\n    earns: lao_dong_tien_tien\n    of: person\n    when: {attr: rating, at_least: hoan_thanh_tot}\n"
        "  - id: b\n    title: B\n    earns: lao_dong_tien_tien\n    of: person\n    valid: {from: 2020}\n    when: {attr: rating, at_least: hoan_thanh}\n",
        "x.rules.yaml:9:5",
        "Criterion 'a'",
    ),
    (
        "quota of an unknown title",
        HEAD + "quotas:\n  - id: q\n    title: Q\n    limits: chien_si_thi_dua\n    of: person\n"
        "    at_most: {share: 15%, of_title: lao_dong_tien_tien}\n",
        "x.rules.yaml:4:5",
        "Did you mean 'chien_si_thi_dua_co_so'?",
    ),
    (
        "quota share that is not a share",
        HEAD + "quotas:\n  - id: q\n    title: Q\n    limits: chien_si_thi_dua_co_so\n    of: person\n"
        "    at_most: {share: lots, of_title: lao_dong_tien_tien}\n",
        "x.rules.yaml:8:14",
        "lots",
    ),
    (
        "a misspelt setting override",
        "version: 1\nuse: [criteria]\nsettings:\n  - id: cstdcs_cap_nd9\n    title: T\n    value: 10%\n",
        "x.rules.yaml:4:5",
        "No criterion or quota uses setting 'cstdcs_cap_nd9'",
    ),
    (
        "a setting override of the wrong type",
        "version: 1\nuse: [criteria]\nsettings:\n  - id: lddt_min_months_nd98\n    title: T\n    value: sáu tháng\n",
        "x.rules.yaml:4:5",
        "sáu tháng",
    ),
    (
        "a validity that ends before it starts",
        HEAD + "criteria:\n  - id: a\n    title: A\n    earns: lao_dong_tien_tien\n    of: person\n"
        "    valid: {from: 2024, until: 2023}\n    when: {attr: rating, at_least: hoan_thanh_tot}\n",
        "x.rules.yaml:8:12",
        "'from' (2024) is after 'until' (2023)",
    ),
    (
        "unknown key in a criterion",
        HEAD
        + "criteria:\n  - id: a\n    title: A\n    earn: lao_dong_tien_tien\n    of: person\n    when: {attr: rating, at_least: hoan_thanh_tot}\n",
        "x.rules.yaml:6:5",
        "Unknown key 'earn'. Did you mean 'earns'?",
    ),
]


@pytest.mark.parametrize(("name", "text", "where", "says"), CASES, ids=[c[0] for c in CASES])
def test_located_error(tmp_path: Path, name: str, text: str, where: str, says: str) -> None:
    (tmp_path / "x.rules.yaml").write_text(text, encoding="utf-8")
    result = run_cli("candidates", tmp_path, "--lang", "en")
    assert result.exit_code == 2
    assert "Traceback" not in result.output + result.stderr
    message = " ".join(result.stderr.split())
    assert where in message, message
    assert says in message, message


def test_unknown_title_option(tmp_path: Path) -> None:
    from tests.conftest import EXAMPLE_2022

    result = run_cli("candidates", EXAMPLE_2022, "--title", "lao_dong_tien_tie", "--lang", "en")
    assert result.exit_code == 2
    assert "--title" in result.stderr and "lao_dong_tien_tien" in result.stderr
    assert "Traceback" not in result.stderr
