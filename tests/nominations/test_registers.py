"""Registers of the Tờ trình and the minutes: a number per issuer and year from 01, taken once, never again."""

import datetime

import time_machine
from django.contrib.auth import get_user_model

from nominations.models import DocumentCounter, Membership, Role
from nominations.services import council as svc
from nominations.services import decisions
from nominations.services.decision_documents import letter_data
from nominations.services.minutes import minutes_data

from .council_factory import build
from .decision_factory import build_signed_decision
from .test_council import open_session, vote_all


def test_the_minutes_take_a_number_when_voting_first_closes_and_keep_it_through_a_second_round(db):
    council, seats, secretary, noms, campaign = build(members=8, nominations=2)
    session = open_session(council, seats, secretary, noms, campaign)
    assert minutes_data(session).number == "/BB-HĐTĐKT"  # nothing issued while voting
    vote_all(session, seats, [{1: "agree", 2: "agree"}] * 4 + [{1: "disagree", 2: "agree"}] * 4)
    svc.voting_close(session=session)
    session.refresh_from_db()
    assert minutes_data(session).number == "01/BB-HĐTĐKT"  # not the session's primary key
    session = svc.second_round_open(session=session, actor=secretary.user)
    vote_all(session, seats, ["agree"] * 8)
    svc.voting_close(session=session)
    session.refresh_from_db()
    assert session.minutes_number == 1
    assert DocumentCounter.objects.get(issuer=council.issuer, doc_type="BB").last_number == 1


def test_the_minutes_register_restarts_each_year(db):
    council, seats, secretary, noms, campaign = build(members=3, nominations=3)
    numbers = []
    for day, nomination in zip(
        (datetime.date(2026, 12, 30), datetime.date(2026, 12, 31), datetime.date(2027, 1, 2)), noms, strict=True
    ):
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=False):
            session = open_session(council, seats, secretary, [nomination], campaign)
            vote_all(session, seats, ["agree"] * 3)
            svc.voting_close(session=session)
            session.refresh_from_db()
            numbers.append(minutes_data(session).number)
    assert numbers == ["01/BB-HĐTĐKT", "02/BB-HĐTĐKT", "01/BB-HĐTĐKT"]


def _secretary(decision):
    """The drafter as council secretary of the standing body, titled as in the demo."""
    unit = decision.issuer.children.create(
        code=f"nv-{decision.pk}", name="Phòng Nội vụ", kind="agency", level=3, valid_from=datetime.date(2020, 1, 1)
    )
    user = get_user_model().objects.create_user(f"thuky-{decision.pk}", first_name="Lăng Văn Hùng")
    Membership.objects.create(
        user=user, unit=unit, role=Role.COUNCIL_SECRETARY, title="Phó Trưởng phòng Nội vụ", valid_from=unit.valid_from
    )
    decision.drafted_by = user
    decision.save(update_fields=["drafted_by"])
    return user, unit


def test_the_letter_is_numbered_once_in_the_standing_bodys_register_and_signed_by_name(db):
    first, second = build_signed_decision(2), build_signed_decision(2, number=2)
    user, unit = _secretary(first)
    day = datetime.date(2026, 3, 4)
    decisions.letter_issue(first, user, day)
    decisions.letter_issue(first, user, day + datetime.timedelta(days=1))  # a redraft: nothing taken again
    second.drafted_by = user
    decisions.letter_issue(second, user, day)
    third = build_signed_decision(1, number=3)
    third.drafted_by = user
    decisions.letter_issue(third, user, datetime.date(2027, 1, 5))
    assert [d.letter_number for d in (first, second, third)] == [1, 2, 1]
    assert (first.letter_unit, first.letter_date) == (unit, day)
    letter = letter_data(first)
    assert letter.number == "01/TTr-NV" and letter.date == day
    assert letter.issuer.name == "PHÒNG NỘI VỤ" and letter.proposer == "Phòng Nội vụ"
    # A deputy head signs for the head; the title without the unit's name, as the unit's own documents print it.
    assert (letter.signer.lines, letter.signer.full_name) == (("KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"), "Lăng Văn Hùng")
