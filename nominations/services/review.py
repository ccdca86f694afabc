"""The dossier's way up: unit head, ward, standing-body appraisal, completion."""

import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import IntegerField, JSONField, OuterRef, Q, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import audit

from .. import compiled
from ..access import COUNCIL, REVIEWERS, WARD, share_submission
from ..models import Attachment, AwardRuleSet, AwardType, Nomination, Submission
from ..models.awards import DocumentKind
from ..selectors import rule_set_on, rule_sets_on
from .dossiers import check_accepts_nominations

S, N = Submission.Status, Nomination.Status

ACCEPT, COMPLETE, REJECT = Nomination.Review.ACCEPT, Nomination.Review.COMPLETE, Nomination.Review.REJECT


# What the steps after a dossier's step may read: the flow's gateway (``needs_ward_review``), the next task's
# permission object (``proposing_unit``, ``reviewing_ward``, ``issuing_unit``) and its owner (``dossier_creator``).
AFTER_ANY_STEP = ("campaign__issuer", "unit__parent", "created_by")


def _locked(submission: Submission | int, related=AFTER_ANY_STEP) -> Submission:
    """The dossier (or its id) locked for this transaction, re-read with the relations ``related`` that the
    service and the steps after it read once the step hands the row back to the process (a narrower list when
    the service knows the next node: each related row read is ORM work in every step).
    Only the dossier's row is locked: locking the campaign too (as a plain ``select_for_update`` over the joins
    would) made every step of a campaign wait for every other one on PostgreSQL.
    """
    pk = getattr(submission, "pk", submission)
    # Compiled once per list of relations (nominations.compiled): building the join is most of the ORM's work.
    found = compiled.bound_instances(
        ("review._locked", *related),
        lambda pk: Submission.objects.select_for_update(of=("self",)).select_related(*related).filter(pk=pk).order_by(),
        (pk,),
        (compiled.STAND_IN_ID,),
    )
    if not found:
        raise Submission.DoesNotExist("Submission matching query does not exist.")
    return found[0]


def _expect(submission: Submission, *states) -> None:
    if submission.status not in states:
        raise ValidationError(
            _("Hồ sơ đang ở trạng thái “%(s)s”, không thực hiện được thao tác này.")
            % {"s": submission.get_status_display()},
            code="wrong_state",
        )


def missing_documents(submission: Submission) -> list[str]:
    """Human-readable list of required documents not yet attached, per nomination (one query: ``_dossier_rows``)."""
    return _missing(*_dossier_rows(submission))


def _missing(nominations: list[tuple], kinds_by_nomination: dict) -> list[str]:
    shared = kinds_by_nomination.get(None, set())
    missing = []
    for pk, candidate, required in nominations:
        present = shared | kinds_by_nomination.get(pk, set())
        for kind in required:
            if kind not in present:
                missing.append(f"{candidate}: {DocumentKind(kind).label}")
    return missing


NOMINATION, ATTACHMENT = 0, 1  # the two parts of ``_dossier_rows``' statement


def _dossier_rows(submission: Submission) -> tuple[list[tuple], dict]:
    """The dossier's nominations — (id, candidate's name — its str(), required documents), in their order — and
    the kinds of its current attachments ({nomination id, None for the dossier's own: set of kinds}).

    The required documents are those of the award type's rule set in force on the dossier's rules day (the
    day the standing body received it, today before that: ``Submission.rules_day``); a nomination whose award
    type has none raises NoRuleInForce as ``rule_set_on`` does. One statement for both (a UNION ALL), compiled
    once per process (nominations.compiled): building the subquery cost the ORM more than PostgreSQL spends on it.
    """
    day = submission.rules_day
    rows = compiled.bound_rows(
        ("review._dossier_rows",),
        _dossier_rows_query,
        (submission.pk, day),
        (compiled.STAND_IN_ID, compiled.STAND_IN_DAY),
    )
    nominations, kinds_by_nomination = [], {}
    for part, pk, name_or_kind, required, award_type_id in rows:
        if part == ATTACHMENT:
            kinds_by_nomination.setdefault(pk, set()).add(name_or_kind)
            continue
        if required is None:
            rule_set_on(AwardType.objects.get(pk=award_type_id), day)  # raises NoRuleInForce with its message
        nominations.append((pk, name_or_kind, required))
    return nominations, kinds_by_nomination


