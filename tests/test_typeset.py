"""Where a header's lines break: between names, never inside one, measured in Times New Roman."""

from __future__ import annotations

import pytest

from thidua.evaluator.documents.typeset import Cell, body_text, curly_quotes, header_lines, text_width_mm

NB = "\u00a0"


@pytest.mark.parametrize(
    ("text", "size", "bold", "expected"),
    [
        # too long for one line: broken before the place, the place name glued
        ("CÔNG ĐOÀN VIÊN CHỨC TỈNH BÌNH PHƯỚC", 12, False, f"CÔNG ĐOÀN VIÊN CHỨC\nTỈNH{NB}BÌNH{NB}PHƯỚC"),
        # fits at 12 pt: one line; at the Party's 14 pt: broken before "BAN", never "CƠ / SỞ"
        ("CÔNG ĐOÀN CƠ SỞ BAN DÂN TỘC", 12, True, "CÔNG ĐOÀN CƠ SỞ BAN DÂN TỘC"),
        ("CÔNG ĐOÀN CƠ SỞ BAN DÂN TỘC", 14, True, "CÔNG ĐOÀN CƠ SỞ\nBAN DÂN TỘC"),
        ("ỦY BAN NHÂN DÂN XÃ TÂN HÒA", 14, True, f"ỦY BAN NHÂN DÂN\nXÃ{NB}TÂN{NB}HÒA"),
        ("CHI BỘ VĂN PHÒNG HUYỆN ỦY HÒA THUẬN", 14, True, f"CHI BỘ VĂN PHÒNG\nHUYỆN{NB}ỦY{NB}HÒA{NB}THUẬN"),
        # no head word to break before: before the last name
        ("TRƯỜNG TRUNG HỌC CƠ SỞ TÂN LẬP", 14, True, "TRƯỜNG TRUNG HỌC CƠ SỞ\nTÂN LẬP"),
        ("…", 12, False, "…"),
    ],
)
def test_header_lines_break_between_names(text: str, size: int, bold: bool, expected: str) -> None:
    shown = header_lines(text, Cell(80, size, bold))
    assert shown == expected
    for line in shown.split("\n"):
        assert text_width_mm(line, size, bold) <= Cell(80, size, bold).room_mm


def test_widths_are_times_new_roman() -> None:
    # "ĐẢNG CỘNG SẢN VIỆT NAM" at 15 pt bold, the Party's title: about 73 mm (diacritics add no width)
    assert 70 < text_width_mm("ĐẢNG CỘNG SẢN VIỆT NAM", 15, True) < 76
    assert text_width_mm("DANG CONG SAN VIET NAM", 15, True) == text_width_mm("ĐẢNG CỘNG SẢN VIỆT NAM", 15, True)


def test_straight_quotes_become_typographic() -> None:
    assert curly_quotes('đạt danh hiệu "Tập thể lao động tiên tiến"') == "đạt danh hiệu “Tập thể lao động tiên tiến”"
    assert curly_quotes('một dấu " lẻ') == 'một dấu " lẻ'


def test_a_number_stays_with_its_word() -> None:
    assert body_text('Khối thi đua số 6 năm 2022, "Cờ thi đua"') == f"Khối thi đua số{NB}6 năm{NB}2022, “Cờ thi đua”"
    assert body_text("không quá 20% từ 95% trở lên") == f"không quá{NB}20% từ{NB}95% trở{NB}lên"
