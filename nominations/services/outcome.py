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
def council_record(*, submission: Submission, actor, results: dict, comment: str = "", trail=None) -> Submission:
    """Record the council's result per accepted nomination: ``{id: (passed, note)}``."""
    submission = _locked(submission)
    _expect(submission, S.IN_REVIEW, S.IN_COUNCIL)
    on_agenda = {
        n.pk: n for n in submission.nominations.filter(status__in=[N.ACCEPTED, N.COUNCIL_PASSED, N.COUNCIL_FAILED])
    }
    if set(results) != set(on_agenda):
        raise ValidationError(_("Cần ghi kết quả của Hội đồng cho tất cả các đề nghị."), code="incomplete")
    for pk, (passed, note) in results.items():
        nomination, old = on_agenda[pk], on_agenda[pk].status
        if not passed and not note.strip():
            raise ValidationError(_("Cần ghi lý do Hội đồng không thông qua."), code="note_required")
        nomination.status = N.COUNCIL_PASSED if passed else N.COUNCIL_FAILED
        nomination.outcome_reason = "" if passed else note
        nomination.save(update_fields=["status", "outcome_reason", "updated_at"])
        audit.record(
            audit.NOMINATION_COUNCIL_RESULT,
            actor=actor,
            target=nomination,
            scope=scope_of(submission),
            from_state=old,
            to_state=nomination.status,
            comment=note,
            **(trail or {}),
        )
    old = submission.status
    submission.status = S.IN_COUNCIL
    submission.save(update_fields=["status"])
    audit.record(
        audit.SUBMISSION_UPDATED,
        actor=actor,
        target=submission,
        scope=scope_of(submission),
        from_state=old,
        to_state=S.IN_COUNCIL,
        comment=comment,
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
            raise ValidationError({"comment": _("Cần ghi ý kiến khi trả lại Thư ký Hội đồng.")})
        if struck:
            raise ValidationError(_("Khi trả lại hồ sơ thì không gạch tên đề nghị."), code="struck_on_return")
        submission.status = S.IN_COUNCIL
        submission.save(update_fields=["status"])
        audit.record(
            audit.SUBMISSION_RETURNED,
            actor=actor,
            target=submission,
            scope=scope_of(submission),
            from_state=S.AT_CHAIRMAN,
            to_state=S.IN_COUNCIL,
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
