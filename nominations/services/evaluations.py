"""From results to proposals: the unit's self-assessment of each commitment, work and target of its accepted
registration, read next to its dossier; and the works and targets a collective nomination rests on.

A dossier's evaluation is its unit's registration for the dossier's campaign (``evaluation_of``): one
registration per unit and campaign, so the link needs no copy that could drift."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from workflow import audit

from ..models import NominationBasis, Registration, SelfAssessment
from ..models.awards import RecipientKind

COLLECTIVE_KINDS = (RecipientKind.COLLECTIVE, RecipientKind.ENTERPRISE)
MAX_COMMENT = 4000


def _check_item(value, field: str) -> tuple[str, str]:
    if not isinstance(value, dict):
        raise ValidationError({field: _("Mỗi mục cần kết quả tự đánh giá và nhận xét.")})
    result, comment = value.get("result"), str(value.get("comment") or "").strip()
    if result not in SelfAssessment.Result.values:
        raise ValidationError({field: _("Kết quả tự đánh giá không hợp lệ.")})
    if len(comment) > MAX_COMMENT:
        raise ValidationError({field: _("Nhận xét không quá %(n)s ký tự.") % {"n": MAX_COMMENT}})
    return result, comment


def _items(registration: Registration, commitments: dict, works: dict, plans: dict) -> list[tuple]:
    """(field name, object, result, comment) for every item given, all checked before anything is written."""
    owned = {
        "commitment": {c.pk: c for c in registration.commitments.all()},
        "work": {w.pk: w for w in registration.works.all()},
        "plan": {p.pk: p for p in registration.plans.all()},
    }
    items = []
    for field, given in (("commitment", commitments), ("work", works), ("plan", plans)):
        for pk, value in (given or {}).items():
            obj = owned[field].get(int(pk)) if str(pk).isdigit() else None
            if obj is None:
                raise ValidationError({f"{field}s": _("Mục đánh giá không thuộc đăng ký này.")})
            items.append((field, obj, *_check_item(value, f"{field}s")))
    return items


@transaction.atomic
def evaluation_save(*, registration: Registration, actor, commitments=None, works=None, plans=None, trail=None):
    """Write (or rewrite) the assessments given; only on an accepted registration; all or nothing."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.ACCEPTED:
        raise ValidationError(_("Chỉ tự đánh giá khi đăng ký thi đua đã được chấp thuận."))
    items = _items(registration, commitments, works, plans)
    if not items:
        raise ValidationError(_("Chưa có mục nào được tự đánh giá."))
    for field, obj, result, comment in items:
        SelfAssessment.objects.update_or_create(
            registration=registration,
            **{field: obj},
            defaults={"result": result, "comment": comment, "updated_by": actor},
        )
    audit.record_transition(
        registration,
        audit.REGISTRATION_EVALUATED,
        actor=actor,
        data={f"{field}:{obj.pk}": result for field, obj, result, _comment in items},
        trail=trail,
    )
    return registration


def evaluation_of(submission) -> Registration | None:
    """The registration of the dossier's unit for the dossier's campaign, if the unit registered."""
    registrations = Registration.objects.select_related("unit")
    return registrations.filter(campaign_id=submission.campaign_id, unit_id=submission.unit_id).first()


@transaction.atomic
def nomination_basis_set(*, nomination, actor, works=(), plans=(), trail=None):
    """Replace the works and targets a collective nomination rests on: its unit's registration's, for its
    campaign; an individual's nomination rests on none."""
    if nomination.candidate.kind not in COLLECTIVE_KINDS:
        raise ValidationError(_("Chỉ đề nghị khen thưởng tập thể mới gắn công trình, chỉ tiêu."))
    registration = evaluation_of(nomination.submission)
    if registration is None:
        raise ValidationError(_("Đơn vị chưa đăng ký thi đua trong phong trào này."))
    own_works = set(registration.works.values_list("pk", flat=True))
    own_plans = set(registration.plans.values_list("pk", flat=True))
    works, plans = {int(w) for w in works}, {int(p) for p in plans}
    if not works <= own_works:
        raise ValidationError({"works": _("Công trình không thuộc đăng ký thi đua của đơn vị.")})
    if not plans <= own_plans:
        raise ValidationError({"plans": _("Chỉ tiêu không thuộc đăng ký thi đua của đơn vị.")})
    before = sorted(nomination.basis.values_list("work_id", "plan_id"))
    nomination.basis.all().delete()
    NominationBasis.objects.bulk_create(
        [NominationBasis(nomination=nomination, work_id=w) for w in sorted(works)]
        + [NominationBasis(nomination=nomination, plan_id=p) for p in sorted(plans)]
    )
    audit.record_transition(
        nomination,
        audit.NOMINATION_BASIS_SET,
        actor=actor,
        changes={"before": before, "after": {"works": sorted(works), "plans": sorted(plans)}},
        trail=trail,
    )
    return nomination


def basis_of(nomination) -> list[NominationBasis]:
    return list(nomination.basis.select_related("work", "plan__target"))


def assessments_of(registration: Registration | None) -> list[SelfAssessment]:
    if registration is None:
        return []
    return list(registration.assessments.select_related("commitment__area", "work", "plan__target"))
