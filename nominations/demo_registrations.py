"""The demo's registrations (đăng ký thi đua) for the rehearsal campaign: the seed's e-government targets
(section II.8, Quyết định 497/QĐ-UBND of the province) and the registrations of every unit whose clerk and head
hold their roles today, signed, accepted and reported on through the services, some on track and some behind.

The assigned values of QĐ 497 are not in the seed: those below are illustrative.
"""

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from .models import Campaign, Membership, Registration, Role, Target
from .services import registrations

# (name, assigned %) — the three indicators section II.8 names.
TARGETS = [
    ("Tỷ lệ dịch vụ công phát sinh hồ sơ trực tuyến", Decimal("80")),
    ("Tỷ lệ hồ sơ xử lý trực tuyến trên Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh", Decimal("70")),
    ("Tỷ lệ thanh toán trực tuyến trên Cổng Dịch vụ công quốc gia", Decimal("45")),
]
# Per unit, in order: its works' progress (%) and the share of each plan it reached. Units past the list
# repeat it. Half done, half behind.
PROGRESS = [
    {"work": Decimal("100"), "reached": Decimal("1.05")},
    {"work": Decimal("30"), "reached": Decimal("0.4")},
    {"work": Decimal("100"), "reached": Decimal("0.9")},
    {"work": Decimal("10"), "reached": Decimal("0.2")},
]


def load_targets(campaign: Campaign) -> list[Target]:
    for name, value in TARGETS:
        Target.objects.get_or_create(
            campaign=campaign, name=name, defaults={"unit_of_measure": "%", "assigned_value": value}
        )
    return list(campaign.targets.all())


def _in_force(day) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def _holder(unit, role, day):
    membership = Membership.objects.filter(_in_force(day), unit=unit, role=role).select_related("user").first()
    return membership.user if membership else None


def load_registrations(campaign: Campaign) -> None:
    """Register every unit with a clerk and a head in force today, once; report on half of them as done."""
    today = timezone.localdate()
    if campaign.registration_deadline is None:
        campaign.registration_deadline = today + datetime.timedelta(days=15)
        campaign.save(update_fields=["registration_deadline"])
    targets = load_targets(campaign)
    areas = list(campaign.content_areas.all()[:2])
    reviewer = (
        Membership.objects.filter(_in_force(today), role=Role.REVIEWER, unit__parent=campaign.issuer)
        .select_related("user")
        .first()
    )
    clerks = (
        Membership.objects.filter(_in_force(today), role=Role.UNIT_CLERK, unit__valid_from__lte=today)
        .select_related("unit", "user")
        .order_by("unit__path")
    )
    seen = set()
    for membership in clerks:
        unit = membership.unit
        head = _holder(unit, Role.UNIT_HEAD, today)
        if unit.pk in seen or head is None or not unit.is_valid_on(today):
            continue
        seen.add(unit.pk)
        if Registration.objects.filter(campaign=campaign, unit=unit).exists():
            continue
        progress = PROGRESS[(len(seen) - 1) % len(PROGRESS)]
        registration = registrations.registration_create(
            campaign=campaign,
            unit=unit,
            actor=membership.user,
            commitments={area.pk: f"{unit.name} cụ thể hóa nội dung: {area.title[:120]}" for area in areas},
            works=[
                {
                    "title": f"Số hóa hồ sơ thủ tục hành chính – {unit.name}",
                    "description": "Công trình chào mừng kỷ niệm ngày thành lập.",
                    "responsible_unit": unit,
                    "due_date": today - datetime.timedelta(days=2),
                    "expected_result": "Toàn bộ hồ sơ năm 2024 được số hóa.",
                }
            ],
            plans={t.pk: t.assigned_value for t in targets},
        )
        registrations.registration_sign(registration=registration, actor=head)
        if reviewer is None:
            continue
        registrations.registration_accept(registration=registration, actor=reviewer.user)
        registration.refresh_from_db()
        work = registration.works.get()
        registrations.progress_report(
            registration=registration,
            actor=membership.user,
            work=work,
            value=progress["work"],
            done=progress["work"] == 100,
            day=today,
            comment="Đã hoàn thành." if progress["work"] == 100 else "Chậm do thiếu nhân lực.",
        )
        for target in targets:
            registrations.progress_report(
                registration=registration,
                actor=membership.user,
                target=target,
                value=min(target.assigned_value * progress["reached"], Decimal("100")).quantize(Decimal("0.1")),
                day=today,
            )
