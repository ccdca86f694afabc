"""The council flow over HTTP: ballot tasks, early close, permissions, minutes, concurrency."""

import io
import re
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from docx import Document
from viewflow.workflow.status import STATUS

from jobs.models import OutboxJob
from nominations.models import (
    AgendaItem,
    BallotCast,
    CouncilMember,
    CouncilSession,
    Nomination,
    SealedBallot,
    SecretVote,
)
from nominations.services import ballot_box
from workflow import audit
from workflow.flows import CouncilFlow as C
from workflow.models import AuditEvent

from .helpers import (
    F,
    accepted_dossier,
    council_session,
    dossiers_move_on,
    open_task,
    sent_jobs,
    url,
    vote_as,
)


@pytest.fixture
def users(demo):
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def accepted(client, users):
    """A Vĩnh Trại dossier with two nominations accepted by the standing body, waiting for the council."""
    return accepted_dossier(client, users, ("Lục Thị Hiền", "Lâm Thị Vân"))


def test_the_closing_ballot_leaves_the_dossiers_to_a_task_sent_on_commit(
    client, users, accepted, django_capture_on_commit_callbacks
):
    from workflow.steps.dossier import resume_waiting
    from workflow.tasks import resume_dossiers_task

    process, noms = accepted
    session_process = council_session(client, users, noms, vote=False)
    *first, last = [m for m in members().values() if m.votes and m.user.username != "thuky_hoidong"]
    for member in first:
        vote_as(client, session_process, member, "agree")
    ballot = session_process.task_set.get(flow_task=C.vote, data__member_id=last.pk)
    data = {f"item_{i.pk}": "agree" for i in session_process.artifact.items.all()}
    client.force_login(last.user)
    with django_capture_on_commit_callbacks() as callbacks:  # not run: the test's transaction never commits
        assert client.post(url(C.vote, "execute", ballot), data).status_code == 302
    session_process.refresh_from_db()
    assert session_process.status == STATUS.DONE
    assert {n.status for n in Nomination.objects.filter(pk__in=[n.pk for n in noms])} == {"council_passed"}
    # The request that closed the session left the dossier waiting; it only queued the task, once.
    assert open_task(process, F.council) and not process.task_set.filter(flow_task=F.decision).exists()
    sends = sent_jobs(callbacks, resume_dossiers_task)
    assert [job.args for job in sends] == [[[process.artifact.pk], "council", "accepted"]]
    resume_job = OutboxJob.objects.filter(task=resume_dossiers_task.name)  # not the earlier tasks' notifications
    assert resume_job.get().done_at is None  # recorded with the ballot, pending until the task runs
    events = AuditEvent.objects.count()
    assert resume_dossiers_task.apply(args=sends[0].args, task_id=str(sends[0].pk)).get() == 1
    assert resume_job.get().done_at is not None
    assert open_task(process, F.decision)

    def state():
        return AuditEvent.objects.count(), list(process.task_set.order_by("pk").values_list("flow_task", "status"))

    after = state()
    assert after[0] > events
    # Delivered again (acks_late), or the dossier resumed by hand: nothing moves, nothing is recorded.
    assert resume_dossiers_task.apply(args=sends[0].args, task_id=str(sends[0].pk)).get() == 0
    assert resume_waiting(process.artifact.pk, "council", "accepted") is False
    assert state() == after
    assert audit.verify()[0]


def test_one_dossier_failing_to_move_on_does_not_hold_back_the_others(client, users, accepted, monkeypatch, caplog):
    from celery.exceptions import Retry

    import workflow.steps.dossier
    from workflow.tasks import resume_dossiers_task

    process, noms = accepted
    other, other_noms = accepted_dossier(client, users, ("Nông Văn Tú",))
    real = workflow.steps.dossier.resume_waiting

    def failing(submission_id, *args):
        if submission_id == process.artifact.pk:
            raise RuntimeError("boom")
        return real(submission_id, *args)

    monkeypatch.setattr(workflow.steps.dossier, "resume_waiting", failing)
    with pytest.raises(Retry):
        council_session(client, users, [*noms, *other_noms])
    assert "did not move on" in caplog.text
    assert open_task(other, F.decision)  # the other dossier went on
    assert open_task(process, F.council)  # the failed one waits for the retry
    monkeypatch.setattr(workflow.steps.dossier, "resume_waiting", real)
    assert resume_dossiers_task.apply(args=([process.artifact.pk], "council", "accepted")).get() == 1
    assert open_task(process, F.decision)


