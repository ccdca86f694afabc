"""Campaigns move draft → launched → closed → summarised through audited services, and close by themselves."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from nominations.models import AwardType, Campaign, OrgUnit, Submission
from nominations.services import campaigns, dossiers, review
from nominations.tasks import close_due_campaigns_task
from workflow.models import AuditEvent

User = get_user_model()
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
S = Campaign.Status


def on(day):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), ZoneInfo(settings.TIME_ZONE)), tick=False
    )


@pytest.fixture
def admin_user(demo):
    return User.objects.get(username="quantri_ubnd")


def _draft(admin_user, **overrides):
    fields = dict(
        code="pt-moi",
        title="Phong trào thi đua mới",
        legal_basis="Luật Thi đua, khen thưởng 2022",
        period_start=TODAY,
        period_end=TODAY + 30 * DAY,
        nomination_deadline=TODAY + 40 * DAY,
    )
    fields.update(overrides)
    award = AwardType.objects.get(code="giay-khen")
    unit = OrgUnit.objects.get(code="p-ky-lua")
    return campaigns.campaign_create(
        issuer=OrgUnit.objects.get(code="ls"),
        actor=admin_user,
        content_areas=["Xây dựng nông thôn mới", "Chuyển đổi số"],
        offers=[
            campaigns.Offer(
                award,
                default_quota=3,
                quotas=[campaigns.Quota(unit, "individual", 2), campaigns.Quota(unit, "collective", 1)],
            )
        ],
        **fields,
    )


def test_the_administrator_creates_launches_closes_and_summarises_each_step_audited(admin_user):
    campaign = _draft(admin_user)
    assert campaign.status == S.DRAFT
    assert list(campaign.content_areas.values_list("title", flat=True)) == ["Xây dựng nông thôn mới", "Chuyển đổi số"]
    assert {(q.kind, q.quota) for q in campaign.offers.get().unit_quotas.all()} == {
        ("individual", 2),
        ("collective", 1),
    }
    campaigns.campaign_launch(campaign=campaign, actor=admin_user)
    campaigns.campaign_close(campaign=campaign, actor=admin_user)
    campaigns.campaign_summarise(campaign=campaign, actor=admin_user)
    campaign.refresh_from_db()
    assert campaign.status == S.SUMMARISED
    events = AuditEvent.objects.filter(scope=f"campaign:{campaign.pk}").order_by("pk")
    assert [(e.event_type, e.from_state, e.to_state, e.actor_id) for e in events] == [
        ("campaign.created", "", "draft", admin_user.pk),
        ("campaign.launched", "draft", "launched", admin_user.pk),
        ("campaign.closed", "launched", "closed", admin_user.pk),
        ("campaign.summarised", "closed", "summarised", admin_user.pk),
    ]


def test_a_transition_out_of_order_is_refused_and_changes_nothing(admin_user):
    campaign = _draft(admin_user)
    with pytest.raises(ValidationError, match="trạng thái"):
        campaigns.campaign_close(campaign=campaign, actor=admin_user)
    with pytest.raises(ValidationError, match="trạng thái"):
        campaigns.campaign_summarise(campaign=campaign, actor=admin_user)
    campaign.refresh_from_db()
    assert campaign.status == S.DRAFT


def test_a_clerk_cannot_create_or_launch_a_campaign(admin_user):
    campaign = _draft(admin_user)
    clerk = User.objects.get(username="canbo_vinhtrai")
    with pytest.raises(ValidationError, match="quản trị hệ thống"):
        campaigns.campaign_launch(campaign=campaign, actor=clerk)
    with pytest.raises(ValidationError, match="quản trị hệ thống"):
        _draft(clerk, code="pt-khac")
    assert not Campaign.objects.filter(code="pt-khac").exists()
    campaign.refresh_from_db()
    assert campaign.status == S.DRAFT


def test_the_emulation_office_may_manage_campaigns_too(admin_user):
    reviewer = User.objects.get(username="thamdinh_noivu")
    campaign = _draft(reviewer)
    campaigns.campaign_launch(campaign=campaign, actor=reviewer)
    assert Campaign.objects.get(pk=campaign.pk).status == S.LAUNCHED


def test_a_dissolved_issuer_cannot_launch(admin_user):
    campaign = _draft(admin_user)
    OrgUnit.objects.filter(code="ls").update(valid_to=TODAY - DAY)
    with pytest.raises(ValidationError):
        campaigns.campaign_launch(campaign=campaign, actor=admin_user)
    assert Campaign.objects.get(pk=campaign.pk).status == S.DRAFT


def test_a_campaign_closes_itself_after_its_deadline_once(demo):
    rehearsal = Campaign.objects.get(code="dien-tap")
    deadline = rehearsal.nomination_deadline
    seed = Campaign.objects.get(code=demo["campaign"].code)  # launched in the demo, its 2024 deadline long past
    with on(deadline):  # the deadline day itself is still open
        assert close_due_campaigns_task() == [seed.pk]
    assert Campaign.objects.get(pk=rehearsal.pk).status == S.LAUNCHED
    with on(deadline + DAY):
        assert rehearsal.pk in close_due_campaigns_task()
        assert close_due_campaigns_task() == []  # idempotent: a second run closes nothing
    assert Campaign.objects.get(pk=rehearsal.pk).status == S.CLOSED
    events = AuditEvent.objects.filter(scope=f"campaign:{rehearsal.pk}", event_type="campaign.closed")
    assert events.count() == 1
    assert events.get().actor_id is None and events.get().actor_name == "Hệ thống"


def test_the_beat_schedule_runs_the_closing_task():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "nominations.tasks.close_due_campaigns_task" in tasks


def test_no_dossier_is_opened_or_submitted_after_closing(demo, admin_user):
    rehearsal = Campaign.objects.get(code="dien-tap")
    draft = Submission.objects.filter(campaign=rehearsal, status=Submission.Status.DRAFT).select_related("unit").first()
    campaigns.campaign_close(campaign=rehearsal, actor=admin_user)
    clerk = User.objects.get(username="canbo_vinhtrai")
    with pytest.raises(ValidationError, match="không nhận hồ sơ"):
        dossiers.submission_create(
            campaign=Campaign.objects.get(pk=rehearsal.pk),
            unit=OrgUnit.objects.get(code="p-ky-lua"),
            title="x",
            actor=clerk,
        )
    head = User.objects.get(username="chutich_vinhtrai")
    draft.refresh_from_db()
    with pytest.raises(ValidationError, match="không nhận hồ sơ"):
        review.submission_head_decide(submission=draft, submit=True, comment="", actor=head)
    draft.refresh_from_db()
    assert draft.status == Submission.Status.DRAFT


def test_a_launched_campaign_keeps_its_content_only_dates_ahead_may_change(admin_user):
    campaign = _draft(admin_user)
    campaigns.campaign_launch(campaign=campaign, actor=admin_user)
    with pytest.raises(ValidationError, match="chỉ được sửa hạn nộp"):
        campaigns.campaign_update(campaign=campaign, actor=admin_user, content_areas=[], offers=[], title="Khác")
    campaigns.campaign_update(
        campaign=campaign, actor=admin_user, content_areas=[], offers=[], nomination_deadline=TODAY + 50 * DAY
    )
    campaign.refresh_from_db()
    assert campaign.title == "Phong trào thi đua mới" and campaign.nomination_deadline == TODAY + 50 * DAY
    assert campaign.content_areas.count() == 2


def test_a_collective_quota_counts_collectives_only(admin_user):
    campaign = _draft(admin_user)
    campaign = campaigns.campaign_launch(campaign=campaign, actor=admin_user)
    clerk = User.objects.get(username="canbo_vinhtrai")
    unit = OrgUnit.objects.get(code="p-ky-lua")
    award = campaign.offers.get().award_type
    submission = dossiers.submission_create(campaign=campaign, unit=unit, title="Tờ trình", actor=clerk)
    dossiers.nomination_add(
        submission=submission,
        candidate={"kind": "collective", "name": "Tổ dân phố 1"},
        award_type=award,
        achievement="Thành tích",
        actor=clerk,
    )
    with pytest.raises(ValidationError, match="hết chỉ tiêu 1"):
        dossiers.nomination_add(
            submission=submission,
            candidate={"kind": "collective", "name": "Tổ dân phố 2"},
            award_type=award,
            achievement="Thành tích",
            actor=clerk,
        )
