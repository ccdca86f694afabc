"""The transactional outbox (jobs/outbox.py): recorded with the change, sent after commit, re-sent until done."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from jobs import outbox
from jobs.models import OutboxJob
from jobs.outbox import MAX_ATTEMPTS, enqueue, relay
from nominations.tasks import notify_outcome_task
from workflow.tasks import fire_workflow_timers, resume_dossiers_task

RESUME_ARGS = ([1], "council", "accepted")


def test_a_rolled_back_change_leaves_no_job(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue(resume_dossiers_task, *RESUME_ARGS)
            raise RuntimeError("the change fails")
    assert not OutboxJob.objects.exists()
    assert callbacks == []  # and nothing is sent


def test_a_job_is_recorded_in_the_transaction_and_sent_on_commit(db, django_capture_on_commit_callbacks, broker):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        job = enqueue(resume_dossiers_task, *RESUME_ARGS)
        assert OutboxJob.objects.filter(pk=job.pk, done_at=None).exists()
        assert broker.sent == []  # not before the commit
    assert (job.task, job.args, job.kwargs) == (resume_dossiers_task.name, [[1], "council", "accepted"], {})
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    # sent under the job's own id, and the task (a dossier that is not waiting: nothing to move) marked it done
    assert broker.sent == [(resume_dossiers_task.name, str(job.pk))]
    assert job.attempts == 1 and job.sent_at and job.done_at and not job.last_error


def test_the_recorded_row_is_the_models_own_in_one_insert(db, django_capture_on_commit_callbacks):
    """The job's INSERT is written once per process (outbox._insert): the row read back is what the model holds,
    its defaults included, and recording costs the request that one statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = timezone.now()
    with django_capture_on_commit_callbacks(), CaptureQueriesContext(connection) as ctx:
        job = enqueue(resume_dossiers_task, [3, 4], "council", "accepted", note="ồ")
        again = enqueue(resume_dossiers_task, [5], "council", "accepted")
    assert [q["sql"][:30] for q in ctx.captured_queries] == ['INSERT INTO "jobs_outboxjob" ('] * 2
    row = OutboxJob.objects.get(pk=job.pk)
    assert (row.task, row.args, row.kwargs) == (
        resume_dossiers_task.name,
        [[3, 4], "council", "accepted"],
        {"note": "ồ"},
    )
    assert before <= row.created_at <= timezone.now() and before <= row.tried_at <= timezone.now()
    assert (row.sent_at, row.attempts, row.last_error, row.done_at) == (None, 0, "", None)
    assert OutboxJob.objects.get(pk=again.pk).args == [[5], "council", "accepted"] and again.pk != job.pk
    assert not job._state.adding


def test_only_tasks_that_mark_their_job_done_go_through_the_outbox(db):
    with pytest.raises(TypeError):
        enqueue(fire_workflow_timers)


def test_a_broker_that_is_down_leaves_the_job_pending_and_the_relay_sends_it_later(
    db, django_capture_on_commit_callbacks, broker
):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue(resume_dossiers_task, *RESUME_ARGS)
        broker.down = True
    job.refresh_from_db()  # the commit went through; the send failed quietly
    assert job.sent_at is None and job.done_at is None and job.attempts == 0
    assert "Connection refused" in job.last_error
    assert relay() == 0  # not due yet: a job is given THIDUA_OUTBOX_RETRY_AFTER seconds
    assert relay(unsent_after=0) == 0  # due, but the broker is still down
    broker.down = False
    assert relay(unsent_after=0) == 1
    job.refresh_from_db()
    assert broker.sent == [(resume_dossiers_task.name, str(job.pk))]
    assert job.done_at and job.attempts == 1 and not job.last_error
    assert relay(unsent_after=0, resend_after=0) == 0  # done: never sent again


def _job(task=resume_dossiers_task, *, age, sent=False, attempts=0):
    past = timezone.now() - datetime.timedelta(seconds=age)
    return OutboxJob.objects.create(
        task=task.name,
        args=list(RESUME_ARGS),
        created_at=past,
        tried_at=past,
        sent_at=past if sent else None,
        attempts=attempts,
    )