def members():
    return {m.user.username: m for m in CouncilMember.objects.filter(council__issuer__code="ls").select_related("user")}


def test_all_votes_in_closes_voting_and_moves_the_dossier(client, users, accepted):
    process, noms = accepted
    session_process = council_session(client, users, noms)
    session_process.refresh_from_db()
    assert session_process.status == STATUS.DONE
    assert session_process.task_set.get(flow_task=C.close_voting).status == STATUS.CANCELED
    assert {n.status for n in Nomination.objects.filter(pk__in=[n.pk for n in noms])} == {"council_passed"}
    assert open_task(process, F.decision)  # the dossier's own flow went on to the chairman
    # One audit event per nomination, with its before and after, chained like any other.
    events = AuditEvent.objects.filter(event_type=audit.NOMINATION_COUNCIL_RESULT).order_by("pk")
    assert [(e.target_id, e.from_state, e.to_state, e.scope) for e in events] == [
        (str(n.pk), "accepted", "council_passed", f"submission:{process.artifact.pk}") for n in noms
    ]
    assert all("5 tán thành" in e.comment and e.process_id == session_process.pk for e in events)
    assert audit.verify()[0]


def test_early_close_cancels_the_remaining_ballots(client, users, accepted):
    process, noms = accepted
    session_process = council_session(client, users, noms, vote=False)
    m = members()
    vote_as(client, session_process, m["uyvien_1"], "agree")
    vote_as(client, session_process, m["uyvien_2"], "agree")
    close = session_process.task_set.get(flow_task=C.close_voting)
    client.force_login(users["thuky_hoidong"])
    # The page names who has not voted yet; closing without ticking the confirmation changes nothing.
    page = client.get(url(C.close_voting, "execute", close)).content.decode()
    assert "2/5" in page and str(m["uyvien_3"]) in page and str(m["uyvien_1"]) not in page
    response = client.post(url(C.close_voting, "execute", close))
    assert response.status_code == 200 and "Đánh dấu ô xác nhận" in response.content.decode()  # 422 under Turbo
    close.refresh_from_db()
    assert close.status != STATUS.DONE
    assert CouncilSession.objects.get(pk=session_process.artifact.pk).status == CouncilSession.Status.VOTING
    with dossiers_move_on():
        assert client.post(url(C.close_voting, "execute", close), {"confirm": "on"}).status_code == 302
    votes = session_process.task_set.filter(flow_task=C.vote)
    assert sorted(votes.values_list("status", flat=True)) == ["CANCELED", "CANCELED", "CANCELED", "DONE", "DONE"]
    session = CouncilSession.objects.get(pk=session_process.artifact.pk)
    assert session.status == "closed"
    # Only 2 of 5 ballots: too few votes for the item to be decided.
    item = session.items.first()
    assert (item.agree, item.base, item.result) == (2, 5, AgendaItem.Result.NO_QUORUM)
    # The secretary concludes without a second round: not passed, with the tally as the reason.
    task = open_task(session_process, C.second_round)
    with dossiers_move_on():
        assert client.post(url(C.second_round, "execute", task), {"decision": "conclude"}).status_code == 302
    nomination = Nomination.objects.get(pk=item.nomination_id)
    # Nothing passed, so the dossier closed: not awarded, the tally kept as the reason.
    assert nomination.status == "not_awarded" and "2 tán thành" in nomination.outcome_reason
    process.refresh_from_db()
    assert process.status == STATUS.DONE


def test_second_round_through_the_flow(client, users, accepted):
    process, noms = accepted
    m = members()
    first = {noms[0].pk: "agree", noms[1].pk: "agree"}
    split = {noms[0].pk: "disagree", noms[1].pk: "agree"}
    # 5 present: item 1 gets 2 agree / 2 disagree / 1 abstain → tie; item 2 passes.
    choices = {
        "chutich_ubnd": first,
        "phochutich_ubnd": first,
        "uyvien_1": split,
        "uyvien_2": split,
        "uyvien_3": {noms[0].pk: "abstain", noms[1].pk: "agree"},
    }
    session_process = council_session(client, users, noms, choices=choices)
    task = open_task(session_process, C.second_round)
    client.force_login(users["thuky_hoidong"])
    assert client.post(url(C.second_round, "execute", task), {"decision": "revote"}).status_code == 302
    session = session_process.artifact
    session.refresh_from_db()
    assert session.round == 2 and session.status == "voting"
    for username in ("chutich_ubnd", "phochutich_ubnd", "uyvien_1", "uyvien_2"):
        vote_as(client, session_process, m[username], "agree")
    vote_as(client, session_process, m["uyvien_3"], "disagree")
    items = {i.nomination_id: i for i in session.items.all()}
    assert items[noms[0].pk].result == "passed" and items[noms[0].pk].round == 2
    assert items[noms[1].pk].result == "passed" and items[noms[1].pk].round == 1
    session_process.refresh_from_db()
    assert session_process.status == STATUS.DONE
    assert open_task(process, F.decision)


