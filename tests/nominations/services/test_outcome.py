"""nominations.services.outcome, called directly: the dossier after the council, and its final outcome.

Also the "dropped nomination" of issue 14 through the services: a dossier with A accepted and B sent back for
completion; A cannot go to a council while B is out; B is then rejected; A passes the council and goes on to
the chairman — it never ends "not awarded".
"""

import pytest
from django.core.exceptions import ValidationError
from guardian.shortcuts import get_groups_with_perms

from nominations.models import Council, CouncilMember, Nomination, Submission
from nominations.selectors import ready_for_council
from nominations.services import council, outcome, review
from workflow import audit

from .world import START, build, dossier, last_event, nothing_written

S, N = Submission.Status, Nomination.Status


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build()


def appraised(world, decisions: dict) -> tuple[Submission, dict]:
    """A submitted dossier with one nomination per name, appraised as ``decisions`` (name → (choice, note))."""
    submission, nominations = dossier(world, *decisions)
    review.submission_head_decide(submission=submission, actor=world.head, submit=True)
    by_name = {n.candidate.name: n for n in nominations}
    review.submission_review(
        submission=submission,
        actor=world.reviewer,
        decisions={by_name[name].pk: choice for name, choice in decisions.items()},
    )
    return Submission.objects.get(pk=submission.pk), by_name


def status_of(nomination) -> str:
    return Nomination.objects.get(pk=nomination.pk).status


# --- after the council


def test_the_councils_result_is_recorded_on_the_dossier(world):
    submission, names = appraised(world, {"A": ("accept", ""), "B": ("reject", "Trùng")})
    Nomination.objects.filter(pk=names["A"].pk).update(status=N.COUNCIL_PASSED)
    outcome.submission_council_decided(submission=submission)
    assert Submission.objects.get(pk=submission.pk).status == S.IN_COUNCIL
    event = last_event(audit.SUBMISSION_UPDATED, submission)
    assert (event.actor, event.from_state, event.to_state) == (None, "in_review", "in_council")
    assert event.data == {"council_results": {str(names["A"].pk): "council_passed", str(names["B"].pk): "rejected"}}


def test_going_to_the_chairman_lets_the_leaders_see_the_dossier(world):
    submission, _names = appraised(world, {"A": ("accept", "")})
    outcome.submission_council_decided(submission=submission)
    groups = set(get_groups_with_perms(submission))
    outcome.submission_to_chairman(submission=submission)
    assert Submission.objects.get(pk=submission.pk).status == S.AT_CHAIRMAN
    assert len(set(get_groups_with_perms(submission)) - groups) == 1
    event = last_event(audit.SUBMISSION_UPDATED, submission)
    assert (event.from_state, event.to_state) == ("in_council", "at_chairman")


# --- the final outcome


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        (N.DRAFT, "Hồ sơ chưa được trình"),
        (N.SUBMITTED, "Hồ sơ chưa được thẩm định"),
        (N.NEEDS_COMPLETION, "Đơn vị không bổ sung hồ sơ theo yêu cầu"),
        (N.ACCEPTED, "Hội đồng chưa xét"),
        (N.REJECTED, "Không đạt thẩm định"),
        (N.COUNCIL_FAILED, "Hội đồng không thông qua"),
    ],
)
def test_a_nomination_left_without_an_award_is_closed_with_a_reason(world, state, reason):
    submission, names = appraised(world, {"A": ("accept", "")})
    Nomination.objects.filter(pk=names["A"].pk).update(status=state, outcome_reason="")
    outcome.submission_finalise(submission=submission)
    nomination = Nomination.objects.get(pk=names["A"].pk)
    assert (nomination.status, nomination.outcome_reason) == (N.NOT_AWARDED, reason)
    event = last_event(audit.NOMINATION_FINALISED, nomination)
    assert (event.from_state, event.to_state, event.comment) == (state, N.NOT_AWARDED, reason)