def test_what_the_relay_finds_due(db, settings):
    settings.THIDUA_OUTBOX_RETRY_AFTER, settings.THIDUA_OUTBOX_RESEND_AFTER = 60, 900
    fresh = _job(age=10)  # its own after-commit send may still be on its way
    unsent = _job(age=70)  # the broker refused it
    in_flight = _job(age=300, sent=True, attempts=1)  # queued or running
    lost = _job(age=1000, sent=True, attempts=1)  # taken long ago and never finished (lost in a broker restart)
    given_up = _job(age=1000, sent=True, attempts=MAX_ATTEMPTS)  # left for a person
    done = _job(age=1000, sent=True, attempts=1)
    OutboxJob.objects.filter(pk=done.pk).update(done_at=timezone.now())
    assert set(outbox.pending()) == {unsent, lost}
    assert {fresh, in_flight, given_up}.isdisjoint(outbox.pending())


def test_the_relay_claims_what_it_sends_and_stops_at_a_broker_that_is_down(db, broker):
    first, second = _job(age=120), _job(age=100)
    broker.down = True
    assert relay() == 0
    for job in (first, second):
        job.refresh_from_db()
        assert job.sent_at is None and job.tried_at > timezone.now() - datetime.timedelta(seconds=5)
    assert "Connection refused" in first.last_error and not second.last_error  # one try, then it stopped
    assert relay() == 0  # claimed just now: not due again before THIDUA_OUTBOX_RETRY_AFTER
    broker.down = False
    assert relay(unsent_after=0) == 2
    assert [name for name, _ in broker.sent] == [resume_dossiers_task.name] * 2


def test_a_task_that_fails_for_good_keeps_its_job_pending_with_the_error(db):
    job = _job(notify_outcome_task, age=1000, sent=True, attempts=1)
    # its last retry: a dossier that does not exist
    result = notify_outcome_task.apply(args=[987654], task_id=str(job.pk), retries=5, throw=False)
    assert result.state == "FAILURE"
    job.refresh_from_db()
    assert job.done_at is None and "DoesNotExist" in job.last_error
    assert job in outbox.pending()  # sent again later, up to MAX_ATTEMPTS times


def test_done_jobs_are_dropped_after_a_week(db, broker):
    old, recent = _job(age=8 * 86400, sent=True), _job(age=86400, sent=True)
    OutboxJob.objects.filter(pk=old.pk).update(done_at=timezone.now() - datetime.timedelta(days=8))
    OutboxJob.objects.filter(pk=recent.pk).update(done_at=timezone.now() - datetime.timedelta(days=1))
    relay()
    assert list(OutboxJob.objects.all()) == [recent]


def test_the_relay_command_sends_everything_pending_with_now(db, broker):
    job = _job(age=1)
    call_command("relay_outbox")
    assert broker.sent == []
    call_command("relay_outbox", "--now")
    assert broker.sent == [(resume_dossiers_task.name, str(job.pk))]


def test_the_relay_runs_every_minute_under_beat(settings):
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["jobs.tasks.relay_outbox_task"] == 60.0


def test_workers_give_back_a_dead_workers_jobs_within_minutes(settings):
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    # Two messages held per process at most (with one, a worker -c 1 spins on the next notice burst's message:
    # config/settings.py), each given back after the visibility timeout.
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 2
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= 600


def test_inline_without_a_broker_the_job_runs_after_commit_as_before(
    db, django_capture_on_commit_callbacks, celery_inline
):
    # make run / make test: no CELERY_BROKER_URL, tasks run inline
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        job = enqueue(resume_dossiers_task, *RESUME_ARGS)
        job.refresh_from_db()
        assert job.done_at is None
    job.refresh_from_db()
    assert job.done_at and job.attempts == 1


def test_the_admin_lists_jobs_left_pending_read_only(admin_client):
    job = _job(age=1000, sent=True, attempts=MAX_ATTEMPTS)
    OutboxJob.objects.filter(pk=job.pk).update(last_error="DoesNotExist: no such dossier")
    page = admin_client.get("/admin/jobs/outboxjob/?done_at__isempty=1")
    assert page.status_code == 200
    assert resume_dossiers_task.name in page.content.decode() and "no such dossier" in page.content.decode()
    assert admin_client.get("/admin/jobs/outboxjob/add/").status_code == 403
    assert admin_client.post(f"/admin/jobs/outboxjob/{job.pk}/change/", {"task": "x"}).status_code == 403
