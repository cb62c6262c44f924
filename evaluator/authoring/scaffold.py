"""Scaffolds an agency folder for `thidua init`: targets, a facts workbook template, schemas, a README."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from thidua.evaluator.facts.spreadsheet import short_title
from thidua.evaluator.facts.workbook import workbook_bytes
from thidua.evaluator.output import check_output, write_output
from thidua.rules.errors import Location, fail
from thidua.rules.periods import Period
from thidua.rules.ruleset import RuleSet
from thidua.rules.schema import core_rules, schema_texts
from thidua.rules.source import AGENCY_MARKER, read_yaml_text, visible

TARGETS_FILE = "chi-tieu.rules.yaml"
FACTS_FILE = "du-lieu.facts.xlsx"
README_FILE = "HUONG-DAN.md"
SCHEMA_DIR = "schemas"
DEFAULT_AGENCY = "Cơ quan"  # in titles and the guide when `init` was given no name

TARGETS_TEMPLATE = """\
# yaml-language-server: $schema={schema_dir}/rules.schema.json
# Chỉ tiêu thi đua năm {period} của {agency_comment}.
# Mỗi chỉ tiêu có: id (mã, chữ thường không dấu), title (nội dung như đã đăng ký), measure (cách đo)
# và require (yêu cầu cần đạt). Sửa các ví dụ dưới đây cho đúng giao ước thi đua của cơ quan.
# Kiểm tra tệp: thidua validate .    Đánh giá: thidua evaluate .
version: 1
period: {period}
{name_line}
use: {use}

# Bên ban hành báo cáo: phần đầu và phần ký của báo cáo Word (thidua report . --format docx).
# Khóa nào để trống thì in "…" để văn thư điền tay; ngày, tháng luôn để "…". Xem {readme}, bước 6.
agency:
  format: nha_nuoc    # thể thức văn bản: nha_nuoc (Nghị định 30/2020, mặc định) hoặc dang (Hướng dẫn 36-HD/VPTW: chi bộ, đảng ủy)
  parent:             # cơ quan chủ quản, in hoa ở dòng trên cùng, ví dụ: UBND tỉnh Bình Phước
  {agency_name_line}
  place:              # địa danh trước ngày tháng, ví dụ: Bình Phước ("Bình Phước, ngày … tháng … năm …")
  number_symbol:      # ký hiệu sau "Số: …/", ví dụ: BC-SNV (BC = báo cáo, SNV = tên viết tắt của cơ quan)
  signer_capacity:    # thẩm quyền ký, ví dụ: KT. GIÁM ĐỐC hoặc TM. BCH CÔNG ĐOÀN (để trống khi người đứng đầu ký)
  signer_position:    # chức vụ người ký, ví dụ: PHÓ GIÁM ĐỐC
  signer_name:        # họ và tên người ký
  recipients: []      # nơi nhận, ví dụ: [UBND tỉnh, Ban Thi đua - Khen thưởng tỉnh, "Lưu: VT, TĐKT"]