def test_the_reason_given_earlier_is_kept(world):
    submission, names = appraised(world, {"A": ("reject", "Thành tích chưa đủ tiêu chuẩn")})
    outcome.submission_finalise(submission=submission)
    assert Nomination.objects.get(pk=names["A"].pk).outcome_reason == "Thành tích chưa đủ tiêu chuẩn"


def test_what_the_chairmans_decision_settled_is_left_as_it_is(world):
    submission, names = appraised(world, {"A": ("accept", ""), "B": ("accept", ""), "C": ("accept", "")})
    settled = {"A": N.AWARDED, "B": N.NOT_AWARDED, "C": N.REVOKED}
    for name, state in settled.items():
        Nomination.objects.filter(pk=names[name].pk).update(status=state, outcome_reason=f"Lý do {name}")
    outcome.submission_finalise(submission=submission)
    assert {name: status_of(n) for name, n in names.items()} == settled
    assert not audit.timeline(f"submission:{submission.pk}").filter(event_type=audit.NOMINATION_FINALISED).exists()
    event = last_event(audit.SUBMISSION_DECIDED, submission)
    assert (event.from_state, event.to_state) == ("in_review", "decided")
    assert Submission.objects.get(pk=submission.pk).status == S.DECIDED


# --- issue 14: no nomination dropped


def seated_council(world, members=3) -> tuple[Council, list[CouncilMember]]:
    from django.contrib.auth import get_user_model

    body = Council.objects.create(issuer=world.city, name="Hội đồng Thi đua – Khen thưởng thành phố Dịch Vụ")
    seats = [
        CouncilMember.objects.create(
            council=body,
            user=get_user_model().objects.create_user(f"tv-dv-{i}"),
            valid_from=START,
            position="chair" if i == 0 else "member",
        )
        for i in range(members)
    ]
    return body, seats


def open_session(world, body, seats, nominations):
    return council.session_open(
        council=body,
        campaign=world.campaign,
        title="Phiên họp",
        held_on=world.today,
        place="Hội trường",
        nominations=nominations,
        present=seats,
        actor=world.reviewer,
    )


def test_a_nomination_the_council_passed_is_not_dropped_when_its_sibling_is_rejected_after_completion(world):
    submission, names = appraised(world, {"A": ("accept", ""), "B": ("complete", "Thiếu xác nhận")})
    a, b = names["A"], names["B"]
    body, seats = seated_council(world)

    # While B is out for completion, A's dossier is not ready for a council: refused, nothing written.
    assert not ready_for_council(Nomination.objects.filter(pk=a.pk)).exists()
    with nothing_written(), pytest.raises(ValidationError) as error:
        open_session(world, body, seats, [Nomination.objects.get(pk=a.pk)])
    assert "chưa thẩm định xong" in error.value.message_dict["nominations"][0]

    # B is completed, then rejected: A is still accepted and now ready.
    review.submission_complete(submission=submission, actor=world.clerk)
    _sub, result = review.submission_review(
        submission=submission, actor=world.reviewer, decisions={b.pk: ("reject", "Không đạt")}
    )
    assert result == review.ACCEPT and status_of(a) == N.ACCEPTED
    assert list(ready_for_council(Nomination.objects.filter(submission=submission))) == [a]

    # A passes the council and the dossier goes to the chairman with A council-passed.
    session = open_session(world, body, seats, [Nomination.objects.get(pk=a.pk)])
    for member in seats:
        items = council.ballot_items(session, member)
        council.ballot_cast(session=session, member=member, choices={i.pk: "agree" for i in items})
    council.voting_close(session=session)
    assert council.session_conclude(session=session) == [submission.pk]
    outcome.submission_council_decided(submission=submission)
    outcome.submission_to_chairman(submission=submission)
    assert (status_of(a), status_of(b)) == (N.COUNCIL_PASSED, N.REJECTED)
    assert Submission.objects.get(pk=submission.pk).status == S.AT_CHAIRMAN
    assert (
        not audit.timeline(f"submission:{submission.pk}")
        .filter(event_type=audit.NOMINATION_FINALISED, target_id=str(a.pk))
        .exists()
    )
