"""``{% if request.user|keeps_award_rules %}``: the administration menu's entry for the award rules."""

from django import template

from workflow import roles

register = template.Library()


@register.filter
def keeps_award_rules(user) -> bool:
    """Only a province-level committee's administrator may open the award rules (the page answers 403 to
    anyone else); read from the rights the request already loaded, so the menu costs no statement."""
    return roles.keeps_award_rules(user)
