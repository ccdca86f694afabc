"""Background jobs that a state change needs, recorded in its transaction and sent after it commits.

``enqueue(task, *args)`` inserts an OutboxJob in the caller's transaction: a rolled-back change leaves no job,
a committed one always leaves its job. After the commit the job is published once; a broker that is down is
logged and left to ``relay()`` (a beat job, and ``manage.py relay_outbox``), which sends again what is still
pending. Tasks derive from ``OutboxTask``: a task that succeeds marks its row done. Delivery is therefore at
least once, and the tasks are idempotent by state (a second run finds the work made and makes nothing).

With no broker configured (``make run``, ``make test``) Celery runs the task inline: in ``make run`` a request's
jobs run in this process once its response has been sent (jobs/inline.py); otherwise after the commit, as before
the outbox existed, and their errors propagate.
"""

import datetime
import logging
import threading
import uuid
from contextlib import contextmanager
from functools import partial

from celery import Task, current_app
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, Q, When
from django.utils import timezone
from kombu.exceptions import OperationalError

from . import inline
from .models import OutboxJob

logger = logging.getLogger(__name__)

# One quick try, plus one reconnection (a pooled connection is stale after a Redis restart), so a request never
# waits on a broker that is down; the relay sends what did not get through.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# What a broker that is down raises (kombu wraps connection errors; a bare socket error may come through).
BROKER_ERRORS = (OperationalError, OSError)
# A job sent this many times that never finished is left for a person (admin: "Việc chạy nền").
MAX_ATTEMPTS = 10
# Done rows are kept this long for looking into, then dropped by the relay.
KEEP_DONE = datetime.timedelta(days=7)


class OutboxTask(Task):
    """Base of the tasks sent through ``enqueue``: success marks the job done, a final failure notes the error."""

    # Nothing reads their results (the row says whether they ran), and a result backend that is down would
    # hold every send for its own ~20 s of reconnection attempts.
    ignore_result = True

    def on_success(self, retval, task_id, args, kwargs):
        if _settled_by_burst(task_id):
            return  # ``burst`` marked the row done in its own transaction: a second UPDATE would change nothing
        _update(task_id, done_at=timezone.now(), last_error="")

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        _update(task_id, last_error=_describe(exc))


def enqueue(task: OutboxTask, *args, **kwargs) -> OutboxJob:
    """Record ``task(*args, **kwargs)`` in the current transaction and send it once that commits (never raises
    for the broker: a job that could not be sent stays pending for the relay)."""
    if not isinstance(task, OutboxTask):
        raise TypeError(f"{task.name} must be declared with base=OutboxTask to be sent through the outbox")
    job = OutboxJob(task=task.name, args=list(args), kwargs=kwargs)
    _insert(job)
    # A partial, not a lambda: tests pick the jobs out of the on-commit callbacks (tests/workflow/helpers.py).
    transaction.on_commit(partial(send, job))
    return job


# ``_insert``'s statement, per database vendor: every column of the row, written once per process.
_INSERT_SQL: dict[str, str] = {}


