"""The issuer's administrator sets up people and their roles: one service per write, audited, for page and API.

A membership is the only thing that gives a right (``workflow.roles`` reads it
when a right is checked), so adding or ending one here takes effect at once and
nothing else needs writing. Accounts are created without a password: the person
chooses one through the invitation's link (Django's password-reset token, valid
``PASSWORD_RESET_TIMEOUT`` and spent once the password is set).
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from workflow import audit

from ..models import Membership, OrgUnit, Role
from . import authority

MEMBERSHIP_FIELDS = ["user", "unit", "role", "title", "valid_from", "valid_to"]


def scope_of(issuer: OrgUnit) -> str:
    return f"administration:{issuer.pk}"


def check_administers(actor, unit: OrgUnit) -> OrgUnit:
    """The committee (administered by ``actor`` today) whose tree holds ``unit``; a Vietnamese error otherwise."""
    issuer = authority.issuer_of(unit, authority.administered_issuers(actor))
    if issuer is None:
        raise ValidationError(
            _("Bạn không phải quản trị hệ thống của cơ quan quản lý %(u)s.") % {"u": unit}, code="no_authority"
        )
    return issuer


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


@transaction.atomic
def membership_add(
    *,
    user,
    unit: OrgUnit,
    role: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    title: str = "",
    actor,
    trail=None,
) -> Membership:
    """Give ``user`` ``role`` in ``unit`` from ``valid_from`` to ``valid_to`` (inclusive; open-ended if None)."""
    issuer = check_administers(actor, unit)
    errors = {}
    if role not in Role.values:
        errors["role"] = _("Vai trò không hợp lệ.")
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
    if not unit.is_valid_on(valid_from):
        errors["unit"] = _("%(u)s không hoạt động ngày %(d)s.") % {"u": unit, "d": _day(valid_from)}
    elif unit.valid_to is not None and (valid_to is None or valid_to > unit.valid_to):
        errors["valid_to"] = _("%(u)s chỉ hoạt động đến ngày %(d)s: vai trò phải kết thúc chậm nhất ngày đó.") % {
            "u": unit,
            "d": _day(unit.valid_to),
        }
    if not errors:
        overlapping = Membership.objects.filter(user=user, unit=unit, role=role).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
        )
        if valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=valid_to)
        if overlapping.exists():
            errors["role"] = _("Người này đã giữ vai trò này tại đơn vị trong khoảng thời gian đó.")
    if errors:
        raise ValidationError(errors)
    membership = Membership(user=user, unit=unit, role=role, title=title, valid_from=valid_from, valid_to=valid_to)
    membership.full_clean()
    membership.save()
    audit.record_transition(
        membership,
        audit.MEMBERSHIP_ADDED,
        actor=actor,
        scope=scope_of(issuer),
        data=audit.snapshot(membership, MEMBERSHIP_FIELDS),
        trail=trail,
    )
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, last_day: datetime.date, actor, reason: str = "", trail=None):
    """End a role: ``last_day`` is its last day in force (today at the earliest; the past is not rewritten)."""
    membership = Membership.objects.select_for_update().select_related("unit", "user").get(pk=membership.pk)
    issuer = check_administers(actor, membership.unit)
    today = timezone.localdate()
    if last_day < today - datetime.timedelta(days=1):
        raise ValidationError(
            {
                "last_day": _("Không kết thúc vai trò cho ngày đã qua (sớm nhất là hôm qua, %(d)s).")
                % {"d": _day(today - datetime.timedelta(days=1))}
            }
        )
    if last_day < membership.valid_from - datetime.timedelta(days=1):
        raise ValidationError({"last_day": _("Ngày kết thúc trước ngày bắt đầu của vai trò.")})
    if membership.valid_to is not None and membership.valid_to <= last_day:
        raise ValidationError(
            {"last_day": _("Vai trò đã kết thúc ngày %(d)s.") % {"d": _day(membership.valid_to)}}, code="wrong_state"
        )
    before = audit.snapshot(membership, ["valid_to"])
    membership.valid_to = last_day
    membership.save(update_fields=["valid_to"])
    audit.record_transition(
        membership,
        audit.MEMBERSHIP_ENDED,
        actor=actor,
        scope=scope_of(issuer),
        comment=reason,
        changes=audit.diff(before, audit.snapshot(membership, ["valid_to"])),
        trail=trail,
    )
    return membership


def _username_taken(username: str) -> bool:
    return get_user_model().objects.filter(username__iexact=username).exists()


@transaction.atomic
def person_create(
    *,
    username: str,
    full_name: str,
    email: str,
    unit: OrgUnit,
    role: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    title: str = "",
    actor,
    trail=None,
):
    """An account without a password (the invitation sets it) and its first role; all or nothing."""
    issuer = check_administers(actor, unit)
    errors = {}
    if not username.strip():
        errors["username"] = _("Cần nhập tên đăng nhập.")
    elif _username_taken(username):
        errors["username"] = _("Tên đăng nhập “%(u)s” đã có người dùng.") % {"u": username}
    if not full_name.strip():
        errors["full_name"] = _("Cần nhập họ và tên.")
    if errors:
        raise ValidationError(errors)
    user = get_user_model()(username=username.strip(), first_name=full_name.strip(), email=email.strip())
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record_transition(
        user,
        audit.PERSON_CREATED,
        actor=actor,
        scope=scope_of(issuer),
        data={"username": user.username, "full_name": user.first_name, "email": user.email},
        trail=trail,
    )
    membership_add(
        user=user,
        unit=unit,
        role=role,
        valid_from=valid_from,
        valid_to=valid_to,
        title=title,
        actor=actor,
        trail=trail,
    )
    return user


def invitation_link(user, base_url: str) -> str:
    """The set-password link: Django's reset token, spent once the password changes."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return f"{base_url.rstrip('/')}/accounts/reset/{uid}/{token}/"


@transaction.atomic
def person_invite(*, user, base_url: str, actor, trail=None) -> str:
    """E-mail ``user`` a link to choose their password (only to people holding a role the actor administers)."""
    units = OrgUnit.objects.filter(memberships__user=user).distinct()
    issuers = list(authority.administered_issuers(actor))
    issuer = next((i for u in units if (i := authority.issuer_of(u, issuers)) is not None), None)
    if issuer is None:
        raise ValidationError(_("Người này không thuộc cơ quan bạn quản trị."), code="no_authority")
    if not user.email:
        raise ValidationError({"email": _("Người này chưa có địa chỉ e-mail.")})
    link = invitation_link(user, base_url)
    send_mail(
        _("Mời sử dụng hệ thống Thi đua – Khen thưởng"),
        _(
            "Xin chào %(name)s,\n\nBạn đã được tạo tài khoản “%(username)s”. Mở liên kết sau để đặt mật khẩu:\n"
            "%(link)s\n\nLiên kết chỉ dùng được một lần."
        )
        % {"name": user.get_full_name() or user.username, "username": user.username, "link": link},
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    audit.record_transition(
        user, audit.PERSON_INVITED, actor=actor, scope=scope_of(issuer), data={"email": user.email}, trail=trail
    )
    return link


def holders_on(issuer: OrgUnit, day: datetime.date):
    """Who holds which role in the committee's units on ``day`` (units in force that day)."""
    return (
        Membership.objects.filter(unit__path__startswith=issuer.path, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .filter(unit__valid_from__lte=day)
        .exclude(unit__valid_to__lt=day)
        .select_related("user", "unit")
        .order_by("unit__path", "role", "user__first_name")
    )