targets:
  # --- Đối với tập thể ---------------------------------------------------------------
  # Đếm (count): số đối tượng thỏa điều kiện. Yêu cầu: gte 5 = "từ 05 trở lên", gt 2 = "trên 02".
  - id: units.advanced
    group: collective
    title: Phấn đấu 05 tập thể phòng đạt danh hiệu "Tập thể lao động tiên tiến"
    measure:
      count:
        of: unit
        where: {{has_title: tap_the_lao_dong_tien_tien}}
    require: {{gte: 5}}

  # Mức xếp loại (level): xếp loại của một đối tượng; yêu cầu viết bằng mã hoặc tên mức.
  - id: union.rating
    group: collective
    title: Công đoàn đạt xếp loại "Hoàn thành tốt nhiệm vụ" trở lên
    measure:
      level: {{of: union, attribute: rating}}
    require: {{gte: Hoàn thành tốt nhiệm vụ}}

  # Có/không (holds): một đối tượng có danh hiệu hay không; không cần 'require'.
  - id: agency.culture
    group: collective
    title: Cơ quan đạt danh hiệu "Cơ quan đạt chuẩn văn hóa"
    measure:
      holds:
        of: organization
        condition: {{has_title: co_quan_dat_chuan_van_hoa}}

  # --- Đối với cá nhân ---------------------------------------------------------------
  # Tỷ lệ (share): tỷ lệ viết có dấu %, ví dụ 90% (không viết 90).
  - id: staff.advanced_workers
    group: individual
    title: Phấn đấu có trên 90% công chức, người lao động đạt danh hiệu Lao động tiên tiến
    measure:
      share:
        of: person
        matching: {{has_title: lao_dong_tien_tien}}
    require: {{gt: 90%}}

  # Tỷ lệ trong một nhóm (where) với điều kiện theo thang (at_least = từ mức này trở lên).
  - id: union_members.rating
    group: individual
    title: Phấn đấu có trên 90% công đoàn viên xếp loại "Khá" trở lên
    measure:
      share:
        of: person
        where: {{attr: union_member, eq: true}}
        matching: {{attr: union_grade, at_least: kha}}
    require: {{gt: 90%}}

  # Đếm có tính cả trường hợp mới đề nghị (count_proposed), như nhiều báo cáo vẫn tính.
  - id: staff.provincial_merit
    group: individual
    title: Phấn đấu có từ 01 cá nhân trở lên được UBND tỉnh tặng Bằng khen
    count_proposed: true
    measure:
      count:
        of: person
        where: {{has_title: bang_khen_ubnd_tinh}}
    require: {{gte: 1}}

  # Tổng (sum): cộng nhiều phép đếm, ví dụ giấy khen cho cả tập thể và cá nhân.
  - id: head_certificates.total
    title: Có từ 07 tập thể, cá nhân trở lên được Thủ trưởng tặng Giấy khen
    measure:
      sum:
        - count: {{of: unit, where: {{has_title: giay_khen_thu_truong}}}}
        - count: {{of: person, where: {{has_title: giay_khen_thu_truong}}}}
    require: {{gte: 7}}

  # Điều kiện kết hợp: all (tất cả đúng), any (một trong), not (không).
  # - id: staff.excellent_advanced
  #   title: Có từ 03 cá nhân Hoàn thành xuất sắc nhiệm vụ và đạt Lao động tiên tiến
  #   measure:
  #     count:
  #       of: person
  #       where:
  #         all:
  #           - {{attr: rating, eq: hoan_thanh_xuat_sac}}
  #           - {{has_title: lao_dong_tien_tien}}
  #           - not: {{has_title: bang_khen_thu_tuong}}
  #   require: {{gte: 3}}
  #
  # Không có người sinh con thứ ba (lte 0 = "không quá 0"):
  # - id: families.no_third_child
  #   title: Không có người sinh con thứ ba
  #   measure:
  #     count: {{of: person, where: {{attr: third_child, eq: true}}}}
  #   require: {{lte: 0}}

{catalogue}"""

MARKER_TEXT = """\
# Thư mục cơ quan của thidua. Tệp quy tắc và tệp kiểm thử trong mọi thư mục con (2025/, 2023-2024/,
# natural/ ...) được dùng (use:, rules:, facts:) các tệp trong thư mục này; không tệp nào ở ngoài.
# This is a thidua agency folder: files in any sub-folder may use the files in it, none outside.
"""

README_TEMPLATE = """\
# Hướng dẫn cho cán bộ thi đua — {agency}, năm {period}

Thư mục này do `thidua init` tạo. Các bước:

1. **Chỉ tiêu** — mở `{targets}` (nên dùng VS Code có cài tiện ích "YAML" của Red Hat: gõ đến đâu
   được gợi ý và kiểm tra đến đó). Sửa các chỉ tiêu ví dụ cho đúng giao ước thi đua đã ký; xóa
   các chỉ tiêu không đăng ký.
2. **Dữ liệu** — mở `{facts}` bằng Excel. Mỗi sheet là một loại đối tượng ({sheets}).
   Dòng 1 là tiêu đề cột, không đổi tên cột. Cột "Mã" không được trùng. Cột xếp loại có danh sách
   chọn. Cột "Danh hiệu" ghi tên danh hiệu, cách nhau bằng dấu `;`; trường hợp mới đề nghị ghi
   thêm trong ngoặc, ví dụ `Bằng khen của Chủ tịch UBND tỉnh (đề nghị, chờ UBND tỉnh)`. Xếp loại
   cấp trên chưa xét ghi `Chờ <cấp xét> xét (tự đánh giá: <mức>)`.
   Nếu lưu CSV, chọn kiểu "CSV UTF-8 (Comma delimited)", mỗi loại một tệp, ví dụ `ca-nhan.facts.csv`.
