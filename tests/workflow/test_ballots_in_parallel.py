"""Ballots are recorded without the council process's lock (issue 18, ballots in parallel): the lock is taken
only to complete the member's task and evaluate the join."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from viewflow.workflow.status import STATUS

from nominations.models import Attendance, BallotCast, BallotKey, CouncilSession, SealedBallot
from nominations.services.council import ballot_cast
from tests.nominations import council_factory
from tests.nominations.test_council import open_session
from workflow.flows import CouncilFlow as C

from .helpers import url

# A ballot's statements whatever its length (the sealed box is one INSERT, the open votes one multi-row INSERT):
# the session read, the right to vote, the round's ids, the cast and its savepoint, the box or the votes, the
# audit event (chain head + INSERT).
# -3 since issue 18 item 2: the cast written with ON CONFLICT DO NOTHING (no savepoint), the roll read with the session.
# -1 (secret) since s25ballot: the round's public key read with the session (``_share_session``).
# -1 on PostgreSQL (s26ballot): the member's items read with the session, as an array, under its shared lock.
STATEMENTS = dict.fromkeys((True, False), 7 if connection.vendor == "postgresql" else 8)
WAIT = 60  # seconds: a safety net for a broken build, never reached when the code is right


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL")
def test_two_ballots_are_recorded_while_another_transaction_holds_the_process_lock(committed_db, monkeypatch):
    process, seats, _secretary = council_factory.open_over_http(3, "Phiên bỏ phiếu song song")
    session = process.artifact
    items = list(session.items.values_list("pk", flat=True))
    held, release = threading.Event(), threading.Event()
    at_the_lock = threading.Semaphore(0)  # a voter's thread is about to ask for the process lock
    lock_impl, holder = C.lock_impl, []

    def counting_lock(flow_class, process_pk):
        if threading.current_thread() not in holder:
            at_the_lock.release()
        return lock_impl(flow_class, process_pk)

    monkeypatch.setattr(C, "lock_impl", counting_lock)

    def hold_the_lock():
        holder.append(threading.current_thread())
        try:
            with C.lock(process.pk), transaction.atomic():
                held.set()
                release.wait(WAIT)
        finally:
            connection.close()

    def task_of(member):
        return process.task_set.get(flow_task=C.vote, data__member_id=member.pk)

    responses = {}

    def vote_on_the_page(member):
        client = Client()
        client.force_login(member.user)
        try:
            responses["page"] = client.post(
                url(C.vote, "execute", task_of(member)), {f"item_{i}": "agree" for i in items}
            )
        finally:
            connection.close()

    def vote_over_the_api(member):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=member.user)[0].key}")
        body = {"items": {str(i): {"choice": "disagree"} for i in items}}
        try:
            responses["api"] = client.post(f"/api/tasks/{task_of(member).pk}/complete/", body, format="json")
        finally:
            connection.close()

    locker = threading.Thread(target=hold_the_lock)
    locker.start()
    assert held.wait(WAIT)
    voters = [
        threading.Thread(target=vote_on_the_page, args=(seats[0],)),
        threading.Thread(target=vote_over_the_api, args=(seats[1],)),
    ]
    for voter in voters:
        voter.start()
    try:
        # Both voters reach the process lock (still held by the other transaction) with their ballots committed.
        assert at_the_lock.acquire(timeout=WAIT) and at_the_lock.acquire(timeout=WAIT)
        assert BallotCast.objects.filter(session=session).count() == 2
        assert SealedBallot.objects.filter(session=session).count() == 2
        assert set(process.task_set.filter(flow_task=C.vote).values_list("status", flat=True)) == {STATUS.ASSIGNED}
    finally:
        release.set()
        locker.join()
        for voter in voters:
            voter.join()
    assert responses["page"].status_code == 302
    assert responses["api"].status_code == 200 and len(responses["api"].json()["result"]["receipt"]) == 10
    done = process.task_set.filter(flow_task=C.vote, status=STATUS.DONE)
    assert set(done.values_list("data__member_id", flat=True)) == {seats[0].pk, seats[1].pk}
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.VOTING  # the third member has not voted yet


def _statements(session, member) -> int:
    choices = dict.fromkeys(session.items.values_list("pk", flat=True), "agree")
    with CaptureQueriesContext(connection) as queries:
        ballot_cast(session=session, member=member, choices=choices)
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("secret", [True, False])
def test_a_ballots_statements_do_not_grow_with_its_items(secret):
    """Checked against one set of the round's ids, sealed (or inserted) in one statement: 2 items cost what 60 do."""
    council, seats, secretary, noms, campaign = council_factory.build(members=3, nominations=62)
    small, large = (open_session(council, seats, secretary, part, campaign) for part in (noms[:2], noms[2:]))
    CouncilSession.objects.filter(pk__in=[small.pk, large.pk]).update(secret=secret)
    small.refresh_from_db()
    large.refresh_from_db()
    assert large.items.count() == 60
    assert _statements(small, seats[0]) == _statements(large, seats[0]) == STATEMENTS[secret]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL")
