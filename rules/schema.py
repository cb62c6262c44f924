"""JSON Schemas for editors (VS Code with the YAML extension): rule files, fact files, test files.

The rule-file schema is generated from the pydantic models, with Vietnamese descriptions laid over
the English ones so an admin sees Vietnamese hints while typing. The fact-file schema depends on
the kinds, scales and titles a rule set declares, so it is generated from a loaded RuleSet.
"""

from __future__ import annotations

from typing import Any

from thidua.rules.model import RuleFile
from thidua.rules.ruleset import RuleSet

SCHEMA_DRAFT = "http://json-schema.org/draft-07/schema#"
STATUSES = ("exceeded", "met", "not_met", "pending", "error")

# Vietnamese descriptions of the models (shown by the editor on hover and completion).
MODEL_VI: dict[str, str] = {
    "RuleFile": "Tệp quy tắc: các gói dùng chung (use), thang xếp loại, loại đối tượng, danh hiệu và chỉ tiêu thi đua.",
    "Scale": "Thang xếp loại có thứ tự; các mức viết từ thấp đến cao.",
    "Level": "Một mức của thang xếp loại.",
    "Kind": "Một loại đối tượng mà dữ kiện nói tới (cơ quan, phòng, cá nhân, công đoàn, chi bộ...).",
    "Attribute": "Một thông tin của đối tượng; cần đúng một trong: type, scale, ref.",
    "Title": "Danh hiệu thi đua hoặc hình thức khen thưởng.",
    "Target": "Một chỉ tiêu thi đua đã đăng ký.",
    "Measure": "Cách đo chỉ tiêu: đúng một trong count (đếm), share (tỷ lệ), level (mức xếp loại), holds (có/không), sum (tổng).",
    "CountMeasure": "Đếm số đối tượng loại 'of' thỏa điều kiện 'where'.",
    "ShareMeasure": "Tỷ lệ đối tượng thỏa 'matching' trong số đối tượng thuộc 'where' (mặc định: tất cả).",
    "LevelMeasure": "Mức xếp loại của một đối tượng (ví dụ xếp loại của công đoàn).",
    "HoldsMeasure": "Một đối tượng có thỏa điều kiện hay không (ví dụ cơ quan có danh hiệu).",
    "SumMeasure": "Một phần của tổng: một phép đếm.",
    "Requirement": "Yêu cầu cần đạt: đúng một trong gt (trên), gte (từ ... trở lên), lt (dưới), lte (không quá), eq (bằng), between [thấp, cao]. Tỷ lệ viết như 90%.",
    "AttrTest": "So sánh một thông tin của đối tượng: {attr: rating, at_least: hoan_thanh_tot}.",
    "HasTitle": "Có danh hiệu hoặc khen thưởng: {has_title: lao_dong_tien_tien}.",
    "AllOf": "Tất cả các điều kiện đều đúng.",
    "AnyOf": "Ít nhất một điều kiện đúng.",
    "NotOf": "Điều kiện không đúng.",
    # documents: the issuing body of the report
    "Agency": "Bên ban hành báo cáo (thidua report): phần đầu văn bản và khối chữ ký theo Nghị định 30/2020; thiếu mục nào thì in '…'.",
}

