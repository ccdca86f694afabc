"""The inbox and the queue of a flow as rows ready for one plain loop in our own template (issue 18).

viewflow's Material list renders every cell through template tags and includes (35–65 ms a page at 100,000
nominations); here each row's text and links are prepared once in Python, the due date's words included, and
the template only prints them. The queue's visibility check is driven from the queue's own tasks: their
dossiers are checked against the user's grants in one query, and the page then reads tasks by primary key
(no semi-join over every visible dossier, once for the count and again for the page).
"""

import functools
import html
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.urls import get_script_prefix
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from guardian.models import GroupObjectPermission, UserObjectPermission
from viewflow.workflow.status import STATUS

from nominations import compiled
from nominations.models import Campaign, Council, CouncilSession, Decision, OrgUnit, Submission

from . import deadlines, kinds, queues
from . import permissions as perms
from .id_lists import AnyOf, any_of_sql  # noqa: F401 -- AnyOf registers the any_of lookup


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


def row_html(row: TaskRow) -> str:
    """One row of workflow/task_list.html's table, written out once (issue 18): no lookup per cell. The values are
    plain strings, escaped as Django's ``escape`` does (``html.escape``); the due date's HTML is our own."""
    e = html.escape
    overdue = ' class="thidua-overdue"' if row.overdue else ""
    return mark_safe(  # noqa: S308 -- every value escaped (the due date's HTML is our own, safe already)
        f'<tr data-row-id="{row.pk}"{overdue}><td><a href="{e(row.url)}" data-turbo="false">{e(row.ref)}</a></td>'
        f"<td>{e(row.title)}</td><td>{e(row.dossier)}</td><td>{e(row.created)}</td><td>{row.due}</td></tr>\n"
    )


def rows(tasks) -> list[TaskRow]:
    """Rows of a page of tasks read by ``page_tasks``, their deadlines set (``with_deadlines``)."""
    fmt = formats.get_format("SHORT_DATETIME_FORMAT")
    # The project's format (config/formats) as strftime says it, without Django's formatter per row.
    when = (lambda d: d.strftime("%d/%m/%Y %H:%M")) if fmt == "d/m/Y H:i" else (lambda d: formats.date_format(d, fmt))
    tz = timezone.get_current_timezone()  # once: timezone.localtime looks it up per call
    titles = {}  # each step's title translated once per page
    result = []
    for task in tasks:
        deadline = task.deadline
        created = task.created.astimezone(tz) if task.created else None
        node = task.flow_task
        if node not in titles:
            titles[node] = str(node.task_title)
        result.append(
            TaskRow(
                pk=task.pk,
                url=task_url(task),
                ref=f"#{task.process_id}/{task.pk}",
                title=titles[node],
                dossier=task.dossier,
                created=when(created) if created else "—",
                due=due_html(deadline),
                overdue=bool(deadline and deadline.overdue),
            )
        )
    return result


@dataclass
class PageTask:
    """One task of a list page as plain values, read with its artifact's words and its deadline's inputs in one
    statement (``page_tasks``). It answers what the rows read of a task: ``pk``, ``process_id``, ``flow_task``."""

    pk: int
    process_id: int
    flow_task: object  # the node
    status: str
    created: object  # aware datetime
    model: type | None  # the artifact's model (Submission, CouncilSession, Decision), None without one
    title: str | None  # the dossier's or session's title, the decision's subject
    unit: str | None  # the proposing unit, the council, the decision's issuer
    campaign: str | None
    level: int | None  # the campaign issuer's level
    reference: str | None  # a decision's "number/symbol"
    received: object  # an appraisal's start (the dossier's first appraisal task), else None
    artifact_pk: int | None = None
    deadline: deadlines.Deadline | None = None  # set by ``with_deadlines``

    @property
    def dossier(self) -> str:
        """The inbox's and queue's "Hồ sơ" column: "<unit or council> – <title>", "<reference> – <subject>"."""
        if self.model is None or self.title is None:
            return "—"
        if self.model is Decision:
            return f"{self.reference} – {self.title}"
        return f"{self.unit} – {self.title}"

    def clock(self) -> deadlines.Clock:
        return deadlines.Clock(
            task_pk=self.pk,
            step=self.flow_task.name,
            created=self.created,
            level=self.level,
            dossier=self.artifact_pk if self.received is not None else None,
            received=self.received,
        )


