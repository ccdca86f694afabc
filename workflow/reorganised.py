"""After a reorganisation (``nominations.services.reorganisation``), the open tasks of the moved dossiers follow.

A task routed by permission on a unit (``.Permission(obj=…)``) records that unit's id
(``owner_permission_obj_pk``): it now names the successor, so its people take it from their queue and the
old unit's no longer see it. A task held by someone (assigned, not finished) goes back to the queue unless
that person holds the right on the successor. A personal task (preparing or completing the dossier) passes
to the clerk the reorganisation named. Each change is audited in the dossier's trail.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from nominations.models import OrgUnit, Submission

from . import audit, roles
from .queues import PERSONAL_TASK

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


def repoint_tasks(moves: dict, *, actor=None) -> int:
    """Re-point the open tasks of the dossiers in ``moves`` (see ``nominations.signals.units_reorganised``)."""
    tasks = Task.objects.filter(
        status__in=OPEN,
        process__artifact_content_type=ContentType.objects.get_for_model(Submission),
        process__artifact_object_id__in=list(moves),
    ).select_related("process", "owner")
    users = get_user_model().objects.in_bulk([m["person"] for m in moves.values() if m["person"]])
    changed = 0
    for task in tasks:
        move = moves[task.process.artifact_object_id]
        before = (task.owner_id, task.owner_permission_obj_pk)
        if task.owner_permission == PERSONAL_TASK:
            person = users.get(move["person"])
            if person is None or task.owner_permission_obj_pk == str(person.pk):
                continue
            task.owner_permission_obj_pk = str(person.pk)
            if task.owner_id is not None:
                task.owner = person
        else:
            new_unit = move["units"].get(int(task.owner_permission_obj_pk or 0))
            if new_unit is None:
                continue
            task.owner_permission_obj_pk = str(new_unit)
            if task.owner is not None and not _holds(task.owner, task.owner_permission, new_unit):
                task.owner, task.status, task.assigned, task.started = None, STATUS.NEW, None, None
        task.save()
        changed += 1
        audit.record_transition(
            task.process.artifact,
            audit.TASK_UNASSIGNED if task.owner_id is None and before[0] else audit.SUBMISSION_UNIT_MOVED,
            actor=actor,
            changes={"owner": [before[0], task.owner_id], "for": [before[1], task.owner_permission_obj_pk]},
            trail={"process": task.process, "task": task, "step": task.flow_task.name},
        )
    return changed


def _holds(user, perm: str, unit_pk: int) -> bool:
    # The reorganisation has just changed the roles: what was read earlier in the request is stale.
    roles.forget(user)
    return roles.holds(user, perm, OrgUnit(pk=unit_pk))
