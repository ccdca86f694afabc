from django.apps import apps
from django.core.management import call_command

from nominations.models import Campaign


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("nominations").get_models()}


def test_load_demo_twice_gives_the_same_rows(db):
    call_command("load_demo", verbosity=0)
    first = _counts()
    call_command("load_demo", verbosity=0)
    assert _counts() == first
    assert first["nominations.OrgUnit"] >= 15
    assert first["nominations.Membership"] >= 10


def test_seed_campaign_holds_the_document(demo):
    campaign = Campaign.objects.get(code="ky-niem-22-nam-tp-lang-son")
    assert campaign.content_areas.count() == 8
    assert campaign.period_end.isoformat() == "2024-09-30"
    assert campaign.issuer.name == "Thành phố Lạng Sơn"
    assert "22 năm" in campaign.theme
    assert set(campaign.award_types.values_list("code", flat=True)) == {"giay-khen", "cong-dan-tieu-bieu"}
