"""The demo's walkable rehearsal lives in the structure after the 2025 reform: Phường Kỳ Lừa, a commune-level
People's Committee, issues it for its chairman's Giấy khen; a unit under the ward proposes; Kỳ Lừa's Phòng Văn
hóa – Xã hội appraises; Kỳ Lừa's council votes; Kỳ Lừa's chairman signs."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from nominations import demo as domain
from nominations.access import APPROVE, PROPOSE, RECORD_COUNCIL, REVIEW, SUBMIT
from nominations.demo import DEMO_PASSWORD
from nominations.models import Campaign, Council, Decision, Membership, OrgUnit, Submission
from nominations.services.award_rules import check_offer_authority
from nominations.services.council import voting_members
from workflow import roles
from workflow.demo import COMMUNE_REHEARSAL_CODE
from workflow.flows import NominationFlow as F
from workflow.permissions import can

from .helpers import act, add_nomination, complete_dossier, council_session, draft_decision, open_task, sign_decision

AWARD = "giay-khen-cap-xa"


def _in_force_today(user):
    today = timezone.localdate()
    return (
        Membership.objects.filter(user=user, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("unit")
    )


def test_the_rehearsal_is_kỳ_lừa_s_own_and_offers_what_its_chairman_decides(demo):
    campaign = Campaign.objects.get(code=COMMUNE_REHEARSAL_CODE)
    ky_lua = OrgUnit.objects.get(code="p-ky-lua")
    assert campaign.issuer == ky_lua and ky_lua.level == OrgUnit.Level.COMMUNE
    assert ky_lua.is_valid_on(timezone.localdate())
    assert list(campaign.award_types.values_list("code", flat=True)) == [AWARD]
    award = campaign.award_types.get()
    assert award.name == "Giấy khen của Chủ tịch UBND cấp xã"
    # The offer passes the authority check the campaign service applies; the province could not offer it.
    check_offer_authority(ky_lua, award, campaign.period_start, campaign.nomination_deadline)
    with pytest.raises(ValidationError):
        province = OrgUnit.objects.get(code="ls")
        check_offer_authority(province, award, campaign.period_start, campaign.nomination_deadline)
    # Its draft dossier comes from a unit under the ward, not from the ward itself.
    units = set(Submission.objects.filter(campaign=campaign).values_list("unit__code", flat=True))
    assert units == {"p-ky-lua-khoi-5"}


def test_kỳ_lừa_s_people_hold_their_roles_at_kỳ_lừa_today(demo):
    users = demo["users"]
    ky_lua = OrgUnit.objects.get(code="p-ky-lua")
    for username, _name, unit_code, role, _title in domain.USERS_KY_LUA:
        held = [(m.unit.code, m.role) for m in _in_force_today(users[username])]
        assert (unit_code, role) in held, username
    standing_body = OrgUnit.objects.get(code="p-ky-lua-vhxh")
    assert standing_body.parent == ky_lua and standing_body.name == "Phòng Văn hóa – Xã hội"
    assert can(users["thamdinh_kylua"], REVIEW, ky_lua)
    assert can(users["thuky_kylua"], RECORD_COUNCIL, ky_lua)
    assert can(users["chutich_kylua"], APPROVE, ky_lua)
    # The province's people have no say in Kỳ Lừa's campaign.
    assert not can(users["thamdinh_noivu"], REVIEW, ky_lua) and not can(users["chutich_ubnd"], APPROVE, ky_lua)
    khoi5 = OrgUnit.objects.get(code="p-ky-lua-khoi-5")
    assert can(users["canbo_khoi5"], PROPOSE, khoi5) and can(users["truongkhoi_khoi5"], SUBMIT, khoi5)
    council = Council.objects.get(issuer=ky_lua)
    voters = {m.user.username for m in voting_members(council, timezone.localdate())}
    assert voters == {"chutich_kylua", "phochutich_kylua", "uyvien_kylua_1", "uyvien_kylua_2", "uyvien_kylua_3"}


def test_khối_5_s_dossier_goes_to_kỳ_lừa_s_standing_body_council_and_chairman(client, demo):
    users = demo["users"]
    campaign = Campaign.objects.get(code=COMMUNE_REHEARSAL_CODE)
    submission = Submission.objects.get(campaign=campaign, unit__code="p-ky-lua-khoi-5")
    process = F.process_class.objects.get(artifact_object_id=submission.pk, flow_class=F)
    client.force_login(users["canbo_khoi5"])
    award = campaign.award_types.get().pk
    noms = [add_nomination(client, submission, name, award_type=award) for name in ("Vi Thị Hồng", "Lục Văn Bình")]
    submission.nominations.exclude(pk__in=[n.pk for n in noms]).delete()
    complete_dossier(client, submission, noms)
    act(client, users["canbo_khoi5"], process, F.prepare)
    act(client, users["truongkhoi_khoi5"], process, F.head_approval, {"decision": "submit"})
    # The ward issues the campaign: no ward review of its own, straight to its Phòng Văn hóa – Xã hội.
    assert not process.task_set.filter(flow_task=F.ward_review).exists()
    assert open_task(process, F.review)
    act(
        client,
        users["thamdinh_kylua"],
        process,
        F.review,
        {k: v for n in noms for k, v in ((f"choice_{n.pk}", "accept"), (f"note_{n.pk}", ""))},
    )
    submission.refresh_from_db()
    assert submission.received_on == timezone.localdate()
    for n in noms:
        n.refresh_from_db()
        assert n.status == "accepted"
    council_session(client, users, noms, issuer="p-ky-lua", secretary="thuky_kylua")
    decision_process = draft_decision(client, users, noms, secretary="thuky_kylua")
    sign_decision(
        client,
        users["chutich_kylua"],
        decision_process,
        {"decision": "sign", "comment": "", "password": DEMO_PASSWORD},
    )
    decision = Decision.objects.get(pk=decision_process.artifact.pk)
    assert decision.status == "signed" and decision.issuer.code == "p-ky-lua"
    assert {i.nomination.candidate.name for i in decision.items.all()} == {"Vi Thị Hồng", "Lục Văn Bình"}


def test_kỳ_lừa_s_chairman_lets_its_vice_chairman_sign(demo):
    """The README's “Ủy quyền ký” step: Kỳ Lừa's chairman delegates to Kỳ Lừa's vice-chairman, who may then sign
    for the ward (and only from the day it begins)."""
    import datetime

    from nominations.services.delegations import delegation_grant

    users = demo["users"]
    ky_lua = OrgUnit.objects.get(code="p-ky-lua")
    today = timezone.localdate()
    assert not can(users["phochutich_kylua"], APPROVE, ky_lua)
    delegation_grant(
        issuer=ky_lua,
        delegate=users["phochutich_kylua"],
        valid_from=today,
        valid_to=today + datetime.timedelta(days=30),
        actor=users["chutich_kylua"],
    )
    roles.forget(users["phochutich_kylua"])  # its rights were read (and kept) by the first check
    assert can(users["phochutich_kylua"], APPROVE, ky_lua)
    # The province's vice-chairman is not Kỳ Lừa's.
    with pytest.raises(ValidationError):
        delegation_grant(
            issuer=ky_lua,
            delegate=users["phochutich_ubnd"],
            valid_from=today,
            valid_to=today + datetime.timedelta(days=30),
            actor=users["chutich_kylua"],
        )
