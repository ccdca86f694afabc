"""The council flow (CouncilFlow): each node's step, named after the node."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from nominations.models import CouncilMember, CouncilSession
from nominations.services.council import (
    BallotRows,
    ballot_box_check,
    ballot_cast,
    second_round_open,
    session_conclude,
    session_open,
    voting_close,
)

from ..choices import RevoteDecision
from ..forms import council as forms
from .base import AlreadyRecorded, Step, trail


def ballot_member(activation) -> CouncilMember:
    """The member whose ballot this task is (the task data carries the member).

    Kept on the activation: the form's ballot, the step and the page's context all ask for it.
    """
    if not hasattr(activation, "ballot_member"):
        # With the member's user: the ballot's audit event names them (no second query).
        members = CouncilMember.objects.select_related("user")
        activation.ballot_member = members.get(pk=activation.task.data["member_id"])
    return activation.ballot_member


def member_ref(activation) -> CouncilMember:
    """The ballot's member, read already (``ballot_member``) or as its id only: a ballot sent needs no more (the
    service reads what it checks with the session, under its lock)."""
    if hasattr(activation, "ballot_member"):
        return activation.ballot_member
    member = CouncilMember(pk=activation.task.data["member_id"])
    member._state.adding = False  # a row of the table, not a new one (related filters accept it)
    return member


# Council secretary
def start(activation, actor, form):
    session = session_open(actor=actor, trail=trail(activation), **form.cleaned_data)
    activation.process.artifact = session
    return session


# Each present member: the receipt code goes back to the voter only, never stored with the name.
def record_vote(activation, actor, form):
    """The ballot, recorded before the process lock is taken (Step.record): 30 members vote side by side."""
    try:
        # The session's row is read by the service, under its lock: not here as the process's artifact (issue 18).
        receipt = ballot_cast(
            session=_session_ref(activation),
            member=member_ref(activation),
            choices=form.choices(),
            trail=trail(activation),
            voter=actor,
        )
    except ValidationError as error:
        if error.code == "already_voted":  # the same ballot sent twice at once: the other one is recorded
            raise AlreadyRecorded from error
        if error.code == "invalid_ballot" and form.check_again():
            # The form had checked it against the items this process kept for the session, out of date (an
            # agenda edited): it passes against the items read now, so it is sent again (once: they are fresh).
            return record_vote(activation, actor, form)
        raise
    return {"receipt": receipt}


def vote(activation, actor, form):
    """Under the process lock: nothing more than completing the task (the ballot is in, see record_vote)."""


# Council secretary
def close_voting(activation, actor, form):
    """Closing early: the flow's join sees this task done and cancels the ballots not cast.

    A ballot box that fails its integrity check refuses the close with the reason (nothing is counted).
    """
    ballot_box_check(session=activation.process.artifact, actor=actor, trail=trail(activation))


def second_round(activation, actor, form):
    revote = form.cleaned_data["decision"] == RevoteDecision.REVOTE
    if revote:
        second_round_open(session=activation.process.artifact, actor=actor, trail=trail(activation))
    activation.process.revote = revote
    activation.process.save()


def _with_user(activation, user) -> dict:
    return {"user": user}


def _session_ref(activation) -> CouncilSession:
    """The process's session: the artifact if it was read already, else an instance holding only its id (what a
    ballot sent needs: ``ballot_cast`` reads the row itself, under the session's lock)."""
    process = activation.process
    if process._meta.get_field("artifact").is_cached(process):
        return process.artifact
    return CouncilSession(pk=process.artifact_object_id)


def _ballot(activation, user) -> dict:
    """The member's ballot rows: a page reads the session (the process's artifact), a ballot sent only its id."""
    process = activation.process
    rows = BallotRows(lambda: process.artifact, member_ref(activation), session_pk=process.artifact_object_id)
    return {"items": rows}


STEPS = {
    "start": Step(forms.OpenSessionForm, start, _with_user),
    "vote": Step(forms.BallotForm, vote, _ballot, record=record_vote),
    "close_voting": Step(forms.CloseVotingForm, close_voting),
    "second_round": Step(forms.RevoteForm, second_round),
}


# Task owners and the nodes that run without a person.
def present_members(activation) -> list[dict]:
    """One voting task per present member (task data carries the member)."""
    session = activation.process.artifact
    return [
        {"member_id": a.member_id, "user_id": a.member.user_id}
        for a in session.attendance.filter(present=True).select_related("member").order_by("member_id")
    ]


def member_user(activation):
    return CouncilMember.objects.select_related("user").get(pk=activation.task.data["member_id"]).user


def session_secretary(activation):
    return activation.process.artifact.opened_by


def deadline(activation) -> datetime.datetime:
    """The end of the meeting day, and never less than four hours from now."""
    session = activation.process.artifact
    end_of_day = timezone.make_aware(datetime.datetime.combine(session.held_on, datetime.time(23, 59)))
    return max(end_of_day, timezone.now() + datetime.timedelta(hours=4))


def voting_done(activation, active_tasks) -> bool:
    """Voting ends when every present member has voted, the secretary closed it, or the deadline passed."""
    from ..flows import CouncilFlow  # the flows import this module to name their nodes' callbacks

    # The nodes still open: read by the join with its task (LeanJoin, PostgreSQL), else in one query here (one per
    # node asked about before: each ballot asks).
    still_open = getattr(activation, "known_open_nodes", None)
    if still_open is None:
        still_open = set(active_tasks.order_by().values_list("flow_task", flat=True).distinct())
    activation.open_nodes = still_open  # LeanJoin's is_done reads them instead of asking the database again
    if CouncilFlow.close_voting not in still_open:
        return True  # the secretary's close checked the ballot box before it was done
    if CouncilFlow.vote not in still_open or CouncilFlow.deadline not in still_open:
        # The last ballot or the deadline ends the round only over a sound ballot box; otherwise the round
        # stays open (the check records why) and the secretary's close gives the reason.
        try:
            ballot_box_check(session=activation.process.artifact, trail=trail(activation))
        except ValidationError:
            return False
        return True
    return False


def count(activation):
    voting_close(session=activation.process.artifact, trail=trail(activation))


def conclude(activation):
    """The session's results are final; the service has the dossiers' own flows moved on after commit (each under
    its own lock, in a task): the ballot (or close) that ends the session answers without waiting for them."""
    session_conclude(session=activation.process.artifact, trail=trail(activation))
