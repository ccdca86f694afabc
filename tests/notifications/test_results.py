"""Results reach the proposing unit's people in the app too, once, with no second e-mail (issue 17)."""

import pytest
from django.contrib.auth import get_user_model

from nominations.demo import DEMO_PASSWORD
from nominations.services import decisions
from nominations.services.notices import notify_outcome, notify_revocation
from notifications.models import Notification
from tests.workflow.helpers import F, act, add_nomination, complete_dossier, signed_decision, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def test_not_awarded_results_are_notified_in_the_app_once(
    client, users, mailoutbox, django_capture_on_commit_callbacks
):
    process = start(client, users["canbo_vinhtrai"])
    a = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
    complete_dossier(client, process.artifact, [a])
    act(client, users["canbo_vinhtrai"], process, F.prepare)
    act(client, users["chutich_vinhtrai"], process, F.head_approval, {"decision": "submit"})
    with django_capture_on_commit_callbacks(execute=True):
        act(client, users["thamdinh_noivu"], process, F.review, {f"choice_{a.pk}": "reject", f"note_{a.pk}": "Trùng"})
    # Inline, the job ran on commit; with a live worker (PostgreSQL stage) the worker cannot see this test's
    # uncommitted rows, so the job is run here as the worker would. Either way a second run sends nothing.
    notify_outcome(process.artifact.pk)
    assert notify_outcome(process.artifact.pk) is False
    results = Notification.objects.filter(kind=Notification.Kind.RESULT).order_by("user__username")
    assert [n.user.username for n in results] == ["canbo_vinhtrai", "chutich_vinhtrai"]
    assert "Không được khen thưởng (1):" in results[0].body and "Hoàng Thị Ánh: Trùng" in results[0].body
    assert results[0].url == f"/dossiers/submissions/{process.artifact.pk}/"
    # The outcome notice is the e-mail: the in-app copies owe none (no digest repeats it).
    assert len(mailoutbox) == 1 and not results.filter(emailed_at__isnull=True).exists()


def test_a_revocation_is_notified_in_the_app_once(client, users):
    decision, _noms = signed_decision(client, users)
    decisions.decision_revoke(
        decision=decision, actor=users["chutich_ubnd"], reason="Kê khai không đúng", password=DEMO_PASSWORD
    )
    assert notify_revocation(decision.pk) is True
    assert notify_revocation(decision.pk) is False
    revoked = Notification.objects.filter(title__startswith="Hủy bỏ khen thưởng theo Quyết định số")
    assert {n.user.username for n in revoked} == {"canbo_vinhtrai", "chutich_vinhtrai"}
    assert all("Lý do: Kê khai không đúng" in n.body for n in revoked)
