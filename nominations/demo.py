"""The demo data set: the real 2024 Lạng Sơn campaign (seed document) plus
illustrative people. Every person, name and number not in the seed document
is invented for demonstration and marked as such in the UI text.

Idempotent: every row is looked up by a natural key before it is created.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from .deadlines import load_demo_rules
from .models import (
    AwardRuleSet,
    AwardType,
    BaseSalary,
    Campaign,
    CampaignAward,
    ContentArea,
    Council,
    CouncilMember,
    Membership,
    OrgUnit,
    Role,
)
from .models.awards import DocumentKind, RecipientKind
from .services import administration, council_seats, reorganisation

D = datetime.date
DEMO_PASSWORD = "thidua-demo-2024"
ILLUSTRATIVE = "Dữ liệu minh họa"
K, L = OrgUnit.Kind, OrgUnit.Level

# The structure of 2024, as it was before the reform: every unit open-ended. The 2025 reform ends the city's
# units through the reorganisation service (``REORGANISATIONS``), as an administrator would on the page.
# (code, name, kind, level, parent code, valid_from)
UNITS_2024 = [
    ("ls", "Tỉnh Lạng Sơn", K.PROVINCE, L.PROVINCE, None, D(1831, 1, 1)),
    ("tp-ls", "Thành phố Lạng Sơn", K.CITY, L.DISTRICT, "ls", D(2002, 10, 17)),
    ("tp-ls-noi-vu", "Phòng Nội vụ", K.AGENCY, L.GRASSROOTS, "tp-ls", D(2002, 10, 17)),
    ("tp-ls-vhtt", "Phòng Văn hóa và Thông tin", K.AGENCY, L.GRASSROOTS, "tp-ls", D(2002, 10, 17)),
    ("tp-ls-gddt", "Phòng Giáo dục và Đào tạo", K.AGENCY, L.GRASSROOTS, "tp-ls", D(2002, 10, 17)),
    ("tp-ls-ttvhtt", "Trung tâm Văn hóa Thể thao thành phố", K.PUBLIC_SERVICE, L.GRASSROOTS, "tp-ls", D(2002, 10, 17)),
    ("p-vinh-trai", "Phường Vĩnh Trại", K.WARD, L.COMMUNE, "tp-ls", D(2002, 10, 17)),
    ("p-dong-kinh", "Phường Đông Kinh", K.WARD, L.COMMUNE, "tp-ls", D(2002, 10, 17)),
    ("p-chi-lang", "Phường Chi Lăng", K.WARD, L.COMMUNE, "tp-ls", D(2002, 10, 17)),
    ("p-tam-thanh", "Phường Tam Thanh", K.WARD, L.COMMUNE, "tp-ls", D(2002, 10, 17)),
    ("p-hoang-van-thu", "Phường Hoàng Văn Thụ", K.WARD, L.COMMUNE, "tp-ls", D(2002, 10, 17)),
    ("x-mai-pha", "Xã Mai Pha", K.COMMUNE, L.COMMUNE, "tp-ls", D(2002, 10, 17)),
    ("x-hoang-dong", "Xã Hoàng Đồng", K.COMMUNE, L.COMMUNE, "tp-ls", D(2002, 10, 17)),
    ("x-quang-lac", "Xã Quảng Lạc", K.COMMUNE, L.COMMUNE, "tp-ls", D(2002, 10, 17)),
    ("p-vinh-trai-khoi-5", "Khối 5, phường Vĩnh Trại", K.RESIDENTIAL, L.GRASSROOTS, "p-vinh-trai", D(2002, 10, 17)),
    # The province's departments, which take over the city's offices.
    ("ls-noi-vu", "Sở Nội vụ", K.AGENCY, L.GRASSROOTS, "ls", D(2008, 4, 1)),
    ("ls-vhttdl", "Sở Văn hóa, Thể thao và Du lịch", K.AGENCY, L.GRASSROOTS, "ls", D(2008, 4, 1)),
    ("ls-gddt", "Sở Giáo dục và Đào tạo", K.AGENCY, L.GRASSROOTS, "ls", D(2008, 4, 1)),
]
# After 01/07/2025 the district level ends (NQ 202/2025/QH15) and the city's wards and communes are merged into
# commune-level People's Committees under the province (NQ 1672/NQ-UBTVQH15). The four ward names are those of
# the 2025 arrangement as the project knows them [K: not in the domain brief, whose §12.8 says the mapping was
# not retrieved]; which old unit went where is illustrative [I], hence "(minh họa)". Each new ward has its
# Phòng Văn hóa – Xã hội, the commune's standing body for emulation (ND 150/2025, domain brief §14), and its
# own council (``load_ward_councils``). Created by the administrator before the reform is applied.
UNITS_2025 = [
    ("p-luong-van-tri", "Phường Lương Văn Tri (minh họa)", K.WARD, L.COMMUNE, "ls"),
    ("p-dong-kinh-moi", "Phường Đông Kinh (minh họa)", K.WARD, L.COMMUNE, "ls"),
    ("p-ky-lua", "Phường Kỳ Lừa (minh họa)", K.WARD, L.COMMUNE, "ls"),
    ("p-tam-thanh-moi", "Phường Tam Thanh (minh họa)", K.WARD, L.COMMUNE, "ls"),
    ("p-ky-lua-khoi-5", "Khối 5, phường Kỳ Lừa (minh họa)", K.RESIDENTIAL, L.GRASSROOTS, "p-ky-lua"),
]
WARDS_2025 = ["p-luong-van-tri", "p-dong-kinh-moi", "p-ky-lua", "p-tam-thanh-moi"]
STANDING_BODY = "Phòng Văn hóa – Xã hội"
# The reform, applied in this order through ``nominations.services.reorganisation`` (each a merger: old units →
# one successor). The residential group first (its people move to the new group), the city itself last (its
# remaining roles, the council's and the chairman's, move to the province, which carries its duties).
REORGANISATIONS = [
    (["p-vinh-trai-khoi-5"], "p-ky-lua-khoi-5"),
    (["p-vinh-trai", "p-hoang-van-thu"], "p-ky-lua"),
    (["p-dong-kinh", "p-chi-lang"], "p-dong-kinh-moi"),
    (["p-tam-thanh", "x-hoang-dong"], "p-tam-thanh-moi"),
    (["x-mai-pha", "x-quang-lac"], "p-luong-van-tri"),
    (["tp-ls-noi-vu"], "ls-noi-vu"),
    (["tp-ls-vhtt", "tp-ls-ttvhtt"], "ls-vhttdl"),
    (["tp-ls-gddt"], "ls-gddt"),
    (["tp-ls"], "ls"),
]
SUCCESSORS = {old: new for olds, new in REORGANISATIONS for old in olds}
# The reform's day: roles in the city's units end the day before, the same people hold them in the successors.
REFORM = D(2025, 7, 1)
REFORM_REASON = "Sắp xếp đơn vị hành chính cấp xã, không tổ chức cấp huyện từ 01/07/2025 (minh họa)"

# (username, full name, unit code of 2024, role, title)
USERS = [
    ("canbo_vinhtrai", "Hoàng Thị Lan", "p-vinh-trai", Role.UNIT_CLERK, "Công chức Văn hóa – Xã hội"),
    ("chutich_vinhtrai", "Lương Văn Minh", "p-vinh-trai", Role.UNIT_HEAD, "Chủ tịch UBND phường"),
    ("thidua_vinhtrai", "Bế Thị Duyên", "p-vinh-trai", Role.WARD_REVIEWER, "Công chức Văn hóa – Xã hội"),
    ("canbo_khoi5", "Nông Văn Tường", "p-vinh-trai-khoi-5", Role.UNIT_CLERK, "Khối trưởng"),
    ("truongkhoi_khoi5", "Nông Văn Tường", "p-vinh-trai-khoi-5", Role.UNIT_HEAD, "Khối trưởng"),
    ("canbo_vhtt", "Chu Thị Hằng", "tp-ls-vhtt", Role.UNIT_CLERK, "Chuyên viên"),
    ("truongphong_vhtt", "Vi Văn Quang", "tp-ls-vhtt", Role.UNIT_HEAD, "Trưởng phòng"),
    ("canbo_dongkinh", "Lộc Thị Mai", "p-dong-kinh", Role.UNIT_CLERK, "Công chức Văn hóa – Xã hội"),
    ("chutich_dongkinh", "Hà Văn Sơn", "p-dong-kinh", Role.UNIT_HEAD, "Chủ tịch UBND phường"),
    ("thamdinh_noivu", "Đinh Thị Thu", "tp-ls-noi-vu", Role.REVIEWER, "Chuyên viên Phòng Nội vụ"),
    ("thuky_hoidong", "Lăng Văn Hùng", "tp-ls-noi-vu", Role.COUNCIL_SECRETARY, "Phó Trưởng phòng Nội vụ"),
    ("uyvien_1", "Dương Thị Nga", "tp-ls", Role.COUNCIL_MEMBER, "Trưởng phòng Nội vụ"),
    ("uyvien_2", "Mông Văn Khải", "tp-ls", Role.COUNCIL_MEMBER, "Chủ tịch Ủy ban MTTQ thành phố"),
    ("uyvien_3", "Triệu Thị Hoa", "tp-ls", Role.COUNCIL_MEMBER, "Chủ tịch Liên đoàn Lao động thành phố"),
    ("chutich_ubnd", "Nguyễn Văn Hạnh", "tp-ls", Role.CHAIRMAN, "Chủ tịch UBND thành phố"),
    ("phochutich_ubnd", "Hoàng Minh Đức", "tp-ls", Role.VICE_CHAIRMAN, "Phó Chủ tịch UBND thành phố"),
    # The province's administrator administers the city's tree too (it is under the province) and applies the
    # reform; the wards' own administrator sets up the new ward (illustrative).
    ("quantri_ubnd", "Tạ Thu Trang", "ls", Role.ADMINISTRATOR, "Chuyên viên Văn phòng UBND tỉnh"),
]
# Roles that begin with the new structure (they are not moved by the reform; the administrator adds them).
# The province's administrator adds Kỳ Lừa's own; Kỳ Lừa's administrator then sets up its People's Committee:
# the chairman and vice-chairman, its Phòng Văn hóa – Xã hội (the standing body: a reviewer, and its head as the
# council's secretary) and the council's members. They issue, review, vote and sign the walkable rehearsal.
USERS_2025 = [
    ("quantri_kylua", "Hoàng Văn Tuấn", "p-ky-lua", Role.ADMINISTRATOR, "Công chức Văn phòng HĐND và UBND phường"),
]
KY_LUA = "p-ky-lua"
KY_LUA_STANDING_BODY = f"{KY_LUA}-vhxh"
USERS_KY_LUA = [
    ("chutich_kylua", "Đàm Quang Vinh", KY_LUA, Role.CHAIRMAN, "Chủ tịch UBND phường"),
    ("phochutich_kylua", "Lộc Thị Thanh", KY_LUA, Role.VICE_CHAIRMAN, "Phó Chủ tịch UBND phường"),
    ("thamdinh_kylua", "Vi Thị Ngọc", KY_LUA_STANDING_BODY, Role.REVIEWER, f"Công chức {STANDING_BODY}"),
    ("thuky_kylua", "Hoàng Văn Khánh", KY_LUA_STANDING_BODY, Role.COUNCIL_SECRETARY, f"Trưởng {STANDING_BODY}"),
    ("uyvien_kylua_1", "Lương Thị Huyền", KY_LUA, Role.COUNCIL_MEMBER, "Chủ tịch Ủy ban MTTQ Việt Nam phường"),
    ("uyvien_kylua_2", "Nông Văn Dũng", KY_LUA, Role.COUNCIL_MEMBER, "Chủ tịch Hội Cựu chiến binh phường"),
    ("uyvien_kylua_3", "Triệu Thị Vân", KY_LUA, Role.COUNCIL_MEMBER, "Bí thư Đoàn phường"),
]
# Kỳ Lừa's council (illustrative composition, six seats like the city's): username → position.
COUNCIL_KY_LUA = {
    "chutich_kylua": "chair",
    "phochutich_kylua": "vice_chair",
    "uyvien_kylua_1": "standing",
    "uyvien_kylua_2": "member",
    "uyvien_kylua_3": "member",
    "thuky_kylua": "secretary",
}
# Titles that change with the successor unit (the rest are kept).
NEW_TITLES = {
    "thidua_vinhtrai": f"Công chức {STANDING_BODY}",
    "thamdinh_noivu": "Chuyên viên Sở Nội vụ",
    "thuky_hoidong": "Phó Giám đốc Sở Nội vụ",
    "uyvien_1": "Giám đốc Sở Nội vụ",
    "uyvien_2": "Chủ tịch Ủy ban MTTQ tỉnh",
    "uyvien_3": "Chủ tịch Liên đoàn Lao động tỉnh",
    "chutich_ubnd": "Chủ tịch UBND tỉnh",
    "phochutich_ubnd": "Phó Chủ tịch UBND tỉnh",
    "truongphong_vhtt": "Trưởng phòng",
}
# Council of the city (illustrative composition): username → position.
COUNCIL = {
    "chutich_ubnd": "chair",
    "phochutich_ubnd": "vice_chair",
    "uyvien_1": "standing",
    "uyvien_2": "member",
    "uyvien_3": "member",
    "thuky_hoidong": "secretary",
}

CONTENT_AREAS = [
    "Tuyên truyền, quán triệt tư tưởng Thi đua ái quốc; thực hiện Chỉ thị 34-CT/TW, Chỉ thị 19/CT-TTg, "
    "Chỉ thị 30-CT/TU; xây dựng Đảng, hệ thống chính trị trong sạch, vững mạnh",
    "Thi đua trong sản xuất kinh doanh; “Doanh nghiệp thành phố Lạng Sơn hội nhập và phát triển”; "
    "hạ tầng, nông thôn mới kiểu mẫu, tái cơ cấu nông nghiệp",
    "Thi đua thu vượt mức dự toán ngân sách; cắt giảm chi tiêu công, tiết kiệm chi thường xuyên",
    "Thi đua trên lĩnh vực văn hóa, xã hội, giáo dục, y tế, an sinh xã hội; các hoạt động kỷ niệm",
    "“Thi đua quyết thắng”, “Toàn dân bảo vệ an ninh Tổ quốc”; quốc phòng, an ninh, trật tự an toàn giao thông",
    "Nâng cao chất lượng hoạt động của hệ thống chính trị; cải cách hành chính; kỷ luật, kỷ cương công vụ",
    "Đổi mới nội dung, hình thức tổ chức phong trào; phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến",
    "Hoàn thành chỉ tiêu dịch vụ công trực tuyến theo Quyết định 497/QĐ-UBND ngày 15/3/2024 của UBND tỉnh; "
    "chính quyền điện tử",
]
SEED_THEME = (
    "Đảng bộ, chính quyền, quân và dân các dân tộc thành phố Lạng Sơn nêu cao tinh thần cách mạng, đoàn kết, "
    "năng động, sáng tạo, quyết tâm thi đua phấn đấu hoàn thành thắng lợi các nhiệm vụ chính trị, mục tiêu phát "
    "triển kinh tế - xã hội, quốc phòng - an ninh năm 2024, lập thành tích chào mừng kỷ niệm 22 năm thành lập "
    "thành phố Lạng Sơn"
)
SEED_GOAL = (
    "Động viên khích lệ toàn thể cán bộ, công chức, viên chức, người lao động phát huy truyền thống yêu nước, "
    "thi đua sáng tạo trong công tác, lao động, sản xuất, học tập góp phần thực hiện thắng lợi mục tiêu, nhiệm vụ "
    "phát triển kinh tế - xã hội và đảm bảo quốc phòng - an ninh trên địa bàn thành phố Lạng Sơn."
)

# Illustrative nominees, created as draft dossiers by workflow.demo.
# (kind, name, gender, birth year, ethnicity, position, unit code, direct worker, award code, achievement)
CANDIDATES = [
    (
        RecipientKind.INDIVIDUAL,
        "Hoàng Văn Thắng",
        "male",
        1978,
        "Tày",
        "Tổ trưởng tổ dân phố",
        "p-vinh-trai",
        False,
        "giay-khen",
        "Vận động nhân dân hiến đất mở rộng ngõ, xóm (minh họa).",
    ),
    (
        RecipientKind.INDIVIDUAL,
        "Nguyễn Thị Bích Ngọc",
        "female",
        1990,
        "Kinh",
        "Giáo viên",
        "p-vinh-trai",
        True,
        "giay-khen",
        "Tổ chức câu lạc bộ hát then cho thiếu nhi (minh họa).",
    ),
    (
        RecipientKind.COLLECTIVE,
        "Đội văn nghệ phường Vĩnh Trại",
        "",
        None,
        "",
        "",
        "p-vinh-trai",
        False,
        "giay-khen",
        "Giải Nhất hội diễn văn nghệ chào mừng 22 năm thành lập thành phố (minh họa).",
    ),
    (
        RecipientKind.INDIVIDUAL,
        "Vy Đức Toàn",
        "male",
        1985,
        "Tày",
        "Viên chức",
        "tp-ls-vhtt",
        False,
        "giay-khen",
        "Biên tập chuyên mục tuyên truyền kỷ niệm 22 năm thành lập thành phố (minh họa).",
    ),
]


# The walkable rehearsal's draft dossiers (Phường Kỳ Lừa's campaign, ``workflow.demo``): units under Kỳ Lừa
# propose for its chairman's Giấy khen. Same fields as ``CANDIDATES`` (units of today).
CANDIDATES_KY_LUA = [
    (
        RecipientKind.INDIVIDUAL,
        "Lý Thị Ánh",
        "female",
        1965,
        "Nùng",
        "Hộ kinh doanh",
        "p-ky-lua-khoi-5",
        True,
        "giay-khen-cap-xa",
        "Tích cực tham gia giữ gìn trật tự, vệ sinh khu phố (minh họa).",
    ),
]


def _unit(code):
    return OrgUnit.objects.get(code=code)


def load_units():
    """The 2024 units (open-ended until the reform ends them) and the new units the reform needs."""
    for code, name, kind, level, parent, start in UNITS_2024:
        # get_or_create: a second run must not reopen the units the reform ended.
        OrgUnit.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name, kind=kind, level=level, parent=_unit(parent) if parent else None, valid_from=start
            ),
        )
    for code, name, kind, level, parent in UNITS_2025:
        OrgUnit.objects.get_or_create(
            code=code, defaults=dict(name=name, kind=kind, level=level, parent=_unit(parent), valid_from=REFORM)
        )
    for ward in WARDS_2025:
        OrgUnit.objects.get_or_create(
            code=f"{ward}-vhxh",
            defaults=dict(name=STANDING_BODY, kind=K.AGENCY, level=L.GRASSROOTS, parent=_unit(ward), valid_from=REFORM),
        )


def _voting_rules() -> dict:
    """What every demo rule set shares: the dossier's documents and the council's vote (two thirds present, 70 %)."""
    return dict(
        required_documents=[DocumentKind.ACHIEVEMENT_REPORT, DocumentKind.REVIEW_MINUTES],
        quorum=Decimal("0.6667"),
        vote_threshold=Decimal("0.7"),
        vote_base=AwardRuleSet.VoteBase.PRESENT,
        ballot=AwardRuleSet.Ballot.SECRET,
        written_votes_allowed=False,
    )


def load_award_rules():
    BaseSalary.objects.get_or_create(
        valid_from=D(2023, 7, 1), defaults={"amount": 1_800_000, "legal_basis": "Nghị định 24/2023/NĐ-CP"}
    )
    BaseSalary.objects.get_or_create(
        valid_from=D(2024, 7, 1), defaults={"amount": 2_340_000, "legal_basis": "Nghị định 73/2024/NĐ-CP"}
    )
    giay_khen, _ = AwardType.objects.get_or_create(
        code="giay-khen",
        defaults={"name": "Giấy khen của Chủ tịch UBND thành phố", "form": AwardType.Form.CERTIFICATE_OF_MERIT},
    )
    honour, _ = AwardType.objects.get_or_create(
        code="cong-dan-tieu-bieu", defaults={"name": "Công dân tiêu biểu", "form": AwardType.Form.HONOUR}
    )
    common = _voting_rules()
    AwardRuleSet.objects.get_or_create(
        award_type=giay_khen,
        valid_from=D(2024, 1, 1),
        defaults=dict(
            common,
            valid_to=D(2025, 6, 30),
            authority_level=2,
            legal_basis="Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022; Nghị định số 98/2023/NĐ-CP ngày 31 tháng "
            "12 năm 2023 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
            recipient_kinds=[RecipientKind.INDIVIDUAL, RecipientKind.COLLECTIVE, RecipientKind.HOUSEHOLD],
            prize_coefficient=Decimal("0.3"),
            collective_multiplier=Decimal("2"),
            household_multiplier=Decimal("1.5"),
        ),
    )
    AwardRuleSet.objects.get_or_create(
        award_type=giay_khen,
        valid_from=D(2025, 7, 1),
        defaults=dict(
            common,
            # Illustrative: in law the province's chairman gives a Bằng khen, not a Giấy khen; the demo keeps a
            # province-level rehearsal for the automated tests, where the province carries the dissolved city's
            # duties (``SUCCESSORS``). The walkable rehearsal is the commune's, with its chairman's Giấy khen
            # (``load_commune_award``), which is what a commune-level chairman decides since 01/07/2025.
            authority_level=1,
            legal_basis="Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022; Nghị định số 152/2025/NĐ-CP ngày 14 tháng "
            "6 năm 2025 của Chính phủ",
            recipient_kinds=[RecipientKind.INDIVIDUAL, RecipientKind.COLLECTIVE, RecipientKind.HOUSEHOLD],
            prize_coefficient=Decimal("0.3"),
            collective_multiplier=Decimal("2"),
            household_multiplier=Decimal("1.5"),
        ),
    )
    AwardRuleSet.objects.get_or_create(
        award_type=honour,
        valid_from=D(2024, 1, 1),
        defaults=dict(
            common,
            valid_to=REFORM - datetime.timedelta(days=1),
            authority_level=2,
            legal_basis="Quy định của UBND thành phố (minh họa)",
            recipient_kinds=[RecipientKind.INDIVIDUAL],
            prize_coefficient=Decimal("0"),
            required_documents=[DocumentKind.ACHIEVEMENT_REPORT],
        ),
    )
    # No district level after the reform: the province, the city's successor in the demo, honours from then on.
    AwardRuleSet.objects.get_or_create(
        award_type=honour,
        valid_from=REFORM,
        defaults=dict(
            common,
            authority_level=1,
            legal_basis="Quy định của UBND tỉnh (minh họa)",
            recipient_kinds=[RecipientKind.INDIVIDUAL],
            prize_coefficient=Decimal("0"),
            required_documents=[DocumentKind.ACHIEVEMENT_REPORT],
        ),
    )
    return giay_khen, honour


def load_commune_award():
    """The Giấy khen of a commune-level chairman after the reform: ND 152/2025 gives it the former district
    chairman's powers (domain brief §3: "Chủ tịch UBND cấp xã from 01/07/2025"), prize coefficient 0.3."""
    award, _ = AwardType.objects.get_or_create(
        code="giay-khen-cap-xa",
        defaults={
            "name": "Giấy khen của Chủ tịch UBND cấp xã",
            "form": AwardType.Form.CERTIFICATE_OF_MERIT,
            "level": AwardType.Level.LOCAL,
        },
    )
    AwardRuleSet.objects.get_or_create(
        award_type=award,
        valid_from=REFORM,
        defaults=dict(
            _voting_rules(),
            authority_level=OrgUnit.Level.COMMUNE,
            legal_basis="Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022; Nghị định số 152/2025/NĐ-CP ngày 14 tháng "
            "6 năm 2025 của Chính phủ",
            recipient_kinds=[RecipientKind.INDIVIDUAL, RecipientKind.COLLECTIVE, RecipientKind.HOUSEHOLD],
            prize_coefficient=Decimal("0.3"),
            collective_multiplier=Decimal("2"),
            household_multiplier=Decimal("1.5"),
        ),
    )
    return award


