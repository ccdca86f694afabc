"""Minutes (Biên bản) of an emulation and commendation council meeting.

The minutes report what the council decided; whether an item passed and
whether the quorum was met come in with the data (nominations.rules decides
them), so the document can never disagree with the recorded result.
"""

from .data import Attendee, CouncilMinutesData, VoteItem
from .dates import format_date, format_time
from .render import docx_bytes, pdf_bytes
from .wording import count, document_number, percent


def render_minutes_docx(data: CouncilMinutesData) -> bytes:
    """The minutes as an editable Word file (Decree 30 layout)."""
    return docx_bytes("bien_ban.docx", minutes_context(data))


def render_minutes_pdf(data: CouncilMinutesData) -> bytes:
    """The minutes as an A4 PDF, identical in wording to the Word file."""
    return pdf_bytes("minutes.html", minutes_context(data))


def minutes_context(data: CouncilMinutesData) -> dict:
    passed = sum(1 for item in data.items if item.passed)
    return {
        "issuer": data.issuer,
        "number": document_number(data.number),
        "place_date": "",  # a Biên bản states its time in the body instead
        "doc_type": "BIÊN BẢN",
        "subject": data.subject,
        "opening": _opening(data),
        "present": [_member(i, person) for i, person in enumerate(data.present, start=1)],
        "absent_label": f"Vắng mặt: {count(len(data.absent))} thành viên" if data.absent else "",
        "absent": [_member(i, person) for i, person in enumerate(data.absent, start=1)],
        "quorum": _quorum(data),
        "agenda": [
            {"label": "Nội dung: ", "text": _agenda(data)},
        ],
        "items": [_item(item) for item in data.items],
        "recusals": [_recusal(data, item) for item in data.items if item.recused],
        "conclusion": [
            {"label": "Kết luận: ", "text": _conclusion(data, passed)},
            {"label": "", "text": _ending(data)},
        ],
        "signatures": [
            {"title": data.secretary_title, "full_name": data.secretary.full_name},
            {"title": data.chair_title, "full_name": data.chair.full_name},
        ],
    }


def _opening(data: CouncilMinutesData) -> list[dict]:
    attended = f"{count(len(data.present))}/{count(data.total_members)}"
    return [
        {"label": "Thời gian bắt đầu: ", "text": f"{format_time(data.started_at)}, {format_date(data.started_at)}."},
        {"label": "Địa điểm: ", "text": f"{data.location}."},
        {"label": "Chủ trì: ", "text": f"{_person(data.chair)}."},
        {"label": "Thư ký: ", "text": f"{_person(data.secretary)}."},
        {"label": "Thành phần tham dự: ", "text": f"{attended} thành viên Hội đồng có mặt, gồm:"},
    ]


def _person(person: Attendee) -> str:
    return f"{person.full_name} - {person.position}"


def _member(number: int, person: Attendee) -> str:
    reason = f" (lý do: {person.reason})" if person.reason else ""
    return f"{number}. {_person(person)}{reason}."


def _quorum(data: CouncilMinutesData) -> str:
    share = percent(len(data.present), data.total_members)
    verdict = "đủ" if data.quorum_met else "không đủ"
    return (
        f"Số thành viên dự họp: {count(len(data.present))}/{count(data.total_members)} ({share}). "
        f"Theo Quy chế hoạt động của Hội đồng, {data.quorum_rule}; cuộc họp {verdict} điều kiện tiến hành."
    )


def _agenda(data: CouncilMinutesData) -> str:
    if not data.items:
        return "Hội đồng không tiến hành biểu quyết."
    return (
        f"Hội đồng xem xét {count(len(data.items))} hồ sơ đề nghị khen thưởng; hình thức biểu quyết: "
        f"{data.ballot}; tỷ lệ đồng ý tính trên {data.vote_base}. Kết quả như sau:"
    )


def _item(item: VoteItem) -> dict:
    return {
        "number": str(item.number),
        "name": item.name,
        "unit": item.unit,
        "award_name": item.award_name,
        "agree": str(item.agree),
        "disagree": str(item.disagree),
        "abstain": str(item.abstain),
        "percent": f"{percent(item.agree, item.base)} ({item.agree}/{item.base})",
        "result": "Đạt" if item.passed else "Không đạt",
    }


def _recusal(data: CouncilMinutesData, item: VoteItem) -> str:
    """Who did not vote on an item and why, with the base the item's percentage is computed on, so that
    "6/8" on one item and "8/8" on the next add up."""
    who = "; ".join(f"{p.full_name}: {p.reason}" if p.reason else p.full_name for p in item.recused)
    return (
        f"Nội dung số {item.number} ({item.name}): {count(len(data.present))}/{count(data.total_members)} "
        f"thành viên có mặt, {count(len(item.recused))} không tham gia biểu quyết ({who}); tỷ lệ đồng ý "
        f"tính trên {count(item.base)} thành viên."
    )


def _conclusion(data: CouncilMinutesData, passed: int) -> str:
    if not data.quorum_met:
        return "Cuộc họp không đủ số thành viên theo quy chế, Hội đồng không xét hồ sơ."
    failed = len(data.items) - passed
    text = (
        f"Hội đồng thống nhất đề nghị khen thưởng {count(passed)}/{count(len(data.items))} hồ sơ đạt yêu cầu "
        f"({data.pass_rule})"
    )
    return f"{text}; {count(failed)} hồ sơ không đạt." if failed else f"{text}."


def _ending(data: CouncilMinutesData) -> str:
    return (
        f"Cuộc họp kết thúc vào hồi {format_time(data.ended_at)}, {format_date(data.ended_at)}. Biên bản đã "
        "được đọc lại cho các thành viên dự họp cùng nghe và thống nhất./."
    )
