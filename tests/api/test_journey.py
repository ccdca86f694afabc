"""The UI journey (tests/workflow/test_flow_journey.py::test_full_journey) driven over the REST API.

Unit clerk → head (returns once) → reviewer (completion loop back to the same
reviewer, one reject) → council session (secretary opens, members vote) →
decision (secretary drafts; the chairman returns it once, then signs striking
one) → final statuses, timelines and the public results.
"""

from rest_framework.test import APIClient
from viewflow.workflow.status import STATUS

from nominations.demo import DEMO_PASSWORD
from nominations.models import Nomination, Submission
from workflow import audit
from workflow.flows import NominationFlow

from .helpers import (
    act,
    act_on_decision,
    add_nomination,
    attach,
    complete_dossier,
    council_session,
    find_decision_task,
    find_task,
    items,
    ok,
    start,
)

N = Nomination.Status


def test_full_journey(api, users):
    clerk, head = api("canbo_vinhtrai"), api("chutich_vinhtrai")
    reviewer, secretary, chairman = api("thamdinh_noivu"), api("thuky_hoidong"), api("chutich_ubnd")

    submission = start(clerk, title="Tờ trình đề nghị tặng Giấy khen – Vĩnh Trại")
    assert submission["editable"] and submission["status"] == "draft"
    a = add_nomination(clerk, submission, "Hoàng Thị Ánh")
    b = add_nomination(clerk, submission, "Lý Văn Bình", gender="male")
    c = add_nomination(clerk, submission, "Đội văn nghệ khối 3", kind="collective", gender="")

    # Sending to the head without the required documents is refused, nothing moves.
    refused = act(clerk, submission, "prepare")
    assert refused.status_code == 400
    assert refused.json()["code"] == "missing_documents"
    assert "còn thiếu tài liệu bắt buộc" in refused.json()["detail"]
    prepare = find_task(clerk, submission, "prepare")
    assert prepare["owner"] == "canbo_vinhtrai" and prepare["status"] == "ASSIGNED"

    complete_dossier(clerk, submission, [a, b, c])
    ok(act(clerk, submission, "prepare"))

    # The head sends it back once, then submits.
    ok(act(head, submission, "head_approval", {"decision": "return", "comment": "Bổ sung số liệu"}))
    assert find_task(clerk, submission, "prepare")["owner"] == "canbo_vinhtrai"
    ok(act(clerk, submission, "prepare"))
    ok(act(head, submission, "head_approval", {"decision": "submit", "comment": ""}))
    detail = ok(clerk.get(f"/api/submissions/{submission['id']}/"))
    assert detail["status"] == "submitted" and detail["submitted_at"] and not detail["editable"]

    # Appraisal: accept A, ask completion for B, reject C.
    review = items(
        (a, "accept", ""),
        (b, "complete", "Thiếu xác nhận của Ban công tác Mặt trận"),
        (c, "reject", "Thành tích chưa đủ tiêu chuẩn"),
    )
    ok(act(reviewer, submission, "review", {"items": review}))
    b_now = ok(clerk.get(f"/api/nominations/{b['id']}/"))
    assert b_now["status"] == N.NEEDS_COMPLETION and "Mặt trận" in b_now["missing_items"]

    # The clerk completes B; it returns to the same reviewer.
    ok(attach(clerk, submission, "other", b), 201)
    ok(act(clerk, submission, "complete", {"comment": "Đã bổ sung"}))
    back = find_task(reviewer, submission, "review")
    assert back["owner"] == "thamdinh_noivu" and back["status"] == "ASSIGNED"
    ok(act(reviewer, submission, "review", {"items": items((b, "accept", ""))}))

    # Council: both pass. The chairman returns the draft decision once, then signs striking B.
    session = council_session(api, [a, b])
    closed = ok(secretary.get(f"/api/council-sessions/{session['id']}/"))
    assert closed["status"] == "closed" and {i["result"] for i in closed["items"]} == {"passed"}
    assert len(closed["receipts"]) == len(closed["attendance"])  # secret ballot: receipts published
    award = Nomination.objects.get(pk=a["id"]).award_type_id
    body = {"campaign": submission["campaign"], "award_type": award, "nominations": [a["id"], b["id"]]}
    decision = ok(secretary.post("/api/decisions/", body, format="json"), 201)
    item_of = {item["nomination"]: item["id"] for item in decision["items"]}
    sign_form = ok(chairman.get(f"/api/tasks/{find_decision_task(chairman, decision, 'sign')['id']}/"))["form"]
    assert sign_form["password"] and [c["value"] for c in sign_form["decisions"]] == ["sign", "return"]
    ok(act_on_decision(chairman, decision, "sign", {"decision": "return", "comment": "Đề nghị xem lại trường hợp B"}))
    ok(act_on_decision(secretary, decision, "redraft", {"comment": "Đã xem lại, giữ nguyên"}))
    wrong = act_on_decision(chairman, decision, "sign", {"decision": "sign", "password": "sai"})
    assert (
        wrong.status_code == 400 and wrong.json()["errors"]["password"][0]["message"] == "Mật khẩu xác nhận không đúng."
    )
    strike = {str(item_of[b["id"]]): {"choice": "strike", "note": "Đã được khen cùng thành tích năm 2024"}}
    signed = {"decision": "sign", "password": DEMO_PASSWORD, "items": strike}
    ok(act_on_decision(chairman, decision, "sign", signed))
    decided = ok(chairman.get(f"/api/decisions/{decision['id']}/"))
    assert decided["status"] == "signed" and decided["number"] and decided["signed_by"] == "chutich_ubnd"
    assert [i["struck"] for i in decided["items"]] == [False, True]

    process = NominationFlow.process_class.objects.get(artifact_object_id=submission["id"])
    assert process.status == STATUS.DONE
    statuses = dict(Nomination.objects.filter(submission_id=submission["id"]).values_list("pk", "status"))
    assert statuses == {a["id"]: N.AWARDED, b["id"]: N.NOT_AWARDED, c["id"]: N.NOT_AWARDED}
    b_final, c_final = ok(clerk.get(f"/api/nominations/{b['id']}/")), ok(clerk.get(f"/api/nominations/{c['id']}/"))
    assert "cùng thành tích" in b_final["outcome_reason"] and "chưa đủ tiêu chuẩn" in c_final["outcome_reason"]
    final = ok(clerk.get(f"/api/submissions/{submission['id']}/"))
    assert final["status"] == Submission.Status.DECIDED and final["review_rounds"] == 1

    # The timeline endpoint tells the story in order, with actors and steps.
    events = ok(clerk.get(f"/api/submissions/{submission['id']}/timeline/", {"page_size": 200}))["results"]
    kinds = [e["event_type"] for e in events]
    assert kinds[0] == audit.SUBMISSION_CREATED
    assert kinds.count(audit.SUBMISSION_RETURNED) == 1  # the head's; the chairman returned the decision
    assert kinds.count(audit.NOMINATION_REVIEWED) == 4
    assert kinds.index(audit.SUBMISSION_SUBMITTED) < kinds.index(audit.NOMINATION_REVIEWED)
    struck = next(e for e in events if e["event_type"] == audit.NOMINATION_FINALISED and e["target_id"] == str(b["id"]))
    assert struck["step"] == "sign" and struck["to_state"] == N.NOT_AWARDED and "cùng thành tích" in struck["comment"]
    assert {e["step"] for e in events if e["actor"] == "thamdinh_noivu"} == {"review"}
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    assert audit.verify()[0]

    # The decision's timeline: drafted, returned by the chairman, redrafted, signed.
    d_events = ok(secretary.get(f"/api/decisions/{decision['id']}/timeline/"))["results"]
    steps = [(e["event_type"], e["actor"]) for e in d_events if e["event_type"].startswith("decision.")]
    assert steps[:4] == [
        (audit.DECISION_DRAFTED, "thuky_hoidong"),
        (audit.DECISION_RETURNED, "chutich_ubnd"),
        (audit.DECISION_REDRAFTED, "thuky_hoidong"),
        (audit.DECISION_SIGNED, "chutich_ubnd"),
    ]

    # B's own timeline, in Vietnamese.
    b_events = ok(clerk.get(f"/api/nominations/{b['id']}/timeline/", {"page_size": 200}))["results"]
    assert any(e["label"] == "Chốt kết quả đề nghị" and "cùng thành tích" in e["comment"] for e in b_events)
    assert all(e["target_id"] in ("", str(b["id"]), str(submission["id"])) for e in b_events)

    # The public sees only who was awarded: name, unit, award and the decision; no login needed.
    public = ok(APIClient().get(f"/api/public/campaigns/{submission['campaign']}/results/"))["results"]
    assert public == [
        {
            "candidate": "Hoàng Thị Ánh",
            "unit": "Phường Kỳ Lừa (minh họa)",
            "award_type": a_award(a),
            "decision_number": decided["number"] and f"{decided['number']:02d}/QĐ-UBND",
            "decision_date": decided["decision_date"],
        }
    ]


def a_award(nomination):
    return Nomination.objects.get(pk=nomination["id"]).award_type.name