def page_tasks(ids, models) -> list[PageTask]:
    """The tasks ``ids`` in that order, whose artifacts are of ``models`` (a task of another kind keeps its row,
    without its artifact's words), each with its artifact's words, its campaign issuer's level and, for an
    appraisal, the dossier's receipt: ONE statement (written once, ``_page_sql``) where the ORM read the tasks
    with their processes, then the artifacts with their units and campaigns, then the receipts (about 5 ms of
    CPU to build and load for 50 rows). Their deadlines: ``with_deadlines``."""
    ids = list(ids)
    if not ids:
        return []
    models = tuple(m for m in _ARTIFACTS if m in set(models))  # one statement per set of kinds, in one order
    sql, appraisals = _page_sql(connection.vendor, models)
    # The content types are looked up per call (Django's cache of them), not kept with the SQL: a flushed test
    # database numbers them anew.
    submission = ContentType.objects.get_for_model(Submission).pk
    types = tuple(ContentType.objects.get_for_model(m).pk for m in models)
    leading = (*appraisals, submission, *types)
    among, params = any_of_sql("t.id", ids)
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{among}", among), [*leading, *params])
        fetched = cursor.fetchall()
    models = dict(zip(types, models, strict=True))
    found = {}
    for (
        pk,
        process,
        ref,
        status,
        created,
        type_id,
        artifact,
        title,
        unit,
        campaign,
        level,
        number,
        symbol,
        first,
    ) in fetched:
        model = models.get(type_id) if artifact else None
        found[pk] = PageTask(
            pk=pk,
            process_id=process,
            flow_task=_node(ref),
            status=status,
            created=deadlines.aware(created),
            model=model,
            title=title,
            unit=unit,
            campaign=campaign,
            level=level,
            reference=(f"{number:02d}/{symbol}" if number else f"/{symbol}") if model is Decision else None,
            received=deadlines.aware(first),
            artifact_pk=artifact,
        )
    return [found[pk] for pk in ids if pk in found]


def with_deadlines(tasks: list[PageTask]) -> list[PageTask]:
    """Set ``task.deadline`` on each of ``tasks`` (workflow.deadlines.deadlines_of: the pauses, rules, calendar)."""
    found = deadlines.deadlines_of(
        [t.clock() for t in tasks if t.status not in (STATUS.DONE, STATUS.CANCELED) and t.flow_task is not None]
    )
    for task in tasks:
        task.deadline = found.get(task.pk)
    return tasks


_NODES: dict = {}


def _node(ref):
    """The node of a task's ``flow_task`` column, as the field converts it (kept per reference)."""
    node = _NODES.get(ref)
    if node is None:
        from viewflow.workflow.models import Task

        node = _NODES[ref] = Task._meta.get_field("flow_task").from_db_value(ref, None, connection)
    return node


# Per kind of artifact: its table's alias, the column that is its title, and the relations named as its unit
# (the proposing unit, the council, the issuer) and its campaign.
_ARTIFACTS = {
    Submission: ("s", "title", (OrgUnit, "unit_id"), (Campaign, "campaign_id")),
    CouncilSession: ("cs", "title", (Council, "council_id"), (Campaign, "campaign_id")),
    Decision: ("d", "subject", (OrgUnit, "issuer_id"), (Campaign, "campaign_id")),
}


@functools.cache
def _page_sql(vendor: str, models: tuple) -> tuple[str, tuple]:
    """``page_tasks``'s statement for artifacts of ``models``, with ``{among}`` for the ids' condition, its
    appraisal nodes' references (its first parameters; then the dossier's content type, those of ``models``).

    Each artifact and what its row names is a LEFT JOIN on the process's artifact (a task without one keeps its
    row), only for the kinds the page holds: PostgreSQL plans the six tables of one kind in about 0.5 ms, the
    fourteen of all three in 2.5 ms. The receipt is read only for an appraisal of a dossier (a correlated MIN
    over its process's tasks, by the process index)."""
    from viewflow.workflow.models import Task

    # The flows import the views, which import this module: the flows' nodes are read when a page is built.
    from .flows import CouncilFlow, DecisionFlow, NominationFlow

    field = Task._meta.get_field("flow_task")
    appraisals = [
        field.get_prep_value(node)
        for flow_class in (NominationFlow, CouncilFlow, DecisionFlow)
        for node in queues.human_nodes(flow_class)
        if node.name in deadlines.APPRAISAL_STEPS
    ]
    task, process = Task._meta.db_table, NominationFlow.process_class._meta.db_table
    joins, titles, units, campaigns, levels = [], [], [], [], []
    for model in models:
        a, title, (unit_model, unit_fk), (campaign_model, campaign_fk) = _ARTIFACTS[model]
        joins += [
            f"LEFT JOIN {model._meta.db_table} {a}"
            f" ON p.artifact_content_type_id = %s AND {a}.id = p.artifact_object_id",
            f"LEFT JOIN {unit_model._meta.db_table} {a}_u ON {a}_u.id = {a}.{unit_fk}",
            f"LEFT JOIN {campaign_model._meta.db_table} {a}_c ON {a}_c.id = {a}.{campaign_fk}",
            f"LEFT JOIN {OrgUnit._meta.db_table} {a}_i ON {a}_i.id = {a}_c.issuer_id",
        ]
        titles.append(f"{a}.{title}")
        units.append(f"{a}_u.name")
        campaigns.append(f"{a}_c.title")
        levels.append(f"{a}_i.level")

    def first(columns):  # SQLite's COALESCE wants two arguments at least
        return f"COALESCE({', '.join(columns)})" if len(columns) > 1 else columns[0] if columns else "NULL"

    decision = "d.number, d.symbol" if Decision in models else "NULL, NULL"
    appraisal = " OR ".join(["t.flow_task = %s"] * len(appraisals)) or "1 = 0"
    newline = "\n    "
    sql = f"""SELECT t.id, t.process_id, t.flow_task, t.status, t.created, p.artifact_content_type_id,
        p.artifact_object_id, {first(titles)}, {first(units)}, {first(campaigns)}, {first(levels)}, {decision},
        CASE WHEN ({appraisal}) AND p.artifact_content_type_id = %s AND p.artifact_object_id IS NOT NULL
            THEN (SELECT MIN(r.created) FROM {task} r WHERE r.process_id = t.process_id AND r.flow_task = t.flow_task)
        END
    FROM {task} t INNER JOIN {process} p ON p.id = t.process_id
    {newline.join(joins)}
    WHERE {{among}}"""
    return sql, tuple(appraisals)


