"""A campaign offers only the award types its issuer's level may decide under the rules of the campaign's days
(issue 13, item 3): the same ``award_rules.check_authority`` as a proposal, on the page and in the service."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from nominations.models import AwardType, Campaign, OrgUnit
from nominations.services import award_rules, campaigns

from .test_administration_pages import campaign_form

# No quota rows: the default form's Kỳ Lừa row is blanked.
NO_QUOTAS = {"quota-TOTAL_FORMS": "1", "quota-0-unit": "", "quota-0-award_type": "", "quota-0-individuals": ""}
NO_QUOTAS["quota-0-collectives"] = ""

User = get_user_model()
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
COMMUNE = 3


@pytest.fixture
def commune_rules_soon(demo):
    """From 20 days on, “Công dân tiêu biểu” is a commune chairman's honour (the province gives it until then)."""
    honour = AwardType.objects.get(code="cong-dan-tieu-bieu")
    current = honour.rule_sets.order_by("-valid_from").first()
    award_rules.rule_set_add(
        award_type=honour,
        valid_from=TODAY + 20 * DAY,
        actor=User.objects.get(username="quantri_ubnd"),
        authority_level=COMMUNE,
        legal_basis="Quy định mới (thử)",
        recipient_kinds=current.recipient_kinds,
        required_documents=current.required_documents,
        prize_coefficient=current.prize_coefficient,
    )
    return honour


def test_the_page_refuses_an_offer_the_issuer_may_not_decide_on_the_campaigns_days(client, commune_rules_soon):
    client.force_login(User.objects.get(username="quantri_ubnd"))
    issuer = OrgUnit.objects.get(code="ls")
    response = client.post(
        reverse("administration:campaign_add", args=[issuer.pk]),
        campaign_form(award_types=[commune_rules_soon.pk], **NO_QUOTAS),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "do cấp xã quyết định; Tỉnh Lạng Sơn không có thẩm quyền" in body
    assert not Campaign.objects.filter(code="pt-chuyen-doi-so").exists()


def test_a_campaign_ending_before_the_change_may_offer_it(client, commune_rules_soon):
    client.force_login(User.objects.get(username="quantri_ubnd"))
    issuer = OrgUnit.objects.get(code="ls")
    short = {
        "period_end": (TODAY + 10 * DAY).strftime("%d/%m/%Y"),
        "nomination_deadline": (TODAY + 15 * DAY).strftime("%d/%m/%Y"),
    }
    response = client.post(
        reverse("administration:campaign_add", args=[issuer.pk]),
        campaign_form(award_types=[commune_rules_soon.pk], **NO_QUOTAS, **short),
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Campaign.objects.get(code="pt-chuyen-doi-so").award_types.get() == commune_rules_soon


def test_a_ward_may_not_offer_an_award_its_level_does_not_decide(client, demo):
    """Kỳ Lừa's own administrator: the demo's Giấy khen is decided at the province's level since the reform."""
    client.force_login(User.objects.get(username="quantri_kylua"))
    ward = OrgUnit.objects.get(code="p-ky-lua")
    award = AwardType.objects.get(code="giay-khen")
    response = client.post(
        reverse("administration:campaign_add", args=[ward.pk]), campaign_form(award_types=[award.pk], **NO_QUOTAS)
    )
    assert response.status_code == 200
    assert "Phường Kỳ Lừa (minh họa) không có thẩm quyền" in response.content.decode()
    assert not Campaign.objects.filter(code="pt-chuyen-doi-so").exists()


def test_a_launched_campaign_cannot_extend_its_deadline_into_rules_it_may_not_apply(commune_rules_soon):
    admin = User.objects.get(username="quantri_ubnd")
    campaign = campaigns.campaign_create(
        issuer=OrgUnit.objects.get(code="ls"),
        actor=admin,
        content_areas=["Nội dung"],
        offers=[campaigns.Offer(commune_rules_soon)],
        code="pt-ngan",
        title="Phong trào ngắn",
        period_start=TODAY,
        period_end=TODAY + 10 * DAY,
        nomination_deadline=TODAY + 15 * DAY,
    )
    campaigns.campaign_launch(campaign=campaign, actor=admin)
    with pytest.raises(ValidationError) as error:
        campaigns.campaign_update(
            campaign=campaign, actor=admin, content_areas=[], offers=[], nomination_deadline=TODAY + 25 * DAY
        )
    assert "không có thẩm quyền" in error.value.message_dict["award_types"][0]
    campaign.refresh_from_db()
    assert campaign.nomination_deadline == TODAY + 15 * DAY
