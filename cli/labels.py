"""User-interface labels in Vietnamese and English (problem and reason texts live in rules.messages)."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "status.met": ("Đạt", "Met"),
    "status.exceeded": ("Vượt", "Exceeded"),
    "status.not_met": ("Không đạt", "Not met"),
    "status.pending": ("Chưa có kết quả", "Pending"),
    "status.error": ("Lỗi", "Error"),
    "col.target": ("Chỉ tiêu", "Target"),
    "col.requirement": ("Yêu cầu", "Requirement"),
    "col.result": ("Kết quả", "Result"),
    "col.status": ("Đánh giá", "Status"),
    "col.margin": ("Chênh lệch", "Margin"),
    "col.reason": ("Lý do", "Reason"),
    "table.title": ("Kết quả thực hiện chỉ tiêu thi đua năm {period}", "Emulation targets, results for {period}"),
    "table.title_no_period": ("Kết quả thực hiện chỉ tiêu thi đua", "Emulation targets, results"),
    "group.collective": ("Đối với tập thể", "Collectives"),
    "group.individual": ("Đối với cá nhân", "Individuals"),
    "summary": (
        "Tổng cộng {total} chỉ tiêu: {exceeded} vượt, {met} đạt, {not_met} không đạt, {pending} chưa có kết quả, {error} lỗi.",
        "{total} targets: {exceeded} exceeded, {met} met, {not_met} not met, {pending} pending, {error} errors.",
    ),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "unknown": ("Chưa rõ", "Unknown"),
    "and_more": ("và {n} khác", "and {n} more"),
    "unit.levels": ("bậc", "level(s)"),
    "unit.pp": ("điểm %", "pp"),
    "missing_value": ("chưa có dữ kiện", "no data"),
    "awaiting": ("chờ {by} xét", "awaiting {by}"),
    "proposal_counted": ("đề nghị, được tính", "proposed, counted"),
    "proposal_pending": ("mới đề nghị, chờ {by} quyết định", "proposed, awaiting {by}"),
    "proposal_pending_nobody": ("mới đề nghị, chưa có quyết định", "proposed, not yet decided"),
    "refused": ("không được công nhận", "refused"),
    "title.decided": ("có quyết định", "decided"),
    "title.proposed": ("đề nghị", "proposed"),
    "title.none": ("không có", "none"),
    "title.refused": ("không được công nhận", "refused"),
    "errors.header": ("Dữ liệu đầu vào có {n} lỗi:", "The input has {n} problem(s):"),
    "error.word": ("lỗi", "error"),
    "internal": (
        "Lỗi nội bộ của thidua ({kind}: {detail}). Xin báo lại lỗi này kèm các tệp đầu vào.",
        "Internal error in thidua ({kind}: {detail}). Please report it with the input files.",
    ),
    #
    # --- title criteria and quotas ---
    "ws.title": ("Bảng xét danh hiệu năm {period}", "Title review worksheet, {period}"),
    "ws.title_no_period": ("Bảng xét danh hiệu", "Title review worksheet"),
    "ws.section": ("{title} — {criterion} ({reference})", "{title} — {criterion} ({reference})"),
    "ws.counts": (
        "Đủ tiêu chuẩn: {qualifies}; không đủ: {does_not_qualify}; chưa rõ: {pending}",
        "Qualify: {qualifies}; do not: {does_not_qualify}; pending: {pending}",
    ),
    "ws.col.name": ("Họ tên / Tập thể", "Name"),
    "ws.col.outcome": ("Theo tiêu chuẩn", "By the criteria"),
    "ws.col.recorded": ("Đã ghi nhận", "Recorded"),
    "ws.col.reason": ("Lý do quyết định", "Deciding reason"),
    "ws.outcome.qualifies": ("Đủ tiêu chuẩn", "Qualifies"),
    "ws.outcome.does_not_qualify": ("Không đủ", "Does not qualify"),
    "ws.outcome.pending": ("Chưa rõ", "Pending"),
    "ws.recorded.none": ("—", "—"),
    "ws.findings": (
        "Chênh lệch giữa dữ kiện ghi nhận và tiêu chuẩn ({n}):",
        "Recorded titles versus the criteria ({n}):",
    ),
    "ws.no_findings": ("Danh hiệu đã ghi nhận khớp với tiêu chuẩn.", "The recorded titles agree with the criteria."),
    "ws.consistency": ("Chênh lệch khác trong số liệu ({n}):", "Other inconsistencies ({n}):"),
    "ws.no_criteria_no_period": (
        "Không có tiêu chuẩn danh hiệu nào áp dụng (dữ kiện và quy tắc không ghi năm).",
        "No title criteria apply (neither facts nor rules give the period).",
    ),
    "ws.settings": ("Thiết lập đã dùng:", "Settings used:"),
    "ws.unverified": ("chưa xác minh căn cứ pháp lý, cần kiểm tra", "legal basis not verified, check it"),
    "f.header": ("Phát hiện ({n}), không làm thay đổi kết quả đánh giá:", "Findings ({n}); they change no verdict:"),
    "f.kind.title": ("Danh hiệu", "Title"),
    "f.kind.consistency": ("Số liệu", "Figures"),
    "f.many.unrecorded": (
        "{n} trường hợp đủ tiêu chuẩn {title} nhưng dữ kiện chưa ghi nhận ({names} và {more} khác; xem 'thidua candidates')",
        "{n} qualify for {title} but the facts do not record it ({names} and {more} more; see 'thidua candidates')",
    ),
    "f.many.unsupported": (
        "{n} trường hợp dữ kiện ghi nhận {title} nhưng không đủ tiêu chuẩn ({names} và {more} khác; xem 'thidua candidates')",
        "{n} recorded with {title} that the criteria do not support ({names} and {more} more; see 'thidua candidates')",
    ),
    "f.many.unconfirmed": (
        "{n} trường hợp ghi nhận {title}, chưa đủ dữ kiện để đối chiếu ({names} và {more} khác; xem 'thidua candidates')",
        "{n} recorded with {title}, not enough data to check ({names} and {more} more; see 'thidua candidates')",
    ),
    "f.many.refused": (
        "{n} trường hợp đủ tiêu chuẩn {title} nhưng ghi không được công nhận ({names} và {more} khác; xem 'thidua candidates')",
        "{n} qualify for {title} but are recorded as refused ({names} and {more} more; see 'thidua candidates')",
    ),
    "f.many.override": (
        "{n} quyết định của Hội đồng khác tiêu chuẩn về {title} ({names} và {more} khác; xem 'thidua candidates')",
        "{n} council decisions on {title} against the criteria ({names} and {more} more; see 'thidua candidates')",
    ),
    "f.action": ("cần làm: {action}", "to do: {action}"),
    "title.derived": ("theo tiêu chuẩn", "derived by the criteria"),
    # --- unknown stays unknown (rel-engine): a title the criteria leave undecided reaches targets as unknown
    "title.unknown": ("chưa xác định", "not yet known"),
    "title.derived_unknown": (
        "chưa xác định theo tiêu chuẩn (thiếu dữ kiện)",
        "not yet known by the criteria (facts missing)",
    ),
    "title.derived_pending": ("theo tiêu chuẩn, chờ {by}", "derived by the criteria, awaiting {by}"),
    "title.derived_pending_nobody": ("theo tiêu chuẩn, chờ quyết định", "derived by the criteria, awaiting a decision"),
    "ws.no_criteria": (
        "Không có tiêu chuẩn danh hiệu nào áp dụng cho năm {period}.",
        "No title criteria apply to {period}.",
    ),
    #
    #
    # --- explain and audit ---
    #
    "x.declared_at": ("Chỉ tiêu khai báo tại {where}", "Target declared at {where}"),
    "x.reference": ("Căn cứ: {reference}", "Basis: {reference}"),
    "x.requirement": ("Yêu cầu: {text}", "Requirement: {text}"),
    "x.measured": ("Kết quả: {text}", "Result: {text}"),
    "x.margin": ("Chênh lệch: {text}", "Margin: {text}"),
    "x.count_of": ("{value} trên {total} đối tượng đã xét", "{value} of {total} entities considered"),
    "x.share_of": ("tử số {numerator}, mẫu số {denominator}", "numerator {numerator}, denominator {denominator}"),
    "x.unknown_entities": ("{n} đối tượng chưa rõ", "unknown: {n}"),
    "x.checks": ("Điều kiện quyết định", "Deciding conditions"),
    "x.no_checks": ("Không có điều kiện: mọi đối tượng đều được tính", "No condition: every entity counts"),
    "x.check": (
        "{label} [{subject} {name}] {op} {expected}: thực tế {actual} → {outcome}",
        "{label} [{subject} {name}] {op} {expected}: actual {actual} → {outcome}",
    ),
    "x.title_any": ("có quyết định hoặc đề nghị", "decided or proposed"),
    "x.outcome.true": ("đúng", "true"),
    "x.outcome.false": ("sai", "false"),
    "x.outcome.unknown": ("chưa rõ", "unknown"),
    "x.subject.attribute": ("thuộc tính", "attribute"),
    "x.subject.title": ("danh hiệu", "title"),
    "x.note.missing": ("chưa có dữ kiện", "no data"),
    "x.note.awaiting": ("chờ {by} xét", "awaiting {by}"),
    "x.note.proposal_counted": (
        "MỚI ĐỀ NGHỊ, chưa có quyết định, vẫn được tính",
        "ONLY PROPOSED, not decided, counted anyway",
    ),
    "x.note.refused": ("không được công nhận", "refused"),
    "x.role.where": ("điều kiện đếm", "counting condition"),
    "x.role.matching": ("điều kiện đạt", "matching condition"),
    "x.role.population": ("đối tượng tính tỷ lệ", "population"),
    "x.role.part": ("phần {n}", "part {n}"),
    "x.fact_at": ("{what} — {where}", "{what} — {where}"),
    "x.not_written": ("không ghi trong dữ kiện", "not written in the facts"),
    "x.more": (
        "… và {n} đối tượng khác (xem hết bằng --all, hoặc một đối tượng bằng --entity ID)",
        "… and {n} more (see all with --all, or one with --entity ID)",
    ),
    "x.proposals_counted": (
        "Lưu ý: đã tính đề nghị thay cho quyết định: {names}",
        "Note: proposals were counted instead of decisions: {names}",
    ),
    "x.count_proposed": (
        "Chỉ tiêu cho phép tính cả trường hợp mới đề nghị (count_proposed: true)",
        "The target counts proposals as held (count_proposed: true)",
    ),
    "x.holding.note": ("ghi chú", "note"),
    "x.holding.decision": ("quyết định số", "decision"),
    "x.override": ("Hội đồng quyết định khác kết quả tính", "Council override"),
    "x.entity_only": ("Chỉ hiển thị đối tượng {entity}", "Showing entity {entity} only"),
    "x.notes": ("Ghi chú về phép đo", "Notes on the measure"),
    "x.run_from": (
        "Dựng lại từ lần chạy #{seq} ({time}, {user}), bản lưu các tệp của lần chạy đó",
        "Rebuilt from run #{seq} ({time}, {user}) using that run's file snapshots",
    ),
    "x.rerun_ok": (
        "Chạy lại từ bản lưu cho kết quả giống hệt bản ghi.",
        "Re-running the snapshot gives exactly the recorded judgements.",
    ),
    "x.rerun_differs": (
        "Chạy lại từ bản lưu cho kết quả KHÁC bản ghi ở: {targets}. Cây dưới đây là bản ghi.",
        "Re-running the snapshot DIFFERS from the record for: {targets}. The tree below is the record.",
    ),
    "x.rerun_failed": (
        "Không chạy lại được bản lưu với phiên bản này ({detail}); cây dưới đây dựng từ bản ghi.",
        "The snapshot does not load with this version ({detail}); the tree below is built from the record.",
    ),
    "x.engine_differs": (
        "Lần chạy ghi bằng {recorded}; nay dùng {now}.",
        "The run was recorded with {recorded}; now using {now}.",
    ),
    "x.d.criterion": (
        "Tiêu chuẩn {criterion}: {title} — căn cứ: {reference} — {where}",
        "Criterion {criterion}: {title} — basis: {reference} — {where}",
    ),
    "x.d.outcome.true": ("Đủ tiêu chuẩn ({count})", "Qualifies ({count})"),
    "x.d.outcome.false": ("Không đủ tiêu chuẩn ({count})", "Does not qualify ({count})"),
    "x.d.outcome.unknown": ("Chưa rõ ({count})", "Not yet known ({count})"),
    "x.d.recorded": ("dữ kiện ghi nhận: {state}", "recorded: {state}"),
    "x.d.counted_as": ("chưa ghi nhận, chỉ tiêu tính là {state}", "not recorded; targets count it as {state}"),
    "x.d.not_recorded": ("không ghi nhận", "not recorded"),
    "x.d.members_unknown": ("({n} thành viên chưa rõ)", "({n} members unknown)"),
    "x.d.negated": ("phải KHÔNG thỏa: {text}", "must NOT hold: {text}"),
    "x.source.recorded": ("ghi nhận trong dữ kiện", "recorded in the facts"),
    "x.source.derived": ("suy ra theo tiêu chuẩn", "derived by the criteria"),
    "x.d.quota": ("Tỷ lệ khen thưởng: {text}", "Quota: {text}"),
    "x.d.finding.unrecorded": (
        "Phát hiện: suy ra theo tiêu chuẩn nhưng dữ kiện chưa ghi nhận",
        "Finding: derived by the criteria but not recorded",
    ),
    "x.d.finding.unsupported": (
        "Phát hiện: dữ kiện ghi nhận nhưng tiêu chuẩn không hỗ trợ",
        "Finding: recorded but not supported by the criteria",
    ),
    "x.d.finding.unconfirmed": (
        "Phát hiện: dữ kiện ghi nhận, chưa đủ dữ kiện để đối chiếu tiêu chuẩn",
        "Finding: recorded; not enough data to check it against the criteria",
    ),
    "x.d.finding.refused": (
        "Phát hiện: đủ tiêu chuẩn nhưng dữ kiện ghi không được công nhận",
        "Finding: qualifies but the facts record a refusal",
    ),
    "x.d.finding.override": ("Hội đồng quyết định khác tiêu chuẩn: {note}", "Council override: {note}"),
    "a.recorded": ("Đã ghi lần chạy #{seq} vào sổ kiểm toán {path}", "Recorded run #{seq} in ledger {path}"),
    "a.list_title": ("Sổ kiểm toán {path}: {n} lần chạy", "Ledger {path}: {n} runs"),
    "a.col.seq": ("#", "#"),
    "a.col.time": ("Thời gian (UTC)", "Time (UTC)"),
    "a.col.user": ("Người chạy", "User"),
    "a.col.path": ("Đường dẫn", "Path"),
    "a.col.period": ("Năm", "Period"),
    "a.col.summary": ("Kết quả", "Results"),
    "a.col.digests": ("Băm quy tắc / dữ kiện", "Rules / facts hash"),
    "a.summary": (
        "{exceeded} vượt, {met} đạt, {not_met} không đạt, {pending} chờ, {error} lỗi",
        "{exceeded} exceeded, {met} met, {not_met} not met, {pending} pending, {error} errors",
    ),
    "a.run_head": ("Lần chạy #{seq} ({run_id})", "Run #{seq} ({run_id})"),
    "a.meta": (
        "Thời gian: {time} · người chạy: {user}@{host} · thidua {tool} · {engine} · Python {python}",
        "Time: {time} · user: {user}@{host} · thidua {tool} · {engine} · Python {python}",
    ),
    "a.meta_path": ("Đường dẫn: {path} · năm {period}", "Path: {path} · period {period}"),
    "a.meta_hash": ("Mã băm: {hash} (trước: {prev})", "Hash: {hash} (previous: {prev})"),
    "a.files": ("Tệp đã lưu", "Files kept"),
    "a.file": ("{role}: {path} ({lines} dòng, sha256 {sha})", "{role}: {path} ({lines} lines, sha256 {sha})"),
    "a.verify_ok": (
        "Sổ kiểm toán {path} toàn vẹn: {n} lần chạy, chuỗi mã băm khớp.",
        "Ledger {path} is intact: {n} runs, the hash chain holds.",
    ),
    "a.verify_bad": (
        "Sổ kiểm toán {path} đã bị can thiệp ({n} phát hiện):",
        "Ledger {path} was tampered with ({n} findings):",
    ),
    "a.empty": ("Sổ kiểm toán {path} chưa có lần chạy nào.", "Ledger {path} holds no run yet."),
    "a.diff_head": (
        "So sánh lần chạy #{a} ({time_a}) với #{b} ({time_b})",
        "Comparing run #{a} ({time_a}) with #{b} ({time_b})",
    ),
    "a.diff_files": ("Tệp thay đổi", "Changed files"),
    "a.diff_no_files": ("Không tệp quy tắc hay dữ kiện nào thay đổi.", "No rule or fact file changed."),
    "a.diff_file": ("{role} {path}: {change}", "{role} {path}: {change}"),
    "a.change.added": ("thêm mới", "added"),
    "a.change.removed": ("bị bỏ", "removed"),
    "a.change.changed": ("đã sửa", "changed"),
    "a.role.rules": ("Quy tắc", "Rules"),
    "a.role.facts": ("Dữ kiện", "Facts"),
    "a.diff_verdicts": (
        "Kết quả thay đổi ({n}; {same} chỉ tiêu không đổi)",
        "Changed results ({n}; {same} targets unchanged)",
    ),
    "a.diff_none": ("Không kết quả nào thay đổi ({same} chỉ tiêu).", "No result changed ({same} targets)."),
    "a.diff_verdict": (
        "{target}: {before} → {after} (kết quả {mb} → {ma})",
        "{target}: {before} → {after} (result {mb} → {ma})",
    ),
    "a.diff_cause": ("Nguyên nhân: {causes}", "Cause: {causes}"),
    "a.cause_tested": (
        "(đã kiểm chứng bằng cách chạy chéo quy tắc và dữ kiện của hai lần)",
        "(checked by evaluating each run's rules with the other run's facts)",
    ),
    "a.cause.rules": ("quy tắc thay đổi", "rules changed"),
    "a.cause.rules_text": ("nội dung chỉ tiêu thay đổi", "the target's text changed"),
    "a.cause.facts": ("dữ kiện thay đổi", "facts changed"),
    "a.cause.engine": ("phiên bản công cụ/bộ máy thay đổi", "tool or engine version changed"),
    "a.cause.unknown": ("không rõ", "unknown"),
    "a.diff_entity": ("{id} {name}: {before} → {after}", "{id} {name}: {before} → {after}"),
    "a.absent": ("(không có)", "(absent)"),
    "a.engine_changed": ("Phiên bản thay đổi: {a} → {b}", "Versions changed: {a} → {b}"),
    #
    # --- authoring: validate, spreadsheets, init, rule tests ---
    #
    "authoring.margin": ("chênh lệch", "margin"),
    "authoring.expected": ("mong đợi", "expected"),
    "authoring.actual": ("thực tế", "got"),
    "authoring.test_summary": ("{passed}/{total} trường hợp đạt.", "{passed}/{total} case(s) passed."),
    "authoring.wrote": ("Đã ghi {path}", "Wrote {path}"),
    "authoring.init_next": (
        "Tiếp theo: sửa chỉ tiêu, nhập dữ liệu vào bảng tính, rồi chạy 'thidua validate {folder}'.",
        "Next: edit the targets, fill in the workbook, then run 'thidua validate {folder}'.",
    ),
    "authoring.warning_word": ("cảnh báo", "warning"),
    "authoring.validate_summary": ("{errors} lỗi, {warnings} cảnh báo.", "{errors} error(s), {warnings} warning(s)."),
    "authoring.validate_clean": ("Không có lỗi ({n} tệp đã kiểm tra).", "No problems ({n} file(s) checked)."),
    # documents (thidua report)
    "report.wrote": ("Đã ghi {path} ({fmt}, SHA-256 {sha}…)", "Wrote {path} ({fmt}, SHA-256 {sha}…)"),
    "report.run": ("Lần chạy số {seq} trong sổ kiểm toán", "Ledger run {seq}"),
    "report.path_or_run": (
        "Cần đúng một trong hai: thư mục PATH hoặc --run (một lần chạy trong sổ kiểm toán).",
        "Give exactly one of PATH or --run (a ledger run).",
    ),
    "report.template_docx_only": ("--template chỉ dùng với --format docx.", "--template only goes with --format docx."),
    "report.documents": ("Văn bản đã xuất từ lần chạy này", "Documents produced from this run"),
    "report.document": (
        "{format}: {path} (SHA-256 {sha}…, lúc {time} giờ Việt Nam)",
        "{format}: {path} (SHA-256 {sha}…, at {time} Viet Nam time)",
    ),
    #
    # --- emulation blocks (thidua block, thidua evaluate --each) ---
    "block.title": (
        "{name} — bảng điểm và đề nghị khen thưởng năm {period}",
        "{name} — scores and proposals, {period}",
    ),
    "block.col.rank": ("Hạng", "Rank"),
    "block.col.member": ("Thành viên", "Member"),
    "block.col.bonus": ("Điểm thưởng", "Bonus"),
    "block.col.deductions": ("Điểm trừ", "Deductions"),
    "block.col.total": ("Tổng điểm", "Total"),
    "block.col.proposal": ("Đề nghị", "Proposal"),
    "block.col.status": ("Trạng thái", "Status"),
    "block.proposal.proposed": ("Được đề nghị", "Proposed"),
    "block.proposal.not_proposed": ("Không đề nghị", "Not proposed"),
    "block.proposal.excluded": ("Không đủ điều kiện", "Excluded"),
    "block.proposal.pending": ("Chưa xác định", "Pending"),
    "block.proposal.error": ("Lỗi dữ liệu", "Input error"),
    "block.recorded": (
        "Đã ghi lần chạy khối {run} vào sổ kiểm toán: các lần chạy {first}–{last} ({path})",
        "Recorded block run {run} in the ledger: runs {first}–{last} ({path})",
    ),
    # block documents: `thidua block --format xlsx|html|docx --out FILE`
    "blockdoc.out_needs_document": (
        "--out chỉ dùng với --format xlsx, html hoặc docx.",
        "--out goes with --format xlsx, html or docx.",
    ),
    "blockdoc.explain_no_document": (
        "--explain in ra màn hình hoặc JSON; bỏ --format xlsx/html/docx.",
        "--explain prints to the terminal or JSON; drop --format xlsx/html/docx.",
    ),
    "block.member_failed": (
        "Thành viên '{member}' có lỗi dữ liệu, không được xếp hạng:",
        "Member '{member}' has input errors and is not ranked:",
    ),
    "each.col.agency": ("Cơ quan", "Agency"),
    "each.col.problems": ("Lỗi dữ liệu", "Input errors"),
    "each.progress": ("Đánh giá các cơ quan", "Evaluating agencies"),
    "each.summary": (
        "{agencies} cơ quan: {with_not_met} có chỉ tiêu không đạt, {failed} có lỗi dữ liệu; {seconds} giây với {jobs} tiến trình.",
        "{agencies} agencies: {with_not_met} with a target not met, {failed} with input errors; {seconds} s with {jobs} workers.",
    ),
    # --- draft and pledge (issue 11) ---
    "draft.diff_only_rules": (
        "Chỉ có trong tệp quy tắc: {rules} ({detail})",
        "Only in the rule file: {rules} ({detail})",
    ),
    "draft.diff_only_draft": ("Chỉ có trong bản nháp: {draft} ({detail})", "Only in the draft: {draft} ({detail})"),
    "draft.diff_requirement": (
        "Cùng thước đo, khác yêu cầu: bản nháp {draft} / tệp {rules}: {detail}",
        "Same measure, different requirement: draft {draft} / file {rules}: {detail}",
    ),
    "draft.diff_proposals": (
        "Cùng thước đo, khác cách tính khen thưởng mới đề nghị: bản nháp {draft} / tệp {rules}: {detail}",
        "Same measure, proposed awards counted differently: draft {draft} / file {rules}: {detail}",
    ),
    "draft.diff_summary": (
        "{n} khác biệt về nội dung so với {file}.",
        "{n} differences in meaning from {file}.",
    ),
    "draft.written": ("Đã ghi {file} ({n} chỉ tiêu).", "Wrote {file} ({n} targets)."),
}


def label(key: str, lang: str = "vi", **params: object) -> str:
    pair = LABELS[key]
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**params) if params else text


# --- first-hour: the help texts' own words and the Vietnamese help of every command and option ---
# (English help is each command's docstring and each option's help=; see cli/localized.py.)
LABELS.update(
    {
        "help.usage": ("Cách dùng:", "Usage:"),
        "help.options": ("Tùy chọn", "Options"),
        "help.commands": ("Lệnh", "Commands"),
        "ws.col.id": ("Mã", "Id"),
        "ws.more": (
            "… còn {n} dòng nữa (đã hiện {shown} dòng đầu). Xem hết: {cmd} --all; chỉ danh hiệu này: {cmd} --title {title}; "
            "một người hoặc tập thể: {cmd} --entity MÃ; toàn bộ dạng máy đọc: --format json.",
            "… {n} more rows (the first {shown} shown). All of them: {cmd} --all; this title only: {cmd} --title {title}; "
            "one person or collective: {cmd} --entity ID; everything for programs: --format json.",
        ),
        "ws.more_findings": (
            "  … còn {n} chênh lệch nữa. Xem hết: {cmd} --all, hoặc --format json.",
            "  … {n} more. All of them: {cmd} --all, or --format json.",
        ),
        "ws.add_pack": (
            "Để xét danh hiệu năm {period}, thêm gói tiêu chuẩn vào tệp quy tắc: use: [core, {pack}] "
            "(hoặc use: [criteria] cho cả hai thời kỳ).",
            "To review titles for {period}, add the criteria pack to the rule file: use: [core, {pack}] "
            "(or use: [criteria] for both regimes).",
        ),
        "progress.read": ("Đọc dữ kiện", "Reading facts"),
        "progress.derive": ("Xét danh hiệu theo tiêu chuẩn", "Deriving titles"),
        "progress.evaluate": ("Đánh giá chỉ tiêu", "Evaluating targets"),
        "progress.write": ("Ghi tệp", "Writing"),
        "progress.check": ("Kiểm tra tệp", "Checking files"),
        "example.list_head": ("Các ví dụ đi kèm thidua:", "Examples shipped with thidua:"),
        "example.periods": ("các năm: {periods}", "periods: {periods}"),
        "example.list_hint": (
            "Chép một ví dụ để chạy thử và sửa: thidua example TÊN [THƯ-MỤC-ĐÍCH]",
            "Copy one to try and edit: thidua example NAME [DEST]",
        ),
        "example.copied": ("Đã chép {n} tệp vào {path}", "Copied {n} files into {path}"),
        "example.next": (
            "Thử ngay: thidua evaluate {path}   (rồi: thidua candidates {path}, thidua explain {path} MÃ-CHỈ-TIÊU)",
            "Try it: thidua evaluate {path}   (then: thidua candidates {path}, thidua explain {path} TARGET-ID)",
        ),
    }
)

HELP_VI: dict[str, str] = {
    # the program and options shared by many commands ("*.<option>")
    "thidua": "thidua: đánh giá chỉ tiêu thi đua theo các tệp quy tắc khai báo.",
    "*.help": "Hiện hướng dẫn này rồi thoát.",
    "*.version": "Hiện phiên bản rồi thoát.",
    "*.lang": "Ngôn ngữ của nhãn, thông báo và hướng dẫn: vi (mặc định) hoặc en; cũng đặt được bằng biến THIDUA_LANG.",
    "*.rule_files": "Thêm một tệp quy tắc (*.rules.yaml); dùng được nhiều lần.",
    "*.fact_files": "Thêm một tệp dữ kiện (*.facts.yaml, .json, .xlsx hoặc .csv); dùng được nhiều lần.",
    "*.fmt": "Dạng kết quả: bảng cho người đọc, JSON cho chương trình khác.",
    "*.ledger": (
        "Tệp sổ kiểm toán, hoặc thư mục cơ quan chứa sổ (mặc định: $THIDUA_LEDGER, nếu không có thì "
        ".thidua-ledger.sqlite trong thư mục cơ quan được đánh giá; với các lệnh audit, ở thư mục hiện tại)."
    ),
    "*.entity": "Chỉ hiện đối tượng này (theo mã), kèm mọi dữ kiện của nó.",
    "*.show_all": "Liệt kê mọi đối tượng của mọi nhóm (mặc định chỉ hiện những đối tượng đầu tiên).",
    # evaluate
    "evaluate": "Đánh giá các chỉ tiêu trong PATH (thư mục chứa các tệp *.rules.yaml và *.facts.yaml, hoặc một tệp).",
    "evaluate.fail_on_pending": "Thoát với mã 1 khi có chỉ tiêu chưa có kết quả, như khi có chỉ tiêu không đạt.",
    "evaluate.no_record": "Không ghi lần chạy này vào sổ kiểm toán.",
    "evaluate.each": "Đánh giá mọi thư mục cơ quan trong PATH, song song (không ghi sổ kiểm toán).",
    "evaluate.jobs": "Số tiến trình làm việc cho --each.",
    # emulation blocks
    "block": "Chấm điểm, xếp hạng và đề nghị khen thưởng các thành viên của khối thi đua trong PATH (thư mục có block.rules.yaml).",
    "block.explain": "Giải thích điểm của một thành viên, từng mục.",
    # block documents
    "block.fmt": "Bảng cho người đọc, JSON cho chương trình, hoặc văn bản: xlsx, html, docx (kèm --out).",
    "block.out": "Tệp văn bản (xlsx, html, docx); mặc định: xep-hang-khoi-NĂM.ĐỊNH-DẠNG.",
    "block.no_record": "Không ghi lần chạy này vào sổ kiểm toán.",
    # candidates
    "candidates": (
        "Bảng xét danh hiệu: theo tiêu chuẩn, ai đủ, ai không đủ và vì sao, cùng tình trạng tỷ lệ, số lượng. "
        "Trên màn hình, mỗi danh hiệu nhiều người chỉ hiện tóm tắt; dùng --all, --title hoặc --entity để xem chi tiết."
    ),
    "candidates.title": "Chỉ xét danh hiệu này (theo mã, ví dụ chien_si_thi_dua_co_so).",
    "candidates.entity": "Chỉ hiện dòng của đối tượng này (theo mã, ví dụ p01) ở mọi danh hiệu.",
    "candidates.show_all": "Hiện mọi người ở mọi danh hiệu (mặc định: khi quá đông, chỉ hiện tóm tắt và những người đầu tiên).",
    # explain
    "explain.fmt": "Dạng kết quả: cây cho người đọc, JSON cho chương trình khác.",
    "audit.explain.fmt": "Dạng kết quả: cây cho người đọc, JSON cho chương trình khác.",
    "explain": "Giải thích kết quả của một chỉ tiêu: nội dung quy tắc, cách đo, từng đối tượng và các dữ kiện quyết định.",
    # authoring
    "validate": (
        "Kiểm tra các tệp quy tắc và dữ kiện trong PATH mà không đánh giá; báo mọi lỗi cùng lúc.\n\n"
        "Mã thoát 0 khi không có lỗi (hoặc chỉ có cảnh báo), 1 khi có cảnh báo và dùng --strict, 2 khi có lỗi."
    ),
    "validate.strict": "Thoát với mã 1 khi có cảnh báo dù không có lỗi.",
    "test": (
        "Chạy các ca kiểm thử quy tắc (*.tests.yaml) trong PATH: so kết quả và chênh lệch mong đợi với thực tế.\n\n"
        "Mã thoát 0 khi mọi ca đều đúng, 1 khi có ca sai, 2 khi dữ liệu đầu vào có lỗi."
    ),
    "schema": (
        "Ghi JSON Schema của tệp quy tắc, dữ kiện và kiểm thử cho trình soạn thảo (tiện ích YAML của VS Code).\n\n"
        "Schema dữ kiện theo các loại đối tượng, thang xếp loại và danh hiệu của quy tắc trong PATH (thư mục "
        "cơ quan), hoặc của gói core khi không có PATH."
    ),
    "schema.out_dir": "Thư mục ghi các schema.",
    "init": (
        "Tạo thư mục cho một cơ quan: chỉ tiêu mẫu, tiêu chuẩn danh hiệu theo năm, mẫu bảng Excel dữ kiện, "
        "schema và hướng dẫn."
    ),
    "init.period": "Năm của các chỉ tiêu (mặc định: năm nay); chọn bộ tiêu chuẩn danh hiệu của năm đó.",
    "init.agency": "Tên cơ quan, dùng trong tiêu đề và hướng dẫn.",
    "init.force": "Ghi đè các tệp của một lần init trước trong thư mục (không bao giờ ghi qua liên kết tượng trưng).",
    # examples
    "example": (
        "Liệt kê các ví dụ đi kèm thidua (không có NAME), hoặc chép ví dụ NAME vào DEST (mặc định: thư mục NAME "
        "tại thư mục hiện tại) để chạy thử và sửa."
    ),
    # documents
    "report": (
        "Viết báo cáo tổng kết của PATH (hoặc của một lần chạy đã ghi, --run) dạng Word, Excel hoặc HTML, "
        "từ một lần đánh giá."
    ),
    "report.next_path": "Thư mục cơ quan của năm sau: Phần II (phương hướng, chỉ tiêu năm sau).",
    "report.fmt": "Dạng tài liệu: docx (Word), xlsx (Excel) hoặc html.",
    "report.out": "Tệp kết quả (mặc định: bao-cao-NĂM.ĐỊNH-DẠNG).",
    "report.template": "Mẫu Word (bản sao mẫu đi kèm mà cán bộ đã sửa).",
    "report.run_ref": "Lần chạy trong sổ kiểm toán (số thứ tự, 'last' hoặc đầu mã) để lập báo cáo từ bản lưu của nó.",
    "report.no_record": "Không ghi lần chạy và tài liệu vào sổ kiểm toán.",
    # audit
    "audit": "Sổ kiểm toán các lần đánh giá đã ghi (list, show, explain, verify, diff).",
    "audit.list": "Liệt kê các lần chạy đã ghi, cũ nhất trước.",
    "audit.show": "Xem một lần chạy: ai chạy, lúc nào, với những tệp nào, và kết quả (RUN: số thứ tự, 'last' hoặc đầu mã).",
    "audit.explain": "Giải thích một chỉ tiêu như một lần chạy trước đã đánh giá, dựng lại từ chính các tệp đã lưu của lần đó.",
    "audit.verify": "Kiểm tra chuỗi băm: mã 0 khi nguyên vẹn, 1 kèm tên từng lần chạy bị sửa, chèn hoặc xóa.",
    "audit.diff": "Những kết quả nào đổi giữa hai lần chạy, và do quy tắc, dữ kiện hay bộ máy luật thay đổi.",
    # draft and pledge (issue 11)
    "draft": (
        "Soạn nháp tệp quy tắc (*.rules.yaml) từ các câu chỉ tiêu của giao ước hoặc báo cáo (.docx, .txt, hoặc - "
        "để đọc từ đầu vào chuẩn).\n\n"
        "Mã thoát 0 khi đã soạn, 1 khi dùng --check và nội dung khác tệp quy tắc, 2 khi dữ liệu đầu vào có lỗi."
    ),
    "draft.period": "Năm có chỉ tiêu cần soạn (khi văn bản có chỉ tiêu của nhiều năm).",
    "draft.use": "Gói quy tắc mà tệp soạn ra dùng (và lấy từ vựng: danh hiệu, mức xếp loại, đối tượng).",
    "draft.out": "Ghi tệp quy tắc vào đây thay vì in ra.",
    "draft.check": "So các chỉ tiêu soạn được với tệp quy tắc này theo nội dung (không theo mã, cách viết); mã thoát 1 khi khác.",
    "pledge": "Viết các chỉ tiêu trong PATH (một tệp quy tắc hoặc thư mục) thành các câu giao ước, để đăng ký năm sau.",
}
