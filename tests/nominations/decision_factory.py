"""A signed decision with N awardees, built directly (bulk inserts) for worker tests and benchmarks.

It bypasses the workflow on purpose: what is under test downstream (certificates, documents) only reads
a signed Decision and its items. Building 1,000 awardees takes well under a second on PostgreSQL.
"""

import datetime
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model

from nominations.models import (
    AwardRuleSet,
    AwardType,
    BaseSalary,
    Campaign,
    CampaignAward,
    Candidate,
    Decision,
    DecisionItem,
    Membership,
    Nomination,
    OrgUnit,
    Role,
    Submission,
)
from nominations.rules import prize_amount
from nominations.text import fold, person_sort_key

START = datetime.date(2020, 1, 1)
DECISION_DATE = datetime.date(2024, 8, 26)
# The real table: Decree 73/2024 raised the base salary on 01/07/2024.
BASE_SALARIES = [(datetime.date(2023, 7, 1), 1_800_000), (datetime.date(2024, 7, 1), 2_340_000)]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc"]
GIVEN = ["An", "Bình", "Chiến", "Dũng", "Hạnh", "Hương", "Khánh", "Lan", "Phượng", "Thắng", "Tuấn", "Yến"]


def _name(i: int) -> str:
    return f"{FAMILY[i % 10]} {MIDDLE[i // 10 % 6]} {GIVEN[i // 60 % 12]} {i + 1}"


def build_signed_decision(awardees: int = 200, *, number: int = 1) -> Decision:
    """A signed Giấy khen decision of a city with ``awardees`` individuals of one ward, prizes computed.

    Codes carry a random tag, so several decisions can live in one database (benchmarks build more than one).
    """
    tag = uuid.uuid4().hex[:8]
    User = get_user_model()
    city = OrgUnit.objects.create(code=f"tp-{tag}", name="Thành phố Lạng Sơn", kind="city", level=2, valid_from=START)
    ward = OrgUnit.objects.create(
        code=f"p-{tag}", name="Phường Vĩnh Trại", kind="ward", level=3, parent=city, valid_from=START
    )
    award = AwardType.objects.create(
        code=f"gk-{tag}", name="Giấy khen của Chủ tịch UBND thành phố", form=AwardType.Form.CERTIFICATE_OF_MERIT
    )
    rule = AwardRuleSet.objects.create(
        award_type=award,
        valid_from=START,
        authority_level=2,
        recipient_kinds=["individual", "collective", "household"],
        prize_coefficient=Decimal("0.3"),
    )
    for valid_from, amount in BASE_SALARIES:
        BaseSalary.objects.get_or_create(valid_from=valid_from, defaults={"amount": amount})
    salary = BaseSalary.objects.filter(valid_from__lte=DECISION_DATE).order_by("-valid_from").first().amount
    campaign = Campaign.objects.create(
        issuer=city,
        code=f"c-{tag}",
        title="Phong trào thi đua chào mừng kỷ niệm 22 năm thành lập thành phố Lạng Sơn",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 7, 31),
        nomination_deadline=datetime.date(2024, 8, 10),
        status=Campaign.Status.CLOSED,
    )
    CampaignAward.objects.create(campaign=campaign, award_type=award)
    chairman = User.objects.create_user(f"chutich-{tag}", first_name="Nguyễn Văn Hạnh")
    Membership.objects.create(user=chairman, unit=city, role=Role.CHAIRMAN, valid_from=START)
    clerk = User.objects.create_user(f"canbo-{tag}")
    submission = Submission.objects.create(
        campaign=campaign,
        unit=ward,
        title="Tờ trình đề nghị khen thưởng",
        created_by=clerk,
        status=Submission.Status.DECIDED,
    )
    people = []
    for i in range(awardees):
        name = _name(i)
        people.append(
            Candidate(
                kind="individual",
                name=name,
                gender="female" if i % 2 else "male",
                position="Tổ trưởng tổ dân phố" if i % 3 == 0 else "",
                unit=ward,
                search_name=fold(name),
                sort_name=person_sort_key(name),
            )
        )
    people = Candidate.objects.bulk_create(people)
    nominations = Nomination.objects.bulk_create(
        Nomination(
            submission=submission,
            candidate=person,
            sort_name=person.sort_name,
            award_type=award,
            achievement="Có thành tích xuất sắc trong phong trào",
            status=Nomination.Status.AWARDED,
        )
        for person in people
    )
    decision = Decision.objects.create(
        issuer=city,
        campaign=campaign,
        award_type=award,
        subject="Về việc tặng Giấy khen cho các cá nhân có thành tích xuất sắc",
        status=Decision.Status.SIGNED,
        number=number,
        year=DECISION_DATE.year,
        decision_date=DECISION_DATE,
        signed_by=chairman,
        drafted_by=clerk,
    )
    prize = prize_amount(rule, "individual", salary)
    DecisionItem.objects.bulk_create(
        DecisionItem(decision=decision, nomination=nomination, prize_amount=prize) for nomination in nominations
    )
    return decision
