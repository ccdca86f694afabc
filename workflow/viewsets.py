"""viewflow's pages, scoped to the dossiers each user may see.

viewflow's own process list, process detail, task list and dashboard filter
only by the flow-level permission; every one is narrowed here. Task pages
(which take a process id in the URL) are guarded in workflow.scope.
"""

import hashlib

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic.base import ContextMixin
from django_filters import FilterSet
from viewflow.utils import viewprop
from viewflow.workflow import STATUS
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow import views as vf
from viewflow.workflow.flow.views import filters

from nominations.models import Decision, Submission

from . import counters, deadlines, kinds, task_lists
from . import permissions as perms
from .views.dossier_pages import DeferredJoinPaginator


def _artifacts(flow_class):
    """(artifact model, its visible-to-user queryset function, related fields to load) of a flow."""
    kind = kinds.of_flow(flow_class)
    return kind.model, kind.visible, kind.related


def visible_processes(user, flow_class):
    """Process ids of ``flow_class`` whose artifact (dossier, session) ``user`` may see."""
    model, visible, _related = _artifacts(flow_class)
    return flow_class.process_class.objects.filter(
        flow_class=flow_class,
        artifact_content_type=ContentType.objects.get_for_model(model),
        artifact_object_id__in=visible(user).values("pk"),
    ).values("pk")


def with_dossier(tasks):
    """Tasks with their process; the page's dossiers are loaded in one query by attach_dossiers."""
    return tasks.select_related("process", "owner")


def attach_dossiers(tasks, flow_class, also=()) -> list:
    """Set ``task.dossier`` (the process's artifact) on every task of a page with a single query (``also``:
    more relations to load with them)."""
    model, _visible, related = _artifacts(flow_class)
    tasks = list(tasks)
    ids = {int(t.process.artifact_object_id) for t in tasks if t.process.artifact_object_id}
    dossiers = model.objects.select_related(*related, *also).in_bulk(ids)
    for task in tasks:
        task.dossier = dossiers.get(int(task.process.artifact_object_id or 0))
    return tasks


def task_choices(flow_class) -> list:
    """(reference, title) of every human task of the flow: the task filter's choices, known without a query."""
    return [(get_task_ref(node), node.task_title) for node in perms.human_nodes(flow_class)]


DUE_CHOICES = [
    (deadlines.OVERDUE, _("Quá hạn")),
    ("3", _("Đến hạn trong 3 ngày làm việc")),
    ("5", _("Đến hạn trong 5 ngày làm việc")),
    ("10", _("Đến hạn trong 10 ngày làm việc")),
]


def filter_due(queryset, name, value):
    """Tasks overdue or due within N working days. A deadline is computed, not stored (it moves with the
    completion pauses and the calendar): the tasks' deadlines are read in a fixed number of queries."""
    keep = deadlines.due_predicate(value)
    if keep is None:
        return queryset
    tasks = list(queryset.select_related("process"))
    found = deadlines.task_deadlines(tasks)
    return queryset.filter(pk__in=[t.pk for t in tasks if keep(found.get(t.pk))])


class TaskListFilter(filters.FlowUserTaskListFilter):
    """viewflow's inbox and queue filter, whose task choices are the flow's human tasks.

    viewflow's own filter asks the database for the tasks present in the list (a SELECT DISTINCT that repeats
    the list's whole predicate); the flow's few human nodes are a constant list. Its "process" filter is
    dropped: a drop-down of every process in the list ("Process object (…)") reads and renders one option per
    dossier (thousands in a reviewer's queue) and tells a user nothing the list's dossier column does not.
    """

    han = django_filters.ChoiceFilter(label=_("Hạn xử lý"), choices=DUE_CHOICES, method=filter_due)

    def __init__(self, *args, flow_class, **kwargs):
        FilterSet.__init__(self, *args, **kwargs)  # not the parent's: that is where the DISTINCT query is
        del self.filters["process"]
        self.filters["flow_task"].field.choices = task_choices(flow_class)


class ArchiveFilter(filters.FlowArchiveListFilter):
    """viewflow's archive filter, with the same constant task choices."""

    def __init__(self, *args, flow_class, **kwargs):
        FilterSet.__init__(self, *args, **kwargs)
        self.filters["flow_task"].field.choices = task_choices(flow_class)


