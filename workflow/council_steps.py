"""What the council flow's steps do: call the council services, hand results on."""

import datetime

from django.utils import timezone

from nominations.models import CouncilMember
from nominations.services import council

from .steps import trail


def open_session(activation, *, actor, **fields):
    session = council.session_open(actor=actor, trail=trail(activation), **fields)
    activation.process.artifact = session
    return session


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


def voting_deadline(activation) -> datetime.datetime:
    """The end of the meeting day, and never less than four hours from now."""
    session = activation.process.artifact
    end_of_day = timezone.make_aware(datetime.datetime.combine(session.held_on, datetime.time(23, 59)))
    return max(end_of_day, timezone.now() + datetime.timedelta(hours=4))


def voting_finished(activation, active_tasks) -> bool:
    """Voting ends when every present member has voted, the secretary closed it, or the deadline passed."""
    from .flows import CouncilFlow  # flows imports this module

    return any(
        not active_tasks.filter(flow_task=node).exists()
        for node in (CouncilFlow.vote, CouncilFlow.close_voting, CouncilFlow.deadline)
    )


def cast(activation, *, member, choices):
    return council.ballot_cast(
        session=activation.process.artifact, member=member, choices=choices, trail=trail(activation)
    )


def count_votes(activation):
    council.voting_close(session=activation.process.artifact, trail=trail(activation))


def decide_revote(activation, *, actor, revote: bool):
    if revote:
        council.second_round_open(session=activation.process.artifact, actor=actor, trail=trail(activation))
    activation.process.revote = revote
    activation.process.save()


def conclude(activation):
    # The service records the dossiers' resumption (nominations.signals.nominations_decided).
    council.session_conclude(session=activation.process.artifact, trail=trail(activation))
