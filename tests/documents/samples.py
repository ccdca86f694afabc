"""Realistic sample input for the document renderers (Lạng Sơn city, 2024)."""

import datetime

from nominations.documents.data import (
    COLLECTIVE,
    HOUSEHOLD,
    INDIVIDUAL,
    Attendee,
    AwardeeRow,
    CertificateData,
    CouncilMinutesData,
    DecisionData,
    Issuer,
    Signer,
    SubmissionLetterData,
    VoteItem,
)

CITY = Issuer(parent="ỦY BAN NHÂN DÂN", name="THÀNH PHỐ LẠNG SƠN")
HOME_AFFAIRS = Issuer(parent="UBND THÀNH PHỐ LẠNG SƠN", name="PHÒNG NỘI VỤ", parent_is_superior=True)
COUNCIL = Issuer(parent="UBND THÀNH PHỐ LẠNG SƠN", name="HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", parent_is_superior=True)
CHAIRMAN = "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN"
AUTHORITY = "Chủ tịch Ủy ban nhân dân thành phố Lạng Sơn"
DECISION_DATE = datetime.date(2024, 10, 5)
ACHIEVEMENT = (
    "đã có thành tích xuất sắc trong đợt thi đua đặc biệt chào mừng kỷ niệm 22 năm thành lập "
    "thành phố Lạng Sơn (17/10/2002 - 17/10/2024)"
)

COLLECTIVES = [
    ("Phòng Văn hóa và Thông tin thành phố", "Thành phố Lạng Sơn"),
    ("Trường Tiểu học Hoàng Văn Thụ", "Phường Hoàng Văn Thụ"),
]
INDIVIDUALS = [
    ("Hoàng Thị Hồng Nhung", "Chuyên viên Phòng Nội vụ"),
    ("Nông Văn Thắng", "Chủ tịch UBND phường Chi Lăng"),
    ("Lương Thị Thúy Hằng", "Giáo viên Trường THCS Tam Thanh"),
    ("Vi Văn Đức", "Trưởng khối 5, phường Đông Kinh"),
    ("Lộc Thị Ánh Tuyết", "Kế toán Trung tâm Văn hóa - Thể thao thành phố"),
    ("Đinh Thế Hưng", "Đội trưởng Đội Quản lý trật tự đô thị"),
    ("Nguyễn Thị Phương Thảo", "Bác sĩ Trạm Y tế xã Mai Pha"),
]
HOUSEHOLDS = [("Hộ ông Triệu Văn Sình", "Thôn Khòn Khuyến, xã Hoàng Đồng")]


def awardees(individuals: int | None = None) -> list[AwardeeRow]:
    """Two collectives, a household and individuals, grouped as a real annex is."""
    rows = [
        AwardeeRow(i, name, unit, "Giấy khen", 1_404_000, COLLECTIVE, "I. TẬP THỂ")
        for i, (name, unit) in enumerate(COLLECTIVES, start=1)
    ]
    rows += [
        AwardeeRow(i, name, unit, "Giấy khen", 1_053_000, HOUSEHOLD, "II. HỘ GIA ĐÌNH")
        for i, (name, unit) in enumerate(HOUSEHOLDS, start=1)
    ]
    people = INDIVIDUALS if individuals is None else _many_people(individuals)
    rows += [
        AwardeeRow(i, name, unit, "Giấy khen", 702_000, INDIVIDUAL, "III. CÁ NHÂN")
        for i, (name, unit) in enumerate(people, start=1)
    ]
    return rows


def _many_people(n: int) -> list[tuple[str, str]]:
    return [(f"{INDIVIDUALS[i % 7][0]} {i + 1}", INDIVIDUALS[i % 7][1]) for i in range(n)]


def decision(*, delegated: bool = False, rows: list[AwardeeRow] | None = None, **changes) -> DecisionData:
    signer = Signer.deputy("Đoàn Thu Hà") if delegated else Signer.head("Nguyễn Văn Hạnh")
    values = dict(
        issuer=CITY,
        number="123/QĐ-UBND",
        place="TP. Lạng Sơn",
        date=DECISION_DATE,
        authority=AUTHORITY,
        subject="Về việc tặng Giấy khen cho các tập thể, hộ gia đình và cá nhân có thành tích xuất sắc "
        "trong đợt thi đua đặc biệt chào mừng kỷ niệm 22 năm thành lập thành phố Lạng Sơn",
        legal_bases=[
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung "
            "một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 "
            "năm 2019",
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi "
            "hành một số điều của Luật Thi đua, khen thưởng",
            "Theo đề nghị của Trưởng phòng Nội vụ thành phố tại Tờ trình số 45/TTr-NV ngày 01 tháng 10 năm 2024",
        ],
        award_name="Giấy khen",
        achievement=ACHIEVEMENT,
        funding_source="Quỹ Thi đua, khen thưởng thành phố năm 2024",
        executors="Chánh Văn phòng HĐND và UBND thành phố, Trưởng phòng Nội vụ, Trưởng phòng Tài chính - "
        "Kế hoạch, Thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể, hộ gia đình, cá nhân có tên "
        "tại Điều 1",
        signer=signer,
        recipients=[
            "Như Điều 3",
            "TT Thành ủy (b/c)",
            "TT HĐND thành phố",
            "CT, các PCT UBND thành phố",
            "Lưu: VT, NV",
        ],
        awardees=awardees() if rows is None else rows,
    )
    values.update(changes)
    return DecisionData(**values)


