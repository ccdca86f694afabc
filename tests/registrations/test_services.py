"""nominations.services.registrations called directly: each step, its audit event, and bad input refused with
nothing written."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nominations.models import Campaign, ProgressReport, Registration, TargetPlan, Work
from nominations.services import registrations
from tests.nominations.services.world import last_event
from workflow import audit
from workflow.models import AuditEvent

from .world import DAY, build_registration_world, registered


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_registration_world()


def rows():
    return (
        list(Registration.objects.values_list("pk", "status", "review_comment")),
        list(TargetPlan.objects.values_list("pk", "planned_value")),
        list(Work.objects.values_list("pk", "title")),
        list(ProgressReport.objects.values_list("pk", "value")),
        AuditEvent.objects.count(),
    )


def refused(call, **kwargs) -> str:
    before = rows()
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    assert rows() == before
    return " ".join(error.value.messages)


def test_a_registration_goes_draft_signed_accepted_each_step_in_its_trail(world):
    registration = registered(world, accept=False)
    assert registration.status == "draft"
    assert registration.plans.get(target=world.online).planned_value == Decimal("85")
    assert registration.works.get().title == "Số hóa hồ sơ lưu trữ"
    created = last_event(audit.REGISTRATION_CREATED, registration)
    assert (created.actor, created.scope) == (world.clerk, f"registration:{registration.pk}")
    registration = registrations.registration_sign(registration=registration, actor=world.head)
    assert (registration.status, registration.signed_by) == ("signed", world.head)
    registration = registrations.registration_accept(registration=registration, actor=world.reviewer)
    event = last_event(audit.REGISTRATION_ACCEPTED, registration)
    assert (event.from_state, event.to_state, event.actor) == ("signed", "accepted", world.reviewer)


def test_a_returned_registration_carries_the_comment_and_can_be_edited_and_signed_again(world):
    registration = registered(world, accept=False)
    registrations.registration_sign(registration=registration, actor=world.head)
    registration = registrations.registration_return(
        registration=registration, actor=world.reviewer, comment="Chỉ tiêu quá thấp"
    )
    assert (registration.status, registration.review_comment) == ("returned", "Chỉ tiêu quá thấp")
    assert last_event(audit.REGISTRATION_RETURNED, registration).comment == "Chỉ tiêu quá thấp"
    registrations.registration_update(registration=registration, actor=world.clerk, plans={world.online.pk: "95"})
    assert registration.plans.get().planned_value == Decimal("95")
    assert registrations.registration_sign(registration=registration, actor=world.head).status == "signed"


def test_returning_without_a_comment_is_refused(world):
    registration = registered(world, accept=False)
    registrations.registration_sign(registration=registration, actor=world.head)
    assert "ý kiến" in refused(
        registrations.registration_return, registration=registration, actor=world.reviewer, comment=" "
    )


def test_a_signed_registration_cannot_be_edited(world):
    registration = registered(world, accept=False)
    registrations.registration_sign(registration=registration, actor=world.head)
    message = refused(
        registrations.registration_update, registration=registration, actor=world.clerk, plans={world.online.pk: 1}
    )
    assert "không thể sửa" in message


def test_registering_after_the_deadline_is_refused(world):
    Campaign.objects.filter(pk=world.campaign.pk).update(registration_deadline=world.today - DAY)
    world.campaign.refresh_from_db()
    message = refused(registrations.registration_create, campaign=world.campaign, unit=world.school, actor=world.clerk)
    assert "quá hạn đăng ký" in message


def test_registering_for_a_campaign_not_launched_is_refused(world):
    Campaign.objects.filter(pk=world.campaign.pk).update(status=Campaign.Status.DRAFT)
    world.campaign.refresh_from_db()
    message = refused(registrations.registration_create, campaign=world.campaign, unit=world.school, actor=world.clerk)
    assert "chưa phát động" in message


def test_a_unit_not_in_force_today_cannot_register(world):
    world.school.valid_to = world.today - DAY
    world.school.save()
    message = refused(registrations.registration_create, campaign=world.campaign, unit=world.school, actor=world.clerk)
    assert "không còn hoạt động" in message


@pytest.mark.parametrize("value", ["-1", "100.5"])
def test_a_share_out_of_0_to_100_is_refused_and_nothing_is_written(world, value):
    message = refused(
        registrations.registration_create,
        campaign=world.campaign,
        unit=world.school,
        actor=world.clerk,
        plans={world.online.pk: value},
    )
    assert "từ 0 đến 100" in message


def test_a_target_of_another_campaign_is_refused(world):
    other = Campaign.objects.create(
        issuer=world.city,
        code="khac",
        title="Khác",
        period_start=world.campaign.period_start,
        period_end=world.campaign.period_end,
        nomination_deadline=world.campaign.nomination_deadline,
    )
    foreign = other.targets.create(name="Khác", unit_of_measure="%")
    message = refused(
        registrations.registration_create,
        campaign=world.campaign,
        unit=world.school,
        actor=world.clerk,
        plans={foreign.pk: 5},
    )
    assert "không thuộc phong trào" in message


def test_progress_on_a_target_and_on_a_work_is_recorded_and_audited(world):
    registration = registered(world)
    report = registrations.progress_report(
        registration=registration, actor=world.clerk, target=world.online, value="70", day=world.today
    )
    assert report.value == Decimal("70")
    event = last_event(audit.PROGRESS_REPORTED, report)
    assert (event.scope, event.data["value"]) == (f"registration:{registration.pk}", "70")
    work = registration.works.get()
    registrations.progress_report(
        registration=registration, actor=world.clerk, work=work, value="100", done=True, day=world.today
    )
    assert work.reports.get().done


def test_a_report_on_a_work_of_another_unit_is_refused(world):
    mine = registered(world)
    other = registered(world, unit=world.ward)
    message = refused(
        registrations.progress_report,
        registration=mine,
        actor=world.clerk,
        work=other.works.get(),
        value="50",
        day=world.today,
    )
    assert "không thuộc đăng ký" in message


def test_a_report_before_acceptance_or_in_the_future_is_refused(world):
    draft = registered(world, accept=False)
    assert "chấp thuận" in refused(
        registrations.progress_report,
        registration=draft,
        actor=world.clerk,
        target=world.online,
        value="1",
        day=world.today,
    )
    Registration.objects.filter(pk=draft.pk).update(status="accepted")
    draft.refresh_from_db()
    assert "không sau hôm nay" in refused(
        registrations.progress_report,
        registration=draft,
        actor=world.clerk,
        target=world.online,
        value="1",
        day=world.today + datetime.timedelta(days=2),
    )


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity"])
def test_a_value_that_is_not_a_number_is_refused(world, value):
    message = refused(
        registrations.registration_create,
        campaign=world.campaign,
        unit=world.school,
        actor=world.clerk,
        plans={world.online.pk: value},
    )
    assert "phải là một số" in message