# Vietnamese descriptions of fields, by model and field (alias as written in YAML).
FIELD_VI: dict[tuple[str, str], str] = {
    ("RuleFile", "version"): "Phiên bản ngôn ngữ quy tắc (luôn là 1).",
    ("RuleFile", "period"): "Kỳ của các chỉ tiêu: một năm (2022) hoặc một năm học (2023-2024: từ 01/9 đến 31/5).",
    ("RuleFile", "term"): "Nhiệm kỳ mà các chỉ tiêu hằng năm thuộc về, ví dụ 2025-2030 (năm đầu trước năm cuối).",
    ("RuleFile", "review"): "Việc bình xét của Hội đồng: ngày quyết định kết quả (decided_on).",
    ("RuleFile", "regime"): "Chế độ pháp lý một gói tiêu chuẩn mã hóa: căn cứ, ngày áp dụng, ngày đối chiếu văn bản.",
    (
        "Review",
        "decided_on",
    ): "Ngày quyết định kết quả (ví dụ 2024-01-15); mặc định là ngày cuối kỳ. Tiêu chuẩn có hiệu lực vào ngày này được áp dụng.",
    ("Regime", "title"): "Tên chế độ, ví dụ 'Luật Thi đua, khen thưởng 2022'.",
    ("Regime", "valid"): "Ngày quyết định mà chế độ áp dụng, ví dụ {from: 2024-01-01}.",
    ("Regime", "basis"): "Các văn bản được mã hóa, với ngày hiệu lực.",
    (
        "Regime",
        "checked_on",
    ): "Ngày đối chiếu văn bản lần cuối: kỳ hoặc ngày xét sau ngày này thì cảnh báo tiêu chuẩn có thể đã thay đổi.",
    ("LegalText", "text"): "Tên văn bản như trích dẫn, ví dụ 'Nghị định 152/2025/NĐ-CP'.",
    ("LegalText", "from"): "Có hiệu lực từ ngày (khi đã xác minh).",
    ("LegalText", "until"): "Hết hiệu lực sau ngày (khi đã xác minh).",
    (
        "Level",
        "awaits",
    ): "Không phải một kết quả mà là việc đang xem xét (ví dụ 'Đang xem xét kỷ luật'): dữ kiện ở mức này là đang chờ cấp này kết luận.",
    ("RuleFile", "name"): "Tên tệp quy tắc, ví dụ 'Ban Dân tộc tỉnh Bình Phước — chỉ tiêu thi đua năm 2022'.",
    ("RuleFile", "use"): "Các gói quy tắc dùng chung, ví dụ [core] (thang xếp loại, đối tượng, danh hiệu).",
    ("RuleFile", "scales"): "Các thang xếp loại khai báo thêm.",
    ("RuleFile", "kinds"): "Các loại đối tượng khai báo thêm.",
    ("RuleFile", "titles"): "Các danh hiệu, hình thức khen thưởng khai báo thêm.",
    ("RuleFile", "targets"): "Các chỉ tiêu thi đua đăng ký trong năm.",
    # documents: the issuing body of the report
    ("RuleFile", "agency"): "Bên ban hành báo cáo: tên, cơ quan cấp trên, địa danh, ký hiệu, người ký, nơi nhận.",
    ("Agency", "name"): "Tên cơ quan, tổ chức ban hành, ví dụ 'Công đoàn cơ sở Ban Dân tộc' (in hoa, đậm).",
    (
        "Agency",
        "parent",
    ): "Tên cơ quan, tổ chức chủ quản trực tiếp, ví dụ 'Công đoàn Viên chức tỉnh Bình Phước' (in hoa).",
    ("Agency", "place"): "Địa danh ghi trước ngày tháng, ví dụ 'Bình Phước'.",
    ("Agency", "number_symbol"): "Ký hiệu văn bản sau 'Số: …/', ví dụ 'BC-CĐCS'.",
    ("Agency", "signer_capacity"): "Thẩm quyền ký, ví dụ 'TM. BCH CÔNG ĐOÀN'.",
    ("Agency", "signer_position"): "Chức vụ người ký, ví dụ 'CHỦ TỊCH'.",
    ("Agency", "signer_name"): "Họ và tên người ký.",
    ("Agency", "recipients"): "Nơi nhận, mỗi dòng một nơi, ví dụ 'CĐVC tỉnh', 'Lưu: CĐ, TĐKT'.",
    ("Scale", "id"): "Mã thang (chữ thường không dấu, gạch dưới), ví dụ xep_loai.",
    ("Scale", "title"): "Tên thang bằng tiếng Việt.",
    ("Scale", "levels"): "Các mức, từ thấp đến cao.",
    ("Scale", "reference"): "Căn cứ pháp lý.",
    ("Scale", "description"): "Ghi chú.",
    ("Level", "id"): "Mã mức, ví dụ hoan_thanh_tot.",
    ("Level", "label"): "Tên mức như ghi trong quyết định, ví dụ 'Hoàn thành tốt nhiệm vụ'; cũng dùng trong bảng tính.",
    ("Level", "aliases"): "Các cách viết khác được chấp nhận trong dữ kiện.",
    ("Kind", "id"): "Mã loại đối tượng, ví dụ person.",
    ("Kind", "title"): "Tên loại đối tượng; phần trước dấu ngoặc là tên sheet trong bảng tính.",
    ("Kind", "attributes"): "Các thông tin của đối tượng (cột trong bảng tính).",
    ("Title", "aliases"): "Tên khác của danh hiệu, chữ viết tắt (LĐTT, CSTĐCS) được chấp nhận ở mọi chỗ ghi danh hiệu.",
    ("Kind", "aliases"): "Tên khác của loại, dùng làm tên sheet, ví dụ 'Nhân sự'.",
    ("Kind", "description"): "Ghi chú.",
    ("Attribute", "id"): "Mã thông tin, ví dụ rating.",
    ("Attribute", "label"): "Tên thông tin bằng tiếng Việt, cũng là tiêu đề cột trong bảng tính, ví dụ 'Xếp loại'.",
    (
        "Attribute",
        "type",
    ): "Kiểu giá trị: integer (số nguyên), number (số), boolean (có/không), text (chữ), date (ngày).",
    ("Attribute", "scale"): "Mã thang xếp loại của giá trị.",
    ("Attribute", "ref"): "Mã loại đối tượng mà giá trị trỏ tới (ví dụ phòng của cá nhân).",
    ("Attribute", "aliases"): "Các tiêu đề cột khác được chấp nhận.",
    ("Attribute", "description"): "Ghi chú.",
    ("Title", "id"): "Mã danh hiệu, ví dụ lao_dong_tien_tien.",
    ("Title", "title"): "Tên danh hiệu như ghi trong quyết định; cũng dùng trong cột 'Danh hiệu' của bảng tính.",
    ("Title", "category"): "title (danh hiệu thi đua) hoặc award (hình thức khen thưởng).",
    ("Title", "holders"): "Các loại đối tượng có thể nhận.",
    ("Title", "reference"): "Căn cứ pháp lý.",
    ("Title", "description"): "Ghi chú.",
    ("Target", "id"): "Mã chỉ tiêu, không đổi qua các năm, ví dụ staff.advanced_workers.",
    ("Target", "title"): "Chỉ tiêu như đã đăng ký, bằng tiếng Việt.",
    ("Target", "reference"): "Giao ước thi đua hoặc căn cứ.",
    ("Target", "group"): "collective (đối với tập thể) hoặc individual (đối với cá nhân).",
    ("Target", "measure"): "Cách đo chỉ tiêu.",
    ("Target", "require"): "Yêu cầu cần đạt; chỉ được bỏ trống với 'holds' (mặc định: có).",
    (
        "Target",
        "exceed",
    ): "Khi nào tính là vượt: above (vượt số đăng ký), never (chỉ đạt), auto (vượt với đếm, tổng, mức; không với tỷ lệ).",
    ("Target", "count_proposed"): "Tính cả trường hợp mới đề nghị (chưa có quyết định) là đã nhận.",
    ("Target", "note"): "Ghi chú.",
    ("Measure", "count"): "Đếm số đối tượng.",
    ("Measure", "share"): "Tỷ lệ đối tượng.",
    ("Measure", "level"): "Mức xếp loại của một đối tượng.",
    ("Measure", "holds"): "Một đối tượng có thỏa điều kiện hay không.",
    ("Measure", "sum"): "Tổng nhiều phép đếm.",
    ("CountMeasure", "of"): "Loại đối tượng được đếm, ví dụ person, unit.",
    ("CountMeasure", "where"): "Điều kiện để được đếm.",
    ("ShareMeasure", "of"): "Loại đối tượng, ví dụ person.",
    ("ShareMeasure", "where"): "Ai thuộc mẫu số (mặc định: tất cả).",
    ("ShareMeasure", "matching"): "Điều kiện của tử số.",
    (
        "ShareMeasure",
        "unknown",
    ): "Đối tượng chưa rõ: pending (chờ, mặc định), exclude (bỏ khỏi mẫu số), not_matching (tính là không đạt).",
    ("LevelMeasure", "of"): "Loại đối tượng, ví dụ union.",
    ("LevelMeasure", "attribute"): "Thông tin theo thang, ví dụ rating.",
    ("LevelMeasure", "entity"): "Mã đối tượng; bỏ trống nếu chỉ có một.",
    ("HoldsMeasure", "of"): "Loại đối tượng, ví dụ organization.",
    ("HoldsMeasure", "condition"): "Điều kiện cần thỏa.",
    ("HoldsMeasure", "entity"): "Mã đối tượng; bỏ trống nếu chỉ có một.",
    ("SumMeasure", "count"): "Một phép đếm trong tổng.",
    ("AttrTest", "attr"): "Mã thông tin được so sánh.",
    ("AttrTest", "eq"): "Bằng.",
    ("AttrTest", "neq"): "Khác.",
    ("AttrTest", "gt"): "Lớn hơn.",
    ("AttrTest", "gte"): "Lớn hơn hoặc bằng.",
    ("AttrTest", "lt"): "Nhỏ hơn.",
    ("AttrTest", "lte"): "Nhỏ hơn hoặc bằng.",
    ("AttrTest", "at_least"): "Từ mức này trở lên.",
    ("AttrTest", "at_most"): "Từ mức này trở xuống.",
    ("AttrTest", "in"): "Một trong các giá trị.",
    ("HasTitle", "has_title"): "Mã danh hiệu hoặc khen thưởng.",
    ("HasTitle", "state"): "decided (có quyết định), proposed (mới đề nghị), any (cả hai).",
    ("AllOf", "all"): "Các điều kiện đều phải đúng.",
    ("AnyOf", "any"): "Ít nhất một điều kiện đúng.",
    ("NotOf", "not"): "Điều kiện phải sai.",
    ("Requirement", "gt"): "Trên (lớn hơn).",
    ("Requirement", "gte"): "Từ ... trở lên.",
    ("Requirement", "lt"): "Dưới (nhỏ hơn).",
    ("Requirement", "lte"): "Không quá.",
    ("Requirement", "eq"): "Bằng (với holds: true hoặc false).",
    ("Requirement", "between"): "Trong khoảng [thấp, cao].",
}


