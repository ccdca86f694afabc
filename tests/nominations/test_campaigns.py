import datetime

import pytest
from django.core.exceptions import ValidationError

from nominations.models import Campaign, OrgUnit

D = datetime.date


def _campaign(**overrides):
    fields = dict(
        issuer=OrgUnit.objects.get(code="tp-ls"),
        code="c",
        title="Đợt thi đua",
        period_start=D(2024, 3, 1),
        period_end=D(2024, 9, 30),
        nomination_deadline=D(2024, 10, 5),
    )
    fields.update(overrides)
    return Campaign(**fields)


def test_valid_campaign_passes(demo):
    _campaign().full_clean()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"period_end": D(2024, 2, 1)}, "period_end", "Ngày kết thúc phải sau ngày bắt đầu"),
        ({"nomination_deadline": D(2024, 2, 1)}, "nomination_deadline", "không được trước ngày bắt đầu"),
        ({"nomination_deadline": D(2025, 6, 1)}, "nomination_deadline", "quá 120 ngày"),
        ({"ceremony_date": D(2024, 10, 1)}, "ceremony_date", "phải sau hạn nộp"),
    ],
)
def test_invalid_campaign_dates_are_rejected_with_a_message(demo, overrides, field, message):
    with pytest.raises(ValidationError) as err:
        _campaign(**overrides).full_clean()
    assert message in " ".join(err.value.message_dict[field])


def test_accepts_nominations_until_the_deadline(demo):
    campaign = _campaign(status=Campaign.Status.LAUNCHED)
    assert campaign.accepts_nominations_on(D(2024, 10, 5))
    assert not campaign.accepts_nominations_on(D(2024, 10, 6))
    campaign.status = Campaign.Status.DRAFT
    assert not campaign.accepts_nominations_on(D(2024, 5, 1))
