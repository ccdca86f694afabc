import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nominations.models import AwardRuleSet, AwardType
from nominations.rules import prize_amount
from nominations.selectors import NoRuleInForce, base_salary_on, rule_set_on

D = datetime.date


@pytest.fixture
def award(db):
    award = AwardType.objects.create(code="gk", name="Giấy khen", form=AwardType.Form.CERTIFICATE_OF_MERIT)
    AwardRuleSet.objects.create(
        award_type=award,
        valid_from=D(2024, 1, 1),
        valid_to=D(2025, 6, 30),
        authority_level=2,
        prize_coefficient=Decimal("0.3"),
        vote_threshold=Decimal("0.7"),
    )
    AwardRuleSet.objects.create(
        award_type=award,
        valid_from=D(2025, 7, 1),
        authority_level=3,
        prize_coefficient=Decimal("0.3"),
        vote_threshold=Decimal("0.9"),
    )
    return award


def test_rule_lookup_by_date(award):
    assert rule_set_on(award, D(2024, 10, 17)).authority_level == 2
    assert rule_set_on(award, D(2025, 6, 30)).authority_level == 2
    assert rule_set_on(award, D(2025, 7, 1)).authority_level == 3
    assert rule_set_on(award, D(2026, 3, 1)).vote_threshold == Decimal("0.9")


def test_no_rule_before_first_rule_set(award):
    with pytest.raises(NoRuleInForce, match="31/12/2023"):
        rule_set_on(award, D(2023, 12, 31))


def test_overlapping_rule_sets_are_refused(award):
    overlapping = AwardRuleSet(award_type=award, valid_from=D(2025, 1, 1), valid_to=D(2025, 12, 31), authority_level=3)
    with pytest.raises(ValidationError, match="trùng"):
        overlapping.full_clean()


def test_base_salary_changes_on_1_july_2024(demo):
    assert base_salary_on(D(2024, 6, 30)) == 1_800_000
    assert base_salary_on(D(2024, 7, 1)) == 2_340_000
    with pytest.raises(NoRuleInForce):
        base_salary_on(D(2023, 6, 30))


@pytest.mark.parametrize(
    ("kind", "salary", "expected"),
    [
        ("individual", 2_340_000, 710_000),  # 702,000 rounded up to the next 10,000
        ("individual", 1_800_000, 540_000),
        ("household", 2_340_000, 1_060_000),  # 1,053,000 → 1,060,000
        ("collective", 2_340_000, 1_410_000),  # 0.6 × 2.34M = 1,404,000 → 1,410,000
    ],
)
def test_prize_amount(award, kind, salary, expected):
    rule = rule_set_on(award, D(2024, 10, 17))
    assert prize_amount(rule, kind, salary) == expected


def test_prize_without_rounding(award):
    rule = rule_set_on(award, D(2024, 10, 17))
    rule.rounding = AwardRuleSet.Rounding.NONE
    assert prize_amount(rule, "individual", 2_340_000) == 702_000
