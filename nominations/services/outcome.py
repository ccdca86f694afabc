"""The dossier after the council: waiting for the chairman, and the final outcome."""

from django.db import transaction
from django.utils import timezone

from jobs.outbox import enqueue
from workflow import audit

from ..access import LEADERS, share_submission
from ..models import Nomination, Submission
from ..tasks import notify_outcome_task
from .review import _locked

S, N = Submission.Status, Nomination.Status


@transaction.atomic
def submission_council_decided(*, submission: Submission | int, trail=None) -> Submission:
    """Every nomination of the dossier has the council's result: record that the dossier moves on."""
    submission = _locked(submission)
    old = submission.status
    submission.status = S.IN_COUNCIL
    submission.save(update_fields=["status"])
    results = dict(submission.nominations.values_list("pk", "status"))
    audit.record_transition(
        submission,
        audit.SUBMISSION_UPDATED,
        before=old,
        after=S.IN_COUNCIL,
        data={"council_results": {str(k): v for k, v in results.items()}},
        trail=trail,
    )
    return submission


@transaction.atomic
def submission_to_chairman(*, submission: Submission | int, trail=None) -> Submission:
    """The council's result goes to the chairman, who may now see the dossier."""

    submission = _locked(submission)
    share_submission(submission, LEADERS, submission.campaign.issuer)
    submission.status = S.AT_CHAIRMAN
    submission.save(update_fields=["status"])
    audit.record_transition(submission, audit.SUBMISSION_UPDATED, before=S.IN_COUNCIL, after=S.AT_CHAIRMAN, trail=trail)
    return submission


# Why a nomination closed without an award, by the state it was left in. Every state that can reach the
# end of a dossier has one, so no unit is ever told "not awarded" without a reason.
_DEFAULT_REASONS = {
    N.DRAFT: "Hồ sơ chưa được trình",
    N.SUBMITTED: "Hồ sơ chưa được thẩm định",
    N.NEEDS_COMPLETION: "Đơn vị không bổ sung hồ sơ theo yêu cầu",
    N.ACCEPTED: "Hội đồng chưa xét",
    N.REJECTED: "Không đạt thẩm định",
    N.COUNCIL_PASSED: "Chưa có quyết định khen thưởng của Chủ tịch UBND",
    N.COUNCIL_FAILED: "Hội đồng không thông qua",
}


@transaction.atomic
def submission_finalise(*, submission: Submission | int, trail=None) -> Submission:
    """Close the dossier: items not awarded by a signed decision are not awarded, each with its reason."""
    submission = _locked(submission)
    old = submission.status
    for nomination in submission.nominations.all():
        before = nomination.status
        if before in (N.AWARDED, N.NOT_AWARDED, N.REVOKED):
            continue  # decided by the chairman's signed decision (or its revocation)
        reason = nomination.outcome_reason or _DEFAULT_REASONS.get(before, "")
        nomination_finalise(nomination, N.NOT_AWARDED, reason=reason, trail=trail)
    submission.status = S.DECIDED
    submission.save(update_fields=["status"])
    audit.record_transition(submission, audit.SUBMISSION_DECIDED, before=old, after=S.DECIDED, trail=trail)
    # The unit is told once the dossier's closing has committed (and never for a closing rolled back).
    enqueue(notify_outcome_task, submission.pk)
    return submission


def nomination_finalise(
    nomination: Nomination, status: str, *, reason: str = "", event=audit.NOMINATION_FINALISED, data=None, trail=None
) -> Nomination:
    """The one way a nomination gets its outcome (awarded, or not awarded with the reason) into its row and trail.

    ``event``: NOMINATION_STRUCK when the signer struck the name from the decision.
    """
    before = nomination.status
    nomination.status, nomination.outcome_reason = status, reason
    nomination.save(update_fields=["status", "outcome_reason", "updated_at"])
    audit.record_transition(nomination, event, before=before, after=status, comment=reason, data=data, trail=trail)
    return nomination


def nominations_finalise(outcomes: list[tuple[Nomination, str, str, str]], *, data=None, trail=None) -> None:
    """``nomination_finalise`` for many at once (a decision's awardees): one UPDATE and one chained audit append
    for the lot, whatever their number. ``outcomes``: (nomination, status, reason, event) per nomination."""
    now, events = timezone.now(), []
    for nomination, status, reason, event in outcomes:
        before = nomination.status
        nomination.status, nomination.outcome_reason, nomination.updated_at = status, reason, now
        fields = {"before": before, "after": status, "comment": reason, "data": data, "trail": trail}
        events.append(audit.transition(nomination, event, **fields))
    # One UPDATE per distinct (status, reason): all the awarded at once (bulk_update's CASE per row costs seconds).
    groups = {}
    for nomination, status, reason, _event in outcomes:
        groups.setdefault((status, reason), []).append(nomination.pk)
    for (status, reason), pks in groups.items():
        Nomination.objects.filter(pk__in=pks).update(status=status, outcome_reason=reason, updated_at=now)
    audit.record_many(events)