def _overlay(name: str, node: dict[str, Any]) -> None:
    if name in MODEL_VI:
        node["description"] = MODEL_VI[name]
    for field_name, prop in node.get("properties", {}).items():
        text = FIELD_VI.get((name, field_name))
        if text is not None:
            prop["description"] = text
        prop.pop("title", None)


def block_schema() -> dict[str, Any]:
    """The schema of an emulation block's file (block.rules.yaml): scoring table, ranking, proposals."""
    from thidua.rules.scoring import BlockFile

    schema = BlockFile.model_json_schema(by_alias=True)
    for name, node in schema.get("$defs", {}).items():
        _overlay(name, node)
    schema["$schema"] = SCHEMA_DRAFT
    schema["title"] = "Tệp khối thi đua thidua (block.rules.yaml)"
    schema["description"] = "Khối thi đua: thành viên, bảng tiêu chí chấm điểm, xếp hạng và đề nghị khen thưởng."
    return schema


def rules_schema() -> dict[str, Any]:
    """The schema of a rule file (*.rules.yaml), from the pydantic models, described in Vietnamese."""
    schema = RuleFile.model_json_schema(by_alias=True)
    for name, node in schema.get("$defs", {}).items():
        _overlay(name, node)
    _overlay("RuleFile", schema)
    props = schema["properties"]
    props["period"] = {**PERIOD_SCHEMA, "description": props["period"].get("description", "")}
    props["term"] = {**TERM_SCHEMA, "description": props["term"].get("description", "")}
    schema["$schema"] = SCHEMA_DRAFT
    schema["title"] = "Tệp quy tắc thidua (*.rules.yaml)"
    return schema


