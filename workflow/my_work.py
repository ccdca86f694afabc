"""'Việc của tôi': every task a user holds or may take, across the three flows, and where each role lands.

One query for the tasks of all three flows (they share viewflow's Task table), one per kind of artifact
present for titles, units and campaigns, whatever the number of tasks: the page's cost does not grow
with the list.
"""

import datetime
import html
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import gettext
from viewflow.workflow import STATUS

from nominations import compiled
from nominations.models import CouncilMember, CouncilSession, Decision, Submission

from . import deadlines, kinds, queues, roles, task_lists
from . import permissions as perms
from .flows import CouncilFlow, DecisionFlow, NominationFlow

FLOWS = (NominationFlow, CouncilFlow, DecisionFlow)
# The row's button and link, named for a screen reader (the same catalogue entries as the former template).
TAKE = lambda: gettext("Nhận việc: %(task)s – %(title)s")  # noqa: E731
WORK = lambda: gettext("Làm việc: %(task)s – %(title)s")  # noqa: E731
MY_WORK_URL = "/viec-cua-toi/"


@dataclass
class Row:
    task: object
    kind: str  # the flow's short name: nomination, council, decision
    title: str
    unit: str
    campaign: str
    takes: bool  # a task to take (its assign page), not one the user holds
    deadline: deadlines.Deadline | None = None

    @property
    def url(self) -> str:
        """The task itself (held), or viewflow's assign page (to take): written only for the rows shown."""
        return task_lists.task_url(self.task, "index")

    @property
    def assign_url(self) -> str | None:
        return task_lists.task_url(self.task, "assign") if self.takes else None

    @property
    def age(self) -> datetime.timedelta:
        return timezone.now() - self.task.created

    def prepared(self, tz=None, now=None, labels=None, ages=None) -> dict:
        """What the page prints for this row, computed in Python (issue 18): no template tag per row. Looked up
        once per page by the caller: ``tz`` the current time zone (``timezone.localtime`` looks it up per call),
        ``now`` the time the ages count to, ``labels`` the take and work labels translated (``row_labels()``),
        ``ages`` the age's words (``age_strings()``)."""
        step = str(self.task.flow_task.task_title)
        take, work = labels or row_labels()
        return {
            "pk": self.task.pk,
            "step": step,
            "title": self.title,
            "unit": self.unit,
            "campaign": self.campaign,
            "created": self.task.created.astimezone(tz or timezone.get_current_timezone()).strftime("%d/%m/%Y %H:%M"),
            "age": timesince(self.task.created, now, time_strings=ages),
            "due": task_lists.due_html(self.deadline),
            "overdue": bool(self.deadline and self.deadline.overdue),
            "url": None if self.takes else self.url,
            "assign_url": self.assign_url,
            "label": (take if self.takes else work) % {"task": step, "title": self.title},
        }


class _Words:
    """One of timesince's unit strings ("%(num)d tuần"), translated once per number: the same words, where 50 rows
    translated their two units each (a lazy plural translation, about 20 µs, per unit per row)."""

    def __init__(self, lazy):
        self.lazy, self.said = lazy, {}

    def __mod__(self, args):
        said = self.said.get(args["num"])
        if said is None:
            said = self.said[args["num"]] = self.lazy % args
        return said


def age_strings() -> dict:
    """timesince's ``time_strings`` for one page (in the language of the request)."""
    return {name: _Words(words) for name, words in TIME_STRINGS.items()}


def row_labels() -> tuple[str, str]:
    """The rows' button and link labels for a screen reader, translated (once per page)."""
    return TAKE(), WORK()


def row_html(row: dict, csrf_token: str, take: str, work: str) -> str:
    """One row of workflow/my_work.html's table, written out once (issue 18): what the template's loop printed
    with a dozen lookups per row. ``take``/``work``: the buttons' words, translated and escaped once per page.
    The row's values are plain strings, escaped as Django's ``escape`` does (``html.escape``) without its
    per-call checks; the due date's HTML is our own (``task_lists.due_html``), safe already."""
    e = html.escape
    overdue = ' class="thidua-overdue"' if row["overdue"] else ""
    if row["assign_url"]:
        action = (
            f'<form method="post" action="{e(row["assign_url"])}" data-turbo="false">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{e(csrf_token)}">'
            f'<input type="hidden" name="_continue" value="1">'
            f'<button type="submit" aria-label="{e(row["label"])}">{take}</button></form>'
        )
    else:
        action = f'<a href="{e(row["url"])}" data-turbo="false" aria-label="{e(row["label"])}">{work}</a>'
    return mark_safe(  # noqa: S308 -- every value escaped (the due date's HTML is our own, safe already)
        f"<tr{overdue}><td>{e(row['step'])}</td><td>{e(row['title'])}</td><td>{e(row['unit'])}</td>"
        f'<td>{e(row["campaign"])}</td><td><span title="{e(row["created"])}">{e(row["age"])}</span></td>'
        f"<td>{row['due']}</td>\n  <td>{action}</td></tr>\n"
    )