def _account(username, full_name):
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        # Vietnamese names read family name first: the whole name goes in
        # first_name so that get_full_name() (used by viewflow too) is right.
        user.first_name = full_name
        user.email = f"{username}@thidua.invalid"
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def load_users():
    """The people and their roles of 2024, open-ended: the reform (``apply_reform``) moves them."""
    users = {}
    for username, full_name, unit_code, role, title in USERS:
        users[username] = user = _account(username, full_name)
        Membership.objects.get_or_create(
            user=user, unit=_unit(unit_code), role=role, valid_from=D(2024, 1, 1), defaults={"title": title}
        )
    User = get_user_model()
    User.objects.filter(username="admin").exists() or User.objects.create_superuser(
        "admin", "admin@thidua.invalid", DEMO_PASSWORD
    )
    return users


def apply_reform(users):
    """The 2025 reform through the reorganisation service (the one the page and the API call), on its own day;
    skipped once applied (the city has ended)."""
    if _unit("tp-ls").valid_to is not None:
        return
    for olds, new in REORGANISATIONS:
        reorganisation.apply(
            actor=users["quantri_ubnd"],
            old_units=[_unit(code) for code in olds],
            successors=[_unit(new)],
            effective=REFORM,
            reason=REFORM_REASON,
            applied_on=REFORM,
        )
    # The same people keep their roles in the successors; some titles change with the new body.
    for username, title in NEW_TITLES.items():
        Membership.objects.filter(user=users[username], valid_from=REFORM).update(title=title)


