"""/api/admin/award-types/ and /api/admin/base-salaries/ (issue 13): the same dated rules as the pages (a 400
with the field in Vietnamese, nothing written; 403 for anyone but the province's administrator); and a nomination
for an award its campaign's issuer may not decide is refused (AwardRuleSet.authority_level)."""

import datetime

from django.urls import reverse

from nominations.models import AwardRuleSet, AwardType, BaseSalary, Nomination
from nominations.selectors import rule_set_on

from .helpers import start

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def test_the_api_lists_and_adds_rule_sets_and_base_salaries(api):
    admin, award = api("quantri_ubnd"), AwardType.objects.get(code="giay-khen")
    listed = admin.get(reverse("api:admin-award-type-list"))
    assert listed.status_code == 200
    row = next(a for a in listed.json() if a["id"] == award.pk)
    assert [r["valid_from"] for r in row["rule_sets"]] == ["2024-01-01", "2025-07-01"]
    url = reverse("api:admin-award-type-rule-sets", args=[award.pk])
    body = {"valid_from": (TODAY + DAY).isoformat(), "authority_level": 1, "recipient_kinds": ["individual"]}
    assert api("chutich_ubnd").post(url, body, format="json").status_code == 403
    bad = admin.post(url, {**body, "valid_from": "2025-01-01"}, format="json")
    assert bad.status_code == 400 and "sau ngày 01/07/2025" in str(bad.json()["errors"]["valid_from"])
    assert AwardRuleSet.objects.filter(award_type=award).count() == 2
    added = admin.post(url, body, format="json")
    assert added.status_code == 201, added.content
    assert rule_set_on(award, TODAY).valid_to == TODAY and rule_set_on(award, TODAY + DAY).pk == added.json()["id"]
    salaries = reverse("api:admin-base-salary-list")
    assert api("canbo_dongkinh").get(salaries).status_code == 403
    wrong = admin.post(salaries, {"valid_from": "2026-07-01", "amount": "nhiều"}, format="json")
    assert wrong.status_code == 400 and "amount" in wrong.json()["errors"]
    ok = admin.post(salaries, {"valid_from": "2026-07-01", "amount": 2_530_000}, format="json")
    assert ok.status_code == 201, ok.content
    assert [row["amount"] for row in admin.get(salaries).json()] == [1_800_000, 2_340_000, 2_530_000]
    assert BaseSalary.objects.count() == 3


def test_a_nomination_for_an_award_the_issuer_cannot_decide_is_refused(api):
    clerk = api("canbo_vinhtrai")
    dossier = start(clerk)
    # The rehearsal's issuer is the province; these rules say a commune's chairman decides the award.
    AwardRuleSet.objects.filter(award_type__code="giay-khen", valid_to__isnull=True).update(authority_level=3)
    award = AwardType.objects.get(code="giay-khen")
    body = {"kind": "individual", "name": "Lương Thị Mai", "gender": "female", "award_type": award.pk}
    answer = clerk.post(f"/api/submissions/{dossier['id']}/nominations/", {**body, "achievement": "Xuất sắc"})
    assert answer.status_code == 400, answer.content
    assert "không có thẩm quyền" in str(answer.json()["errors"]["award_type"])
    assert not Nomination.objects.filter(submission=dossier["id"]).exists()


def test_a_form_encoded_rule_set_keeps_the_current_values_it_leaves_out(api):
    admin, award = api("quantri_ubnd"), AwardType.objects.get(code="giay-khen")
    url = reverse("api:admin-award-type-rule-sets", args=[award.pk])
    added = admin.post(url, {"valid_from": (TODAY + DAY).isoformat(), "prize_coefficient": "0.5"})
    assert added.status_code == 201, added.content
    new, old = AwardRuleSet.objects.get(pk=added.json()["id"]), rule_set_on(award, TODAY)
    assert str(new.prize_coefficient) == "0.500" and new.recipient_kinds == old.recipient_kinds
    assert new.authority_level == old.authority_level and new.legal_basis == old.legal_basis
