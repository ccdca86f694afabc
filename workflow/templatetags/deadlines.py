"""``{% task_deadline task %}``: the task's due date and working days left, on the task pages."""

from django import template

from workflow.deadlines import task_deadline as compute

register = template.Library()


@register.inclusion_tag("workflow/_deadline.html")
def task_deadline(task):
    """Renders nothing when the task is done or its step has no time limit."""
    return {"deadline": compute(task) if task is not None else None}