def _insert(job: OutboxJob) -> None:
    """``job.save()`` as one INSERT whose text is built once (the ORM built it for each step: a share of the
    request's time); the values are those of the model's fields (their defaults, adapted by the fields), and no
    model signal is sent (none listens to this model)."""
    fields = OutboxJob._meta.concrete_fields
    sql = _INSERT_SQL.get(connection.vendor)
    if sql is None:
        qn = connection.ops.quote_name
        columns = ", ".join(qn(field.column) for field in fields)
        sql = _INSERT_SQL[connection.vendor] = (
            f"INSERT INTO {qn(OutboxJob._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [field.get_db_prep_save(getattr(job, field.attname), connection) for field in fields])
    job._state.adding, job._state.db = False, connection.alias


def send(job: OutboxJob) -> bool:
    """Publish the job under its own id (run it inline with no broker); True when the broker took it.

    With no broker, during a request (``make run``), the job runs after the response instead (jobs/inline.py).
    A job of a task run in bursts (``OutboxTask.burst``) is handed to the burst already on its way, if any
    (``_handed_to_burst``)."""
    if _inline() and inline.enabled() and inline.in_request():
        inline.hold(job)
        return True
    try:
        if not _handed_to_burst(job):
            _publish(job)
    except Exception as exc:
        if _inline():
            raise  # the error is the task's own, and it propagates as it always did
        logger.warning("job %s (%s) not sent, left for the relay: %s", job.pk, job.task, _describe(exc))
        _update(job.pk, tried_at=timezone.now(), sent_at=None, last_error=_describe(exc))
        return False
    return True


def _handed_to_burst(job: OutboxJob) -> bool:
    """For a task run in bursts, with Redis as the broker: one message per burst window, not one per job.

    The job is first marked sent (``burst`` takes the sent jobs); then the first job of a window sets the burst's
    key in Redis (SET NX, expiring) and publishes its message ``BURST_WINDOW`` seconds late, so that the jobs
    recorded meanwhile ride with it: they find the key set and publish nothing (True). The worker deletes the key
    before it takes the sent jobs (``burst``), so a job that found the key set is always taken: it was marked
    sent before, and the key deleted after. A broker or Redis that is down raises (the job goes to the relay, as
    before). A burst that expires (its message lost with Redis, its worker killed, its publish failed) leaves its
    jobs sent and not done: the next burst takes them, and the relay sends each again with its own message
    ``burst_resend_after()`` s after it was handed over (not THIDUA_OUTBOX_RESEND_AFTER)."""
    task = current_app.tasks[job.task]
    window = BURST_WINDOW
    if not getattr(task, "burst", False) or window <= 0 or current_app.conf.task_always_eager or not _redis_broker():
        return False
    now = timezone.now()
    _update(job.pk, tried_at=now, sent_at=now, attempts=F("attempts") + 1)
    if not _burst_key_set(job.task, ttl=BURST_KEY_TTL):
        return True  # a burst message is on its way and will take this job
    try:
        task.apply_async(
            job.args, job.kwargs, task_id=str(job.pk), ignore_result=True, retry_policy=PUBLISH_RETRY, countdown=window
        )
    except Exception:
        # No message carries this window: the jobs that found the key set would ride with nothing until it expired.
        _burst_key_delete(job.task)
        raise
    return True


def _redis_broker() -> bool:
    """The broker publishes to Redis (the write URL, when one is set apart, is where messages go)."""
    url = current_app.conf.broker_write_url or current_app.conf.broker_url
    return str(url or "").startswith(("redis://", "rediss://"))


def _burst_key(task_name: str) -> str:
    return f"thidua:outbox:burst:{task_name}"


def _burst_key_set(task_name: str, *, ttl: int) -> bool:
    """SET NX on the broker's Redis: True when this call set the key (no burst pending)."""
    with current_app.pool.acquire(block=True) as conn:
        return bool(conn.default_channel.client.set(_burst_key(task_name), "1", nx=True, ex=ttl))


def burst_started(task_name: str) -> None:
    """The worker's burst is taking the jobs now: the next job sends a message of its own (see _handed_to_burst).
    With no window no job ever set the key: no round trip to Redis for each job."""
    if BURST_WINDOW <= 0 or not _redis_broker() or current_app.conf.task_always_eager:
        return
    with current_app.pool.acquire(block=True) as conn:
        conn.default_channel.client.delete(_burst_key(task_name))


def _burst_key_delete(task_name: str) -> None:
    """Best effort: a Redis that is down has lost the key anyway, or lets it expire (BURST_KEY_TTL)."""
    try:
        with current_app.pool.acquire(block=True, timeout=2) as conn:
            conn.default_channel.client.delete(_burst_key(task_name))
    except Exception as exc:
        logger.warning("burst key of %s not deleted (it expires in %s s): %s", task_name, BURST_KEY_TTL, _describe(exc))


def _publish(job: OutboxJob) -> None:
    task = current_app.tasks[job.task]
    task.apply_async(job.args, job.kwargs, task_id=str(job.pk), ignore_result=True, retry_policy=PUBLISH_RETRY)
    now = timezone.now()
    _update(job.pk, tried_at=now, sent_at=now, attempts=F("attempts") + 1)


def pending(now=None, *, unsent_after=None, resend_after=None):
    """Jobs due again: never taken by the broker for ``unsent_after`` s, or taken ``resend_after`` s ago and
    still not done (a message lost by a broker restart, a task that kept failing), at most MAX_ATTEMPTS sends.

    A job of a task run in bursts is due sooner: ``burst_resend_after()`` s after it was handed to a burst (see
    there), since the burst it rode with has then expired."""
    now = now or timezone.now()
    unsent_after = settings.THIDUA_OUTBOX_RETRY_AFTER if unsent_after is None else unsent_after
    resend_after = settings.THIDUA_OUTBOX_RESEND_AFTER if resend_after is None else resend_after
    never_sent = Q(sent_at__isnull=True, tried_at__lte=now - datetime.timedelta(seconds=unsent_after))
    unfinished = Q(
        sent_at__isnull=False, attempts__lt=MAX_ATTEMPTS, tried_at__lte=now - datetime.timedelta(seconds=resend_after)
    )
    bursts = burst_task_names() if BURST_WINDOW > 0 else []
    if bursts:
        after = min(burst_resend_after(), resend_after)
        unfinished |= Q(
            task__in=bursts,
            sent_at__isnull=False,
            attempts__lt=MAX_ATTEMPTS,
            tried_at__lte=now - datetime.timedelta(seconds=after),
        )
    return OutboxJob.objects.filter(never_sent | unfinished, done_at__isnull=True)


def relay(*, unsent_after=None, resend_after=None, limit=500) -> int:
    """Send again the jobs that are due (see ``pending``), oldest first; stop at the first broker failure.
    Safe to run twice at once: each run claims its rows. Returns how many were sent."""
    now = timezone.now()
    OutboxJob.objects.filter(done_at__lt=now - KEEP_DONE).delete()
    with transaction.atomic():
        due = pending(now, unsent_after=unsent_after, resend_after=resend_after)
        jobs = list(due.select_for_update(skip_locked=True).order_by("tried_at")[:limit])
        # Claimed: a concurrent run no longer finds them due.
        OutboxJob.objects.filter(pk__in=[job.pk for job in jobs]).update(tried_at=now)
    sent = 0
    for job in jobs:
        try:
            _publish(job)
        except Exception as exc:
            if _inline():
                raise
            _update(job.pk, last_error=_describe(exc))
            if isinstance(exc, BROKER_ERRORS):
                logger.warning("outbox relay: broker unavailable, %s jobs left: %s", len(jobs) - sent, _describe(exc))
                break
            logger.exception("outbox job %s (%s) not sent", job.pk, job.task)
            continue
        sent += 1
    if jobs:
        logger.info("outbox relay: %s of %s due jobs sent", sent, len(jobs))
    return sent


# The ids of the jobs whose rows this thread's ``burst`` settled (marked done, or found done), for on_success.
_settled = threading.local()


def _settled_by_burst(task_id) -> bool:
    ids = getattr(_settled, "ids", None)
    if not ids or str(task_id) not in ids:
        return False
    ids.discard(str(task_id))
    return True


# At most this many pending jobs of one task taken together by ``burst``.
BURST = 100
# A burst's message waits this long (seconds) for the jobs recorded after the first (0: one message per job;
# THIDUA_OUTBOX_BURST_WINDOW). The worker takes the pending jobs together (``burst``) either way.
BURST_WINDOW = float(getattr(settings, "THIDUA_OUTBOX_BURST_WINDOW", 0))
# The burst's key expires after this (seconds): a lost message holds the next bursts back no longer.
BURST_KEY_TTL = 30
# Slack on top of the window and the key's life before the relay resends a burst's jobs (a worker that is behind).
BURST_GRACE = 5


def burst_task_names() -> list[str]:
    """The tasks declared with ``burst=True`` (notifications.tasks.notify_task_arrived_task)."""
    return sorted(name for name, task in current_app.tasks.items() if getattr(task, "burst", False))


def burst_resend_after() -> float:
    """Seconds after which a job handed to a burst and still not done is sent again by the relay.

    A job rides with a burst only while the burst's key is set, and the key lives at most BURST_KEY_TTL s; the
    burst's message runs BURST_WINDOW s after the key was set. Past both (and a little slack), the job is not done
    because its burst expired: its message was lost with Redis, or the worker that took it died (the rows its
    transaction held are unlocked once PostgreSQL sees the connection gone; a burst still running keeps them
    locked, and the relay skips locked rows). Its own message, if any, would come back only after the broker's
    visibility timeout (300 s) or never: so it is resent now, not after THIDUA_OUTBOX_RESEND_AFTER. A burst that
    was only late finds the job done, or takes it (rows locked, done once: nothing is doubled)."""
    return BURST_WINDOW + BURST_KEY_TTL + BURST_GRACE


@contextmanager
def burst(job_id, task_name: str, limit: int = BURST):
    """Take the job ``job_id`` and the other pending jobs of ``task_name`` together, so that a worker pays once
    per burst of steps rather than once per step; yields the jobs' rows (own first, unless a burst did it
    already). The rows are marked done when the block ends, in the block's transaction.
    The others are those already handed to the broker (their messages wait behind this one); a job never sent
    (the broker was down) waits for the relay, which sends it, as before.

    Nothing is lost: every job keeps its own message (and the relay's resends). The own row is locked, waiting
    for a burst that holds it, so a message finds its job either done (committed) or its own to run; the others
    are taken with SKIP LOCKED (a burst running on another worker keeps its own). An error rolls the whole burst
    back: each job is left pending, for its own message, its retries and the relay, as before.

    ``job_id`` not a job's (the task called directly, or sent without the outbox): yields ``None``, and the caller
    runs its own arguments alone."""
    try:
        job_pk = uuid.UUID(str(job_id))
    except ValueError:
        job_pk = None
    if job_pk is not None:
        burst_started(task_name)  # before the jobs are read: one sent after this sends its own message
    with transaction.atomic():
        own, others = _take(job_pk, task_name, limit) if job_pk else (None, [])
        if own is None:
            yield None
            return
        # Own job done already (a burst took it): the others still count on this message (_handed_to_burst).
        jobs = [own, *others] if own.done_at is None else others
        yield jobs
        OutboxJob.objects.filter(pk__in=[job.pk for job in jobs]).update(done_at=timezone.now(), last_error="")
    # Committed: the own row is done (now, or by the burst that took it), so the task's success needs no UPDATE of
    # its own (a worker's statement per job; OutboxTask.on_success). Kept per thread, read once.
    if not hasattr(_settled, "ids"):
        _settled.ids = set()
    _settled.ids.add(str(job_pk))


def _take(job_pk, task_name: str, limit: int):
    """(own row, other pending rows) for ``burst``, locked: in one statement when no other burst holds the own row
    (the usual case), the own row first; else the own row is waited for on its own (the burst that holds it
    commits it done, or rolls back), after the others were taken without waiting. No two bursts wait for each
    other: each locks its own row first, so a burst that holds another's own row holds its own."""
    rows = list(
        OutboxJob.objects.select_for_update(skip_locked=True)
        .filter(Q(pk=job_pk) | Q(task=task_name, done_at__isnull=True, sent_at__isnull=False))
        .order_by(Case(When(pk=job_pk, then=0), default=1), "created_at")[:limit]
    )
    if rows and rows[0].pk == job_pk:
        return rows[0], rows[1:]
    own = OutboxJob.objects.select_for_update().filter(pk=job_pk).first()
    return own, rows[: limit - 1]


def _inline() -> bool:
    """No broker (make run, make test): tasks run in the caller and their errors propagate, as before the outbox."""
    return current_app.conf.task_always_eager and current_app.conf.task_eager_propagates


def _update(job_id, **fields) -> None:
    """Best effort: a row that cannot be updated now is only sent once more later (the tasks are idempotent)."""
    try:
        OutboxJob.objects.filter(pk=uuid.UUID(str(job_id))).update(**fields)
    except ValueError:
        pass  # a task id that is not an outbox job's (the task was called directly)
    except Exception:
        logger.exception("outbox job %s not updated with %s", job_id, sorted(fields))


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]