# (title, unit, campaign) of each kind of artifact, read as plain values (no model per row).
DESCRIBED = {
    Submission: ("title", "unit__name", "campaign__title"),
    CouncilSession: ("title", "council__name", "campaign__title"),
    Decision: ("subject", "issuer__name", "campaign__title"),
}
NOTHING = ("—", "—", "—")


def _artifact(task) -> tuple[type, int]:
    """(model, pk) of the task's dossier, session or decision (pk 0: none)."""
    return kinds.of_flow(task.flow_task.flow_class).model, int(task.process.artifact_object_id or 0)


def _descriptions(tasks) -> tuple[dict[tuple[type, int], tuple[str, str, str]], dict[tuple[type, int], int]]:
    """({(model, pk): (title, unit, campaign)}, {(model, pk): its campaign issuer's level}) of the tasks'
    artifacts: one query of values per kind present (the levels date the deadlines: no query of their own)."""
    ids = {}
    for task in tasks:
        model, pk = _artifact(task)
        if pk:
            ids.setdefault(model, set()).add(pk)
    found, levels = {}, {}
    for model, pks in ids.items():
        rows = model._default_manager.filter(pk__any_of=sorted(pks)).order_by()
        for pk, level, *text in rows.values_list("pk", "campaign__issuer__level", *DESCRIBED[model]):
            found[(model, pk)] = tuple("—" if value is None else str(value) for value in text)
            levels[(model, pk)] = level
    return found, levels


def _kind(flow_class) -> str:
    return {NominationFlow: "nomination", CouncilFlow: "council", DecisionFlow: "decision"}[flow_class]


def open_tasks(user, node_ref: str = ""):
    """Human tasks of the three flows that ``user`` holds (assigned, started) or may take (new, by right).

    ``node_ref``: only the tasks of one node (as ``<flow kind>.<node name>``, e.g. ``council.vote``).
    """
    nodes = [node for flow_class in FLOWS for node in perms.human_nodes(flow_class)]
    if node_ref:
        nodes = [n for n in nodes if f"{_kind(n.flow_class)}.{n.name}" == node_ref]
    held = Q(owner=user, status__in=[STATUS.ASSIGNED, STATUS.STARTED])
    takeable = Q(status=STATUS.NEW) & perms.may_take(user)
    return (
        NominationFlow.task_class._default_manager.filter(flow_task__in=nodes, flow_task_type="HUMAN")
        .filter(held | takeable)
        .select_related("process")
        .order_by("created", "pk")
    )


def rows(user, node_ref: str = "", due: str = "", by_due: bool = False) -> list[Row]:
    """The page's rows, oldest task first (the one waiting longest), or earliest due date first (``by_due``).

    ``due``: only the overdue tasks (``qua-han``) or those due within N working days (``"N"``); see
    workflow.deadlines.due_predicate.
    """
    tasks = list(open_tasks(user, node_ref))
    result = _rows_of(user, tasks)
    keep = deadlines.due_predicate(due)
    if keep is not None:
        result = [row for row in result if keep(row.deadline)]
    if by_due:
        result.sort(key=lambda row: deadlines.by_due_date(row.deadline))  # stable: oldest first among equals
    return result


def page(user, number, node_ref: str = "", due: str = "", by_due: bool = False, per_page: int = 50):
    """(the page ``number`` of the user's rows, its rows): what ``rows`` gives, cut into pages.

    Oldest first without a deadline filter (the page everyone opens first) needs no deadline to order or count
    the list: every task is read as a few columns (its id, status, node and artifact) to keep the ones the user
    may see, and only the page's tasks are loaded with their artifacts and deadlines. A busy reviewer's 800
    tasks cost their ids, not 800 deadlines. A deadline filter or sort needs every row's deadline: ``rows``.
    """
    if due or by_due:
        found = Paginator(rows(user, node_ref, due=due, by_due=by_due), per_page).get_page(number)
        return found, list(found.object_list)
    listed = open_task_keys(user, node_ref)
    taken = {}  # {flow class: {artifact pk of a task to take}}
    for _pk, status, node, artifact in listed:
        if status == STATUS.NEW and artifact:
            taken.setdefault(node.flow_class, set()).add(int(artifact))
    visible = {
        flow_class: task_lists.visible_ids(user, kinds.of_flow(flow_class), pks) for flow_class, pks in taken.items()
    }
    shown = [
        pk
        for pk, status, node, artifact in listed
        if status != STATUS.NEW or (artifact and int(artifact) in visible.get(node.flow_class, ()))
    ]
    found = Paginator(shown, per_page).get_page(number)
    # The page's tasks with their artifacts' words and their deadlines' inputs in one statement, for the kinds of
    # artifact the page holds (workflow.task_lists.page_tasks); their deadlines without a query of their own but
    # the pauses, rules and calendar (workflow.deadlines.deadlines_of).
    nodes = {pk: node for pk, _status, node, _artifact in listed}
    models = {kinds.of_flow(nodes[pk].flow_class).model for pk in found.object_list}
    tasks = task_lists.with_deadlines(task_lists.page_tasks(found.object_list, models))
    return found, [_row(task) for task in tasks]


