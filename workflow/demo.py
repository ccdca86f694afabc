"""The demo: domain data and a few draft dossiers in the flow.

Besides the real 2024 campaign (closed for proposals since 05/10/2024), two
rehearsal campaigns dated around today, marked as illustrative: the walkable one,
issued by Phường Kỳ Lừa (a commune-level People's Committee since the 2025 reform)
for its chairman's Giấy khen, and the province's (``dien-tap``, used by the
automated tests and the registrations' demo).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from nominations import demo as domain
from nominations.demo_registrations import load_registrations
from nominations.models import Campaign, CampaignAward, ContentArea, OrgUnit, Submission
from nominations.selectors import successor_on
from nominations.services import dossiers
from nominations.services.award_rules import check_offer_authority

from .flows import NominationFlow

REHEARSAL_CODE = "dien-tap"
COMMUNE_REHEARSAL_CODE = "dien-tap-ky-lua"


def load_rehearsal_campaign(seed: Campaign) -> Campaign:
    today = timezone.localdate()
    campaign, created = Campaign.objects.get_or_create(
        code=REHEARSAL_CODE,
        defaults=dict(
            # The city ended with the 2025 reform: the committee in force today issues the rehearsal.
            issuer=successor_on(seed.issuer, today),
            title=f"[{domain.ILLUSTRATIVE}] Đợt diễn tập: {seed.title}",
            theme=seed.theme,
            goal=seed.goal,
            legal_basis=seed.legal_basis,
            doc_number="DT/PĐ-UBND",
            doc_date=today,
            doc_signer=seed.doc_signer,
            doc_signer_title=seed.doc_signer_title,
            period_start=today - datetime.timedelta(days=30),
            period_end=today + datetime.timedelta(days=60),
            nomination_deadline=today + datetime.timedelta(days=75),
            status=Campaign.Status.LAUNCHED,
        ),
    )
    if created:
        for area in seed.content_areas.all():
            ContentArea.objects.create(campaign=campaign, number=area.number, title=area.title)
        for offer in seed.offers.all():
            CampaignAward.objects.create(
                campaign=campaign, award_type=offer.award_type, default_quota=offer.default_quota
            )
    return campaign


def load_commune_rehearsal(seed: Campaign, award) -> Campaign:
    """Phường Kỳ Lừa's rehearsal: its chairman's Giấy khen, the award a commune-level chairman decides
    (checked as the campaign service checks an offer), for the units under the ward."""
    today = timezone.localdate()
    issuer = OrgUnit.objects.get(code=domain.KY_LUA)
    chairman = domain.USERS_KY_LUA[0]
    campaign, created = Campaign.objects.get_or_create(
        code=COMMUNE_REHEARSAL_CODE,
        defaults=dict(
            issuer=issuer,
            title=f"[{domain.ILLUSTRATIVE}] Đợt diễn tập: phong trào thi đua của phường Kỳ Lừa "
            "chào mừng kỷ niệm ngày thành lập thành phố",
            theme=seed.theme,
            goal=seed.goal,
            legal_basis=f"Kế hoạch của UBND phường Kỳ Lừa ({domain.ILLUSTRATIVE}).",
            doc_number="DT/PĐ-UBND",
            doc_date=today,
            doc_signer=chairman[1],
            doc_signer_title="Chủ tịch",
            period_start=today - datetime.timedelta(days=30),
            period_end=today + datetime.timedelta(days=60),
            nomination_deadline=today + datetime.timedelta(days=75),
            status=Campaign.Status.LAUNCHED,
        ),
    )
    if created:
        check_offer_authority(issuer, award, campaign.period_start, campaign.nomination_deadline)
        for area in seed.content_areas.all():
            ContentArea.objects.create(campaign=campaign, number=area.number, title=area.title)
        CampaignAward.objects.create(campaign=campaign, award_type=award, default_quota=10)
    return campaign


def load_draft_dossiers(campaign: Campaign, users: dict, candidates=domain.CANDIDATES) -> None:
    """One draft dossier per proposing unit of the demo, opened through the flow."""
    by_unit = {}
    for kind, name, gender, year, ethnicity, position, unit_code, direct, award_code, text in candidates:
        person = dict(
            kind=kind,
            name=name,
            gender=gender,
            birth_year=year,
            ethnicity=ethnicity,
            position=position,
            direct_worker=direct,
        )
        by_unit.setdefault(unit_code, []).append((person, award_code, text))
    clerks = {"p-vinh-trai": "canbo_vinhtrai", "p-ky-lua-khoi-5": "canbo_khoi5", "tp-ls-vhtt": "canbo_vhtt"}
    for unit_code, items in by_unit.items():
        # The nominees' units of 2024 propose today as their successors (where their clerks now hold the role).
        unit = successor_on(OrgUnit.objects.get(code=unit_code), timezone.localdate())
        if Submission.objects.filter(campaign=campaign, unit=unit).exists():
            continue
        clerk = users[clerks[unit_code]]
        submission = NominationFlow.start_from_code.run(
            actor=clerk, campaign=campaign, unit=unit, title=f"Tờ trình đề nghị khen thưởng – {unit.name}"
        )
        for person, award_code, achievement in items:
            dossiers.nomination_add(
                submission=submission,
                candidate=person,
                award_type=campaign.award_types.get(code=award_code),
                achievement=achievement,
                actor=clerk,
            )


@transaction.atomic
def load_demo() -> dict:
    # Saving the memberships, seats and delegations joined their holders to their groups (workflow.signals);
    # the rights themselves are read from the memberships in force (workflow.roles).
    result = domain.load_demo()
    rehearsal = load_rehearsal_campaign(result["campaign"])
    load_draft_dossiers(rehearsal, result["users"])
    load_registrations(rehearsal)
    commune = load_commune_rehearsal(result["campaign"], result["commune_award"])
    load_draft_dossiers(commune, result["users"], domain.CANDIDATES_KY_LUA)
    return {**result, "rehearsal": rehearsal, "commune_rehearsal": commune}
