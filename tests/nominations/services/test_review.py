"""nominations.services.review, called directly: the dossier's way up, one rule per test."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from guardian.shortcuts import get_groups_with_perms

from nominations.models import Campaign, Nomination, Submission
from nominations.services import dossiers, review
from workflow import audit

from .world import build, dossier, last_event, nothing_written, pdf

S, N = Submission.Status, Nomination.Status
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build()


def submitted(world, *names, unit=None):
    submission, nominations = dossier(world, *names, unit=unit)
    review.submission_head_decide(submission=submission, actor=world.head, submit=True)
    return Submission.objects.get(pk=submission.pk), nominations


def statuses(submission):
    return dict(submission.nominations.values_list("candidate__name", "status"))


def messages(error) -> str:
    return " ".join(error.value.messages)


# --- clerk → head


def test_sending_to_the_head_is_audited_and_leaves_the_draft_a_draft(world):
    submission, _noms = dossier(world, "Nguyễn Thị Lan")
    review.submission_send_to_head(submission=submission, actor=world.clerk, comment="Kính trình")
    event = last_event(audit.SUBMISSION_SENT_TO_HEAD, submission)
    assert (event.actor, event.from_state, event.to_state, event.comment) == (
        world.clerk,
        "draft",
        "draft",
        "Kính trình",
    )
    assert Submission.objects.get(pk=submission.pk).status == S.DRAFT


def test_an_empty_dossier_is_not_sent(world):
    submission, _noms = dossier(world)
    with nothing_written(), pytest.raises(ValidationError) as error:
        review.submission_send_to_head(submission=submission, actor=world.clerk)
    assert error.value.code == "empty" and messages(error) == "Hồ sơ chưa có đề nghị nào."


def test_a_dossier_missing_required_documents_is_not_sent_and_says_which(world):
    submission, (lan, hai) = dossier(world, "Nguyễn Thị Lan", "Trần Văn Hai", documents=False)
    dossiers.attachment_add(submission=submission, upload=pdf(), kind="review_minutes", actor=world.clerk)
    dossiers.attachment_add(
        submission=submission, upload=pdf(), kind="achievement_report", nomination=lan, actor=world.clerk
    )
    with nothing_written(), pytest.raises(ValidationError) as error:
        review.submission_send_to_head(submission=submission, actor=world.clerk)
    assert error.value.code == "missing_documents"
    assert messages(error) == "Hồ sơ còn thiếu tài liệu bắt buộc: Trần Văn Hai: Báo cáo thành tích"


def test_a_submitted_dossier_is_not_sent_again(world):
    submission, _noms = submitted(world, "Nguyễn Thị Lan")
    with nothing_written(), pytest.raises(ValidationError) as error:
        review.submission_send_to_head(submission=submission, actor=world.clerk)
    assert error.value.code == "wrong_state" and "Đã trình" in messages(error)


# --- the head


def test_the_head_submits_the_dossier_and_its_nominations(world):
    submission, _noms = dossier(world, "Nguyễn Thị Lan", "Trần Văn Hai")
    groups_before = set(get_groups_with_perms(submission))
    review.submission_head_decide(submission=submission, actor=world.head, submit=True, comment="Đồng ý")
    submission = Submission.objects.get(pk=submission.pk)
    assert submission.status == S.SUBMITTED and submission.submitted_at
    assert set(statuses(submission).values()) == {N.SUBMITTED}
    event = last_event(audit.SUBMISSION_SUBMITTED, submission)
    assert (event.actor, event.from_state, event.to_state, event.comment) == (
        world.head,
        "draft",
        "submitted",
        "Đồng ý",
    )
    # Shared upwards: the standing body's reviewers of the issuer now see it.
    assert len(set(get_groups_with_perms(submission)) - groups_before) == 1


def test_the_head_returns_the_dossier_only_with_a_reason(world):
    submission, _noms = dossier(world, "Nguyễn Thị Lan")
    with nothing_written(), pytest.raises(ValidationError) as error:
        review.submission_head_decide(submission=submission, actor=world.head, submit=False, comment="  ")
    assert error.value.message_dict == {"comment": ["Cần ghi rõ lý do trả lại hồ sơ."]}
    review.submission_head_decide(submission=submission, actor=world.head, submit=False, comment="Bổ sung số liệu")
    event = last_event(audit.SUBMISSION_RETURNED, submission)
    assert (event.actor, event.from_state, event.to_state, event.comment) == (
        world.head,
        "draft",
        "draft",
        "Bổ sung số liệu",
    )
    assert Submission.objects.get(pk=submission.pk).status == S.DRAFT


def test_the_head_cannot_submit_after_the_deadline(world):
    submission, _noms = dossier(world, "Nguyễn Thị Lan")
    Campaign.objects.filter(pk=world.campaign.pk).update(nomination_deadline=world.today - DAY)
    with nothing_written(), pytest.raises(ValidationError) as error:
        review.submission_head_decide(submission=submission, actor=world.head, submit=True)
    assert error.value.code == "deadline_passed" and "Đã quá hạn nộp hồ sơ đề nghị" in messages(error)


def test_the_head_cannot_submit_to_an_issuer_dissolved_since(world):
    submission, _noms = dossier(world, "Nguyễn Thị Lan")
    world.city.valid_to = world.today - DAY
    world.city.save()
    with nothing_written(), pytest.raises(ValidationError) as error:
        review.submission_head_decide(submission=submission, actor=world.head, submit=True)
    assert error.value.code == "issuer_not_in_force"


def test_the_head_decides_only_on_a_draft(world):
    submission, _noms = submitted(world, "Nguyễn Thị Lan")
    with nothing_written(), pytest.raises(ValidationError) as error:
        review.submission_head_decide(submission=submission, actor=world.head, submit=True)
    assert error.value.code == "wrong_state"


# --- the ward


def test_the_ward_endorses_a_dossier_of_a_unit_under_it(world):
    submission, _noms = submitted(world, "Nông Thị Hạnh", unit=world.group)
    assert submission.needs_ward_review
    review.submission_ward_decide(submission=submission, actor=world.ward_officer, endorse=True, comment="Đồng ý")
    event = last_event(audit.SUBMISSION_WARD_ENDORSED, submission)
    assert (event.actor, event.from_state, event.to_state) == (world.ward_officer, "submitted", "submitted")
    assert Submission.objects.get(pk=submission.pk).status == S.SUBMITTED


def test_the_ward_returns_a_dossier_to_draft_with_a_reason(world):
    submission, _noms = submitted(world, "Nông Thị Hạnh", unit=world.group)
    with nothing_written(), pytest.raises(ValidationError) as error:
        review.submission_ward_decide(submission=submission, actor=world.ward_officer, endorse=False, comment="")
    assert error.value.message_dict == {"comment": ["Cần ghi rõ lý do trả lại hồ sơ."]}
    review.submission_ward_decide(submission=submission, actor=world.ward_officer, endorse=False, comment="Sai mẫu")
    submission.refresh_from_db()
    assert submission.status == S.DRAFT and set(statuses(submission).values()) == {N.DRAFT}
    event = last_event(audit.SUBMISSION_RETURNED, submission)
    assert (event.from_state, event.to_state, event.comment) == ("submitted", "draft", "Sai mẫu")


def test_the_ward_decides_only_on_a_submitted_dossier(world):
    submission, _noms = dossier(world, "Nông Thị Hạnh", unit=world.group)
    with nothing_written(), pytest.raises(ValidationError) as error:
        review.submission_ward_decide(submission=submission, actor=world.ward_officer, endorse=True)
    assert error.value.code == "wrong_state"


# --- appraisal


def test_appraisal_sets_each_nomination_and_audits_each_with_before_and_after(world):
    submission, (a, b, c) = submitted(world, "A", "B", "C")
    _sub, outcome = review.submission_review(
        submission=submission,
        actor=world.reviewer,
        decisions={a.pk: ("accept", ""), b.pk: ("complete", "Thiếu xác nhận"), c.pk: ("reject", "Chưa đủ chuẩn")},
        comment="Thẩm định lần 1",
    )
    assert outcome == review.COMPLETE
    rows = {n.pk: (n.status, n.missing_items, n.outcome_reason) for n in submission.nominations.all()}
    assert rows == {
        a.pk: (N.ACCEPTED, "", ""),
        b.pk: (N.NEEDS_COMPLETION, "Thiếu xác nhận", ""),
        c.pk: (N.REJECTED, "", "Chưa đủ chuẩn"),
    }
    events = {
        e.target_id: e
        for e in audit.timeline(f"submission:{submission.pk}")
        if e.event_type == audit.NOMINATION_REVIEWED
    }
    assert {k: (e.actor, e.from_state, e.to_state, e.data["decision"], e.comment) for k, e in events.items()} == {
        str(a.pk): (world.reviewer, "submitted", "accepted", "accept", ""),
        str(b.pk): (world.reviewer, "submitted", "needs_completion", "complete", "Thiếu xác nhận"),
        str(c.pk): (world.reviewer, "submitted", "rejected", "reject", "Chưa đủ chuẩn"),
    }
    event = last_event(audit.SUBMISSION_UPDATED, submission)
    assert (event.from_state, event.to_state, event.data, event.comment) == (
        "submitted",
        "in_review",
        {"review_rounds": 1},
        "Thẩm định lần 1",
    )


def test_appraisal_without_completion_returns_accept(world):
    submission, (a, b) = submitted(world, "A", "B")
    _sub, outcome = review.submission_review(
        submission=submission, actor=world.reviewer, decisions={a.pk: ("accept", ""), b.pk: ("reject", "Trùng")}
    )
    assert outcome == review.ACCEPT and Submission.objects.get(pk=submission.pk).review_rounds == 0


@pytest.mark.parametrize(
    ("decisions", "code", "text"),
    [
        ("one_missing", "incomplete", "Cần cho ý kiến thẩm định đối với tất cả các đề nghị đang chờ."),
        ("unknown_choice", "invalid", "Ý kiến thẩm định không hợp lệ."),
        ("completion_without_note", "note_required", "Cần ghi rõ nội dung cần bổ sung hoặc lý do không đạt"),
        ("reject_without_note", "note_required", "Cần ghi rõ nội dung cần bổ sung hoặc lý do không đạt"),
        ("a_foreign_nomination", "incomplete", "Cần cho ý kiến thẩm định đối với tất cả"),
    ],
)
def test_an_incomplete_or_invalid_appraisal_writes_nothing(world, decisions, code, text):
    submission, (a, b) = submitted(world, "A", "B")
    _other, (foreign,) = submitted(world, "X")
    given = {
        "one_missing": {a.pk: ("accept", "")},
        "unknown_choice": {a.pk: ("accept", ""), b.pk: ("approve", "")},
        "completion_without_note": {a.pk: ("accept", ""), b.pk: ("complete", " ")},
        "reject_without_note": {a.pk: ("accept", ""), b.pk: ("reject", "")},
        "a_foreign_nomination": {a.pk: ("accept", ""), b.pk: ("accept", ""), foreign.pk: ("accept", "")},
    }[decisions]
    with nothing_written(), pytest.raises(ValidationError) as error:
        review.submission_review(submission=submission, actor=world.reviewer, decisions=given)
    assert error.value.code == code and text in messages(error)


def test_appraisal_only_of_a_submitted_dossier(world):
    submission, (a,) = dossier(world, "A")
    with nothing_written(), pytest.raises(ValidationError) as error:
        review.submission_review(submission=submission, actor=world.reviewer, decisions={a.pk: ("accept", "")})
    assert error.value.code == "wrong_state" and "Đang soạn" in messages(error)


# --- completion rounds


def complete_round(world, submission, nomination, note="Thiếu xác nhận"):
    review.submission_review(submission=submission, actor=world.reviewer, decisions={nomination.pk: ("complete", note)})
    review.submission_complete(submission=submission, actor=world.clerk, comment="Đã bổ sung")


def test_completing_returns_the_nominations_to_the_reviewer_and_is_audited(world):
    submission, (a, b) = submitted(world, "A", "B")
    review.submission_review(
        submission=submission, actor=world.reviewer, decisions={a.pk: ("accept", ""), b.pk: ("complete", "Thiếu")}
    )
    review.submission_complete(submission=submission, actor=world.clerk, comment="Đã bổ sung")
    assert statuses(submission) == {"A": N.ACCEPTED, "B": N.SUBMITTED}
    moved = last_event(audit.NOMINATION_UPDATED, b)
    assert (moved.actor, moved.from_state, moved.to_state, moved.comment) == (
        world.clerk,
        "needs_completion",
        "submitted",
        "Đã bổ sung",
    )
    done = last_event(audit.SUBMISSION_COMPLETED, submission)
    assert (done.from_state, done.to_state) == ("in_review", "in_review")
    # Only the nomination sent back is appraised again.
    review.submission_review(submission=submission, actor=world.reviewer, decisions={b.pk: ("accept", "")})
    assert statuses(submission) == {"A": N.ACCEPTED, "B": N.ACCEPTED}


def test_nothing_to_complete_is_refused(world):
    submission, (a,) = submitted(world, "A")
    review.submission_review(submission=submission, actor=world.reviewer, decisions={a.pk: ("accept", "")})
    with nothing_written(), pytest.raises(ValidationError) as error:
        review.submission_complete(submission=submission, actor=world.clerk)
    assert error.value.code == "nothing_to_complete" and messages(error) == "Không có đề nghị nào cần bổ sung."


def test_completing_only_a_dossier_in_review(world):
    submission, _noms = submitted(world, "A")
    with nothing_written(), pytest.raises(ValidationError) as error:
        review.submission_complete(submission=submission, actor=world.clerk)
    assert error.value.code == "wrong_state"


def test_completion_requests_stop_at_the_rule_sets_limit(world):
    submission, (a,) = submitted(world, "A")
    complete_round(world, submission, a)
    assert Submission.objects.get(pk=submission.pk).review_rounds == 1
    with nothing_written(), pytest.raises(ValidationError) as error:
        review.submission_review(submission=submission, actor=world.reviewer, decisions={a.pk: ("complete", "Nữa")})
    assert error.value.code == "completion_limit"
    assert messages(error) == (
        "Đã yêu cầu bổ sung hồ sơ 1 lần; quy định chỉ cho phép 1 lần. Hãy kết luận đạt hoặc không đạt."
    )
    # Concluding is still possible.
    review.submission_review(submission=submission, actor=world.reviewer, decisions={a.pk: ("reject", "Không bổ sung")})
    assert statuses(submission) == {"A": N.REJECTED}


def test_a_rule_set_may_allow_more_rounds(world):
    world.rule.completion_requests_limit = 2
    world.rule.save()
    submission, (a,) = submitted(world, "A")
    complete_round(world, submission, a)
    complete_round(world, submission, a, note="Thiếu lần hai")
    assert Submission.objects.get(pk=submission.pk).review_rounds == 2
    with pytest.raises(ValidationError) as error:
        review.submission_review(submission=submission, actor=world.reviewer, decisions={a.pk: ("complete", "Ba")})
    assert "quy định chỉ cho phép 2 lần" in messages(error)


def test_a_limit_of_zero_means_no_limit(world):
    world.rule.completion_requests_limit = 0
    world.rule.save()
    submission, (a,) = submitted(world, "A")
    for round_ in range(3):
        complete_round(world, submission, a, note=f"Thiếu lần {round_ + 1}")
    assert Submission.objects.get(pk=submission.pk).review_rounds == 3


def test_a_limit_from_a_rule_set_no_longer_in_force_does_not_apply(world):
    """The rule set replaced yesterday allowed one request; today's allows two."""
    from nominations.models import AwardRuleSet

    world.rule.valid_to = world.today - DAY
    world.rule.save()
    AwardRuleSet.objects.create(
        award_type=world.award,
        valid_from=world.today,
        authority_level=2,
        recipient_kinds=["individual"],
        required_documents=world.rule.required_documents,
        completion_requests_limit=2,
    )
    submission, (a,) = submitted(world, "A")
    complete_round(world, submission, a)
    complete_round(world, submission, a, note="Thiếu lần hai")
    assert Submission.objects.get(pk=submission.pk).review_rounds == 2
