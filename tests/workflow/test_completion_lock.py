"""Completion round: what the reviewer accepted is locked for the unit; only what she sent back changes."""

import pytest
from django.contrib.auth import get_user_model

from nominations.models import Attachment, Nomination
from workflow import audit
from workflow.models import AuditEvent

from .helpers import F, act, add_nomination, attach, complete_dossier, nomination_form, start


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def completion(client, users):
    """A dossier of two: the reviewer accepted Ánh and asked for more on Bình."""
    process = start(client, users["canbo_vinhtrai"])
    accepted = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
    returned = add_nomination(client, process.artifact, "Lý Văn Bình")
    complete_dossier(client, process.artifact, [accepted, returned])
    act(client, users["canbo_vinhtrai"], process, F.prepare)
    act(client, users["chutich_vinhtrai"], process, F.head_approval, {"decision": "submit"})
    act(
        client,
        users["thamdinh_noivu"],
        process,
        F.review,
        {
            f"choice_{accepted.pk}": "accept",
            f"note_{accepted.pk}": "",
            f"choice_{returned.pk}": "complete",
            f"note_{returned.pk}": "Bổ sung xác nhận.",
        },
    )
    accepted.refresh_from_db()
    returned.refresh_from_db()
    assert (accepted.status, returned.status) == (Nomination.Status.ACCEPTED, Nomination.Status.NEEDS_COMPLETION)
    client.force_login(users["canbo_vinhtrai"])
    return process.artifact, accepted, returned


def test_the_unit_cannot_edit_what_the_reviewer_accepted(client, completion):
    submission, accepted, returned = completion
    before = AuditEvent.objects.filter(event_type=audit.NOMINATION_UPDATED).count()
    response = client.post(
        f"/dossiers/nominations/{accepted.pk}/edit/",
        nomination_form(submission, "Hoàng Thị Ánh", achievement="Thành tích viết lại sau khi đã đạt."),
    )
    assert response.status_code in (200, 422)
    assert "đã được thẩm định, không sửa được trong vòng bổ sung" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.achievement == "Hoàn thành xuất sắc nhiệm vụ." and accepted.status == Nomination.Status.ACCEPTED
    assert AuditEvent.objects.filter(event_type=audit.NOMINATION_UPDATED).count() == before
    # What was sent back is still the unit's to change.
    response = client.post(
        f"/dossiers/nominations/{returned.pk}/edit/",
        nomination_form(submission, "Lý Văn Bình", achievement="Thành tích, có xác nhận của tổ dân phố."),
    )
    assert response.status_code == 302
    returned.refresh_from_db()
    assert returned.achievement == "Thành tích, có xác nhận của tổ dân phố."
    # The dossier page offers no edit link for the accepted one.
    page = client.get(f"/dossiers/submissions/{submission.pk}/").content.decode()
    assert f"/dossiers/nominations/{accepted.pk}/edit/" not in page
    assert f"/dossiers/nominations/{returned.pk}/edit/" in page
    assert "Đã thẩm định, không sửa" in page


def test_no_file_is_added_to_an_accepted_nomination_during_completion(client, completion):
    submission, accepted, returned = completion
    count = Attachment.objects.filter(nomination=accepted).count()
    response = attach(client, submission, "other", accepted)
    assert response.status_code in (200, 422)
    assert "đã được thẩm định" in response.content.decode()
    assert Attachment.objects.filter(nomination=accepted).count() == count
    assert attach(client, submission, "other", returned).status_code == 302
