"""The worker tells a burst of arrived tasks at once (issue 18 item 3), losing and doubling nothing."""

from unittest import mock

import pytest
from celery.exceptions import Retry
from django.contrib.auth import get_user_model
from django.utils import timezone

from jobs.models import OutboxJob
from notifications.models import Notification
from tests.workflow.helpers import F, act, add_nomination, complete_dossier, start

from .helpers import arrival_jobs, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_arrivals(client, demo):
    """Two dossiers sent to the head: their two "task arrived" jobs, both handed to the broker (sent)."""
    users = {u.username: u for u in get_user_model().objects.all()}
    jobs = []
    for name in ("Hoàng Thị Ánh", "Trần Văn Bình"):
        process = start(client, users["canbo_vinhtrai"])
        nomination = add_nomination(client, process.artifact, name)
        complete_dossier(client, process.artifact, [nomination])
        with arrival_jobs() as recorded:
            act(client, users["canbo_vinhtrai"], process, F.prepare)
        jobs.extend(recorded)
    OutboxJob.objects.filter(pk__in=[job.pk for job in jobs]).update(sent_at=timezone.now())
    return jobs


def assigned():
    return Notification.objects.filter(kind=Notification.Kind.ASSIGNED)


def test_one_job_tells_the_other_sent_tasks_and_their_own_messages_then_do_nothing(two_arrivals, mailoutbox):
    first, second = two_arrivals
    run([first])
    assert assigned().count() == 2  # both heads' tasks told by the first job's run
    assert not OutboxJob.objects.filter(pk__in=[first.pk, second.pk], done_at=None).exists()
    run([second, first])  # their messages arrive: each finds its job done
    assert assigned().count() == 2
    assert len(mailoutbox) == 2


def test_a_failing_burst_leaves_every_job_pending_and_the_next_run_tells_each_once(two_arrivals, mailoutbox):
    first, second = two_arrivals
    with mock.patch("notifications.services._mail_many", side_effect=ConnectionError("SMTP down")):
        with pytest.raises((ConnectionError, Retry)):  # the task's autoretry, inline
            run([first])
    assert not assigned().exists()
    assert OutboxJob.objects.filter(pk__in=[first.pk, second.pk], done_at=None).count() == 2
    run([second])
    run([first])
    assert assigned().count() == 2
    assert len(mailoutbox) == 2


def test_a_job_never_sent_is_left_to_its_own_send(two_arrivals):
    first, second = two_arrivals
    OutboxJob.objects.filter(pk=second.pk).update(sent_at=None)  # the broker was down when it was recorded
    run([first])
    assert assigned().count() == 1
    assert OutboxJob.objects.filter(pk=second.pk, done_at=None).exists()
    run([second])
    assert assigned().count() == 2
