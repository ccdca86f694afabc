"""Campaigns: create and edit, then draft → launched → closed → summarised, each step one audited transition.

Only the issuer's administrator or its emulation office (``authority.campaign_issuers``)
writes a campaign. A launched campaign closes by itself the day after its
nomination deadline (``close_due_campaigns``, run by Celery beat); from then on
no dossier is opened or submitted (``dossiers.check_accepts_nominations``).
"""

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import audit

from ..models import AwardType, Campaign, CampaignAward, ContentArea, Nomination, OrgUnit, UnitQuota
from ..signals import campaign_launched
from . import authority
from .award_rules import check_offer_authority

S = Campaign.Status
FIELDS = [
    "code",
    "title",
    "theme",
    "goal",
    "legal_basis",
    "doc_number",
    "doc_date",
    "doc_signer",
    "doc_signer_title",
    "period_start",
    "period_end",
    "nomination_deadline",
    "ceremony_date",
]
# Fields that may still change once launched (a deadline extended, the ceremony set); the rest is what was launched.
LAUNCHED_FIELDS = {"nomination_deadline", "ceremony_date", "period_end"}
SYSTEM = "Hệ thống"


@dataclasses.dataclass
class Quota:
    unit: OrgUnit
    kind: str  # "" for every kind of recipient
    quota: int


@dataclasses.dataclass
class Offer:
    award_type: AwardType
    default_quota: int | None = None
    quotas: list[Quota] = dataclasses.field(default_factory=list)


def check_may_manage(actor, issuer: OrgUnit) -> None:
    if not authority.campaign_issuers(actor).filter(pk=issuer.pk).exists():
        raise ValidationError(
            _("Chỉ quản trị hệ thống hoặc cơ quan thường trực thi đua của %(u)s mới được quản lý phong trào.")
            % {"u": issuer},
            code="no_authority",
        )


def _check_offers(campaign: Campaign, award_types) -> None:
    """The issuer offers only what its level may decide under the rules of the campaign's days."""
    end = max(campaign.nomination_deadline, campaign.period_end)
    for award_type in award_types:
        check_offer_authority(campaign.issuer, award_type, campaign.period_start, end)


def _write_parts(campaign: Campaign, content_areas: list[str], offers: list[Offer]) -> None:
    campaign.content_areas.all().delete()
    ContentArea.objects.bulk_create(
        ContentArea(campaign=campaign, number=i, title=title) for i, title in enumerate(content_areas, 1)
    )
    kept = {offer.award_type.pk for offer in offers}
    campaign.offers.exclude(award_type__in=kept).delete()
    for offer in offers:
        row, _created = CampaignAward.objects.update_or_create(
            campaign=campaign, award_type=offer.award_type, defaults={"default_quota": offer.default_quota}
        )
        row.unit_quotas.all().delete()
        for quota in offer.quotas:
            # A quota for a unit outside the issuer's tree would bind no one who can propose here.
            if not quota.unit.path.startswith(campaign.issuer.path):
                raise ValidationError(
                    {"offers": _("%(u)s không thuộc %(i)s.") % {"u": quota.unit, "i": campaign.issuer}}
                )
        UnitQuota.objects.bulk_create(
            UnitQuota(offer=row, unit=q.unit, kind=q.kind, quota=q.quota) for q in offer.quotas
        )


def _summary(campaign: Campaign, content_areas, offers) -> dict:
    return {
        **audit.snapshot(campaign, ["issuer", *FIELDS]),
        "content_areas": list(content_areas),
        "offers": [
            {
                "award_type": o.award_type.pk,
                "default_quota": o.default_quota,
                "quotas": [[q.unit.pk, q.kind, q.quota] for q in o.quotas],
            }
            for o in offers
        ],
    }


@transaction.atomic
def campaign_create(
    *, issuer: OrgUnit, actor, content_areas: list[str], offers: list[Offer], trail=None, **fields
) -> Campaign:
    """A draft campaign of ``issuer`` with its content areas and offers (nothing is written if any part is wrong)."""
    check_may_manage(actor, issuer)
    campaign = Campaign(issuer=issuer, status=S.DRAFT, **fields)
    campaign.full_clean()
    _check_offers(campaign, [offer.award_type for offer in offers])
    campaign.save()
    _write_parts(campaign, content_areas, offers)
    audit.record_transition(
        campaign,
        audit.CAMPAIGN_CREATED,
        actor=actor,
        after=campaign.status,
        data=_summary(campaign, content_areas, offers),
        trail=trail,
    )
    return campaign


@transaction.atomic
def campaign_update(
    *, campaign: Campaign, actor, content_areas: list[str], offers: list[Offer], trail=None, **fields
) -> Campaign:
    """Edit a draft; once launched only its dates ahead (deadline, end, ceremony); closed campaigns are history."""
    campaign = Campaign.objects.select_for_update().select_related("issuer").get(pk=campaign.pk)
    check_may_manage(actor, campaign.issuer)
    if campaign.status not in (S.DRAFT, S.LAUNCHED):
        raise ValidationError(_("Phong trào đã kết thúc, không thể sửa."), code="wrong_state")
    before = audit.snapshot(campaign, FIELDS)
    if campaign.status == S.LAUNCHED:
        changed = {name for name in FIELDS if name in fields and fields[name] != getattr(campaign, name)}
        if changed - LAUNCHED_FIELDS:
            raise ValidationError(
                _("Phong trào đã phát động: chỉ được sửa hạn nộp hồ sơ, ngày kết thúc và ngày tổng kết."),
                code="wrong_state",
            )
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    if campaign.status == S.DRAFT:
        _check_offers(campaign, [offer.award_type for offer in offers])
    else:
        _check_offers(campaign, [offer.award_type for offer in campaign.offers.select_related("award_type")])
    campaign.save()
    if campaign.status == S.DRAFT:
        _write_parts(campaign, content_areas, offers)
    audit.record_transition(
        campaign,
        audit.CAMPAIGN_UPDATED,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(campaign, FIELDS)),
        trail=trail,
    )
    return campaign


