"""Plain, immutable input for the document renderers.

The renderers never touch the database: the decision workflow turns its
models into these objects, so documents can be rendered, tested and
re-rendered (e.g. after a revocation) without a request or a transaction.
Sequence fields accept lists and are stored as tuples.
"""

import dataclasses
import datetime
from dataclasses import dataclass

# Same values as nominations.models.awards.RecipientKind, kept as strings so
# this module stays free of Django models.
INDIVIDUAL = "individual"
COLLECTIVE = "collective"
HOUSEHOLD = "household"
ENTERPRISE = "enterprise"


class _Frozen:
    """Turns list arguments into tuples so instances are truly immutable."""

    def __post_init__(self):
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list):
                object.__setattr__(self, f.name, tuple(value))


@dataclass(frozen=True)
class Issuer:
    """Issuing body, printed top left.

    For a People's Committee the two lines together are its name and both are
    bold ("ỦY BAN NHÂN DÂN" / "THÀNH PHỐ LẠNG SƠN"). For a body under a
    superior (cơ quan chủ quản), the superior is printed in regular weight
    above the bold name ("UBND THÀNH PHỐ LẠNG SƠN" / "PHÒNG NỘI VỤ").
    """

    name: str
    parent: str = ""
    parent_is_superior: bool = False


@dataclass(frozen=True)
class Signer:
    """Signature block: optional authority prefix, title, full name."""

    full_name: str
    title: str = "CHỦ TỊCH"
    authority: str = ""  # "KT. CHỦ TỊCH" when a deputy signs for the head

    @classmethod
    def head(cls, full_name: str, title: str = "CHỦ TỊCH") -> "Signer":
        return cls(full_name=full_name, title=title)

    @classmethod
    def deputy(cls, full_name: str, head: str = "CHỦ TỊCH", title: str = "PHÓ CHỦ TỊCH") -> "Signer":
        """A deputy signing for the head (ký thay): "KT. CHỦ TỊCH" over "PHÓ CHỦ TỊCH"."""
        return cls(full_name=full_name, title=title, authority=f"KT. {head}")

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(line for line in (self.authority, self.title) if line)


@dataclass(frozen=True)
class AwardeeRow:
    """One line of an awardee list; rows sharing a ``group`` get a heading."""

    number: int | str
    name: str
    position_unit: str
    award_name: str
    amount: int
    kind: str = INDIVIDUAL
    group: str = ""  # e.g. "I. TẬP THỂ", "II. CÁ NHÂN"


@dataclass(frozen=True)
class DecisionData(_Frozen):
    """A commendation decision (Quyết định) with its awardee appendix."""

    issuer: Issuer
    number: str  # "123/QĐ-UBND"; "/QĐ-UBND" for an unnumbered draft
    place: str
    date: datetime.date | None
    authority: str  # "Chủ tịch Ủy ban nhân dân thành phố Lạng Sơn"
    subject: str  # "Về việc tặng Giấy khen …"
    legal_bases: tuple[str, ...]
    award_name: str  # "Giấy khen"
    achievement: str  # "đã có thành tích xuất sắc trong …"
    funding_source: str
    executors: str  # who carries out the decision (Điều 3)
    signer: Signer
    recipients: tuple[str, ...]
    awardees: tuple[AwardeeRow, ...]
    award_verb: str = "Tặng"  # "Công nhận" for emulation titles
    appendix_title: str = ""  # defaults to "DANH SÁCH … ĐƯỢC TẶNG GIẤY KHEN"


@dataclass(frozen=True)
class SubmissionLetterData(_Frozen):
    """The standing body's Tờ trình asking the chairman to decide."""

    issuer: Issuer
    number: str  # "45/TTr-NV"
    place: str
    date: datetime.date | None
    proposer: str  # "Phòng Nội vụ"
    addressee: str  # "Chủ tịch Ủy ban nhân dân thành phố Lạng Sơn"
    subject: str
    legal_bases: tuple[str, ...]
    council_summary: tuple[str, ...]  # paragraphs on the council's result
    award_name: str
    achievement: str
    signer: Signer
    recipients: tuple[str, ...]
    awardees: tuple[AwardeeRow, ...]
    award_verb: str = "Tặng"
    appendix_title: str = ""


@dataclass(frozen=True)
class Attendee:
    full_name: str
    position: str
    reason: str = ""  # why an absent member is absent


@dataclass(frozen=True)
class VoteItem:
    """The council's vote on one nomination; ``passed`` comes from the rules."""

    number: int | str
    name: str
    unit: str
    award_name: str
    agree: int
    disagree: int
    abstain: int
    base: int  # members the percentage is computed against
    passed: bool
    recused: tuple[Attendee, ...] = ()  # who did not take part in this vote; ``reason`` says why


@dataclass(frozen=True)
class CouncilMinutesData(_Frozen):
    """Minutes (Biên bản) of an emulation and commendation council meeting."""

    issuer: Issuer
    number: str  # "05/BB-HĐTĐKT"
    subject: str  # "Họp xét khen thưởng …"
    started_at: datetime.datetime
    ended_at: datetime.datetime
    location: str
    chair: Attendee
    secretary: Attendee
    total_members: int
    present: tuple[Attendee, ...]
    absent: tuple[Attendee, ...]
    quorum_met: bool
    quorum_rule: str  # "có ít nhất 2/3 tổng số thành viên Hội đồng dự họp"
    ballot: str  # "bỏ phiếu kín"
    vote_base: str  # "tổng số thành viên Hội đồng"
    pass_rule: str  # "từ 70% trở lên …", quoted in the conclusion
    items: tuple[VoteItem, ...]
    chair_title: str = "CHỦ TỊCH HỘI ĐỒNG"
    secretary_title: str = "THƯ KÝ"


@dataclass(frozen=True)
class CertificateData:
    """One printed award certificate (e.g. a Giấy khen) for one awardee."""

    recipient_name: str
    unit: str  # position and unit, printed under the name
    award_name: str  # "Giấy khen", printed as the title
    achievement: str  # "Đã có thành tích xuất sắc trong …"
    decision_number: str
    decision_date: datetime.date
    place: str
    authority: str  # "Chủ tịch Ủy ban nhân dân thành phố Lạng Sơn"
    signer: Signer
    verification_url: str
    honorific: str = ""  # "Ông", "Bà", "Tập thể"; empty prints the name alone
    register_number: str = ""  # số sổ khen thưởng, if the issuer keeps one


@dataclass(frozen=True)
class RevocationData(_Frozen):
    """A decision revoking an award decision (Quyết định hủy bỏ), for the awardees it names."""

    issuer: Issuer
    number: str  # "07/QĐ-UBND", in the same register as the revoked decision
    place: str
    date: datetime.date | None
    authority: str
    subject: str  # "Về việc hủy bỏ Quyết định số 01/QĐ-UBND …"
    legal_bases: tuple[str, ...]  # ending with the revoked decision itself
    revoked: str  # "Quyết định số 01/QĐ-UBND ngày 05/10/2024 của … về việc …"
    reason: str
    award_name: str  # "Giấy khen"
    executors: str
    signer: Signer
    recipients: tuple[str, ...]
    awardees: tuple[AwardeeRow, ...]
