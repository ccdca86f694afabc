"""Completion rounds on the pages: the unit replaces or removes files of what was sent back (audited, the old
file kept and downloadable), sees the reviewer's checklist, and the reviewer sees what changed since her
appraisal. Adversaries: another unit's clerk, a dossier no longer with the unit, another dossier's file id."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from nominations.models import Attachment, Nomination
from workflow import audit
from workflow.models import AuditEvent

from .helpers import F, act, add_nomination, attach, complete_dossier, nomination_form, open_task, start, url

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name, extra=b""):
    return SimpleUploadedFile(name, PDF + extra, content_type="application/pdf")


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def completion(client, users):
    """A dossier of two: the reviewer accepted Ánh and asked for more on Bình (as in test_completion_lock)."""
    process = start(client, users["canbo_vinhtrai"])
    accepted = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
    returned = add_nomination(client, process.artifact, "Lý Văn Bình")
    complete_dossier(client, process.artifact, [accepted, returned])
    act(client, users["canbo_vinhtrai"], process, F.prepare)
    act(client, users["chutich_vinhtrai"], process, F.head_approval, {"decision": "submit"})
    review = {f"choice_{accepted.pk}": "accept", f"note_{accepted.pk}": ""}
    review |= {f"choice_{returned.pk}": "complete", f"note_{returned.pk}": "Bổ sung xác nhận."}
    act(client, users["thamdinh_noivu"], process, F.review, review)
    client.force_login(users["canbo_vinhtrai"])
    return process.artifact, accepted, returned


def process_of(submission):
    return F.process_class.objects.get(flow_class=F, artifact_object_id=submission.pk)


def report_of(nomination) -> Attachment:
    return Attachment.objects.get(nomination=nomination, kind="achievement_report")


def state():
    return (
        sorted(Attachment.history.values_list("pk", "removed_at", "replaced_by")),
        AuditEvent.objects.exclude(scope__in=["auth", "access"]).count(),
    )


def replace(client, submission, attachment, name="xac-nhan-moi.pdf"):
    return client.post(
        f"/dossiers/submissions/{submission.pk}/attachments/{attachment.pk}/replace/",
        {"file": upload(name, name.encode())},
    )


def remove(client, submission, attachment):
    return client.post(f"/dossiers/submissions/{submission.pk}/attachments/{attachment.pk}/remove/")


def test_the_clerk_replaces_a_returned_nominations_file_and_the_old_one_stays_in_the_history(client, completion, users):
    submission, accepted, returned = completion
    old = report_of(returned)
    page = client.get(f"/dossiers/submissions/{submission.pk}/attachments/{old.pk}/replace/").content.decode()
    assert "Tệp cũ không bị xoá" in page and old.original_name in page
    assert replace(client, submission, old).status_code == 302
    new = report_of(returned)
    old.refresh_from_db()
    assert new.pk != old.pk and new.original_name == "xac-nhan-moi.pdf" and new.nomination == returned
    assert (old.removed_by, old.replaced_by) == (users["canbo_vinhtrai"], new)
    event = AuditEvent.objects.filter(event_type=audit.ATTACHMENT_REPLACED).latest("pk")
    assert (event.actor, event.scope, event.target_id) == (
        users["canbo_vinhtrai"],
        f"submission:{submission.pk}",
        str(old.pk),
    )
    assert event.data["replaced_by"] == new.pk and event.data["original_name"] == old.original_name
    # The dossier page lists the old file under its history, with a link that still downloads it.
    page = client.get(f"/dossiers/submissions/{submission.pk}/").content.decode()
    assert "Tài liệu đã gỡ hoặc thay thế (1)" in page and "thay bằng “xac-nhan-moi.pdf”" in page
    assert f"/dossiers/attachments/{old.pk}/" in page
    for who in ("canbo_vinhtrai", "thamdinh_noivu"):
        client.force_login(users[who])
        response = client.get(f"/dossiers/attachments/{old.pk}/")
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(users["canbo_dongkinh"])
    assert client.get(f"/dossiers/attachments/{old.pk}/").status_code == 404


def test_the_clerk_removes_a_file_of_what_was_sent_back(client, completion, users):
    submission, accepted, returned = completion
    old = report_of(returned)
    assert (
        "Tài liệu sẽ được gỡ khỏi hồ sơ"
        in client.get(f"/dossiers/submissions/{submission.pk}/attachments/{old.pk}/remove/").content.decode()
    )
    assert remove(client, submission, old).status_code == 302
    assert not Attachment.objects.filter(pk=old.pk).exists() and Attachment.history.filter(pk=old.pk).exists()
    event = AuditEvent.objects.filter(event_type=audit.ATTACHMENT_REMOVED).latest("pk")
    assert (event.target_id, event.data["nomination"], event.data["original_name"]) == (
        str(old.pk),
        returned.pk,
        old.original_name,
    )
    assert "Gỡ tài liệu" in client.get(f"/dossiers/submissions/{submission.pk}/").content.decode()  # the timeline


def test_what_the_reviewer_accepted_and_the_shared_minutes_cannot_be_replaced_or_removed(client, completion):
    submission, accepted, returned = completion
    page = client.get(f"/dossiers/submissions/{submission.pk}/").content.decode()
    locked = [report_of(accepted), Attachment.objects.get(submission=submission, nomination=None)]
    for attachment in locked:
        assert f"/attachments/{attachment.pk}/replace/" not in page
        assert f"/attachments/{attachment.pk}/remove/" not in page
        before = state()
        for response in (replace(client, submission, attachment), remove(client, submission, attachment)):
            assert response.status_code == 200
            text = response.content.decode()
            assert "đã được thẩm định" in text or "chỉ gỡ hoặc thay được khi hồ sơ chưa trình" in text
        assert state() == before
    assert f"/attachments/{report_of(returned).pk}/replace/" in page


def test_an_attachment_of_another_dossier_under_ones_own_dossier_id_is_not_found(client, completion, users):
    submission, accepted, returned = completion
    other = start(client, users["canbo_vinhtrai"], title="Tờ trình khác")
    someone = add_nomination(client, other.artifact, "Trần Văn Khác")
    assert attach(client, other.artifact, "achievement_report", someone).status_code == 302
    foreign = report_of(someone)
    client.force_login(users["canbo_vinhtrai"])
    before = state()
    for response in (replace(client, submission, foreign), remove(client, submission, foreign)):
        assert response.status_code == 404
    assert client.get(f"/dossiers/submissions/{submission.pk}/attachments/{foreign.pk}/replace/").status_code == 404
    assert state() == before


def test_another_units_clerk_and_a_dossier_no_longer_with_the_unit_are_refused(client, completion, users):
    submission, accepted, returned = completion
    attachment = report_of(returned)
    client.force_login(users["canbo_dongkinh"])
    before = state()
    assert replace(client, submission, attachment).status_code in (403, 404)
    assert remove(client, submission, attachment).status_code in (403, 404)
    assert state() == before
    # Once completed, the dossier is back with the reviewer: the clerk can no longer touch its files.
    assert act(client, users["canbo_vinhtrai"], process_of(submission), F.complete, {}).status_code == 302
    before = state()
    assert replace(client, submission, attachment).status_code == 403
    assert remove(client, submission, attachment).status_code == 403
    assert state() == before


def test_the_unit_sees_the_reviewers_checklist_on_its_completion_task(client, completion, users):
    submission, accepted, returned = completion
    task = open_task(process_of(submission), F.complete)
    client.post(url(F.complete, "assign", task))
    page = client.get(url(F.complete, "execute", task)).content.decode()
    assert "Hồ sơ được trả lại để bổ sung (lần 1)" in page
    assert "Lý Văn Bình</strong>: Bổ sung xác nhận." in page
    assert "Hoàng Thị Ánh</strong>:" not in page  # accepted: not on the checklist


def test_a_dossier_returned_by_the_head_shows_the_reason(client, users):
    process = start(client, users["canbo_vinhtrai"])
    nomination = add_nomination(client, process.artifact, "Hoàng Thị Ánh")
    complete_dossier(client, process.artifact, [nomination])
    act(client, users["canbo_vinhtrai"], process, F.prepare)
    act(client, users["chutich_vinhtrai"], process, F.head_approval, {"decision": "return", "comment": "Thiếu ảnh."})
    client.force_login(users["canbo_vinhtrai"])
    page = client.get(f"/dossiers/submissions/{process.artifact.pk}/").content.decode()
    assert "Hồ sơ bị trả lại" in page and "Lý do: Thiếu ảnh." in page


def test_the_reviewer_sees_what_changed_since_her_appraisal(client, completion, users):
    submission, accepted, returned = completion
    process = process_of(submission)
    response = client.post(
        f"/dossiers/nominations/{returned.pk}/edit/",
        nomination_form(submission, "Lý Văn Bình", achievement="Thành tích, có xác nhận của tổ dân phố."),
    )
    assert response.status_code == 302
    old = report_of(returned)
    assert replace(client, submission, old, "xac-nhan-to-dan-pho.pdf").status_code == 302
    assert attach(client, submission, "other", returned).status_code == 302
    assert act(client, users["canbo_vinhtrai"], process, F.complete, {"comment": "Đã bổ sung."}).status_code == 302
    client.force_login(users["thamdinh_noivu"])
    task = open_task(process, F.review)
    if task.owner_id is None:
        client.post(url(F.review, "assign", task))
    page = client.get(url(F.review, "execute", task)).content.decode()
    assert "Thay đổi của đơn vị từ lần thẩm định trước (lần bổ sung 1)" in page
    assert "Tóm tắt thành tích" in page
    assert "<del>Hoàn thành xuất sắc nhiệm vụ.</del>" in page
    assert "<ins>Thành tích, có xác nhận của tổ dân phố.</ins>" in page
    assert f'Thay tệp: <a href="/dossiers/attachments/{old.pk}/"' in page and "xac-nhan-to-dan-pho.pdf" in page
    assert "Thêm tệp" in page
    section = page.split("thidua-round-changes-title")[1].split("</section>")[0]
    assert "Hoàng Thị Ánh" not in section  # accepted and untouched: nothing to re-read
    returned.refresh_from_db()
    assert returned.status == Nomination.Status.SUBMITTED


def test_no_change_section_nor_banner_before_any_completion_round(client, users):
    process = start(client, users["canbo_vinhtrai"])
    add_nomination(client, process.artifact, "Hoàng Thị Ánh")
    page = client.get(f"/dossiers/submissions/{process.artifact.pk}/").content.decode()
    assert 'id="thidua-round-changes-title"' not in page and 'id="thidua-return-notice"' not in page
