"""The standing body's reminder to a unit (đôn đốc) about its registration and progress: the seed's Phòng Nội
vụ "theo dõi, chỉ đạo, hướng dẫn, kiểm tra, đôn đốc". Recorded in the registration's trail (the campaign's while
the unit has not registered), then delivered by a job of the outbox to the unit's clerks and heads through the
notifications app: in the app, and by e-mail unless they take the daily digest."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs.outbox import enqueue
from notifications.models import Notification
from notifications.services import notify
from workflow import audit

from ..models import Campaign, Membership, OrgUnit, Registration, Role

MAX_MESSAGE = 2000


def _check(campaign: Campaign, unit: OrgUnit, message: str) -> str:
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Nhập nội dung đôn đốc.")})
    if len(message) > MAX_MESSAGE:
        raise ValidationError({"message": _("Nội dung đôn đốc không quá %(n)s ký tự.") % {"n": MAX_MESSAGE}})
    if campaign.status != Campaign.Status.LAUNCHED:
        raise ValidationError(_("Chỉ đôn đốc khi phong trào đang diễn ra."))
    if unit.pk == campaign.issuer_id or not unit.path.startswith(campaign.issuer.path):
        raise ValidationError({"unit": _("Đơn vị không thuộc phạm vi của phong trào này.")})
    if not unit.is_valid_on(timezone.localdate()):
        raise ValidationError({"unit": _("Đơn vị không còn hoạt động.")})
    return message


@transaction.atomic
def registration_remind(*, campaign: Campaign, unit: OrgUnit, actor, message: str, trail=None):
    """Record the reminder and queue its delivery; bad input writes nothing. Returns the audit event."""
    message = _check(campaign, unit, message)
    registration = Registration.objects.filter(campaign=campaign, unit=unit).first()
    target = registration or campaign
    event = audit.record(
        audit.REGISTRATION_REMINDED,
        actor=actor,
        target=target,
        scope=registration.audit_scope if registration else f"campaign:{campaign.pk}",
        comment=message,
        data={"campaign": campaign.pk, "unit": unit.pk, "registration": registration.pk if registration else None},
        **(trail or {}),
    )
    from nominations.tasks import deliver_reminder_task  # the task module imports this one when it runs

    enqueue(deliver_reminder_task, event.pk, campaign.pk, unit.pk, message)
    return event


def _unit_people(unit_id: int) -> list:
    today = timezone.localdate()
    memberships = (
        Membership.objects.filter(unit_id=unit_id, role__in=[Role.UNIT_CLERK, Role.UNIT_HEAD], valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .filter(user__is_active=True)
        .select_related("user")
    )
    return list({m.user_id: m.user for m in memberships}.values())


@translation.override("vi")
def reminder_deliver(*, event_id: int, campaign_id: int, unit_id: int, message: str) -> int:
    """One notification per person (keyed by the reminder and the person: a second run writes none)."""
    campaign = Campaign.objects.get(pk=campaign_id)
    registration = Registration.objects.filter(campaign_id=campaign_id, unit_id=unit_id).first()
    url = reverse("registrations:detail", args=[registration.pk]) if registration else reverse("registrations:index")
    title = _("Đôn đốc thực hiện phong trào: %(c)s") % {"c": campaign.title}
    return sum(
        bool(
            notify(
                user=person,
                kind=Notification.Kind.REMINDER,
                title=title,
                body=message,
                url=url,
                dedup_key=f"dondoc:{event_id}:{person.pk}",
            )
        )
        for person in _unit_people(unit_id)
    )