def submission_letter(**changes) -> SubmissionLetterData:
    values = dict(
        issuer=HOME_AFFAIRS,
        number="45/TTr-NV",
        place="TP. Lạng Sơn",
        date=datetime.date(2024, 10, 1),
        proposer="Phòng Nội vụ",
        addressee="Chủ tịch Ủy ban nhân dân thành phố Lạng Sơn",
        subject="Về việc đề nghị tặng Giấy khen cho các tập thể, hộ gia đình và cá nhân có thành tích xuất sắc "
        "trong đợt thi đua đặc biệt chào mừng kỷ niệm 22 năm thành lập thành phố Lạng Sơn",
        legal_bases=[
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi "
            "hành một số điều của Luật Thi đua, khen thưởng",
            "Căn cứ Biên bản họp Hội đồng Thi đua - Khen thưởng thành phố ngày 27 tháng 9 năm 2024",
        ],
        council_summary=[
            "Ngày 27 tháng 9 năm 2024, Hội đồng Thi đua - Khen thưởng thành phố đã họp xét 12 hồ sơ đề nghị "
            "khen thưởng do các cơ quan, đơn vị, UBND các phường, xã gửi đến. Cuộc họp có 9/11 thành viên "
            "dự họp, biểu quyết bằng hình thức bỏ phiếu kín.",
            "Kết quả: 10/12 hồ sơ đạt tỷ lệ phiếu đồng ý từ 70% trở lên so với tổng số thành viên Hội đồng; "
            "02 hồ sơ không đạt.",
        ],
        award_name="Giấy khen",
        achievement=ACHIEVEMENT,
        signer=Signer.head("Lăng Văn Quang", title="TRƯỞNG PHÒNG"),
        recipients=["Như trên", "Lưu: VT, NV"],
        awardees=awardees(),
    )
    values.update(changes)
    return SubmissionLetterData(**values)


MEMBERS = [
    Attendee("Nguyễn Văn Hạnh", "Chủ tịch UBND thành phố, Chủ tịch Hội đồng"),
    Attendee("Đoàn Thu Hà", "Phó Chủ tịch UBND thành phố, Phó Chủ tịch Hội đồng"),
    Attendee("Lăng Văn Quang", "Trưởng phòng Nội vụ, Phó Chủ tịch thường trực Hội đồng"),
    Attendee("Hà Thị Mai", "Chủ tịch Liên đoàn Lao động thành phố, Ủy viên"),
    Attendee("Mã Văn Tùng", "Trưởng phòng Tài chính - Kế hoạch, Ủy viên"),
    Attendee("Chu Thị Lan", "Chủ tịch Hội Liên hiệp Phụ nữ thành phố, Ủy viên"),
    Attendee("Hoàng Văn Bình", "Trưởng phòng Văn hóa và Thông tin, Ủy viên"),
    Attendee("Dương Minh Khoa", "Bí thư Thành đoàn, Ủy viên"),
    Attendee("Tô Thị Hạnh", "Chánh Văn phòng HĐND và UBND thành phố, Ủy viên"),
]
ABSENT = [
    Attendee("Nông Thị Xuân", "Chủ tịch Ủy ban MTTQ Việt Nam thành phố, Ủy viên", "đi công tác"),
    Attendee("Lý Văn Hải", "Trưởng Công an thành phố, Ủy viên", "ốm"),
]


def minutes(**changes) -> CouncilMinutesData:
    items = [
        VoteItem(i, name, unit, "Giấy khen", agree, 9 - agree - abstain, abstain, 11, agree * 100 >= 70 * 11)
        for i, ((name, unit), agree, abstain) in enumerate(
            zip(INDIVIDUALS, (9, 9, 8, 7, 9, 6, 8), (0, 0, 1, 0, 0, 2, 0), strict=True), start=1
        )
    ]
    values = dict(
        issuer=COUNCIL,
        number="05/BB-HĐTĐKT",
        subject="Họp xét đề nghị khen thưởng đợt thi đua đặc biệt chào mừng kỷ niệm 22 năm thành lập "
        "thành phố Lạng Sơn",
        started_at=datetime.datetime(2024, 9, 27, 14, 0),
        ended_at=datetime.datetime(2024, 9, 27, 16, 30),
        location="Phòng họp số 1, trụ sở HĐND - UBND thành phố Lạng Sơn",
        chair=MEMBERS[0],
        secretary=Attendee("Lê Thị Thu Trang", "Chuyên viên Phòng Nội vụ"),
        total_members=11,
        present=MEMBERS,
        absent=ABSENT,
        quorum_met=True,
        quorum_rule="cuộc họp chỉ được tiến hành khi có ít nhất 2/3 tổng số thành viên Hội đồng dự họp",
        ballot="bỏ phiếu kín",
        vote_base="tổng số thành viên Hội đồng",
        pass_rule="có từ 70% trở lên tổng số thành viên Hội đồng đồng ý",
        items=items,
    )
    values.update(changes)
    return CouncilMinutesData(**values)


def certificate(i: int = 0, *, delegated: bool = True) -> CertificateData:
    name, unit = INDIVIDUALS[i % len(INDIVIDUALS)]
    signer = Signer.deputy("Đoàn Thu Hà") if delegated else Signer.head("Nguyễn Văn Hạnh")
    return CertificateData(
        recipient_name=name if i < len(INDIVIDUALS) else f"{name} {i}",
        unit=unit,
        award_name="Giấy khen",
        achievement=ACHIEVEMENT[0].upper() + ACHIEVEMENT[1:],
        decision_number="123/QĐ-UBND",
        decision_date=DECISION_DATE,
        place="TP. Lạng Sơn",
        authority=AUTHORITY,
        signer=signer,
        verification_url=f"https://thidua.langson.gov.vn/xac-minh/123-2024-{i + 1:04d}",
        honorific="Bà" if "Thị" in name else "Ông",
        register_number=f"{i + 1:03d}/GK",
    )