def process_artifact(task_model) -> Subquery:
    """The task's process's artifact id, read per task through the process's primary key (a correlated
    subquery): joined instead, PostgreSQL merges a few hundred tasks with the whole process table's index
    (5–10 ms at 40,000 processes)."""
    process = task_model._meta.get_field("process").related_model
    return Subquery(process.objects.filter(pk=OuterRef("process_id")).values("artifact_object_id")[:1])


def inbox_ids(user, flow_class) -> list[int]:
    """Ids of ``user``'s inbox of ``flow_class``, newest first: viewflow's inbox (the tasks assigned to them),
    read as ids alone by a statement compiled once per user and flow (nominations.compiled); the page's rows
    are then read by ``page_tasks``, and the count is the list's length (no COUNT of its own)."""

    def build():
        tasks = flow_class.task_class._default_manager.filter(
            process__flow_class=flow_class, owner=user, status=STATUS.ASSIGNED
        )
        return tasks.order_by("-created").values_list("pk", flat=True)

    if not user.is_authenticated:
        return []
    return [pk for (pk,) in compiled.rows(("task_lists.inbox_ids", flow_class, user.pk), build)]


def queue_ids(user, flow_class) -> list[int]:
    """Ids of what ``visible_queue`` holds, newest first: the queue's (task, artifact, created) triples read arm
    by arm of the rule (``queues.queue_tasks_union``, compiled once per rule), narrowed to the artifacts
    ``user`` may see in one more query, sorted here. The count is the list's length."""
    kind = kinds.of_flow(flow_class)
    model = flow_class.task_class

    def build():
        fields = ("pk", "dossier_pk", "created")
        return queues.queue_tasks_union(user, flow_class, fields, dossier_pk=process_artifact(model))

    rule = queues.rule_key(user)
    triples = list(build()) if rule is None else compiled.rows(("task_lists.queue_ids", flow_class, *rule), build)
    if not (kind.model is Submission and perms.sees_every_dossier(user)):
        visible = visible_ids(user, kind, {int(a) for _pk, a, _created in triples if a})
        triples = [t for t in triples if t[1] and int(t[1]) in visible]
    triples.sort(key=lambda t: t[2], reverse=True)  # newest first, as the queue's ORDER BY created DESC
    return [pk for pk, _a, _created in triples]


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
    # indexes): what perms.visible_submissions joins to every submission, asked about these ones only. Written
    # as SQL once (``_grants_sql``): the ORM's union cost about 1 ms to build on every list page.
    sql = _grants_sql(connection.vendor)
    objects = [str(i) for i in sorted(ids)]
    user_among, user_params = any_of_sql("u.object_pk", objects)
    group_among, group_params = any_of_sql("g.object_pk", objects)
    codename = perms.VIEW_SUBMISSION.split(".")[1]
    submission = ContentType.objects.get_for_model(Submission).pk
    with connection.cursor() as cursor:
        cursor.execute(
            sql.replace("{user_among}", user_among).replace("{group_among}", group_among),
            [user.pk, submission, codename, *user_params, user.pk, submission, codename, *group_params],
        )
        return {int(pk) for (pk,) in cursor.fetchall()}


@functools.cache
def _grants_sql(vendor: str) -> str:
    """``visible_ids``'s statement: the object pks among ``{user_among}``/``{group_among}`` on which the user, or
    a group of theirs, holds the permission (user, content type, codename; twice)."""
    user_groups = get_user_model()._meta.get_field("groups").remote_field.through._meta.db_table
    permission = Permission._meta.db_table
    return (
        f"SELECT u.object_pk FROM {UserObjectPermission._meta.db_table} u "
        f"INNER JOIN {permission} ap ON ap.id = u.permission_id "
        "WHERE u.user_id = %s AND u.content_type_id = %s AND ap.codename = %s AND {user_among} "
        f"UNION SELECT g.object_pk FROM {GroupObjectPermission._meta.db_table} g "
        f"INNER JOIN {user_groups} ug ON ug.group_id = g.group_id "
        f"INNER JOIN {permission} ap ON ap.id = g.permission_id "
        "WHERE ug.user_id = %s AND g.content_type_id = %s AND ap.codename = %s AND {group_among}"
    )