# A period as written (rules/periods.py): a year, or a school year of two consecutive years; a term.
PERIOD_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "integer", "minimum": 1945, "maximum": 2200},
        {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{4})?$"},
    ]
}
TERM_SCHEMA: dict[str, Any] = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{4}$"}


def facts_schema(rules: RuleSet) -> dict[str, Any]:
    """The schema of a fact file (*.facts.yaml) for the kinds, scales and titles of `rules`."""
    kinds: dict[str, Any] = {}
    for kind in rules.kinds.values():
        titles = [t.id for t in rules.titles.values() if kind.id in t.holders]
        props: dict[str, Any] = {
            "id": {"type": ["string", "integer"], "description": "Mã đối tượng, không trùng."},
            "name": {"type": "string", "description": "Tên (họ và tên)."},
            "note": {"type": "string", "description": "Ghi chú."},
        }
        for attr in kind.attributes:
            props[attr.id] = {
                "description": attr.label,
                "anyOf": [_value_schema(rules, attr), _awaiting_schema(rules, attr)],
            }
        if titles:
            holding = {
                "type": "object",
                "additionalProperties": False,
                "required": ["title"],
                "properties": {
                    "title": {"enum": titles, "description": "Mã danh hiệu."},
                    "state": {
                        "enum": ["decided", "proposed", "refused"],
                        "description": "decided (có quyết định), proposed (đề nghị), refused (không được công nhận).",
                    },
                    "awaiting": {"type": "string", "description": "Cấp đang xét, ví dụ UBND tỉnh."},
                    "decision": {"type": "string", "description": "Số quyết định."},
                    "note": {"type": "string", "description": "Ghi chú."},
                },
            }
            props["titles"] = {
                "type": "array",
                "description": "Danh hiệu, khen thưởng: " + "; ".join(f"{t} ({rules.titles[t].title})" for t in titles),
                "items": {"anyOf": [{"enum": titles}, holding]},
            }
        kinds[kind.id] = {
            "type": "array",
            "description": kind.title,
            "items": {"type": "object", "additionalProperties": False, "required": ["id"], "properties": props},
        }
    return {
        "$schema": SCHEMA_DRAFT,
        "title": "Tệp dữ kiện thidua (*.facts.yaml)",
        "description": "Dữ kiện một năm: các đối tượng theo loại, với xếp loại, thông tin và danh hiệu.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "period": {**PERIOD_SCHEMA, "description": "Kỳ của dữ kiện: một năm (2022) hoặc một năm học (2023-2024)."},
            "source": {"type": "string", "description": "Nguồn dữ kiện (báo cáo, quyết định)."},
            "note": {"type": "string", "description": "Ghi chú."},
            "entities": {
                "type": "object",
                "description": "Các đối tượng theo loại: "
                + ", ".join(f"{k.id} ({k.title})" for k in rules.kinds.values()),
                "additionalProperties": False,
                "properties": kinds,
            },
        },
    }