def load_roles_2025(users):
    """Roles that begin with the new structure, added through the administration service."""
    for username, full_name, unit_code, role, title in USERS_2025:
        users[username] = user = _account(username, full_name)
        if not Membership.objects.filter(user=user, unit__code=unit_code, role=role).exists():
            administration.membership_add(
                user=user,
                unit=_unit(unit_code),
                role=role,
                title=title,
                valid_from=REFORM,
                actor=users["quantri_ubnd"],
            )


def load_council(users):
    """The city's council until the reform, then the province's (illustrative: the same people sit on it)."""
    city, _ = Council.objects.get_or_create(
        issuer=_unit("tp-ls"), defaults={"name": "Hội đồng Thi đua – Khen thưởng thành phố Lạng Sơn"}
    )
    council, _ = Council.objects.get_or_create(
        issuer=_unit("ls"), defaults={"name": f"Hội đồng Thi đua – Khen thưởng tỉnh Lạng Sơn ({ILLUSTRATIVE})"}
    )
    for username, position in COUNCIL.items():
        CouncilMember.objects.get_or_create(
            council=city,
            user=users[username],
            valid_from=D(2024, 1, 1),
            defaults={"position": position, "valid_to": REFORM - datetime.timedelta(days=1)},
        )
        CouncilMember.objects.get_or_create(
            council=council, user=users[username], valid_from=REFORM, defaults={"position": position}
        )
    return council


