"""Vietnamese number formatting for templates."""

from django import template

from nominations.documents.money import format_vnd
from nominations.models import CouncilSession, Decision, Nomination, Submission

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """702000 → "702.000"."""
    return format_vnd(int(amount or 0)).replace(" đồng", "")


def _state_labels() -> dict:
    labels = {}
    for choices in (Decision.Status, CouncilSession.Status, Submission.Status, Nomination.Status):
        labels.update(dict(choices.choices))
    return labels


@register.filter
def state_label(code: str) -> str:
    """A stored state code ("needs_completion") as people read it ("Yêu cầu bổ sung")."""
    return _state_labels().get(code, code) if code else "—"