def _value_schema(rules: RuleSet, attr: Any) -> dict[str, Any]:
    if attr.scale is not None:
        levels = rules.scales[attr.scale].levels
        names = [n for lv in levels for n in (lv.id, lv.label, *lv.aliases)]
        return {"enum": names, "description": "Một mức của thang: " + ", ".join(lv.label for lv in levels)}
    if attr.ref is not None:
        return {"type": ["string", "integer"], "description": f"Mã một đối tượng loại {attr.ref}."}
    return {
        "integer": {"type": "integer"},
        "number": {"type": "number"},
        "boolean": {"type": "boolean"},
        "text": {"type": "string"},
        "date": {"type": "string", "description": "Ngày, ví dụ 2022-01-14."},
    }.get(attr.type or "", {})


def _awaiting_schema(rules: RuleSet, attr: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "description": "Giá trị cấp trên chưa xét: awaiting (cấp đang xét), provisional (tự đánh giá).",
        "additionalProperties": False,
        "required": ["awaiting"],
        "properties": {
            "awaiting": {"type": "string"},
            "provisional": _value_schema(rules, attr),
            "note": {"type": "string"},
        },
    }


def tests_schema(rules: RuleSet | None = None) -> dict[str, Any]:
    """The schema of a rule test file (*.tests.yaml); target ids are offered when rules are given."""
    target = {"enum": [t.id for t in rules.targets]} if rules is not None and rules.targets else {"type": "string"}
    expectation = {
        "anyOf": [
            {"enum": list(STATUSES)},
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["status"],
                "properties": {
                    "status": {"enum": list(STATUSES)},
                    "margin": {"type": "number", "description": "Chênh lệch mong đợi."},
                },
            },
        ]
    }
    return {
        "$schema": SCHEMA_DRAFT,
        "title": "Tệp kiểm thử chỉ tiêu thidua (*.tests.yaml)",
        "type": "object",
        "additionalProperties": False,
        "required": ["cases"],
        "properties": {
            "name": {"type": "string"},
            "note": {"type": "string"},
            "rules": {
                "description": "Các tệp quy tắc (mặc định: các tệp *.rules.yaml cùng thư mục).",
                "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            },
            "cases": {
                "type": "array",
                "description": "Các trường hợp: với dữ kiện này (facts), mong đợi kết quả này (expect).",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["expect"],
                    "properties": {
                        "name": {"type": "string", "description": "Tên trường hợp."},
                        "note": {"type": "string"},
                        "facts": {
                            "description": "Tệp dữ kiện (đường dẫn, hoặc danh sách), hoặc dữ kiện viết trực tiếp ({entities: ...}).",
                            "anyOf": [
                                {"type": "string"},
                                {"type": "array", "items": {"type": "string"}},
                                {"type": "object"},
                            ],
                        },
                        "expect": {
                            "type": "object",
                            "description": "Kết quả mong đợi theo mã chỉ tiêu: met (đạt), exceeded (vượt), not_met (không đạt), pending (chưa có kết quả), error; hoặc {status, margin}.",
                            "propertyNames": target,
                            "additionalProperties": expectation,
                        },
                    },
                },
            },
        },
    }


SCHEMA_FILES = ("rules.schema.json", "facts.schema.json", "tests.schema.json", "block.schema.json")


def schema_texts(rules: RuleSet, with_targets: bool = True) -> dict[str, str]:
    """File name -> JSON text of the schemas, stable (sorted keys) so they can be committed."""
    import json

    docs = {
        "rules.schema.json": rules_schema(),
        "facts.schema.json": facts_schema(rules),
        "tests.schema.json": tests_schema(rules if with_targets else None),
        "block.schema.json": block_schema(),
    }
    return {name: json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n" for name, doc in docs.items()}


def core_rules() -> RuleSet:
    """The rule set of the shipped core pack alone (its scales, kinds and titles; no targets)."""
    from importlib import resources
    from pathlib import Path

    from thidua.rules.loader import load_rules

    ref = resources.files("thidua.rules.packs") / "core.yaml"
    with resources.as_file(ref) as real:
        return load_rules([Path(real)], Path(real).parent)