def _move(campaign: Campaign, source: str, target: str, event: str, *, actor, day, trail=None, **audit_fields):
    campaign.status = target
    campaign.save(update_fields=["status"])
    audit.record_transition(
        campaign,
        event,
        actor=actor,
        before=source,
        after=target,
        data={"day": day.isoformat()},
        trail=trail,
        **audit_fields,
    )
    return campaign


def _locked(campaign: Campaign, expected: str) -> Campaign:
    campaign = Campaign.objects.select_for_update().select_related("issuer").get(pk=campaign.pk)
    if campaign.status != expected:
        raise ValidationError(
            _("Phong trào đang ở trạng thái “%(s)s”, không thể thực hiện thao tác này.")
            % {"s": campaign.get_status_display()},
            code="wrong_state",
        )
    return campaign


@transaction.atomic
def campaign_launch(*, campaign: Campaign, actor, trail=None) -> Campaign:
    """Draft → launched: the issuer in force today, at least one award offered, the deadline not yet passed."""
    day = timezone.localdate()
    campaign = _locked(campaign, S.DRAFT)
    check_may_manage(actor, campaign.issuer)
    if not campaign.issuer.is_valid_on(day):
        raise ValidationError(
            _("%(u)s không còn hoạt động ngày %(d)s, không thể phát động phong trào.")
            % {"u": campaign.issuer, "d": day.strftime("%d/%m/%Y")},
            code="issuer_not_in_force",
        )
    if not campaign.offers.exists():
        raise ValidationError(_("Phong trào chưa có hình thức khen thưởng nào."), code="no_offer")
    if campaign.nomination_deadline < day:
        raise ValidationError(_("Hạn nộp hồ sơ đã qua, không thể phát động."), code="deadline_passed")
    campaign_launched.send(Campaign, campaign=campaign)  # the units are told by a job of this transaction
    return _move(campaign, S.DRAFT, S.LAUNCHED, audit.CAMPAIGN_LAUNCHED, actor=actor, day=day, trail=trail)


@transaction.atomic
def campaign_close(*, campaign: Campaign, actor, trail=None) -> Campaign:
    """Launched → closed by hand (before the deadline, e.g. when it is cut short): no dossier after it."""
    day = timezone.localdate()
    campaign = _locked(campaign, S.LAUNCHED)
    check_may_manage(actor, campaign.issuer)
    return _move(campaign, S.LAUNCHED, S.CLOSED, audit.CAMPAIGN_CLOSED, actor=actor, day=day, trail=trail)


@transaction.atomic
def campaign_summarise(*, campaign: Campaign, actor, trail=None) -> Campaign:
    """Closed → summarised: the ceremony is held, the campaign is history."""
    day = timezone.localdate()
    campaign = _locked(campaign, S.CLOSED)
    check_may_manage(actor, campaign.issuer)
    return _move(campaign, S.CLOSED, S.SUMMARISED, audit.CAMPAIGN_SUMMARISED, actor=actor, day=day, trail=trail)


def close_due_campaigns(day: datetime.date | None = None) -> list[int]:
    """Close every launched campaign whose deadline is before ``day`` (Celery beat). Idempotent: a campaign
    closed meanwhile (by hand or by another run) is skipped under its row lock."""
    day = day or timezone.localdate()
    closed = []
    for pk in Campaign.objects.filter(status=S.LAUNCHED, nomination_deadline__lt=day).values_list("pk", flat=True):
        with transaction.atomic():
            campaign = Campaign.objects.select_for_update().filter(pk=pk, status=S.LAUNCHED).first()
            if campaign is None:
                continue
            _move(
                campaign,
                S.LAUNCHED,
                S.CLOSED,
                audit.CAMPAIGN_CLOSED,
                actor=None,
                actor_name=SYSTEM,
                day=day,
                comment=_("Tự động kết thúc sau hạn nộp hồ sơ %(d)s.")
                % {"d": campaign.nomination_deadline.strftime("%d/%m/%Y")},
            )
            closed.append(pk)
    return closed


def unit_quota_use(campaign: Campaign, unit: OrgUnit) -> list[dict]:
    """For each offer: the unit's quota (per kind) and how many of its nominations count against it."""
    dead = [Nomination.Status.REJECTED, Nomination.Status.NOT_AWARDED, Nomination.Status.REVOKED]
    used = {}
    rows = (
        Nomination.objects.filter(submission__campaign=campaign, submission__unit=unit)
        .exclude(status__in=dead)
        .values_list("award_type_id", "candidate__kind")
    )
    for award_type, kind in rows:
        used[(award_type, kind)] = used.get((award_type, kind), 0) + 1
    result = []
    for offer in campaign.offers.select_related("award_type").prefetch_related("unit_quotas"):
        mine = [q for q in offer.unit_quotas.all() if q.unit_id == unit.pk]
        lines = []
        for q in mine:
            count = sum(n for (a, k), n in used.items() if a == offer.award_type_id and (not q.kind or k == q.kind))
            lines.append({"kind": q.get_kind_display() if q.kind else "", "quota": q.quota, "used": count})
        if not mine:
            count = sum(n for (a, _k), n in used.items() if a == offer.award_type_id)
            lines.append({"kind": "", "quota": offer.default_quota, "used": count})
        result.append({"offer": offer, "lines": lines})
    return result
