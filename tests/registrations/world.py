"""The services' small world (tests.nominations.services.world) plus what registrations need: the people's
roles, a Home Affairs office (the standing body), two content areas and two targets."""

import datetime
from decimal import Decimal

from nominations.models import ContentArea, Membership, OrgUnit, Role, Target
from nominations.services import registrations
from tests.nominations.services.world import START, build


def build_registration_world():
    world = build()
    noi_vu = OrgUnit.objects.create(
        code="noi-vu-dv", name="Phòng Nội vụ Dịch Vụ", kind="agency", level=2, parent=world.city, valid_from=START
    )
    world.noi_vu = noi_vu
    for user, unit, role in [
        (world.clerk, world.school, Role.UNIT_CLERK),
        (world.head, world.school, Role.UNIT_HEAD),
        (world.reviewer, noi_vu, Role.REVIEWER),
    ]:
        Membership.objects.create(user=user, unit=unit, role=role, valid_from=START)
    world.area = ContentArea.objects.create(campaign=world.campaign, number=1, title="Cải cách hành chính")
    world.online = Target.objects.create(
        campaign=world.campaign, name="Tỷ lệ hồ sơ xử lý trực tuyến", unit_of_measure="%", assigned_value=80
    )
    world.late = Target.objects.create(
        campaign=world.campaign, name="Số hồ sơ trễ hạn", unit_of_measure="hồ sơ", direction="lower", assigned_value=5
    )
    return world


def registered(world, *, unit=None, accept=True):
    """A registration of ``unit`` (the school) with a commitment, a work and both targets; signed and accepted
    unless ``accept`` is false (then a draft)."""
    registration = registrations.registration_create(
        campaign=world.campaign,
        unit=unit or world.school,
        actor=world.clerk,
        commitments={world.area.pk: "Giải quyết hồ sơ đúng hạn"},
        works=[
            {
                "title": "Số hóa hồ sơ lưu trữ",
                "responsible_unit": unit or world.school,
                "due_date": world.today,
                "expected_result": "100% hồ sơ được số hóa",
            }
        ],
        plans={world.online.pk: Decimal("85"), world.late.pk: Decimal("3")},
    )
    if accept:
        registrations.registration_sign(registration=registration, actor=world.head)
        registration = registrations.registration_accept(registration=registration, actor=world.reviewer)
    return registration


DAY = datetime.timedelta(days=1)