class DossierColumnsMixin:
    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "flow_class": self.flow_class}

    def get_page_data(self, page):
        tasks = attach_dossiers(page, self.flow_class)
        found = deadlines.task_deadlines(tasks)  # the page's deadlines at once
        for task in tasks:
            task.deadline = found.get(task.pk)
        return super().get_page_data(tasks)

    def due(self, task):
        """Due date and working days left; an overdue task says so in words, not only in colour."""
        return mark_safe(render_to_string("workflow/_due_cell.html", {"deadline": getattr(task, "deadline", None)}))

    due.short_description = _("Hạn xử lý")

    def dossier(self, task):
        artifact = task.dossier
        if artifact is None:
            return "—"
        if isinstance(artifact, Decision):
            return format_html("{} – {}", artifact.reference, artifact.subject)
        owner = artifact.unit if isinstance(artifact, Submission) else artifact.council
        return format_html("{} – {}", owner, artifact.title)

    dossier.short_description = _("Hồ sơ")

    def task_title(self, task):
        return task.flow_task.task_title

    task_title.short_description = _("Công việc")


class LightTaskListMixin(DossierColumnsMixin):
    """The inbox and the queue in our own template: one loop over rows prepared in Python (workflow.task_lists),
    inside viewflow's frame (side menu, top bar), with the same filters (?flow_task=, ?han=, ?created=) and
    pages.

    Without a filter nor an order asked (the page everyone opens), viewflow's list machinery is not run at all
    (its FilterSet, form, ordering and paginator cost about 3 ms): the list's ids come from one statement
    (``task_ids``), the page's rows with their dossiers and deadlines' inputs from one more
    (workflow.task_lists.page_tasks). With one, viewflow's list filters as before and only its page's rows are
    read the same way.
    """

    template_name = "workflow/task_list.html"

    def task_ids(self) -> list[int]:
        """Ids of the whole list, in its order (without a filter)."""
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        if any(key != self.page_kwarg for key in request.GET):
            return super().get(request, *args, **kwargs)
        ids = self.task_ids()
        paginator, page, page_ids, is_paginated = self.paginate_queryset(ids, self.get_paginate_by(None))
        context = ContextMixin.get_context_data(
            self, paginator=paginator, page_obj=page, is_paginated=is_paginated, object_list=page_ids
        )
        return self.render_to_response({**context, **self.list_context(page_ids)})

    def get_paginator(self, queryset, per_page, **kwargs):
        if isinstance(queryset, list):  # the ids of ``task_ids``: the list's size is its length
            return Paginator(queryset, per_page, **kwargs)
        # The page's task ids first, then those tasks with their process and owner (not a join of every task in
        # the list to its process before the sort). The list's size is counted at most once every few seconds
        # per user, list and filter (workflow.counters, moved at once by the user's own tasks), as /dossiers/.
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        filters = hashlib.sha256(query.urlencode().encode()).hexdigest()[:16]
        key = f"{kinds.of_flow(self.flow_class).namespace}:{type(self).__name__}:{filters}"
        count = counters.cached_count(self.request.user, key, queryset.count)
        return DeferredJoinPaginator(queryset, per_page, related=("process", "owner"), count=count, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        listed = page.object_list if page else context["object_list"]
        return {**context, **self.list_context([task.pk for task in listed])}

    def list_context(self, ids) -> dict:
        """The template's rows (tasks ``ids``, read in one statement with their dossiers), filters and pager."""
        tasks = task_lists.with_deadlines(task_lists.page_tasks(ids, [kinds.of_flow(self.flow_class).model]))
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        return {
            "rows": [task_lists.row_html(row) for row in task_lists.rows(tasks)],
            "task_choices": task_choices(self.flow_class),
            "due_choices": DUE_CHOICES,
            "chosen_task": self.request.GET.get("flow_task", ""),
            "chosen_due": self.request.GET.get("han", ""),
            "page_query": query.urlencode(),
        }


class InboxView(LightTaskListMixin, vf.FlowInboxListView):
    columns = ("task_id", "task_title", "dossier", "created", "due")
    filterset_class = TaskListFilter

    @viewprop
    def queryset(self):
        return with_dossier(super().queryset)

    def task_ids(self):
        return task_lists.inbox_ids(self.request.user, self.flow_class)


class QueueView(LightTaskListMixin, vf.FlowQueueListView):
    columns = ("task_id", "task_title", "dossier", "created", "due")
    filterset_class = TaskListFilter

    @viewprop
    def queryset(self):
        """viewflow's queue (by the same rule, index-friendly), narrowed to the dossiers the user may see: checked
        once from the queue's own tasks (workflow.task_lists.visible_queue)."""
        user = self.request.user
        tasks = task_lists.visible_queue(user, self.flow_class)
        # Newest first, by an expression no index serves: PostgreSQL then sorts the few tasks the queue index
        # finds. Ordered by the bare column, it walks the index on "created" over every task of every flow
        # instead (about 80 ms at 280,000 tasks), because it expects the queue rule to match far more rows.
        return with_dossier(tasks.order_by(Coalesce("created", "created").desc()))

    def task_ids(self):
        return task_lists.queue_ids(self.request.user, self.flow_class)


class ArchiveView(DossierColumnsMixin, vf.FlowArchiveListView):
    columns = ("task_id", "task_title", "dossier", "created", "finished")
    filterset_class = ArchiveFilter

    @viewprop
    def queryset(self):
        return with_dossier(super().queryset)


class ProcessListView(vf.DashboardProcessListView):
    def get_page_data(self, page):
        model, _visible, related = _artifacts(self.flow_class)
        processes = list(page)
        ids = {int(p.artifact_object_id) for p in processes if p.artifact_object_id}
        dossiers = model.objects.select_related(*related).in_bulk(ids)
        for process in processes:
            # Fills the generic relation's cache, so the summary renders without a query.
            process.artifact = dossiers.get(int(process.artifact_object_id or 0))
        return super().get_page_data(processes)

    def get_queryset(self):
        return (
            super().get_queryset().filter(pk__in=visible_processes(self.request.user, self.flow_class)).order_by("-pk")
        )


class ProcessDetailView(vf.DetailProcessView):
    def get_queryset(self):
        return (
            super().get_queryset().filter(pk__in=visible_processes(self.request.user, self.flow_class)).order_by("-pk")
        )


class TaskListView(vf.DashboardTaskListView):
    def get_queryset(self):
        return super().get_queryset().filter(process__in=visible_processes(self.request.user, self.flow_class))


class DashboardView(vf.DashboardView):
    """The kanban board, showing only the dossiers the user may see."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = visible_processes(self.request.user, self.flow_class)
        tasks = self.flow_class.task_class._default_manager.filter(process__in=visible)
        for column in context["columns"]:
            column["tasks"] = tasks.filter(Q(finished__isnull=True) | Q(status=STATUS.ERROR), flow_task=column["node"])[
                : self.MAX_ROWS
            ]
            column["node_ref"] = get_task_ref(column["node"])
        context["finished"] = tasks.filter(finished__isnull=False, flow_task__in=context["end_nodes"])[: self.MAX_ROWS]
        return context


class NominationFlowViewset(FlowAppViewset):
    inbox_view_class = InboxView
    queue_view_class = QueueView
    archive_view_class = ArchiveView
    process_list_view_class = ProcessListView
    process_detail_view_class = ProcessDetailView
    task_list_view_class = TaskListView
    dashboard_view_class = DashboardView

    def get_context_data(self, request):
        """The sidebar's counters, on every page of the flow: viewflow's, with the queue by the indexed rule,
        cached per user for a few seconds (workflow.counters)."""
        flow_class, user = self._flow_class, request.user

        def inbox():
            return flow_class.task_class._default_manager.inbox([flow_class], user).count()

        def queue():
            # Built only when the count is not cached: the queue's rule reads the user's unit grants (a query).
            if not flow_class.instance.has_view_permission(user):
                return 0
            return perms.queue_tasks(user, flow_class).count()

        name = kinds.of_flow(flow_class).namespace
        return {
            "user_inbox": counters.Counter(user, f"{name}:inbox", inbox),
            "user_queue": counters.Counter(user, f"{name}:queue", queue),
        }

    def get_success_url(self, request):
        # "Save and continue" looks up the user's next task in their queue.
        if "_continue" in request.POST:
            perms.prime_queue_cache(request.user)
        return super().get_success_url(request)
