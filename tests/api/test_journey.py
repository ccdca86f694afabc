"""What the API says along the journey: its JSON, error codes, task forms and timelines.

The journey's outcomes (statuses, audit events, decision number, public results) are asserted once for the pages
and the API alike in tests/journey/test_journey.py. This test walks the same path with the API driver and checks
only what is particular to the API's representation.
"""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from nominations.demo import DEMO_PASSWORD
from nominations.models import Campaign, Council, Nomination, OrgUnit, Submission
from nominations.services.council import voting_members
from tests.journey.drivers import APIDriver, Refused
from workflow import audit

from .helpers import find_decision_task, find_task, ok

N = Nomination.Status


def test_the_api_along_the_journey(api):
    d = APIDriver()
    clerk, secretary, chairman = api("canbo_vinhtrai"), api("thuky_hoidong"), api("chutich_ubnd")
    campaign = Campaign.objects.get(code="dien-tap")
    award = campaign.award_types.get(code="giay-khen")
    person = {"kind": "individual", "gender": "female", "birth_year": 1980, "ethnicity": "Tày", "position": "Cán bộ"}

    d.login("canbo_vinhtrai")
    pk = d.open_dossier(campaign=campaign.pk, unit=OrgUnit.objects.get(code="p-ky-lua").pk, title="Tờ trình")
    draft = ok(clerk.get(f"/api/submissions/{pk}/"))
    assert draft["editable"] and draft["status"] == "draft"
    a = d.add_nomination(pk, name="Hoàng Thị Ánh", award_type=award.pk, achievement="Xuất sắc.", **person)
    b = d.add_nomination(pk, name="Lý Văn Bình", award_type=award.pk, achievement="Xuất sắc.", **person)

    # A refusal carries a code and a Vietnamese detail; the task stays the clerk's.
    with pytest.raises(Refused) as refused:
        d.send_to_head(pk)
    assert refused.value.body["code"] == "missing_documents"
    assert "còn thiếu tài liệu bắt buộc" in refused.value.body["detail"]
    prepare = find_task(clerk, {"id": pk}, "prepare")
    assert prepare["owner"] == "canbo_vinhtrai" and prepare["status"] == "ASSIGNED"

    d.attach(pk, "review_minutes")
    for nomination in (a, b):
        d.attach(pk, "achievement_report", nomination)
    d.send_to_head(pk)
    d.login("chutich_vinhtrai")
    d.head_decides(pk, submit=True)
    detail = ok(clerk.get(f"/api/submissions/{pk}/"))
    assert detail["status"] == "submitted" and detail["submitted_at"] and not detail["editable"]

    d.login("thamdinh_noivu")
    d.appraise(pk, {a: ("accept", ""), b: ("complete", "Thiếu xác nhận của Ban công tác Mặt trận")})
    b_now = ok(clerk.get(f"/api/nominations/{b}/"))
    assert b_now["status"] == N.NEEDS_COMPLETION and "Mặt trận" in b_now["missing_items"]
    d.login("canbo_vinhtrai")
    d.complete(pk, "Đã bổ sung")
    back = find_task(api("thamdinh_noivu"), {"id": pk}, "review")
    assert back["owner"] == "thamdinh_noivu" and back["status"] == "ASSIGNED"
    d.login("thamdinh_noivu")
    d.appraise(pk, {b: ("accept", "")})

    # The session: closed, every item passed, the receipts of a secret ballot published.
    council = Council.objects.get(issuer__code="ls")
    members = list(voting_members(council, timezone.localdate()))
    d.login("thuky_hoidong")
    session = d.open_session(
        council=council.pk, campaign=campaign.pk, title="Phiên họp", nominations=[a, b], present=[m.pk for m in members]
    )
    for member in members:
        d.login(member.user.username)
        d.vote(session, "agree")
    closed = ok(secretary.get(f"/api/council-sessions/{session}/"))
    assert closed["status"] == "closed" and {i["result"] for i in closed["items"]} == {"passed"}
    assert len(closed["receipts"]) == len(closed["attendance"])

    # The signing task describes its form; a wrong password is an error on the password field.
    d.login("thuky_hoidong")
    decision = d.draft_decision(campaign=campaign.pk, award_type=award.pk, nominations=[a, b])
    sign_task = find_decision_task(chairman, {"id": decision}, "sign")
    form = ok(chairman.get(f"/api/tasks/{sign_task['id']}/"))["form"]
    assert form["password"] and [c["value"] for c in form["decisions"]] == ["sign", "return"]
    d.login("chutich_ubnd")
    with pytest.raises(Refused) as refused:
        d.sign(decision, password="sai")
    assert refused.value.body["errors"]["password"][0]["message"] == "Mật khẩu xác nhận không đúng."
    d.sign(decision, password=DEMO_PASSWORD, strike={b: "Đã được khen cùng thành tích năm 2024"})
    decided = ok(chairman.get(f"/api/decisions/{decision}/"))
    assert decided["status"] == "signed" and decided["number"] and decided["signed_by"] == "chutich_ubnd"
    assert [i["struck"] for i in decided["items"]] == [False, True]
    assert "cùng thành tích" in ok(clerk.get(f"/api/nominations/{b}/"))["outcome_reason"]
    final = ok(clerk.get(f"/api/submissions/{pk}/"))
    assert final["status"] == Submission.Status.DECIDED and final["review_rounds"] == 1

    # The timeline endpoints: oldest first, with actors' usernames and Vietnamese labels.
    events = ok(clerk.get(f"/api/submissions/{pk}/timeline/", {"page_size": 200}))["results"]
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    assert events[0]["event_type"] == audit.SUBMISSION_CREATED and events[0]["actor"] == "canbo_vinhtrai"
    struck = next(e for e in events if e["event_type"] == audit.NOMINATION_STRUCK and e["target_id"] == str(b))
    assert struck["step"] == "sign" and struck["to_state"] == N.NOT_AWARDED
    d_events = ok(secretary.get(f"/api/decisions/{decision}/timeline/"))["results"]
    assert [(e["event_type"], e["actor"]) for e in d_events if e["event_type"].startswith("decision.")][:2] == [
        (audit.DECISION_DRAFTED, "thuky_hoidong"),
        (audit.DECISION_SIGNED, "chutich_ubnd"),
    ]
    b_events = ok(clerk.get(f"/api/nominations/{b}/timeline/", {"page_size": 200}))["results"]
    assert any(e["label"] == "Không được khen thưởng" and "cùng thành tích" in e["comment"] for e in b_events)
    assert all(e["target_id"] in ("", str(b), str(pk)) for e in b_events)

    # The public results, field by field, with no login.
    public = ok(APIClient().get(f"/api/public/campaigns/{campaign.pk}/results/"))["results"]
    assert public == [
        {
            "candidate": "Hoàng Thị Ánh",
            "unit": "Phường Kỳ Lừa (minh họa)",
            "award_type": award.name,
            "decision_number": f"{decided['number']:02d}/QĐ-UBND",
            "decision_date": decided["decision_date"],
        }
    ]
