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
    "ws.counts": ("Đủ tiêu chuẩn: {qualifies}; không đủ: {does_not_qualify}; chưa rõ: {pending}", "Qualify: {qualifies}; do not: {does_not_qualify}; pending: {pending}"),
    "ws.col.name": ("Họ tên / Tập thể", "Name"),
    "ws.col.outcome": ("Theo tiêu chuẩn", "By the criteria"),
    "ws.col.recorded": ("Đã ghi nhận", "Recorded"),
    "ws.col.reason": ("Lý do quyết định", "Deciding reason"),
    "ws.outcome.qualifies": ("Đủ tiêu chuẩn", "Qualifies"),
    "ws.outcome.does_not_qualify": ("Không đủ", "Does not qualify"),
    "ws.outcome.pending": ("Chưa rõ", "Pending"),
    "ws.recorded.none": ("—", "—"),
    "ws.findings": ("Chênh lệch giữa dữ kiện ghi nhận và tiêu chuẩn ({n}):", "Recorded titles versus the criteria ({n}):"),
    "ws.no_findings": ("Danh hiệu đã ghi nhận khớp với tiêu chuẩn.", "The recorded titles agree with the criteria."),
    "ws.consistency": ("Chênh lệch khác trong số liệu ({n}):", "Other inconsistencies ({n}):"),
    "ws.no_criteria_no_period": ("Không có tiêu chuẩn danh hiệu nào áp dụng (dữ kiện và quy tắc không ghi năm).", "No title criteria apply (neither facts nor rules give the period)."),
    "ws.settings": ("Thiết lập đã dùng:", "Settings used:"),
    "ws.unverified": ("chưa xác minh căn cứ pháp lý, cần kiểm tra", "legal basis not verified, check it"),
    "ws.no_criteria": ("Không có tiêu chuẩn danh hiệu nào áp dụng cho năm {period}.", "No title criteria apply to {period}."),
    #
    #
    # --- explain and audit ---
    #
    #
    # --- authoring: validate, spreadsheets, init, rule tests ---
    #
}


def label(key: str, lang: str = "vi", **params: object) -> str:
    pair = LABELS[key]
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**params) if params else text
