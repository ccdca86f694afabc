"""A hand-made fixture for the TT 02/2023 forms: a province (issuer of the report), a city and a ward under it,
another province outside it; three award levels; six campaigns; eight candidates; twelve award records, one
revoked, one of the year before, one of the other province. The expected figures are counted by hand in the
tests, record by record (numbers in comments refer to the records here)."""

import datetime
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.utils import timezone

from nominations.models import AwardType, Campaign, Candidate, Membership, OrgUnit, Role
from nominations.services.award_records import award_record, award_records_create

D = datetime.date
START = D(2020, 1, 1)
AWARDED_ON = D(2024, 10, 1)


def _unit(code, name, kind, level, parent=None):
    return OrgUnit.objects.create(code=code, name=name, kind=kind, level=level, parent=parent, valid_from=START)


def _campaign(code, issuer, start, end, *, method="thematic", status="launched", doc_date=None):
    return Campaign.objects.create(
        code=code,
        title=f"Phong trào {code}",
        issuer=issuer,
        period_start=start,
        period_end=end,
        nomination_deadline=end,
        method=method,
        status=status,
        doc_date=doc_date,
    )


def build_statistics_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.prov = _unit("tinh-tk", "Tỉnh Thống Kê", "province", 1)
    w.city = _unit("tp-tk", "Thành phố Thống Kê", "city", 2, w.prov)
    w.ward = _unit("p-tk", "Phường Thống Kê", "ward", 3, w.city)
    w.other = _unit("tinh-khac", "Tỉnh Khác", "province", 1)
    w.state = AwardType.objects.create(
        code="hc-ld3", name="Huân chương Lao động hạng Ba", form="danh_hieu", level="state"
    )
    w.bk = AwardType.objects.create(
        code="bk-tinh", name="Bằng khen của Chủ tịch UBND tỉnh", form="giay_khen", level="province"
    )
    w.gk = AwardType.objects.create(code="gk-tk", name="Giấy khen", form="giay_khen", level="local")
    # 0601: c1 province/regular/366 days; c2 city/thematic/< 1 year; c3 ward/thematic/2 years; c4 a draft;
    # c5 launched in 2023; c6 of the other province: only c1–c3 count for 2024.
    w.c1 = _campaign("c1", w.prov, D(2024, 1, 1), D(2024, 12, 31), method="regular", doc_date=D(2024, 1, 5))
    w.c2 = _campaign("c2", w.city, D(2024, 3, 15), D(2024, 9, 30), status="closed")
    w.c3 = _campaign("c3", w.ward, D(2024, 2, 1), D(2026, 1, 31))
    _campaign("c4", w.city, D(2024, 5, 1), D(2024, 6, 30), status="draft")
    _campaign("c5", w.city, D(2023, 1, 1), D(2027, 12, 31), method="regular")
    _campaign("c6", w.other, D(2024, 1, 1), D(2024, 12, 31))

    def person(name, gender, ethnicity="Kinh", **flags):
        return Candidate.objects.create(
            kind="individual", name=name, gender=gender, ethnicity=ethnicity, unit=w.city, **flags
        )

    w.a = person("Hoàng Thị A", "female", "Tày", leader_level="province")
    w.b = person("Nguyễn Văn B", "male", direct_worker=True)
    w.c = person("Trần Thị C", "female", business_person=True)
    w.d = person("Lương Văn D", "male", "Nùng", leader_level="unit", direct_worker=True)
    w.g = person("Vi Thị G", "female", "")
    w.e = Candidate.objects.create(kind="collective", name="Tổ E", unit=w.city)
    w.f = Candidate.objects.create(kind="enterprise", name="Công ty F", unit=w.city)
    w.h = Candidate.objects.create(kind="household", name="Hộ H", unit=w.ward)

    def award(n, candidate, award_type, issuer, campaign=None, day=AWARDED_ON, revoked=False, prize=0):
        (record,) = award_records_create(
            [
                award_record(
                    candidate,
                    award_type=award_type,
                    campaign=campaign,
                    decision_number=f"{n}/QĐ-UBND",
                    decision_date=day,
                    issuer=issuer,
                    unit=candidate.unit,
                    unit_name=candidate.unit.name,
                    prize_amount=prize,
                    revoked_at=timezone.now() if revoked else None,
                )
            ]
        )
        return record

    w.records = {
        1: award(1, w.a, w.state, w.prov, w.c1),
        2: award(2, w.e, w.state, w.prov),
        3: award(3, w.a, w.bk, w.prov, w.c1),
        4: award(4, w.b, w.bk, w.prov),
        5: award(5, w.f, w.bk, w.prov, w.c1),
        6: award(6, w.c, w.bk, w.prov, w.c1, revoked=True),
        7: award(7, w.d, w.gk, w.city, w.c2),
        8: award(8, w.h, w.gk, w.city, w.c2),
        9: award(9, w.g, w.gk, w.ward, w.c3),
        10: award(10, w.c, w.gk, w.city, w.c2),
        11: award(11, w.b, w.gk, w.city, w.c2, day=D(2023, 10, 1)),
        12: award(12, w.b, w.gk, w.other),
    }
    # 0604/0605: r1 and r2 at the city, r3 and r1 again at the ward; r4 in the other province; r5 left in 2023.
    user = get_user_model().objects.create_user
    w.r1, w.r2, w.r3, w.r4, w.r5 = (user(f"thidua-tk-{i}") for i in range(1, 6))
    for person_, unit, role, end in [
        (w.r1, w.city, Role.REVIEWER, None),
        (w.r2, w.city, Role.REVIEWER, None),
        (w.r3, w.ward, Role.WARD_REVIEWER, None),
        (w.r1, w.ward, Role.WARD_REVIEWER, None),
        (w.r4, w.other, Role.REVIEWER, None),
        (w.r5, w.city, Role.REVIEWER, D(2023, 12, 31)),
    ]:
        Membership.objects.create(user=person_, unit=unit, role=role, valid_from=START, valid_to=end)
    return w


def sign_record_7(world):
    """A signed decision of the city (Giấy khen, 2024) over record 7, its tally refreshed as signing does: the
    fixture of the tests that then revoke it by a raw write."""
    from nominations.models import AwardRecord, Decision
    from nominations.services.award_records import tally_refresh

    decision = Decision.objects.create(
        campaign=world.c2, issuer=world.city, award_type=world.gk, status=Decision.Status.SIGNED,
        decision_date=AWARDED_ON, number=7, year=2024, subject="Khen thưởng", drafted_by=world.r1,
    )  # fmt: skip
    AwardRecord.objects.filter(pk=world.records[7].pk).update(decision=decision)
    tally_refresh(decisions=[decision.pk], records=[world.records[7]])
    return decision
