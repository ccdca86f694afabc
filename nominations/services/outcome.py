"""The council's result, the chairman's approval and the final outcome."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from workflow import audit

from ..models import Nomination, Submission
from .dossiers import scope_of
from .review import _expect, _locked

S, N = Submission.Status, Nomination.Status


@transaction.atomic
def submission_council_decided(*, submission: Submission, trail=None) -> Submission:
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
def submission_to_chairman(*, submission: Submission, trail=None) -> Submission:
    """The council's result goes to the chairman, who may now see the dossier."""
    from workflow.permissions import LEADERS, share_submission

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


@transaction.atomic
def approval_decide(
    *, submission: Submission, actor, approve: bool, struck: dict, comment: str = "", trail=None
) -> Submission:
    """The chairman approves (possibly striking items, each with a reason) or returns to the secretary."""
    submission = _locked(submission)
    _expect(submission, S.AT_CHAIRMAN)
    if not approve:
        if not comment.strip():
            raise ValidationError({"comment": _("Cần ghi ý kiến khi trả lại Hội đồng.")})
        if struck:
            raise ValidationError(_("Khi trả lại hồ sơ thì không gạch tên đề nghị."), code="struck_on_return")
        submission.status = S.IN_REVIEW
        submission.save(update_fields=["status"])
        # Back on the council's agenda: the passed items are voted on again.
        for nomination in submission.nominations.filter(status=N.COUNCIL_PASSED):
            nomination.status = N.ACCEPTED
            nomination.save(update_fields=["status", "updated_at"])
            audit.record(
                audit.NOMINATION_UPDATED,
                actor=actor,
                target=nomination,
                scope=scope_of(submission),
                from_state=N.COUNCIL_PASSED,
                to_state=N.ACCEPTED,
                comment=comment,
                **(trail or {}),
            )
        audit.record(
            audit.SUBMISSION_RETURNED,
            actor=actor,
            target=submission,
            scope=scope_of(submission),
            from_state=S.AT_CHAIRMAN,
            to_state=S.IN_REVIEW,
            comment=comment,
            **(trail or {}),
        )
        return submission
    passed = {n.pk: n for n in submission.nominations.filter(status=N.COUNCIL_PASSED)}
    for pk, reason in struck.items():
        if pk not in passed:
            raise ValidationError(_("Chỉ gạch tên được đề nghị đã được Hội đồng thông qua."), code="invalid")
        if not reason.strip():
            raise ValidationError(_("Cần ghi lý do gạch tên từng đề nghị."), code="note_required")
        nomination = passed[pk]
        nomination.status, nomination.outcome_reason = N.NOT_AWARDED, reason
        nomination.save(update_fields=["status", "outcome_reason", "updated_at"])
        audit.record(
            audit.NOMINATION_STRUCK,
            actor=actor,
            target=nomination,
            scope=scope_of(submission),
            from_state=N.COUNCIL_PASSED,
            to_state=N.NOT_AWARDED,
            comment=reason,
            **(trail or {}),
        )
    audit.record(
        audit.SUBMISSION_DECIDED,
        actor=actor,
        target=submission,
        scope=scope_of(submission),
        from_state=S.AT_CHAIRMAN,
        to_state=S.AT_CHAIRMAN,
        comment=comment,
        data={"struck": sorted(struck)},
        **(trail or {}),
    )
    return submission


_DEFAULT_REASONS = {
    N.REJECTED: "Không đạt thẩm định",
    N.COUNCIL_FAILED: "Hội đồng không thông qua",
}


@transaction.atomic
def submission_finalise(*, submission: Submission, trail=None) -> Submission:
    """Close the dossier: approved items are awarded, every other item is not, with its reason."""
    submission = _locked(submission)
    old = submission.status
    for nomination in submission.nominations.all():
        before = nomination.status
        if before == N.COUNCIL_PASSED and old == S.AT_CHAIRMAN:
            nomination.status = N.AWARDED
        elif before != N.NOT_AWARDED:
            nomination.status = N.NOT_AWARDED
            nomination.outcome_reason = nomination.outcome_reason or _DEFAULT_REASONS.get(before, "")
        else:
            continue
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