def _dossier_rows_query(submission_id, day):
    in_force = (
        AwardRuleSet.objects.filter(award_type=OuterRef("award_type_id"), valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .values("required_documents")[:1]
    )
    nominations = (
        Nomination.objects.filter(submission_id=submission_id)
        .annotate(part=Value(NOMINATION), required=Subquery(in_force, output_field=JSONField()))
        .order_by()
        .values_list("part", "pk", "candidate__name", "required", "award_type_id")
    )
    attachments = (
        Attachment.objects.filter(submission_id=submission_id)
        .annotate(
            part=Value(ATTACHMENT),
            required=Value(None, output_field=JSONField()),
            award=Value(None, output_field=IntegerField()),
        )
        .order_by()
        .values_list("part", "nomination_id", "kind", "required", "award")
    )
    return nominations.union(attachments, all=True).order_by("part", "pk")


def _rules_by_award_type(nominations, day) -> dict:
    """{award type id: its rule set on ``day``}: one query for all the award types of ``nominations``."""
    return rule_sets_on([nomination.award_type_id for nomination in nominations], day)


def _in_transaction(service):
    """The service in the caller's transaction when there is one (a step runs under viewflow's process lock in
    one), else in one of its own. No savepoint inside the caller's: the service raises its ValidationErrors before
    it writes anything, so there is nothing to roll back to (a SAVEPOINT and a RELEASE less per step), and an
    error after a write fails the caller's whole transaction, as it would have anyway."""

    @functools.wraps(service)
    def run(*args, **kwargs):
        if transaction.get_connection().in_atomic_block:
            return service(*args, **kwargs)
        with transaction.atomic():
            return service(*args, **kwargs)

    return run


@_in_transaction
def submission_send_to_head(*, submission: Submission | int, actor, comment: str = "", trail=None) -> Submission:
    """The clerk hands a complete draft to the unit head."""
    # The head's task comes next, whose permission object is the proposing unit: nothing else is read after.
    submission = _locked(submission, related=("unit",))
    _expect(submission, S.DRAFT)
    nominations, kinds_by_nomination = _dossier_rows(submission)
    if not nominations:
        raise ValidationError(_("Hồ sơ chưa có đề nghị nào."), code="empty")
    missing = _missing(nominations, kinds_by_nomination)
    if missing:
        raise ValidationError(
            _("Hồ sơ còn thiếu tài liệu bắt buộc: %(m)s") % {"m": "; ".join(missing)}, code="missing_documents"
        )
    audit.record_transition(
        submission,
        audit.SUBMISSION_SENT_TO_HEAD,
        actor=actor,
        before=S.DRAFT,
        after=S.DRAFT,
        comment=comment,
        trail=trail,
    )
    return submission


@transaction.atomic
def submission_head_decide(
    *, submission: Submission | int, actor, submit: bool, comment: str = "", trail=None
) -> Submission:
    """The unit head submits the dossier (within the deadline) or returns it to the clerk."""
    submission = _locked(submission)
    _expect(submission, S.DRAFT)
    if not submit:
        if not comment.strip():
            raise ValidationError({"comment": _("Cần ghi rõ lý do trả lại hồ sơ.")})
        audit.record_transition(
            submission,
            audit.SUBMISSION_RETURNED,
            actor=actor,
            before=S.DRAFT,
            after=S.DRAFT,
            comment=comment,
            trail=trail,
        )
        return submission
    check_accepts_nominations(submission.campaign, timezone.localdate())
    submission.status, submission.submitted_at = S.SUBMITTED, timezone.now()
    if not submission.needs_ward_review and submission.received_on is None:
        # Straight to the standing body: received today (see ``_received``), in the same UPDATE.
        submission.received_on = timezone.localdate()
    submission.save(update_fields=["status", "submitted_at", "received_on"])
    submission.nominations.update(status=N.SUBMITTED)
    _share_upwards(submission)
    audit.record_transition(
        submission,
        audit.SUBMISSION_SUBMITTED,
        actor=actor,
        before=S.DRAFT,
        after=S.SUBMITTED,
        comment=comment,
        trail=trail,
    )
    return submission


def _received(submission: Submission) -> None:
    """The standing body receives the dossier: the first time fixes the day whose rules judge it (documents,
    criteria, completion limit), kept when it is returned and completed later."""
    if submission.received_on is None:
        submission.received_on = timezone.localdate()
        submission.save(update_fields=["received_on"])


def _share_upwards(submission: Submission) -> None:
    if submission.needs_ward_review:
        share_submission(submission, WARD, submission.unit.parent)
    else:
        share_submission(submission, REVIEWERS, submission.campaign.issuer)


@transaction.atomic
def submission_ward_decide(
    *, submission: Submission | int, actor, endorse: bool, comment: str = "", trail=None
) -> Submission:
    """The ward/commune forwards a subordinate unit's dossier to the standing body, or returns it."""

    submission = _locked(submission)
    _expect(submission, S.SUBMITTED)
    if endorse:
        share_submission(submission, REVIEWERS, submission.campaign.issuer)
        _received(submission)
        event, to_state = audit.SUBMISSION_WARD_ENDORSED, S.SUBMITTED
    else:
        if not comment.strip():
            raise ValidationError({"comment": _("Cần ghi rõ lý do trả lại hồ sơ.")})
        submission.status = S.DRAFT
        submission.save(update_fields=["status"])
        submission.nominations.update(status=N.DRAFT)
        event, to_state = audit.SUBMISSION_RETURNED, S.DRAFT
    audit.record_transition(
        submission, event, actor=actor, before=S.SUBMITTED, after=to_state, comment=comment, trail=trail
    )
    return submission


@transaction.atomic
def submission_review(
    *, submission: Submission | int, actor, decisions: dict, comment: str = "", trail=None
) -> tuple[Submission, str]:
    """Appraise every pending nomination: accept, request completion (with the missing items) or reject.

    ``decisions`` maps nomination id → (decision, note). Returns the dossier and
    COMPLETE when it goes back to the unit, otherwise ACCEPT.
    """
    submission = _locked(submission)
    _expect(submission, S.SUBMITTED, S.IN_REVIEW)
    pending = {n.pk: n for n in submission.nominations.filter(status=N.SUBMITTED).select_related("award_type")}
    _check_decisions(pending, decisions)
    wants_completion = any(d == COMPLETE for d, _note in decisions.values())
    if wants_completion:
        _check_completion_limit(submission, pending.values())
    new_status = {ACCEPT: N.ACCEPTED, COMPLETE: N.NEEDS_COMPLETION, REJECT: N.REJECTED}
    for pk, (decision, note) in decisions.items():
        nomination = pending[pk]
        nomination.status = new_status[decision]
        nomination.missing_items = note if decision == COMPLETE else ""
        nomination.outcome_reason = note if decision == REJECT else ""
        nomination.save(update_fields=["status", "missing_items", "outcome_reason", "updated_at"])
        audit.record_transition(
            nomination,
            audit.NOMINATION_REVIEWED,
            actor=actor,
            before=N.SUBMITTED,
            after=nomination.status,
            comment=note,
            data={"decision": decision},
            trail=trail,
        )
    old = submission.status
    submission.status = S.IN_REVIEW
    if wants_completion:
        submission.review_rounds += 1
    elif submission.nominations.filter(status=N.ACCEPTED).exists():
        share_submission(submission, COUNCIL, submission.campaign.issuer)
    submission.save(update_fields=["status", "review_rounds"])
    audit.record_transition(
        submission,
        audit.SUBMISSION_UPDATED,
        actor=actor,
        before=old,
        after=submission.status,
        comment=comment,
        data={"review_rounds": submission.review_rounds},
        trail=trail,
    )
    return submission, (COMPLETE if wants_completion else ACCEPT)


def _check_decisions(pending: dict, decisions: dict) -> None:
    if set(decisions) != set(pending):
        raise ValidationError(_("Cần cho ý kiến thẩm định đối với tất cả các đề nghị đang chờ."), code="incomplete")
    for decision, note in decisions.values():
        if decision not in (ACCEPT, COMPLETE, REJECT):
            raise ValidationError(_("Ý kiến thẩm định không hợp lệ."), code="invalid")
        if decision in (COMPLETE, REJECT) and not note.strip():
            raise ValidationError(
                _("Cần ghi rõ nội dung cần bổ sung hoặc lý do không đạt cho từng đề nghị."), code="note_required"
            )


def _check_completion_limit(submission: Submission, nominations) -> None:
    limits = [
        rule.completion_requests_limit for rule in _rules_by_award_type(nominations, submission.rules_day).values()
    ]
    limit = min((x for x in limits if x), default=0)
    if limit and submission.review_rounds >= limit:
        raise ValidationError(
            _(
                "Đã yêu cầu bổ sung hồ sơ %(n)s lần; quy định chỉ cho phép %(limit)s lần. "
                "Hãy kết luận đạt hoặc không đạt."
            )
            % {"n": submission.review_rounds, "limit": limit},
            code="completion_limit",
        )


@transaction.atomic
def submission_complete(*, submission: Submission | int, actor, comment: str = "", trail=None) -> Submission:
    """The clerk has supplied the missing items; the dossier returns to the same reviewer."""
    submission = _locked(submission)
    _expect(submission, S.IN_REVIEW)
    waiting = submission.nominations.filter(status=N.NEEDS_COMPLETION)
    if not waiting.exists():
        raise ValidationError(_("Không có đề nghị nào cần bổ sung."), code="nothing_to_complete")
    for nomination in waiting:
        nomination.status = N.SUBMITTED
        nomination.save(update_fields=["status", "updated_at"])
        audit.record_transition(
            nomination,
            audit.NOMINATION_UPDATED,
            actor=actor,
            before=N.NEEDS_COMPLETION,
            after=N.SUBMITTED,
            comment=comment,
            trail=trail,
        )
    audit.record_transition(
        submission,
        audit.SUBMISSION_COMPLETED,
        actor=actor,
        before=S.IN_REVIEW,
        after=S.IN_REVIEW,
        comment=comment,
        trail=trail,
    )
    return submission
