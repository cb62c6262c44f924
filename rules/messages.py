"""Message catalogue: every user-facing problem and reason in Vietnamese (default) and English."""

from __future__ import annotations

from typing import Any

LANGS = ("vi", "en")

# code -> (Vietnamese, English). Parameters are filled with str.format.
MESSAGES: dict[str, tuple[str, str]] = {
    "hint.did_you_mean": ("Có phải là '{suggestion}'?", "Did you mean '{suggestion}'?"),
    # files and syntax
    "file.missing": (
        "Không tìm thấy tệp hoặc thư mục '{path}'. Kiểm tra lại đường dẫn.",
        "No file or folder '{path}'. Check the path.",
    ),
    "file.is_directory": ("'{path}' là thư mục, cần một tệp.", "'{path}' is a folder; a file is needed."),
    "file.not_utf8": (
        "Tệp '{path}' không phải UTF-8 (byte {offset}). Lưu lại tệp với mã hóa UTF-8.",
        "'{path}' is not UTF-8 (byte {offset}). Save the file as UTF-8.",
    ),
    "file.unreadable": ("Không đọc được '{path}': {reason}.", "Cannot read '{path}': {reason}."),
    "yaml.syntax": (
        "Lỗi cú pháp YAML: {detail}. Kiểm tra thụt lề, dấu ':' và dấu ngoặc.",
        "YAML syntax error: {detail}. Check indentation, ':' and brackets.",
    ),
    "yaml.duplicate_key": (
        "Khóa bị lặp: '{key}' (lần đầu ở {first}). Mỗi khóa chỉ được viết một lần.",
        "Duplicate key: '{key}' (first at {first}). Write each key once.",
    ),
    "path.no_rules": (
        "Thư mục '{path}' không có tệp quy tắc (*.rules.yaml). Đặt tệp chỉ tiêu vào đó hoặc dùng --rules.",
        "Folder '{path}' holds no rule file (*.rules.yaml). Put the targets file there or use --rules.",
    ),
    "path.unknown_file_type": (
        "Không rõ '{path}' là tệp quy tắc hay dữ kiện: đặt tên *.rules.yaml hoặc *.facts.yaml (hoặc .json).",
        "Cannot tell whether '{path}' holds rules or facts: name it *.rules.yaml or *.facts.yaml (or .json).",
    ),
    # rule files
    "rules.none_given": ("Chưa có tệp quy tắc nào.", "No rule file was given."),
    "rules.not_mapping": (
        "Tệp quy tắc phải là một bảng khóa: giá trị (scales, kinds, titles, targets, ...).",
        "A rule file must be a mapping (scales, kinds, titles, targets, ...).",
    ),
    "rules.unknown_key": ("Khóa '{key}' không có trong ngôn ngữ quy tắc.", "Unknown key '{key}'."),
    "rules.missing_key": ("Thiếu khóa bắt buộc '{key}'.", "Required key '{key}' is missing."),
    "rules.one_type": (
        "Thuộc tính cần đúng một trong 'type', 'scale' hoặc 'ref'.",
        "An attribute needs exactly one of 'type', 'scale' or 'ref'.",
    ),
    "rules.one_operator": (
        "Phép so sánh cần đúng một toán tử trong: {choices}.",
        "A comparison needs exactly one operator of: {choices}.",
    ),
    "rules.one_measure": (
        "Phép đo là đúng một trong: count, share, level, holds, sum.",
        "A measure is exactly one of: count, share, level, holds, sum.",
    ),
    "rules.one_requirement": (
        "Yêu cầu cần đúng một trong: {choices}.",
        "A requirement needs exactly one of: {choices}.",
    ),
    "rules.condition_kind": (
        "Điều kiện là một trong: all, any, not, has_title, attr, members, months_served.",
        "A condition is one of: all, any, not, has_title, attr, members, months_served.",
    ),
    "rules.choice": (
        "Giá trị '{value}' không hợp lệ; chọn một trong: {choices}.",
        "'{value}' is not allowed; choose one of: {choices}.",
    ),
    "rules.id_pattern": (
        "Mã '{value}' chỉ được gồm chữ thường không dấu, chữ số và dấu '_' (mã chỉ tiêu có thể có dấu '.'), bắt đầu bằng chữ.",
        "Id '{value}' may only hold lower-case ASCII letters, digits and '_' (target ids also '.'), starting with a letter.",
    ),
    "rules.too_short": ("Cần ít nhất {min} mục.", "At least {min} item(s) are needed."),
    "rules.wrong_type": (
        "'{value}' không đúng kiểu: cần {expected}.",
        "'{value}' has the wrong type: {expected} is expected.",
    ),
    "rules.invalid": ("Giá trị không hợp lệ tại '{where}': {detail}.", "Invalid value at '{where}': {detail}."),
    "rules.unknown_pack": (
        "Không có gói quy tắc '{pack}'. Các gói có sẵn: {packs}.",
        "No rule pack '{pack}'. Shipped packs: {packs}.",
    ),
    "rules.use_cycle": (
        "Các tệp quy tắc dùng lẫn nhau thành vòng: {cycle}.",
        "Rule files use each other in a cycle: {cycle}.",
    ),
    "rules.duplicate_id": (
        "Mã '{id}' ({what}) đã được khai báo tại {first}. Đổi mã hoặc xóa bản trùng.",
        "The {what} id '{id}' is already declared at {first}. Rename or remove the duplicate.",
    ),
    "rules.period_conflict": (
        "Kỳ {period} khác với kỳ {other} đã khai báo tại {first}.",
        "Period {period} differs from period {other} declared at {first}.",
    ),
    # lang-measures: value measures on a number attribute
    "rules.value_needs_number": (
        "'value' đo một thuộc tính số; '{attr}' là {type}. Dùng 'level' cho thang xếp loại, 'holds' cho có/không.",
        "'value' measures a number attribute; '{attr}' is {type}. Use 'level' for a rating scale, 'holds' for yes/no.",
    ),
    "rules.value_direction": (
        "Yêu cầu '{op}' ngược chiều với 'better: {better}'. Với 'better: lower' (ví dụ thứ hạng: "
        "xếp thứ 15 trở lên) viết 'lte: 15'; với 'better: higher' viết 'gte' hoặc 'gt'.",
        "The requirement '{op}' goes against 'better: {better}'. With 'better: lower' (a rank: 15th or "
        "better) write 'lte: 15'; with 'better: higher' write 'gte' or 'gt'.",
    ),
    "rules.require_number": (
        "Yêu cầu '{value}' không phải là số; viết một số, ví dụ 15 hoặc 8,5.",
        "The requirement '{value}' is not a number; write a number, e.g. 15 or 8.5.",
    ),
    # lang-measures: extending a pack's kind instead of declaring it twice
    "rules.duplicate_kind": (
        "Loại đối tượng '{id}' đã được khai báo tại {first}. Để thêm thuộc tính cho loại này, viết "
        "'- extend: {id}' kèm 'attributes:' thay cho '- id: {id}'.",
        "The kind '{id}' is already declared at {first}. To add attributes to it, write '- extend: {id}' "
        "with 'attributes:' instead of '- id: {id}'.",
    ),
    "rules.duplicate_attribute": (
        "Thuộc tính '{attr}' của '{kind}' bị trùng hoặc trùng tên dành riêng (id, name, titles, note).",
        "Attribute '{attr}' of '{kind}' is repeated or uses a reserved name (id, name, titles, note).",
    ),
    "rules.unknown_scale": ("Không có thang '{scale}'.", "No scale '{scale}'."),
    "rules.unknown_kind": ("Không có loại đối tượng '{kind}'.", "No entity kind '{kind}'."),
    "rules.duplicate_level": (
        "Mức '{level}' lặp lại trong thang '{scale}'.",
        "Level '{level}' is repeated in scale '{scale}'.",
    ),
    "rules.unknown_title": ("Không có danh hiệu/hình thức khen thưởng '{title}'.", "No title or award '{title}'."),
    "rules.title_not_for_kind": (
        "'{title}' không dành cho '{kind}' (chỉ dành cho: {holders}).",
        "'{title}' is not held by '{kind}' (only by: {holders}).",
    ),
    "rules.unknown_attribute": (
        "Loại '{kind}' không có thuộc tính '{attr}'.",
        "Kind '{kind}' has no attribute '{attr}'.",
    ),
    "rules.operator_needs_order": (
        "Phép so sánh '{op}' cần giá trị có thứ tự, nhưng '{attr}' có kiểu {type}. Dùng eq, neq hoặc in.",
        "Operator '{op}' needs an ordered value but '{attr}' is {type}. Use eq, neq or in.",
    ),
    "rules.unknown_level": (
        "'{value}' không phải một mức của thang {scale}.",
        "'{value}' is not a level of scale {scale}.",
    ),
    "rules.bad_value": (
        "'{value}' không hợp với thuộc tính '{attr}' (kiểu {type}).",
        "'{value}' does not fit attribute '{attr}' ({type}).",
    ),
    "rules.level_needs_scale": (
        "Phép đo 'level' cần thuộc tính theo thang, nhưng '{attr}' có kiểu {type}; "
        "với thuộc tính số (thứ hạng, điểm) dùng 'value'.",
        "A 'level' measure needs a scale attribute, but '{attr}' is {type}; for a number (a rank, a mark) use 'value'.",
    ),
    "rules.require_missing": (
        "Chỉ tiêu '{target}' thiếu 'require' (yêu cầu cần đạt).",
        "Target '{target}' has no 'require'.",
    ),
    "rules.holds_needs_eq": (
        "Phép đo 'holds' chỉ dùng 'eq: true' hoặc 'eq: false', không dùng '{op}'.",
        "A 'holds' measure takes only 'eq: true' or 'eq: false', not '{op}'.",
    ),
    "rules.range_reversed": (
        "Khoảng [{low}, {high}] bị ngược: số nhỏ viết trước.",
        "Range [{low}, {high}] is reversed: write the lower bound first.",
    ),
    "rules.require_count": (
        "Yêu cầu về số lượng phải là số không âm, không phải '{value}'.",
        "A count requirement must be a non-negative number, not '{value}'.",
    ),
    "rules.require_share": (
        "Yêu cầu về tỷ lệ phải viết như 90% hoặc 0.9, không phải '{value}'.",
        "A share requirement is written as 90% or 0.9, not '{value}'.",
    ),
    "rules.share_over_one": (
        "Tỷ lệ {value} lớn hơn 1 nên không bao giờ đạt được (tỷ lệ viết như 90% hoặc 0.9).",
        "Share {value} is above 1 and can never be reached (write a share as 90% or 0.9).",
    ),
    "rules.require_bool": (
        "Phép đo 'holds' cần true hoặc false, không phải '{value}'.",
        "A 'holds' measure needs true or false, not '{value}'.",
    ),
    # fact files
    "facts.not_mapping": (
        "Tệp dữ kiện phải là một bảng khóa: giá trị với 'period' và 'entities'.",
        "A fact file must be a mapping with 'period' and 'entities'.",
    ),
    "facts.unknown_top_key": (
        "Khóa '{key}' không dùng trong tệp dữ kiện (chỉ có period, entities, source, note).",
        "Key '{key}' is not used in fact files (only period, entities, source, note).",
    ),
    "facts.bad_period": (
        "Kỳ (period) phải là một năm, không phải '{value}'.",
        "The period must be a year, not '{value}'.",
    ),
    "facts.period_conflict": (
        "Kỳ {period} khác với kỳ {other} của tệp dữ kiện khác.",
        "Period {period} differs from period {other} of another fact file.",
    ),
    "facts.period_mismatch": (
        "Dữ kiện thuộc năm {period} nhưng chỉ tiêu là của năm {rules_period}.",
        "The facts are for {period} but the targets are for {rules_period}.",
    ),
    "facts.entities_mapping": (
        "'entities' phải là bảng theo loại đối tượng (organization, unit, person, ...).",
        "'entities' must be a mapping by kind (organization, unit, person, ...).",
    ),
    "facts.unknown_kind": (
        "Loại đối tượng '{kind}' chưa được khai báo trong quy tắc.",
        "Entity kind '{kind}' is not declared in the rules.",
    ),
    "facts.kind_list": ("Các đối tượng loại '{kind}' phải là một danh sách.", "The '{kind}' entities must be a list."),
    "facts.entity_mapping": (
        "Mỗi đối tượng loại '{kind}' phải là một bảng khóa: giá trị.",
        "Each '{kind}' entity must be a mapping.",
    ),
    "facts.entity_id": ("Đối tượng loại '{kind}' thiếu mã 'id'.", "A '{kind}' entity has no 'id'."),
    "facts.duplicate_id": (
        "Mã '{id}' đã dùng tại {first}. Mỗi đối tượng cần một mã riêng.",
        "Id '{id}' is already used at {first}. Each entity needs its own id.",
    ),
    "facts.unknown_attribute": (
        "Loại '{kind}' không có thuộc tính '{attr}'.",
        "Kind '{kind}' has no attribute '{attr}'.",
    ),
    "facts.unknown_level": (
        "'{value}' không phải một mức của thang {scale} (các mức: {levels}).",
        "'{value}' is not a level of scale {scale} (levels: {levels}).",
    ),
    "facts.bad_value": (
        "'{value}' không hợp với thuộc tính '{attr}' (kiểu {type}).",
        "'{value}' does not fit attribute '{attr}' ({type}).",
    ),
    "facts.unknown_value_key": (
        "Khóa '{key}' không dùng ở đây (chỉ có awaiting, provisional, note).",
        "Key '{key}' is not used here (only awaiting, provisional, note).",
    ),
    "facts.awaiting_who": (
        "Giá trị chờ xét của '{attr}' cần ghi 'awaiting: <cấp nào đang xét>'.",
        "A pending value of '{attr}' needs 'awaiting: <who decides>'.",
    ),
    "facts.titles_list": ("'titles' phải là một danh sách.", "'titles' must be a list."),
    "facts.unknown_holding_key": (
        "Khóa '{key}' không dùng trong danh hiệu (chỉ có title, state, awaiting, decision, note).",
        "Key '{key}' is not used in a title entry (only title, state, awaiting, decision, note).",
    ),
    "facts.holding_title": (
        "Mỗi mục trong 'titles' là mã danh hiệu hoặc bảng có 'title'.",
        "Each 'titles' entry is a title id or a mapping with 'title'.",
    ),
    "facts.holding_state": (
        "Trạng thái '{value}' không hợp lệ (chọn một trong: {states}).",
        "State '{value}' is not valid (one of: {states}).",
    ),
    "facts.unknown_title": ("Không có danh hiệu/hình thức khen thưởng '{title}'.", "No title or award '{title}'."),
    "facts.title_not_for_kind": (
        "'{title}' không dành cho '{kind}' (chỉ dành cho: {holders}).",
        "'{title}' is not held by '{kind}' (only by: {holders}).",
    ),
    "facts.duplicate_holding": ("'{id}' có '{title}' hai lần.", "'{id}' holds '{title}' twice."),
    "facts.unknown_ref": ("Không có đối tượng '{kind}' mang mã '{value}'.", "No '{kind}' entity with id '{value}'."),
    # reasons
    "entities.counted": ("Được tính ({count})", "Counted ({count})"),
    "entities.none_counted": (
        "Không có trường hợp nào ({total} không thuộc diện tính)",
        "None counted ({total} not counted)",
    ),
    "entities.all_matching": ("Tất cả {count} đều đạt điều kiện", "All {count} match"),
    # --- at-most shares (rel-engine): the short reason names those that count against the target
    "entities.none_matching": ("Không có trường hợp nào thuộc diện này", "None in this group"),
    "entities.not_counted": ("Không được tính ({count})", "Not counted ({count})"),
    "entities.unknown": ("Chưa rõ ({count})", "Unknown ({count})"),
    "entities.outside": ("Ngoài đối tượng tính tỷ lệ ({count})", "Outside the population ({count})"),
    "entities.population_unknown": (
        "Chưa rõ có thuộc đối tượng tính tỷ lệ ({count})",
        "Population membership unknown ({count})",
    ),
    "entities.matching": ("Đạt điều kiện ({count})", "Matching ({count})"),
    "entities.not_matching": ("Không đạt điều kiện ({count})", "Not matching ({count})"),
    "entities.excluded_unknown": (
        "Chưa rõ, không tính vào mẫu số ({count})",
        "Unknown, left out of the denominator ({count})",
    ),
    "entities.unknown_as_not_matching": (
        "Chưa rõ, tính là không đạt ({count})",
        "Unknown, counted as not matching ({count})",
    ),
    "entities.holds": ("Có", "Yes"),
    "entities.does_not_hold": ("Không", "No"),
    "measure.no_entities": ("Chưa có dữ kiện về {kind_title} ({kind}).", "No facts about '{kind}' entities."),
    "measure.no_entity": ("Chưa có dữ kiện về {kind} '{entity}'.", "No facts about {kind} '{entity}'."),
    "measure.empty_population": ("Không có đối tượng nào để tính tỷ lệ.", "Nobody is in the population of the share."),
    "measure.several_entities": (
        "Có {count} đối tượng loại '{kind}' ({ids}); ghi rõ 'entity' trong phép đo.",
        "There are {count} '{kind}' entities ({ids}); name one with 'entity' in the measure.",
    ),
    "measure.value": ("{attribute_label}: {value}", "{attribute_label}: {value}"),
    # lang-measures: the value of a number attribute (a rank, a mark), with the measure's unit word
    "measure.number": ("{attribute_label}: {value} {unit}", "{attribute_label}: {value} {unit}"),
    "measure.value_missing": ("Chưa có {attribute_label}.", "No {attribute_label} yet."),
    "measure.value_awaiting": (
        "{attribute_label} đang chờ {by} xét (tự đánh giá: {provisional}).",
        "{attribute_label} awaits the decision of {by} (self-assessed: {provisional}).",
    ),
    "note.proposal_counted": (
        "Đã tính {count} trường hợp mới được đề nghị, chưa có quyết định ({titles})",
        "Counted {count} proposal(s), not decisions ({titles})",
    ),
    "engine.error": ("Lỗi bộ máy luật: {detail}", "Rule engine error: {detail}"),
    #
    # --- title criteria and quotas ---
    "note.derived_counted": (
        "Đã tính {count} danh hiệu suy ra theo tiêu chuẩn, dữ kiện chưa ghi nhận ({titles}: {names})",
        "Counted {count} title(s) derived by the criteria, not recorded in the facts ({titles}: {names})",
    ),
    "criteria.unused_setting": (
        "Không tiêu chuẩn hay tỷ lệ nào dùng thiết lập '{setting}'; kiểm tra lại mã thiết lập cần ghi đè.",
        "No criterion or quota uses setting '{setting}'; check the id of the setting to override.",
    ),
    "criteria.unknown_setting": ("Không có thiết lập '{setting}'.", "No setting '{setting}'."),
    "criteria.bad_via": (
        "'{via}' không phải thuộc tính của '{of}' trỏ tới '{kind}'; cần một thuộc tính 'ref: {kind}'.",
        "'{via}' is not an attribute of '{of}' pointing to '{kind}'; it needs an attribute with 'ref: {kind}'.",
    ),
    # lang-measures: titles held by the organization as a whole
    "criteria.via_required": (
        "Thiếu 'via': cần thuộc tính của '{of}' trỏ tới '{kind}' (ví dụ: {choices}); "
        "chỉ được bỏ 'via' khi xét cả cơ quan (of: organization).",
        "'via' is missing: name the attribute of '{of}' pointing to '{kind}' (e.g. {choices}); "
        "'via' may be left out only for the organization as a whole (of: organization).",
    ),
    "criteria.members_nested": (
        "Điều kiện 'members' không được lồng trong một điều kiện 'members' khác.",
        "A 'members' condition cannot be nested in another 'members' condition.",
    ),
    "criteria.bad_date_attribute": (
        "'{attr}' không phải thuộc tính ngày tháng của '{kind}'.",
        "'{attr}' is not a date attribute of '{kind}'.",
    ),
    "criteria.bad_per": (
        "'{per}' không phải thuộc tính trỏ tới tập thể của '{kind}' để chia nhóm.",
        "'{per}' is not an attribute of '{kind}' that names a group (a 'ref' attribute).",
    ),
    "criteria.cycle": (
        "Các tiêu chuẩn phụ thuộc vòng tròn: {cycle}. Bỏ một điều kiện 'has_title' để phá vòng.",
        "The criteria depend on each other in a cycle: {cycle}. Remove one 'has_title' to break it.",
    ),
    "criteria.unknown_title_option": (
        "Không có danh hiệu '{title}' trong các tiêu chuẩn áp dụng.",
        "No title '{title}' among the criteria that apply.",
    ),
    "criteria.check.members_share": ("Tỷ lệ thành viên {label}", "Share of members: {label}"),
    "criteria.check.members_count": ("Số thành viên {label}", "Members: {label}"),
    "criteria.check.months": (
        "Số tháng công tác đến cuối năm (từ {label})",
        "Months served to the end of the year (from {label})",
    ),
    "criteria.check.line": (
        "{label}: {actual} (yêu cầu {sign} {expected})",
        "{label}: {actual} (needs {sign} {expected})",
    ),
    "criteria.check.title_line": ("{label}: {actual}", "{label}: {actual}"),
    "criteria.check.missing": ("{label}: chưa có dữ kiện", "{label}: no data"),
    "criteria.check.awaiting": ("{label}: chờ {by} xét", "{label}: awaiting {by}"),
    "criteria.check.override": (
        "{label}: {actual} theo quyết định của Hội đồng ({by})",
        "{label}: {actual} by the council's decision ({by})",
    ),
    "criteria.check.derived_unknown": ("{label}: chưa xác định được", "{label}: not yet determined"),
    "criteria.all_met": ("Đạt mọi điều kiện", "Meets every condition"),
    "criteria.finding.unrecorded": (
        "{name}: đủ tiêu chuẩn {title} nhưng dữ kiện chưa ghi nhận",
        "{name}: qualifies for {title} but the facts do not record it",
    ),
    "criteria.finding.unsupported": (
        "{name}: dữ kiện ghi nhận {title} nhưng không đủ tiêu chuẩn",
        "{name}: the facts record {title} but the criteria do not support it",
    ),
    "criteria.finding.unconfirmed": (
        "{name}: dữ kiện ghi nhận {title}, chưa đủ dữ kiện để đối chiếu tiêu chuẩn",
        "{name}: the facts record {title}; not enough data to check it against the criteria",
    ),
    "criteria.finding.refused": (
        "{name}: đủ tiêu chuẩn {title} nhưng dữ kiện ghi không được công nhận",
        "{name}: qualifies for {title} but the facts record it as refused",
    ),
    "criteria.finding.override": (
        "{name}: Hội đồng quyết định khác tiêu chuẩn về {title}: {note}",
        "{name}: the council decided {title} against the criteria: {note}",
    ),
    "criteria.quota.within": (
        "{title}: {count} / tối đa {cap} ({share} của {base} {of_title}, làm tròn {rounding}) — trong giới hạn",
        "{title}: {count} / at most {cap} ({share} of {base} {of_title}, rounded {rounding}) — within the cap",
    ),
    "criteria.quota.breach": (
        "{title}: {count} người đủ tiêu chuẩn nhưng tối đa {cap} ({share} của {base} {of_title}, làm tròn {rounding}) — vượt giới hạn, Hội đồng chọn trong: {candidates}",
        "{title}: {count} qualify but at most {cap} ({share} of {base} {of_title}, rounded {rounding}) — over the cap; the council chooses among: {candidates}",
    ),
    "criteria.quota.pending": (
        "{title}: {count} / tối đa {cap} ({share} của {base} {of_title}, làm tròn {rounding}) — chưa xác định",
        "{title}: {count} / at most {cap} ({share} of {base} {of_title}, rounded {rounding}) — pending",
    ),
    # --- quota over a range (rel-engine): the cap computed over the range of the base, recorded decisions
    "criteria.quota.cap_uncertain": (
        "(Tối đa chưa chắc chắn: số {of_title} chưa rõ, từ {base}.)",
        "(The cap is uncertain: the number of {of_title} is not yet known, {base}.)",
    ),
    "criteria.quota.breach_decided": (
        "{title}: {decided} quyết định đã ghi nhận nhưng tối đa {cap} ({share} của {base} {of_title}, làm tròn {rounding}) — vượt giới hạn",
        "{title}: {decided} recorded decisions but at most {cap} ({share} of {base} {of_title}, rounded {rounding}) — over the cap",
    ),
    "criteria.finding.over_quota": (
        "{title}: {decided} quyết định đã ghi nhận vượt tối đa {cap} ({share} của {base} {of_title}){group}",
        "{title}: {decided} recorded decisions exceed the cap of {cap} ({share} of {base} {of_title}){group}",
    ),
    "finding.action.over_quota": (
        "đối chiếu các quyết định với tỷ lệ khống chế; nếu đúng là vượt, ghi rõ căn cứ trong 'note'",
        "check the decisions against the quota; if it is indeed exceeded, state the grounds in 'note'",
    ),
    "criteria.rounding.floor": ("xuống", "down"),
    "criteria.rounding.ceil": ("lên", "up"),
    "criteria.rounding.round": ("đến số gần nhất", "to the nearest"),
    "consistency.reported_count": (
        "Chỉ tiêu '{title}': báo cáo ghi {reported} nhưng dữ kiện (theo danh sách) cho {computed}.",
        "Target '{title}': the report states {reported} but the facts (the names listed) give {computed}.",
    ),
    "consistency.reported_share": (
        "Chỉ tiêu '{title}': báo cáo ghi {reported} nhưng dữ kiện cho {computed}.",
        "Target '{title}': the report states {reported} but the facts give {computed}.",
    ),
    "consistency.denominators": (
        "Chỉ tiêu '{first}' và '{second}' tính cùng một tỷ lệ trên '{kind}' với hai mẫu số khác nhau.",
        "Targets '{first}' and '{second}' compute the same share of '{kind}' over different denominators.",
    ),
    "criteria.overlap": (
        "Đã có tiêu chuẩn '{other}' ({first}) cho danh hiệu '{title}' trong cùng thời kỳ; ghi 'valid' để tách thời kỳ hoặc gộp bằng 'any'.",
        "Criterion '{other}' ({first}) already grants '{title}' in the same period; separate them with 'valid' or merge them with 'any'.",
    ),
    "finding.action.unrecorded": (
        "ghi danh hiệu vào dữ kiện khi có quyết định, hoặc ghi Hội đồng không công nhận kèm lý do (note)",
        "record the title once decided, or record the council's refusal with a note",
    ),
    "finding.action.unsupported": (
        "kiểm tra lại dữ kiện (xếp loại, sáng kiến, ngày tuyển dụng...) hoặc ghi lý do Hội đồng quyết định (note)",
        "check the facts (rating, initiative, recruitment date...) or record the council's reason (note)",
    ),
    "finding.action.unconfirmed": (
        "bổ sung dữ kiện còn thiếu để đối chiếu",
        "add the missing facts so it can be checked",
    ),
    "finding.action.refused": (
        "xác nhận việc không công nhận bằng lý do (note) của Hội đồng",
        "confirm the refusal with the council's reason (note)",
    ),
    "finding.action.override": (
        "không cần sửa: quyết định của Hội đồng có ghi lý do",
        "nothing to fix: the council's decision carries its reason",
    ),
    "finding.action.reported": (
        "sửa số trong báo cáo hoặc danh sách trong dữ kiện cho khớp",
        "correct the report's figure or the list in the facts so they agree",
    ),
    "finding.action.denominators": (
        "thống nhất đối tượng tính tỷ lệ (where) của hai chỉ tiêu",
        "use one population (where) for both targets",
    ),
    "finding.action.review": ("xem lại", "review it"),
    #
    #
    # --- explain and audit ---
    #
    "explain.unknown_target": (
        "Không có chỉ tiêu '{target}'. Các chỉ tiêu: {targets}.",
        "No target '{target}'. Targets: {targets}.",
    ),
    "explain.unknown_entity": (
        "Đối tượng '{entity}' không có trong lý do của chỉ tiêu '{target}'.",
        "Entity '{entity}' is not among the reasons of target '{target}'.",
    ),
    "ledger.missing": (
        "Không có sổ kiểm toán '{path}'. Chạy 'thidua evaluate' để ghi, hoặc chỉ rõ bằng --ledger hay biến THIDUA_LEDGER.",
        "No ledger '{path}'. Run 'thidua evaluate' to record one, or name it with --ledger or THIDUA_LEDGER.",
    ),
    "ledger.not_database": (
        "'{path}' không phải cơ sở dữ liệu SQLite (tệp hỏng hoặc không phải sổ kiểm toán). Chỉ rõ sổ đúng bằng --ledger.",
        "'{path}' is not an SQLite database (damaged, or not a ledger). Name the right ledger with --ledger.",
    ),
    "ledger.foreign": (
        "'{path}' là cơ sở dữ liệu SQLite nhưng không phải sổ kiểm toán của thidua. Dùng một tệp khác bằng --ledger.",
        "'{path}' is an SQLite database but not a thidua ledger. Use another file with --ledger.",
    ),
    "ledger.newer_schema": (
        "Sổ kiểm toán '{path}' được ghi bởi phiên bản thidua mới hơn (lược đồ {found}, bản này đọc được đến {supported}). Hãy nâng cấp thidua; sổ không bị thay đổi.",
        "Ledger '{path}' was written by a newer thidua (schema {found}; this version reads up to {supported}). Upgrade thidua; the ledger was not changed.",
    ),
    "ledger.unwritable": (
        "Không ghi được sổ kiểm toán '{path}': {reason}. Dùng --no-record hoặc chỉ một tệp khác bằng --ledger.",
        "Cannot write ledger '{path}': {reason}. Use --no-record or name another file with --ledger.",
    ),
    "ledger.busy": (
        "Sổ kiểm toán '{path}' đang bị khóa quá lâu ({reason}). Thử lại sau.",
        "Ledger '{path}' stayed locked too long ({reason}). Try again later.",
    ),
    "ledger.no_run": (
        "Không có lần chạy '{run}' trong sổ '{path}'. Xem danh sách bằng 'thidua audit list'.",
        "No run '{run}' in ledger '{path}'. List runs with 'thidua audit list'.",
    ),
    "audit.edited": (
        "Lần chạy #{seq} đã bị sửa sau khi ghi (mã băm không khớp nội dung).",
        "Run #{seq} was edited after it was recorded (its hash does not match its content).",
    ),
    "audit.chain_broken": (
        "Lần chạy #{seq} không nối với lần #{previous}: lần #{previous} đã bị sửa và tính lại mã băm.",
        "Run #{seq} does not chain to run #{previous}: run #{previous} was edited and re-hashed.",
    ),
    "audit.deleted": (
        "Thiếu lần chạy {missing} trước lần #{seq}: đã bị xóa.",
        "Run(s) {missing} before run #{seq} are missing: deleted.",
    ),
    "audit.deleted_last": (
        "Thiếu lần chạy cuối {missing}: đã bị xóa.",
        "The last run(s) {missing} are missing: deleted.",
    ),
    "audit.inserted": (
        "Lần chạy #{seq} không thuộc chuỗi đã ghi: bị chèn thêm.",
        "Run #{seq} is not part of the recorded chain: inserted.",
    ),
    "audit.renumbered": ("Lần chạy #{seq} bị đổi số thứ tự.", "Run #{seq} was renumbered."),
    "audit.orphan_rows": (
        "Có dòng dữ liệu của lần chạy #{seq} nhưng không có lần chạy đó: lần chạy đã bị xóa.",
        "Rows of run #{seq} exist without the run: the run was deleted.",
    ),
    "audit.snapshot_edited": (
        "Bản lưu của tệp {files} (dùng bởi lần chạy {runs}) đã bị sửa.",
        "The snapshot of {files} (used by runs {runs}) was edited.",
    ),
    #
    # --- authoring: validate, spreadsheets, init, rule tests ---
    #
    "lint.share_tiny": (
        "Tỷ lệ {value} rất nhỏ (dưới 1%); có lẽ đã viết nhầm.",
        "Share {value} is tiny (under 1%); probably a slip.",
    ),
    "lint.never_met": (
        "Chỉ tiêu '{target}' không bao giờ đạt được với yêu cầu '{requirement}'.",
        "Target '{target}' can never be met with requirement '{requirement}'.",
    ),
    "lint.above_population": (
        "Chỉ tiêu '{target}' cần {value} nhưng dữ kiện chỉ có {count} đối tượng loại '{kind}': không thể đạt.",
        "Target '{target}' needs {value} but the facts have only {count} '{kind}' entities: it cannot be met.",
    ),
    "lint.duplicate_target": (
        "Chỉ tiêu '{target}' có cùng phép đo và yêu cầu với chỉ tiêu '{first}' ({at}). Xóa bản trùng hoặc sửa lại.",
        "Target '{target}' has the same measure and requirement as '{first}' ({at}). Remove or change one.",
    ),
    "lint.condition_never": (
        "Điều kiện trên '{attr}' ({tests}) không bao giờ đúng: không giá trị nào thỏa tất cả.",
        "The condition on '{attr}' ({tests}) can never hold: no value passes all of it.",
    ),
    "lint.title_and_not": (
        "Điều kiện vừa đòi vừa loại trừ danh hiệu '{title}': không bao giờ đúng.",
        "The condition both requires and excludes title '{title}': it can never hold.",
    ),
    "tests.not_mapping": (
        "Tệp kiểm thử phải là bảng khóa: giá trị với 'cases'.",
        "A test file must be a mapping with 'cases'.",
    ),
    "tests.unknown_key": (
        "Khóa '{key}' không dùng ở đây (chỉ có: {keys}).",
        "Key '{key}' is not used here (only: {keys}).",
    ),
    "tests.no_cases": (
        "Tệp kiểm thử cần 'cases': danh sách các trường hợp.",
        "A test file needs 'cases': a list of test cases.",
    ),
    "tests.case_mapping": (
        "Mỗi trường hợp kiểm thử là một bảng có name, facts, expect.",
        "Each test case is a mapping with name, facts, expect.",
    ),
    "tests.no_expect": (
        "Trường hợp '{name}' cần 'expect': kết quả mong đợi theo mã chỉ tiêu.",
        "Case '{name}' needs 'expect': the expected result by target id.",
    ),
    "tests.unknown_target": ("Không có chỉ tiêu '{target}'.", "No target '{target}'."),
    "tests.bad_status": (
        "'{value}' không phải kết quả hợp lệ (chọn: {statuses}).",
        "'{value}' is not a status (one of: {statuses}).",
    ),
    "tests.bad_margin": (
        "Chênh lệch (margin) phải là số, không phải '{value}'.",
        "A margin must be a number, not '{value}'.",
    ),
    "tests.none_found": (
        "Không có tệp kiểm thử (*.tests.yaml) trong '{path}'.",
        "No test file (*.tests.yaml) in '{path}'.",
    ),
    "path.not_folder": (
        "'{path}' là một tệp, không phải thư mục: chọn tên một thư mục (mới hoặc đã có).",
        "'{path}' is a file, not a folder: choose the name of a folder (new or existing).",
    ),
    "init.exists": (
        "Tệp '{path}' đã có; thidua init không ghi đè. Chọn thư mục khác hoặc xóa tệp đó.",
        "'{path}' exists; thidua init does not overwrite. Choose another folder or remove it.",
    ),
    "loc.sheet": ("sheet '{sheet}'", "sheet '{sheet}'"),
    "loc.row": ("dòng {row}", "row {row}"),
    "loc.column": ("cột '{column}'", "column '{column}'"),
    "sheet.unknown_header": (
        "Cột '{header}' không ứng với thông tin nào của '{kind}' (các cột: {headers}).",
        "Column '{header}' names nothing of '{kind}' (columns: {headers}).",
    ),
    "sheet.duplicate_header": (
        "Cột '{header}' lặp lại thông tin của cột '{first}'. Xóa một trong hai cột.",
        "Column '{header}' repeats column '{first}'. Remove one of them.",
    ),
    "sheet.unknown_title": (
        "Không có danh hiệu/hình thức khen thưởng '{title}'. Các danh hiệu cách nhau bằng dấu ';'.",
        "No title or award '{title}'. Separate titles with ';'.",
    ),
    "sheet.title_state": (
        "Không hiểu '{state}' trong ngoặc sau '{title}': dùng 'đề nghị', 'chờ <cấp xét>', 'không được công nhận' hoặc số quyết định.",
        "Cannot read '{state}' after '{title}': use 'đề nghị', 'chờ <who decides>', 'không được công nhận' or a decision number.",
    ),
    "csv.not_utf8": (
        "Tệp CSV '{path}' không phải UTF-8 (lỗi từ dòng {line}; có thể đã lưu bằng Windows-1258 hoặc TCVN3). Trong Excel chọn Lưu thành (Save As), kiểu 'CSV UTF-8 (Comma delimited) (*.csv)'.",
        "CSV file '{path}' is not UTF-8 (from line {line}; perhaps saved as Windows-1258 or TCVN3). In Excel use Save As, type 'CSV UTF-8 (Comma delimited) (*.csv)'.",
    ),
    "csv.unknown_kind": (
        "Tên tệp '{path}' không cho biết loại đối tượng. Đặt tên theo loại, ví dụ: {names}.",
        "The name of '{path}' does not say which kind it holds. Name it after the kind, e.g. {names}.",
    ),
    "xlsx.unreadable": (
        "Không đọc được bảng tính '{path}' ({detail}). Lưu lại tệp bằng Excel dạng .xlsx.",
        "Cannot read workbook '{path}' ({detail}). Save it again from Excel as .xlsx.",
    ),
    "xlsx.unknown_sheet": (
        "Sheet '{sheet}' không ứng với loại đối tượng nào (các sheet: {names}). Đổi tên sheet, hoặc đặt tên bắt đầu bằng '_' để bỏ qua.",
        "Sheet '{sheet}' names no entity kind (sheets: {names}). Rename it, or start its name with '_' to skip it.",
    ),
    # --- reported figures (rel-engine): `reported:` read as a count, a share or both
    "rules.reported_unreadable": (
        "Không đọc được số liệu báo cáo '{value}' của chỉ tiêu '{target}'. Ghi một số (ví dụ 17), "
        "một tỷ lệ (ví dụ 54,6%) hoặc cả hai (ví dụ 34 (54,6%)).",
        "Cannot read the reported figure '{value}' of target '{target}'. Write a number (e.g. 17), "
        "a share (e.g. 54.6%) or both (e.g. 34 (54.6%)).",
    ),
    # --- misplaced keys (rel-engine): a key of the language in the wrong place says where it belongs
    "rules.key_misplaced": (
        "Khóa '{key}' không dùng được ở đây; khóa này chỉ dùng trong: {places}.",
        "Key '{key}' is not allowed here; it belongs under: {places}.",
    ),
    # --- engine limits (rel-engine): conditions the rule engine cannot hold, refused before it runs ---
    "engine.too_wide": (
        "Điều kiện của '{what}' có {count} lựa chọn trong cùng một 'any'; bộ máy luật giữ được tối đa {limit}. "
        "Với nhiều giá trị của một thuộc tính, dùng 'in:' (không giới hạn số giá trị); nếu không, tách thành nhiều chỉ tiêu.",
        "The condition of '{what}' has {count} alternatives in one 'any'; the rule engine holds at most {limit}. "
        "For many values of one attribute use 'in:' (no limit on values); otherwise split it into several targets.",
    ),
    "engine.too_many_rules": (
        "Các tiêu chuẩn cùng loại đối tượng, đến '{what}', cần {count} luật trong bộ máy luật; tối đa {limit}. "
        "Hãy đơn giản hoá điều kiện của các tiêu chuẩn này.",
        "The criteria of one kind, up to '{what}', need {count} rules in the rule engine; at most {limit}. "
        "Simplify the conditions of these criteria.",
    ),
    "engine.too_complex": (
        "Điều kiện của '{what}' quá phức tạp cho bộ máy luật: khai triển ra hơn {limit} phương án "
        "(thường do nhiều 'any' lồng trong 'all'). Hãy đơn giản hoá, ví dụ gộp các giá trị của một thuộc tính vào 'in:'.",
        "The condition of '{what}' is too complex for the rule engine: it expands into more than {limit} alternatives "
        "(usually many 'any' inside an 'all'). Simplify it, e.g. gather the values of one attribute into 'in:'.",
    ),
    # documents (thidua report): the Word report, the Excel lists and the HTML report
    "documents.national": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
    "documents.motto": ("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    "documents.number": ("Số: …/{symbol}", "No.: …/{symbol}"),
    "documents.place_date": ("{place}, ngày … tháng … năm {year}", "{place}, … {year}"),
    "documents.doc_type": ("BÁO CÁO", "REPORT"),
    "documents.draft": ("DỰ THẢO", "DRAFT"),
    "documents.summary": (
        "Kết quả thực hiện phong trào thi đua, khen thưởng năm {period}",
        "Results of the emulation movement and commendation in {period}",
    ),
    "documents.summary_next": (
        " và phương hướng phát động phong trào thi đua năm {period}",
        " and the emulation movement launched for {period}",
    ),
    "documents.part1": ("PHẦN I", "PART I"),
    "documents.part1_title": (
        "KẾT QUẢ TỔ CHỨC THỰC HIỆN PHONG TRÀO THI ĐUA NĂM {period}",
        "RESULTS OF THE EMULATION MOVEMENT IN {period}",
    ),
    "documents.registered": (
        "I. Công tác phát động và ký kết phong trào thi đua",
        "I. Launching the movement and signing the emulation pledge",
    ),
    "documents.registered_intro": (
        "Các chỉ tiêu thi đua đã đăng ký năm {period}:",
        "The emulation targets registered for {period}:",
    ),
    "documents.group.collective": ("Đối với tập thể:", "For collectives:"),
    "documents.group.individual": ("Đối với cá nhân:", "For individuals:"),
    "documents.group.other": ("Chỉ tiêu khác:", "Other targets:"),
    "documents.leadership": (
        "II. Công tác lãnh đạo, phối hợp triển khai phong trào thi đua",
        "II. Leadership and coordination of the movement",
    ),
    "documents.fill_in": ("…", "…"),
    "documents.results": ("III. Kết quả đạt được", "III. Results"),
    "documents.results_intro": (
        "Qua đánh giá, bình xét của Hội đồng thi đua, khen thưởng, tập thể và cá nhân đã đạt được các thành tích như sau:",
        "After the review of the emulation and commendation council, collectives and individuals achieved the following:",
    ),
    "documents.titles_earned": ("Danh hiệu thi đua, hình thức khen thưởng:", "Titles and awards:"),
    "documents.assessment": ("IV. Nhận xét, đánh giá", "IV. Assessment"),
    "documents.part2": ("PHẦN II", "PART II"),
    "documents.part2_title": (
        "PHÁT ĐỘNG PHONG TRÀO THI ĐUA VÀ KÝ KẾT GIAO ƯỚC THI ĐUA NĂM {period}",
        "LAUNCHING THE EMULATION MOVEMENT AND SIGNING THE PLEDGE FOR {period}",
    ),
    "documents.part2_content": ("I. Nội dung thi đua", "I. Content of the movement"),
    "documents.part2_targets": (
        "II. Chỉ tiêu thi đua cụ thể trong năm {period}:",
        "II. Specific emulation targets for {period}:",
    ),
    "documents.closing": (
        "Trên đây là báo cáo kết quả thực hiện phong trào thi đua năm {period}{next}./.",
        "This is the report on the emulation movement in {period}{next}./.",
    ),
    "documents.closing_next": (
        ", phát động phong trào và đăng ký thi đua năm {period}",
        ", launching the movement and registering targets for {period}",
    ),
    "documents.recipients": ("Nơi nhận:", "Recipients:"),
    "documents.appendix": ("Phụ lục: các điểm cần rà soát", "Appendix: points to review"),
    "documents.appendix_intro": (
        "Các điểm dưới đây không làm thay đổi kết quả đánh giá; Hội đồng rà soát trước khi ký và có thể bỏ phụ lục này khi ban hành.",
        "These points change no verdict; the council reviews them before signing and may drop this appendix when issuing.",
    ),
    "documents.outcome.met": ("đạt chỉ tiêu năm {period}", "meets the {period} target"),
    "documents.outcome.exceeded_by": ("vượt {margin} chỉ tiêu năm {period}", "exceeds the {period} target by {margin}"),
    "documents.outcome.exceeded": ("vượt chỉ tiêu năm {period}", "exceeds the {period} target"),
    "documents.outcome.required": ("chỉ tiêu: {required}", "target: {required}"),
    "documents.outcome.not_met": ("không đạt chỉ tiêu năm {period}", "does not meet the {period} target"),
    "documents.outcome.short_by": ("còn thiếu {margin}", "short by {margin}"),
    "documents.outcome.pending_by": ("chờ kết quả xét của {by}", "awaiting the decision of {by}"),
    "documents.outcome.pending": ("chưa có kết quả", "no result yet"),
    "documents.outcome.provisional": ("tự đánh giá: {value}", "self-assessed: {value}"),
    "documents.outcome.error": ("chưa đánh giá được", "could not be evaluated"),
    "documents.names": ("gồm: {names}", "namely: {names}"),
    "documents.not_matching": ("chưa đạt: {names}", "not yet: {names}"),
    "documents.proposed_name": ("{name} (đề nghị)", "{name} (proposed)"),
    "documents.proposals_counted": (
        "trong đó {count} trường hợp đề nghị, chưa có quyết định",
        "of which {count} proposed, not yet decided",
    ),
    # lang-measures: a value measure's line in the report (rank, mark, total)
    "documents.value_line": ("{entity}: {attribute} {value}", "{entity}: {attribute} {value}"),
    "documents.level_line": ("{entity} đạt {attribute} “{value}”", "{entity}: {attribute} “{value}”"),
    "documents.holders": ("{title}: {count} {kind}", "{title}: {count} {kind}"),
    "documents.holders_proposed": ("Đề nghị {title}: {count} {kind}", "Proposed for {title}: {count} {kind}"),
    "documents.footer_run": ("Lần chạy số {run} trong sổ kiểm toán", "Ledger run {run}"),
    "documents.template.unreadable": (
        "Không mở được mẫu Word '{path}' ({detail}). Dùng tệp .docx lưu từ Word, hoặc mẫu gốc do thidua init tạo.",
        "Cannot open the Word template '{path}' ({detail}). Use a .docx saved from Word, or the one thidua init writes.",
    ),
    "documents.template.syntax": (
        "Mẫu Word, đoạn {paragraph} («{text}»): chỗ điền sai cú pháp ({detail}). Sửa lại thành dạng {{{{ tên }}}} hoặc {{%p if … %}}.",
        "Word template, paragraph {paragraph} («{text}»): placeholder syntax error ({detail}). Write it as {{{{ name }}}} or {{%p if … %}}.",
    ),
    "documents.template.unbalanced": (
        "Mẫu Word, đoạn {paragraph} («{text}»): mở '{{{{' hoặc '{{%' mà không đóng '}}}}' hoặc '%}}' trong cùng đoạn. Viết trọn chỗ điền trong một đoạn.",
        "Word template, paragraph {paragraph} («{text}»): '{{{{' or '{{%' is not closed by '}}}}' or '%}}' in the same paragraph. Keep each placeholder within one paragraph.",
    ),
    "documents.template.unknown_tag": (
        "Mẫu Word, đoạn {paragraph} («{text}»): không có thẻ '{tag}'. Dùng if, elif, else, endif, for, endfor.",
        "Word template, paragraph {paragraph} («{text}»): there is no tag '{tag}'. Use if, elif, else, endif, for, endfor.",
    ),
    "documents.template.stray_tag": (
        "Mẫu Word, đoạn {paragraph} («{text}»): thẻ '{tag}' không khớp với thẻ mở nào trước nó. Xóa thẻ hoặc thêm thẻ mở tương ứng.",
        "Word template, paragraph {paragraph} («{text}»): tag '{tag}' matches no opening tag before it. Remove it or add the opening tag.",
    ),
    "documents.template.unclosed": (
        "Mẫu Word, đoạn {paragraph} («{text}»): thẻ '{tag}' không được đóng. Thêm {{%p {end} %}} ở đoạn sau.",
        "Word template, paragraph {paragraph} («{text}»): tag '{tag}' is never closed. Add {{%p {end} %}} in a later paragraph.",
    ),
    "documents.template.undefined": (
        "Mẫu Word, đoạn {paragraph} («{text}»): chỗ điền '{name}' không có trong dữ liệu báo cáo. Các tên dùng được: {names}.",
        "Word template, paragraph {paragraph} («{text}»): placeholder '{name}' is not in the report data. Available names: {names}.",
    ),
    "documents.next_missing": (
        "Không tìm thấy thư mục năm sau '{path}' (--next). Chỉ đúng thư mục có tệp chỉ tiêu năm sau.",
        "No next-year folder '{path}' (--next). Point to the folder holding next year's targets.",
    ),
    "documents.run_unknown_format": (
        "Lần chạy {run} không ghi được bằng định dạng '{format}'.",
        "Run {run} cannot be rendered as '{format}'.",
    ),
    "documents.status.met": ("Đạt", "Met"),
    "documents.status.exceeded": ("Vượt", "Exceeded"),
    "documents.status.not_met": ("Không đạt", "Not met"),
    "documents.status.pending": ("Chưa có kết quả", "Pending"),
    "documents.status.error": ("Lỗi", "Error"),
    "documents.check.true": ("đạt", "met"),
    "documents.check.false": ("không đạt", "not met"),
    "documents.check.unknown": ("chưa rõ", "unknown"),
    "documents.check.not": ("KHÔNG", "NOT"),
    "documents.xlsx.state_refused": ("không được chấp thuận", "refused"),
    "documents.finding_kind.title": ("Danh hiệu", "Title"),
    "documents.finding_kind.consistency": ("Số liệu", "Figures"),
    "documents.xlsx.stt": ("STT", "No."),
    "documents.xlsx.target": ("Chỉ tiêu", "Target"),
    "documents.xlsx.id": ("Mã", "Id"),
    "documents.xlsx.requirement": ("Yêu cầu", "Requirement"),
    "documents.xlsx.result": ("Kết quả", "Result"),
    "documents.xlsx.status": ("Đánh giá", "Verdict"),
    "documents.xlsx.margin": ("Chênh lệch", "Margin"),
    "documents.xlsx.line": ("Nội dung báo cáo", "Report line"),
    "documents.xlsx.yes": ("Có", "Yes"),
    "documents.xlsx.no": ("Không", "No"),
    "documents.xlsx.name": ("Họ tên", "Name"),
    "documents.xlsx.position": ("Chức vụ", "Position"),
    "documents.xlsx.unit": ("Đơn vị", "Unit"),
    "documents.xlsx.title": ("Danh hiệu", "Title"),
    "documents.xlsx.basis": ("Căn cứ", "Basis"),
    "documents.xlsx.state_decided": ("đã có quyết định", "decided"),
    "documents.xlsx.state_proposed": ("đề nghị", "proposed"),
    "documents.xlsx.outcome": ("Kết quả xét", "Outcome"),
    "documents.xlsx.deciding": ("Tiêu chí quyết định (giá trị)", "Deciding criteria (value)"),
    "documents.xlsx.recorded": ("Đã ghi nhận", "Recorded"),
    "documents.xlsx.quota": ("Hạn mức", "Quota"),
    "documents.xlsx.quota_within": ("trong hạn mức", "within the quota"),
    "documents.xlsx.quota_breach": ("vượt hạn mức", "over the quota"),
    "documents.xlsx.quota_pending": ("chưa rõ", "unknown"),
    "documents.xlsx.quota_line": ("{title}: {count}/{cap} ({status})", "{title}: {count}/{cap} ({status})"),
    "documents.xlsx.qualifies": ("Đủ tiêu chuẩn", "Qualifies"),
    "documents.xlsx.does_not_qualify": ("Chưa đủ tiêu chuẩn", "Does not qualify"),
    "documents.xlsx.pending": ("Chưa rõ", "Pending"),
    "documents.xlsx.kind": ("Loại", "Kind"),
    "documents.xlsx.about": ("Về", "About"),
    "documents.xlsx.finding": ("Nội dung cần rà soát", "To review"),
    "documents.html.measured": ("Kết quả", "Result"),
    "documents.html.required": ("Yêu cầu", "Requirement"),
    "documents.html.whole": ("Toàn cơ quan", "Whole agency"),
    "documents.html.hidden": (
        "và {count} trường hợp khác (xem thidua explain --all)",
        "and {count} more (see thidua explain --all)",
    ),
    "documents.html.criterion": (
        "Danh hiệu xét theo tiêu chuẩn: {title} ({where})",
        "Title decided by the criterion: {title} ({where})",
    ),
    "documents.html.why": ("Vì sao? (giải trình như thidua explain)", "Why? (the thidua explain tree)"),
    "documents.html.none": ("Không có.", "None."),
    "documents.html.summary": ("Tóm tắt", "Summary"),
    "documents.html.total": ("Tổng số chỉ tiêu: {count}", "Targets: {count}"),
    "documents.html.verdicts": ("Kết quả từng chỉ tiêu", "Verdicts"),
    "documents.html.targets": ("Chi tiết và giải trình", "Details and explanations"),
    #
    # --- emulation blocks (thidua block): block file problems, proposals, settled targets ---
    "block.no_file": (
        "'{path}' không có tệp khối thi đua {file}. Đặt tệp {file} (tên khối, thành viên, bảng điểm) vào thư mục khối.",
        "'{path}' holds no block file {file}. Put {file} (the block's name, members, scoring table) in the block folder.",
    ),
    "block.member_missing": (
        "Không tìm thấy thư mục thành viên '{member}' ({path}). Sửa đường dẫn trong 'members' (tính từ thư mục khối).",
        "No member folder '{member}' ({path}). Fix the path in 'members' (relative to the block folder).",
    ),
    "path.block_folder": (
        "'{path}' là thư mục khối thi đua (block.rules.yaml), không phải một cơ quan: dùng 'thidua block {path}', "
        "hoặc 'thidua evaluate {path} --each' để đánh giá các thư mục cơ quan bên trong.",
        "'{path}' is an emulation block folder (block.rules.yaml), not an agency: use 'thidua block {path}', "
        "or 'thidua evaluate {path} --each' to evaluate the agency folders inside it.",
    ),
    "block.bad_points": ("'{key}' phải là một số ≥ 0.", "'{key}' must be a number ≥ 0."),
    "block.item_source": (
        "Mỗi tiêu chí lấy điểm từ đúng một nguồn: 'target' (chỉ tiêu của thành viên) hoặc 'measure' (phép đo trên dữ kiện).",
        "An item takes its points from exactly one of 'target' (the member's own target) or 'measure' (a measure over its facts).",
    ),
    "block.item_points": (
        "Tiêu chí có 'measure' cần 'require' (đạt thì đủ điểm) hoặc 'per_unit' (điểm cho mỗi đơn vị), không cả hai.",
        "An item with 'measure' needs 'require' (full points when met) or 'per_unit' (points per unit), not both.",
    ),
    "block.item_target_only": (
        "Tiêu chí có 'target' lấy yêu cầu từ chỉ tiêu của thành viên: bỏ 'require' và 'per_unit'.",
        "An item with 'target' takes the requirement of the member's target: remove 'require' and 'per_unit'.",
    ),
    "block.tie_breaker": (
        "Tiêu chí phụ khi bằng điểm là đúng một trong: group (điểm nhóm cao hơn), deductions: fewer (bị trừ ít hơn), bonus: more (điểm thưởng nhiều hơn).",
        "A tie-breaker is exactly one of: group (higher group score), deductions: fewer, bonus: more.",
    ),
    "block.condition_kind": (
        "Điều kiện đề nghị là đúng một trong: no_target_not_met, min_score, hoặc measure kèm require.",
        "A proposal condition is exactly one of: no_target_not_met, min_score, or measure with require.",
    ),
    "block.group_sum": (
        "Nhóm '{group}' ghi tối đa {max} điểm nhưng các tiêu chí cộng lại {sum} điểm. Sửa 'max' của nhóm hoặc của tiêu chí.",
        "Group '{group}' says at most {max} points but its items add up to {sum}. Fix the group's or an item's 'max'.",
    ),
    "block.total_sum": (
        "Bảng điểm ghi tổng {total} điểm nhưng các nhóm cộng lại {sum} điểm.",
        "The table says {total} points in all but its groups add up to {sum}.",
    ),
    "block.unknown_group": ("Không có nhóm tiêu chí '{group}'.", "No group '{group}'."),
    "block.unknown_condition": ("Không có điều kiện đề nghị '{condition}'.", "No proposal condition '{condition}'."),
    "block.unknown_target": (
        "Thành viên không đăng ký chỉ tiêu '{target}' mà tiêu chí này chấm điểm.",
        "The member registered no target '{target}', which this item scores.",
    ),
    "block.why_proposed": ("Xếp thứ {rank}, đủ điều kiện", "Ranked {rank}, conditions met"),
    "block.why_not_proposed": ("Xếp thứ {rank}, ngoài số lượng đề nghị", "Ranked {rank}, beyond the quotas"),
    "block.why_excluded": (
        "Đủ thứ hạng để đề nghị {title} nhưng không đạt điều kiện: {conditions}",
        "Ranked for {title} but a condition fails: {conditions}",
    ),
    "block.if_tie": (
        "Bằng điểm với {rivals} sau mọi tiêu chí phụ: nếu xếp trên thì {best}, nếu xếp dưới thì {worst}. Khối cần quyết định (bỏ phiếu)",
        "Tied with {rivals} after every tie-breaker: if ranked above: {best}; if below: {worst}. The block must decide (a vote)",
    ),
    "block.if_open": (
        "Còn tiêu chí chưa có kết quả ({items}): nếu xếp trên {rivals} thì {best}, nếu xếp dưới thì {worst}",
        "Items still pending ({items}): if ranked above {rivals}: {best}; if below: {worst}",
    ),
    "block.if_condition": (
        "Điều kiện chưa rõ ({conditions}): nếu đạt thì {best}, nếu không đạt thì {worst}",
        "Conditions not known yet ({conditions}): if met, {best}; if not, {worst}",
    ),
    "block.if_rival_condition": (
        "Điều kiện của {rivals} chưa rõ: tùy kết quả, {best} hoặc {worst}",
        "Conditions of {rivals} not known yet: depending on them, {best} or {worst}",
    ),
    "block.nothing": ("không được đề nghị", "not proposed"),
    "note.block_proposed": (
        "{block} (lần chạy khối {run}) xếp thứ {rank}/{members} và đề nghị {title}; chờ {decided_by} quyết định",
        "{block} (block run {run}) ranked it {rank} of {members} and proposes {title}; {decided_by} decides",
    ),
    "note.block_other_title": (
        "{block} (lần chạy khối {run}) xếp thứ {rank}/{members} và đề nghị {title}, không phải danh hiệu chỉ tiêu chờ",
        "{block} (block run {run}) ranked it {rank} of {members} and proposes {title}, not the title the target awaits",
    ),
    "note.block_not_proposed": (
        "{block} (lần chạy khối {run}) xếp thứ {rank}/{members}, không đề nghị",
        "{block} (block run {run}) ranked it {rank} of {members} and does not propose it",
    ),
    "note.block_excluded": (
        "{block} (lần chạy khối {run}) không đề nghị: không đạt điều kiện đề nghị",
        "{block} (block run {run}) does not propose it: a proposal condition fails",
    ),
    "note.block_pending": (
        "{block} (lần chạy khối {run}) chưa xác định được đề nghị (xem thidua block)",
        "{block} (block run {run}) cannot settle its proposal yet (see thidua block)",
    ),
    "block.unknown_member": (
        "Khối không có thành viên '{member}'. Các thành viên: {members}.",
        "The block has no member '{member}'. Members: {members}.",
    ),
    "each.none": (
        "Không tìm thấy thư mục cơ quan nào (có tệp *.rules.yaml) trong '{path}'.",
        "No agency folder (holding *.rules.yaml) under '{path}'.",
    ),
    "block.rule.met": ("Đạt chỉ tiêu: đủ {max} điểm", "Target met: full {max} points"),
    "block.rule.exceeded": (
        "Vượt chỉ tiêu ({margin}): {max} điểm cộng {bonus} điểm thưởng",
        "Target exceeded ({margin}): {max} points plus {bonus} bonus",
    ),
    "block.rule.not_met": ("Không đạt: 0 điểm", "Not met: 0 points"),
    "block.rule.proportional": (
        "Không đạt: điểm theo tỷ lệ kết quả so với yêu cầu ({required})",
        "Not met: points in proportion to the result against the requirement ({required})",
    ),
    "block.rule.pending": (
        "Chưa có kết quả: điểm là một khoảng, từ thấp nhất đến cao nhất có thể",
        "Pending: the points are a range, from the lowest to the highest possible",
    ),
    "block.rule.error": ("Không đánh giá được: điểm là một khoảng", "Could not be evaluated: the points are a range"),
    "block.rule.missing": ("Không có kết quả chỉ tiêu", "No verdict for the target"),
    "block.rule.per_unit": (
        "Kết quả {value} × {per} điểm, tối đa {max}",
        "Result {value} × {per} points, at most {max}",
    ),
    #
    # --- first-hour: shipped examples and YAML syntax errors ---
    "yaml.syntax.colon": (
        "Lỗi cú pháp YAML: có dấu ': ' (hai chấm rồi dấu cách) giữa một giá trị, YAML hiểu nhầm là bắt đầu một khóa mới. "
        'Đặt cả đoạn văn trong dấu nháy kép, ví dụ: title: "Chỉ tiêu 1: trên 90% đạt Lao động tiên tiến".',
        "YAML syntax error: a ': ' (colon and space) inside a value reads as the start of a new key. "
        'Put the whole text in double quotes, e.g. title: "Target 1: more than 90% advanced workers".',
    ),
    "yaml.syntax.tab": (
        "Lỗi cú pháp YAML: có ký tự Tab ở đây; YAML chỉ nhận dấu cách để thụt lề. "
        "Thay Tab bằng dấu cách (trong đoạn văn có Tab: đặt đoạn văn trong dấu nháy kép).",
        "YAML syntax error: there is a Tab here; YAML indents with spaces only. "
        "Replace the Tab with spaces (a text containing a Tab: put it in double quotes).",
    ),
    "yaml.syntax.reserved": (
        "Lỗi cú pháp YAML: một giá trị không được bắt đầu bằng ký tự '{char}'. Đặt đoạn văn trong dấu nháy kép.",
        "YAML syntax error: a value cannot start with '{char}'. Put the text in double quotes.",
    ),
    "yaml.syntax.quote": (
        "Lỗi cú pháp YAML: dấu nháy mở ở dòng {opened} chưa được đóng. Thêm dấu nháy đóng ở cuối đoạn văn; "
        'dấu nháy kép nằm bên trong đoạn văn viết là \\".',
        "YAML syntax error: the quote opened on line {opened} is never closed. Close it at the end of the text; "
        'write a double quote inside the text as \\".',
    ),
    "yaml.syntax.bracket": (
        "Lỗi cú pháp YAML: dấu '{bracket}' mở ở dòng {opened} chưa được đóng, hoặc thiếu dấu phẩy giữa các phần tử. "
        "Đóng ngoặc; một phần tử có dấu phẩy, ngoặc hoặc ': ' thì đặt trong dấu nháy kép.",
        "YAML syntax error: the '{bracket}' opened on line {opened} is never closed, or a comma between items is "
        "missing. Close it; put an item containing a comma, a bracket or ': ' in double quotes.",
    ),
    "yaml.syntax.indent": (
        "Lỗi cú pháp YAML: dòng này thụt lề không khớp với khối bắt đầu ở dòng {opened}. Các khóa cùng cấp phải "
        "thẳng cột, thụt lề bằng dấu cách; một đoạn văn dài thì viết trên một dòng hoặc trong dấu nháy kép.",
        "YAML syntax error: this line's indentation does not match the block started on line {opened}. Keys of "
        "one level start in the same column, indented with spaces; keep a long text on one line or in quotes.",
    ),
    "criteria.unknown_entity_option": (
        "Không có đối tượng mã '{entity}' trong bảng xét danh hiệu. Xem cột Mã của 'thidua candidates'.",
        "No entity with id '{entity}' in the worksheet. See the Id column of 'thidua candidates'.",
    ),
    "example.unknown": (
        "Không có ví dụ '{name}'. Các ví dụ đi kèm: {names} (xem bằng 'thidua example').",
        "There is no example '{name}'. The shipped examples: {names} (list them with 'thidua example').",
    ),
    "example.exists": (
        "'{path}' đã có; thidua example không ghi đè. Chọn thư mục đích khác (DEST) hoặc xóa thư mục đó.",
        "'{path}' exists; thidua example does not overwrite. Choose another destination (DEST) or remove it.",
    ),
    # --- names: aliases, abbreviations and labels resolved to codes (issue 11) ---
    "rules.alias_ambiguous": (
        "Tên '{name}' chỉ nhiều mã cùng lúc ({codes}): bỏ tên này ở một trong các mã để mỗi tên chỉ một mã.",
        "The name '{name}' stands for several codes ({codes}): remove it from all but one of them.",
    ),
    "facts.unknown_ref_named": (
        "Không có đối tượng '{kind}' mang mã '{value}'. Có phải là mã '{near}' ({name})?",
        "No '{kind}' entity with id '{value}'. Did you mean the code '{near}' ({name})?",
    ),
    # --- draft: rule files from a pledge's sentences (issue 11) ---
    "draft.no_file": (
        "Không có tệp này. Ghi đường dẫn tới tệp .docx hoặc .txt, hoặc '-' để đọc từ đầu vào chuẩn.",
        "No such file. Give a .docx or .txt file, or '-' to read standard input.",
    ),
    "draft.not_text": (
        "Tệp không phải văn bản UTF-8 (byte {offset}). Lưu văn bản dưới dạng .txt (UTF-8) hoặc .docx.",
        "The file is not UTF-8 text (byte {offset}). Save the document as .txt (UTF-8) or .docx.",
    ),
    "draft.bad_docx": (
        "Không đọc được tệp Word ({detail}). Mở và lưu lại bằng Word dưới dạng .docx.",
        "Cannot read the Word file ({detail}). Open it and save it again as .docx.",
    ),
    "draft.no_targets": (
        'Không tìm thấy câu chỉ tiêu nào: cần các dòng gạch đầu dòng dưới "Đối với tập thể" / "Đối với cá nhân" '
        'trong mục chỉ tiêu, hoặc các dòng "Phấn đấu ...".',
        'No target sentences found: expected bullet lines under "Đối với tập thể" / "Đối với cá nhân" in a '
        'targets section, or lines saying "Phấn đấu ...".',
    ),
    "draft.period_choice": (
        "Văn bản có chỉ tiêu của nhiều năm ({years}): chọn một năm bằng --period, ví dụ --period {first}.",
        "The document has targets for several years ({years}): choose one with --period, e.g. --period {first}.",
    ),
    "draft.period_missing": (
        "Văn bản không có chỉ tiêu năm {period}; các năm có: {years}.",
        "The document has no targets for {period}; it has: {years}.",
    ),
    # --- lint: a pledge count is a minimum (issue 11) ---
    "lint.eq_on_count": (
        "Chỉ tiêu '{target}' yêu cầu đúng bằng {value} (eq): vượt chỉ tiêu sẽ bị tính là không đạt. "
        'Trong giao ước, "02 cá nhân" nghĩa là ít nhất hai: viết gte: {value}.',
        "Target '{target}' requires exactly {value} (eq): exceeding it would fail. In a pledge, "
        '"02 cá nhân" means at least two: write gte: {value}.',
    ),
    # reliability: input limits and safe reading (rules/limits.py, rules/source.py)
    "input.not_regular": (
        "'{path}' không phải tệp thường (là ống dẫn, thiết bị hoặc liên kết không trỏ tới tệp nào). Chỉ đọc tệp thường: thay bằng một tệp.",
        "'{path}' is not a regular file (a pipe, a device or a link that leads to no file). Only regular files are read: put a file there.",
    ),
    "input.too_large": (
        "Tệp '{path}' quá lớn ({size} byte; tối đa {limit} byte). Chia dữ kiện thành nhiều tệp nhỏ hơn.",
        "'{path}' is too large ({size} bytes; at most {limit}). Split the facts into smaller files.",
    ),
    "input.too_deep": (
        "Dữ liệu lồng nhau quá {limit} tầng. Viết phẳng hơn.",
        "Data nested more than {limit} levels deep. Write it flatter.",
    ),
    "input.alias_cycle": (
        "Bí danh YAML (*tên) trỏ vào chính khối chứa nó. Bỏ bí danh đó.",
        "A YAML alias (*name) refers to the block that holds it. Remove that alias.",
    ),
    "input.alias_expansion": (
        "Các bí danh YAML (*tên) lặp lại khối này quá nhiều (quá {limit} phần tử). Viết dữ liệu ra thay vì lặp bí danh.",
        "YAML aliases (*name) repeat this block too often (over {limit} nodes). Write the data out instead.",
    ),
    "input.number_too_long": (
        "Số có quá {limit} chữ số. Kiểm tra lại số này.",
        "A number with more than {limit} digits. Check this number.",
    ),
    "input.number_not_finite": (
        "'{value}' không phải số hữu hạn (vô cực hoặc không xác định). Viết một số cụ thể.",
        "'{value}' is not a finite number (infinite or not a number). Write a definite number.",
    ),
    "input.tag": (
        "Không dùng thẻ YAML '{tag}': tệp quy tắc và dữ kiện chỉ chứa dữ liệu thường. Bỏ thẻ đó.",
        "YAML tag '{tag}' is not allowed: rule and fact files hold plain data only. Remove the tag.",
    ),
    "input.json_duplicate_key": (
        "Khóa '{key}' bị lặp trong tệp JSON. Mỗi khóa chỉ được viết một lần.",
        "Duplicate key '{key}' in the JSON file. Write each key once.",
    ),
    "input.csv_field": (
        'Ô CSV dài quá {limit} ký tự (hoặc có dấu ngoặc kép không đóng). Kiểm tra dấu " trong dòng này.',
        'A CSV field longer than {limit} characters (or an unclosed quote). Check the " marks on this line.',
    ),
    "input.csv_syntax": (
        "Dòng CSV không đọc được: {detail}.",
        "Cannot read this CSV line: {detail}.",
    ),
    "input.sheet_too_large": (
        "Sheet có quá {limit} dòng dữ liệu. Chia dữ kiện thành nhiều tệp.",
        "The sheet has more than {limit} rows of data. Split the facts into several files.",
    ),
    "input.workbook_too_large": (
        "Bảng tính '{path}' khi giải nén quá lớn (hơn {limit} byte). Lưu lại tệp bằng Excel.",
        "Workbook '{path}' unpacks to too much data (over {limit} bytes). Save it again from Excel.",
    ),
    "input.use_outside": (
        "'use: {name}' trỏ ra ngoài thư mục của cơ quan. Chỉ dùng gói có sẵn ({packs}) hoặc tệp *.rules.yaml trong thư mục '{folder}'.",
        "'use: {name}' leads outside the agency folder. Use a shipped pack ({packs}) or a *.rules.yaml file inside '{folder}'.",
    ),
    "input.use_not_rules": (
        "'use: {name}' không phải tệp quy tắc. Chỉ dùng tệp *.rules.yaml (hoặc .yml, .json).",
        "'use: {name}' is not a rule file. Use only *.rules.yaml files (or .yml, .json).",
    ),
    "input.facts_outside": (
        "'facts: {name}' trỏ ra ngoài thư mục của tệp kiểm thử. Chỉ dùng tệp dữ kiện (*.facts.yaml, .json, .xlsx, .csv) trong thư mục '{folder}'.",
        "'facts: {name}' leads outside the tests file's folder. Use fact files (*.facts.yaml, .json, .xlsx, .csv) inside '{folder}'.",
    ),
    "input.init_symlink": (
        "'{path}' là liên kết tượng trưng; thidua không ghi qua liên kết. Xóa liên kết hoặc chọn thư mục khác.",
        "'{path}' is a symbolic link; thidua does not write through links. Remove the link or choose another folder.",
    ),
    "input.init_exists": (
        "'{path}' đã có. Dùng --force để ghi đè, hoặc chọn thư mục khác.",
        "'{path}' already exists. Use --force to overwrite it, or choose another folder.",
    ),
    # block documents: `thidua block --format xlsx|html|docx` (evaluator/documents/block.py)
    "blockdoc.sheet.ranking": ("Bảng điểm", "Scores"),
    "blockdoc.sheet.items": ("Chấm điểm chi tiết", "Item scores"),
    "blockdoc.sheet.proposals": ("Đề nghị", "Proposals"),
    "blockdoc.sheet.settled": ("Chỉ tiêu chờ kết quả khối", "Targets awaiting the block"),
    "blockdoc.col.key": ("Thư mục", "Folder"),
    "blockdoc.col.total_low": ("Tổng điểm thấp nhất", "Lowest total"),
    "blockdoc.col.total_high": ("Tổng điểm cao nhất", "Highest total"),
    "blockdoc.col.group": ("Nhóm", "Group"),
    "blockdoc.col.item": ("Mục chấm điểm", "Item"),
    "blockdoc.col.points_low": ("Điểm (thấp nhất)", "Points (lowest)"),
    "blockdoc.col.points_high": ("Điểm (cao nhất)", "Points (highest)"),
    "blockdoc.col.points": ("Điểm", "Points"),
    "blockdoc.col.max": ("Điểm chuẩn", "Full points"),
    "blockdoc.col.source": ("Căn cứ chấm", "Scored from"),
    "blockdoc.col.rule": ("Cách tính", "How computed"),
    "blockdoc.col.item_status": ("Tình trạng", "State"),
    "blockdoc.col.title": ("Danh hiệu đề nghị", "Title proposed"),
    "blockdoc.col.reasons": ("Lý do", "Reasons"),
    "blockdoc.col.target": ("Chỉ tiêu", "Target"),
    "blockdoc.col.verdict": ("Đánh giá", "Verdict"),
    "blockdoc.item.scored": ("Đã chấm", "Scored"),
    "blockdoc.item.pending": ("Chờ kết quả", "Pending"),
    "blockdoc.item.error": ("Lỗi", "Error"),
    "blockdoc.source.target": ("Chỉ tiêu [{target}]: {status}", "Target [{target}]: {status}"),
    "blockdoc.source.measure": ("Đo trên dữ liệu của thành viên", "Measured on the member's facts"),
    "blockdoc.source.deduction": ("Điểm trừ: {status}", "Deduction: {status}"),
    "blockdoc.source.bonus": ("Điểm thưởng: {status}", "Bonus: {status}"),
    "blockdoc.html.ranking": ("Bảng xếp hạng", "Ranking"),
    "blockdoc.html.chart": ("Tổng điểm", "Totals"),
    "blockdoc.html.settled": ("Điểm chắc chắn", "Settled points"),
    "blockdoc.html.open": ("Khoảng còn chờ", "Still open"),
    "blockdoc.html.members": ("Giải trình điểm từng thành viên", "Each member's score explained"),
    "blockdoc.html.proposals": ("Đề nghị khen thưởng", "Proposals"),
    "blockdoc.html.settled_targets": ("Chỉ tiêu chờ kết quả khối đã xác định", "Targets settled by the block"),
    "blockdoc.html.none": ("Không có.", "None."),
    "blockdoc.docx.doc_type": ("BIÊN BẢN", "MINUTES"),
    "blockdoc.docx.summary": (
        "Kết quả chấm điểm, xếp hạng thi đua {block} năm {period}",
        "Scores and ranking of {block}, {period}",
    ),
    "blockdoc.docx.intro": (
        "{block} chấm điểm, xếp hạng thi đua năm {period} theo bảng tiêu chí của khối ({count} thành viên), kết quả như sau:",
        "{block} scored and ranked its {count} members for {period} by the block's table, as follows:",
    ),
    "blockdoc.docx.part_ranking": ("I. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG", "I. SCORES AND RANKING"),
    "blockdoc.docx.part_proposals": ("II. ĐỀ NGHỊ KHEN THƯỞNG", "II. PROPOSALS"),
    "blockdoc.docx.member_line": (
        "Hạng {rank}: {member} — tổng điểm {total} ({proposal}).",
        "Rank {rank}: {member} — total {total} ({proposal}).",
    ),
    "blockdoc.docx.number": ("Số: …/{symbol}", "No.: …/{symbol}"),
    "blockdoc.docx.propose": (
        "Đề nghị {by} tặng {title} cho: {members}.",
        "Propose that {by} award {title} to: {members}.",
    ),
    "blockdoc.docx.propose_none": ("Không có thành viên được đề nghị {title}.", "No member proposed for {title}."),
    "blockdoc.docx.pending": ("Chưa xác định: {member} — {reason}", "Undecided: {member} — {reason}"),
    "blockdoc.docx.closing": (
        "Biên bản được lập từ kết quả chấm điểm, xếp hạng của khối (lần chạy khối {run})./.",
        "These minutes record the block's scores and ranking (block run {run})./.",
    ),
}


def render(code: str, lang: str = "vi", **params: Any) -> str:
    """The message for `code` in `lang` ('vi' or 'en'), parameters filled in."""
    pair = MESSAGES.get(code)
    if pair is None:
        return code + (" " + repr(params) if params else "")
    template = pair[1] if lang == "en" else pair[0]
    shown = {k: _param(v, lang) for k, v in params.items()}
    try:
        return template.format(**shown)
    except (KeyError, IndexError):
        return template


def _param(value: Any, lang: str) -> Any:
    """A parameter as text in `lang`: a list joined, a location (anything with `describe`) described."""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_param(v, lang)) for v in value)
    describe = getattr(value, "describe", None)
    if callable(describe):
        return describe(lang)
    if isinstance(value, float) and lang != "en":  # a decimal reads with a comma in Vietnamese (8,5 điểm)
        return str(value).replace(".", ",")
    return value