def load_ky_lua(users):
    """Phường Kỳ Lừa's People's Committee, set up by its own administrator through the administration services
    from the reform's day: the chairman, the vice-chairman, the Phòng Văn hóa – Xã hội's reviewer and head (the
    council's secretary), the council's members, and their seats in Kỳ Lừa's council."""
    admin = users["quantri_kylua"]
    for username, full_name, unit_code, role, title in USERS_KY_LUA:
        users[username] = user = _account(username, full_name)
        if not Membership.objects.filter(user=user, unit__code=unit_code, role=role).exists():
            administration.membership_add(
                user=user, unit=_unit(unit_code), role=role, title=title, valid_from=REFORM, actor=admin
            )
    council = Council.objects.get(issuer=_unit(KY_LUA))
    for username, position in COUNCIL_KY_LUA.items():
        if not CouncilMember.objects.filter(council=council, user=users[username]).exists():
            council_seats.seat_add(
                council=council, user=users[username], position=position, valid_from=REFORM, actor=admin
            )
    return council


def load_ward_councils():
    """Each commune-level People's Committee of the new structure has its own council (illustrative name)."""
    for code in WARDS_2025:
        ward = _unit(code)
        name = "Hội đồng Thi đua – Khen thưởng " + ward.name.replace("Phường", "phường")
        Council.objects.get_or_create(issuer=ward, defaults={"name": name})


