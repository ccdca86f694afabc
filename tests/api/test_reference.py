"""Reference data over the API: campaigns, the dated organisation tree, award types and the rule in force."""

from nominations.models import AwardRuleSet, AwardType, Campaign, OrgUnit

from .helpers import ok


def _codes(page):
    return [row["code"] for row in page["results"]]


def test_campaigns_with_content_areas_and_offers(api):
    client = api("canbo_dongkinh")
    page = ok(client.get("/api/campaigns/", {"code": "dien-tap"}))
    (campaign,) = page["results"]
    assert campaign["status"] == Campaign.Status.LAUNCHED
    assert [area["number"] for area in campaign["content_areas"]] == list(range(1, 9))
    assert "giay-khen" in {offer["award_code"] for offer in campaign["offers"]}
    detail = ok(client.get(f"/api/campaigns/{campaign['id']}/"))
    assert detail == campaign


def test_org_tree_by_parent_kind_and_date(api):
    client = api("canbo_dongkinh")
    city = OrgUnit.objects.get(code="tp-ls")
    wards = _codes(ok(client.get("/api/org-units/", {"parent": city.pk, "kind": "ward", "page_size": 100})))
    assert "p-vinh-trai" in wards and "x-mai-pha" not in wards
    in_2024 = _codes(ok(client.get("/api/org-units/", {"valid_on": "2024-05-01", "page_size": 200})))
    in_2026 = _codes(ok(client.get("/api/org-units/", {"valid_on": "2026-01-01", "page_size": 200})))
    assert "p-vinh-trai" in in_2024 and "p-ky-lua" not in in_2024
    assert "p-ky-lua" in in_2026 and "p-vinh-trai" not in in_2026
    assert _codes(ok(client.get("/api/org-units/", {"root": "true"}))) == ["ls"]
    ward = ok(client.get(f"/api/org-units/{OrgUnit.objects.get(code='p-vinh-trai').pk}/"))
    assert ward["successor"] == OrgUnit.objects.get(code="p-ky-lua").pk


def test_award_types_give_the_rule_in_force_on_a_date(api):
    client = api("canbo_dongkinh")
    award = AwardType.objects.get(code="giay-khen")
    old, new = AwardRuleSet.objects.filter(award_type=award).order_by("valid_from")
    detail = ok(client.get(f"/api/award-types/{award.pk}/", {"on": "2024-12-31"}))
    assert [rule["id"] for rule in detail["rule_sets"]] == [old.pk, new.pk]
    assert detail["rule_in_force"]["id"] == old.pk
    assert ok(client.get(f"/api/award-types/{award.pk}/", {"on": "2025-07-01"}))["rule_in_force"]["id"] == new.pk
    assert ok(client.get(f"/api/award-types/{award.pk}/", {"on": "2000-01-01"}))["rule_in_force"] is None
    listed = ok(client.get("/api/award-types/", {"on": "2024-12-31"}))["results"]
    assert next(a for a in listed if a["code"] == "giay-khen")["rule_in_force"]["id"] == old.pk


def test_lists_page_with_a_cursor(api):
    client = api("canbo_dongkinh")
    first = ok(client.get("/api/org-units/", {"page_size": 5}))
    assert len(first["results"]) == 5 and first["next"] and first["previous"] is None
    second = ok(client.get(first["next"]))
    assert not {u["id"] for u in first["results"]} & {u["id"] for u in second["results"]}
    assert first["results"][-1]["id"] < second["results"][0]["id"]
