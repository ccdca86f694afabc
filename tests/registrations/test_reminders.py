"""Đôn đốc: the standing body reminds a unit of its registration or progress. Recorded in the trail, delivered
by a job of the outbox to the unit's clerk and head (in the app and by e-mail), once each however often the job
runs; bad input and the wrong people write nothing."""

from contextlib import contextmanager

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from nominations.models import Campaign, OrgUnit
from nominations.services import reminders
from nominations.services.reminders import reminder_deliver
from nominations.tasks import deliver_reminder_task
from notifications.models import Notification
from tests.nominations.services.world import START
from tests.notifications.helpers import run
from tests.workflow.helpers import sent_jobs
from workflow.models import AuditEvent

from .world import build_registration_world, registered


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = build_registration_world()
    for user, address in ((w.clerk, "canbo@truong.test"), (w.head, "hieutruong@truong.test")):
        user.email = address
        user.save(update_fields=["email"])
    return w


@contextmanager
def delivered():
    """Run, once the block ends, the reminder jobs its requests recorded, inline as a worker would: with a live
    worker (the PostgreSQL stage) the worker cannot see this test's uncommitted rows."""
    with TestCase.captureOnCommitCallbacks() as callbacks:
        yield
    run(sent_jobs(callbacks, deliver_reminder_task))


def remind(world, captured, **overrides):
    fields = {"campaign": world.campaign, "unit": world.school, "actor": world.reviewer, "message": "Báo cáo tiến độ"}
    with delivered():
        return reminders.registration_remind(**(fields | overrides))


def test_a_reminder_is_audited_and_reaches_the_clerk_and_head_once(world, django_capture_on_commit_callbacks):
    registration = registered(world)
    event = remind(world, django_capture_on_commit_callbacks, message="Đề nghị báo cáo tiến độ trước ngày 15")
    assert (event.event_type, event.scope, event.actor_id) == (
        "registration.reminded",
        registration.audit_scope,
        world.reviewer.pk,
    )
    assert event.comment == "Đề nghị báo cáo tiến độ trước ngày 15"
    notes = Notification.objects.order_by("user_id")
    assert {n.user for n in notes} == {world.clerk, world.head}
    assert all(n.body == event.comment and n.url == f"/registrations/{registration.pk}/" for n in notes)
    assert sorted(m.to[0] for m in mail.outbox) == ["canbo@truong.test", "hieutruong@truong.test"]
    assert "Đôn đốc thực hiện phong trào" in mail.outbox[0].subject
    # The job delivered again (a broker's redelivery): nothing more is written or sent.
    again = reminder_deliver(event_id=event.pk, campaign_id=world.campaign.pk, unit_id=world.school.pk, message="x")
    assert again == 0 and Notification.objects.count() == 2 and len(mail.outbox) == 2


def test_a_unit_not_yet_registered_is_reminded_in_the_campaigns_trail(world, django_capture_on_commit_callbacks):
    event = remind(world, django_capture_on_commit_callbacks, message="Đơn vị chưa đăng ký thi đua")
    assert event.scope == f"campaign:{world.campaign.pk}"
    assert Notification.objects.filter(url="/registrations/").count() == 2


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"message": "   "}, "message"),
        ({"message": "x" * 2001}, "message"),
        ({"unit": "city"}, "unit"),
        ({"unit": "elsewhere"}, "unit"),
    ],
)
def test_bad_input_writes_nothing(world, django_capture_on_commit_callbacks, overrides, field):
    from django.core.exceptions import ValidationError

    if overrides.get("unit") == "city":
        overrides["unit"] = world.city  # the issuer itself
    elif overrides.get("unit") == "elsewhere":
        overrides["unit"] = OrgUnit.objects.create(
            code="tinh-khac-dv", name="Huyện khác", kind="city", level=2, valid_from=START
        )
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        remind(world, django_capture_on_commit_callbacks, **overrides)
    assert field in error.value.message_dict
    assert AuditEvent.objects.count() == before and not Notification.objects.exists() and not mail.outbox


def test_a_closed_campaign_takes_no_reminder(world, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    Campaign.objects.filter(pk=world.campaign.pk).update(status=Campaign.Status.CLOSED)
    world.campaign.refresh_from_db()
    with pytest.raises(ValidationError, match="đang diễn ra"):
        remind(world, django_capture_on_commit_callbacks)


def test_the_page_sends_it_and_a_unit_clerk_gets_403(client, world, django_capture_on_commit_callbacks):
    url = reverse("registrations:remind", args=[world.campaign.pk])
    client.force_login(world.clerk)
    assert client.get(url).status_code == 403 and client.post(url, {}).status_code == 403
    client.force_login(world.reviewer)
    form = client.get(url, {"unit": world.school.pk})
    assert form.status_code == 200 and f'<option value="{world.school.pk}" selected>' in form.content.decode()
    empty = client.post(url, {"unit": world.school.pk, "message": ""})
    assert empty.status_code == 200 and "Trường này là bắt buộc" in empty.content.decode()
    with delivered():
        sent = client.post(url, {"unit": world.school.pk, "message": "Khẩn trương đăng ký"})
    assert sent.status_code == 302 and sent["Location"] == reverse("registrations:table", args=[world.campaign.pk])
    assert Notification.objects.filter(body="Khẩn trương đăng ký").count() == 2
    assert "Đôn đốc đơn vị" in client.get(reverse("registrations:table", args=[world.campaign.pk])).content.decode()


def test_the_api_sends_it_400_on_bad_input_403_for_a_clerk(world, django_capture_on_commit_callbacks):
    url = reverse("api:campaign-reminders", args=[world.campaign.pk])
    api = APIClient()
    api.force_authenticate(world.clerk)
    assert api.post(url, {"unit": world.school.pk, "message": "x"}, format="json").status_code == 403
    api.force_authenticate(world.reviewer)
    bad = api.post(url, {"unit": world.city.pk, "message": "x"}, format="json")
    assert bad.status_code == 400 and "không thuộc phạm vi" in str(bad.json())
    with delivered():
        ok = api.post(url, {"unit": world.school.pk, "message": "Gửi báo cáo"}, format="json")
    assert ok.status_code == 201 and ok.json()["message"] == "Gửi báo cáo"
    assert Notification.objects.filter(body="Gửi báo cáo").count() == 2
