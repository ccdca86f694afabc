"""A queue task told to everyone who may take it, at once (issue 18: the notice was a step's costliest part).

The words are rendered once for all (only the salutation differs), the rows written together under their keys,
the rights of the holders read from the task's side (``roles.holders``): same people as ``roles.holds`` one by one.
"""

import datetime
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.template import loader

from nominations.models import Membership, OrgUnit, Role
from notifications.models import Notification, NotificationPreference
from tests.workflow.helpers import F, act, add_nomination, complete_dossier, start
from workflow import roles

from .helpers import arrival_jobs, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def _review_task_jobs(client, users):
    """A dossier submitted by the head: its review task (the standing body's queue) and the job telling it."""
    process = start(client, users["canbo_vinhtrai"])
    nomination = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
    complete_dossier(client, process.artifact, [nomination])
    act(client, users["canbo_vinhtrai"], process, F.prepare)
    with arrival_jobs() as jobs:
        act(client, users["chutich_vinhtrai"], process, F.head_approval, {"decision": "submit"})
    return process.task_set.get(flow_task=F.review), jobs


def _more_reviewers(users, count):
    """``count`` new reviewers of the standing body that reviews for the first reviewer's committee."""
    first = Membership.objects.get(user=users["thamdinh_noivu"], role=Role.REVIEWER, valid_to=None)
    made = []
    for i in range(count):
        user = get_user_model().objects.create_user(
            f"thamdinh_them_{i}", email=f"them{i}@example.vn", first_name=f"Thêm {i}"
        )
        Membership.objects.create(user=user, unit=first.unit, role=Role.REVIEWER, valid_from=first.valid_from)
        made.append(user)
    return made


def test_every_holder_is_told_once_with_one_rendering_and_digest_takers_are_not_mailed(client, users, mailoutbox):
    task, jobs = _review_task_jobs(client, users)
    extra = _more_reviewers(users, 3)
    NotificationPreference.objects.create(user=extra[0], daily_digest=True)
    get_user_model().objects.filter(pk=extra[1].pk).update(email="")
    holders = {users["thamdinh_noivu"].pk, *(u.pk for u in extra)}
    render = mock.Mock(wraps=loader.render_to_string)
    with mock.patch("notifications.mails.render_to_string", render):
        run(jobs, times=2)  # a redelivered job writes and mails nothing more
    notes = Notification.objects.filter(kind=Notification.Kind.ASSIGNED)
    assert {n.user_id: n.dedup_key for n in notes} == {pk: f"task:{task.pk}:{pk}" for pk in holders}
    assert render.call_count == 1  # one rendering for the four people, none on the second run
    mailed = {users["thamdinh_noivu"].email, extra[2].email}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(mailed)
    by_address = {m.to[0]: m.body for m in mailoutbox}
    assert by_address[extra[2].email].startswith("Kính gửi Thêm 2,")
    assert "Thêm 2" not in by_address[users["thamdinh_noivu"].email]
    assert set(notes.filter(emailed_at__isnull=True).values_list("user_id", flat=True)) == {extra[0].pk, extra[1].pk}


def test_the_digest_taker_gets_the_queue_notice_in_the_digest(client, users, mailoutbox):
    from notifications.alerts import send_digests

    _task, jobs = _review_task_jobs(client, users)
    (extra,) = _more_reviewers(users, 1)
    NotificationPreference.objects.create(user=extra, daily_digest=True)
    run(jobs)
    assert [m.to for m in mailoutbox] == [[users["thamdinh_noivu"].email]]
    assert send_digests() == 1
    assert mailoutbox[-1].to == [extra.email] and "Việc mới" in mailoutbox[-1].body


def test_a_run_that_meets_keys_written_concurrently_tells_each_person_once(client, users, mailoutbox):
    """A key another run wrote meanwhile (after the job's holders were read): the insert skips it (ON CONFLICT),
    that person is neither written nor mailed again, the others are."""
    from notifications import services

    task, jobs = _review_task_jobs(client, users)
    extra = _more_reviewers(users, 2)
    reviewer = users["thamdinh_noivu"]
    services.notify(user=reviewer, kind="assigned", title="x", dedup_key=f"task:{task.pk}:{reviewer.pk}")
    mailoutbox.clear()
    run(jobs)
    notes = Notification.objects.filter(dedup_key__startswith=f"task:{task.pk}:")
    assert notes.count() == 3
    assert notes.get(user=reviewer).title == "x"  # the other run's row, untouched
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in extra)


@pytest.mark.parametrize("perm", sorted(roles.UNIT_PERMS))
def test_holders_read_from_the_task_side_are_those_holding_the_right(demo, perm):
    day = datetime.date.today()
    people = list(get_user_model().objects.filter(is_active=True))
    for unit in OrgUnit.objects.all():
        expected = {u.pk for u in people if roles.holds(u, perm, unit, day)}
        found = set(get_user_model().objects.filter(roles.holders(perm, unit, day)).values_list("pk", flat=True))
        assert found == expected, (perm, unit)


def test_a_dissolved_unit_and_ended_roles_give_no_holders(users):
    first = Membership.objects.get(user=users["thamdinh_noivu"], role=Role.REVIEWER, valid_to=None)
    committee = first.unit.parent
    assert set(get_user_model().objects.filter(roles.holders(roles.REVIEW, committee)).values_list("pk", flat=True))
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    Membership.objects.filter(role=Role.REVIEWER, unit=first.unit).update(valid_to=yesterday)
    assert not get_user_model().objects.filter(roles.holders(roles.REVIEW, committee)).exists()
    OrgUnit.objects.filter(pk=committee.pk).update(valid_to=yesterday)
    committee.refresh_from_db()
    assert not get_user_model().objects.filter(roles.holders(roles.APPROVE, committee)).exists()
