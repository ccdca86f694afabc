"""Writing notifications once, and e-mailing them (at once, or in the day's digest)."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import IntegrityError, transaction
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


def notify_many(users, *, kind: str, title: str, body: str = "", url: str = "", key) -> list[Notification]:
    """``notify`` for many people told the same thing (a queue task's holders, a campaign's audience), each once
    under ``key(user)``: the keys already written read in one query, the new rows written in one, the digest
    preferences read in one, the e-mail rendered once (each recipient's name put in) and sent over one connection.
    Returns the notifications written.

    The rows and the mails share one transaction: a mail that fails rolls the rows back, so the retried job writes
    and mails them again (a recipient mailed before the failure may get a second copy: at least once, as the
    outbox's jobs). A concurrent run of the same job (a redelivery) makes the insert fail on a taken key: then each
    person goes through ``notify``, which waits for the other run and skips what it wrote."""
    fields = {"kind": kind, "title": title, "body": body, "url": url}
    return notify_each([(users, fields, key)])


def notify_each(notices) -> list[Notification]:
    """``notify_many`` for several messages at once (the notices of a burst of tasks): ``notices`` is a list of
    ``(users, fields, key)``, ``fields`` the kind, title, body and url. The taken keys, the digest preferences and
    the new rows are one query each for all of them; each message is rendered once. Same guarantees as
    ``notify_many``: one transaction for rows and mails, and on a key taken concurrently each person of each
    message goes through ``notify``."""
    notices = [(list(users), fields, {user.pk: key(user)[:200] for user in users}) for users, fields, key in notices]
    # No savepoint inside a caller's transaction (a burst of jobs): an error here fails the caller's whole
    # transaction anyway (rows and mails undone together); alone, this is the transaction.
    with transaction.atomic(savepoint=False):
        all_keys = [k for _users, _fields, keys in notices for k in keys.values()]
        taken = set(Notification.objects.filter(dedup_key__in=all_keys).values_list("dedup_key", flat=True))
        new = [([u for u in users if keys[u.pk] not in taken], fields, keys) for users, fields, keys in notices]
        new = [(users, fields, keys) for users, fields, keys in new if users]
        if not new:
            return []
        addressed = {user.pk for users, _fields, _keys in new for user in users if user.email}
        digest = set(
            NotificationPreference.objects.filter(user__in=addressed, daily_digest=True).values_list(
                "user_id", flat=True
            )
            if addressed
            else ()
        )
        mailed = addressed - digest
        now = timezone.now()
        rows = [
            Notification(user=user, kind=fields["kind"], title=fields["title"][:255], body=fields["body"],
                         url=fields["url"][:500], dedup_key=keys[user.pk],
                         emailed_at=now if user.pk in mailed else None)
            for users, fields, keys in new
            for user in users
        ]  # fmt: skip
        try:
            with transaction.atomic():
                written = Notification.objects.bulk_create(rows)
        except IntegrityError:
            written = None
        if written is not None:
            first = 0
            for users, _fields, _keys in new:
                for user in users:
                    counters.invalidate(user.pk)  # the bell's count (bulk_create sends no post_save)
                _mail_many([u for u in users if u.pk in mailed], written[first], "notifications/email/notification.txt")
                first += len(users)
            return written
    return [n for users, fields, keys in new for user in users
            if (n := notify(user=user, dedup_key=keys[user.pk], **fields))]  # fmt: skip


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


def _recipient(user) -> str:
    return user.get_full_name() or user.username


def _mail(user, subject: str, template: str, context: dict) -> None:
    with translation.override("vi"):
        body = render_to_string(template, {**context, "recipient": _recipient(user), "base_url": absolute("/")})
    send_mail(f"[Thi đua – Khen thưởng] {subject}", body, settings.DEFAULT_FROM_EMAIL, [user.email])


# Stands for the recipient's name in a message rendered once for many (no name or title contains it).
_RECIPIENT = "\x00recipient\x00"


def _mail_many(users, notification: Notification, template: str) -> None:
    """One message per person, rendered once: only the salutation differs."""
    if not users:
        return
    with translation.override("vi"):
        context = {"notification": notification, "recipient": _RECIPIENT, "base_url": absolute("/")}
        body = render_to_string(template, context)
    subject = f"[Thi đua – Khen thưởng] {notification.title}"
    messages = [
        EmailMessage(subject, body.replace(_RECIPIENT, _recipient(user)), settings.DEFAULT_FROM_EMAIL, [user.email])
        for user in users
    ]
    get_connection().send_messages(messages)
