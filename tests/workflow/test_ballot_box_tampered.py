"""A sealed ballot edited in the database (issue 15): closing the round refuses to count, with a message.

A writer with database access edits a ``SealedBallot`` row of an open secret round: its ciphertext replaced,
one member's ballot overwritten with a copy of another's (same row count, a receipt twice), or moved to
another round. The secretary then closes voting through the page and through the API. Counting such a box
would give a wrong result or crash; instead the close is refused with a Vietnamese message (the form shown
again / a 400 with the code), the round stays open with the secretary's close task, nothing is counted or
destroyed, and the audit trail says the ballot box failed its integrity check, with row counts only.
"""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from rest_framework.test import APIClient
from viewflow.workflow.status import STATUS

from nominations.models import BallotKey, CouncilSession, SealedBallot, SecretVote
from tests.nominations.council_factory import open_over_http
from workflow.flows import CouncilFlow as C
from workflow.models import AuditEvent

from .helpers import dossiers_move_on, url

MESSAGE = "Hòm phiếu kín không qua được kiểm tra toàn vẹn"


def cast(process, member, choice="agree"):
    client = Client()
    client.force_login(member.user)
    task = process.task_set.get(flow_task=C.vote, data__member_id=member.pk)
    items = process.artifact.items.all()
    response = client.post(url(C.vote, "execute", task), {f"item_{i.pk}": choice for i in items})
    assert response.status_code == 302


def tamper(how: str, session) -> None:
    """A direct write to the sealed rows, as a database writer would make it."""
    first, second, *_ = SealedBallot.objects.filter(session=session).order_by("pk")
    if how == "garbage":
        SealedBallot.objects.filter(pk=first.pk).update(ciphertext=bytes(len(bytes(first.ciphertext))))
    elif how == "copied":  # the second member's ballot replaced by the first's: same count, one receipt twice
        SealedBallot.objects.filter(pk=second.pk).update(ciphertext=first.ciphertext)
    elif how == "other round":
        SealedBallot.objects.filter(pk=first.pk).update(round=2)


@pytest.fixture
def voting(db):
    """A secret session of 5 members on 3 items; 3 have voted over the page."""
    process, seats, secretary = open_over_http(5, "Phiên có phiếu bị sửa")
    for member in seats[:3]:
        cast(process, member)
    return process, secretary


def assert_still_open(process, how):
    session = CouncilSession.objects.get(pk=process.artifact.pk)
    assert session.status == CouncilSession.Status.VOTING
    assert {i.agree + i.disagree + i.abstain for i in session.items.all()} == {0}
    assert not SecretVote.objects.filter(item__session=session).exists()
    assert SealedBallot.objects.filter(session=session).count() == 3 and BallotKey.objects.filter(session=session)
    assert process.task_set.get(flow_task=C.close_voting).status in (STATUS.NEW, STATUS.ASSIGNED)
    assert not process.task_set.filter(flow_task=C.count).exists()
    (event,) = AuditEvent.objects.filter(event_type="council.ballot_box_failed", scope=f"council_session:{session.pk}")
    # Row counts, never which member: a failing row's owner is not known, and is not guessed.
    expected = {"garbage": (3, 1), "copied": (3, 1), "other round": (2, 0)}[how]  # (sealed, rejected)
    assert event.data == {"round": 1, "casts": 3, "sealed": expected[0], "rejected": expected[1]}
    return event


@pytest.mark.parametrize("how", ["garbage", "copied", "other round"])
def test_closing_on_the_page_refuses_a_tampered_box(voting, how):
    process, secretary = voting
    tamper(how, process.artifact)
    client = Client()
    client.force_login(secretary.user)
    response = client.post(
        url(C.close_voting, "execute", process.task_set.get(flow_task=C.close_voting)), {"confirm": "on"}
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not list(get_messages(response.wsgi_request))  # no "done" message
    event = assert_still_open(process, how)
    assert event.actor_id == secretary.user.pk


@pytest.mark.parametrize("how", ["garbage", "copied"])
def test_closing_through_the_api_refuses_a_tampered_box(voting, how):
    process, secretary = voting
    tamper(how, process.artifact)
    client = APIClient()
    client.force_authenticate(secretary.user)
    close = process.task_set.get(flow_task=C.close_voting)
    response = client.post(f"/api/tasks/{close.pk}/complete/", {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "ballot_box_integrity" and body["detail"].startswith(MESSAGE)
    assert [e["code"] for e in body["errors"]["non_field_errors"]] == ["ballot_box_integrity"]
    assert_still_open(process, how)


def test_once_the_rows_are_restored_the_close_counts(voting):
    """The refused close left everything in place: restoring the row (from a backup) lets the secretary close."""
    process, secretary = voting
    session = process.artifact
    row = SealedBallot.objects.filter(session=session).order_by("pk").first()
    tamper("garbage", session)
    client = Client()
    client.force_login(secretary.user)
    close = url(C.close_voting, "execute", process.task_set.get(flow_task=C.close_voting))
    assert client.post(close, {"confirm": "on"}).status_code == 200
    SealedBallot.objects.filter(pk=row.pk).update(ciphertext=row.ciphertext)
    with dossiers_move_on():
        assert client.post(close, {"confirm": "on"}).status_code == 302
    assert SecretVote.objects.filter(item__session=session).count() == 9  # 3 ballots × 3 items
    assert not SealedBallot.objects.filter(session=session).exists()


def test_the_last_ballot_does_not_count_a_tampered_box(voting):
    """The last member's ballot is taken (it is sound); the round is not counted and waits for the secretary."""
    process, secretary = voting
    seats = [a.member for a in process.artifact.attendance.filter(present=True).order_by("member_id")]
    tamper("garbage", process.artifact)
    for member in seats[3:]:
        cast(process, member)  # the fifth ballot would end the round
    session = CouncilSession.objects.get(pk=process.artifact.pk)
    assert session.status == CouncilSession.Status.VOTING and not SecretVote.objects.exists()
    assert SealedBallot.objects.filter(session=session).count() == 5
    assert process.task_set.get(flow_task=C.close_voting).status in (STATUS.NEW, STATUS.ASSIGNED)
    (event,) = AuditEvent.objects.filter(event_type="council.ballot_box_failed")
    assert event.data == {"round": 1, "casts": 5, "sealed": 5, "rejected": 1} and event.actor_id is None
