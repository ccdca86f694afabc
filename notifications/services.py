"""Writing notifications once, and e-mailing them (at once, or in the day's digest)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from workflow import counters

from .models import Notification, NotificationPreference


def wants_digest(user) -> bool:
    return NotificationPreference.objects.filter(user=user, daily_digest=True).exists()


def absolute(url: str) -> str:
    return f"{settings.THIDUA_PUBLIC_BASE_URL.rstrip('/')}{url}" if url.startswith("/") else url


@transaction.atomic
def notify(
    *, user, kind: str, title: str, body: str = "", url: str = "", dedup_key: str, email: bool = True
) -> Notification | None:
    """Write the notification unless its key was written before (a retried job); e-mail it now unless the
    person takes a daily digest or has no address. Returns it when written, None when it already was.

    ``email=False``: the person was mailed by other means (the outcome notice), nothing more is owed."""
    notification, created = Notification.objects.get_or_create(
        dedup_key=dedup_key[:200],
        defaults={"user": user, "kind": kind, "title": title[:255], "body": body, "url": url[:500]},
    )
    if not created:
        return None
    if not email:
        notification.emailed_at = notification.created_at
        notification.save(update_fields=["emailed_at"])
    elif user.email and not wants_digest(user):
        _mail(user, notification.title, "notifications/email/notification.txt", {"notification": notification})
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return notification


@transaction.atomic
def digest_send(*, user) -> int:
    """E-mail ``user`` one message with every notification still owed; a second run finds none and sends none."""
    if not user.email:
        return 0
    owed = list(Notification.objects.select_for_update().filter(user=user, emailed_at__isnull=True).order_by("pk"))
    if not owed:
        return 0
    with translation.override("vi"):
        subject = translation.gettext("Tổng hợp thông báo ngày %(day)s") % {"day": f"{timezone.localdate():%d/%m/%Y}"}
    _mail(user, subject, "notifications/email/digest.txt", {"notifications": owed})
    Notification.objects.filter(pk__in=[n.pk for n in owed]).update(emailed_at=timezone.now())
    return len(owed)


def digest_users():
    """People who take a digest, have an address and are owed at least one e-mail."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(notification_preference__daily_digest=True, notifications__emailed_at__isnull=True)
        .exclude(email="")
        .distinct()
    )


def mark_read(*, user, ids=None) -> int:
    """Mark the person's unread notifications (those of ``ids`` only, when given) read; returns how many."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    marked = unread.update(read_at=timezone.now())
    counters.invalidate(user.pk)  # the bell's count (an update sends no post_save)
    return marked


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def _mail(user, subject: str, template: str, context: dict) -> None:
    with translation.override("vi"):
        body = render_to_string(template, {**context, "user": user, "base_url": absolute("/")})
    send_mail(f"[Thi đua – Khen thưởng] {subject}", body, settings.DEFAULT_FROM_EMAIL, [user.email])
