"""Building a dossier over the API: same services, same audit, same checks as the dossier pages."""

from django.core.files.uploadedfile import SimpleUploadedFile

from nominations.models import Campaign, Nomination, OrgUnit
from workflow import audit
from workflow.models import AuditEvent

from .helpers import PDF, act, add_nomination, attach, complete_dossier, find_task, ok, start


def test_start_needs_the_propose_permission_for_the_unit(api):
    body = {
        "campaign": Campaign.objects.get(code="dien-tap").pk,
        "unit": OrgUnit.objects.get(code="p-ky-lua").pk,
        "title": "Tờ trình",
    }
    response = api("canbo_dongkinh").post("/api/submissions/", body, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_start_on_a_closed_campaign_is_refused(api):
    seed = Campaign.objects.get(code="ky-niem-22-nam-tp-lang-son")  # deadline 05/10/2024
    response = api("canbo_vinhtrai").post(
        "/api/submissions/",
        {"campaign": seed.pk, "unit": OrgUnit.objects.get(code="p-ky-lua").pk, "title": "Tờ trình"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "deadline_passed"


def test_edit_and_withdraw_while_preparing(api):
    clerk = api("canbo_vinhtrai")
    submission = start(clerk)
    nomination = add_nomination(clerk, submission, "Hoàng Thị Ánh")
    patched = ok(clerk.patch(f"/api/nominations/{nomination['id']}/", {"achievement": "Mới"}, format="json"))
    assert patched["achievement"] == "Mới" and patched["candidate"]["name"] == "Hoàng Thị Ánh"
    update = AuditEvent.objects.filter(event_type=audit.NOMINATION_UPDATED, target_id=str(nomination["id"])).get()
    assert update.actor.username == "canbo_vinhtrai" and update.changes == {
        "achievement": ["Hoàn thành xuất sắc nhiệm vụ.", "Mới"]
    }
    body = {**{k: v for k, v in nomination["candidate"].items() if k not in ("id", "unit")}}
    body.update(award_type=nomination["award_type"], achievement="Toàn bộ", name="Hoàng Thị Ánh B")
    assert (
        ok(clerk.put(f"/api/nominations/{nomination['id']}/", body, format="json"))["candidate"]["name"]
        == "Hoàng Thị Ánh B"
    )
    assert clerk.delete(f"/api/nominations/{nomination['id']}/").status_code == 204
    assert not Nomination.objects.filter(pk=nomination["id"]).exists()
    assert AuditEvent.objects.filter(event_type=audit.NOMINATION_REMOVED, target_id=str(nomination["id"])).exists()


def test_no_edits_once_sent_to_the_head(api):
    clerk = api("canbo_vinhtrai")
    submission = start(clerk)
    nomination = add_nomination(clerk, submission, "Hoàng Thị Ánh")
    complete_dossier(clerk, submission, [nomination])
    ok(act(clerk, submission, "prepare"))
    response = clerk.patch(f"/api/nominations/{nomination['id']}/", {"achievement": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Hồ sơ không ở bước bạn được chỉnh sửa."
    assert ok(clerk.get(f"/api/submissions/{submission['id']}/"))["missing_documents"] is None


def test_uploads_are_checked_and_downloaded_under_the_same_rule(api):
    clerk = api("canbo_vinhtrai")
    submission = start(clerk)
    nomination = add_nomination(clerk, submission, "Hoàng Thị Ánh")
    fake = attach(clerk, submission, "achievement_report", nomination, upload=SimpleUploadedFile("x.pdf", b"MZ..."))
    assert fake.status_code == 400 and fake.json()["code"] == "file_type"
    detail = ok(clerk.get(f"/api/submissions/{submission['id']}/"))
    assert len(detail["missing_documents"]) == 2  # minutes and the report
    attachment = ok(attach(clerk, submission, "achievement_report", nomination), 201)
    assert attachment["content_type"] == "application/pdf" and attachment["uploaded_by"] == "canbo_vinhtrai"
    response = clerk.get(attachment["download"])
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert api("canbo_dongkinh").get(attachment["download"]).status_code == 404


def test_a_pdf_html_polyglot_is_a_400_field_error(api):
    clerk = api("canbo_vinhtrai")
    submission = start(clerk)
    polyglot = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n")
    response = attach(clerk, submission, "other", upload=polyglot)
    assert response.status_code == 400
    assert response.json()["errors"]["file"][0]["code"] == "pdf_active_content"


def test_task_detail_tells_what_to_send(api):
    clerk, head = api("canbo_vinhtrai"), api("chutich_vinhtrai")
    submission = start(clerk)
    nomination = add_nomination(clerk, submission, "Hoàng Thị Ánh")
    complete_dossier(clerk, submission, [nomination])
    ok(act(clerk, submission, "prepare"))
    task = find_task(head, submission, "head_approval")
    assert task["can_claim"] and not task["can_complete"] and task["submission"]["id"] == submission["id"]
    form = ok(head.get(f"/api/tasks/{task['id']}/"))["form"]
    assert [c["value"] for c in form["decisions"]] == ["submit", "return"]
    assert form["items"] == [] and form["item_choices"] == [] and not form["notes"]
    ok(act(head, submission, "head_approval", {"decision": "submit"}))
    review = find_task(api("thamdinh_noivu"), submission, "review")
    form = ok(api("thamdinh_noivu").get(f"/api/tasks/{review['id']}/"))["form"]
    assert [c["value"] for c in form["item_choices"]] == ["accept", "complete", "reject"]
    assert [n["id"] for n in form["items"]] == [nomination["id"]] and form["notes"]
    inbox = ok(head.get("/api/tasks/", {"box": "inbox"}))["results"]
    assert all(t["owner"] == "chutich_vinhtrai" for t in inbox)


def test_the_dossier_says_the_day_the_standing_body_received_it_read_only(api):
    """``received_on`` (the day whose rules judge the dossier) is in the list and the detail, null until the
    standing body receives it, and a client cannot write it."""
    from django.utils import timezone

    clerk = api("canbo_vinhtrai")
    submission = start(clerk)
    assert submission["received_on"] is None
    nomination = add_nomination(clerk, submission, "Hoàng Thị Ánh")
    complete_dossier(clerk, submission, [nomination])
    ok(act(clerk, submission, "prepare"))
    ok(act(api("chutich_vinhtrai"), submission, "head_approval", {"decision": "submit"}))
    reviewer = api("thamdinh_noivu")
    today = timezone.localdate().isoformat()
    assert ok(reviewer.get(f"/api/submissions/{submission['id']}/"))["received_on"] == today
    listed = ok(reviewer.get("/api/submissions/"))["results"]
    assert [row["received_on"] for row in listed if row["id"] == submission["id"]] == [today]
    reviewer.patch(f"/api/submissions/{submission['id']}/", {"received_on": "2020-01-01"}, format="json")
    assert ok(reviewer.get(f"/api/submissions/{submission['id']}/"))["received_on"] == today
