"""Reads that the rest of the code shares. Each returns data or raises."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from .models import AwardRecord, AwardRuleSet, AwardType, BaseSalary, Decision, Nomination, OrgUnit
from .models.awards import RecipientKind


class NoRuleInForce(LookupError):
    pass


def rule_set_on(award_type: AwardType, day: datetime.date) -> AwardRuleSet:
    """The rule set of an award type in force on ``day``; raises NoRuleInForce."""
    rule = (
        AwardRuleSet.objects.filter(award_type=award_type, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )
    if rule is None:
        raise NoRuleInForce(
            _("Không có quy định nào của “%(award)s” áp dụng ngày %(day)s.")
            % {"award": award_type, "day": day.strftime("%d/%m/%Y")}
        )
    return rule


def rule_sets_on(award_type_ids, day: datetime.date) -> dict:
    """{award type id: its rule set in force on ``day``} for ``award_type_ids``, in one query.

    The rule ``rule_set_on`` applies to each; raises NoRuleInForce for the first id (in the given order)
    that has none.
    """
    ids = list(dict.fromkeys(award_type_ids))
    rules = {}
    if ids:
        for rule in (
            AwardRuleSet.objects.filter(award_type_id__in=ids, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .order_by("award_type_id", "-valid_from")
        ):
            rules.setdefault(rule.award_type_id, rule)
    for award_type_id in ids:
        if award_type_id not in rules:
            rules[award_type_id] = rule_set_on(AwardType.objects.get(pk=award_type_id), day)  # raises NoRuleInForce
    return rules


def base_salary_on(day: datetime.date) -> int:
    """The base salary (VND/month) in force on ``day``."""
    row = BaseSalary.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if row is None:
        raise NoRuleInForce(_("Chưa có mức lương cơ sở áp dụng ngày %(day)s.") % {"day": day.strftime("%d/%m/%Y")})
    return row.amount


def successor_on(unit: OrgUnit, day: datetime.date) -> OrgUnit:
    """The unit that carries ``unit``'s responsibilities on ``day`` (after mergers)."""
    seen = set()
    while not unit.is_valid_on(day) and unit.successor_id and unit.pk not in seen:
        seen.add(unit.pk)
        unit = unit.successor
    return unit


def units_valid_on(day: datetime.date, *, under: OrgUnit | None = None):
    """Units in force on ``day``, optionally restricted to a subtree."""
    qs = OrgUnit.objects.valid_on(day)
    return qs.filter(path__startswith=under.path) if under else qs


def ready_for_council(nominations=None):
    """Accepted nominations whose dossier's appraisal is over: none of its nominations still waits for the
    reviewer or for the unit's completion.

    A council may vote only on these. Voting on an accepted nomination while its dossier is still in a
    completion round would let the dossier finish that round with the vote already taken, skip the council
    step it never waited at, and close without ever reaching the chairman.
    """
    N = Nomination.Status
    still_open = Nomination.objects.filter(
        submission=OuterRef("submission"), status__in=[N.DRAFT, N.SUBMITTED, N.NEEDS_COMPLETION]
    )
    qs = Nomination.objects.all() if nominations is None else nominations
    return qs.filter(status=N.ACCEPTED).exclude(Exists(still_open))


def certificate_to_verify(code):
    """The certificate whose QR code carries ``code``, with what its verification shows; None if there is none."""
    from .models import Certificate  # as the functions around it: Certificate is not among the top imports

    related = ("item__decision__issuer", "item__decision__award_type", "item__nomination__candidate")
    return Certificate.objects.select_related(*related, "item__nomination__submission__unit").filter(code=code).first()


def standing(model=Nomination) -> Q:
    """The one rule for "awarded and not revoked", as a filter on a nomination or an award record.

    An award stands while its decision is signed (not revoked) and the name was not struck: the nomination is
    "awarded", the award record not marked revoked. ``decision_revoke`` changes all three in one transaction;
    the decision's own status is required too, so no row left behind by any other write can count an award
    whose decision was revoked. Every count or list of awards reads it: the public page and API, the campaign
    summary and its Excel, the prize totals, the quota and the TT 02 statistics.

    An award record entered without a decision of ours (history typed in by hand, an award from outside a
    campaign: ``Decision.campaign`` is required) stands while it is not marked revoked.
    """
    if model is AwardRecord:
        return record_not_revoked() & decision_stands()
    return Q(
        status=Nomination.Status.AWARDED,
        decision_item__struck=False,
        decision_item__decision__status=Decision.Status.SIGNED,
    )


def record_not_revoked() -> Q:
    """The record half of ``standing`` (the award record itself not marked revoked)."""
    return Q(revoked_at__isnull=True)


def decision_stands() -> Q:
    """The decision half of ``standing``, on any row with a ``decision`` (an award record, a tally of them):
    none (entered by hand), or signed. The signed decisions are a subquery, not a join."""
    signed = Decision.objects.filter(status=Decision.Status.SIGNED).values("pk")
    return Q(decision__isnull=True) | Q(decision__in=signed)


def public_results(campaign):
    """What the public may see of a campaign's awards: name, unit at the time, award — nothing more."""
    return (
        AwardRecord.objects.filter(standing(AwardRecord), campaign=campaign)
        .select_related("candidate", "award_type")
        .order_by("award_type__name", "unit_name", "candidate__sort_name")
    )


def campaign_summary(campaign) -> dict:
    """Counts of nominations and awards of a campaign by unit, award type, gender, ethnicity, direct work."""
    awarded = standing(Nomination)
    base = Nomination.objects.filter(submission__campaign=campaign)

    def by(field):
        return list(
            base.values(field).annotate(proposed=Count("pk"), awarded=Count("pk", filter=awarded)).order_by(field)
        )

    return {
        "totals": base.aggregate(proposed=Count("pk"), awarded=Count("pk", filter=awarded)),
        "by_unit": by("submission__unit__name"),
        "by_award": by("award_type__name"),
        "by_gender": by("candidate__gender"),
        "by_ethnicity": by("candidate__ethnicity"),
        "by_direct_worker": by("candidate__direct_worker"),
        "by_kind": by("candidate__kind"),
    }


def awards_in_force():
    """Award records that stand (``standing``), for the TT 02 statistics and the summary's prize totals."""
    return AwardRecord.objects.filter(standing(AwardRecord))


def campaign_prizes(campaign) -> dict:
    """The prize money of a campaign's awards in force (revoked left out), by award type and recipient kind:
    each record's amount as its decision fixed it (multiplier × base salary on the decision date, rounded)."""
    rows = list(
        awards_in_force()
        .filter(campaign=campaign)
        .values("award_type__name", "candidate__kind")
        .annotate(count=Count("pk"), amount=Sum("prize_amount"))
        .order_by("award_type__name", "candidate__kind")
    )
    for row in rows:
        row["kind_label"] = str(RecipientKind(row["candidate__kind"]).label)
    return {
        "rows": rows,
        "count": sum(row["count"] for row in rows),
        "amount": sum(row["amount"] for row in rows),
    }
