"""Rules computed from plain values: no queries here."""

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
