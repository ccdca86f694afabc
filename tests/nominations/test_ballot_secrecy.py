"""Sealed secret ballots (issue 15, part 3): nothing stored reveals a choice while a round is open; the close
opens the box, counts, writes votes and receipts shuffled, and destroys the round's key."""

import json

import pytest
from django.db import connection
from django.test import override_settings
from nacl.public import PublicKey, SealedBox

from nominations.models import AgendaItem, BallotCast, BallotKey, BallotReceipt, OpenVote, SealedBallot, SecretVote
from nominations.services import ballot_box
from nominations.services import council as svc
from workflow.models import AuditEvent

from .council_factory import build
from .test_council import item, open_session, vote_all

R = AgendaItem.Result
# Five members on three items; every member's ballot differs from every other's.
PATTERN = [
    {1: "agree", 2: "disagree", 3: "abstain"},
    {1: "disagree", 2: "agree", 3: "agree"},
    {1: "agree", 2: "abstain", 3: "disagree"},
    {1: "abstain", 2: "agree", 3: "agree"},
    {1: "agree", 2: "agree", 3: "disagree"},
]


def raw_rows(table: str) -> list[tuple]:
    """Every row of ``table`` as a database reader sees it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return cursor.fetchall()


def raw_bytes(rows) -> bytes:
    return b"\x00".join(bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode() for row in rows for v in row)


@pytest.fixture
def session(db):
    council, seats, secretary, noms, campaign = build(members=5, nominations=3)
    session = open_session(council, seats, secretary, noms, campaign)
    session.seats, session.secretary = seats, secretary
    return session


def test_mid_round_the_database_holds_no_choice_and_no_receipt(session):
    receipts = []
    for cast, (member, choices) in enumerate(zip(session.seats, PATTERN, strict=True), start=1):
        receipts += vote_all(session, [member], [choices])
        assert not SecretVote.objects.exists() and not BallotReceipt.objects.exists()
        assert BallotCast.objects.count() == SealedBallot.objects.count() == cast
        stored = b"".join(raw_bytes(raw_rows(m._meta.db_table)) for m in (SealedBallot, BallotKey, AuditEvent))
        for secret in (*(r.encode() for r in receipts), b"agree", b"disagree", b"abstain"):
            assert secret not in stored
    # Sealed ballots on the same items are of one length whatever they chose.
    assert len({len(bytes(c)) for c in SealedBallot.objects.values_list("ciphertext", flat=True)}) == 1
    assert all("choices" not in e.data for e in AuditEvent.objects.filter(event_type="council.ballot_cast"))
    assert {i.agree + i.disagree + i.abstain for i in session.items.all()} == {0}


def test_the_close_counts_writes_shuffled_rows_and_destroys_the_key(session):
    receipts = vote_all(session, session.seats, PATTERN)
    svc.voting_close(session=session)
    for number in (1, 2, 3):
        expected = [p[number] for p in PATTERN]
        it = item(session, number)
        assert (it.agree, it.disagree, it.abstain) == tuple(expected.count(c) for c in ballot_box.CHOICES)
        assert sorted(it.secret_votes.values_list("choice", flat=True)) == sorted(expected)
    assert sorted(BallotReceipt.objects.filter(session=session).values_list("code", flat=True)) == sorted(receipts)
    assert not BallotKey.objects.exists() and not SealedBallot.objects.exists()  # nothing left to open
    assert [item(session, n).result for n in (1, 2, 3)] == [R.FAILED, R.FAILED, R.TIE]  # 3/5 < 70%; 2 to 2


def test_the_database_alone_cannot_open_the_box(session):
    """A reader holding every row but not the server's SECRET_KEY; then a rotation with the old key kept."""
    vote_all(session, session.seats, PATTERN)
    with override_settings(SECRET_KEY="a-database-reader-guess-" * 3, SECRET_KEY_FALLBACKS=[]):
        with pytest.raises(ballot_box.BallotBoxError):
            svc.voting_close(session=session)
    assert SealedBallot.objects.count() == 5 and not SecretVote.objects.exists()  # nothing half-written
    from django.conf import settings

    with override_settings(SECRET_KEY="the-new-key-" * 5, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        svc.voting_close(session=session)
    assert SecretVote.objects.count() == 15 and not BallotKey.objects.exists()


def test_a_ballot_sealed_outside_the_server_or_removed_is_refused(session):
    """The public key is in the database: a writer may seal a ballot with it, but cannot make it count."""
    vote_all(session, session.seats[:4], PATTERN)
    key = BallotKey.objects.get()
    body = {"receipt": "FFFFFFFFFF", "choices": {str(i.pk): 0 for i in session.items.all()}}
    forged = SealedBox(PublicKey(bytes(key.public_key))).encrypt(bytes(16) + json.dumps(body).encode())
    SealedBallot.objects.create(session=session, round=1, ciphertext=forged)
    BallotCast.objects.create(session=session, round=1, member=session.seats[4])
    with pytest.raises(ballot_box.BallotBoxError, match="not sealed by this server"):
        svc.voting_close(session=session)
    SealedBallot.objects.filter(ciphertext=forged).delete()
    SealedBallot.objects.filter(pk=SealedBallot.objects.first().pk).delete()
    BallotCast.objects.filter(member=session.seats[4]).delete()
    with pytest.raises(ballot_box.BallotBoxError, match="3 sealed ballots for 4 casts"):
        svc.voting_close(session=session)


def test_a_member_votes_once_and_a_second_round_has_its_own_key(db):
    council, seats, secretary, noms, campaign = build(members=4, nominations=2, vote_base="present")
    session = open_session(council, seats, secretary, noms, campaign)
    vote_all(session, seats[:1], [{1: "agree", 2: "agree"}])
    with pytest.raises(svc.ValidationError, match="mỗi người chỉ có một phiếu"):
        vote_all(session, seats[:1], [{1: "disagree", 2: "disagree"}])
    assert SealedBallot.objects.count() == 1
    vote_all(session, seats[1:], [{1: "agree", 2: "agree"}] + [{1: "disagree", 2: "agree"}] * 2)
    svc.voting_close(session=session)
    assert item(session, 1).result == R.TIE and item(session, 2).result == R.PASSED
    session = svc.second_round_open(session=session, actor=secretary.user)
    assert list(BallotKey.objects.values_list("round", flat=True)) == [2]
    vote_all(session, seats, ["agree"] * 3 + ["disagree"])
    svc.voting_close(session=session)
    assert (item(session, 1).agree, item(session, 1).disagree, item(session, 1).result) == (3, 1, R.PASSED)
    assert SecretVote.objects.filter(round=2).count() == 4 and BallotReceipt.objects.count() == 8
    assert not BallotKey.objects.exists() and not SealedBallot.objects.exists()


def test_written_ballots_and_recusals_are_sealed_and_counted(db):
    council, seats, secretary, noms, campaign = build(
        members=6, nominations=2, written_votes_allowed=True, vote_base="present"
    )
    session = open_session(council, seats, secretary, noms, campaign, present=seats[:5])
    svc.recusal_declare(item=item(session, 1), member=seats[0], reason="Người thân")
    vote_all(session, seats[:5], ["agree"] * 4 + ["disagree"])
    svc.ballot_cast(
        session=session,
        member=seats[5],
        choices={i.pk: "agree" for i in session.items.all()},
        written=True,
        entered_by=secretary.user,
    )
    assert not SecretVote.objects.exists() and SealedBallot.objects.count() == 6
    svc.voting_close(session=session)
    one, two = item(session, 1), item(session, 2)
    assert (one.agree, one.disagree, one.base) == (4, 1, 5)  # 6 voters, one recused
    assert (two.agree, two.disagree, two.base) == (5, 1, 6)
    assert not BallotKey.objects.exists() and not SealedBallot.objects.exists()


def test_an_open_ballot_is_not_sealed(db):
    council, seats, secretary, noms, campaign = build(members=3, nominations=1, ballot="open")
    session = open_session(council, seats, secretary, noms, campaign)
    vote_all(session, seats, ["agree"] * 3)
    assert OpenVote.objects.count() == 3
    assert not BallotKey.objects.exists() and not SealedBallot.objects.exists()
