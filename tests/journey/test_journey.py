"""One journey from a unit's dossier to a signed (then revoked) decision and the public results, run twice:
through the pages (UIDriver) and through the REST API (APIDriver), asserting the same outcomes.

Two dossiers: Vĩnh Trại's (three nominations; the head returns it once; the reviewer accepts A, asks completion
for B, rejects C, then accepts B) and Khối 5's (under a ward, which endorses it; D accepted). The council session
on A, B, D is closed early after two ballots (too few votes), goes to a second round and passes all three. The
secretary drafts the decision, the chairman gives it back, the secretary redrafts, a wrong password is refused,
the chairman signs striking B. The public sees A and D; the chairman revokes the decision; the public sees no one.
"""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from viewflow.workflow.status import STATUS

from nominations.demo import DEMO_PASSWORD
from nominations.models import AgendaItem, Campaign, Council, CouncilSession, Decision, Nomination, OrgUnit, Submission
from nominations.services.council import voting_members
from workflow import audit

from .drivers import DRIVERS, Refused, _process

N, S = Nomination.Status, Submission.Status


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


def statuses(*pks):
    return dict(Nomination.objects.filter(pk__in=pks).values_list("pk", "status"))


def events(scope):
    return list(audit.timeline(scope))


@pytest.mark.parametrize("driver", ["ui", "api"])
def test_dossier_to_signed_decision_and_public_results(driver, users):
    d = DRIVERS[driver]()
    campaign = Campaign.objects.get(code="dien-tap")
    giay_khen = campaign.award_types.get(code="giay-khen").pk
    person = {"kind": "individual", "gender": "female", "birth_year": 1980, "ethnicity": "Tày", "position": "Công chức"}
    achievement = "Hoàn thành xuất sắc nhiệm vụ."

    # Vĩnh Trại's clerk builds a dossier of three.
    d.login("canbo_vinhtrai")
    dossier = d.open_dossier(
        campaign=campaign.pk, unit=OrgUnit.objects.get(code="p-ky-lua").pk, title="Tờ trình đề nghị – Vĩnh Trại"
    )
    assert Submission.objects.get(pk=dossier).status == S.DRAFT
    a = d.add_nomination(dossier, name="Hoàng Thị Ánh", award_type=giay_khen, achievement=achievement, **person)
    b = d.add_nomination(
        dossier, name="Lý Văn Bình", award_type=giay_khen, achievement=achievement, **{**person, "gender": "male"}
    )
    c = d.add_nomination(
        dossier,
        name="Đội văn nghệ khối 3",
        award_type=giay_khen,
        achievement=achievement,
        **{**person, "kind": "collective", "gender": ""},
    )

    # Sending to the head without the required documents is refused; nothing moves.
    with pytest.raises(Refused) as refused:
        d.send_to_head(dossier)
    assert "còn thiếu tài liệu bắt buộc" in refused.value.text
    process = _process(Submission, dossier)
    prepare = process.task_set.get(flow_task_type="HUMAN", status=STATUS.ASSIGNED)
    assert prepare.flow_task.name == "prepare" and prepare.owner == users["canbo_vinhtrai"]
    assert not any(e.event_type == audit.SUBMISSION_SENT_TO_HEAD for e in events(f"submission:{dossier}"))

    d.attach(dossier, "review_minutes")
    for nomination in (a, b, c):
        d.attach(dossier, "achievement_report", nomination)
    d.send_to_head(dossier)

    # The head sends it back once (a reason is required), then submits.
    d.login("chutich_vinhtrai")
    with pytest.raises(Refused) as refused:
        d.head_decides(dossier, submit=False, comment="")
    assert "Cần ghi rõ lý do trả lại hồ sơ" in refused.value.text
    d.head_decides(dossier, submit=False, comment="Bổ sung số liệu")
    back = process.task_set.get(flow_task_type="HUMAN", status=STATUS.ASSIGNED)
    assert back.flow_task.name == "prepare" and back.owner == users["canbo_vinhtrai"]  # back to the same clerk
    d.login("canbo_vinhtrai")
    d.send_to_head(dossier)
    d.login("chutich_vinhtrai")
    d.head_decides(dossier, submit=True)
    submitted = Submission.objects.get(pk=dossier)
    assert submitted.status == S.SUBMITTED and submitted.submitted_at
    assert set(statuses(a, b, c).values()) == {N.SUBMITTED}

    # Appraisal: accept A, ask completion for B, reject C; a completion without saying what is refused.
    d.login("thamdinh_noivu")
    with pytest.raises(Refused) as refused:
        d.appraise(dossier, {a: ("accept", ""), b: ("complete", ""), c: ("reject", "Chưa đủ tiêu chuẩn")})
    assert "Cần ghi rõ nội dung cần bổ sung" in refused.value.text
    assert set(statuses(a, b, c).values()) == {N.SUBMITTED}
    d.appraise(
        dossier,
        {
            a: ("accept", ""),
            b: ("complete", "Thiếu xác nhận của Ban công tác Mặt trận"),
            c: ("reject", "Thành tích chưa đủ tiêu chuẩn"),
        },
    )
    assert statuses(a, b, c) == {a: N.ACCEPTED, b: N.NEEDS_COMPLETION, c: N.REJECTED}
    assert "Mặt trận" in Nomination.objects.get(pk=b).missing_items

    # The clerk completes B; it returns to the same reviewer, who accepts it.
    d.login("canbo_vinhtrai")
    d.attach(dossier, "other", b)
    d.complete(dossier, "Đã bổ sung")
    review = process.task_set.get(flow_task_type="HUMAN", status=STATUS.ASSIGNED)
    assert review.flow_task.name == "review" and review.owner == users["thamdinh_noivu"]
    d.login("thamdinh_noivu")
    d.appraise(dossier, {b: ("accept", "")})
    assert statuses(a, b) == {a: N.ACCEPTED, b: N.ACCEPTED}
    assert Submission.objects.get(pk=dossier).review_rounds == 1

    # Khối 5 is under the ward: the ward endorses before the reviewer sees it.
    d.login("canbo_khoi5")
    khoi5 = d.open_dossier(
        campaign=campaign.pk, unit=OrgUnit.objects.get(code="p-ky-lua-khoi-5").pk, title="Tờ trình – Khối 5"
    )
    dd = d.add_nomination(khoi5, name="Nông Thị Hạnh", award_type=giay_khen, achievement=achievement, **person)
    d.attach(khoi5, "review_minutes")
    d.attach(khoi5, "achievement_report", dd)
    d.send_to_head(khoi5)
    d.login("truongkhoi_khoi5")
    d.head_decides(khoi5, submit=True)
    d.login("thidua_vinhtrai")
    d.ward_decides(khoi5, endorse=True, comment="Đồng ý")
    d.login("thamdinh_noivu")
    d.appraise(khoi5, {dd: ("accept", "")})

    # The council: two ballots, the secretary closes early (too few votes), a second round passes all three.
    council = Council.objects.get(issuer__code="ls")
    members = list(voting_members(council, timezone.localdate()))
    d.login("thuky_hoidong")
    session = d.open_session(
        council=council.pk,
        campaign=campaign.pk,
        title="Phiên họp Hội đồng",
        nominations=[a, b, dd],
        present=[m.pk for m in members],
    )
    for member in members[:2]:
        d.login(member.user.username)
        d.vote(session, "agree")
    d.login("thuky_hoidong")
    d.close_voting(session)
    assert set(AgendaItem.objects.filter(session=session).values_list("result", flat=True)) == {"no_quorum"}
    d.second_round(session, revote=True)
    assert CouncilSession.objects.get(pk=session).round == 2
    for member in members:
        d.login(member.user.username)
        d.vote(session, {a: "agree", b: "agree", dd: "agree"})
    closed = CouncilSession.objects.get(pk=session)
    assert closed.status == "closed" and set(closed.items.values_list("result", flat=True)) == {"passed"}
    assert statuses(a, b, dd) == {a: N.COUNCIL_PASSED, b: N.COUNCIL_PASSED, dd: N.COUNCIL_PASSED}
    council_events = [e.event_type for e in events(f"council_session:{session}")]
    assert council_events.count(audit.COUNCIL_SECOND_ROUND) == 1
    for pk in (dossier, khoi5):
        assert Submission.objects.get(pk=pk).status == S.AT_CHAIRMAN
        waiting = _process(Submission, pk).task_set.exclude(status__in=[STATUS.DONE, STATUS.CANCELED])
        assert [t.flow_task.name for t in waiting] == ["decision"]  # each dossier waits for the chairman

    # The decision: drafted, given back, redrafted; a wrong password is refused; signed striking B.
    d.login("thuky_hoidong")
    decision = d.draft_decision(campaign=campaign.pk, award_type=giay_khen, nominations=[a, b, dd])
    d.login("chutich_ubnd")
    d.give_back(decision, "Đề nghị xem lại trường hợp B")
    d.login("thuky_hoidong")
    d.redraft(decision, "Đã xem lại, giữ nguyên")
    d.login("chutich_ubnd")
    with pytest.raises(Refused) as refused:
        d.sign(decision, password="sai-mat-khau")
    assert "Mật khẩu xác nhận không đúng" in refused.value.text
    assert Decision.objects.get(pk=decision).number is None
    d.sign(decision, password=DEMO_PASSWORD, strike={b: "Đã được khen cùng thành tích năm 2024"})
    signed = Decision.objects.get(pk=decision)
    assert signed.status == "signed" and signed.number == 1 and signed.reference == "01/QĐ-UBND"
    assert signed.signed_by == users["chutich_ubnd"]
    assert list(signed.items.order_by("nomination_id").values_list("nomination_id", "struck")) == sorted(
        [(a, False), (b, True), (dd, False)]
    )

    # Both dossiers are closed with the outcome of each nomination and its reason.
    assert _process(Submission, dossier).status == STATUS.DONE and _process(Submission, khoi5).status == STATUS.DONE
    assert statuses(a, b, c, dd) == {a: N.AWARDED, b: N.NOT_AWARDED, c: N.NOT_AWARDED, dd: N.AWARDED}
    assert "cùng thành tích" in Nomination.objects.get(pk=b).outcome_reason
    assert "chưa đủ tiêu chuẩn" in Nomination.objects.get(pk=c).outcome_reason
    final = Submission.objects.get(pk=dossier)
    assert final.status == S.DECIDED and final.review_rounds == 1

    # The dossier's trail tells the story in order, with actors and steps.
    trail = events(f"submission:{dossier}")
    kinds = [e.event_type for e in trail]
    assert kinds[0] == audit.SUBMISSION_CREATED
    assert kinds.count(audit.SUBMISSION_RETURNED) == 1  # the head's; the chairman returned the decision
    assert kinds.count(audit.NOMINATION_REVIEWED) == 4
    assert kinds.index(audit.SUBMISSION_SUBMITTED) < kinds.index(audit.NOMINATION_REVIEWED)
    returned = next(e for e in trail if e.event_type == audit.SUBMISSION_RETURNED)
    assert returned.actor == users["chutich_vinhtrai"] and returned.comment == "Bổ sung số liệu"
    struck = [e for e in trail if e.event_type == audit.NOMINATION_STRUCK and e.target_id == str(b)]
    assert struck[0].step == "sign" and struck[0].to_state == N.NOT_AWARDED and "cùng thành tích" in struck[0].comment
    assert {e.step for e in trail if e.actor == users["thamdinh_noivu"]} == {"review"}
    ward = [e for e in events(f"submission:{khoi5}") if e.event_type == audit.SUBMISSION_WARD_ENDORSED]
    assert [(e.actor, e.comment) for e in ward] == [(users["thidua_vinhtrai"], "Đồng ý")]

    # B's own history, as its page / the API shows it, in Vietnamese.
    d.login("canbo_vinhtrai")
    assert any("Không được khen thưởng" in e and "cùng thành tích" in e for e in d.nomination_history(b))

    # The decision's trail: drafted, given back, redrafted, signed with its number.
    d_trail = [e for e in events(f"decision:{decision}") if e.event_type.startswith("decision.")]
    assert [(e.event_type, e.actor.username) for e in d_trail][:4] == [
        (audit.DECISION_DRAFTED, "thuky_hoidong"),
        (audit.DECISION_RETURNED, "chutich_ubnd"),
        (audit.DECISION_REDRAFTED, "thuky_hoidong"),
        (audit.DECISION_SIGNED, "chutich_ubnd"),
    ]
    assert d_trail[3].data["number"] == "01/QĐ-UBND"

    # The public sees who was awarded, with the decision; no login needed.
    award_name = campaign.award_types.get(code="giay-khen").name
    assert d.public_results(campaign.pk) == sorted(
        [
            ("Hoàng Thị Ánh", "Phường Kỳ Lừa (minh họa)", award_name, "01/QĐ-UBND"),
            ("Nông Thị Hạnh", OrgUnit.objects.get(code="p-ky-lua-khoi-5").name, award_name, "01/QĐ-UBND"),
        ]
    )

    # The chairman revokes the decision (the password again): the awards are revoked and leave the public list.
    d.login("chutich_ubnd")
    with pytest.raises(Refused):
        d.revoke(decision, reason="Phát hiện khai man thành tích", password="sai-mat-khau")
    assert Decision.objects.get(pk=decision).status == "signed"
    d.revoke(decision, reason="Phát hiện khai man thành tích", password=DEMO_PASSWORD)
    revoked = Decision.objects.get(pk=decision)
    assert revoked.status == "revoked" and revoked.revoke_reason == "Phát hiện khai man thành tích"
    assert statuses(a, dd) == {a: N.REVOKED, dd: N.REVOKED}
    assert [e.actor for e in events(f"decision:{decision}") if e.event_type == audit.DECISION_REVOKED] == [
        users["chutich_ubnd"]
    ]
    assert d.public_results(campaign.pk) == []
    assert audit.verify()[0]