def _snapshot():
    return (
        BallotCast.objects.count(),
        SealedBallot.objects.count(),
        list(C.task_class.objects.order_by("pk").values_list("status", "owner_id")),
    )


def test_wrong_people_cannot_vote(client, users, accepted):
    process, noms = accepted
    session_process = council_session(client, users, noms, vote=False)
    m = members()
    ballot = session_process.task_set.get(flow_task=C.vote, data__member_id=m["uyvien_1"].pk)
    data = {f"item_{i.pk}": "agree" for i in session_process.artifact.items.all()}
    # A clerk (not on the council), another member, and the secretary on uyvien_1's ballot.
    for username in ("canbo_vinhtrai", "uyvien_2", "thuky_hoidong"):
        before = _snapshot()
        client.force_login(users[username])
        assert client.post(url(C.vote, "execute", ballot), data).status_code in (403, 404), username
        assert _snapshot() == before
    # A recused member cannot vote on the item they stepped away from.
    item = session_process.artifact.items.first()
    client.force_login(users["uyvien_1"])
    response = client.post(reverse("sessions:recusal", args=[item.pk]), {"reason": "Người thân"})
    assert response.status_code == 302
    response = client.post(url(C.vote, "execute", ballot), data)  # still names the recused item
    assert response.status_code == 302
    [sealed] = ballot_box.open_round(session_process.artifact)  # what the close will open: one ballot
    assert set(sealed.choices) == {i.pk for i in session_process.artifact.items.all()} - {item.pk}  # not the recused
    # A member of another council sees nothing of this session.
    other = get_user_model().objects.create_user("uyvien_khac")
    client.force_login(other)
    assert client.get(reverse("sessions:detail", args=[session_process.artifact.pk])).status_code == 404
    assert client.post(url(C.vote, "execute", ballot), data).status_code in (403, 404)