def test_a_ballot_sent_twice_at_once_over_the_api_is_one_ballot_and_a_409(committed_db):
    process, seats, _secretary = council_factory.open_over_http(3, "Phiên gửi phiếu hai lần")
    member = seats[0]
    task = process.task_set.get(flow_task=C.vote, data__member_id=member.pk)
    body = {"items": {str(i): {"choice": "agree"} for i in process.artifact.items.values_list("pk", flat=True)}}
    token = Token.objects.get_or_create(user=member.user)[0].key
    barrier, responses = threading.Barrier(2), []

    def send():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        barrier.wait()
        try:
            responses.append(client.post(f"/api/tasks/{task.pk}/complete/", body, format="json"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status_code for r in responses) == [200, 409]
    assert next(r for r in responses if r.status_code == 409).json()["code"] == "task_finished"
    assert BallotCast.objects.filter(session=process.artifact).count() == 1
    assert SealedBallot.objects.filter(session=process.artifact).count() == 1
    task.refresh_from_db()
    assert task.status == STATUS.DONE


@pytest.mark.django_db
def test_the_roll_read_with_the_session_still_decides_who_casts_and_how():
    """The member's attendance is read with the session (issue 18): absent, off the roll or written when present is
    refused with nothing written; an absent member's written ballot only where the session allows them."""
    council, seats, secretary, noms, campaign = council_factory.build(members=7, nominations=2)
    session = open_session(council, seats, secretary, noms, campaign, present=seats[:5])
    Attendance.objects.filter(session=session, member=seats[6]).delete()  # off the roll
    choices = dict.fromkeys(session.items.values_list("pk", flat=True), "agree")
    refused = [(seats[5], False), (seats[6], False), (seats[6], True), (seats[0], True), (seats[5], True)]
    for member, written in refused:
        with pytest.raises(ValidationError) as error:
            ballot_cast(session=session, member=member, choices=choices, written=written)
        assert error.value.code == "not_allowed"
    assert not BallotCast.objects.filter(session=session).exists()
    CouncilSession.objects.filter(pk=session.pk).update(written_votes_allowed=True)
    ballot_cast(session=session, member=seats[5], choices=choices, written=True)
    ballot_cast(session=session, member=seats[0], choices=choices)
    cast = BallotCast.objects.filter(session=session).values_list("member", "written")
    assert sorted(cast) == sorted([(seats[5].pk, True), (seats[0].pk, False)])


@pytest.mark.django_db
def test_a_ballot_sent_reads_the_session_once_under_its_lock_and_a_keyless_round_gets_its_key():
    """A ballot's POST reads the session's row once (s25ballot): in the service's statement that takes its shared
    lock, with the roll and the round's public key, never before it as the process's artifact. A round without a
    key (a session opened before ballots were sealed) gets one with its first ballot; the others are sealed to it
    and the close opens them all."""
    process, seats, _secretary = council_factory.open_over_http(3, "Phiên đọc phiên họp một lần")
    session = process.artifact
    assert session.secret
    items = list(session.items.values_list("pk", flat=True))
    BallotKey.objects.filter(session=session).delete()
    for number, member in enumerate(seats, 1):
        client = Client()
        client.force_login(member.user)
        task = process.task_set.get(flow_task=C.vote, data__member_id=member.pk)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url(C.vote, "execute", task), {f"item_{pk}": "agree" for pk in items})
        assert response.status_code == 302
        if number < len(seats):  # the last ballot closes the round (its count locks the session again)
            # Read as a row of its own (the gate and the item ids name it in a subquery, by id)
            own_row = ('SELECT "nominations_councilsession"', "SELECT s.*")
            reads = [q["sql"] for q in queries if q["sql"].startswith(own_row)]
            assert len(reads) == 1 and '"ballot_public_key"' in reads[0], reads
            assert BallotKey.objects.filter(session=session, round=session.round).count() == 1
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.CLOSED
    assert set(session.items.values_list("agree", flat=True)) == {len(seats)}
    assert not BallotKey.objects.filter(session=session).exists()