@pytest.mark.parametrize("driver", ["ui", "api"])
def test_a_passed_nomination_is_not_dropped_when_its_sibling_is_rejected_after_completion(driver, users):
    """Issue 14: A accepted, B sent back; B completed then rejected; A goes to the council, passes, is awarded."""
    d = DRIVERS[driver]()
    campaign = Campaign.objects.get(code="dien-tap")
    giay_khen = campaign.award_types.get(code="giay-khen").pk
    person = {"kind": "individual", "gender": "female", "birth_year": 1980, "ethnicity": "Tày", "position": "Công chức"}
    d.login("canbo_vinhtrai")
    dossier = d.open_dossier(campaign=campaign.pk, unit=OrgUnit.objects.get(code="p-ky-lua").pk, title="Tờ trình")
    a = d.add_nomination(dossier, name="Hoàng Thị Ánh", award_type=giay_khen, achievement="Xuất sắc.", **person)
    b = d.add_nomination(dossier, name="Lý Thị Bình", award_type=giay_khen, achievement="Xuất sắc.", **person)
    d.attach(dossier, "review_minutes")
    for nomination in (a, b):
        d.attach(dossier, "achievement_report", nomination)
    d.send_to_head(dossier)
    d.login("chutich_vinhtrai")
    d.head_decides(dossier, submit=True)
    d.login("thamdinh_noivu")
    d.appraise(dossier, {a: ("accept", ""), b: ("complete", "Thiếu xác nhận")})
    d.login("canbo_vinhtrai")
    d.complete(dossier, "Đã bổ sung")
    d.login("thamdinh_noivu")
    d.appraise(dossier, {b: ("reject", "Không đạt")})
    assert statuses(a, b) == {a: N.ACCEPTED, b: N.REJECTED}

    council = Council.objects.get(issuer__code="ls")
    members = list(voting_members(council, timezone.localdate()))
    d.login("thuky_hoidong")
    session = d.open_session(
        council=council.pk, campaign=campaign.pk, title="Phiên họp", nominations=[a], present=[m.pk for m in members]
    )
    for member in members:
        d.login(member.user.username)
        d.vote(session, "agree")
    assert statuses(a) == {a: N.COUNCIL_PASSED}
    assert Submission.objects.get(pk=dossier).status == S.AT_CHAIRMAN  # not closed behind A's back

    d.login("thuky_hoidong")
    decision = d.draft_decision(campaign=campaign.pk, award_type=giay_khen, nominations=[a])
    d.login("chutich_ubnd")
    d.sign(decision, password=DEMO_PASSWORD)
    assert statuses(a, b) == {a: N.AWARDED, b: N.NOT_AWARDED}
    assert Nomination.objects.get(pk=b).outcome_reason == "Không đạt"
    assert _process(Submission, dossier).status == STATUS.DONE
