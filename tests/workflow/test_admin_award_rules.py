"""The award-rules pages (issue 13): the province's administrator adds a rule set or a base salary from a day,
the previous one ends the day before; a day that would rewrite what a signed decision used, or that is not after
the current row, is re-shown in Vietnamese and writes nothing; anyone else gets 403."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from nominations.models import AwardRuleSet, AwardType, BaseSalary, Campaign, Decision, OrgUnit
from nominations.selectors import base_salary_on, rule_set_on
from nominations.services.administration import scope_of
from tests.journey.pages import page_errors
from workflow import audit
from workflow.models import AuditEvent

User = get_user_model()
D = datetime.date
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def admin_client(client, demo):
    client.force_login(User.objects.get(username="quantri_ubnd"))
    return client


def _rule_body(valid_from, level=1):
    return {
        "valid_from": valid_from.isoformat(),
        "authority_level": level,
        "legal_basis": "Nghị định mới (thử)",
        "recipient_kinds": ["individual", "collective"],
        "required_documents": ["achievement_report"],
        "completion_requests_limit": 1,
        "quorum": "0.6667",
        "vote_threshold": "0.7",
        "vote_base": "present",
        "ballot": "secret",
        "prize_coefficient": "0.4",
        "collective_multiplier": "2",
        "household_multiplier": "1.5",
        "rounding": "up",
        "rounding_unit": 10000,
    }


def test_a_new_rule_set_ends_the_current_one_the_day_before_and_is_audited(admin_client):
    award = AwardType.objects.get(code="giay-khen")
    current = rule_set_on(award, TODAY)
    start = TODAY + 10 * DAY
    url = reverse("administration:rule_set_add", args=[award.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, _rule_body(start))
    assert response.status_code == 302, page_errors(response.content.decode())
    current.refresh_from_db()
    assert current.valid_to == start - DAY
    new = rule_set_on(award, start)
    assert str(new.prize_coefficient) == "0.400" and new.valid_to is None and rule_set_on(award, start - DAY) == current
    event = AuditEvent.objects.get(event_type=audit.RULE_SET_ADDED)
    assert event.scope == scope_of(OrgUnit.objects.get(code="ls")) and event.actor.username == "quantri_ubnd"
    page = admin_client.get(reverse("administration:award_rules")).content.decode()
    assert start.strftime("%d/%m/%Y") in page and (start - DAY).strftime("%d/%m/%Y") in page


def test_a_rule_set_that_would_rewrite_a_signed_decision_is_refused_in_vietnamese(admin_client):
    award = AwardType.objects.get(code="giay-khen")
    Decision.objects.create(
        issuer=OrgUnit.objects.get(code="ls"),
        campaign=Campaign.objects.get(code="dien-tap"),
        award_type=award,
        subject="Về việc tặng Giấy khen",
        status=Decision.Status.SIGNED,
        decision_date=TODAY,
        drafted_by=User.objects.get(username="thuky_hoidong"),
    )
    before = list(AwardRuleSet.objects.values_list("pk", "valid_to"))
    url = reverse("administration:rule_set_add", args=[award.pk])
    for day, words in ((TODAY, "Đã có quyết định ký ngày"), (D(2025, 7, 1), "Quy định mới phải áp dụng sau ngày")):
        response = admin_client.post(url, _rule_body(day))
        assert response.status_code == 200
        assert any(words in error for error in page_errors(response.content.decode())), day
    empty = admin_client.post(url, {"valid_from": "ngày mai"})
    assert empty.status_code == 200 and page_errors(empty.content.decode())
    assert list(AwardRuleSet.objects.values_list("pk", "valid_to")) == before
    assert not AuditEvent.objects.filter(event_type=audit.RULE_SET_ADDED).exists()


def test_the_2026_base_salary_applies_from_its_day(admin_client):
    url = reverse("administration:base_salary_add")
    body = {"valid_from": "2026-07-01", "amount": 2_530_000, "legal_basis": "Nghị định 161/2026/NĐ-CP"}
    response = admin_client.post(url, body)
    assert response.status_code == 302, page_errors(response.content.decode())
    assert base_salary_on(D(2026, 6, 30)) == 2_340_000 and base_salary_on(D(2026, 7, 1)) == 2_530_000
    page = admin_client.get(reverse("administration:award_rules")).content.decode()
    assert "30/06/2026" in page and "Nghị định 161/2026/NĐ-CP" in page
    again = admin_client.post(url, {**body, "valid_from": "2026-01-01", "amount": 0})
    assert again.status_code == 200 and page_errors(again.content.decode())
    assert BaseSalary.objects.count() == 3
    assert AuditEvent.objects.filter(event_type=audit.BASE_SALARY_ADDED).count() == 1


def test_only_a_province_administrator_keeps_the_rules(client, demo):
    award = AwardType.objects.get(code="giay-khen")
    before = AwardRuleSet.objects.count(), BaseSalary.objects.count(), AwardType.objects.count()
    for username in ("chutich_ubnd", "canbo_dongkinh", "thamdinh_noivu"):
        client.force_login(User.objects.get(username=username))
        assert client.get(reverse("administration:award_rules")).status_code == 403
        url = reverse("administration:rule_set_add", args=[award.pk])
        assert client.post(url, _rule_body(TODAY + DAY)).status_code == 403
        body = {"valid_from": "2099-01-01", "amount": 1}
        assert client.post(reverse("administration:base_salary_add"), body).status_code == 403
        body = {"code": "bang-khen", "name": "Bằng khen", "form": "giay_khen", "level": "province"}
        assert client.post(reverse("administration:award_type_add"), body).status_code == 403
    assert (AwardRuleSet.objects.count(), BaseSalary.objects.count(), AwardType.objects.count()) == before


def test_the_administrator_adds_an_award_type(admin_client):
    body = {"code": "bang-khen-tinh", "name": "Bằng khen của Chủ tịch UBND tỉnh", "form": "giay_khen"}
    response = admin_client.post(reverse("administration:award_type_add"), {**body, "level": "province"})
    assert response.status_code == 302, page_errors(response.content.decode())
    assert AwardType.objects.get(code="bang-khen-tinh").level == "province"
    dup = admin_client.post(reverse("administration:award_type_add"), {**body, "level": "province"})
    assert dup.status_code == 200 and page_errors(dup.content.decode())
    assert AuditEvent.objects.filter(event_type=audit.AWARD_TYPE_CREATED).count() == 1
