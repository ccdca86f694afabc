"""Dossier steps driven over HTTP: the ward, the deadline, taking a task, the outcome notice.

The whole journey (dossier to signed decision and public results) is tests/journey/test_journey.py, run
through the pages and the API alike."""

import pytest
from django.contrib.auth import get_user_model
from viewflow.workflow.status import STATUS

from nominations.models import Submission
from workflow import audit

from .helpers import (
    F,
    act,
    add_nomination,
    complete_dossier,
    open_task,
    start,
    url,
)


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def test_unit_under_a_ward_is_reviewed_by_the_ward_first(client, users):
    clerk, head = users["canbo_khoi5"], users["truongkhoi_khoi5"]
    ward, reviewer = users["thidua_vinhtrai"], users["thamdinh_noivu"]
    process = start(client, clerk, unit_code="p-ky-lua-khoi-5")
    nomination = add_nomination(client, process.artifact, "Nông Thị Hạnh")
    complete_dossier(client, process.artifact, [nomination])
    act(client, clerk, process, F.prepare)
    act(client, head, process, F.head_approval, {"decision": "submit"})
    task = open_task(process, F.ward_review)
    # The city's reviewer cannot take the ward's task.
    client.force_login(reviewer)
    assert client.post(url(F.ward_review, "assign", task)).status_code in (403, 404)
    assert act(client, ward, process, F.ward_review, {"decision": "endorse", "comment": "Đồng ý"}).status_code == 302
    assert open_task(process, F.review)


def test_submitting_after_the_deadline_is_refused(client, users):
    clerk, head = users["canbo_vinhtrai"], users["chutich_vinhtrai"]
    process = start(client, clerk)
    nomination = add_nomination(client, process.artifact, "Hoàng Văn Cường", gender="male")
    complete_dossier(client, process.artifact, [nomination])
    act(client, clerk, process, F.prepare)
    campaign = process.artifact.campaign
    Submission.objects.filter(pk=process.artifact.pk)  # the dossier exists, the deadline passes
    campaign.nomination_deadline = campaign.period_start
    campaign.save()
    response = act(client, head, process, F.head_approval, {"decision": "submit"})
    assert response.status_code == 200
    assert "Đã quá hạn nộp hồ sơ đề nghị" in response.content.decode()
    process.artifact.refresh_from_db()
    assert process.artifact.status == Submission.Status.DRAFT
    assert open_task(process, F.head_approval).status == STATUS.ASSIGNED


def test_taking_a_task_is_in_the_trail(client, users):
    from .helpers import url

    process = start(client, users["canbo_vinhtrai"])
    nomination = add_nomination(client, process.artifact, "Hứa Thị Lanh")
    complete_dossier(client, process.artifact, [nomination])
    act(client, users["canbo_vinhtrai"], process, F.prepare)
    task = open_task(process, F.head_approval)
    client.force_login(users["chutich_vinhtrai"])
    assert client.post(url(F.head_approval, "assign", task)).status_code == 302
    event = audit.timeline(f"submission:{process.artifact.pk}").get(event_type=audit.TASK_ASSIGNED)
    assert event.actor == users["chutich_vinhtrai"] and event.step == "head_approval" and event.task_id == task.pk


def test_the_proposing_unit_is_told_the_outcome_once(
    client, users, mailoutbox, django_capture_on_commit_callbacks, celery_inline
):
    process = start(client, users["canbo_vinhtrai"])
    a = add_nomination(client, process.artifact, "Lê Thị Gấm")
    b = add_nomination(client, process.artifact, "Đinh Văn Lực", gender="male")
    complete_dossier(client, process.artifact, [a, b])
    act(client, users["canbo_vinhtrai"], process, F.prepare)
    act(client, users["chutich_vinhtrai"], process, F.head_approval, {"decision": "submit"})
    review = {
        f"choice_{a.pk}": "reject",
        f"note_{a.pk}": "Chưa đủ tiêu chuẩn",
        f"choice_{b.pk}": "reject",
        f"note_{b.pk}": "Hồ sơ trùng",
    }
    with django_capture_on_commit_callbacks(execute=True):
        act(client, users["thamdinh_noivu"], process, F.review, review)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert set(message.to) == {"canbo_vinhtrai@thidua.invalid", "chutich_vinhtrai@thidua.invalid"}
    assert "Chưa đủ tiêu chuẩn" in message.body and "Hồ sơ trùng" in message.body
    from nominations.services.notices import notify_outcome

    assert notify_outcome(process.artifact.pk) is False  # a redelivered task sends nothing more
    assert len(mailoutbox) == 1