3. **Kiểm tra** — `thidua validate .` báo mọi lỗi một lần, kèm vị trí (sheet, dòng, cột) và gợi ý.
4. **Đánh giá** — `thidua evaluate .` cho biết từng chỉ tiêu Đạt, Vượt, Không đạt hay Chưa có kết quả.
   Khi chưa nhập dữ liệu, mọi chỉ tiêu đều "Chưa có kết quả".
5. **Kiểm thử** (không bắt buộc) — ghi các trường hợp mẫu vào một tệp `*.tests.yaml` rồi chạy
   `thidua test .` sau mỗi lần sửa chỉ tiêu.
6. **Báo cáo** — `thidua report . --format docx` viết báo cáo tổng kết bằng Word từ chính lần đánh
   giá đó. Phần đầu (cơ quan chủ quản, cơ quan ban hành, "Số: …/…", địa danh), nơi nhận và phần ký
   lấy từ khối `agency:` ở đầu `{targets}`: điền `parent`, `name`, `place`, `number_symbol`,
   `signer_capacity`, `signer_position`, `signer_name` và `recipients`; khóa nào để trống thì in
   "…" để văn thư điền tay. Ngày, tháng luôn để "…"; năm là năm của chỉ tiêu. Thể thức theo
   Nghị định 30/2020 (`format: nha_nuoc`); `format: dang` khai báo văn bản theo thể thức của Đảng
   (chi bộ, đảng ủy), thidua chưa trình bày được thể thức này và khi đó vẫn in theo Nghị định
   30/2020 kèm một dòng nhắc. Muốn đổi cỡ chữ, lề, câu chữ: sửa `{template}` trong thư mục này
   bằng Word rồi chạy `thidua report . --format docx --template {template}`.
7. **Thư mục con** — tệp `.thidua-agency` đánh dấu đây là thư mục cơ quan: tệp quy tắc trong thư mục
   con (mỗi năm một thư mục `2025/`, năm học `2024-2025/`, hay `du-thao/`) được viết
   `use: [../chung.rules.yaml]` để dùng tệp của thư mục này; không tệp nào ở ngoài thư mục này được
   đọc. Đừng xóa tệp đó.
