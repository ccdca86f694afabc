"""Tasks already open for one person become that person's alone (workflow.nodes.PersonalView).

New tasks of the personal steps record their person when they are created;
the ones open at upgrade time get the same marker here: their owner, or (given
back already) the person the flow assigned them to, read as the flow reads it.
"""

from django.conf import settings
from django.db import migrations

PERSONAL_TASK = "workflow.personal_task"
OPEN = ("NEW", "ASSIGNED", "STARTED")
# step → (model, field naming the person) of the process's artifact; the ballot names a council seat instead.
PEOPLE = {
    "workflow/flows.NominationFlow.prepare": ("Submission", "created_by_id"),
    "workflow/flows.NominationFlow.complete": ("Submission", "created_by_id"),
    "workflow/flows.CouncilFlow.close_voting": ("CouncilSession", "opened_by_id"),
    "workflow/flows.CouncilFlow.second_round": ("CouncilSession", "opened_by_id"),
    "workflow/flows.DecisionFlow.redraft": ("Decision", "drafted_by_id"),
}
VOTE = "workflow/flows.CouncilFlow.vote"


def _person(apps, task):
    if task.owner_id:
        return task.owner_id
    # The field loads the flow's node; its reference is the stored string.
    step = task._meta.get_field("flow_task").get_prep_value(task.flow_task)
    if step == VOTE:
        seat = apps.get_model("nominations", "CouncilMember").objects.filter(pk=(task.data or {}).get("member_id"))
        return seat.values_list("user_id", flat=True).first()
    model, field = PEOPLE[step]
    artifact = apps.get_model("nominations", model).objects.filter(pk=task.process.artifact_object_id)
    return artifact.values_list(field, flat=True).first()


def mark_personal_tasks(apps, schema_editor):
    Task = apps.get_model("viewflow", "Task")
    ContentType = apps.get_model("contenttypes", "ContentType")
    app_label, model = settings.AUTH_USER_MODEL.lower().split(".")
    user_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    tasks = Task.objects.filter(
        flow_task__in=[*PEOPLE, VOTE], status__in=OPEN, owner_permission__isnull=True
    ).select_related("process")
    for task in tasks:
        person = _person(apps, task)
        Task.objects.filter(pk=task.pk).update(
            owner_permission=PERSONAL_TASK,
            owner_permission_content_type=user_type,
            owner_permission_obj_pk=str(person) if person else None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("nominations", "0005_nomination_sort_name"),
        ("viewflow", "0015_task_scheduled"),
        ("workflow", "0006_merge"),
    ]

    operations = [migrations.RunPython(mark_personal_tasks, migrations.RunPython.noop)]
