"""Council rules: quorum, thresholds and their base, recusal, abstentions, rounds, written votes, secrecy."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from nominations.models import (
    AgendaItem,
    AwardRuleSet,
    BallotCast,
    BallotReceipt,
    CouncilMember,
    CouncilSession,
    Recusal,
    SecretVote,
)
from nominations.services import council as svc

from .council_factory import DAY, build

R = AgendaItem.Result


def open_session(council, seats, secretary, nominations, campaign, present=None, held_on=None):
    present = seats if present is None else present
    return svc.session_open(
        council=council,
        campaign=campaign,
        title="Phiên họp",
        held_on=held_on or timezone.localdate(),  # a session is held near today
        place="Hội trường",
        nominations=nominations,
        present=present,
        actor=secretary.user,
    )


def vote_all(session, seats, pattern):
    """``pattern``: list of choices per member (same for every item) or dicts item number → choice."""
    receipts = []
    for member, choice in zip(seats, pattern, strict=False):
        items = svc.ballot_items(session, member)
        choices = {i.pk: (choice[i.number] if isinstance(choice, dict) else choice) for i in items}
        receipts.append(svc.ballot_cast(session=session, member=member, choices=choices))
    return receipts


def item(session, number=1):
    return session.items.get(number=number)


def test_quorum_failure_is_refused_with_a_message(db):
    council, seats, secretary, noms, campaign = build(members=9)
    with pytest.raises(ValidationError) as err:
        open_session(council, seats, secretary, noms, campaign, present=seats[:5])  # 5/9 < 2/3
    assert "Không đủ số thành viên dự họp: 5/9" in err.value.messages[0]
    assert not council.sessions.exists()


def test_threshold_on_present_members(db):
    council, seats, secretary, noms, campaign = build(members=9, nominations=1, vote_base="present")
    session = open_session(council, seats, secretary, noms, campaign, present=seats[:7])
    vote_all(session, seats[:7], ["agree"] * 5 + ["disagree"] * 2)  # 5/7 = 71% ≥ 70%
    svc.voting_close(session=session)
    it = item(session)
    assert (it.agree, it.disagree, it.base, it.result) == (5, 2, 7, R.PASSED)


def test_threshold_on_all_members(db):
    council, seats, secretary, noms, campaign = build(members=9, nominations=1, vote_base="all")
    session = open_session(council, seats, secretary, noms, campaign, present=seats[:7])
    vote_all(session, seats[:7], ["agree"] * 5 + ["disagree"] * 2)  # 5/9 = 56% < 70%
    svc.voting_close(session=session)
    it = item(session)
    assert (it.base, it.result) == (9, R.FAILED)
    assert "5 tán thành, 2 không tán thành, 0 không biểu quyết / 9" in svc.tally_reason(it)


def test_abstentions_count_in_the_base_but_not_for(db):
    council, seats, secretary, noms, campaign = build(members=9, nominations=1)
    session = open_session(council, seats, secretary, noms, campaign)
    vote_all(session, seats, ["agree"] * 6 + ["abstain"] * 3)  # 6/9 = 67% < 70%
    svc.voting_close(session=session)
    it = item(session)
    assert (it.agree, it.abstain, it.base, it.result) == (6, 3, 9, R.FAILED)


def test_automatic_recusal_of_the_candidate_and_of_the_proposing_unit(db):
    council, seats, secretary, noms, campaign = build(members=9, nominations=2)
    noms[0].candidate.user = seats[1].user
    noms[0].candidate.save()
    from nominations.models import Membership

    Membership.objects.create(user=seats[2].user, unit=noms[1].submission.unit, role="unit_head", valid_from=DAY)
    session = open_session(council, seats, secretary, noms, campaign)
    first, second = item(session, 1), item(session, 2)
    assert set(first.recusals.values_list("member", flat=True)) == {seats[1].pk, seats[2].pk}
    assert all(r.automatic for r in Recusal.objects.all())
    assert first not in svc.ballot_items(session, seats[1])
    # Recused members leave the base: 7 votes on item 1 → base 7.
    vote_all(session, seats, ["agree"] * 9)
    svc.voting_close(session=session)
    first.refresh_from_db()
    assert (first.agree, first.base, first.result) == (7, 7, R.PASSED)
    assert second.recusals.count() == 1  # the proposing unit's member only


def test_a_ballot_must_not_include_a_recused_item(db):
    council, seats, secretary, noms, campaign = build(members=9, nominations=1)
    session = open_session(council, seats, secretary, noms, campaign)
    svc.recusal_declare(item=item(session), member=seats[3], reason="Là người thân của người được đề nghị")
    with pytest.raises(ValidationError):
        svc.ballot_cast(session=session, member=seats[3], choices={item(session).pk: "agree"})
    assert not BallotCast.objects.filter(member=seats[3]).exists()
    assert svc.ballot_items(session, seats[3]).count() == 0


def test_declared_recusal_needs_a_reason_and_comes_before_voting(db):
    council, seats, secretary, noms, campaign = build(members=9, nominations=1)
    session = open_session(council, seats, secretary, noms, campaign)
    with pytest.raises(ValidationError):
        svc.recusal_declare(item=item(session), member=seats[4], reason=" ")
    vote_all(session, [seats[4]], ["agree"])
    with pytest.raises(ValidationError, match="Đã bỏ phiếu"):
        svc.recusal_declare(item=item(session), member=seats[4], reason="Xung đột lợi ích")


def test_a_member_votes_once_per_round(db):
    council, seats, secretary, noms, campaign = build(members=9, nominations=1)
    session = open_session(council, seats, secretary, noms, campaign)
    vote_all(session, [seats[0]], ["agree"])
    with pytest.raises(ValidationError, match="mỗi người chỉ có một phiếu"):
        vote_all(session, [seats[0]], ["disagree"])
    assert BallotCast.objects.filter(member=seats[0]).count() == 1
    svc.voting_close(session=session)
    assert SecretVote.objects.count() == 1 and SecretVote.objects.get().choice == "agree"


def test_tie_goes_to_a_second_round(db):
    council, seats, secretary, noms, campaign = build(members=8, nominations=2)
    session = open_session(council, seats, secretary, noms, campaign)
    vote_all(session, seats, [{1: "agree", 2: "agree"}] * 4 + [{1: "disagree", 2: "agree"}] * 4)
    svc.voting_close(session=session)
    assert item(session, 1).result == R.TIE and item(session, 2).result == R.PASSED
    session = svc.second_round_open(session=session, actor=secretary.user)
    assert session.round == 2
    assert [i.number for i in svc.ballot_items(session, seats[0])] == [1]  # only the tied item
    vote_all(session, seats, ["agree"] * 6 + ["disagree"] * 2)
    svc.voting_close(session=session)
    assert item(session, 1).result == R.PASSED and item(session, 1).agree == 6
    assert item(session, 2).result == R.PASSED  # untouched by round 2


def test_written_votes_of_absent_members(db):
    council, seats, secretary, noms, campaign = build(
        members=9, nominations=1, written_votes_allowed=True, vote_base="present"
    )
    session = open_session(council, seats, secretary, noms, campaign, present=seats[:6])
    vote_all(session, seats[:6], ["agree"] * 4 + ["disagree"] * 2)
    for absent in seats[6:]:
        svc.ballot_cast(
            session=session, member=absent, choices={item(session).pk: "agree"}, written=True, entered_by=secretary.user
        )
    svc.voting_close(session=session)
    it = item(session)
    assert (it.agree, it.base, it.result) == (7, 9, R.PASSED)  # 7/9 = 78%
    assert BallotCast.objects.filter(written=True).count() == 3


def test_written_votes_refused_when_the_rule_set_does_not_allow_them(db):
    council, seats, secretary, noms, campaign = build(members=9, nominations=1, written_votes_allowed=False)
    session = open_session(council, seats, secretary, noms, campaign, present=seats[:6])
    with pytest.raises(ValidationError, match="không được bỏ phiếu"):
        svc.ballot_cast(
            session=session,
            member=seats[7],
            choices={item(session).pk: "agree"},
            written=True,
            entered_by=secretary.user,
        )


def test_open_ballot_is_attributable(db):
    council, seats, secretary, noms, campaign = build(members=9, nominations=1, ballot="open")
    session = open_session(council, seats, secretary, noms, campaign)
    vote_all(session, seats, ["agree"] * 9)
    assert not SecretVote.objects.exists()
    assert set(item(session).open_votes.values_list("member", flat=True)) == {m.pk for m in seats}


def test_secrecy_no_table_joins_a_choice_to_a_member(db):
    """After a secret session of 9 members, read the raw tables: nothing links a choice to a voter."""
    council, seats, secretary, noms, campaign = build(members=9, nominations=2)
    session = open_session(council, seats, secretary, noms, campaign)
    pattern = [{1: "agree", 2: "disagree"}, {1: "disagree", 2: "agree"}, {1: "abstain", 2: "agree"}] + [
        {1: "agree", 2: "agree"}
    ] * 6
    receipts = vote_all(session, seats, pattern)
    svc.voting_close(session=session)

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM nominations_secretvote")
        vote_columns = [c[0] for c in cursor.description]
        vote_rows = cursor.fetchall()
        cursor.execute("SELECT * FROM nominations_ballotreceipt")
        receipt_columns = [c[0] for c in cursor.description]
    # No column that could hold a member, a user, a time or a sequence.
    assert set(vote_columns) == {"id", "item_id", "round", "choice"}
    assert set(receipt_columns) == {"id", "session_id", "round", "code"}
    assert len(vote_rows) == 18
    # Ids are random UUIDs, unrelated to the order of casting.
    cast_order = list(BallotCast.objects.order_by("pk").values_list("member_id", flat=True))
    assert cast_order == [m.pk for m in seats]
    # The stored order of votes after the close is a shuffle, not the casting order.
    stored = [
        row[vote_columns.index("choice")]
        for row in vote_rows
        if str(row[vote_columns.index("item_id")]) == str(item(session, 1).pk)
    ]
    assert sorted(stored) == sorted(p[1] for p in pattern)
    # Receipts are published for the members to check, and say nothing about choices.
    assert set(BallotReceipt.objects.values_list("code", flat=True)) == set(receipts)
    # The audit trail records who voted, never what a secret ballot chose.
    from workflow.models import AuditEvent

    cast_events = AuditEvent.objects.filter(event_type="council.ballot_cast")
    assert cast_events.count() == 9
    assert all("choices" not in e.data for e in cast_events)
    # And the count is right.
    it = item(session, 1)
    assert (it.agree, it.disagree, it.abstain) == (7, 1, 1)


def test_only_present_members_of_this_council_vote(db):
    council, seats, secretary, noms, campaign = build(members=9, nominations=1)
    session = open_session(council, seats, secretary, noms, campaign, present=seats[:7])
    absent = seats[8]
    with pytest.raises(ValidationError, match="không được bỏ phiếu"):
        svc.ballot_cast(session=session, member=absent, choices={item(session).pk: "agree"})
    outsider = CouncilMember(pk=10**6)
    with pytest.raises(ValidationError):
        svc.ballot_cast(session=session, member=outsider, choices={item(session).pk: "agree"})
    assert not BallotCast.objects.exists()


def test_a_nomination_is_on_one_open_session_at_a_time(db):
    council, seats, secretary, noms, campaign = build(members=3, nominations=2)
    open_session(council, seats, secretary, noms[:1], campaign)
    with pytest.raises(ValidationError) as err:
        open_session(council, seats, secretary, noms, campaign)
    (message,) = err.value.message_dict["nominations"]
    assert message == "Đề nghị đang được xét tại một phiên họp chưa kết thúc: Người được đề nghị 0."
    assert council.sessions.count() == 1
    # Not on any open session: the other nomination may have a session of its own.
    assert open_session(council, seats, secretary, noms[1:], campaign).items.count() == 1


def test_a_concluded_session_frees_its_agenda(db):
    council, seats, secretary, noms, campaign = build(members=3, nominations=1)
    first = open_session(council, seats, secretary, noms, campaign)
    CouncilSession.objects.filter(pk=first.pk).update(status=CouncilSession.Status.CLOSED)
    assert open_session(council, seats, secretary, noms, campaign).items.count() == 1


@pytest.mark.parametrize("held_on", [datetime.date(2001, 1, 1), datetime.date(2099, 12, 31), -31, 366])
def test_a_session_is_held_near_today(db, held_on):
    today = timezone.localdate()
    if isinstance(held_on, int):  # days from today
        held_on = today + datetime.timedelta(days=held_on)
    council, seats, secretary, noms, campaign = build(members=3)
    with pytest.raises(ValidationError) as err:
        open_session(council, seats, secretary, noms, campaign, held_on=held_on)
    earliest, latest = today - datetime.timedelta(days=30), today + datetime.timedelta(days=365)
    assert err.value.message_dict == {
        "held_on": [f"Ngày họp phải trong khoảng từ {earliest:%d/%m/%Y} đến {latest:%d/%m/%Y}."]
    }
    assert not council.sessions.exists()


@pytest.mark.parametrize("days", [-30, 365])
def test_the_window_includes_its_ends(db, days):
    council, seats, secretary, noms, campaign = build(members=3)
    held_on = timezone.localdate() + datetime.timedelta(days=days)
    assert open_session(council, seats, secretary, noms, campaign, held_on=held_on).held_on == held_on


def test_a_day_without_rules_in_force_is_a_field_error(db):
    council, seats, secretary, noms, campaign = build(members=3)
    AwardRuleSet.objects.update(valid_to=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as err:
        open_session(council, seats, secretary, noms, campaign)
    assert "Không có quy định nào của" in err.value.message_dict["held_on"][0]
    assert not council.sessions.exists()


def test_the_ballots_audit_event_names_the_members_own_user_whoever_is_given_as_the_voter(db):
    """A ballot sent reads no member row (s26ballot): the service names the request's user only when the session's
    statement says it is the member's own; any other user given as the voter is not named, the member's is."""
    from django.contrib.auth import get_user_model

    from workflow import audit
    from workflow.models import AuditEvent

    council, seats, secretary, noms, campaign = build(members=3, nominations=2)
    session = open_session(council, seats, secretary, noms, campaign)
    choices = {i.pk: "agree" for i in session.items.all()}
    member = CouncilMember(pk=seats[0].pk)  # its id only, as a ballot sent gives it
    member._state.adding = False
    svc.ballot_cast(session=CouncilSession(pk=session.pk), member=member, choices=choices, voter=seats[0].user)
    stranger = get_user_model().objects.create_user("khong-phai-thanh-vien")
    svc.ballot_cast(session=session, member=seats[1], choices=choices, voter=stranger)
    events = AuditEvent.objects.filter(event_type=audit.COUNCIL_BALLOT_CAST).order_by("pk")
    assert [(e.actor_id, e.data["member"]) for e in events] == [
        (seats[0].user_id, seats[0].pk),
        (seats[1].user_id, seats[1].pk),
    ]


def test_a_ballot_is_checked_against_the_members_items_read_with_the_session(db):
    """The items a ballot must cover are the member's (recused ones left out), whichever statement reads them."""
    council, seats, secretary, noms, campaign = build(members=3, nominations=3)
    session = open_session(council, seats, secretary, noms, campaign)
    first, second, third = session.items.order_by("number")
    svc.recusal_declare(item=second, member=seats[0], reason="Người thân")
    with pytest.raises(ValidationError) as refused:
        svc.ballot_cast(session=session, member=seats[0], choices={i.pk: "agree" for i in (first, second, third)})
    assert refused.value.code == "invalid_ballot"
    svc.ballot_cast(session=session, member=seats[0], choices={first.pk: "agree", third.pk: "disagree"})
    assert BallotCast.objects.filter(session=session, member=seats[0]).count() == 1