def load_seed_campaign(award_types):
    campaign, _ = Campaign.objects.get_or_create(
        code="ky-niem-22-nam-tp-lang-son",
        defaults=dict(
            issuer=_unit("tp-ls"),
            title="Phong trào thi đua đặc biệt chào mừng kỷ niệm 22 năm thành lập thành phố Lạng Sơn "
            "(17/10/2002 - 17/10/2024)",
            theme=SEED_THEME,
            goal=SEED_GOAL,
            legal_basis="Kế hoạch số 65/KH-UBND ngày 15/02/2024 của UBND thành phố về triển khai tổ chức các hoạt "
            "động kỷ niệm các ngày lễ lớn, sự kiện lịch sử quan trọng trong năm 2024 trên địa bàn thành phố Lạng Sơn.",
            # The seed document leaves its number blank and is dated "tháng 3 năm 2024".
            doc_number="/PĐ-UBND",
            doc_date=D(2024, 3, 1),
            doc_signer="Nguyễn Văn Hạnh",
            doc_signer_title="Chủ tịch",
            period_start=D(2024, 3, 1),
            period_end=D(2024, 9, 30),
            nomination_deadline=D(2024, 10, 5),
            ceremony_date=D(2024, 10, 17),
            status=Campaign.Status.LAUNCHED,
        ),
    )
    for number, title in enumerate(CONTENT_AREAS, start=1):
        ContentArea.objects.get_or_create(campaign=campaign, number=number, defaults={"title": title})
    for award_type in award_types:
        CampaignAward.objects.get_or_create(campaign=campaign, award_type=award_type, defaults={"default_quota": 10})
    return campaign


@transaction.atomic
def load_demo():
    """Create or complete the demo data set; safe to run any number of times."""
    load_units()
    award_types = load_award_rules()
    users = load_users()
    campaign = load_seed_campaign(award_types)
    council = load_council(users)
    apply_reform(users)
    load_roles_2025(users)
    load_ward_councils()
    ky_lua_council = load_ky_lua(users)
    commune_award = load_commune_award()
    campaign.refresh_from_db()  # its issuer, read before the reform ended it
    load_demo_rules()
    return {
        "campaign": campaign,
        "users": users,
        "council": council,
        "ky_lua_council": ky_lua_council,
        "commune_award": commune_award,
    }