"""


def catalogue(rules: RuleSet) -> str:
    """A commented list of the scales and titles the core pack gives, for the admin to copy from."""
    lines = ["# --- Danh mục có sẵn trong gói 'core' (để tham khảo, không cần sửa) -------------------"]
    lines.append("# Thang xếp loại (mã: các mức từ thấp đến cao):")
    for scale in rules.scales.values():
        levels = ", ".join(f"{lv.id} = {lv.label}" for lv in scale.levels)
        lines.append(f"#   {scale.id} ({scale.title}): {levels}")
    lines.append("# Loại đối tượng (mã: tên sheet trong bảng tính; thông tin):")
    for kind in rules.kinds.values():
        attrs = ", ".join(f"{a.id} = {a.label}" for a in kind.attributes) or "—"
        lines.append(f"#   {kind.id}: {short_title(kind)}; {attrs}")
    lines.append("# Danh hiệu, khen thưởng (mã = tên):")
    for title in rules.titles.values():
        lines.append(f"#   {title.id} = {title.title}")
    return "\n".join(lines) + "\n"


def shipped_pack_rules(name: str) -> RuleSet:
    """The rule set of one shipped pack alone."""
    from importlib import resources

    from thidua.rules.loader import load_rules

    ref = resources.files("thidua.rules.packs") / f"{name}.yaml"
    with resources.as_file(ref) as real:
        return load_rules([Path(real)], Path(real).parent)


def criteria_pack_for(period: Period | None) -> str | None:
    """The shipped pack of title criteria in force when `period` is reviewed at its end (e.g.
    criteria_nd98 from 2024), if any.

    Read from the packs themselves (each criterion's `valid` dates), so a new pack needs no code here.
    """
    if period is None:
        return None
    from thidua.rules.loader import shipped_packs

    for name in sorted(shipped_packs()):
        if not name.startswith("criteria_"):
            continue
        criteria = shipped_pack_rules(name).criteria
        if criteria is not None and any(c.covers(period.end) for c in criteria.criteria):
            return name
    return None


def use_line(period: Period) -> str:
    """The `use:` of a new agency's targets: the core pack and the title criteria of its period."""
    pack = criteria_pack_for(period)
    if pack is None:
        return "[core]   # gói cơ bản: thang xếp loại, loại đối tượng, danh hiệu (xem danh sách ở cuối tệp)"
    return (
        f"[core, {pack}]   # gói cơ bản (thang xếp loại, loại đối tượng, danh hiệu: xem cuối tệp) và tiêu chuẩn "
        f"danh hiệu áp dụng cho năm {period}"
    )


def output_folder(folder: Path) -> Path:
    """A folder files will be written into: created if missing; a file in its place is a user error."""
    if folder.exists() and not folder.is_dir():
        raise fail("path.not_folder", Location(folder.as_posix()), path=folder.as_posix())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def targets_text(period: Period, agency: str, rules: RuleSet, agency_name: str | None = None) -> str:
    """The starter rule file. The agency's name is a value of the `name:` key written by a YAML
    emitter (a ':' or a newline in it stays inside the value); in comments it is one line.
    `agency_name` (the name the user gave, if any) fills the report header's issuing body."""
    one_line = visible(" ".join(agency.split()))
    name_line = yaml.safe_dump(
        {"name": f"{agency} — chỉ tiêu thi đua năm {period}"}, allow_unicode=True, width=2**31 - 1
    ).rstrip("\n")
    if agency_name is None:
        agency_name_line = "name:               # cơ quan ban hành, in hoa, đậm, ví dụ: Sở Nội vụ"
    else:  # one line: the header prints it as one
        issuing = yaml.safe_dump({"name": " ".join(agency_name.split())}, allow_unicode=True, width=2**31 - 1)
        agency_name_line = issuing.rstrip("\n").ljust(18) + "  # cơ quan ban hành, in hoa, đậm"
    text = TARGETS_TEMPLATE.format(
        schema_dir=SCHEMA_DIR,
        period=period.value,
        agency_comment=one_line,
        name_line=name_line,
        agency_name_line=agency_name_line,
        readme=README_FILE,
        catalogue=catalogue(rules),
        use=use_line(period),
    )
    read_yaml_text(text, TARGETS_FILE)  # what we write must read back (raises a located UserError if not)
    return text


def scaffold(
    folder: Path,
    period: Period,
    agency: str | None,
    force: bool = False,
    extra: Mapping[str, bytes] | None = None,
) -> list[Path]:
    """Write the starter files into `folder`, and `extra` (name -> bytes: the Word template, named in
    the guide); every file is checked by evaluator/output.py before any is written (an existing
    file is replaced only with `force`; nothing is written through a symbolic link). `agency` is the
    name the user gave (None: none given)."""
    for place in (folder, folder / SCHEMA_DIR):
        if place.is_symlink():
            raise fail("output.symlink", Location(place.as_posix()), path=place.as_posix())
    output_folder(folder)
    rules = core_rules()
    shown = agency if agency is not None else DEFAULT_AGENCY
    sheets = ", ".join(short_title(k) for k in rules.kinds.values())
    template = next(iter(extra or {}), "bao_cao.docx")
    readme = README_TEMPLATE.format(
        agency=visible(" ".join(shown.split())),
        period=period,
        targets=TARGETS_FILE,
        facts=FACTS_FILE,
        sheets=sheets,
        template=template,
    )
    files = {
        folder / TARGETS_FILE: targets_text(period, shown, rules, agency).encode("utf-8"),
        folder / FACTS_FILE: workbook_bytes(rules),
        folder / README_FILE: readme.encode("utf-8"),
        folder / AGENCY_MARKER: MARKER_TEXT.encode("utf-8"),
        **{
            folder / SCHEMA_DIR / name: text.encode("utf-8")
            for name, text in schema_texts(rules, with_targets=False).items()
        },
        **{folder / name: data for name, data in (extra or {}).items()},
    }
    output_folder(folder / SCHEMA_DIR)
    for path in files:
        check_output(path, force=force)
    for path, data in files.items():
        write_output(path, data, force=force)
    return list(files)