@pytest.mark.django_db
def test_every_ballot_is_linked_to_the_joins_task_once():
    """The join's task, found, is linked to each incoming ballot's task in the statement that reads it on PostgreSQL
    (workflow.nodes._join_tasks_linked, s26ballot), as ``previous.add`` does elsewhere: every cast ballot is a
    previous task of the one join task, and the join does not end the round before the last ballot."""
    process, seats, _secretary = council_factory.open_over_http(3, "Phiên nối phiếu")
    items = list(process.artifact.items.values_list("pk", flat=True))
    tasks = []
    for member in seats[:2]:
        task = process.task_set.get(flow_task=C.vote, data__member_id=member.pk)
        client = Client()
        client.force_login(member.user)
        assert client.post(url(C.vote, "execute", task), {f"item_{i}": "agree" for i in items}).status_code == 302
        tasks.append(task.pk)
    [join] = process.task_set.filter(flow_task=C.voting_done)
    assert sorted(join.previous.values_list("pk", flat=True)) == sorted(tasks)
    assert join.status != STATUS.DONE


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the join's CTE is PostgreSQL's")
def test_the_joins_statement_reads_what_viewflows_queries_would():
    """s27ballot: the join's statement also reads its incoming tokens and the process's open nodes, for its
    ``is_done`` and ``voting_done``; they must be what viewflow's two queries answer, a cancelled ballot left out,
    and the join must still wait (two members of three voted) then end the round with the last ballot."""
    from workflow.nodes import LeanJoinActivation, _join_tasks_linked, _JoinReads

    process, seats, _secretary = council_factory.open_over_http(3, "Phiên đọc của nút hợp")
    items = list(process.artifact.items.values_list("pk", flat=True))

    def vote(member):
        task = process.task_set.get(flow_task=C.vote, data__member_id=member.pk)
        client = Client()
        client.force_login(member.user)
        assert client.post(url(C.vote, "execute", task), {f"item_{i}": "agree" for i in items}).status_code == 302
        return task

    first, second = vote(seats[0]), vote(seats[1])
    first.status = STATUS.CANCELED  # a cancelled incoming task is no prefix (as viewflow's exclude)
    first.save()
    process.refresh_from_db()
    incoming = type(first).objects.select_related("process").get(pk=second.pk)

    class Previous:  # the incoming activation, as the join's create sees it
        task, process = incoming, incoming.process

    with transaction.atomic():
        [join] = _join_tasks_linked(type(first), C.voting_done, Previous)
        activation = LeanJoinActivation(join)
        activation._read_with_task = _JoinReads(join, incoming)
        read = activation._read_with_task
        previous = join.previous.exclude(status__in=[STATUS.CANCELED, STATUS.REVIVED]).values_list("token", "pk")
        assert sorted(read.incoming, key=lambda t: t[1]) == sorted(previous, key=lambda t: t[1]) != []
        assert first.pk not in {pk for _token, pk in read.incoming}
        [prefix] = {token.get_common_split_prefix(join.token, pk) for token, pk in previous}
        open_nodes = set(activation._active_join_tasks(prefix).values_list("flow_task", flat=True))
        assert read.open_nodes(prefix) == open_nodes and C.vote in open_nodes and C.close_voting in open_nodes
        assert not activation.is_done()  # the third member has not voted
        assert activation._read_with_task is None  # read for that one check only
        transaction.set_rollback(True)
    first.status = STATUS.DONE
    first.save()
    vote(seats[2])
    process.artifact.refresh_from_db()
    assert process.artifact.status == CouncilSession.Status.CLOSED