def test_minutes_hold_attendance_and_every_tally(client, users, accepted):
    process, noms = accepted
    session_process = council_session(
        client, users, noms, present=["chutich_ubnd", "phochutich_ubnd", "uyvien_1", "uyvien_2"]
    )
    client.force_login(users["uyvien_1"])
    response = client.get(reverse("sessions:minutes", args=[session_process.artifact.pk, "docx"]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    tables = "\n".join(c.text for t in Document(io.BytesIO(response.content)).tables for r in t.rows for c in r.cells)
    everything = text + "\n" + tables
    for name in ("Nguyễn Văn Hạnh", "Hoàng Minh Đức", "Dương Thị Nga", "Mông Văn Khải", "Triệu Thị Hoa"):
        assert name in everything  # present members and the absent one
    for nomination in noms:
        assert nomination.candidate.name in everything
    assert "BIÊN BẢN" in everything.upper()
    pdf = client.get(reverse("sessions:minutes", args=[session_process.artifact.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_thirty_members_voting_at_once(committed_db):
    from tests.nominations.council_factory import open_over_http

    process, seats, _secretary = open_over_http(30, "Phiên 30 thành viên")
    session = process.artifact
    items = list(session.items.all())
    barrier, codes = threading.Barrier(31), []

    def vote(member, repeat=False):
        c = Client()
        c.force_login(member.user)
        task = process.task_set.get(flow_task=C.vote, data__member_id=member.pk)
        barrier.wait()
        try:
            codes.append(c.post(url(C.vote, "execute", task), {f"item_{i.pk}": "agree" for i in items}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(m,)) for m in seats]
    # One member also submits a second time at the same moment.
    threads.append(threading.Thread(target=vote, args=(seats[0], True)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes).count(302) == 30 and len(codes) == 31
    assert set(codes) <= {302, 409}
    assert BallotCast.objects.filter(session=session).count() == 30
    assert SecretVote.objects.filter(item__session=session).count() == 90
    process.refresh_from_db()
    assert process.status == STATUS.DONE
    assert process.task_set.filter(flow_task=C.voting_done).count() == 1  # one join, no duplicates
    assert {i.result for i in session.items.all()} == {"passed"}


def test_the_voting_deadline_timer_closes_voting(client, users, accepted):
    """viewflow's Timer, fired by the Celery beat task, ends a round nobody closed."""
    from django.utils import timezone

    from workflow.tasks import fire_workflow_timers

    process, noms = accepted
    session_process = council_session(client, users, noms, vote=False)
    m = members()
    for username in ("chutich_ubnd", "phochutich_ubnd", "uyvien_1", "uyvien_2"):
        vote_as(client, session_process, m[username], "agree")
    timer = session_process.task_set.get(flow_task=C.deadline)
    assert timer.status == STATUS.SCHEDULED and timer.scheduled > timezone.now()
    # Run in this process (apply): the rows of this test are not committed for a live worker to see.
    assert fire_workflow_timers.apply().get()["timers"] == 0  # not due yet
    C.task_class.objects.filter(pk=timer.pk).update(scheduled=timezone.now() - timezone.timedelta(minutes=1))
    with dossiers_move_on():
        assert fire_workflow_timers.apply().get()["timers"] == 1
    votes = dict(session_process.task_set.filter(flow_task=C.vote).values_list("data__member_id", "status"))
    assert votes[m["uyvien_3"].pk] == STATUS.CANCELED
    assert session_process.task_set.get(flow_task=C.close_voting).status == STATUS.CANCELED
    item = session_process.artifact.items.first()
    assert (item.agree, item.base, item.result) == (4, 5, "passed")  # 80% of the present
    assert open_task(process, F.decision)


def test_the_ballot_page_writes_one_fieldset_of_radio_buttons_per_item(client, users, accepted):
    process, noms = accepted
    session_process = council_session(client, users, noms, vote=False)
    member = members()["uyvien_1"]
    task = session_process.task_set.get(flow_task=C.vote, data__member_id=member.pk)
    items = list(session_process.artifact.items.select_related("nomination__candidate", "nomination__submission__unit"))
    client.force_login(member.user)
    page = client.get(url(C.vote, "execute", task)).content.decode()
    for item in items:
        legend = f"<legend>{item.number}. {item.nomination.candidate.name} – {item.nomination.submission.unit.name}"
        assert legend in page
        for choice, label in (("agree", "Tán thành"), ("disagree", "Không tán thành"), ("abstain", "Không biểu quyết")):
            assert f'<input type="radio" name="item_{item.pk}" value="{choice}" required> {label}</label>' in page
    # A choice missing: the page comes back with the Vietnamese error on that item, the other choice kept.
    first, second = items
    response = client.post(url(C.vote, "execute", task), {f"item_{first.pk}": "disagree"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'name="item_{first.pk}" value="disagree" required checked>' in page
    assert f'<div class="errorlist" id="item_{second.pk}_errors">Trường này là bắt buộc.' in page
    assert f'aria-describedby="item_{second.pk}_errors"' in page
    assert not BallotCast.objects.filter(session=session_process.artifact).exists()


def test_the_voter_sees_the_receipt_right_after_voting_and_only_the_voter(client, users, accepted):
    process, noms = accepted
    session_process = council_session(client, users, noms, vote=False)
    m = members()
    response = vote_as(client, session_process, m["uyvien_1"], "agree")
    receipt_url = reverse("sessions:receipt", args=[session_process.artifact.pk])
    assert response.url == receipt_url
    page = client.get(receipt_url).content.decode()
    codes = re.findall(r'class="thidua-receipt__code">([0-9A-F]{10})<', page)
    assert len(codes) == 1, page
    # Once: a reload shows no code; so does the page for another member, who has not voted.
    assert codes[0] not in client.get(receipt_url).content.decode()
    client.force_login(users["uyvien_2"])
    other = client.get(receipt_url)
    assert other.status_code == 200 and codes[0] not in other.content.decode()
    assert 'class="thidua-receipt__code"' not in other.content.decode()
    # Someone outside the council gets no page at all.
    client.force_login(users["canbo_vinhtrai"])
    assert client.get(receipt_url).status_code == 404
