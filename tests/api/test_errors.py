"""Errors: one shape, Vietnamese messages, stable codes; anonymous calls get JSON, never a login redirect."""

from rest_framework.test import APIClient

from workflow.models import AuditEvent

from .helpers import act, add_nomination, complete_dossier, ok, start


def test_anonymous_gets_401_json_not_a_redirect(demo):
    response = APIClient().get("/api/submissions/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert response.json() == {
        "detail": "Chưa đăng nhập: cần gửi mã xác thực (Token) hoặc phiên đăng nhập.",
        "code": "not_authenticated",
        "errors": {},
    }


def test_a_bad_token_is_401(demo):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nope")
    body = client.get("/api/campaigns/").json()
    assert body["code"] == "authentication_failed" and not body["detail"].isascii()


def test_wrong_password_is_400_and_audited(demo):
    before = AuditEvent.objects.filter(event_type="auth.login_failed").count()
    response = APIClient().post("/api/auth/token/", {"username": "canbo_vinhtrai", "password": "x"})
    assert response.status_code == 400
    assert response.json()["code"] == "authorization"
    assert AuditEvent.objects.filter(event_type="auth.login_failed").count() == before + 1


def test_session_login_works_too(users):
    client = APIClient()
    client.force_login(users["canbo_vinhtrai"])
    assert client.get("/api/submissions/").status_code == 200


def test_field_errors_carry_vietnamese_messages_and_codes(api):
    clerk = api("canbo_vinhtrai")
    submission = start(clerk)
    response = clerk.post(f"/api/submissions/{submission['id']}/nominations/", {"kind": "martian"}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["kind"] == [{"message": "Lựa chọn không hợp lệ.", "code": "invalid_choice"}]
    assert errors["name"] == [{"message": "Trường này là bắt buộc.", "code": "required"}]
    assert {"name", "award_type", "achievement"} <= set(errors)


def test_the_ui_form_rules_apply(api):
    clerk = api("canbo_vinhtrai")
    submission = start(clerk)
    response = clerk.post(
        f"/api/submissions/{submission['id']}/nominations/",
        {"kind": "individual", "name": "Nguyễn Văn A", "award_type": 999999, "achievement": "x"},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["gender"] == [{"message": "Cần chọn giới tính của cá nhân.", "code": "invalid"}]
    assert errors["award_type"][0]["code"] == "invalid_choice" and not errors["award_type"][0]["message"].isascii()


def test_service_errors_become_400_with_their_code(api):
    clerk = api("canbo_vinhtrai")
    submission = start(clerk)
    response = act(clerk, submission, "prepare")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "empty" and body["detail"] == "Hồ sơ chưa có đề nghị nào."
    assert body["errors"] == {"non_field_errors": [{"message": "Hồ sơ chưa có đề nghị nào.", "code": "empty"}]}


def test_task_form_errors_point_at_the_nomination(api):
    clerk, head, reviewer = api("canbo_vinhtrai"), api("chutich_vinhtrai"), api("thamdinh_noivu")
    submission = start(clerk)
    a = add_nomination(clerk, submission, "Hoàng Thị Ánh")
    complete_dossier(clerk, submission, [a])
    ok(act(clerk, submission, "prepare"))
    bad = act(head, submission, "head_approval", {"decision": "maybe"})
    assert bad.status_code == 400 and bad.json()["errors"]["decision"][0]["code"] == "invalid_choice"
    ok(act(head, submission, "head_approval", {"decision": "submit"}))

    missing = act(reviewer, submission, "review", {"items": {}})
    assert missing.json()["errors"] == {
        f"items.{a['id']}.choice": [{"message": "Trường này là bắt buộc.", "code": "required"}]
    }
    unknown = act(reviewer, submission, "review", {"items": {"123456": {"choice": "accept"}}})
    assert unknown.status_code == 400 and unknown.json()["errors"]["items.123456"][0]["code"] == "unknown_item"
    no_note = act(reviewer, submission, "review", {"items": {str(a["id"]): {"choice": "reject"}}})
    assert no_note.status_code == 400 and no_note.json()["code"] == "note_required"


def test_bad_query_values_are_400(api):
    client = api("canbo_vinhtrai")
    response = client.get("/api/award-types/", {"on": "hôm qua"})
    assert response.status_code == 400 and response.json()["errors"]["on"][0]["code"] == "invalid"
    assert client.get("/api/tasks/", {"box": "outbox"}).status_code == 400
    assert client.get("/api/submissions/", {"cursor": "garbage"}).json()["code"] == "not_found"


def test_wrong_method_and_media_type(api):
    client = api("canbo_vinhtrai")
    assert client.delete("/api/campaigns/").json()["code"] == "method_not_allowed"
    response = client.post("/api/submissions/", "<xml/>", content_type="application/xml")
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"
    response = client.post("/api/submissions/", "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"
