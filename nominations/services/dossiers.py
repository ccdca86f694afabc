"""Building a unit's dossier: the submission, its nominations and files."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import audit

from ..access import UNIT, share_submission
from ..models import Attachment, Campaign, Candidate, Nomination, OrgUnit, Submission
from ..models.awards import AwardType
from ..selectors import NoRuleInForce, rule_set_on, standing
from ..uploads import check_upload, clean_name
from .award_rules import check_authority

CANDIDATE_FIELDS = [
    *("kind", "name", "gender", "birth_year", "ethnicity", "position", "direct_worker"),
    *("leader_level", "business_person"),
]
NOMINATION_FIELDS = ["award_type", "achievement"]
# A nomination not yet decided: it holds a place of the quota until its outcome.
_N = Nomination.Status
IN_PLAY = [_N.DRAFT, _N.SUBMITTED, _N.NEEDS_COMPLETION, _N.ACCEPTED, _N.COUNCIL_PASSED, _N.COUNCIL_FAILED]


def _today() -> datetime.date:
    return timezone.localdate()


def check_accepts_nominations(campaign: Campaign, day: datetime.date) -> None:
    """Raise a Vietnamese ValidationError unless ``campaign`` takes proposals on ``day``."""
    if campaign.status != Campaign.Status.LAUNCHED:
        raise ValidationError(_("Phong trào “%(c)s” không nhận hồ sơ đề nghị.") % {"c": campaign}, code="closed")
    if day > campaign.nomination_deadline:
        raise ValidationError(
            _("Đã quá hạn nộp hồ sơ đề nghị của phong trào (hạn cuối %(d)s).")
            % {"d": campaign.nomination_deadline.strftime("%d/%m/%Y")},
            code="deadline_passed",
        )
    if not campaign.issuer.is_valid_on(day):
        raise ValidationError(
            _("%(u)s không còn hoạt động ngày %(d)s: phong trào không nhận hồ sơ.")
            % {"u": campaign.issuer, "d": day.strftime("%d/%m/%Y")},
            code="issuer_not_in_force",
        )


def check_unit_in_force(unit: OrgUnit, day: datetime.date) -> None:
    """A unit proposes only while it exists: a dissolved or merged unit's successor proposes instead."""
    if not unit.is_valid_on(day):
        raise ValidationError(
            {
                "unit": _("%(u)s không còn hoạt động ngày %(d)s, không thể lập hồ sơ đề nghị.")
                % {"u": unit, "d": day.strftime("%d/%m/%Y")}
            },
            code="unit_not_in_force",
        )


@transaction.atomic
def submission_create(*, campaign: Campaign, unit: OrgUnit, title: str, actor, trail=None) -> Submission:
    """Open a draft dossier of ``unit`` for ``campaign``."""
    day = _today()
    check_accepts_nominations(campaign, day)
    check_unit_in_force(unit, day)
    submission = Submission(campaign=campaign, unit=unit, title=title, created_by=actor)
    submission.full_clean()
    submission.save()

    share_submission(submission, UNIT, unit)
    audit.record_transition(
        submission,
        audit.SUBMISSION_CREATED,
        actor=actor,
        after=submission.status,
        data=audit.snapshot(submission, ["campaign", "unit", "title"]),
        trail=trail,
    )
    return submission


def scope_of(submission: Submission) -> str:
    """The Submission's audit trail (the pages and the API read it by this name)."""
    return submission.audit_scope


def check_editable(submission: Submission, *, completing: bool = True) -> None:
    """A dossier changes only while drafted, or (``completing``) while the unit supplies missing items."""
    if submission.status == Submission.Status.DRAFT:
        return
    if (
        completing
        and submission.status == Submission.Status.IN_REVIEW
        and submission.nominations.filter(status=Nomination.Status.NEEDS_COMPLETION).exists()
    ):
        return
    raise ValidationError(_("Hồ sơ đã trình, không thể sửa ở bước này."), code="not_editable")


def check_not_locked(nomination: Nomination | None) -> None:
    """In a completion round the unit changes only what the reviewer sent back: what she accepted (or
    rejected) stays as she appraised it, or round 2 would pass it unseen."""
    if nomination is None or nomination.submission.status != Submission.Status.IN_REVIEW:
        return
    if nomination.status != Nomination.Status.NEEDS_COMPLETION:
        raise ValidationError(
            _("Đề nghị “%(n)s” đã được thẩm định, không sửa được trong vòng bổ sung.") % {"n": nomination.candidate},
            code="locked",
        )


def _check_offer(submission: Submission, award_type: AwardType, kind: str) -> None:
    if not submission.campaign.offers.filter(award_type=award_type).exists():
        raise ValidationError({"award_type": _("Phong trào không có hình thức khen thưởng này.")})
    try:
        # The criteria of the day the standing body received the dossier (a completion round keeps them).
        rule = rule_set_on(award_type, submission.rules_day)
    except NoRuleInForce as exc:
        raise ValidationError({"award_type": str(exc)}) from exc
    # Proposed only to an issuer that may decide the award under the rules in force (no dossier it must refuse).
    check_authority(submission.campaign.issuer, rule)
    if kind not in rule.recipient_kinds:
        raise ValidationError({"kind": _("Hình thức “%(a)s” không áp dụng cho đối tượng này.") % {"a": award_type}})


