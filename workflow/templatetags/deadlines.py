"""``{% task_deadline task %}``: the task's due date and working days left, on the task pages."""

from django import template

from workflow import roles
from workflow.deadlines import task_deadline as compute
from workflow.standing_board import READERS

register = template.Library()


@register.inclusion_tag("workflow/_deadline.html")
def task_deadline(task):
    """Renders nothing when the task is done or its step has no time limit."""
    return {"deadline": compute(task) if task is not None else None}


@register.filter
def oversees_dossiers(user) -> bool:
    """Does ``user`` read an issuing body's board of open dossiers (the side menu's entry)? The user's roles are
    read once per request (workflow.roles)."""
    return bool(roles.units_with(user, *READERS))
