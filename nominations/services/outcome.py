"""The dossier after the council: waiting for the chairman, and the final outcome."""

from django.db import transaction

from workflow import audit

from ..access import LEADERS, share_submission
from ..models import Nomination, Submission
from .dossiers import scope_of
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
    audit.record(
        audit.SUBMISSION_UPDATED,
        target=submission,
        scope=scope_of(submission),
        from_state=old,
        to_state=S.IN_COUNCIL,
        data={"council_results": {str(k): v for k, v in results.items()}},
        **(trail or {}),
    )
    return submission


@transaction.atomic
def submission_to_chairman(*, submission: Submission | int, trail=None) -> Submission:
    """The council's result goes to the chairman, who may now see the dossier."""

    submission = _locked(submission)
    share_submission(submission, LEADERS, submission.campaign.issuer)
    submission.status = S.AT_CHAIRMAN
    submission.save(update_fields=["status"])
    audit.record(
        audit.SUBMISSION_UPDATED,
        target=submission,
        scope=scope_of(submission),
        from_state=S.IN_COUNCIL,
        to_state=S.AT_CHAIRMAN,
        **(trail or {}),
    )
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
        nomination.status = N.NOT_AWARDED
        nomination.outcome_reason = nomination.outcome_reason or _DEFAULT_REASONS.get(before, "")
        nomination.save(update_fields=["status", "outcome_reason", "updated_at"])
        audit.record(
            audit.NOMINATION_FINALISED,
            target=nomination,
            scope=scope_of(submission),
            from_state=before,
            to_state=nomination.status,
            comment=nomination.outcome_reason,
            **(trail or {}),
        )
    submission.status = S.DECIDED
    submission.save(update_fields=["status"])
    audit.record(
        audit.SUBMISSION_DECIDED,
        target=submission,
        scope=scope_of(submission),
        from_state=old,
        to_state=S.DECIDED,
        **(trail or {}),
    )
    return submission
