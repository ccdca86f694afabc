"""One dossier of three nominations driven over HTTP through every path."""

import pytest
from django.contrib.auth import get_user_model
from viewflow.workflow.status import STATUS

from nominations.demo import DEMO_PASSWORD
from nominations.models import Nomination, Submission
from workflow import audit
from workflow.flows import DecisionFlow as D

from .helpers import (
    F,
    act,
    add_nomination,
    attach,
    complete_dossier,
    council_session,
    draft_decision,
    open_task,
    sign_decision,
    start,
    url,
)

N = Nomination.Status


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def test_full_journey(client, users):
    clerk, head = users["canbo_vinhtrai"], users["chutich_vinhtrai"]
    reviewer, chairman = users["thamdinh_noivu"], users["chutich_ubnd"]

    process = start(client, clerk, title="Tờ trình đề nghị tặng Giấy khen – Vĩnh Trại")
    submission = process.artifact
    a = add_nomination(client, submission, "Hoàng Thị Ánh")
    b = add_nomination(client, submission, "Lý Văn Bình", gender="male")
    c = add_nomination(client, submission, "Đội văn nghệ khối 3", kind="collective", gender="")

    # Sending to the head without the required documents is refused, nothing moves.
    response = act(client, clerk, process, F.prepare)
    assert response.status_code == 200
    assert "còn thiếu tài liệu bắt buộc" in response.content.decode()
    assert open_task(process, F.prepare).owner == clerk

    complete_dossier(client, submission, [a, b, c])
    assert act(client, clerk, process, F.prepare).status_code == 302

    # The head sends it back once, then submits.
    assert (
        act(client, head, process, F.head_approval, {"decision": "return", "comment": "Bổ sung số liệu"}).status_code
        == 302
    )
    assert open_task(process, F.prepare).owner == clerk
    assert act(client, clerk, process, F.prepare).status_code == 302
    assert act(client, head, process, F.head_approval, {"decision": "submit", "comment": ""}).status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED and submission.submitted_at

    # Appraisal: accept A, ask completion for B, reject C.
    review = {
        f"choice_{a.pk}": "accept",
        f"note_{a.pk}": "",
        f"choice_{b.pk}": "complete",
        f"note_{b.pk}": "Thiếu xác nhận của Ban công tác Mặt trận",
        f"choice_{c.pk}": "reject",
        f"note_{c.pk}": "Thành tích chưa đủ tiêu chuẩn",
    }
    assert act(client, reviewer, process, F.review, review).status_code == 302
    b.refresh_from_db()
    assert b.status == N.NEEDS_COMPLETION and "Mặt trận" in b.missing_items

    # The clerk completes B; it returns to the same reviewer.
    client.force_login(clerk)
    assert attach(client, submission, "other", b).status_code == 302
    assert act(client, clerk, process, F.complete, {"comment": "Đã bổ sung"}).status_code == 302
    assert open_task(process, F.review).owner == reviewer
    assert act(client, reviewer, process, F.review, {f"choice_{b.pk}": "accept", f"note_{b.pk}": ""}).status_code == 302

    # Council: both pass.
    a.refresh_from_db(), b.refresh_from_db()
    council_session(client, users, [a, b])
    assert open_task(process, F.decision)  # the dossier now waits for the chairman's decision

    # The secretary drafts the decision; the chairman returns it once, then signs striking B.
    decision_process = draft_decision(client, users, [a, b])
    decision = decision_process.artifact
    returned = {"decision": "return", "comment": "Đề nghị xem lại trường hợp B", "password": ""}
    assert sign_decision(client, chairman, decision_process, returned).status_code == 302
    assert (
        act(client, users["thuky_hoidong"], decision_process, D.redraft, {"comment": "Đã xem lại"}).status_code == 302
    )
    item_b = decision.items.get(nomination=b)
    wrong = {"decision": "sign", "comment": "", "password": "sai-mat-khau"}
    response = sign_decision(client, chairman, decision_process, wrong)
    assert response.status_code == 200 and "Mật khẩu xác nhận không đúng" in response.content.decode()
    signed = {
        "decision": "sign",
        "comment": "",
        "password": DEMO_PASSWORD,
        f"strike_{item_b.pk}": "on",
        f"reason_{item_b.pk}": "Đã được khen cùng thành tích năm 2024",
    }
    assert sign_decision(client, chairman, decision_process, signed).status_code == 302
    decision.refresh_from_db()
    assert decision.status == "signed" and decision.number == 1 and decision.reference == "01/QĐ-UBND"

    process.refresh_from_db()
    assert process.status == STATUS.DONE
    statuses = dict(Nomination.objects.filter(submission=submission).values_list("pk", "status"))
    assert statuses == {a.pk: N.AWARDED, b.pk: N.NOT_AWARDED, c.pk: N.NOT_AWARDED}
    b.refresh_from_db(), c.refresh_from_db()
    assert "cùng thành tích" in b.outcome_reason and "chưa đủ tiêu chuẩn" in c.outcome_reason
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DECIDED and submission.review_rounds == 1

    # The timeline tells the story in order, with actors and steps.
    events = list(audit.timeline(f"submission:{submission.pk}"))
    kinds = [e.event_type for e in events]
    assert kinds[0] == audit.SUBMISSION_CREATED
    assert kinds.count(audit.SUBMISSION_RETURNED) == 1  # by the head
    assert kinds.count(audit.NOMINATION_REVIEWED) == 4
    assert kinds.index(audit.SUBMISSION_SUBMITTED) < kinds.index(audit.NOMINATION_REVIEWED)
    finalised = [e for e in events if e.event_type == audit.NOMINATION_FINALISED and e.target_id == str(b.pk)]
    assert finalised[0].step == "sign" and finalised[0].to_state == N.NOT_AWARDED
    assert "cùng thành tích" in finalised[0].comment
    signed_event = audit.timeline(f"decision:{decision.pk}").get(event_type=audit.DECISION_SIGNED)
    assert signed_event.actor == chairman and signed_event.data["number"] == "01/QĐ-UBND"
    assert {e.step for e in events if e.actor == reviewer} == {"review"}
    assert audit.verify()[0]

    # The nomination page shows the Vietnamese timeline.
    client.force_login(clerk)
    page = client.get(f"/dossiers/nominations/{b.pk}/").content.decode()
    assert "Nhật ký xử lý" in page and "Đã được khen cùng thành tích" in page


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