def _row(task) -> Row:
    """The row of a task read by ``task_lists.page_tasks`` (its deadline set already)."""
    title, unit, campaign = NOTHING if task.title is None else (task.title, task.unit, task.campaign)
    return Row(
        task=task,
        kind=_kind(task.flow_task.flow_class),
        title=title,
        unit="—" if unit is None else str(unit),
        campaign="—" if campaign is None else str(campaign),
        takes=task.status == STATUS.NEW,
        deadline=task.deadline,
    )


def open_task_keys(user, node_ref: str = "") -> list[tuple]:
    """[(pk, status, node, artifact pk)] of ``open_tasks(user, node_ref)`` in its order.

    Its SQL is compiled once per process for the same inputs (nominations.compiled; the key holds every input
    of ``open_tasks``: the chosen step and the user's rule, ``queues.rule_key``): building and compiling the
    rule's dozen conditions cost about 2 ms of every page, more than PostgreSQL spends running it. Only the
    text is kept: every call runs it and reads the tasks as they are now.
    """

    def build():
        tasks = open_tasks(user, node_ref)
        annotated = tasks.annotate(artifact_pk=task_lists.process_artifact(tasks.model))
        return annotated.values_list("pk", "status", "flow_task", "artifact_pk")

    rule = queues.rule_key(user)
    if rule is None:
        return list(build())
    # compiled.rows applies the fields' converters as the query set would: flow_task comes back as its node.
    return [tuple(row) for row in compiled.rows(("my_work.open_task_keys", node_ref, *rule), build)]


def _rows_of(user, tasks, checked: bool = False) -> list[Row]:
    """``tasks``' rows in their order, with their artifacts' words and deadlines; a task to take whose artifact
    the user may not see is left out (unless ``checked``: the caller kept only those already)."""
    described, level_of = _descriptions(tasks)  # one query per kind of artifact
    # Tasks that may be taken must still concern a dossier, session or decision the user may see.
    visible = None if checked else _visible_artifacts(user, tasks, described)
    levels = {task.process.pk: level_of[_artifact(task)] for task in tasks if _artifact(task) in level_of}
    due_on = deadlines.task_deadlines(tasks, levels=levels)  # a fixed number of queries for the whole list
    result = []
    for task in tasks:
        model, pk = _artifact(task)
        text = described.get((model, pk))
        if visible is not None and task.status == STATUS.NEW and (text is None or pk not in visible[model]):
            continue
        title, unit, campaign = text or NOTHING
        result.append(
            Row(
                task=task,
                kind=_kind(task.flow_task.flow_class),
                title=title,
                unit=unit,
                campaign=campaign,
                takes=task.status == STATUS.NEW,
                deadline=due_on.get(task.pk),
            )
        )
    return result


def _visible_artifacts(user, tasks, described) -> dict[type, set[int]]:
    """Pks of the tasks-to-take's artifacts the user may see, one query per kind present."""
    asked = {}
    for task in tasks:
        model, pk = _artifact(task)
        if task.status == STATUS.NEW and (model, pk) in described:
            asked.setdefault(task.flow_task.flow_class, set()).add(pk)
    visible = {Submission: set(), CouncilSession: set(), Decision: set()}
    for flow_class, pks in asked.items():
        # Looked up by the tasks' own artifacts (workflow.task_lists.visible_ids): joining every visible
        # dossier to the list's ids took 700 ms for a reviewer's 700 queue tasks at 100,000 nominations.
        kind = kinds.of_flow(flow_class)
        visible[kind.model] = task_lists.visible_ids(user, kind, pks)
    return visible


def landing_url(user) -> str:
    """Where ``user`` lands after logging in: where their work is.

    Chairman (signs decisions) → decisions to sign; reviewer → dossiers to appraise; council member →
    open ballots; unit clerk → the unit's dossiers; anyone else → 'Việc của tôi'.
    """
    today = timezone.localdate()
    if roles.units_with(user, perms.APPROVE):
        return f"{MY_WORK_URL}?viec=decision.sign"
    if roles.units_with(user, perms.REVIEW):
        return f"{MY_WORK_URL}?viec=nomination.review"
    seats = CouncilMember.objects.filter(user=user, valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    if seats.exclude(position=CouncilMember.Position.SECRETARY).exists():
        return f"{MY_WORK_URL}?viec=council.vote"
    if roles.units_with(user, perms.PROPOSE):
        return reverse("dossiers:index")
    return MY_WORK_URL
