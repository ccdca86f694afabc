"""A launched campaign is told to the units concerned; a council's result, passed or not per nomination, to the
dossier's unit. Both through a job of the outbox, written once however often the job runs (issue 17)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase

from nominations.models import AwardType, OrgUnit
from nominations.services import campaigns
from notifications.models import Notification
from notifications.tasks import notify_campaign_launched_task, notify_council_result_task
from tests.workflow.helpers import accepted_dossier, council_session, sent_jobs

from .helpers import run

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def _draft(admin):
    return campaigns.campaign_create(
        issuer=OrgUnit.objects.get(code="ls"),
        actor=admin,
        content_areas=["Chuyển đổi số"],
        offers=[campaigns.Offer(AwardType.objects.get(code="giay-khen"), default_quota=3)],
        code="pt-chuyen-doi-so",
        title="Phong trào thi đua Chuyển đổi số",
        legal_basis="Luật Thi đua, khen thưởng 2022",
        period_start=TODAY,
        period_end=TODAY + 30 * DAY,
        nomination_deadline=TODAY + 40 * DAY,
    )


def test_a_launched_campaign_is_told_once_to_the_clerks_and_heads_of_the_units_concerned(users, mailoutbox):
    campaign = _draft(users["quantri_ubnd"])
    no_address = users["canbo_dongkinh"]
    no_address.email = ""
    no_address.save()
    with TestCase.captureOnCommitCallbacks() as callbacks:
        campaigns.campaign_launch(campaign=campaign, actor=users["quantri_ubnd"])
    jobs = sent_jobs(callbacks, notify_campaign_launched_task)
    assert len(jobs) == 1
    run(jobs, times=2)  # a redelivered job writes nothing twice
    told = Notification.objects.filter(kind=Notification.Kind.CAMPAIGN)
    names = sorted(told.values_list("user__username", flat=True))
    assert {"canbo_vinhtrai", "chutich_vinhtrai", "canbo_dongkinh"} <= set(names) and len(names) == len(set(names))
    # Not the standing body, not a council member, not the chairman: they run campaigns, they do not answer them.
    assert not {"thamdinh_noivu", "uyvien_1", "chutich_ubnd", "quantri_ubnd"} & set(names)
    note = told.get(user=users["canbo_vinhtrai"])
    assert note.title == "Phong trào thi đua mới: Phong trào thi đua Chuyển đổi số"
    assert f"Hạn nộp hồ sơ đề nghị khen thưởng: {campaign.nomination_deadline:%d/%m/%Y}." in note.body
    assert note.url == f"/dossiers/campaigns/{campaign.pk}/"
    # One e-mail per person with an address, in Vietnamese; none to the person without one.
    recipients = [m.to[0] for m in mailoutbox]
    assert sorted(recipients) == sorted(f"{n}@thidua.invalid" for n in names if n != "canbo_dongkinh")
    assert all(m.subject.endswith("Phong trào thi đua mới: Phong trào thi đua Chuyển đổi số") for m in mailoutbox)


def test_a_campaign_not_launched_tells_no_one(users):
    campaign = _draft(users["quantri_ubnd"])
    with TestCase.captureOnCommitCallbacks() as callbacks, pytest.raises(Exception):  # noqa: B017
        campaigns.campaign_launch(campaign=campaign, actor=users["canbo_vinhtrai"])  # not the issuer's administrator
    assert sent_jobs(callbacks, notify_campaign_launched_task) == []
    assert notify_campaign_launched_task.run(campaign.pk) == 0  # a job for a draft campaign writes nothing


def test_the_councils_result_reaches_the_unit_once_per_nomination(client, users, mailoutbox):
    _process, (a, b) = accepted_dossier(client, users, ["Hoàng Thị Ánh", "Lý Văn Bình"])
    with TestCase.captureOnCommitCallbacks() as callbacks:
        council_session(client, users, [a, b], choices={u: {b.pk: "disagree"} for u in users})
    jobs = sent_jobs(callbacks, notify_council_result_task)
    assert len(jobs) == 1
    run(jobs, times=2)
    told = Notification.objects.filter(title__startswith="Kết quả Hội đồng Thi đua – Khen thưởng")
    assert sorted(told.values_list("user__username", flat=True)) == ["canbo_vinhtrai", "chutich_vinhtrai"]
    body = told.first().body
    assert f"- Hoàng Thị Ánh – {a.award_type}: Thông qua\n" in body
    assert f"- Lý Văn Bình – {b.award_type}: Không thông qua (Hội đồng: 0 tán thành, 5 không tán thành" in body
    council_mails = [m for m in mailoutbox if "Kết quả Hội đồng" in m.subject]
    assert sorted(m.to[0] for m in council_mails) == [
        f"{n}@thidua.invalid" for n in ("canbo_vinhtrai", "chutich_vinhtrai")
    ]
    assert "Không thông qua" in council_mails[0].body