def _check_quota(submission: Submission, award_type: AwardType, exclude_pk=None, kind: str = "") -> None:
    offer = submission.campaign.offers.filter(award_type=award_type).first()
    # A quota for the candidate's kind (individuals / collectives) counts that kind only; else one for all kinds.
    mine = offer.unit_quotas.filter(unit=submission.unit, kind__in=[kind or "", ""]) if offer else None
    unit_quota = mine.order_by("-kind").first() if offer else None
    quota = unit_quota.quota if unit_quota else (offer.default_quota if offer else None)
    if quota is None:
        return
    # Two clerks of a unit adding at once would both see room for one more: the unit's row serialises them.
    OrgUnit.objects.select_for_update().filter(pk=submission.unit_id).exists()
    used = (
        Nomination.objects.filter(
            submission__campaign=submission.campaign, submission__unit=submission.unit, award_type=award_type
        )
        .filter(**({"candidate__kind": kind} if unit_quota and unit_quota.kind else {}))
        .exclude(pk=exclude_pk)
        # Still in play, or awarded and standing (selectors.standing): never rejected, not awarded or revoked.
        .filter(Q(status__in=IN_PLAY) | standing(Nomination))
        .count()
    )
    if used >= quota:
        raise ValidationError(
            {"award_type": _("Đơn vị đã dùng hết chỉ tiêu %(q)s đề nghị cho hình thức này.") % {"q": quota}}
        )


@transaction.atomic
def nomination_add(
    *, submission: Submission, candidate: dict, award_type: AwardType, achievement: str, actor, trail=None
) -> Nomination:
    """Add a candidate and its nomination to a draft dossier; all or nothing."""
    check_editable(submission, completing=False)
    _check_offer(submission, award_type, candidate.get("kind"))
    _check_quota(submission, award_type, kind=candidate.get("kind", ""))
    person = Candidate(unit=submission.unit, **candidate)
    person.full_clean()
    person.save()
    nomination = Nomination(submission=submission, candidate=person, award_type=award_type, achievement=achievement)
    nomination.full_clean()
    nomination.save()
    audit.record_transition(
        nomination,
        audit.NOMINATION_ADDED,
        actor=actor,
        data={**audit.snapshot(person, CANDIDATE_FIELDS), **audit.snapshot(nomination, NOMINATION_FIELDS)},
        trail=trail,
    )
    return nomination


@transaction.atomic
def nomination_update(
    *, nomination: Nomination, candidate: dict, award_type: AwardType, achievement: str, actor, trail=None
) -> Nomination:
    """Change a nomination while its dossier is being prepared, or completed if the reviewer sent it back."""
    check_editable(nomination.submission)
    check_not_locked(nomination)
    person = nomination.candidate
    before = {**audit.snapshot(person, CANDIDATE_FIELDS), **audit.snapshot(nomination, NOMINATION_FIELDS)}
    if award_type != nomination.award_type:
        _check_quota(
            nomination.submission, award_type, exclude_pk=nomination.pk, kind=candidate.get("kind", person.kind)
        )
    _check_offer(nomination.submission, award_type, candidate.get("kind", person.kind))
    for field, value in candidate.items():
        setattr(person, field, value)
    person.full_clean()
    person.save()
    nomination.award_type, nomination.achievement = award_type, achievement
    nomination.full_clean()
    nomination.save(update_fields=["award_type", "achievement", "updated_at"])
    after = {**audit.snapshot(person, CANDIDATE_FIELDS), **audit.snapshot(nomination, NOMINATION_FIELDS)}
    audit.record_transition(
        nomination, audit.NOMINATION_UPDATED, actor=actor, changes=audit.diff(before, after), trail=trail
    )
    return nomination


@transaction.atomic
def nomination_remove(*, nomination: Nomination, actor, trail=None) -> None:
    """Withdraw a nomination from a dossier that has not been submitted yet."""
    if nomination.status != Nomination.Status.DRAFT:
        raise ValidationError(_("Chỉ rút được đề nghị chưa trình."))
    audit.record_transition(
        nomination,
        audit.NOMINATION_REMOVED,
        actor=actor,
        data={
            **audit.snapshot(nomination.candidate, CANDIDATE_FIELDS),
            **audit.snapshot(nomination, NOMINATION_FIELDS),
        },
        trail=trail,
    )
    nomination.delete()


@transaction.atomic
def attachment_add(
    *, submission: Submission, upload, kind: str, actor, nomination: Nomination | None = None, trail=None
) -> Attachment:
    """Store a checked file of the dossier under a non-guessable name."""
    check_editable(submission)
    try:
        content_type, sha256 = check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from None
    if nomination is not None and nomination.submission_id != submission.pk:
        raise ValidationError({"nomination": _("Đề nghị không thuộc hồ sơ này.")})
    try:
        check_not_locked(nomination)
    except ValidationError as error:
        raise ValidationError({"nomination": error.messages}) from None
    attachment = Attachment(
        submission=submission,
        nomination=nomination,
        kind=kind,
        original_name=clean_name(upload.name),
        content_type=content_type,
        size=upload.size,
        sha256=sha256,
        uploaded_by=actor,
    )
    attachment.file.save("upload", upload, save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    audit.record_transition(
        attachment,
        audit.ATTACHMENT_ADDED,
        actor=actor,
        data=audit.snapshot(attachment, ["kind", "original_name", "content_type", "size", "sha256", "nomination"]),
        trail=trail,
    )
    return attachment
