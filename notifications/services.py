"""Writing notifications once, and e-mailing them (at once, or in the day's digest)."""

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from workflow import counters

from .mails import SUBJECT_PREFIX, NoticeMails, recipient_name
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
    under ``key(user)``: the new rows written in one statement that skips the keys already written, the digest
    preferences read in one, the e-mail rendered once (each recipient's name put in) and sent over one connection.
    Returns the notifications written.

    The rows and the mails share one transaction: a mail that fails rolls the rows back, so the retried job writes
    and mails them again (a recipient mailed before the failure may get a second copy: at least once, as the
    outbox's jobs). A concurrent run of the same job (a redelivery): the insert waits for the other run and skips
    what it wrote (``_insert_new``)."""
    fields = {"kind": kind, "title": title, "body": body, "url": url}
    return notify_each([(users, fields, key)])


def notify_each(notices) -> list[Notification]:
    """``notify_many`` for several messages at once (the notices of a burst of tasks): ``notices`` is a list of
    ``(users, fields, key)``, ``fields`` the kind, title, body and url. The digest preferences and the new rows are
    one statement each for all of them; the e-mail's text is rendered once per shape for them all (mails.py), and
    every message sent over one connection. Same guarantees as ``notify_many``: one
    transaction for rows and mails; a key written before (a retried job) or by a concurrent run (PostgreSQL waits
    for that run's transaction, then skips the key, or writes it if that run rolled back) is left as it is, and
    its person is neither written nor mailed again (``_insert_new``)."""
    notices = [(list(users), fields, {user.pk: key(user)[:200] for user in users}) for users, fields, key in notices]
    notices = [(users, fields, keys) for users, fields, keys in notices if users]
    if not notices:
        return []
    # No savepoint inside a caller's transaction (a burst of jobs): an error here fails the caller's whole
    # transaction anyway (rows and mails undone together); alone, this is the transaction.
    with transaction.atomic(savepoint=False):
        addressed = {user.pk for users, _fields, _keys in notices for user in users if user.email}
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
                         url=fields["url"][:500], dedup_key=keys[user.pk], created_at=now,
                         emailed_at=now if user.pk in mailed else None)
            for users, fields, keys in notices
            for user in users
        ]  # fmt: skip
        written = _insert_new(rows)
        new_keys = {row.dedup_key: row for row in written}
        mails = NoticeMails("notifications/email/notification.txt", absolute("/"), settings.DEFAULT_FROM_EMAIL)
        for users, _fields, keys in notices:
            told = [user for user in users if keys[user.pk] in new_keys]
            for user in told:
                counters.invalidate(user.pk)  # the bell's count (a raw insert sends no post_save)
            if told:
                mails.add(new_keys[keys[told[0].pk]], [u for u in told if u.pk in mailed])
        _mail_many(mails.messages)
    return written


# Columns of the raw insert (``_insert_new``), in its order; rows per statement (parameters stay well under the
# databases' limits).
_COLUMNS = ("user", "kind", "title", "body", "url", "created_at", "read_at", "dedup_key", "emailed_at")
_INSERT_BATCH = 500


def _insert_new(rows: list[Notification]) -> list[Notification]:
    """Insert the rows whose key is not taken, in one statement (``ON CONFLICT (dedup_key) DO NOTHING``, PostgreSQL
    and SQLite alike): returns those written, their ids set. The ORM's bulk_create cannot say which rows a
    conflict skipped, and reading the taken keys first left a concurrent run's keys to a failed insert, a
    savepoint and one ``notify`` per person."""
    meta = Notification._meta
    fields = [meta.get_field(name) for name in _COLUMNS]
    qn = connection.ops.quote_name
    key_column, pk_column = qn(meta.get_field("dedup_key").column), qn(meta.pk.column)
    written = []
    for first in range(0, len(rows), _INSERT_BATCH):
        batch = rows[first : first + _INSERT_BATCH]
        values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(batch))
        sql = (
            f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) VALUES {values} "
            f"ON CONFLICT ({key_column}) DO NOTHING RETURNING {pk_column}, {key_column}"
        )
        params = [field.get_db_prep_save(getattr(row, field.attname), connection) for row in batch for field in fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = {key: pk for pk, key in cursor.fetchall()}
        for row in batch:
            if row.dedup_key in ids:
                row.pk = ids.pop(row.dedup_key)  # popped: a key twice in the batch is written once
                row._state.adding, row._state.db = False, connection.alias
                written.append(row)
    return written


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
        body = render_to_string(template, {**context, "recipient": recipient_name(user), "base_url": absolute("/")})
    send_mail(f"{SUBJECT_PREFIX}{subject}", body, settings.DEFAULT_FROM_EMAIL, [user.email])


def _mail_many(messages) -> None:
    """The messages of the notices written together, over one connection (one SMTP session for a burst)."""
    if messages:
        get_connection().send_messages(messages)
