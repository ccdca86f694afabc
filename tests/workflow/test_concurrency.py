"""Two people acting on the same task at the same moment (needs PostgreSQL: real row locks)."""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from nominations.models import Membership, OrgUnit, Role
from workflow.permissions import grant_membership

from .helpers import F, act, add_nomination, complete_dossier, nomination_form, open_task, start, url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks (select_for_update)"),
]


def _race(requests):
    """Fire the requests from separate threads released together; return their responses."""
    barrier, responses = threading.Barrier(len(requests)), [None] * len(requests)

    def run(i, user, path, data):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            responses[i] = client.post(path, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *r)) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return responses


@pytest.fixture
def dossier_at_head(committed_demo, client):
    users = {u.username: u for u in get_user_model().objects.all()}
    process = start(client, users["canbo_vinhtrai"])
    nomination = add_nomination(client, process.artifact, "Đàm Văn Quý", gender="male")
    complete_dossier(client, process.artifact, [nomination])
    act(client, users["canbo_vinhtrai"], process, F.prepare)
    return users, process


def test_double_submit_of_one_task_creates_one_next_task(dossier_at_head):
    users, process = dossier_at_head
    head = users["chutich_vinhtrai"]
    client = Client()
    client.force_login(head)
    task = open_task(process, F.head_approval)
    assert client.post(url(F.head_approval, "assign", task)).status_code == 302
    path, data = url(F.head_approval, "execute", task), {"decision": "submit", "comment": ""}
    responses = _race([(head, path, data), (head, path, data)])
    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 409], codes
    refused = next(r for r in responses if r.status_code == 409)
    assert "đã hoàn thành" in refused.content.decode()
    assert process.task_set.filter(flow_task=F.head_approval).count() == 1
    assert process.task_set.filter(flow_task=F.review).count() == 1  # no duplicate next task


def test_two_reviewers_taking_the_same_task(dossier_at_head):
    users, process = dossier_at_head
    second = get_user_model().objects.create_user("thamdinh_2", password="x")
    grant_membership(
        Membership.objects.create(
            user=second,
            unit=OrgUnit.objects.get(code="ls-noi-vu"),
            role=Role.REVIEWER,
            valid_from=datetime.date(2024, 1, 1),
        )
    )
    act(Client(), users["chutich_vinhtrai"], process, F.head_approval, {"decision": "submit"})
    task = open_task(process, F.review)
    path = url(F.review, "assign", task)
    responses = _race([(users["thamdinh_noivu"], path, {}), (second, path, {})])
    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 409], codes
    assert "người khác nhận" in next(r for r in responses if r.status_code == 409).content.decode()
    task.refresh_from_db()
    winner = users["thamdinh_noivu"] if responses[0].status_code == 302 else second
    assert task.owner == winner and task.status == "ASSIGNED"
    assert process.task_set.filter(flow_task=F.review).count() == 1


def test_two_clerks_adding_at_once_cannot_exceed_the_units_quota(committed_demo, client):
    """The quota is counted under the unit's row lock: the second add waits, recounts and is refused."""
    from nominations.models import CampaignAward, Nomination

    users = {u.username: u for u in get_user_model().objects.all()}
    clerk = users["canbo_vinhtrai"]
    submission = start(client, clerk).artifact
    offer = CampaignAward.objects.get(campaign=submission.campaign, award_type__code="giay-khen")
    counted = dict(
        submission__campaign=submission.campaign, submission__unit=submission.unit, award_type=offer.award_type
    )
    used = Nomination.objects.filter(**counted).count()
    CampaignAward.objects.filter(pk=offer.pk).update(default_quota=used + 1)
    offer.unit_quotas.filter(unit=submission.unit).update(quota=used + 1)
    path = f"/dossiers/submissions/{submission.pk}/nominations/add/"

    forms = [nomination_form(submission, name) for name in ("Hoàng Thị Mai", "Lương Văn Tú")]
    responses = _race([(clerk, path, form) for form in forms])
    assert sorted(r.status_code for r in responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200)
    assert "hết chỉ tiêu" in refused.content.decode()
    assert Nomination.objects.filter(**counted).count() == used + 1
