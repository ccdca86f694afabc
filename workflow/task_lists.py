"""The inbox and the queue of a flow as rows ready for one plain loop in our own template (issue 18).

viewflow's Material list renders every cell through template tags and includes (35–65 ms a page at 100,000
nominations); here each row's text and links are prepared once in Python, the due date's words included, and
the template only prints them. The queue's visibility check is driven from the queue's own tasks: their
dossiers are checked against the user's grants in one query, and the page then reads tasks by primary key
(no semi-join over every visible dossier, once for the count and again for the page).
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery
from django.urls import get_script_prefix
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from guardian.models import GroupObjectPermission, UserObjectPermission

from nominations import compiled
from nominations.models import Decision, Submission

from . import kinds, queues
from . import permissions as perms
from .id_lists import AnyOf  # noqa: F401 -- registers the any_of lookup


@dataclass
class TaskRow:
    pk: int
    url: str
    ref: str  # "#process/task"
    title: str  # the step
    dossier: str
    created: str
    due: str  # safe HTML: the due date and the working days left, or "—"
    overdue: bool


# Sentinel ids: a task's address is reversed once per node, action, language and script prefix, then filled in.
_PROCESS, _TASK = 987654321, 876543219
_URLS: dict = {}


def task_url(task, action: str = "index") -> str:
    """``task.flow_task.reverse(action, args=[process, task])`` without a URL reverse per row (50 rows: ~3 ms)."""
    node = task.flow_task
    key = (node, action, get_language(), get_script_prefix())
    template = _URLS.get(key)
    if template is None:
        url = node.reverse(action, args=[_PROCESS, _TASK]).replace("{", "{{").replace("}", "}}")
        template = _URLS[key] = url.replace(str(_PROCESS), "{0}").replace(str(_TASK), "{1}")
    return template.format(task.process_id, task.pk)


def due_html(deadline) -> str:
    """What workflow/_due_cell.html says (same words, same catalogue entries), without a template per row."""
    if deadline is None:
        return "—"
    day = deadline.due_on.strftime("%d/%m/%Y")
    if deadline.overdue:
        words = gettext("Quá hạn %(late)s ngày làm việc") % {"late": deadline.working_days_late}
        return format_html(
            '<span class="thidua-due thidua-due--overdue" data-deadline="{}">{} – <strong>⚠ {}</strong></span>',
            deadline.due_on.isoformat(),
            day,
            words,
        )
    words = gettext("còn %(left)s ngày làm việc") % {"left": deadline.working_days_left}
    return format_html(
        '<span class="thidua-due" data-deadline="{}">{} – {}</span>', deadline.due_on.isoformat(), day, words
    )


def dossier_text(artifact) -> str:
    if artifact is None:
        return "—"
    if isinstance(artifact, Decision):
        return f"{artifact.reference} – {artifact.subject}"
    owner = artifact.unit if isinstance(artifact, Submission) else artifact.council
    return f"{owner} – {artifact.title}"


def row_html(row: TaskRow) -> str:
    """One row of workflow/task_list.html's table, written out once (issue 18): no lookup per cell."""
    e = conditional_escape
    overdue = ' class="thidua-overdue"' if row.overdue else ""
    return mark_safe(  # noqa: S308 -- every value escaped (the due date's HTML is our own, safe already)
        f'<tr data-row-id="{row.pk}"{overdue}><td><a href="{e(row.url)}" data-turbo="false">{e(row.ref)}</a></td>'
        f"<td>{e(row.title)}</td><td>{e(row.dossier)}</td><td>{e(row.created)}</td><td>{e(row.due)}</td></tr>\n"
    )


def rows(tasks) -> list[TaskRow]:
    """Rows of a page of tasks that already carry ``dossier`` and ``deadline`` (workflow.viewsets)."""
    fmt = formats.get_format("SHORT_DATETIME_FORMAT")
    tz = timezone.get_current_timezone()  # once: timezone.localtime looks it up per call
    result = []
    for task in tasks:
        deadline = getattr(task, "deadline", None)
        created = task.created.astimezone(tz) if task.created else None
        result.append(
            TaskRow(
                pk=task.pk,
                url=task_url(task),
                ref=f"#{task.process_id}/{task.pk}",
                title=str(task.flow_task.task_title),
                dossier=dossier_text(task.dossier),
                created=formats.date_format(created, fmt) if created else "—",
                due=due_html(deadline),
                overdue=bool(deadline and deadline.overdue),
            )
        )
    return result


def process_artifact(task_model) -> Subquery:
    """The task's process's artifact id, read per task through the process's primary key (a correlated
    subquery): joined instead, PostgreSQL merges a few hundred tasks with the whole process table's index
    (5–10 ms at 40,000 processes)."""
    process = task_model._meta.get_field("process").related_model
    return Subquery(process.objects.filter(pk=OuterRef("process_id")).values("artifact_object_id")[:1])


def visible_queue(user, flow_class):
    """``user``'s queue of ``flow_class`` (``queues.queue_tasks``) narrowed to those whose dossier, session or
    decision ``user`` may see.

    One query reads the queue's (task, artifact) pairs, one more which of those artifacts the user may see;
    the result filters by task primary key, which the count and the page then read cheaply. The pairs' SQL is
    compiled once per process for the same rule (nominations.compiled, key ``queues.rule_key``): only the text
    is kept, every call runs it.
    """
    kind = kinds.of_flow(flow_class)
    if kind.model is Submission and perms.sees_every_dossier(user):
        return perms.queue_tasks(user, flow_class)

    def build():
        tasks = perms.queue_tasks(user, flow_class)
        return tasks.order_by().annotate(dossier_pk=process_artifact(tasks.model)).values_list("pk", "dossier_pk")

    rule = queues.rule_key(user)
    pairs = list(build()) if rule is None else compiled.rows(("task_lists.queue", flow_class, *rule), build)
    ids = {int(a) for _pk, a in pairs if a}
    visible = visible_ids(user, kind, ids)
    # By primary key alone: the queue's rule is already applied, and repeating it would lead the planner back to
    # the status index, for the count and again for the page. One array parameter (workflow.id_lists).
    return flow_class.task_class._default_manager.filter(pk__any_of=[pk for pk, a in pairs if a and int(a) in visible])


def visible_ids(user, kind, ids: set[int]) -> set[int]:
    """Which of ``ids`` (artifacts of ``kind``) ``user`` may see, in one query."""
    if not ids:
        return set()
    if kind.model is not Submission:
        return set(kind.visible(user).filter(pk__any_of=sorted(ids)).order_by().values_list("pk", flat=True))
    # The dossiers' object grants, looked up by the given ids (guardian's (holder, content type, object)
    # indexes): what perms.visible_submissions joins to every submission, asked about these ones only.
    grant = {
        "content_type": ContentType.objects.get_for_model(Submission),
        "permission__codename": perms.VIEW_SUBMISSION.split(".")[1],
        "object_pk__any_of": [str(i) for i in sorted(ids)],
    }
    granted = (
        UserObjectPermission.objects.filter(Q(user=user), **grant)
        .values_list("object_pk", flat=True)
        .union(GroupObjectPermission.objects.filter(Q(group__user=user), **grant).values_list("object_pk", flat=True))
    )
    return {int(pk) for pk in granted}
