"""Vietnamese number formatting for templates."""

from django import template

from nominations.documents.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """702000 → "702.000"."""
    return format_vnd(int(amount or 0)).replace(" đồng", "")
