"""Rules computed from plain values: no queries here."""

import datetime
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from .models.awards import AwardRuleSet, RecipientKind


def prize_amount(rule: AwardRuleSet, recipient_kind: str, base_salary: int) -> int:
    """Prize in VND: coefficient × base salary × recipient multiplier, rounded as the rule set says."""
    amount = Decimal(rule.prize_coefficient) * Decimal(base_salary)
    if recipient_kind == RecipientKind.HOUSEHOLD:
        amount *= Decimal(rule.household_multiplier)
    elif recipient_kind in (RecipientKind.COLLECTIVE, RecipientKind.ENTERPRISE):
        amount *= Decimal(rule.collective_multiplier)
    if rule.rounding == AwardRuleSet.Rounding.NONE or not rule.rounding_unit:
        return int(amount.to_integral_value(ROUND_HALF_UP))
    mode = ROUND_CEILING if rule.rounding == AwardRuleSet.Rounding.UP else ROUND_HALF_UP
    steps = (amount / rule.rounding_unit).to_integral_value(mode)
    return int(steps * rule.rounding_unit)


# A session is held on a day near today: minutes of a meeting are entered at
# most a month late, and a meeting is planned at most a year ahead. The day
# decides the session's rule set, members, quorum and voting deadline, so a far
# date would vote under rules not (or no longer) in force.
SESSION_DAYS_BEFORE = 30
SESSION_DAYS_AFTER = 365


def session_dates(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(earliest, latest) day a council session opened ``today`` may be held on."""
    return (
        today - datetime.timedelta(days=SESSION_DAYS_BEFORE),
        today + datetime.timedelta(days=SESSION_DAYS_AFTER),
    )
